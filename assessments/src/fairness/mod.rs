//! Fairness checks between a reference and a focal group (after the
//! Uniform Guidelines and the ETS DIF procedure): adverse impact at a cut
//! score (the four-fifths rule, with Fisher's exact test), the
//! standardised mean difference of scale scores, and Mantel-Haenszel DIF
//! per item, matched on the rest score, classified A/B/C. Any count under
//! [`MIN_CELL`] people is suppressed: reported as `None`, and nothing is
//! computed from it, so no one can be singled out.


pub mod groups;
pub mod items;
pub mod statistics;

pub use groups::{compare_groups, Cut, FocalComparison, GroupComparison, GroupSize, Person, ScaleDifference};
pub use items::{dif_observations, item_dif, keyed_threshold, ItemDif};
pub use statistics::{adverse_impact, ets_class, fisher_exact_two_sided, mantel_haenszel, standardised_mean_difference, AdverseImpact, DifObservation, EtsClass, MantelHaenszel, MIN_CELL};
