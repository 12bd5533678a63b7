//! Maps SQLite errors to the ports' errors: each named constraint to its `Conflict`,
//! a foreign-key violation to what it means where it happened, everything else to
//! `RepoError::Unexpected` (the driver's text stays in the cause, for the logs only).
//!
//! SQLite does not report a unique constraint by name but by its columns
//! ("UNIQUE constraint failed: libraries.name"), except for expression indexes
//! ("… failed: index 'users_username_key'"); `CONSTRAINTS` translates one to the other
//! so that the rest of the adapter speaks of the same names as the PostgreSQL schema.

use application::error::RepoResult;
use application::{Conflict, RepoError};
use sqlx::error::ErrorKind;

/// SQLite's extended result code SQLITE_CONSTRAINT_TRIGGER (19 | 7 << 8).
const SQLITE_CONSTRAINT_TRIGGER: &str = "1811";

/// What SQLite reports for each named unique constraint, and the constraint's name.
const CONSTRAINTS: &[(&str, &str)] = &[
    ("index 'users_username_key'", "users_username_key"),
    ("libraries.name", "libraries_name_key"),
    ("assets.library_id, assets.name", "assets_library_name_key"),
    ("pool_entries.campaign_id, pool_entries.asset_id", "pool_entries_campaign_asset_key"),
    ("campaigns.status", "campaigns_one_active"),
    ("idempotency_keys.key", "idempotency_keys_pkey"),
];

/// The name of the unique constraint `e` violated, if it violated one we named.
pub(crate) fn unique_violation(e: &sqlx::Error) -> Option<&'static str> {
    let db = e.as_database_error()?;
    if db.kind() != ErrorKind::UniqueViolation {
        return None;
    }
    let columns = db.message().split_once("constraint failed: ")?.1;
    CONSTRAINTS.iter().find(|(reported, _)| *reported == columns).map(|(_, name)| *name)
}

/// Whether `e` is a foreign-key violation. An `ON DELETE RESTRICT` action is run by
/// SQLite as a trigger, so it fails with SQLITE_CONSTRAINT_TRIGGER rather than
/// SQLITE_CONSTRAINT_FOREIGNKEY (which sqlx would call `ForeignKeyViolation`); both
/// carry the same message.
pub(crate) fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|db| {
        db.kind() == ErrorKind::ForeignKeyViolation
            || (db.code().as_deref() == Some(SQLITE_CONSTRAINT_TRIGGER)
                && db.message() == "FOREIGN KEY constraint failed")
    })
}

/// The conflict a named constraint stands for.
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

/// Any database error: a named constraint becomes its conflict, anything else is
/// unexpected.
pub(crate) fn db(e: sqlx::Error) -> RepoError {
    match unique_violation(&e).and_then(conflict_for) {
        Some(conflict) => conflict.into(),
        None => RepoError::unexpected(e),
    }
}

/// Like `db`, but a foreign-key violation becomes `fk`: on a delete, the row is still
/// referenced (`InUse`); on an insert, the row it refers to is gone (`NotFound`).
pub(crate) fn db_or(fk: RepoError) -> impl FnOnce(sqlx::Error) -> RepoError {
    move |e| {
        if is_foreign_key_violation(&e) { fk } else { db(e) }
    }
}

/// `Ok(())` when a write touched a row, else `NotFound(what)`.
pub(crate) fn found(rows_affected: u64, what: &'static str) -> RepoResult<()> {
    if rows_affected == 0 { Err(RepoError::NotFound(what)) } else { Ok(()) }
}

