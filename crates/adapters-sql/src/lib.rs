//! The storage core: every persistence port written once, on [`SqlStore<D>`], for any
//! SQL database that implements [`Dialect`]. The SQLite and PostgreSQL adapters each
//! provide a dialect (driver types, the few statements their SQL writes differently,
//! locking, connecting and migrating) and nothing else.
//!
//! Invariants: every write is one transaction that also stores its audit row and, for
//! a create with a key, its idempotency key (`write`); the ledger rule is kept by
//! guarded `UPDATE`s inside that transaction, never by read-then-write in Rust
//! (`ledger`); a write touching a campaign's data first checks, under the dialect's
//! lock, that the campaign is open (`guards`); a read that takes more than one
//! statement runs in one snapshot, so a total never disagrees with the rows beside
//! it; driver errors never reach users as text (`errors`). Only this crate and the two
//! SQL adapters know SQL; nothing but those adapters depends on it.

pub mod archive;
mod audit;
mod campaigns;
pub mod dialect;
mod errors;
mod events;
mod guards;
mod ledger;
pub mod legacy;
mod libraries;
mod missions;
mod pages;
mod pool;
pub mod query;
pub mod redact;
mod throttle;
mod tokens;
mod users;
mod write;

pub use dialect::{Arg, Dialect, Lock, Statement, Violation};
pub use errors::{Corrupt, stored};
pub use redact::{redact_url, scrub};

use application::error::RepoResult;
use query::{Conn, Snapshot, Sql};
use std::time::Duration;

/// The connection pool's settings, from configuration; each adapter applies those its
/// database has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolSettings {
    /// The most connections open at once (forced to 1 for an in-memory SQLite database).
    pub max_connections: u32,
    /// Connections kept open even when idle.
    pub min_connections: u32,
    /// How long a request waits for a free connection.
    pub acquire_timeout: Duration,
    /// Idle connections above the minimum are closed after this long.
    pub idle_timeout: Option<Duration>,
    /// Connections are replaced after this long.
    pub max_lifetime: Option<Duration>,
    /// Whether a connection is checked with a ping before it is handed out.
    pub test_before_acquire: bool,
    /// The longest a statement may run before the server cancels it (PostgreSQL);
    /// `None` for no limit.
    pub statement_timeout: Option<Duration>,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 10,
            min_connections: 1,
            acquire_timeout: Duration::from_secs(5),
            idle_timeout: Some(Duration::from_secs(10 * 60)),
            max_lifetime: Some(Duration::from_secs(30 * 60)),
            test_before_acquire: true,
            statement_timeout: Some(Duration::from_secs(30)),
        }
    }
}

/// Every persistence port on one SQL database. Cheap to clone: clones share the pool.
pub struct SqlStore<D: Dialect> {
    pool: D::Pool,
}

impl<D: Dialect> Clone for SqlStore<D> {
    fn clone(&self) -> Self {
        Self { pool: self.pool.clone() }
    }
}

impl<D: Dialect> std::fmt::Debug for SqlStore<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore").field("pool", &self.pool).finish()
    }
}

impl<D: Dialect> SqlStore<D> {
    /// A store on an open pool (the adapter's `connect` builds the pool).
    pub fn from_pool(pool: D::Pool) -> Self {
        Self { pool }
    }

    /// The pool, for components that share it (the web layer's session store).
    pub fn connection_pool(&self) -> &D::Pool {
        &self.pool
    }

    /// Applies the embedded migrations not yet applied; a no-op on an up-to-date
    /// database.
    ///
    /// # Errors
    /// The dialect's error when a migration fails.
    pub async fn migrate(&self) -> Result<(), D::Error> {
        D::migrate(&self.pool).await
    }

    /// Closes every connection, waiting for those in use to be returned.
    pub async fn close(&self) {
        D::close(&self.pool).await;
    }

    /// A pooled connection, for a read that is one statement.
    pub(crate) async fn conn(&self) -> RepoResult<Conn<D>> {
        D::acquire(&self.pool).await.map(Conn).map_err(crate::errors::driver::<D>)
    }

    /// Runs `read`, a read of several statements, in one read-only snapshot.
    pub(crate) async fn in_snapshot<T>(
        &self,
        read: impl AsyncFnOnce(&mut Snapshot<D>) -> RepoResult<T>,
    ) -> RepoResult<T> {
        let mut snapshot = D::begin_read(&self.pool).await.map(Snapshot).map_err(crate::errors::driver::<D>)?;
        let found = read(&mut snapshot).await?;
        snapshot.end().await?;
        Ok(found)
    }
}

impl<D: Dialect> application::ports::HealthRepo for SqlStore<D> {
    async fn ping(&self) -> RepoResult<()> {
        Sql::new("SELECT 1").execute(&mut self.conn().await?).await.map(drop)
    }
}
