//! The dialect: the little each SQL database does its own way, as one trait the
//! SQLite and PostgreSQL adapters implement on a marker type. Everything else (the
//! statements both databases understand, the row conversions, the write protocol) is
//! written once in this crate against it.
//!
//! Invariants: statements use numbered `$n` parameters, which both drivers accept;
//! values cross the boundary as [`Arg`]s and come back through [`Dialect`]'s column
//! readers, so no driver type appears outside the adapter that owns it; a dialect adds
//! no rule of its own (locks and snapshots change *when* a statement runs, never what
//! it may write).

use std::fmt::Debug;
use std::ops::DerefMut;
use time::{Date, UtcDateTime};

/// A value bound to a statement's parameter (`$1`, `$2`, …). Nulls are typed, as PostgreSQL wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A 64-bit integer (ids, quantities, counts), or a null integer.
    Int(Option<i64>),
    /// Text, or a null text.
    Text(Option<String>),
    /// A boolean.
    Flag(bool),
    /// A calendar date, or a null date.
    Date(Option<Date>),
    /// A point in time, or a null one; each dialect stores it its own way.
    Time(Option<UtcDateTime>),
    /// A list of ids, matched by the fragment [`Dialect::any_id`] writes.
    Ids(Vec<i64>),
}

/// A row lock a write takes on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already holds
/// the whole database, so there it is nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// `FOR SHARE`: others may read and share-lock, nobody may change the row.
    Share,
    /// `FOR KEY SHARE`: the row may change but not be deleted or re-keyed.
    KeyShare,
    /// `FOR NO KEY UPDATE`: the write changes the row but not its key, so rows that
    /// reference it may still be inserted meanwhile (what an `UPDATE` takes itself).
    NoKeyUpdate,
    /// `FOR UPDATE`: the write changes or deletes the row.
    Update,
}

/// What a database reported a constraint violation as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violation {
    /// A unique constraint, by its name in the PostgreSQL schema (the SQLite adapter
    /// translates what SQLite reports into those names).
    Unique(&'static str),
    /// A foreign key: a row still referenced, or a reference to a missing row.
    ForeignKey,
}

/// The `$n`-numbered statement text and its values, as the dialect runs them.
pub type Statement<'s> = (&'s str, Vec<Arg>);

