//! `GET /manage/missions/{id}/delete` (a confirmation listing the quantities the
//! deletion restores, or why it would be refused) and `POST` (deletes, then the list).

use super::views::RestorationView;
use super::{MissionScope, refusal, under_mission};
use crate::AppState;
use crate::web::{Flash, HttpError, Page, StaffOnly, Ui, form_errors};
use application::ports::{Clock, PasswordHasher, Store};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use domain::MissionId;
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<S: Store, H: PasswordHasher, C: Clock>() -> Router<AppState<S, H, C>> {
    Router::new().route("/manage/missions/{id}/delete", get(confirm::<S, H, C>).post(delete::<S, H, C>))
}

/// The confirmation's view: what will be restored, or why nothing can be deleted.
#[derive(Debug, Serialize)]
struct MissionDeleteView {
    id: i64,
    name: String,
    event_count: usize,
    restorations: Vec<RestorationView>,
    blocked: Option<String>,
}

/// `GET /manage/missions/{id}/delete`.
async fn confirm<S: Store, H: PasswordHasher, C: Clock>(
    State(state): State<AppState<S, H, C>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let scope = MissionScope::load(&state.tracker, &staff.actor, MissionId::new(id)).await?;
    let (restorations, blocked) = match state.tracker.mission_deletion_preview(&staff.actor, scope.mission.id).await {
        Ok(restorations) => (RestorationView::all(&restorations), None),
        Err(e) => (Vec::new(), Some(form_errors(e)?.form.unwrap_or_else(|| "This mission cannot be deleted.".into()))),
    };
    let view = MissionDeleteView {
        id,
        name: scope.mission.details.name.to_string(),
        event_count: scope.events.len(),
        restorations,
        blocked,
    };
    let page = Page::new("manage/mission_delete.html", "Delete mission", &view);
    ui.render(under_mission(page, &scope.mission)).await
}

/// `POST /manage/missions/{id}/delete`: deletes the mission, reversing its changes.
async fn delete<S: Store, H: PasswordHasher, C: Clock>(
    State(state): State<AppState<S, H, C>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let scope = MissionScope::load(&state.tracker, &staff.actor, MissionId::new(id)).await?;
    match state.tracker.delete_mission(&staff.actor, scope.mission.id).await {
        Ok(()) => {
            let list = format!("/manage/campaigns/{}/missions", scope.mission.campaign_id);
            let message = format!("Mission \"{}\" deleted; its changes were reversed.", scope.mission.details.name);
            ui.see_other(&list, Flash::success(message)).await
        }
        Err(e) => ui.see_other(&format!("/manage/missions/{id}/delete"), refusal(e)?).await,
    }
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let restoration = |asset: &str, current, after, difference: &str, gain| RestorationView {
        asset: asset.into(),
        current,
        after,
        difference: difference.into(),
        gain,
    };
    let ready = MissionDeleteView {
        id: 3,
        name: "Dawn raid".into(),
        event_count: 2,
        restorations: vec![restoration("M2A1 Slammer", 1, 3, "+2", true), restoration("Hunter", 2, 1, "-1", false)],
        blocked: None,
    };
    let blocked = MissionDeleteView {
        id: 3,
        name: "Dawn raid".into(),
        event_count: 1,
        restorations: Vec::new(),
        blocked: Some("Not enough Hunter: 0 available, 1 asked.".into()),
    };
    vec![
        ("manage/mission_delete.html", serde_json::to_value(ready).unwrap_or_default()),
        ("manage/mission_delete.html", serde_json::to_value(blocked).unwrap_or_default()),
    ]
}
