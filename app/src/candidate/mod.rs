//! The candidate's pages: privacy notice, items, review, completion.

pub mod model;
pub mod pages;
pub mod api;
pub mod saver;
