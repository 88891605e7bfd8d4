//! The background clean-up deletes ended rows, and only those, and erases
//! candidates past the retention period, on SQLite and PostgreSQL.

use crate::common;

use common::TestDb;
use vigil::{
    auth::{ABSOLUTE_TIMEOUT_MS, FAILURE_WINDOW_MS, IDLE_TIMEOUT_MS},
    cleanup::{sweep, Removed, GRACE_MS},
    store::{NewCampaign, NewInvitation, NewJob, NewUser, Store, OutboxDraft, Reissue, Role, StaffSessionRow, ERASED_REASON},
};

const RETENTION_DAYS: u32 = 183;
const DAY: i64 = 24 * 60 * MINUTE;

const NOW: i64 = 1_900_000_000_000;
const MINUTE: i64 = 60_000;

/// A job of the organisation that ran and ended at `at`; its id.
async fn ended_job(s: &Store, org: &str, at: i64) -> String {
    let id = s
        .enqueue_job(&NewJob { org_id: Some(org), kind: "test", dedupe_key: None, payload: "{}", run_after: at, every_ms: None, max_attempts: 1, created_by: None }, at)
        .await
        .expect("enqueue");
    let claimed = s.claim_job(&["test"], "worker", at, at + 60_000).await.expect("claim").expect("due");
    assert_eq!(claimed.id, id);
    assert!(s.complete_job(&id, "worker", "{}", at).await.expect("complete"));
    id
}

/// An organisation with one user and one invitation: (org id, user id, invitation id).
async fn fixture(db: &TestDb) -> (String, String, String) {
    let s = &db.store;
    let org = s.create_organisation("Acme", "acme", false).await.expect("org");
    let user = s
        .create_user(&NewUser { org_id: &org.id, email: "ada@acme.example", display_name: "Ada", role: Role::Admin, password_hash: None })
        .await
        .expect("user");
    let campaign = s
        .create_campaign(&NewCampaign {
            org_id: &org.id, name: "Analysts", role_family: "security", battery: "{}", time_limit_minutes: None,
            adaptive: false, candidate_feedback: false, invitation_ttl_days: 14, created_by: None,
            reminder_days: None,
            link_base: None,
        })
        .await
        .expect("campaign");
    let invitation = s
        .create_invitation(&NewInvitation {
            org_id: &org.id, campaign_id: &campaign.id, candidate_name: None, candidate_email: None,
            language: "en", token_hash: "invitation-token-hash", expires_at: NOW + 14 * 24 * 60 * MINUTE, created_by: None,
        })
        .await
        .expect("invitation");
    (org.id, user.id, invitation.invitation_id)
}

/// A staff session created at `created_at`, last seen at `last_seen_at`.
async fn session(db: &TestDb, org: &str, user: &str, id_hash: &str, created_at: i64, last_seen_at: i64) {
    let row = StaffSessionRow {
        id_hash: id_hash.into(), user_id: user.into(), org_id: org.into(), created_at, last_seen_at,
        expires_at: created_at + ABSOLUTE_TIMEOUT_MS, second_factor_at: None,
    };
    db.store.create_staff_session(&row).await.expect("session");
}

