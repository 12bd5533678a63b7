//! SQLite's dialect for the storage core: driver types, `BEGIN IMMEDIATE` writes,
//! timestamps as fixed-width text, and SQLite's errors reported under the PostgreSQL
//! schema's constraint names.
//!
//! SQLite does not report a unique constraint by name but by its columns
//! ("UNIQUE constraint failed: libraries.name"), except for expression indexes
//! ("… failed: index 'users_username_key'"); `CONSTRAINTS` translates one to the other.
//!
//! Invariants:
//! - `BEGIN IMMEDIATE` takes SQLite's write lock at the start (waiting up to the busy
//!   timeout). A deferred transaction would read first and then try to upgrade its
//!   snapshot to a writer, which fails at once with SQLITE_BUSY when another connection
//!   wrote in between, and the busy timeout cannot help. Holding the lock from the start
//!   also makes the reads inside a write consistent with the write, as row locks do on
//!   PostgreSQL, so `lock` adds nothing here.
//! - Timestamps are stored as RFC 3339 UTC text with exactly nine fraction digits, so
//!   that text order is time order (sqlx's own encoding drops trailing zeros, and
//!   "…:00Z" would sort after "…:00.5Z").

use adapters_sql::dialect::begin_uncancelled;
use adapters_sql::{Arg, Dialect, Lock, Statement, Violation};
use sqlx::error::ErrorKind;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Row, Sqlite as Driver, SqliteConnection, SqlitePool};
use time::{Date, UtcDateTime};

/// The embedded database.
#[derive(Debug, Clone, Copy)]
pub struct Sqlite;

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
fn unique_violation(e: &sqlx::Error) -> Option<&'static str> {
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
fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|db| {
        db.kind() == ErrorKind::ForeignKeyViolation
            || (db.code().as_deref() == Some(SQLITE_CONSTRAINT_TRIGGER)
                && db.message() == "FOREIGN KEY constraint failed")
    })
}

/// A timestamp outside the years 0000 to 9999, which RFC 3339 cannot write.
#[derive(Debug, thiserror::Error)]
#[error("timestamp {0} is outside the years 0000 to 9999")]
struct OutOfRange(UtcDateTime);

/// A timestamp as stored: `2026-01-01T12:00:00.000000000Z`.
fn timestamp(at: UtcDateTime) -> sqlx::Result<String> {
    if !(0..=9999).contains(&at.year()) {
        return Err(sqlx::Error::Encode(Box::new(OutOfRange(at))));
    }
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.nanosecond()
    ))
}

/// The statement with its values bound.
fn query(st: Statement<'_>) -> sqlx::Result<sqlx::query::Query<'_, Driver, SqliteArguments<'_>>> {
    let (text, args) = st;
    let mut query = sqlx::query(text);
    for arg in args {
        query = match arg {
            Arg::Int(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
            Arg::Flag(v) => query.bind(v),
            Arg::Date(v) => query.bind(v),
            Arg::Time(v) => query.bind(v.map(timestamp).transpose()?),
            Arg::Ids(ids) => query.bind(format!("[{}]", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))),
        };
    }
    Ok(query)
}

impl Dialect for Sqlite {
    type Pool = SqlitePool;
    type Conn = SqliteConnection;
    type Pooled = sqlx::pool::PoolConnection<Driver>;
    type Tx = sqlx::Transaction<'static, Driver>;
    type Row = SqliteRow;
    type Error = crate::StoreError;

    fn lock(_: Lock, _: &str) -> String {
        String::new()
    }

    fn lock_tables(_: &str) -> Option<String> {
        None // BEGIN IMMEDIATE already holds the database.
    }

    fn any_id(column: &str, param: &str) -> String {
        format!("{column} IN (SELECT value FROM json_each({param}))")
    }

    const BYTEWISE: &'static str = "";

    fn json_param(param: &str) -> String {
        param.to_owned()
    }

    fn json_text(column: &str) -> String {
        column.to_owned()
    }

    async fn migrate(pool: &SqlitePool) -> Result<(), crate::StoreError> {
        sqlx::migrate!("../../migrations/sqlite").run(pool).await.map_err(crate::StoreError::Migrate)?;
        tracing::info!("the SQLite schema is up to date");
        Ok(())
    }

    async fn close(pool: &SqlitePool) {
        pool.close().await;
    }

