//! `GET /manage/events/{id}/delete` (a confirmation listing the quantities the deletion
//! restores, or why it would be refused) and `POST` (deletes, then the mission's page).

use super::views::RestorationView;
use super::{EventScope, refusal, under_event};
use crate::AppState;
use crate::web::{Flash, HttpError, Page, StaffOnly, Ui, form_errors};
use application::ports::{Clock, PasswordHasher, Store};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use domain::EventId;
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<S: Store, H: PasswordHasher, C: Clock>() -> Router<AppState<S, H, C>> {
    Router::new().route("/manage/events/{id}/delete", get(confirm::<S, H, C>).post(delete::<S, H, C>))
}

/// The confirmation's view: what will be restored, or why nothing can be deleted.
#[derive(Debug, Serialize)]
struct EventDeleteView {
    id: i64,
    event_title: String,
    change_count: usize,
    restorations: Vec<RestorationView>,
    blocked: Option<String>,
}

/// `GET /manage/events/{id}/delete`.
async fn confirm<S: Store, H: PasswordHasher, C: Clock>(
    State(state): State<AppState<S, H, C>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let scope = EventScope::load(&state.tracker, &staff.actor, EventId::new(id)).await?;
    let (restorations, blocked) = match state.tracker.event_deletion_preview(&staff.actor, scope.event.id).await {
        Ok(restorations) => (RestorationView::all(&restorations), None),
        Err(e) => (Vec::new(), Some(form_errors(e)?.form.unwrap_or_else(|| "This event cannot be deleted.".into()))),
    };
    let view = EventDeleteView {
        id,
        event_title: scope.event.details.title.to_string(),
        change_count: scope.event.changes.len(),
        restorations,
        blocked,
    };
    let page = Page::new("manage/event_delete.html", "Delete event", &view);
    ui.render(under_event(page, &scope.mission, &scope.event)).await
}

/// `POST /manage/events/{id}/delete`: deletes the event, reversing its changes.
async fn delete<S: Store, H: PasswordHasher, C: Clock>(
    State(state): State<AppState<S, H, C>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let scope = EventScope::load(&state.tracker, &staff.actor, EventId::new(id)).await?;
    match state.tracker.delete_event(&staff.actor, scope.event.id).await {
        Ok(()) => {
            let mission = format!("/manage/missions/{}", scope.mission.id);
            let message = format!("Event \"{}\" deleted; its changes were reversed.", scope.event.details.title);
            ui.see_other(&mission, Flash::success(message)).await
        }
        Err(e) => ui.see_other(&format!("/manage/events/{id}/delete"), refusal(e)?).await,
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
    let ready = EventDeleteView {
        id: 5,
        event_title: "Convoy ambush".into(),
        change_count: 2,
        restorations: vec![restoration("M2A1 Slammer", 1, 3, "+2", true), restoration("Hunter", 2, 1, "-1", false)],
        blocked: None,
    };
    let blocked = EventDeleteView {
        id: 5,
        event_title: "Resupply".into(),
        change_count: 1,
        restorations: Vec::new(),
        blocked: Some("Not enough Hunter: 0 available, 1 asked.".into()),
    };
    let empty = EventDeleteView {
        id: 6,
        event_title: "Briefing".into(),
        change_count: 0,
        restorations: Vec::new(),
        blocked: None,
    };
    vec![
        ("manage/event_delete.html", serde_json::to_value(ready).unwrap_or_default()),
        ("manage/event_delete.html", serde_json::to_value(blocked).unwrap_or_default()),
        ("manage/event_delete.html", serde_json::to_value(empty).unwrap_or_default()),
    ]
}
