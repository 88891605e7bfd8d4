//! The staff's second factor over real HTTP, on SQLite and PostgreSQL:
//! setting up an authenticator app, the code after the password, codes that
//! work once, recovery codes, the rate limit, turning it off, and an
//! admin's reset, kept to its own organisation.

use crate::common;

use common::{web::*, TestApp};
use vigil::{
    auth::{MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ACCOUNT_ANYWHERE},
    time::now_ms,
    totp::{code_at, from_base32, time_step},
};

/// A form post with the session cookie; (status, location, set-cookie session, body).
async fn send(app: &TestApp, cookie: &str, path: &str, code: &str) -> (u16, Option<String>, Option<String>, String) {
    let res = app.client.post(format!("{}{path}", app.base)).header("origin", &app.base).header("cookie", cookie).form(&[("code", code)]).send().await.expect("post");
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    let cookie = session_cookie(&res);
    (res.status().as_u16(), location, cookie, res.text().await.expect("body"))
}

/// A code that is right for none of the steps now accepted.
fn wrong_code(secret: &[u8]) -> String {
    let now = time_step(now_ms());
    let taken: Vec<String> = (now - 2..=now + 2).map(|s| code_at(secret, s)).collect();
    (0..).map(|n: u32| format!("{:06}", n * 7919 % 1_000_000)).find(|c| !taken.contains(c)).expect("a free code")
}

/// Turns the factor on for the holder of `cookie`: (the session's new cookie, the secret, the recovery codes).
async fn enable(app: &TestApp, cookie: &str) -> (String, Vec<u8>, Vec<String>) {
    let (status, location, _, _) = send(app, cookie, "/account/second-factor/start", "").await;
    assert_eq!((status, location.as_deref()), (303, Some("/account/security")));
    let (status, _, page) = get(app, Some(&cookie.to_string()), "/account/security").await;
    assert_eq!(status, 200);
    assert!(page.contains("<svg") && page.contains("aria-label=\"QR code for your authenticator app\""), "{page}");
    let typed = page.split_once("id=\"totp-secret\">").and_then(|(_, rest)| rest.split_once('<')).map(|(s, _)| s.to_string()).expect("the key");
    let secret = from_base32(&typed).expect("base32 key");
    assert_eq!(secret.len(), 20, "160 bits");

    let (status, _, _, page) = send(app, cookie, "/account/second-factor/confirm", &wrong_code(&secret)).await;
    assert_eq!(status, 422, "a wrong first code turns nothing on");
    assert!(page.contains("id=\"totp-secret\""), "the set-up is shown again");

    let code = code_at(&secret, time_step(now_ms()));
    let (status, _, new_cookie, page) = send(app, cookie, "/account/second-factor/confirm", &code).await;
    assert_eq!(status, 200, "{page}");
    let list = page.split_once("id=\"recovery-codes\"").map(|(_, rest)| rest.split_once("</ul>").map_or(rest, |(l, _)| l)).expect("recovery codes");
    let codes: Vec<String> = list.split("<code>").skip(1).filter_map(|c| c.split_once("</code>").map(|(c, _)| c.to_string())).collect();
    assert_eq!(codes.len(), 10);
    let new_cookie = new_cookie.expect("the session gets a new id");
    assert_ne!(new_cookie, cookie);
    (new_cookie, secret, codes)
}

/// Failed sign-ins for `email` from as many addresses as the distributed-attack mark (none of them the test client's).
async fn distributed_failures(app: &TestApp, email: &str) {
    let now = now_ms();
    for n in 0..MAX_FAILURES_PER_ACCOUNT_ANYWHERE {
        app.db.store.record_login_failure(email, &format!("198.51.{}.{}", n / 250, n % 250 + 1), now, 0).await.expect("failure");
    }
}

