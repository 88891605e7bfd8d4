//! A completed session's answers to one bank as an analysis sheet: the
//! pseudonym and one record of the analysis layout (`responses.csv`, which
//! `vigil analyze` reads). Sheets are written when a session is finished;
//! [`backfill`] writes those of sessions finished before sheets were kept.
//! Item analysis and the psychologist's export read them back with
//! [`read`], by the same parser as `vigil analyze`.

use assessments::{
    bank::Bank,
    responses::{read_csv, write_csv, CsvLimits, RawAnswer, Responses},
};

use crate::{
    secrets::secret_hash,
    store::{NewScore, NewSheet, SheetRow, Store, StoreError, StoredAnswer},
};

/// The pseudonym of a session in everything a psychologist sees: `p-` and
/// 16 hex digits of the SHA-256 of the session id (the same session always
/// has the same pseudonym; nothing leads back to a name).
pub fn pseudonym(session_id: &str) -> String {
    let hash = secret_hash(session_id);
    format!("p-{}", hash.chars().filter(char::is_ascii_hexdigit).take(16).collect::<String>())
}

/// A session's stored answers to one bank, as the scorers read them (and as
/// sheets hold them). Stored answers were checked on the way in; any that
/// no longer fit are left out.
pub fn responses_of(bank: &Bank, respondent: &str, answers: &[StoredAnswer]) -> Responses {
    let mut responses = Responses::new(bank, respondent);
    for a in answers.iter().filter(|a| a.instrument == bank.id()) {
        if let Ok(raw) = RawAnswer::parse(bank, &a.item_id, &a.value) {
            if responses.set(bank, &a.item_id, &raw).is_ok() {
                if let Some(ms) = a.latency_ms.and_then(|ms| u32::try_from(ms).ok()) {
                    let _ = responses.set_latency(bank, &a.item_id, ms);
                }
            }
        }
    }
    responses
}

/// One answer sheet as a record of the analysis layout (the line
/// `write_csv` writes for it, without the header).
pub fn record_of(bank: &Bank, responses: &Responses) -> String {
    let csv = write_csv(bank, std::slice::from_ref(responses), true);
    csv.split_once('\n').map(|(_, row)| row.trim_end_matches('\n').to_string()).unwrap_or_default()
}

/// Where a sheet comes from, besides the answers.
#[derive(Debug, Clone, Copy)]
pub struct SheetSource<'a> {
    pub session_id: &'a str,
    pub campaign_id: &'a str,
    pub language: &'a str,
    pub adaptive: bool,
    pub validity_status: &'a str,
}

/// The sheet of one bank in a finished session; `None` for a bank reported
/// only for groups (never item by item) or one the session did not answer.
pub fn sheet(bank: &Bank, source: SheetSource<'_>, answers: &[StoredAnswer]) -> Option<NewSheet> {
    if !bank.reports_individuals() {
        return None;
    }
    let responses = responses_of(bank, &pseudonym(source.session_id), answers);
    if responses.answers().iter().all(Option::is_none) {
        return None;
    }
    let record = record_of(bank, &responses);
    Some(NewSheet {
        instrument: bank.id().to_string(),
        bank_version: bank.version().to_string(),
        campaign_id: source.campaign_id.to_string(),
        language: source.language.to_string(),
        adaptive: source.adaptive,
        validity_status: source.validity_status.to_string(),
        record,
    })
}

/// The validity status a sheet records for an instrument: that of its
/// classical score record ("" when there is none).
pub fn validity_of<'a>(scores: &'a [NewScore], instrument: &str) -> &'a str {
    scores.iter().find(|s| s.instrument == instrument && s.method == "ctt").map_or("", |s| s.validity_status)
}

/// The answer sheets of stored sheets, in their order.
pub fn read(bank: &Bank, rows: &[SheetRow]) -> Result<Vec<Responses>, String> {
    let records: Vec<&str> = rows.iter().map(|r| r.record.as_str()).collect();
    read_records(bank, &records, 1)
}

