//! Workforce pulse results, reported only for groups: which cells of a
//! result may be shown ([`suppression`]) and what a group's answers come
//! to ([`groups`]: mean with its 90% interval, the share in the high band,
//! the change from the last wave).

pub mod groups;
pub mod suppression;
