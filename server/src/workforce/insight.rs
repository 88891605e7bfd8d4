//! What HR and security read of the waves: the list, one wave's kept
//! results with the change from the wave before, a unit's trend, and the
//! security view that flags units (never people) whose intention to leave
//! or security climate moved beyond the organisation's threshold, with
//! what the joint HR-security playbook suggests.

use std::collections::BTreeMap;

use assessments::workforce::groups::Interval;

use super::results::{changes, WaveResults};
use crate::{
    service_error::ServiceError,
    staff::Caller,
    store::{Store, WaveRow, WorkforceSettings},
};

/// `Forbidden` unless the caller may read workforce results (security and administrators).
pub fn require_workforce_reader(caller: &Caller) -> Result<(), ServiceError> {
    if caller.role.may_read_workforce() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The organisation's waves, newest first.
pub async fn waves(store: &Store, caller: &Caller) -> Result<Vec<WaveRow>, ServiceError> {
    require_workforce_reader(caller)?;
    Ok(store.waves_of(&caller.org_id).await?)
}

fn parse(json: &str) -> Result<WaveResults, ServiceError> {
    serde_json::from_str(json).map_err(|e| ServiceError::Misconfigured(format!("kept results do not read: {e}")))
}

/// One wave as its page shows it.
pub struct WaveReport {
    pub wave: WaveRow,
    /// Kept at the close; `None` while the wave is open.
    pub results: Option<WaveResults>,
    /// The wave of the same instrument closed before this one, if any.
    pub previous: Option<WaveRow>,
    /// (unit id, scale column) → change from the previous wave.
    pub changes: BTreeMap<(String, usize), Interval>,
    /// While open: (invited, answered) in all.
    pub participation: Option<(i64, i64)>,
}

/// One wave: its kept results and the change from the wave before, or its participation while open.
pub async fn report(store: &Store, caller: &Caller, wave_id: &str) -> Result<WaveReport, ServiceError> {
    require_workforce_reader(caller)?;
    let wave = store.wave(&caller.org_id, wave_id).await?.ok_or(ServiceError::NotFound)?;
    if wave.status == "open" {
        let (invited, answered) = store.wave_participation(&caller.org_id, wave_id).await?.iter().fold((0, 0), |(i, a), (_, n, d)| (i + n, a + d));
        return Ok(WaveReport { wave, results: None, previous: None, changes: BTreeMap::new(), participation: Some((invited, answered)) });
    }
    let kept = store.kept_results_of(&caller.org_id, &wave.instrument).await?;
    let at = kept.iter().position(|(w, _)| w.id == wave.id);
    let results = match at {
        Some(i) => Some(parse(&kept[i].1)?),
        None => None,
    };
    let (previous, change) = match (at, &results) {
        (Some(i), Some(r)) if i > 0 => {
            let before = parse(&kept[i - 1].1)?;
            (Some(kept[i - 1].0.clone()), changes(&before, r))
        }
        _ => (None, BTreeMap::new()),
    };
    Ok(WaveReport { wave, results, previous, changes: change, participation: None })
}

/// One unit across the closed waves of an instrument, oldest first: each
/// wave with the unit's row (`None` where the unit was not in the wave).
pub struct Trend {
    pub unit: String,
    pub scales: Vec<(String, String)>,
    pub points: Vec<(WaveRow, Option<super::results::UnitResult>)>,
}

/// A unit's trend across the closed waves of the instrument of wave `wave_id` (of the caller's organisation).
pub async fn wave_unit_trend(store: &Store, caller: &Caller, wave_id: &str, unit_id: &str) -> Result<Trend, ServiceError> {
    require_workforce_reader(caller)?;
    let wave = store.wave(&caller.org_id, wave_id).await?.ok_or(ServiceError::NotFound)?;
    trend(store, caller, &wave.instrument, unit_id).await
}

/// A unit's trend (by unit id) across the closed waves of `instrument`.
pub async fn trend(store: &Store, caller: &Caller, instrument: &str, unit_id: &str) -> Result<Trend, ServiceError> {
    require_workforce_reader(caller)?;
    let units = store.org_units(&caller.org_id).await?;
    let unit = units.iter().find(|u| u.id == unit_id).ok_or(ServiceError::NotFound)?.name.clone();
    let mut scales = Vec::new();
    let mut points = Vec::new();
    for (wave, json) in store.kept_results_of(&caller.org_id, instrument).await? {
        let results = parse(&json)?;
        if scales.is_empty() {
            scales = results.scales.clone();
        }
        let row = results.unit(unit_id).cloned();
        points.push((wave, row));
    }
    Ok(Trend { unit, scales, points })
}

/// What the joint HR-security playbook suggests for a unit whose scale
/// moved the way that matters: (scale id, rising?) → suggestions. The one
/// place these words live.
pub const PLAYBOOK: &[(&str, bool, &[&str])] = &[
    (
        "intention_to_leave",
        true,
        &[
            "Review how access ends when people leave this unit: accounts, devices and shared data closed on the last day, by the offboarding checklist.",
            "Check that this unit's access reviews (joiners, movers, leavers) are up to date.",
            "HR and the unit's manager talk with the team about what is behind the change: with the group, never about one person.",
        ],
    ),
    (
        "security_climate",
        false,
        &[
            "Talk with the team about what gets in the way of security in daily work, and what would help.",
            "Offer short training the team chooses, and make sure mistakes can be reported without blame.",
            "Check the offboarding and access checks of this unit, as for any unit under strain.",
        ],
    ),
];

/// A flagged unit: the scale, how it moved between which waves, and what the playbook suggests.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub unit: String,
    pub unit_id: String,
    pub scale: String,
    pub change: Interval,
    /// The 90% interval leaves out zero: a change beyond chance.
    pub clear: bool,
    /// The two waves compared: the unit's last two in which it was shown.
    pub from_wave: String,
    pub to_wave: String,
    pub suggestions: &'static [&'static str],
}

