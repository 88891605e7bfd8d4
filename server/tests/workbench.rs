//! The instrument workbench over real HTTP, on SQLite and PostgreSQL: a
//! psychologist starts a draft from a shipped bank, edits it, publishes it
//! as the version the rule gives; recruiters of the organisation are then
//! offered it and nobody else is; a published version cannot be changed by
//! any route; uploads, edits and translation tables that are wrong are
//! refused with the place named and nothing saved; two people saving the
//! same revision get a conflict; a process started later loads the
//! published versions.

use crate::common;

use common::{web, TestApp};
use vigil::catalog::Catalog;

struct Setup {
    app: TestApp,
    psychologist: String,
    recruiter: String,
    admin_b: String,
    recruiter_b: String,
}

async fn setup(db: common::Db) -> Option<Setup> {
    let app = common::spawn_app(db).await?;
    web::people(&app).await;
    let psychologist = web::login(&app, web::PSYCHOLOGIST_A).await;
    let recruiter = web::login(&app, web::RECRUITER_A).await;
    let admin_b = web::login(&app, web::ADMIN_B).await;
    let recruiter_b = web::login(&app, web::RECRUITER_B).await;
    Some(Setup { app, psychologist, recruiter, admin_b, recruiter_b })
}

/// Starts a draft from a version; gives its id.
async fn start(s: &Setup, instrument: &str, version: &str, new_id: &str) -> String {
    let (status, location, body) = web::post(&s.app, Some(&s.psychologist), "/drafts", &[("instrument", instrument), ("version", version), ("new_id", new_id)]).await;
    assert_eq!(status, 303, "{body}");
    location.and_then(|l| l.strip_prefix("/drafts/").map(str::to_string)).expect("draft id")
}

/// The draft's page and the revision its forms are made from.
async fn open(s: &Setup, draft: &str) -> (String, String) {
    let (status, _, page) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}")).await;
    assert_eq!(status, 200, "{page}");
    let base = page.split("name=\"base\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("base").to_string();
    (page, base)
}

async fn upload(s: &Setup, path: &str, file: Vec<u8>, base: Option<&str>) -> (u16, Option<String>, String) {
    let mut form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(file).file_name("upload"));
    if let Some(b) = base {
        form = form.text("base", b.to_string());
    }
    let res = s.app.client.post(format!("{}{path}", s.app.base)).header("origin", &s.app.base).header("cookie", &s.psychologist).multipart(form).send().await.expect("upload");
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    (res.status().as_u16(), location, res.text().await.expect("body"))
}

fn shipped(path: &str) -> String {
    std::fs::read_to_string(Catalog::shipped_dir().join(path)).expect("bank file")
}

