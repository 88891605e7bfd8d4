//! A campaign's candidate list: filtered, sorted, each with the headline
//! of their scores (the T score and band per scale, never item-level data).

use std::{collections::HashMap, sync::Arc};

use app::recruit::model::{CandidateQuery, CandidateRow, CandidateStatus, Decision, Headline, ListPage, SortKey, StatusCounts, Validity, LIST_PAGE};
use assessments::bank::ScaleKind;

use crate::{
    staff::Caller,
    catalog::CatalogEntry,
    scoring::read::read_session,
    store::{Campaign, CampaignScoreRow, CandidateListing, ListOrder, ListedRow, Store},
    time::minute_utc,
};

use super::{
    access::{candidate_status, count_of, shown_name, RecruitResult},
    profile,
};

/// One page of the campaign's candidates: filtered, sorted and paged by
/// the database after the query's cursor, [`LIST_PAGE`] long, and where it
/// stands; only the page's rows are read in full for their headlines.
pub(super) async fn list_candidates(store: &Store, caller: &Caller, campaign: &Campaign, battery: &[Arc<CatalogEntry>], query: &CandidateQuery, counts: &StatusCounts, now: i64) -> RecruitResult<(Vec<CandidateRow>, ListPage)> {
    let org_id = caller.org_id.as_str();
    let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase);
    // Only a status (or nothing) filters: the campaign's status counts say how many match.
    let known_total = (query.validity.is_none() && search.is_none()).then(|| i64::from(match query.status {
        None => counts.invited + counts.started + counts.completed + counts.expired + counts.revoked,
        Some(status) => count_of(counts, status),
    }));
    let listing = CandidateListing {
        status: query.status.map(CandidateStatus::as_str),
        validity: query.validity.map(Validity::as_str),
        search: search.as_deref(),
        order: list_order(query.sort),
        descending: query.descending,
        after: query.after.as_deref(),
        limit: LIST_PAGE as i64,
        now,
        known_total,
    };
    let page = store.candidate_page(org_id, &campaign.id, &listing).await?;
    let sessions: Vec<&str> = page.rows.iter().filter_map(|r| r.state.session_id.as_deref()).collect();
    let scores = by_session(store.sessions_scores(org_id, &sessions).await?);
    let next_after = (page.remaining > LIST_PAGE as i64).then(|| page.rows.last().map(|r| r.state.invitation_id.clone())).flatten();
    let from = page.total - page.remaining + 1;
    let rows = page.rows.into_iter().map(|r| listed_row(r, battery, &scores, now, &caller.language)).collect();
    Ok((rows, ListPage { total: page.total as u32, from: from as u32, next_after }))
}

/// The store's order for the list's sort key.
fn list_order(key: SortKey) -> ListOrder {
    match key {
        SortKey::Name => ListOrder::Name,
        SortKey::Status => ListOrder::Status,
        SortKey::Invited => ListOrder::Invited,
        SortKey::Completed => ListOrder::Completed,
        SortKey::Validity => ListOrder::Validity,
        SortKey::Decision => ListOrder::Decision,
    }
}

/// A listed candidate as the page shows them, with their headline.
fn listed_row(r: ListedRow, battery: &[Arc<CatalogEntry>], scores: &SessionScores, now: i64, lang: &str) -> CandidateRow {
    let status = CandidateStatus::parse(&r.status).unwrap_or_else(|| candidate_status(&r.state, now));
    let headline = r.state.session_id.as_ref().and_then(|s| scores.get(s)).map(|list| headline(battery, list, lang)).unwrap_or_default();
    CandidateRow {
        invitation_id: r.state.invitation_id.clone(),
        name: shown_name(&r.state),
        email: r.state.email.clone().unwrap_or_default(),
        language: r.state.language.clone(),
        status,
        invited_at: minute_utc(r.state.invited_at),
        completed_at: r.state.completed_at.filter(|_| status == CandidateStatus::Completed).map(minute_utc),
        headline,
        validity: r.validity.as_deref().and_then(Validity::parse),
        decision: r.decision.as_deref().and_then(Decision::parse),
    }
}

/// The classical and IRT score records of each session.
pub(super) type SessionScores = HashMap<String, Vec<CampaignScoreRow>>;

fn by_session(scores: Vec<CampaignScoreRow>) -> SessionScores {
    let mut map: SessionScores = HashMap::new();
    for s in scores {
        map.entry(s.session_id.clone()).or_default().push(s);
    }
    map
}

/// The trait scales of the first normed instrument, as bands (each scale's
/// reported score: CTT or IRT by the one rule).
pub(super) fn headline(battery: &[Arc<CatalogEntry>], scores: &[CampaignScoreRow], lang: &str) -> Vec<Headline> {
    let Ok(instruments) = read_session(battery, scores) else { return Vec::new() };
    for scored in &instruments {
        let lines: Vec<Headline> = scored
            .scales
            .iter()
            .filter(|s| s.kind == ScaleKind::Trait)
            .filter_map(|s| {
                let n = s.normed.as_ref()?;
                Some(Headline {
                    scale: s.scale.clone(),
                    scale_name: scored.entry.bank.scale(&s.scale).map(|d| profile::in_language(&d.name, lang)).unwrap_or_else(|| s.scale.clone()),
                    t: n.point.t,
                    t_band: n.band90.t,
                    band: n.label.into(),
                })
            })
            .collect();
        if !lines.is_empty() {
            return lines;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DECISION_ORDER, STATUS_ORDER, VALIDITY_ORDER};

    #[test]
    fn the_store_sorts_statuses_validity_and_decisions_in_the_order_the_pages_name_them() {
        assert_eq!(STATUS_ORDER.to_vec(), CandidateStatus::ALL.map(CandidateStatus::as_str).to_vec());
        assert_eq!(VALIDITY_ORDER.to_vec(), [Validity::Ok, Validity::Caution, Validity::Invalid].map(Validity::as_str).to_vec());
        assert_eq!(DECISION_ORDER.to_vec(), Decision::ALL.map(Decision::as_str).to_vec());
        let mut sorted = [Validity::Invalid, Validity::Ok, Validity::Caution];
        sorted.sort();
        assert_eq!(sorted, [Validity::Ok, Validity::Caution, Validity::Invalid], "the worst validity is the largest");
    }
}
