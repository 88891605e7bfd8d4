//! The differencing test, on SQLite and PostgreSQL: random unit trees with
//! many small units, employees who answer (or not) and skip scales at
//! random, through the real send path; then everything HR and the security
//! lead can ask for (the wave's results, the CSV, every unit's trend, the
//! security view) is collected, and for every scale the published groups
//! are checked against the respondents the test knows: every shown group
//! has at least 5; every pair of shown groups, one inside the other,
//! differs by 0 or at least 5; and the respondents that the shown groups
//! tell apart (same membership in every shown group) are 0 or at least 5.
//! The groups include the breakdowns by location and by tenure band, taken
//! together with the units.

use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use app::staff::model::StaffRole;
use rand::{Rng, SeedableRng};
use vigil::{
    catalog::Catalog,
    staff::Caller,
    store::{CurrentEmployee, NewUser, Role},
    workforce::{insight, results, survey, waves},
};

const TREES: u64 = 20;

/// A random tree of 4–14 units, each with 0–7 employees (many under 5): (name, parent, employees).
fn random_tree(rng: &mut impl Rng) -> Vec<(String, Option<String>, usize)> {
    let n = rng.random_range(4..15);
    (0..n)
        .map(|u| {
            let parent = (u > 0 && rng.random_bool(0.85)).then(|| format!("U{}", rng.random_range(0..u)));
            (format!("U{u}"), parent, rng.random_range(0..8))
        })
        .collect()
}

/// The pulse's scales by the items a respondent answers: some skip a whole scale.
fn answers(rng: &mut impl Rng, scales: &[(&str, Vec<String>)]) -> (Vec<(String, String)>, BTreeSet<String>) {
    let mut out = Vec::new();
    let mut answered = BTreeSet::new();
    for (scale, items) in scales {
        if rng.random_bool(0.2) {
            continue; // skips this scale
        }
        answered.insert(scale.to_string());
        for item in items {
            out.push((item.clone(), rng.random_range(1..=5).to_string()));
        }
    }
    (out, answered)
}

/// Whether a person in unit `d` is inside unit `u` (u is d or above it).
fn inside(parents: &HashMap<String, Option<String>>, d: &str, u: &str) -> bool {
    let mut at = Some(d.to_string());
    while let Some(x) = at {
        if x == u {
            return true;
        }
        at = parents.get(&x).cloned().flatten();
    }
    false
}

