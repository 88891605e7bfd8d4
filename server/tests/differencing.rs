//! The differencing test, on SQLite and PostgreSQL: random unit trees with
//! many small units, employees who answer (or not) and skip scales at
//! random, through the real send path; then everything HR and the security
//! lead can ask for (the wave's results, the CSV, every unit's trend, the
//! security view) is collected, and for every scale the published groups
//! are checked against the respondents the test knows: every shown group
//! has at least 5; every pair of shown groups, one inside the other,
//! differs by 0 or at least 5; and the respondents that the shown groups
//! tell apart (same membership in every shown group) are 0 or at least 5.

mod common;

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
            let caller = Caller { user_id: admin.clone(), org_id: org.clone(), role: StaffRole::Admin };
            let security = Caller { role: StaffRole::Security, ..caller.clone() };
            let tree = random_tree(&mut rng);
            let units: Vec<(&str, Option<&str>)> = tree.iter().map(|(n, p, _)| (n.as_str(), p.as_deref())).collect();
            s.import_units(&org, &units, &admin, 1).await.expect("units");
            let people: Vec<(String, String)> = tree.iter().flat_map(|(u, _, n)| (0..*n).map(move |i| (format!("{}-{i}@diff.example", u.to_lowercase()), u.clone()))).collect();
            let list: Vec<CurrentEmployee<'_>> = people.iter().map(|(e, u)| CurrentEmployee { email: e, name: "E", unit: u, location: None, tenure_band: None }).collect();
            s.sync_employees(&org, &list, &admin, 1).await.expect("employees");
            let tops: Vec<String> = tree.iter().filter(|u| u.1.is_none()).map(|u| u.0.clone()).collect();

            // Two waves, so the trend and the security view have something to compare.
            let mut known: Vec<(String, Vec<(String, BTreeSet<String>)>)> = Vec::new();
            for wave_no in 0..2 {
                let form = waves::WaveForm { name: format!("Wave {wave_no}"), bank: "pulse@1.0.0".into(), units: tops.clone(), closes_on: "2999-01-31".into(), remind_on: String::new() };
                let Ok((wave, _)) = waves::create(s, &catalog, &caller, &form, "https://vigil.example").await else { break }; // no unit of 5: refused, nothing to check
                let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(t.url.expose()).await.expect("connect");
                let mut sent = Vec::new();
                for (email, unit) in &people {
                    let body: Option<String> = sqlx::query_scalar("SELECT body FROM outbox WHERE to_address = $1 ORDER BY created_at DESC, id DESC").bind(email).fetch_optional(&pool).await.expect("outbox");
                    let token = body.and_then(|b| b.split("/survey/").nth(1).and_then(|t| t.split_whitespace().next()).map(str::to_string)).expect("link");
                    if rng.random_bool(0.25) {
                        continue; // does not take part
                    }
                    let (a, answered) = answers(&mut rng, &scales);
                    survey::send(s, &catalog, &token, &a).await.expect("sent");
                    sent.push((unit.clone(), answered));
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
                let mut published: BTreeMap<(String, String), u32> = BTreeMap::new(); // (unit, scale) -> respondents with that scale
                for u in &r.units {
                    for (k, (scale, name)) in r.scales.iter().enumerate() {
                        let row = csv.lines().find(|l| l.starts_with(&format!("{},{},", u.name, u.depth)) && l.contains(&format!(",{name},"))).expect("a CSV row per unit and scale");
                        let mean = row.split(',').nth(5).unwrap_or_default();
                        match u.cells[k].as_ref() {
                            Some(c) => {
                                assert_eq!(mean, format!("{:.3}", c.mean.estimate), "the CSV shows what the page shows");
                                published.insert((u.name.clone(), scale.clone()), c.summary.n as u32);
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
                // The security view flags only units whose cells are published in both waves.
                for f in insight::security_view(s, &security, "pulse").await.expect("view").flags {
                    assert!(r.units.iter().any(|u| u.unit_id == f.unit_id && u.respondents.is_some()) || f.to_wave != "Wave 1");
                }

                for (scale, _) in &scales {
                    let answered: Vec<&String> = sent.iter().filter(|(_, a)| a.contains(*scale)).map(|(u, _)| u).collect();
                    let count = |unit: &str| answered.iter().filter(|d| inside(&parents, d, unit)).count() as u32;
                    let shown: Vec<&String> = published.keys().filter(|(_, sc)| sc == scale).map(|(u, _)| u).collect();
                    for u in &shown {
                        assert_eq!(published[&((*u).clone(), scale.to_string())], count(u), "{u} {scale}: the published n is the respondents'");
                        assert!(count(u) >= 5, "{u} {scale}: a shown group of {}", count(u));
                        for v in &shown {
                            if u != v && inside(&parents, v, u) {
                                let gap = count(u) - count(v);
                                assert!(gap == 0 || gap >= 5, "{u} minus {v} on {scale} leaves {gap}");
                                checked_pairs += 1;
                            }
                        }
                    }
                    // Respondents with the same membership in every shown group.
                    let mut groups: HashMap<Vec<bool>, u32> = HashMap::new();
                    for d in &answered {
                        *groups.entry(shown.iter().map(|u| inside(&parents, d, u)).collect()).or_default() += 1;
                    }
                    for (signature, n) in groups {
                        let outside_all = signature.iter().all(|x| !x);
                        assert!(n >= 5 || (outside_all && (answered.len() < 5 || shown.is_empty())) || outside_all && n == 0, "tree {tree_no}, {scale}: {n} respondents told apart by {signature:?}");
                    }
                }
            }
        }
        eprintln!("{db:?}: {TREES} trees, {checked_pairs} nested pairs checked, {hidden_cells} cells hidden");
        assert!(checked_pairs > 0 && hidden_cells > 0, "the trees exercised both showing and hiding");
    }
}
