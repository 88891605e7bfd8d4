//! The norm builder over real HTTP, on SQLite and PostgreSQL: the group is
//! the selected completed sessions without invalid ones, its numbers are
//! those of `vigil norms build` on the same answers; a group under 200 or
//! undescribed is refused with the reason and nothing stored; a published
//! table is offered to the organisation's campaigns and to nobody else.

use crate::common;

use assessments::norms::{build_norm_table, NormMeta};
use common::{web, TestApp};
use vigil::catalog::Catalog;

async fn sessions(app: &TestApp, org: &str, valid: usize, invalid: usize, seed: u64) -> (String, Vec<assessments::responses::Responses>) {
    common::sessions::simulated(&app.db.store, org, "1.0.0", (valid, invalid), seed, |_| {}).await
}

/// N equal; mean, SD, reliability and every percentile point within 1e-9.
fn same_norms(got: &[assessments::norms::NormScale], want: &[assessments::norms::NormScale]) {
    assert_eq!(got.len(), want.len());
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    for (g, w) in got.iter().zip(want) {
        assert_eq!((&g.scale, g.n), (&w.scale, w.n));
        assert!(close(g.mean, w.mean) && close(g.sd, w.sd) && close(g.reliability, w.reliability), "{}: {g:?} vs {w:?}", g.scale);
        assert_eq!(g.percentiles.len(), w.percentiles.len(), "{}", g.scale);
        assert!(g.percentiles.iter().zip(&w.percentiles).all(|(a, b)| close(a[0], b[0]) && close(a[1], b[1])), "{}", g.scale);
    }
}

fn description(id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("bank", "svi@1.0.0".into()),
        ("id", id.into()),
        ("group.en", "Applicants for security roles".into()),
        ("group.de", "Bewerbende für Sicherheitsrollen".into()),
        ("population", "Applicants to security operations roles".into()),
        ("country", "Germany".into()),
        ("role_family", "security operations".into()),
        ("sampling", "Every applicant of the norm study campaign".into()),
    ]
}

