//! A campaign's candidate list in SQL: filtered, sorted and paged by the
//! database, so a page costs about the same at 100 candidates and at
//! 100,000. Each row carries its status, its worst response validity and
//! its newest decision, computed by the query.
//!
//! The status rule here mirrors `recruit::access::candidate_status` (used
//! for one candidate at a time); `tests/candidate_list.rs` checks that the
//! two agree in every state.

use super::{
    conditions::{bind_params, Conditions, Param},
    recruiting::CandidateStateRow,
    Store, StoreResult,
};

/// Candidate statuses in their sort order.
pub const STATUS_ORDER: [&str; 5] = ["invited", "started", "completed", "expired", "revoked"];
/// Response validity from best to worst (a candidate shows their worst).
pub const VALIDITY_ORDER: [&str; 3] = ["ok", "caution", "invalid"];
/// Decisions in their sort order.
pub const DECISION_ORDER: [&str; 3] = ["advance", "hold", "decline"];

/// What the list is sorted by (ties: invitation time, then id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    Name,
    Status,
    Invited,
    Completed,
    Validity,
    Decision,
}

impl ListOrder {
    /// The sort column of the derived table `l`; `None` sorts last either way.
    fn column(self) -> &'static str {
        match self {
            ListOrder::Name => "l.search_key",
            ListOrder::Status => "l.status_rank",
            ListOrder::Invited => "l.invited_at",
            ListOrder::Completed => "l.completed_key",
            ListOrder::Validity => "l.validity_rank",
            ListOrder::Decision => "l.decision_rank",
        }
    }
}

/// One page's request: filters (a status, a validity, a lower-case part of
/// the name or address), order, and the cursor (the previous page's last
/// invitation).
#[derive(Debug, Clone, Copy)]
pub struct CandidateListing<'a> {
    pub status: Option<&'a str>,
    pub validity: Option<&'a str>,
    pub search: Option<&'a str>,
    pub order: ListOrder,
    pub descending: bool,
    pub after: Option<&'a str>,
    pub limit: i64,
    pub now: i64,
    /// How many candidates match, when the caller knows it already (the
    /// status counts give it when no validity or name filter is set): the
    /// page then skips counting them again.
    pub known_total: Option<i64>,
}

/// A listed candidate: their state, with what the query worked out.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListedRow {
    #[sqlx(flatten)]
    pub state: CandidateStateRow,
    pub status: String,
    pub validity: Option<String>,
    pub decision: Option<String>,
}

/// A page and where it stands: the rows matching the filters in all, and
/// how many of them come after the cursor (the page included).
#[derive(Debug, Clone)]
pub struct CandidatePage {
    pub rows: Vec<ListedRow>,
    pub total: i64,
    pub remaining: i64,
}

/// A campaign's candidates: `$1` the organisation, `$2` the campaign.
const CAMPAIGN: &str = "i.org_id = $1 AND i.campaign_id = $2";

/// `CASE` mapping a text column to its place in `order` (0, 1, ...).
fn rank_of(column: &str, order: &[&str]) -> String {
    let arms: String = order.iter().enumerate().map(|(i, v)| format!(" WHEN '{v}' THEN {i}")).collect();
    format!("CASE {column}{arms} END")
}

/// `CASE` mapping a place back to its text.
fn text_of(column: &str, order: &[&str]) -> String {
    let arms: String = order.iter().enumerate().map(|(i, v)| format!(" WHEN {i} THEN '{v}'")).collect();
    format!("CASE {column}{arms} END")
}

/// The candidates `scope` selects, with status, validity and decision
/// worked out, as the derived table `l`; `now` names the parameter that
/// holds the time. Without the candidates' names: a page joins those for
/// its own rows only (a join over every row would cost most of the time).
fn listed_table(scope: &str, now: &str) -> String {
    let status = format!(
        "CASE WHEN s.status = 'completed' THEN 'completed' \
         WHEN i.status = 'revoked' THEN 'revoked' \
         WHEN s.status = 'expired' THEN 'expired' \
         WHEN s.id IS NOT NULL AND (i.expires_at <= {now} OR s.deadline_at <= {now}) THEN 'expired' \
         WHEN s.id IS NOT NULL THEN 'started' \
         WHEN i.expires_at <= {now} THEN 'expired' \
         ELSE 'invited' END"
    );
    let worst_validity = format!(
        "(SELECT MAX({}) FROM scores sc WHERE sc.org_id = i.org_id AND sc.session_id = s.id AND sc.method IN ('ctt', 'irt') AND sc.individual_report = 1)",
        rank_of("sc.validity_status", &VALIDITY_ORDER)
    );
    let newest_decision = "(SELECT d.decision FROM decisions d WHERE d.org_id = i.org_id AND d.invitation_id = i.id ORDER BY d.decided_at DESC, d.id DESC LIMIT 1)";
    let inner = format!(
        "SELECT i.id AS invitation_id, i.campaign_id, i.candidate_id, i.status AS invitation_status, i.expires_at, i.language, i.created_at AS invited_at, \
         s.id AS session_id, s.status AS session_status, s.deadline_at, s.completed_at, i.auto_reminded_at, i.external_id, i.search_key, \
         {status} AS status, {worst_validity} AS validity_rank, {newest_decision} AS decision \
         FROM invitations i LEFT JOIN assessment_sessions s ON s.org_id = i.org_id AND s.invitation_id = i.id WHERE {scope}"
    );
    format!(
        "(SELECT m.*, {} AS status_rank, {} AS validity, {} AS decision_rank, \
         CASE WHEN m.status = 'completed' THEN m.completed_at END AS completed_key FROM ({inner}) m) l",
        rank_of("m.status", &STATUS_ORDER),
        text_of("m.validity_rank", &VALIDITY_ORDER),
        rank_of("m.decision", &DECISION_ORDER),
    )
}

