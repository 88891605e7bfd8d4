//! What each `vigil` command does.

use std::{
    io::BufRead,
    path::{Path, PathBuf},
};

use crate::{
    catalog::Catalog,
    cli::{Cli, Command, DemoCommand, SecretKeyArgs, SecretKeyCommand, ServeArgs, UserCommand},
    config::{DatabaseUrl, ServeConfig},
    demo,
    passwords::hash_password,
    sealing::SecretKey,
    store::{Actor, AuditEntry, NewUser, Store},
    Error,
};

/// Runs a parsed command line to completion.
pub async fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Serve(args) => serve(&args.db.database()?, args).await,
        Command::Migrate { db } => {
            let database_url = db.database()?;
            let store = Store::open(&database_url).await?;
            println!("database {} is at schema version {}", database_url, store.schema_version().await?);
            store.close().await;
            Ok(())
        }
        Command::Responses(crate::cli::ResponsesCommand::Export { db, org, bank, out, banks }) => {
            let (instrument, version) = bank.split_once('@').ok_or_else(|| Error::Usage(format!("--bank {bank:?}: write it as instrument@version, e.g. svi@1.1.0")))?;
            let catalog = Catalog::load(&banks)?;
            let store = Store::open(&db.database()?).await?;
            crate::catalog_sync::load_published(&store, &catalog).await?;
            let organisation = store.organisation_by_slug(&org).await?.ok_or_else(|| Error::Usage(format!("no organisation with the short name {org:?}")))?;
            let export = crate::analysis_export::export(&store, &catalog, &organisation.id, instrument, version).await.map_err(|e| match e {
                crate::analysis_export::ExportError::Store(e) => Error::from(e),
                other => Error::Usage(other.to_string()),
            })?;
            store.close().await;
            let io = |path: &std::path::Path, e: std::io::Error| Error::Io { path: path.display().to_string(), reason: e.to_string() };
            std::fs::create_dir_all(&out).map_err(|e| io(&out, e))?;
            for (name, text) in [("responses.csv", &export.responses_csv), ("sessions.csv", &export.sessions_csv), ("codebook.csv", &export.codebook_csv), ("codebook.json", &export.codebook_json), ("analysis.json", &export.analysis_json)] {
                let path = out.join(name);
                assessments::commands::write_atomic(&path, text.as_bytes()).map_err(|e| Error::Usage(e.to_string()))?;
            }
            println!("{} completed sessions of {bank} written to {}", export.sessions, out.display());
            Ok(())
        }
        Command::Backup { db, out } => {
            let manifest = crate::backup::backup(&db.database()?, &out).await?;
            let rows: i64 = manifest.tables.iter().map(|t| t.rows).sum();
            println!("backed up {} tables ({rows} rows, schema version {}) into {} (manifest: {})", manifest.tables.len(), manifest.schema_version, out.display(), crate::backup::manifest_path(&out).display());
            Ok(())
        }
        Command::Restore { db, file } => {
            let manifest = crate::backup::restore(&db.database()?, &file).await?;
            let rows: i64 = manifest.tables.iter().map(|t| t.rows).sum();
            println!("restored {} tables ({rows} rows); every table matches the manifest", manifest.tables.len());
            Ok(())
        }
        Command::SecretKey(SecretKeyCommand::New) => {
            println!("{}", SecretKey::generate().to_hex());
            Ok(())
        }
        Command::SecretKey(SecretKeyCommand::Rotate { db, key, new_key_file }) => {
            let (old, new) = (secret_key(&key, None)?, read_key_file(&new_key_file)?);
            if old.id() == new.id() {
                return Err(Error::Usage(format!("{} holds the current key: make a new one with `vigil secret-key new`", new_key_file.display())));
            }
            let store = Store::open(&db.database()?).await?;
            let changed = store.rotate_secret_key(&old, &new).await;
            store.close().await;
            let changed = changed?;
            println!(
                "{} secrets sealed with the new key {} ({} of them were kept unsealed before); start every `vigil serve` of this database with the new key",
                changed.resealed + changed.sealed_from_plain,
                new.id(),
                changed.sealed_from_plain
            );
            Ok(())
        }
        Command::Demo(DemoCommand::NormingStudy { db, participants, banks }) => {
            let catalog = Catalog::load(&banks)?;
            let store = Store::open(&db.database()?).await?;
            let (name, sessions) = demo::norming_study(&store, &catalog, participants).await?;
            store.close().await;
            println!("{name}: {sessions} completed sessions");
            Ok(())
        }
        Command::Demo(DemoCommand::Seed { db, credentials_file, banks }) => {
            let database_url = db.database()?;
            let catalog = Catalog::load(&banks)?;
            let store = Store::open(&database_url).await?;
            let file = credentials_file.unwrap_or_else(|| default_credentials_file(&database_url));
            report_seed(demo::seed(&store, &catalog, &file).await?);
            store.close().await;
            Ok(())
        }
        Command::Invite { db, org, campaign, name, email, language, base_url, count } => {
            let store = Store::open(&db.database()?).await?;
            for _ in 0..count {
                let link = invite(&store, &org, campaign.as_deref(), name.as_deref(), email.as_deref(), &language, &base_url).await?;
                println!("{link}");
            }
            store.close().await;
            Ok(())
        }
        Command::Bank(cmd) => crate::psychometrics::bank(cmd),
        Command::Analyze { bank, responses, out } => crate::psychometrics::analyze(&bank, &responses, out.as_deref()),
        Command::Score { bank, norms, responses, format, out } => {
            crate::psychometrics::score(&bank, norms.as_deref(), &responses, format, out.as_deref())
        }
        Command::Norms(cmd) => crate::psychometrics::norms(cmd),
        Command::Calibrate { bank, responses, out, scale, demonstration } => crate::psychometrics::calibrate(&bank, &responses, &out, scale, demonstration),
        Command::Cat(crate::cli::CatCommand::Simulate { bank, scale, n, se, seed }) => crate::psychometrics::cat_simulate(&bank, scale.as_deref(), n, se, seed),
        Command::Simulate { bank, model, n, seed, careless_share, out } => {
            crate::psychometrics::simulate(&bank, &model, n, seed, careless_share, &out)
        }
        Command::User(UserCommand::Create { db, org, org_name, email, name, role }) => {
            let database_url = db.database()?;
            let password = read_password()?;
            let hash = hash_password(&password).map_err(|e| Error::Usage(e.to_string()))?;
            let store = Store::open(&database_url).await?;
            let organisation = match store.organisation_by_slug(&org).await? {
                Some(o) => o,
                None => store.create_organisation(org_name.as_deref().unwrap_or(&org), &org, false).await?,
            };
            let user = store
                .create_user(&NewUser { org_id: &organisation.id, email: &email, display_name: &name, role, password_hash: Some(&hash) })
                .await?;
            store
                .audit(&AuditEntry {
                    org_id: Some(&organisation.id),
                    actor: Actor::System,
                    action: "user.created",
                    object_type: "user",
                    object_id: Some(&user.id),
                    detail: Some(serde_json::json!({ "role": role.as_str(), "via": "command line" }).to_string()),
                })
                .await?;
            println!("created {} {} in organisation {}", role.as_str(), user.email, organisation.slug);
            store.close().await;
            Ok(())
        }
    }
}

