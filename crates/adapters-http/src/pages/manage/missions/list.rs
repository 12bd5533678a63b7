//! `GET /manage/campaigns/{cid}/missions` (the missions in campaign order with status
//! badges) and `POST /manage/campaigns/{cid}/missions/reorder`.
//!
//! Reordering: the list is one form whose "Up"/"Down" buttons each submit `order`, the
//! campaign's complete new order as comma-separated mission ids, computed when the page
//! is rendered (the mission swapped with its neighbour). The handler passes that order
//! to `reorder_missions`, which refuses it unless it lists every mission exactly once,
//! so a page that went stale (a mission added or deleted since) changes nothing. Any
//! client (a script, the API) can post a full `order` the same way.

use super::refusal;
use super::views::status_label;
use crate::AppState;
use crate::web::{Flash, HttpError, Page, StaffOnly, Ui};
use application::App;
use application::missions::{MissionsPage, ReorderMissions};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::{CampaignId, Mission, MissionId};
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/manage/campaigns/{cid}/missions", get(list::<A>))
        .route("/manage/campaigns/{cid}/missions/reorder", post(reorder::<A>))
}

/// The mission list's view.
#[derive(Debug, Serialize)]
struct MissionsView {
    campaign_id: i64,
    campaign_name: String,
    campaign_status: &'static str,
    can_run: bool,
    missions: Vec<MissionRow>,
}

/// One mission in the list, with the orders its move buttons submit.
#[derive(Debug, Serialize)]
struct MissionRow {
    id: i64,
    position: usize,
    name: String,
    date: String,
    location: String,
    status: &'static str,
    status_label: &'static str,
    href: String,
    up_order: Option<String>,
    down_order: Option<String>,
}

/// The rows of `missions` (in campaign order).
fn rows(missions: &[Mission]) -> Vec<MissionRow> {
    let ids: Vec<MissionId> = missions.iter().map(|m| m.id).collect();
    missions
        .iter()
        .enumerate()
        .map(|(at, m)| MissionRow {
            id: m.id.get(),
            position: at + 1,
            name: m.details.name.to_string(),
            date: m.details.date.map(|d| d.to_string()).unwrap_or_default(),
            location: m.details.location.to_string(),
            status: m.status.as_str(),
            status_label: status_label(m.status),
            href: format!("/manage/missions/{}", m.id),
            up_order: (at > 0).then(|| swapped(&ids, at - 1)),
            down_order: (at + 1 < ids.len()).then(|| swapped(&ids, at)),
        })
        .collect()
}

/// `ids` with positions `at` and `at + 1` swapped, as comma-separated ids.
fn swapped(ids: &[MissionId], at: usize) -> String {
    let mut order = ids.to_vec();
    order.swap(at, at + 1);
    order.iter().map(MissionId::to_string).collect::<Vec<_>>().join(",")
}

/// `GET /manage/campaigns/{cid}/missions`.
async fn list<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(cid): Path<i64>,
) -> Result<Response, HttpError> {
    let MissionsPage { campaign, missions, can_run } =
        state.tracker.missions_page(&staff.actor, CampaignId::new(cid)).await?;
    let view = MissionsView {
        campaign_id: cid,
        campaign_name: campaign.name().to_string(),
        campaign_status: campaign.status().as_str(),
        can_run,
        missions: rows(&missions),
    };
    let page = Page::new("manage/missions.html", "Missions", &view);
    ui.render(page.crumb("Manage", "/manage").campaign(campaign.id())).await
}

/// The reorder form as submitted.
#[derive(Debug, Deserialize)]
struct ReorderForm {
    #[serde(default)]
    order: String,
}

/// `POST /manage/campaigns/{cid}/missions/reorder`: applies the submitted full order.
async fn reorder<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(cid): Path<i64>,
    Form(form): Form<ReorderForm>,
) -> Result<Response, HttpError> {
    let back = format!("/manage/campaigns/{cid}/missions");
    let order: Result<Vec<MissionId>, _> =
        form.order.split(',').filter(|s| !s.trim().is_empty()).map(|s| s.trim().parse().map(MissionId::new)).collect();
    let order = order.map_err(|_| HttpError::bad_request("The order must be mission ids separated by commas."))?;
    match state.tracker.reorder_missions(&staff.actor, CampaignId::new(cid), ReorderMissions { order }).await {
        Ok(()) => ui.see_other(&back, Flash::success("Missions reordered.")).await,
        Err(e) => ui.see_other(&back, refusal(e)?).await,
    }
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let row = |id: i64, position, status: domain::MissionStatus, up: Option<&str>, down: Option<&str>| MissionRow {
        id,
        position,
        name: format!("Operation {id}"),
        date: "2026-03-14".into(),
        location: "Altis".into(),
        status: status.as_str(),
        status_label: status_label(status),
        href: format!("/manage/missions/{id}"),
        up_order: up.map(str::to_owned),
        down_order: down.map(str::to_owned),
    };
    let missions = vec![
        row(1, 1, domain::MissionStatus::Completed, None, Some("2,1")),
        row(2, 2, domain::MissionStatus::InProgress, Some("2,1"), None),
    ];
    let full = MissionsView {
        campaign_id: 1,
        campaign_name: "Operation Harvest".into(),
        campaign_status: "Active",
        can_run: true,
        missions,
    };
    let empty = MissionsView {
        campaign_id: 2,
        campaign_name: "Operation Winter".into(),
        campaign_status: "Closed",
        can_run: false,
        missions: Vec::new(),
    };
    vec![
        ("manage/missions.html", serde_json::to_value(full).unwrap_or_default()),
        ("manage/missions.html", serde_json::to_value(empty).unwrap_or_default()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_move_submits_the_whole_order_with_one_pair_swapped() {
        let ids = [MissionId::new(4), MissionId::new(7), MissionId::new(9)];
        assert_eq!(swapped(&ids, 0), "7,4,9");
        assert_eq!(swapped(&ids, 1), "4,9,7");
    }
}
