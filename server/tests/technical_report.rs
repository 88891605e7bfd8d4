//! The technical report of an instrument version over real HTTP, on SQLite
//! and PostgreSQL: from simulated respondents (labelled so) until the
//! organisation has 100 completed sessions, then from those (numbers equal
//! to the core's on the same answers); psychologists and administrators
//! only; another organisation's version is not found.

use crate::common;

use assessments::technical::technical_numbers;
use common::web;
use vigil::catalog::Catalog;

const REPORT: &str = "/instruments/svi/1.0.0/report";

on_both_databases! {
    async fn the_report_says_where_its_numbers_come_from(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let psychologist = web::login(&app, web::PSYCHOLOGIST_A).await;
        let recruiter = web::login(&app, web::RECRUITER_A).await;
        let (status, _, page) = web::get(&app, Some(&psychologist), REPORT).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("Simulated: 1000 respondents"), "no collected data yet");
        assert!(page.contains("(simulated)</span></caption>"), "every table says so");
        for section in ["What the scores can and cannot tell", "id=\"report-scales\"", "id=\"report-correlations\"", "id=\"cat-efficiency\"", "id=\"report-norms\"", "id=\"report-fairness\""] {
            assert!(page.contains(section), "{section}");
        }
        assert!(page.contains("they do not predict misconduct"));
        let (status, _, _) = web::get(&app, Some(&recruiter), REPORT).await;
        assert_eq!(status, 403, "recruiters never see item-level statistics");

        // With 120 collected sessions the report is theirs, with the core's numbers.
        let (_, answers) = common::sessions::simulated(&app.db.store, &people.org_a, "1.0.0", (120, 0), 31, |_| {}).await;
        let (_, _, page) = web::get(&app, Some(&psychologist), REPORT).await;
        assert!(page.contains("Collected: 120 completed sessions"), "{}", page.split("data-source").nth(1).unwrap_or_default().chars().take(200).collect::<String>());
        assert!(page.contains("(collected)</span></caption>"));
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let svi = catalog.get("svi", "1.0.0").expect("svi");
        let expected = technical_numbers(&svi.bank, &answers, 1, None);
        for s in &expected.scales {
            let alpha = format!("<td>{:.2} [{:.2}, {:.2}]</td>", s.alpha.expect("alpha"), s.alpha_ci95.expect("ci")[0], s.alpha_ci95.expect("ci")[1]);
            assert!(page.contains(&alpha), "{}: {alpha}", s.scale);
            assert!(page.contains(&format!("<td>{:.2}</td><td>", s.sem.expect("sem"))), "{}: SEM", s.scale);
        }
        // Another organisation still sees the simulation (the shipped version is everyone's; the data are not).
        let admin_b = web::login(&app, web::ADMIN_B).await;
        let (_, _, page_b) = web::get(&app, Some(&admin_b), REPORT).await;
        assert!(page_b.contains("Simulated: 1000 respondents"));
        let (status, _, _) = web::get(&app, Some(&admin_b), "/instruments/a-own/1.0.0/report").await;
        assert_eq!(status, 404);
    }
}
