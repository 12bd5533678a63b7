//! The event and asset-change port, and paging.

use crate::error::RepoResult;
use domain::{
    AssetChange, AssetChangeId, CampaignId, Delta, Event, EventDetails, EventId, IdempotencyKey, MissionId,
    NewAuditEntry, PoolEntryId, ShortText,
};
use std::future::Future;

/// An asset change to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChange {
    /// The pool entry it moves.
    pub pool_entry_id: PoolEntryId,
    /// By how much.
    pub delta: Delta,
    /// Why.
    pub note: ShortText,
}

/// An event to record with its changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// The mission.
    pub mission_id: MissionId,
    /// Its fields.
    pub details: EventDetails,
    /// Its asset changes.
    pub changes: Vec<NewChange>,
}

/// One page of a longer list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// The page number, from 1.
    pub page: u32,
    /// Items per page, 1 to 200.
    pub per_page: u32,
}

impl PageRequest {
    /// The largest page size.
    pub const MAX_PER_PAGE: u32 = 200;

    /// A page, with the number and size brought into range.
    pub fn new(page: u32, per_page: u32) -> Self {
        Self { page: page.max(1), per_page: per_page.clamp(1, Self::MAX_PER_PAGE) }
    }

    /// How many items come before this page.
    pub fn offset(self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

/// One page of items and the total count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Which page this is.
    pub request: PageRequest,
    /// How many items there are on all pages.
    pub total: u64,
}

impl<T> Page<T> {
    /// How many pages there are (at least 1).
    pub fn page_count(&self) -> u64 {
        self.total.div_ceil(u64::from(self.request.per_page)).max(1)
    }
}

/// Stores events and their asset changes. Every write fails with
/// `Conflict::CampaignClosed` when the campaign is closed, and every write that moves
/// a pool entry applies the ledger rule atomically with the change rows.
pub trait EventRepo: Send + Sync + 'static {
    /// One event with its changes.
    fn event(&self, id: EventId) -> impl Future<Output = RepoResult<Option<Event>>> + Send;
    /// One asset change.
    fn change(&self, id: AssetChangeId) -> impl Future<Output = RepoResult<Option<AssetChange>>> + Send;
    /// A mission's events with their changes, oldest first.
    fn mission_events(&self, mission: MissionId) -> impl Future<Output = RepoResult<Vec<Event>>> + Send;
    /// Every event of a campaign with its changes, oldest first.
    fn campaign_events(&self, campaign: CampaignId) -> impl Future<Output = RepoResult<Vec<Event>>> + Send;
    /// A page of a campaign's events with their changes, newest first.
    fn timeline(&self, campaign: CampaignId, page: PageRequest)
    -> impl Future<Output = RepoResult<Page<Event>>> + Send;
    /// Records an event and applies its changes to the pool, all or nothing.
    /// # Errors
    /// `NotFound` (mission); `Conflict::Ledger`; `Conflict::CampaignClosed`.
    fn record_event(
        &self,
        new: &NewEvent,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<EventId>> + Send;
    /// Saves an event's fields (not its changes).
    /// # Errors
    /// `NotFound`; `Conflict::CampaignClosed`.
    fn update_event(
        &self,
        id: EventId,
        details: &EventDetails,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// Adds a change to an event and applies it.
    /// # Errors
    /// `NotFound` (event); `Conflict::Ledger`; `Conflict::CampaignClosed`.
    fn add_change(
        &self,
        event: EventId,
        change: &NewChange,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<AssetChangeId>> + Send;
    /// Deletes a change and reverses it exactly.
    /// # Errors
    /// `NotFound`; `Conflict::Ledger` when the reversal would break the rule;
    /// `Conflict::CampaignClosed`.
    fn delete_change(&self, id: AssetChangeId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Deletes an event with its changes, reversing each exactly, all or nothing.
    /// # Errors
    /// `NotFound`; `Conflict::Ledger`; `Conflict::CampaignClosed`.
    fn delete_event(&self, id: EventId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
}
