//! PostgreSQL (15+), for production: every persistence port is the storage core's
//! `SqlStore` on the [`Postgres`] dialect (`dialect.rs`); this file opens the pool.
//!
//! Invariants: every connection gets the configured `statement_timeout` as soon as it
//! opens; no error or log line ever shows the database password (the core's
//! `redact_url` and `scrub`).

mod dialect;
mod legacy;
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;

pub use adapters_sql::legacy::read::LegacyReadError;
pub use adapters_sql::{PoolSettings, redact_url};
pub use dialect::Postgres;
pub use legacy::read_legacy_postgres;

use sqlx::Executor;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;

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

/// Every persistence port on PostgreSQL. Cheap to clone: clones share the pool.
pub type PgStore = adapters_sql::SqlStore<Postgres>;

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
        .map_err(|e| StoreError::InvalidUrl { url: shown.clone(), cause: adapters_sql::scrub(&e.to_string(), url) })?;
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
        .map_err(|e| StoreError::Connect { url: shown.clone(), cause: adapters_sql::scrub(&e.to_string(), url) })?;
    tracing::info!(database = %shown, "connected to PostgreSQL");
    Ok(PgStore::from_pool(pool))
}
