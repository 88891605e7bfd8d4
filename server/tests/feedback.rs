//! The candidate's feedback report (issue 20, item 4), on SQLite and
//! PostgreSQL: after finishing a campaign that offers feedback, every
//! result scale with what it is about, where the answers place the person
//! (the same range the stored scores give, or "between" when the 90% band
//! crosses a boundary) and what that tends to mean; how it was measured and
//! what it cannot tell; no numbers; in English and German; nothing for a
//! validity scale, for answers that cannot be read, before finishing or
//! where the campaign offers no feedback.

use crate::common;

use assessments::{
    bank::ScaleKind,
    norms::derived::{band_label, BandLabel},
};
use common::candidate;
use vigil::{catalog::Catalog, scoring::read::read_session};

const DAY_MS: i64 = 86_400_000;


async fn raw(app: &common::TestApp) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(app.db.url.expose()).await.expect("raw pool")
}

/// The report's scale sections: (name, placement sentence).
fn sections(html: &str) -> Vec<(String, String)> {
    html.split("<article class=\"feedback-scale\">")
        .skip(1)
        .map(|a| {
            let name = a.split("<h3>").nth(1).and_then(|r| r.split("</h3>").next()).unwrap_or_default().to_string();
            let placed = a.split("<p class=\"placement\"><strong>").nth(1).and_then(|r| r.split("</strong>").next()).unwrap_or_default().to_string();
            (name, placed)
        })
        .collect()
}

on_both_databases! {
    async fn the_report_places_every_result_scale_as_the_stored_scores_do(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation, cookie) = candidate::finished(&app).await;
        let (_, done) = candidate::get(&app, &cookie, "/assessment").await;
        assert!(done.contains("href=\"/assessment/feedback\""), "the completion page links to the report");
        // The fixture answers every question alike, which the response-validity
        // check flags; here the answers count as readable (the other test reads
        // the flagged case).
        let pool = raw(&app).await;
        sqlx::query("UPDATE scores SET validity_status = 'ok' WHERE org_id = $1").bind(&org).execute(&pool).await.expect("readable");
        let (status, html) = candidate::get(&app, &cookie, "/assessment/feedback").await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("<html lang=\"en\">") && html.contains("Your feedback report"));

        // The expected range of each result scale, from the stored scores by the one band rule.
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        let scores = app.db.store.scores_of(&org, &session.id).await.expect("scores");
        let battery = ["svi", "sjs"].map(|i| catalog.get(i, "1.0.0").expect("bank"));
        let mut expected = Vec::new();
        for instrument in read_session(&battery, &scores).expect("read") {
            for s in instrument.scales.iter().filter(|s| matches!(s.kind, ScaleKind::Trait | ScaleKind::Judgement)) {
                let n = s.normed.as_ref().expect("normed");
                let name = instrument.entry.bank.scale(&s.scale).and_then(|d| d.name.get("en").cloned()).expect("name");
                let word = |l: BandLabel| match l { BandLabel::Low => "lower", BandLabel::Average => "middle", BandLabel::High => "higher" };
                let (lo, hi) = (band_label(n.band90.t[0]), band_label(n.band90.t[1]));
                let placed = if lo == hi {
                    format!("Your answers place you in the {} range of the reference group.", word(n.label))
                } else {
                    format!("Your result lies between the {} and the {} range: the measurement is not precise enough to say which.", word(lo), word(hi))
                };
                expected.push((name, placed));
            }
        }
        assert_eq!(expected.len(), 9, "8 SVI traits and the SJS judgement scale");
        assert_eq!(sections(&html), expected, "each scale placed as its stored score and band say, in the bank's order");
        assert!(!html.contains("Impression management"), "a response-style check is no result to feed back");
        assert_eq!(html.matches("How this was measured").count(), 2, "per instrument");
        assert_eq!(html.matches("What these results cannot tell").count(), 2);
        assert!(html.contains("demonstration group"), "the shipped norms are demonstration data, and the report says so");
        for number in ["percentile", "Percentile", "%", "T 3", "T 4", "T 5", "T 6", "T 7"] {
            assert!(!html.contains(number), "no numbers such as {number:?} on the candidate's report");
        }

        // In German, for a session held in German.
        sqlx::query("UPDATE assessment_sessions SET language = 'de' WHERE id = $1").bind(&session.id).execute(&pool).await.expect("de");
        let (_, de) = candidate::get(&app, &cookie, "/assessment/feedback").await;
        assert!(de.contains("<html lang=\"de\">") && de.contains("Ihre Rückmeldung") && de.contains("<h3>Wachsamkeit</h3>"), "{de}");
        assert!(de.contains("Wie das gemessen wurde") && !de.contains("How this was measured"));
        assert_eq!(sections(&de).len(), 9);
    }

    async fn answers_that_cannot_be_read_get_no_result_and_no_report_is_given_unasked(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        // Before finishing, and without a link: nothing.
        let (org, invitation) = candidate::invite(&app, 7 * DAY_MS, None).await;
        let cookie = candidate::open(&app).await;
        assert!(candidate::post(&app, &cookie, "/assessment/start", &[]).await.status().is_redirection());
        let (status, page) = candidate::get(&app, &cookie, "/assessment/feedback").await;
        assert_eq!(status, 404, "not finished: {page}");
        assert!(page.contains("No feedback report"));
        let anonymous = app.client.get(format!("{}/assessment/feedback", app.base)).send().await.expect("get");
        assert_eq!(anonymous.status().as_u16(), 404);

        candidate::answer_every_page(&app, &cookie).await;
        assert!(candidate::post(&app, &cookie, "/assessment/finish", &[]).await.status().is_redirection());
        let pool = raw(&app).await;
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        sqlx::query("UPDATE scores SET validity_status = 'invalid' WHERE session_id = $1 AND instrument = 'svi'").bind(&session.id).execute(&pool).await.expect("invalid");
        let (status, html) = candidate::get(&app, &cookie, "/assessment/feedback").await;
        assert_eq!(status, 200);
        assert!(html.contains("id=\"not-readable\"") && html.contains("This says nothing about you"), "{html}");
        assert_eq!(sections(&html).len(), 1, "only the scenarios' result");

        // A campaign that offers no feedback gives none, and the completion page does not link to it.
        sqlx::query("UPDATE campaigns SET candidate_feedback = 0 WHERE org_id = $1").bind(&org).execute(&pool).await.expect("no feedback");
        let (status, _) = candidate::get(&app, &cookie, "/assessment/feedback").await;
        assert_eq!(status, 404);
        let (_, done) = candidate::get(&app, &cookie, "/assessment").await;
        assert!(!done.contains("/assessment/feedback"));
    }
}
