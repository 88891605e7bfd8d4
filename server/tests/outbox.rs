//! The outbox over real HTTP, on SQLite and PostgreSQL (issue 20, items 6
//! and 7): it pages through every message once as new ones arrive, filters
//! by status with counts, hands the waiting messages out as CSV, and lets a
//! person mark a message sent, which drops its text; each only within the
//! caller's own organisation.

use std::collections::BTreeSet;

use crate::common;

use app::recruit::model::{OutboxQuery, OUTBOX_PAGE};
use common::{web::*, TestApp};
use vigil::{recruit, staff::Caller};

/// Invites `n` people to a fresh campaign of organisation A by CSV; returns the campaign.
async fn invite_many(app: &TestApp, cookie: &String, n: usize) -> String {
    let (status, location, body) = post(app, Some(cookie), "/campaigns", &[("name", "Outbox"), ("use", "sjs"), ("version:sjs", "1.0.0"), ("invitation_days", "14")]).await;
    assert_eq!(status, 303, "{body}");
    let campaign = location.and_then(|l| l.strip_prefix("/campaigns/").and_then(|r| r.strip_suffix("?created=1")).map(str::to_string)).expect("campaign");
    let mut csv = String::from("name,email,language\n");
    for i in 0..n {
        csv.push_str(&format!("Person {i:03},person{i}@example.org,en\n"));
    }
    let (status, body) = crate::recruit::upload(app, cookie, &campaign, csv).await;
    assert_eq!(status, 200, "{body}");
    campaign
}

async fn caller(app: &TestApp, org_id: &str, email: &str) -> Caller {
    let user = app.db.store.user_by_email(email).await.expect("q").expect("user");
    Caller { user_id: user.id, org_id: org_id.to_string(), role: app::staff::model::StaffRole::Recruiter, language: "en".into() }
}

