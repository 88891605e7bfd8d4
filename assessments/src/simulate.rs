//! Simulated respondents from a population model (demonstration data).
//!
//! Every simulated respondent has latent scale scores drawn from a
//! multivariate normal distribution with the model's correlation matrix
//! (`theta = L z`, `L L' = R` by Cholesky, `z ~ N(0, I)`). Item answers
//! follow Samejima's graded response model with the model's generating
//! parameters, in the keyed direction; reverse-keyed items are then
//! reversed, so that answers look as a respondent would give them. An SJT
//! answer draws a key level by the GRM over the item's distinct key levels,
//! then one of the options with that key. Attentive respondents answer check
//! items inside `attentive` with high probability. A share of careless
//! respondents answers at random or in long strings, fast.
//!
//! Everything is seeded (ChaCha8), so the same model and seed always give
//! the same respondents.
//!
//! Each bank version has its own model file,
//! `assessments/banks/<instrument>/simulation/<version>.toml`; its format is
//! in `docs/bank-format.md`.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::bank::{grm_problems, syntax_error, Bank, BankError, Grm, Issue, ItemType};
use crate::irt::grm::category_probabilities;
use crate::responses::{Answer, Responses};
use crate::scoring::reverse_key;

/// The population-model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulationModel {
    pub bank: String,
    pub bank_version: String,
    #[serde(default)]
    pub careless_share: f64,
    pub latent: Latent,
    #[serde(default)]
    pub items: BTreeMap<String, Grm>,
}

/// Latent scales and their correlation matrix (in the order of `scales`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Latent {
    pub scales: Vec<String>,
    pub correlations: Vec<Vec<f64>>,
}

/// Cholesky factor `L` (lower triangular, `L L' = R`); `None` when `R` is
/// not symmetric positive definite.
pub fn cholesky(r: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = r.len();
    let mut l = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in 0..=i {
            let rij = *r.get(i)?.get(j)?;
            if (rij - *r.get(j)?.get(i)?).abs() > 1e-9 {
                return None;
            }
            let s: f64 = (0..j).map(|m| l[i][m] * l[j][m]).sum();
            if i == j {
                let d = rij - s;
                if d.is_nan() || d <= 1e-12 {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (rij - s) / l[j][j];
            }
        }
    }
    Some(l)
}

impl SimulationModel {
    /// Parses a model and checks it against `bank`: same bank and version,
    /// known latent scales, a valid correlation matrix (symmetric, unit
    /// diagonal, positive definite), and valid GRM parameters for every
    /// Likert and SJT item of a latent scale.
    pub fn parse(src: &str, file: &str, bank: &Bank) -> Result<SimulationModel, BankError> {
        let model: SimulationModel = toml::from_str(src).map_err(|e| syntax_error(file, src, &e))?;
        let mut issues = Vec::new();
        let mut at = |line: Option<usize>, item: Option<&str>, message: String| {
            issues.push(Issue {
                line,
                item: item.map(str::to_string),
                message,
            })
        };
        let key_line = |key: &str| src.lines().position(|l| l.trim_start().starts_with(key)).map(|p| p + 1);
        if model.bank != bank.id() || model.bank_version != bank.version() {
            at(
                key_line("bank"),
                None,
                format!(
                    "model is for {}@{}, the bank is {}@{}",
                    model.bank,
                    model.bank_version,
                    bank.id(),
                    bank.version()
                ),
            );
        }
        if !(0.0..=1.0).contains(&model.careless_share) {
            at(key_line("careless_share"), None, "careless_share must lie between 0 and 1".into());
        }
        let k = model.latent.scales.len();
        let mut seen = HashSet::new();
        for s in &model.latent.scales {
            if bank.scale(s).is_none() {
                at(key_line("scales"), Some(s), "latent scale is not a scale of the bank".into());
            }
            if !seen.insert(s) {
                at(key_line("scales"), Some(s), "latent scale listed twice".into());
            }
        }
        let r = &model.latent.correlations;
        let cline = key_line("correlations");
        if r.len() != k || r.iter().any(|row| row.len() != k) {
            at(cline, None, format!("correlations must be a {k} x {k} matrix (one row and column per latent scale)"));
        } else if r.iter().enumerate().any(|(i, row)| row.get(i).is_none_or(|d| (d - 1.0).abs() > 1e-9))
            || r.iter().flatten().any(|x| !(-1.0..=1.0).contains(x))
        {
            at(cline, None, "correlations need a unit diagonal and entries within -1..1".into());
        } else if cholesky(r).is_none() {
            at(cline, None, "correlation matrix is not symmetric positive definite".into());
        }
        let latent: HashSet<&str> = model.latent.scales.iter().map(String::as_str).collect();
        for (id, g) in &model.items {
            let quoted = format!("\"{id}\"");
            let line = src.lines().position(|l| l.trim_start().starts_with(&quoted)).map(|p| p + 1);
            let Some(idx) = bank.item_index(id) else {
                at(line, Some(id), "no such item in the bank".into());
                continue;
            };
            let (Some(item), Some(info)) = (bank.items().get(idx), bank.item_info(idx)) else {
                continue;
            };
            let categories = match item.kind {
                ItemType::Likert => (info.max - info.min + 1).max(0) as usize,
                ItemType::Sjt => info.keys.iter().collect::<BTreeSet<_>>().len(),
                ItemType::Check => {
                    at(line, Some(id), "check items have no generating parameters".into());
                    continue;
                }
            };
            if !item.scale.as_deref().is_some_and(|s| latent.contains(s)) {
                at(line, Some(id), "item's scale is not among the latent scales".into());
            }
            for p in grm_problems(g, categories) {
                at(line, Some(id), p);
            }
        }
        for it in bank.items() {
            if it.kind != ItemType::Check
                && it.scale.as_deref().is_some_and(|s| latent.contains(s))
                && !model.items.contains_key(&it.id)
            {
                at(find_header_line_items(src), Some(&it.id), "item of a latent scale has no generating parameters".into());
            }
        }
        if issues.is_empty() {
            Ok(model)
        } else {
            Err(BankError::Invalid {
                file: file.to_string(),
                issues,
            })
        }
    }
}

