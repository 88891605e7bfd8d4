//! Invitation e-mails through a real SMTP server (Python's aiosmtpd from
//! Debian, which `make test` installs) on SQLite and PostgreSQL: a sent
//! message leaves the outbox without its link; an unreachable server or a
//! bad address is recorded and retried or given up, never lost silently.

use crate::common;

use std::time::Duration;

use common::{smtp::{received, smtp_server}, TestApp};
use vigil::{
    mail::{Mailer, MAX_ATTEMPTS},
    recruit,
    staff::Caller,
    store::{NewCampaign, NewUser, Role},
};

/// An organisation with a recruiter and a campaign, and two invitations queued in its outbox.
async fn queued(app: &TestApp) -> (String, Caller) {
    let s = &app.db.store;
    let org = s.create_organisation("Mail Org", "mail-org", false).await.expect("org");
    let user = s.create_user(&NewUser { org_id: &org.id, email: "rec@mail.example", display_name: "Rec", role: Role::Recruiter, password_hash: None }).await.expect("user");
    let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }] }).to_string();
    let campaign = s
        .create_campaign(&NewCampaign { org_id: &org.id, name: "Mail", role_family: "it", battery: &battery, time_limit_minutes: None, adaptive: false, candidate_feedback: false, invitation_ttl_days: 7, created_by: None, reminder_days: None, link_base: None })
        .await
        .expect("campaign");
    let caller = Caller { user_id: user.id, org_id: org.id.clone(), role: app::staff::model::StaffRole::Recruiter, language: "en".into() };
    for (name, email, lang) in [("Ada Lovelace", "ada@example.org", "en"), ("Karl Weber", "karl@example.de", "de")] {
        recruit::invite(s, &caller, &campaign.id, name, email, lang, "https://assess.example.org").await.expect("invite");
    }
    (org.id, caller)
}

on_both_databases! {
    async fn queued_invitations_are_sent_by_smtp_and_their_links_leave_the_database(db: Db) {
        let Some(smtp) = smtp_server().await else { return };
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, _) = queued(&app).await;
        let mailer = Mailer::new(&format!("smtp://127.0.0.1:{}", smtp.port), "Mail Org recruiting <no-reply@mail.example>").expect("mailer");
        assert_eq!(mailer.send_pending(&app.db.store).await.expect("send"), (2, 0));

        let mails = received(smtp.maildir.path());
        assert_eq!(mails.len(), 2, "both reached the SMTP server");
        let ada = mails.iter().find(|m| m.contains("To: ada@example.org")).expect("Ada's e-mail");
        assert!(ada.contains("From: \"Mail Org recruiting\" <no-reply@mail.example>"), "{ada}");
        assert!(ada.contains("Subject: Invitation to a short questionnaire from Mail Org"), "{ada}");
        // The body is quoted-printable: undo its soft line breaks before looking for the link.
        let body = ada.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
        assert!(body.contains("https://assess.example.org/take/"), "{ada}");
        assert!(mails.iter().any(|m| m.contains("To: karl@example.de") && m.contains("Subject: Einladung zu einem kurzen Fragebogen von Mail Org")), "Karl's invitation is in German");

        let outbox = app.db.store.outbox_of(&org, 10).await.expect("outbox");
        assert!(outbox.iter().all(|m| m.status == "sent" && m.body.is_empty() && m.sent_at.is_some()), "sent, and the link is no longer stored: {outbox:?}");
        assert_eq!(mailer.send_pending(&app.db.store).await.expect("send"), (0, 0), "nothing is sent twice");
        assert_eq!(received(smtp.maildir.path()).len(), 2);
    }

    async fn two_processes_sending_the_outbox_send_each_message_once(db: Db) {
        let Some(smtp) = smtp_server().await else { return };
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, caller) = queued(&app).await;
        let campaign = app.db.store.campaigns_of(&org).await.expect("campaigns")[0].id.clone();
        for n in 0..28 {
            recruit::invite(&app.db.store, &caller, &campaign, &format!("Candidate {n}"), &format!("c{n}@example.org"), "en", "https://assess.example.org").await.expect("invite");
        }
        let other_process = vigil::store::Store::open(&app.db.url).await.expect("a second store on the same database");
        let url = format!("smtp://127.0.0.1:{}", smtp.port);
        let sender = |store: vigil::store::Store| {
            let mailer = Mailer::new(&url, "Vigil <no-reply@mail.example>").expect("mailer");
            let handler = std::sync::Arc::new(vigil::mail::SendMail { store: store.clone(), mailer });
            vigil::jobs::Worker::start(
                store,
                "mail",
                vec![vigil::jobs::Registration { kind: vigil::jobs::kind::SEND_MAIL, handler, every: Some(Duration::from_millis(20)) }],
                vigil::jobs::WorkerOptions { poll: Duration::from_millis(20), ..Default::default() },
            )
        };
        let workers = [sender(app.db.store.clone()).await.expect("worker"), sender(other_process.clone()).await.expect("worker")];
        common::eventually("the whole outbox sent", || async {
            app.db.store.outbox_of(&org, 100).await.expect("outbox").iter().all(|m| m.status == "sent").then_some(())
        })
        .await;
        for worker in workers {
            worker.stop().await;
        }
        let mails = received(smtp.maildir.path());
        let mut to: Vec<&str> = mails.iter().filter_map(|m| m.lines().find(|l| l.starts_with("To: "))).collect();
        to.sort();
        let sent = to.len();
        to.dedup();
        assert_eq!((sent, to.len()), (30, 30), "thirty messages, each received once");
        other_process.close().await;
    }

    async fn an_unreachable_server_is_retried_and_a_bad_address_given_up(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, _) = queued(&app).await;
        // Nothing listens on this port.
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
        let mailer = Mailer::new(&format!("smtp://127.0.0.1:{port}"), "Vigil <no-reply@mail.example>").expect("mailer");
        assert_eq!(mailer.send_pending(&app.db.store).await.expect("send"), (0, 2));
        let outbox = app.db.store.outbox_of(&org, 10).await.expect("outbox");
        assert!(outbox.iter().all(|m| m.status == "failed" && m.attempts == 1 && m.body.contains("/take/") && m.last_error.is_some()), "kept for a retry: {outbox:?}");
        for _ in 1..MAX_ATTEMPTS {
            mailer.send_pending(&app.db.store).await.expect("send");
        }
        assert_eq!(mailer.send_pending(&app.db.store).await.expect("send"), (0, 0), "given up after {MAX_ATTEMPTS} tries");
        // A configuration mistake is refused at start-up, without the password in the message.
        let e = Mailer::new("smtp://user:s3cret@:nonsense", "Vigil <a@b.example>").expect_err("bad url");
        assert!(!e.to_string().contains("s3cret"), "{e}");
        assert!(Mailer::new("smtp://127.0.0.1:25", "not a mailbox").is_err());
    }
}
