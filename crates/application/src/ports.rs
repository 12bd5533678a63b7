//! The ports: what the use cases need from outside, as traits the adapters implement.
//!
//! Conventions every port keeps:
//! - Methods return `impl Future<Output = …> + Send`, so use cases generic over the
//!   ports can run on a multi-threaded runtime; implementors may write `async fn`.
//! - Every write is one method and is atomic: the adapter opens and commits the
//!   transaction, so no transaction type leaks into the application. The audit entry
//!   passed to a write is stored in the same transaction. For a create, the entry's
//!   object id is `None` and the store fills in the new id (and, when the object is
//!   a campaign, the entry's campaign id too).
//! - A create takes an optional idempotency key. When the key was already stored with
//!   the same action by the same actor, the write changes nothing and returns the id
//!   created the first time; with another action or actor it fails with
//!   `Conflict::IdempotencyKeyReused`.
//! - Rules that concurrent writers could race past are enforced again by the store as
//!   a backstop, in the same transaction: the ledger rule, unique names, a closed
//!   campaign, one active campaign, the last enabled admin.
//! - Reads return `Ok(None)` (or an empty list) for what does not exist; writes return
//!   `RepoError::NotFound` when their target does not exist.

mod audit;
mod campaigns;
mod events;
mod legacy;
mod libraries;
mod limits;
mod missions;
mod pages;
mod pool;
mod services;
mod throttle;
mod tokens;
mod users;

pub use audit::*;
pub use campaigns::*;
pub use events::*;
pub use legacy::*;
pub use libraries::*;
pub use limits::*;
pub use missions::*;
pub use pages::*;
pub use pool::*;
pub use services::*;
pub use throttle::*;
pub use tokens::*;
pub use users::*;

/// Every persistence port at once: what a storage adapter provides.
pub trait Store:
    UserRepo
    + LoginThrottleRepo
    + LibraryRepo
    + CampaignRepo
    + PoolRepo
    + MissionRepo
    + EventRepo
    + AuditRepo
    + PageRepo
    + TokenRepo
    + LegacyImportRepo
{
}

impl<T> Store for T where
    T: UserRepo
        + LoginThrottleRepo
        + LibraryRepo
        + CampaignRepo
        + PoolRepo
        + MissionRepo
        + EventRepo
        + AuditRepo
        + PageRepo
        + TokenRepo
        + LegacyImportRepo
{
}
