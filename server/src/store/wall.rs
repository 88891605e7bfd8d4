//! A second wall between organisations on PostgreSQL: row-level security.
//!
//! Every table with an `org_id` (but `instrument_owners`, which must see
//! every organisation's instrument ids to keep them unique) has a policy
//! that shows and accepts only the rows of the organisation named in the
//! connection setting `vigil.org_id` (migration `..._org_wall.sql`). The
//! store sets that setting each time a connection is taken from the pool,
//! from the organisation of the request being served: a request runs in a
//! [`scope`], and whoever learns who the caller is ([`enter`]: staff
//! sign-in, a candidate's context, an API key) names their organisation.
//! So a query that forgot its `org_id` filter still sees nothing of
//! another organisation.
//!
//! Work outside a request (jobs, the mail sender, start-up, migrations) and
//! the moments before the caller is known run with the setting empty, which
//! the policy reads as "no wall": the application's own filters are the
//! first wall, this is the second. PostgreSQL superusers (and roles with
//! BYPASSRLS) pass every policy: production should connect as an ordinary
//! role (docs/operations.md).

use std::{cell::RefCell, future::Future};

tokio::task_local! {
    static ORGANISATION: RefCell<Option<String>>;
}

/// Runs `work` (one request) with no organisation named yet.
pub async fn scope<F: Future>(work: F) -> F::Output {
    ORGANISATION.scope(RefCell::new(None), work).await
}

/// Runs `work` as the organisation (for jobs that serve one organisation, and tests).
pub async fn as_organisation<F: Future>(org_id: &str, work: F) -> F::Output {
    ORGANISATION.scope(RefCell::new(Some(org_id.to_string())), work).await
}

/// Names the organisation of the request being served, from here on.
/// Outside a [`scope`] it does nothing (there is no request to wall in).
pub fn enter(org_id: &str) {
    let _ = ORGANISATION.try_with(|o| *o.borrow_mut() = Some(org_id.to_string()));
}

/// The organisation named for the current request, if any.
pub fn current() -> Option<String> {
    ORGANISATION.try_with(|o| o.borrow().clone()).ok().flatten()
}

/// Sets the connection to serve the current request's organisation (or none).
pub(super) async fn serve_current(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT set_config('vigil.org_id', $1, false)").bind(current().unwrap_or_default()).execute(&mut *conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_organisation_is_named_within_its_request_only() {
        assert_eq!(current(), None);
        enter("outside");
        assert_eq!(current(), None, "no request: nothing to wall in");
        scope(async {
            assert_eq!(current(), None);
            enter("org-a");
            assert_eq!(current().as_deref(), Some("org-a"));
            as_organisation("org-b", async { assert_eq!(current().as_deref(), Some("org-b")) }).await;
            assert_eq!(current().as_deref(), Some("org-a"));
        })
        .await;
        assert_eq!(current(), None);
    }
}
