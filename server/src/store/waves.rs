//! Workforce survey waves as rows, kept so that no answer can be tied to
//! an employee: participation (who holds which link, whether they have
//! answered) lives in `wave_links` and is deleted at the close; answers in
//! progress belong to the link; sent answers carry no link, no person and
//! no time finer than the day, wait in `wave_inbox`, and are released into
//! `wave_responses` in shuffled batches of at least [`RELEASE_BATCH`] (and
//! all at the close), each release a transaction of its own, so neither
//! their order nor the transaction that wrote them points to a link.

use rand::seq::SliceRandom;

use super::{audit::audit_in, new_id, recruiting::insert_message, Actor, AuditEntry, OutboxDraft, Store, StoreResult};

/// Sent answers are released into the results in batches of at least this many.
pub const RELEASE_BATCH: i64 = 5;

/// A wave to create.
#[derive(Debug, Clone)]
pub struct NewWave<'a> {
    pub id: &'a str,
    pub org_id: &'a str,
    pub name: &'a str,
    pub instrument: &'a str,
    pub version: &'a str,
    /// JSON: the covered unit ids.
    pub units: &'a str,
    /// JSON: invited employees per unit id.
    pub invited: &'a str,
    pub created_by: &'a str,
    pub closes_at: i64,
    /// When to remind those who have not answered (once), if at all.
    pub remind_at: Option<i64>,
    /// The address links start with (for the reminder).
    pub link_base: &'a str,
    /// JSON: the languages offered, the first the e-mails'.
    pub languages: &'a str,
}

/// One employee's link (its hash) and the groups their answers count in.
#[derive(Debug, Clone)]
pub struct NewWaveLink {
    pub token_hash: String,
    pub employee_id: String,
    pub unit_id: String,
    pub location: Option<String>,
    pub tenure_band: Option<String>,
    pub message: OutboxDraft,
}

/// A wave as lists and results need it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WaveRow {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub instrument: String,
    pub version: String,
    pub units: String,
    pub invited: String,
    pub status: String,
    pub created_at: i64,
    pub closes_at: i64,
    pub closed_at: Option<i64>,
    pub remind_at: Option<i64>,
    pub reminded_at: Option<i64>,
    pub link_base: Option<String>,
    pub languages: Option<String>,
    /// When the answers were deleted (the kept results stay).
    pub answers_deleted_at: Option<i64>,
}

const WAVE_COLUMNS: &str = "id, org_id, name, instrument, version, units, invited, status, created_at, closes_at, closed_at, remind_at, reminded_at, link_base, languages, answers_deleted_at";

/// A closed wave with its kept results (JSON).
#[derive(sqlx::FromRow)]
struct KeptRow {
    #[sqlx(flatten)]
    wave: WaveRow,
    results: String,
}

/// An employee who has not answered yet: their link (its hash) and address.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UnansweredLink {
    pub token_hash: String,
    pub email: String,
    pub name: String,
}

/// A new link for an employee who has not answered, and its e-mail.
#[derive(Debug, Clone)]
pub struct ReissuedLink {
    pub old_hash: String,
    pub new_hash: String,
    pub message: OutboxDraft,
}

/// A link as the survey page needs it (with its wave).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WaveLinkRow {
    pub token_hash: String,
    pub org_id: String,
    pub wave_id: String,
    pub instrument: String,
    pub version: String,
    pub wave_status: String,
    pub closes_at: i64,
    pub answered: i64,
    /// JSON: the wave's languages (NULL: made before waves had them).
    pub languages: Option<String>,
}

/// One released response: its groups and its answers (JSON item → value).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WaveResponseRow {
    pub unit_id: String,
    pub location: Option<String>,
    pub tenure_band: Option<String>,
    pub answers: String,
}

