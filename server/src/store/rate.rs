//! Shared rate-limit counters: events counted per key in fixed time
//! windows, one row each, so every process on the same PostgreSQL sees the
//! same count (see `crate::http::ratelimit`).

use super::{Store, StoreResult};

impl Store {
    /// Counts one event for `key` in the window starting at `window_start`
    /// (Unix ms); returns the window's count with it.
    pub async fn count_rate_event(&self, key: &str, window_start: i64) -> StoreResult<i64> {
        self.add_rate_events(key, window_start, 1).await
    }

    /// Adds `n` events for `key` to the window starting at `window_start`;
    /// returns the window's count with them (every process's).
    pub async fn add_rate_events(&self, key: &str, window_start: i64, n: i64) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO rate_windows (key, window_start, count) VALUES ($1, $2, $3) \
             ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + $3 RETURNING count",
        )
        .bind(key)
        .bind(window_start)
        .bind(n)
        .fetch_one(&self.write)
        .await?)
    }

    /// How many events `key` has in the window starting at `window_start`.
    pub async fn rate_events(&self, key: &str, window_start: i64) -> StoreResult<i64> {
        let count: Option<i64> = sqlx::query_scalar("SELECT count FROM rate_windows WHERE key = $1 AND window_start = $2")
            .bind(key)
            .bind(window_start)
            .fetch_optional(&self.read)
            .await?;
        Ok(count.unwrap_or(0))
    }

    /// Windows that started before `before`.
    pub async fn delete_rate_windows_before(&self, before: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM rate_windows WHERE window_start < $1").bind(before).execute(&self.write).await?;
        Ok(done.rows_affected())
    }
}
