//! `GET+POST /admin/campaigns/{id}/close`: the confirmation page showing the final state
//! the campaign will be archived with (built by the same use-case code that archives
//! it), and closing, which leads to the archived report.

use super::refusal;
use crate::AppState;
use crate::pages::report_view::ReportView;
use crate::web::{Flash, HttpError, Page, StaffOnly, Ui, redirect_back};
use application::App;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use domain::{CampaignId, CampaignReport};
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/admin/campaigns/{id}/close", get(confirm::<A>).post(close::<A>))
}

/// The confirmation page's view: the report that closing now would archive.
#[derive(Debug, Serialize)]
struct CloseView {
    id: i64,
    #[serde(flatten)]
    report: ReportView,
}

impl From<&CampaignReport> for CloseView {
    fn from(report: &CampaignReport) -> Self {
        Self { id: report.campaign_id.get(), report: ReportView::from(report) }
    }
}

/// `GET /admin/campaigns/{id}/close`: what closing now would archive, and the button.
async fn confirm<A: App>(
    State(state): State<AppState<A>>,
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
async fn close<A: App>(
    State(state): State<AppState<A>>,
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
    let full = CloseView { id: 3, report: ReportView::fixture() };
    let empty = CloseView { id: 4, report: ReportView::empty_fixture() };
    vec![
        ("admin/close.html", serde_json::to_value(full).unwrap_or_default()),
        ("admin/close.html", serde_json::to_value(empty).unwrap_or_default()),
    ]
}
