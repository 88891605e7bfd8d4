//! The storage seam behaves the same on SQLite and PostgreSQL.

use crate::common;

use common::TestDb;
use vigil::store::{Actor, AnswerInput, AnswerSaved, AnswersSeen, AuditEntry, Finished, NewCampaign, NewInvitation, NewSession, NewUser, Role, Store, StoreError};

/// An organisation with a campaign, an invitation and a started session.
async fn session_fixture(db: &TestDb) -> (String, String) {
    let s = &db.store;
    let org = s.create_organisation("Acme", "acme", false).await.expect("org");
    let campaign = s
        .create_campaign(&NewCampaign {
            org_id: &org.id,
            name: "Analysts",
            role_family: "security",
            battery: "{}",
            time_limit_minutes: Some(30),
            adaptive: false,
            candidate_feedback: false,
            invitation_ttl_days: 14,
            created_by: None,
            reminder_days: None,
            link_base: None,
        })
        .await
        .expect("campaign");
    let inv = s
        .create_invitation(&NewInvitation {
            org_id: &org.id,
            campaign_id: &campaign.id,
            candidate_name: Some("Alex Example"),
            candidate_email: Some("alex@example.org"),
            language: "en",
            token_hash: "hash-1",
            expires_at: i64::MAX,
            created_by: None,
        })
        .await
        .expect("invitation");
    let session = s
        .start_session(&NewSession {
            org_id: &org.id,
            campaign_id: &campaign.id,
            invitation_id: &inv.invitation_id,
            notice_version: "2026-11",
            language: "en",
            seed: 42,
            deadline_at: None,
        })
        .await
        .expect("session");
    (org.id, session)
}

fn answer<'a>(session: &'a str, item: &'a str, value: &'a str, seq: i64) -> AnswerInput<'a> {
    AnswerInput { session_id: session, instrument: "svi", item_id: item, value, latency_ms: Some(2400), client_seq: seq, answers_before: None }
}