fn find_header_line_items(src: &str) -> Option<usize> {
    crate::bank::find_header_line(src, "[items]")
}

/// Kinds of careless responding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Careless {
    /// Uniform random answers.
    Random,
    /// The same answer again and again.
    LongString,
}

/// Options of a simulation run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SimulationOptions {
    pub n: usize,
    pub seed: u64,
    /// Overrides the model's `careless_share` when set.
    pub careless_share: Option<f64>,
    /// Probability that an attentive respondent passes a check item.
    pub attentive_check_pass: f64,
    /// Simulate item latencies.
    pub latencies: bool,
}

impl Default for SimulationOptions {
    fn default() -> Self {
        SimulationOptions {
            n: 1000,
            seed: 1,
            careless_share: None,
            attentive_check_pass: 0.97,
            latencies: true,
        }
    }
}

/// One simulated respondent.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulated {
    pub responses: Responses,
    /// Latent scores in the model's scale order.
    pub latent: Vec<f64>,
    pub careless: Option<Careless>,
}

/// What the simulator does for one item.
#[derive(Debug, Clone)]
enum Plan {
    /// Likert: latent index, GRM, response min / max, reverse.
    Likert { latent: usize, a: f64, b: Vec<f64>, min: i32, max: i32, reverse: bool },
    /// SJT: latent index, GRM over key levels, options grouped by level.
    Sjt { latent: usize, a: f64, b: Vec<f64>, by_level: Vec<Vec<u16>> },
    /// Check item: all answers and the attentive ones.
    Check { min: i32, max: i32, attentive: Vec<i32> },
    /// Not simulated (scale outside the latent model): left missing.
    Skip,
}

/// A population model prepared for one bank.
#[derive(Debug, Clone)]
pub struct Simulator<'a> {
    bank: &'a Bank,
    chol: Vec<Vec<f64>>,
    plans: Vec<Plan>,
    careless_share: f64,
}

