//! One grouping variable, all its groups: each group's size, and every
//! group compared with a reference group (adverse impact at a cut score,
//! standardised mean differences per scale). A group under
//! [`MIN_CELL`] people gets no number at all, not even
//! its size, and takes part in no comparison: the result is the same
//! whether it has no one or four people.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::statistics::{adverse_impact, standardised_mean_difference, AdverseImpact, MIN_CELL};
use crate::stats::mean;

/// One person: the group they reported and their reported scores (scale id to score).
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub group: String,
    pub scores: BTreeMap<String, f64>,
}

/// A cut score on one scale: selected when the score is at or above `at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cut {
    pub scale: String,
    pub at: f64,
}

/// A group and its size, `None` under [`MIN_CELL`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSize {
    pub group: String,
    pub n: Option<usize>,
}

/// One scale compared between the reference and a focal group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleDifference {
    pub scale: String,
    pub reference_mean: Option<f64>,
    pub focal_mean: Option<f64>,
    /// `d = (mean_f - mean_r) / s_pooled`.
    pub d: Option<f64>,
}

/// A focal group against the reference group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FocalComparison {
    pub focal: String,
    /// At the cut, when one was given.
    pub impact: Option<AdverseImpact>,
    pub differences: Vec<ScaleDifference>,
}

/// Every group of one variable against the reference group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupComparison {
    /// `None` when no group has 5 people.
    pub reference: Option<String>,
    pub groups: Vec<GroupSize>,
    pub comparisons: Vec<FocalComparison>,
}

/// The scores on `scale` of the people in `group`.
fn scores_of(people: &[Person], group: &str, scale: &str) -> Vec<f64> {
    people.iter().filter(|p| p.group == group).filter_map(|p| p.scores.get(scale).copied()).collect()
}

/// The mean of at least [`MIN_CELL`] scores.
fn shown_mean(xs: &[f64]) -> Option<f64> {
    if xs.len() < MIN_CELL { None } else { mean(xs) }
}

/// Compares the groups `values` (in that order; people in other groups are
/// left out) on `scales`. The reference is `reference` when that group has
/// 5 people, else the largest group (the first of equals).
pub fn compare_groups(people: &[Person], values: &[String], scales: &[String], reference: Option<&str>, cut: Option<&Cut>) -> GroupComparison {
    let sizes: Vec<(String, usize)> = values.iter().map(|v| (v.clone(), people.iter().filter(|p| &p.group == v).count())).collect();
    let groups: Vec<GroupSize> = sizes.iter().map(|(g, n)| GroupSize { group: g.clone(), n: (*n >= MIN_CELL).then_some(*n) }).collect();
    let shown: Vec<&(String, usize)> = sizes.iter().filter(|(_, n)| *n >= MIN_CELL).collect();
    let largest = shown.iter().fold(None::<&(String, usize)>, |best, g| match best {
        Some(b) if b.1 >= g.1 => Some(b),
        _ => Some(g),
    });
    let reference = reference.and_then(|r| shown.iter().find(|(g, _)| g == r)).or(largest.as_ref()).map(|(g, _)| g.clone());
    let Some(reference) = reference else { return GroupComparison { reference: None, groups, comparisons: Vec::new() } };
    let comparisons = shown
        .iter()
        .filter(|(g, _)| *g != reference)
        .map(|(focal, _)| FocalComparison {
            focal: focal.clone(),
            impact: cut.map(|c| adverse_impact(&scores_of(people, &reference, &c.scale), &scores_of(people, focal, &c.scale), c.at)),
            differences: scales
                .iter()
                .map(|s| {
                    let (r, f) = (scores_of(people, &reference, s), scores_of(people, focal, s));
                    ScaleDifference { scale: s.clone(), reference_mean: shown_mean(&r), focal_mean: shown_mean(&f), d: standardised_mean_difference(&r, &f) }
                })
                .collect(),
        })
        .collect();
    GroupComparison { reference: Some(reference), groups, comparisons }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn person(group: &str, t: f64) -> Person {
        Person { group: group.into(), scores: BTreeMap::from([("a".to_string(), t), ("b".to_string(), 100.0 - t)]) }
    }

    fn values() -> Vec<String> {
        ["w", "m", "x"].map(String::from).to_vec()
    }

    fn scales() -> Vec<String> {
        vec!["a".into(), "b".into()]
    }

    #[test]
    fn groups_are_compared_with_the_largest_by_default_and_each_figure_is_the_core_s() {
        let mut people: Vec<Person> = (0..40).map(|i| person("m", 40.0 + f64::from(i % 20))).collect();
        people.extend((0..30).map(|i| person("w", 35.0 + f64::from(i % 20))));
        let cut = Cut { scale: "a".into(), at: 50.0 };
        let c = compare_groups(&people, &values(), &scales(), None, Some(&cut));
        assert_eq!(c.reference.as_deref(), Some("m"));
        assert_eq!(c.groups, vec![GroupSize { group: "w".into(), n: Some(30) }, GroupSize { group: "m".into(), n: Some(40) }, GroupSize { group: "x".into(), n: None }]);
        assert_eq!(c.comparisons.len(), 1);
        let w = &c.comparisons[0];
        assert_eq!(w.focal, "w");
        let (ra, wa) = (scores_of(&people, "m", "a"), scores_of(&people, "w", "a"));
        assert_eq!(w.impact.as_ref(), Some(&adverse_impact(&ra, &wa, 50.0)));
        assert_eq!(w.differences[0].d, standardised_mean_difference(&ra, &wa));
        assert!((w.differences[0].focal_mean.unwrap() - wa.iter().sum::<f64>() / 30.0).abs() < 1e-12);
        // Scale b mirrors a, so its difference has the other sign.
        assert!((w.differences[1].d.unwrap() + w.differences[0].d.unwrap()).abs() < 1e-12);
        // An asked-for reference is used when it has 5 people.
        assert_eq!(compare_groups(&people, &values(), &scales(), Some("w"), None).comparisons[0].focal, "m");
        assert_eq!(compare_groups(&people, &values(), &scales(), Some("x"), None).reference.as_deref(), Some("m"));
    }

    #[test]
    fn with_no_group_of_five_nothing_is_compared() {
        let people: Vec<Person> = (0..4).map(|i| person(if i % 2 == 0 { "w" } else { "m" }, 50.0)).collect();
        let c = compare_groups(&people, &values(), &scales(), None, None);
        assert_eq!(c.reference, None);
        assert!(c.comparisons.is_empty());
        assert!(c.groups.iter().all(|g| g.n.is_none()));
    }

    proptest! {
        /// Nothing can be worked out about a group under 5: the whole result
        /// is the same whether it has 0 or up to 4 people, whatever their scores.
        #[test]
        fn a_group_under_five_changes_nothing(
            big in proptest::collection::vec(20.0f64..80.0, 5..40),
            other in proptest::collection::vec(20.0f64..80.0, 5..40),
            small in proptest::collection::vec(20.0f64..80.0, 0..5),
            cut in 30.0f64..70.0,
        ) {
            let mut people: Vec<Person> = big.iter().map(|t| person("m", *t)).collect();
            people.extend(other.iter().map(|t| person("w", *t)));
            let cut = Cut { scale: "a".into(), at: cut };
            let without = compare_groups(&people, &values(), &scales(), Some("x"), Some(&cut));
            people.extend(small.iter().map(|t| person("x", *t)));
            let with = compare_groups(&people, &values(), &scales(), Some("x"), Some(&cut));
            prop_assert_eq!(with, without);
        }
    }
}
