//! Group commit for answers.
//!
//! Answers are the one write that arrives thousands of times a second. Each
//! save, committed on its own, costs a transaction: on SQLite a WAL append of
//! every page it touched (and, every thousand pages, a checkpoint on the
//! writer's connection); on PostgreSQL a round trip and a commit. Here one
//! task owns the answer writes: it takes every save request waiting in its
//! queue, writes them together in one transaction, and only then
//! acknowledges each one. Under light load a batch is a single request and
//! nothing waits; under heavy load the batches grow, and the cost per answer
//! falls as the load rises.
//!
//! Rules kept from one-statement-per-answer saves:
//! - an answer is acknowledged only after its transaction committed (a
//!   killed server loses nothing it acknowledged);
//! - the answers of one request are stored together or not at all;
//! - answers to the same item are applied in the order they were queued, and
//!   the highest sequence number wins;
//! - one request that fails (say, a value the database refuses) does not fail
//!   the others batched with it: the batch is retried request by request.

use std::{
    collections::HashSet,
    sync::Arc,
    time::{Duration, Instant},
};

use sqlx::{AnyPool, Executor};
use tokio::sync::{mpsc, oneshot};

use super::{AnswerInput, StoreError, StoreResult};
use crate::config::DatabaseKind;
use crate::time::now_ms;

/// What saving an answer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerSaved {
    /// Stored (new, or newer than what was there).
    Stored,
    /// A retry or an older answer: nothing changed.
    Unchanged,
}

/// Requests the queue holds before senders wait (back-pressure).
const QUEUE_CAPACITY: usize = 4096;
/// A batch stops taking further requests at this many answers.
const MAX_BATCH_ANSWERS: usize = 512;
/// A batch slower than this to commit is worth a warning: every save in the
/// queue behind it waited as long.
const SLOW_BATCH: Duration = Duration::from_millis(100);
/// Rows per multi-row statement, largest first: a batch is cut into these
/// sizes so that only a few distinct statements are ever prepared.
const CHUNK_SIZES: [usize; 7] = [64, 32, 16, 8, 4, 2, 1];
/// Parameters per answer row in the statement.
const COLUMNS: usize = 8;

/// An answer owned by the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
struct QueuedAnswer {
    session_id: String,
    instrument: String,
    item_id: String,
    value: String,
    latency_ms: Option<i64>,
    client_seq: i64,
    answered_at: i64,
    answers_before: Option<i64>,
}

impl QueuedAnswer {
    fn of(a: &AnswerInput<'_>, answered_at: i64) -> Self {
        QueuedAnswer {
            session_id: a.session_id.to_string(),
            instrument: a.instrument.to_string(),
            item_id: a.item_id.to_string(),
            value: a.value.to_string(),
            latency_ms: a.latency_ms,
            client_seq: a.client_seq,
            answered_at,
            answers_before: a.answers_before,
        }
    }

    fn key(&self) -> (&str, &str, &str) {
        (&self.session_id, &self.instrument, &self.item_id)
    }
}

/// One save: its answers and where the outcome goes.
struct SaveRequest {
    answers: Vec<QueuedAnswer>,
    reply: oneshot::Sender<StoreResult<Vec<AnswerSaved>>>,
}

/// The handle the store keeps; cloning it shares the one writer task.
#[derive(Clone, Debug)]
pub(super) struct AnswerWriter {
    queue: mpsc::Sender<SaveRequest>,
}

impl AnswerWriter {
    /// Starts the writer task on the current Tokio runtime; it ends when the
    /// last handle is dropped.
    pub(super) fn start(pool: AnyPool, kind: DatabaseKind) -> AnswerWriter {
        let (queue, requests) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(write_batches(pool, Arc::new(Statements::for_database(kind)), requests));
        AnswerWriter { queue }
    }