/// `%part%` for `LIKE ... ESCAPE '\'`, the part's own wildcards escaped.
fn contains_pattern(part: &str) -> String {
    let escaped: String = part.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
    format!("%{escaped}%")
}

/// The filters, after the three fixed parameters.
fn filters<'a>(q: &CandidateListing<'a>, pattern: Option<&'a str>) -> Conditions<'a> {
    let mut c = Conditions::new("1 = 1", 3);
    c.and_if("l.status = ?", q.status.map(Param::Text));
    c.and_if("l.validity = ?", q.validity.map(Param::Text));
    c.and_if("l.search_key LIKE ? ESCAPE '\\'", pattern.map(Param::Text));
    c
}

/// Where the cursor's row stands in the order: its sort key (absent: it
/// sorts last), its invitation time and its id.
struct Cursor {
    key: Option<KeyValue>,
    invited_at: i64,
    id: String,
}

enum KeyValue {
    Text(String),
    Int(i64),
}

/// Adds "comes after the cursor" in (key missing last, key, invited_at, id) order.
fn after_cursor<'a>(c: &mut Conditions<'a>, order: ListOrder, descending: bool, cursor: &'a Cursor) {
    let column = order.column();
    let tie = "(l.invited_at > ? OR (l.invited_at = ? AND l.invitation_id > ?))";
    let tie_params = [Param::Int(cursor.invited_at), Param::Int(cursor.invited_at), Param::Text(&cursor.id)];
    let Some(key) = &cursor.key else {
        c.and(&format!("{column} IS NULL AND {tie}"), tie_params);
        return;
    };
    let key = match key {
        KeyValue::Text(t) => Param::Text(t),
        KeyValue::Int(i) => Param::Int(*i),
    };
    let cmp = if descending { "<" } else { ">" };
    c.and(&format!("({column} IS NULL OR {column} {cmp} ? OR ({column} = ? AND {tie}))"), [key, key].into_iter().chain(tie_params));
}

/// `ORDER BY` for the list over the table `alias`: missing keys last, then
/// the key, then the ties.
fn order_by(order: ListOrder, descending: bool, alias: &str) -> String {
    let column = order.column().replacen("l.", &format!("{alias}."), 1);
    let direction = if descending { " DESC" } else { "" };
    let ties = format!("{alias}.invited_at, {alias}.invitation_id");
    match order {
        // Never missing: the plain order, which the invitation index can serve.
        ListOrder::Status | ListOrder::Invited => format!("{column}{direction}, {ties}"),
        _ => format!("CASE WHEN {column} IS NULL THEN 1 ELSE 0 END, {column}{direction}, {ties}"),
    }
}

impl Store {
    /// One page of a campaign's candidates, filtered and sorted by the
    /// database after a keyset cursor; a cursor whose row is gone (or no
    /// longer matches) starts from the top.
    pub async fn candidate_page(&self, org_id: &str, campaign_id: &str, q: &CandidateListing<'_>) -> StoreResult<CandidatePage> {
        let table = listed_table(CAMPAIGN, "$3");
        let pattern = q.search.map(contains_pattern);
        let matching = filters(q, pattern.as_deref());
        let count_sql = |c: &Conditions<'_>| format!("SELECT COUNT(*) FROM {table} WHERE {}", c.sql());
        let total_sql = count_sql(&matching);
        let total: i64 = match q.known_total {
            Some(total) => total,
            None => bind_params!(sqlx::query_scalar(&total_sql).bind(org_id).bind(campaign_id).bind(q.now), matching.params()).fetch_one(&self.read).await?,
        };
        let cursor = match q.after {
            Some(after) => self.cursor(org_id, campaign_id, q, &matching, &table, after).await?,
            None => None,
        };
        let mut page = matching;
        if let Some(cursor) = &cursor {
            after_cursor(&mut page, q.order, q.descending, cursor);
        }
        let remaining_sql = count_sql(&page);
        let remaining: i64 = match cursor {
            None => total,
            Some(_) => bind_params!(sqlx::query_scalar(&remaining_sql).bind(org_id).bind(campaign_id).bind(q.now), page.params()).fetch_one(&self.read).await?,
        };
        let sql = format!(
            "SELECT p.*, c.name, c.email, c.erased_at FROM (SELECT l.* FROM {table} WHERE {} ORDER BY {} LIMIT ${}) p \
             JOIN candidates c ON c.org_id = $1 AND c.id = p.candidate_id ORDER BY {}",
            page.sql(),
            order_by(q.order, q.descending, "l"),
            page.next_number(),
            order_by(q.order, q.descending, "p"),
        );
        let rows = bind_params!(sqlx::query_as(&sql).bind(org_id).bind(campaign_id).bind(q.now), page.params()).bind(q.limit).fetch_all(&self.read).await?;
        Ok(CandidatePage { rows, total, remaining })
    }

