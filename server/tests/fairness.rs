//! Fairness checks (issue 16, item 3) over real HTTP, on SQLite and
//! PostgreSQL: an administrator chooses optional group questions under the
//! organisation's notice; a candidate is offered them only after finishing,
//! may answer, change or remove them, and they are stored by session, never
//! beside a name, gone on erasure and absent from what recruiters see; a
//! psychologist compares groups: a planted biased item is flagged C, a
//! group under 5 shows no number, and nothing is shown to recruiters.

use std::cell::Cell;

use crate::common;

use common::{candidate, web, TestApp};
use vigil::{
    fairness::variables::{DEFAULT_NOTICE_DE, DEFAULT_NOTICE_EN},
    store::{Actor, GroupSettingsRow},
};

fn owned(form: &[(&str, &str)]) -> Vec<(String, String)> {
    form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

async fn ask(app: &TestApp, org: &str, variables: &str) {
    let row = GroupSettingsRow { variables: variables.into(), notice_en: DEFAULT_NOTICE_EN.into(), notice_de: DEFAULT_NOTICE_DE.into(), updated_at: 1 };
    app.db.store.save_group_settings(org, &row, None).await.expect("settings");
}

/// The sessions of a campaign that have answer sheets.
async fn sheet_sessions(app: &TestApp, campaign: &str) -> Vec<String> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(app.db.url.expose()).await.expect("raw pool");
    sqlx::query_scalar("SELECT session_id FROM analysis_sheets WHERE campaign_id = $1 ORDER BY session_id").bind(campaign).fetch_all(&pool).await.expect("sessions")
}

/// Simulated SVI sessions of `org` answering gender = `group`; with `biased`,
/// every other person answers the first item of the first scale two steps lower.
async fn group(app: &TestApp, org: &str, n: usize, seed: u64, group: &str, biased: bool) -> String {
    let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("banks");
    let bank = catalog.get("svi", "1.0.0").expect("svi").bank.clone();
    let first = bank.scale_item_indices(0)[0];
    let info = bank.item_info(first).expect("info").clone();
    let turn = Cell::new(0usize);
    let (campaign, _) = common::sessions::simulated(&app.db.store, org, "1.0.0", (n, 0), seed, |r| {
        turn.set(turn.get() + 1);
        // Respondents are named per session in real sheets; these come from separate simulations.
        r.respondent = format!("{group}-{}", turn.get());
        if biased && turn.get() % 2 == 0 {
            if let Some(assessments::responses::Answer::Value(x)) = r.answer(first) {
                r.set_index(first, Some(assessments::responses::Answer::Value((x - 2).max(info.min))));
            }
        }
    })
    .await;
    for session in sheet_sessions(app, &campaign).await {
        app.db.store.save_group_answers(org, &session, &[("gender", group)], 1).await.expect("answers");
    }
    campaign
}

