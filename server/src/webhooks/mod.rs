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
/// (What each means, for people: `AdminText::event_*` on the integrations page.)
pub const EVENTS: [&str; 4] = ["invitation.started", "assessment.completed", "invitation.expired", "decision.recorded"];
