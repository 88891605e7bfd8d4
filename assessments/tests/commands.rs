//! End-to-end: the command functions the CLI calls, on files, including bad
//! input. Every failure must be a clear error naming the place, and nothing
//! may be half-written.

use std::path::{Path, PathBuf};

use assessments::commands::{
    analyze, bank_hash, build_norms, score, simulate_responses, validate_banks, write_scores_csv,
    write_scores_json, CommandError, FileKind, Limits,
};
use assessments::norms::NormMeta;
use assessments::responses::ResponsesError;
use assessments::simulate::SimulationOptions;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn meta() -> NormMeta {
    NormMeta {
        id: "svi-like-0.1.0-demo".into(),
        demonstration: true,
        group: [("en".to_string(), "Demonstration sample (simulated)".to_string())].into(),
        country: "international".into(),
        role_family: "all".into(),
        collected_from: "2026-11-23".into(),
        collected_to: "2026-11-23".into(),
    }
}

fn simulate(dir: &Path, n: usize) -> PathBuf {
    let csv = dir.join("sim.csv");
    let count = simulate_responses(
        &fixtures().join("svi_like.toml"),
        &fixtures().join("svi_like_simulation.toml"),
        &SimulationOptions { n, seed: 5, ..Default::default() },
        &csv,
        &Limits::default(),
    )
    .expect("simulate");
    assert_eq!(count, n);
    csv
}

#[test]
fn fixtures_validate() {
    let r = validate_banks(&[fixtures()], &Limits::default());
    assert!(r.ok, "{r:#?}");
    assert!(r.files.iter().any(|f| f.kind == FileKind::Bank));
    assert!(r.files.iter().any(|f| f.kind == FileKind::SimulationModel));
    let h = bank_hash(&fixtures().join("svi_like.toml"), &Limits::default()).expect("hash");
    assert!(h.starts_with("sha256:") && h.len() == 71);
}

#[test]
fn simulate_analyze_norm_and_score() {
    let dir = tempfile::tempdir().unwrap();
    let bank = fixtures().join("svi_like.toml");
    let csv = simulate(dir.path(), 600);
    let a = analyze(&bank, &csv, &Limits::default()).expect("analyze");
    assert_eq!(a.sessions, 600);
    assert_eq!(a.scales.len(), 9);
    for s in a.scales.iter().filter(|s| s.scale != "im") {
        assert!(s.alpha.unwrap() >= 0.80, "{}: alpha {:?}", s.scale, s.alpha);
        let [lo, hi] = s.alpha_ci95.unwrap();
        assert!(lo < s.alpha.unwrap() && s.alpha.unwrap() < hi);
        assert_eq!(s.item_stats.len(), 8);
        // reverse-keyed items correlate positively after keying
        assert!(s.item_stats.iter().all(|i| i.corrected_item_total.unwrap() > 0.3));
    }
    let json = serde_json::to_value(&a).unwrap();
    assert!(json["scales"][0]["item_stats"][0]["distribution"]["1"].is_number());

    let norms_path = dir.path().join("norms/demo.toml");
    std::fs::create_dir_all(norms_path.parent().unwrap()).unwrap();
    let table = build_norms(&bank, &csv, &meta(), &norms_path, &Limits::default()).expect("norms");
    assert!(table.demonstration);
    assert_eq!(table.scales.len(), 9);
    let written = std::fs::read_to_string(&norms_path).unwrap();
    assert!(written.contains("content_hash = \"sha256:"));
    // only the norm file was written into norms/ (no leftovers)
    assert_eq!(std::fs::read_dir(norms_path.parent().unwrap()).unwrap().count(), 1);

    let rows = score(&bank, Some(&norms_path), &csv, &Limits::default()).expect("score");
    assert_eq!(rows.len(), 600);
    let r0 = &rows[0].classical.scores;
    assert_eq!(r0.provenance.norm_table_id.as_deref(), Some("svi-like-0.1.0-demo"));
    assert!(r0.provenance.demonstration);
    assert_eq!(r0.provenance.norm_table_hash, table.content_hash);
    let mot = r0.scale("motivation").unwrap().normed.unwrap();
    assert!(mot.demonstration);
    assert!((1..=10).contains(&mot.point.sten));
    // norm-group T scores average about 50 with SD about 10
    let ts: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.classical.scores.scale("motivation").and_then(|s| s.normed).map(|n| f64::from(n.point.t)))
        .collect();
    let m = ts.iter().sum::<f64>() / ts.len() as f64;
    assert!((m - 50.0).abs() < 1.0, "mean T {m}");
    // some careless respondents are flagged, most are not
    let flagged = rows.iter().filter(|r| r.classical.validity.status != assessments::validity::Status::Ok).count();
    assert!(flagged > 5 && flagged < 200, "{flagged} flagged");

    let mut out = Vec::new();
    write_scores_csv(&rows, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 601);
    assert!(text.lines().next().unwrap().contains("motivation_t_lo"));
    let mut out = Vec::new();
    write_scores_json(&rows, &mut out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(600));

    // without norms: raw scores only
    let raw = score(&bank, None, &csv, &Limits::default()).expect("score raw");
    assert!(raw[0].classical.scores.scales.iter().all(|s| s.normed.is_none()));
}

