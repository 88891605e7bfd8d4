//! The settings of a session (SE target, item limits, exposure control,
//! content balancing) and their check against a pool.

use std::collections::BTreeMap;

use super::{error::CatError, pool::CatPool};

/// Settings of an adaptive run (the same for every scale).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CatConfig {
    /// Stop a scale once its SE is at or below this (default 0.30, about reliability .91).
    pub se_target: f64,
    /// Never stop a scale before this many items (default 3).
    pub min_items: usize,
    /// Always stop a scale at this many items (default 20).
    pub max_items: usize,
    /// Randomesque exposure control: pick at random among the `k` most
    /// informative eligible items (default 1 = always the best).
    pub randomesque: usize,
    /// Apply the items' Sympson-Hetter exposure parameters (default true).
    pub sympson_hetter: bool,
    /// Balance facets within scales that have them (default true).
    pub balance_facets: bool,
    /// Target facet proportions per scale: scale -> facet -> share. Scales
    /// with facets but no targets get equal shares.
    pub facet_targets: BTreeMap<String, BTreeMap<String, f64>>,
}

impl Default for CatConfig {
    fn default() -> Self {
        CatConfig {
            se_target: 0.30,
            min_items: 3,
            max_items: 20,
            randomesque: 1,
            sympson_hetter: true,
            balance_facets: true,
            facet_targets: BTreeMap::new(),
        }
    }
}

/// Validates a configuration against a pool; returns facet target shares per scale.
pub(super) fn check_config(pool: &CatPool, config: &CatConfig) -> Result<Vec<Vec<f64>>, CatError> {
    if !(config.se_target.is_finite() && config.se_target > 0.0) {
        return Err(CatError::InvalidConfig(format!(
            "se_target {} must be above 0",
            config.se_target
        )));
    }
    if config.max_items == 0 || config.min_items > config.max_items {
        return Err(CatError::InvalidConfig(format!(
            "need 1 <= max_items and min_items <= max_items (got {} and {})",
            config.min_items, config.max_items
        )));
    }
    if config.randomesque == 0 {
        return Err(CatError::InvalidConfig(
            "randomesque must be at least 1".into(),
        ));
    }
    for scale in config.facet_targets.keys() {
        if !pool.scales.contains(scale) {
            return Err(CatError::InvalidConfig(format!(
                "facet targets name unknown scale {scale}"
            )));
        }
    }
    pool.scales
        .iter()
        .enumerate()
        .map(|(s, name)| {
            let facets = &pool.scale_facets[s];
            if !config.balance_facets || facets.is_empty() {
                return Ok(Vec::new());
            }
            match config.facet_targets.get(name) {
                None => Ok(vec![1.0 / facets.len() as f64; facets.len()]),
                Some(map) => {
                    if let Some(f) = map.keys().find(|f| !facets.contains(f)) {
                        return Err(CatError::InvalidConfig(format!(
                            "scale {name} has no facet {f}"
                        )));
                    }
                    if map.values().any(|v| !(v.is_finite() && *v >= 0.0)) {
                        return Err(CatError::InvalidConfig(format!(
                            "facet shares of {name} must be >= 0"
                        )));
                    }
                    let total: f64 = map.values().sum();
                    if total <= 0.0 {
                        return Err(CatError::InvalidConfig(format!(
                            "facet shares of {name} sum to 0"
                        )));
                    }
                    Ok(facets
                        .iter()
                        .map(|f| map.get(f).copied().unwrap_or(0.0) / total)
                        .collect())
                }
            }
        })
        .collect()
}
