//! The second wall between organisations (issue 19, item 6). On
//! PostgreSQL, connected as an ordinary role the way production should be,
//! a query without any `org_id` filter sees only the rows of the
//! organisation being served, and cannot write another organisation's row;
//! outside a request it sees every row (jobs, start-up); every table with an
//! `org_id` has the wall but `instrument_owners`. SQLite has no row-level
//! security: there the application's filters are the only wall.

use crate::common;

use common::{candidate, web::*};
use vigil::store::{as_organisation, Actor, AuditEntry, Store};

on_both_databases! {
    async fn an_unfiltered_query_sees_only_the_organisation_being_served(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let s = &app.db.store;
        for (org, n) in [(&p.org_a, 3), (&p.org_b, 2)] {
            for i in 0..n {
                s.audit(&AuditEntry { org_id: Some(org), actor: Actor::System, action: "wall.check", object_type: "organisation", object_id: Some(org), detail: Some(format!("{i}")) }).await.expect("audit");
            }
        }
        let count = |store: &Store, org: Option<String>| {
            let store = store.clone();
            async move {
                let all = || async { store.rows_visible("audit_log").await.expect("count") };
                match org {
                    Some(org) => as_organisation(&org, all()).await,
                    None => all().await,
                }
            }
        };
        let total = count(s, None).await;
        let of = |org: &str| {
            let (store, org) = (s.clone(), org.to_string());
            async move { store.audit_log(&org, 100_000).await.expect("log").len() as i64 }
        };
        let (own_a, own_b) = (of(&p.org_a).await, of(&p.org_b).await);
        assert!(own_a >= 3 && own_b >= 2 && total >= own_a + own_b);
        // A row of no organisation, as a sign-in attempt for an unknown address leaves.
        s.audit(&AuditEntry { org_id: None, actor: Actor::System, action: "wall.shared", object_type: "organisation", object_id: None, detail: None }).await.expect("audit");
        let total = total + 1;
        assert!(s.rows_visible("audit_log; DROP TABLE users").await.is_err(), "a table name only");

        if s.kind() == vigil::config::DatabaseKind::Sqlite {
            // No row-level security in SQLite: the application's filters are the wall.
            assert_eq!(count(s, Some(p.org_a.clone())).await, total);
            return;
        }
        sqlx::any::install_default_drivers();
        let raw = sqlx::AnyPool::connect(app.db.url.expose()).await.expect("raw pool");
        // The migration walls in every table with an org_id but instrument_owners.
        let unwalled: Vec<(String,)> = sqlx::query_as(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT (c.relrowsecurity AND c.relforcerowsecurity) \
             AND EXISTS (SELECT 1 FROM information_schema.columns k WHERE k.table_schema = n.nspname AND k.table_name = c.relname AND k.column_name = 'org_id') \
             ORDER BY 1",
        )
        .fetch_all(&raw)
        .await
        .expect("tables");
        assert_eq!(unwalled, vec![("instrument_owners".to_string(),)], "every other table with an org_id is walled in");

        // The administrator (a superuser) passes every policy: production must not connect as one.
        let admin = Store::connect(&app.db.url).await.expect("connect as the administrator");
        assert_eq!(count(&admin, Some(p.org_a.clone())).await, total, "superusers pass the wall");

        // Rows of no organisation (a sign-in attempt for an unknown address) are nobody's to hide.
        let shared: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE org_id IS NULL").fetch_one(&raw).await.expect("shared");
        // The application's own store connects as an ordinary role (tests/common), as production should.
        let ordinary = common::application_role(&app.db.url).await;
        let store = Store::connect(&ordinary).await.expect("connect as an ordinary role");
        let ordinary_url = ordinary.clone();
        let (total, own_a, own_b) = (count(s, None).await, of(&p.org_a).await, of(&p.org_b).await);
        assert_eq!(count(&store, None).await, total, "outside a request: every row (jobs, start-up)");
        assert_eq!(count(&store, Some(p.org_a.clone())).await, own_a + shared, "serving A: A's rows only");
        assert_eq!(count(&store, Some(p.org_b.clone())).await, own_b + shared, "serving B: B's rows only");
        assert_eq!(count(&store, Some("no-such-organisation".into())).await, shared);
        // Nor can a request of A write a row of B.
        let written = as_organisation(&p.org_a, store.audit(&AuditEntry { org_id: Some(&p.org_b), actor: Actor::System, action: "wall.breach", object_type: "organisation", object_id: None, detail: None })).await;
        assert!(written.is_err(), "a row of another organisation is refused");
        assert!(as_organisation(&p.org_a, store.audit(&AuditEntry { org_id: Some(&p.org_a), actor: Actor::System, action: "wall.own", object_type: "organisation", object_id: None, detail: None })).await.is_ok());

        // The whole of a recruiter's and a candidate's path works behind the wall.
        let (keyed, _) = store.with_secret_key(common::test_secret_key()).await.expect("the test key");
        let walled = common::serve_store(keyed, ordinary_url).await;
        let recruiter = login(&walled, RECRUITER_A).await;
        let (status, location, body) = post(&walled, Some(&recruiter), "/campaigns", &[("name", "Walled"), ("use", "sjs"), ("version:sjs", "1.0.0"), ("invitation_days", "14")]).await;
        assert_eq!(status, 303, "{body}");
        let campaign = location.and_then(|l| l.strip_prefix("/campaigns/").and_then(|r| r.strip_suffix("?created=1")).map(str::to_string)).expect("campaign");
        let (status, _, page) = post(&walled, Some(&recruiter), &format!("/campaigns/{campaign}/invitations"), &[("name", "Wally"), ("email", "wally@example.org"), ("language", "en")]).await;
        assert_eq!(status, 200, "{page}");
        let (status, _, outbox) = get(&walled, Some(&recruiter), "/outbox").await;
        assert!(status == 200 && outbox.contains("wally@example.org"), "{outbox}");
        let (status, _, list) = get(&walled, Some(&recruiter), &format!("/campaigns/{campaign}")).await;
        assert!(status == 200 && list.contains("Wally"), "{list}");
        let other = login(&walled, RECRUITER_B).await;
        assert_eq!(get(&walled, Some(&other), &format!("/campaigns/{campaign}")).await.0, 404);
        candidate::invite(&walled, 86_400_000, None).await;
        let cookie = candidate::open(&walled).await;
        assert!(candidate::post(&walled, &cookie, "/assessment/start", &[]).await.status().is_redirection());
        candidate::answer_every_page(&walled, &cookie).await;
        assert!(candidate::post(&walled, &cookie, "/assessment/finish", &[]).await.status().is_redirection());
        let (_, done) = candidate::get(&walled, &cookie, "/assessment").await;
        assert!(done.contains("Thank you"), "{done}");
    }
}