#[test]
fn bad_input_gets_clear_errors_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bank = fixtures().join("svi_like.toml");
    let out = dir.path().join("norms.toml");
    let lim = Limits::default();
    let norms = |csv: &Path| build_norms(&bank, csv, &meta(), &out, &lim).unwrap_err().to_string();

    // empty file
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    assert!(norms(&empty).contains("empty.csv: the file is empty"), "{}", norms(&empty));

    // unknown item column
    let unknown = dir.path().join("unknown.csv");
    std::fs::write(&unknown, "respondent,motivation-01,nonsense-99\np1,3,4\n").unwrap();
    let e = norms(&unknown);
    assert!(e.contains("unknown.csv:1, column 3 (`nonsense-99`): unknown item column"), "{e}");

    // value outside the response scale
    let outside = dir.path().join("outside.csv");
    std::fs::write(&outside, "respondent,motivation-01\np1,3\np2,7\n").unwrap();
    let e = norms(&outside);
    assert!(e.contains("outside.csv:3, column 2 (`motivation-01`): value 7 is outside the response scale 1..5"), "{e}");

    // a 1 GB file (sparse) is refused before reading
    let huge = dir.path().join("huge.csv");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(1 << 30).unwrap();
    let e = build_norms(&bank, &huge, &meta(), &out, &lim).unwrap_err();
    assert!(matches!(e, CommandError::Responses(ResponsesError::TooLarge { size, .. }) if size == 1 << 30), "{e}");
    assert!(e.to_string().contains("huge.csv: the file is 1073741824 bytes, more than the limit"), "{e}");

    // malformed TOML bank
    let bad_bank = dir.path().join("bad.toml");
    std::fs::write(&bad_bank, "[instrument]\nid = \"x\"\nversion = \"1.0.0\n").unwrap();
    let e = analyze(&bad_bank, &empty, &lim).unwrap_err().to_string();
    assert!(e.contains("bad.toml:3:"), "{e}");
    let r = validate_banks(std::slice::from_ref(&bad_bank), &lim);
    assert!(!r.ok && r.files[0].problems[0].contains("bad.toml:3"), "{r:#?}");

    // none of the failures left any file behind
    assert!(!out.exists());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");

    // a missing file names the path
    let e = analyze(&dir.path().join("nope.toml"), &empty, &lim).unwrap_err().to_string();
    assert!(e.contains("nope.toml"), "{e}");
}

