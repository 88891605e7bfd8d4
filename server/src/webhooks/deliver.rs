//! Sending the delivery queue: a recurring job ([`DeliverWebhooks`]) that
//! the store brings forward whenever it queues an event. Each run sends
//! what is due, [`CONCURRENCY`] at a time, records each outcome as soon as
//! it is known (so a crash re-sends at most the deliveries in flight, with
//! the same `webhook-id`), and retries failures with growing pauses
//! ([`retry_delay_ms`]) until [`RETRY_FOR_MS`] after the event. A 2xx
//! answer is delivered; anything else, a timeout or a refused connection
//! is tried again. Redirects are not followed, and a name that resolves to
//! a private address is not connected to.

use std::{
    net::{IpAddr, SocketAddr},
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
    time::Duration,
};

use super::{endpoints::UrlPolicy, signature::signature_header};
use crate::{
    jobs::{Handler, JobError},
    store::{ClaimedJob, DeliveryOutcome, DueDelivery, Store, StoreError},
    time::now_ms,
};

/// How often the job runs when nothing brings it forward.
pub const EVERY: Duration = Duration::from_secs(5);
/// How long a delivery is retried after its event.
pub const RETRY_FOR_MS: i64 = 24 * 3_600_000;
/// Deliveries in flight at once.
pub const CONCURRENCY: usize = 32;
/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// Deliveries read per batch.
const BATCH: i64 = 500;
/// A run ends after this long (the next run goes on), so it never holds
/// the job for long.
const RUN_FOR_MS: i64 = 50_000;
/// How often invitations that ran out are looked for.
const EXPIRY_EVERY_MS: i64 = 60_000;

/// The pause after try `attempts`: 10 s, tripling, at most an hour
/// (10 s, 30 s, 1.5 min, 4.5 min, 13.5 min, 40.5 min, then hourly).
pub fn retry_delay_ms(attempts: i64) -> i64 {
    // 10 s × 3^(attempts − 1), capped at 3,600 s
    let n = u32::try_from((attempts - 1).clamp(0, 8)).unwrap_or(0);
    (10_000_i64 * 3_i64.pow(n)).min(3_600_000)
}

/// What follows a failed try made at `now` of a delivery whose event was made at `created_at`.
pub fn after_failure(attempts_before: i64, created_at: i64, now: i64, status: Option<i64>, error: String) -> DeliveryOutcome {
    let next_at = now + retry_delay_ms(attempts_before + 1);
    if next_at - created_at > RETRY_FOR_MS {
        DeliveryOutcome::Failed { status, error }
    } else {
        DeliveryOutcome::Retry { status, error, next_at }
    }
}

