//! `GET /manage/missions/{id}/delete` and `GET /manage/events/{id}/delete`: one
//! confirmation page listing the quantities the deletion restores (or why it would be
//! refused); `POST` deletes, then shows the mission list (a mission) or the mission's
//! page (an event). A refused deletion comes back to the confirmation with its flash.

use super::views::RestorationView;
use super::{refusal, under_event, under_mission};
use crate::AppState;
use crate::web::{Flash, HttpError, Page, StaffOnly, Ui, form_errors, redirect_back};
use application::App;
use application::Conflict;
use application::events::{EventDeletionPage, Restoration};
use application::missions::MissionDeletionPage;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use domain::{EventId, MissionId};
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/manage/missions/{id}/delete", get(confirm_mission::<A>).post(delete_mission::<A>))
        .route("/manage/events/{id}/delete", get(confirm_event::<A>).post(delete_event::<A>))
}

/// The confirmation's view: what will be deleted and restored, or why it cannot be.
#[derive(Debug, Serialize)]
struct DeletionView {
    /// "mission" or "event".
    what: &'static str,
    name: String,
    /// The page of the thing to delete (`/manage/missions/3`); its form posts to `{path}/delete`.
    path: String,
    /// What the deletion does, with its counts.
    summary: String,
    restorations: Vec<RestorationView>,
    blocked: Option<String>,
}

impl DeletionView {
    /// The view of `what` (at `path`) from the use case's restorations, or the
    /// conflict that would refuse the deletion, shown as `blocked`.
    fn new(
        what: &'static str,
        name: String,
        path: String,
        summary: String,
        preview: &Result<Vec<Restoration>, Conflict>,
    ) -> Result<Self, HttpError> {
        let (restorations, blocked) = match preview {
            Ok(restorations) => (RestorationView::all(restorations), None),
            Err(conflict) => {
                let message = form_errors(conflict.clone().into())?.form;
                (Vec::new(), Some(message.unwrap_or_else(|| format!("This {what} cannot be deleted."))))
            }
        };
        Ok(Self { what, name, path, summary, restorations, blocked })
    }

    /// The confirmation page, titled "Delete mission" or "Delete event".
    fn page(&self) -> Page {
        Page::new("manage/deletion.html", format!("Delete {}", self.what), self)
    }
}

/// `GET /manage/missions/{id}/delete`.
async fn confirm_mission<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let MissionDeletionPage { mission, events, restorations } =
        state.tracker.mission_deletion_page(&staff.actor, MissionId::new(id)).await?;
    let summary =
        format!("This deletes the mission and its {events} event(s), and reverses every asset change they recorded.");
    let name = mission.details.name.to_string();
    let view = DeletionView::new("mission", name, format!("/manage/missions/{id}"), summary, &restorations)?;
    ui.render(under_mission(view.page(), &mission)).await
}

/// `GET /manage/events/{id}/delete`.
async fn confirm_event<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let EventDeletionPage { mission, event, restorations } =
        state.tracker.event_deletion_page(&staff.actor, EventId::new(id)).await?;
    let summary = format!("This deletes the event and reverses its {} asset change(s).", event.changes.len());
    let name = event.details.title.to_string();
    let view = DeletionView::new("event", name, format!("/manage/events/{id}"), summary, &restorations)?;
    ui.render(under_event(view.page(), &mission, &event)).await
}

/// `POST /manage/missions/{id}/delete`: deletes the mission, reversing its changes.
async fn delete_mission<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    match state.tracker.delete_mission(&staff.actor, MissionId::new(id)).await {
        Ok(mission) => {
            let list = format!("/manage/campaigns/{}/missions", mission.campaign_id);
            let message = format!("Mission \"{}\" deleted; its changes were reversed.", mission.details.name);
            ui.see_other(&list, Flash::success(message)).await
        }
        Err(e) => redirect_back(&ui, &format!("/manage/missions/{id}/delete"), Err(e), refusal).await,
    }
}

/// `POST /manage/events/{id}/delete`: deletes the event, reversing its changes.
async fn delete_event<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    match state.tracker.delete_event(&staff.actor, EventId::new(id)).await {
        Ok(event) => {
            let mission = format!("/manage/missions/{}", event.mission_id);
            let message = format!("Event \"{}\" deleted; its changes were reversed.", event.details.title);
            ui.see_other(&mission, Flash::success(message)).await
        }
        Err(e) => redirect_back(&ui, &format!("/manage/events/{id}/delete"), Err(e), refusal).await,
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
    let view = |what, name: &str, restorations, blocked: Option<&str>| DeletionView {
        what,
        name: name.into(),
        path: format!("/manage/{what}s/3"),
        summary: format!("This deletes the {what} and reverses its 2 asset change(s)."),
        restorations,
        blocked: blocked.map(Into::into),
    };
    let two = || vec![restoration("M2A1 Slammer", 1, 3, "+2", true), restoration("Hunter", 2, 1, "-1", false)];
    let blocked = Some("Not enough Hunter: 0 available, 1 asked.");
    [
        view("mission", "Dawn raid", two(), None),
        view("mission", "Dawn raid", Vec::new(), blocked),
        view("event", "Convoy ambush", two(), None),
        view("event", "Resupply", Vec::new(), blocked),
        view("event", "Briefing", Vec::new(), None),
    ]
    .into_iter()
    .map(|v| ("manage/deletion.html", serde_json::to_value(v).unwrap_or_default()))
    .collect()
}