/// The security view: every unit's latest wave against its wave before.
pub struct SecurityView {
    /// Closed waves with results, newest last.
    pub waves: usize,
    pub settings: WorkforceSettings,
    pub flags: Vec<Flag>,
}

/// The units whose intention to leave rose, or whose security climate fell,
/// by at least `threshold` from `before` to `after` (units shown in both).
pub fn flags(before: &WaveResults, after: &WaveResults, threshold: f64) -> Vec<Flag> {
    flags_between(("", before), ("", after), threshold, |_| true)
}

fn flags_between((from, before): (&str, &WaveResults), (to, after): (&str, &WaveResults), threshold: f64, include: impl Fn(&str) -> bool) -> Vec<Flag> {
    let change = changes(before, after);
    let mut out = Vec::new();
    for unit in after.units.iter().filter(|u| include(&u.unit_id)) {
        for (scale, rising, suggestions) in PLAYBOOK {
            let Some(s) = after.scale(scale) else { continue };
            let Some(d) = change.get(&(unit.unit_id.clone(), s)) else { continue };
            let moved = if *rising { d.estimate } else { -d.estimate };
            if moved >= threshold {
                let clear = if *rising { d.low > 0.0 } else { d.high < 0.0 };
                out.push(Flag { unit: unit.name.clone(), unit_id: unit.unit_id.clone(), scale: after.scales[s].1.clone(), change: *d, clear, from_wave: from.to_string(), to_wave: to.to_string(), suggestions });
            }
        }
    }
    out
}

/// Each unit compared across its last two waves in which it was shown
/// (waves may cover different units): `kept` oldest first.
pub fn unit_flags(kept: &[(String, WaveResults)], threshold: f64) -> Vec<Flag> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, (to, after)) in kept.iter().enumerate().rev() {
        for unit in after.units.iter().filter(|u| u.respondents.is_some()) {
            if !seen.insert(unit.unit_id.clone()) {
                continue; // compared in a later wave already
            }
            let earlier = kept[..i].iter().rev().find(|(_, r)| r.unit(&unit.unit_id).is_some_and(|u| u.respondents.is_some()));
            if let Some((from, before)) = earlier {
                out.extend(flags_between((from, before), (to, after), threshold, |id| id == unit.unit_id));
            }
        }
    }
    out
}

