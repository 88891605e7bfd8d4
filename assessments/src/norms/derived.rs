//! Derived scores, one small function per formula: z, percentile rank,
//! normalised z, T, sten, stanine, the SEM and the 90% band, and the range
//! a T falls in.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

/// z = (x - mean) / SD
pub fn z_score(x: f64, mean: f64, sd: f64) -> f64 {
    (x - mean) / sd
}

/// Mid-point percentile rank: `PR = 100 * (count_below + 0.5 * count_equal) / N`.
pub fn midpoint_percentile_rank(below: usize, equal: usize, n: usize) -> f64 {
    if n == 0 {
        return f64::NAN;
    }
    100.0 * (below as f64 + 0.5 * equal as f64) / n as f64
}

/// Percentile rank of raw score `x` by linear interpolation in the table
/// `(raw, PR)`. Below the lowest tabled score PR = 0, above the highest
/// PR = 100 (no one in the norm group scored there).
pub fn interpolate_percentile(table: &[[f64; 2]], x: f64) -> f64 {
    let (Some(first), Some(last)) = (table.first(), table.last()) else {
        return f64::NAN;
    };
    if x.is_nan() {
        return f64::NAN;
    }
    if x < first[0] {
        return 0.0;
    }
    if x > last[0] {
        return 100.0;
    }
    // first index with raw >= x
    let i = table.partition_point(|p| p[0] < x);
    match (i.checked_sub(1).and_then(|j| table.get(j)), table.get(i)) {
        (_, Some(hi)) if hi[0] == x => hi[1],
        (Some(lo), Some(hi)) => lo[1] + (hi[1] - lo[1]) * (x - lo[0]) / (hi[0] - lo[0]),
        (None, Some(hi)) => hi[1],
        (_, None) => last[1],
    }
}

/// Percentile rank as reported: clamped to 1..99.
pub fn reported_percentile(pr: f64) -> f64 {
    // PR reported within 1..99
    pr.clamp(1.0, 99.0)
}

/// Standard normal quantile `Phi^-1(p)`, defined for p in (0, 1).
pub fn inverse_normal(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return if p <= 0.0 { f64::NEG_INFINITY } else if p >= 1.0 { f64::INFINITY } else { f64::NAN };
    }
    Normal::standard().inverse_cdf(p)
}

/// Normalised z: `z_n = Phi^-1(PR / 100)` with PR already within 1..99.
pub fn normalised_z(pr_reported: f64) -> f64 {
    inverse_normal(pr_reported / 100.0)
}

/// T = 50 + 10 z_n, rounded.
pub fn t_score(z_n: f64) -> i32 {
    (50.0 + 10.0 * z_n).round() as i32
}

/// sten = clamp(round(5.5 + 2 z_n), 1, 10)
pub fn sten(z_n: f64) -> u8 {
    (5.5 + 2.0 * z_n).round().clamp(1.0, 10.0) as u8
}

/// stanine = clamp(round(5 + 2 z_n), 1, 9)
pub fn stanine(z_n: f64) -> u8 {
    (5.0 + 2.0 * z_n).round().clamp(1.0, 9.0) as u8
}

/// Standard error of measurement: SEM = SD * sqrt(1 - r).
pub fn sem(sd: f64, reliability: f64) -> f64 {
    sd * (1.0 - reliability).max(0.0).sqrt()
}

/// z for a two-sided 90% band.
pub const Z_90: f64 = 1.645;

/// 90% band around an observed raw score: x +/- 1.645 SEM.
pub fn band_90(x: f64, sem: f64) -> (f64, f64) {
    (x - Z_90 * sem, x + Z_90 * sem)
}

/// Interpretation band of a T score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BandLabel {
    /// T < 40 (about the lowest 16%)
    Low,
    /// 40 <= T <= 60
    Average,
    /// T > 60 (about the highest 16%)
    High,
}

/// Lowest T of the average range (below it: low).
pub const T_AVERAGE_FROM: i32 = 40;

/// Highest T of the average range (above it: high).
pub const T_AVERAGE_TO: i32 = 60;

/// T < 40 low, 40-60 average, T > 60 high: the one place this rule lives
/// (reports, charts and exports all read it from here).
pub fn band_label(t: i32) -> BandLabel {
    if t < T_AVERAGE_FROM {
        BandLabel::Low
    } else if t > T_AVERAGE_TO {
        BandLabel::High
    } else {
        BandLabel::Average
    }
}
