//! PostgreSQL's dialect for the storage core: driver types, row locks, snapshots at
//! `REPEATABLE READ`, arrays for id lists and `jsonb` for archived reports.
//!
//! Invariants: writes run at PostgreSQL's default `READ COMMITTED` and take row locks
//! as the core asks (`lock`), in the order `guards` documents; a read of several
//! statements runs in one `REPEATABLE READ READ ONLY` transaction, so it sees one
//! snapshot; constraint names come from the server, as `migrations/postgres` names them.

use adapters_sql::dialect::begin_uncancelled;
use adapters_sql::{Arg, Dialect, Lock, Statement, Violation};
use sqlx::error::ErrorKind;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{PgConnection, PgPool, Postgres as Driver, Row};
use time::{Date, OffsetDateTime, UtcDateTime, UtcOffset};

/// The production database.
#[derive(Debug, Clone, Copy)]
pub struct Postgres;

/// The statement with its values bound.
fn query(st: Statement<'_>) -> sqlx::query::Query<'_, Driver, PgArguments> {
    let (text, args) = st;
    let mut query = sqlx::query(text);
    for arg in args {
        query = match arg {
            Arg::Int(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
            Arg::Flag(v) => query.bind(v),
            Arg::Date(v) => query.bind(v),
            Arg::Time(v) => query.bind(v.map(|at| at.to_offset(UtcOffset::UTC))),
            Arg::Ids(ids) => query.bind(ids),
        };
    }
    query
}

impl Dialect for Postgres {
    type Pool = PgPool;
    type Conn = PgConnection;
    type Pooled = sqlx::pool::PoolConnection<Driver>;
    type Tx = sqlx::Transaction<'static, Driver>;
    type Row = PgRow;
    type Error = crate::StoreError;

    fn lock(lock: Lock, of: &str) -> String {
        let strength = match lock {
            Lock::Share => "SHARE",
            Lock::KeyShare => "KEY SHARE",
            Lock::NoKeyUpdate => "NO KEY UPDATE",
            Lock::Update => "UPDATE",
        };
        format!(" FOR {strength} OF {of}")
    }

    fn lock_tables(tables: &str) -> Option<String> {
        // Conflicts with itself and with INSERT/UPDATE/DELETE; readers go on.
        Some(format!("LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE"))
    }

    fn any_id(column: &str, param: &str) -> String {
        format!("{column} = ANY({param})")
    }

    const BYTEWISE: &'static str = " COLLATE \"C\"";

    fn json_param(param: &str) -> String {
        format!("CAST({param} AS jsonb)")
    }

    fn json_text(column: &str) -> String {
        format!("CAST({column} AS text)")
    }

    async fn migrate(pool: &PgPool) -> Result<(), crate::StoreError> {
        sqlx::migrate!("../../migrations/postgres").run(pool).await.map_err(crate::StoreError::Migrate)
    }

    async fn close(pool: &PgPool) {
        pool.close().await;
    }

    async fn acquire(pool: &PgPool) -> sqlx::Result<Self::Pooled> {
        pool.acquire().await
    }

    async fn begin_write(pool: &PgPool) -> sqlx::Result<Self::Tx> {
        begin_uncancelled(pool, Some("BEGIN")).await
    }

    async fn begin_read(pool: &PgPool) -> sqlx::Result<Self::Tx> {
        begin_uncancelled(pool, Some("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")).await
    }

    async fn commit(tx: Self::Tx) -> sqlx::Result<()> {
        tx.commit().await
    }

    async fn rollback(tx: Self::Tx) -> sqlx::Result<()> {
        tx.rollback().await
    }

    async fn execute<'c>(conn: &'c mut PgConnection, st: Statement<'c>) -> sqlx::Result<u64> {
        query(st).execute(conn).await.map(|done| done.rows_affected())
    }

    async fn fetch_all<'c>(conn: &'c mut PgConnection, st: Statement<'c>) -> sqlx::Result<Vec<PgRow>> {
        query(st).fetch_all(conn).await
    }

    async fn fetch_optional<'c>(conn: &'c mut PgConnection, st: Statement<'c>) -> sqlx::Result<Option<PgRow>> {
        query(st).fetch_optional(conn).await
    }

    /// SQLSTATE classes 08 (connection), 53 (insufficient resources: disk full, out of
    /// memory, too many connections), 57P01-57P03 (shutting down, starting up), 58030
    /// (I/O error) and 25006 (a read-only transaction, as on a standby).
    fn unavailable(e: &sqlx::Error) -> bool {
        let Some(code) = e.as_database_error().and_then(|db| db.code()) else { return false };
        code.starts_with("08")
            || code.starts_with("53")
            || code.starts_with("57P0")
            || code == "58030"
            || code == "25006"
    }

    fn violation(e: &sqlx::Error) -> Option<Violation> {
        let db = e.as_database_error()?;
        match db.kind() {
            ErrorKind::ForeignKeyViolation => Some(Violation::ForeignKey),
            ErrorKind::UniqueViolation => named(db.constraint()?).map(Violation::Unique),
            _ => None,
        }
    }

    fn int(row: &PgRow, column: &str) -> sqlx::Result<Option<i64>> {
        // Ids and counts are BIGINT, quantities INTEGER: PostgreSQL's types are strict.
        row.try_get::<Option<i64>, _>(column)
            .or_else(|_| row.try_get::<Option<i32>, _>(column).map(|v| v.map(i64::from)))
    }

    fn text(row: &PgRow, column: &str) -> sqlx::Result<Option<String>> {
        row.try_get(column)
    }

    fn flag(row: &PgRow, column: &str) -> sqlx::Result<Option<bool>> {
        row.try_get(column)
    }

    fn date(row: &PgRow, column: &str) -> sqlx::Result<Option<Date>> {
        row.try_get(column)
    }

    fn time(row: &PgRow, column: &str) -> sqlx::Result<Option<UtcDateTime>> {
        let at: Option<OffsetDateTime> = row.try_get(column)?;
        Ok(at.map(OffsetDateTime::to_utc))
    }
}

/// The schema's name for a unique constraint the server reported, as a `'static` str.
fn named(constraint: &str) -> Option<&'static str> {
    const UNIQUE: &[&str] = &[
        "users_username_key",
        "libraries_name_key",
        "assets_library_name_key",
        "pool_entries_campaign_asset_key",
        "campaigns_one_active",
        "idempotency_keys_pkey",
    ];
    UNIQUE.iter().copied().find(|name| *name == constraint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unique_constraint_of_the_schema_is_known_by_name() {
        let schema = include_str!("../../../migrations/postgres/0001_initial.sql");
        for name in ["users_username_key", "libraries_name_key", "assets_library_name_key", "campaigns_one_active"] {
            assert!(schema.contains(name), "{name} is not in the schema");
            assert_eq!(named(name), Some(name));
        }
        assert_eq!(named("something_else"), None);
    }

    #[test]
    fn an_error_that_is_not_a_constraint_is_no_violation() {
        assert_eq!(Postgres::violation(&sqlx::Error::RowNotFound), None);
    }

    #[test]
    fn locks_name_their_strength_and_table() {
        assert_eq!(Postgres::lock(Lock::KeyShare, "m"), " FOR KEY SHARE OF m");
        assert_eq!(Postgres::lock(Lock::Update, "pool_entries"), " FOR UPDATE OF pool_entries");
        assert_eq!(Postgres::lock(Lock::NoKeyUpdate, "p"), " FOR NO KEY UPDATE OF p");
    }
}
