//! Runs the shared storage contract suite (application::contract) against PostgreSQL,
//! each test on a fresh database that is dropped after the test passes.

use adapters_postgres::PgStore;
use adapters_postgres::test_support::{drop_store_database, fresh_store};

async fn fresh() -> Option<PgStore> {
    fresh_store().await
}

async fn tidy(store: PgStore) {
    drop_store_database(store).await;
}

application::storage_contract_tests!(fresh, tidy);