impl Store {
    /// Creates a wave, its links and their e-mails in the outbox, all or nothing (audited).
    pub async fn create_wave(&self, wave: &NewWave<'_>, links: &[NewWaveLink], now: i64) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(&format!("INSERT INTO survey_waves ({WAVE_COLUMNS}, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, NULL, $10, NULL, $11, $12, NULL, $13)"))
            .bind(wave.id)
            .bind(wave.org_id)
            .bind(wave.name)
            .bind(wave.instrument)
            .bind(wave.version)
            .bind(wave.units)
            .bind(wave.invited)
            .bind(now)
            .bind(wave.closes_at)
            .bind(wave.remind_at)
            .bind(wave.link_base)
            .bind(wave.languages)
            .bind(wave.created_by)
            .execute(&mut *tx)
            .await?;
        for l in links {
            sqlx::query("INSERT INTO wave_links (token_hash, org_id, wave_id, employee_id, unit_id, location, tenure_band, answered) VALUES ($1, $2, $3, $4, $5, $6, $7, 0)")
                .bind(&l.token_hash)
                .bind(wave.org_id)
                .bind(wave.id)
                .bind(&l.employee_id)
                .bind(&l.unit_id)
                .bind(l.location.as_deref())
                .bind(l.tenure_band.as_deref())
                .execute(&mut *tx)
                .await?;
            insert_message(&mut tx, wave.org_id, None, &l.message, now).await?;
        }
        let detail = serde_json::json!({ "name": wave.name, "instrument": format!("{}@{}", wave.instrument, wave.version), "invited": links.len() }).to_string();
        audit_in(&mut tx, &AuditEntry { org_id: Some(wave.org_id), actor: Actor::User(wave.created_by), action: "wave.created", object_type: "wave", object_id: Some(wave.id), detail: Some(detail) }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisation's waves, newest first.
    pub async fn waves_of(&self, org_id: &str) -> StoreResult<Vec<WaveRow>> {
        Ok(sqlx::query_as(&format!("SELECT {WAVE_COLUMNS} FROM survey_waves WHERE org_id = $1 ORDER BY created_at DESC, id")).bind(org_id).fetch_all(&self.read).await?)
    }

    /// One wave of the organisation.
    pub async fn wave(&self, org_id: &str, id: &str) -> StoreResult<Option<WaveRow>> {
        Ok(sqlx::query_as(&format!("SELECT {WAVE_COLUMNS} FROM survey_waves WHERE org_id = $1 AND id = $2")).bind(org_id).bind(id).fetch_optional(&self.read).await?)
    }

    /// The link with this hash and its wave.
    pub async fn wave_link(&self, token_hash: &str) -> StoreResult<Option<WaveLinkRow>> {
        Ok(sqlx::query_as(
            "SELECT l.token_hash, l.org_id, l.wave_id, w.instrument, w.version, w.status AS wave_status, w.closes_at, l.answered, w.languages \
             FROM wave_links l JOIN survey_waves w ON w.id = l.wave_id AND w.org_id = l.org_id WHERE l.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await?)
    }

    /// The answers in progress of a link.
    pub async fn wave_drafts(&self, token_hash: &str) -> StoreResult<Vec<(String, String)>> {
        Ok(sqlx::query_as("SELECT item_id, value FROM wave_drafts WHERE token_hash = $1 ORDER BY item_id").bind(token_hash).fetch_all(&self.write).await?)
    }

    /// Keeps answers in progress (an empty value removes the answer: a
    /// skipped item), while the link has not sent and its wave is open.
    /// One statement per answer, each checking the link itself (no
    /// transaction around them: an autosave is one answer, and answers are
    /// independent), so a save costs what one row costs.
    pub async fn save_wave_drafts(&self, token_hash: &str, answers: &[(String, String)], now: i64) -> StoreResult<bool> {
        const OPEN: &str = "EXISTS (SELECT 1 FROM wave_links l JOIN survey_waves w ON w.id = l.wave_id WHERE l.token_hash = $1 AND l.answered = 0 AND w.status = 'open' AND w.closes_at > $2)";
        let mut kept = true;
        for (item, value) in answers {
            let done = if value.is_empty() {
                sqlx::query(&format!("DELETE FROM wave_drafts WHERE token_hash = $1 AND item_id = $3 AND {OPEN}")).bind(token_hash).bind(now).bind(item).execute(&self.write).await?;
                true
            } else {
                sqlx::query(&format!(
                    "INSERT INTO wave_drafts (token_hash, item_id, value) SELECT $1, $3, $4 WHERE {OPEN} ON CONFLICT (token_hash, item_id) DO UPDATE SET value = excluded.value"
                ))
                .bind(token_hash)
                .bind(now)
                .bind(item)
                .bind(value)
                .execute(&self.write)
                .await?
                .rows_affected()
                    == 1
            };
            kept &= done;
        }
        if answers.is_empty() {
            return Ok(sqlx::query_scalar::<_, i64>(&format!("SELECT CASE WHEN {OPEN} THEN 1 ELSE 0 END")).bind(token_hash).bind(now).fetch_one(&self.write).await? == 1);
        }
        Ok(kept)
    }

    /// Sends a link's answers (JSON, from its drafts): the link is marked as
    /// answered and its drafts go; the answers wait in the inbox with the
    /// link's groups and the day. `false` when it has sent already or the
    /// wave is closed. Then releases the inbox if it holds a batch.
    pub async fn send_wave_answers(&self, token_hash: &str, answers: &str, day: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let link: Option<(String, String, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT l.org_id, l.wave_id, l.unit_id, l.location, l.tenure_band FROM wave_links l JOIN survey_waves w ON w.id = l.wave_id \
             WHERE l.token_hash = $1 AND l.answered = 0 AND w.status = 'open' AND w.closes_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((org_id, wave_id, unit_id, location, tenure_band)) = link else {
            return Ok(false);
        };
        let marked = sqlx::query("UPDATE wave_links SET answered = 1 WHERE token_hash = $1 AND answered = 0").bind(token_hash).execute(&mut *tx).await?.rows_affected();
        if marked != 1 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM wave_drafts WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO wave_inbox (id, org_id, wave_id, unit_id, location, tenure_band, sent_on, answers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(new_id())
            .bind(&org_id)
            .bind(&wave_id)
            .bind(&unit_id)
            .bind(location.as_deref())
            .bind(tenure_band.as_deref())
            .bind(day)
            .bind(answers)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.release_wave_inbox(&wave_id, RELEASE_BATCH).await?;
        Ok(true)
    }

    /// Moves a wave's inbox into its responses in shuffled order, in a
    /// transaction of its own, when it holds at least `at_least`; how many moved.
    pub async fn release_wave_inbox(&self, wave_id: &str, at_least: i64) -> StoreResult<usize> {
        let mut tx = self.write.begin().await?;
        let released = release_in(&mut tx, wave_id, at_least).await?;
        tx.commit().await?;
        Ok(released)
    }

    /// Closes a wave (audited): the inbox is released whatever its size,
    /// and participation (links, answers in progress) is deleted.
    pub async fn close_wave(&self, org_id: &str, id: &str, by: Actor<'_>, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let closed = sqlx::query("UPDATE survey_waves SET status = 'closed', closed_at = $1 WHERE org_id = $2 AND id = $3 AND status = 'open'")
            .bind(now)
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if closed == 1 {
            release_in(&mut tx, id, 0).await?;
            sqlx::query("DELETE FROM wave_drafts WHERE token_hash IN (SELECT token_hash FROM wave_links WHERE wave_id = $1)").bind(id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM wave_links WHERE org_id = $1 AND wave_id = $2").bind(org_id).bind(id).execute(&mut *tx).await?;
            audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: by, action: "wave.closed", object_type: "wave", object_id: Some(id), detail: None }, now).await?;
        }
        tx.commit().await?;
        Ok(closed == 1)
    }

    /// Open waves whose last day has passed: (organisation, wave).
    pub async fn waves_past_closing(&self, now: i64) -> StoreResult<Vec<(String, String)>> {
        Ok(sqlx::query_as("SELECT org_id, id FROM survey_waves WHERE status = 'open' AND closes_at <= $1 ORDER BY closes_at").bind(now).fetch_all(&self.read).await?)
    }

    /// A wave's released responses (never the inbox).
    pub async fn wave_responses(&self, org_id: &str, wave_id: &str) -> StoreResult<Vec<WaveResponseRow>> {
        Ok(sqlx::query_as("SELECT unit_id, location, tenure_band, answers FROM wave_responses WHERE org_id = $1 AND wave_id = $2 ORDER BY id").bind(org_id).bind(wave_id).fetch_all(&self.read).await?)
    }

    /// Keeps a closed wave's suppressed results (JSON), once.
    pub async fn keep_wave_results(&self, org_id: &str, wave_id: &str, results: &str) -> StoreResult<bool> {
        Ok(sqlx::query("UPDATE survey_waves SET results = $1 WHERE org_id = $2 AND id = $3 AND status = 'closed' AND results IS NULL")
            .bind(results)
            .bind(org_id)
            .bind(wave_id)
            .execute(&self.write)
            .await?
            .rows_affected()
            == 1)
    }

    /// A wave's kept results (JSON), once it has closed.
    pub async fn wave_results(&self, org_id: &str, wave_id: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT results FROM survey_waves WHERE org_id = $1 AND id = $2").bind(org_id).bind(wave_id).fetch_optional(&self.read).await?.flatten())
    }

    /// Closed waves whose results are not kept yet: (organisation, wave).
    pub async fn waves_without_results(&self) -> StoreResult<Vec<(String, String)>> {
        Ok(sqlx::query_as("SELECT org_id, id FROM survey_waves WHERE status = 'closed' AND results IS NULL ORDER BY closed_at").fetch_all(&self.read).await?)
    }

    /// The organisation's closed waves of an instrument with kept results, oldest first: (wave, results JSON).
    pub async fn kept_results_of(&self, org_id: &str, instrument: &str) -> StoreResult<Vec<(WaveRow, String)>> {
        let rows: Vec<KeptRow> = sqlx::query_as(&format!(
            "SELECT {WAVE_COLUMNS}, results FROM survey_waves WHERE org_id = $1 AND instrument = $2 AND status = 'closed' AND results IS NOT NULL ORDER BY closed_at, id"
        ))
        .bind(org_id)
        .bind(instrument)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(|r| (r.wave, r.results)).collect())
    }

    /// Open waves whose reminder is due: (organisation, wave).
    pub async fn waves_due_reminder(&self, now: i64) -> StoreResult<Vec<(String, String)>> {
        Ok(sqlx::query_as("SELECT org_id, id FROM survey_waves WHERE status = 'open' AND remind_at IS NOT NULL AND remind_at <= $1 AND reminded_at IS NULL AND closes_at > $1 ORDER BY remind_at")
            .bind(now)
            .fetch_all(&self.read)
            .await?)
    }

    /// The links of a wave not answered yet, with the employee's address (participation, while open).
    pub async fn unanswered_links(&self, org_id: &str, wave_id: &str) -> StoreResult<Vec<UnansweredLink>> {
        Ok(sqlx::query_as(
            "SELECT l.token_hash, e.email, e.name FROM wave_links l JOIN employees e ON e.id = l.employee_id AND e.org_id = l.org_id \
             WHERE l.org_id = $1 AND l.wave_id = $2 AND l.answered = 0 ORDER BY e.email",
        )
        .bind(org_id)
        .bind(wave_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// Reminds: each unanswered link is replaced by a new one (its answers in
    /// progress move with it) and its e-mail goes to the outbox; the wave is
    /// marked as reminded; all or nothing (audited). `false` when the wave
    /// is no longer open.
    pub async fn remind_wave(&self, org_id: &str, wave_id: &str, links: &[ReissuedLink], by: Actor<'_>, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let open = sqlx::query("UPDATE survey_waves SET reminded_at = $1 WHERE org_id = $2 AND id = $3 AND status = 'open'").bind(now).bind(org_id).bind(wave_id).execute(&mut *tx).await?.rows_affected();
        if open != 1 {
            return Ok(false);
        }
        let mut sent = 0;
        for l in links {
            let copied = sqlx::query(
                "INSERT INTO wave_links (token_hash, org_id, wave_id, employee_id, unit_id, location, tenure_band, answered) \
                 SELECT $1, org_id, wave_id, employee_id, unit_id, location, tenure_band, answered FROM wave_links WHERE token_hash = $2 AND org_id = $3 AND wave_id = $4 AND answered = 0",
            )
            .bind(&l.new_hash)
            .bind(&l.old_hash)
            .bind(org_id)
            .bind(wave_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if copied == 0 {
                continue; // answered meanwhile
            }
            sqlx::query("UPDATE wave_drafts SET token_hash = $1 WHERE token_hash = $2").bind(&l.new_hash).bind(&l.old_hash).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM wave_links WHERE token_hash = $1").bind(&l.old_hash).execute(&mut *tx).await?;
            insert_message(&mut tx, org_id, None, &l.message, now).await?;
            sent += 1;
        }
        let detail = serde_json::json!({ "reminded": sent }).to_string();
        audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: by, action: "wave.reminded", object_type: "wave", object_id: Some(wave_id), detail: Some(detail) }, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes the answers of closed waves whose results are kept, once the
    /// organisation's retention has passed since the close; how many waves.
    pub async fn delete_wave_answers_past_retention(&self, now: i64) -> StoreResult<u64> {
        let due: Vec<(String, String)> = sqlx::query_as(
            "SELECT w.org_id, w.id FROM survey_waves w LEFT JOIN workforce_settings s ON s.org_id = w.org_id \
             WHERE w.status = 'closed' AND w.results IS NOT NULL AND w.answers_deleted_at IS NULL \
             AND w.closed_at + CAST(COALESCE(s.retention_days, 365) AS BIGINT) * 86400000 <= $1",
        )
        .bind(now)
        .fetch_all(&self.read)
        .await?;
        let mut done = 0;
        for (org_id, wave_id) in due {
            let mut tx = self.write.begin().await?;
            sqlx::query("DELETE FROM wave_responses WHERE org_id = $1 AND wave_id = $2").bind(&org_id).bind(&wave_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE survey_waves SET answers_deleted_at = $1 WHERE org_id = $2 AND id = $3").bind(now).bind(&org_id).bind(&wave_id).execute(&mut *tx).await?;
            audit_in(&mut tx, &AuditEntry { org_id: Some(&org_id), actor: Actor::System, action: "wave.answers_deleted", object_type: "wave", object_id: Some(&wave_id), detail: None }, now).await?;
            tx.commit().await?;
            done += 1;
        }
        Ok(done)
    }

    /// Whether an employee holds a link of an open wave they have not answered (their own data, while the wave is open): (wave name, answered).
    pub async fn participation_of(&self, org_id: &str, employee_id: &str) -> StoreResult<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT w.name, l.answered FROM wave_links l JOIN survey_waves w ON w.id = l.wave_id WHERE l.org_id = $1 AND l.employee_id = $2 ORDER BY w.created_at",
        )
        .bind(org_id)
        .bind(employee_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// Adds released responses directly, without links: (unit id, answers
    /// JSON) sent on `day`. For demonstration data and benchmarks only; real
    /// answers arrive through [`Store::send_wave_answers`].
    pub async fn insert_wave_responses(&self, org_id: &str, wave_id: &str, rows: &[(String, String)], day: &str) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        for (unit_id, answers) in rows {
            sqlx::query("INSERT INTO wave_responses (id, org_id, wave_id, unit_id, location, tenure_band, sent_on, answers) VALUES ($1, $2, $3, $4, NULL, NULL, $5, $6)")
                .bind(new_id())
                .bind(org_id)
                .bind(wave_id)
                .bind(unit_id)
                .bind(day)
                .bind(answers)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Per unit: links given and links answered (participation, while the wave is open).
    pub async fn wave_participation(&self, org_id: &str, wave_id: &str) -> StoreResult<Vec<(String, i64, i64)>> {
        Ok(sqlx::query_as("SELECT unit_id, COUNT(*), CAST(SUM(answered) AS BIGINT) FROM wave_links WHERE org_id = $1 AND wave_id = $2 GROUP BY unit_id ORDER BY unit_id")
            .bind(org_id)
            .bind(wave_id)
            .fetch_all(&self.read)
            .await?)
    }
}

/// Moves the inbox of a wave into its responses, shuffled, when it holds at least `at_least`.
async fn release_in(conn: &mut sqlx::AnyConnection, wave_id: &str, at_least: i64) -> StoreResult<usize> {
    let mut waiting: Vec<(String, String, String, Option<String>, Option<String>, String, String)> =
        sqlx::query_as("SELECT id, org_id, unit_id, location, tenure_band, sent_on, answers FROM wave_inbox WHERE wave_id = $1").bind(wave_id).fetch_all(&mut *conn).await?;
    if waiting.is_empty() || (waiting.len() as i64) < at_least {
        return Ok(0);
    }
    waiting.shuffle(&mut rand::rng());
    for (id, org_id, unit_id, location, tenure_band, sent_on, answers) in &waiting {
        sqlx::query("INSERT INTO wave_responses (id, org_id, wave_id, unit_id, location, tenure_band, sent_on, answers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(new_id())
            .bind(org_id)
            .bind(wave_id)
            .bind(unit_id)
            .bind(location.as_deref())
            .bind(tenure_band.as_deref())
            .bind(sent_on)
            .bind(answers)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM wave_inbox WHERE id = $1").bind(id).execute(&mut *conn).await?;
    }
    Ok(waiting.len())
}
