//! The audit log as administrators read it: filtered by who, what and
//! when, a page at a time (keyset pages, stable while new entries arrive),
//! with names instead of ids, and as CSV. Who may read it is
//! `crate::staff`'s question (it asks, then calls these).

use app::{
    i18n::{admin_text, AdminText},
    staff::model::{AuditFilter, AuditLine, AuditPage},
};

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
/// In `lang`, the reader's language.
pub async fn page(store: &Store, org_id: &str, filter: AuditFilter, mut people: Vec<(String, String)>, lang: &str) -> Result<AuditPage, ServiceError> {
    let t = admin_text(lang);
    let query = query_of(&filter)?;
    let mut views = store.audit_view(org_id, &query, PAGE_SIZE + 1).await?;
    let next = (views.len() as i64 > PAGE_SIZE).then(|| {
        views.truncate(PAGE_SIZE as usize);
        views.last().map(cursor_of)
    });
    let total = store.audit_count(org_id, &query).await?;
    people.push(("candidate".into(), t.audit_candidates.into()));
    people.push(("system".into(), t.audit_system.into()));
    let actions = store.audit_actions(org_id).await?.into_iter().map(|a| (a.clone(), action_label(t, &a))).collect();
    Ok(AuditPage { filter, lines: views.into_iter().map(|v| audit_line(t, v)).collect(), total, next: next.flatten(), people, actions })
}

/// Every entry the filter selects (its cursor aside) as CSV, up to
/// [`CSV_LIMIT`], headers and labels in `lang`; with the number of entries.
pub async fn csv(store: &Store, org_id: &str, filter: &AuditFilter, lang: &str) -> Result<(String, usize), ServiceError> {
    let t = admin_text(lang);
    let mut query = AuditQuery { before: None, ..query_of(filter)? };
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(t.audit_csv_columns.split(','));
    let mut rows = 0;
    while rows < CSV_LIMIT {
        let views = store.audit_view(org_id, &query, PAGE_SIZE * 5).await?;
        let Some(last) = views.last() else { break };
        query.before = Some((last.at, last.id.clone()));
        for v in views {
            let code = v.action.clone();
            let line = audit_line(t, v);
            let _ = w.write_record([line.at.as_str(), &line.actor, &line.action, &code, &line.object]);
            rows += 1;
        }
    }
    Ok((String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default(), rows))
}

fn audit_line(t: &AdminText, v: AuditView) -> AuditLine {
    let actor = match (v.actor_kind.as_str(), v.actor_name) {
        (_, Some(name)) => name,
        ("user", None) => t.audit_former_user.to_string(),
        ("candidate", None) => t.audit_candidate.to_string(),
        _ => "Vigil".to_string(),
    };
    let object = match (v.object_name, v.object_id) {
        (Some(name), _) => format!("{} {name}", v.object_type),
        (None, Some(id)) => format!("{} {}", v.object_type, id.chars().take(8).collect::<String>()),
        (None, None) => v.object_type,
    };
    AuditLine { at: format_utc(v.at), actor, action: action_label(t, &v.action), object }
}

