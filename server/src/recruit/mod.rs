//! The recruiter's work: campaigns, invitations (one at a time or from a
//! CSV file, with their e-mails in the outbox), revoking and resending,
//! the candidate list, profiles, comparison, decisions and exports.
//!
//! Every function takes the caller, checks the role here
//! (`StaffRole::may_recruit`) and scopes every query to the caller's
//! organisation, so another organisation's campaign or candidate is "not
//! found". Recruiters see bands, percentiles, flags and interpretations,
//! never item-level answers or scoring keys. Vigil records decisions; it
//! never makes them.
//!
//! One file per thing a recruiter does: [`campaigns`], the candidate list
//! ([`candidates`]), [`invitations`], [`decisions`], the [`outbox`], the
//! [`profile`] and comparison, [`export`]s and [`reminders`]; [`access`]
//! holds the role check, the organisation scoping and the error type they
//! share. Children name each other's items by their file, never through
//! this one.

pub mod access;
pub mod campaigns;
mod candidates;
pub mod csv_import;
pub mod decisions;
pub mod export;
pub mod invitations;
pub mod messages;
pub mod outbox;
mod port;
pub mod profile;
pub mod reminders;
pub mod templates;

pub use access::{candidate_status, RecruitResult, ERASED_NAME};
pub use campaigns::{bank_options, campaign_page, offered_banks, campaigns, create_campaign, set_automatic_reminder, validate_campaign, CampaignForm, ValidCampaign, MAX_INVITATION_DAYS, MAX_REMINDER_DAYS, MAX_TIME_LIMIT_MINUTES};
pub use decisions::{decide, MAX_REASON_CHARS};
pub use invitations::{email_key, erase, import, invite, resend, revoke, ImportReport};
pub use outbox::{mark_sent_by_hand, outbox, waiting_csv};
pub use port::RecruitPort;
pub use profile::{compare, profile};
