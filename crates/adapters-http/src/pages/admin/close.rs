//! `GET+POST /admin/campaigns/{id}/close`: the confirmation page showing the final state
//! the campaign will be archived with (built by the same use-case code that archives
//! it), and closing, which leads to the archived report.

use super::refusal;
use crate::AppState;
use crate::web::{Flash, HttpError, Page, StaffOnly, Ui, iso, redirect_back};
use application::ports::{Clock, PasswordHasher, Store};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use domain::{CampaignId, CampaignReport, ReportEntry, ReportEvent, ReportMission};
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<S: Store, H: PasswordHasher, C: Clock>() -> Router<AppState<S, H, C>> {
    Router::new().route("/admin/campaigns/{id}/close", get(confirm::<S, H, C>).post(close::<S, H, C>))
}

/// One pool entry of the final state.
#[derive(Debug, Serialize)]
struct EntryRow {
    asset: String,
    kind: &'static str,
    category: String,
    initial: u32,
    current: u32,
    gained: u64,
    lost: u64,
    public: bool,
}

impl From<&ReportEntry> for EntryRow {
    fn from(e: &ReportEntry) -> Self {
        Self {
            asset: e.asset_name.clone(),
            kind: e.kind.as_str(),
            category: e.category.clone(),
            initial: e.initial,
            current: e.current,
            gained: e.gained,
            lost: e.lost,
            public: e.public,
        }
    }
}

/// One asset change of an event: `delta` is signed ("+1", "-2").
#[derive(Debug, Serialize)]
struct ChangeRow {
    asset: String,
    delta: String,
    gain: bool,
    note: String,
}

/// One event of a mission.
#[derive(Debug, Serialize)]
struct EventRow {
    title: String,
    kind: &'static str,
    occurred_at: String,
    location: String,
    changes: Vec<ChangeRow>,
}

impl From<&ReportEvent> for EventRow {
    fn from(e: &ReportEvent) -> Self {
        let changes = e
            .changes
            .iter()
            .map(|c| ChangeRow {
                asset: c.asset_name.clone(),
                delta: format!("{:+}", c.delta),
                gain: c.delta > 0,
                note: c.note.clone(),
            })
            .collect();
        Self {
            title: e.title.clone(),
            kind: e.kind.as_str(),
            occurred_at: iso(e.occurred_at),
            location: e.location.clone(),
            changes,
        }
    }
}

/// One mission with its events.
#[derive(Debug, Serialize)]
struct MissionRow {
    name: String,
    status: &'static str,
    date: String,
    events: Vec<EventRow>,
}

impl From<&ReportMission> for MissionRow {
    fn from(m: &ReportMission) -> Self {
        Self {
            name: m.name.clone(),
            status: m.status.as_str(),
            date: m.date.map(|d| d.to_string()).unwrap_or_default(),
            events: m.events.iter().map(EventRow::from).collect(),
        }
    }
}

/// The confirmation page's view: the final state as it will be archived.
#[derive(Debug, Serialize)]
struct CloseView {
    id: i64,
    name: String,
    start: String,
    end: String,
    totals: [u64; 4],
    entries: Vec<EntryRow>,
    missions: Vec<MissionRow>,
}

impl From<&CampaignReport> for CloseView {
    fn from(report: &CampaignReport) -> Self {
        let (initial, current, gained, lost) = report.totals();
        Self {
            id: report.campaign_id.get(),
            name: report.campaign_name.clone(),
            start: report.start.to_string(),
            end: report.end.map(|d| d.to_string()).unwrap_or_default(),
            totals: [initial, current, gained, lost],
            entries: report.entries.iter().map(EntryRow::from).collect(),
            missions: report.missions.iter().map(MissionRow::from).collect(),
        }
    }
}

/// `GET /admin/campaigns/{id}/close`: what closing now would archive, and the button.
async fn confirm<S: Store, H: PasswordHasher, C: Clock>(
    State(state): State<AppState<S, H, C>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let report = state.tracker.close_preview(&staff.actor, CampaignId::new(id)).await?;
    let view = CloseView::from(&report);
    let title = format!("Close {}", report.campaign_name);
    ui.render(Page::new("admin/close.html", title, &view).crumb("Admin", "/admin")).await
}

/// `POST /admin/campaigns/{id}/close`: closes the campaign and shows its archived report.
async fn close<S: Store, H: PasswordHasher, C: Clock>(
    State(state): State<AppState<S, H, C>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    match state.tracker.close_campaign(&staff.actor, CampaignId::new(id)).await {
        Ok(report) => {
            let message = format!("Campaign {} is closed and its final report archived.", report.campaign_name);
            ui.see_other(&format!("/manage/campaigns/{id}/report"), Flash::success(message)).await
        }
        Err(e) => redirect_back(&ui, "/admin", Err(e), refusal).await,
    }
}

/// Fixture views for this module's template.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let entry = |asset: &str, initial, current, gained, lost| EntryRow {
        asset: asset.into(),
        kind: "Vehicle",
        category: "Armour".into(),
        initial,
        current,
        gained,
        lost,
        public: lost == 0,
    };
    let change = |asset: &str, delta: i64| ChangeRow {
        asset: asset.into(),
        delta: format!("{delta:+}"),
        gain: delta > 0,
        note: "ambush".into(),
    };
    let event = EventRow {
        title: "Convoy ambushed".into(),
        kind: "Combat",
        occurred_at: "2026-03-14T18:30:00Z".into(),
        location: "Altis".into(),
        changes: vec![change("M2A1 Slammer", -2), change("Hunter", 1)],
    };
    let full = CloseView {
        id: 3,
        name: "Operation Arrowhead".into(),
        start: "2026-01-01".into(),
        end: "2026-04-01".into(),
        totals: [7, 6, 1, 2],
        entries: vec![entry("M2A1 Slammer", 4, 2, 0, 2), entry("Hunter", 3, 4, 1, 0)],
        missions: vec![
            MissionRow {
                name: "Night raid".into(),
                status: "Completed",
                date: "2026-03-14".into(),
                events: vec![event],
            },
            MissionRow { name: "Recon".into(), status: "Planned", date: String::new(), events: Vec::new() },
        ],
    };
    let empty = CloseView {
        id: 4,
        name: "Empty".into(),
        start: "2026-01-01".into(),
        end: String::new(),
        totals: [0; 4],
        entries: Vec::new(),
        missions: Vec::new(),
    };
    vec![
        ("admin/close.html", serde_json::to_value(full).unwrap_or_default()),
        ("admin/close.html", serde_json::to_value(empty).unwrap_or_default()),
    ]
}