async fn post_owned(app: &TestApp, cookie: &String, path: &str, form: &[(&'static str, String)]) -> (u16, Option<String>, String) {
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    web::post(app, Some(cookie), path, &borrowed).await
}

on_both_databases! {
    async fn the_norm_group_excludes_invalid_sessions_and_equals_the_command(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let psychologist = web::login(&app, web::PSYCHOLOGIST_A).await;
        let (_, valid) = sessions(&app, &people.org_a, 230, 40, 11).await;
        let (status, _, page) = web::get(&app, Some(&psychologist), "/norms?bank=svi%401.0.0").await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("230 session(s)"), "invalid sessions are left out");
        assert!(page.contains("id=\"norm-form\""), "230 valid sessions may be published");
        assert!(page.contains("N = 230 is adequate, not good"), "warned under 300");
        assert!(!page.contains("Nora Norm"), "no identity on the page");

        // The same numbers as `vigil norms build` on these answers.
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let svi = catalog.get("svi", "1.0.0").expect("svi");
        let meta = NormMeta { id: "check".into(), demonstration: false, group: Default::default(), country: "x".into(), role_family: "x".into(), collected_from: "a".into(), collected_to: "b".into() };
        let expected = build_norm_table(&svi.bank, &valid, &meta).expect("table");
        let (status, location, body) = post_owned(&app, &psychologist, "/norms", &description("svi-applicants-de")).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location.as_deref(), Some("/norms?created=svi-applicants-de"));
        let fresh = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        vigil::catalog_sync::load_published(&app.db.store, &fresh).await.expect("refresh");
        let stored = fresh.get("svi", "1.0.0").expect("svi");
        let table = stored.norms_for(&people.org_a).find(|t| t.id == "svi-applicants-de").expect("stored and loaded");
        // The sessions are read in another order (by completion, then id), so sums may differ in the last bits: tolerance 1e-9.
        same_norms(&table.scales, &expected.scales);
        same_norms(&table.theta_scales, &expected.theta_scales);
        assert_eq!(table.theta_scales.len(), table.scales.len(), "SVI 1.0.0 has IRT parameters on every scale: theta norms for each");
        assert!(!table.demonstration, "collected data of a real organisation");
        assert_eq!(table.population.as_deref(), Some("Applicants to security operations roles"));
        assert!(stored.norms_for(&people.org_b).all(|t| t.id != "svi-applicants-de"), "another organisation does not get it");
    }

    async fn small_or_undescribed_groups_are_refused_and_nothing_is_stored(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let psychologist = web::login(&app, web::PSYCHOLOGIST_A).await;
        let admin_b = web::login(&app, web::ADMIN_B).await;
        // N = 0.
        let (status, _, page) = web::get(&app, Some(&psychologist), "/norms?bank=svi%401.0.0").await;
        assert_eq!(status, 200);
        assert!(page.contains("0 session(s) match; a norm table needs at least 200."), "{page}");
        assert!(!page.contains("id=\"norm-form\""));
        // N = 3.
        let (campaign, _) = sessions(&app, &people.org_a, 3, 0, 12).await;
        let (_, _, page) = web::get(&app, Some(&psychologist), "/norms?bank=svi%401.0.0").await;
        assert!(page.contains("N = 3; a norm table needs at least 200"), "{}", page.split("norm-refusals").nth(1).unwrap_or_default().chars().take(500).collect::<String>());
        let (status, _, body) = post_owned(&app, &psychologist, "/norms", &description("too-small")).await;
        assert_eq!(status, 422);
        assert!(body.contains("cannot be published"), "{body}");
        // Enough people, but undescribed.
        sessions(&app, &people.org_a, 205, 0, 13).await;
        let mut incomplete = description("undescribed");
        incomplete.retain(|(k, _)| *k != "sampling" && *k != "group.de");
        let (status, _, body) = post_owned(&app, &psychologist, "/norms", &incomplete).await;
        assert_eq!(status, 422);
        assert!(body.contains("how the sessions were sampled") && body.contains("the group&#39;s name in de") || body.contains("the group's name in de"), "{body}");
        assert!(app.db.store.norm_tables_of(&people.org_a).await.expect("q").is_empty(), "nothing stored");
        // Another organisation's campaign selects none of these sessions.
        let (status, _, page) = web::get(&app, Some(&admin_b), &format!("/norms?bank=svi%401.0.0&campaign={campaign}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("0 session(s)"), "another organisation's sessions are never in a group");
        let (_, _, page) = web::get(&app, Some(&admin_b), "/norms?bank=svi%401.0.0").await;
        assert!(page.contains("0 session(s)"));
        // Invalid answers cannot be chosen.
        let (status, _, _) = web::get(&app, Some(&psychologist), "/norms?bank=svi%401.0.0&validity=invalid").await;
        assert_eq!(status, 422);
    }

    async fn a_published_table_is_offered_to_the_organisations_campaigns(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let psychologist = web::login(&app, web::PSYCHOLOGIST_A).await;
        let recruiter = web::login(&app, web::RECRUITER_A).await;
        let recruiter_b = web::login(&app, web::RECRUITER_B).await;
        sessions(&app, &people.org_a, 210, 0, 14).await;
        let (status, _, body) = post_owned(&app, &psychologist, "/norms", &description("our-applicants")).await;
        assert_eq!(status, 303, "{body}");
        let (status, _, body) = post_owned(&app, &psychologist, "/norms", &description("our-applicants")).await;
        assert_eq!(status, 422, "the name is taken: {body}");
        let (_, _, options) = web::post(&app, Some(&recruiter), "/api/recruit_bank_options", &[]).await;
        assert!(options.contains("our-applicants"), "{options}");
        let (_, _, options_b) = web::post(&app, Some(&recruiter_b), "/api/recruit_bank_options", &[]).await;
        assert!(!options_b.contains("our-applicants"));
        let (status, _, body) = web::post(&app, Some(&recruiter), "/campaigns", &[("name", "Normed on ours"), ("role_family", "it"), ("instrument", "svi@1.0.0"), ("norm:svi@1.0.0", "our-applicants"), ("invitation_days", "14")]).await;
        assert_eq!(status, 303, "{body}");
        let (status, _, body) = web::post(&app, Some(&recruiter_b), "/campaigns", &[("name", "Borrowed"), ("role_family", "it"), ("instrument", "svi@1.0.0"), ("norm:svi@1.0.0", "our-applicants"), ("invitation_days", "14")]).await;
        assert_eq!(status, 422, "another organisation cannot choose it: {body}");
        let (_, _, page) = web::get(&app, Some(&psychologist), "/norms").await;
        assert!(page.contains("id=\"norm-tables\"") && page.contains("our-applicants") && page.contains("Pia Psychologist"));
    }
}
