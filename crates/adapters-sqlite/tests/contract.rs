//! Runs the shared storage contract suite against SQLite twice: on a private
//! in-memory database (one connection) and on a temporary file (WAL, busy timeout,
//! several connections, so the concurrency tests really race).

#[path = "support/temp_db.rs"]
mod temp_db;

mod in_memory {
    use adapters_sqlite::{PoolSettings, SqliteStore, connect};

    async fn fresh() -> Option<SqliteStore> {
        let store = connect("sqlite::memory:", &PoolSettings::default()).await.expect("opening an in-memory database");
        store.migrate().await.expect("migrating an in-memory database");
        Some(store)
    }

    application::storage_contract_tests!(fresh);
}

mod on_file {
    use crate::temp_db::{file_store, remove};
    use adapters_sqlite::SqliteStore;

    async fn fresh() -> Option<SqliteStore> {
        Some(file_store().await)
    }

    async fn tidy(store: SqliteStore) {
        remove(store).await;
    }

    application::storage_contract_tests!(fresh, tidy);
}
