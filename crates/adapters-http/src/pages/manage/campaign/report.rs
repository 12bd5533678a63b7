//! `GET /manage/reports` (every campaign, to pick a report),
//! `GET /manage/campaigns/{cid}/report[?asset=N]` (one campaign's report: totals, its
//! charts, the pool with gains and losses, the missions with their events and changes) and
//! `GET /manage/campaigns/{cid}/report.csv` (its pool as CSV) and
//! `GET /manage/campaigns/{cid}/report.json` (all of it, with its audit entries, as JSON).
//!
//! Invariant: a closed campaign's report is the one archived when it closed (the use
//! case returns it); this page only formats what it is given.

use crate::AppState;
use crate::pages::report_csv::{self, CsvQuery};
use crate::pages::report_json;
use crate::pages::report_view::{CampaignRow, ChartQuery, ReportView};
use crate::web::{HttpError, Page, StaffOnly, Ui};
use application::App;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use domain::CampaignId;
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/manage/reports", get(list::<A>))
        .route("/manage/campaigns/{cid}/report", get(show::<A>))
        .route("/manage/campaigns/{cid}/report.csv", get(csv::<A>))
        .route("/manage/campaigns/{cid}/report.json", get(json::<A>))
}

/// The list of campaigns' view.
#[derive(Debug, Serialize)]
struct ReportsView {
    campaigns: Vec<CampaignRow>,
}

/// `GET /manage/reports`.
async fn list<A: App>(State(state): State<AppState<A>>, staff: StaffOnly, ui: Ui) -> Result<Response, HttpError> {
    let campaigns = state.tracker.list_campaigns(&staff.actor).await?;
    let view = ReportsView { campaigns: campaigns.iter().map(CampaignRow::from).collect() };
    ui.render(Page::new("manage/reports.html", "Reports", &view).crumb("Manage", "/manage")).await
}

/// `GET /manage/campaigns/{cid}/report`.
async fn show<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(cid): Path<i64>,
    Query(chart): Query<ChartQuery>,
) -> Result<Response, HttpError> {
    let id = CampaignId::new(cid);
    let report = state.tracker.campaign_report(&staff.actor, id).await?;
    let view = ReportView::new(&report, chart.asset.as_deref());
    let title = format!("Report: {}", report.campaign_name);
    let page =
        Page::new("manage/report.html", title, &view).crumb("Manage", "/manage").crumb("Reports", "/manage/reports");
    let page = page.campaign(id);
    ui.render(if view.asset_error().is_some() { page.invalid() } else { page }).await
}

/// `GET /manage/campaigns/{cid}/report.csv`.
async fn csv<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    Path(cid): Path<i64>,
    Query(query): Query<CsvQuery>,
) -> Result<Response, HttpError> {
    let report = state.tracker.campaign_report(&staff.actor, CampaignId::new(cid)).await?;
    Ok(report_csv::response(&report, &query))
}

/// `GET /manage/campaigns/{cid}/report.json`: the report with the campaign's audit entries.
async fn json<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    Path(cid): Path<i64>,
) -> Result<Response, HttpError> {
    let (report, audit) = state.tracker.campaign_export(&staff.actor, CampaignId::new(cid)).await?;
    Ok(report_json::response(&report, Some(&audit)))
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
    vec![
        ("manage/reports.html", serde_json::to_value(list).unwrap_or_default()),
        ("manage/reports.html", serde_json::to_value(empty).unwrap_or_default()),
        ("manage/report.html", serde_json::to_value(ReportView::fixture()).unwrap_or_default()),
        ("manage/report.html", serde_json::to_value(ReportView::empty_fixture()).unwrap_or_default()),
    ]
}
