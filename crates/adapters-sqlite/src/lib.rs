//! Embedded SQLite, the zero-setup default: every persistence port is the storage
//! core's `SqlStore` on the [`Sqlite`] dialect (`dialect.rs`); this file opens the
//! database.
//!
//! Invariants: connections run in WAL mode with foreign keys on and a busy timeout;
//! an in-memory database keeps exactly one connection forever (each connection would
//! be its own empty database); URLs in messages have any password removed.

mod backup;
mod dialect;
mod legacy;

pub use adapters_sql::legacy::read::LegacyReadError;
pub use adapters_sql::{PoolSettings, redact_url};
pub use backup::{backup_to, database_file};
pub use dialect::Sqlite;
pub use legacy::read_legacy_sqlite;

use sqlx::Connection as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// How long a connection waits for another connection's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the store could not be opened, migrated or reached. Each says what failed in
/// one line; URLs in messages have any password removed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL is not a SQLite URL sqlx understands.
    #[error("invalid SQLite database URL {url}: {source}")]
    InvalidUrl {
        /// The URL, redacted.
        url: String,
        /// Why it was refused.
        source: sqlx::Error,
    },
    /// The directory that should hold the database file could not be created.
    #[error("cannot create the database directory {}: {source}", path.display())]
    CreateDirectory {
        /// The directory.
        path: PathBuf,
        /// The file-system error.
        source: std::io::Error,
    },
    /// The database could not be opened.
    #[error("cannot connect to the database at {url}: {source}")]
    Connect {
        /// The URL, redacted.
        url: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// Applying the migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// The database did not answer a query.
    #[error("the database did not answer: {0}")]
    Query(#[source] sqlx::Error),
    /// The backup's file already exists; a backup never overwrites a file.
    #[error("{} already exists; a backup never overwrites a file", path.display())]
    BackupExists {
        /// The existing file.
        path: PathBuf,
    },
    /// A copy of the database could not be written.
    #[error("cannot write the backup {}: {source}", path.display())]
    Backup {
        /// The file the copy was to be written to.
        path: PathBuf,
        /// The driver's error.
        source: sqlx::Error,
    },
}

/// Every persistence port on SQLite. Cheap to clone: clones share the pool.
pub type SqliteStore = adapters_sql::SqlStore<Sqlite>;

/// Opens (creating if missing) the SQLite database at `url`, such as
/// `sqlite://data/tracker.db` or `sqlite::memory:`, in WAL mode with foreign keys on,
/// creating the file's directory when it does not exist. Does not migrate.
///
/// # Errors
/// `StoreError::InvalidUrl`, `CreateDirectory` or `Connect`.
pub async fn connect(url: &str, settings: &PoolSettings) -> Result<SqliteStore, StoreError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| StoreError::InvalidUrl { url: redact_url(url), source })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true)
        .synchronous(SqliteSynchronous::Normal);
    let mut pool = SqlitePoolOptions::new()
        .max_connections(settings.max_connections.max(1))
        .min_connections(settings.min_connections)
        .acquire_timeout(settings.acquire_timeout)
        .idle_timeout(settings.idle_timeout)
        .max_lifetime(settings.max_lifetime)
        .test_before_acquire(settings.test_before_acquire);
    if is_in_memory(url) {
        // Each connection to `sqlite::memory:` would be its own empty database (or,
        // with sqlx's shared cache, one that fails with SQLITE_LOCKED under
        // concurrency), and the database vanishes when its last connection closes: keep
        // exactly one connection, forever.
        pool = pool.max_connections(1).min_connections(1).idle_timeout(None).max_lifetime(None);
    } else {
        create_parent_directory(options.get_filename())?;
        pool = pool.before_acquire(|conn, _| Box::pin(async move { Ok(still_usable(conn)) }));
    }
    let pool =
        pool.connect_with(options).await.map_err(|source| StoreError::Connect { url: redact_url(url), source })?;
    tracing::info!(url = %redact_url(url), "connected to SQLite");
    Ok(SqliteStore::from_pool(pool))
}

/// Whether a pooled connection may be lent again: not when sqlx still counts it as
/// inside a transaction. A commit or statement that fails with a full disk or an I/O
/// error is rolled back by SQLite itself; sqlx 0.8.6's ROLLBACK then fails and its
/// count stays at one, so on that connection every `BEGIN IMMEDIATE` is refused
/// (`InvalidSavePointStatement`) and every `BEGIN` becomes a savepoint, for good. The
/// pool closes such a connection and lends (or opens) another. An in-memory database
/// keeps its one connection whatever happens: closing it would lose the database, and
/// it has no disk to fill.
fn still_usable(conn: &SqliteConnection) -> bool {
    let usable = !conn.is_in_transaction();
    if !usable {
        tracing::warn!("closing a SQLite connection left inside a transaction SQLite had already ended");
    }
    usable
}

fn create_parent_directory(file: &Path) -> Result<(), StoreError> {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => {
            // Start-up only, before any request: blocking here is harmless.
            std::fs::create_dir_all(dir)
                .map_err(|source| StoreError::CreateDirectory { path: dir.to_path_buf(), source })
        }
        _ => Ok(()),
    }
}

/// Whether `url` names an in-memory database (`sqlite::memory:` or `mode=memory`).
fn is_in_memory(url: &str) -> bool {
    let rest = url.strip_prefix("sqlite:").unwrap_or(url);
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let (database, params) = rest.split_once('?').unwrap_or((rest, ""));
    database == ":memory:" || params.split('&').any(|p| p == "mode=memory")
}
