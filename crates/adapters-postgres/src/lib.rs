//! PostgreSQL (15+) implementation of every persistence port on one [`PgStore`].
//!
//! Invariants: every write is one transaction that also stores its audit entry and,
//! for a create with a key, its idempotency key (`tx`); the ledger rule is applied by
//! guarded `UPDATE`s in the database, never by a read-then-write in Rust (`ledger`);
//! every write touching a campaign's data first takes a row lock on the campaign and
//! refuses a closed one (`guards`); only this crate knows SQL, and no error or log
//! line ever shows the database password (`redact`).

mod audit;
mod campaigns;
mod convert;
mod errors;
mod events;
mod guards;
mod ledger;
mod libraries;
mod missions;
mod pool;
mod redact;
pub mod test_support;
mod tx;
mod users;

pub use redact::redact_url;

use sqlx::Executor;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// The connection pool's settings, read from configuration by the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolSettings {
    /// The most connections the pool opens.
    pub max_connections: u32,
    /// The connections the pool keeps open even when idle.
    pub min_connections: u32,
    /// How long a request waits for a free connection before failing.
    pub acquire_timeout: Duration,
    /// How long an idle connection is kept; `None` keeps it forever.
    pub idle_timeout: Option<Duration>,
    /// How long a connection is used before it is replaced; `None` for ever.
    pub max_lifetime: Option<Duration>,
    /// Whether a connection is checked with a ping before it is handed out.
    pub test_before_acquire: bool,
    /// The longest a statement may run before the server cancels it, set on every
    /// connection; `None` keeps the server's setting.
    pub statement_timeout: Option<Duration>,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 10,
            min_connections: 0,
            acquire_timeout: Duration::from_secs(5),
            idle_timeout: Some(Duration::from_secs(10 * 60)),
            max_lifetime: Some(Duration::from_secs(30 * 60)),
            test_before_acquire: true,
            statement_timeout: Some(Duration::from_secs(30)),
        }
    }
}

/// Why the store could not be set up or reached. Messages name the database by its
/// URL with the password replaced by `***`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL could not be read as PostgreSQL connection options.
    #[error("invalid database URL {url}: {cause}")]
    InvalidUrl {
        /// The URL, without its password.
        url: String,
        /// What was wrong, without the password.
        cause: String,
    },
    /// The server could not be reached or refused the connection.
    #[error("cannot connect to the database at {url}: {cause}")]
    Connect {
        /// The URL, without its password.
        url: String,
        /// What failed, without the password.
        cause: String,
    },
    /// Applying the migrations failed.
    #[error("migration failed: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    /// A query (such as the readiness ping) failed.
    #[error("database query failed: {0}")]
    Query(sqlx::Error),
}

/// Every port, backed by PostgreSQL. Cheap to clone: clones share the pool.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

/// Opens a pool on `url` and checks that one connection can be made.
///
/// Every connection gets the `statement_timeout` of `settings` (when set) as soon as
/// it is opened.
///
/// # Errors
/// `StoreError::InvalidUrl` or `StoreError::Connect`; neither shows the password.
pub async fn connect(url: &str, settings: &PoolSettings) -> Result<PgStore, StoreError> {
    let shown = redact_url(url);
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::InvalidUrl { url: shown.clone(), cause: redact::scrub(&e.to_string(), url) })?;
    let statement_timeout = settings.statement_timeout;
    let pool = PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .min_connections(settings.min_connections)
        .acquire_timeout(settings.acquire_timeout)
        .idle_timeout(settings.idle_timeout)
        .max_lifetime(settings.max_lifetime)
        .test_before_acquire(settings.test_before_acquire)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if let Some(timeout) = statement_timeout {
                    // SET takes no bind parameters; the value is a number we format.
                    // A non-zero timeout stays non-zero (0 would switch it off).
                    let millis = if timeout.is_zero() { 0 } else { timeout.as_millis().max(1) };
                    let sql = format!("SET statement_timeout = {millis}");
                    conn.execute(sql.as_str()).await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| StoreError::Connect { url: shown.clone(), cause: redact::scrub(&e.to_string(), url) })?;
    tracing::info!(database = %shown, "connected to PostgreSQL");
    Ok(PgStore { pool })
}

impl PgStore {
    /// A store on an existing pool (its connections get no `statement_timeout`
    /// unless the pool sets one).
    pub fn from_pool(pool: PgPool) -> Self {
        Self { pool }
    }

    /// Applies the migrations in `migrations/postgres` that have not run yet.
    ///
    /// # Errors
    /// `StoreError::Migrate` when a migration fails or the recorded ones differ from
    /// the embedded ones.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("../../migrations/postgres").run(&self.pool).await.map_err(StoreError::Migrate)
    }

    /// Runs `SELECT 1`, for readiness checks (the caller bounds it with a timeout).
    ///
    /// # Errors
    /// `StoreError::Query` when no connection answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.pool.execute("SELECT 1").await.map(|_| ()).map_err(StoreError::Query)
    }

    /// The pool, for adapters that share it (the web layer's session store).
    pub fn connection_pool(&self) -> &PgPool {
        &self.pool
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl application::ports::HealthRepo for PgStore {
    async fn ping(&self) -> application::error::RepoResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ()).map_err(errors::db)
    }
}
