//! An organisation's own e-mail templates (issue 20, item 7), on SQLite and
//! PostgreSQL: an administrator previews without saving, saves a checked
//! template (audited), and new invitations in that language use it while
//! the other language keeps Vigil's; a template without its link, with an
//! unknown placeholder or a two-line subject is refused with every reason
//! and nothing saved; going back to Vigil's own; another organisation's
//! letters never change.

use crate::common;

use common::web::*;

fn form(action: &str, subject: &str, body: &str) -> Vec<(&'static str, String)> {
    vec![("action", action.to_string()), ("subject", subject.to_string()), ("body", body.to_string())]
}

async fn send(app: &common::TestApp, cookie: &String, path: &str, fields: &[(&'static str, String)]) -> (u16, Option<String>, String) {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post(app, Some(cookie), path, &pairs).await
}

on_both_databases! {
    async fn an_organisations_own_template_writes_its_letters_in_that_language_only(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let admin = login(&app, ADMIN_A).await;
        let (_, _, list) = get(&app, Some(&admin), "/admin/templates").await;
        assert_eq!(list.matches("Vigil's own").count(), 6, "three e-mails in two languages, all Vigil's to begin with");

        let subject = "Einladung von {organisation}";
        let body = "{greeting}\n\nBitte beginnen Sie hier: {link}\nGültig bis {until}.\n\nIhr Team von {organisation}";
        // A preview saves nothing.
        let (status, _, preview) = send(&app, &admin, "/admin/templates/invitation/de", &form("preview", subject, body)).await;
        assert_eq!(status, 200, "{preview}");
        assert!(preview.contains("Einladung von Org A") && preview.contains("Guten Tag Alex Example,") && preview.contains("example-link-for-the-preview"), "{preview}");
        assert!(app.db.store.message_templates(&p.org_a).await.expect("q").is_empty());

        // Refused with every reason; nothing saved.
        let (status, _, refused) = send(&app, &admin, "/admin/templates/invitation/de", &form("save", "Hallo\nBcc: x@evil.example", "Kein Link, {vorname}")).await;
        assert_eq!(status, 422);
        for reason in ["one line", "{vorname}", "exactly once"] {
            assert!(refused.contains(reason), "{reason} in {refused}");
        }
        assert!(app.db.store.message_templates(&p.org_a).await.expect("q").is_empty());
        let (status, _, _) = send(&app, &admin, "/admin/templates/nonsense/de", &form("save", subject, body)).await;
        assert_eq!(status, 404);

        let (status, location, _) = send(&app, &admin, "/admin/templates/invitation/de", &form("save", subject, body)).await;
        assert_eq!((status, location.as_deref()), (303, Some("/admin/templates?saved=1")));
        let audit = app.db.store.audit_log(&p.org_a, 100).await.expect("audit");
        assert!(audit.iter().any(|a| a.action == "template.saved" && a.detail.as_deref().is_some_and(|d| d.contains("\"de\""))));

        // New invitations: German ones in the organisation's words, English ones in Vigil's.
        let recruiter = login(&app, RECRUITER_A).await;
        let (status, location, body_html) = post(&app, Some(&recruiter), "/campaigns", &[("name", "Templates"), ("use", "sjs"), ("version:sjs", "1.0.0"), ("invitation_days", "14")]).await;
        assert_eq!(status, 303, "{body_html}");
        let campaign = location.and_then(|l| l.strip_prefix("/campaigns/").and_then(|r| r.strip_suffix("?created=1")).map(str::to_string)).expect("campaign");
        for (name, email, language) in [("Greta", "greta@example.org", "de"), ("Ed", "ed@example.org", "en")] {
            let (status, _, page) = post(&app, Some(&recruiter), &format!("/campaigns/{campaign}/invitations"), &[("name", name), ("email", email), ("language", language)]).await;
            assert_eq!(status, 200, "{page}");
        }
        let outbox = app.db.store.outbox_of(&p.org_a, 100).await.expect("outbox");
        let greta = outbox.iter().find(|m| m.to_address == "greta@example.org").expect("greta");
        assert_eq!(greta.subject, "Einladung von Org A");
        assert!(greta.body.starts_with("Guten Tag Greta,\n\nBitte beginnen Sie hier: http") && greta.body.contains("/take/"), "{}", greta.body);
        let ed = outbox.iter().find(|m| m.to_address == "ed@example.org").expect("ed");
        assert_eq!(ed.subject, "Invitation to a short questionnaire from Org A", "English keeps Vigil's");

        // Another organisation's letters are its own.
        let admin_b = login(&app, ADMIN_B).await;
        let (_, _, theirs) = get(&app, Some(&admin_b), "/admin/templates").await;
        assert_eq!(theirs.matches("Vigil's own").count(), 6);

        // Back to Vigil's own.
        let (status, _, _) = send(&app, &admin, "/admin/templates/invitation/de", &form("reset", "", "")).await;
        assert_eq!(status, 303);
        assert!(app.db.store.message_templates(&p.org_a).await.expect("q").is_empty());
        let (_, _, editor) = get(&app, Some(&admin), "/admin/templates/invitation/de").await;
        assert!(editor.contains("Vigil&#39;s own template") || editor.contains("Vigil's own template"), "{editor}");
        assert!(editor.contains("Einladung zu einem kurzen Fragebogen von Org A"));
    }
}