async fn serve(database_url: &DatabaseUrl, args: ServeArgs) -> Result<(), Error> {
    let config = ServeConfig {
        database_url: database_url.clone(),
        listen: args.listen,
        site_root: args.site_root,
        demo: args.demo,
        demo_credentials_file: args.demo_credentials,
    };
    config.check_site()?;
    let catalog = Catalog::load(&args.banks)?;
    let demo_credentials = config.demo_credentials_file.clone().unwrap_or_else(|| default_credentials_file(&config.database_url));
    let key = secret_key(&args.key, config.demo.then(|| demo_credentials.with_file_name("secret.key")).as_deref())?;
    let store = Store::open_with(&config.database_url, args.sqlite_synchronous).await?;
    let (store, resealed) = match store.clone().with_secret_key(key).await {
        Ok(adopted) => adopted,
        Err(e) => {
            store.close().await;
            return Err(e.into());
        }
    };
    if resealed.sealed_from_plain > 0 {
        tracing::info!(secrets = resealed.sealed_from_plain, "secrets kept from before are now sealed at rest");
    }
    if config.demo {
        report_seed(demo::seed(&store, &catalog, &demo_credentials).await?);
    }
    let listener = crate::http::bind(config.listen).await?;
    let public_url = args.public_url.map(|u| u.trim_end_matches('/').to_string());
    let webhooks_policy = crate::webhooks::endpoints::UrlPolicy { allow_loopback: args.webhooks_allow_loopback };
    if webhooks_policy.allow_loopback {
        tracing::warn!("webhooks may be sent to this machine over plain HTTP (--webhooks-allow-loopback): for development and tests only");
    }
    // One sync per process: the background refresh and the staff requests share what it has seen.
    let catalog_sync = crate::catalog_sync::CatalogSync::new(&store, &catalog);
    let options = crate::http::HttpOptions {
        catalog_sync: Some(catalog_sync.clone()),
        cookies: crate::auth::CookiePolicy { secure: args.secure_cookies },
        trusted_proxies: crate::config::TrustedProxies::new(args.trusted_proxies),
        public_url: public_url.clone(),
        webhooks: webhooks_policy,
    };
    let mailer = match args.smtp_url.as_deref() {
        Some(url) => Some(crate::mail::Mailer::new(url, &args.mail_from).map_err(|e| Error::Usage(e.to_string()))?),
        None => None,
    };
    let catalog_for_jobs = catalog.clone();
    let catalog_refresh = catalog_sync.keep_fresh().await?;
    let router = crate::http::router_with(store.clone(), catalog, &config.site_root, config.listen, options);
    tracing::info!(address = %config.listen, database = %config.database_url, "Vigil is listening on http://{}", config.listen);
    let background = Background { retention_days: args.candidate_retention_days, public_url, mailer, webhooks: webhooks_policy };
    let workers = start_background(&store, &catalog_for_jobs, background).await?;
    let result = crate::http::serve(listener, router).await;
    for worker in workers {
        worker.stop().await;
    }
    catalog_refresh.stop().await;
    store.close().await;
    tracing::info!("stopped");
    result
}

