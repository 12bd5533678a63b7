//! `GET /manage/reports` (every campaign, to pick a report) and
//! `GET /manage/campaigns/{cid}/report` (one campaign's report: totals, the pool with
//! gains and losses, the missions with their events and changes).
//!
//! Invariant: a closed campaign's report is the one archived when it closed (the use
//! case returns it); this page only formats what it is given.

use crate::AppState;
use crate::web::{HttpError, Page, StaffOnly, Ui, iso};
use application::ports::{Clock, PasswordHasher, Store};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use domain::{Campaign, CampaignId, CampaignReport, ReportEntry, ReportEvent, ReportMission};
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<S: Store, H: PasswordHasher, C: Clock>() -> Router<AppState<S, H, C>> {
    Router::new()
        .route("/manage/reports", get(list::<S, H, C>))
        .route("/manage/campaigns/{cid}/report", get(show::<S, H, C>))
}

/// The list of campaigns' view.
#[derive(Debug, Serialize)]
struct ReportsView {
    campaigns: Vec<CampaignRow>,
}

/// One campaign in the list.
#[derive(Debug, Serialize)]
struct CampaignRow {
    id: i64,
    name: String,
    status: &'static str,
    start: String,
    end: Option<String>,
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
struct ReportView {
    campaign: CampaignRow,
    description: String,
    generated_at: String,
    totals: Totals,
    entries: Vec<EntryRow>,
    missions: Vec<MissionBlock>,
}

/// The sums over the pool.
#[derive(Debug, Serialize)]
struct Totals {
    initial: u64,
    current: u64,
    gained: u64,
    lost: u64,
}

/// One pool entry of the report.
#[derive(Debug, Serialize)]
struct EntryRow {
    name: String,
    kind: &'static str,
    category: String,
    initial: u32,
    current: u32,
    gained: u64,
    lost: u64,
    public: bool,
}

/// One mission with its events.
#[derive(Debug, Serialize)]
struct MissionBlock {
    name: String,
    status: &'static str,
    date: Option<String>,
    events: Vec<EventBlock>,
}

/// One event with its changes.
#[derive(Debug, Serialize)]
struct EventBlock {
    title: String,
    kind: &'static str,
    at: String,
    location: String,
    changes: Vec<ChangeRow>,
}

/// One asset change: the signed delta as text ("+1", "-2") and "gain" or "loss".
#[derive(Debug, Serialize)]
struct ChangeRow {
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
            entries: r.entries.iter().map(entry_row).collect(),
            missions: r.missions.iter().map(mission_block).collect(),
        }
    }
}

fn entry_row(e: &ReportEntry) -> EntryRow {
    EntryRow {
        name: e.asset_name.clone(),
        kind: e.kind.as_str(),
        category: e.category.clone(),
        initial: e.initial,
        current: e.current,
        gained: e.gained,
        lost: e.lost,
        public: e.public,
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
            delta: if c.delta > 0 { format!("+{}", c.delta) } else { c.delta.to_string() },
            trend: if c.delta > 0 { "gain" } else { "loss" },
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

/// `GET /manage/reports`.
async fn list<S: Store, H: PasswordHasher, C: Clock>(
    State(state): State<AppState<S, H, C>>,
    staff: StaffOnly,
    ui: Ui,
) -> Result<Response, HttpError> {
    let campaigns = state.tracker.list_campaigns(&staff.actor).await?;
    let view = ReportsView { campaigns: campaigns.iter().map(CampaignRow::from).collect() };
    ui.render(Page::new("manage/reports.html", "Reports", &view).crumb("Manage", "/manage")).await
}

/// `GET /manage/campaigns/{cid}/report`.
async fn show<S: Store, H: PasswordHasher, C: Clock>(
    State(state): State<AppState<S, H, C>>,
    staff: StaffOnly,
    ui: Ui,
    Path(cid): Path<i64>,
) -> Result<Response, HttpError> {
    let id = CampaignId::new(cid);
    let report = state.tracker.campaign_report(&staff.actor, id).await?;
    let view = ReportView::from(&report);
    let title = format!("Report: {}", report.campaign_name);
    let page =
        Page::new("manage/report.html", title, &view).crumb("Manage", "/manage").crumb("Reports", "/manage/reports");
    ui.render(page.campaign(id)).await
}

/// Fixture views: the list of campaigns, and a report with a mission, an event and
/// changes both ways.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let campaign = |id, status, end: Option<&str>| CampaignRow {
        id,
        name: "Operation Harvest".into(),
        status,
        start: "2026-01-01".into(),
        end: end.map(Into::into),
    };
    let list = ReportsView { campaigns: vec![campaign(1, "Active", None), campaign(2, "Closed", Some("2025-12-01"))] };
    let empty = ReportsView { campaigns: Vec::new() };
    let entry = |name: &str, current, gained, lost, public| EntryRow {
        name: name.into(),
        kind: "Vehicle",
        category: "Main battle tank".into(),
        initial: 4,
        current,
        gained,
        lost,
        public,
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
        entries: Vec::new(),
        missions: Vec::new(),
    };
    vec![
        ("manage/reports.html", serde_json::to_value(list).unwrap_or_default()),
        ("manage/reports.html", serde_json::to_value(empty).unwrap_or_default()),
        ("manage/report.html", serde_json::to_value(report).unwrap_or_default()),
        ("manage/report.html", serde_json::to_value(bare).unwrap_or_default()),
    ]
}
