//! German for staff (issue 20, item 11) over real HTTP, on SQLite and
//! PostgreSQL: each staff member chooses the language of their pages on
//! their account page; the staff frame and the translated pages follow it,
//! `<html lang>` names it (once), and nobody else's pages change.

use crate::common;

use common::web;

/// The `lang` of the page's `<html>` element, checking it has exactly one.
fn html_lang(page: &str) -> String {
    let tag = page.split("<html").nth(1).and_then(|t| t.split('>').next()).unwrap_or_default();
    assert_eq!(page.matches("<html").count(), 1, "one html element");
    assert_eq!(tag.matches("lang=").count(), 1, "exactly one lang attribute: <html{tag}>");
    tag.split("lang=\"").nth(1).and_then(|v| v.split('"').next()).unwrap_or_default().to_string()
}

/// A campaign of the organisation with the SVI, nobody invited yet.
async fn svi_campaign(app: &common::TestApp, org: &str) -> String {
    let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }] }).to_string();
    let campaign = vigil::store::NewCampaign { org_id: org, name: "Analysts", role_family: "security", battery: &battery, time_limit_minutes: None, adaptive: false, candidate_feedback: false, invitation_ttl_days: 14, created_by: None, reminder_days: None, link_base: None };
    app.db.store.create_campaign(&campaign).await.expect("campaign").id
}

