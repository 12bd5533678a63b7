//! Online backups: a consistent copy of a live database in one statement
//! (`VACUUM INTO`), taken while the server keeps serving.
//!
//! Invariants: the copy is one read transaction's snapshot, so it never holds half a
//! write; an existing file is never overwritten (SQLite refuses a non-empty target,
//! and `backup_to` refuses any existing path before asking it).

use crate::{SqliteStore, StoreError, redact_url};
use sqlx::sqlite::SqliteConnectOptions;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The file a SQLite URL names, or `None` for an in-memory database, which has no
/// file to copy. Opens nothing.
///
/// # Errors
/// `StoreError::InvalidUrl` when `url` is not a SQLite URL sqlx understands.
pub fn database_file(url: &str) -> Result<Option<PathBuf>, StoreError> {
    if crate::is_in_memory(url) {
        return Ok(None);
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| StoreError::InvalidUrl { url: redact_url(url), source })?;
    Ok(Some(options.get_filename().to_path_buf()))
}

/// Writes a consistent copy of the whole database to `target`, a path that must not
/// exist yet, with `VACUUM INTO` (the copy is also compacted). Writers are not blocked
/// in WAL mode; the copy is the snapshot the statement's read transaction saw.
///
/// # Errors
/// `StoreError::BackupExists` when `target` exists (even as a dangling link);
/// `StoreError::Backup` when the copy cannot be written.
pub async fn backup_to(store: &SqliteStore, target: &Path) -> Result<(), StoreError> {
    if target.symlink_metadata().is_ok() {
        return Err(StoreError::BackupExists { path: target.to_path_buf() });
    }
    let Some(name) = target.to_str() else {
        let source = sqlx::Error::Configuration("the path is not valid UTF-8".into());
        return Err(StoreError::Backup { path: target.to_path_buf(), source });
    };
    sqlx::query("VACUUM INTO $1")
        .bind(name)
        .execute(store.connection_pool())
        .await
        .map(drop)
        .map_err(|source| StoreError::Backup { path: target.to_path_buf(), source })
}
