//! The audit log as administrators read it: filtered by who, what and
//! when, a page at a time (keyset pages, stable while new entries arrive),
//! with names instead of ids, and as CSV. Who may read it is
//! `crate::staff`'s question (it asks, then calls these).

use app::staff::model::{AuditFilter, AuditLine, AuditPage};

use crate::{
    service_error::ServiceError,
    store::{AuditQuery, AuditView, Store},
    time::{format_utc, parse_date_utc},
};

/// Entries on one page.
pub const PAGE_SIZE: i64 = 200;
/// Entries in one CSV download at most (the filter narrows it further).
pub const CSV_LIMIT: usize = 100_000;

const DAY_MS: i64 = 86_400_000;

/// The store's query for a filter; a clear message for a date or cursor
/// that cannot be read.
pub fn query_of(filter: &AuditFilter) -> Result<AuditQuery, ServiceError> {
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let day = |s: &str, label: &str| -> Result<Option<i64>, ServiceError> {
        text(s).map(|d| parse_date_utc(&d).ok_or_else(|| ServiceError::Invalid(format!("The {label} date {d:?} is not a date: write it as YYYY-MM-DD.")))).transpose()
    };
    let before = match text(&filter.before) {
        None => None,
        Some(cursor) => Some(parse_cursor(&cursor).ok_or_else(|| ServiceError::Invalid("That page of the audit log cannot be found; start again from the newest entries.".into()))?),
    };
    Ok(AuditQuery { actor: text(&filter.who), action: text(&filter.action), from: day(&filter.from, "first")?, to: day(&filter.to, "last")?.map(|d| d + DAY_MS), before })
}

/// A page's cursor: the time and id of its last entry.
fn cursor_of(v: &AuditView) -> String {
    format!("{}_{}", v.at, v.id)
}

fn parse_cursor(cursor: &str) -> Option<(i64, String)> {
    let (at, id) = cursor.split_once('_')?;
    Some((at.parse().ok()?, id.to_string())).filter(|(_, id)| !id.is_empty())
}

/// One page of the organisation's audit log for the filter; `people` are
/// the choices of the "who" filter besides candidates and Vigil itself.
pub async fn page(store: &Store, org_id: &str, filter: AuditFilter, mut people: Vec<(String, String)>) -> Result<AuditPage, ServiceError> {
    let query = query_of(&filter)?;
    let mut views = store.audit_view(org_id, &query, PAGE_SIZE + 1).await?;
    let next = (views.len() as i64 > PAGE_SIZE).then(|| {
        views.truncate(PAGE_SIZE as usize);
        views.last().map(cursor_of)
    });
    let total = store.audit_count(org_id, &query).await?;
    people.push(("candidate".into(), "Candidates".into()));
    people.push(("system".into(), "Vigil (automatic)".into()));
    let actions = store.audit_actions(org_id).await?.into_iter().map(|a| (a.clone(), action_label(&a).to_string())).collect();
    Ok(AuditPage { filter, lines: views.into_iter().map(audit_line).collect(), total, next: next.flatten(), people, actions })
}

/// Every entry the filter selects (its cursor aside) as CSV, up to
/// [`CSV_LIMIT`]; with the number of entries.
pub async fn csv(store: &Store, org_id: &str, filter: &AuditFilter) -> Result<(String, usize), ServiceError> {
    let mut query = AuditQuery { before: None, ..query_of(filter)? };
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["time_utc", "who", "action", "action_code", "object"]);
    let mut rows = 0;
    while rows < CSV_LIMIT {
        let views = store.audit_view(org_id, &query, PAGE_SIZE * 5).await?;
        let Some(last) = views.last() else { break };
        query.before = Some((last.at, last.id.clone()));
        for v in views {
            let code = v.action.clone();
            let line = audit_line(v);
            let _ = w.write_record([line.at.as_str(), &line.actor, &line.action, &code, &line.object]);
            rows += 1;
        }
    }
    Ok((String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default(), rows))
}

