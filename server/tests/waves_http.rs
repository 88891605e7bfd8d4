//! Workforce surveys and champions over real HTTP, on SQLite and
//! PostgreSQL: an administrator starts a wave from the form; employees
//! answer by their links without script (save, come back, skip, send),
//! with script's autosave too; bad answers, unknown links, sent links and
//! posts from another site are refused; after the close the security lead
//! reads the heat map and the CSV with the same hidden cells; recruiters
//! and other organisations see nothing. An employee asks for their own
//! link, takes the inventory page by page, reads their report, opts in
//! with one strength, is seen by security with only that, withdraws, and
//! downloads their data.

use crate::common;

use common::{web, TestApp};

/// Acme's structure in org A: Ops > {SOC (7), Red team (3)}, HR (6).
async fn structure(app: &TestApp, org: &str, admin: &str) -> Vec<String> {
    let s = &app.db.store;
    s.import_units(org, &[("Ops", None), ("SOC", Some("Ops")), ("Red team", Some("Ops")), ("HR", None)], admin, 1).await.expect("units");
    let mut people = Vec::new();
    for (unit, n) in [("SOC", 7), ("Red team", 3), ("HR", 6)] {
        for i in 0..n {
            people.push((format!("{}{i}@a.example", unit.to_lowercase().replace(' ', "")), unit));
        }
    }
    // Everybody in Berlin but the Red team, in Lisbon.
    let list: Vec<vigil::store::CurrentEmployee<'_>> = people
        .iter()
        .map(|(email, unit)| vigil::store::CurrentEmployee { email, name: "Emp Loyee", unit, location: Some(if *unit == "Red team" { "Lisbon" } else { "Berlin" }), tenure_band: None })
        .collect();
    s.sync_employees(org, &list, admin, 1).await.expect("employees");
    people.into_iter().map(|(e, _)| e).collect()
}

/// The newest link of `kind` (`/survey/` or `/me/`) sent to `to`.
async fn link(app: &TestApp, to: &str, kind: &str) -> String {
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(app.db.url.expose()).await.expect("connect");
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM outbox WHERE to_address = $1 ORDER BY created_at, id").bind(to).fetch_all(&pool).await.expect("outbox");
    pool.close().await;
    bodies.iter().rev().find_map(|b| b.split(kind).nth(1)).and_then(|t| t.split_whitespace().next()).unwrap_or_else(|| panic!("no {kind} link for {to}")).to_string()
}

/// Every statement of a page's form answered with `value` (its radio buttons).
fn answered(html: &str, value: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for part in html.split("name=\"a:").skip(1) {
        let name = format!("a:{}", part.split('"').next().unwrap_or_default());
        if !out.iter().any(|(n, _)| *n == name) {
            out.push((name, value.to_string()));
        }
    }
    out
}

async fn post_form(app: &TestApp, cookie: Option<&String>, path: &str, form: &[(String, String)]) -> (u16, Option<String>, String) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    web::post(app, cookie, path, &pairs).await
}

