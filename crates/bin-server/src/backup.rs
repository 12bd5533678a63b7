//! `asset-tracker backup --to FILE`: a consistent online copy of the SQLite store,
//! taken while the server runs. PostgreSQL is backed up with `pg_dump`
//! (`deploy/backup.sh`), which this command says instead of guessing.
//!
//! Invariants: an existing file is never overwritten; the database is never created
//! or migrated by a backup (a missing file is an error, not an empty copy); the copy
//! is readable by its owner only, since it holds password hashes and sessions.

use crate::settings::DatabaseSettings;
use secrecy::ExposeSecret;
use std::path::Path;

/// Copies the configured SQLite database to `to`; the message to print.
///
/// # Errors
/// A message to print: no or another database configured, a missing source file, an
/// existing or unwritable target.
pub async fn run(settings: &DatabaseSettings, to: &Path) -> Result<String, String> {
    let url = settings.url.as_ref().ok_or("no database URL is configured: set APP_DATABASE__URL (or DATABASE_URL)")?;
    let url = url.expose_secret().trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Err("the configured database is PostgreSQL: back it up with pg_dump, as deploy/backup.sh does \
                    (backup --to copies SQLite databases only)"
            .into());
    }
    if !url.starts_with("sqlite:") {
        return Err("unsupported database URL: backup --to copies SQLite databases (sqlite:) only".into());
    }
    let source = adapters_sqlite::database_file(url)
        .map_err(|e| e.to_string())?
        .ok_or("the configured database is in memory: there is no file to back up")?;
    if !source.is_file() {
        return Err(format!("there is no database at {}: nothing to back up", source.display()));
    }
    if to.symlink_metadata().is_ok() {
        return Err(format!("{} already exists; a backup never overwrites a file", to.display()));
    }
    match to.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
            return Err(format!("the directory {} does not exist", dir.display()));
        }
        _ => {}
    }
    // One connection: the copy needs no more, and the server's pool is not ours.
    let pool = adapters_sqlite::PoolSettings { max_connections: 1, min_connections: 0, ..Default::default() };
    let store = adapters_sqlite::connect(url, &pool).await.map_err(|e| e.to_string())?;
    let copied = adapters_sqlite::backup_to(&store, to).await.map_err(|e| e.to_string());
    store.close().await;
    copied?;
    owner_only(to)?;
    let size = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    Ok(format!("backed up {} to {} ({size} bytes)", source.display(), to.display()))
}

/// Makes the copy readable and writable by its owner only.
#[cfg(unix)]
fn owner_only(file: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("wrote {} but cannot restrict its permissions: {e}", file.display()))
}

#[cfg(not(unix))]
fn owner_only(_file: &Path) -> Result<(), String> {
    Ok(())
}