/// What an action is called, in the reader's language (the code itself for one Vigil does not name).
fn action_label(t: &AdminText, action: &str) -> String {
    let label = match action {
        "login.succeeded" => t.action_login_succeeded,
        "login.failed" => t.action_login_failed,
        "login.password_accepted" => t.action_login_password_accepted,
        "logout" => t.action_logout,
        "user.created" => t.action_user_created,
        "user.invited" => t.action_user_invited,
        "user.deactivated" => t.action_user_deactivated,
        "user.password_set" => t.action_user_password_set,
        "invitation.created" => t.action_invitation_created,
        "invitations.uploaded" => t.action_invitations_uploaded,
        "invitation.revoked" => t.action_invitation_revoked,
        "invitation.resent" => t.action_invitation_resent,
        "campaign.created" => t.action_campaign_created,
        "campaign.reminders_changed" => t.action_campaign_reminders_changed,
        "profile.viewed" => t.action_profile_viewed,
        "profile.printed" => t.action_profile_printed,
        "profiles.compared" => t.action_profiles_compared,
        "decision.recorded" => t.action_decision_recorded,
        "results.exported" => t.action_results_exported,
        "candidate.exported" => t.action_candidate_exported,
        "candidate.finished" => t.action_candidate_finished,
        "candidate.acknowledged_notice" => t.action_candidate_acknowledged_notice,
        "candidate.erased" => t.action_candidate_erased,
        "demo.seeded" => t.action_demo_seeded,
        "second_factor.enabled" => t.action_second_factor_enabled,
        "second_factor.disabled" => t.action_second_factor_disabled,
        "second_factor.reset" => t.action_second_factor_reset,
        "audit.exported" => t.action_audit_exported,
        "responses.exported" => t.action_responses_exported,
        "session.viewed" => t.action_session_viewed,
        "analysis.requested" => t.action_analysis_requested,
        "calibration.requested" => t.action_calibration_requested,
        "calibration.cancelled" => t.action_calibration_cancelled,
        "calibration.saved" => t.action_calibration_saved,
        "draft.created" => t.action_draft_created,
        "draft.discarded" => t.action_draft_discarded,
        "instrument.published" => t.action_instrument_published,
        "instrument.retired" => t.action_instrument_retired,
        "instrument.unretired" => t.action_instrument_unretired,
        "norms.published" => t.action_norms_published,
        "api_key.created" => t.action_api_key_created,
        "api_key.revoked" => t.action_api_key_revoked,
        "webhook.created" => t.action_webhook_created,
        "webhook.disabled" => t.action_webhook_disabled,
        "webhook.redelivered" => t.action_webhook_redelivered,
        "webhook.secret_rotated" => t.action_webhook_secret_rotated,
        "champion.listed" => t.action_champion_listed,
        "champion.withdrawn" => t.action_champion_withdrawn,
        "fairness.settings_saved" => t.action_fairness_settings_saved,
        "outbox.sent_by_hand" => t.action_outbox_sent_by_hand,
        "structure.employee_changed" => t.action_structure_employee_changed,
        "structure.employees_imported" => t.action_structure_employees_imported,
        "structure.units_imported" => t.action_structure_units_imported,
        "subject_request.made" => t.action_subject_request_made,
        "subject_request.handled" => t.action_subject_request_handled,
        "template.saved" => t.action_template_saved,
        "template.reset" => t.action_template_reset,
        "wave.created" => t.action_wave_created,
        "wave.closed" => t.action_wave_closed,
        "wave.reminded" => t.action_wave_reminded,
        "wave.answers_deleted" => t.action_wave_answers_deleted,
        "workforce.settings" => t.action_workforce_settings,
        other => return other.to_string(),
    };
    label.to_string()
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_vigil_writes_has_a_label_a_person_reads_in_each_language() {
        // Each action written anywhere in the server, found in its source:
        // `action: "..."` in an audit entry, or `.audit(store, "...")`.
        let mut actions = std::collections::BTreeSet::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("src").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("source");
                    for marker in ["action: \"", ".audit(store, \"", ".audit(&state.store, \"", ".audit(self.store, \""] {
                        for (at, _) in text.match_indices(marker) {
                            let rest = &text[at + marker.len()..];
                            if let Some(end) = rest.find('"') {
                                actions.insert(rest[..end].to_string());
                            }
                        }
                    }
                }
            }
        }
        actions.retain(|a| !a.is_empty() && a.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.') && !a.starts_with('.'));
        assert!(actions.len() > 40 && actions.contains("wave.created") && actions.contains("decision.recorded"), "the scan finds the actions: {actions:?}");
        // Those written another way (the sign-in's, the notice's, exports').
        actions.extend(
            ["login.succeeded", "login.password_accepted", "second_factor.enabled", "second_factor.disabled", "invitations.uploaded", "profile.viewed", "profile.printed", "results.exported", "candidate.exported"]
                .map(String::from),
        );
        for lang in ["en", "de"] {
            let unlabelled: Vec<&String> = actions.iter().filter(|a| action_label(admin_text(lang), a) == **a).collect();
            assert!(unlabelled.is_empty(), "no {lang} label for {unlabelled:?}");
        }
        assert_eq!(action_label(admin_text("de"), "decision.recorded"), "Entscheidung festgehalten");
        assert_eq!(action_label(admin_text("en"), "no.such_action"), "no.such_action", "an unknown code shows as itself");
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
