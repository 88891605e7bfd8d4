//! What a psychologist looks at per item beyond reliability (PSYCHOMETRICS.md
//! section 4): how many left it out, how long it took, how an SJT item's
//! options split by score group, and which items deserve a second look.
//! The thresholds live here and nowhere else.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Corrected item-total correlations below this flag an item.
pub const LOW_ITEM_TOTAL: f64 = 0.20;
/// A category chosen by fewer than this share of those who answered.
pub const RARE_CATEGORY: f64 = 0.02;
/// At least this share in the highest (or lowest) category: a ceiling (floor).
pub const PILED_AT_END: f64 = 0.80;
/// Numbers on fewer persons than this come with a warning.
pub const SMALL_N: usize = 100;

/// Why an item deserves a second look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum ItemFlag {
    /// Corrected item-total r below [`LOW_ITEM_TOTAL`].
    LowItemTotal { r: f64 },
    /// A category almost nobody chose.
    RareCategory { category: String, share: f64 },
    /// Most answers in the highest category.
    Ceiling { share: f64 },
    /// Most answers in the lowest category.
    Floor { share: f64 },
}

impl ItemFlag {
    /// The flag in a sentence for the analysis page.
    pub fn describe(&self) -> String {
        match self {
            ItemFlag::LowItemTotal { r } => format!("corrected item-total r = {r:.2}, below {LOW_ITEM_TOTAL:.2}"),
            ItemFlag::RareCategory { category, share } => format!("answer {category} chosen by {:.1}% (under {:.0}%)", share * 100.0, RARE_CATEGORY * 100.0),
            ItemFlag::Ceiling { share } => format!("{:.0}% chose the highest answer (ceiling)", share * 100.0),
            ItemFlag::Floor { share } => format!("{:.0}% chose the lowest answer (floor)", share * 100.0),
        }
    }
}

/// The share of `sessions` that left the item unanswered; `None` without sessions.
pub fn missing_share(answered: usize, sessions: usize) -> Option<f64> {
    // missing = (sessions − answered) / sessions
    (sessions > 0).then(|| sessions.saturating_sub(answered) as f64 / sessions as f64)
}

