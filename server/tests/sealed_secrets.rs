//! Secrets at rest, on SQLite and PostgreSQL: second-factor and webhook
//! signing secrets are stored sealed with the secret key and read back
//! opened; a sealed value moved to another row does not open; secrets kept
//! as they were by an earlier Vigil are sealed at the first start with a
//! key; a process with another key is refused; rotating the key re-seals
//! everything or nothing.

use crate::common;

use common::{test_secret_key, TestDb};
use vigil::{
    sealing::{is_sealed, SecretKey},
    store::{NewUser, Resealed, Role, Store, StoreError},
};

const TOTP: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

async fn raw(url: &vigil::config::DatabaseUrl) -> sqlx::AnyPool {
    sqlx::any::AnyPoolOptions::new().max_connections(1).connect(url.expose()).await.expect("connect")
}

async fn one(pool: &sqlx::AnyPool, sql: &str, id: &str) -> Option<String> {
    sqlx::query_scalar(sql).bind(id).fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// An organisation with an admin and a second user.
async fn people(s: &Store) -> (String, String, String) {
    let org = s.create_organisation("Sealed", "sealed", false).await.expect("org").id;
    let user = |email: &'static str| NewUser { org_id: &org, email, display_name: "Someone", role: Role::Admin, password_hash: None };
    let a = s.create_user(&user("a@sealed.example")).await.expect("a").id;
    let b = s.create_user(&user("b@sealed.example")).await.expect("b").id;
    (org.clone(), a, b)
}

/// Every sealed column's values, in a fixed order.
async fn sealed_values(pool: &sqlx::AnyPool) -> Vec<Option<String>> {
    let mut all: Vec<Option<String>> = sqlx::query_scalar("SELECT totp_secret FROM users ORDER BY id").fetch_all(pool).await.expect("users");
    let hooks: Vec<(String, Option<String>)> = sqlx::query_as("SELECT secret, previous_secret FROM webhook_endpoints ORDER BY id").fetch_all(pool).await.expect("endpoints");
    for (secret, previous) in hooks {
        all.push(Some(secret));
        all.push(previous);
    }
    all
}

on_both_databases! {
    async fn second_factor_and_webhook_secrets_are_sealed_at_rest_and_opened_on_read(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let s = &t.store;
        let pool = raw(&t.url).await;
        let (org, a, b) = people(s).await;

        assert!(s.begin_totp_enrolment(&org, &a, TOTP).await.expect("enrol"));
        let stored = one(&pool, "SELECT totp_secret FROM users WHERE id = $1", &a).await.expect("stored");
        assert!(is_sealed(&stored) && stored.contains(test_secret_key().id()) && !stored.contains(TOTP), "{stored}");
        assert_eq!(s.second_factor(&org, &a).await.expect("read").expect("user").totp_secret.as_deref(), Some(TOTP));
        assert!(!s.confirm_totp(&org, &a, "ANOTHERSECRETANOTHERSECRET", 1, &[], 1).await.expect("confirm"), "another secret does not confirm");
        assert!(s.confirm_totp(&org, &a, TOTP, 1, &[], 1).await.expect("confirm"), "the secret enrolled confirms");

        let first = vigil::webhooks::signature::new_secret();
        let endpoint = s.create_webhook_endpoint(&org, "https://hooks.example.com/in", " decision.recorded ", &first, &a, 1).await.expect("endpoint");
        let stored = one(&pool, "SELECT secret FROM webhook_endpoints WHERE id = $1", &endpoint).await.expect("stored");
        assert!(is_sealed(&stored) && !stored.contains(&first), "{stored}");
        assert_eq!(s.webhook_endpoint(&org, &endpoint).await.expect("read").expect("endpoint").secret, first);
        let second = vigil::webhooks::signature::new_secret();
        assert!(s.rotate_webhook_secret(&org, &endpoint, &second, i64::MAX / 2, &a, 2).await.expect("rotate"));
        let read = s.webhook_endpoints_of(&org).await.expect("list").remove(0);
        assert_eq!((read.secret.as_str(), read.previous_secret.as_deref()), (second.as_str(), Some(first.as_str())));
        let previous = one(&pool, "SELECT previous_secret FROM webhook_endpoints WHERE id = $1", &endpoint).await.expect("previous");
        assert!(is_sealed(&previous) && !previous.contains(&first));

        // Someone with write access to the database copies A's sealed secret to B: it does not open there.
        let sealed_a = one(&pool, "SELECT totp_secret FROM users WHERE id = $1", &a).await;
        sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2").bind(sealed_a).bind(&b).execute(&pool).await.expect("copy");
        let err = s.second_factor(&org, &b).await.expect_err("does not open in B's row");
        assert!(matches!(err, StoreError::Sealed(_)), "{err}");
    }

    async fn secrets_from_before_are_sealed_at_the_first_start_and_another_key_is_refused(db: Db) {
        let Some((url, _dir)) = common::fresh_database_url(db).await else { return };
        let plain_store = Store::open(&url).await.expect("open without a key");
        let (org, a, _) = people(&plain_store).await;
        let pool = raw(&url).await;
        // What an earlier Vigil kept: the secrets as they are.
        sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2").bind(TOTP).bind(&a).execute(&pool).await.expect("plain totp");
        sqlx::query("INSERT INTO webhook_endpoints (id, org_id, url, events, secret, created_by, created_at) VALUES ('hook-1', $1, 'https://hooks.example.com/in', ' decision.recorded ', 'plain-signing-secret', $2, 1)")
            .bind(&org)
            .bind(&a)
            .execute(&pool)
            .await
            .expect("plain endpoint");
        let err = plain_store.second_factor(&org, &a).await.expect_err("a store without a key opens nothing");
        assert!(matches!(err, StoreError::NoSecretKey), "{err}");
        assert_eq!(plain_store.secret_key_id().await.expect("id"), None, "no key yet");

        let (s, changed) = plain_store.clone().with_secret_key(test_secret_key()).await.expect("the first key");
        assert_eq!(changed, Resealed { sealed_from_plain: 2, resealed: 0 });
        assert!(sealed_values(&pool).await.iter().flatten().all(|v| is_sealed(v)), "every secret sealed");
        assert_eq!(s.second_factor(&org, &a).await.expect("read").expect("user").totp_secret.as_deref(), Some(TOTP));
        assert_eq!(s.webhook_endpoint(&org, "hook-1").await.expect("read").expect("endpoint").secret, "plain-signing-secret");
        assert_eq!(s.secret_key_id().await.expect("id").as_deref(), Some(test_secret_key().id()));

        let before = sealed_values(&pool).await;
        let other = SecretKey::generate();
        let err = Store::open(&url).await.expect("open").with_secret_key(other.clone()).await.expect_err("another key is refused");
        let message = err.to_string();
        assert!(matches!(err, StoreError::SecretKeyMismatch { .. }) && message.contains(test_secret_key().id()) && message.contains(other.id()), "{message}");
        assert_eq!(sealed_values(&pool).await, before, "nothing changed");
        let (_, again) = Store::open(&url).await.expect("open").with_secret_key(test_secret_key()).await.expect("the same key again");
        assert_eq!(again, Resealed::default(), "nothing left to seal");
    }

    async fn rotating_the_key_reseals_every_secret_or_none(db: Db) {
        let Some(t) = TestDb::new(db).await else { return };
        let s = &t.store;
        let pool = raw(&t.url).await;
        let (org, a, _) = people(s).await;
        assert!(s.begin_totp_enrolment(&org, &a, TOTP).await.expect("enrol"));
        let endpoint = s.create_webhook_endpoint(&org, "https://hooks.example.com/in", " decision.recorded ", "first-secret", &a, 1).await.expect("endpoint");
        assert!(s.rotate_webhook_secret(&org, &endpoint, "second-secret", i64::MAX / 2, &a, 2).await.expect("rotate"));
        let before = sealed_values(&pool).await;

        let new = SecretKey::generate();
        let err = s.rotate_secret_key(&SecretKey::generate(), &new).await.expect_err("not the database's key");
        assert!(matches!(err, StoreError::SecretKeyMismatch { .. }), "{err}");
        assert_eq!(sealed_values(&pool).await, before, "nothing changed");

        assert_eq!(s.rotate_secret_key(&test_secret_key(), &new).await.expect("rotate"), Resealed { sealed_from_plain: 0, resealed: 3 });
        let after = sealed_values(&pool).await;
        assert!(after.iter().flatten().all(|v| v.contains(new.id()) && !v.contains(test_secret_key().id())), "{after:?}");

        let (renewed, _) = Store::open(&t.url).await.expect("open").with_secret_key(new).await.expect("the new key");
        assert_eq!(renewed.second_factor(&org, &a).await.expect("read").expect("user").totp_secret.as_deref(), Some(TOTP));
        let hook = renewed.webhook_endpoint(&org, &endpoint).await.expect("read").expect("endpoint");
        assert_eq!((hook.secret.as_str(), hook.previous_secret.as_deref()), ("second-secret", Some("first-secret")));
        let err = Store::open(&t.url).await.expect("open").with_secret_key(test_secret_key()).await.expect_err("the old key is refused");
        assert!(matches!(err, StoreError::SecretKeyMismatch { .. }), "{err}");
    }
}
