//! The `vigil` binary meets bad configuration with one clear line, a
//! non-zero exit code and no panic.

use std::process::{Command, Output};

use crate::common::TEST_SECRET_KEY;

/// Runs `vigil` with `env` and nothing else of the caller's database or secret key.
fn vigil(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    cmd.args(args)
        .env_remove("DATABASE_URL")
        .env_remove("VIGIL_SECRET_KEY")
        .env_remove("VIGIL_SECRET_KEY_FILE")
        .env("VIGIL_LOG", "error")
        .env("VIGIL_BANKS_DIR", vigil::catalog::Catalog::shipped_dir());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run vigil")
}

/// Asserts a clean failure: exit code 1, no panic, a message containing `needle`.
fn assert_clean_failure(out: &Output, needle: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
    assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    stderr
}

#[test]
fn help_explains_the_commands() {
    let out = vigil(&["--help"], &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for word in ["serve", "migrate", "demo", "user", "analyze", "score", "calibrate"] {
        assert!(text.contains(word), "{word} missing from --help:\n{text}");
    }
    // The database option is offered where a database is used, and only there.
    let help = |args: &[&str]| String::from_utf8_lossy(&vigil(args, &[]).stdout).to_string();
    for command in [&["serve", "--help"][..], &["migrate", "--help"], &["invite", "--help"], &["demo", "seed", "--help"], &["user", "create", "--help"], &["responses", "export", "--help"]] {
        assert!(help(command).contains("DATABASE_URL"), "{command:?} should offer --database-url");
    }
    for command in [&["analyze", "--help"][..], &["score", "--help"], &["bank", "validate", "--help"], &["norms", "build", "--help"], &["calibrate", "--help"], &["simulate", "--help"], &["cat", "simulate", "--help"]] {
        let text = help(command);
        assert!(!text.contains("DATABASE_URL") && !text.contains("--database-url"), "{command:?} uses no database:\n{text}");
        assert!(text.contains("--bank") || text.contains("PATHS"), "{command:?}:\n{text}");
    }
}

/// `vigil analyze | head` and the like: when whoever reads the output has
/// gone, the command ends quietly and successfully, without a broken-pipe
/// error or a panic.
#[test]
fn a_closed_output_pipe_ends_a_file_command_quietly() {
    let dir = tempfile::tempdir().expect("dir");
    let banks = vigil::catalog::Catalog::shipped_dir();
    let bank = banks.join("svi/1.0.0.toml");
    let responses = dir.path().join("responses.csv");
    let simulated = vigil(&["simulate", "--bank", &bank.display().to_string(), "--model", &banks.join("svi/simulation/1.0.0.toml").display().to_string(), "--n", "50", "--out", &responses.display().to_string()], &[]);
    assert!(simulated.status.success(), "{}", String::from_utf8_lossy(&simulated.stderr));
    let runs: [Vec<String>; 3] = [
        vec!["analyze".into(), "--bank".into(), bank.display().to_string(), "--responses".into(), responses.display().to_string()],
        vec!["score".into(), "--bank".into(), bank.display().to_string(), "--responses".into(), responses.display().to_string()],
        vec!["bank".into(), "validate".into(), banks.display().to_string()],
    ];
    for args in runs {
        // A pipe whose reading end is closed before vigil starts: every write to it fails.
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_vigil")).args(&args).env("VIGIL_LOG", "error").stdout(writer).output().expect("run vigil");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(stderr.is_empty(), "{args:?} said: {stderr}");
    }
}

#[test]
fn an_unsupported_database_url_is_named_without_its_password() {
    let out = vigil(&["migrate"], &[("DATABASE_URL", "mysql://root:hunter2@db/vigil")]);
    let stderr = assert_clean_failure(&out, "is not supported");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn an_unreachable_database_is_named_without_its_password() {
    // Port 9 (discard) on loopback: nothing listens there.
    let out = vigil(&["migrate"], &[("DATABASE_URL", "postgres://vigil:hunter2@127.0.0.1:9/vigil")]);
    let stderr = assert_clean_failure(&out, "cannot connect to the database at postgres://vigil:***@127.0.0.1:9/vigil");
    assert!(stderr.contains("Check that the database server is running"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
}

#[test]
fn an_unwritable_data_directory_says_what_to_do() {
    let dir = tempfile::tempdir().expect("dir");
    // A file where the data directory should be: cannot be created by anyone, root included.
    let blocker = dir.path().join("data");
    std::fs::write(&blocker, b"not a directory").expect("blocker");
    let url = format!("sqlite://{}/vigil.db", blocker.display());
    let out = vigil(&["migrate"], &[("DATABASE_URL", &url)]);
    assert_clean_failure(&out, "cannot create the data directory");
}

/// A site folder with an empty front-end bundle (what `serve` checks for).
fn site_in(dir: &std::path::Path) -> String {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("site");
    for f in ["vigil.js", "vigil_bg.wasm", "vigil.css"] {
        std::fs::write(site.join("pkg").join(f), b"").expect("bundle file");
    }
    site.to_string_lossy().into_owned()
}

#[test]
fn a_port_in_use_is_reported_with_the_fix() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = busy.local_addr().expect("addr").to_string();
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/vigil.db", dir.path().display());
    let out = vigil(&["serve", "--listen", &addr, "--site-root", &site_in(dir.path())], &[("DATABASE_URL", &url), ("VIGIL_SECRET_KEY", TEST_SECRET_KEY)]);
    assert_clean_failure(&out, "Another program is using this port");
}

#[test]
fn serve_needs_a_well_formed_secret_key_and_touches_nothing_without_one() {
    let dir = tempfile::tempdir().expect("dir");
    let site = site_in(dir.path());
    let url = format!("sqlite://{}/vigil.db", dir.path().display());
    let serve = ["serve", "--listen", "127.0.0.1:0", "--site-root", site.as_str()];
    let stderr = assert_clean_failure(&vigil(&serve, &[("DATABASE_URL", &url)]), "no secret key");
    assert!(stderr.contains("VIGIL_SECRET_KEY") && stderr.contains("vigil secret-key new") && stderr.lines().count() == 1, "{stderr}");
    let stderr = assert_clean_failure(&vigil(&serve, &[("DATABASE_URL", &url), ("VIGIL_SECRET_KEY", "not-a-key")]), "64 hexadecimal digits");
    assert!(!stderr.contains("not-a-key"), "the key is not repeated: {stderr}");
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, "short\n").expect("key file");
    assert_clean_failure(&vigil(&serve, &[("DATABASE_URL", &url), ("VIGIL_SECRET_KEY_FILE", &key_file.to_string_lossy())]), "has 5 characters");
    assert_clean_failure(&vigil(&serve, &[("DATABASE_URL", &url), ("VIGIL_SECRET_KEY", TEST_SECRET_KEY), ("VIGIL_SECRET_KEY_FILE", &key_file.to_string_lossy())]), "given twice");
    assert!(!dir.path().join("vigil.db").exists(), "no database was made");

    let new = vigil(&["secret-key", "new"], &[]);
    let printed = String::from_utf8_lossy(&new.stdout).trim().to_string();
    assert!(new.status.success() && printed.len() == 64 && printed.chars().all(|c| c.is_ascii_hexdigit()), "{printed}");
    assert_ne!(String::from_utf8_lossy(&vigil(&["secret-key", "new"], &[]).stdout).trim(), printed, "a new key each time");
}

#[test]
fn a_rotated_key_is_the_only_key_the_database_accepts() {
    let dir = tempfile::tempdir().expect("dir");
    let site = site_in(dir.path());
    let url = format!("sqlite://{}/vigil.db", dir.path().display());
    let new_key = dir.path().join("new.key");
    std::fs::write(&new_key, format!("{}\n", vigil::sealing::SecretKey::generate().to_hex())).expect("new key");
    let new_key = new_key.to_string_lossy().into_owned();
    let rotate = |current: &str, file: &str| vigil(&["secret-key", "rotate", "--new-key-file", file], &[("DATABASE_URL", &url), ("VIGIL_SECRET_KEY", current)]);

    let same = dir.path().join("same.key");
    std::fs::write(&same, TEST_SECRET_KEY).expect("same key");
    assert_clean_failure(&rotate(TEST_SECRET_KEY, &same.to_string_lossy()), "holds the current key");
    let out = rotate(TEST_SECRET_KEY, &new_key);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("sealed with the new key"), "{}", String::from_utf8_lossy(&out.stdout));
    // The database now has the new key: the old one is refused, for rotating and for serving.
    assert_clean_failure(&rotate(TEST_SECRET_KEY, &new_key), "not the key this database's secrets are sealed with");
    let serve = ["serve", "--listen", "127.0.0.1:0", "--site-root", site.as_str()];
    let stderr = assert_clean_failure(&vigil(&serve, &[("DATABASE_URL", &url), ("VIGIL_SECRET_KEY", TEST_SECRET_KEY)]), "Start every process of one database with the same key");
    assert!(!stderr.contains(TEST_SECRET_KEY), "the key itself is never printed: {stderr}");
}

#[test]
fn a_missing_front_end_bundle_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/vigil.db", dir.path().display());
    let out = vigil(&["serve", "--listen", "127.0.0.1:0", "--site-root", "/nonexistent/site"], &[("DATABASE_URL", &url)]);
    assert_clean_failure(&out, "has no front-end bundle");
}

