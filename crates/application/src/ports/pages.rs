//! Reads shaped like the pages that show them: each method returns everything one page
//! needs, read in one snapshot (so a total never disagrees with the rows beside it)
//! and in a fixed number of statements, whatever the size of the campaign.

use super::{AuditFilter, LibrarySummary, Page, PageRequest};
use crate::error::RepoResult;
use domain::{
    Asset, AssetId, AuditEntry, Campaign, CampaignId, CampaignReport, Event, EventId, LibraryId, Mission, MissionId,
    PoolEntry, PoolEntryId, User,
};
use std::future::Future;
use time::UtcDateTime;

/// Which campaign a read is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignRef {
    /// The active campaign, if there is one.
    Active,
    /// The campaign with this id.
    Id(CampaignId),
}

/// A campaign and its pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignPool {
    /// The campaign.
    pub campaign: Campaign,
    /// Its pool, by kind then name.
    pub pool: Vec<PoolEntry>,
}

/// A campaign and everything recorded in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignHistory {
    /// The campaign.
    pub campaign: Campaign,
    /// Its pool, by kind then name.
    pub pool: Vec<PoolEntry>,
    /// Its missions in campaign order.
    pub missions: Vec<Mission>,
    /// Every event of every mission with its changes, oldest first.
    pub events: Vec<Event>,
}

/// A mission with its campaign, its events and the campaign's pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionScope {
    /// The campaign the mission belongs to.
    pub campaign: Campaign,
    /// The mission.
    pub mission: Mission,
    /// Its events with their changes, oldest first.
    pub events: Vec<Event>,
    /// The campaign's pool, by kind then name.
    pub pool: Vec<PoolEntry>,
}

/// An event with its mission, campaign and the campaign's pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventScope {
    /// The campaign.
    pub campaign: Campaign,
    /// The event's mission.
    pub mission: Mission,
    /// The event with its changes.
    pub event: Event,
    /// The campaign's pool, by kind then name.
    pub pool: Vec<PoolEntry>,
}

/// A mission with its campaign and only the pool entries asked for: what recording an
/// event needs to check and describe its changes, whatever the size of the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionEntries {
    /// The campaign the mission belongs to.
    pub campaign: Campaign,
    /// The mission.
    pub mission: Mission,
    /// The entries of the campaign's pool among those asked for, by kind then name
    /// (an id of another campaign's entry, or of none, is left out).
    pub entries: Vec<PoolEntry>,
}

/// A campaign's pool beside every library and its assets, for adding to the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolWithLibraries {
    /// The campaign and its pool.
    pub campaign: CampaignPool,
    /// Every library (by name) with its assets (by kind, then name).
    pub libraries: Vec<(LibrarySummary, Vec<Asset>)>,
}

/// One page of a campaign's events, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelinePage {
    /// The campaign and its pool (whose names the changes show).
    pub campaign: CampaignPool,
    /// The events on this page with their changes, and how many there are in all.
    pub events: Page<Event>,
    /// The missions of the events on this page.
    pub missions: Vec<Mission>,
}

/// What a library's page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryPage {
    /// The library, its asset count and whether a campaign uses it.
    pub summary: LibrarySummary,
    /// Its assets, by kind then name.
    pub assets: Vec<Asset>,
    /// The campaigns whose pool holds its assets, newest first.
    pub campaigns: Vec<LibraryCampaign>,
}

/// A campaign that uses a library, as the library's page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryCampaign {
    /// The campaign.
    pub campaign: Campaign,
    /// When the library came into its pool: its import, or the campaign's creation for
    /// a library chosen then (both from the audit trail, written with each change).
    pub imported_at: UtcDateTime,
    /// When the library was last synced into the pool, if ever.
    pub synced_at: Option<UtcDateTime>,
    /// How many of the library's assets the pool lacks: more than none means the pool
    /// is out of date and a sync would add them.
    pub missing: u64,
}

/// The public front page's share of a campaign: its pool and the latest of its story,
/// bounded whatever the campaign's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardPage {
    /// The campaign and its pool.
    pub campaign: CampaignPool,
    /// The latest missions, last in the campaign's order first.
    pub missions: Vec<LatestMission>,
    /// How many missions the campaign has in all.
    pub mission_count: u64,
    /// The latest events of each of those missions (at most the limit each), with their
    /// changes, oldest first.
    pub events: Vec<Event>,
}

/// One of the dashboard's latest missions, with its tallies over all its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestMission {
    /// The mission.
    pub mission: Mission,
    /// How many events it has in all.
    pub event_count: u64,
    /// The sum of all its changes to public pool entries: what it did to the pool the
    /// public sees.
    pub public_net: i64,
}

/// A campaign at a glance for staff: its pool, its latest missions (last in the
/// campaign's order first) and its latest events (newest first, with their changes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffOverview {
    /// The campaign and its pool.
    pub campaign: CampaignPool,
    /// The latest missions, last in the campaign's order first.
    pub missions: Vec<Mission>,
    /// The latest events, newest first, with their changes.
    pub events: Vec<Event>,
}

/// One page of a campaign's missions, last in the campaign's order first, each with how
/// many events it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionListPage {
    /// The campaign.
    pub campaign: Campaign,
    /// The missions on this page, and how many there are in all.
    pub missions: Page<(Mission, u64)>,
}