on_both_databases! {
    async fn a_wave_from_the_form_to_the_heat_map_and_the_csv(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let staff = structure(&app, &people.org_a, &people.admin_a).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        let security = web::login(&app, web::SECURITY_A).await;
        let recruiter = web::login(&app, web::RECRUITER_A).await;

        // The form refuses a hiring instrument with its reason, then starts the wave.
        let bad = [("name", "Pulse"), ("bank", "svi@1.0.0"), ("unit", "Ops"), ("closes_on", "2999-01-31")];
        let (status, _, body) = web::post(&app, Some(&admin), "/workforce/waves", &bad).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("not meant for workforce surveys"), "{body}");
        let form = [("name", "Pulse, winter"), ("bank", "pulse@1.0.0"), ("unit", "Ops"), ("unit", "HR"), ("closes_on", "2999-01-31"), ("remind_on", "")];
        let (status, location, body) = web::post(&app, Some(&admin), "/workforce/waves", &form).await;
        assert_eq!(status, 303, "{body}");
        let location = location.expect("to the wave");
        assert!(location.ends_with("?invited=16"), "{location}");
        let wave = location.trim_start_matches("/workforce/waves/").split('?').next().expect("id").to_string();
        assert_eq!(web::post(&app, Some(&security), "/workforce/waves", &form).await.0, 403, "security reads, it does not run waves");

        // An employee: the notice, an autosave, a save without script, a bad answer, then sending.
        let token = link(&app, &staff[0], "/survey/").await;
        let (status, _, page) = web::get(&app, None, &format!("/survey/{token}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("at least 5 people") && page.contains("Skip this one") && page.contains("/survey/autosave.js"), "{page}");
        let (status, _, _) = web::post(&app, None, &format!("/survey/{token}/autosave"), &[("a:pls-itl-01", "2")]).await;
        assert_eq!(status, 204);
        let (status, location, _) = web::post(&app, None, &format!("/survey/{token}"), &[("lang", "en"), ("action", "save"), ("a:pls-sat-01", "4")]).await;
        assert_eq!((status, location.as_deref()), (303, Some(format!("/survey/{token}?saved=1&lang=en").as_str())));
        let (_, _, page) = web::get(&app, None, &format!("/survey/{token}?saved=1&lang=de")).await;
        assert!(page.contains("id=\"pls-itl-01-1\" name=\"a:pls-itl-01\" value=\"2\" checked") && page.contains("<html lang=\"de\""), "saved answers come back checked, in German");
        assert_eq!(web::post(&app, None, &format!("/survey/{token}"), &[("action", "send"), ("a:pls-itl-02", "9")]).await.0, 422);
        let cross = app.client.post(format!("{}/survey/{token}", app.base)).header("origin", "https://evil.example").form(&[("action", "send")]).send().await.expect("post");
        assert_eq!(cross.status(), 403);
        let mut all = answered(&page, "3");
        all.push(("action".into(), "send".into()));
        let (status, _, body) = post_form(&app, None, &format!("/survey/{token}"), &all).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("without any link to you"));
        assert_eq!(post_form(&app, None, &format!("/survey/{token}"), &all).await.0, 410, "a link sends once");
        assert_eq!(web::get(&app, None, "/survey/0123456789abcdef").await.0, 404);
        assert_eq!(web::get(&app, None, "/survey/not%20a%20token%0A").await.0, 404);

        // While open: participation only, no figures.
        let (_, _, page) = web::get(&app, Some(&security), &format!("/workforce/waves/{wave}")).await;
        assert!(page.contains("1 of 16 invited have answered") && !page.contains("heat-map"), "{page}");
        // Everyone in SOC and HR answers, two of the Red team do.
        for email in staff.iter().skip(1).filter(|e| !e.starts_with("redteam2")) {
            let token = link(&app, email, "/survey/").await;
            let (_, _, page) = web::get(&app, None, &format!("/survey/{token}")).await;
            let mut all = answered(&page, if email.starts_with("hr") { "5" } else { "2" });
            all.push(("action".into(), "send".into()));
            assert_eq!(post_form(&app, None, &format!("/survey/{token}"), &all).await.0, 200);
        }
        assert_eq!(web::post(&app, Some(&security), &format!("/workforce/waves/{wave}/close"), &[]).await.0, 403);
        let (status, location, _) = web::post(&app, Some(&admin), &format!("/workforce/waves/{wave}/close"), &[]).await;
        assert_eq!((status, location), (303, Some(format!("/workforce/waves/{wave}"))));

        // The heat map: the Red team (2) hidden, and the SOC with it (Ops minus SOC would tell the Red team).
        let (status, _, page) = web::get(&app, Some(&security), &format!("/workforce/waves/{wave}")).await;
        assert_eq!(status, 200, "{page}");
        let row = |name: &str| page.split(&format!(">{name}</a></th>")).nth(1).and_then(|r| r.split("</tr>").next()).unwrap_or_else(|| panic!("{name} row in {page}")).to_string();
        assert!(row("Red team").matches("hidden").count() == 5 && row("SOC").matches("hidden").count() == 5, "{page}");
        assert!(row("Ops").contains("9 (90%)") && row("HR").contains("6 (100%)") && !row("HR").contains("hidden"), "{page}");
        // The CSV: the same cells hidden (empty), the same figures shown.
        let res = app.client.get(format!("{}/workforce/waves/{wave}/results.csv", app.base)).header("cookie", &security).send().await.expect("csv");
        assert_eq!(res.status(), 200);
        let csv = res.text().await.expect("csv");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 4 * 4, "a row per unit and scale: {csv}");
        for line in &lines[1..] {
            let cells: Vec<&str> = line.split(',').collect();
            let hidden = cells[0] == "Red team" || cells[0] == "SOC";
            assert_eq!(cells[2].is_empty(), hidden, "{line}");
            assert_eq!(cells[5].is_empty(), hidden, "{line}");
        }
        assert!(lines.iter().any(|l| l.starts_with("HR,0,6,1.000,Intention to leave,")), "{csv}");
        // The breakdown by location: HR (6, all in Berlin) shows; in Ops, Lisbon (2) is hidden and Berlin with it.
        let (status, _, page) = web::get(&app, Some(&security), &format!("/workforce/waves/{wave}?by=location&scale=intention_to_leave")).await;
        assert_eq!(status, 200);
        let table = page.split("id=\"breakdown\"").nth(1).and_then(|t| t.split("</table>").next()).unwrap_or_else(|| panic!("a breakdown table in {page}")).to_string();
        let brow = |name: &str| table.split(&format!("{name}</th>")).nth(1).and_then(|r| r.split("</tr>").next()).unwrap_or_default().to_string();
        assert!(brow("HR").contains("n = 6") && brow("HR").matches("hidden").count() == 1, "HR: Berlin shown, Lisbon empty: {table}");
        assert_eq!(brow("Ops").matches("hidden").count(), 2, "{table}");
        let res = app.client.get(format!("{}/workforce/waves/{wave}/results.csv?by=location", app.base)).header("cookie", &security).send().await.expect("csv");
        assert_eq!(res.status(), 200);
        let csv = res.text().await.expect("csv");
        assert!(csv.starts_with("unit,depth,location,scale,respondents,") && csv.contains("\nHR,0,Berlin,Intention to leave,6,"), "{csv}");
        assert_eq!(web::get(&app, Some(&security), &format!("/workforce/waves/{wave}/results.csv?by=tenure_band")).await.0, 404, "nobody has a tenure band");
        // A unit's trend page (one closed wave: one point).
        let hr = app.db.store.org_units(&people.org_a).await.expect("units").into_iter().find(|u| u.name == "HR").expect("HR").id;
        let (status, _, page) = web::get(&app, Some(&security), &format!("/workforce/waves/{wave}/units/{hr}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("<svg") && page.contains("Pulse, winter: "), "{page}");
        // The security view needs two waves.
        let (_, _, page) = web::get(&app, Some(&security), "/workforce/security").await;
        assert!(page.contains("Two closed waves"), "{page}");

        // Nobody else: recruiters are refused, another organisation finds nothing.
        for path in ["/workforce/waves", &format!("/workforce/waves/{wave}"), &format!("/workforce/waves/{wave}/results.csv"), "/workforce/security", "/workforce/champions"] {
            assert_eq!(web::get(&app, Some(&recruiter), path).await.0, 403, "{path}");
        }
        let other = web::login(&app, web::ADMIN_B).await;
        assert_eq!(web::get(&app, Some(&other), &format!("/workforce/waves/{wave}")).await.0, 404);
        assert_eq!(web::get(&app, Some(&other), &format!("/workforce/waves/{wave}/results.csv")).await.0, 404);
    }

    async fn an_employee_reads_their_own_report_steps_forward_and_withdraws(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let staff = structure(&app, &people.org_a, &people.admin_a).await;
        let security = web::login(&app, web::SECURITY_A).await;
        let me = &staff[0];

        // The same answer for a known and an unknown address; only the known gets a link.
        let (status, _, known) = web::post(&app, None, "/me", &[("email", me)]).await;
        let (_, _, unknown) = web::post(&app, None, "/me", &[("email", "nobody@a.example")]).await;
        assert_eq!(status, 200);
        assert_eq!(known, unknown);
        let token = link(&app, me, "/me/").await;
        assert_eq!(web::get(&app, None, "/me/0123456789abcdef").await.0, 404);

        // The inventory, a page at a time without script; the last page sends.
        let mut page_no = 1;
        loop {
            let (status, _, page) = web::get(&app, None, &format!("/me/{token}?page={page_no}")).await;
            assert_eq!(status, 200, "{page}");
            let last = page.contains("value=\"send\"");
            let mut form = answered(&page, "4");
            form.push(("page".into(), page_no.to_string()));
            form.push(("action".into(), if last { "send".into() } else { "next".into() }));
            let (status, location, body) = post_form(&app, None, &format!("/me/{token}/answers"), &form).await;
            assert_eq!(status, 303, "{body}");
            if last {
                break;
            }
            assert_eq!(location, Some(format!("/me/{token}?page={}", page_no + 1)));
            page_no += 1;
            assert!(page_no < 20, "the inventory ends");
        }
        let (_, _, page) = web::get(&app, None, &format!("/me/{token}")).await;
        assert!(page.contains("Your strengths report") && page.contains("What this can and cannot tell") && page.contains("demonstration norm"), "{page}");
        // Nobody is listed before choosing.
        let (_, _, list) = web::get(&app, Some(&security), "/workforce/champions").await;
        assert!(list.contains("Nobody has stepped forward yet"), "{list}");

        // Opting in with one strength; a scale that is not a strength to share is refused.
        assert_eq!(web::post(&app, None, &format!("/me/{token}/champion"), &[("share", "risk_propensity")]).await.0, 422);
        let (status, location, _) = web::post(&app, None, &format!("/me/{token}/champion"), &[("share", "vigilance"), ("note", "Happy to help the SOC.")]).await;
        assert_eq!((status, location), (303, Some(format!("/me/{token}?done=listed#champion"))));
        let (_, _, list) = web::get(&app, Some(&security), "/workforce/champions").await;
        assert!(list.contains(me.as_str()) && list.contains("vigilance: ") && list.contains("Happy to help the SOC."), "{list}");
        assert!(!list.contains("integrity") && !list.contains("risk propensity"), "only what was shared: {list}");
        let audit = app.db.store.audit_log(&people.org_a, 100).await.expect("audit");
        assert!(audit.iter().any(|a| a.action == "champion.listed"));

        // Their data, then withdrawing: gone from the list at once, and audited.
        let res = app.client.get(format!("{}/me/{token}/data.json", app.base)).send().await.expect("data");
        assert_eq!(res.status(), 200);
        let data: serde_json::Value = res.json().await.expect("json");
        assert_eq!(data["employee"]["email"], me.as_str());
        assert!(data["security_values_inventory"]["answers"].as_object().is_some_and(|a| a.len() > 20));
        assert_eq!(data["champion_listing"]["shared"]["vigilance"].as_str().map(|s| s.contains("reference group")), Some(true));
        let (status, _, _) = web::post(&app, None, &format!("/me/{token}/withdraw"), &[]).await;
        assert_eq!(status, 303);
        let (_, _, list) = web::get(&app, Some(&security), "/workforce/champions").await;
        assert!(!list.contains(me.as_str()), "{list}");
        let audit = app.db.store.audit_log(&people.org_a, 100).await.expect("audit");
        assert!(audit.iter().any(|a| a.action == "champion.withdrawn"));
        // Deleting their inventory starts over.
        assert_eq!(web::post(&app, None, &format!("/me/{token}/delete"), &[]).await.0, 303);
        let (_, _, page) = web::get(&app, None, &format!("/me/{token}")).await;
        assert!(page.contains("Page 1 of") && !page.contains("Your strengths report"), "{page}");
        // A recruiter never sees champions.
        let recruiter = web::login(&app, web::RECRUITER_A).await;
        assert_eq!(web::get(&app, Some(&recruiter), "/workforce/champions").await.0, 403);
    }

    async fn a_wave_in_german_writes_and_asks_in_german(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let staff = structure(&app, &people.org_a, &people.admin_a).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        let form = [("name", "Puls"), ("bank", "pulse@1.0.0"), ("unit", "HR"), ("closes_on", "2999-01-31"), ("email_language", "de"), ("language", "de")];
        let (status, _, body) = web::post(&app, Some(&admin), "/workforce/waves", &form).await;
        assert_eq!(status, 303, "{body}");
        let hr = staff.iter().find(|e| e.starts_with("hr")).expect("HR");
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(app.db.url.expose()).await.expect("connect");
        let (subject, mail): (String, String) = sqlx::query_as("SELECT subject, body FROM outbox WHERE to_address = $1").bind(hr).fetch_one(&pool).await.expect("e-mail");
        pool.close().await;
        assert!(subject.contains("Befragung") && mail.starts_with("Hallo") && mail.contains("mindestens 5 Personen"), "{subject}\n{mail}");
        let token = link(&app, hr, "/survey/").await;
        let (_, _, page) = web::get(&app, None, &format!("/survey/{token}")).await;
        assert!(page.contains("<html lang=\"de\"") && page.contains("Bevor Sie beginnen") && page.contains("Antworten senden") && page.contains("Überspringen"), "{page}");
        assert!(!page.contains("?lang=en"), "offered in German only");
        let (_, _, page) = web::get(&app, None, &format!("/survey/{token}?lang=en")).await;
        assert!(page.contains("<html lang=\"de\""), "a language the wave does not offer falls back to its own");
        // A language the instrument does not have is refused.
        let bad = [("name", "Puls"), ("bank", "pulse@1.0.0"), ("unit", "HR"), ("closes_on", "2999-01-31"), ("email_language", "fr")];
        assert_eq!(web::post(&app, Some(&admin), "/workforce/waves", &bad).await.0, 422);
    }
}