/// The row, or `NotFound(what)`.
pub(crate) fn required<T>(row: Option<T>, what: &'static str) -> RepoResult<T> {
    row.ok_or(RepoError::NotFound(what))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PoolSettings, connect};

    /// Runs `sql` on a migrated database holding a user, a library with an asset, an
    /// active campaign whose pool holds the asset, and a stored key; returns the error.
    async fn violation(sql: &str) -> sqlx::Error {
        let store = connect("sqlite::memory:", &PoolSettings::default()).await.unwrap();
        store.migrate().await.unwrap();
        let seed = "\
            INSERT INTO users (username, role, password_hash, security_stamp, created_at) \
              VALUES ('Admin', 'admin', 'x', 1, '2026-01-01T00:00:00.000000000Z');\
            INSERT INTO libraries (id, name) VALUES (1, 'NATO');\
            INSERT INTO assets (id, library_id, name, kind, default_quantity, is_unique, is_public) \
              VALUES (1, 1, 'Tank', 'Vehicle', 1, 0, 1);\
            INSERT INTO campaigns (id, name, start_date, status, created_at) \
              VALUES (1, 'Op', '2026-01-01', 'Active', '2026-01-01T00:00:00.000000000Z');\
            INSERT INTO pool_entries (campaign_id, asset_id, library_id, asset_name, kind, \
              is_unique, initial_quantity, current_quantity, is_public) \
              VALUES (1, 1, 1, 'Tank', 'Vehicle', 0, 1, 1, 1);\
            INSERT INTO idempotency_keys (key, action, object_ids, created_at) \
              VALUES ('key-0001', 'user.created', '1', '2026-01-01T00:00:00.000000000Z');";
        sqlx::raw_sql(seed).execute(store.connection_pool()).await.unwrap();
        sqlx::raw_sql(sql).execute(store.connection_pool()).await.unwrap_err()
    }

    #[tokio::test]
    async fn every_named_unique_constraint_is_recognised_from_what_sqlite_reports() {
        let cases = [
            (
                "INSERT INTO users (username, role, password_hash, security_stamp, created_at) \
                 VALUES ('aDMIN', 'manager', 'x', 1, 'now')",
                "users_username_key",
            ),
            ("INSERT INTO libraries (name) VALUES ('NATO')", "libraries_name_key"),
            (
                "INSERT INTO assets (library_id, name, kind, default_quantity, is_unique, \
                 is_public) VALUES (1, 'Tank', 'Other', 0, 0, 0)",
                "assets_library_name_key",
            ),
            (
                "INSERT INTO pool_entries (campaign_id, asset_id, library_id, asset_name, kind, \
                 is_unique, initial_quantity, current_quantity, is_public) \
                 VALUES (1, 1, 1, 'Tank', 'Vehicle', 0, 2, 2, 1)",
                "pool_entries_campaign_asset_key",
            ),
            (
                "INSERT INTO campaigns (name, start_date, status, created_at) \
                 VALUES ('Op 2', '2026-02-01', 'Active', 'now')",
                "campaigns_one_active",
            ),
            (
                "INSERT INTO idempotency_keys (key, action, object_ids, created_at) \
                 VALUES ('key-0001', 'user.created', '', 'now')",
                "idempotency_keys_pkey",
            ),
        ];
        for (sql, name) in cases {
            let e = violation(sql).await;
            assert_eq!(unique_violation(&e), Some(name), "{sql}");
            assert!(!is_foreign_key_violation(&e), "{sql}");
        }
    }

    #[tokio::test]
    async fn constraints_map_to_their_conflicts_and_the_rest_is_unexpected() {
        let duplicate = violation("INSERT INTO libraries (name) VALUES ('NATO')").await;
        assert!(matches!(db(duplicate), RepoError::Conflict(Conflict::DuplicateLibraryName)));
        let second_active = violation(
            "UPDATE campaigns SET status = 'Active'; \
             INSERT INTO campaigns (name, start_date, status, created_at) \
             VALUES ('Op 2', '2026-02-01', 'Active', 'now')",
        )
        .await;
        assert!(matches!(db(second_active), RepoError::Conflict(Conflict::AnotherCampaignActive)));
        let negative = violation("UPDATE pool_entries SET current_quantity = -1").await;
        assert!(matches!(db(negative), RepoError::Unexpected(_)));
    }

    #[tokio::test]
    async fn restricted_and_missing_references_are_foreign_key_violations() {
        for sql in [
            "DELETE FROM assets WHERE id = 1",
            "DELETE FROM libraries WHERE id = 1",
            "INSERT INTO assets (library_id, name, kind, default_quantity, is_unique, is_public) \
             VALUES (99, 'Ghost', 'Other', 0, 0, 0)",
        ] {
            let e = violation(sql).await;
            assert!(is_foreign_key_violation(&e), "{sql}: {e}");
            let mapped = db_or(Conflict::InUse("the asset").into())(e);
            assert!(matches!(mapped, RepoError::Conflict(Conflict::InUse(_))), "{sql}");
        }
    }
}
