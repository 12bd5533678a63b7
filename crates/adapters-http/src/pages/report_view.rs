//! The view of a campaign report (totals, the pool with gains and losses, the missions
//! with their events and changes), shared by the report page and the close
//! confirmation, which shows the report that closing will archive.

use crate::web::charts::{self, Bar, Line, colour};
use crate::web::{iso, signed, trend};
use domain::{
    AssetKind, AssetMove, Campaign, CampaignReport, EntryLevel, ReportEntry, ReportEvent, ReportMission, ReportSummary,
    Step,
};
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

/// A report summed up: the tables of [`ReportSummary`], as text, and its charts.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SummaryView {
    kinds: Vec<KindRow>,
    missions_by_status: Vec<CountRow>,
    events_by_kind: Vec<CountRow>,
    largest_losses: Vec<CountRow>,
    largest_gains: Vec<CountRow>,
    losses_per_mission: Vec<CountRow>,
    charts: ChartsView,
}

/// `?asset=N`: which asset (by its position in the report's pool, from 1) the asset
/// chart shows.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ChartQuery {
    pub(crate) asset: Option<String>,
}

/// A report's charts, each SVG with the figures it draws.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChartsView {
    /// The total of each asset kind over time.
    kinds: String,
    /// Each kind's colour, in the legend.
    legend: Vec<LegendItem>,
    /// The figures of `kinds`: a column per kind, a row per moment one changed.
    kind_columns: Vec<&'static str>,
    kind_rows: Vec<TimeRow>,
    /// Missions per status, as bars (the figures are the "Missions by status" table).
    statuses: String,
    /// Each mission's losses, as bars (the figures are the "Losses per mission" table).
    losses: String,
    /// The chosen asset's quantity over time, and its figures.
    asset: Option<AssetChart>,
    /// Every asset of the report, to choose from.
    choices: Vec<AssetChoice>,
    /// Why the asset asked for could not be shown (the chart then shows the default).
    asset_error: Option<String>,
}

/// A line's label and colour class.
#[derive(Debug, Clone, Serialize)]
struct LegendItem {
    label: &'static str,
    class: &'static str,
}

/// A moment and the quantities from then on.
#[derive(Debug, Clone, Serialize)]
struct TimeRow {
    at: String,
    quantities: Vec<u64>,
}

/// One asset's chart.
#[derive(Debug, Clone, Serialize)]
struct AssetChart {
    name: String,
    svg: String,
    rows: Vec<TimeRow>,
}

/// An asset in the chooser: its position in the report's pool (from 1), as the
/// `asset` query parameter names it.
#[derive(Debug, Clone, Serialize)]
struct AssetChoice {
    position: usize,
    label: String,
    selected: bool,
}

impl ChartsView {
    /// The charts of `report`, with the asset at position `asset` (from 1) charted, or
    /// by default the one that lost most (else the first).
    fn new(report: &CampaignReport, summary: &ReportSummary, asset: Option<&str>) -> Self {
        let series = report.kind_series();
        let lines: Vec<Line> = series
            .iter()
            .map(|s| Line {
                class: kind_colour(s.kind),
                steps: s.steps.iter().map(|st| (st.at, st.quantity)).collect(),
            })
            .collect();
        let kinds = charts::step_chart("Total quantity per asset kind over the campaign", &lines, 260.0);
        let legend = series.iter().map(|s| LegendItem { label: s.kind.as_str(), class: kind_colour(s.kind) }).collect();
        let kind_columns = series.iter().map(|s| s.kind.as_str()).collect();
        let kind_rows = time_rows(&series.iter().map(|s| s.steps.as_slice()).collect::<Vec<_>>());

        let status_bars: Vec<Bar> = summary
            .missions_by_status
            .iter()
            .enumerate()
            .map(|(i, (status, n))| Bar { label: status.as_str().to_owned(), value: *n as u64, class: colour(i) })
            .collect();
        let loss_bars: Vec<Bar> = summary
            .losses_per_mission
            .iter()
            .map(|m| Bar { label: m.mission.clone(), value: m.lost, class: "loss" })
            .collect();

        let default = summary
            .largest_losses
            .first()
            .and_then(|m| report.entries.iter().position(|e| e.asset_name == m.asset_name))
            .unwrap_or(0);
        let (chosen, asset_error) = match asset.map(str::trim).filter(|a| !a.is_empty()) {
            None => (default, None),
            Some(asked) => match asked.parse::<usize>() {
                Ok(n) if (1..=report.entries.len()).contains(&n) => (n - 1, None),
                _ => (default, Some(format!("There is no asset {asked} in this report: choose one from the list."))),
            },
        };
        let asset = report.asset_series(chosen).map(|steps| {
            let entry = &report.entries[chosen];
            let line =
                Line { class: kind_colour(entry.kind), steps: steps.iter().map(|s| (s.at, s.quantity)).collect() };
            AssetChart {
                name: entry.asset_name.clone(),
                svg: charts::step_chart(&format!("{} over the campaign", entry.asset_name), &[line], 220.0),
                rows: time_rows(&[steps.as_slice()]),
            }
        });
        let choices = report
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| AssetChoice {
                position: i + 1,
                label: format!("{} ({})", e.asset_name, e.kind.as_str()),
                selected: i == chosen,
            })
            .collect();
        Self {
            kinds,
            legend,
            kind_columns,
            kind_rows,
            statuses: charts::bar_chart("Missions by status", &status_bars),
            losses: charts::bar_chart("Losses per mission", &loss_bars),
            asset,
            choices,
            asset_error,
        }
    }
}