#[test]
fn norms_for_another_bank_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bank = fixtures().join("svi_like.toml");
    let csv = simulate(dir.path(), 250);
    let norms_path = dir.path().join("n.toml");
    build_norms(&bank, &csv, &meta(), &norms_path, &Limits::default()).expect("norms");
    // a changed bank (new content, same id/version) no longer matches the norm table
    let changed = dir.path().join("changed.toml");
    let src = std::fs::read_to_string(&bank).unwrap().replace("Statement motivation-01.", "Changed.");
    std::fs::write(&changed, src).unwrap();
    let e = score(&changed, Some(&norms_path), &csv, &Limits::default()).unwrap_err().to_string();
    assert!(e.contains("bank_hash") && e.contains("does not match"), "{e}");
}

/// On a bank with IRT parameters `vigil score` gives theta (EAP), its SE and
/// person fit per calibrated scale next to the classical score, and EAP
/// scores a pattern the 80% rule leaves unscored.
#[test]
fn score_on_a_calibrated_bank_adds_theta_its_se_and_person_fit() {
    let dir = tempfile::tempdir().unwrap();
    let banks = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("banks");
    let bank_path = banks.join("svi/1.0.0.toml");
    let csv = dir.path().join("svi.csv");
    let options = SimulationOptions { n: 40, seed: 5, careless_share: Some(0.0), latencies: false, ..Default::default() };
    simulate_responses(&bank_path, &banks.join("svi/simulation/1.0.0.toml"), &options, &csv, &Limits::default()).unwrap();
    // The first respondent leaves half of the security_motivation items out.
    let bank = assessments::commands::load_bank(&bank_path, &Limits::default()).unwrap();
    let motivation: Vec<String> = bank.items_of_scale("security_motivation").iter().map(|item| item.id.clone()).collect();
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<String> = lines[0].split(',').map(|h| h.trim_matches('"').to_string()).collect();
    let blank: Vec<usize> = header.iter().enumerate().filter(|(_, h)| motivation[..motivation.len() / 2].iter().any(|m| m == *h)).map(|(c, _)| c).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    for &c in &blank {
        cells[c] = String::new();
    }
    lines[1] = cells.join(",");
    std::fs::write(&csv, lines.join("\n") + "\n").unwrap();

    let rows = score(&bank_path, None, &csv, &Limits::default()).expect("score");
    let first = &rows[0];
    let classical = first.classical.scores.scale("security_motivation").unwrap();
    assert!(!classical.scorable && classical.raw.is_none(), "half the items: no classical score");
    let irt = &first.irt.iter().find(|i| i.score.scale == "security_motivation").expect("an EAP score").score;
    assert!(irt.theta.is_finite() && irt.se > 0.0 && irt.se < 1.0, "{irt:?}");
    assert_eq!(irt.answered, motivation.len() - motivation.len() / 2);
    // The same numbers as the engine's own EAP on the same answers.
    let sessions = assessments::commands::load_responses(&csv, &bank, &Limits::default()).unwrap();
    let engine = assessments::adaptive::score_session(&bank, &sessions[0]).unwrap();
    assert_eq!(first.irt.iter().map(|i| i.score.clone()).collect::<Vec<_>>(), engine);
    assert!(first.irt.iter().all(|i| i.normed.is_none()), "no norms given: theta only");

    let mut out = Vec::new();
    write_scores_csv(&rows, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let head = reader.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {head:?}"));
    let (raw, theta, se, lz) = (col("security_motivation_raw"), col("security_motivation_theta"), col("security_motivation_theta_se"), col("security_motivation_lz_star"));
    assert_eq!(theta, raw + 13, "theta follows the scale's classical columns");
    let record = reader.records().next().unwrap().unwrap();
    assert_eq!(&record[raw], "");
    assert_eq!(record[theta].parse::<f64>().unwrap(), irt.theta);
    assert_eq!(record[se].parse::<f64>().unwrap(), irt.se);
    assert_eq!(record[lz].is_empty(), irt.lz_star.is_none(), "person fit only from 10 answered items on");
    let mut out = Vec::new();
    write_scores_json(&rows, &mut out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(v[0]["irt"].as_array().is_some_and(|a| !a.is_empty()) && v[0]["scores"].is_object());
}