    /// The cursor row's place in the order, if it is still listed under the filters.
    async fn cursor(&self, org_id: &str, campaign_id: &str, q: &CandidateListing<'_>, matching: &Conditions<'_>, table: &str, after: &str) -> StoreResult<Option<Cursor>> {
        let sql = format!("SELECT {}, l.invited_at, l.invitation_id FROM {table} WHERE {} AND l.invitation_id = ${}", q.order.column(), matching.sql(), matching.next_number());
        let cursor = if q.order == ListOrder::Name {
            let row: Option<(Option<String>, i64, String)> =
                bind_params!(sqlx::query_as(&sql).bind(org_id).bind(campaign_id).bind(q.now), matching.params()).bind(after).fetch_optional(&self.read).await?;
            row.map(|(key, invited_at, id)| Cursor { key: key.map(KeyValue::Text), invited_at, id })
        } else {
            let row: Option<(Option<i64>, i64, String)> =
                bind_params!(sqlx::query_as(&sql).bind(org_id).bind(campaign_id).bind(q.now), matching.params()).bind(after).fetch_optional(&self.read).await?;
            row.map(|(key, invited_at, id)| Cursor { key: key.map(KeyValue::Int), invited_at, id })
        };
        Ok(cursor)
    }

    /// How many of a campaign's candidates are in each status.
    pub async fn campaign_status_counts(&self, org_id: &str, campaign_id: &str, now: i64) -> StoreResult<Vec<(String, i64)>> {
        let sql = format!("SELECT l.status, COUNT(*) FROM {} GROUP BY l.status", listed_table(CAMPAIGN, "$3"));
        Ok(sqlx::query_as(&sql).bind(org_id).bind(campaign_id).bind(now).fetch_all(&self.read).await?)
    }

    /// How many of each campaign's candidates are in each status, for an organisation's campaign list.
    pub async fn organisation_status_counts(&self, org_id: &str, now: i64) -> StoreResult<Vec<(String, String, i64)>> {
        let sql = format!("SELECT l.campaign_id, l.status, COUNT(*) FROM {} GROUP BY l.campaign_id, l.status", listed_table("i.org_id = $1", "$2"));
        Ok(sqlx::query_as(&sql).bind(org_id).bind(now).fetch_all(&self.read).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_part_matches_itself_only() {
        assert_eq!(contains_pattern("ann"), "%ann%");
        assert_eq!(contains_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }

    #[test]
    fn ranks_follow_the_order_given() {
        assert_eq!(rank_of("x", &["a", "b"]), "CASE x WHEN 'a' THEN 0 WHEN 'b' THEN 1 END");
        assert_eq!(text_of("x", &["a", "b"]), "CASE x WHEN 0 THEN 'a' WHEN 1 THEN 'b' END");
    }

    #[test]
    fn the_cursor_condition_puts_missing_keys_last_in_either_direction() {
        let with_key = Cursor { key: Some(KeyValue::Int(2)), invited_at: 10, id: "x".into() };
        let mut c = Conditions::new("1 = 1", 3);
        after_cursor(&mut c, ListOrder::Validity, true, &with_key);
        assert_eq!(
            c.sql(),
            "1 = 1 AND (l.validity_rank IS NULL OR l.validity_rank < $4 OR (l.validity_rank = $5 AND (l.invited_at > $6 OR (l.invited_at = $7 AND l.invitation_id > $8))))"
        );
        let missing = Cursor { key: None, invited_at: 10, id: "x".into() };
        let mut c = Conditions::new("1 = 1", 3);
        after_cursor(&mut c, ListOrder::Completed, false, &missing);
        assert_eq!(c.sql(), "1 = 1 AND l.completed_key IS NULL AND (l.invited_at > $4 OR (l.invited_at = $5 AND l.invitation_id > $6))");
    }
}
