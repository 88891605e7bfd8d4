//! Storage: the one seam between Vigil and its database.
//!
//! Every query in Vigil is a method on [`Store`]. The same SQL runs on SQLite
//! (the embedded default) and PostgreSQL (scale-out) through sqlx's `Any`
//! driver: identifiers are UUID text, times are Unix milliseconds in 64-bit
//! integers, flags are 0/1 integers and documents are JSON text, so one
//! statement fits both. Where the two databases must differ, a method
//! branches on [`Store::kind`].
//!
//! SQLite allows one writer at a time. Rather than let pooled connections
//! race for the write lock (read-then-write transactions then fail with
//! SQLITE_BUSY), every write goes through a pool of exactly one connection;
//! reads use a separate pool. PostgreSQL uses one pool for both.

mod analysis;
mod api;
mod answer_writer;
mod answers;
mod audit;
mod backup;
mod banks;
mod batch;
mod campaigns;
mod candidate_list;
mod champions;
mod candidates;
mod checkpointer;
mod cleanup;
mod conditions;
mod database;
mod erasure;
mod error;
mod groups;
mod jobs;
mod models;
mod norms;
mod orgs;
mod outbox;
mod rate;
mod recruiting;
mod requests;
mod scores;
mod sealed;
mod second_factor;
mod staff;
mod templates;
mod wall;
mod waves;
mod webhooks;
mod workforce;

pub use analysis::{DataVersion, NewSheet, SheetFilter, SheetRow};
pub use api::{ApiKeyRow, IdempotencyClaim, NewApiKey, ResultChange};
pub use answer_writer::AnswerSaved;
pub use audit::AuditQuery;
pub use backup::TableSum;
pub use banks::{BankVersionMeta, BankVersionRow, CatalogStamp, DraftRow, NewDraft, Publication, RevisionRow};
pub use answers::{CreatedInvitation, NewInvitation, NewSession};
pub use candidate_list::{CandidateListing, CandidatePage, ListOrder, ListedRow, DECISION_ORDER, STATUS_ORDER, VALIDITY_ORDER};
pub use candidates::{CandidateContextRow, InvitationRow, SessionRow};
pub use database::{new_id, SqliteSynchronous, Store};
pub use erasure::ERASED_REASON;
pub use groups::{GroupSettingsRow, GroupSheet};
pub use jobs::{AfterFailure, ClaimedJob, JobRow, NewJob};
pub use error::{StoreError, StoreResult};
pub use models::*;
pub use norms::{NewNormTable, NormTableRow};
pub use recruiting::{CampaignScoreRow, CandidateStateRow, DecisionRow, InviteItem, Invited, Inviter, OutboxDraft, Reissue};
pub use outbox::{OutboxListing, OutboxPage, OutboxRow};
pub use requests::{NewSubjectRequest, SubjectRequestRow};
pub use scores::{AnswersSeen, Finished, NewScore, StoredScore};
pub use sealed::Resealed;
pub use second_factor::SecondFactorRow;
pub use templates::TemplateRow;
pub use staff::{AuditView, LoginFailures, StaffSessionRow};
pub use wall::{as_organisation, enter as enter_organisation, scope as request_scope};
pub use waves::{NewWave, NewWaveLink, ReissuedLink, UnansweredLink, WaveLinkRow, WaveResponseRow, WaveRow, RELEASE_BATCH};
pub use champions::{ChampionRow, EmployeeAccess, SelfAssessmentRow, WorkforceSettings, EMPLOYEE_LINK_DAYS};
pub use workforce::{CurrentEmployee, EmployeeChanges, EmployeeRecord, OrgUnitRow};
pub use webhooks::{DeliveryOutcome, DeliveryRow, DueDelivery, WebhookEndpointRow, WEBHOOK_DELIVERY_JOB};
