//! `GET /manage`: the staff dashboard of the active campaign (pool totals, low and
//! depleted counts, the latest missions and events), or a friendly page when no
//! campaign is active.

use crate::AppState;
use crate::web::{HttpError, Page, StaffOnly, Ui, iso};
use application::App;
use application::public::StaffDashboard;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use domain::{Event, Mission};
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/manage", get(show::<A>))
}

/// The dashboard's view: the active campaign, or `None` for the friendly page.
#[derive(Debug, Serialize)]
struct DashboardView {
    active: Option<ActiveView>,
}

/// The active campaign at a glance.
#[derive(Debug, Serialize)]
struct ActiveView {
    id: i64,
    name: String,
    status: &'static str,
    start: String,
    end: Option<String>,
    total_initial: u64,
    total_current: u64,
    low: usize,
    depleted: usize,
    missions: Vec<MissionRow>,
    events: Vec<EventRow>,
}

/// One of the latest missions.
#[derive(Debug, Serialize)]
struct MissionRow {
    id: i64,
    name: String,
    status: &'static str,
    date: Option<String>,
}

/// One of the latest events, with the sums of its gains and losses.
#[derive(Debug, Serialize)]
struct EventRow {
    id: i64,
    title: String,
    kind: &'static str,
    at: String,
    gained: u64,
    lost: u64,
}

impl From<StaffDashboard> for ActiveView {
    fn from(d: StaffDashboard) -> Self {
        let details = d.campaign.details();
        Self {
            id: d.campaign.id().get(),
            name: details.name.to_string(),
            status: d.campaign.status().as_str(),
            start: details.dates.start().to_string(),
            end: details.dates.end().map(|d| d.to_string()),
            total_initial: d.pool_total_initial,
            total_current: d.pool_total_current,
            low: d.low,
            depleted: d.depleted,
            missions: d.latest_missions.iter().map(mission_row).collect(),
            events: d.latest_events.iter().map(event_row).collect(),
        }
    }
}

fn mission_row(m: &Mission) -> MissionRow {
    MissionRow {
        id: m.id.get(),
        name: m.details.name.to_string(),
        status: m.status.as_str(),
        date: m.details.date.map(|d| d.to_string()),
    }
}

fn event_row(e: &Event) -> EventRow {
    let deltas = e.changes.iter().map(|c| c.delta.get());
    let gained = deltas.clone().filter(|d| *d > 0).map(i64::unsigned_abs).sum();
    let lost = deltas.filter(|d| *d < 0).map(i64::unsigned_abs).sum();
    EventRow {
        id: e.id.get(),
        title: e.details.title.to_string(),
        kind: e.details.kind.as_str(),
        at: iso(e.details.occurred_at),
        gained,
        lost,
    }
}

/// `GET /manage`.
async fn show<A: App>(State(state): State<AppState<A>>, staff: StaffOnly, ui: Ui) -> Result<Response, HttpError> {
    let dashboard = state.tracker.staff_dashboard(&staff.actor).await?;
    let view = DashboardView { active: dashboard.map(ActiveView::from) };
    let mut page = Page::new("manage/dashboard.html", "Staff dashboard", &view).crumb("Manage", "/manage");
    if let Some(active) = &view.active {
        page = page.campaign(domain::CampaignId::new(active.id));
    }
    ui.render(page).await
}

/// Fixture views: an active campaign with missions and events, and no active campaign.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let active = ActiveView {
        id: 3,
        name: "Operation Harvest".into(),
        status: "Active",
        start: "2026-01-01".into(),
        end: None,
        total_initial: 40,
        total_current: 35,
        low: 2,
        depleted: 1,
        missions: vec![MissionRow {
            id: 7,
            name: "Night raid".into(),
            status: "Completed",
            date: Some("2026-01-03".into()),
        }],
        events: vec![EventRow {
            id: 9,
            title: "Ambush at the bridge".into(),
            kind: "Combat",
            at: "2026-01-03T20:15:00Z".into(),
            gained: 1,
            lost: 2,
        }],
    };
    let with = DashboardView { active: Some(active) };
    let without = DashboardView { active: None };
    vec![
        ("manage/dashboard.html", serde_json::to_value(with).unwrap_or_default()),
        ("manage/dashboard.html", serde_json::to_value(without).unwrap_or_default()),
    ]
}