    /// Queues the answers and waits until they are committed; one outcome
    /// per answer, in order.
    pub(super) async fn save(&self, answers: &[AnswerInput<'_>]) -> StoreResult<Vec<AnswerSaved>> {
        if answers.is_empty() {
            return Ok(Vec::new());
        }
        let answered_at = now_ms();
        let (reply, outcome) = oneshot::channel();
        let request = SaveRequest { answers: answers.iter().map(|a| QueuedAnswer::of(a, answered_at)).collect(), reply };
        self.queue.send(request).await.map_err(|_| StoreError::Unavailable("the answer writer has stopped".into()))?;
        outcome.await.map_err(|_| StoreError::Unavailable("the answer writer stopped before confirming the save".into()))?
    }
}

/// The writer task: one batch at a time, each as large as the queue allows.
/// Each batch runs as a task of its own, so that should one ever panic, its
/// requesters learn that their save was not confirmed and the writer goes on
/// with the next batch rather than stopping every save for good.
async fn write_batches(pool: AnyPool, statements: Arc<Statements>, mut requests: mpsc::Receiver<SaveRequest>) {
    while let Some(first) = requests.recv().await {
        let mut batch = vec![first];
        let mut answers = batch[0].answers.len();
        while answers < MAX_BATCH_ANSWERS {
            let Ok(next) = requests.try_recv() else { break };
            answers += next.answers.len();
            batch.push(next);
        }
        let (pool, statements) = (pool.clone(), Arc::clone(&statements));
        let started = Instant::now();
        if let Err(e) = tokio::spawn(async move { commit_batch(&pool, &statements, batch).await }).await {
            tracing::error!(error = %e, "an answer batch failed to complete; its saves were not confirmed");
        }
        let took = started.elapsed();
        if took >= SLOW_BATCH {
            tracing::warn!(batch_size = answers, took_ms = took.as_millis() as u64, "an answer batch was slow to commit; saves waited");
        }
    }
}

/// Writes a batch in one transaction and answers every request; if the
/// transaction fails, writes each request on its own so only the failing
/// ones learn of a failure.
async fn commit_batch(pool: &AnyPool, statements: &Statements, batch: Vec<SaveRequest>) {
    if batch.len() > 1 {
        let all: Vec<&QueuedAnswer> = batch.iter().flat_map(|r| &r.answers).collect();
        if let Ok(outcomes) = write_in_one_transaction(pool, statements, &all).await {
            let mut outcomes = outcomes.into_iter();
            for request in batch {
                let own: Vec<AnswerSaved> = outcomes.by_ref().take(request.answers.len()).collect();
                // The requester may have gone (a closed connection): nothing to tell.
                let _ = request.reply.send(Ok(own));
            }
            return;
        }
    }
    for request in batch {
        let own: Vec<&QueuedAnswer> = request.answers.iter().collect();
        let _ = request.reply.send(write_in_one_transaction(pool, statements, &own).await);
    }
}

/// Writes the answers in order, atomically; returns what happened to each.
async fn write_in_one_transaction(pool: &AnyPool, statements: &Statements, answers: &[&QueuedAnswer]) -> StoreResult<Vec<AnswerSaved>> {
    let chunks = independent_chunks(answers);
    // One statement is atomic by itself: no BEGIN/COMMIT round trips then.
    if let [only] = chunks.as_slice() {
        return upsert_rows(&mut *pool.acquire().await?, statements.upsert(only.len())?, only).await;
    }
    let mut tx = pool.begin().await?;
    let mut outcomes = Vec::with_capacity(answers.len());
    for chunk in &chunks {
        outcomes.extend(upsert_rows(&mut *tx, statements.upsert(chunk.len())?, chunk).await?);
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Cuts the answers, in order, into runs in which no answer depends on an
/// earlier one (a statement's rows all see the table as it was before it):
/// never the same item twice (one statement may not change a row twice), and
/// an answer judged on its instrument's count of answers (`answers_before`)
/// never after another answer to that instrument; then each run into
/// statement sizes from [`CHUNK_SIZES`].
fn independent_chunks<'a>(answers: &[&'a QueuedAnswer]) -> Vec<Vec<&'a QueuedAnswer>> {
    let mut runs: Vec<Vec<&QueuedAnswer>> = Vec::new();
    let (mut items, mut instruments) = (HashSet::new(), HashSet::new());
    for &a in answers {
        let instrument = (a.session_id.as_str(), a.instrument.as_str());
        let depends = items.contains(&a.key()) || (a.answers_before.is_some() && instruments.contains(&instrument));
        if runs.is_empty() || depends {
            items.clear();
            instruments.clear();
            runs.push(Vec::new());
        }
        items.insert(a.key());
        instruments.insert(instrument);
        if let Some(run) = runs.last_mut() {
            run.push(a);
        }
    }
    let mut chunks = Vec::new();
    for run in runs {
        let mut rest = run.as_slice();
        while !rest.is_empty() {
            let size = CHUNK_SIZES.iter().copied().find(|&s| s <= rest.len()).unwrap_or(1);
            let (chunk, tail) = rest.split_at(size);
            chunks.push(chunk.to_vec());
            rest = tail;
        }
    }
    chunks
}

