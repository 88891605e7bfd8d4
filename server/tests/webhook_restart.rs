//! The webhook queue survives a SIGKILL of the server: every event is
//! delivered after the restart, and none that the receiver had answered
//! 2xx (and the server had recorded) is sent again; those in flight at the
//! kill may come twice, with the same `webhook-id`. The real `vigil`
//! binary, on SQLite and PostgreSQL.

use crate::common;

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use common::process::{free_port, start};
use vigil::store::{NewCampaign, NewInvitation, NewUser, Role};

/// Answers the first `open_for` requests at once; holds the rest until the gate opens.
#[derive(Clone)]
struct Receiver {
    ids: Arc<Mutex<Vec<String>>>,
    gate: tokio::sync::watch::Sender<bool>,
    open_for: usize,
}

impl Receiver {
    async fn start(&self) -> String {
        let this = self.clone();
        let router = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap| {
                let this = this.clone();
                async move {
                    let id = headers["webhook-id"].to_str().expect("id").to_string();
                    let n = {
                        let mut ids = this.ids.lock().expect("lock");
                        ids.push(id);
                        ids.len()
                    };
                    if n > this.open_for {
                        let mut open = this.gate.subscribe();
                        let _ = open.wait_for(|o| *o).await;
                    }
                    "ok"
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{addr}/hook")
    }
}

const EVENTS: usize = 40;
const ANSWERED_AT_ONCE: usize = 10;

on_both_databases! {
    async fn the_webhook_queue_survives_a_sigkill_and_delivers_every_event(db: Db) {
        let Some(t) = common::TestDb::new(db).await else { return };
        let s = &t.store;
        let org = s.create_organisation("Killed hooks", "killed-hooks", false).await.expect("org").id;
        let admin = s.create_user(&NewUser { org_id: &org, email: "admin@hooks.example", display_name: "Admin", role: Role::Admin, password_hash: None }).await.expect("user").id;
        let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }] }).to_string();
        let campaign = s
            .create_campaign(&NewCampaign { org_id: &org, name: "Hooks", role_family: "it", battery: &battery, time_limit_minutes: None, adaptive: false, candidate_feedback: false, invitation_ttl_days: 14, created_by: None, reminder_days: None, link_base: None })
            .await
            .expect("campaign")
            .id;
        let receiver = Receiver { ids: Arc::default(), gate: tokio::sync::watch::channel(false).0, open_for: ANSWERED_AT_ONCE };
        let url = receiver.start().await;
        let now = vigil::time::now_ms();
        s.create_webhook_endpoint(&org, &url, " decision.recorded ", &vigil::webhooks::signature::new_secret(), &admin, now).await.expect("endpoint");
        for n in 0..EVENTS {
            let token = format!("hook-token-{n}");
            let invitation = s
                .create_invitation(&NewInvitation { org_id: &org, campaign_id: &campaign, candidate_name: Some("C"), candidate_email: None, language: "en", token_hash: &token, expires_at: i64::MAX / 2, created_by: None })
                .await
                .expect("invitation")
                .invitation_id;
            s.record_decision(&org, &campaign, &invitation, "hold", "queued before any server runs", &admin, now).await.expect("decision");
        }

        let site = common::process::site();
        let db_url = t.url.expose().to_string();
        let mut first = start(&db_url, site.path(), free_port(), &["--webhooks-allow-loopback"]).await;
        // The first ten are answered and recorded; more are held in flight.
        let org_ref = org.as_str();
        let delivered = |want: usize| async move {
            let rows = s.webhook_endpoints_of(org_ref).await.expect("endpoints");
            let log = s.deliveries_of(org_ref, &rows[0].id, 1000).await.expect("log");
            let done: BTreeSet<String> = log.iter().filter(|d| d.status == "delivered").map(|d| d.event_id.clone()).collect();
            (done.len() >= want).then_some(done)
        };
        let recorded_before_kill = common::eventually("ten deliveries recorded", || delivered(ANSWERED_AT_ONCE)).await;
        common::eventually("deliveries held in flight", || async { (receiver.ids.lock().expect("lock").len() > ANSWERED_AT_ONCE).then_some(()) }).await;
        first.child.kill().expect("SIGKILL");
        first.child.wait().expect("gone");
        let in_flight: BTreeSet<String> = receiver.ids.lock().expect("lock")[ANSWERED_AT_ONCE..].iter().cloned().collect();
        receiver.gate.send_replace(true);

        let mut second = start(&db_url, site.path(), free_port(), &["--webhooks-allow-loopback"]).await;
        let all = common::eventually_within("every event delivered after the restart (a lease is 60 s)", Duration::from_secs(300), || delivered(EVENTS)).await;
        second.child.kill().expect("stop");
        let _ = second.child.wait();

        assert_eq!(all.len(), EVENTS, "every event delivered");
        assert_eq!(recorded_before_kill.len(), ANSWERED_AT_ONCE);
        let mut times: BTreeMap<String, usize> = BTreeMap::new();
        for id in receiver.ids.lock().expect("lock").iter() {
            *times.entry(id.clone()).or_default() += 1;
        }
        assert_eq!(times.keys().cloned().collect::<BTreeSet<_>>(), all, "the receiver saw every event, by the ids the queue holds");
        for id in &recorded_before_kill {
            assert_eq!(times[id], 1, "{id} was answered 2xx and recorded: never sent again");
        }
        for (id, n) in &times {
            assert!(*n == 1 || in_flight.contains(id), "{id} came {n} times without having been in flight at the kill");
        }
    }
}
