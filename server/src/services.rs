//! The server's implementation of the application's ports (`app::ports`).

use async_trait::async_trait;

use crate::store::Store;

/// What server functions can reach, backed by the store.
pub struct AppServices {
    pub store: Store,
}

#[async_trait]
impl app::ports::Services for AppServices {
    async fn status(&self) -> app::ports::ServerStatus {
        app::ports::ServerStatus { version: crate::VERSION.to_string(), database_ok: self.store.ping().await }
    }
}
