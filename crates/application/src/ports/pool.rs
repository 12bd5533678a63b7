//! The campaign-pool port.

use super::NewPoolEntry;
use crate::error::RepoResult;
use domain::{CampaignId, IdempotencyKey, NewAuditEntry, PoolEntry, PoolEntryId, Quantity};
use std::future::Future;

/// Stores campaigns' pools. Every write fails with `Conflict::CampaignClosed` when the
/// campaign is closed.
pub trait PoolRepo: Send + Sync + 'static {
    /// A campaign's pool, by kind then name.
    fn pool(&self, campaign: CampaignId) -> impl Future<Output = RepoResult<Vec<PoolEntry>>> + Send;
    /// One pool entry.
    fn pool_entry(&self, id: PoolEntryId) -> impl Future<Output = RepoResult<Option<PoolEntry>>> + Send;
    /// Whether any asset change refers to the entry.
    fn pool_entry_has_changes(&self, id: PoolEntryId) -> impl Future<Output = RepoResult<bool>> + Send;
    /// Adds assets to a pool, skipping any asset the pool already holds; returns the
    /// ids of the entries added. When nothing is added the write changes nothing: no
    /// audit entry, and the idempotency key is not stored.
    /// # Errors
    /// `NotFound` (campaign); `Conflict::CampaignClosed`.
    fn add_pool_entries(
        &self,
        campaign: CampaignId,
        entries: &[NewPoolEntry],
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<Vec<PoolEntryId>>> + Send;
    /// Sets the initial quantity, shifting the current one by the same amount under
    /// the ledger rule, checked atomically; returns the entry as saved.
    /// # Errors
    /// `NotFound`; `Conflict::Ledger`; `Conflict::CampaignClosed`.
    fn set_initial_quantity(
        &self,
        id: PoolEntryId,
        initial: Quantity,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<PoolEntry>> + Send;
    /// Shows or hides an entry on this campaign's public pages.
    /// # Errors
    /// `NotFound`; `Conflict::CampaignClosed`.
    fn set_pool_entry_public(
        &self,
        id: PoolEntryId,
        public: bool,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// Removes an entry that no change refers to.
    /// # Errors
    /// `NotFound`; `Conflict::InUse`; `Conflict::CampaignClosed`.
    fn remove_pool_entry(&self, id: PoolEntryId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
}
