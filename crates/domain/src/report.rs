//! A campaign report: the pool with its gains and losses, and the missions with their
//! events. Closing a campaign archives one; since it holds names, not references, a
//! later edit to a library never changes it.

use crate::campaign::{Campaign, CampaignStatus};
use crate::event::{Event, EventKind};
use crate::ids::{CampaignId, LibraryId, MissionId, PoolEntryId};
use crate::library::AssetKind;
use crate::mission::{Mission, MissionStatus};
use crate::pool::PoolEntry;
use std::collections::HashMap;
use time::{Date, UtcDateTime};

#[cfg(test)]
mod fixtures;
mod series;
mod summary;

pub use series::{KindSeries, Step};
pub use summary::{AssetMove, KindTotals, LARGEST, MissionLosses, ReportSummary};

/// One pool entry in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportEntry {
    /// The pool entry reported on; `None` only in reports archived before entries were
    /// recorded by id.
    pub entry_id: Option<PoolEntryId>,
    /// The name of the library the asset came from, as it was when the report was made
    /// (empty when unknown: a library since deleted, or a report archived before
    /// libraries were recorded).
    pub library: String,
    /// The asset's name.
    pub asset_name: String,
    /// The asset's kind.
    pub kind: AssetKind,
    /// The asset's category.
    pub category: String,
    /// The quantity at the start.
    pub initial: u32,
    /// The quantity at the time of the report.
    pub current: u32,
    /// The sum of the gains recorded.
    pub gained: u64,
    /// The sum of the losses recorded (as a positive number).
    pub lost: u64,
    /// Whether the public sees it.
    pub public: bool,
    /// Whether the asset is unique (one of one, never "low"); `false` in reports
    /// archived before it was recorded.
    pub unique: bool,
}

/// How an entry stands at the time of its report, when it stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryLevel {
    /// More than at the start.
    Surplus,
    /// Running low (the pool's rule: held, but fewer than [`PoolEntry::LOW_BELOW`]).
    Low,
    /// None left.
    Depleted,
}

impl EntryLevel {
    /// Its name as shown.
    pub const fn as_str(self) -> &'static str {
        match self {
            EntryLevel::Surplus => "Surplus",
            EntryLevel::Low => "Low",
            EntryLevel::Depleted => "Depleted",
        }
    }
}

impl ReportEntry {
    /// Depleted, low or in surplus, or `None` when none of these.
    pub fn level(&self) -> Option<EntryLevel> {
        if self.current == 0 {
            Some(EntryLevel::Depleted)
        } else if crate::pool::running_low(self.current, self.unique) {
            Some(EntryLevel::Low)
        } else if self.current > self.initial {
            Some(EntryLevel::Surplus)
        } else {
            None
        }
    }
}

/// One asset change in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportChange {
    /// The pool entry it moved; `None` only in reports archived before entries were
    /// recorded by id.
    pub entry_id: Option<PoolEntryId>,
    /// The asset's name.
    pub asset_name: String,
    /// The signed change.
    pub delta: i64,
    /// Why.
    pub note: String,
}

/// One event in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportEvent {
    /// Its title.
    pub title: String,
    /// What happened.
    pub kind: EventKind,
    /// When.
    pub occurred_at: UtcDateTime,
    /// Where.
    pub location: String,
    /// Its asset changes.
    pub changes: Vec<ReportChange>,
}

/// One mission in a report, with its events in the order they happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportMission {
    /// Its name.
    pub name: String,
    /// Its status.
    pub status: MissionStatus,
    /// The day it was played.
    pub date: Option<Date>,
    /// Its events, oldest first.
    pub events: Vec<ReportEvent>,
}

/// Everything a campaign report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignReport {
    /// The campaign.
    pub campaign_id: CampaignId,
    /// Its name at the time of the report.
    pub campaign_name: String,
    /// Its description.
    pub description: String,
    /// Its status at the time of the report.
    pub status: CampaignStatus,
    /// Its first day.
    pub start: Date,
    /// Its last day, if set.
    pub end: Option<Date>,
    /// When the report was made.
    pub generated_at: UtcDateTime,
    /// The pool, by kind then name.
    pub entries: Vec<ReportEntry>,
    /// The missions, in campaign order.
    pub missions: Vec<ReportMission>,
}

