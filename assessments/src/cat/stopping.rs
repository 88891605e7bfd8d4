//! Stopping: the rule that ends a scale (item limit, SE target after the
//! minimum number of items, an exhausted pool).

use super::{outcome::StopReason, session::CatSession};

impl<'a> CatSession<'a> {
    /// The stopping rule of scale `s`, if one applies now:
    /// max items, then SE <= target after the minimum, then an empty pool.
    pub(super) fn stopping_rule(&self, s: usize) -> Option<StopReason> {
        let st = &self.scales[s];
        if st.administered >= self.config.max_items {
            return Some(StopReason::MaxItems);
        }
        if st.administered >= self.config.min_items && st.estimate.se <= self.config.se_target {
            return Some(StopReason::SeTarget);
        }
        if st.remaining == 0 {
            return Some(StopReason::PoolExhausted);
        }
        None
    }
}
