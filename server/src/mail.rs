//! Sending the outbox by SMTP (lettre), when `vigil serve` is given an SMTP
//! server (`--smtp-url` / `VIGIL_SMTP_URL`). Without one, messages stay in
//! the outbox for staff to read and forward in the app (the demo works so).
//!
//! A recurring job ([`SendMail`]) sends queued messages every few seconds. A sent
//! message keeps its recipient and subject but not its body (the body holds
//! the candidate's personal link). A failure is recorded and retried up to
//! [`MAX_ATTEMPTS`] times. Logs name the message id, never its body or link.

use std::time::Duration;

use lettre::{
    message::{header::ContentType, Mailbox},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

use crate::store::{OutboxRow, Store, StoreError};

/// Tries per message before it stays failed (shown as such in the outbox).
pub const MAX_ATTEMPTS: i64 = 5;
/// Messages sent per pass.
pub const BATCH: i64 = 50;
/// How often the outbox is looked at.
pub const EVERY: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the SMTP address is not usable ({0}); use smtps://user:password@host:465 (TLS), smtp://user:password@host:587?tls=required (STARTTLS), or smtp://host:25 (unencrypted, only for a relay on the same machine)")]
    Url(String),
    #[error("the sender address {0:?} is not a valid mailbox; use e.g. \"Vigil <no-reply@example.org>\"")]
    From(String),
}

/// An SMTP connection and the sender's address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the SMTP password: never print it.
        write!(f, "Mailer(from {})", self.from)
    }
}

impl Mailer {
    /// `url` as lettre reads it: `smtps://` (TLS), `smtp://…?tls=required` (STARTTLS), plain `smtp://` (unencrypted).
    pub fn new(url: &str, from: &str) -> Result<Mailer, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Url(crate::config::redact(&e.to_string())))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|_| MailError::From(from.to_string()))?;
        Ok(Mailer { transport, from })
    }

    /// The e-mail for one outbox row; `None` when the recipient is not a valid address.
    fn message(&self, row: &OutboxRow) -> Option<Message> {
        let to = row.to_address.parse::<Mailbox>().ok()?;
        Message::builder().from(self.from.clone()).to(to).subject(row.subject.clone()).header(ContentType::TEXT_PLAIN).body(row.body.clone()).ok()
    }

    /// Sends what is waiting, oldest first; returns (sent, failed).
    pub async fn send_pending(&self, store: &Store) -> Result<(usize, usize), StoreError> {
        let (mut sent, mut failed) = (0, 0);
        for row in store.queued_messages(MAX_ATTEMPTS, BATCH).await? {
            let Some(message) = self.message(&row) else {
                store.mark_message_failed(&row.id, "the recipient's address is not valid", MAX_ATTEMPTS).await?;
                failed += 1;
                continue;
            };
            match self.transport.send(message).await {
                Ok(_) => {
                    store.mark_message_sent(&row.id, crate::time::now_ms()).await?;
                    tracing::info!(message = %row.id, kind = %row.kind, "e-mail sent");
                    sent += 1;
                }
                Err(e) => {
                    let reason = e.to_string();
                    tracing::warn!(message = %row.id, attempt = row.attempts + 1, error = %reason, "e-mail not sent; will retry");
                    store.mark_message_failed(&row.id, &reason, 1).await?;
                    failed += 1;
                }
            }
        }
        Ok((sent, failed))
    }
}

/// Sending what the outbox holds, as a recurring job (see `crate::jobs`):
/// one process sends at a time, so no message goes twice.
pub struct SendMail {
    pub store: Store,
    pub mailer: Mailer,
}

#[async_trait::async_trait]
impl crate::jobs::Handler for SendMail {
    async fn run(&self, _job: &crate::store::ClaimedJob) -> Result<serde_json::Value, crate::jobs::JobError> {
        let (sent, failed) = self.mailer.send_pending(&self.store).await?;
        Ok(serde_json::json!({ "sent": sent, "failed": failed }))
    }
}