on_both_databases! {
    async fn the_outbox_pages_through_every_message_once_as_new_ones_arrive(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let cookie = login(&app, RECRUITER_A).await;
        let campaign = invite_many(&app, &cookie, 230).await;
        let who = caller(&app, &p.org_a, RECRUITER_A).await;
        let mut query = OutboxQuery::default();
        let (mut seen, mut pages) = (Vec::new(), Vec::new());
        loop {
            let page = recruit::outbox(&app.db.store, &who, &query).await.expect("page");
            pages.push((page.listed.from, page.messages.len(), page.listed.total));
            seen.extend(page.messages.iter().map(|m| m.id.clone()));
            if pages.len() == 1 {
                // A message written while the first page is read.
                let (status, _, body) = post(&app, Some(&cookie), &format!("/campaigns/{campaign}/invitations"), &[("name", "Late Arrival"), ("email", "late@example.org"), ("language", "en")]).await;
                assert_eq!(status, 200, "{body}");
            }
            match page.listed.next_after {
                Some(after) => query.after = Some(after),
                None => break,
            }
        }
        // The newest message stands first, so the later pages' places count it.
        assert_eq!(pages, vec![(1, OUTBOX_PAGE, 230), (102, OUTBOX_PAGE, 231), (202, 30, 231)], "the total counts the arrival; the pages go on where they were");
        let distinct: BTreeSet<&String> = seen.iter().collect();
        assert_eq!((seen.len(), distinct.len()), (230, 230), "every message of the first read once; the newer one heads the first page");

        // The page itself: its caption, its pager and the status filter.
        let (_, _, first) = get(&app, Some(&cookie), "/outbox").await;
        assert!(first.contains("Messages (231; 1 to 100 shown)"), "{first}");
        assert!(first.contains("Waiting (231)") && first.contains("Sent (0)"), "the filter counts each status");
        let next = first.split("id=\"next-page\"").next().and_then(|h| h.rsplit("href=\"").next()).and_then(|h| h.split('"').next()).expect("next page");
        let (_, _, second) = get(&app, Some(&cookie), &next.replace("&amp;", "&")).await;
        assert!(second.contains("101 to 200 shown") && second.contains("id=\"first-page\""), "{second}");
        let (_, _, sent) = get(&app, Some(&cookie), "/outbox?status=sent").await;
        assert!(sent.contains("No messages here.") && !sent.contains("id=\"next-page\""), "nothing sent yet");
    }

    async fn a_message_sent_by_hand_is_marked_once_loses_its_text_and_is_audited(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let cookie = login(&app, RECRUITER_A).await;
        invite_many(&app, &cookie, 3).await;
        let outbox = app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox");
        let message = outbox.iter().find(|m| m.to_address == "person1@example.org").expect("message").id.clone();

        // Another organisation, a forged site and a psychologist change nothing.
        let other = login(&app, RECRUITER_B).await;
        assert_eq!(post(&app, Some(&other), &format!("/outbox/{message}/sent"), &[]).await.0, 404);
        let psychologist = login(&app, PSYCHOLOGIST_A).await;
        assert_eq!(post(&app, Some(&psychologist), &format!("/outbox/{message}/sent"), &[]).await.0, 403);
        let forged = app.client.post(format!("{}/outbox/{message}/sent", app.base)).header("cookie", &cookie).header("origin", "https://evil.example").send().await.expect("post");
        assert_eq!(forged.status().as_u16(), 403);
        assert_eq!(post(&app, Some(&cookie), "/outbox/not-a-message/sent", &[]).await.0, 404);
        let untouched = app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox");
        assert!(untouched.iter().all(|m| m.status == "queued" && !m.body.is_empty()), "nothing changed");

        let (status, location, _) = post(&app, Some(&cookie), &format!("/outbox/{message}/sent"), &[]).await;
        assert_eq!((status, location.as_deref()), (303, Some("/outbox?marked=1")));
        let after = app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox");
        let marked = after.iter().find(|m| m.id == message).expect("kept");
        assert_eq!((marked.status.as_str(), marked.body.as_str(), marked.sent_at.is_some()), ("sent", "", true), "sent, its text with the link dropped");
        assert_eq!(after.iter().filter(|m| m.status == "queued").count(), 2, "the others still wait");
        assert_eq!(post(&app, Some(&cookie), &format!("/outbox/{message}/sent"), &[]).await.0, 404, "once only");
        let audit = app.db.store.audit_log(&p.org_a, 100).await.expect("audit");
        assert_eq!(audit.iter().filter(|a| a.action == "outbox.sent_by_hand" && a.object_id.as_deref() == Some(message.as_str())).count(), 1);
        let (_, _, page) = get(&app, Some(&cookie), "/outbox?marked=1").await;
        assert!(page.contains("id=\"marked\"") && page.contains("Sent (1)") && page.contains("Waiting (2)"), "{page}");
    }

    async fn the_waiting_messages_come_as_csv_with_their_links(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let cookie = login(&app, RECRUITER_A).await;
        invite_many(&app, &cookie, 4).await;
        let first = app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox").into_iter().find(|m| m.to_address == "person0@example.org").expect("message");
        assert_eq!(post(&app, Some(&cookie), &format!("/outbox/{}/sent", first.id), &[]).await.0, 303);

        let res = app.client.get(format!("{}/outbox/waiting.csv", app.base)).header("cookie", &cookie).send().await.expect("csv");
        assert_eq!(res.status().as_u16(), 200);
        assert!(res.headers().get("content-disposition").and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("attachment") && v.contains(".csv")));
        let text = res.text().await.expect("body");
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        assert_eq!(reader.headers().expect("header").iter().collect::<Vec<_>>(), ["to", "subject", "kind", "created_at", "link", "message"]);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        let to: BTreeSet<&str> = rows.iter().map(|r| &r[0]).collect();
        assert_eq!(to, BTreeSet::from(["person1@example.org", "person2@example.org", "person3@example.org"]), "the waiting ones; not the one sent");
        for r in &rows {
            assert!(r[4].contains("/take/") && r[5].contains(&r[4]), "the link, and the message it is in");
        }
        let audit = app.db.store.audit_log(&p.org_a, 100).await.expect("audit");
        assert!(audit.iter().any(|a| a.action == "outbox.exported"), "the file holds personal links: audited");
        let other = login(&app, RECRUITER_B).await;
        let theirs = app.client.get(format!("{}/outbox/waiting.csv", app.base)).header("cookie", &other).send().await.expect("csv");
        let theirs = theirs.text().await.expect("body");
        assert_eq!(theirs.trim_start_matches('\u{feff}').lines().count(), 1, "another organisation gets only the header");
    }
}
