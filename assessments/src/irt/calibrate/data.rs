//! The answer matrix: checked before any computation (refused with the
//! reason), counted per category, sparse categories warned about, and the
//! starting values it gives.

use crate::irt::grm::GrmItem;
use crate::irt::IrtError;
use super::types::CalibrationWarning;

/// Per-respondent answers in compact form: row index `offset_i + k` into
/// the item x category tables, one list per respondent.
pub(super) struct Observations {
    pub(super) rows: Vec<u32>,
    pub(super) starts: Vec<usize>,
    /// item of each row index
    pub(super) row_item: Vec<usize>,
}

/// Checks the matrix and returns the category counts of each item.
pub(super) fn check_matrix(
    responses: &[Vec<Option<usize>>],
    categories: &[usize],
) -> Result<Vec<Vec<usize>>, IrtError> {
    if categories.is_empty() {
        return Err(IrtError::NoItems);
    }
    if let Some(i) = categories.iter().position(|&k| k < 2) {
        return Err(IrtError::NoThresholds { item: i });
    }
    let mut counts: Vec<Vec<usize>> = categories.iter().map(|&k| vec![0; k]).collect();
    for (p, row) in responses.iter().enumerate() {
        if row.len() != categories.len() {
            return Err(IrtError::RaggedMatrix {
                row: p,
                got: row.len(),
                expected: categories.len(),
            });
        }
        for (i, x) in row.iter().enumerate() {
            if let Some(k) = *x {
                if k >= categories[i] {
                    return Err(IrtError::CategoryOutOfRange {
                        item: i,
                        category: k,
                        categories: categories[i],
                    });
                }
                counts[i][k] += 1;
            }
        }
    }
    for (i, c) in counts.iter().enumerate() {
        let total: usize = c.iter().sum();
        if total == 0 {
            return Err(IrtError::UnansweredItem { item: i });
        }
        if let Some(k) = c.iter().position(|&n| n == total) {
            return Err(IrtError::ConstantItem {
                item: i,
                category: k,
            });
        }
        if let Some(k) = c.iter().position(|&n| n == 0) {
            return Err(IrtError::EmptyCategory {
                item: i,
                category: k,
                categories: c.len(),
            });
        }
    }
    Ok(counts)
}

/// Warns about categories with fewer than 10 answers.
pub(super) fn sparse_category_warnings(counts: &[Vec<usize>]) -> Vec<CalibrationWarning> {
    let mut w = Vec::new();
    for (item, c) in counts.iter().enumerate() {
        for (category, &count) in c.iter().enumerate() {
            if count < 10 {
                w.push(CalibrationWarning::SparseCategory { item, category, count });
            }
        }
    }
    w
}

/// Starting values: `a = 1`, `b_k = -1.18 logit(p(X >= k))` from the observed
/// proportions (1.18 undoes the shrinkage of a logistic averaged over N(0,1)).
pub(super) fn starting_values(counts: &[Vec<usize>]) -> Vec<GrmItem> {
    counts
        .iter()
        .map(|c| {
            let total: usize = c.iter().sum();
            let b = (1..c.len())
                .map(|k| {
                    let at_least: usize = c[k..].iter().sum();
                    let p = at_least as f64 / total as f64;
                    -1.18 * (p / (1.0 - p)).ln()
                })
                .collect();
            GrmItem { a: 1.0, b }
        })
        .collect()
}
