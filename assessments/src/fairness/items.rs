//! Answers as Mantel-Haenszel observations. An answer counts as keyed when
//! its keyed score lies above the middle of the item's range (on 1 to 5:
//! 4 and 5), people are matched on the rest score of the item's scale, and
//! only people who answered every item of the scale take part: a rest score
//! with gaps would match unlike people. Items of adaptive instruments are
//! rarely all answered by anyone, so they seldom get a result here.

use serde::{Deserialize, Serialize};

use super::statistics::{mantel_haenszel, DifObservation, EtsClass, MantelHaenszel};
use crate::bank::{Bank, ItemInfo};
use crate::responses::Responses;
use crate::scoring::item_score;

/// The middle of an item's keyed range: `(min + max) / 2`; keyed answers lie above it.
pub fn keyed_threshold(info: &ItemInfo) -> f64 {
    f64::from(info.min + info.max) / 2.0
}

/// Mantel-Haenszel DIF of one item between a reference and a focal group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemDif {
    pub item: String,
    pub scale: String,
    /// `None` when either group has fewer than 5 complete answer sets, or the odds ratio is undefined.
    pub result: Option<MantelHaenszel>,
}

/// The keyed scores of a scale's items for one person, or `None` unless every one is answered.
fn complete_scores(bank: &Bank, items: &[usize], responses: &Responses) -> Option<Vec<f64>> {
    items.iter().map(|&i| item_score(bank.item_info(i)?, responses.answer(i)?)).collect()
}

/// The observations of item `position` (within the scale's items) of each
/// complete answer set: keyed above the middle of its range, the rest score
/// the sum of the scale's other items except those in `left_out` (positions).
pub fn dif_observations(bank: &Bank, scale: usize, position: usize, left_out: &[usize], people: &[(bool, &Responses)]) -> Vec<DifObservation> {
    let items = bank.scale_item_indices(scale);
    let Some(info) = items.get(position).and_then(|&i| bank.item_info(i)) else { return Vec::new() };
    let threshold = keyed_threshold(info);
    people
        .iter()
        .filter_map(|(focal, responses)| {
            let scores = complete_scores(bank, items, responses)?;
            let rest: f64 = scores.iter().enumerate().filter(|(k, _)| *k != position && !left_out.contains(k)).map(|(_, x)| x).sum();
            Some(DifObservation { focal: *focal, keyed: scores[position] > threshold, rest_score: rest.round() as i64 })
        })
        .collect()
}

/// DIF of every item of every scale with at least two items (a rest score
/// needs another item), in two stages (purification, after Holland and
/// Thayer): first matched on the whole rest score; then each item again,
/// matched on the rest score without the other items flagged B or C in the
/// first stage, so that a biased item does not make the others look biased
/// the other way. The second stage is reported.
pub fn item_dif(bank: &Bank, people: &[(bool, &Responses)]) -> Vec<ItemDif> {
    let mut out = Vec::new();
    for (s, def) in bank.scales().iter().enumerate() {
        let items = bank.scale_item_indices(s);
        if items.len() < 2 {
            continue;
        }
        let first: Vec<Option<MantelHaenszel>> = (0..items.len()).map(|p| mantel_haenszel(&dif_observations(bank, s, p, &[], people))).collect();
        let flagged: Vec<usize> = first.iter().enumerate().filter(|(_, m)| m.as_ref().is_some_and(|m| m.class != EtsClass::A)).map(|(p, _)| p).collect();
        for (position, &i) in items.iter().enumerate() {
            let mut left_out: Vec<usize> = flagged.iter().copied().filter(|p| *p != position).collect();
            // Keep at least one item to match on.
            if left_out.len() + 1 >= items.len() {
                left_out.clear();
            }
            let result = if left_out.is_empty() { first[position].clone() } else { mantel_haenszel(&dif_observations(bank, s, position, &left_out, people)) };
            out.push(ItemDif { item: bank.items()[i].id.clone(), scale: def.id.clone(), result });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;
    use crate::responses::RawAnswer;

    fn bank() -> Bank {
        let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/svi_like.toml")).unwrap();
        Bank::parse(&src, "svi_like.toml").unwrap()
    }

    /// A person answering `value` to every item of the bank's first scale.
    fn person(bank: &Bank, value: i32, skip_last: bool) -> Responses {
        let mut r = Responses::new(bank, "p");
        let items = bank.scale_item_indices(0);
        for (k, &i) in items.iter().enumerate() {
            if skip_last && k + 1 == items.len() {
                continue;
            }
            r.set(bank, &bank.items()[i].id, &RawAnswer::Value(i64::from(value))).unwrap();
        }
        r
    }

    #[test]
    fn keyed_means_above_the_middle_of_the_range_and_the_rest_score_leaves_the_item_out() {
        let bank = bank();
        let items = bank.scale_item_indices(0);
        let info = bank.item_info(items[0]).unwrap();
        assert_eq!(keyed_threshold(info), f64::from(info.min + info.max) / 2.0);
        let high = person(&bank, info.max, false);
        let low = person(&bank, info.min, false);
        let obs = dif_observations(&bank, 0, 0, &[], &[(false, &high), (true, &low)]);
        assert_eq!(obs.len(), 2);
        let rest_of = |r: &Responses| -> i64 {
            items[1..].iter().map(|&i| item_score(bank.item_info(i).unwrap(), r.answer(i).unwrap()).unwrap()).sum::<f64>() as i64
        };
        // Reverse-keyed items turn a top answer into a low keyed score: keyed follows the keyed score.
        let own_high = item_score(info, high.answer(items[0]).unwrap()).unwrap();
        assert_eq!(obs[0], DifObservation { focal: false, keyed: own_high > keyed_threshold(info), rest_score: rest_of(&high) });
        assert_eq!(obs[1].focal, true);
        assert_eq!(obs[1].rest_score, rest_of(&low));
    }

    #[test]
    fn items_left_out_of_the_matching_score_are_left_out_of_the_rest_score() {
        let bank = bank();
        let items = bank.scale_item_indices(0);
        let p = person(&bank, 4, false);
        let score = |k: usize| item_score(bank.item_info(items[k]).unwrap(), p.answer(items[k]).unwrap()).unwrap();
        let all = dif_observations(&bank, 0, 0, &[], &[(false, &p)])[0].rest_score;
        let without = dif_observations(&bank, 0, 0, &[1], &[(false, &p)])[0].rest_score;
        assert_eq!(all - without, score(1) as i64);
        assert_eq!(all, (1..items.len()).map(score).sum::<f64>() as i64);
    }

    #[test]
    fn only_complete_answer_sets_are_matched() {
        let bank = bank();
        let full = person(&bank, 4, false);
        let gap = person(&bank, 4, true);
        assert_eq!(dif_observations(&bank, 0, 0, &[], &[(false, &full), (true, &gap)]).len(), 1);
        // Too few people: every item of the scale says so, none is guessed.
        let difs = item_dif(&bank, &[(false, &full), (true, &gap)]);
        assert!(difs.iter().all(|d| d.result.is_none()));
        assert_eq!(difs.iter().filter(|d| d.scale == bank.scales()[0].id).count(), bank.scale_item_indices(0).len());
    }
}
