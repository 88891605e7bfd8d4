//! The `vigil` command line.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::{
    config::{DatabaseUrl, DEFAULT_DATABASE_URL},
    store::Role,
    telemetry::LogFormat,
};

/// Vigil: psychometric screening for security values.
///
/// Every option can also be set by the environment variable shown in
/// brackets. Start with `vigil serve` (SQLite under ./data by default).
#[derive(Debug, Parser)]
#[command(name = "vigil", version, about, long_about, propagate_version = true)]
pub struct Cli {
    /// Log filter, e.g. info, debug, or vigil=debug,sqlx=warn.
    #[arg(long, env = "VIGIL_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Log format: text for people, json for log collectors.
    #[arg(long, env = "VIGIL_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

/// The database, for the commands that use one (the file commands do not).
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database: sqlite://PATH (embedded, the default) or
    /// postgres://USER:PASSWORD@HOST:PORT/DB.
    /// (Checked after parsing, so that a password never appears in an error.)
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: String,
}

impl DatabaseArgs {
    /// The validated database URL.
    pub fn database(&self) -> Result<DatabaseUrl, crate::config::ConfigError> {
        self.database_url.parse()
    }
}

/// The key that seals secrets at rest (see `crate::sealing`).
#[derive(Debug, Clone, Default, Args)]
pub struct SecretKeyArgs {
    /// The key that seals second-factor and webhook secrets in the
    /// database: 64 hexadecimal digits (`vigil secret-key new` prints a new
    /// one). Every process of one database needs the same key. Prefer the
    /// environment variable or a file: a command-line argument is visible to
    /// other users of the machine.
    #[arg(long, env = "VIGIL_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// A file holding the secret key (64 hexadecimal digits).
    #[arg(long, env = "VIGIL_SECRET_KEY_FILE")]
    pub secret_key_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web application (migrates the database first).
    Serve(ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate {
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Copy the whole database into a new file while Vigil serves, with a
    /// manifest beside it (<FILE>.manifest.json: every table's rows and
    /// content checksum). PostgreSQL needs pg_dump.
    Backup {
        #[command(flatten)]
        db: DatabaseArgs,
        /// The backup file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into an empty database, checking the file against
    /// its manifest first and the restored database after. PostgreSQL needs
    /// pg_restore.
    Restore {
        #[command(flatten)]
        db: DatabaseArgs,
        /// The backup file (its manifest beside it).
        file: PathBuf,
    },
    /// The key that seals second-factor and webhook secrets at rest.
    #[command(subcommand)]
    SecretKey(SecretKeyCommand),
    /// Demonstration data.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Invite a candidate to a campaign and print their personal link.
    Invite {
        #[command(flatten)]
        db: DatabaseArgs,
        /// Organisation short name.
        #[arg(long)]
        org: String,
        /// Campaign id or exact name (may be left out when the organisation has one campaign).
        #[arg(long)]
        campaign: Option<String>,
        /// The candidate's name (optional; shown to recruiters).
        #[arg(long)]
        name: Option<String>,
        /// The candidate's e-mail address (optional; for the invitation e-mail).
        #[arg(long)]
        email: Option<String>,
        /// Language of the candidate pages: en or de.
        #[arg(long, default_value = "en")]
        language: String,
        /// Where candidates reach Vigil, for the printed link.
        #[arg(long, env = "VIGIL_PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
        base_url: String,
        /// How many invitations to create (one link per line; for load tests and bulk invitations).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        count: u32,
    },
    /// Collected responses, for analysis outside Vigil.
    #[command(subcommand)]
    Responses(ResponsesCommand),
    /// Item banks: validate and hash bank files (no database needed).
    #[command(subcommand)]
    Bank(BankCommand),
    /// Item analysis and reliability of response data, as JSON.
    Analyze {
        /// Bank file (TOML) the responses answer.
        #[arg(long)]
        bank: PathBuf,
        /// Response CSV: one row per respondent, column `respondent`, then one column per item id (see README).
        #[arg(long)]
        responses: PathBuf,
        /// Write here (atomically) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Score response data: scale scores, norm-referenced scores with 90% bands, validity.
    Score {
        /// Bank file (TOML) the responses answer.
        #[arg(long)]
        bank: PathBuf,
        /// Norm table; without it only raw scores are given.
        #[arg(long)]
        norms: Option<PathBuf>,
        /// Response CSV: column `respondent`, then one column per item id.
        #[arg(long)]
        responses: PathBuf,
        /// Output format: csv (one row per respondent) or json (the full reports).
        #[arg(long, value_enum, default_value = "csv")]
        format: OutputFormat,
        /// Write here (atomically) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Norm tables.
    #[command(subcommand)]
    Norms(NormsCommand),
    /// Calibrate a bank's scales (graded response model, MML-EM) from response data
    /// and write a new draft bank file with the parameters.
    Calibrate {
        /// Bank file (TOML) to calibrate.
        #[arg(long)]
        bank: PathBuf,
        /// Response CSV: column `respondent`, then one column per item id.
        #[arg(long)]
        responses: PathBuf,
        /// The new bank file (never a published one).
        #[arg(long)]
        out: PathBuf,
        /// Only this scale (default: every scale with Likert or scenario items).
        #[arg(long)]
        scale: Option<String>,
        /// The responses were simulated: mark the parameters "demonstration".
        #[arg(long)]
        demonstration: bool,
    },
    /// Adaptive testing.
    #[command(subcommand)]
    Cat(CatCommand),
    /// Simulate respondents from a bank's population model (seeded), as a response CSV.
    Simulate {
        /// Bank file (TOML) to simulate answers to.
        #[arg(long)]
        bank: PathBuf,
        /// Population model (e.g. assessments/banks/svi/simulation/1.0.0.toml).
        #[arg(long)]
        model: PathBuf,
        /// Number of respondents.
        #[arg(long, default_value_t = 1000)]
        n: usize,
        /// Random seed: the same seed gives the same respondents.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Share of careless responders (overrides the model's).
        #[arg(long)]
        careless_share: Option<f64>,
        /// The response CSV to write (atomically).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// Required; with --demo and no key given, the demo's own key file
    /// (secret.key beside the demo credentials) is used, and made on first use.
    #[command(flatten)]
    pub key: SecretKeyArgs,
    /// Address and port to listen on.
    #[arg(long, env = "VIGIL_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,
    /// Folder with the built front end (pkg/vigil.js, pkg/vigil_bg.wasm, pkg/vigil.css).
    #[arg(long, env = "VIGIL_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Seed the demo organisation if the database has no organisation yet.
    #[arg(long, env = "VIGIL_DEMO")]
    pub demo: bool,
    /// Folder of item banks: <instrument>/<version>.toml, norms/, simulation/<version>.toml.
    #[arg(long, env = "VIGIL_BANKS_DIR", default_value = "assessments/banks")]
    pub banks: PathBuf,
    /// Where --demo keeps the demo credentials (default: next to the SQLite file, else ./data).
    #[arg(long, env = "VIGIL_DEMO_CREDENTIALS")]
    pub demo_credentials: Option<PathBuf>,
    /// Vigil is reached over HTTPS (directly or behind a TLS proxy): staff
    /// session cookies get `Secure` and the `__Host-` prefix.
    #[arg(long, env = "VIGIL_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// A reverse proxy in front of Vigil: an IP address or a CIDR range.
    /// Repeat the flag for several; the environment variable takes a
    /// comma-separated list. Only for requests from these addresses is the
    /// client taken from X-Forwarded-For (its right-most address that is not
    /// itself a trusted proxy); from anyone else the header is ignored.
    #[arg(long = "trusted-proxy", env = "VIGIL_TRUSTED_PROXIES", value_name = "IP|CIDR", value_delimiter = ',', value_parser = crate::config::parse_trusted_proxy)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Where candidates reach Vigil (e.g. https://assess.example.org), for
    /// the links in invitation e-mails. Without it, links use the address
    /// the recruiter's browser used.
    #[arg(long, env = "VIGIL_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// SMTP server for invitation e-mails: smtps://user:password@mail.example.org:465 (TLS)
    /// or smtp://user:password@mail.example.org:587?tls=required (STARTTLS); a plain
    /// smtp://host:25 is unencrypted (a relay on the same machine only). Without it,
    /// e-mails wait in the in-app outbox.
    #[arg(long, env = "VIGIL_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender of invitation e-mails, e.g. "Example Ltd recruiting <no-reply@example.org>".
    #[arg(long, env = "VIGIL_MAIL_FROM", default_value = "Vigil <no-reply@localhost>")]
    pub mail_from: String,
    /// Days a candidate's name and e-mail address are kept after their
    /// recruitment ended (the link ran out, and no completion, withdrawal or
    /// decision came later); then they are erased, and the answers and
    /// scores stay without a name. The privacy notice says "normally 6 months".
    #[arg(long, env = "VIGIL_CANDIDATE_RETENTION_DAYS", default_value_t = crate::cleanup::DEFAULT_RETENTION_DAYS, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub candidate_retention_days: u32,
    /// Let webhook endpoints be this machine over plain HTTP
    /// (http://127.0.0.1:…, http://localhost:…): for development and tests
    /// only. Otherwise endpoints must be public https:// addresses.
    #[arg(long, env = "VIGIL_WEBHOOKS_ALLOW_LOOPBACK")]
    pub webhooks_allow_loopback: bool,
    /// SQLite: when a commit (an acknowledged answer) counts as done.
    /// normal: written but not flushed, so it survives a killed Vigil but not
    /// an operating-system crash or power cut; full: flushed to the disk, so
    /// it survives those too, at about three times the answer-save p99 (see
    /// docs/operations.md). PostgreSQL follows its server's synchronous_commit.
    #[arg(long, env = "VIGIL_SQLITE_SYNCHRONOUS", value_enum, default_value_t)]
    pub sqlite_synchronous: crate::store::SqliteSynchronous,
}

#[derive(Debug, Subcommand)]
pub enum SecretKeyCommand {
    /// Print a new random key (64 hexadecimal digits), for VIGIL_SECRET_KEY
    /// or a key file. Changes nothing.
    New,
    /// Seal every secret in the database again with a new key, in one
    /// transaction, and make it the database's key. Stop every `vigil serve`
    /// of the database first, and start them again with the new key.
    Rotate {
        #[command(flatten)]
        db: DatabaseArgs,
        /// The current key.
        #[command(flatten)]
        key: SecretKeyArgs,
        /// A file holding the new key (64 hexadecimal digits).
        #[arg(long)]
        new_key_file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Create the demo organisation, its staff accounts and a demo campaign
    /// (does nothing if it exists). Prints the demo credentials.
    Seed {
        #[command(flatten)]
        db: DatabaseArgs,
        /// Where to keep the generated demo credentials (default: next to the SQLite file, else ./data).
        #[arg(long)]
        credentials_file: Option<PathBuf>,
        /// Folder of item banks (for the simulated candidates).
        #[arg(long, env = "VIGIL_BANKS_DIR", default_value = "assessments/banks")]
        banks: PathBuf,
    },
    /// Add simulated participants to the demo's norming study (a campaign
    /// taking SVI 1.0.0), enough to try the norm builder (200 or more).
    NormingStudy {
        #[command(flatten)]
        db: DatabaseArgs,
        /// How many participants to add.
        #[arg(long, default_value_t = 220)]
        participants: usize,
        /// Folder of item banks (for the simulated participants).
        #[arg(long, env = "VIGIL_BANKS_DIR", default_value = "assessments/banks")]
        banks: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ResponsesCommand {
    /// Write the item-level answers of one bank version's completed sessions
    /// without identities: responses.csv (the layout `vigil analyze` reads,
    /// pseudonymous respondents, latencies), sessions.csv (campaign, day,
    /// language, adaptive, validity), the codebook (codebook.csv, .json) and
    /// the item analysis of the same sessions (analysis.json).
    Export {
        #[command(flatten)]
        db: DatabaseArgs,
        /// Organisation short name.
        #[arg(long)]
        org: String,
        /// The bank version, as instrument@version (e.g. svi@1.1.0).
        #[arg(long)]
        bank: String,
        /// Folder to write the files into (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Folder of item banks: <instrument>/<version>.toml.
        #[arg(long, env = "VIGIL_BANKS_DIR", default_value = "assessments/banks")]
        banks: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account, e.g. the first admin of a new organisation.
    /// The password is read from VIGIL_PASSWORD or, if unset, from the first line of standard input.
    Create {
        #[command(flatten)]
        db: DatabaseArgs,
        /// Organisation short name (created if it does not exist; then --org-name is its display name).
        #[arg(long)]
        org: String,
        /// Display name of a new organisation.
        #[arg(long)]
        org_name: Option<String>,
        /// The person's e-mail address (their sign-in name).
        #[arg(long)]
        email: String,
        /// The person's name as colleagues see it.
        #[arg(long)]
        name: String,
        /// admin, recruiter or psychologist.
        #[arg(long, value_parser = parse_role, default_value = "admin")]
        role: Role,
    },
}


#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// Check bank files, norm tables and population models (files or folders):
    /// structure, references, translations, thresholds, content hashes.
    Validate {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print the canonical content hash of a bank file.
    Hash { path: PathBuf },
    /// Publish a draft bank: validate it and record status "published" and its content hash.
    Publish { path: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum CatCommand {
    /// Simulation study: CAT and the full fixed form side by side (items used,
    /// final SE, correlation and RMSE with the true theta, maximum exposure).
    Simulate {
        /// Bank file (TOML) with IRT parameters.
        #[arg(long)]
        bank: PathBuf,
        /// One scale (default: every calibrated scale).
        #[arg(long)]
        scale: Option<String>,
        /// Number of simulated candidates.
        #[arg(long, default_value_t = 1000)]
        n: usize,
        /// Target standard error (default: the bank's [cat] setting, else 0.30).
        #[arg(long)]
        se: Option<f64>,
        /// Random seed: the same seed gives the same study.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum NormsCommand {
    /// Build a norm table from response data and write it (atomically) as TOML.
    Build {
        /// Bank file (TOML) the responses answer.
        #[arg(long)]
        bank: PathBuf,
        /// Response CSV of the norm group: column `respondent`, then one column per item id.
        #[arg(long)]
        responses: PathBuf,
        /// The norm table file to write (atomically).
        #[arg(long)]
        out: PathBuf,
        /// Norm table id, e.g. svi-1.0.0-uk-analysts-2027.
        #[arg(long)]
        id: String,
        /// Describe the norm group (English).
        #[arg(long)]
        group: String,
        /// The same in German (defaults to the English text).
        #[arg(long)]
        group_de: Option<String>,
        /// Country of the norm group (an ISO code, or "international").
        #[arg(long, default_value = "international")]
        country: String,
        /// Role family of the norm group, e.g. "security operations".
        #[arg(long, default_value = "all")]
        role_family: String,
        /// First collection date (YYYY-MM-DD).
        #[arg(long)]
        collected_from: String,
        /// Last collection date (YYYY-MM-DD).
        #[arg(long)]
        collected_to: String,
        /// The respondents were simulated: label the table "demonstration norms - not for decisions".
        #[arg(long)]
        demonstration: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Csv,
    Json,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("unknown role {s:?}: use admin, recruiter, psychologist or security"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn trusted_proxies_come_from_repeated_flags_or_a_comma_separated_list() {
        let serve = |args: &[&str]| match Cli::try_parse_from(args).expect("parses").command {
            Command::Serve(serve) => serve.trusted_proxies.iter().map(ToString::to_string).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(serve(&["vigil", "serve", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "::1"]), ["10.0.0.0/8", "::1/128"]);
        assert_eq!(serve(&["vigil", "serve", "--trusted-proxy", "10.0.0.5, 192.0.2.0/24"]), ["10.0.0.5/32", "192.0.2.0/24"]);
        assert!(serve(&["vigil", "serve"]).is_empty(), "nobody is trusted by default");
        let err = Cli::try_parse_from(["vigil", "serve", "--trusted-proxy", "proxy.example"]).expect_err("refused").to_string();
        assert!(err.contains("neither an IP address nor a CIDR range"), "{err}");
    }

    /// `vigil serve`'s arguments as parsed, or clap's message.
    fn serve_args(args: &[&str]) -> Result<ServeArgs, String> {
        match Cli::try_parse_from(args).map(|c| c.command) {
            Ok(Command::Serve(serve)) => Ok(serve),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn candidates_are_kept_183_days_unless_told_between_1_and_3650() {
        let days = |args: &[&str]| serve_args(args).map(|serve| serve.candidate_retention_days);
        assert_eq!(days(&["vigil", "serve"]), Ok(183));
        assert_eq!(days(&["vigil", "serve", "--candidate-retention-days", "30"]), Ok(30));
        for bad in ["0", "3651", "six months"] {
            assert!(days(&["vigil", "serve", "--candidate-retention-days", bad]).is_err(), "{bad} refused");
        }
    }

    #[test]
    fn sqlite_commits_are_flushed_to_the_disk_only_when_asked() {
        let synchronous = |args: &[&str]| serve_args(args).map(|serve| serve.sqlite_synchronous);
        assert_eq!(synchronous(&["vigil", "serve"]), Ok(crate::store::SqliteSynchronous::Normal));
        assert_eq!(synchronous(&["vigil", "serve", "--sqlite-synchronous", "full"]), Ok(crate::store::SqliteSynchronous::Full));
        assert!(synchronous(&["vigil", "serve", "--sqlite-synchronous", "off"]).is_err());
    }

    /// Every option of every command says what it is for, and only the
    /// commands that use a database offer the database option.
    #[test]
    fn every_option_is_described_and_file_commands_have_no_database_option() {
        fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<String>, db_commands: &mut Vec<String>) {
            let here = format!("{path} {}", cmd.get_name());
            for arg in cmd.get_arguments().filter(|a| !a.is_positional() && a.get_id() != "help" && a.get_id() != "version") {
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    out.push(format!("{here} --{}", arg.get_long().unwrap_or_default()));
                }
                if arg.get_id() == "database_url" {
                    db_commands.push(here.trim().to_string());
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &here, out, db_commands);
            }
        }
        let (mut undescribed, mut db_commands) = (Vec::new(), Vec::new());
        walk(&Cli::command(), "", &mut undescribed, &mut db_commands);
        assert!(undescribed.is_empty(), "options without a description: {undescribed:?}");
        db_commands.sort();
        assert_eq!(db_commands, ["vigil backup", "vigil demo norming-study", "vigil demo seed", "vigil invite", "vigil migrate", "vigil responses export", "vigil restore", "vigil secret-key rotate", "vigil serve", "vigil user create"]);
    }

    #[test]
    fn a_bad_database_url_is_refused_without_its_password() {
        let cli = Cli::try_parse_from(["vigil", "migrate", "--database-url", "mysql://u:topsecret@h/db"]).expect("parses");
        let Command::Migrate { db } = cli.command else { panic!("migrate") };
        let err = db.database().unwrap_err().to_string();
        assert!(err.contains("not supported"), "{err}");
        assert!(!err.contains("topsecret"), "{err}");
    }
}
