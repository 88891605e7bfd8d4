//! The demo organisation: staff accounts for each role and a demo campaign,
//! so a newcomer can use Vigil right after `make run`.

use std::path::{Path, PathBuf};

use assessments::simulate::{SimulationOptions, Simulator};

use crate::{
    catalog::{Adaptive, Catalog, CatalogEntry},
    passwords::{generate_password, hash_password},
    scoring::{score_instrument, CatRecord, InstrumentInput},
    sheets::SheetSource,
    simulated::{answer_rows, take_adaptively},
    store::{Actor, AnswerInput, AnswersSeen, AuditEntry, NewCampaign, NewInvitation, NewSession, NewUser, Role, Store},
    time::now_ms,
    Error,
};

/// The norm table a demo campaign uses: the first one, or for IRT scores
/// the first with theta norms.
fn demo_norms(entry: &CatalogEntry, irt: bool) -> Option<&assessments::norms::NormTable> {
    entry.norms.iter().find(|n| !irt || !n.theta_scales.is_empty())
}

/// A battery of bank versions, each with its hash and its demo norm table (when the catalog has it).
fn battery_json<'a>(irt: bool, versions: impl IntoIterator<Item = (&'a str, &'a str, Option<std::sync::Arc<crate::catalog::CatalogEntry>>)>) -> String {
    let instruments = versions
        .into_iter()
        .map(|(instrument, version, entry)| crate::battery::BatteryEntry {
            instrument: instrument.to_string(),
            version: version.to_string(),
            bank_hash: entry.as_ref().map(|e| e.bank.content_hash().to_string()),
            norm_table: Some(entry.as_ref().and_then(|e| demo_norms(e, irt).map(|n| n.id.clone()))),
            norm_table_hash: entry.as_ref().and_then(|e| demo_norms(e, irt).and_then(|n| n.content_hash.clone())),
            fixed_form: Default::default(),
        })
        .collect();
    serde_json::to_string(&crate::battery::BatteryFile { instruments }).unwrap_or_default()
}

/// The demo's default campaign, the one a newcomer tries first: short (the
/// SVI item pool adaptively, then the SJS; about 15 minutes).
pub const DEMO_CAMPAIGN: &str = "Demo: Security Analyst hiring";

/// The demo's campaign with the whole fixed form (about 30 minutes).
pub const DEMO_FULL_CAMPAIGN: &str = "Demo: full fixed battery (SVI 1.0.0 + SJS)";

/// The full demo campaign's battery.
pub const DEMO_BATTERY: [(&str, &str); 2] = [("svi", "1.0.0"), ("sjs", "1.0.0")];

/// Simulated candidates who have completed the full demo campaign.
pub const DEMO_CANDIDATES: usize = 24;

/// Simulated candidates who have completed the default (adaptive) demo campaign.
pub const DEMO_ADAPTIVE_CANDIDATES: usize = 8;

/// The default demo campaign's battery (SVI adaptively).
pub const DEMO_ADAPTIVE_BATTERY: [(&str, &str); 2] = [("svi", "1.1.0"), ("sjs", "1.0.0")];

/// Fictional names for the simulated candidates.
const DEMO_NAMES: [&str; DEMO_CANDIDATES] = [
    "Avery Lindqvist", "Bilal Rahman", "Chiara Russo", "Daniel Okafor", "Elif Demir", "Finn Becker",
    "Grace Mwangi", "Hiro Tanaka", "Ines Moreau", "Jonas Weber", "Kavya Iyer", "Liam O'Connor",
    "Mei Chen", "Noah Fischer", "Olga Nowak", "Pablo Ortega", "Quinn Murphy", "Rania Haddad",
    "Sofia Costa", "Tomas Novak", "Uma Patel", "Viktor Horvath", "Wen Li", "Yara Silva",
];

pub const DEMO_ORG_SLUG: &str = "demo";

/// The demo accounts: (role, e-mail, display name).
pub const DEMO_ACCOUNTS: [(Role, &str, &str); 4] = [
    (Role::Admin, "admin@demo.vigil.test", "Dana Admin"),
    (Role::Recruiter, "recruiter@demo.vigil.test", "Robin Recruiter"),
    (Role::Psychologist, "psychologist@demo.vigil.test", "Pat Psychologist"),
    (Role::Security, "security@demo.vigil.test", "Sam Security"),
];

