//! The campaign's candidate list pages (issue 20, item 6), on SQLite and
//! PostgreSQL: every candidate once across the pages, a candidate who
//! arrives meanwhile neither repeats nor pushes one off, the total counts
//! everyone, and the page links onwards and back. The database filters
//! and sorts: its status agrees with the one-candidate rule in every
//! state, every order pages without gaps or repeats, and the name search
//! folds case beyond A to Z and takes `%` and `_` as themselves.

use std::collections::BTreeSet;

use crate::common;

use app::recruit::model::{CandidateQuery, CandidateRow, CandidateStatus, SortKey};
use common::{web::get, TestApp};
use vigil::{catalog::Catalog, recruit, staff::Caller};

/// Invites `name` to the campaign; returns the invitation's id.
async fn invite(app: &TestApp, org: &str, campaign_id: &str, name: &str, expires_in_ms: i64) -> String {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    app.db
        .store
        .create_invitation(&vigil::store::NewInvitation {
            org_id: org, campaign_id, candidate_name: Some(name), candidate_email: Some(&email), language: "en",
            token_hash: &vigil::secrets::secret_hash(&format!("token-{name}")), expires_at: vigil::time::now_ms() + expires_in_ms, created_by: None,
        })
        .await
        .expect("invitation")
        .invitation_id
}

/// Starts the candidate's session; returns its id.
async fn start(app: &TestApp, org: &str, campaign_id: &str, invitation_id: &str) -> String {
    app.db
        .store
        .start_session(&vigil::store::NewSession { org_id: org, campaign_id, invitation_id, notice_version: "1", language: "en", seed: 1, deadline_at: None })
        .await
        .expect("session")
}

async fn raw(app: &TestApp) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(app.db.url.expose()).await.expect("raw pool")
}

async fn recruiter(app: &TestApp, org: &str) -> Caller {
    let user = app.db.store.user_by_email("rita@demo.example").await.expect("q").expect("rita");
    Caller { user_id: user.id.clone(), org_id: org.to_string(), role: app::staff::model::StaffRole::Recruiter, language: "en".into() }
}

/// Every row of the list in its order, page after page.
async fn every_page(app: &TestApp, caller: &Caller, campaign_id: &str, mut query: CandidateQuery) -> Vec<CandidateRow> {
    let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
    let mut rows = Vec::new();
    loop {
        let (detail, page) = recruit::campaign_page(&app.db.store, &catalog, caller, campaign_id, &query).await.expect("page");
        assert_eq!(detail.listed.from as usize, rows.len() + 1, "each page starts where the last ended");
        rows.extend(page);
        match detail.listed.next_after {
            Some(after) => query.after = Some(after),
            None => return rows,
        }
    }
}

