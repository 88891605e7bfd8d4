//! The recruiter's workspace over real HTTP, on SQLite and PostgreSQL:
//! campaigns, invitations (one, or a CSV file), the outbox, revoking and
//! resending, decisions, profiles and exports, each kept to its own
//! organisation.

use crate::common;

use common::{web::*, TestApp};
use vigil::{
    catalog::Catalog,
    passwords::hash_password,
    recruit::{self, csv_import::MAX_ROWS},
    staff::Caller,
    store::{NewUser, Role},
};

/// Creates a campaign with the shipped SVI 1.0.0 (with its first norm table) and SJS 1.0.0; returns its id.
async fn campaign(app: &TestApp, cookie: &String, name: &str) -> String {
    let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
    let norm = catalog.get("svi", "1.0.0").and_then(|e| e.norms.first().map(|n| n.id.clone())).expect("svi norms");
    let (status, location, body) = post(
        app,
        Some(cookie),
        "/campaigns",
        &[("name", name), ("role_family", "security operations"), ("instrument", "svi@1.0.0"), ("instrument", "sjs@1.0.0"), ("norm:svi@1.0.0", &norm), ("invitation_days", "14")],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let location = location.expect("location");
    let id = location.strip_prefix("/campaigns/").and_then(|rest| rest.strip_suffix("?created=1")).expect("campaign path").to_string();
    id
}

/// Uploads CSV text as the `file` field of a multipart form.
pub(crate) async fn upload(app: &TestApp, cookie: &String, campaign_id: &str, csv: impl Into<Vec<u8>>) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(csv.into()).file_name("candidates.csv").mime_str("text/csv").expect("mime");
    let res = app
        .client
        .post(format!("{}/campaigns/{campaign_id}/invitations/upload", app.base))
        .header("origin", &app.base)
        .header("cookie", cookie)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    (res.status().as_u16(), res.text().await.expect("body"))
}

/// The number inside `<strong id="{id}">…</strong>` of an upload report.
fn reported(body: &str, id: &str) -> usize {
    let marker = format!("id=\"{id}\">");
    body.split_once(&marker).and_then(|(_, rest)| rest.split_once('<')).and_then(|(n, _)| n.parse().ok()).unwrap_or_else(|| panic!("{id} not in {body}"))
}

/// The candidate links in an organisation's outbox bodies, newest first, as paths.
async fn outbox_links(app: &TestApp, org_id: &str) -> Vec<String> {
    app.db
        .store
        .outbox_of(org_id, 100_000)
        .await
        .expect("outbox")
        .into_iter()
        .filter_map(|m| m.body.split_whitespace().find(|w| w.contains("/take/")).map(|w| w.split_once("/take/").map(|(_, t)| format!("/take/{t}")).unwrap_or_default()))
        .collect()
}

async fn invitation_count(app: &TestApp, org_id: &str, campaign_id: &str) -> usize {
    app.db.store.campaign_candidates(org_id, campaign_id).await.expect("candidates").len()
}

/// The demo organisation (24 completed, scored candidates) with a recruiter who signs in with `PASSWORD`.
pub(crate) async fn demo(app: &TestApp) -> (String, String, String) {
    let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
    let dir = tempfile::tempdir().expect("dir");
    vigil::demo::seed(&app.db.store, &catalog, &dir.path().join("creds.txt")).await.expect("seed");
    let org = app.db.store.organisation_by_slug("demo").await.expect("q").expect("demo org");
    let hash = hash_password(PASSWORD).expect("hash");
    app.db
        .store
        .create_user(&NewUser { org_id: &org.id, email: "rita@demo.example", display_name: "Rita Recruiter", role: Role::Recruiter, password_hash: Some(&hash) })
        .await
        .expect("user");
    let cookie = login(app, "rita@demo.example").await;
    let campaign = app.db.store.campaigns_of(&org.id).await.expect("campaigns").into_iter().find(|c| c.name == vigil::demo::DEMO_FULL_CAMPAIGN).expect("demo campaign");
    (org.id, campaign.id, cookie)
}

