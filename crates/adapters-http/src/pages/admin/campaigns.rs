//! `GET /admin` (every campaign with its status, dates and actions) and
//! `POST /admin/campaigns/{id}/activate`.

use super::refusal;
use crate::AppState;
use crate::web::{Flash, HttpError, Page, StaffOnly, Ui, redirect_back};
use application::App;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::{Campaign, CampaignId, CampaignStatus};
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/admin", get(dashboard::<A>)).route("/admin/campaigns/{id}/activate", post(activate::<A>))
}

/// One campaign row of the dashboard.
#[derive(Debug, Serialize)]
struct CampaignRow {
    id: i64,
    name: String,
    status: &'static str,
    start: String,
    end: String,
    /// Neither active nor closed: it may be activated.
    planned: bool,
    /// Not closed: it may be edited and closed.
    open: bool,
}

impl From<&Campaign> for CampaignRow {
    fn from(campaign: &Campaign) -> Self {
        let dates = &campaign.details().dates;
        Self {
            id: campaign.id().get(),
            name: campaign.name().to_string(),
            status: campaign.status().as_str(),
            start: dates.start().to_string(),
            end: dates.end().map(|d| d.to_string()).unwrap_or_default(),
            planned: campaign.status() == CampaignStatus::Planned,
            open: !campaign.is_closed(),
        }
    }
}

/// The dashboard's view.
#[derive(Debug, Serialize)]
struct DashboardView {
    campaigns: Vec<CampaignRow>,
}

/// `GET /admin`. Listing campaigns is open to all staff (managers pick reports), so the
/// admin area asks the application's admin check first.
async fn dashboard<A: App>(State(state): State<AppState<A>>, staff: StaffOnly, ui: Ui) -> Result<Response, HttpError> {
    let campaigns = state.tracker.campaigns_to_manage(&staff.actor).await?;
    let view = DashboardView { campaigns: campaigns.iter().map(CampaignRow::from).collect() };
    ui.render(Page::new("admin/campaigns.html", "Campaigns", &view).crumb("Admin", "/admin")).await
}

/// `POST /admin/campaigns/{id}/activate`: the campaign becomes the active one.
async fn activate<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let outcome = state.tracker.activate_campaign(&staff.actor, CampaignId::new(id)).await;
    redirect_back(&ui, "/admin", outcome.map(|()| Flash::success("The campaign is now the active one.")), refusal).await
}

/// Fixture views for this module's template.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let row = |id, name: &str, status: CampaignStatus| CampaignRow {
        id,
        name: name.into(),
        status: status.as_str(),
        start: "2026-01-01".into(),
        end: if status == CampaignStatus::Closed { "2026-02-01".into() } else { String::new() },
        planned: status == CampaignStatus::Planned,
        open: status != CampaignStatus::Closed,
    };
    let full = DashboardView {
        campaigns: vec![
            row(1, "Operation Arrowhead", CampaignStatus::Active),
            row(2, "Operation Harvest Red", CampaignStatus::Planned),
            row(3, "Operation Flashpoint", CampaignStatus::Closed),
        ],
    };
    let empty = DashboardView { campaigns: Vec::new() };
    vec![
        ("admin/campaigns.html", serde_json::to_value(full).unwrap_or_default()),
        ("admin/campaigns.html", serde_json::to_value(empty).unwrap_or_default()),
    ]
}
