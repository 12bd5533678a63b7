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

use crate::error::RepoResult;
use domain::{
    Asset, AssetChange, AssetChangeId, AssetId, AssetLibrary, AssetSpec, AuditAction, AuditEntry, Campaign,
    CampaignDetails, CampaignId, CampaignReport, CampaignStatus, Category, Delta, Description, Event, EventDetails,
    EventId, IdempotencyKey, LibraryId, LibraryName, Mission, MissionDetails, MissionId, NewAuditEntry, Password,
    PasswordHash, PoolEntry, PoolEntryId, PooledAsset, Quantity, Role, ShortText, User, UserId, Username,
};
use std::future::Future;
use time::UtcDateTime;

/// Tells the time. Always UTC.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> UtcDateTime;
}

/// The outcome of checking a password against a hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The password matches; `needs_rehash` when the hash uses outdated parameters.
    Match {
        /// Whether the hash should be replaced by one with the current parameters.
        needs_rehash: bool,
    },
    /// The password does not match (or there was no hash to check against).
    Mismatch,
}

/// Hashes and verifies passwords, off the async runtime's worker threads.
pub trait PasswordHasher: Send + Sync + 'static {
    /// Hashes a new password with a fresh salt.
    /// # Errors
    /// `RepoError::Unexpected` when hashing fails.
    fn hash(&self, password: &Password) -> impl Future<Output = RepoResult<PasswordHash>> + Send;

    /// Checks `password` against `hash`. With no hash (an unknown user) it checks
    /// against a dummy hash and answers `Mismatch`, so a failed login takes the same
    /// time whether or not the user exists.
    /// # Errors
    /// `RepoError::Unexpected` when the stored hash cannot be read.
    fn verify(
        &self,
        password: &Password,
        hash: Option<&PasswordHash>,
    ) -> impl Future<Output = RepoResult<Verification>> + Send;
}

/// A user account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Login name.
    pub username: Username,
    /// Role.
    pub role: Role,
    /// Hash of the initial password.
    pub password_hash: PasswordHash,
    /// Creation time.
    pub created_at: UtcDateTime,
}

/// Stores user accounts.
pub trait UserRepo: Send + Sync + 'static {
    /// One user.
    fn user(&self, id: UserId) -> impl Future<Output = RepoResult<Option<User>>> + Send;
    /// The user with this username, compared case-insensitively.
    fn user_by_username(&self, username: &Username) -> impl Future<Output = RepoResult<Option<User>>> + Send;
    /// Every user, by username.
    fn users(&self) -> impl Future<Output = RepoResult<Vec<User>>> + Send;
    /// Creates a user.
    /// # Errors
    /// `Conflict::DuplicateUsername` when the name is taken (case-insensitively).
    fn insert_user(
        &self,
        new: &NewUser,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<UserId>> + Send;
    /// Saves a changed user (role, disabled flag, password hash, stamp).
    /// # Errors
    /// `NotFound`; `Conflict::LastAdmin` when no enabled admin would remain.
    fn update_user(&self, user: &User, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Deletes a user. Audit entries keep the actor's name.
    /// # Errors
    /// `NotFound`; `Conflict::LastAdmin` when no enabled admin would remain.
    fn delete_user(&self, id: UserId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
}

/// A library to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLibrary {
    /// Unique name.
    pub name: LibraryName,
    /// Description.
    pub description: Description,
    /// Era or theme.
    pub category: Category,
    /// Pre-selected when a campaign is created.
    pub is_default: bool,
}

/// A library with how many assets it holds and whether any campaign uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibrarySummary {
    /// The library.
    pub library: AssetLibrary,
    /// How many assets it holds.
    pub asset_count: u64,
    /// Whether any campaign's pool holds one of its assets.
    pub in_use: bool,
}

