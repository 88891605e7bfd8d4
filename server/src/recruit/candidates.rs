//! A campaign's candidate list: filtered, sorted, each with the headline
//! of their scores (the T score and band per scale, never item-level data).

use std::{collections::HashMap, sync::Arc};

use app::recruit::model::{CandidateQuery, CandidateRow, CandidateStatus, Decision, Headline, ListPage, SortKey, Validity, LIST_PAGE};
use assessments::bank::ScaleKind;

use crate::{
    catalog::CatalogEntry,
    scoring::read::read_session,
    store::{Campaign, CampaignScoreRow, CandidateStateRow, Store},
    time::minute_utc,
};

use super::{
    access::{candidate_status, shown_name, RecruitResult},
    profile,
};

/// A row before its headline is filled in (parsing reports is the costly part).
pub(super) struct ListedCandidate {
    row: CandidateRow,
    invited_ms: i64,
    completed_ms: Option<i64>,
    session_id: Option<String>,
}

/// One page of the campaign's candidates from their rows: status,
/// validity, decision and headline bands, filtered and sorted; the page
/// after the query's cursor, [`LIST_PAGE`] long, and where it stands.
pub(super) async fn list_candidates(store: &Store, org_id: &str, campaign: &Campaign, battery: &[Arc<CatalogEntry>], rows: Vec<CandidateStateRow>, query: &CandidateQuery, now: i64) -> RecruitResult<(Vec<CandidateRow>, ListPage)> {
    let scores = scores_by_session(store, org_id, &campaign.id).await?;
    let decisions: HashMap<String, Decision> = store
        .campaign_decisions(org_id, &campaign.id)
        .await?
        .into_iter()
        .filter_map(|d| Decision::parse(&d.decision).map(|x| (d.invitation_id, x)))
        .collect(); // oldest first, so the newest wins
    let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase);
    let mut listed: Vec<ListedCandidate> = rows
        .into_iter()
        .map(|r| {
            let status = candidate_status(&r, now);
            let validity = r.session_id.as_ref().and_then(|s| scores.get(s)).and_then(|list| list.iter().filter_map(|s| Validity::parse(&s.validity_status)).max());
            ListedCandidate {
                row: CandidateRow {
                    invitation_id: r.invitation_id.clone(),
                    name: shown_name(&r),
                    email: r.email.clone().unwrap_or_default(),
                    language: r.language.clone(),
                    status,
                    invited_at: minute_utc(r.invited_at),
                    completed_at: r.completed_at.filter(|_| status == CandidateStatus::Completed).map(minute_utc),
                    headline: Vec::new(),
                    validity,
                    decision: decisions.get(&r.invitation_id).copied(),
                },
                invited_ms: r.invited_at,
                completed_ms: r.completed_at.filter(|_| status == CandidateStatus::Completed),
                session_id: r.session_id,
            }
        })
        .filter(|c| query.status.is_none_or(|s| c.row.status == s))
        .filter(|c| query.validity.is_none_or(|v| c.row.validity == Some(v)))
        .filter(|c| search.as_ref().is_none_or(|q| c.row.name.to_lowercase().contains(q) || c.row.email.contains(q)))
        .collect();
    sort_candidates(&mut listed, query.sort, query.descending);
    let (start, len) = page_of(listed.iter().map(|c| c.row.invitation_id.as_str()), query.after.as_deref());
    let total = listed.len();
    let next_after = (start + len < total).then(|| listed[start + len - 1].row.invitation_id.clone());
    let page = listed
        .into_iter()
        .skip(start)
        .take(len)
        .map(|mut c| {
            if let Some(list) = c.session_id.as_ref().and_then(|s| scores.get(s)) {
                c.row.headline = headline(battery, list);
            }
            c.row
        })
        .collect();
    Ok((page, ListPage { total: total as u32, from: start as u32 + 1, next_after }))
}

/// The page after the row `after` (a keyset cursor over the sorted list, so
/// rows that arrive meanwhile neither repeat nor push rows off the next
/// page); from the top when there is no cursor or its row is gone (for
/// example filtered out since). Returns (first index, length).
pub(super) fn page_of<'a>(ids: impl Iterator<Item = &'a str>, after: Option<&str>) -> (usize, usize) {
    let ids: Vec<&str> = ids.collect();
    let start = after.and_then(|a| ids.iter().position(|id| *id == a)).map_or(0, |p| p + 1);
    (start, ids.len().saturating_sub(start).min(LIST_PAGE))
}

/// The classical and IRT score records of each session of a campaign.
pub(super) type SessionScores = HashMap<String, Vec<CampaignScoreRow>>;

pub(super) async fn scores_by_session(store: &Store, org_id: &str, campaign_id: &str) -> RecruitResult<SessionScores> {
    let mut map: SessionScores = HashMap::new();
    for s in store.campaign_scores(org_id, campaign_id).await? {
        map.entry(s.session_id.clone()).or_default().push(s);
    }
    Ok(map)
}

/// Sorts by the key; ties by invitation time, so the order is stable. Missing
/// values (no completion yet, no decision) come last either way.
pub(super) fn sort_candidates(list: &mut [ListedCandidate], key: SortKey, descending: bool) {
    use std::cmp::Ordering;
    fn missing_last<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => if descending { b.cmp(&a) } else { a.cmp(&b) },
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    list.sort_by(|a, b| {
        let primary = match key {
            SortKey::Name => missing_last(Some(a.row.name.to_lowercase()), Some(b.row.name.to_lowercase()), descending),
            SortKey::Status => missing_last(Some(a.row.status), Some(b.row.status), descending),
            SortKey::Invited => missing_last(Some(a.invited_ms), Some(b.invited_ms), descending),
            SortKey::Completed => missing_last(a.completed_ms, b.completed_ms, descending),
            SortKey::Validity => missing_last(a.row.validity, b.row.validity, descending),
            SortKey::Decision => missing_last(a.row.decision, b.row.decision, descending),
        };
        primary.then(a.invited_ms.cmp(&b.invited_ms)).then_with(|| a.row.invitation_id.cmp(&b.row.invitation_id))
    });
}

/// The trait scales of the first normed instrument, as bands (each scale's
/// reported score: CTT or IRT by the one rule).
pub(super) fn headline(battery: &[Arc<CatalogEntry>], scores: &[CampaignScoreRow]) -> Vec<Headline> {
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
                    scale_name: scored.entry.bank.scale(&s.scale).map(|d| profile::english(&d.name)).unwrap_or_else(|| s.scale.clone()),
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

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("inv-{i}")).collect()
    }

    #[test]
    fn a_page_starts_after_its_cursor_and_is_at_most_a_page_long() {
        let list = ids(250);
        let of = |after: Option<&str>| page_of(list.iter().map(String::as_str), after);
        assert_eq!(of(None), (0, LIST_PAGE));
        assert_eq!(of(Some("inv-99")), (100, LIST_PAGE));
        assert_eq!(of(Some("inv-199")), (200, 50));
        assert_eq!(of(Some("inv-249")), (250, 0), "after the last row: an empty page");
        assert_eq!(of(Some("gone")), (0, LIST_PAGE), "a cursor whose row is gone starts at the top");
        assert_eq!(page_of(std::iter::empty(), None), (0, 0));
    }
}