/// The security view over every closed wave of a workforce instrument.
pub async fn security_view(store: &Store, caller: &Caller, instrument: &str) -> Result<SecurityView, ServiceError> {
    require_workforce_reader(caller)?;
    let settings = store.workforce_settings(&caller.org_id).await?;
    let kept: Vec<(String, WaveResults)> = store.kept_results_of(&caller.org_id, instrument).await?.into_iter().map(|(w, json)| Ok((w.name, parse(&json)?))).collect::<Result<_, ServiceError>>()?;
    Ok(SecurityView { waves: kept.len(), flags: unit_flags(&kept, settings.flag_change), settings })
}

/// Changes the workforce settings (administrators): retention 30–3650 days, threshold 0.1–2 points.
pub async fn set_settings(store: &Store, caller: &Caller, retention_days: i64, flag_change: f64) -> Result<(), ServiceError> {
    crate::staff::require_admin(caller)?;
    if !(30..=3650).contains(&retention_days) {
        return Err(ServiceError::Invalid("Keep answers between 30 and 3650 days after a wave closes.".into()));
    }
    if !(0.1..=2.0).contains(&flag_change) {
        return Err(ServiceError::Invalid("The threshold is a change of 0.1 to 2 points on the 1–5 scale.".into()));
    }
    store.set_workforce_settings(&caller.org_id, WorkforceSettings { retention_days, flag_change }, &caller.user_id, crate::time::now_ms()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workforce::results::{Cell, UnitResult};

    #[test]
    fn each_unit_is_compared_across_its_own_last_two_waves() {
        let before = results(&[2.0, 2.5, 2.0, 3.0, 2.5, 2.0], &[4.0, 4.5, 4.0, 4.0, 3.5, 4.0]);
        let after = results(&[3.5, 4.0, 3.0, 4.5, 3.5, 4.0], &[4.0, 4.5, 4.0, 4.0, 3.5, 4.0]);
        // A later wave of other units only: Sales is still compared spring to autumn.
        let mut elsewhere = after.clone();
        elsewhere.units[0].unit_id = "u2".into();
        let kept = vec![("spring".to_string(), before), ("autumn".to_string(), after), ("lab".to_string(), elsewhere)];
        let f = unit_flags(&kept, 0.3);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].from_wave.as_str(), f[0].to_wave.as_str(), f[0].unit_id.as_str()), ("spring", "autumn", "u1"));
    }
    use assessments::workforce::groups::summary;

    fn results(itl: &[f64], climate: &[f64]) -> WaveResults {
        let cell = |x: &[f64]| {
            Some(Cell {
                mean: Interval { estimate: 0.0, low: 0.0, high: 0.0 },
                high: Interval { estimate: 0.0, low: 0.0, high: 0.0 },
                summary: summary(x).expect("five"),
                distribution: [0.0; 5],
            })
        };
        WaveResults {
            scales: vec![("intention_to_leave".into(), "Intention to leave".into()), ("security_climate".into(), "Security climate".into())],
            units: vec![UnitResult { unit_id: "u1".into(), name: "Sales".into(), depth: 0, respondents: Some(6), response_rate: Some(0.6), cells: vec![cell(itl), cell(climate)] }],
            released: Some(6),
            breakdowns: Vec::new(),
        }
    }

    #[test]
    fn a_unit_is_flagged_when_leaving_rises_or_climate_falls_by_the_threshold() {
        let before = results(&[2.0, 2.5, 2.0, 3.0, 2.5, 2.0], &[4.0, 4.5, 4.0, 4.0, 3.5, 4.0]);
        let after = results(&[3.5, 4.0, 3.0, 4.5, 3.5, 4.0], &[3.9, 4.4, 4.0, 4.0, 3.5, 4.0]);
        let f = flags(&before, &after, 0.3);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].scale, "Intention to leave");
        assert!((f[0].change.estimate - (22.5 - 14.0) / 6.0).abs() < 1e-12);
        assert!(f[0].clear, "a rise of 1.4 points in groups of 6 is beyond chance: {:?}", f[0].change);
        assert!(f[0].suggestions[0].contains("offboarding"));
        // Leaving falling, climate rising: nothing to flag.
        assert!(flags(&after, &before, 0.3).is_empty());
        // The climate fell by 0.2/6 points: flagged only at a threshold that small, and not beyond chance.
        let small = flags(&before, &after, 0.03);
        let climate = small.iter().find(|f| f.scale == "Security climate").expect("climate flagged");
        assert!(!climate.clear && climate.suggestions[0].contains("daily work"));
    }
}