/// What the background work of `vigil serve` needs.
pub struct Background {
    pub retention_days: u32,
    pub public_url: Option<String>,
    /// Sending e-mail only where an SMTP server is configured.
    pub mailer: Option<crate::mail::Mailer>,
    /// Where webhook deliveries may go.
    pub webhooks: crate::webhooks::endpoints::UrlPolicy,
}

/// Starts the job workers of one `vigil serve` process: one for the short
/// recurring jobs (clean-up, reminders, e-mail), one for long jobs (item
/// analysis, calibration), so a long job never holds up an e-mail. Whichever process
/// claims a job runs it.
pub async fn start_background(store: &Store, catalog: &Catalog, b: Background) -> Result<Vec<crate::jobs::Worker>, crate::store::StoreError> {
    use crate::jobs::{kind, Registration, Worker, WorkerOptions};
    let long = vec![
        Registration {
            kind: kind::ITEM_ANALYSIS,
            handler: std::sync::Arc::new(crate::item_analysis::ItemAnalysisJob { store: store.clone(), catalog: catalog.clone() }),
            every: None,
        },
        Registration { kind: kind::CALIBRATION, handler: std::sync::Arc::new(crate::calibration::CalibrationJob { store: store.clone(), catalog: catalog.clone() }), every: None },
    ];
    Ok(vec![
        Worker::start(store.clone(), "background", recurring_jobs(store, catalog, b), WorkerOptions::default()).await?,
        Worker::start(store.clone(), "long jobs", long, WorkerOptions::default()).await?,
    ])
}

fn recurring_jobs(store: &Store, catalog: &Catalog, b: Background) -> Vec<crate::jobs::Registration> {
    use crate::jobs::{kind, Registration};
    let Background { retention_days, public_url, mailer, webhooks } = b;
    let mut jobs = vec![
        Registration {
            kind: kind::CLEANUP,
            handler: std::sync::Arc::new(crate::cleanup::CleanupJob { store: store.clone(), retention_days }),
            every: Some(crate::cleanup::EVERY),
        },
        Registration {
            kind: kind::WAVE_UPKEEP,
            handler: std::sync::Arc::new(crate::workforce::upkeep::WaveUpkeep { store: store.clone(), catalog: catalog.clone(), public_url: public_url.clone() }),
            every: Some(crate::workforce::upkeep::EVERY),
        },
        Registration {
            kind: kind::AUTOMATIC_REMINDERS,
            handler: std::sync::Arc::new(crate::recruit::reminders::AutomaticReminders { store: store.clone(), public_url }),
            every: Some(crate::recruit::reminders::AUTOMATIC_EVERY),
        },
    ];
    match crate::webhooks::deliver::DeliverWebhooks::new(store.clone(), webhooks) {
        Ok(deliver) => jobs.push(Registration { kind: kind::DELIVER_WEBHOOKS, handler: std::sync::Arc::new(deliver), every: Some(crate::webhooks::deliver::EVERY) }),
        Err(e) => tracing::error!(error = %e, "webhooks will not be delivered by this process"),
    }
    if let Some(mailer) = mailer {
        tracing::info!("sending invitation e-mails by SMTP");
        jobs.push(Registration { kind: kind::SEND_MAIL, handler: std::sync::Arc::new(crate::mail::SendMail { store: store.clone(), mailer }), every: Some(crate::mail::EVERY) });
    }
    jobs
}

