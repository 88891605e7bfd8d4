//! Bank files: parsing, validation with lines, the content hash.

use super::*;

/// A small valid bank used across the crate's tests: one trait scale of 4
/// Likert items (two reverse-keyed), an impression-management scale of 3,
/// a judgement scale of 3 SJT items and two check items.
pub(crate) const MINI: &str = r#"
[instrument]
id = "mini"
version = "1.0.0"
status = "draft"
languages = ["en", "de"]
title = { en = "Mini", de = "Mini" }

[[response_scales]]
id = "agree5"
min = 1
max = 5
labels = { en = ["1", "2", "3", "4", "5"], de = ["1", "2", "3", "4", "5"] }

[[scales]]
id = "motivation"
kind = "trait"
name = { en = "Motivation", de = "Motivation" }
facets = ["f1"]

[[scales]]
id = "im"
kind = "impression_management"
name = { en = "IM", de = "IM" }

[[scales]]
id = "judgement"
kind = "judgement"
name = { en = "Judgement", de = "Urteil" }

[[items]]
id = "m1"
type = "likert"
scale = "motivation"
response_scale = "agree5"
facet = "f1"
text = { en = "a", de = "a" }
grm = { a = 1.5, b = [-2.0, -1.0, 0.0, 1.0] }

[[items]]
id = "m2"
type = "likert"
scale = "motivation"
response_scale = "agree5"
reverse = true
text = { en = "b", de = "b" }

[[items]]
id = "m3"
type = "likert"
scale = "motivation"
response_scale = "agree5"
text = { en = "c", de = "c" }

[[items]]
id = "m4"
type = "likert"
scale = "motivation"
response_scale = "agree5"
reverse = true
text = { en = "d", de = "d" }

[[items]]
id = "im1"
type = "likert"
scale = "im"
response_scale = "agree5"
text = { en = "e", de = "e" }

[[items]]
id = "im2"
type = "likert"
scale = "im"
response_scale = "agree5"
text = { en = "f", de = "f" }

[[items]]
id = "im3"
type = "likert"
scale = "im"
response_scale = "agree5"
text = { en = "g", de = "g" }

[[items]]
id = "s1"
type = "sjt"
scale = "judgement"
text = { en = "s", de = "s" }
options = [
  { id = "a", key = 3, text = { en = "a", de = "a" } },
  { id = "b", key = 0, text = { en = "b", de = "b" } },
  { id = "c", key = 1, text = { en = "c", de = "c" } },
]

[[items]]
id = "s2"
type = "sjt"
scale = "judgement"
text = { en = "s", de = "s" }
options = [
  { id = "a", key = 1, text = { en = "a", de = "a" } },
  { id = "b", key = 2, text = { en = "b", de = "b" } },
]

[[items]]
id = "s3"
type = "sjt"
scale = "judgement"
text = { en = "s", de = "s" }
options = [
  { id = "a", key = 0, text = { en = "a", de = "a" } },
  { id = "b", key = 3, text = { en = "b", de = "b" } },
]

[[items]]
id = "c1"
type = "check"
response_scale = "agree5"
text = { en = "I have never used a telephone.", de = "x" }
attentive = [1, 2]

[[items]]
id = "c2"
type = "check"
response_scale = "agree5"
text = { en = "I breathe air.", de = "x" }
attentive = [4, 5]

[validity]
inconsistency_pairs = [["m1", "m3"]]
"#;

pub(crate) fn mini() -> Bank {
    match Bank::parse(MINI, "mini.toml") {
        Ok(b) => b,
        Err(e) => panic!("mini bank must validate: {e}"),
    }
}

fn issues_of(src: &str) -> Vec<Issue> {
    match Bank::parse(src, "t.toml") {
        Ok(_) => Vec::new(),
        Err(e) => e.issues(),
    }
}