/// Resolves names to public addresses only (or this machine's, where allowed).
struct PublicOnly(UrlPolicy);

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.0;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.filter(|a| policy.admits(a.ip())).collect();
            if found.is_empty() {
                return Err(format!("{} has no public address", name.as_str()).into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

/// The delivery job and its HTTP client.
pub struct DeliverWebhooks {
    store: Store,
    client: reqwest::Client,
    policy: UrlPolicy,
    last_expiry_look: AtomicI64,
}

impl DeliverWebhooks {
    pub fn new(store: Store, policy: UrlPolicy) -> Result<DeliverWebhooks, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .user_agent(concat!("Vigil-Webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(PublicOnly(policy)))
            .build()
            .map_err(|e| format!("the webhook HTTP client could not be made: {e}"))?;
        Ok(DeliverWebhooks { store, client, policy, last_expiry_look: AtomicI64::new(0) })
    }

    /// One try of one delivery.
    async fn send(&self, d: &DueDelivery) -> DeliveryOutcome {
        let now = now_ms();
        let fail = |status: Option<i64>, error: String| after_failure(d.attempts, d.created_at, now, status, error);
        // Names are checked as they resolve; an address written as such here.
        if let Some(host) = reqwest::Url::parse(&d.url).ok().and_then(|u| u.host_str().map(|h| h.trim_matches(['[', ']']).to_string())) {
            if let Ok(ip) = host.parse::<IpAddr>() {
                if !self.policy.admits(ip) {
                    return fail(None, format!("{ip} is not a public address"));
                }
            }
        }
        let timestamp = now / 1000;
        let mut secrets = vec![d.secret.as_str()];
        if let (Some(previous), Some(until)) = (&d.previous_secret, d.previous_secret_until) {
            if until > now {
                secrets.push(previous.as_str());
            }
        }
        let request = self
            .client
            .post(&d.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("webhook-id", &d.event_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature_header(secrets, &d.event_id, timestamp, &d.payload))
            .body(d.payload.clone());
        match request.send().await {
            Ok(r) if r.status().is_success() => DeliveryOutcome::Delivered { status: i64::from(r.status().as_u16()) },
            Ok(r) => fail(Some(i64::from(r.status().as_u16())), format!("the endpoint answered {}", r.status())),
            Err(e) => fail(None, describe(&e)),
        }
    }

    /// Sends what is due now, batch after batch, until nothing is or the
    /// run has had its time; returns (delivered, to retry, given up).
    pub async fn deliver_due(&self) -> Result<(usize, usize, usize), StoreError> {
        let started = now_ms();
        let (mut delivered, mut retry, mut failed) = (0, 0, 0);
        loop {
            let due = self.store.due_deliveries(now_ms(), BATCH).await?;
            if due.is_empty() {
                break;
            }
            let mut tries = tokio::task::JoinSet::new();
            let mut queue = due.into_iter();
            let this = Arc::new(self.shallow());
            loop {
                while tries.len() < CONCURRENCY {
                    let Some(d) = queue.next() else { break };
                    let this = this.clone();
                    tries.spawn(async move {
                        let outcome = this.send(&d).await;
                        let recorded = this.store.record_delivery(&d.id, &outcome, now_ms()).await;
                        (d, outcome, recorded)
                    });
                }
                let Some(joined) = tries.join_next().await else { break };
                let Ok((d, outcome, recorded)) = joined else { continue };
                recorded?;
                match &outcome {
                    DeliveryOutcome::Delivered { .. } => delivered += 1,
                    DeliveryOutcome::Retry { error, .. } => {
                        tracing::info!(delivery = %d.id, event = %d.event_id, attempt = d.attempts + 1, error = %error, "webhook not delivered; will retry");
                        retry += 1;
                    }
                    DeliveryOutcome::Failed { error, .. } => {
                        tracing::warn!(delivery = %d.id, event = %d.event_id, error = %error, "webhook given up after 24 hours of retries");
                        failed += 1;
                    }
                }
            }
            if now_ms() - started > RUN_FOR_MS {
                break;
            }
        }
        Ok((delivered, retry, failed))
    }

    /// The same job for a task of its own (the client is shared).
    fn shallow(&self) -> DeliverWebhooks {
        DeliverWebhooks { store: self.store.clone(), client: self.client.clone(), policy: self.policy, last_expiry_look: AtomicI64::new(0) }
    }
}

/// A send error in words (without the URL's query, which may hold a token of the receiver's).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "no answer within 10 seconds"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "the request failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() {
        what.to_string()
    } else {
        format!("{what}: {cause}")
    }
}

#[async_trait::async_trait]
impl Handler for DeliverWebhooks {
    async fn run(&self, _job: &ClaimedJob) -> Result<serde_json::Value, JobError> {
        let now = now_ms();
        let mut announced = 0;
        if now - self.last_expiry_look.load(Ordering::Relaxed) >= EXPIRY_EVERY_MS {
            self.last_expiry_look.store(now, Ordering::Relaxed);
            announced = self.store.announce_expired_invitations(now, 1000).await?;
        }
        let (delivered, retry, failed) = self.deliver_due().await?;
        Ok(serde_json::json!({ "delivered": delivered, "to_retry": retry, "given_up": failed, "expiries_announced": announced }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_triple_from_ten_seconds_up_to_an_hour() {
        let pauses: Vec<i64> = (1..=9).map(retry_delay_ms).collect();
        assert_eq!(pauses, [10_000, 30_000, 90_000, 270_000, 810_000, 2_430_000, 3_600_000, 3_600_000, 3_600_000]);
    }

    #[test]
    fn a_delivery_is_retried_for_a_day_then_given_up() {
        let created = 1_000_000;
        match after_failure(0, created, created, Some(500), "boom".into()) {
            DeliveryOutcome::Retry { next_at, .. } => assert_eq!(next_at, created + 10_000),
            other => panic!("{other:?}"),
        }
        let late = created + RETRY_FOR_MS - 1_000;
        assert!(matches!(after_failure(20, created, late, None, "refused".into()), DeliveryOutcome::Failed { .. }), "the next try would be past 24 hours");
        // Tries over a day: the sum of the pauses reaches 24 hours after about 29 tries.
        let mut at = created;
        let mut tries = 0;
        while let DeliveryOutcome::Retry { next_at, .. } = after_failure(tries, created, at, None, String::new()) {
            at = next_at;
            tries += 1;
        }
        assert!((25..=30).contains(&tries), "{tries} tries");
        assert!(at - created <= RETRY_FOR_MS);
    }
}
