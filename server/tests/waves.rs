//! Workforce survey waves, on SQLite and PostgreSQL: a wave to the current
//! employees of the chosen units, answers kept in progress by the link and
//! sent unlinked; after the wave, no table ties an answer to an employee
//! (a walk over every table); answers reach the results only in shuffled
//! batches of five; the heat map hides every unit under five and every
//! unit that would give one away; a wave too small to show anything, a
//! hiring instrument, a sent or unknown link and a bad answer are refused.

use crate::common;

use std::collections::BTreeSet;

use app::staff::model::StaffRole;
use vigil::{
    catalog::Catalog,
    staff::Caller,
    store::{CurrentEmployee, NewUser, Role, Store},
    workforce::{
        insight,
        survey::{self, SurveyError},
        upkeep::upkeep,
        waves::{self, WaveForm},
    },
};

/// Acme > {Security > {SOC (8), Red team (3)}, HR (6)}.
async fn structure(s: &Store) -> (Caller, Vec<(String, String)>) {
    let org = s.create_organisation("Acme", "acme-waves", false).await.expect("org").id;
    let admin = s.create_user(&NewUser { org_id: &org, email: "hr@acme.example", display_name: "Hana HR", role: Role::Admin, password_hash: None }).await.expect("admin").id;
    s.import_units(&org, &[("Acme", None), ("Security", Some("Acme")), ("SOC", Some("Security")), ("Red team", Some("Security")), ("HR", Some("Acme"))], &admin, 1).await.expect("units");
    let mut people = Vec::new();
    for (unit, n) in [("SOC", 8), ("Red team", 3), ("HR", 6)] {
        for i in 0..n {
            people.push((format!("{}.{i}@acme.example", unit.to_lowercase().replace(' ', "-")), unit.to_string()));
        }
    }
    let list: Vec<CurrentEmployee<'_>> = people.iter().map(|(email, unit)| CurrentEmployee { email, name: "Employee", unit, location: Some("Berlin"), tenure_band: None }).collect();
    s.sync_employees(&org, &list, &admin, 1).await.expect("employees");
    (Caller { user_id: admin, org_id: org, role: StaffRole::Admin, language: "en".into() }, people)
}

/// The link tokens from the survey e-mails in the outbox, by address.
async fn links(url: &str) -> Vec<(String, String)> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(url).await.expect("connect");
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT to_address, body FROM outbox WHERE kind = 'survey' ORDER BY to_address").fetch_all(&pool).await.expect("outbox");
    pool.close().await;
    rows.into_iter().map(|(to, body)| (to, body.split("/survey/").nth(1).and_then(|t| t.split_whitespace().next()).expect("a link").to_string())).collect()
}

/// Every cell of every row of every table, as text.
async fn every_row(url: &str, kind: vigil::config::DatabaseKind) -> Vec<(String, String)> {
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(url).await.expect("connect");
    let tables_sql = match kind {
        vigil::config::DatabaseKind::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
        vigil::config::DatabaseKind::Postgres => "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE '_sqlx%'",
    };
    let tables: Vec<String> = sqlx::query_scalar(tables_sql).fetch_all(&pool).await.expect("tables");
    let mut out = Vec::new();
    for t in tables {
        use sqlx::Row;
        let rows = sqlx::query(&format!("SELECT * FROM {t}")).fetch_all(&pool).await.expect("rows");
        for row in rows {
            let cells: Vec<String> = (0..row.columns().len())
                .map(|i| row.try_get::<String, _>(i).or_else(|_| row.try_get::<i64, _>(i).map(|n| n.to_string())).or_else(|_| row.try_get::<f64, _>(i).map(|n| n.to_string())).unwrap_or_default())
                .collect();
            out.push((t.clone(), cells.join("\u{1f}")));
        }
    }
    pool.close().await;
    out
}

async fn count(url: &str, sql: &str) -> i64 {
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(url).await.expect("connect");
    let n = sqlx::query_scalar(sql).fetch_one(&pool).await.expect(sql);
    pool.close().await;
    n
}

fn answers(seed: usize) -> Vec<(String, String)> {
    // Intention to leave and satisfaction on agree5; every seventh skipped.
    let items = ["pls-itl-01", "pls-itl-02", "pls-itl-03", "pls-itl-04", "pls-itl-05", "pls-itl-06", "pls-sat-01", "pls-sat-02", "pls-sat-03", "pls-sat-04", "pls-sat-05", "pls-sat-06"];
    items.iter().enumerate().filter(|(i, _)| (i + seed) % 7 != 0).map(|(i, id)| (id.to_string(), (1 + (i * 3 + seed) % 5).to_string())).collect()
}