impl CampaignReport {
    /// Builds the report of `campaign` from its pool, missions and events, naming each
    /// entry's library from `libraries` (id and name).
    pub fn build(
        campaign: &Campaign,
        pool: &[PoolEntry],
        libraries: &[(LibraryId, String)],
        missions: &[Mission],
        events: &[Event],
        generated_at: UtcDateTime,
    ) -> Self {
        let library_names: HashMap<LibraryId, &str> = libraries.iter().map(|(id, n)| (*id, n.as_str())).collect();
        let names: HashMap<PoolEntryId, &str> = pool.iter().map(|e| (e.id(), e.asset_name().as_str())).collect();
        let mut moved: HashMap<PoolEntryId, (u64, u64)> = HashMap::new();
        for change in events.iter().flat_map(|e| &e.changes) {
            let (gained, lost) = moved.entry(change.pool_entry_id).or_default();
            let delta = change.delta.get();
            if delta > 0 {
                *gained += delta.unsigned_abs();
            } else {
                *lost += delta.unsigned_abs();
            }
        }
        let mut entries: Vec<ReportEntry> = pool
            .iter()
            .map(|e| {
                let (gained, lost) = moved.get(&e.id()).copied().unwrap_or_default();
                ReportEntry {
                    entry_id: Some(e.id()),
                    library: library_names.get(&e.library_id()).map_or_else(String::new, |n| (*n).to_owned()),
                    asset_name: e.asset_name().to_string(),
                    kind: e.kind(),
                    category: e.category().to_string(),
                    initial: e.initial().get(),
                    current: e.current().get(),
                    gained,
                    lost,
                    public: e.is_public(),
                    unique: e.is_unique(),
                }
            })
            .collect();
        entries.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.asset_name.cmp(&b.asset_name)));

        let mut by_mission: HashMap<MissionId, Vec<&Event>> = HashMap::new();
        for event in events {
            by_mission.entry(event.mission_id).or_default().push(event);
        }
        let mut ordered: Vec<&Mission> = missions.iter().collect();
        ordered.sort_by_key(|m| (m.order_index, m.id));
        let missions = ordered
            .into_iter()
            .map(|m| {
                let mut evs = by_mission.remove(&m.id).unwrap_or_default();
                evs.sort_by_key(|e| (e.details.occurred_at, e.id));
                ReportMission {
                    name: m.details.name.to_string(),
                    status: m.status,
                    date: m.details.date,
                    events: evs.into_iter().map(|e| report_event(e, &names)).collect(),
                }
            })
            .collect();

        let details = campaign.details();
        Self {
            campaign_id: campaign.id(),
            campaign_name: details.name.to_string(),
            description: details.description.to_string(),
            status: campaign.status(),
            start: details.dates.start(),
            end: details.dates.end(),
            generated_at,
            entries,
            missions,
        }
    }

    /// The sums over every entry: initial, current, gained, lost.
    pub fn totals(&self) -> (u64, u64, u64, u64) {
        self.entries.iter().fold((0, 0, 0, 0), |(i, c, g, l), e| {
            (i + u64::from(e.initial), c + u64::from(e.current), g + e.gained, l + e.lost)
        })
    }
}

fn report_event(event: &Event, names: &HashMap<PoolEntryId, &str>) -> ReportEvent {
    ReportEvent {
        title: event.details.title.to_string(),
        kind: event.details.kind,
        occurred_at: event.details.occurred_at,
        location: event.details.location.to_string(),
        changes: event
            .changes
            .iter()
            .map(|c| ReportChange {
                entry_id: Some(c.pool_entry_id),
                asset_name: names.get(&c.pool_entry_id).map_or_else(String::new, |n| (*n).to_owned()),
                delta: c.delta.get(),
                note: c.note.to_string(),
            })
            .collect(),
    }
}
