//! What an import writes, in our model: every value already built through the
//! domain's constructors, objects referring to each other by their position in the
//! plan (the store assigns the ids). The stores share the helpers here, so that both
//! turn a plan into the same rows, audit entries and archived reports.
//!
//! Invariants: every pool entry's `current` is its `initial` plus the deltas of its
//! planned changes, within the ledger's bounds; at most one campaign is `Active`; a
//! library's names and asset names are unique; usernames are unique in any case.

use domain::{
    AssetChange, AssetChangeId, AssetId, AssetSpec, AuditAction, Campaign, CampaignDetails, CampaignId, CampaignReport,
    CampaignStatus, Category, Delta, Description, Event, EventDetails, EventId, LibraryId, LibraryName, Mission,
    MissionDetails, MissionId, MissionStatus, NewAuditEntry, ObjectKind, ObjectRef, PasswordHash, PoolEntry,
    PoolEntryId, PooledAsset, Quantity, Role, ShortText, UserId, Username,
};
use time::UtcDateTime;

/// The name the import's audit entries give as their actor.
pub const IMPORT_ACTOR: &str = "legacy import";

/// Everything to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    /// Staff accounts.
    pub users: Vec<PlannedUser>,
    /// Libraries with their assets.
    pub libraries: Vec<PlannedLibrary>,
    /// Campaigns with their pools, missions, events and changes.
    pub campaigns: Vec<PlannedCampaign>,
    /// When the import runs: users' creation and closed campaigns' archive time.
    pub at: UtcDateTime,
}

/// An account, keeping its Werkzeug hash (replaced at its first login).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedUser {
    /// Login name.
    pub username: Username,
    /// Admin or manager.
    pub role: Role,
    /// The old hash, as stored.
    pub password_hash: PasswordHash,
}

/// A library and its assets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedLibrary {
    /// Its unique name.
    pub name: LibraryName,
    /// Its description.
    pub description: Description,
    /// Its category.
    pub category: Category,
    /// Whether it was a default library.
    pub is_default: bool,
    /// Its assets, names unique within the library.
    pub assets: Vec<AssetSpec>,
}

/// An asset by its place in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssetRef {
    /// Index in [`ImportPlan::libraries`].
    pub library: usize,
    /// Index in that library's assets.
    pub asset: usize,
}

/// A campaign and all it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCampaign {
    /// Its fields.
    pub details: CampaignDetails,
    /// Planned, Active (at most one in a plan) or Closed.
    pub status: CampaignStatus,
    /// Creation time.
    pub created_at: UtcDateTime,
    /// When it was closed (the import's time: the old tracker kept none).
    pub closed_at: Option<UtcDateTime>,
    /// Its pool.
    pub pool: Vec<PlannedEntry>,
    /// Its missions, in order.
    pub missions: Vec<PlannedMission>,
    /// When each library came into the pool and was last synced.
    pub library_times: Vec<LibraryTimes>,
}

/// A pool entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedEntry {
    /// The library asset.
    pub asset: AssetRef,
    /// The starting quantity.
    pub initial: Quantity,
    /// The quantity by the ledger: initial plus every planned change.
    pub current: Quantity,
    /// Whether the public sees it.
    pub public: bool,
}

/// A mission and its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMission {
    /// Its fields.
    pub details: MissionDetails,
    /// Its status.
    pub status: MissionStatus,
    /// Its place in the campaign's order.
    pub order_index: i32,
    /// Its events, oldest first.
    pub events: Vec<PlannedEvent>,
}

/// An event and its changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedEvent {
    /// Its fields.
    pub details: EventDetails,
    /// Its changes, in the old order.
    pub changes: Vec<PlannedChange>,
}

/// An asset change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedChange {
    /// Index in the campaign's pool.
    pub entry: usize,
    /// The signed change, as stored (clamped when the old one broke the ledger).
    pub delta: Delta,
    /// Its note.
    pub note: ShortText,
}

/// When a library came into a campaign's pool, and when it was last synced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryTimes {
    /// Index in [`ImportPlan::libraries`].
    pub library: usize,
    /// The old `imported_at` (else the campaign's creation).
    pub imported_at: UtcDateTime,
    /// The old `last_synced_at`.
    pub synced_at: Option<UtcDateTime>,
}

/// The ids the store gave the plan's objects, by the plan's positions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportedIds {
    /// By user.
    pub users: Vec<UserId>,
    /// By library.
    pub libraries: Vec<LibraryId>,
    /// By library, by asset.
    pub assets: Vec<Vec<AssetId>>,
    /// By campaign.
    pub campaigns: Vec<CampaignId>,
    /// By campaign, by pool entry.
    pub entries: Vec<Vec<PoolEntryId>>,
    /// By campaign, by mission.
    pub missions: Vec<Vec<MissionId>>,
    /// By campaign, by mission, by event.
    pub events: Vec<Vec<Vec<EventId>>>,
}