on_both_databases! {
    async fn a_pass_deletes_ended_rows_and_keeps_the_rest(db: Db) {
        let Some(db) = TestDb::new(db).await else { return };
        let s = &db.store;
        let (org, user, invitation) = fixture(&db).await;

        // Staff sessions: one in use, one idle too long, one past its absolute end.
        session(&db, &org, &user, "session-in-use", NOW - 60 * MINUTE, NOW - MINUTE).await;
        session(&db, &org, &user, "session-idle", NOW - 60 * MINUTE, NOW - IDLE_TIMEOUT_MS).await;
        session(&db, &org, &user, "session-too-old", NOW - ABSOLUTE_TIMEOUT_MS, NOW - MINUTE).await;

        // Candidate access: valid, expired within the day's grace, expired before it.
        s.create_candidate_access("access-valid", &org, &invitation, NOW - MINUTE, NOW + MINUTE).await.expect("access");
        s.create_candidate_access("access-just-expired", &org, &invitation, NOW - GRACE_MS, NOW - MINUTE).await.expect("access");
        s.create_candidate_access("access-long-expired", &org, &invitation, NOW - 2 * GRACE_MS, NOW - GRACE_MS - MINUTE).await.expect("access");

        // Failed sign-ins: one inside the rate limit's window, one outside it.
        s.record_login_failure("ada@acme.example", "192.0.2.1", NOW - FAILURE_WINDOW_MS - MINUTE, 0).await.expect("failure");
        s.record_login_failure("ada@acme.example", "192.0.2.1", NOW - MINUTE, 0).await.expect("failure");

        // Set-password links: unused and valid, used long ago, expired long ago, used just now.
        let day = 24 * 60 * MINUTE;
        s.create_password_setup("setup-valid", &org, &user, NOW - day, NOW + 6 * day).await.expect("setup");
        s.create_password_setup("setup-used-long-ago", &org, &user, NOW - 3 * day, NOW + 4 * day).await.expect("setup");
        s.consume_password_setup("setup-used-long-ago", NOW - 2 * day).await.expect("use").expect("usable");
        s.create_password_setup("setup-expired-long-ago", &org, &user, NOW - 9 * day, NOW - 2 * day).await.expect("setup");
        s.create_password_setup("setup-used-just-now", &org, &user, NOW - day, NOW + 6 * day).await.expect("setup");
        s.consume_password_setup("setup-used-just-now", NOW - MINUTE).await.expect("use").expect("usable");

        // Jobs: one that ended 31 days ago, one yesterday, one recurring (never goes).
        let ended_long_ago = ended_job(s, &org, NOW - 31 * day).await;
        let ended_yesterday = ended_job(s, &org, NOW - day).await;
        s.ensure_recurring_job("clean-up", 300_000, NOW - 40 * day, NOW - 40 * day).await.expect("recurring");

        // Rate-limit windows: one two hours old, one current.
        s.count_rate_event("link-failures:192.0.2.1", NOW - 2 * 60 * MINUTE).await.expect("count");
        assert_eq!(s.count_rate_event("link-failures:192.0.2.1", NOW - MINUTE).await.expect("count"), 1, "a window of its own");
        assert_eq!(s.count_rate_event("link-failures:192.0.2.1", NOW - MINUTE).await.expect("count"), 2);

        let removed = sweep(s, NOW, RETENTION_DAYS).await.expect("sweep");
        assert_eq!(removed, Removed { staff_sessions: 2, candidate_access: 1, login_failures: 1, password_setups: 2, candidates_erased: 0, jobs: 1, rate_windows: 1, idempotency: 0, webhook_events: 0 });
        assert_eq!(s.rate_events("link-failures:192.0.2.1", NOW - MINUTE).await.expect("count"), 2, "the current window stays");
        assert!(s.job_by_id(&ended_long_ago).await.expect("read").is_none());
        assert!(s.job_by_id(&ended_yesterday).await.expect("read").is_some(), "kept 30 days");

        assert!(s.staff_session("session-in-use").await.expect("read").is_some());
        assert!(s.staff_session("session-idle").await.expect("read").is_none());
        assert!(s.staff_session("session-too-old").await.expect("read").is_none());
        assert!(s.candidate_access("access-valid").await.expect("read").is_some());
        assert!(s.candidate_access("access-just-expired").await.expect("read").is_some(), "kept for the grace period");
        assert!(s.candidate_access("access-long-expired").await.expect("read").is_none());
        assert_eq!(
            s.login_failures_since("ada@acme.example", "192.0.2.1", 0).await.expect("count"),
            vigil::store::LoginFailures { account_from_address: 1, address: 1, account: 1 }
        );
        assert!(s.consume_password_setup("setup-valid", NOW).await.expect("use").is_some(), "a valid link still works");

        // The rows a pass keeps are kept by the next one too.
        assert_eq!(sweep(s, NOW, RETENTION_DAYS).await.expect("sweep"), Removed::default());
    }

    async fn candidates_are_erased_once_the_retention_period_after_their_recruitment_has_passed(db: Db) {
        let Some(db) = TestDb::new(db).await else { return };
        let s = &db.store;
        let (org, user, open) = fixture(&db).await;
        let campaign = s.campaigns_of(&org).await.expect("campaigns").pop().expect("the campaign").id;
        let invite = |name: &'static str, expires_at: i64| {
            let (org, campaign) = (org.clone(), campaign.clone());
            async move {
                let email = format!("{}@example.org", name.to_lowercase());
                s.create_invitation(&NewInvitation {
                    org_id: &org, campaign_id: &campaign, candidate_name: Some(name), candidate_email: Some(&email),
                    language: "en", token_hash: &format!("token-{name}"), expires_at, created_by: None,
                })
                .await
                .expect("invitation")
                .invitation_id
            }
        };
        let long_over = invite("Ada", NOW - 200 * DAY).await;
        let recent = invite("Bea", NOW - 100 * DAY).await;
        let decided_lately = invite("Cy", NOW - 200 * DAY).await;
        let withdrawn = invite("Dee", NOW - 300 * DAY).await;
        // Ada was sent an e-mail; Dee has an old decision with a reason naming her and was withdrawn; Cy was decided on lately.
        let message = OutboxDraft { kind: "reminder", to: "ada@example.org".into(), subject: "Reminder".into(), body: "Dear Ada, https://x/take/t".into() };
        let reissue = Reissue { invitation_id: long_over.clone(), token_hash: "token-ada-2".into(), expires_at: NOW - 200 * DAY, message, automatic: false };
        assert!(s.reissue_invitation(&org, &reissue, &user, NOW - 201 * DAY).await.expect("reissue"));
        s.record_decision(&org, &campaign, &withdrawn, "decline", "Dee Example lacks the clearance", &user, NOW - 310 * DAY).await.expect("decision");
        assert!(s.revoke_invitation(&org, &withdrawn, &user, NOW - 305 * DAY).await.expect("revoke"));
        s.record_decision(&org, &campaign, &decided_lately, "hold", "Cy asked us to wait", &user, NOW - 10 * DAY).await.expect("decision");

        let removed = sweep(s, NOW, RETENTION_DAYS).await.expect("sweep");
        assert_eq!(removed.candidates_erased, 2);
        let rows = s.campaign_candidates(&org, &campaign).await.expect("candidates");
        let row = |id: &str| rows.iter().find(|r| r.invitation_id == id).expect("row").clone();
        for erased in [&long_over, &withdrawn] {
            let r = row(erased);
            assert_eq!((r.name, r.email, r.erased_at, r.invitation_status.as_str()), (None, None, Some(NOW), "revoked"));
        }
        for kept in [&recent, &decided_lately, &open] {
            assert!(row(kept).erased_at.is_none(), "{kept} is within its retention period");
        }
        assert_eq!(row(&recent).name.as_deref(), Some("Bea"));
        let reasons: Vec<String> = s.candidate_decisions(&org, &withdrawn).await.expect("decisions").into_iter().map(|d| d.reason).collect();
        assert_eq!(reasons, [ERASED_REASON]);
        assert_eq!(s.candidate_decisions(&org, &decided_lately).await.expect("decisions")[0].reason, "Cy asked us to wait");
        let outbox = s.outbox_of(&org, 100).await.expect("outbox");
        assert!(outbox.iter().all(|m| !m.body.contains("Ada") && m.to_address != "ada@example.org"), "nothing in the outbox names Ada");
        let audit = s.audit_log(&org, 100).await.expect("audit");
        let erasures: Vec<_> = audit.iter().filter(|e| e.action == "candidate.erased").collect();
        assert_eq!(erasures.len(), 2);
        assert!(erasures.iter().all(|e| e.actor_kind == "system" && e.detail.as_deref() == Some(r#"{"why":"retention"}"#)));
        // Nothing is erased twice.
        assert_eq!(sweep(s, NOW, RETENTION_DAYS).await.expect("sweep").candidates_erased, 0);
    }

}
