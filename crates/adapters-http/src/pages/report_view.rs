//! The view of a campaign report (totals, the pool with gains and losses, the missions
//! with their events and changes), shared by the report page and the close
//! confirmation, which shows the report that closing will archive.

use crate::web::{iso, signed, trend};
use domain::{AssetMove, Campaign, CampaignReport, EntryLevel, ReportEntry, ReportEvent, ReportMission, ReportSummary};
use serde::Serialize;

/// One campaign in the list.
#[derive(Debug, Serialize)]
pub(crate) struct CampaignRow {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) status: &'static str,
    pub(crate) start: String,
    pub(crate) end: Option<String>,
}

impl From<&Campaign> for CampaignRow {
    fn from(c: &Campaign) -> Self {
        let dates = c.details().dates;
        Self {
            id: c.id().get(),
            name: c.name().to_string(),
            status: c.status().as_str(),
            start: dates.start().to_string(),
            end: dates.end().map(|d| d.to_string()),
        }
    }
}

/// A campaign report's view.
#[derive(Debug, Serialize)]
pub(crate) struct ReportView {
    campaign: CampaignRow,
    description: String,
    generated_at: String,
    totals: Totals,
    summary: SummaryView,
    entries: Vec<EntryRow>,
    missions: Vec<MissionBlock>,
}

/// A report summed up: the tables of [`ReportSummary`], as text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SummaryView {
    kinds: Vec<KindRow>,
    missions_by_status: Vec<CountRow>,
    events_by_kind: Vec<CountRow>,
    largest_losses: Vec<CountRow>,
    largest_gains: Vec<CountRow>,
    losses_per_mission: Vec<CountRow>,
}

/// One asset kind's sums.
#[derive(Debug, Clone, Serialize)]
struct KindRow {
    kind: &'static str,
    entries: usize,
    initial: u64,
    current: u64,
    gained: u64,
    lost: u64,
    /// "+3", "-2" or "0".
    net: String,
    /// "gain", "loss" or "".
    trend: &'static str,
}

/// A label and a number: a status and its missions, an asset and its losses, and so on.
#[derive(Debug, Clone, Serialize)]
struct CountRow {
    label: String,
    count: u64,
}

impl From<&ReportSummary> for SummaryView {
    fn from(s: &ReportSummary) -> Self {
        let count = |label: &str, n: usize| CountRow { label: label.to_owned(), count: n as u64 };
        let moved = |m: &AssetMove| CountRow { label: m.asset_name.clone(), count: m.quantity };
        Self {
            kinds: s
                .by_kind
                .iter()
                .map(|k| KindRow {
                    kind: k.kind.as_str(),
                    entries: k.entries,
                    initial: k.initial,
                    current: k.current,
                    gained: k.gained,
                    lost: k.lost,
                    net: signed(k.net()),
                    trend: trend(k.net()),
                })
                .collect(),
            missions_by_status: s.missions_by_status.iter().map(|(st, n)| count(st.as_str(), *n)).collect(),
            events_by_kind: s.events_by_kind.iter().map(|(kind, n)| count(kind.as_str(), *n)).collect(),
            largest_losses: s.largest_losses.iter().map(moved).collect(),
            largest_gains: s.largest_gains.iter().map(moved).collect(),
            losses_per_mission: s
                .losses_per_mission
                .iter()
                .map(|m| CountRow { label: m.mission.clone(), count: m.lost })
                .collect(),
        }
    }
}

impl From<&CampaignReport> for SummaryView {
    fn from(r: &CampaignReport) -> Self {
        Self::from(&r.summary())
    }
}

/// The sums over the pool.
#[derive(Debug, Serialize)]
pub(crate) struct Totals {
    initial: u64,
    current: u64,
    gained: u64,
    lost: u64,
}

/// One pool entry of the report.
#[derive(Debug, Serialize)]
pub(crate) struct EntryRow {
    name: String,
    kind: &'static str,
    category: String,
    initial: u32,
    current: u32,
    gained: u64,
    lost: u64,
    public: bool,
    /// "depleted", "low", "surplus" or "" (a CSS class).
    level: &'static str,
    /// "Depleted", "Low", "Surplus" or "".
    level_label: &'static str,
}

/// An entry's level as a CSS class and a label, both empty when it has none.
pub(crate) fn level(e: &ReportEntry) -> (&'static str, &'static str) {
    match e.level() {
        Some(EntryLevel::Depleted) => ("depleted", "Depleted"),
        Some(EntryLevel::Low) => ("low", "Low"),
        Some(EntryLevel::Surplus) => ("surplus", "Surplus"),
        None => ("", ""),
    }
}

/// One mission with its events.
#[derive(Debug, Serialize)]
pub(crate) struct MissionBlock {
    name: String,
    status: &'static str,
    date: Option<String>,
    events: Vec<EventBlock>,
}

/// One event with its changes.
#[derive(Debug, Serialize)]
pub(crate) struct EventBlock {
    title: String,
    kind: &'static str,
    at: String,
    location: String,
    changes: Vec<ChangeRow>,
}

/// One asset change: the signed delta as text ("+1", "-2") and "gain" or "loss".
#[derive(Debug, Serialize)]
pub(crate) struct ChangeRow {
    asset: String,
    delta: String,
    trend: &'static str,
    note: String,
}