on_both_databases! {
    async fn under_a_distributed_attack_only_a_password_with_a_second_factor_gets_in(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        people(&app).await;
        let (_, secret, _) = enable(&app, &login(&app, RECRUITER_A).await).await;
        distributed_failures(&app, ADMIN_A).await;
        distributed_failures(&app, RECRUITER_A).await;
        // No second factor: even the right password waits while the attack lasts.
        assert_eq!(login_with(&app, ADMIN_A, PASSWORD, None).await.status(), 429);
        // With one: the right password opens the code step, and the right code signs in.
        let res = login_with(&app, RECRUITER_A, PASSWORD, None).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/login/code");
        let waiting = session_cookie(&res).expect("cookie");
        let (status, location, _, _) = send(&app, &waiting, "/login/code", &code_at(&secret, time_step(now_ms()) + 1)).await;
        assert_eq!((status, location.as_deref()), (303, Some("/staff")));
        // Another account is not affected.
        assert_eq!(login_with(&app, PSYCHOLOGIST_A, PASSWORD, None).await.status(), 303);
    }

    async fn with_a_second_factor_the_password_alone_opens_nothing_and_each_code_works_once(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let first = login(&app, RECRUITER_A).await;
        let (_, _, page) = get(&app, Some(&first), "/account/security").await;
        assert!(page.contains("is <strong>off</strong>"), "{page}");
        let (second, secret, recovery) = enable(&app, &first).await;
        assert_eq!(get(&app, Some(&first), "/staff").await.1.as_deref(), Some("/login"), "the old session id is gone");
        assert_eq!(get(&app, Some(&second), "/staff").await.0, 200);
        let (_, _, page) = get(&app, Some(&second), "/account/security").await;
        assert!(page.contains("is <strong>on</strong>") && page.contains("id=\"recovery-left\">10<"), "{page}");

        // The password now leads to the code page; that session opens nothing else.
        let res = login_with(&app, RECRUITER_A, PASSWORD, None).await;
        assert_eq!(res.headers().get("location").and_then(|v| v.to_str().ok()), Some("/login/code"));
        let waiting = session_cookie(&res).expect("cookie");
        assert_eq!(get(&app, Some(&waiting), "/staff").await.1.as_deref(), Some("/login"));
        assert_eq!(get(&app, Some(&waiting), "/campaigns").await.1.as_deref(), Some("/login"));
        assert_eq!(post(&app, Some(&waiting), "/api/staff_me", &[]).await.0, 401);
        assert_eq!(get(&app, Some(&waiting), "/login/code").await.0, 200);
        // The code used to turn it on is used up; the next step's code works (clocks drift).
        let step = time_step(now_ms());
        let used = code_at(&secret, step - 1);
        let (status, _, _, _) = send(&app, &waiting, "/login/code", &used).await;
        assert_eq!(status, 422, "a code of a step already passed is refused");
        let next = code_at(&secret, step + 1);
        let (status, location, signed_in, _) = send(&app, &waiting, "/login/code", &next).await;
        assert_eq!((status, location.as_deref()), (303, Some("/staff")));
        let signed_in = signed_in.expect("a new session id");
        assert_eq!(get(&app, Some(&signed_in), "/staff").await.0, 200);
        assert_eq!(get(&app, Some(&waiting), "/staff").await.1.as_deref(), Some("/login"), "the waiting id is gone");
        // The same code again, in another sign-in: refused.
        let again = session_cookie(&login_with(&app, RECRUITER_A, PASSWORD, None).await).expect("cookie");
        assert_eq!(send(&app, &again, "/login/code", &next).await.0, 422, "a code works once");

        // A recovery code, typed in capitals without its dash, works once.
        let typed = recovery[0].to_uppercase().replace('-', "");
        assert_eq!(send(&app, &again, "/login/code", &typed).await.1.as_deref(), Some("/staff"));
        let third = session_cookie(&login_with(&app, RECRUITER_A, PASSWORD, None).await).expect("cookie");
        assert_eq!(send(&app, &third, "/login/code", &recovery[0]).await.0, 422, "a recovery code works once");
        let (_, _, page) = get(&app, Some(&signed_in), "/account/security").await;
        assert!(page.contains("id=\"recovery-left\">9<"), "{page}");

        // Turning it off needs a code; then the password is enough again.
        assert_eq!(send(&app, &signed_in, "/account/second-factor/disable", &wrong_code(&secret)).await.0, 422);
        assert_eq!(send(&app, &signed_in, "/account/second-factor/disable", &recovery[1]).await.1.as_deref(), Some("/account/security?off=1"));
        let res = login_with(&app, RECRUITER_A, PASSWORD, None).await;
        assert_eq!(res.headers().get("location").and_then(|v| v.to_str().ok()), Some("/staff"));

        let audit = app.db.store.audit_log(&p.org_a, 200).await.expect("audit");
        for action in ["second_factor.enabled", "login.password_accepted", "second_factor.disabled"] {
            assert!(audit.iter().any(|e| e.action == action), "{action} audited");
        }
        let failed = audit.iter().filter(|e| e.action == "login.failed" && e.detail.as_deref().is_some_and(|d| d.contains("wrong_code"))).count();
        assert_eq!(failed, 3, "each wrong code at sign-in is audited");
    }

    async fn the_code_page_speaks_the_language_of_the_person_signing_in(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        people(&app).await;
        let first = login(&app, RECRUITER_A).await;
        let (second, secret, _) = enable(&app, &first).await;
        let (status, _, _) = post(&app, Some(&second), "/account/language", &[("language", "de")]).await;
        assert_eq!(status, 303);
        let res = login_with(&app, RECRUITER_A, PASSWORD, None).await;
        let waiting = session_cookie(&res).expect("cookie");
        let (status, _, page) = get(&app, Some(&waiting), "/login/code").await;
        assert_eq!(status, 200);
        assert!(page.contains("<html lang=\"de\"") && page.contains("Geben Sie Ihren Code ein") && page.contains("Abbrechen und abmelden"), "{page}");
        let (status, _, _, page) = send(&app, &waiting, "/login/code", &wrong_code(&secret)).await;
        assert_eq!(status, 422);
        assert!(page.contains("<html lang=\"de\"") && page.contains("Dieser Code stimmt nicht"), "{page}");
    }
    async fn wrong_codes_count_toward_the_sign_in_limit(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        people(&app).await;
        let (_, secret, _) = enable(&app, &login(&app, ADMIN_A).await).await;
        let waiting = session_cookie(&login_with(&app, ADMIN_A, PASSWORD, None).await).expect("cookie");
        for _ in 0..MAX_FAILURES_PER_ACCOUNT {
            assert_eq!(send(&app, &waiting, "/login/code", &wrong_code(&secret)).await.0, 422);
        }
        let right = code_at(&secret, time_step(now_ms()) + 1);
        assert_eq!(send(&app, &waiting, "/login/code", &right).await.0, 429, "paused even with the right code");
        assert_eq!(login_with(&app, ADMIN_A, PASSWORD, None).await.status(), 429, "and the password too");
    }

    async fn a_signed_in_session_cannot_guess_its_way_to_turning_the_factor_off(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        people(&app).await;
        let (session, secret, _) = enable(&app, &login(&app, RECRUITER_A).await).await;
        for _ in 0..MAX_FAILURES_PER_ACCOUNT {
            assert_eq!(send(&app, &session, "/account/second-factor/disable", &wrong_code(&secret)).await.0, 422);
        }
        let right = code_at(&secret, time_step(now_ms()) + 1);
        assert_eq!(send(&app, &session, "/account/second-factor/disable", &right).await.0, 429);
        let (_, _, page) = get(&app, Some(&session), "/account/security").await;
        assert!(page.contains("is <strong>on</strong>"), "still on");
    }

    async fn an_admin_resets_a_colleagues_second_factor_in_their_own_organisation_only(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let (recruiter, _, _) = enable(&app, &login(&app, RECRUITER_A).await).await;
        let path = format!("/admin/users/{}/reset-second-factor", p.recruiter_a);
        let admin_b = login(&app, ADMIN_B).await;
        assert_eq!(post(&app, Some(&admin_b), &path, &[]).await.0, 404, "another organisation's user is not found");
        let psychologist = login(&app, PSYCHOLOGIST_A).await;
        assert_eq!(post(&app, Some(&psychologist), &path, &[]).await.0, 403);
        assert_eq!(get(&app, Some(&recruiter), "/staff").await.0, 200, "nothing changed");

        let admin = login(&app, ADMIN_A).await;
        let (_, _, users) = get(&app, Some(&admin), "/admin/users").await;
        assert!(users.contains("Reset the second factor of"), "{users}");
        assert_eq!(post(&app, Some(&admin), &path, &[]).await.1.as_deref(), Some("/admin/users?reset=1"));
        assert_eq!(get(&app, Some(&recruiter), "/staff").await.1.as_deref(), Some("/login"), "their sessions ended");
        let res = login_with(&app, RECRUITER_A, PASSWORD, None).await;
        assert_eq!(res.headers().get("location").and_then(|v| v.to_str().ok()), Some("/staff"), "the password alone again");
        assert_eq!(post(&app, Some(&admin), &path, &[]).await.0, 422, "nothing left to reset");
        let audit = app.db.store.audit_log(&p.org_a, 200).await.expect("audit");
        assert!(audit.iter().any(|e| e.action == "second_factor.reset" && e.object_id.as_deref() == Some(p.recruiter_a.as_str())));
    }
}