/// What seeding did.
#[derive(Debug)]
pub enum Seeded {
    /// Created now; the credentials were written to this file.
    Created { credentials: String, file: PathBuf },
    /// Already there; the credentials file (if still present) holds the passwords.
    AlreadyThere { file: PathBuf },
}

/// Creates the demo organisation unless it exists: staff accounts, a demo
/// campaign and, when the catalog has the battery's banks and population
/// models, simulated candidates who completed it, scored with provenance.
pub async fn seed(store: &Store, catalog: &Catalog, credentials_file: &Path) -> Result<Seeded, Error> {
    if store.organisation_by_slug(DEMO_ORG_SLUG).await?.is_some() {
        return Ok(Seeded::AlreadyThere { file: credentials_file.to_path_buf() });
    }
    let org = store.create_organisation("Demo Organisation", DEMO_ORG_SLUG, true).await?;
    let mut credentials = String::from("Vigil demo accounts (demo data only; change or delete for real use)\n");
    let mut admin_id = None;
    for (role, email, name) in DEMO_ACCOUNTS {
        let password = generate_password(16);
        let hash = hash_password(&password).map_err(|e| Error::Usage(e.to_string()))?;
        let user = store
            .create_user(&NewUser { org_id: &org.id, email, display_name: name, role, password_hash: Some(&hash) })
            .await?;
        if role == Role::Admin {
            admin_id = Some(user.id.clone());
        }
        credentials.push_str(&format!("  {:<13} {:<30} password: {}\n", role.as_str(), email, password));
    }
    let battery = battery_json(false, DEMO_BATTERY.iter().map(|(instrument, version)| (*instrument, *version, catalog.get(instrument, version))));
    let campaign = demo_campaign(store, &org.id, admin_id.as_deref(), DEMO_FULL_CAMPAIGN, &battery, false).await?;
    store
        .audit(&AuditEntry {
            org_id: Some(&org.id),
            actor: Actor::System,
            action: "demo.seeded",
            object_type: "campaign",
            object_id: Some(&campaign.id),
            detail: None,
        })
        .await?;
    let entries: Option<Vec<_>> = DEMO_BATTERY.iter().map(|(i, v)| catalog.get(i, v)).collect();
    if let Some(entries) = entries {
        simulate_completed_candidates(store, &org.id, &campaign.id, &entries, &CANDIDATES_FIXED).await?;
    }
    // The default campaign, created last so it is listed first: adaptive on the
    // enlarged SVI pool, with candidates who took it adaptively (IRT scores on theta norms).
    let adaptive_entries: Option<Vec<_>> = DEMO_ADAPTIVE_BATTERY.iter().map(|(i, v)| catalog.get(i, v)).collect();
    if let Some(entries) = adaptive_entries {
        let adaptive_battery = battery_json(true, DEMO_ADAPTIVE_BATTERY.iter().zip(&entries).map(|((i, v), e)| (*i, *v, Some(e.clone()))));
        let adaptive = demo_campaign(store, &org.id, admin_id.as_deref(), DEMO_CAMPAIGN, &adaptive_battery, true).await?;
        simulate_completed_candidates(store, &org.id, &adaptive.id, &entries, &CANDIDATES_ADAPTIVE).await?;
    }
    if let Some(admin) = admin_id.as_deref() {
        let names: Vec<&str> = demo_names().collect();
        crate::workforce::demo::seed(store, catalog, &org.id, admin, &names).await.map_err(|e| Error::Usage(format!("demo workforce data: {e}")))?;
    }
    crate::fairness::demo::seed(store, &org.id).await?;
    write_private(credentials_file, &credentials)?;
    Ok(Seeded::Created { credentials, file: credentials_file.to_path_buf() })
}

/// A demo campaign: 14-day links, feedback for candidates, no time limit.
async fn demo_campaign(store: &Store, org_id: &str, created_by: Option<&str>, name: &str, battery: &str, adaptive: bool) -> Result<crate::store::Campaign, Error> {
    let campaign = NewCampaign {
        org_id,
        name,
        role_family: "security operations",
        battery,
        time_limit_minutes: None,
        adaptive,
        candidate_feedback: true,
        invitation_ttl_days: 14,
        created_by,
        reminder_days: None,
        link_base: None,
    };
    Ok(store.create_campaign(&campaign).await?)
}

