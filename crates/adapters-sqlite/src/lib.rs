//! Embedded SQLite implementation of every persistence port, on one `SqliteStore`.
//!
//! Invariants: every write is one `BEGIN IMMEDIATE` transaction that also stores its
//! audit row and, for creates, its idempotency key (`tx.rs`); the ledger rule is kept by
//! guarded `UPDATE`s inside that transaction (`ledger.rs`), never by read-then-write in
//! Rust; writes to a closed campaign's data are refused inside the transaction; driver
//! errors never reach users as text (`errors.rs`). Only this crate knows SQLite's SQL.

mod audit;
mod campaigns;
mod codec;
mod errors;
mod events;
mod ledger;
mod libraries;
mod missions;
mod pool;
mod tx;
mod users;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// How long a connection waits for another connection's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The connection pool's settings, from configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolSettings {
    /// The most connections open at once (forced to 1 for an in-memory database).
    pub max_connections: u32,
    /// Connections kept open even when idle.
    pub min_connections: u32,
    /// How long a request waits for a free connection.
    pub acquire_timeout: Duration,
    /// Idle connections above the minimum are closed after this long.
    pub idle_timeout: Option<Duration>,
    /// Connections are replaced after this long.
    pub max_lifetime: Option<Duration>,
    /// Whether a connection is checked with a ping before it is handed out.
    pub test_before_acquire: bool,
}

impl Default for PoolSettings {
    /// SQLite serializes writes anyway, so a handful of connections serve concurrent
    /// reads (WAL lets them run beside the one writer) without piling up on the lock.
    fn default() -> Self {
        Self {
            max_connections: 8,
            min_connections: 1,
            acquire_timeout: Duration::from_secs(10),
            idle_timeout: Some(Duration::from_secs(600)),
            max_lifetime: Some(Duration::from_secs(1800)),
            test_before_acquire: true,
        }
    }
}

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
}

/// Every persistence port on SQLite. Cheap to clone: clones share the pool.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
}

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
    }
    let pool =
        pool.connect_with(options).await.map_err(|source| StoreError::Connect { url: redact_url(url), source })?;
    tracing::info!(url = %redact_url(url), "connected to SQLite");
    Ok(SqliteStore { pool })
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

/// `url` with any password removed (`scheme://user:secret@host` becomes
/// `scheme://user:***@host`), for logs and error messages. SQLite URLs carry no
/// credentials, but the function is applied anyway so that a misconfigured URL (such
/// as a PostgreSQL one handed to this adapter) never leaks its password.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
        None => url.to_owned(),
    }
}

impl SqliteStore {
    /// Applies the embedded migrations (`migrations/sqlite`) not yet applied; a no-op
    /// on an up-to-date database.
    ///
    /// # Errors
    /// `StoreError::Migrate`.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("../../migrations/sqlite").run(&self.pool).await.map_err(StoreError::Migrate)?;
        tracing::info!("the SQLite schema is up to date");
        Ok(())
    }

    /// Runs `SELECT 1`; the caller bounds it with a timeout for readiness checks.
    ///
    /// # Errors
    /// `StoreError::Query` when the database does not answer.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(drop).map_err(StoreError::Query)
    }

    /// The pool, for components that share it (the web layer's session store).
    pub fn connection_pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes every connection, waiting for those in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl application::ports::HealthRepo for SqliteStore {
    async fn ping(&self) -> application::error::RepoResult<()> {
        SqliteStore::ping(self).await.map_err(application::RepoError::unexpected)
    }
}