/// Upserts up to 64 answers to distinct items with one statement; an answer
/// counts as stored when the statement returned its row.
async fn upsert_rows<'e, E>(executor: E, sql: &str, rows: &[&QueuedAnswer]) -> StoreResult<Vec<AnswerSaved>>
where
    E: Executor<'e, Database = sqlx::Any>,
{
    let mut query = sqlx::query_as::<_, (String, String, String)>(sql);
    for a in rows {
        query = query
            .bind(a.session_id.as_str())
            .bind(a.instrument.as_str())
            .bind(a.item_id.as_str())
            .bind(a.value.as_str())
            .bind(a.latency_ms)
            .bind(a.client_seq)
            .bind(a.answered_at)
            .bind(a.answers_before);
    }
    let returned = query.fetch_all(executor).await?;
    let changed: HashSet<(&str, &str, &str)> = returned.iter().map(|(s, i, t)| (s.as_str(), i.as_str(), t.as_str())).collect();
    Ok(rows.iter().map(|a| if changed.contains(&a.key()) { AnswerSaved::Stored } else { AnswerSaved::Unchanged }).collect())
}

/// The upsert statements, one per size in [`CHUNK_SIZES`].
struct Statements {
    by_size: Vec<(usize, String)>,
}

impl Statements {
    fn for_database(kind: DatabaseKind) -> Statements {
        Statements { by_size: CHUNK_SIZES.iter().map(|&rows| (rows, upsert_sql(rows, kind))).collect() }
    }

    fn upsert(&self, rows: usize) -> StoreResult<&str> {
        self.by_size
            .iter()
            .find(|(size, _)| *size == rows)
            .map(|(_, sql)| sql.as_str())
            .ok_or_else(|| StoreError::Corrupt(format!("no answer statement for {rows} rows")))
    }
}