/// What a SQL adapter provides to the storage core. Implemented on a marker type.
pub trait Dialect: Sized + Send + Sync + 'static {
    /// The driver's connection pool.
    type Pool: Clone + Send + Sync + Debug + 'static;
    /// One driver connection.
    type Conn: Send;
    /// A connection taken from the pool for a single statement.
    type Pooled: DerefMut<Target = Self::Conn> + Send;
    /// An open transaction.
    type Tx: DerefMut<Target = Self::Conn> + Send;
    /// A row as the driver returns it.
    type Row: Send + Sync;

    /// The row-lock clause for `lock` on the table aliased `of` (with a leading space),
    /// or nothing where the database has no row locks.
    fn lock(lock: Lock, of: &str) -> String;
    /// A statement holding `tables` (comma-separated) against every other writer until
    /// the transaction ends, or `None` where a write transaction holds the whole database.
    fn lock_tables(tables: &str) -> Option<String>;
    /// A condition that `column` is one of the ids bound to parameter `param`, such as `$1` (an [`Arg::Ids`]).
    fn any_id(column: &str, param: &str) -> String;
    /// `ORDER BY` suffix that compares text byte by byte on every database.
    const BYTEWISE: &'static str;
    /// A JSON document bound to parameter `param`, as the column storing it takes it.
    fn json_param(param: &str) -> String;
    /// The JSON column `column` read back as text.
    fn json_text(column: &str) -> String;

    /// Why the database could not be opened, migrated or reached.
    type Error: std::error::Error + Send + Sync + 'static;
    /// Applies the embedded migrations not yet applied.
    fn migrate(pool: &Self::Pool) -> impl Future<Output = Result<(), Self::Error>> + Send;
    /// Closes every connection, waiting for those in use to be returned.
    fn close(pool: &Self::Pool) -> impl Future<Output = ()> + Send;

    /// Takes a connection from the pool.
    fn acquire(pool: &Self::Pool) -> impl Future<Output = sqlx::Result<Self::Pooled>> + Send;
    /// Opens a transaction that will write: it holds what it needs so that its reads
    /// stay true until it commits (`BEGIN IMMEDIATE`, or row locks taken as it goes).
    fn begin_write(pool: &Self::Pool) -> impl Future<Output = sqlx::Result<Self::Tx>> + Send;
    /// Opens a read-only transaction whose statements all see one snapshot.
    fn begin_read(pool: &Self::Pool) -> impl Future<Output = sqlx::Result<Self::Tx>> + Send;
    /// Commits.
    fn commit(tx: Self::Tx) -> impl Future<Output = sqlx::Result<()>> + Send;
    /// Rolls back.
    fn rollback(tx: Self::Tx) -> impl Future<Output = sqlx::Result<()>> + Send;

    /// Runs a statement; answers the number of rows it changed.
    fn execute<'c>(conn: &'c mut Self::Conn, st: Statement<'c>) -> impl Future<Output = sqlx::Result<u64>> + Send + 'c;
    /// Runs a query; answers every row.
    fn fetch_all<'c>(
        conn: &'c mut Self::Conn,
        st: Statement<'c>,
    ) -> impl Future<Output = sqlx::Result<Vec<Self::Row>>> + Send + 'c;
    /// Runs a query; answers its first row, if any.
    fn fetch_optional<'c>(
        conn: &'c mut Self::Conn,
        st: Statement<'c>,
    ) -> impl Future<Output = sqlx::Result<Option<Self::Row>>> + Send + 'c;

    /// The named constraint (or foreign key) `e` violated, if it is one.
    fn violation(e: &sqlx::Error) -> Option<Violation>;

    /// Whether the database reported that it cannot serve or write right now (shutting
    /// down, out of disk, read-only, busy), as opposed to a failure of the statement.
    fn unavailable(e: &sqlx::Error) -> bool;

    /// An integer column (any width the schema uses).
    fn int(row: &Self::Row, column: &str) -> sqlx::Result<Option<i64>>;
    /// A text column.
    fn text(row: &Self::Row, column: &str) -> sqlx::Result<Option<String>>;
    /// A boolean column (or an integer 0/1 where the database has no booleans).
    fn flag(row: &Self::Row, column: &str) -> sqlx::Result<Option<bool>>;
    /// A date column.
    fn date(row: &Self::Row, column: &str) -> sqlx::Result<Option<Date>>;
    /// A timestamp column, in UTC.
    fn time(row: &Self::Row, column: &str) -> sqlx::Result<Option<UtcDateTime>>;
}

/// Opens a transaction with `statement` in a task of its own, so that it always runs to
/// the end; both dialects open theirs with it. sqlx 0.8.6 cannot cancel the opening of
/// a transaction safely: a future dropped in the middle (a client that hangs up, a
/// timeout) can return its connection to the pool still inside the transaction
/// (PostgreSQL: launchbadge/sqlx #4393, while the `BEGIN` is on the wire; SQLite: after
/// `BEGIN IMMEDIATE` ran but before sqlx checked it), and every later borrower then
/// fails or runs inside it (on SQLite, with the database's write lock held). In its own
/// task the opening finishes; if nobody awaits the result any more, the transaction is
/// dropped there, which rolls it back as for any unfinished transaction.
///
/// `None` opens it with the driver's own `BEGIN`. (A SQLite connection that sqlx still
/// counts as inside a transaction SQLite ended itself, as on a full disk, would refuse a
/// statement of our own; the SQLite pool never lends one: see `still_usable` there.)
///
/// # Errors
/// The driver's, or an I/O error when the task itself failed.
pub async fn begin_uncancelled<DB: sqlx::Database>(
    pool: &sqlx::Pool<DB>,
    statement: Option<&'static str>,
) -> sqlx::Result<sqlx::Transaction<'static, DB>> {
    let pool = pool.clone();
    tokio::spawn(async move {
        match statement {
            Some(statement) => pool.begin_with(statement).await,
            None => pool.begin().await,
        }
    })
    .await
    .map_err(|e| sqlx::Error::Io(std::io::Error::other(format!("the task opening a transaction failed: {e}"))))?
}