impl<'a> Simulator<'a> {
    /// Prepares a model (already checked by [`SimulationModel::parse`]).
    pub fn new(bank: &'a Bank, model: &SimulationModel) -> Result<Simulator<'a>, BankError> {
        let invalid = |m: String| BankError::Invalid {
            file: format!("simulation model for {}", bank.id()),
            issues: vec![Issue { line: None, item: None, message: m }],
        };
        let chol = cholesky(&model.latent.correlations)
            .ok_or_else(|| invalid("correlation matrix is not positive definite".into()))?;
        let pos: BTreeMap<&str, usize> =
            model.latent.scales.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
        let mut plans = Vec::with_capacity(bank.items().len());
        for (item, info) in bank.items().iter().zip(bank.item_infos()) {
            let latent = item.scale.as_deref().and_then(|s| pos.get(s).copied());
            let grm = model.items.get(&item.id);
            let plan = match (item.kind, latent, grm) {
                (ItemType::Check, _, _) => Plan::Check {
                    min: info.min,
                    max: info.max,
                    attentive: info.attentive.clone(),
                },
                (ItemType::Likert, Some(l), Some(g)) => Plan::Likert {
                    latent: l,
                    a: g.a,
                    b: g.b.clone(),
                    min: info.min,
                    max: info.max,
                    reverse: info.reverse,
                },
                (ItemType::Sjt, Some(l), Some(g)) => {
                    let levels: BTreeSet<i32> = info.keys.iter().copied().collect();
                    let by_level = levels
                        .iter()
                        .map(|lv| {
                            info.keys
                                .iter()
                                .enumerate()
                                .filter(|(_, k)| *k == lv)
                                .filter_map(|(o, _)| u16::try_from(o).ok())
                                .collect()
                        })
                        .collect();
                    Plan::Sjt { latent: l, a: g.a, b: g.b.clone(), by_level }
                }
                (_, Some(_), None) => {
                    return Err(invalid(format!("item `{}` has no generating parameters", item.id)))
                }
                _ => Plan::Skip,
            };
            if let Plan::Likert { b, min, max, .. } = &plan {
                if b.len() as i64 != i64::from(*max) - i64::from(*min) {
                    return Err(invalid(format!("item `{}`: wrong number of thresholds", item.id)));
                }
            }
            if let Plan::Sjt { b, by_level, .. } = &plan {
                if b.len() + 1 != by_level.len() {
                    return Err(invalid(format!("item `{}`: wrong number of thresholds", item.id)));
                }
            }
            plans.push(plan);
        }
        Ok(Simulator {
            bank,
            chol,
            plans,
            careless_share: model.careless_share,
        })
    }

    /// `n` respondents from seed `opts.seed`, ids `sim-000001`, ...
    pub fn simulate(&self, opts: &SimulationOptions) -> Vec<Simulated> {
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        let share = opts.careless_share.unwrap_or(self.careless_share).clamp(0.0, 1.0);
        (0..opts.n)
            .map(|i| {
                let careless = if rng.random::<f64>() < share {
                    Some(if rng.random::<bool>() { Careless::Random } else { Careless::LongString })
                } else {
                    None
                };
                self.respondent(&mut rng, format!("sim-{:06}", i + 1), careless, opts)
            })
            .collect()
    }

    /// Latent scores `theta = L z` with `z ~ N(0, I)`.
    fn draw_latent(&self, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let z: Vec<f64> = (0..self.chol.len()).map(|_| StandardNormal.sample(rng)).collect();
        self.chol
            .iter()
            .map(|row| row.iter().zip(&z).map(|(l, z)| l * z).sum())
            .collect()
    }

    /// One respondent.
    pub fn respondent(
        &self,
        rng: &mut ChaCha8Rng,
        id: String,
        careless: Option<Careless>,
        opts: &SimulationOptions,
    ) -> Simulated {
        let latent = self.draw_latent(rng);
        let mut r = Responses::new(self.bank, id);
        let mut probs = Vec::with_capacity(8);
        let long_value: f64 = rng.random();
        for (i, plan) in self.plans.iter().enumerate() {
            let answer = match careless {
                None => self.attentive_answer(plan, &latent, rng, &mut probs, opts),
                Some(kind) => careless_answer(plan, kind, long_value, rng),
            };
            r.set_index(i, answer);
            if opts.latencies && answer.is_some() {
                r.set_latency_index(i, Some(latency_ms(plan, careless.is_some(), rng)));
            }
        }
        Simulated {
            responses: r,
            latent,
            careless,
        }
    }

    fn attentive_answer(
        &self,
        plan: &Plan,
        latent: &[f64],
        rng: &mut ChaCha8Rng,
        probs: &mut Vec<f64>,
        opts: &SimulationOptions,
    ) -> Option<Answer> {
        match plan {
            Plan::Likert { latent: l, a, b, min, max, reverse } => {
                let k = grm_draw(*a, b, latent.get(*l).copied().unwrap_or(0.0), rng, probs);
                let keyed = min + k as i32;
                Some(Answer::Value(if *reverse { reverse_key(keyed, *min, *max) } else { keyed }))
            }
            Plan::Sjt { latent: l, a, b, by_level } => {
                let k = grm_draw(*a, b, latent.get(*l).copied().unwrap_or(0.0), rng, probs);
                let options = by_level.get(k)?;
                options.get(rng.random_range(0..options.len().max(1))).copied().map(Answer::Option)
            }
            Plan::Check { min, max, attentive } => {
                if rng.random::<f64>() < opts.attentive_check_pass && !attentive.is_empty() {
                    attentive.get(rng.random_range(0..attentive.len())).copied().map(Answer::Value)
                } else {
                    Some(Answer::Value(rng.random_range(*min..=*max)))
                }
            }
            Plan::Skip => None,
        }
    }
}

/// Draws a GRM category `0..=b.len()` at `theta`.
fn grm_draw(a: f64, b: &[f64], theta: f64, rng: &mut ChaCha8Rng, probs: &mut Vec<f64>) -> usize {
    probs.clear();
    probs.resize(b.len() + 1, 0.0);
    category_probabilities(a, b, theta, probs);
    let u: f64 = rng.random();
    let mut acc = 0.0;
    for (k, p) in probs.iter().enumerate() {
        acc += p;
        if u < acc {
            return k;
        }
    }
    b.len()
}

fn careless_answer(plan: &Plan, kind: Careless, long_value: f64, rng: &mut ChaCha8Rng) -> Option<Answer> {
    // long-string respondents repeat one position on the scale, with an
    // occasional deviation
    let pick = |min: i32, max: i32, rng: &mut ChaCha8Rng| -> i32 {
        match kind {
            Careless::LongString if rng.random::<f64>() < 0.9 => {
                min + ((long_value * f64::from(max - min + 1)).floor() as i32).min(max - min)
            }
            _ => rng.random_range(min..=max),
        }
    };
    match plan {
        Plan::Likert { min, max, .. } | Plan::Check { min, max, .. } => Some(Answer::Value(pick(*min, *max, rng))),
        Plan::Sjt { by_level, .. } => {
            let n: usize = by_level.iter().map(Vec::len).sum();
            let all: Vec<u16> = by_level.iter().flatten().copied().collect();
            all.get(rng.random_range(0..n.max(1))).copied().map(Answer::Option)
        }
        Plan::Skip => None,
    }
}

/// Plausible latencies: log-normal around 3.5 s for rating items and 14 s
/// for scenarios; careless respondents around 0.8 s.
fn latency_ms(plan: &Plan, careless: bool, rng: &mut ChaCha8Rng) -> u32 {
    let median_ms: f64 = match (careless, plan) {
        (true, _) => 800.0,
        (false, Plan::Sjt { .. }) => 14_000.0,
        (false, _) => 3_500.0,
    };
    let ms = LogNormal::new(median_ms.ln(), 0.45).map_or(median_ms, |d| d.sample(rng));
    ms.clamp(150.0, 600_000.0).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::tests::mini;
    use crate::reliability::complete_case_columns;
    use crate::stats::cronbach_alpha;
    use crate::validity::{assess, Status};

    pub(crate) const MINI_MODEL: &str = r#"
bank = "mini"
bank_version = "1.0.0"
careless_share = 0.0
[latent]
scales = ["motivation", "im", "judgement"]
correlations = [[1.0, 0.2, 0.4], [0.2, 1.0, 0.0], [0.4, 0.0, 1.0]]
[items]
"m1" = { a = 2.5, b = [-2.0, -1.0, 0.0, 1.0] }
"m2" = { a = 2.5, b = [-1.5, -0.5, 0.5, 1.5] }
"m3" = { a = 2.5, b = [-2.0, -1.0, 0.0, 1.0] }
"m4" = { a = 2.5, b = [-1.5, -0.5, 0.5, 1.5] }
"im1" = { a = 1.5, b = [-1.0, 0.0, 1.0, 2.0] }
"im2" = { a = 1.5, b = [-1.0, 0.0, 1.0, 2.0] }
"im3" = { a = 1.5, b = [-1.0, 0.0, 1.0, 2.0] }
"s1" = { a = 1.5, b = [-1.0, 0.5] }
"s2" = { a = 1.5, b = [0.0] }
"s3" = { a = 1.5, b = [0.0] }
"#;

    fn model() -> SimulationModel {
        SimulationModel::parse(MINI_MODEL, "sim.toml", &mini()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn cholesky_reproduces_the_matrix() {
        let r = vec![vec![1.0, 0.5, 0.3], vec![0.5, 1.0, 0.2], vec![0.3, 0.2, 1.0]];
        let l = cholesky(&r).unwrap_or_default();
        for i in 0..3 {
            for j in 0..3 {
                let v: f64 = (0..3).map(|m| l[i][m] * l[j][m]).sum();
                assert!((v - r[i][j]).abs() < 1e-12);
            }
        }
        assert!(cholesky(&[vec![1.0, 1.2], vec![1.2, 1.0]]).is_none());
    }

    #[test]
    fn model_validation_names_problems() {
        let b = mini();
        let bad = MINI_MODEL.replace("\"m4\" = { a = 2.5, b = [-1.5, -0.5, 0.5, 1.5] }\n", "");
        let e = SimulationModel::parse(&bad, "s.toml", &b).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("`m4`: item of a latent scale has no generating parameters"), "{e}");
        let bad = MINI_MODEL.replace("[1.0, 0.2, 0.4], [0.2, 1.0, 0.0]", "[1.0, 0.99, 0.4], [0.99, 1.0, -0.9]")
            .replace("[0.4, 0.0, 1.0]", "[0.4, -0.9, 1.0]");
        let e = SimulationModel::parse(&bad, "s.toml", &b).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("not symmetric positive definite"), "{e}");
        let bad = MINI_MODEL.replace("\"s2\" = { a = 1.5, b = [0.0] }", "\"s2\" = { a = 1.5, b = [0.0, 1.0] }");
        let e = SimulationModel::parse(&bad, "s.toml", &b).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("s.toml:") && e.contains("`s2`") && e.contains("expected 1"), "{e}");
    }