/// Creates an invitation and returns the candidate's link (the only place the token exists).
async fn invite(store: &Store, org: &str, campaign: Option<&str>, name: Option<&str>, email: Option<&str>, language: &str, base_url: &str) -> Result<String, Error> {
    if !app::i18n::LANGUAGES.contains(&language) {
        return Err(Error::Usage(format!("unknown language {language:?}: use en or de")));
    }
    let organisation = store.organisation_by_slug(org).await?.ok_or_else(|| Error::Usage(format!("no organisation with the short name {org:?}")))?;
    let campaigns = store.campaigns_of(&organisation.id).await?;
    let names = || campaigns.iter().map(|c| format!("{:?}", c.name)).collect::<Vec<_>>().join(", ");
    let campaign = match campaign {
        Some(wanted) => campaigns.iter().find(|c| c.id == wanted || c.name == wanted),
        None if campaigns.len() == 1 => campaigns.first(),
        None => return Err(Error::Usage(format!("organisation {org} has several campaigns; choose one with --campaign (id or name): {}", names()))),
    }
    .ok_or_else(|| Error::Usage(format!("organisation {org} has no such campaign; its campaigns: {}", names())))?;
    let token = crate::secrets::new_secret();
    let expires_at = crate::time::now_ms() + campaign.invitation_ttl_days * 86_400_000;
    let created = store
        .create_invitation(&crate::store::NewInvitation {
            org_id: &organisation.id,
            campaign_id: &campaign.id,
            candidate_name: name,
            candidate_email: email,
            language,
            token_hash: &crate::secrets::secret_hash(&token),
            expires_at,
            created_by: None,
        })
        .await?;
    store
        .audit(&AuditEntry {
            org_id: Some(&organisation.id),
            actor: Actor::System,
            action: "invitation.created",
            object_type: "invitation",
            object_id: Some(&created.invitation_id),
            detail: Some(serde_json::json!({ "via": "command line", "campaign": campaign.id }).to_string()),
        })
        .await?;
    Ok(format!("{}/take/{token}", base_url.trim_end_matches('/')))
}

/// Next to the SQLite file, or under ./data for PostgreSQL.
/// What `vigil serve` says when it has no secret key.
pub const NO_SECRET_KEY: &str = "no secret key: Vigil seals second-factor and webhook secrets with it. Set VIGIL_SECRET_KEY to 64 hexadecimal digits (`vigil secret-key new` prints a new key) or VIGIL_SECRET_KEY_FILE to a file holding them; every process of one database needs the same key (`vigil serve --demo` makes its own)";

/// The secret key: VIGIL_SECRET_KEY, or the file VIGIL_SECRET_KEY_FILE
/// names; with neither, the demo's key file if there is one (`demo_file`).
pub fn secret_key(args: &SecretKeyArgs, demo_file: Option<&Path>) -> Result<SecretKey, Error> {
    match (&args.secret_key, &args.secret_key_file, demo_file) {
        (Some(_), Some(_), _) => Err(Error::Usage("the secret key is given twice (VIGIL_SECRET_KEY and VIGIL_SECRET_KEY_FILE): give one of them".into())),
        (Some(text), None, _) => SecretKey::parse(text).map_err(|e| Error::Usage(format!("VIGIL_SECRET_KEY: {e}"))),
        (None, Some(file), _) => read_key_file(file),
        (None, None, Some(file)) => demo::secret_key(file),
        (None, None, None) => Err(Error::Usage(NO_SECRET_KEY.into())),
    }
}

fn read_key_file(path: &Path) -> Result<SecretKey, Error> {
    SecretKey::read_file(path).map_err(|e| Error::Usage(e.to_string()))
}

fn default_credentials_file(url: &DatabaseUrl) -> PathBuf {
    url.sqlite_path()
        .and_then(|p| p.parent().map(|d| d.join("demo-credentials.txt")))
        .unwrap_or_else(|| PathBuf::from("data/demo-credentials.txt"))
}

fn report_seed(seeded: demo::Seeded) {
    match seeded {
        demo::Seeded::Created { credentials, file } => {
            println!("{credentials}(kept in {})", file.display());
        }
        demo::Seeded::AlreadyThere { file } => match std::fs::read_to_string(&file) {
            Ok(credentials) => println!("{credentials}(from {})", file.display()),
            Err(_) => println!("The demo organisation exists; its credentials file {} is gone. Create a new admin with `vigil user create`.", file.display()),
        },
    }
}

/// The password for `user create`: VIGIL_PASSWORD, else the first line of standard input.
fn read_password() -> Result<String, Error> {
    if let Ok(p) = std::env::var("VIGIL_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::Io { path: "standard input".into(), reason: e.to_string() })?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(Error::Usage("no password given: set VIGIL_PASSWORD or pipe it on standard input".into()));
    }
    Ok(password)
}
