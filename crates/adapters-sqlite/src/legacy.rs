//! Opening the Flask tracker's SQLite database for `import-legacy`: read-only, never
//! created, one connection; the reading itself is the storage core's.

use crate::Sqlite;
use adapters_sql::legacy::read::{LegacyReadError, read_legacy};
use application::legacy::LegacySnapshot;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::str::FromStr;

/// Reads the old SQLite database at `url` (`sqlite://path`) in one snapshot.
///
/// # Errors
/// `Open` when the file cannot be opened (it is never created); the reader's errors.
pub async fn read_legacy_sqlite(url: &str) -> Result<LegacySnapshot, LegacyReadError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| LegacyReadError::open(url, &e))?
        .read_only(true)
        .create_if_missing(false);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| LegacyReadError::open(url, &e))?;
    let read = read_legacy::<Sqlite>(&pool).await;
    pool.close().await;
    read
}