impl From<&CampaignReport> for ReportView {
    fn from(r: &CampaignReport) -> Self {
        let (initial, current, gained, lost) = r.totals();
        Self {
            campaign: CampaignRow {
                id: r.campaign_id.get(),
                name: r.campaign_name.clone(),
                status: r.status.as_str(),
                start: r.start.to_string(),
                end: r.end.map(|d| d.to_string()),
            },
            description: r.description.clone(),
            generated_at: iso(r.generated_at),
            totals: Totals { initial, current, gained, lost },
            summary: SummaryView::from(r),
            entries: r.entries.iter().map(entry_row).collect(),
            missions: r.missions.iter().map(mission_block).collect(),
        }
    }
}

fn entry_row(e: &ReportEntry) -> EntryRow {
    let (level, level_label) = level(e);
    EntryRow {
        name: e.asset_name.clone(),
        kind: e.kind.as_str(),
        category: e.category.clone(),
        initial: e.initial,
        current: e.current,
        gained: e.gained,
        lost: e.lost,
        public: e.public,
        level,
        level_label,
    }
}

fn mission_block(m: &ReportMission) -> MissionBlock {
    MissionBlock {
        name: m.name.clone(),
        status: m.status.as_str(),
        date: m.date.map(|d| d.to_string()),
        events: m.events.iter().map(event_block).collect(),
    }
}

fn event_block(e: &ReportEvent) -> EventBlock {
    let changes = e
        .changes
        .iter()
        .map(|c| ChangeRow {
            asset: c.asset_name.clone(),
            delta: signed(c.delta),
            trend: trend(c.delta),
            note: c.note.clone(),
        })
        .collect();
    EventBlock {
        title: e.title.clone(),
        kind: e.kind.as_str(),
        at: iso(e.occurred_at),
        location: e.location.clone(),
        changes,
    }
}

#[cfg(test)]
impl ReportView {
    /// A report with a mission, an event and changes both ways.
    pub(crate) fn fixture() -> Self {
        Self::fixtures().0
    }

    /// A report with nothing in it.
    pub(crate) fn empty_fixture() -> Self {
        Self::fixtures().1
    }

    fn fixtures() -> (Self, Self) {
        let campaign = |id, status, end: Option<&str>| CampaignRow {
            id,
            name: "Operation Harvest".into(),
            status,
            start: "2026-01-01".into(),
            end: end.map(Into::into),
        };
        let entry = |name: &str, current, gained, lost, public| EntryRow {
            name: name.into(),
            kind: "Vehicle",
            category: "Main battle tank".into(),
            initial: 4,
            current,
            gained,
            lost,
            public,
            level: if current > 4 { "surplus" } else { "low" },
            level_label: if current > 4 { "Surplus" } else { "Low" },
        };
        let change = |asset: &str, delta: &str, trend, note: &str| ChangeRow {
            asset: asset.into(),
            delta: delta.into(),
            trend,
            note: note.into(),
        };
        let event = EventBlock {
            title: "Ambush at the bridge".into(),
            kind: "Combat",
            at: "2026-01-03T20:15:00Z".into(),
            location: "Altis".into(),
            changes: vec![change("M2A1 Slammer", "-2", "loss", "RPG"), change("Hunter", "+1", "gain", "")],
        };
        let report = ReportView {
            campaign: campaign(1, "Active", None),
            description: "Retake the island.".into(),
            generated_at: "2026-01-04T12:00:00Z".into(),
            totals: Totals { initial: 8, current: 7, gained: 1, lost: 2 },
            summary: SummaryView::fixture(),
            entries: vec![entry("M2A1 Slammer", 2, 0, 2, true), entry("Hunter", 5, 1, 0, false)],
            missions: vec![
                MissionBlock {
                    name: "Night raid".into(),
                    status: "Completed",
                    date: Some("2026-01-03".into()),
                    events: vec![event],
                },
                MissionBlock { name: "Convoy".into(), status: "Planned", date: None, events: Vec::new() },
            ],
        };
        let bare = ReportView {
            campaign: campaign(2, "Closed", Some("2025-12-01")),
            description: String::new(),
            generated_at: "2025-12-01T12:00:00Z".into(),
            totals: Totals { initial: 0, current: 0, gained: 0, lost: 0 },
            summary: SummaryView::empty_fixture(),
            entries: Vec::new(),
            missions: Vec::new(),
        };
        (report, bare)
    }
}

#[cfg(test)]
impl SummaryView {
    /// The summary of [`ReportView::fixture`]'s report.
    pub(crate) fn fixture() -> Self {
        let row = |label: &str, count| CountRow { label: label.into(), count };
        Self {
            kinds: vec![KindRow {
                kind: "Vehicle",
                entries: 2,
                initial: 8,
                current: 7,
                gained: 1,
                lost: 2,
                net: "-1".into(),
                trend: "loss",
            }],
            missions_by_status: vec![row("Planned", 1), row("InProgress", 0), row("Completed", 1), row("Cancelled", 0)],
            events_by_kind: vec![row("Combat", 1), row("Logistics", 0), row("Training", 0), row("Other", 0)],
            largest_losses: vec![row("M2A1 Slammer", 2)],
            largest_gains: vec![row("Hunter", 1)],
            losses_per_mission: vec![row("Night raid", 2), row("Convoy", 0)],
        }
    }

    /// The summary of a report with nothing in it.
    pub(crate) fn empty_fixture() -> Self {
        let zeros = |labels: &[&str]| labels.iter().map(|l| CountRow { label: (*l).into(), count: 0 }).collect();
        Self {
            kinds: Vec::new(),
            missions_by_status: zeros(&["Planned", "InProgress", "Completed", "Cancelled"]),
            events_by_kind: zeros(&["Combat", "Logistics", "Training", "Other"]),
            largest_losses: Vec::new(),
            largest_gains: Vec::new(),
            losses_per_mission: Vec::new(),
        }
    }
}