/// Who the simulated candidates of a demo campaign are and how they take it.
struct DemoCandidates<'a> {
    names: &'a [&'a str],
    /// Seeds of the simulated respondents start here (one per instrument).
    seed: u64,
    /// Take calibrated banks adaptively (the engine chooses the items).
    adaptive: bool,
}

const CANDIDATES_FIXED: DemoCandidates<'static> = DemoCandidates { names: &DEMO_NAMES, seed: 2026, adaptive: false };

const CANDIDATES_ADAPTIVE: DemoCandidates<'static> = DemoCandidates { names: &DEMO_ADAPTIVE_NAMES, seed: 3026, adaptive: true };

/// Every fictional candidate name of the demo (tests check none leaks where it must not).
pub fn demo_names() -> impl Iterator<Item = &'static str> {
    DEMO_NAMES.iter().chain(DEMO_ADAPTIVE_NAMES.iter()).copied()
}

/// Fictional names for the simulated candidates of the adaptive campaign.
const DEMO_ADAPTIVE_NAMES: [&str; DEMO_ADAPTIVE_CANDIDATES] =
    ["Aino Virtanen", "Babajide Adeyemi", "Camila Rojas", "Dmitri Volkov", "Eszter Kovacs", "Farah Siddiqui", "Gustavo Lima", "Hana Kim"];

/// Simulated candidates (seeded, so every demo looks the same) who took the
/// whole battery, in full or adaptively: invitation, session, every answer
/// in the order given, completion and scores by the one scoring path.
async fn simulate_completed_candidates(
    store: &Store,
    org_id: &str,
    campaign_id: &str,
    entries: &[std::sync::Arc<CatalogEntry>],
    who: &DemoCandidates<'_>,
) -> Result<(), Error> {
    let demo = |e: &dyn std::fmt::Display| Error::Usage(format!("cannot simulate the demo candidates: {e}"));
    // Respondents per instrument, drawn from each bank's population model.
    let mut simulated = Vec::new();
    for (k, entry) in entries.iter().enumerate() {
        let model = entry.model.as_ref().ok_or_else(|| demo(&format!("{} has no population model", entry.bank.id())))?;
        let options = SimulationOptions { n: who.names.len(), seed: who.seed + k as u64, ..SimulationOptions::default() };
        let people = Simulator::new(&entry.bank, model).map_err(|e| demo(&e))?.simulate(&options);
        simulated.push(people);
    }
    let started = now_ms() - 1000 * 60 * 60 * 24 * 3;
    for (i, name) in who.names.iter().enumerate() {
        let email = format!("{}@candidates.demo.vigil.test", name.to_lowercase().replace([' ', '\''], "."));
        // The link token is not kept: simulated candidates never open their link.
        let token_hash = crate::secrets::secret_hash(&crate::secrets::new_secret());
        let invitation = store
            .create_invitation(&NewInvitation {
                org_id,
                campaign_id,
                candidate_name: Some(name),
                candidate_email: Some(&email),
                language: if i % 4 == 3 { "de" } else { "en" },
                token_hash: &token_hash,
                expires_at: started + 1000 * 60 * 60 * 24 * 14,
                created_by: None,
            })
            .await?;
        let session_id = store
            .start_session(&NewSession {
                org_id,
                campaign_id,
                invitation_id: &invitation.invitation_id,
                notice_version: crate::NOTICE_VERSION,
                language: "en",
                seed: i as i64,
                deadline_at: None,
            })
            .await?;
        let mut seq = 0;
        let mut scores = Vec::new();
        for (k, (entry, people)) in entries.iter().zip(&simulated).enumerate() {
            let Some(person) = people.get(i) else { continue };
            let adaptive = entry.adaptive.as_ref().filter(|_| who.adaptive);
            let (responses, order, status) = match adaptive {
                Some(adaptive) => {
                    let (responses, order, status) = take_adaptively(&entry.bank, adaptive, Adaptive::seed(i as i64, k), &person.responses).map_err(|e| demo(&e))?;
                    (responses, order, Some(status))
                }
                None => (person.responses.clone(), (0..entry.bank.items().len()).collect(), None),
            };
            let answers = answer_rows(&entry.bank, &responses, &order);
            let inputs: Vec<AnswerInput<'_>> = answers
                .iter()
                .map(|(item, value, latency)| {
                    seq += 1;
                    AnswerInput { session_id: &session_id, instrument: entry.bank.id(), item_id: item, value, latency_ms: *latency, client_seq: seq, answers_before: None }
                })
                .collect();
            store.save_answers(&inputs).await?;
            let cat = adaptive.zip(status.as_ref()).map(|(a, status)| CatRecord { status, config: &a.config });
            let input = InstrumentInput { entry, norms: demo_norms(entry, who.adaptive), responses: &responses, cat, fixed_form: Default::default() };
            scores.extend(score_instrument(input).map_err(|e| demo(&e))?);
        }
        let answers = store.answers_of(&session_id).await?;
        let sheets: Vec<_> = entries
            .iter()
            .filter_map(|entry| {
                let source = SheetSource {
                    session_id: &session_id,
                    campaign_id,
                    language: "en",
                    adaptive: who.adaptive && entry.adaptive.is_some(),
                    validity_status: crate::sheets::validity_of(&scores, entry.bank.id()),
                };
                crate::sheets::sheet(&entry.bank, source, &answers)
            })
            .collect();
        let audit = AuditEntry { org_id: Some(org_id), actor: Actor::System, action: "candidate.finished", object_type: "session", object_id: Some(&session_id), detail: None };
        store.finish_session(org_id, &session_id, AnswersSeen::of(&answers), &scores, &sheets, &audit).await?;
    }
    Ok(())
}