    async fn acquire(pool: &SqlitePool) -> sqlx::Result<Self::Pooled> {
        pool.acquire().await
    }

    async fn begin_write(pool: &SqlitePool) -> sqlx::Result<Self::Tx> {
        begin_uncancelled(pool, Some("BEGIN IMMEDIATE")).await
    }

    async fn begin_read(pool: &SqlitePool) -> sqlx::Result<Self::Tx> {
        // A deferred transaction (sqlx's own `BEGIN`) takes its snapshot at its first
        // read; WAL keeps it while writers go on.
        begin_uncancelled(pool, None).await
    }

    async fn commit(tx: Self::Tx) -> sqlx::Result<()> {
        tx.commit().await
    }

    async fn rollback(tx: Self::Tx) -> sqlx::Result<()> {
        tx.rollback().await
    }

    async fn execute<'c>(conn: &'c mut SqliteConnection, st: Statement<'c>) -> sqlx::Result<u64> {
        query(st)?.execute(conn).await.map(|done| done.rows_affected())
    }

    async fn fetch_all<'c>(conn: &'c mut SqliteConnection, st: Statement<'c>) -> sqlx::Result<Vec<SqliteRow>> {
        query(st)?.fetch_all(conn).await
    }

    async fn fetch_optional<'c>(conn: &'c mut SqliteConnection, st: Statement<'c>) -> sqlx::Result<Option<SqliteRow>> {
        query(st)?.fetch_optional(conn).await
    }

    /// Primary result codes BUSY (5), READONLY (8), IOERR (10), FULL (13) and CANTOPEN
    /// (14), whatever their extended code.
    fn unavailable(e: &sqlx::Error) -> bool {
        let code = e.as_database_error().and_then(|db| db.code()).and_then(|c| c.parse::<i32>().ok());
        code.is_some_and(|code| matches!(code & 0xff, 5 | 8 | 10 | 13 | 14))
    }

    fn violation(e: &sqlx::Error) -> Option<Violation> {
        if is_foreign_key_violation(e) {
            return Some(Violation::ForeignKey);
        }
        unique_violation(e).map(Violation::Unique)
    }

    fn int(row: &SqliteRow, column: &str) -> sqlx::Result<Option<i64>> {
        row.try_get(column)
    }

    fn text(row: &SqliteRow, column: &str) -> sqlx::Result<Option<String>> {
        row.try_get(column)
    }

    fn flag(row: &SqliteRow, column: &str) -> sqlx::Result<Option<bool>> {
        row.try_get(column)
    }

    fn date(row: &SqliteRow, column: &str) -> sqlx::Result<Option<Date>> {
        row.try_get(column)
    }

    fn time(row: &SqliteRow, column: &str) -> sqlx::Result<Option<UtcDateTime>> {
        let at: Option<time::OffsetDateTime> = row.try_get(column)?;
        Ok(at.map(time::OffsetDateTime::to_utc))
    }
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
    async fn constraints_are_reported_under_their_names_and_the_rest_is_not_a_violation() {
        let duplicate = violation("INSERT INTO libraries (name) VALUES ('NATO')").await;
        assert_eq!(Sqlite::violation(&duplicate), Some(Violation::Unique("libraries_name_key")));
        let second_active = violation(
            "UPDATE campaigns SET status = 'Active'; \
             INSERT INTO campaigns (name, start_date, status, created_at) \
             VALUES ('Op 2', '2026-02-01', 'Active', 'now')",
        )
        .await;
        assert_eq!(Sqlite::violation(&second_active), Some(Violation::Unique("campaigns_one_active")));
        let negative = violation("UPDATE pool_entries SET current_quantity = -1").await;
        assert_eq!(Sqlite::violation(&negative), None);
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
            assert_eq!(Sqlite::violation(&e), Some(Violation::ForeignKey), "{sql}");
        }
    }

    #[test]
    fn timestamps_have_a_fixed_width_so_text_order_is_time_order() {
        use time::macros::utc_datetime;
        let whole = timestamp(utc_datetime!(2026-01-01 12:00:00)).unwrap();
        let later = timestamp(utc_datetime!(2026-01-01 12:00:00.5)).unwrap();
        assert_eq!(whole, "2026-01-01T12:00:00.000000000Z");
        assert!(whole < later);
    }
}