on_both_databases! {
    async fn a_draft_is_edited_published_and_offered_to_its_organisation_only(db: Db) {
        let Some(s) = setup(db).await else { return };
        // Another process, already running on the same database, with its own catalog.
        let beside = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let beside_sync = vigil::catalog_sync::CatalogSync::new(&s.app.db.store, &beside);
        assert_eq!(beside_sync.catch_up().await.expect("look"), 0, "nothing published yet");
        let draft = start(&s, "svi", "1.1.0", "a-svi").await;
        let (page, base) = open(&s, &draft).await;
        assert!(page.contains("id=\"items\""), "the items are listed");
        assert!(page.contains("Not ready to publish yet: nothing has changed"), "an unchanged draft cannot be published");

        // Wording only: a patch.
        let (status, location, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/items/svi-mot-01"), &[("base", &base), ("text.de", "Mir ist der Schutz von Informationen wichtig."), ("scale", "security_motivation"), ("response_scale", "agree5")]).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location.as_deref(), Some(format!("/drafts/{draft}?saved=2").as_str()));
        let (page, base) = open(&s, &draft).await;
        assert!(page.contains("id=\"next-version\">1.1.1<"), "wording is a patch: {}", page.split("id=\"status\"").nth(1).unwrap_or_default().chars().take(300).collect::<String>());
        let (_, _, diff) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/diff")).await;
        assert!(diff.contains("1 changed, 0 added, 0 retired"), "{diff}");
        assert!(diff.contains("text (de)"));

        // Retiring an item: a minor version.
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/items/svi-mot-11/retire"), &[("base", &base)]).await;
        assert_eq!(status, 303, "{body}");
        let (page, base) = open(&s, &draft).await;
        assert!(page.contains("id=\"next-version\">1.2.0<"));
        assert!(!page.contains(">svi-mot-11<"), "the retired item is gone from the draft");

        // Publishing needs a note, then makes the version.
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/publish"), &[("base", &base), ("note", " ")]).await;
        assert_eq!(status, 422, "{body}");
        let (status, location, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/publish"), &[("base", &base), ("note", "German wording of mot-01; mot-11 retired")]).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location.as_deref(), Some("/instruments?published=a-svi@1.2.0"));
        let (_, _, library) = web::get(&s.app, Some(&s.psychologist), "/instruments").await;
        assert!(library.contains("id=\"instrument-a-svi\""), "the library lists the new instrument");
        assert!(library.contains("German wording of mot-01; mot-11 retired"));
        assert!(library.contains("Pia Psychologist"), "with who published it");

        // The published text: status, hash, and the edit.
        let (status, _, toml) = web::get(&s.app, Some(&s.psychologist), "/instruments/a-svi/1.2.0/bank.toml").await;
        assert_eq!(status, 200);
        let bank = assessments::bank::Bank::parse(&toml, "a-svi").expect("a valid published bank");
        assert_eq!(bank.version(), "1.2.0");
        assert_eq!(bank.file().instrument.status, assessments::bank::Status::Published);
        assert!(bank.item("svi-mot-11").is_none());
        assert_eq!(bank.item("svi-mot-01").expect("item").text["de"], "Mir ist der Schutz von Informationen wichtig.");

        // Offered to the organisation's recruiters for new campaigns, to nobody else.
        let (_, _, options) = web::post(&s.app, Some(&s.recruiter), "/api/recruit_bank_options", &[]).await;
        assert!(options.contains("\"a-svi\""), "{options}");
        let (_, _, options_b) = web::post(&s.app, Some(&s.recruiter_b), "/api/recruit_bank_options", &[]).await;
        assert!(!options_b.contains("a-svi"), "another organisation is not offered it");
        let (status, _, _) = web::post(&s.app, Some(&s.recruiter_b), "/campaigns", &[("name", "Taken"), ("role_family", "it"), ("instrument", "a-svi@1.2.0"), ("invitation_days", "14")]).await;
        assert_eq!(status, 422, "another organisation cannot use it");
        let (status, _, body) = web::post(&s.app, Some(&s.recruiter), "/campaigns", &[("name", "With our own"), ("role_family", "it"), ("instrument", "a-svi@1.2.0"), ("invitation_days", "14")]).await;
        assert_eq!(status, 303, "{body}");

        // Another organisation: 404 for the draft and the version.
        for path in [format!("/drafts/{draft}"), "/instruments/a-svi/1.2.0/bank.toml".to_string(), "/instruments/a-svi/1.2.0/translations.csv".to_string()] {
            let (status, _, body) = web::get(&s.app, Some(&s.admin_b), &path).await;
            assert_eq!(status, 404, "{path}");
            assert!(!body.contains("Schutz von Informationen wichtig"), "{path}");
        }
        let (_, _, library_b) = web::get(&s.app, Some(&s.admin_b), "/instruments").await;
        assert!(!library_b.contains("a-svi"));

        // A process started later has it too.
        let fresh = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        assert!(fresh.get("a-svi", "1.2.0").is_none());
        let added = vigil::catalog_sync::load_published(&s.app.db.store, &fresh).await.expect("refresh");
        assert_eq!(added, 1);
        assert_eq!(fresh.get("a-svi", "1.2.0").expect("loaded").bank.content_hash(), bank.content_hash());
        // The process already running loads it at its next look (before its next staff request), once.
        assert!(beside.get("a-svi", "1.2.0").is_none());
        assert_eq!(beside_sync.catch_up().await.expect("look"), 1);
        assert_eq!(beside.get("a-svi", "1.2.0").expect("loaded").bank.content_hash(), bank.content_hash());
        assert_eq!(beside_sync.catch_up().await.expect("look"), 0, "nothing new since: nothing loaded again");
    }

    async fn a_published_version_cannot_be_changed_by_any_route(db: Db) {
        let Some(s) = setup(db).await else { return };
        let draft = start(&s, "sjs", "1.0.0", "a-sjs").await;
        let (_, base) = open(&s, &draft).await;
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/items/sjs-01"), &[("base", &base), ("text.en", "A reworded scenario. What would you most likely do?"), ("scale", "security_judgement")]).await;
        assert_eq!(status, 303, "{body}");
        let (_, base) = open(&s, &draft).await;
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/publish"), &[("base", &base), ("note", "Reworded")]).await;
        assert_eq!(status, 303, "{body}");
        let (_, _, before) = web::get(&s.app, Some(&s.psychologist), "/instruments/a-sjs/1.0.1/bank.toml").await;

        // The draft it came from is closed: every change is refused.
        let edits: Vec<(String, Vec<(&str, &str)>)> = vec![
            (format!("/drafts/{draft}/source"), vec![("base", &base), ("source", &before)]),
            (format!("/drafts/{draft}/items/sjs-01"), vec![("base", &base), ("text.en", "Changed after publishing"), ("scale", "security_judgement")]),
            (format!("/drafts/{draft}/items/sjs-02/retire"), vec![("base", &base)]),
            (format!("/drafts/{draft}/restore"), vec![("base", &base), ("revision", "1")]),
            (format!("/drafts/{draft}/publish"), vec![("base", &base), ("note", "Again")]),
            (format!("/drafts/{draft}/discard"), vec![]),
        ];
        for (path, form) in &edits {
            let (status, _, body) = web::post(&s.app, Some(&s.psychologist), path, form).await;
            assert!(status == 409 || status == 422, "{path}: {status} {body}");
        }
        // An upload of the same id and version is refused.
        let (status, _, body) = upload(&s, "/drafts/upload", before.replace("A reworded scenario", "Sneaky change").into_bytes(), None).await;
        assert_eq!(status, 422);
        assert!(body.contains("already published"), "{body}");
        let (_, _, after) = web::get(&s.app, Some(&s.psychologist), "/instruments/a-sjs/1.0.1/bank.toml").await;
        assert_eq!(before, after, "the published text is as it was");
        // Correcting it makes a new version; the old one stays.
        let next = start(&s, "a-sjs", "1.0.1", "").await;
        let (_, base) = open(&s, &next).await;
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{next}/items/sjs-01"), &[("base", &base), ("text.en", "Reworded once more. What would you most likely do?"), ("scale", "security_judgement")]).await;
        assert_eq!(status, 303, "{body}");
        let (_, base) = open(&s, &next).await;
        let (status, location, _) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{next}/publish"), &[("base", &base), ("note", "Reworded again")]).await;
        assert_eq!((status, location.as_deref()), (303, Some("/instruments?published=a-sjs@1.0.2")));
        let (_, _, still) = web::get(&s.app, Some(&s.psychologist), "/instruments/a-sjs/1.0.1/bank.toml").await;
        assert_eq!(before, still);
    }

    async fn bad_uploads_and_edits_are_refused_with_the_place_named(db: Db) {
        let Some(s) = setup(db).await else { return };
        let org = web::people_org(&s.app).await;
        let store = s.app.db.store.clone();
        let open_drafts = || async { store.open_drafts(&org).await.expect("drafts").len() };
        let n0 = open_drafts().await;
        let (status, _, body) = upload(&s, "/drafts/upload", b"this is [not toml".to_vec(), None).await;
        assert_eq!(status, 422);
        assert!(body.contains("line 1: this is not valid TOML"), "{body}");
        let (status, _, body) = upload(&s, "/drafts/upload", vec![b'#'; 2 * 1024 * 1024 + 1], None).await;
        assert_eq!(status, 422);
        assert!(body.contains("at most 2097152 bytes (2 MB)"), "{body}");
        let (status, _, body) = upload(&s, "/drafts/upload", shipped("svi/1.0.0.toml").into_bytes(), None).await;
        assert_eq!(status, 422);
        assert!(body.contains("shipped with Vigil"), "{body}");
        assert_eq!(open_drafts().await, n0, "nothing was stored");

        // A file that names an item twice becomes a draft listing the problem by line.
        let own = shipped("pulse/1.0.0.toml").replace("id = \"pulse\"", "id = \"a-pulse\"").replacen("id = \"pls-itl-02\"", "id = \"pls-itl-01\"", 1);
        let (status, location, body) = upload(&s, "/drafts/upload", own.into_bytes(), None).await;
        assert_eq!(status, 303, "{body}");
        let draft = location.and_then(|l| l.strip_prefix("/drafts/").map(str::to_string)).expect("draft");
        let (_, _, stored) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/revisions/1")).await;
        let second = stored.lines().enumerate().filter(|(_, l)| l.contains("id = \"pls-itl-01\"")).nth(1).map(|(i, _)| i + 1).expect("second");
        let (page, base) = open(&s, &draft).await;
        let problems = page.split("id=\"problems\"").nth(1).expect("problems listed");
        assert!(problems.contains(&format!("line {second}: `pls-itl-01`: duplicate item id")), "line-precise: {}", &problems[..problems.len().min(400)]);
        let (status, _, _) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/publish"), &[("base", &base), ("note", "try")]).await;
        assert_eq!(status, 422, "a draft with problems is not published");

        // A form edit that would break a key is refused; nothing saved.
        let svi = start(&s, "svi", "1.1.0", "a-svi").await;
        let (_, base) = open(&s, &svi).await;
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{svi}/items/svi-mot-01"), &[("base", &base), ("scale", "security_motivation"), ("response_scale", "no-such-scale")]).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("Not saved") && body.contains("svi-mot-01"), "{body}");
        let (_, base_after) = open(&s, &svi).await;
        assert_eq!(base, base_after, "no revision was added");

        // A translation table with an unknown key or without a language column.
        let (_, _, table) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{svi}/translations.csv")).await;
        let unknown = format!("{table}items.nope.text,A,B\n");
        let (status, _, body) = upload(&s, &format!("/drafts/{svi}/translations"), unknown.into_bytes(), Some(&base)).await;
        assert_eq!(status, 422);
        assert!(body.contains("unknown key `items.nope.text`"), "{body}");
        let no_de: String = table.lines().map(|l| l.rsplit_once(',').map_or(l, |(a, _)| a).to_string() + "\n").collect();
        let (status, _, body) = upload(&s, &format!("/drafts/{svi}/translations"), no_de.into_bytes(), Some(&base)).await;
        assert_eq!(status, 422);
        assert!(body.contains("language `de` is missing"), "{body}");
        let (_, base_after) = open(&s, &svi).await;
        assert_eq!(base, base_after, "nothing was imported");

        // The round trip through the browser: the table back unchanged changes nothing; one cell changes one text.
        let (status, _, body) = upload(&s, &format!("/drafts/{svi}/translations"), table.clone().into_bytes(), Some(&base)).await;
        assert_eq!(status, 303, "{body}");
        let (_, base) = open(&s, &svi).await;
        let (_, _, text) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{svi}/revisions/{base}")).await;
        let (_, _, first) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{svi}/revisions/1")).await;
        assert_eq!(text, first, "export then import is lossless");
        let changed = table.replacen("Inventar sicherheitsbezogener Werte", "Inventar sicherheitsbezogener Werte (neu)", 1);
        let (status, _, _) = upload(&s, &format!("/drafts/{svi}/translations"), changed.into_bytes(), Some(&base)).await;
        assert_eq!(status, 303);
        let (page, _) = open(&s, &svi).await;
        assert!(page.contains("Inventar sicherheitsbezogener Werte (neu)"));
    }

    async fn two_people_saving_one_revision_get_a_conflict_and_revisions_restore(db: Db) {
        let Some(s) = setup(db).await else { return };
        let draft = start(&s, "svi", "1.1.0", "a-svi").await;
        let (page, base) = open(&s, &draft).await;
        let source = page.split("class=\"source\" spellcheck=\"false\">").nth(1).and_then(|r| r.split("</textarea>").next()).expect("text").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        let mine = source.replace("Security Values Inventory", "Security Values Inventory (ours)");
        let theirs = source.replace("Security Values Inventory", "Security Values Inventory (theirs)");
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/source"), &[("base", &base), ("source", &mine)]).await;
        assert_eq!(status, 303, "{body}");
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/source"), &[("base", &base), ("source", &theirs)]).await;
        assert_eq!(status, 409, "{body}");
        assert!(body.contains("someone saved this draft after you opened it"), "{body}");
        let (page, base) = open(&s, &draft).await;
        assert!(page.contains("(ours)") && !page.contains("(theirs)"), "the first save stands, the second changed nothing");
        // A text that is not TOML is not saved; the editor shows it again with the line.
        let broken = format!("{mine}\n[cat\n");
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/source"), &[("base", &base), ("source", &broken)]).await;
        assert_eq!(status, 422);
        assert!(body.contains("this is not valid TOML") && body.contains("[cat"), "the typed text is kept");
        // Restoring revision 1 is a new revision with the first text.
        let (status, location, _) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/restore"), &[("base", &base), ("revision", "1")]).await;
        assert_eq!(status, 303);
        assert_eq!(location.as_deref(), Some(format!("/drafts/{draft}?saved=3").as_str()));
        let (page, _) = open(&s, &draft).await;
        assert!(!page.contains("(ours)"));
        assert!(page.contains("revision 1 restored"), "the revisions say what happened");
        // The live check answers with the problems of a text as typed.
        let (status, _, json) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/check"), &[("source", &mine.replace("min = 1", "min = 9"))]).await;
        assert_eq!(status, 200);
        let problems: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert!(!problems["errors"].as_array().expect("errors").is_empty(), "{json}");
    }

    async fn the_preview_shows_the_candidates_questions_in_each_language(db: Db) {
        let Some(s) = setup(db).await else { return };
        let draft = start(&s, "sjs", "1.0.0", "a-sjs").await;
        let (status, _, de) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/preview?lang=de&phone=1&page=1")).await;
        assert_eq!(status, 200, "{de}");
        assert!(de.contains("class=\"phone-frame\""));
        assert!(de.contains("<fieldset ") && de.contains("class=\"item scenario\""), "the candidate's component: {}", de.split("id=\"preview\"").nth(1).unwrap_or_default().chars().take(600).collect::<String>());
        assert!(de.contains(">Frage<") || de.contains("Frage "), "in German");
        assert!(de.contains("Every text is there in de."));
        // A language added by a translation table shows what is missing, marked.
        let (_, base) = open(&s, &draft).await;
        let table = "key,en,de,fr\ninstrument.title,,,Scénarios\n";
        let (status, _, body) = upload(&s, &format!("/drafts/{draft}/translations"), table.as_bytes().to_vec(), Some(&base)).await;
        assert_eq!(status, 303, "{body}");
        let (page, _) = open(&s, &draft).await;
        assert!(page.contains("id=\"missing-translations\""), "missing translations are listed before publishing");
        let (_, _, fr) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/preview?lang=fr&item=sjs-01")).await;
        assert!(fr.contains("Scénarios"));
        assert!(fr.contains("[no fr text yet]"));
        assert!(fr.contains("still missing"));
    }

    async fn a_retired_version_is_no_longer_offered_but_its_campaigns_keep_it(db: Db) {
        let Some(s) = setup(db).await else { return };
        let offered = |options: &str, version: &str| {
            // The server function answers [who is asking, the options].
            let answer: serde_json::Value = serde_json::from_str(options).expect("json");
            answer[1].as_array().expect("a list").iter().any(|o| o["instrument"] == "svi" && o["version"] == version)
        };
        let (status, location, body) = web::post(&s.app, Some(&s.recruiter), "/campaigns", &[("name", "Before retiring"), ("role_family", "it"), ("instrument", "svi@1.0.0"), ("invitation_days", "14")]).await;
        assert_eq!(status, 303, "{body}");
        let campaign = location.and_then(|l| l.strip_prefix("/campaigns/").and_then(|r| r.strip_suffix("?created=1")).map(str::to_string)).expect("campaign");
        let (status, location, _) = web::post(&s.app, Some(&s.psychologist), "/instruments/svi/1.0.0/retirement", &[("retire", "1")]).await;
        assert_eq!((status, location.as_deref()), (303, Some("/instruments#instrument-svi")));
        let (_, _, library) = web::get(&s.app, Some(&s.psychologist), "/instruments").await;
        assert!(library.contains("not offered for new campaigns"));
        let (_, _, options) = web::post(&s.app, Some(&s.recruiter), "/api/recruit_bank_options", &[]).await;
        assert!(!offered(&options, "1.0.0") && offered(&options, "1.1.0"), "{options}");
        let (_, _, options_b) = web::post(&s.app, Some(&s.recruiter_b), "/api/recruit_bank_options", &[]).await;
        assert!(offered(&options_b, "1.0.0"), "another organisation still has it");
        let (status, _, body) = web::post(&s.app, Some(&s.recruiter), "/campaigns", &[("name", "After retiring"), ("role_family", "it"), ("instrument", "svi@1.0.0"), ("invitation_days", "14")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("retired in your organisation"), "{body}");
        let (status, _, _) = web::get(&s.app, Some(&s.recruiter), &format!("/campaigns/{campaign}/export.csv")).await;
        assert_eq!(status, 200, "the campaign made with it keeps it");
        let (status, _, _) = web::post(&s.app, Some(&s.psychologist), "/instruments/svi/1.0.0/retirement", &[("retire", "0")]).await;
        assert_eq!(status, 303);
        let (_, _, options) = web::post(&s.app, Some(&s.recruiter), "/api/recruit_bank_options", &[]).await;
        assert!(offered(&options, "1.0.0"), "offered again");
    }

    async fn scales_and_adaptive_settings_are_edited_in_forms(db: Db) {
        let Some(s) = setup(db).await else { return };
        let draft = start(&s, "svi", "1.1.0", "a-svi").await;
        let (page, base) = open(&s, &draft).await;
        assert!(page.contains(&format!("href=\"/drafts/{draft}/scales/vigilance\"")) && page.contains("id=\"cat-link\""));
        let (status, _, form) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/scales/vigilance")).await;
        assert_eq!(status, 200);
        assert!(form.contains("name=\"low.de\""), "every band in every language");
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/items/svi-mot-01"), &[("base", &base), ("type", "essay"), ("scale", "security_motivation")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("is not an item type"), "{body}");
        let (_, _, item_form) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/items/svi-mot-01")).await;
        assert!(item_form.contains("<option value=\"likert\" selected>"), "the type is in the item's form");
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/scales/vigilance"), &[("base", &base), ("name.de", "Aufmerksamkeit"), ("low.en", "A new low text.")]).await;
        assert_eq!(status, 303, "{body}");
        let (page, base) = open(&s, &draft).await;
        assert!(page.contains("Aufmerksamkeit"));
        assert!(page.contains("id=\"next-version\">1.1.1<"), "texts are a patch");
        // Interview prompts, one per line, per language; what the boxes hold is the whole list.
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/scales/vigilance"), &[("base", &base), ("prompts.en", "Tell me about a time you noticed something odd.\r\n\r\nWhat did you do next?"), ("prompts.de", "Erzählen Sie von einer Situation, in der Ihnen etwas Ungewöhnliches auffiel.")]).await;
        assert_eq!(status, 303, "{body}");
        let (_, _, form) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/scales/vigilance")).await;
        assert!(form.contains("name=\"prompts.en\"") && form.contains("Tell me about a time you noticed something odd.\nWhat did you do next?"), "{form}");
        let (page, base) = open(&s, &draft).await;
        assert!(page.contains("id=\"next-version\">1.1.1<"), "prompts are texts: still a patch");
        // Settings that break the rules are refused; nothing saved.
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/cat"), &[("base", &base), ("se_target", "0.25"), ("min_items", "9"), ("max_items", "3")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("Not saved"), "{body}");
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/cat"), &[("base", &base), ("se_target", "small")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("must be a number"), "{body}");
        let (_, unchanged) = open(&s, &draft).await;
        assert_eq!(unchanged, base);
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/cat"), &[("base", &base), ("se_target", "0.25"), ("max_items", "15")]).await;
        assert_eq!(status, 303, "{body}");
        let (page, _) = open(&s, &draft).await;
        assert!(page.contains("id=\"next-version\">1.2.0<"), "adaptive settings are a minor change");
        let (_, _, form) = web::get(&s.app, Some(&s.psychologist), &format!("/drafts/{draft}/cat")).await;
        assert!(form.contains("value=\"0.25\"") && form.contains("value=\"15\""));
        // Response-validity rules: a line that is not a pair, or a pair naming an unknown item, is refused.
        let (_, base) = open(&s, &draft).await;
        let rules = format!("/drafts/{draft}/validity");
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &rules, &[("base", &base), ("inconsistency_pairs", "svi-mot-01")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("must name exactly two items"), "{body}");
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &rules, &[("base", &base), ("inconsistency_pairs", "svi-mot-01 no-such-item")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("Not saved") && body.contains("unknown item"), "{body}");
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &rules, &[("base", &base), ("min_median_seconds", "soon")]).await;
        assert_eq!((status, body.contains("must be a number")), (422, true), "{body}");
        let (_, unchanged) = open(&s, &draft).await;
        assert_eq!(unchanged, base, "nothing saved");
        // A valid set is saved, shown in the form, and read by the bank.
        let form = [("base", base.as_str()), ("min_median_seconds", "2"), ("infrequency_invalid_fails", "3"), ("inconsistency_pairs", "svi-mot-01 svi-mot-02\r\nsvi-rul-07, svi-rul-10\r\n")];
        let (status, _, body) = web::post(&s.app, Some(&s.psychologist), &rules, &form).await;
        assert_eq!(status, 303, "{body}");
        let (_, _, shown) = web::get(&s.app, Some(&s.psychologist), &rules).await;
        assert!(shown.contains("value=\"2\"") && shown.contains("value=\"3\"") && shown.contains("svi-mot-01 svi-mot-02\nsvi-rul-07 svi-rul-10"), "{shown}");
        let org = web::people_org(&s.app).await;
        let source = s.app.db.store.draft(&org, &draft).await.expect("draft").source;
        let parsed = assessments::bank::Bank::parse(&source, "draft").expect("a valid bank");
        let saved = parsed.file().validity.clone();
        assert_eq!((saved.min_median_seconds, saved.infrequency_invalid_fails, saved.inconsistency_pairs.len()), (Some(2.0), Some(3), 2));
        assert_eq!(saved.longstring_caution_share, None, "an empty field keeps the default");
    }
}
