//! Rows as Vigil reads them.

use serde::{Deserialize, Serialize};

/// A staff member's role within their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Recruiter,
    Psychologist,
    /// Reads workforce results and the champions list; nothing of hiring.
    Security,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Recruiter => "recruiter",
            Role::Psychologist => "psychologist",
            Role::Security => "security",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "recruiter" => Some(Role::Recruiter),
            "psychologist" => Some(Role::Psychologist),
            "security" => Some(Role::Security),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub is_demo: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub org_id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: Option<String>,
    pub active: bool,
    pub created_at: i64,
    /// When the user turned on their second factor (TOTP); `None`: password only.
    pub second_factor_since: Option<i64>,
    /// The language they read Vigil's pages in: "en" or "de".
    pub language: String,
}

#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub org_id: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Campaign {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub role_family: String,
    pub battery: String,
    pub time_limit_minutes: Option<i64>,
    pub adaptive: i64,
    pub candidate_feedback: i64,
    pub invitation_ttl_days: i64,
    pub status: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    /// Days before a link runs out when a candidate who has not finished is
    /// reminded once by Vigil itself; `None`: never.
    pub reminder_days: Option<i64>,
    /// Where candidates reach Vigil, as the campaign's creator did (for links
    /// written without a request).
    pub link_base: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewCampaign<'a> {
    pub org_id: &'a str,
    pub name: &'a str,
    pub role_family: &'a str,
    /// JSON description of the battery (instruments, bank versions, norm tables).
    pub battery: &'a str,
    pub time_limit_minutes: Option<i64>,
    pub adaptive: bool,
    pub candidate_feedback: bool,
    pub invitation_ttl_days: i64,
    pub created_by: Option<&'a str>,
    pub reminder_days: Option<i64>,
    pub link_base: Option<&'a str>,
}

/// One answer as the candidate's browser sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerInput<'a> {
    pub session_id: &'a str,
    pub instrument: &'a str,
    pub item_id: &'a str,
    pub value: &'a str,
    pub latency_ms: Option<i64>,
    /// Increases with every answer the browser sends in a session; the
    /// highest one for an item wins, so retries and reorders are harmless.
    pub client_seq: i64,
    /// When set, the answer is stored only if the session then holds exactly
    /// this many answers to the instrument: the answers the caller judged it
    /// against (an adaptive answer checked against a remembered run), so a
    /// judgement made on an out-of-date view stores nothing.
    pub answers_before: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredAnswer {
    pub instrument: String,
    pub item_id: String,
    pub value: String,
    pub latency_ms: Option<i64>,
    pub client_seq: i64,
    pub revisions: i64,
    pub answered_at: i64,
}

/// Who did something recorded in the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor<'a> {
    User(&'a str),
    Candidate,
    System,
    /// Another system calling the integration API with this key (its id).
    ApiKey(&'a str),
    /// An employee acting on their own data (the champion listing), by their id.
    Employee(&'a str),
}

#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub org_id: Option<&'a str>,
    pub actor: Actor<'a>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<&'a str>,
    /// JSON; never secrets, tokens or passwords.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: String,
    pub org_id: Option<String>,
    pub actor_id: Option<String>,
    pub actor_kind: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub detail: Option<String>,
    pub at: i64,
}