on_both_databases! {
    async fn the_campaign_form_says_what_each_instrument_measures_and_how_long_it_takes(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        people(&app).await;
        let recruiter = login(&app, RECRUITER_A).await;
        let (_, _, form) = get(&app, Some(&recruiter), "/campaigns/new").await;
        let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("banks");
        let svi = catalog.get("svi", "1.0.0").expect("svi");
        // The facts line of SVI 1.0.0: its scales, its questions, the minutes the candidate's notice states too.
        let facts = form.split("id=\"bank-svi-1-0-0-facts\"").nth(1).and_then(|r| r.split("</p>").next()).unwrap_or_else(|| panic!("{form}"));
        let first_scale = vigil::recruit::profile::english(&svi.bank.scales()[0].name);
        assert!(facts.contains(&format!("Measures {first_scale}")), "{facts}");
        let minutes = vigil::battery::estimated_minutes(std::slice::from_ref(&svi));
        assert!(facts.contains(&format!("{} questions, about {minutes} minutes", svi.bank.items().len())), "{facts}");
        assert!(form.contains("(older version: 1.1.0 is newer)"), "an older version is marked");
        // Every norm table names its dates; a demonstration table shows no quality word beside "not for decisions".
        let options: Vec<&str> = form.split("<option").skip(1).map(|o| o.split("</option>").next().unwrap_or("")).filter(|o| o.contains("N = ")).collect();
        assert!(!options.is_empty(), "{form}");
        for option in options {
            assert!(option.contains("collected "), "{option}");
            if option.contains("not for decisions") {
                assert!(!option.contains("quality") && !option.contains("excellent") && !option.contains("good"), "{option}");
            } else {
                assert!(option.contains("norm quality: "), "{option}");
            }
        }
    }

    async fn an_adaptive_campaign_on_demonstration_parameters_needs_a_ticked_confirmation(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let recruiter = login(&app, RECRUITER_A).await;
        let (_, _, form) = get(&app, Some(&recruiter), "/campaigns/new").await;
        assert!(form.contains("demonstration IRT parameters") && form.contains("name=\"confirm_demonstration\""), "{form}");
        let base = [("name", "Adaptive trial"), ("role_family", "security operations"), ("instrument", "svi@1.1.0"), ("adaptive", "on"), ("invitation_days", "14")];
        let (status, _, body) = post(&app, Some(&recruiter), "/campaigns", &base).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("demonstration values") && body.contains("svi@1.1.0"), "{body}");
        assert!(app.db.store.campaigns_of(&p.org_a).await.expect("q").is_empty(), "nothing created");
        let confirmed: Vec<(&str, &str)> = base.iter().copied().chain([("confirm_demonstration", "on")]).collect();
        let (status, location, body) = post(&app, Some(&recruiter), "/campaigns", &confirmed).await;
        assert_eq!(status, 303, "{body}");
        assert!(location.is_some_and(|l| l.starts_with("/campaigns/")));
        assert_eq!(app.db.store.campaigns_of(&p.org_a).await.expect("q").len(), 1);
    }

    async fn a_recruiter_creates_a_campaign_and_a_bad_battery_creates_nothing(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let recruiter = login(&app, RECRUITER_A).await;
        let id = campaign(&app, &recruiter, "Analysts 2026").await;
        let stored = app.db.store.campaign(&p.org_a, &id).await.expect("q").expect("campaign stored in org A");
        assert!(stored.battery.contains("\"svi\"") && stored.battery.contains("\"norm_table\""), "{}", stored.battery);
        assert!(app.db.store.campaign(&p.org_b, &id).await.expect("q").is_none(), "not visible to org B");

        let before = app.db.store.campaigns_of(&p.org_a).await.expect("q").len();
        let (status, _, body) = post(&app, Some(&recruiter), "/campaigns", &[("name", "Broken"), ("instrument", "svi@9.9.9")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("svi@9.9.9 does not exist"), "{body}");
        let (status, _, body) = post(&app, Some(&recruiter), "/campaigns", &[("name", "Foreign norms"), ("instrument", "svi@1.0.0"), ("norm:svi@1.0.0", "sjs-demo")]).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(app.db.store.campaigns_of(&p.org_a).await.expect("q").len(), before, "nothing half-created");

        // Psychologists do not run campaigns; anonymous callers sign in first; other sites are refused.
        let psychologist = login(&app, PSYCHOLOGIST_A).await;
        assert_eq!(post(&app, Some(&psychologist), "/campaigns", &[("name", "X"), ("instrument", "svi@1.0.0")]).await.0, 403);
        let (status, location, _) = post(&app, None, "/campaigns", &[("name", "X"), ("instrument", "svi@1.0.0")]).await;
        assert_eq!((status, location.as_deref()), (303, Some("/login")));
        let res = app.client.post(format!("{}/campaigns", app.base)).header("origin", "https://evil.example").header("cookie", &recruiter).form(&[("name", "X"), ("instrument", "svi@1.0.0")]).send().await.expect("post");
        assert_eq!(res.status(), 403);
        let res = app.client.post(format!("{}/campaigns", app.base)).header("cookie", &recruiter).form(&[("name", "X"), ("instrument", "svi@1.0.0")]).send().await.expect("post");
        assert_eq!(res.status(), 403, "a post with neither Origin nor Sec-Fetch-Site is refused");
        assert_eq!(app.db.store.campaigns_of(&p.org_a).await.expect("q").len(), before);
    }

    async fn a_csv_upload_creates_valid_rows_lists_the_others_and_never_duplicates(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let recruiter = login(&app, RECRUITER_A).await;
        let id = campaign(&app, &recruiter, "Upload").await;
        // Excel in a German locale: byte-order mark, semicolons, CRLF, a quoted name with a semicolon.
        let file = "\u{feff}Name;E-Mail;Sprache\r\nAda Lovelace;ada@example.org;en\r\n\"Weber; Karl\";karl@example.de;de\r\nNo Address;not-an-address;en\r\n;nobody@example.org;en\r\nAda Again;ADA@example.org;en\r\n";
        let (status, body) = upload(&app, &recruiter, &id, file).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!((reported(&body, "import-created"), reported(&body, "import-already"), reported(&body, "import-errors")), (2, 0, 3));
        for row in ["<td>4</td>", "<td>5</td>", "<td>6</td>"] {
            assert!(body.contains(row), "row {row} listed: {body}");
        }
        assert_eq!(invitation_count(&app, &p.org_a, &id).await, 2);
        // Every invitation has its e-mail, with a working link, in the outbox (no SMTP configured).
        let links = outbox_links(&app, &p.org_a).await;
        assert_eq!(links.len(), 2);
        for link in &links {
            let (status, location, _) = get(&app, None, link).await;
            assert_eq!((status, location.as_deref()), (303, Some("/assessment")), "{link}");
        }
        // The same file again: nothing new.
        let (status, body) = upload(&app, &recruiter, &id, file).await;
        assert_eq!(status, 200);
        assert_eq!((reported(&body, "import-created"), reported(&body, "import-already")), (0, 2));
        assert_eq!(invitation_count(&app, &p.org_a, &id).await, 2);
        assert_eq!(outbox_links(&app, &p.org_a).await.len(), 2);

        // A wrong header: nothing at all is created.
        let (status, body) = upload(&app, &recruiter, &id, "first,last,mail\nA,B,c@example.org\n").await;
        assert_eq!(status, 422);
        assert!(body.contains("name,email,language") && body.contains("Nothing from this file was created"), "{body}");
        assert_eq!(invitation_count(&app, &p.org_a, &id).await, 2);
        // Another organisation's campaign is not found.
        let recruiter_b = login(&app, RECRUITER_B).await;
        assert_eq!(upload(&app, &recruiter_b, &id, "name,email\nEve,eve@example.org\n").await.0, 404);
        assert_eq!(invitation_count(&app, &p.org_a, &id).await, 2);
        let audit = app.db.store.audit_log(&p.org_a, 100).await.expect("audit");
        assert!(audit.iter().any(|e| e.action == "invitations.uploaded" && e.actor_id.as_deref() == Some(p.recruiter_a.as_str())));
    }

    async fn ten_thousand_rows_are_invited_in_one_upload(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let recruiter = login(&app, RECRUITER_A).await;
        let id = campaign(&app, &recruiter, "Large").await;
        let mut file = String::from("name,email,language\n");
        for i in 0..MAX_ROWS {
            file.push_str(&format!("Person {i},person{i}@example.org,{}\n", if i % 2 == 0 { "en" } else { "de" }));
        }
        let (status, body) = upload(&app, &recruiter, &id, file.clone()).await;
        assert_eq!(status, 200, "{}", &body[..body.len().min(500)]);
        assert_eq!(reported(&body, "import-created"), MAX_ROWS);
        assert_eq!(invitation_count(&app, &p.org_a, &id).await, MAX_ROWS);
        file.push_str("One more,one.more@example.org,en\n");
        let (status, body) = upload(&app, &recruiter, &id, file).await;
        assert_eq!(status, 422);
        assert!(body.contains("at most 10000"), "{}", &body[..body.len().min(500)]);
        assert_eq!(invitation_count(&app, &p.org_a, &id).await, MAX_ROWS);
    }

    async fn resending_replaces_the_link_and_revoking_stops_it(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let recruiter = login(&app, RECRUITER_A).await;
        let id = campaign(&app, &recruiter, "Links").await;
        let (status, _, body) = post(&app, Some(&recruiter), &format!("/campaigns/{id}/invitations"), &[("name", "Ada Lovelace"), ("email", "ada@example.org"), ("language", "en")]).await;
        assert_eq!(status, 200, "{body}");
        // The link is shown once, to copy when e-mail is not the way to reach the candidate; it opens.
        let shown = body.split("id=\"invitation-link\" type=\"text\" readonly value=\"").nth(1).and_then(|r| r.split('"').next()).expect("the link").to_string();
        assert!(shown.contains("/take/"), "{shown}");
        let path = shown.split_once("/take/").map(|(_, t)| format!("/take/{t}")).expect("path");
        let opened = app.client.get(format!("{}{path}", app.base)).send().await.expect("open");
        assert_eq!(opened.status(), 303, "the shown link is the candidate's");
        let (status, _, body) = post(&app, Some(&recruiter), &format!("/campaigns/{id}/invitations"), &[("name", "Ada"), ("email", "ADA@example.org"), ("language", "en")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("already invited"), "{body}");
        let first = outbox_links(&app, &p.org_a).await.pop().expect("first link");
        let invitation = app.db.store.campaign_candidates(&p.org_a, &id).await.expect("q").pop().expect("invitation").invitation_id;
        let profile = format!("/campaigns/{id}/candidates/{invitation}");

        assert_eq!(post(&app, Some(&recruiter), &format!("{profile}/resend"), &[]).await.1, Some(format!("{profile}?resent=1")));
        let links = outbox_links(&app, &p.org_a).await;
        assert_eq!(links.len(), 1, "the old message no longer holds a link");
        let second = links.into_iter().next().expect("new link");
        assert_ne!(first, second);
        assert_eq!(get(&app, None, &first).await.0, 404, "the old link stopped working");
        let opened = app.client.get(format!("{}{second}", app.base)).send().await.expect("open");
        assert_eq!(opened.status(), 303);
        let access = opened.headers().get("set-cookie").and_then(|v| v.to_str().ok()).and_then(|c| c.split(';').next()).expect("access cookie").to_string();
        let page = app.client.get(format!("{}/assessment", app.base)).header("cookie", &access).send().await.expect("page");
        assert_eq!(page.status(), 200);

        assert_eq!(post(&app, Some(&recruiter), &format!("{profile}/revoke"), &[]).await.1, Some(format!("{profile}?revoked=1")));
        assert_eq!(get(&app, None, &second).await.0, 410, "a revoked link is gone");
        let page = app.client.get(format!("{}/assessment", app.base)).header("cookie", &access).send().await.expect("page");
        assert_ne!(page.status(), 200, "a browser that opened the link earlier is shut out too");
        assert_eq!(post(&app, Some(&recruiter), &format!("{profile}/resend"), &[]).await.0, 422, "nothing to resend once withdrawn");
        assert_eq!(post(&app, Some(&recruiter), &format!("{profile}/revoke"), &[]).await.0, 422);
        // Another organisation cannot touch it.
        let admin_b = login(&app, ADMIN_B).await;
        assert_eq!(post(&app, Some(&admin_b), &format!("{profile}/resend"), &[]).await.0, 404);
        let audit = app.db.store.audit_log(&p.org_a, 100).await.expect("audit");
        for action in ["invitation.created", "invitation.resent", "invitation.revoked"] {
            assert!(audit.iter().any(|e| e.action == action), "{action} audited");
        }
    }

    async fn reminders_go_once_a_day_with_new_links_to_those_who_can_still_finish(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let recruiter = login(&app, RECRUITER_A).await;
        let id = campaign(&app, &recruiter, "Reminders").await;
        for (name, email) in [("Ada Invited", "ada@example.org"), ("Bea Started", "bea@example.org"), ("Cy Withdrawn", "cy@example.org"), ("Dee Completed", "dee@example.org")] {
            let (status, _, body) = post(&app, Some(&recruiter), &format!("/campaigns/{id}/invitations"), &[("name", name), ("email", email), ("language", "en")]).await;
            assert_eq!(status, 200, "{body}");
        }
        let rows = app.db.store.campaign_candidates(&p.org_a, &id).await.expect("candidates");
        let invitation = |email: &str| rows.iter().find(|r| r.email.as_deref() == Some(email)).expect("invited").invitation_id.clone();
        let link = |email: &str, messages: &[vigil::store::OutboxRow]| {
            let body = &messages.iter().find(|m| m.to_address == email && !m.body.is_empty()).expect("a message with a link").body;
            let token = body.split_once("/take/").and_then(|(_, rest)| rest.split_whitespace().next()).expect("link");
            format!("/take/{token}")
        };
        let first = app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox");
        // Bea and Dee start; Dee's session is then marked completed; Cy is withdrawn.
        for email in ["bea@example.org", "dee@example.org"] {
            let opened = app.client.get(format!("{}{}", app.base, link(email, &first))).send().await.expect("open");
            let access = opened.headers().get("set-cookie").and_then(|v| v.to_str().ok()).and_then(|c| c.split(';').next()).expect("access cookie").to_string();
            assert_eq!(post(&app, Some(&access), "/assessment/start", &[]).await.0, 303);
        }
        sqlx::any::install_default_drivers();
        let raw = sqlx::AnyPool::connect(app.db.url.expose()).await.expect("raw pool");
        sqlx::query("UPDATE assessment_sessions SET status = 'completed', completed_at = $1 WHERE invitation_id = $2").bind(1_i64).bind(invitation("dee@example.org")).execute(&raw).await.expect("complete dee");
        let cy = format!("/campaigns/{id}/candidates/{}", invitation("cy@example.org"));
        assert_eq!(post(&app, Some(&recruiter), &format!("{cy}/revoke"), &[]).await.0, 303);

        // Everyone was written to a moment ago: nobody is reminded yet, and the page says why.
        let (status, _, page) = get(&app, Some(&recruiter), &format!("/campaigns/{id}/reminders")).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("id=\"nobody-to-remind\"") && page.contains("reminders wait a day"), "{page}");
        assert!(page.contains("Ada Invited") && page.contains("Bea Started"), "{page}");
        assert!(!page.contains("Cy Withdrawn") && !page.contains("Dee Completed"), "withdrawn and completed candidates are not listed");
        assert_eq!(post(&app, Some(&recruiter), &format!("/campaigns/{id}/reminders"), &[]).await.1, Some(format!("/campaigns/{id}?reminded=0")));
        let messages = app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox").len();
        assert_eq!(messages, 4, "nothing was sent");

        // Two days later Ada and Bea are due one.
        sqlx::query("UPDATE outbox SET created_at = created_at - $1").bind(2 * 86_400_000_i64).execute(&raw).await.expect("age the outbox");
        let (_, _, page) = get(&app, Some(&recruiter), &format!("/campaigns/{id}/reminders")).await;
        let recipients = page.split_once("id=\"reminder-recipients\"").map(|(_, rest)| rest.split_once("</table>").map_or(rest, |(t, _)| t)).expect("recipients table");
        assert!(recipients.contains("Ada Invited") && recipients.contains("Invited, not started"), "{recipients}");
        assert!(recipients.contains("Bea Started") && recipients.contains("Started, not finished"), "{recipients}");
        assert!(page.contains("Send 2 reminder(s)"), "{page}");
        // Another organisation's staff cannot see or send them.
        let admin_b = login(&app, ADMIN_B).await;
        assert_eq!(get(&app, Some(&admin_b), &format!("/campaigns/{id}/reminders")).await.0, 404);
        assert_eq!(post(&app, Some(&admin_b), &format!("/campaigns/{id}/reminders"), &[]).await.0, 404);

        assert_eq!(post(&app, Some(&recruiter), &format!("/campaigns/{id}/reminders"), &[]).await.1, Some(format!("/campaigns/{id}?reminded=2")));
        let after = app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox");
        assert_eq!(after.len(), 6);
        let newest = |email: &str| after.iter().filter(|m| m.to_address == email).max_by_key(|m| m.created_at).expect("message").clone();
        let (ada, bea) = (newest("ada@example.org"), newest("bea@example.org"));
        assert_eq!((ada.kind.as_str(), bea.kind.as_str()), ("reminder", "reminder"));
        assert!(ada.subject.starts_with("Reminder: invitation") && bea.subject.starts_with("Reminder: your questionnaire"), "{} / {}", ada.subject, bea.subject);
        for email in ["ada@example.org", "bea@example.org"] {
            assert_eq!(get(&app, None, &link(email, &first)).await.0, 404, "the earlier link of {email} stopped working");
            assert_eq!(get(&app, None, &link(email, &after)).await.1.as_deref(), Some("/assessment"), "the new link of {email} works");
        }
        assert_eq!(after.iter().filter(|m| m.to_address == "cy@example.org" || m.to_address == "dee@example.org").count(), 2, "only their invitations");
        // A second click the same day sends nothing more.
        assert_eq!(post(&app, Some(&recruiter), &format!("/campaigns/{id}/reminders"), &[]).await.1, Some(format!("/campaigns/{id}?reminded=0")));
        assert_eq!(app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox").len(), 6);
        let audit = app.db.store.audit_log(&p.org_a, 100).await.expect("audit");
        assert_eq!(audit.iter().filter(|e| e.action == "invitation.resent").count(), 2);
        // The campaign page offers reminders and reports the count.
        let (_, _, campaign_page) = get(&app, Some(&recruiter), &format!("/campaigns/{id}?reminded=2")).await;
        assert!(campaign_page.contains("2 reminders with new links were sent") && campaign_page.contains("id=\"remind-unfinished\""), "{campaign_page}");

        // The store gives no new link to a completed assessment, even when asked directly.
        let dee = vigil::store::Reissue {
            invitation_id: invitation("dee@example.org"),
            token_hash: "0".repeat(64),
            expires_at: i64::MAX,
            message: vigil::store::OutboxDraft { kind: "reminder", to: "dee@example.org".into(), subject: "s".into(), body: "b".into() },
            automatic: false,
        };
        assert_eq!(app.db.store.reissue_invitations(&p.org_a, &[dee], vigil::store::Actor::User(&p.recruiter_a), 0).await.expect("reissue"), 0);
        assert_eq!(app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox").len(), 6);
    }

    async fn a_campaign_reminds_by_itself_once_before_the_link_runs_out(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let recruiter = login(&app, RECRUITER_A).await;
        let (status, location, body) = post(
            &app,
            Some(&recruiter),
            "/campaigns",
            &[("name", "Self-reminding"), ("role_family", "security"), ("instrument", "svi@1.0.0"), ("invitation_days", "14"), ("reminder_days", "3")],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        let id = location.and_then(|l| l.strip_prefix("/campaigns/").and_then(|r| r.strip_suffix("?created=1")).map(str::to_string)).expect("campaign");
        let (_, _, page) = get(&app, Some(&recruiter), &format!("/campaigns/{id}")).await;
        assert!(page.contains("3 day(s) before the link runs out"), "{page}");
        let quiet = campaign(&app, &recruiter, "No reminders").await;
        for (campaign_id, name, email) in [(&id, "Ada Soon", "ada@example.org"), (&id, "Bea Soon", "bea@example.org"), (&id, "Cy Later", "cy@example.org"), (&quiet, "Dee Quiet", "dee@example.org")] {
            let (status, _, body) = post(&app, Some(&recruiter), &format!("/campaigns/{campaign_id}/invitations"), &[("name", name), ("email", email), ("language", "en")]).await;
            assert_eq!(status, 200, "{body}");
        }
        // Links: Ada's, Bea's and Dee's end in two days, Cy's in ten; every e-mail is two days old.
        sqlx::any::install_default_drivers();
        let raw = sqlx::AnyPool::connect(app.db.url.expose()).await.expect("raw pool");
        let now = vigil::time::now_ms();
        let day = 86_400_000_i64;
        let soon = now + 2 * day;
        for (email, expires) in [("ada@example.org", soon), ("bea@example.org", soon), ("cy@example.org", now + 10 * day), ("dee@example.org", soon)] {
            sqlx::query("UPDATE invitations SET expires_at = $1 WHERE candidate_id IN (SELECT id FROM candidates WHERE email = $2)").bind(expires).bind(email).execute(&raw).await.expect("expiry");
        }
        sqlx::query("UPDATE outbox SET created_at = created_at - $1").bind(2 * day).execute(&raw).await.expect("age the outbox");

        let sent = vigil::recruit::reminders::send_automatic(&app.db.store, None, now).await.expect("automatic reminders");
        assert_eq!(sent, 2, "Ada and Bea; not Cy (later) nor Dee (a campaign without reminders)");
        let rows = app.db.store.campaign_candidates(&p.org_a, &id).await.expect("candidates");
        for row in &rows {
            let due = row.email.as_deref() != Some("cy@example.org");
            assert_eq!(row.auto_reminded_at.is_some(), due, "{:?}", row.email);
            if due {
                assert_eq!(row.expires_at, soon, "the link keeps its end");
            }
        }
        let outbox = app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox");
        let ada = outbox.iter().filter(|m| m.to_address == "ada@example.org").max_by_key(|m| m.created_at).expect("message");
        assert_eq!(ada.kind, "reminder");
        assert!(ada.body.contains(&vigil::time::date_utc(soon)) && ada.body.contains(&format!("{}/take/", app.base)), "{}", ada.body);
        // Once only, even when the e-mails are old again.
        sqlx::query("UPDATE outbox SET created_at = created_at - $1").bind(2 * day).execute(&raw).await.expect("age the outbox");
        assert_eq!(vigil::recruit::reminders::send_automatic(&app.db.store, None, now).await.expect("again"), 0);
        let audit = app.db.store.audit_log(&p.org_a, 100).await.expect("audit");
        assert_eq!(audit.iter().filter(|e| e.action == "invitation.resent" && e.actor_kind == "system").count(), 2);

        // The recruiter can change it, within bounds, or turn it off.
        let path = format!("/campaigns/{id}/automatic-reminder");
        assert_eq!(post(&app, Some(&recruiter), &path, &[("reminder_days", "14")]).await.0, 422, "not as long as the link itself");
        assert_eq!(post(&app, Some(&recruiter), &path, &[("reminder_days", "")]).await.1, Some(format!("/campaigns/{id}?reminder_changed=1")));
        let (_, _, page) = get(&app, Some(&recruiter), &format!("/campaigns/{id}")).await;
        assert!(page.contains("id=\"automatic-reminder\">None<"), "{page}");
        let admin_b = login(&app, ADMIN_B).await;
        assert_eq!(post(&app, Some(&admin_b), &path, &[("reminder_days", "2")]).await.0, 404);
        assert!(app.db.store.campaign(&p.org_a, &id).await.expect("q").expect("campaign").reminder_days.is_none());
    }

    async fn an_administrator_erases_a_candidate_on_request_and_only_the_name_goes(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let recruiter = login(&app, RECRUITER_A).await;
        let id = campaign(&app, &recruiter, "Erasure").await;
        let (status, _, body) = post(&app, Some(&recruiter), &format!("/campaigns/{id}/invitations"), &[("name", "Ada Lovelace"), ("email", "ada@example.org"), ("language", "en")]).await;
        assert_eq!(status, 200, "{body}");
        let link = outbox_links(&app, &p.org_a).await.pop().expect("link");
        let opened = app.client.get(format!("{}{link}", app.base)).send().await.expect("open");
        let access = opened.headers().get("set-cookie").and_then(|v| v.to_str().ok()).and_then(|c| c.split(';').next()).expect("access cookie").to_string();
        let invitation = app.db.store.campaign_candidates(&p.org_a, &id).await.expect("q").pop().expect("invitation").invitation_id;
        let profile = format!("/campaigns/{id}/candidates/{invitation}");
        assert_eq!(post(&app, Some(&recruiter), &format!("{profile}/decision"), &[("decision", "hold"), ("reason", "Ada Lovelace asked for a later date")]).await.0, 303);

        // Recruiters see who can erase; only an administrator can, after ticking the box.
        let (_, _, page) = get(&app, Some(&recruiter), &profile).await;
        assert!(page.contains("an administrator of your organisation can erase them sooner") && !page.contains("id=\"erase\""), "{page}");
        assert_eq!(post(&app, Some(&recruiter), &format!("{profile}/erase"), &[("confirm", "yes")]).await.0, 403);
        let admin_b = login(&app, ADMIN_B).await;
        assert_eq!(post(&app, Some(&admin_b), &format!("{profile}/erase"), &[("confirm", "yes")]).await.0, 404);
        let admin = login(&app, ADMIN_A).await;
        let (_, _, page) = get(&app, Some(&admin), &profile).await;
        assert!(page.contains("id=\"erase\""), "{page}");
        let (status, _, page) = post(&app, Some(&admin), &format!("{profile}/erase"), &[]).await;
        assert_eq!(status, 422);
        assert!(page.contains("tick the box"), "{page}");
        assert_eq!(app.db.store.campaign_candidates(&p.org_a, &id).await.expect("q")[0].name.as_deref(), Some("Ada Lovelace"), "nothing erased unconfirmed");
        assert_eq!(post(&app, Some(&admin), &format!("{profile}/erase"), &[("confirm", "yes")]).await.1, Some(format!("{profile}?erased=1")));

        // The name, address, e-mails and reasons are gone; the link and the browser that opened it are shut out.
        let (_, _, page) = get(&app, Some(&admin), &format!("{profile}?erased=1")).await;
        assert!(page.contains("Personal data erased") && page.contains("id=\"erased-note\""), "{page}");
        assert!(!page.contains("Ada Lovelace") && !page.contains("ada@example.org") && !page.contains("asked for a later date"), "{page}");
        let (_, _, list) = get(&app, Some(&recruiter), &format!("/campaigns/{id}")).await;
        assert!(!list.contains("Ada Lovelace") && list.contains("Personal data erased"));
        let (_, _, csv) = get(&app, Some(&recruiter), &format!("/campaigns/{id}/export.csv")).await;
        assert!(!csv.contains("Ada") && !csv.contains("ada@example.org"), "{csv}");
        assert!(app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox").iter().all(|m| m.to_address.is_empty() && m.body.is_empty()));
        assert_eq!(get(&app, None, &link).await.0, 410, "the link is withdrawn");
        let page = app.client.get(format!("{}/assessment", app.base)).header("cookie", &access).send().await.expect("page");
        assert_ne!(page.status(), 200, "a browser that opened the link is shut out");
        assert_eq!(post(&app, Some(&admin), &format!("{profile}/erase"), &[("confirm", "yes")]).await.0, 422, "erased already");
        let audit = app.db.store.audit_log(&p.org_a, 100).await.expect("audit");
        assert_eq!(audit.iter().filter(|e| e.action == "candidate.erased" && e.detail.as_deref() == Some(r#"{"why":"request"}"#)).count(), 1);
        // The same address can be invited again (nothing remembers it).
        let (status, _, body) = post(&app, Some(&recruiter), &format!("/campaigns/{id}/invitations"), &[("name", "Ada Lovelace"), ("email", "ada@example.org"), ("language", "en")]).await;
        assert_eq!(status, 200, "{body}");
    }

    async fn decisions_need_a_reason_are_audited_and_stay_in_their_organisation(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, campaign_id, recruiter) = demo(&app).await;
        let invitation = app.db.store.campaign_candidates(&org, &campaign_id).await.expect("q").into_iter().next().expect("a candidate").invitation_id;
        let path = format!("/campaigns/{campaign_id}/candidates/{invitation}/decision");
        assert_eq!(post(&app, Some(&recruiter), &path, &[("decision", "advance"), ("reason", "   ")]).await.0, 422);
        assert_eq!(post(&app, Some(&recruiter), &path, &[("decision", "hire"), ("reason", "Good")]).await.0, 422);
        assert!(app.db.store.candidate_decisions(&org, &invitation).await.expect("q").is_empty(), "nothing recorded");
        let (status, location, _) = post(&app, Some(&recruiter), &path, &[("decision", "hold"), ("reason", "Waiting for the second interview")]).await;
        assert_eq!((status, location), (303, Some(format!("/campaigns/{campaign_id}/candidates/{invitation}?decided=1"))));
        post(&app, Some(&recruiter), &path, &[("decision", "advance"), ("reason", "Strong interview")]).await;
        let decisions = app.db.store.candidate_decisions(&org, &invitation).await.expect("q");
        assert_eq!(decisions.iter().map(|d| d.decision.as_str()).collect::<Vec<_>>(), vec!["advance", "hold"], "newest first, history kept");

        // Another organisation's recruiter: not found, and nothing recorded.
        let p = people(&app).await;
        let recruiter_b = login(&app, RECRUITER_B).await;
        assert_eq!(post(&app, Some(&recruiter_b), &path, &[("decision", "decline"), ("reason", "x")]).await.0, 404);
        assert_eq!(app.db.store.candidate_decisions(&org, &invitation).await.expect("q").len(), 2);
        let caller_b = Caller { user_id: p.recruiter_b.clone(), org_id: p.org_b.clone(), role: app::staff::model::StaffRole::Recruiter, language: "en".into() };
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        assert!(matches!(recruit::profile(&app.db.store, &catalog, &caller_b, &campaign_id, &invitation, "profile.viewed").await, Err(vigil::service_error::ServiceError::NotFound)));

        // The list shows the current decision.
        let user = app.db.store.user_by_email("rita@demo.example").await.expect("q").expect("rita");
        let caller = Caller { user_id: user.id.clone(), org_id: org.clone(), role: app::staff::model::StaffRole::Recruiter, language: "en".into() };
        let (_, rows) = recruit::campaign_page(&app.db.store, &catalog, &caller, &campaign_id, &Default::default()).await.expect("list");
        let row = rows.iter().find(|r| r.invitation_id == invitation).expect("row");
        assert_eq!(row.decision, Some(app::recruit::model::Decision::Advance));
        let audit = app.db.store.audit_log(&org, 100).await.expect("audit");
        assert_eq!(audit.iter().filter(|e| e.action == "decision.recorded" && e.object_id.as_deref() == Some(invitation.as_str())).count(), 2);
    }

    async fn profiles_show_every_score_with_its_band_and_their_views_are_audited(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, campaign_id, _) = demo(&app).await;
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let user = app.db.store.user_by_email("rita@demo.example").await.expect("q").expect("rita");
        let caller = Caller { user_id: user.id.clone(), org_id: org.clone(), role: app::staff::model::StaffRole::Recruiter, language: "en".into() };
        let (detail, rows) = recruit::campaign_page(&app.db.store, &catalog, &caller, &campaign_id, &Default::default()).await.expect("list");
        assert_eq!(rows.len(), vigil::demo::DEMO_CANDIDATES);
        // The page's counts and its list come from the same rows.
        let counts = &detail.summary.counts;
        assert_eq!((counts.completed as usize, counts.invited + counts.started + counts.expired + counts.revoked), (rows.len(), 0));
        assert!(rows.iter().all(|r| r.status == app::recruit::model::CandidateStatus::Completed && r.validity.is_some() && !r.headline.is_empty()));
        let mut low_seen = false;
        for row in &rows {
            let profile = recruit::profile(&app.db.store, &catalog, &caller, &campaign_id, &row.invitation_id, "profile.viewed").await.expect("profile");
            assert_eq!(profile.instruments.iter().map(|i| i.instrument.as_str()).collect::<Vec<_>>(), vec!["svi", "sjs"], "in the battery's order");
            for instrument in &profile.instruments {
                let norm = instrument.norm.as_ref().expect("named norm group");
                assert!(norm.demonstration && norm.n > 0 && !norm.collected_from.is_empty());
                for scale in &instrument.scales {
                    if let Some(n) = scale.normed {
                        assert!(n.t_band[0] <= n.t && n.t <= n.t_band[1], "T inside its band");
                        assert!(n.percentile_band[0] <= n.percentile && n.percentile <= n.percentile_band[1]);
                        assert!(n.sten_band[0] <= n.sten && n.sten <= n.sten_band[1]);
                        if n.band != app::recruit::model::BandKind::Low {
                            assert!(scale.interview_prompts.is_empty(), "prompts only for the lower band: {} {:?}", scale.scale, n.band);
                        }
                        if n.band == app::recruit::model::BandKind::Low && scale.kind == "trait" {
                            assert!(!scale.interview_prompts.is_empty(), "every SVI trait has prompts for its lower band: {}", scale.scale);
                        }
                        assert!(scale.interpretation.is_some() || scale.kind == "impression_management", "{} has its band's text", scale.scale);
                        low_seen |= n.band == app::recruit::model::BandKind::Low;
                    }
                }
            }
        }
        assert!(low_seen, "24 simulated candidates include a lower band somewhere");
        let audit = app.db.store.audit_log(&org, 500).await.expect("audit");
        assert_eq!(audit.iter().filter(|e| e.action == "profile.viewed").count(), rows.len());
        let ids: Vec<String> = rows.iter().take(3).map(|r| r.invitation_id.clone()).collect();
        assert_eq!(recruit::compare(&app.db.store, &catalog, &caller, &campaign_id, &ids).await.expect("compare").len(), 3);
        let six: Vec<String> = rows.iter().take(6).map(|r| r.invitation_id.clone()).collect();
        assert!(matches!(recruit::compare(&app.db.store, &catalog, &caller, &campaign_id, &six).await, Err(vigil::service_error::ServiceError::Invalid(_))));
    }

    async fn exports_neutralise_formulas_and_are_audited(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, campaign_id, recruiter) = demo(&app).await;
        // A name that a spreadsheet would run as a formula.
        let (status, _, _) = post(&app, Some(&recruiter), &format!("/campaigns/{campaign_id}/invitations"), &[("name", "=HYPERLINK(\"http://evil.example\",\"x\")"), ("email", "eve@example.org"), ("language", "en")]).await;
        assert_eq!(status, 200);
        let res = app.client.get(format!("{}/campaigns/{campaign_id}/export.csv", app.base)).header("cookie", &recruiter).send().await.expect("csv");
        assert_eq!(res.status(), 200);
        assert!(res.headers().get("content-disposition").and_then(|v| v.to_str().ok()).is_some_and(|d| d.starts_with("attachment; filename=\"demo-full-fixed-battery-svi-1-0-0-sjs-")));
        assert_eq!(res.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
        let text = res.text().await.expect("body");
        let text = text.strip_prefix('\u{feff}').expect("starts with a byte-order mark");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().expect("header").clone();
        assert!(header.iter().any(|h| h == "svi.security_motivation.t_90_low"), "{header:?}");
        let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("records");
        assert_eq!(records.len(), vigil::demo::DEMO_CANDIDATES + 1);
        let eve = records.iter().find(|r| r.get(1) == Some("eve@example.org")).expect("eve");
        assert_eq!(eve.get(0), Some("'=HYPERLINK(\"http://evil.example\",\"x\")"));
        assert_eq!(eve.get(3), Some("invited"));
        assert!(records.iter().filter(|r| r.get(3) == Some("completed")).all(|r| r.get(11).is_some_and(|n| n.contains("demonstration norms - not for decisions"))));

        let invitation = app.db.store.campaign_candidates(&org, &campaign_id).await.expect("q").into_iter().next().expect("a candidate").invitation_id;
        let res = app.client.get(format!("{}/campaigns/{campaign_id}/candidates/{invitation}/export.json", app.base)).header("cookie", &recruiter).send().await.expect("json");
        assert_eq!(res.status(), 200);
        let json: serde_json::Value = res.json().await.expect("json body");
        assert_eq!(json["invitation"]["status"], "completed");
        assert_eq!(json["profile"]["instruments"].as_array().map(Vec::len), Some(2));
        assert!(json["scores"].as_array().is_some_and(|s| s.iter().all(|x| x["method"] == "ctt" || x["method"] == "irt")));
        let text = json.to_string();
        assert!(!text.contains("\"answers\"") && !text.contains("\"trace\""), "no item-level answers");

        // Other organisations and other roles: not found / not allowed; anonymous: sign in.
        let _ = people(&app).await;
        let recruiter_b = login(&app, RECRUITER_B).await;
        assert_eq!(get(&app, Some(&recruiter_b), &format!("/campaigns/{campaign_id}/export.csv")).await.0, 404);
        assert_eq!(get(&app, Some(&recruiter_b), &format!("/campaigns/{campaign_id}/candidates/{invitation}/export.json")).await.0, 404);
        assert_eq!(get(&app, None, &format!("/campaigns/{campaign_id}/export.csv")).await.1.as_deref(), Some("/login"));
        let audit = app.db.store.audit_log(&org, 100).await.expect("audit");
        assert!(audit.iter().any(|e| e.action == "results.exported"));
        assert!(audit.iter().any(|e| e.action == "candidate.exported" && e.object_id.as_deref() == Some(invitation.as_str())));
    }
}