/// The mean of the latencies recorded (milliseconds); `None` without any.
pub fn mean_latency_ms(latencies: impl IntoIterator<Item = u32>) -> Option<f64> {
    // mean = Σ ms / n
    let (sum, n) = latencies.into_iter().fold((0.0, 0usize), |(s, n), ms| (s + f64::from(ms), n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// The flags of one item. `distribution` counts each category (every
/// category present, in order from lowest to highest for Likert items;
/// options for SJT items, where `ordered` is false and no ceiling applies).
pub fn item_flags(item_total: Option<f64>, distribution: &[(String, usize)], ordered: bool) -> Vec<ItemFlag> {
    let mut flags = Vec::new();
    if let Some(r) = item_total.filter(|r| *r < LOW_ITEM_TOTAL) {
        flags.push(ItemFlag::LowItemTotal { r });
    }
    let answered: usize = distribution.iter().map(|(_, n)| n).sum();
    if answered == 0 {
        return flags;
    }
    let share = |n: usize| n as f64 / answered as f64;
    for (category, n) in distribution {
        if share(*n) < RARE_CATEGORY {
            flags.push(ItemFlag::RareCategory { category: category.clone(), share: share(*n) });
        }
    }
    if ordered {
        if let Some((_, n)) = distribution.last().filter(|(_, n)| share(*n) >= PILED_AT_END) {
            flags.push(ItemFlag::Ceiling { share: share(*n) });
        }
        if let Some((_, n)) = distribution.first().filter(|(_, n)| share(*n) >= PILED_AT_END) {
            flags.push(ItemFlag::Floor { share: share(*n) });
        }
    }
    flags
}

/// How the options of an SJT item were chosen in each third of the scale's
/// score (low, middle, high): a working option is chosen more the higher
/// the group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupShares {
    /// Persons per group (low, middle, high).
    pub n: [usize; 3],
    /// Per option id, its share of choices in each group.
    pub shares: BTreeMap<String, [f64; 3]>,
}

/// The score group (0 low, 1 middle, 2 high) of each person: thirds by rank
/// of the total, ties kept in the same group as the first of them.
pub fn score_thirds(totals: &[f64]) -> Vec<usize> {
    let n = totals.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| totals[a].total_cmp(&totals[b]));
    let mut group = vec![0; n];
    let mut previous: Option<(f64, usize)> = None;
    for (rank, &person) in order.iter().enumerate() {
        // group = ⌊3 · rank / n⌋, the same for equal totals
        let g = match previous {
            Some((total, g)) if total == totals[person] => g,
            _ => (3 * rank / n).min(2),
        };
        group[person] = g;
        previous = Some((totals[person], g));
    }
    group
}

/// The option shares by score group, from each person's chosen option
/// (index into `options`) and their group.
pub fn option_shares_by_group(options: &[String], chosen: &[(usize, usize)]) -> GroupShares {
    let mut n = [0usize; 3];
    let mut counts: Vec<[usize; 3]> = vec![[0; 3]; options.len()];
    for &(option, group) in chosen {
        if let (Some(c), Some(slot)) = (counts.get_mut(option), n.get_mut(group)) {
            c[group] += 1;
            *slot += 1;
        }
    }
    let share = |count: usize, g: usize| if n[g] == 0 { 0.0 } else { count as f64 / n[g] as f64 };
    let shares = options.iter().zip(&counts).map(|(id, c)| (id.clone(), [share(c[0], 0), share(c[1], 1), share(c[2], 2)])).collect();
    GroupShares { n, shares }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(counts: &[usize]) -> Vec<(String, usize)> {
        counts.iter().enumerate().map(|(i, n)| ((i + 1).to_string(), *n)).collect()
    }

    #[test]
    fn missing_share_and_mean_latency() {
        assert_eq!(missing_share(75, 100), Some(0.25));
        assert_eq!(missing_share(0, 0), None);
        assert_eq!(mean_latency_ms([1000, 2000, 4500]), Some(2500.0));
        assert_eq!(mean_latency_ms([]), None);
    }

    #[test]
    fn an_item_is_flagged_for_a_weak_item_total_r_a_rare_category_or_a_ceiling() {
        assert_eq!(item_flags(Some(0.45), &dist(&[10, 20, 40, 20, 10]), true), vec![], "a sound item");
        assert_eq!(item_flags(Some(0.19), &dist(&[10, 20, 40, 20, 10]), true), vec![ItemFlag::LowItemTotal { r: 0.19 }]);
        assert_eq!(item_flags(Some(0.20), &dist(&[10, 20, 40, 20, 10]), true), vec![], "the threshold itself passes");
        // 1 of 100 chose "1": 1% < 2%; 2 of 100 is not rare.
        assert_eq!(item_flags(None, &dist(&[1, 29, 40, 20, 10]), true), vec![ItemFlag::RareCategory { category: "1".into(), share: 0.01 }]);
        assert_eq!(item_flags(None, &dist(&[2, 28, 40, 20, 10]), true), vec![]);
        assert_eq!(item_flags(None, &dist(&[5, 5, 5, 5, 80]), true), vec![ItemFlag::Ceiling { share: 0.8 }]);
        assert_eq!(item_flags(None, &dist(&[85, 5, 5, 5, 0]), true)[1], ItemFlag::Floor { share: 0.85 });
        assert_eq!(item_flags(None, &dist(&[5, 5, 5, 5, 80]), false), vec![], "SJT options have no top");
        assert_eq!(item_flags(None, &dist(&[0, 0, 0]), true), vec![], "nobody answered: nothing to say");
    }

    #[test]
    fn thirds_by_rank_keep_ties_together() {
        assert_eq!(score_thirds(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), [0, 0, 1, 1, 2, 2]);
        assert_eq!(score_thirds(&[6.0, 5.0, 4.0, 3.0, 2.0, 1.0]), [2, 2, 1, 1, 0, 0]);
        // Ranks 0..5: the tie at ranks 1 and 2 stays in group 0.
        assert_eq!(score_thirds(&[1.0, 2.0, 2.0, 4.0, 5.0, 6.0]), [0, 0, 0, 1, 2, 2]);
        assert_eq!(score_thirds(&[]), Vec::<usize>::new());
    }

    #[test]
    fn option_shares_split_by_group() {
        let options = vec!["a".to_string(), "b".to_string()];
        // Low group: a, a, b; middle: a, b; high: b, b, b, b.
        let chosen = [(0, 0), (0, 0), (1, 0), (0, 1), (1, 1), (1, 2), (1, 2), (1, 2), (1, 2)];
        let g = option_shares_by_group(&options, &chosen);
        assert_eq!(g.n, [3, 2, 4]);
        assert_eq!(g.shares["b"], [1.0 / 3.0, 0.5, 1.0]);
        assert_eq!(g.shares["a"], [2.0 / 3.0, 0.5, 0.0]);
    }
}