/// The upsert for `rows` answers: each is inserted, or replaces the stored
/// one only with a higher sequence number, and only while its session is in
/// progress, within its deadline and its invitation not revoked (callers may
/// have checked these earlier, see `candidate_cache`); an answer that names
/// the number of answers its instrument must hold before it
/// (`answers_before`) is stored only then. `VALUES` columns are named
/// column1.. on both databases.
///
/// The checks are correlated `EXISTS` lookups by primary key, one per row.
/// On PostgreSQL each carries `OFFSET 0`, which keeps the planner from
/// turning them into joins: written as joins, a table whose statistics are
/// stale (a campaign's sessions all started within the last minute) got
/// nested-loop scans of whole tables, 100 ms per statement under load.
/// SQLite looks rows up by primary key either way (and refuses `OFFSET`
/// without `LIMIT`).
fn upsert_sql(rows: usize, kind: DatabaseKind) -> String {
    let fence = match kind {
        DatabaseKind::Postgres => " OFFSET 0",
        DatabaseKind::Sqlite => "",
    };
    let values = super::batch::value_rows(rows, COLUMNS);
    format!(
        "INSERT INTO answers (session_id, instrument, item_id, value, latency_ms, client_seq, revisions, answered_at) \
         SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, 1, v.column7 \
         FROM (VALUES {values}) AS v \
         WHERE EXISTS (SELECT 1 FROM assessment_sessions s \
           WHERE s.id = v.column1 AND s.status = 'in_progress' AND (s.deadline_at IS NULL OR s.deadline_at > v.column7) \
           AND EXISTS (SELECT 1 FROM invitations i WHERE i.id = s.invitation_id AND i.status = 'active'{fence}){fence}) \
         AND (v.column8 IS NULL OR v.column8 = (SELECT COUNT(*) FROM answers a WHERE a.session_id = v.column1 AND a.instrument = v.column2)) \
         ON CONFLICT (session_id, instrument, item_id) DO UPDATE SET \
           value = excluded.value, latency_ms = excluded.latency_ms, client_seq = excluded.client_seq, \
           revisions = answers.revisions + 1, answered_at = excluded.answered_at \
         WHERE excluded.client_seq > answers.client_seq \
         RETURNING session_id, instrument, item_id"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(session: &str, item: &str, seq: i64) -> QueuedAnswer {
        QueuedAnswer { session_id: session.into(), instrument: "svi".into(), item_id: item.into(), value: "3".into(), latency_ms: None, client_seq: seq, answered_at: 0, answers_before: None }
    }

    fn sizes(chunks: &[Vec<&QueuedAnswer>]) -> Vec<usize> {
        chunks.iter().map(Vec::len).collect()
    }

    #[test]
    fn a_batch_is_cut_into_the_few_prepared_statement_sizes() {
        let answers: Vec<QueuedAnswer> = (0..87).map(|i| answer("s", &format!("i{i}"), i)).collect();
        let refs: Vec<&QueuedAnswer> = answers.iter().collect();
        assert_eq!(sizes(&independent_chunks(&refs)), vec![64, 16, 4, 2, 1]);
    }

    #[test]
    fn the_same_item_twice_goes_into_separate_statements_in_order() {
        let answers = [answer("s", "a", 1), answer("s", "b", 2), answer("s", "a", 3), answer("t", "a", 4)];
        let refs: Vec<&QueuedAnswer> = answers.iter().collect();
        let chunks = independent_chunks(&refs);
        // [s/a s/b] then [s/a t/a]: the second s/a starts a new statement.
        assert_eq!(sizes(&chunks), vec![2, 2]);
        let order: Vec<i64> = chunks.iter().flatten().map(|a| a.client_seq).collect();
        assert_eq!(order, vec![1, 2, 3, 4]);
    }

    #[test]
    fn an_answer_judged_on_its_instruments_count_follows_that_instruments_answers_in_a_later_statement() {
        let judged = |session: &str, item: &str, seq| QueuedAnswer { answers_before: Some(1), ..answer(session, item, seq) };
        let answers = [answer("s", "a", 1), judged("t", "b", 2), judged("s", "c", 3), answer("s", "d", 4)];
        let refs: Vec<&QueuedAnswer> = answers.iter().collect();
        // s/c must see s/a stored; t/b is another session's and shares the first statement.
        assert_eq!(sizes(&independent_chunks(&refs)), vec![2, 2]);
    }

    #[test]
    fn every_statement_size_numbers_its_parameters_consecutively() {
        for kind in [DatabaseKind::Sqlite, DatabaseKind::Postgres] {
            let statements = Statements::for_database(kind);
            for size in CHUNK_SIZES {
                let sql = statements.upsert(size).expect("statement");
                assert!(sql.contains(&format!("${}", size * COLUMNS)), "size {size}");
                assert!(!sql.contains(&format!("${}", size * COLUMNS + 1)), "size {size}");
                assert_eq!(sql.contains("OFFSET 0"), kind == DatabaseKind::Postgres);
            }
            assert!(statements.upsert(3).is_err());
        }
    }
}
