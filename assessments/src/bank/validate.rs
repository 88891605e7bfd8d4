//! Validation: every rule of `docs/bank-format.md` a psychologist relies on,
//! each problem reported with its line and item, all of them at once.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{
    error::{Issue, find_header_line, find_key_line},
    format::{BankFile, CatSettings, Grm, IntendedUse, ItemDef, ItemType, MAX_RANDOMESQUE, ResponseScale, ScaleDef, ScaleKind, Status, Text},
    hash::{NOT_HASHED, content_hash_of_value, is_valid_hash_format},
};

/// `[a-z0-9_-]+`
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// `MAJOR.MINOR.PATCH` with decimal numbers (pre-release tags allowed after `-`).
pub(crate) fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

pub(super) struct Issues<'a> {
    src: &'a str,
    list: Vec<Issue>,
}

impl Issues<'_> {
    fn at(&mut self, line: Option<usize>, item: Option<&str>, message: impl Into<String>) {
        self.list.push(Issue {
            line,
            item: item.map(str::to_string),
            message: message.into(),
        });
    }
    fn instrument(&mut self, key: &str, message: impl Into<String>) {
        let line = find_header_line(self.src, "[instrument]").and_then(|h| {
            self.src
                .lines()
                .enumerate()
                .skip(h)
                .find(|(_, l)| l.trim_start().starts_with(key))
                .map(|(i, _)| i + 1)
                .or(Some(h))
        });
        self.at(line, None, message);
    }
}

pub(super) fn check_text(issues: &mut Issues, langs: &[String], text: &Text, what: &str, line: Option<usize>, id: Option<&str>) {
    for lang in langs {
        match text.get(lang) {
            None => issues.at(line, id, format!("{what}: {} `{lang}`", super::error::MISSING_TRANSLATION)),
            Some(t) if t.trim().is_empty() => {
                issues.at(line, id, format!("{what}: {} `{lang}`", super::error::EMPTY_TEXT))
            }
            Some(_) => {}
        }
    }
    for lang in text.keys() {
        if !langs.contains(lang) {
            issues.at(line, id, format!("{what}: language `{lang}` is not declared in instrument.languages"));
        }
    }
}

pub(super) fn check_text_lists(
    issues: &mut Issues,
    langs: &[String],
    lists: &BTreeMap<String, Vec<String>>,
    what: &str,
    line: Option<usize>,
    id: Option<&str>,
    expected_len: Option<usize>,
) {
    for lang in langs {
        match lists.get(lang) {
            None => issues.at(line, id, format!("{what}: {} `{lang}`", super::error::MISSING_TRANSLATION)),
            Some(l) => {
                if let Some(n) = expected_len {
                    if l.len() != n {
                        issues.at(line, id, format!("{what} (`{lang}`): {} labels, expected {n}", l.len()));
                    }
                }
            }
        }
    }
}

/// Number of GRM categories an item has: `max - min + 1` for Likert,
/// the number of distinct key levels for SJT.
pub(super) fn grm_categories(item: &ItemDef, rs: Option<&ResponseScale>) -> Option<usize> {
    match item.kind {
        ItemType::Likert | ItemType::Check => rs.map(|r| r.categories().max(0) as usize),
        ItemType::Sjt => {
            let levels: BTreeSet<i32> = item.options.iter().filter_map(|o| o.key).collect();
            Some(levels.len())
        }
    }
}

/// Checks GRM parameters: `a > 0` and finite, `categories - 1` strictly
/// increasing finite thresholds. Returns a message per problem.
pub fn grm_problems(grm: &Grm, categories: usize) -> Vec<String> {
    let mut out = Vec::new();
    if !(grm.a.is_finite() && grm.a > 0.0) {
        out.push(format!("GRM discrimination a = {} must be a positive number", grm.a));
    }
    let expected = categories.saturating_sub(1);
    if grm.b.len() != expected {
        out.push(format!(
            "GRM has {} thresholds, expected {expected} (categories - 1)",
            grm.b.len()
        ));
    }
    if grm.b.iter().any(|b| !b.is_finite()) {
        out.push("GRM thresholds must be finite numbers".to_string());
    }
    if grm.b.windows(2).any(|w| w[0] >= w[1]) {
        out.push(format!("GRM thresholds {:?} are not strictly increasing", grm.b));
    }
    out
}