/// Saves each (item, value, seq) from a task of its own, all at once (so the
/// writer batches them); the outcomes in the same order.
async fn save_concurrently(store: &Store, session: &str, answers: Vec<(String, String, i64)>) -> Vec<Result<AnswerSaved, StoreError>> {
    let tasks: Vec<_> = answers
        .into_iter()
        .map(|(item, value, seq)| {
            let (store, session) = (store.clone(), session.to_string());
            tokio::spawn(async move { store.save_answer(&AnswerInput { session_id: &session, instrument: "svi", item_id: &item, value: &value, latency_ms: None, client_seq: seq, answers_before: None }).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("join"));
    }
    outcomes
}

on_both_databases! {
    async fn migrations_bring_a_new_database_to_the_known_version(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        assert_eq!(t.store.schema_version().await.expect("version"), t.store.known_schema_version());
        t.store.ensure_current_schema().await.expect("current");
        t.store.migrate().await.expect("migrating twice is harmless");
        assert!(t.store.ping().await);
    }

    async fn a_database_from_a_newer_vigil_is_refused(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ($1, 'from the future', TRUE, $2, 0)")
            .bind(t.store.known_schema_version() + 1)
            .bind(vec![0u8; 48])
            .execute(&any_pool(&t).await)
            .await
            .expect("insert future migration");
        let err = t.store.migrate().await.expect_err("must refuse");
        assert!(matches!(err, StoreError::SchemaTooNew { .. }), "{err}");
        assert!(err.to_string().contains("newer than this vigil"), "{err}");
    }

    async fn users_are_unique_by_email_ignoring_case(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let org = t.store.create_organisation("Acme", "acme", false).await.expect("org");
        let new = NewUser { org_id: &org.id, email: "Dana@Example.org", display_name: "Dana", role: Role::Admin, password_hash: Some("x") };
        let user = t.store.create_user(&new).await.expect("user");
        assert_eq!(user.email, "dana@example.org");
        let again = NewUser { email: "dana@EXAMPLE.org", ..new };
        assert!(matches!(t.store.create_user(&again).await, Err(StoreError::Conflict(_))));
        let found = t.store.user_by_email(" DANA@example.org ").await.expect("query").expect("found");
        assert_eq!(found.id, user.id);
        assert_eq!(found.role, Role::Admin);
        assert_eq!(t.store.users_of(&org.id).await.expect("users").len(), 1);
    }

    async fn campaigns_of_another_organisation_are_invisible(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let a = t.store.create_organisation("A", "a", false).await.expect("org a");
        let b = t.store.create_organisation("B", "b", false).await.expect("org b");
        let c = t.store.create_campaign(&NewCampaign {
            org_id: &a.id, name: "A's", role_family: "x", battery: "{}", time_limit_minutes: None,
            adaptive: true, candidate_feedback: false, invitation_ttl_days: 7, created_by: None,
            reminder_days: None,
            link_base: None,
        }).await.expect("campaign");
        assert_eq!(t.store.campaign(&a.id, &c.id).await.expect("query").map(|x| x.name), Some("A's".to_string()));
        assert_eq!(t.store.campaign(&b.id, &c.id).await.expect("query"), None);
        assert!(t.store.campaigns_of(&b.id).await.expect("query").is_empty());
    }

    async fn a_retried_answer_is_stored_once_and_the_newest_wins(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let (_org, session) = session_fixture(&t).await;
        let s = &t.store;
        assert_eq!(s.save_answer(&answer(&session, "svi-mot-01", "4", 1)).await.expect("save"), AnswerSaved::Stored);
        assert_eq!(s.save_answer(&answer(&session, "svi-mot-01", "4", 1)).await.expect("retry"), AnswerSaved::Unchanged);
        assert_eq!(s.save_answer(&answer(&session, "svi-mot-01", "2", 3)).await.expect("change"), AnswerSaved::Stored);
        // A late retry of the first answer arrives after the change: ignored.
        assert_eq!(s.save_answer(&answer(&session, "svi-mot-01", "4", 1)).await.expect("late"), AnswerSaved::Unchanged);
        assert_eq!(s.save_answer(&answer(&session, "svi-mot-02", "5", 2)).await.expect("save"), AnswerSaved::Stored);
        let answers = s.answers_of(&session).await.expect("answers");
        assert_eq!(answers.len(), 2);
        let first = answers.iter().find(|a| a.item_id == "svi-mot-01").expect("item 1");
        assert_eq!((first.value.as_str(), first.client_seq, first.revisions, first.latency_ms), ("2", 3, 2, Some(2400)));
    }

    async fn an_answer_judged_on_a_count_of_answers_is_stored_only_while_that_count_holds(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let (_org, session) = session_fixture(&t).await;
        let s = &t.store;
        let after = |item, seq, before| AnswerInput { answers_before: Some(before), ..answer(&session, item, "3", seq) };
        // Nothing stored yet: an answer judged on no answers is taken, one judged on one is not.
        assert_eq!(s.save_answer(&after("svi-mot-01", 1, 1)).await.expect("save"), AnswerSaved::Unchanged);
        assert_eq!(s.save_answer(&after("svi-mot-01", 1, 0)).await.expect("save"), AnswerSaved::Stored);
        // One stored now; another answer to the instrument, from elsewhere, makes two.
        s.save_answer(&answer(&session, "svi-mot-02", "4", 2)).await.expect("save");
        assert_eq!(s.save_answer(&after("svi-mot-03", 3, 1)).await.expect("save"), AnswerSaved::Unchanged, "judged on an out-of-date count");
        // In one batch: the first is taken, the second names the count as it was before the first.
        assert_eq!(s.save_answers(&[after("svi-mot-03", 3, 2), after("svi-mot-04", 4, 2)]).await.expect("batch"), 1);
        let stored: Vec<String> = s.answers_of(&session).await.expect("answers").into_iter().map(|a| a.item_id).collect();
        assert_eq!(stored.len(), 3, "{stored:?}");
        assert!(!stored.contains(&"svi-mot-04".to_string()), "{stored:?}");
    }

    async fn no_answer_is_taken_after_completion_or_for_an_unknown_session(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let (org, session) = session_fixture(&t).await;
        t.store.save_answer(&answer(&session, "svi-mot-01", "4", 1)).await.expect("save");
        let seen = AnswersSeen::of(&t.store.answers_of(&session).await.expect("answers"));
        assert_eq!(t.store.finish_session(&org, &session, seen, &[], &[], &finished(&org, &session)).await.expect("finish"), Finished::Now);
        assert_eq!(t.store.save_answer(&answer(&session, "svi-mot-02", "4", 2)).await.expect("after"), AnswerSaved::Unchanged);
        assert_eq!(t.store.save_answer(&answer("no-such-session", "svi-mot-02", "4", 2)).await.expect("unknown"), AnswerSaved::Unchanged);
        assert_eq!(t.store.answers_of(&session).await.expect("answers").len(), 1);
        assert_eq!(t.store.finish_session(&org, &session, seen, &[], &[], &finished(&org, &session)).await.expect("again"), Finished::Already);
        assert!(matches!(t.store.finish_session(&org, "no-such-session", seen, &[], &[], &finished(&org, &session)).await, Err(StoreError::NotFound)));
    }

    async fn a_session_is_finished_only_with_the_answers_that_were_scored(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let (org, session) = session_fixture(&t).await;
        t.store.save_answer(&answer(&session, "svi-mot-01", "4", 1)).await.expect("save");
        let seen = AnswersSeen::of(&t.store.answers_of(&session).await.expect("answers"));
        // Another tab changes an answer after the scoring read them: nothing is finished.
        t.store.save_answer(&answer(&session, "svi-mot-01", "2", 2)).await.expect("change");
        assert_eq!(t.store.finish_session(&org, &session, seen, &[], &[], &finished(&org, &session)).await.expect("finish"), Finished::AnswersChanged);
        assert_eq!(t.store.save_answer(&answer(&session, "svi-mot-02", "3", 3)).await.expect("still open"), AnswerSaved::Stored);
        let seen = AnswersSeen::of(&t.store.answers_of(&session).await.expect("answers"));
        assert_eq!(seen, AnswersSeen { count: 2, revisions: 3 });
        assert_eq!(t.store.finish_session(&org, &session, seen, &[], &[], &finished(&org, &session)).await.expect("finish"), Finished::Now);
    }

    async fn starting_a_session_twice_resumes_the_first(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let (org, session) = session_fixture(&t).await;
        let invitation_id: String = sqlx::query_scalar("SELECT invitation_id FROM assessment_sessions WHERE id = $1")
            .bind(&session).fetch_one(&any_pool(&t).await).await.expect("invitation");
        let campaign_id: String = sqlx::query_scalar("SELECT campaign_id FROM assessment_sessions WHERE id = $1")
            .bind(&session).fetch_one(&any_pool(&t).await).await.expect("campaign");
        let again = t.store.start_session(&NewSession {
            org_id: &org, campaign_id: &campaign_id, invitation_id: &invitation_id,
            notice_version: "2026-11", language: "de", seed: 7, deadline_at: None,
        }).await.expect("second start");
        assert_eq!(again, session);
    }

    async fn an_access_secret_leads_to_its_invitation_session_campaign_and_organisation_in_one_read(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let s = &t.store;
        let (org, session) = session_fixture(&t).await;
        let invitation_id: String = sqlx::query_scalar("SELECT invitation_id FROM assessment_sessions WHERE id = $1")
            .bind(&session).fetch_one(&any_pool(&t).await).await.expect("invitation");
        s.create_candidate_access("access-1", &org, &invitation_id, 1, 2).await.expect("access");
        let row = s.candidate_context("access-1").await.expect("read").expect("found");
        assert_eq!((row.org_id.as_str(), row.invitation_id.as_str(), row.access_expires_at), (org.as_str(), invitation_id.as_str(), 2));
        // The same as the separate reads.
        let invitation = s.invitation(&org, &invitation_id).await.expect("invitation").expect("found");
        assert_eq!(row.invitation.as_ref(), Some(&invitation));
        assert_eq!(row.session, s.session_by_invitation(&org, &invitation_id).await.expect("session"));
        assert_eq!(row.session.as_ref().map(|x| x.id.as_str()), Some(session.as_str()));
        assert_eq!(row.campaign, s.campaign(&org, &invitation.campaign_id).await.expect("campaign"));
        assert!(row.campaign.is_some());
        assert_eq!(row.organisation_name.as_deref(), Some("Acme"));
        // A link opened but not started: no session. An unknown secret: nothing.
        let second = s
            .create_invitation(&NewInvitation {
                org_id: &org, campaign_id: &invitation.campaign_id, candidate_name: None, candidate_email: None,
                language: "de", token_hash: "hash-2", expires_at: 5, created_by: None,
            })
            .await
            .expect("second invitation");
        s.create_candidate_access("access-2", &org, &second.invitation_id, 1, 3).await.expect("access");
        let row = s.candidate_context("access-2").await.expect("read").expect("found");
        assert_eq!(row.session, None);
        assert_eq!(row.invitation.map(|i| (i.language, i.expires_at)), Some(("de".to_string(), 5)));
        assert!(s.candidate_context("no-such-access").await.expect("read").is_none());
    }

    async fn concurrent_answers_all_land(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let (_org, session) = session_fixture(&t).await;
        let answers = (0..200i64).map(|i| (format!("item-{i:03}"), "3".to_string(), i)).collect();
        for outcome in save_concurrently(&t.store, &session, answers).await {
            assert_eq!(outcome.expect("save"), AnswerSaved::Stored);
        }
        assert_eq!(t.store.answers_of(&session).await.expect("answers").len(), 200);
    }

    async fn one_save_naming_an_item_twice_applies_both_in_order(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let (_org, session) = session_fixture(&t).await;
        // A browser queue that was offline: item 1 answered, changed, and an old retry last.
        let saves = [answer(&session, "svi-mot-01", "4", 1), answer(&session, "svi-mot-02", "5", 2), answer(&session, "svi-mot-01", "2", 3), answer(&session, "svi-mot-01", "4", 1)];
        assert_eq!(t.store.save_answers(&saves).await.expect("save"), 3);
        let answers = t.store.answers_of(&session).await.expect("answers");
        let first = answers.iter().find(|a| a.item_id == "svi-mot-01").expect("item 1");
        assert_eq!((answers.len(), first.value.as_str(), first.client_seq, first.revisions), (2, "2", 3, 2));
    }

    async fn concurrent_saves_of_one_item_leave_the_highest_sequence(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let (_org, session) = session_fixture(&t).await;
        let answers = (1..=100i64).map(|seq| ("svi-mot-01".to_string(), (seq % 5 + 1).to_string(), seq)).collect();
        let mut stored = 0;
        for outcome in save_concurrently(&t.store, &session, answers).await {
            if outcome.expect("save") == AnswerSaved::Stored {
                stored += 1;
            }
        }
        let answers = t.store.answers_of(&session).await.expect("answers");
        assert_eq!(answers.len(), 1);
        // Whatever the arrival order, seq 100 wins, and every stored save counted one revision.
        assert_eq!((answers[0].client_seq, answers[0].value.as_str(), answers[0].revisions), (100, "1", stored));
    }

    async fn a_save_the_database_refuses_fails_alone(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let (_org, session) = session_fixture(&t).await;
        // PostgreSQL refuses text with a NUL character; SQLite stores it. The
        // candidate code never lets such a value through; here it stands for
        // any request the database refuses, sent among others that may be
        // written in the same transaction.
        let answers = (0..40i64).map(|i| (format!("item-{i:02}"), if i == 20 { "3\u{0}".to_string() } else { "3".to_string() }, i + 1)).collect();
        let outcomes = save_concurrently(&t.store, &session, answers).await;
        let refused = t.store.kind() == vigil::config::DatabaseKind::Postgres;
        for (i, outcome) in outcomes.iter().enumerate() {
            match outcome {
                Ok(n) => assert!(i != 20 || !refused, "saved a value PostgreSQL refuses: {n:?}"),
                Err(e) => assert!(i == 20 && refused, "save {i} failed: {e}"),
            }
        }
        let expected = if refused { 39 } else { 40 };
        assert_eq!(t.store.answers_of(&session).await.expect("answers").len(), expected);
    }

    async fn the_audit_log_keeps_entries_per_organisation(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let a = t.store.create_organisation("A", "a", false).await.expect("org a");
        let b = t.store.create_organisation("B", "b", false).await.expect("org b");
        t.store.audit(&AuditEntry { org_id: Some(&a.id), actor: Actor::User("u1"), action: "profile.viewed", object_type: "session", object_id: Some("s1"), detail: None }).await.expect("audit");
        t.store.audit(&AuditEntry { org_id: Some(&b.id), actor: Actor::System, action: "demo.seeded", object_type: "campaign", object_id: None, detail: Some("{}".into()) }).await.expect("audit");
        let log = t.store.audit_log(&a.id, 10).await.expect("log");
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].action.as_str(), log[0].actor_kind.as_str(), log[0].actor_id.as_deref()), ("profile.viewed", "user", Some("u1")));
    }

    async fn the_demo_seed_runs_once_with_scored_simulated_candidates(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("shipped banks load");
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("creds.txt");
        let first = vigil::demo::seed(&t.store, &catalog, &file).await.expect("seed");
        let vigil::demo::Seeded::Created { credentials, .. } = first else { panic!("first seed must create") };
        assert!(credentials.contains("admin@demo.vigil.test") && credentials.contains("password:"));
        assert_eq!(std::fs::read_to_string(&file).expect("file"), credentials);
        assert!(matches!(vigil::demo::seed(&t.store, &catalog, &file).await.expect("again"), vigil::demo::Seeded::AlreadyThere { .. }));
        assert_eq!(t.store.count_organisations().await.expect("count"), 1);
        let org = t.store.organisation_by_slug("demo").await.expect("q").expect("demo org");
        let users = t.store.users_of(&org.id).await.expect("users");
        let users_again = users.clone();
        assert_eq!(users.len(), vigil::demo::DEMO_ACCOUNTS.len(), "an administrator, a recruiter, a psychologist and a security lead");
        // Each printed password verifies against its stored argon2id hash.
        for user in users {
            let line = credentials.lines().find(|l| l.contains(&user.email)).expect("credential line");
            let password = line.rsplit("password: ").next().expect("password").trim();
            assert!(vigil::passwords::verify_password(password, user.password_hash.as_deref().expect("hash")));
        }
        // The workforce side: two closed pulse waves, the second flagging Sales; one champion.
        let security = users_again.iter().find(|u| u.role == Role::Security).expect("a security lead").id.clone();
        let caller = vigil::staff::Caller { user_id: security, org_id: org.id.clone(), role: app::staff::model::StaffRole::Security, language: "en".into() };
        let view = vigil::workforce::insight::security_view(&t.store, &caller, "pulse").await.expect("security view");
        assert!(view.waves == 2 && view.flags.iter().any(|f| f.unit == "Sales" && f.scale == "Intention to leave"), "{:?}", view.flags);
        assert_eq!(vigil::workforce::champions::champions(&t.store, &caller).await.expect("champions").len(), 1);
        let campaigns = t.store.campaigns_of(&org.id).await.expect("campaigns");
        assert_eq!(campaigns.len(), 2, "a fixed and an adaptive demo campaign");
        assert_eq!(campaigns.iter().filter(|c| c.adaptive == 1).count(), 1);
        let fixed = campaigns.iter().find(|c| c.adaptive == 0).expect("fixed campaign");
        // Every simulated candidate completed the battery and was scored, with provenance.
        let sessions = t.store.completed_sessions(&org.id, &fixed.id).await.expect("sessions");
        assert_eq!(sessions.len(), vigil::demo::DEMO_CANDIDATES);
        let svi = catalog.get("svi", "1.0.0").expect("svi");
        let svi_items = svi.bank.items().len();
        for session in &sessions {
            let answers = t.store.answers_of(session).await.expect("answers");
            let svi_answers = answers.iter().filter(|a| a.instrument == "svi").count();
            assert!(svi_answers * 10 >= svi_items * 8, "most SVI items answered: {svi_answers}/{svi_items}");
            let scores = t.store.scores_of(&org.id, session).await.expect("scores");
            // The one scoring path: the same records a candidate's finish stores.
            let records: Vec<String> = scores.iter().map(|s| format!("{}:{}", s.instrument, s.method)).collect();
            assert_eq!(records, ["svi:irt", "svi:ctt", "sjs:irt", "sjs:ctt"]);
            let svi_score = scores.iter().find(|s| s.instrument == "svi" && s.method == "ctt").expect("svi score");
            assert_eq!(svi_score.bank_hash, svi.bank.content_hash());
            assert_eq!(svi_score.engine_version, assessments::ENGINE_VERSION);
            assert!(["ok", "caution", "invalid"].contains(&svi_score.validity_status.as_str()));
            let report: serde_json::Value = serde_json::from_str(&svi_score.report).expect("report json");
            assert_eq!(report["scores"]["provenance"]["bank_id"], "svi");
        }
        // The adaptive campaign: candidates who took it adaptively, on theta
        // norms, whose scales all report an IRT (adaptive) score with a band.
        let adaptive = campaigns.iter().find(|c| c.adaptive == 1).expect("adaptive campaign");
        let sessions = t.store.completed_sessions(&org.id, &adaptive.id).await.expect("sessions");
        assert_eq!(sessions.len(), vigil::demo::DEMO_ADAPTIVE_CANDIDATES);
        let battery = vigil::battery::battery(&catalog, adaptive).expect("battery");
        let mut svi_answered = 0;
        for session in &sessions {
            let scores = t.store.scores_of(&org.id, session).await.expect("scores");
            let records: Vec<String> = scores.iter().map(|s| format!("{}:{}", s.instrument, s.method)).collect();
            assert_eq!(records, ["svi:cat", "svi:irt", "svi:ctt", "sjs:cat", "sjs:irt", "sjs:ctt"]);
            let svi_answers = t.store.answers_of(session).await.expect("answers").iter().filter(|a| a.instrument == "svi").count();
            svi_answered += svi_answers;
            let read = vigil::scoring::read::read_session(&battery, &scores).expect("readable");
            for scale in read.iter().flat_map(|i| &i.scales) {
                assert_eq!(scale.method, assessments::primary::Method::IrtAdaptive, "{}", scale.scale);
                assert!(scale.normed.is_some() && scale.stop.is_some(), "{}: a normed score and why the run stopped", scale.scale);
            }
        }
        // On average about 8 of 20 items per trait scale, plus the 8 response-style
        // items and the 5 checks (a careless responder takes up to 20 per scale).
        let mean = svi_answered as f64 / sessions.len() as f64;
        assert!(mean < 0.6 * battery[0].bank.items().len() as f64, "adaptively: far fewer SVI items on average ({mean})");
        // Another organisation sees none of it.
        let other = t.store.create_organisation("Other", "other", false).await.expect("other org");
        assert!(t.store.scores_of(&other.id, &sessions[0]).await.expect("scores").is_empty());
    }
}

