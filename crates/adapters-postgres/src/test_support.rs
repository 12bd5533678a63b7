//! Fresh PostgreSQL databases, for tests of this crate and of the server.
//!
//! Each [`TestDatabase`] is a new database `asset_tracker_test_<hex>` on the server
//! named by `TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`),
//! migrated, and dropped by [`TestDatabase::drop_database`] (or, for a bare store from
//! [`fresh_store`], by [`drop_store_database`]). When no server answers,
//! [`TestDatabase::create`] prints a loud `SKIPPED` line and returns `None`, unless
//! `REQUIRE_POSTGRES=1`, when it panics instead (CI sets it). A test that panics
//! before dropping its database leaves it behind for inspection.

use crate::{PgStore, PoolSettings, connect, redact_url};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Executor, PgPool};
use std::io::Write;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The server used when `TEST_DATABASE_URL` is not set.
pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The prefix of every test database's name.
pub const NAME_PREFIX: &str = "asset_tracker_test_";

/// The server's URL (the maintenance database, used to create and drop test ones).
pub fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned())
}

/// Whether tests must fail, rather than skip, without a server.
pub fn postgres_required() -> bool {
    std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// A name no other test database has: the process id, a counter and the time.
pub fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{NAME_PREFIX}{:08x}{:04x}{:012x}", std::process::id(), count & 0xffff, nanos & 0xffff_ffff_ffff)
}

/// `url` with its database replaced by `database` (query parameters kept).
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{database}?{query}"),
        None => format!("{base}/{database}"),
    }
}

/// A fresh, migrated database and a store on it.
#[derive(Debug)]
pub struct TestDatabase {
    name: String,
    url: String,
    maintenance: PgPool,
    store: PgStore,
}

impl TestDatabase {
    /// Creates and migrates a fresh database with the default pool settings.
    /// `None` (after a loud line on stderr) when no server answers and
    /// `REQUIRE_POSTGRES` is not `1`.
    ///
    /// # Panics
    /// When no server answers and `REQUIRE_POSTGRES=1`, or when the server answers
    /// but the database cannot be created or migrated.
    pub async fn create() -> Option<Self> {
        Self::create_with(&PoolSettings::default()).await
    }

    /// Like [`TestDatabase::create`], with the store's pool built from `settings`.
    ///
    /// # Panics
    /// As [`TestDatabase::create`].
    pub async fn create_with(settings: &PoolSettings) -> Option<Self> {
        let server = server_url();
        let maintenance = match maintenance_pool(&server).await {
            Ok(pool) => pool,
            Err(e) => {
                let e = adapters_sql::scrub(&e.to_string(), &server);
                let server = redact_url(&server);
                assert!(!postgres_required(), "PostgreSQL not reachable at {server} ({e}) and REQUIRE_POSTGRES=1");
                // Written to the process's stderr directly, not with `eprintln!`, which
                // the test harness captures and hides for a passing test.
                let _ = writeln!(
                    std::io::stderr(),
                    "\n*** SKIPPED: PostgreSQL not reachable at {server} ({e}); \
                     set REQUIRE_POSTGRES=1 to fail instead ***\n"
                );
                return None;
            }
        };
        let name = unique_name();
        maintenance
            .execute(format!("CREATE DATABASE \"{name}\"").as_str())
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let url = with_database(&server, &name);
        let store =
            connect(&url, settings).await.unwrap_or_else(|e| panic!("cannot connect to test database {name}: {e}"));
        store.migrate().await.unwrap_or_else(|e| panic!("cannot migrate test database {name}: {e}"));
        Some(Self { name, url, maintenance, store })
    }

    /// The store on the test database.
    pub fn store(&self) -> &PgStore {
        &self.store
    }

    /// The test database's URL (for code under test that connects by itself).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The test database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Closes the store's pool and drops the database (`WITH (FORCE)`, so that
    /// connections opened elsewhere by the code under test do not keep it alive).
    ///
    /// # Panics
    /// When the database cannot be dropped.
    pub async fn drop_database(self) {
        self.store.close().await;
        self.maintenance
            .execute(format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name).as_str())
            .await
            .unwrap_or_else(|e| panic!("cannot drop test database {}: {e}", self.name));
        self.maintenance.close().await;
    }
}

/// A store on a fresh, migrated database (the shape the storage contract suite
/// wants); `None` as for [`TestDatabase::create`]. Drop it with [`drop_store_database`].
///
/// # Panics
/// As [`TestDatabase::create`].
pub async fn fresh_store() -> Option<PgStore> {
    let db = TestDatabase::create().await?;
    db.maintenance.close().await;
    Some(db.store)
}

/// Closes the store and drops its database, provided it is a test database (its name
/// starts with [`NAME_PREFIX`]); any other store is only closed.
///
/// # Panics
/// When the database cannot be dropped.
pub async fn drop_store_database(store: PgStore) {
    let name: String = sqlx::query_scalar("SELECT current_database()::text")
        .fetch_one(store.connection_pool())
        .await
        .unwrap_or_else(|e| panic!("cannot read the test database's name: {e}"));
    store.close().await;
    if !name.starts_with(NAME_PREFIX) {
        return;
    }
    let maintenance =
        maintenance_pool(&server_url()).await.unwrap_or_else(|e| panic!("cannot reach the server to drop {name}: {e}"));
    maintenance
        .execute(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str())
        .await
        .unwrap_or_else(|e| panic!("cannot drop test database {name}: {e}"));
    maintenance.close().await;
}

/// A one-connection pool on the server's maintenance database.
async fn maintenance_pool(server: &str) -> Result<PgPool, sqlx::Error> {
    let options = PgConnectOptions::from_str(server)?;
    PgPoolOptions::new().max_connections(1).acquire_timeout(Duration::from_secs(2)).connect_with(options).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_of_a_url_is_replaced_and_its_parameters_kept() {
        assert_eq!(
            with_database("postgres://u:p@h:5432/postgres?sslmode=disable", "t1"),
            "postgres://u:p@h:5432/t1?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "t2"), "postgres://h/t2");
    }

    #[test]
    fn names_are_distinct_and_valid_identifiers() {
        let (a, b) = (unique_name(), unique_name());
        assert_ne!(a, b);
        assert!(a.len() <= 63, "{a}");
        assert!(a.starts_with(NAME_PREFIX));
        assert!(a[NAME_PREFIX.len()..].chars().all(|c| c.is_ascii_hexdigit()));
    }
}