fn audit_line(v: AuditView) -> AuditLine {
    let actor = match (v.actor_kind.as_str(), v.actor_name) {
        (_, Some(name)) => name,
        ("user", None) => "A former user".to_string(),
        ("candidate", None) => "A candidate".to_string(),
        _ => "Vigil".to_string(),
    };
    let object = match (v.object_name, v.object_id) {
        (Some(name), _) => format!("{} {name}", v.object_type),
        (None, Some(id)) => format!("{} {}", v.object_type, id.chars().take(8).collect::<String>()),
        (None, None) => v.object_type,
    };
    AuditLine { at: format_utc(v.at), actor, action: action_label(&v.action).to_string(), object }
}

fn action_label(action: &str) -> &str {
    match action {
        "login.succeeded" => "Signed in",
        "login.failed" => "Sign-in failed",
        "logout" => "Signed out",
        "user.created" => "Account created",
        "user.invited" => "Colleague invited",
        "user.deactivated" => "Account deactivated",
        "user.password_set" => "Password set",
        "invitation.created" => "Candidate invited",
        "invitations.uploaded" => "Candidates invited from a CSV file",
        "invitation.revoked" => "Invitation withdrawn",
        "invitation.resent" => "Invitation sent again",
        "campaign.created" => "Campaign created",
        "campaign.reminders_changed" => "Automatic reminder changed",
        "profile.viewed" => "Profile viewed",
        "profile.printed" => "Profile printed",
        "profiles.compared" => "Profiles compared",
        "decision.recorded" => "Decision recorded",
        "results.exported" => "Results exported (CSV)",
        "candidate.exported" => "Candidate data exported (JSON)",
        "candidate.finished" => "Candidate finished",
        "demo.seeded" => "Demo data created",
        "login.password_accepted" => "Password accepted; code asked",
        "second_factor.enabled" => "Second factor turned on",
        "second_factor.disabled" => "Second factor turned off",
        "second_factor.reset" => "Second factor reset by an administrator",
        "candidate.erased" => "Personal data erased",
        "candidate.acknowledged_notice" => "Candidate read the notice and began",
        "audit.exported" => "Audit log exported (CSV)",
        "responses.exported" => "Answers exported for analysis",
        "session.viewed" => "Session viewed by a psychologist",
        "analysis.requested" => "Item analysis asked for",
        other => other,
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_vigil_writes_has_a_label_a_person_reads() {
        // Each action written anywhere in the server (audit entries name them as literals).
        let actions = [
            "login.succeeded", "login.failed", "login.password_accepted", "logout", "user.created", "user.invited", "user.deactivated",
            "user.password_set", "invitation.created", "invitations.uploaded", "invitation.revoked", "invitation.resent", "campaign.created", "campaign.reminders_changed",
            "profile.viewed", "profile.printed", "profiles.compared", "decision.recorded", "results.exported", "candidate.exported",
            "candidate.finished", "candidate.acknowledged_notice", "candidate.erased", "demo.seeded", "second_factor.enabled",
            "second_factor.disabled", "second_factor.reset", "audit.exported", "responses.exported", "session.viewed", "analysis.requested",
        ];
        let unlabelled: Vec<&str> = actions.iter().copied().filter(|a| action_label(a) == *a).collect();
        assert!(unlabelled.is_empty(), "no label for {unlabelled:?}");
    }

    #[test]
    fn a_filter_reads_into_a_query_and_bad_input_is_named() {
        let f = AuditFilter { who: "system".into(), action: " login.failed ".into(), from: "2026-12-01".into(), to: "2026-12-01".into(), before: "1800000000000_abc".into() };
        let q = query_of(&f).expect("valid");
        assert_eq!((q.actor.as_deref(), q.action.as_deref()), (Some("system"), Some("login.failed")));
        assert_eq!(q.to.zip(q.from).map(|(t, f)| t - f), Some(DAY_MS), "one whole day");
        assert_eq!(q.before, Some((1_800_000_000_000, "abc".to_string())));
        assert_eq!(query_of(&AuditFilter::default()).expect("valid"), AuditQuery::default());
        assert!(matches!(query_of(&AuditFilter { from: "yesterday".into(), ..AuditFilter::default() }), Err(ServiceError::Invalid(m)) if m.contains("YYYY-MM-DD")));
        assert!(matches!(query_of(&AuditFilter { before: "nonsense".into(), ..AuditFilter::default() }), Err(ServiceError::Invalid(_))));
    }
}