/// A raw pool on the test database, for setting up unusual states.
fn finished<'a>(org: &'a str, session: &'a str) -> AuditEntry<'a> {
    AuditEntry { org_id: Some(org), actor: Actor::Candidate, action: "candidate.finished", object_type: "session", object_id: Some(session), detail: None }
}

async fn any_pool(t: &TestDb) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(t.url.expose()).await.expect("raw pool")
}

/// SQLite's write-ahead log is copied into the database by a connection of
/// its own, not by the committing one: once that has caught up, a later
/// commit starts the log from the beginning. Without it, the log would keep
/// every page written until the writer's own checkpoint (at 65,536 pages) and
/// never start again in this test.
///
/// A restart is seen in the log file's header, whose checkpoint sequence
/// number (bytes 12..16, big-endian) goes up by one each time; reading the
/// file changes nothing, where asking SQLite (`PRAGMA wal_checkpoint`) would
/// itself checkpoint. The test waits up to ten seconds, as a loaded machine
/// may delay the checkpointer's rounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_checkpoints_happen_in_the_background() {
    let Some(t) = TestDb::new(common::Db::Sqlite).await else { return };
    let (_org, session) = session_fixture(&t).await;
    let database = t.url.expose().strip_prefix("sqlite://").expect("a sqlite url").to_owned();
    let log = format!("{database}-wal");
    let checkpoint_sequence = || -> u32 {
        let header = std::fs::read(&log).expect("the write-ahead log");
        u32::from_be_bytes(header[12..16].try_into().expect("a log header"))
    };
    let save = |i: i64| {
        let item = format!("item-{i:04}");
        let store = t.store.clone();
        let session = session.clone();
        async move {
            store.save_answer(&AnswerInput { session_id: &session, instrument: "svi", item_id: &item, value: "3", latency_ms: None, client_seq: i + 1, answers_before: None }).await.expect("save");
        }
    };
    save(0).await;
    let first = checkpoint_sequence();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut commits = 1;
    while checkpoint_sequence() == first {
        assert!(std::time::Instant::now() < deadline, "the log did not start again in ten seconds ({commits} commits)");
        // A few of the checkpointer's 10 ms rounds, then a commit that may restart the log.
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        save(commits).await;
        commits += 1;
    }
}