#[test]
fn a_database_from_a_newer_vigil_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/vigil.db", dir.path().display());
    assert!(vigil(&["migrate"], &[("DATABASE_URL", &url)]).status.success());
    let db = dir.path().join("vigil.db");
    let status = Command::new("python3")
        .args(["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99999999999999, 'future', 1, x'00', 0)\"); c.commit()", &db.to_string_lossy()])
        .status()
        .expect("python3");
    assert!(status.success());
    let out = vigil(&["migrate"], &[("DATABASE_URL", &url)]);
    assert_clean_failure(&out, "newer than this vigil knows");
}

#[test]
fn user_create_makes_an_admin_who_can_be_found() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/vigil.db", dir.path().display());
    let out = vigil(
        &["user", "create", "--org", "acme", "--org-name", "Acme Ltd", "--email", "Boss@Acme.test", "--name", "Bo Boss"],
        &[("DATABASE_URL", &url), ("VIGIL_PASSWORD", "a long enough password")],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created admin boss@acme.test in organisation acme"));
    let short = vigil(
        &["user", "create", "--org", "acme", "--email", "x@acme.test", "--name", "X"],
        &[("DATABASE_URL", &url), ("VIGIL_PASSWORD", "short")],
    );
    assert_clean_failure(&short, "at least 12 characters");
}