on_both_databases! {
    async fn candidates_answer_after_finishing_and_their_answers_never_stand_beside_a_name(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation, cookie) = candidate::finished(&app).await;
        let (_, done) = candidate::get(&app, &cookie, "/assessment").await;
        assert!(!done.contains("/assessment/about-you"), "nothing is offered while the organisation asks nothing");
        let (status, _) = candidate::get(&app, &cookie, "/assessment/about-you").await;
        assert_eq!(status, 200, "the page says there is nothing to answer");

        ask(&app, &org, "gender,age_band").await;
        let (_, done) = candidate::get(&app, &cookie, "/assessment").await;
        assert!(done.contains("href=\"/assessment/about-you\""), "offered on the completion page");
        let (status, page) = candidate::get(&app, &cookie, "/assessment/about-you").await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("These questions are optional") && page.contains("How do you describe your gender?") && page.contains("How old are you?"));
        assert!(!page.contains("first language"), "only the questions the organisation asks");
        assert_eq!(page.matches("value=\"\" checked").count(), 2, "\"prefer not to say\" is chosen until the person answers");

        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session").id;
        let res = candidate::post(&app, &cookie, "/assessment/about-you", &owned(&[("gender", "woman"), ("age_band", ""), ("first_language", "no"), ("action", "save")])).await;
        assert_eq!(res.headers().get("location").and_then(|l| l.to_str().ok()), Some("/assessment/about-you?done=saved"));
        assert_eq!(app.db.store.group_answers_of(&org, &session).await.expect("q"), vec![("gender".to_string(), "woman".to_string())], "an unasked question is not stored, nor \"prefer not to say\"");

        // An answer the question does not offer changes nothing.
        let res = candidate::post(&app, &cookie, "/assessment/about-you", &owned(&[("gender", "martian"), ("age_band", "30_44")])).await;
        assert_eq!(res.status().as_u16(), 422);
        assert_eq!(app.db.store.group_answers_of(&org, &session).await.expect("q").len(), 1);

        // Changed, then shown as chosen, in the session's language.
        candidate::post(&app, &cookie, "/assessment/about-you", &owned(&[("gender", ""), ("age_band", "30_44")])).await;
        assert_eq!(app.db.store.group_answers_of(&org, &session).await.expect("q"), vec![("age_band".to_string(), "30_44".to_string())]);
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(app.db.url.expose()).await.expect("raw pool");
        sqlx::query("UPDATE assessment_sessions SET language = 'de' WHERE id = $1").bind(&session).execute(&pool).await.expect("de");
        let (_, de) = candidate::get(&app, &cookie, "/assessment/about-you").await;
        assert!(de.contains("<html lang=\"de\">") && de.contains("Wie alt sind Sie?") && de.contains("value=\"30_44\" checked") && de.contains("Meine Antworten entfernen"), "{de}");

        // The person's own copy of their data includes them.
        let (_, copy) = candidate::get(&app, &cookie, "/assessment/your-data.json").await;
        assert!(copy.contains("\"optional_group_answers\"") && copy.contains("30 bis 44"), "{copy}");
        // Recruiters never see them: not in the campaign's export.
        let campaign: String = sqlx::query_scalar("SELECT campaign_id FROM invitations WHERE id = $1").bind(&invitation).fetch_one(&pool).await.expect("campaign");
        let recruiter = app.db.store.create_user(&vigil::store::NewUser { org_id: &org, email: "rec@acme.example", display_name: "Rec", role: vigil::store::Role::Recruiter, password_hash: Some(&vigil::passwords::hash_password("a long enough password").expect("hash")) }).await.expect("user");
        let _ = recruiter;
        let cookie_r = web::session_cookie(&web::login_with(&app, "rec@acme.example", "a long enough password", None).await).expect("signed in");
        let (status, _, csv) = web::get(&app, Some(&cookie_r), &format!("/campaigns/{campaign}/export.csv")).await;
        assert_eq!(status, 200);
        assert!(!csv.contains("30_44") && !csv.contains("age_band"), "no group answer in the recruiter's export");

        // Removed by the candidate; and gone with the person on erasure.
        candidate::post(&app, &cookie, "/assessment/about-you", &owned(&[("action", "remove")])).await;
        assert!(app.db.store.group_answers_of(&org, &session).await.expect("q").is_empty());
        app.db.store.save_group_answers(&org, &session, &[("gender", "man")], 2).await.expect("again");
        assert!(app.db.store.erase_candidate(&org, &invitation, Actor::System, "request", 3).await.expect("erase"));
        assert!(app.db.store.group_answers_of(&org, &session).await.expect("q").is_empty(), "erasure deletes the group answers");
    }

    async fn administrators_choose_the_questions_and_the_notice(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        let (status, _, page) = web::get(&app, Some(&admin), "/admin/fairness").await;
        assert_eq!(status, 200);
        assert!(page.contains("Nothing is asked yet") && page.contains(DEFAULT_NOTICE_EN), "Vigil's notice as a start");
        // Unknown questions and a missing notice are refused, and nothing is stored.
        let (status, _, _) = web::post(&app, Some(&admin), "/admin/fairness", &[("variable", "religion"), ("notice_en", "x"), ("notice_de", "y")]).await;
        assert_eq!(status, 422);
        let (status, _, page) = web::post(&app, Some(&admin), "/admin/fairness", &[("variable", "gender"), ("notice_en", "Optional."), ("notice_de", " ")]).await;
        assert_eq!(status, 422, "{page}");
        assert!(page.contains("Write the notice in German"));
        assert_eq!(app.db.store.group_settings(&people.org_a).await.expect("q"), None);
        let (status, location, _) = web::post(&app, Some(&admin), "/admin/fairness", &[("variable", "age_band"), ("variable", "gender"), ("notice_en", "Ours."), ("notice_de", "Unsere.")]).await;
        assert_eq!((status, location.as_deref()), (303, Some("/admin/fairness?done=1")));
        let saved = app.db.store.group_settings(&people.org_a).await.expect("q").expect("saved");
        assert_eq!((saved.variables.as_str(), saved.notice_en.as_str()), ("gender,age_band", "Ours."), "in Vigil's order");
        let (_, _, page) = web::get(&app, Some(&admin), "/admin/fairness").await;
        assert!(page.contains("value=\"gender\" checked") && !page.contains("value=\"first_language\" checked"));
        assert_eq!(app.db.store.group_settings(&people.org_b).await.expect("q"), None, "another organisation's choice is its own");
    }

    async fn the_check_flags_a_planted_item_and_shows_nothing_under_five(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        group(&app, &people.org_a, 260, 21, "man", false).await;
        let women = group(&app, &people.org_a, 240, 22, "woman", true).await;
        group(&app, &people.org_a, 3, 23, "another", false).await;
        let psychologist = web::login(&app, web::PSYCHOLOGIST_A).await;
        let (status, _, page) = web::get(&app, Some(&psychologist), "/fairness?bank=svi%401.0.0&variable=gender").await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("Man (reference)</th><td>260</td>") && page.contains("Woman</th><td>240</td>"), "the largest group is the reference: {page}");
        assert!(page.contains("In another way</th><td>fewer than 5</td>"), "a group of 3 is named, not counted");
        assert!(!page.contains("focal-another"), "and compared with nobody");
        let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("banks");
        let bank = &catalog.get("svi", "1.0.0").expect("svi").bank;
        let planted = &bank.items()[bank.scale_item_indices(0)[0]].id;
        let rows: Vec<&str> = page.split("<tr><th scope=\"row\">").skip(1).collect();
        let class_of = |item: &str| rows.iter().find(|r| r.starts_with(&format!("{item}</th>"))).map(|r| r.contains(">C</strong>"));
        assert_eq!(class_of(planted), Some(true), "the planted item is class C: {page}");
        let flagged: Vec<&&str> = rows.iter().filter(|r| r.contains(">C</strong>")).collect();
        assert_eq!(flagged.len(), 1, "no other item at C: {flagged:?}");
        assert!(!page.contains("Nora Norm"), "no identity on the page");

        // A reference group asked for, a cut (these simulated sessions have no stored T, so no table can be filled).
        let (status, _, page) = web::get(&app, Some(&psychologist), "/fairness?bank=svi%401.0.0&variable=gender&reference=woman&cut_scale=vigilance&cut=55").await;
        assert_eq!(status, 200);
        assert!(page.contains("Woman (reference)") && page.contains("id=\"impact-suppressed\""), "{page}");
        // Bad input: a cut outside T, a scale the bank lacks, a group the question lacks, another organisation's campaign.
        for bad in ["&cut_scale=vigilance&cut=95", "&cut_scale=nonsense&cut=50", "&reference=martian"] {
            let (status, _, _) = web::get(&app, Some(&psychologist), &format!("/fairness?bank=svi%401.0.0&variable=gender{bad}")).await;
            assert_eq!(status, 422, "{bad}");
        }
        let (other, _) = common::sessions::simulated(&app.db.store, &people.org_b, "1.0.0", (5, 0), 24, |_| {}).await;
        let (status, _, page) = web::get(&app, Some(&psychologist), &format!("/fairness?bank=svi%401.0.0&variable=gender&campaign={other}")).await;
        assert_eq!(status, 404, "{page}");
        // A question nobody answered, and a selection with one group only: said, not computed.
        let (status, _, page) = web::get(&app, Some(&psychologist), "/fairness?bank=svi%401.0.0&variable=age_band").await;
        assert_eq!(status, 200);
        assert!(page.contains("No group has 5 people"), "{page}");
        let (status, _, page) = web::get(&app, Some(&psychologist), &format!("/fairness?bank=svi%401.0.0&variable=gender&campaign={women}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Only one group (Woman) has 5 people") && !page.contains("fairness-focal"), "{page}");
        // Recruiters never see the check.
        let recruiter = web::login(&app, web::RECRUITER_A).await;
        let (status, _, _) = web::get(&app, Some(&recruiter), "/fairness?bank=svi%401.0.0&variable=gender").await;
        assert_eq!(status, 403);
    }

    async fn the_demo_compares_the_scores_recruiters_read(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("banks");
        let credentials = tempfile::tempdir().expect("dir");
        vigil::demo::seed(&app.db.store, &catalog, &credentials.path().join("demo.txt")).await.expect("seed");
        let demo = app.db.store.organisation_by_slug("demo").await.expect("q").expect("demo");
        let hash = vigil::passwords::hash_password(web::PASSWORD).expect("hash");
        app.db.store.create_user(&vigil::store::NewUser { org_id: &demo.id, email: "ana@demo.vigil.test", display_name: "Ana", role: vigil::store::Role::Psychologist, password_hash: Some(&hash) }).await.expect("psychologist");
        let psychologist = web::login(&app, "ana@demo.vigil.test").await;
        let campaign = app.db.store.campaigns_of(&demo.id).await.expect("q").into_iter().find(|c| c.adaptive == 0).expect("the fixed-form demo campaign");

        // The expected figures, from the stored scores and group answers, by the core's own functions.
        let entry = catalog.get("svi", "1.0.0").expect("svi");
        let mut people = Vec::new();
        for session in app.db.store.completed_sessions(&demo.id, &campaign.id).await.expect("q") {
            let Some((_, group)) = app.db.store.group_answers_of(&demo.id, &session).await.expect("q").into_iter().find(|(v, _)| v == "gender") else { continue };
            let rows: Vec<_> = app.db.store.sessions_scores(&demo.id, &[session.as_str()]).await.expect("q").into_iter().filter(|r| r.instrument == "svi").collect();
            if rows.iter().any(|r| r.validity_status == "invalid") {
                continue; // invalid sessions never count
            }
            let mut scores = std::collections::BTreeMap::new();
            for s in vigil::scoring::read::read_session(std::slice::from_ref(&entry), &rows).expect("read").iter().flat_map(|i| i.scales.clone()) {
                if let Some(n) = s.normed {
                    scores.insert(s.scale.clone(), f64::from(n.point.t));
                }
            }
            people.push(assessments::fairness::Person { group, scores });
        }
        let values = vigil::fairness::variables::variable("gender").expect("gender").values();
        let cut = assessments::fairness::Cut { scale: "vigilance".into(), at: 50.0 };
        let want = assessments::fairness::compare_groups(&people, &values, &["vigilance".to_string()], None, Some(&cut));
        let focal = &want.comparisons[0];
        let d = focal.differences[0].d.expect("d");

        let (status, _, page) = web::get(&app, Some(&psychologist), &format!("/fairness?bank=svi%401.0.0&variable=gender&campaign={}&cut_scale=vigilance&cut=50", campaign.id)).await;
        assert_eq!(status, 200, "{page}");
        for g in &want.groups {
            let label = vigil::fairness::variables::variable("gender").and_then(|v| v.choice(&g.group)).expect("choice").en;
            let n = g.n.map_or("fewer than 5".to_string(), |n| n.to_string());
            assert!(page.contains(&format!("{label}</th><td>{n}</td>")) || page.contains(&format!("{label} (reference)</th><td>{n}</td>")), "{label}: {n} in {page}");
        }
        let row = page.split("<tr><th scope=\"row\">Vigilance</th>").nth(1).expect("the vigilance row").split("</tr>").next().expect("row");
        assert!(row.ends_with(&format!("<td>{d:.2}</td>")), "d = {d:.2}: {row}");
        let impact = focal.impact.as_ref().expect("impact");
        if !impact.suppressed {
            assert!(page.contains(&format!("<td>{:.2}</td>", impact.ratio.expect("ratio"))), "the ratio on the page");
        } else {
            assert!(page.contains("id=\"impact-suppressed\""));
        }
    }
}
