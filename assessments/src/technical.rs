//! The numbers of an instrument version's technical report, from one set of
//! answer sheets (collected or simulated): per scale N, mean, SD, alpha
//! with its Feldt interval, omega and the one-factor loadings (a check
//! that one factor carries the scale), SEM, marginal IRT reliability; the
//! correlations between scales; and, for a calibrated bank, how many items
//! the adaptive test saves at its SE target (a simulation study).

use serde::{Deserialize, Serialize};

use crate::{
    bank::Bank,
    cat::{study::StudyReport, CatConfig, CatPool},
    commands::{analyze_sessions_on, AnalysisReport},
    irt::grm::{marginal_reliability, GrmItem},
    reliability::{complete_case_columns, omega_one_factor},
    responses::Responses,
    scoring::Scorer,
    stats::{mean, pearson, sample_sd},
};

/// One scale's facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleFacts {
    pub scale: String,
    /// Sessions with a scorable raw score.
    pub n: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub alpha: Option<f64>,
    pub alpha_ci95: Option<[f64; 2]>,
    pub omega: Option<f64>,
    /// Smallest and largest standardised one-factor loading.
    pub loadings: Option<[f64; 2]>,
    /// `SEM = SD * sqrt(1 - alpha)`.
    pub sem: Option<f64>,
    /// Of the scale's GRM parameters, when calibrated.
    pub marginal_reliability: Option<f64>,
}

/// Everything the report computes from the sheets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TechnicalNumbers {
    pub sessions: usize,
    pub scales: Vec<ScaleFacts>,
    /// Pearson correlations of the scales' raw scores (pairwise complete), by scale order.
    pub correlations: Vec<Vec<Option<f64>>>,
    /// Item statistics and reliability, as item analysis gives them.
    pub analysis: AnalysisReport,
    /// The adaptive test against the full form, when the bank is calibrated.
    pub cat: Option<StudyReport>,
}

/// `SEM = SD * sqrt(1 - r)`.
pub fn standard_error_of_measurement(sd: f64, reliability: f64) -> f64 {
    sd * (1.0 - reliability.clamp(0.0, 1.0)).sqrt()
}

/// The report's numbers. `cat`: the bank's pool and settings, and how many
/// simulated candidates (with a seed) the adaptive study runs.
pub fn technical_numbers(bank: &Bank, sessions: &[Responses], threads: usize, cat: Option<(&CatPool, &CatConfig, usize, u64)>) -> TechnicalNumbers {
    let analysis = analyze_sessions_on(bank, sessions, threads);
    let scorer = Scorer::raw_only(bank);
    let raw: Vec<Vec<Option<f64>>> = sessions.iter().map(|s| scorer.raw_scores(s).iter().map(|r| r.raw).collect()).collect();
    let column = |k: usize| raw.iter().filter_map(|row| row.get(k).copied().flatten()).collect::<Vec<f64>>();
    let scales: Vec<ScaleFacts> = bank
        .scales()
        .iter()
        .enumerate()
        .map(|(k, def)| {
            let xs = column(k);
            let found = analysis.scales.iter().find(|a| a.scale == def.id);
            let alpha = found.and_then(|a| a.alpha);
            let sd = sample_sd(&xs);
            let one_factor = omega_one_factor(&complete_case_columns(bank, k, sessions));
            let loadings = one_factor.as_ref().and_then(|o| {
                let lo = o.loadings.iter().copied().reduce(f64::min)?;
                let hi = o.loadings.iter().copied().reduce(f64::max)?;
                Some([lo, hi])
            });
            let grm: Option<Vec<GrmItem>> = bank.items_of_scale(&def.id).iter().map(|i| i.grm.as_ref().map(|g| GrmItem { a: g.a, b: g.b.clone() })).collect();
            ScaleFacts {
                scale: def.id.clone(),
                n: xs.len(),
                mean: mean(&xs),
                sd,
                alpha,
                alpha_ci95: found.and_then(|a| a.alpha_ci95),
                omega: found.and_then(|a| a.omega),
                loadings,
                sem: sd.zip(alpha).map(|(sd, a)| standard_error_of_measurement(sd, a)),
                marginal_reliability: grm.filter(|g| !g.is_empty()).map(|g| marginal_reliability(&g)),
            }
        })
        .collect();
    let n_scales = bank.scales().len();
    let correlations = (0..n_scales)
        .map(|a| {
            (0..n_scales)
                .map(|b| {
                    let (xs, ys): (Vec<f64>, Vec<f64>) = raw.iter().filter_map(|row| Some((row.get(a).copied().flatten()?, row.get(b).copied().flatten()?))).unzip();
                    pearson(&xs, &ys)
                })
                .collect()
        })
        .collect();
    let cat = cat.and_then(|(pool, config, n, seed)| crate::cat::study::simulate(pool, config, n, seed).ok());
    TechnicalNumbers { sessions: sessions.len(), scales, correlations, analysis, cat }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{SimulationModel, SimulationOptions, Simulator};

    #[test]
    fn the_sem_follows_the_formula() {
        // SD 10, r .91: SEM = 10 * sqrt(.09) = 3.
        assert!((standard_error_of_measurement(10.0, 0.91) - 3.0).abs() < 1e-12);
        assert_eq!(standard_error_of_measurement(10.0, 1.0), 0.0);
        assert_eq!(standard_error_of_measurement(10.0, -0.2), 10.0, "a negative reliability counts as 0");
    }

    #[test]
    fn the_numbers_of_the_simulated_svi_are_those_of_item_analysis() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/banks/svi");
        let bank = Bank::parse(&std::fs::read_to_string(format!("{dir}/1.0.0.toml")).unwrap(), "svi").unwrap();
        let model_src = std::fs::read_to_string(format!("{dir}/simulation/1.0.0.toml")).unwrap();
        let model = SimulationModel::parse(&model_src, "model", &bank).unwrap();
        let people = Simulator::new(&bank, &model).unwrap().simulate(&SimulationOptions { n: 300, seed: 7, ..SimulationOptions::default() });
        let sessions: Vec<Responses> = people.into_iter().map(|p| p.responses).collect();
        let pool = crate::adaptive::cat_pool(&bank, &[]).unwrap();
        let config = crate::adaptive::cat_config(&bank);
        let t = technical_numbers(&bank, &sessions, 1, Some((&pool, &config, 50, 1)));
        assert_eq!(t.sessions, 300);
        assert_eq!(t.scales.len(), bank.scales().len());
        for (facts, analysed) in t.scales.iter().zip(&t.analysis.scales) {
            assert_eq!(facts.alpha, analysed.alpha, "{}", facts.scale);
            let sem = facts.sem.unwrap();
            assert!((sem - facts.sd.unwrap() * (1.0 - facts.alpha.unwrap()).sqrt()).abs() < 1e-12);
            assert!(facts.marginal_reliability.is_some_and(|r| r > 0.5 && r < 1.0), "calibrated");
            let [lo, hi] = facts.loadings.unwrap();
            assert!(lo <= hi && hi <= 1.0);
        }
        for (a, row) in t.correlations.iter().enumerate() {
            assert!((row[a].unwrap() - 1.0).abs() < 1e-9, "a scale correlates 1 with itself");
            for (b, r) in row.iter().enumerate() {
                assert_eq!(*r, t.correlations[b][a], "symmetric");
            }
        }
        let cat = t.cat.expect("a study");
        assert!(cat.item_ratio > 0.0 && cat.item_ratio < 1.0, "the adaptive test asks fewer items");
    }
}
