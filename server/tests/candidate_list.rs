//! The campaign's candidate list pages (issue 20, item 6), on SQLite and
//! PostgreSQL: every candidate once across the pages, a candidate who
//! arrives meanwhile neither repeats nor pushes one off, the total counts
//! everyone, and the page links onwards and back.

use crate::common;

use common::web::get;
use vigil::{catalog::Catalog, recruit, staff::Caller};

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
        let caller = Caller { user_id: user.id.clone(), org_id: org.clone(), role: app::staff::model::StaffRole::Recruiter };
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
}