/// The colour of an asset kind: the same on every chart.
fn kind_colour(kind: AssetKind) -> &'static str {
    colour(AssetKind::ALL.iter().position(|&k| k == kind).unwrap_or(0))
}

/// One row per moment any of `series` steps, with each series' quantity from then on.
fn time_rows(series: &[&[Step]]) -> Vec<TimeRow> {
    let mut moments: Vec<time::UtcDateTime> = series.iter().flat_map(|s| s.iter().map(|st| st.at)).collect();
    moments.sort_unstable();
    moments.dedup();
    // One cursor per series, moved forward with the moments: linear in the steps.
    let mut seen = vec![0usize; series.len()];
    moments
        .into_iter()
        .map(|at| {
            let quantities = series
                .iter()
                .zip(&mut seen)
                .map(|(steps, seen)| {
                    while steps.get(*seen).is_some_and(|st| st.at <= at) {
                        *seen += 1;
                    }
                    seen.checked_sub(1).map_or(0, |last| steps[last].quantity)
                })
                .collect();
            TimeRow { at: iso(at), quantities }
        })
        .collect()
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

impl SummaryView {
    /// The summary of `report`, its asset chart showing the asset at position `asset`
    /// (from 1; by default the one that lost most).
    pub(crate) fn new(report: &CampaignReport, asset: Option<&str>) -> Self {
        let s = report.summary();
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
            charts: ChartsView::new(report, &s, asset),
        }
    }

    /// Why the asset asked for cannot be charted, if it cannot.
    pub(crate) fn asset_error(&self) -> Option<&str> {
        self.charts.asset_error.as_deref()
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
        Self::new(r, None)
    }
}

impl ReportView {
    /// The view of `r`, its asset chart showing the asset at position `asset` (from 1).
    pub(crate) fn new(r: &CampaignReport, asset: Option<&str>) -> Self {
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
            summary: SummaryView::new(r, asset),
            entries: r.entries.iter().map(entry_row).collect(),
            missions: r.missions.iter().map(mission_block).collect(),
        }
    }

    /// Why the asset asked for cannot be charted, if it cannot.
    pub(crate) fn asset_error(&self) -> Option<&str> {
        self.summary.asset_error()
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
            charts: ChartsView::fixture(Some("9")),
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
            charts: ChartsView::fixture(None),
        }
    }
}

#[cfg(test)]
impl ChartsView {
    /// The charts of a report with two vehicles and one combat event; `asset` as asked.
    fn fixture(asset: Option<&str>) -> Self {
        use domain::{CampaignId, CampaignStatus, EventKind, MissionStatus, PoolEntryId, ReportChange};
        use time::macros::{date, utc_datetime};
        let entry = |id, name: &str, initial, current| ReportEntry {
            entry_id: Some(PoolEntryId::new(id)),
            library: "Core".into(),
            asset_name: name.into(),
            kind: AssetKind::Vehicle,
            category: String::new(),
            initial,
            current,
            gained: 0,
            lost: 0,
            public: true,
            unique: false,
        };
        let change = |id, delta| ReportChange {
            entry_id: Some(PoolEntryId::new(id)),
            asset_name: String::new(),
            delta,
            note: String::new(),
        };
        let report = CampaignReport {
            campaign_id: CampaignId::new(1),
            campaign_name: "Operation Harvest".into(),
            description: String::new(),
            status: CampaignStatus::Active,
            start: date!(2026 - 01 - 01),
            end: None,
            generated_at: utc_datetime!(2026-01-04 12:00),
            entries: vec![entry(1, "M2A1 Slammer", 4, 2), entry(2, "Hunter", 4, 5)],
            missions: vec![ReportMission {
                name: "Night raid".into(),
                status: MissionStatus::Completed,
                date: None,
                events: vec![ReportEvent {
                    title: "Ambush at the bridge".into(),
                    kind: EventKind::Combat,
                    occurred_at: utc_datetime!(2026-01-03 20:15),
                    location: String::new(),
                    changes: vec![change(1, -2), change(2, 1)],
                }],
            }],
        };
        Self::new(&report, &report.summary(), asset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::utc_datetime;

    #[test]
    fn each_row_holds_every_series_quantity_from_that_moment_on() {
        let step = |day: u8, quantity| Step { at: utc_datetime!(2026-01-01 0:00).replace_day(day).unwrap(), quantity };
        let vehicles = [step(1, 6), step(3, 4), step(9, 4)];
        let aircraft = [step(1, 2), step(2, 1), step(3, 3), step(9, 3)];
        let rows = time_rows(&[&vehicles, &aircraft]);
        let got: Vec<(&str, Vec<u64>)> = rows.iter().map(|r| (&r.at[8..10], r.quantities.clone())).collect();
        assert_eq!(got, [("01", vec![6, 2]), ("02", vec![6, 1]), ("03", vec![4, 3]), ("09", vec![4, 3])]);
        let late = [step(5, 7)];
        let rows = time_rows(&[&late, &vehicles[..1]]);
        assert_eq!(rows[0].quantities, [0, 6], "a series that has not started yet shows 0");
    }
}