#[test]
fn cat_simulate_prints_cat_next_to_the_full_form() {
    let bank = vigil::catalog::Catalog::shipped_dir().join("svi/1.1.0.toml");
    let out = vigil(&["cat", "simulate", "--bank", &bank.to_string_lossy(), "--scale", "vigilance", "--n", "200", "--se", "0.30", "--seed", "3"], &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("vigilance") && text.contains("CAT") && text.to_lowercase().contains("full"), "{text}");
    let uncalibrated = vigil::catalog::Catalog::shipped_dir().join("pulse/1.0.0.toml");
    let refused = vigil(&["cat", "simulate", "--bank", &uncalibrated.to_string_lossy(), "--n", "10"], &[]);
    assert_clean_failure(&refused, "");
}

#[test]
fn calibrate_writes_a_new_draft_bank_that_validates() {
    let dir = tempfile::tempdir().expect("dir");
    let banks = vigil::catalog::Catalog::shipped_dir();
    let bank = banks.join("sjs/1.0.0.toml");
    let csv = dir.path().join("r.csv");
    let sim = vigil(&["simulate", "--bank", &bank.to_string_lossy(), "--model", &banks.join("sjs/simulation/1.0.0.toml").to_string_lossy(), "--n", "1500", "--seed", "5", "--out", &csv.to_string_lossy()], &[]);
    assert!(sim.status.success(), "{}", String::from_utf8_lossy(&sim.stderr));
    let out_bank = dir.path().join("sjs-1.0.1.toml");
    let cal = vigil(&["calibrate", "--bank", &bank.to_string_lossy(), "--responses", &csv.to_string_lossy(), "--out", &out_bank.to_string_lossy(), "--demonstration"], &[]);
    assert!(cal.status.success(), "{}", String::from_utf8_lossy(&cal.stderr));
    let written = std::fs::read_to_string(&out_bank).expect("new bank");
    assert!(written.contains("grm") && written.contains("demonstration") && written.contains("status = \"draft\""), "new draft with parameters");
    let check = vigil(&["bank", "validate", &out_bank.to_string_lossy()], &[]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    // Publishing records the hash; a published bank is never overwritten by calibrate.
    assert!(vigil(&["bank", "publish", &out_bank.to_string_lossy()], &[]).status.success());
    let again = vigil(&["calibrate", "--bank", &bank.to_string_lossy(), "--responses", &csv.to_string_lossy(), "--out", &out_bank.to_string_lossy()], &[]);
    assert_eq!(again.status.code(), Some(1));
}
