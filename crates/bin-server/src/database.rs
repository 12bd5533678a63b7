//! Chooses the storage adapter from the database URL at run time: `sqlite:` runs on
//! the embedded SQLite adapter, `postgres://` on PostgreSQL.

use crate::settings::DatabaseSettings;
use secrecy::ExposeSecret;
use std::time::Duration;

/// The connected store, SQLite or PostgreSQL.
#[derive(Debug, Clone)]
pub enum Database {
    /// The embedded default.
    Sqlite(adapters_sqlite::SqliteStore),
    /// For production.
    Postgres(adapters_postgres::PgStore),
}

/// Runs `$body` with `$store` bound to the concrete store, whichever it is, so that
/// generic code is instantiated once per adapter (static dispatch, no trait objects).
macro_rules! with_store {
    ($db:expr, $store:ident => $body:expr) => {
        match $db {
            $crate::database::Database::Sqlite($store) => $body,
            $crate::database::Database::Postgres($store) => $body,
        }
    };
}
pub(crate) use with_store;

/// The database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    /// No URL is configured.
    #[error("no database URL is configured: set APP_DATABASE__URL (or DATABASE_URL)")]
    MissingUrl,
    /// The URL's scheme names no supported database.
    #[error("unsupported database URL: it must start with sqlite:, postgres:// or postgresql://")]
    UnsupportedScheme,
    /// The SQLite adapter failed.
    #[error(transparent)]
    Sqlite(#[from] adapters_sqlite::StoreError),
    /// The PostgreSQL adapter failed.
    #[error(transparent)]
    Postgres(#[from] adapters_postgres::StoreError),
}

fn secs(value: u64) -> Option<Duration> {
    (value > 0).then(|| Duration::from_secs(value))
}

impl Database {
    /// Connects to the configured database.
    pub async fn connect(settings: &DatabaseSettings) -> Result<Self, DatabaseError> {
        let url = settings.url.as_ref().ok_or(DatabaseError::MissingUrl)?.expose_secret().trim().to_owned();
        let pool = adapters_sqlite::PoolSettings {
            max_connections: settings.max_connections,
            min_connections: settings.min_connections,
            acquire_timeout: Duration::from_secs(settings.acquire_timeout_secs),
            idle_timeout: secs(settings.idle_timeout_secs),
            max_lifetime: secs(settings.max_lifetime_secs),
            test_before_acquire: settings.test_before_acquire,
            statement_timeout: (settings.statement_timeout_ms > 0)
                .then(|| Duration::from_millis(settings.statement_timeout_ms)),
        };
        if url.starts_with("sqlite:") {
            Ok(Database::Sqlite(adapters_sqlite::connect(&url, &pool).await?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Database::Postgres(adapters_postgres::connect(&url, &pool).await?))
        } else {
            Err(DatabaseError::UnsupportedScheme)
        }
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), DatabaseError> {
        match self {
            Database::Sqlite(s) => s.migrate().await?,
            Database::Postgres(s) => s.migrate().await?,
        }
        Ok(())
    }

    /// Closes every pooled connection.
    pub async fn close(&self) {
        match self {
            Database::Sqlite(s) => s.close().await,
            Database::Postgres(s) => s.close().await,
        }
    }

    /// "SQLite" or "PostgreSQL", for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "SQLite",
            Database::Postgres(_) => "PostgreSQL",
        }
    }
}
