//! What the staff pages show. Never a password hash, session id or token.

use serde::{Deserialize, Serialize};

/// A staff member's role (mirrors the server's `store::Role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffRole {
    Admin,
    Recruiter,
    Psychologist,
}

impl StaffRole {
    pub fn label(self) -> &'static str {
        match self {
            StaffRole::Admin => "Administrator",
            StaffRole::Recruiter => "Recruiter",
            StaffRole::Psychologist => "Psychologist",
        }
    }

    /// The form value (`admin`, `recruiter`, `psychologist`).
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::Recruiter => "recruiter",
            StaffRole::Psychologist => "psychologist",
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
