//! The demo organisation's workforce side: a small structure, two closed
//! pulse waves of simulated answers (in the second, Sales thinks more of
//! leaving and the SOC's security climate has cooled, so the security view
//! has something to show), and one employee listed as a champion. Nothing
//! here is real; the units and people are made up.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};

use crate::{
    catalog::Catalog,
    service_error::ServiceError,
    store::{Actor, CurrentEmployee, NewWave, Store},
    time::{date_utc, now_ms},
};

const DAY: i64 = 86_400_000;

/// (unit, parent, employees).
const UNITS: [(&str, Option<&str>, usize); 8] = [
    ("Engineering", None, 0),
    ("Platform", Some("Engineering"), 12),
    ("Apps", Some("Engineering"), 9),
    ("Sales", None, 14),
    ("Security", None, 0),
    ("SOC", Some("Security"), 7),
    ("GRC", Some("Security"), 3),
    ("People", None, 9),
];

/// One simulated answer around `centre` on the 1–5 scale (reverse-keyed items mirrored).
fn answer(rng: &mut impl Rng, centre: f64, reverse: bool) -> String {
    let v = (centre + rng.random_range(-1.2..1.2)).round().clamp(1.0, 5.0) as i32;
    (if reverse { 6 - v } else { v }).to_string()
}

/// Seeds the workforce side of the demo organisation.
pub async fn seed(store: &Store, catalog: &Catalog, org_id: &str, admin_id: &str, names: &[&str]) -> Result<(), ServiceError> {
    let Some(entry) = catalog.get("pulse", "1.0.0") else { return Ok(()) };
    let now = now_ms();
    let units: Vec<(&str, Option<&str>)> = UNITS.iter().map(|(u, p, _)| (*u, *p)).collect();
    store.import_units(org_id, &units, admin_id, now).await?;
    let mut people = Vec::new();
    let mut n = 0;
    for (unit, _, size) in UNITS {
        for _ in 0..size {
            let name = names[n % names.len()].to_string();
            let email = format!("{}.{n}@staff.demo.vigil.test", name.to_lowercase().replace([' ', '\''], "."));
            people.push((email, name, unit));
            n += 1;
        }
    }
    let list: Vec<CurrentEmployee<'_>> = people.iter().map(|(e, name, unit)| CurrentEmployee { email: e, name, unit, location: Some("Berlin"), tenure_band: None }).collect();
    store.sync_employees(org_id, &list, admin_id, now).await?;
    let stored = store.org_units(org_id).await?;
    let id_of = |name: &str| stored.iter().find(|u| u.name == name).map(|u| u.id.clone()).unwrap_or_default();
    let invited: BTreeMap<String, usize> = UNITS.iter().filter(|u| u.2 > 0).map(|(u, _, size)| (id_of(u), *size)).collect();
    let file = entry.bank.file();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    for (wave_no, (name, days_ago)) in [("Pulse, spring (demo)", 200), ("Pulse, autumn (demo)", 20)].into_iter().enumerate() {
        let id = crate::store::new_id();
        let closes_at = now - days_ago * DAY;
        let units_json = serde_json::json!(UNITS.iter().filter(|u| u.1.is_none()).map(|u| id_of(u.0)).collect::<Vec<_>>()).to_string();
        let wave = NewWave { id: &id, org_id, name, instrument: "pulse", version: "1.0.0", units: &units_json, invited: &serde_json::json!(invited).to_string(), created_by: admin_id, closes_at, remind_at: None, link_base: "", languages: r#"["en","de"]"# };
        store.create_wave(&wave, &[], closes_at - 14 * DAY).await?;
        let mut rows = Vec::new();
        for (_, _, unit) in &people {
            if rng.random_bool(0.15) {
                continue; // did not take part
            }
            let later = wave_no == 1;
            let answers: BTreeMap<&str, String> = file
                .items
                .iter()
                .map(|item| {
                    let scale = item.scale.as_deref().unwrap_or_default();
                    let centre = match (scale, *unit, later) {
                        ("intention_to_leave", "Sales", true) => 4.1,
                        ("intention_to_leave", _, _) => 2.2,
                        ("security_climate", "SOC", true) => 2.6,
                        ("security_climate", _, _) => 3.8,
                        _ => 3.6,
                    };
                    (item.id.as_str(), answer(&mut rng, centre, item.reverse.unwrap_or(false)))
                })
                .collect();
            rows.push((id_of(unit), serde_json::json!(answers).to_string()));
        }
        store.insert_wave_responses(org_id, &id, &rows, &date_utc(closes_at - 7 * DAY)).await?;
        store.close_wave(org_id, &id, Actor::System, closes_at).await?;
        super::waves::keep_results(store, catalog, org_id, &id).await?;
    }
    // One employee took the inventory for themselves and stepped forward.
    if let (Some(svi), Some((email, _, _))) = (super::champions::instrument_for(catalog, org_id), people.iter().find(|p| p.2 == "Platform")) {
        let employee = store.employees(org_id).await?.into_iter().find(|e| &e.email == email).map(|e| e.id).unwrap_or_default();
        let answers: BTreeMap<&str, String> = svi.bank.file().items.iter().map(|i| (i.id.as_str(), answer(&mut rng, 3.9, i.reverse.unwrap_or(false)))).collect();
        let f = svi.bank.file();
        store.save_self_assessment(org_id, &employee, &f.instrument.id, &f.instrument.version, &serde_json::json!(answers).to_string(), true, now).await?;
        let shared = serde_json::json!({ "vigilance": super::champions::band_word(assessments::norms::derived::BandLabel::High) }).to_string();
        store.list_champion(org_id, &employee, &shared, Some("Happy to help with phishing questions."), now).await?;
    }
    Ok(())
}