/// An SQLite database made before the security role (schema 18, with a
/// user and a session that refers to them) gains the role when a newer
/// Vigil opens it: `users` is rebuilt, every reference still holds and
/// is still enforced.
#[tokio::test]
async fn an_older_sqlite_database_gains_the_security_role_and_keeps_its_references() {
    let (url, _dir) = common::fresh_database_url(common::Db::Sqlite).await.expect("sqlite");
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("{}?mode=rwc", url.expose())).await.expect("connect");
    let mut files: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite")).expect("migrations").map(|e| e.expect("entry").path()).collect();
    files.sort();
    for f in files.iter().filter(|f| f.file_name().and_then(|n| n.to_str()).is_some_and(|n| n[..14] <= *"20261206000018")) {
        sqlx::Executor::execute(&mut conn, std::fs::read_to_string(f).expect("sql").as_str()).await.unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
    // What sqlx would have recorded, so the newer Vigil applies only 19 on.
    sqlx::Executor::execute(&mut conn, "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB NOT NULL, execution_time BIGINT NOT NULL)").await.expect("table");
    let migrator = sqlx::migrate!("../migrations/sqlite");
    for m in migrator.iter().filter(|m| m.version <= 20261206000018) {
        sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ($1, $2, TRUE, $3, 0)").bind(m.version).bind(m.description.to_string()).bind(m.checksum.to_vec()).execute(&mut conn).await.expect("record");
    }
    sqlx::Executor::execute(&mut conn, "INSERT INTO organisations VALUES ('o', 'Old', 'old', 0, 0); INSERT INTO users (id, org_id, email, display_name, role, created_at) VALUES ('u', 'o', 'a@old.example', 'A', 'admin', 0); INSERT INTO staff_sessions VALUES ('h', 'u', 'o', 0, 0, 9, NULL);").await.expect("rows");
    sqlx::Connection::close(conn).await.expect("close");

    let store = Store::open(&url).await.expect("the newer Vigil migrates it");
    store.create_user(&NewUser { org_id: "o", email: "sec@old.example", display_name: "S", role: Role::Security, password_hash: None }).await.expect("a security lead");
    assert_eq!(store.users_of("o").await.expect("users").len(), 2, "the old user is kept");
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url.expose()).await.expect("connect");
    sqlx::query("PRAGMA foreign_keys = ON").execute(&mut conn).await.expect("pragma");
    let schema: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = 'staff_sessions'").fetch_one(&mut conn).await.expect("schema");
    assert!(schema.contains("REFERENCES users(id)"), "{schema}");
    assert!(sqlx::query("DELETE FROM users WHERE id = 'u'").execute(&mut conn).await.is_err(), "the session still refers to its user");
    // A second opening changes nothing.
    store.close().await;
    Store::open(&url).await.expect("opens again");
}

/// On SQLite, `users` is rebuilt after the migrations (migration 19, the
/// security role): every column a migration adds to it must survive that.
#[tokio::test]
async fn a_new_sqlite_database_keeps_every_column_the_migrations_give_users() {
    let (url, _dir) = common::fresh_database_url(common::Db::Sqlite).await.expect("sqlite");
    let store = Store::open(&url).await.expect("migrated");
    store.close().await;
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url.expose()).await.expect("connect");
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('users')").fetch_all(&mut conn).await.expect("columns");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite");
    let mut added = Vec::new();
    for entry in std::fs::read_dir(dir).expect("migrations") {
        let sql = std::fs::read_to_string(entry.expect("entry").path()).expect("sql");
        for line in sql.lines().filter(|l| !l.trim_start().starts_with("--")) {
            if let Some(rest) = line.trim().strip_prefix("ALTER TABLE users ADD COLUMN ") {
                added.push(rest.split_whitespace().next().expect("a name").to_string());
            }
        }
    }
    assert!(added.contains(&"language".to_string()), "{added:?}");
    for column in &added {
        assert!(columns.contains(column), "users lost {column} when it was rebuilt: {columns:?}");
    }
}
