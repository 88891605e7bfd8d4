//! The query strings of the recruiter pages: the candidate list's filter
//! and order, the comparison's chosen ids, and names to show.

use crate::recruit::model::{CandidateQuery, CandidateStatus, SortKey, Validity, MAX_COMPARE};

/// Percent-encodes a query-string value (RFC 3986 unreserved characters stay as they are).
pub fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The candidate list's query string for `query` (empty fields left out).
pub fn list_query_string(query: &CandidateQuery) -> String {
    let mut parts = Vec::new();
    if let Some(s) = query.status {
        parts.push(format!("status={}", s.as_str()));
    }
    if let Some(v) = query.validity {
        parts.push(format!("validity={}", v.as_str()));
    }
    if let Some(q) = query.search.as_deref().filter(|q| !q.is_empty()) {
        parts.push(format!("q={}", query_escape(q)));
    }
    parts.push(format!("sort={}", query.sort.as_str()));
    if query.descending {
        parts.push("desc=1".to_string());
    }
    parts.join("&")
}

/// The query of a column header's link: the same filters, sorted by `key`;
/// a second click on the current column reverses the order.
pub fn sort_link_query(query: &CandidateQuery, key: SortKey) -> CandidateQuery {
    let descending = if query.sort == key { !query.descending } else { false };
    CandidateQuery { sort: key, descending, ..query.clone() }
}

/// Reads the list's filter and order from query-string values (unknown values are ignored).
pub fn parse_candidate_query(status: Option<&str>, validity: Option<&str>, q: Option<&str>, sort: Option<&str>, desc: Option<&str>, after: Option<&str>) -> CandidateQuery {
    CandidateQuery {
        after: after.map(str::trim).filter(|a| !a.is_empty() && a.len() <= 64).map(str::to_string),
        status: status.and_then(CandidateStatus::parse),
        validity: validity.and_then(Validity::parse),
        search: q.map(str::trim).filter(|q| !q.is_empty()).map(|q| q.chars().take(200).collect()),
        sort: sort.and_then(SortKey::parse).unwrap_or_default(),
        descending: desc == Some("1"),
    }
}

/// The ids to compare, in order, without repeats or empty values.
pub fn compare_ids(values: Vec<String>) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for v in values {
        let v = v.trim().to_string();
        if !v.is_empty() && !ids.contains(&v) {
            ids.push(v);
        }
    }
    ids
}

/// Why a comparison cannot be shown, or `None` when 2 to `MAX_COMPARE` candidates were chosen.
pub fn compare_count_problem(count: usize) -> Option<String> {
    if count < 2 {
        Some(format!("Choose at least 2 candidates to compare (you chose {count})."))
    } else if count > MAX_COMPARE {
        Some(format!("Choose at most {MAX_COMPARE} candidates to compare (you chose {count})."))
    } else {
        None
    }
}

/// A name to show: the name, else the e-mail address, else a neutral placeholder.
pub fn display_name(name: &str, email: &str) -> String {
    if !name.trim().is_empty() {
        name.to_string()
    } else if !email.trim().is_empty() {
        email.to_string()
    } else {
        "Unnamed candidate".to_string()
    }
}

pub(super) fn profile_href(campaign_id: &str, invitation_id: &str) -> String {
    format!("/campaigns/{campaign_id}/candidates/{invitation_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_query_reads_known_values_and_ignores_the_rest() {
        let q = parse_candidate_query(Some("completed"), Some("caution"), Some("  ada  "), Some("name"), Some("1"), Some("inv-7"));
        assert_eq!(q.status, Some(CandidateStatus::Completed));
        assert_eq!(q.validity, Some(Validity::Caution));
        assert_eq!(q.search.as_deref(), Some("ada"));
        assert_eq!(q.sort, SortKey::Name);
        assert!(q.descending);
        assert_eq!(q.after.as_deref(), Some("inv-7"));
        let q = parse_candidate_query(Some(""), Some("bogus"), Some("   "), Some("salary"), Some("yes"), Some(""));
        assert_eq!(q, CandidateQuery::default());
    }

    #[test]
    fn the_list_query_round_trips_through_its_query_string() {
        let q = CandidateQuery { status: Some(CandidateStatus::Invited), validity: None, search: Some("Zoë & co".into()), sort: SortKey::Decision, descending: true, after: Some("inv-7".into()) };
        // The cursor is left out: a new filter or order starts at the first page.
        assert_eq!(list_query_string(&q), "status=invited&q=Zo%C3%AB%20%26%20co&sort=decision&desc=1");
    }

    #[test]
    fn a_header_link_reverses_its_own_column_and_starts_others_ascending() {
        let q = CandidateQuery { sort: SortKey::Name, descending: false, ..CandidateQuery::default() };
        assert!(sort_link_query(&q, SortKey::Name).descending);
        let q = CandidateQuery { sort: SortKey::Name, descending: true, ..CandidateQuery::default() };
        assert!(!sort_link_query(&q, SortKey::Name).descending);
        assert_eq!(sort_link_query(&q, SortKey::Status), CandidateQuery { sort: SortKey::Status, descending: false, ..q.clone() });
    }

    #[test]
    fn between_two_and_five_distinct_candidates_can_be_compared() {
        let ids = compare_ids(vec!["a".into(), " b ".into(), "a".into(), "".into()]);
        assert_eq!(ids, vec!["a".to_string(), "b".to_string()]);
        assert!(compare_count_problem(0).is_some());
        assert!(compare_count_problem(1).is_some());
        assert!(compare_count_problem(2).is_none());
        assert!(compare_count_problem(MAX_COMPARE).is_none());
        assert!(compare_count_problem(MAX_COMPARE + 1).is_some());
    }

    #[test]
    fn a_person_without_a_name_is_shown_by_address_or_neutrally() {
        assert_eq!(display_name("Ada", "ada@example.test"), "Ada");
        assert_eq!(display_name(" ", "ada@example.test"), "ada@example.test");
        assert_eq!(display_name("", ""), "Unnamed candidate");
    }
}
