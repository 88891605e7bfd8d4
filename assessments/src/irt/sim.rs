//! A seeded simulator of graded-response data, for parameter-recovery tests
//! and CAT simulation studies. Pass a seeded RNG (e.g. `ChaCha8Rng`) for
//! reproducible results.

use super::grm::{category_probabilities, GrmItem};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// Draws one answer category from `P(X = k | theta)` by inverting the
/// cumulative distribution with one uniform number.
pub fn draw_category<R: Rng + ?Sized>(
    rng: &mut R,
    item: &GrmItem,
    theta: f64,
    buf: &mut Vec<f64>,
) -> usize {
    buf.resize(item.categories(), 0.0);
    category_probabilities(item.a, &item.b, theta, buf);
    let u: f64 = rng.random();
    let mut cum = 0.0;
    for (k, p) in buf.iter().enumerate() {
        cum += p;
        if u < cum {
            return k;
        }
    }
    item.categories() - 1
}

/// `n` standard-normal trait levels.
pub fn normal_thetas<R: Rng + ?Sized>(rng: &mut R, n: usize) -> Vec<f64> {
    (0..n).map(|_| StandardNormal.sample(rng)).collect()
}

/// Random items with `categories` categories: `a ~ U(a_range)`, thresholds
/// spread around a centre `c ~ N(0, 0.5)` with equally spaced offsets over
/// about [-2, 2] plus jitter, always strictly increasing.
pub fn random_items<R: Rng + ?Sized>(
    rng: &mut R,
    n_items: usize,
    categories: usize,
    a_range: (f64, f64),
) -> Vec<GrmItem> {
    let nb = categories.saturating_sub(1).max(1);
    (0..n_items)
        .map(|_| {
            let a = a_range.0 + (a_range.1 - a_range.0) * rng.random::<f64>();
            let z: f64 = StandardNormal.sample(rng);
            let centre = 0.5 * z;
            let mut b: Vec<f64> = (0..nb)
                .map(|k| {
                    let offset = if nb == 1 {
                        0.0
                    } else {
                        -2.0 + 4.0 * k as f64 / (nb - 1) as f64
                    };
                    centre + offset + 0.25 * (rng.random::<f64>() - 0.5)
                })
                .collect();
            b.sort_by(|x, y| x.total_cmp(y));
            GrmItem { a, b }
        })
        .collect()
}

/// Simulated response matrix, one row per theta, one column per item;
/// each answer is missing (`None`) with probability `missing_rate`.
pub fn simulate_responses<R: Rng + ?Sized>(
    rng: &mut R,
    items: &[GrmItem],
    thetas: &[f64],
    missing_rate: f64,
) -> Vec<Vec<Option<usize>>> {
    let mut buf = Vec::new();
    thetas
        .iter()
        .map(|&t| {
            items
                .iter()
                .map(|it| {
                    let k = draw_category(rng, it, t, &mut buf);
                    if missing_rate > 0.0 && rng.random::<f64>() < missing_rate {
                        None
                    } else {
                        Some(k)
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn simulated_category_frequencies_match_the_model() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let item = GrmItem {
            a: 1.5,
            b: vec![-1.0, 0.0, 1.0],
        };
        let n = 20_000;
        let mut counts = [0usize; 4];
        let mut buf = Vec::new();
        for _ in 0..n {
            counts[draw_category(&mut rng, &item, 0.3, &mut buf)] += 1;
        }
        let mut p = [0.0; 4];
        category_probabilities(item.a, &item.b, 0.3, &mut p);
        for k in 0..4 {
            let f = counts[k] as f64 / n as f64;
            assert!((f - p[k]).abs() < 0.015, "category {k}: {f} vs {}", p[k]);
        }
    }

    #[test]
    fn random_items_have_ordered_thresholds_and_same_seed_same_items() {
        let mut r1 = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut r2 = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let a = random_items(&mut r1, 20, 5, (1.0, 2.0));
        assert_eq!(a, random_items(&mut r2, 20, 5, (1.0, 2.0)));
        assert!(crate::irt::grm::validate_items(&a).is_ok());
    }
}
