//! Opening the Flask tracker's PostgreSQL database for `import-legacy`: one
//! connection; the reading itself is the storage core's, in a read-only snapshot.

use crate::Postgres;
use adapters_sql::legacy::read::{LegacyReadError, read_legacy};
use application::legacy::LegacySnapshot;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;

/// Reads the old PostgreSQL database at `url` in one snapshot.
///
/// # Errors
/// `Open` when the server cannot be reached; the reader's errors.
pub async fn read_legacy_postgres(url: &str) -> Result<LegacySnapshot, LegacyReadError> {
    let options = PgConnectOptions::from_str(url).map_err(|e| LegacyReadError::open(url, &e))?;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(|e| LegacyReadError::open(url, &e))?;
    let read = read_legacy::<Postgres>(&pool).await;
    pool.close().await;
    read
}