/// Answers whose intention-to-leave scale comes to `leave` (items 5 and 6
/// are reverse-keyed), the rest moderate.
fn leaning(leave: u8) -> Vec<(String, String)> {
    let itl = (1..=6).map(|i| (format!("pls-itl-0{i}"), if i >= 5 { 6 - leave } else { leave }.to_string()));
    let sat = (1..=6).map(|i| (format!("pls-sat-0{i}"), "3".to_string()));
    itl.chain(sat).collect()
}

/// The newest link sent to `to`.
async fn newest_link(url: &str, to: &str) -> String {
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(url).await.expect("connect");
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM outbox WHERE kind = 'survey' AND to_address = $1 ORDER BY created_at, id").bind(to).fetch_all(&pool).await.expect("outbox");
    pool.close().await;
    bodies.last().and_then(|b| b.split("/survey/").nth(1)).and_then(|t| t.split_whitespace().next()).expect("a link").to_string()
}

on_both_databases! {
    async fn a_wave_keeps_answers_apart_from_people_and_shows_only_groups_that_hold(db: Db) {
        let Some(t) = common::TestDb::new(db).await else { return };
        let (s, url) = (&t.store, t.url.expose().to_string());
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let (admin, people) = structure(s).await;
        let form = |units: &[&str], bank: &str| WaveForm { name: "Pulse, winter".into(), bank: bank.into(), units: units.iter().map(|u| u.to_string()).collect(), closes_on: "2999-01-31".into(), remind_on: String::new(), languages: Vec::new() };

        // Refused: a hiring instrument; units too small to show anything.
        let hiring = waves::create(s, &catalog, &admin, &form(&["Acme"], "svi@1.0.0"), "https://vigil.example").await;
        assert!(matches!(hiring, Err(vigil::service_error::ServiceError::Invalid(m)) if m.contains("not meant for workforce")));
        let small = waves::create(s, &catalog, &admin, &form(&["Red team"], "pulse@1.0.0"), "https://vigil.example").await;
        assert!(matches!(small, Err(vigil::service_error::ServiceError::Invalid(m)) if m.contains("no unit reaches 5")));

        let (wave, invited) = waves::create(s, &catalog, &admin, &form(&["Acme"], "pulse@1.0.0"), "https://vigil.example").await.expect("wave");
        assert_eq!(invited, people.len());
        let tokens = links(&url).await;
        assert_eq!(tokens.len(), people.len(), "one e-mail with a personal link each");

        // The first three answers wait in the inbox; the fifth releases a batch.
        for (n, (_, token)) in tokens.iter().enumerate().take(4) {
            survey::send(s, &catalog, token, &answers(n)).await.expect("sent");
            let released = count(&url, "SELECT COUNT(*) FROM wave_responses").await;
            assert_eq!(released, 0, "{} sent, none released yet", n + 1);
        }
        survey::send(s, &catalog, &tokens[4].1, &answers(4)).await.expect("sent");
        assert_eq!((count(&url, "SELECT COUNT(*) FROM wave_responses").await, count(&url, "SELECT COUNT(*) FROM wave_inbox").await), (5, 0));

        // Resume: saved, then sent later with more; a skipped item stays skipped.
        survey::save(s, &catalog, &tokens[5].1, &answers(5)[..3]).await.expect("saved");
        survey::send(s, &catalog, &tokens[5].1, &answers(5)[3..]).await.expect("sent with the saved answers");
        // Refusals.
        assert!(matches!(survey::send(s, &catalog, &tokens[5].1, &answers(5)).await, Err(SurveyError::Sent)));
        assert!(matches!(survey::save(s, &catalog, "no-such-token", &[]).await, Err(SurveyError::Unknown)));
        assert!(matches!(survey::save(s, &catalog, &tokens[6].1, &[("pls-itl-01".into(), "9".into())]).await, Err(SurveyError::Invalid(_))));
        assert!(matches!(survey::save(s, &catalog, &tokens[6].1, &[("svi-mot-01".into(), "".into())]).await, Err(SurveyError::Invalid(_))));
        // Everybody else answers, but one person (who never does).
        for (n, (_, token)) in tokens.iter().enumerate().skip(6).take(tokens.len() - 7) {
            survey::send(s, &catalog, token, &answers(n)).await.expect("sent");
        }
        let participation = s.wave_participation(&admin.org_id, &wave).await.expect("participation");
        assert_eq!(participation.iter().map(|(_, _, answered)| answered).sum::<i64>() as usize, people.len() - 1, "who answered is known while the wave runs, for reminders");
        waves::close(s, &catalog, &admin, &wave).await.expect("closed");

        // After the close: no participation, nothing in progress, everything released.
        assert_eq!(count(&url, "SELECT COUNT(*) FROM wave_links").await, 0);
        assert_eq!(count(&url, "SELECT COUNT(*) FROM wave_drafts").await, 0);
        assert_eq!(count(&url, "SELECT COUNT(*) FROM wave_inbox").await, 0);
        assert_eq!(count(&url, "SELECT COUNT(*) FROM wave_responses").await as usize, people.len() - 1);
        // No table ties an answer to a person: no row holds a response and a person's id,
        // address or link; responses hold no time finer than the day.
        let rows = every_row(&url, s.kind()).await;
        let response_ids: BTreeSet<String> = rows.iter().filter(|(t, _)| t == "wave_responses").map(|(_, r)| r.split('\u{1f}').next().unwrap_or_default().to_string()).collect();
        let employees: Vec<String> = s.employees(&admin.org_id).await.expect("employees").into_iter().flat_map(|e| [e.id, e.email]).collect();
        let hashes: Vec<String> = tokens.iter().flat_map(|(_, t)| [t.clone(), vigil::secrets::secret_hash(t)]).collect();
        for (table, row) in &rows {
            let names_response = response_ids.iter().any(|id| row.contains(id.as_str()));
            let names_person = employees.iter().chain(&hashes).any(|p| row.contains(p.as_str()));
            assert!(!(names_response && names_person), "{table} ties an answer to a person: {row}");
            if table == "wave_responses" {
                assert!(!names_person, "a response names a person: {row}");
                assert!(row.split('\u{1f}').all(|cell| cell.parse::<i64>().map_or(true, |n| n < 100_000)), "no timestamp in a response: {row}");
            }
        }

        // The heat map: Red team (3) hidden, and the SOC too (Security minus SOC would be the Red team).
        let r = insight::report(s, &admin, &wave).await.expect("report").results.expect("kept at the close");
        // The security role reads the same results; a recruiter does not.
        let security = Caller { role: StaffRole::Security, ..admin.clone() };
        assert_eq!(insight::report(s, &security, &wave).await.expect("security reads").results.as_ref(), Some(&r));
        assert!(insight::report(s, &Caller { role: StaffRole::Recruiter, ..admin.clone() }, &wave).await.is_err());
        let unit = |name: &str| r.units.iter().find(|u| u.name == name).unwrap_or_else(|| panic!("{name} in {:?}", r.units.iter().map(|u| &u.name).collect::<Vec<_>>()));
        assert_eq!(unit("Red team").respondents, None);
        assert_eq!(unit("SOC").respondents, None, "complementary suppression");
        assert!(unit("Red team").cells.iter().chain(&unit("SOC").cells).all(Option::is_none));
        let silent = &tokens.last().expect("links").0;
        let in_security = silent.starts_with("soc") || silent.starts_with("red");
        assert_eq!(unit("Security").respondents, Some(11 - u32::from(in_security)), "{silent} did not answer");
        let acme = unit("Acme");
        assert_eq!(acme.respondents, Some(people.len() as u32 - 1));
        assert!(acme.response_rate.is_some_and(|rate| rate > 0.9 && rate < 1.0));
        let itl = r.scales.iter().position(|(id, _)| id == "intention_to_leave").expect("scale");
        let cell = acme.cells[itl].as_ref().expect("a figure for the whole organisation");
        assert!(cell.mean.low <= cell.mean.estimate && cell.mean.estimate <= cell.mean.high && (1.0..=5.0).contains(&cell.mean.estimate));
        assert!((0.0..=1.0).contains(&cell.high.estimate));
        // A wave past its last day is closed by the clean-up: its participation goes.
        let (second, _) = waves::create(s, &catalog, &admin, &form(&["HR"], "pulse@1.0.0"), "https://vigil.example").await.expect("second wave");
        assert!(count(&url, "SELECT COUNT(*) FROM wave_links").await > 0);
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&url).await.expect("connect");
        sqlx::query("UPDATE survey_waves SET closes_at = 1000 WHERE id = $1").bind(&second).execute(&pool).await.expect("the last day passes");
        pool.close().await;
        let swept = upkeep(s, &catalog, None, vigil::time::now_ms()).await.expect("upkeep");
        assert_eq!((swept.closed, swept.results_kept), (1, 1));
        assert_eq!(count(&url, "SELECT COUNT(*) FROM wave_links").await, 0);
        assert_eq!(s.wave(&admin.org_id, &second).await.expect("q").expect("wave").status, "closed");
        // A wave of another organisation is not found.
        let other = Caller { org_id: "someone-else".into(), ..admin.clone() };
        assert!(insight::report(s, &other, &wave).await.is_err());
    }

    async fn reminders_reissue_links_results_outlive_answers_and_the_security_view_flags_units(db: Db) {
        let Some(t) = common::TestDb::new(db).await else { return };
        let (s, url) = (&t.store, t.url.expose().to_string());
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let (admin, people) = structure(s).await;
        let now = vigil::time::now_ms();
        let form = |name: &str, remind_on: &str| WaveForm { name: name.into(), bank: "pulse@1.0.0".into(), units: vec!["Acme".into()], closes_on: "2999-01-31".into(), remind_on: remind_on.into(), languages: Vec::new() };
        let bad = waves::create(s, &catalog, &admin, &form("Pulse", "2999-02-01"), "https://vigil.example").await;
        assert!(matches!(bad, Err(vigil::service_error::ServiceError::Invalid(m)) if m.contains("before the last day")));

        // Wave 1, with a reminder today. Two people wait; one of them has saved answers.
        let (first, _) = waves::create(s, &catalog, &admin, &form("Pulse, spring", &vigil::time::date_utc(now)), "https://vigil.example").await.expect("wave");
        let tokens = links(&url).await;
        let (late, later) = (&tokens[0], &tokens[1]);
        survey::save(s, &catalog, &late.1, &leaning(2)[..2]).await.expect("saved");
        for (n, (_, token)) in tokens.iter().enumerate().skip(2) {
            survey::send(s, &catalog, token, &leaning(1 + (n % 2) as u8)).await.expect("sent");
        }
        // The reminder is due from the wave's creation on (a day of today: at once).
        let done = upkeep(s, &catalog, None, vigil::time::now_ms()).await.expect("upkeep");
        assert_eq!(done.reminded, 2, "only those who have not answered are reminded");
        assert_eq!(upkeep(s, &catalog, None, vigil::time::now_ms()).await.expect("upkeep").reminded, 0, "once");
        assert!(matches!(survey::save(s, &catalog, &late.1, &[]).await, Err(SurveyError::Unknown)), "the new link replaces the old one");
        let renewed = newest_link(&url, &late.0).await;
        assert_ne!(renewed, late.1);
        assert_eq!(survey::view(s, &catalog, &renewed).await.map_err(|e| e.to_string()).expect("the new link works").saved.len(), 2, "saved answers move with the link");
        survey::send(s, &catalog, &renewed, &leaning(1)).await.expect("sent");
        survey::send(s, &catalog, &newest_link(&url, &later.0).await, &leaning(2)).await.expect("sent");
        // Open: no results, only participation.
        let open = insight::report(s, &admin, &first).await.expect("report");
        assert!(open.results.is_none());
        assert_eq!(open.participation, Some((people.len() as i64, people.len() as i64)));
        waves::close(s, &catalog, &admin, &first).await.expect("closed");

        // Wave 2: HR's intention to leave rises by about 3 points; everyone else answers as before.
        let (second, _) = waves::create(s, &catalog, &admin, &form("Pulse, autumn", ""), "https://vigil.example").await.expect("wave");
        for (n, (to, _)) in tokens.iter().enumerate() {
            let leave = if to.starts_with("hr.") { 4 + (n % 2) as u8 } else { 1 + (n % 2) as u8 };
            survey::send(s, &catalog, &newest_link(&url, to).await, &leaning(leave)).await.expect("sent");
        }
        waves::close(s, &catalog, &admin, &second).await.expect("closed");
        let security = Caller { role: StaffRole::Security, ..admin.clone() };
        let view = insight::security_view(s, &security, "pulse").await.expect("security view");
        assert_eq!(view.waves, 2);
        let flagged: BTreeSet<&str> = view.flags.iter().map(|f| f.unit.as_str()).collect();
        assert_eq!(flagged, BTreeSet::from(["Acme", "HR"]), "{:?}", view.flags);
        let hr = view.flags.iter().find(|f| f.unit == "HR").expect("HR");
        assert!(hr.clear && (hr.change.estimate - 3.0).abs() < 1e-9 && hr.suggestions.iter().any(|s| s.contains("offboarding")), "{hr:?}");
        let report = insight::report(s, &security, &second).await.expect("report");
        assert!(report.previous.is_some() && !report.changes.is_empty());
        assert!(insight::security_view(s, &Caller { role: StaffRole::Recruiter, ..admin.clone() }, "pulse").await.is_err());

        // Retention: 30 days after the close the answers go; the kept results stay.
        insight::set_settings(s, &admin, 30, 0.5).await.expect("settings");
        assert!(insight::set_settings(s, &admin, 5, 0.5).await.is_err());
        assert!(insight::set_settings(s, &security, 60, 0.5).await.is_err(), "security reads, it does not administer");
        let kept = insight::report(s, &admin, &first).await.expect("report").results;
        assert_eq!(upkeep(s, &catalog, None, now).await.expect("upkeep").answers_deleted, 0, "not yet");
        let done = upkeep(s, &catalog, None, now + 31 * 86_400_000).await.expect("upkeep");
        assert_eq!(done.answers_deleted, 2);
        assert_eq!(count(&url, "SELECT COUNT(*) FROM wave_responses").await, 0);
        assert_eq!(insight::report(s, &admin, &first).await.expect("report").results, kept, "the results outlive the answers");
    }
}