/// One page of a mission's events, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionEventsPage {
    /// The mission's campaign and its pool (whose names the changes show).
    pub campaign: CampaignPool,
    /// The mission.
    pub mission: Mission,
    /// The events on this page with their changes, and how many the mission has.
    pub events: Page<Event>,
}

/// One page of the audit trail and what its filters offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    /// The matching entries on this page, newest first, and how many match in all.
    pub entries: Page<AuditEntry>,
    /// Every campaign, newest first.
    pub campaigns: Vec<Campaign>,
    /// Every account, by username.
    pub users: Vec<User>,
}

/// What a campaign's report is made from: the report archived when it was closed, or
/// the history of a campaign still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportSource {
    /// A closed campaign and its archived final report.
    Archived(Campaign, CampaignReport),
    /// An open campaign's history, and the libraries its pool came from (id and name,
    /// by id; a library since deleted is left out).
    Live(CampaignHistory, Vec<(LibraryId, String)>),
}

/// Page-shaped reads. Each answers `Ok(None)` when the object it starts from does not
/// exist.
pub trait PageRepo: Send + Sync + 'static {
    /// The store's revision: a number that every committed change (every write that
    /// stores an audit entry) raises, in the same transaction. Equal revisions mean
    /// equal data, on every replica; a cached read labelled with the revision read
    /// before it is never older than that revision.
    fn revision(&self) -> impl Future<Output = RepoResult<u64>> + Send;
    /// A campaign and its pool.
    fn campaign_pool(&self, which: CampaignRef) -> impl Future<Output = RepoResult<Option<CampaignPool>>> + Send;
    /// A campaign with its pool, missions and events.
    fn campaign_history(&self, which: CampaignRef) -> impl Future<Output = RepoResult<Option<CampaignHistory>>> + Send;
    /// A mission with its campaign, events and pool.
    fn mission_scope(&self, id: MissionId) -> impl Future<Output = RepoResult<Option<MissionScope>>> + Send;
    /// A mission with its campaign and the entries of the campaign's pool among `entries`.
    fn mission_entries(
        &self,
        id: MissionId,
        entries: &[PoolEntryId],
    ) -> impl Future<Output = RepoResult<Option<MissionEntries>>> + Send;
    /// An event with its mission, campaign and pool.
    fn event_scope(&self, id: EventId) -> impl Future<Output = RepoResult<Option<EventScope>>> + Send;
    /// A campaign and its missions in campaign order.
    fn campaign_missions(
        &self,
        id: CampaignId,
    ) -> impl Future<Output = RepoResult<Option<(Campaign, Vec<Mission>)>>> + Send;
    /// A library's page: the library, its assets (by kind, then name) and the
    /// campaigns whose pool holds its assets (see [`LibraryPage`]), in one snapshot.
    fn library_page(&self, id: LibraryId) -> impl Future<Output = RepoResult<Option<LibraryPage>>> + Send;
    /// An asset and its library.
    fn asset_in_library(&self, id: AssetId)
    -> impl Future<Output = RepoResult<Option<(Asset, LibrarySummary)>>> + Send;
    /// A campaign's pool and every library with its assets.
    fn pool_with_libraries(
        &self,
        campaign: CampaignId,
    ) -> impl Future<Output = RepoResult<Option<PoolWithLibraries>>> + Send;
    /// One page of a campaign's events, newest first.
    fn timeline_page(
        &self,
        which: CampaignRef,
        page: PageRequest,
    ) -> impl Future<Output = RepoResult<Option<TimelinePage>>> + Send;
    /// A campaign's pool with its latest `missions` missions (last in the campaign's
    /// order first) and the latest `events_per_mission` events of each.
    fn dashboard_page(
        &self,
        which: CampaignRef,
        missions: u32,
        events_per_mission: u32,
    ) -> impl Future<Output = RepoResult<Option<DashboardPage>>> + Send;
    /// A campaign's pool with its latest `missions` missions and latest `events` events.
    fn staff_overview(
        &self,
        which: CampaignRef,
        missions: u32,
        events: u32,
    ) -> impl Future<Output = RepoResult<Option<StaffOverview>>> + Send;
    /// One page of a campaign's missions, last in the campaign's order first.
    fn mission_list(
        &self,
        which: CampaignRef,
        page: PageRequest,
    ) -> impl Future<Output = RepoResult<Option<MissionListPage>>> + Send;
    /// One page of a mission's events (oldest first) with its campaign and pool.
    fn mission_events_page(
        &self,
        id: MissionId,
        page: PageRequest,
    ) -> impl Future<Output = RepoResult<Option<MissionEventsPage>>> + Send;
    /// A closed campaign's archived report, or an open campaign's history.
    fn report_source(&self, id: CampaignId) -> impl Future<Output = RepoResult<Option<ReportSource>>> + Send;
    /// The closed campaigns (newest first, or only `only`) with their archived reports.
    fn archived_reports(
        &self,
        only: Option<CampaignId>,
    ) -> impl Future<Output = RepoResult<Vec<(Campaign, CampaignReport)>>> + Send;
    /// One page of the matching audit entries, with every campaign and user.
    fn audit_page(&self, filter: &AuditFilter, page: PageRequest)
    -> impl Future<Output = RepoResult<AuditPage>> + Send;
}
