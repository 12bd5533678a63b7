//! `GET /manage/missions/{id}` (the mission, a status form and its events with their
//! changes) and `POST /manage/missions/{id}/status`.

use super::views::{EventSummary, SelectOption, status_label, status_options};
use super::{refusal, under_missions};
use crate::AppState;
use crate::web::{Flash, HttpError, Page, StaffOnly, Ui};
use application::App;
use application::missions::SetMissionStatus;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::MissionId;
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/manage/missions/{id}", get(show::<A>))
        .route("/manage/missions/{id}/status", post(set_status::<A>))
}

/// The mission page's view.
#[derive(Debug, Serialize)]
struct MissionPageView {
    id: i64,
    campaign_id: i64,
    name: String,
    description: String,
    date: String,
    location: String,
    status: &'static str,
    status_label: &'static str,
    map_edit_url: Option<String>,
    map_view_url: Option<String>,
    can_run: bool,
    statuses: Vec<SelectOption>,
    events: Vec<EventSummary>,
}

/// `GET /manage/missions/{id}`.
async fn show<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let page = state.tracker.mission_page(&staff.actor, MissionId::new(id)).await?;
    let (m, d) = (&page.mission, &page.mission.details);
    let view = MissionPageView {
        id,
        campaign_id: m.campaign_id.get(),
        name: d.name.to_string(),
        description: d.description.to_string(),
        date: d.date.map(|d| d.to_string()).unwrap_or_default(),
        location: d.location.to_string(),
        status: m.status.as_str(),
        status_label: status_label(m.status),
        map_edit_url: d.map_edit_url.as_ref().map(ToString::to_string),
        map_view_url: d.map_view_url.as_ref().map(ToString::to_string),
        can_run: page.can_run,
        statuses: status_options(),
        events: page.events.iter().map(|e| EventSummary::new(e, &page.pool)).collect(),
    };
    let rendered = Page::new("manage/mission.html", d.name.to_string(), &view);
    ui.render(under_missions(rendered, m.campaign_id)).await
}

/// The status form as submitted.
#[derive(Debug, Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
}

/// `POST /manage/missions/{id}/status`: sets the status; a refusal comes back as a flash.
async fn set_status<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, HttpError> {
    let back = format!("/manage/missions/{id}");
    let cmd = SetMissionStatus { status: form.status };
    match state.tracker.set_mission_status(&staff.actor, MissionId::new(id), cmd).await {
        Ok(status) => {
            let label = status_label(status);
            ui.see_other(&back, Flash::success(format!("Status set to {label}."))).await
        }
        Err(e) => ui.see_other(&back, refusal(e)?).await,
    }
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    use super::views::ChangeView;
    let change = |id, asset: &str, delta: &str, gain| ChangeView {
        id,
        asset: asset.into(),
        delta: delta.into(),
        gain,
        note: "Ambushed near Kavala".into(),
    };
    let event = EventSummary {
        id: 5,
        title: "Convoy ambush".into(),
        kind: "Combat",
        occurred_at: "2026-03-14T18:30:00Z".into(),
        location: "Kavala".into(),
        changes: vec![change(1, "M2A1 Slammer", "-2", false), change(2, "Hunter", "+1", true)],
    };
    let full = MissionPageView {
        id: 3,
        campaign_id: 1,
        name: "Dawn raid".into(),
        description: "Take the airfield.".into(),
        date: "2026-03-14".into(),
        location: "Altis".into(),
        status: "InProgress",
        status_label: "In progress",
        map_edit_url: Some("https://maps.example/edit".into()),
        map_view_url: Some("https://maps.example/view".into()),
        can_run: true,
        statuses: status_options(),
        events: vec![event],
    };
    let full_json = serde_json::to_value(&full).unwrap_or_default();
    let bare = MissionPageView {
        can_run: false,
        events: Vec::new(),
        map_edit_url: None,
        map_view_url: None,
        description: String::new(),
        ..full
    };
    vec![("manage/mission.html", full_json), ("manage/mission.html", serde_json::to_value(bare).unwrap_or_default())]
}
