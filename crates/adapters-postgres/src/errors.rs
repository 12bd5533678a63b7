//! Maps database errors to the port's errors: each named UNIQUE constraint to the
//! conflict it backs up, a foreign key violated by an insert to the missing object,
//! and everything else to `RepoError::Unexpected` (the driver's text stays in the
//! error's source, for the logs, and never reaches a user).
//!
//! Invariant: the constraint names here are those of `migrations/postgres`.

use application::error::RepoResult;
use application::{Conflict, RepoError};
use sqlx::error::ErrorKind;

/// The conflict a UNIQUE constraint (or unique index) stands for.
fn conflict_for(constraint: &str) -> Option<Conflict> {
    Some(match constraint {
        "users_username_key" => Conflict::DuplicateUsername,
        "libraries_name_key" => Conflict::DuplicateLibraryName,
        "assets_library_name_key" => Conflict::DuplicateAssetName,
        "pool_entries_campaign_asset_key" => Conflict::AlreadyInPool,
        "campaigns_one_active" => Conflict::AnotherCampaignActive,
        _ => return None,
    })
}

/// The object an insert referred to that does not exist, by foreign key.
fn missing_for(constraint: &str) -> Option<&'static str> {
    Some(match constraint {
        "assets_library_id_fkey" | "pool_entries_library_id_fkey" => "library",
        "pool_entries_asset_id_fkey" => "asset",
        "pool_entries_campaign_id_fkey" | "missions_campaign_id_fkey" => "campaign",
        "campaign_reports_campaign_id_fkey" => "campaign",
        "events_mission_id_fkey" => "mission",
        "asset_changes_event_id_fkey" => "event",
        "asset_changes_pool_entry_id_fkey" => "pool entry",
        _ => return None,
    })
}

/// The port error for a failed statement.
/// `Ok(())` when a write touched a row, else `NotFound(what)`.
pub(crate) fn found(rows_affected: u64, what: &'static str) -> RepoResult<()> {
    if rows_affected == 0 { Err(RepoError::NotFound(what)) } else { Ok(()) }
}

pub(crate) fn db(e: sqlx::Error) -> RepoError {
    if let Some(d) = e.as_database_error() {
        let constraint = d.constraint().unwrap_or_default();
        match d.kind() {
            ErrorKind::UniqueViolation => {
                if let Some(conflict) = conflict_for(constraint) {
                    return conflict.into();
                }
            }
            ErrorKind::ForeignKeyViolation => {
                if let Some(what) = missing_for(constraint) {
                    return RepoError::NotFound(what);
                }
            }
            _ => {}
        }
    }
    RepoError::unexpected(e)
}

/// The port error for a failed delete: a foreign key that still refers to the row
/// means `what` is in use.
pub(crate) fn in_use(what: &'static str) -> impl FnOnce(sqlx::Error) -> RepoError {
    move |e| match e.as_database_error().map(|d| d.kind()) {
        Some(ErrorKind::ForeignKeyViolation) => Conflict::InUse(what).into(),
        _ => db(e),
    }
}

/// Whether the statement failed on a unique constraint (or the primary key).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.kind() == ErrorKind::UniqueViolation)
}

/// An invariant of the adapter was broken (the message says which).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Invariant(pub(crate) &'static str);

/// A broken invariant as a port error.
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
    fn an_error_that_is_not_a_constraint_is_unexpected() {
        assert!(matches!(db(sqlx::Error::RowNotFound), RepoError::Unexpected(_)));
        assert!(matches!(in_use("the asset")(sqlx::Error::PoolTimedOut), RepoError::Unexpected(_)));
    }
}
