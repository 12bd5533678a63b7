//! Maps database errors to the ports' errors: each named unique constraint to the
//! `Conflict` it backs up, everything else to `RepoError::Unexpected` (the driver's
//! text stays in the cause, for the logs only). A stored value the domain refuses is
//! `Unexpected` too, naming the column: the database holds only what the domain
//! accepted, so it means the data was changed behind the tracker's back.
//!
//! Invariant: the constraint names here are those of `migrations/postgres`; the SQLite
//! adapter reports its violations under the same names.

use crate::dialect::{Dialect, Violation};
use application::error::RepoResult;
use application::{Conflict, RepoError};

/// A stored value that does not parse as the domain type it should hold.
#[derive(Debug, thiserror::Error)]
#[error("stored {what} is invalid: {cause}")]
pub struct Corrupt {
    what: &'static str,
    cause: String,
}

impl Corrupt {
    /// `what` is invalid because of `cause`.
    pub fn new(what: &'static str, cause: impl std::fmt::Display) -> Self {
        Self { what, cause: cause.to_string() }
    }
}

/// Keeps a parsed stored value, or reports the column as corrupt.
///
/// # Errors
/// `Unexpected` when `parsed` failed.
pub fn stored<T, E: std::fmt::Display>(what: &'static str, parsed: Result<T, E>) -> RepoResult<T> {
    parsed.map_err(|e| RepoError::unexpected(Corrupt::new(what, e)))
}

/// The conflict a named unique constraint stands for.
pub(crate) fn conflict_for(constraint: &str) -> Option<Conflict> {
    Some(match constraint {
        "users_username_key" => Conflict::DuplicateUsername,
        "libraries_name_key" => Conflict::DuplicateLibraryName,
        "assets_library_name_key" => Conflict::DuplicateAssetName,
        "pool_entries_campaign_asset_key" => Conflict::AlreadyInPool,
        "campaigns_one_active" => Conflict::AnotherCampaignActive,
        _ => return None,
    })
}

/// Any database error: a named constraint becomes its conflict, a database that cannot
/// be reached or cannot write is unavailable, anything else is unexpected.
pub(crate) fn db<D: Dialect>(e: sqlx::Error) -> RepoError {
    match D::violation(&e) {
        Some(Violation::Unique(name)) => match conflict_for(name) {
            Some(conflict) => conflict.into(),
            None => RepoError::unexpected(e),
        },
        _ => driver::<D>(e),
    }
}

/// A driver error outside any statement's meaning (connecting, beginning, committing):
/// unavailable when the database cannot be reached or cannot write, else unexpected.
pub(crate) fn driver<D: Dialect>(e: sqlx::Error) -> RepoError {
    let unreachable = matches!(
        e,
        sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed
    );
    if unreachable || D::unavailable(&e) { RepoError::Unavailable(Box::new(e)) } else { RepoError::unexpected(e) }
}

/// `Ok(())` when a write touched a row, else `NotFound(what)`.
pub(crate) fn found(rows_affected: u64, what: &'static str) -> RepoResult<()> {
    if rows_affected == 0 { Err(RepoError::NotFound(what)) } else { Ok(()) }
}

/// The row, or `NotFound(what)`.
pub(crate) fn required<T>(row: Option<T>, what: &'static str) -> RepoResult<T> {
    row.ok_or(RepoError::NotFound(what))
}

/// A rule of this crate's own that the database broke: a bug, never a user's doing.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Invariant(pub(crate) &'static str);

/// `Unexpected` for a broken invariant.
pub(crate) fn invariant(message: &'static str) -> RepoError {
    RepoError::unexpected(Invariant(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unique_constraint_of_the_schema_has_its_conflict() {
        let schema = include_str!("../../../migrations/postgres/0001_initial.sql");
        for name in [
            "users_username_key",
            "libraries_name_key",
            "assets_library_name_key",
            "pool_entries_campaign_asset_key",
            "campaigns_one_active",
        ] {
            assert!(schema.contains(name), "{name} is not in the schema");
            assert!(conflict_for(name).is_some(), "{name} has no conflict");
        }
        assert!(conflict_for("idempotency_keys_pkey").is_none());
    }

    #[test]
    fn a_stored_value_the_domain_refuses_is_unexpected_and_names_the_column() {
        let e = stored::<u32, _>("pool_entries.current_quantity", u32::try_from(-1_i64)).unwrap_err();
        assert!(matches!(&e, RepoError::Unexpected(cause) if cause.to_string().contains("current_quantity")));
    }
}