fn has_issue(src: &str, needle: &str, line: Option<usize>, item: Option<&str>) {
    let issues = issues_of(src);
    assert!(
        issues.iter().any(|i| i.message.contains(needle)
            && (line.is_none() || i.line == line)
            && (item.is_none() || i.item.as_deref() == item)),
        "expected issue containing {needle:?} at {line:?} for {item:?}, got {issues:#?}"
    );
}

fn line_of(src: &str, needle: &str) -> usize {
    src.lines().position(|l| l.contains(needle)).map_or(0, |p| p + 1)
}

#[test]
fn mini_bank_is_valid_and_indexed() {
    let b = mini();
    assert_eq!(b.id(), "mini");
    assert_eq!(b.items_of_scale("motivation").len(), 4);
    assert_eq!(b.item_info(b.item_index("m2").unwrap_or(99)).map(|i| i.reverse), Some(true));
    assert!(b.content_hash().starts_with("sha256:"));
    assert_eq!(b.content_hash().len(), 7 + 64);
}

#[test]
fn malformed_toml_names_the_line() {
    let src = "[instrument]\nid = \"x\"\nversion = \n";
    match Bank::parse(src, "bad.toml") {
        Err(BankError::Syntax { file, line, .. }) => {
            assert_eq!(file, "bad.toml");
            assert_eq!(line, Some(3));
        }
        other => panic!("expected syntax error, got {other:?}"),
    }
}

#[test]
fn wrong_type_names_the_line() {
    let src = MINI.replace("min = 1", "min = \"one\"");
    match Bank::parse(&src, "bad.toml") {
        Err(BankError::Syntax { line, .. }) => assert_eq!(line, Some(line_of(&src, "min = \"one\""))),
        other => panic!("expected syntax error, got {other:?}"),
    }
}

#[test]
fn duplicate_item_id_points_at_second_occurrence() {
    let src = MINI.replace("id = \"m3\"", "id = \"m2\"");
    let second = src
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("id = \"m2\""))
        .nth(1)
        .map(|(i, _)| i + 1);
    has_issue(&src, "duplicate item id", second, Some("m2"));
}

#[test]
fn unknown_scale_and_response_scale() {
    let src = MINI.replacen("scale = \"motivation\"\nresponse_scale = \"agree5\"\ntext = { en = \"c\"", "scale = \"motivatoin\"\nresponse_scale = \"agree5\"\ntext = { en = \"c\"", 1);
    has_issue(&src, "unknown scale `motivatoin`", Some(line_of(&src, "id = \"m3\"")), Some("m3"));
    let src = MINI.replacen("response_scale = \"agree5\"\nfacet", "response_scale = \"agree7\"\nfacet", 1);
    has_issue(&src, "unknown response scale `agree7`", Some(line_of(&src, "id = \"m1\"")), Some("m1"));
}

#[test]
fn reverse_on_check_item() {
    let src = MINI.replace("attentive = [1, 2]", "attentive = [1, 2]\nreverse = true");
    has_issue(&src, "reverse keying applies to Likert items only", Some(line_of(&src, "id = \"c1\"")), Some("c1"));
}

#[test]
fn missing_translation() {
    let src = MINI.replace("text = { en = \"g\", de = \"g\" }", "text = { en = \"g\" }");
    has_issue(&src, "missing translation for declared language `de`", Some(line_of(&src, "id = \"im3\"")), Some("im3"));
}

#[test]
fn sjt_option_without_key() {
    let src = MINI.replace("{ id = \"b\", key = 2, text", "{ id = \"b\", text");
    has_issue(&src, "SJT option without a key", Some(line_of(&src, "{ id = \"b\", text")), Some("s2/b"));
}

#[test]
fn grm_problems_are_reported() {
    let src = MINI.replace("b = [-2.0, -1.0, 0.0, 1.0]", "b = [-2.0, 0.0, -1.0, 1.0]");
    has_issue(&src, "not strictly increasing", Some(line_of(&src, "id = \"m1\"")), Some("m1"));
    let src = MINI.replace("b = [-2.0, -1.0, 0.0, 1.0]", "b = [-2.0, -1.0, 0.0]");
    has_issue(&src, "has 3 thresholds, expected 4", None, Some("m1"));
    let src = MINI.replace("a = 1.5", "a = 0.0");
    has_issue(&src, "must be a positive number", None, Some("m1"));
}