on_both_databases! {
    async fn the_candidate_list_pages_through_every_candidate_once_as_new_ones_arrive(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, campaign_id, cookie) = crate::recruit::demo(&app).await;
        let s = &app.db.store;
        let invite = |n: usize| {
            let (org, campaign_id) = (org.clone(), campaign_id.clone());
            async move {
                let (name, email) = (format!("Paged {n:03}"), format!("paged{n}@example.org"));
                s.create_invitation(&vigil::store::NewInvitation {
                    org_id: &org, campaign_id: &campaign_id, candidate_name: Some(&name), candidate_email: Some(&email), language: "en",
                    token_hash: &vigil::secrets::secret_hash(&format!("paged-token-{n}")), expires_at: vigil::time::now_ms() + 86_400_000, created_by: None,
                })
                .await
                .expect("invitation");
            }
        };
        for n in 0..230 {
            invite(n).await;
        }
        let total = vigil::demo::DEMO_CANDIDATES + 230;
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let user = s.user_by_email("rita@demo.example").await.expect("q").expect("rita");
        let caller = Caller { user_id: user.id.clone(), org_id: org.clone(), role: app::staff::model::StaffRole::Recruiter, language: "en".into() };
        let mut query = app::recruit::model::CandidateQuery::default();
        let mut seen: Vec<String> = Vec::new();
        let mut pages = Vec::new();
        loop {
            let (detail, rows) = recruit::campaign_page(s, &catalog, &caller, &campaign_id, &query).await.expect("page");
            pages.push((detail.listed.from, rows.len(), detail.listed.total));
            seen.extend(rows.iter().map(|r| r.invitation_id.clone()));
            if pages.len() == 1 {
                invite(999).await; // arrives while the recruiter reads the first page
            }
            match detail.listed.next_after {
                Some(after) => query.after = Some(after),
                None => break,
            }
        }
        assert_eq!(pages[0], (1, 100, total as u32));
        assert_eq!(pages[1], (101, 100, total as u32 + 1), "the total counts the new arrival");
        assert_eq!(pages[2], (201, total + 1 - 200, total as u32 + 1));
        let distinct: std::collections::BTreeSet<&String> = seen.iter().collect();
        assert_eq!((seen.len(), distinct.len()), (total + 1, total + 1), "every candidate once, none twice");

        // The page says so, and links onwards and back.
        let (_, _, first) = get(&app, Some(&cookie), &format!("/campaigns/{campaign_id}")).await;
        assert!(first.contains(&format!("Candidates ({}; 1 to 100 shown)", total + 1)), "{first}");
        let next = first.split("id=\"next-page\"").next().and_then(|h| h.rsplit("href=\"").next()).and_then(|h| h.split('"').next()).expect("a link to the next page");
        let (_, _, second) = get(&app, Some(&cookie), &next.replace("&amp;", "&")).await;
        assert!(second.contains("101 to 200 shown") && second.contains("id=\"first-page\""), "{second}");
    }

    async fn the_database_works_out_each_status_as_the_one_candidate_rule_does(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, campaign_id, _) = crate::recruit::demo(&app).await;
        let (day, pool) = (86_400_000_i64, raw(&app).await);
        let past = vigil::time::now_ms() - day;
        // One candidate in each state the rule tells apart.
        let invited = invite(&app, &org, &campaign_id, "State Invited", day).await;
        let link_out = invite(&app, &org, &campaign_id, "State Link Out", -day).await;
        let started = invite(&app, &org, &campaign_id, "State Started", day).await;
        let deadline = invite(&app, &org, &campaign_id, "State Deadline", day).await;
        let ran_out = invite(&app, &org, &campaign_id, "State Session Ran Out", day).await;
        let started_link_out = invite(&app, &org, &campaign_id, "State Started Link Out", day).await;
        let revoked = invite(&app, &org, &campaign_id, "State Revoked", day).await;
        let revoked_started = invite(&app, &org, &campaign_id, "State Revoked Started", day).await;
        let revoked_done = invite(&app, &org, &campaign_id, "State Revoked Done", day).await;
        for id in [&started, &deadline, &ran_out, &started_link_out, &revoked_started, &revoked_done] {
            start(&app, &org, &campaign_id, id).await;
        }
        let set = |sql: &'static str, value: Option<i64>, id: String| {
            let pool = pool.clone();
            async move {
                let q = sqlx::query(sql);
                let q = match value { Some(v) => q.bind(v), None => q };
                q.bind(id).execute(&pool).await.expect(sql);
            }
        };
        set("UPDATE assessment_sessions SET deadline_at = $1 WHERE invitation_id = $2", Some(past), deadline.clone()).await;
        set("UPDATE assessment_sessions SET status = 'expired' WHERE invitation_id = $1", None, ran_out.clone()).await;
        set("UPDATE invitations SET expires_at = $1 WHERE id = $2", Some(past), started_link_out.clone()).await;
        for id in [&revoked, &revoked_started, &revoked_done] {
            set("UPDATE invitations SET status = 'revoked' WHERE id = $1", None, id.clone()).await;
        }
        set("UPDATE assessment_sessions SET status = 'completed', completed_at = $1 WHERE invitation_id = $2", Some(past), revoked_done.clone()).await;

        let now = vigil::time::now_ms();
        let mut expected: Vec<(String, CandidateStatus)> = Vec::new();
        for row in app.db.store.campaign_candidates(&org, &campaign_id).await.expect("rows") {
            expected.push((row.invitation_id.clone(), recruit::candidate_status(&row, now)));
        }
        let want = |id: &String| expected.iter().find(|(i, _)| i == id).map(|(_, s)| *s);
        assert_eq!(
            [&invited, &link_out, &started, &deadline, &ran_out, &started_link_out, &revoked, &revoked_started, &revoked_done].map(want),
            [CandidateStatus::Invited, CandidateStatus::Expired, CandidateStatus::Started, CandidateStatus::Expired, CandidateStatus::Expired, CandidateStatus::Expired, CandidateStatus::Revoked, CandidateStatus::Revoked, CandidateStatus::Completed].map(Some),
            "the one-candidate rule, as written"
        );
        let caller = recruiter(&app, &org).await;
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let (detail, _) = recruit::campaign_page(&app.db.store, &catalog, &caller, &campaign_id, &CandidateQuery::default()).await.expect("page");
        for status in CandidateStatus::ALL {
            let listed: BTreeSet<String> = every_page(&app, &caller, &campaign_id, CandidateQuery { status: Some(status), ..Default::default() }).await.into_iter().map(|r| r.invitation_id).collect();
            let rule: BTreeSet<String> = expected.iter().filter(|(_, s)| *s == status).map(|(i, _)| i.clone()).collect();
            assert_eq!(listed, rule, "{status:?}: the list's filter and the rule agree");
            let counted = match status {
                CandidateStatus::Invited => detail.summary.counts.invited,
                CandidateStatus::Started => detail.summary.counts.started,
                CandidateStatus::Completed => detail.summary.counts.completed,
                CandidateStatus::Expired => detail.summary.counts.expired,
                CandidateStatus::Revoked => detail.summary.counts.revoked,
            };
            assert_eq!(counted as usize, rule.len(), "{status:?}: the campaign's count");
        }
        let listed = recruit::campaigns(&app.db.store, &catalog, &caller, None).await.expect("campaigns");
        let this = listed.campaigns.iter().find(|c| c.id == campaign_id).expect("listed");
        assert_eq!(this.counts, detail.summary.counts, "the campaign list counts as the campaign page does");
    }

    async fn every_order_pages_through_everyone_once_in_order(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, campaign_id, _) = crate::recruit::demo(&app).await;
        for n in 0..130 {
            // Names that tie in lower case, so the ties decide across the page break.
            let name = if n % 2 == 0 { format!("Tie {:03}", n / 4) } else { format!("tie {:03}", n / 4) };
            invite(&app, &org, &campaign_id, &format!("{name} {n}"), 86_400_000).await;
        }
        let caller = recruiter(&app, &org).await;
        let completed: Vec<CandidateRow> = every_page(&app, &caller, &campaign_id, CandidateQuery { status: Some(CandidateStatus::Completed), ..Default::default() }).await;
        for (row, decision) in completed.iter().zip(["advance", "hold", "decline", "hold"]) {
            app.db.store.record_decision(&org, &campaign_id, &row.invitation_id, decision, "Interview", &caller.user_id, vigil::time::now_ms()).await.expect("decision");
        }
        let everyone: BTreeSet<String> = app.db.store.campaign_candidates(&org, &campaign_id).await.expect("rows").into_iter().map(|r| r.invitation_id).collect();
        assert!(everyone.len() > 150, "more than one page");
        for sort in SortKey::ALL {
            for descending in [false, true] {
                let rows = every_page(&app, &caller, &campaign_id, CandidateQuery { sort, descending, ..Default::default() }).await;
                let ids: Vec<&String> = rows.iter().map(|r| &r.invitation_id).collect();
                assert_eq!(ids.iter().copied().collect::<BTreeSet<_>>().len(), everyone.len(), "{sort:?} {descending}: everyone once");
                assert_eq!(ids.len(), everyone.len(), "{sort:?} {descending}: nobody twice");
                // The visible key never goes back, and rows without one come last.
                let key = |r: &CandidateRow| -> Option<String> {
                    match sort {
                        SortKey::Name => Some(r.name.to_lowercase()),
                        SortKey::Status => Some(format!("{}", CandidateStatus::ALL.iter().position(|s| *s == r.status).expect("status"))),
                        SortKey::Invited => Some(r.invited_at.clone()),
                        SortKey::Completed => r.completed_at.clone(),
                        SortKey::Validity => r.validity.map(|v| format!("{}", v as u8)),
                        SortKey::Decision => r.decision.map(|d| format!("{}", d as u8)),
                    }
                };
                let keys: Vec<Option<String>> = rows.iter().map(key).collect();
                let present = keys.iter().take_while(|k| k.is_some()).count();
                assert!(keys[present..].iter().all(Option::is_none), "{sort:?} {descending}: missing keys last");
                for pair in keys[..present].windows(2) {
                    let ordered = if descending { pair[0] >= pair[1] } else { pair[0] <= pair[1] };
                    assert!(ordered, "{sort:?} {descending}: {:?} before {:?}", pair[0], pair[1]);
                }
                if sort == SortKey::Decision {
                    assert_eq!(present, 4, "four decided candidates come first");
                }
            }
        }
    }

    async fn the_name_search_folds_case_beyond_a_to_z_and_takes_wildcards_literally(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, campaign_id, _) = crate::recruit::demo(&app).await;
        let ozil = invite(&app, &org, &campaign_id, "Ömer Özdemir", 86_400_000).await;
        let percent = invite(&app, &org, &campaign_id, "Per 100% Cent", 86_400_000).await;
        let caller = recruiter(&app, &org).await;
        let found = |search: &'static str| {
            let (app, caller, campaign_id) = (&app, &caller, &campaign_id);
            async move {
                every_page(app, caller, campaign_id, CandidateQuery { search: Some(search.into()), ..Default::default() }).await.into_iter().map(|r| r.invitation_id).collect::<Vec<_>>()
            }
        };
        assert_eq!(found("ÖZDEMIR").await, vec![ozil.clone()]);
        assert_eq!(found("  özdemir ").await, vec![ozil.clone()], "trimmed, folded");
        assert_eq!(found("ömer.özdemir@").await, vec![ozil], "the address too");
        assert_eq!(found("100%").await, vec![percent]);
        assert!(found("%").await.len() == 1 && found("_").await.is_empty(), "wildcards are letters here");
        // Erasure takes the name out of the search.
        let erased = app.db.store.campaign_candidates(&org, &campaign_id).await.expect("rows").into_iter().find(|r| r.name.as_deref() == Some("Per 100% Cent")).expect("row");
        let erased_now = app.db.store.erase_candidate(&org, &erased.invitation_id, vigil::store::Actor::User(&caller.user_id), "asked", vigil::time::now_ms()).await.expect("erase");
        assert!(erased_now);
        assert!(found("cent").await.is_empty(), "an erased name is not found");
    }

    async fn the_campaign_list_pages_through_every_campaign_once(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, _, cookie) = crate::recruit::demo(&app).await;
        let battery = serde_json::json!({ "instruments": [{ "instrument": "sjs", "version": "1.0.0" }] }).to_string();
        for n in 0..110 {
            let name = format!("Campaign {n:03}");
            app.db
                .store
                .create_campaign(&vigil::store::NewCampaign {
                    org_id: &org, name: &name, role_family: "it", battery: &battery, time_limit_minutes: None, adaptive: false, candidate_feedback: false,
                    invitation_ttl_days: 14, created_by: None, reminder_days: None, link_base: None,
                })
                .await
                .expect("campaign");
        }
        let total = app.db.store.campaigns_of(&org).await.expect("campaigns").len();
        let caller = recruiter(&app, &org).await;
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let (mut after, mut seen, mut starts) = (None::<String>, Vec::new(), Vec::new());
        loop {
            let page = recruit::campaigns(&app.db.store, &catalog, &caller, after.as_deref()).await.expect("page");
            starts.push((page.listed.from, page.campaigns.len(), page.listed.total as usize));
            seen.extend(page.campaigns.iter().map(|c| c.id.clone()));
            match page.listed.next_after {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(starts, vec![(1, 50, total), (51, 50, total), (101, total - 100, total)]);
        assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), total, "every campaign once");
        assert!(seen[0].len() == 36 && seen.first() != seen.last());
        // The page says so, and links onwards.
        let (_, _, first) = get(&app, Some(&cookie), "/campaigns").await;
        assert!(first.contains(&format!("Campaigns ({total}; 1 to 50 shown)")), "{first}");
        let next = first.split("id=\"next-page\"").next().and_then(|h| h.rsplit("href=\"").next()).and_then(|h| h.split('"').next()).expect("a link to the next page");
        let (_, _, second) = get(&app, Some(&cookie), &next.replace("&amp;", "&")).await;
        assert!(second.contains("51 to 100 shown") && second.contains("id=\"first-page\""), "{second}");
    }
}