/// Stores asset libraries and their assets.
pub trait LibraryRepo: Send + Sync + 'static {
    /// Every library, by name.
    fn libraries(&self) -> impl Future<Output = RepoResult<Vec<LibrarySummary>>> + Send;
    /// One library.
    fn library(&self, id: LibraryId) -> impl Future<Output = RepoResult<Option<LibrarySummary>>> + Send;
    /// A library's assets, by kind then name.
    fn assets(&self, library: LibraryId) -> impl Future<Output = RepoResult<Vec<Asset>>> + Send;
    /// One asset.
    fn asset(&self, id: AssetId) -> impl Future<Output = RepoResult<Option<Asset>>> + Send;
    /// Whether any campaign's pool holds this asset.
    fn asset_in_use(&self, id: AssetId) -> impl Future<Output = RepoResult<bool>> + Send;
    /// Creates a library.
    /// # Errors
    /// `Conflict::DuplicateLibraryName`.
    fn insert_library(
        &self,
        new: &NewLibrary,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<LibraryId>> + Send;
    /// Saves an edited library.
    /// # Errors
    /// `NotFound`; `Conflict::DuplicateLibraryName`.
    fn update_library(
        &self,
        library: &AssetLibrary,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// Deletes a library and its assets.
    /// # Errors
    /// `NotFound`; `Conflict::InUse` when a campaign's pool holds one of its assets.
    fn delete_library(&self, id: LibraryId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Adds an asset to a library.
    /// # Errors
    /// `NotFound` (library); `Conflict::DuplicateAssetName`.
    fn insert_asset(
        &self,
        library: LibraryId,
        spec: &AssetSpec,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<AssetId>> + Send;
    /// Saves an edited asset. Pools keep what they copied at import.
    /// # Errors
    /// `NotFound`; `Conflict::DuplicateAssetName`.
    fn update_asset(&self, asset: &Asset, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Deletes an asset.
    /// # Errors
    /// `NotFound`; `Conflict::InUse` when a campaign's pool holds it.
    fn delete_asset(&self, id: AssetId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Adds copies of `specs` to `library`, skipping names it already has; returns how
    /// many were added.
    /// # Errors
    /// `NotFound` (library).
    fn copy_assets(
        &self,
        library: LibraryId,
        specs: &[AssetSpec],
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<u64>> + Send;
}

/// A campaign to create, with the pool it starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCampaign {
    /// Its fields.
    pub details: CampaignDetails,
    /// `Planned`, or `Active` to make it the active campaign (the previously active
    /// one becomes `Planned` in the same write).
    pub status: CampaignStatus,
    /// The assets imported at creation.
    pub pool: Vec<NewPoolEntry>,
    /// Creation time.
    pub created_at: UtcDateTime,
}

/// An asset to add to a pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPoolEntry {
    /// What is copied from the library asset.
    pub asset: PooledAsset,
    /// The starting (and current) quantity.
    pub initial: Quantity,
    /// Whether the public sees it.
    pub public: bool,
}

/// Stores campaigns and their archived final reports.
pub trait CampaignRepo: Send + Sync + 'static {
    /// Every campaign, newest first.
    fn campaigns(&self) -> impl Future<Output = RepoResult<Vec<Campaign>>> + Send;
    /// One campaign.
    fn campaign(&self, id: CampaignId) -> impl Future<Output = RepoResult<Option<Campaign>>> + Send;
    /// The active campaign, if any.
    fn active_campaign(&self) -> impl Future<Output = RepoResult<Option<Campaign>>> + Send;
    /// Creates a campaign with its starting pool.
    /// # Errors
    /// `Conflict::AlreadyInPool` when the pool names one asset twice.
    fn insert_campaign(
        &self,
        new: &NewCampaign,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<CampaignId>> + Send;
    /// Saves edited fields.
    /// # Errors
    /// `NotFound`; `Conflict::CampaignClosed`.
    fn update_campaign(
        &self,
        campaign: &Campaign,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// Makes the campaign active and the previously active one `Planned`.
    /// # Errors
    /// `NotFound`; `Conflict::CampaignClosed`.
    fn activate_campaign(&self, id: CampaignId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Saves the closed campaign (status, end date) with its final report.
    /// # Errors
    /// `NotFound`; `Conflict::CampaignClosed` when it was closed already.
    fn close_campaign(
        &self,
        campaign: &Campaign,
        report: &CampaignReport,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// The report archived when the campaign was closed.
    fn final_report(&self, id: CampaignId) -> impl Future<Output = RepoResult<Option<CampaignReport>>> + Send;
}

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

/// A mission to create; the store puts it last in the campaign's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMission {
    /// The campaign.
    pub campaign_id: CampaignId,
    /// Its fields.
    pub details: MissionDetails,
    /// Its status.
    pub status: domain::MissionStatus,
}

/// Stores missions. Every write fails with `Conflict::CampaignClosed` when the
/// campaign is closed.
pub trait MissionRepo: Send + Sync + 'static {
    /// A campaign's missions in order.
    fn missions(&self, campaign: CampaignId) -> impl Future<Output = RepoResult<Vec<Mission>>> + Send;
    /// One mission.
    fn mission(&self, id: MissionId) -> impl Future<Output = RepoResult<Option<Mission>>> + Send;
    /// Creates a mission at the end of the campaign's order.
    /// # Errors
    /// `NotFound` (campaign); `Conflict::CampaignClosed`.
    fn insert_mission(
        &self,
        new: &NewMission,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<MissionId>> + Send;
    /// Saves a mission's fields and status.
    /// # Errors
    /// `NotFound`; `Conflict::CampaignClosed`.
    fn update_mission(&self, mission: &Mission, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Puts the campaign's missions in the given order (every mission exactly once).
    /// # Errors
    /// `NotFound` when a mission is not the campaign's; `Conflict::CampaignClosed`.
    fn reorder_missions(
        &self,
        campaign: CampaignId,
        order: &[MissionId],
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// Deletes a mission with its events, reversing every change exactly, all or
    /// nothing.
    /// # Errors
    /// `NotFound`; `Conflict::Ledger` when a reversal would break the rule;
    /// `Conflict::CampaignClosed`.
    fn delete_mission(&self, id: MissionId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
}

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
    /// A page, with the number and size brought into range.
    pub fn new(page: u32, per_page: u32) -> Self {
        Self { page: page.max(1), per_page: per_page.clamp(1, 200) }
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

/// Which audit entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only entries about this campaign.
    pub campaign: Option<CampaignId>,
    /// Only entries by this user.
    pub actor: Option<UserId>,
    /// Only entries of this action.
    pub action: Option<AuditAction>,
}

/// Reads the audit trail (entries are written by the other ports' writes).
pub trait AuditRepo: Send + Sync + 'static {
    /// A page of matching entries, newest first.
    fn audit_log(
        &self,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> impl Future<Output = RepoResult<Page<AuditEntry>>> + Send;
}

/// Answers whether the store can serve requests, for readiness probes.
pub trait HealthRepo: Send + Sync + 'static {
    /// Runs the cheapest query the store has.
    /// # Errors
    /// `RepoError::Unexpected` when the store does not answer.
    fn ping(&self) -> impl Future<Output = RepoResult<()>> + Send;
}

/// Every persistence port at once: what a storage adapter provides.
pub trait Store: UserRepo + LibraryRepo + CampaignRepo + PoolRepo + MissionRepo + EventRepo + AuditRepo {}

impl<T> Store for T where T: UserRepo + LibraryRepo + CampaignRepo + PoolRepo + MissionRepo + EventRepo + AuditRepo {}