on_both_databases! {
    async fn no_published_figure_tells_a_group_under_five(db: Db) {
        let Some(t) = common::TestDb::new(db).await else { return };
        let s = &t.store;
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let bank = catalog.get("pulse", "1.0.0").expect("pulse");
        let scales: Vec<(&str, Vec<String>)> = bank.bank.file().scales.iter().map(|sc| (sc.id.as_str(), bank.bank.file().items.iter().filter(|i| i.scale.as_deref() == Some(&sc.id)).map(|i| i.id.clone()).collect())).collect();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
        let mut checked_pairs = 0;
        let mut hidden_cells = 0;
        for tree_no in 0..TREES {
            let org = s.create_organisation("Diff", &format!("diff-{tree_no}"), false).await.expect("org").id;
            let admin = s.create_user(&NewUser { org_id: &org, email: &format!("hr{tree_no}@diff.example"), display_name: "HR", role: Role::Admin, password_hash: None }).await.expect("admin").id;
            let caller = Caller { user_id: admin.clone(), org_id: org.clone(), role: StaffRole::Admin, language: "en".into() };
            let security = Caller { role: StaffRole::Security, ..caller.clone() };
            let tree = random_tree(&mut rng);
            let units: Vec<(&str, Option<&str>)> = tree.iter().map(|(n, p, _)| (n.as_str(), p.as_deref())).collect();
            s.import_units(&org, &units, &admin, 1).await.expect("units");
            let mut people: Vec<(String, String, String, Option<String>)> = Vec::new();
            for (u, _, n) in &tree {
                for i in 0..*n {
                    let location = ["North", "South", "East"][rng.random_range(0..3)].to_string();
                    let tenure = rng.random_bool(0.8).then(|| ["0-2 years", "3+ years"][rng.random_range(0..2)].to_string());
                    people.push((format!("{}-{i}@diff.example", u.to_lowercase()), u.clone(), location, tenure));
                }
            }
            let list: Vec<CurrentEmployee<'_>> = people.iter().map(|(e, u, l, t)| CurrentEmployee { email: e, name: "E", unit: u, location: Some(l), tenure_band: t.as_deref() }).collect();
            s.sync_employees(&org, &list, &admin, 1).await.expect("employees");
            let tops: Vec<String> = tree.iter().filter(|u| u.1.is_none()).map(|u| u.0.clone()).collect();

            // Two waves, so the trend and the security view have something to compare.
            // Each respondent: unit, [location, tenure band], the scales answered.
            type Sent = (String, [String; 2], BTreeSet<String>);
            let mut known: Vec<(String, Vec<Sent>)> = Vec::new();
            for wave_no in 0..2 {
                let form = waves::WaveForm { name: format!("Wave {wave_no}"), bank: "pulse@1.0.0".into(), units: tops.clone(), closes_on: "2999-01-31".into(), remind_on: String::new(), languages: Vec::new() };
                let Ok((wave, _)) = waves::create(s, &catalog, &caller, &form, "https://vigil.example").await else { break }; // no unit of 5: refused, nothing to check
                let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(t.url.expose()).await.expect("connect");
                let mut sent = Vec::new();
                for (email, unit, location, tenure) in &people {
                    let body: Option<String> = sqlx::query_scalar("SELECT body FROM outbox WHERE to_address = $1 ORDER BY created_at DESC, id DESC").bind(email).fetch_optional(&pool).await.expect("outbox");
                    let token = body.and_then(|b| b.split("/survey/").nth(1).and_then(|t| t.split_whitespace().next()).map(str::to_string)).expect("link");
                    if rng.random_bool(0.25) {
                        continue; // does not take part
                    }
                    let (a, answered) = answers(&mut rng, &scales);
                    survey::send(s, &catalog, &token, &a).await.expect("sent");
                    sent.push((unit.clone(), [location.clone(), tenure.clone().unwrap_or_else(|| vigil::workforce::breakdown::NOT_GIVEN.to_string())], answered));
                }
                pool.close().await;
                waves::close(s, &catalog, &caller, &wave).await.expect("closed");
                known.push((wave, sent));
            }
            let parents: HashMap<String, Option<String>> = {
                let stored = s.org_units(&org).await.expect("units");
                let name: HashMap<&str, &str> = stored.iter().map(|u| (u.id.as_str(), u.name.as_str())).collect();
                stored.iter().map(|u| (u.name.clone(), u.parent_id.as_deref().and_then(|p| name.get(p)).map(|n| n.to_string()))).collect()
            };

            for (wave, sent) in &known {
                // Everything the two roles can ask for about this wave.
                let report = insight::report(s, &security, wave).await.expect("report");
                assert_eq!(insight::report(s, &caller, wave).await.expect("report").results, report.results, "HR and security see the same");
                let r = report.results.clone().expect("kept");
                let csv = String::from_utf8(results::csv(&r, &report.changes).expect("csv")).expect("utf-8");
                // (unit, category (dimension, name) or none, scale) -> respondents with that scale
                let mut published: BTreeMap<(String, Option<(usize, String)>, String), u32> = BTreeMap::new();
                for u in &r.units {
                    for (k, (scale, name)) in r.scales.iter().enumerate() {
                        let row = csv.lines().find(|l| l.starts_with(&format!("{},{},", u.name, u.depth)) && l.contains(&format!(",{name},"))).expect("a CSV row per unit and scale");
                        let mean = row.split(',').nth(5).unwrap_or_default();
                        match u.cells[k].as_ref() {
                            Some(c) => {
                                assert_eq!(mean, format!("{:.3}", c.mean.estimate), "the CSV shows what the page shows");
                                published.insert((u.name.clone(), None, scale.clone()), c.summary.n as u32);
                            }
                            None => {
                                assert!(mean.is_empty(), "a hidden cell is hidden in the CSV too: {row}");
                                hidden_cells += 1;
                            }
                        }
                    }
                    // A unit's trend shows only what the waves' results show.
                    let trend = insight::trend(s, &security, "pulse", &u.unit_id).await.expect("trend");
                    let point = trend.points.iter().find(|(w, _)| &w.id == wave).and_then(|(_, row)| row.clone());
                    assert_eq!(point.as_ref().map(|p| &p.cells), Some(&u.cells));
                }
                // The breakdowns, and their CSV.
                for b in &r.breakdowns {
                    let d = vigil::workforce::breakdown::Dimension::ALL.iter().position(|x| *x == b.dimension).expect("dimension");
                    let csv = String::from_utf8(results::breakdown_csv(&r, b).expect("csv")).expect("utf-8");
                    for u in &r.units {
                        for (k, category) in b.categories.iter().enumerate() {
                            for (si, (scale, name)) in r.scales.iter().enumerate() {
                                let shown = b.cells.get(&u.unit_id).and_then(|row| row[k][si].as_ref());
                                let line = csv.lines().find(|l| l.starts_with(&format!("{},{},{category},{name},", u.name, u.depth))).expect("a CSV row per unit, category and scale");
                                assert_eq!(line.split(',').nth(4).unwrap_or_default(), shown.map(|c| c.summary.n.to_string()).unwrap_or_default(), "{line}");
                                if let Some(c) = shown {
                                    assert!(u.cells[si].is_some(), "a category shows only where its unit shows");
                                    published.insert((u.name.clone(), Some((d, category.clone())), scale.clone()), c.summary.n as u32);
                                } else {
                                    hidden_cells += 1;
                                }
                            }
                        }
                    }
                }
                // The security view flags only units whose cells are published in both waves.
                for f in insight::security_view(s, &security, "pulse").await.expect("view").flags {
                    assert!(r.units.iter().any(|u| u.unit_id == f.unit_id && u.respondents.is_some()) || f.to_wave != "Wave 1");
                }

                for (scale, _) in &scales {
                    let answered: Vec<&Sent> = sent.iter().filter(|(_, _, a)| a.contains(*scale)).collect();
                    let within = |p: &Sent, cell: &(String, Option<(usize, String)>)| inside(&parents, &p.0, &cell.0) && cell.1.as_ref().is_none_or(|(d, c)| p.1[*d] == *c);
                    let shown: Vec<(String, Option<(usize, String)>)> = published.keys().filter(|(_, _, sc)| sc == scale).map(|(u, c, _)| (u.clone(), c.clone())).collect();
                    let count = |cell: &(String, Option<(usize, String)>)| answered.iter().filter(|p| within(p, cell)).count() as u32;
                    for cell in &shown {
                        assert_eq!(published[&(cell.0.clone(), cell.1.clone(), scale.to_string())], count(cell), "{cell:?} {scale}: the published n is the respondents'");
                        assert!(count(cell) >= 5, "{cell:?} {scale}: a shown group of {}", count(cell));
                        for other in &shown {
                            let nested = other != cell && answered.iter().all(|p| !within(p, other) || within(p, cell));
                            if nested {
                                let gap = count(cell) - count(other);
                                assert!(gap == 0 || gap >= 5, "{cell:?} minus {other:?} on {scale} leaves {gap}");
                                checked_pairs += 1;
                            }
                        }
                    }
                    // Respondents with the same membership in every shown group.
                    let mut groups: HashMap<Vec<bool>, u32> = HashMap::new();
                    for p in &answered {
                        *groups.entry(shown.iter().map(|c| within(p, c)).collect()).or_default() += 1;
                    }
                    for (signature, n) in groups {
                        let outside_all = signature.iter().all(|x| !x);
                        assert!(n >= 5 || (outside_all && (answered.len() < 5 || shown.is_empty())), "tree {tree_no}, {scale}: {n} respondents told apart by {signature:?}");
                    }
                }
            }
        }
        eprintln!("{db:?}: {TREES} trees, {checked_pairs} nested pairs checked, {hidden_cells} cells hidden");
        assert!(checked_pairs > 0 && hidden_cells > 0, "the trees exercised both showing and hiding");
    }
}