#[test]
fn trait_scale_needs_three_items() {
    let src = MINI
        .replacen("scale = \"motivation\"", "scale = \"im\"", 1)
        .replacen("scale = \"motivation\"", "scale = \"im\"", 1)
        .replace("facet = \"f1\"\n", "");
    has_issue(&src, "trait scale has 2 item(s)", Some(line_of(&src, "id = \"motivation\"")), Some("motivation"));
}

#[test]
fn misspelt_key_is_an_error_with_its_line() {
    // a typo must not silently drop reverse keying
    let src = MINI.replacen("reverse = true", "revrse = true", 1);
    match Bank::parse(&src, "typo.toml") {
        Err(BankError::Syntax { line, message, .. }) => {
            assert!(message.contains("unknown field `revrse`"), "{message}");
            assert_eq!(line, Some(line_of(&src, "revrse")));
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn bank_hash_ignores_key_order_within_tables_but_not_text() {
    let reordered = MINI.replace(
        "id = \"mini\"\nversion = \"1.0.0\"",
        "version = \"1.0.0\"\nid = \"mini\"",
    );
    assert_ne!(reordered, MINI);
    let h = |s: &str| bank_content_hash(s, "x").ok();
    assert_eq!(h(MINI), h(&reordered));
    assert_ne!(h(MINI), h(&MINI.replace("I breathe air.", "I breathe  air.")));
}

#[test]
fn response_scale_bounds() {
    let src = MINI.replace("max = 5", "max = 2147483647");
    has_issue(&src, "within -1000..1000", Some(line_of(&src, "id = \"agree5\"")), Some("agree5"));
    let src = MINI.replace("max = 5", "max = 1");
    has_issue(&src, "must be below max", None, Some("agree5"));
}

#[test]
fn check_item_without_attentive() {
    let src = MINI.replace("attentive = [4, 5]\n", "");
    has_issue(&src, "check item without `attentive`", Some(line_of(&src, "id = \"c2\"")), Some("c2"));
}

#[test]
fn undeclared_facet() {
    let src = MINI.replace("facet = \"f1\"\ntext", "facet = \"f2\"\ntext");
    has_issue(&src, "facet `f2` is not declared", None, Some("m1"));
}

#[test]
fn published_bank_must_match_its_hash() {
    let hash = match bank_content_hash(MINI, "m") {
        Ok(h) => h,
        Err(e) => panic!("{e}"),
    };
    let published = MINI.replace(
        "status = \"draft\"",
        &format!("status = \"published\"\ncontent_hash = \"{hash}\""),
    );
    assert!(Bank::parse(&published, "p.toml").is_ok(), "{:?}", issues_of(&published));
    // the same hash after publishing (status and hash are not content)
    assert_eq!(bank_content_hash(&published, "p").ok(), Some(hash.clone()));
    let tampered = published.replace("I breathe air.", "I breathe air!");
    has_issue(&tampered, "published bank content changed", Some(line_of(&tampered, "content_hash")), None);
    let unhashed = MINI.replace("status = \"draft\"", "status = \"published\"");
    has_issue(&unhashed, "must record its content_hash", None, None);
}

#[test]
fn a_bank_is_for_hiring_unless_it_says_otherwise() {
    let b = mini();
    assert!(b.meant_for(IntendedUse::Hiring));
    assert!(!b.meant_for(IntendedUse::Workforce));
    assert!(b.reports_individuals());
    let survey = MINI.replace("languages = [", "intended_use = [\"workforce\"]\nlanguages = [");
    let parsed = Bank::parse(&survey, "s.toml").unwrap_or_else(|e| panic!("{e}"));
    assert!(parsed.meant_for(IntendedUse::Workforce) && !parsed.meant_for(IntendedUse::Hiring));
    assert!(!parsed.reports_individuals());
    // Declaring the use is a decision about the content, not content: the hash stays.
    assert_eq!(bank_content_hash(&survey, "s").ok(), bank_content_hash(MINI, "m").ok());
}

#[test]
fn intended_use_is_named_once_each_and_pulse_scales_are_for_the_workforce_alone() {
    let none = MINI.replace("languages = [", "intended_use = []\nlanguages = [");
    has_issue(&none, "must name at least one use", Some(line_of(&none, "intended_use")), None);
    let twice = MINI.replace("languages = [", "intended_use = [\"hiring\", \"hiring\"]\nlanguages = [");
    has_issue(&twice, "names a use twice", None, None);
    let unknown = MINI.replace("languages = [", "intended_use = [\"screening\"]\nlanguages = [");
    assert!(!issues_of(&unknown).is_empty(), "an unknown use is refused");
    let pulse = MINI.replace("kind = \"trait\"", "kind = \"pulse\"");
    has_issue(&pulse, "pulse scales reports only for groups", None, None);
    let pulse_for_both = pulse.replace("languages = [", "intended_use = [\"workforce\", \"hiring\"]\nlanguages = [");
    has_issue(&pulse_for_both, "must be [\"workforce\"] alone", None, None);
    let pulse_for_workforce = pulse.replace("languages = [", "intended_use = [\"workforce\"]\nlanguages = [");
    assert!(!issues_of(&pulse_for_workforce).iter().any(|i| i.message.contains("intended_use")), "{:?}", issues_of(&pulse_for_workforce));
}

#[test]
fn hash_is_stable_under_key_reordering_but_not_text_change() {
    let a = "[t]\nx = 1\ny = \"a\"\n[u]\nz = [1.0, 2.5]\n";
    let b = "[u]\nz = [1.0, 2.5]\n[t]\ny = \"a\"\nx = 1\n";
    let c = "[t]\nx = 1\ny = \"b\"\n[u]\nz = [1.0, 2.5]\n";
    let d = "[t]\nx = 1.0\ny = \"a\"\n[u]\nz = [1.0, 2.5]\n";
    let h = |s: &str| bank_content_hash(s, "x").ok();
    assert_eq!(h(a), h(b));
    assert_ne!(h(a), h(c));
    assert_ne!(h(a), h(d), "integer 1 and float 1.0 are different content");
}

#[test]
fn find_key_line_matches_whole_keys() {
    let src = "bank_id = \"x\"\n  id = \"x\"\n{ id = \"x\", key = 1 }\n";
    assert_eq!(find_key_line(src, "id", "x", 1, 0), Some(2));
    assert_eq!(find_key_line(src, "id", "x", 1, 1), Some(3));
    assert_eq!(find_key_line(src, "id", "xy", 1, 0), None);
}

proptest::proptest! {
    #[test]
    fn hash_ignores_table_order(keys in proptest::collection::btree_map("[a-z]{1,6}", -1000i64..1000, 1..8)) {
        let fwd: String = keys.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
        let rev: String = keys.iter().rev().map(|(k, v)| format!("{k} = {v}\n")).collect();
        let h1 = bank_content_hash(&fwd, "a").ok();
        let h2 = bank_content_hash(&rev, "b").ok();
        proptest::prop_assert!(h1.is_some());
        proptest::prop_assert_eq!(&h1, &h2);
        // any change of a value changes the hash
        let (k0, v0) = keys.iter().next().map(|(k, v)| (k.clone(), *v)).unwrap_or_default();
        let changed = fwd.replacen(&format!("{k0} = {v0}\n"), &format!("{k0} = {}\n", v0 + 1), 1);
        proptest::prop_assert_ne!(h1, bank_content_hash(&changed, "c").ok());
    }
}