/// The demo's norming study: a campaign of the demo organisation taking
/// SVI 1.0.0 alone, with `participants` more simulated participants who
/// took it in full (scored and finished by the same path as a candidate),
/// so there are enough sessions to try the norm builder. Each run adds new
/// participants. Gives the campaign's name and how many sessions it has.
pub async fn norming_study(store: &Store, catalog: &Catalog, participants: usize) -> Result<(String, usize), Error> {
    let org = store.organisation_by_slug(DEMO_ORG_SLUG).await?.ok_or_else(|| Error::Usage("there is no demo organisation: run `vigil demo seed` first".into()))?;
    let entry = catalog.get("svi", "1.0.0").ok_or_else(|| Error::Usage("SVI 1.0.0 is not in the banks folder".into()))?;
    let campaigns = store.campaigns_of(&org.id).await?;
    let campaign = match campaigns.into_iter().find(|c| c.name == NORMING_STUDY) {
        Some(c) => c,
        None => {
            let battery = battery_json(false, [("svi", "1.0.0", Some(entry.clone()))].into_iter());
            demo_campaign(store, &org.id, None, NORMING_STUDY, &battery, false).await?
        }
    };
    let before = store.campaign_candidates(&org.id, &campaign.id).await?.len();
    let names: Vec<String> = (before..before + participants).map(|n| format!("Study Participant {:04}", n + 1)).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let who = DemoCandidates { names: &names, seed: 4026 + before as u64 * 7919, adaptive: false };
    simulate_completed_candidates(store, &org.id, &campaign.id, &[entry], &who).await?;
    crate::fairness::demo::seed(store, &org.id).await?;
    Ok((campaign.name, before + participants))
}

/// The name of the demo's norming-study campaign.
pub const NORMING_STUDY: &str = "Demo: SVI norming study (simulated participants)";

/// Writes a file readable only by its owner, atomically (temp file + rename).
fn write_private(path: &Path, content: &str) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io { path: path.display().to_string(), reason: e.to_string() };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut file = private_file(&tmp).map_err(io)?;
    std::io::Write::write_all(&mut file, content.as_bytes()).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// A new file, readable only by its owner from the start; fails if it exists.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// The demo's secret key, kept in `path` (made, readable only by its
/// owner, on first use; a key file written meanwhile by another process
/// is read instead).
pub fn secret_key(path: &Path) -> Result<crate::sealing::SecretKey, Error> {
    let io = |e: std::io::Error| Error::Io { path: path.display().to_string(), reason: e.to_string() };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    match private_file(path) {
        Ok(mut file) => {
            let key = crate::sealing::SecretKey::generate();
            std::io::Write::write_all(&mut file, format!("{}\n", key.to_hex()).as_bytes()).and_then(|()| file.sync_all()).map_err(io)?;
            tracing::info!(file = %path.display(), "demo: made a new secret key");
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => crate::sealing::SecretKey::read_file(path).map_err(|e| Error::Usage(e.to_string())),
        Err(e) => Err(io(e)),
    }
}
