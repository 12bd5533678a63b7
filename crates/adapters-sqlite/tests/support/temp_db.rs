//! Temporary database files for tests: each in its own new directory under the system
//! temp dir (so `connect` has a directory to create), removed by `remove`.

use adapters_sqlite::{PoolSettings, SqliteStore, connect};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A path for a database file inside a directory that does not exist yet.
pub fn fresh_path() -> PathBuf {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir()
        .join(format!("adapters-sqlite-{}-{nanos}-{n}", std::process::id()))
        .join("data")
        .join("tracker.db")
}

/// The URL of a database file.
pub fn url_of(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A new, migrated store on a new temporary file, with several connections.
pub async fn file_store() -> SqliteStore {
    let settings = PoolSettings { max_connections: 5, ..PoolSettings::default() };
    let store = connect(&url_of(&fresh_path()), &settings).await.expect("connecting to a temporary database file");
    store.migrate().await.expect("migrating a temporary database");
    store
}

/// Closes the store and deletes its file's directory (with the WAL files).
pub async fn remove(store: SqliteStore) {
    let file = store.connection_pool().connect_options().get_filename().to_path_buf();
    store.close().await;
    if let Some(root) = file.parent().and_then(Path::parent) {
        // Best effort: a leftover temp directory is harmless.
        let _ = std::fs::remove_dir_all(root);
    }
}