    #[test]
    fn simulation_is_reproducible_and_answers_are_in_range() {
        let b = mini();
        let m = model();
        let sim = Simulator::new(&b, &m).unwrap_or_else(|e| panic!("{e}"));
        let opts = SimulationOptions { n: 50, seed: 7, ..Default::default() };
        let a = sim.simulate(&opts);
        let again = sim.simulate(&opts);
        assert_eq!(a, again);
        let other = sim.simulate(&SimulationOptions { seed: 8, ..opts });
        assert_ne!(a, other);
        // every answer passes the bank's own checks (round trip through CSV)
        let sessions: Vec<Responses> = a.into_iter().map(|s| s.responses).collect();
        let csv = crate::responses::write_csv(&b, &sessions, true);
        let back = crate::responses::read_csv(&b, &csv, "sim.csv", &Default::default());
        assert_eq!(back.as_ref().map(Vec::len).ok(), Some(50), "{back:?}");
    }

    #[test]
    fn simulated_scale_is_reliable_and_latent_correlations_hold() {
        let b = mini();
        let sim = Simulator::new(&b, &model()).unwrap_or_else(|e| panic!("{e}"));
        let out = sim.simulate(&SimulationOptions { n: 2000, seed: 3, ..Default::default() });
        let corr = crate::stats::pearson(
            &out.iter().map(|s| s.latent[0]).collect::<Vec<_>>(),
            &out.iter().map(|s| s.latent[2]).collect::<Vec<_>>(),
        )
        .unwrap_or(0.0);
        assert!((corr - 0.4).abs() < 0.06, "latent r = {corr}");
        let sessions: Vec<Responses> = out.into_iter().map(|s| s.responses).collect();
        let cols = complete_case_columns(&b, b.scale_index("motivation").unwrap_or(0), &sessions);
        let alpha = cronbach_alpha(&cols).unwrap_or(0.0);
        // four items with a = 2.5 (two reverse-keyed, reversed back in scoring)
        assert!(alpha > 0.8, "alpha = {alpha}");
    }

    #[test]
    fn careless_respondents_are_flagged_by_validity_indices() {
        let b = mini();
        let sim = Simulator::new(&b, &model()).unwrap_or_else(|e| panic!("{e}"));
        let out = sim.simulate(&SimulationOptions { n: 400, seed: 11, careless_share: Some(0.5), ..Default::default() });
        let careless = out.iter().filter(|s| s.careless.is_some()).count();
        assert!((150..250).contains(&careless), "{careless}");
        let flagged = |want: bool| {
            out.iter()
                .filter(|s| s.careless.is_some() == want)
                .filter(|s| assess(&b, &s.responses, None).status != Status::Ok)
                .count() as f64
        };
        let attentive = (out.len() - careless) as f64;
        assert!(flagged(true) / careless as f64 > 0.9, "careless flagged {}", flagged(true));
        assert!(flagged(false) / attentive < 0.5, "attentive flagged {}", flagged(false));
    }
}