/// The answer sheets of stored records, in their order, parsed in up to
/// `threads` parts at once by the reader of `vigil analyze`.
pub fn read_records<R: AsRef<str> + Sync>(bank: &Bank, records: &[R], threads: usize) -> Result<Vec<Responses>, String> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let header = write_csv(bank, &[], true);
    let part = records.len().div_ceil(threads.max(1));
    let parse = |chunk: &[R]| {
        let mut text = String::with_capacity(header.len() + chunk.iter().map(|r| r.as_ref().len() + 1).sum::<usize>());
        text.push_str(&header);
        for record in chunk {
            text.push_str(record.as_ref());
            text.push('\n');
        }
        // Vigil's own rows: sized to what is there, not to an upload's limits.
        let limits = CsvLimits { max_bytes: text.len() as u64 + 1, max_rows: chunk.len() };
        read_csv(bank, &text, "analysis sheets", &limits).map_err(|e| e.to_string())
    };
    let parts: Vec<Result<Vec<Responses>, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = records.chunks(part).map(|chunk| scope.spawn(move || parse(chunk))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    let mut sheets = Vec::with_capacity(records.len());
    for p in parts {
        sheets.extend(p?);
    }
    Ok(sheets)
}

/// Writes the sheets of the organisation's sessions that finished before
/// sheets were kept, for every campaign with this bank version; returns
/// how many were written.
pub async fn backfill(store: &Store, bank: &Bank, org_id: &str, adaptive_bank: bool) -> Result<usize, StoreError> {
    if !bank.reports_individuals() {
        return Ok(0);
    }
    let mut written = 0;
    for campaign in store.campaigns_of(org_id).await? {
        if !crate::battery::uses(&campaign, bank.id(), bank.version()) {
            continue;
        }
        let missing = store.sessions_without_sheet(org_id, &campaign.id, bank.id()).await?;
        for chunk in missing.chunks(200) {
            let mut sheets = Vec::with_capacity(chunk.len());
            for (session_id, completed_at) in chunk {
                let answers = store.answers_of(session_id).await?;
                let language = store.session(org_id, session_id).await?.map(|s| s.language).unwrap_or_default();
                let validity = store.scores_of(org_id, session_id).await?.into_iter().find(|s| s.instrument == bank.id() && s.method == "ctt").map(|s| s.validity_status).unwrap_or_default();
                let source = SheetSource { session_id, campaign_id: &campaign.id, language: &language, adaptive: campaign.adaptive != 0 && adaptive_bank, validity_status: &validity };
                if let Some(s) = sheet(bank, source, &answers) {
                    sheets.push((session_id.clone(), *completed_at, s));
                }
            }
            written += sheets.len();
            store.insert_sheets(org_id, &sheets).await?;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use assessments::responses::{Answer, RawAnswer};

    #[test]
    fn records_read_back_as_written_in_order_whatever_the_threads() {
        let catalog = crate::catalog::Catalog::load(&crate::catalog::Catalog::shipped_dir()).expect("shipped banks");
        let bank = &catalog.get("sjs", "1.0.0").expect("sjs").bank;
        let sheets: Vec<Responses> = (0..7)
            .map(|n| {
                let mut r = Responses::new(bank, pseudonym(&format!("session-{n}")));
                let item = &bank.items()[n % bank.items().len()];
                let answer = match item.options.first() {
                    Some(option) => RawAnswer::Option(option.id.clone()),
                    None => RawAnswer::Value(1),
                };
                r.set(bank, &item.id, &answer).expect("valid");
                r.set_latency(bank, &item.id, 1000 + n as u32).expect("latency");
                r
            })
            .collect();
        let records: Vec<String> = sheets.iter().map(|s| record_of(bank, s)).collect();
        assert!(records.iter().all(|r| !r.contains('\n') && r.starts_with("p-")), "{records:?}");
        for threads in [1, 3, 16] {
            let back = read_records(bank, &records, threads).expect("readable");
            assert_eq!(back.len(), 7);
            for (b, s) in back.iter().zip(&sheets) {
                assert_eq!((&b.respondent, b.answers(), b.latencies()), (&s.respondent, s.answers(), s.latencies()), "{threads} threads");
            }
        }
        assert!(read_records(bank, &["p-1,not-an-option".to_string()], 1).is_err(), "a damaged record is an error, not a guess");
        assert!(matches!(sheets[0].answer(0), Some(Answer::Option(_)) | Some(Answer::Value(_))));
    }
}