impl ImportPlan {
    /// What `entry` copies from its asset, with the ids the store gave.
    pub fn pooled(&self, entry: &PlannedEntry, ids: &ImportedIds) -> PooledAsset {
        let spec = &self.libraries[entry.asset.library].assets[entry.asset.asset];
        PooledAsset {
            asset_id: ids.assets[entry.asset.library][entry.asset.asset],
            library_id: ids.libraries[entry.asset.library],
            asset_name: spec.name().clone(),
            kind: spec.kind(),
            category: spec.category().clone(),
            unique: spec.is_unique(),
        }
    }

    /// The audit entries that date each library's arrival in each campaign's pool (and
    /// its last sync), as the library page reads them.
    pub fn library_audit(&self, ids: &ImportedIds) -> Vec<NewAuditEntry> {
        let mut entries = Vec::new();
        for (c, campaign) in self.campaigns.iter().enumerate() {
            for times in &campaign.library_times {
                let name = &self.libraries[times.library].name;
                let object = ObjectRef::existing(ObjectKind::Library, ids.libraries[times.library].get());
                let mut entry = |action, at, verb| {
                    entries.push(NewAuditEntry {
                        at,
                        actor_id: None,
                        actor_name: IMPORT_ACTOR.to_owned(),
                        action,
                        campaign_id: Some(ids.campaigns[c]),
                        object,
                        details: format!("{verb} library {name} (from the old tracker)"),
                    });
                };
                entry(AuditAction::LibraryImported, times.imported_at, "imported");
                if let Some(synced) = times.synced_at {
                    entry(AuditAction::LibrarySynced, synced, "synced");
                }
            }
        }
        entries
    }

    /// The final report archived for campaign `c` when it is closed, built as closing
    /// a campaign builds it; `None` for an open campaign.
    pub fn archived_report(&self, c: usize, ids: &ImportedIds) -> Option<CampaignReport> {
        let planned = &self.campaigns[c];
        let closed_at = planned.closed_at.filter(|_| planned.status == CampaignStatus::Closed)?;
        let id = ids.campaigns[c];
        let campaign = Campaign::new(id, planned.details.clone(), planned.status, planned.created_at, Some(closed_at));
        let pool: Vec<PoolEntry> = planned
            .pool
            .iter()
            .zip(&ids.entries[c])
            .filter_map(|(e, &eid)| PoolEntry::new(eid, id, self.pooled(e, ids), e.initial, e.current, e.public).ok())
            .collect();
        let libraries: Vec<(LibraryId, String)> =
            self.libraries.iter().zip(&ids.libraries).map(|(l, &lid)| (lid, l.name.to_string())).collect();
        let mut missions = Vec::new();
        let mut events = Vec::new();
        for (m, mission) in planned.missions.iter().enumerate() {
            let mission_id = ids.missions[c][m];
            missions.push(Mission {
                id: mission_id,
                campaign_id: id,
                details: mission.details.clone(),
                status: mission.status,
                order_index: mission.order_index,
            });
            for (e, event) in mission.events.iter().enumerate() {
                let event_id = ids.events[c][m][e];
                let changes = event
                    .changes
                    .iter()
                    .map(|ch| AssetChange {
                        // The report names changes by entry, never by their own id.
                        id: AssetChangeId::new(0),
                        event_id,
                        pool_entry_id: ids.entries[c][ch.entry],
                        delta: ch.delta,
                        note: ch.note.clone(),
                    })
                    .collect();
                events.push(Event { id: event_id, mission_id, details: event.details.clone(), changes });
            }
        }
        Some(CampaignReport::build(&campaign, &pool, &libraries, &missions, &events, closed_at))
    }

    /// How many objects of each kind the plan writes.
    pub fn counts(&self) -> ImportCounts {
        let missions = self.campaigns.iter().flat_map(|c| &c.missions);
        let events: Vec<&PlannedEvent> = missions.clone().flat_map(|m| &m.events).collect();
        ImportCounts {
            users: self.users.len(),
            libraries: self.libraries.len(),
            assets: self.libraries.iter().map(|l| l.assets.len()).sum(),
            campaigns: self.campaigns.len(),
            pool_entries: self.campaigns.iter().map(|c| c.pool.len()).sum(),
            missions: missions.count(),
            events: events.len(),
            changes: events.iter().map(|e| e.changes.len()).sum(),
        }
    }
}

/// How many objects of each kind an import writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Accounts.
    pub users: usize,
    /// Libraries.
    pub libraries: usize,
    /// Library assets.
    pub assets: usize,
    /// Campaigns.
    pub campaigns: usize,
    /// Pool entries.
    pub pool_entries: usize,
    /// Missions.
    pub missions: usize,
    /// Events.
    pub events: usize,
    /// Asset changes.
    pub changes: usize,
}

impl std::fmt::Display for ImportCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} users, {} libraries, {} assets, {} campaigns, {} pool entries, {} missions, {} events, {} changes",
            self.users,
            self.libraries,
            self.assets,
            self.campaigns,
            self.pool_entries,
            self.missions,
            self.events,
            self.changes
        )
    }
}