/// The intended use: at least one, none twice; a bank with pulse scales
/// (whose respondents are promised group results only) is for the
/// workforce and nothing else.
pub(super) fn check_intended_use(is: &mut Issues<'_>, file: &BankFile) {
    let uses = &file.instrument.intended_use;
    if uses.is_empty() {
        is.instrument("intended_use", "instrument.intended_use must name at least one use (hiring, workforce, self_knowledge)");
    }
    if uses.iter().enumerate().any(|(i, u)| uses[..i].contains(u)) {
        is.instrument("intended_use", "instrument.intended_use names a use twice");
    }
    let has_pulse = file.scales.iter().any(|s| s.kind == ScaleKind::Pulse);
    if has_pulse && uses.as_slice() != [IntendedUse::Workforce] {
        is.instrument(
            "intended_use",
            "a bank with pulse scales reports only for groups: its intended_use must be [\"workforce\"] alone",
        );
    }
}

/// Validates a parsed bank against the rules of `docs/bank-format.md`.
/// `src` is the file text (to locate lines); `value` its TOML value (for the
/// content hash). Returns every problem found, not just the first.
pub fn validate(file: &BankFile, src: &str, value: &toml::Value) -> Vec<Issue> {
    let mut is = Issues { src, list: Vec::new() };
    let inst = &file.instrument;
    let langs = &inst.languages;

    // --- instrument
    if !is_valid_id(&inst.id) {
        is.instrument("id", format!("instrument id `{}` must match [a-z0-9_-]+", inst.id));
    }
    if !is_semver(&inst.version) {
        is.instrument("version", format!("version `{}` is not semver (MAJOR.MINOR.PATCH)", inst.version));
    }
    if langs.is_empty() {
        is.instrument("languages", "instrument.languages must name at least one language");
    }
    let mut seen_langs = BTreeSet::new();
    for l in langs {
        if !seen_langs.insert(l) {
            is.instrument("languages", format!("language `{l}` declared twice"));
        }
    }
    let title_line = find_header_line(src, "[instrument]");
    check_text(&mut is, langs, &inst.title, "instrument title", title_line, None);
    if let Some(t) = &inst.instructions {
        check_text(&mut is, langs, t, "instrument instructions", title_line, None);
    }
    let computed = content_hash_of_value(value, NOT_HASHED);
    match (&inst.content_hash, inst.status) {
        (None, Status::Published) => is.instrument(
            "status",
            format!("a published bank must record its content_hash (computed: {computed})"),
        ),
        (Some(h), _) if !is_valid_hash_format(h) => {
            is.instrument("content_hash", format!("content_hash `{h}` is not of the form sha256:<64 hex>"))
        }
        (Some(h), Status::Published) if *h != computed => is.instrument(
            "content_hash",
            format!(
                "published bank content changed: recorded content_hash {h} but the content hashes to {computed}; published versions are immutable, publish a new version"
            ),
        ),
        _ => {}
    }

    check_intended_use(&mut is, file);

    // --- response scales
    let mut rs_by_id: HashMap<&str, &ResponseScale> = HashMap::new();
    let mut rs_seen: HashMap<&str, usize> = HashMap::new();
    for rs in &file.response_scales {
        let occ = rs_seen.entry(rs.id.as_str()).or_insert(0);
        let line = find_key_line(src, "id", &rs.id, 1, *occ);
        *occ += 1;
        if rs_by_id.insert(rs.id.as_str(), rs).is_some() {
            is.at(line, Some(&rs.id), "duplicate response scale id");
        }
        if rs.min.abs() > 1000 || rs.max.abs() > 1000 {
            is.at(line, Some(&rs.id), "response scale bounds must lie within -1000..1000");
        }
        if rs.max <= rs.min {
            is.at(line, Some(&rs.id), format!("response scale min {} must be below max {}", rs.min, rs.max));
        }
        check_text_lists(
            &mut is,
            langs,
            &rs.labels,
            "response scale labels",
            line,
            Some(&rs.id),
            usize::try_from(rs.categories()).ok(),
        );
    }

    // --- scales
    let mut scale_by_id: HashMap<&str, &ScaleDef> = HashMap::new();
    let mut scale_seen: HashMap<&str, usize> = HashMap::new();
    for s in &file.scales {
        let occ = scale_seen.entry(s.id.as_str()).or_insert(0);
        let line = find_key_line(src, "id", &s.id, 1, *occ);
        *occ += 1;
        if scale_by_id.insert(s.id.as_str(), s).is_some() {
            is.at(line, Some(&s.id), "duplicate scale id");
        }
        if !is_valid_id(&s.id) {
            is.at(line, Some(&s.id), "scale id must match [a-z0-9_-]+");
        }
        check_text(&mut is, langs, &s.name, "scale name", line, Some(&s.id));
        if let Some(d) = &s.description {
            check_text(&mut is, langs, d, "scale description", line, Some(&s.id));
        }
        if let Some(interp) = &s.interpretation {
            check_text(&mut is, langs, &interp.low, "interpretation.low", line, Some(&s.id));
            check_text(&mut is, langs, &interp.average, "interpretation.average", line, Some(&s.id));
            check_text(&mut is, langs, &interp.high, "interpretation.high", line, Some(&s.id));
            if !interp.interview_prompts.is_empty() {
                check_text_lists(&mut is, langs, &interp.interview_prompts, "interview_prompts", line, Some(&s.id), None);
            }
        }
        let mut facets = BTreeSet::new();
        for f in &s.facets {
            if !facets.insert(f) {
                is.at(line, Some(&s.id), format!("facet `{f}` declared twice"));
            }
        }
    }

    // --- items
    let mut item_seen: HashMap<&str, usize> = HashMap::new();
    let mut items_per_scale: HashMap<&str, usize> = HashMap::new();
    let mut item_by_id: HashMap<&str, &ItemDef> = HashMap::new();
    for it in &file.items {
        let occ = item_seen.entry(it.id.as_str()).or_insert(0);
        let line = find_key_line(src, "id", &it.id, 1, *occ);
        let first = *occ == 0;
        *occ += 1;
        let id = Some(it.id.as_str());
        if !first {
            is.at(line, id, "duplicate item id (ids must be unique within the bank)");
        } else {
            item_by_id.insert(it.id.as_str(), it);
        }
        if it.id.is_empty() || it.id.contains(',') || it.id.ends_with("__ms") || it.id == "respondent" {
            is.at(line, id, "item id must be non-empty, without commas, not `respondent` and not end in `__ms` (CSV columns)");
        }
        check_text(&mut is, langs, &it.text, "item text", line, id);

        // scale membership
        let scale = match (&it.scale, it.kind) {
            (Some(s), ItemType::Check) => {
                is.at(line, id, format!("check items belong to no scale, but this one names `{s}`"));
                None
            }
            (Some(s), _) => match scale_by_id.get(s.as_str()) {
                Some(sd) => {
                    *items_per_scale.entry(sd.id.as_str()).or_insert(0) += 1;
                    Some(*sd)
                }
                None => {
                    is.at(line, id, format!("unknown scale `{s}` (not declared under [[scales]])"));
                    None
                }
            },
            (None, ItemType::Check) => None,
            (None, _) => {
                is.at(line, id, "Likert and SJT items must name a scale");
                None
            }
        };

        // facet
        if let Some(f) = &it.facet {
            if let Some(sd) = scale {
                if !sd.facets.contains(f) {
                    is.at(line, id, format!("facet `{f}` is not declared in scale `{}` (facets = {:?})", sd.id, sd.facets));
                }
            }
        }

        // response scale
        let rs = match (&it.response_scale, it.kind) {
            (Some(r), ItemType::Sjt) => {
                is.at(line, id, format!("SJT items have options, not a response scale (`{r}`)"));
                None
            }
            (Some(r), _) => match rs_by_id.get(r.as_str()) {
                Some(rs) => Some(*rs),
                None => {
                    is.at(line, id, format!("unknown response scale `{r}`"));
                    None
                }
            },
            (None, ItemType::Sjt) => None,
            (None, _) => {
                is.at(line, id, "Likert and check items must name a response_scale");
                None
            }
        };
        if let (ItemType::Likert, Some(rs)) = (it.kind, rs) {
            if !(4..=7).contains(&rs.categories()) {
                is.at(line, id, format!("Likert items use 4-7 points; `{}` has {}", rs.id, rs.categories()));
            }
        }

        if it.reverse == Some(true) && it.kind != ItemType::Likert {
            is.at(line, id, "reverse keying applies to Likert items only");
        }

        // kind-specific
        match it.kind {
            ItemType::Check => match &it.attentive {
                None => is.at(line, id, "check item without `attentive` (the answers that show attention)"),
                Some(a) if a.is_empty() => is.at(line, id, "check item with an empty `attentive` list"),
                Some(a) => {
                    if let Some(rs) = rs {
                        for v in a {
                            if *v < rs.min || *v > rs.max {
                                is.at(line, id, format!("attentive answer {v} is outside response scale {}..{}", rs.min, rs.max));
                            }
                        }
                    }
                }
            },
            ItemType::Sjt => {
                if it.options.len() < 2 {
                    is.at(line, id, "an SJT item needs at least two options");
                }
                let mut opt_ids = BTreeSet::new();
                for o in &it.options {
                    let oline = line.and_then(|l| find_key_line(src, "id", &o.id, l, 0)).or(line);
                    let oid = format!("{}/{}", it.id, o.id);
                    if !opt_ids.insert(o.id.as_str()) {
                        is.at(oline, Some(&oid), "duplicate option id");
                    }
                    match o.key {
                        None => is.at(oline, Some(&oid), "SJT option without a key"),
                        Some(k) if k < 0 => is.at(oline, Some(&oid), format!("key {k} is negative (keys run from 0 = worst)")),
                        Some(_) => {}
                    }
                    check_text(&mut is, langs, &o.text, "option text", oline, Some(&oid));
                }
                if it.attentive.is_some() {
                    is.at(line, id, "`attentive` applies to check items only");
                }
            }
            ItemType::Likert => {
                if it.attentive.is_some() {
                    is.at(line, id, "`attentive` applies to check items only");
                }
                if !it.options.is_empty() {
                    is.at(line, id, "Likert items have no options");
                }
            }
        }

        if let Some(g) = &it.grm {
            if it.kind == ItemType::Check {
                is.at(line, id, "check items carry no GRM parameters");
            } else if let Some(k) = grm_categories(it, rs) {
                for p in grm_problems(g, k) {
                    is.at(line, id, p);
                }
            }
        }
        if let Some(e) = it.exposure {
            if it.kind == ItemType::Check {
                is.at(line, id, "check items are not given adaptively and carry no exposure parameter");
            } else if !(e.is_finite() && e > 0.0 && e <= 1.0) {
                is.at(line, id, format!("exposure {e} must lie in (0, 1] (1 = no exposure control)"));
            }
        }
    }

    // --- scales need items
    for s in &file.scales {
        let n = items_per_scale.get(s.id.as_str()).copied().unwrap_or(0);
        let line = find_key_line(src, "id", &s.id, 1, 0);
        if s.kind == ScaleKind::Trait && n < 3 {
            is.at(line, Some(&s.id), format!("trait scale has {n} item(s); at least 3 are needed"));
        } else if n == 0 {
            is.at(line, Some(&s.id), "scale has no items");
        }
    }

    // --- validity settings
    let v = &file.validity;
    let vline = find_header_line(src, "[validity]");
    for (a, b) in v.inconsistency_pairs.iter().map(|p| (&p[0], &p[1])) {
        for x in [a, b] {
            match item_by_id.get(x.as_str()) {
                None => is.at(vline, Some(x), "inconsistency pair names an unknown item"),
                Some(it) if it.kind != ItemType::Likert => {
                    is.at(vline, Some(x), "inconsistency pairs must be Likert items")
                }
                _ => {}
            }
        }
        if a == b {
            is.at(vline, Some(a), "inconsistency pair names the same item twice");
        }
    }
    let share_ok = |x: Option<f64>| x.is_none_or(|s| (0.0..=1.0).contains(&s));
    if !share_ok(v.longstring_caution_share) || !share_ok(v.longstring_invalid_share) {
        is.at(vline, None, "long-string shares must lie between 0 and 1");
    }
    if v.min_median_seconds.is_some_and(|s| !(s.is_finite() && s >= 0.0)) {
        is.at(vline, None, "min_median_seconds must be a non-negative number");
    }
    if let Some(c) = &file.cat {
        let cline = find_header_line(src, "[cat]");
        for message in cat_settings_problems(c) {
            is.at(cline, None, message);
        }
    }
    is.list
}

/// Checks a `[cat]` table: `0 < se_target < 1`, `1 <= min_items <=
/// max_items <= 1000`, `1 <= randomesque <= MAX_RANDOMESQUE`.
pub fn cat_settings_problems(c: &CatSettings) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(se) = c.se_target {
        if !(se.is_finite() && se > 0.0 && se < 1.0) {
            out.push(format!("[cat] se_target {se} must lie between 0 and 1 (e.g. 0.30)"));
        }
    }
    if c.min_items == Some(0) {
        out.push("[cat] min_items must be at least 1".to_string());
    }
    if let Some(max) = c.max_items {
        if max == 0 || max > 1000 {
            out.push(format!("[cat] max_items {max} must lie between 1 and 1000"));
        }
        if let Some(min) = c.min_items {
            if min > max {
                out.push(format!("[cat] min_items {min} is above max_items {max}"));
            }
        }
    }
    if let Some(k) = c.randomesque {
        if k == 0 || k > MAX_RANDOMESQUE {
            out.push(format!("[cat] randomesque {k} must lie between 1 and {MAX_RANDOMESQUE}"));
        }
    }
    out
}