on_both_databases! {
    async fn each_staff_member_reads_vigil_in_the_language_they_choose(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        let (status, _, home) = web::get(&app, Some(&admin), "/staff").await;
        assert_eq!(status, 200);
        assert_eq!(html_lang(&home), "en");
        assert!(home.contains("Sign out") && home.contains("Welcome, "));

        // A language Vigil does not have is refused, and nothing changes.
        let (status, _, _) = web::post(&app, Some(&admin), "/account/language", &[("language", "fr")]).await;
        assert_eq!(status, 422);
        let (status, location, _) = web::post(&app, Some(&admin), "/account/language", &[("language", "de")]).await;
        assert_eq!((status, location.as_deref()), (303, Some("/account/security?language=saved")));
        let (_, _, account) = web::get(&app, Some(&admin), "/account/security?language=saved").await;
        assert!(account.contains("<option value=\"de\" selected>Deutsch</option>") && account.contains("id=\"language-saved\""));

        for (path, words) in [
            ("/staff", &["Abmelden", "Willkommen, ", "Verwaltung", "Personalauswahl"][..]),
            ("/admin/users", &["Benutzer von ", "Konto anlegen", "Zweiter Faktor"][..]),
            ("/admin/audit", &["Audit-Protokoll", "Einträge passen", "Zeit (UTC)"][..]),
            ("/campaigns", &["Neue Kampagne", "Kampagnen"][..]),
            ("/outbox", &["Postausgang", "Alle ("][..]),
        ] {
            let (status, _, page) = web::get(&app, Some(&admin), path).await;
            assert_eq!(status, 200, "{path}");
            assert_eq!(html_lang(&page), "de", "{path}");
            for w in words {
                assert!(page.contains(w), "{path}: {w:?} missing");
            }
            assert!(!page.contains(">Sign out<"), "{path}: the frame is German too");
        }

        // The audit log's actions and its CSV, too.
        let (_, _, page) = web::get(&app, Some(&admin), "/admin/audit").await;
        assert!(page.contains("Angemeldet") && !page.contains(">Signed in<"), "the actions in German");
        let (status, _, csv) = web::get(&app, Some(&admin), "/admin/audit.csv").await;
        assert_eq!(status, 200);
        assert!(csv.starts_with("Zeit (UTC),Wer,Aktion,Aktionscode,Objekt") && csv.contains("Angemeldet,login.succeeded"), "{csv}");
        // The exports' headers are in the reader's language too.
        let campaign = svi_campaign(&app, &people.org_a).await;
        let (status, _, csv) = web::get(&app, Some(&admin), &format!("/campaigns/{campaign}/export.csv")).await;
        assert_eq!(status, 200);
        assert!(csv.starts_with("\u{feff}Name,E-Mail,Sprache,Status,Eingeladen am"), "{csv}");
        assert!(csv.contains("svi.vigilance.Prozentrang"), "{csv}");
        let (_, _, page) = web::get(&app, Some(&admin), &format!("/campaigns/{campaign}")).await;
        assert!(page.contains("Testbatterie") && page.contains("Eine Person einladen") && page.contains("Inventar sicherheitsbezogener Werte"), "the instrument by its German title: {page}");

        // The choice is the person's own: a colleague still reads English.
        let recruiter = web::login(&app, web::RECRUITER_A).await;
        let (_, _, page) = web::get(&app, Some(&recruiter), "/campaigns").await;
        assert_eq!(html_lang(&page), "en");
        assert!(page.contains("New campaign") && page.contains(">Sign out<"));
        let (_, _, csv) = web::get(&app, Some(&recruiter), &format!("/campaigns/{campaign}/export.csv")).await;
        assert!(csv.starts_with("\u{feff}name,email,language,status,invited_at"), "other systems read the English identifiers: {csv}");
        let stored = app.db.store.user_in_org(&people.org_a, &people.recruiter_a).await.expect("q").expect("user");
        assert_eq!(stored.language, "en");

        // The sign-in page takes the language the browser asks for (nobody is known yet).
        let res = app.client.get(format!("{}/login?failed=1", app.base)).header("accept-language", "de-CH, de;q=0.9, en;q=0.8").send().await.expect("login");
        let page = res.text().await.expect("body");
        assert_eq!(html_lang(&page), "de");
        assert!(page.contains(">Anmelden<") && page.contains("E-Mail-Adresse oder Passwort stimmen nicht"), "{page}");
        // Pages without a reader name their language too.
        for path in ["/login", "/", "/check"] {
            let (_, _, page) = web::get(&app, None, path).await;
            assert_eq!(html_lang(&page), "en", "{path}");
        }
    }
    async fn a_german_reader_gets_the_profile_and_its_print_view_in_german(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation, _cookie) = common::candidate::finished(&app).await;
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(app.db.url.expose()).await.expect("raw pool");
        let campaign: String = sqlx::query_scalar("SELECT campaign_id FROM invitations WHERE id = $1").bind(&invitation).fetch_one(&pool).await.expect("campaign");
        let hash = vigil::passwords::hash_password(web::PASSWORD).expect("hash");
        let user = app.db.store.create_user(&vigil::store::NewUser { org_id: &org, email: "lea@acme.example", display_name: "Lea", role: vigil::store::Role::Recruiter, password_hash: Some(&hash) }).await.expect("user");
        app.db.store.set_user_language(&org, &user.id, "de").await.expect("german");
        let lea = web::login(&app, "lea@acme.example").await;
        let (status, _, page) = web::get(&app, Some(&lea), &format!("/campaigns/{campaign}/candidates/{invitation}")).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(html_lang(&page), "de");
        for words in ["Wie dieses Profil zu lesen ist", "Antwortvalidität", "Wachsamkeit", "Ausgewertet mit KTT (Rohwert)", "Entscheidung festhalten", "Überblick", "Normgruppe: "] {
            assert!(page.contains(words), "{words:?} missing from the German profile");
        }
        for english in ["How to read this profile", "Record decision", "Scored by CTT"] {
            assert!(!page.contains(english), "{english:?} left in English");
        }
        let (status, _, print) = web::get(&app, Some(&lea), &format!("/campaigns/{campaign}/candidates/{invitation}/print")).await;
        assert_eq!(status, 200);
        assert_eq!(html_lang(&print), "de");
        assert!(print.contains("Vigil-Profil · vertraulich") && print.contains("Wachsamkeit"), "{print}");
    }
    async fn the_pages_the_server_writes_follow_the_readers_language_too(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        let (status, _, _) = web::post(&app, Some(&admin), "/account/language", &[("language", "de")]).await;
        assert_eq!(status, 303);
        let campaign = svi_campaign(&app, &people.org_a).await;
        for (path, words) in [
            ("/admin/requests", &["Anfragen von Bewerbenden", "Noch keine Anfragen.", "0 offen."][..]),
            ("/admin/templates", &["E-Mail-Vorlagen", "Erinnerung zum Beginnen", "Die von Vigil", "Bearbeiten"][..]),
            ("/admin/templates/invitation/de", &["Einladung (Deutsch)", "Platzhalter: ", "Vorschau", "Wieder die von Vigil verwenden"][..]),
            ("/admin/integrations", &["API-Schlüssel", "Noch keine Schlüssel.", "Anfragen pro Minute", "Endpunkt hinzufügen"][..]),
            ("/admin/fairness", &["Gruppenfragen für Fairness-Prüfungen", "Geschlecht: „Wie beschreiben Sie Ihr Geschlecht?“", "Ihr Hinweis auf Deutsch"][..]),
            ("/account/security", &["Sicherheit Ihres Kontos", "Authenticator-App einrichten", "Zurück zu Ihrer Startseite"][..]),
            (&format!("/campaigns/{campaign}/reminders") as &str, &["Personen erinnern, die noch nicht fertig sind", "Gerade ist niemand zu erinnern"][..]),
            ("/workforce/structure", &["Organisationsstruktur", "Noch keine Einheiten", "Einheiten importieren"][..]),
            ("/workforce/waves", &["Befragungswellen", "Noch keine Befragungswellen.", "Eine Welle starten", "Einstellungen speichern"][..]),
            ("/workforce/security", &["Sicherheitsansicht", "Einheiten (nie Personen)"][..]),
            ("/workforce/champions", &["Noch hat sich niemand gemeldet."][..]),
        ] {
            let (status, _, page) = web::get(&app, Some(&admin), path).await;
            assert_eq!(status, 200, "{path}: {page}");
            assert_eq!(html_lang(&page), "de", "{path}");
            assert!(page.contains("Zum Inhalt springen") && !page.contains("Skip to content"), "{path}: the frame is German");
            for w in words {
                assert!(page.contains(w), "{path}: {w:?} missing from {page}");
            }
        }

        // A form's answer and an error page, in German too.
        let invite = [("name", "Kim Beispiel"), ("email", "kim@example.org"), ("language", "de")];
        let (status, _, page) = web::post(&app, Some(&admin), &format!("/campaigns/{campaign}/invitations"), &invite).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(html_lang(&page), "de");
        assert!(page.contains("Einladung angelegt") && page.contains("Zurück zur Kampagne"), "{page}");
        let (_, _, page) = web::get(&app, Some(&admin), &format!("/campaigns/{campaign}/reminders")).await;
        assert!(page.contains("Jetzt nicht erinnert") && page.contains("Eingeladen, nicht begonnen") && page.contains("Vigil hat ihnen am "), "the new invitee waits a day: {page}");
        let (status, _, page) = web::post(&app, Some(&admin), "/campaigns/no-such-campaign/invitations", &invite).await;
        assert_eq!(status, 404);
        assert_eq!(html_lang(&page), "de");
        assert!(page.contains("Nicht gefunden") && page.contains("Zurück"), "{page}");

        // A colleague who reads English gets the same pages in English.
        let recruiter = web::login(&app, web::RECRUITER_A).await;
        let (_, _, page) = web::get(&app, Some(&recruiter), &format!("/campaigns/{campaign}/reminders")).await;
        assert_eq!(html_lang(&page), "en");
        assert!(page.contains("Skip to content") && page.contains("Not reminded now") && page.contains("Invited, not started"), "{page}");
        let (status, _, page) = web::get(&app, Some(&recruiter), "/admin/templates").await;
        assert_eq!(status, 403);
        assert!(page.contains("Not available for your role"), "{page}");
    }
    async fn a_german_psychologist_edits_an_instrument_in_german(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        web::people(&app).await;
        let psychologist = web::login(&app, web::PSYCHOLOGIST_A).await;
        let (status, _, _) = web::post(&app, Some(&psychologist), "/account/language", &[("language", "de")]).await;
        assert_eq!(status, 303);
        let (status, location, body) = web::post(&app, Some(&psychologist), "/drafts", &[("instrument", "sjs"), ("version", "1.0.0"), ("new_id", "sjs-eigen")]).await;
        assert_eq!(status, 303, "{body}");
        let draft = location.expect("the draft");
        let item = format!("{draft}/items/sjs-01");
        for (path, words) in [
            ("/instruments", &["Instrumente", "Offene Entwürfe", "Inhalts-Hash", "Entwurf beginnen", "Bank-Datei hochladen"][..]),
            (draft.as_str(), &["Entwurf von ", "Wie die Versionsnummer gewählt wird: Nur Wortlaut", "Vor dem Veröffentlichen ansehen", "Der ganze Text", "Veröffentlichen", "Revisionen"][..]),
            (item.as_str(), &["des Entwurfs von", "Szenario (Optionen mit Schlüsseln)", "Item speichern", "Zurück zum Entwurf"][..]),
            (&format!("{draft}/cat") as &str, &["Einstellungen für adaptives Testen", "Standardfehler"][..]),
            (&format!("{draft}/validity") as &str, &["Regeln zur Antwortvalidität", "Ungültig ab diesem Anteil"][..]),
            (&format!("{draft}/preview?lang=de&phone=1") as &str, &["Vorschau: ", "Genau so, wie eine Person es sieht", "Volle Breite"][..]),
            ("/norms", &["Normenbildung", "Diese Gruppe ansehen", "Die Normtabellen Ihrer Organisation"][..]),
            ("/instruments/svi/1.0.0/analysis", &["Itemanalyse: ", "Welche Sitzungen", "Noch keine Analyse dieser Auswahl."][..]),
            ("/instruments/svi/1.0.0/calibration", &["Kalibrierung: ", "Noch keine Kalibrierung dieser Version.", "Kalibrieren"][..]),
            ("/instruments/svi/1.0.0/report", &["Technischer Bericht: ", "Was die Werte aussagen können und was nicht", "Normgruppen"][..]),
            ("/fairness?bank=svi%401.0.0&variable=gender", &["Fairness zwischen Gruppen", "Wer geantwortet hat", "Geschlecht"][..]),
        ] {
            let (status, _, page) = web::get(&app, Some(&psychologist), path).await;
            assert_eq!(status, 200, "{path}: {page}");
            assert_eq!(html_lang(&page), "de", "{path}");
            for w in words {
                assert!(page.contains(w), "{path}: {w:?} missing from {page}");
            }
        }
        // An error page speaks the reader's language too.
        let (status, _, page) = web::get(&app, Some(&psychologist), "/drafts/no-such-draft").await;
        assert_eq!(status, 404);
        assert!(page.contains("Nicht gefunden") && page.contains("Zurück"), "{page}");
    }
}
