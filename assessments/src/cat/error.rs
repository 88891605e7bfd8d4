//! What can go wrong when building a pool or running a session.

use crate::irt::IrtError;

/// Errors of the adaptive layer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CatError {
    #[error("the item pool is empty")]
    EmptyPool,
    #[error("pool item {id}: {source}")]
    InvalidItem { id: String, source: IrtError },
    #[error("pool item {id}: Sympson-Hetter exposure parameter {value} must be in (0, 1]")]
    InvalidExposureParameter { id: String, value: f64 },
    #[error("pool item id {0} appears twice")]
    DuplicateItem(String),
    #[error("configuration: {0}")]
    InvalidConfig(String),
    #[error("item {got} was answered but the engine had asked for {expected:?}; the answers do not belong to this pool, configuration and seed")]
    UnexpectedItem { expected: Option<usize>, got: usize },
    #[error("answer category {category} is outside 0..{categories} for item {item}")]
    CategoryOutOfRange {
        item: usize,
        category: usize,
        categories: usize,
    },
}
