//! Signed webhooks: an organisation's administrators register HTTPS
//! endpoints for events ([`EVENTS`]); each event is written in the same
//! transaction as the change it tells of (`crate::store`), and a recurring
//! job ([`deliver::DeliverWebhooks`]) sends it from that durable queue,
//! signed the Standard Webhooks way ([`signature`]), at least once, retried
//! with growing pauses for 24 hours. A receiver deduplicates by
//! `webhook-id`. Sending never holds up the request that made the event.
//! Endpoints may only be public addresses ([`endpoints::UrlPolicy`]),
//! checked when registered and again at each connection.

pub mod deliver;
pub mod endpoints;
pub mod signature;

/// The events an endpoint may ask for.
pub const EVENTS: [(&str, &str); 4] = [
    ("invitation.started", "a candidate opened their invitation and began"),
    ("assessment.completed", "a candidate completed the assessment: the result can be read"),
    ("invitation.expired", "a link or time limit ran out before the assessment was completed"),
    ("decision.recorded", "a recruiter recorded their decision"),
];
