//! What the staff pages show. Never a password hash, session id or token.

use serde::{Deserialize, Serialize};

/// A staff member's role (mirrors the server's `store::Role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffRole {
    Admin,
    Recruiter,
    Psychologist,
    /// The security team: workforce results and champions, nothing of hiring.
    Security,
}

impl StaffRole {
    /// In English, as exports, the API and the audit read it (the staff texts' English).
    pub fn label(self) -> &'static str {
        self.label_in(crate::i18n::staff_text("en"))
    }

    /// The role's name in the reader's language.
    pub fn label_in(self, t: &crate::i18n::StaffText) -> &'static str {
        match self {
            StaffRole::Admin => t.role_admin,
            StaffRole::Recruiter => t.role_recruiter,
            StaffRole::Psychologist => t.role_psychologist,
            StaffRole::Security => t.role_security,
        }
    }

    /// The form value (`admin`, `recruiter`, `psychologist`, `security`).
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::Recruiter => "recruiter",
            StaffRole::Psychologist => "psychologist",
            StaffRole::Security => "security",
        }
    }

    /// Who may see and change the organisation's users and read its audit
    /// log. The one place this rule lives: pages and form handlers ask here.
    pub fn may_administer(self) -> bool {
        self == StaffRole::Admin
    }

    /// Who may run campaigns, invite candidates, read their profiles,
    /// record decisions and export results: recruiters, and administrators
    /// (in a small organisation the admin often recruits too). Psychologists
    /// do not see candidates' identities.
    pub fn may_recruit(self) -> bool {
        matches!(self, StaffRole::Recruiter | StaffRole::Admin)
    }

    /// Who may erase a candidate's personal data (on the candidate's
    /// request; it cannot be undone): administrators.
    pub fn may_erase_candidates(self) -> bool {
        self == StaffRole::Admin
    }

    /// Who may take the organisation's item-level answers out for analysis
    /// (pseudonymous, never with names): psychologists, and administrators.
    /// Recruiters never see item-level data.
    pub fn may_analyse(self) -> bool {
        matches!(self, StaffRole::Psychologist | StaffRole::Admin)
    }

    /// Who may read workforce survey results (groups of at least 5 only)
    /// and the list of employees who chose to be security champions:
    /// the security role, and administrators (who run the surveys; HR
    /// works as an administrator). Recruiters never do.
    pub fn may_read_workforce(self) -> bool {
        matches!(self, StaffRole::Security | StaffRole::Admin)
    }

    /// Who may read the organisation's outbox (invitation e-mails not sent by SMTP).
    pub fn may_read_outbox(self) -> bool {
        self.may_recruit()
    }
}

/// The signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMe {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub org_id: String,
    pub organisation: String,
    /// The language the staff member reads Vigil in ("en" or "de").
    #[serde(default = "english")]
    pub language: String,
}

fn english() -> String {
    "en".to_string()
}

/// One row of the admin's user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub active: bool,
    /// False until the person has used their set-password link.
    pub has_password: bool,
    /// Signs in with a second factor (authenticator app).
    pub second_factor: bool,
}

/// One line of the audit log as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    /// "2026-11-23 14:05:09 UTC"
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
}

/// Which audit entries an administrator asks for: who (a user's id, or
/// "candidate" or "system"), which action, which days (YYYY-MM-DD, both
/// included), and where the page starts (`before`: the cursor of the last
/// entry of the previous page). Empty fields select all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub who: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub before: String,
}

impl AuditFilter {
    /// The filter as a query string for links, with or without the cursor.
    pub fn query(&self, with_cursor: bool) -> String {
        let fields = [("who", &self.who), ("action", &self.action), ("from", &self.from), ("to", &self.to), ("before", &self.before)];
        fields
            .iter()
            .filter(|(name, value)| !value.is_empty() && (with_cursor || *name != "before"))
            .map(|(name, value)| format!("{name}={}", percent_encode(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Every byte but letters, digits and `-._~` as `%XX` (RFC 3986 unreserved).
fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// One page of the audit log for a filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub filter: AuditFilter,
    pub lines: Vec<AuditLine>,
    /// Entries the filter selects in all.
    pub total: i64,
    /// The cursor of the next (older) page, when there is one.
    pub next: Option<String>,
    /// The choices of the "who" filter: (value, label).
    pub people: Vec<(String, String)>,
    /// The choices of the "action" filter: (code, label).
    pub actions: Vec<(String, String)>,
}

#[cfg(test)]
mod audit_filter_tests {
    use super::*;

    #[test]
    fn a_filter_becomes_a_query_string_without_empty_fields() {
        let f = AuditFilter { who: "system".into(), action: "login.failed".into(), from: "2026-12-01".into(), to: String::new(), before: "1800000000000_ab-c".into() };
        assert_eq!(f.query(true), "who=system&action=login.failed&from=2026-12-01&before=1800000000000_ab-c");
        assert_eq!(f.query(false), "who=system&action=login.failed&from=2026-12-01");
        assert_eq!(AuditFilter { who: "a b&c".into(), ..AuditFilter::default() }.query(true), "who=a%20b%26c");
        assert_eq!(AuditFilter::default().query(true), "");
    }
}

#[cfg(test)]
mod language_tests {
    use super::*;

    #[test]
    fn role_names_in_english_are_the_labels() {
        for role in [StaffRole::Admin, StaffRole::Recruiter, StaffRole::Psychologist, StaffRole::Security] {
            assert_eq!(role.label_in(crate::i18n::staff_text("en")), role.label());
            assert_ne!(role.label_in(crate::i18n::staff_text("de")), role.label());
        }
    }
}
