//! `GET /manage/events/{id}` (the event with its changes, a delete button on each and
//! a form to add one), `POST /manage/events/{id}/changes` and
//! `POST /manage/changes/{id}/delete`.
//!
//! Ledger and closed-campaign refusals come back to the event page as error flashes;
//! an invalid added change re-renders the page (422) with its fields kept.

use super::views::{ChangeView, SelectOption, entry_options};
use super::{refusal, renew_bad_key, under_mission};
use crate::AppState;
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, idempotency_key, iso, redirect_back};
use application::App;
use application::UseCaseError;
use application::events::{AddChange, ChangeInput, EventPage};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::{AssetChangeId, EventId};
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/manage/events/{id}", get(show::<A>))
        .route("/manage/events/{id}/changes", post(add_change::<A>))
        .route("/manage/changes/{id}/delete", post(delete_change::<A>))
}

/// The add-change form as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
struct AddChangeForm {
    #[serde(default)]
    change_entry: String,
    #[serde(default)]
    change_delta: String,
    #[serde(default)]
    change_note: String,
    #[serde(default)]
    idempotency_key: String,
}

/// The event page's view.
#[derive(Debug, Serialize)]
struct EventPageView {
    id: i64,
    event_title: String,
    kind: &'static str,
    occurred_at: String,
    location: String,
    description: String,
    notes: String,
    mission_id: i64,
    can_run: bool,
    changes: Vec<ChangeView>,
    entries: Vec<SelectOption>,
    form: AddChangeForm,
    errors: FormErrors,
}

fn page(found: &EventPage, form: AddChangeForm, errors: FormErrors) -> Page {
    let (d, pool) = (&found.event.details, found.pool.as_slice());
    let view = EventPageView {
        id: found.event.id.get(),
        event_title: d.title.to_string(),
        kind: d.kind.as_str(),
        occurred_at: iso(d.occurred_at),
        location: d.location.to_string(),
        description: d.description.to_string(),
        notes: d.notes.to_string(),
        mission_id: found.mission.id.get(),
        can_run: found.can_run,
        changes: found.event.changes.iter().map(|c| ChangeView::new(c, pool)).collect(),
        entries: entry_options(pool),
        form,
        errors,
    };
    under_mission(Page::new("manage/event.html", d.title.to_string(), &view), &found.mission)
}

/// `GET /manage/events/{id}`.
async fn show<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let found = state.tracker.event_page(&staff.actor, EventId::new(id)).await?;
    let form = AddChangeForm { idempotency_key: idempotency_key(), ..AddChangeForm::default() };
    ui.render(page(&found, form, FormErrors::none())).await
}

/// `POST /manage/events/{id}/changes`: adds one change and applies it to the pool.
async fn add_change<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<AddChangeForm>,
) -> Result<Response, HttpError> {
    let back = format!("/manage/events/{id}");
    let cmd = AddChange {
        change: ChangeInput {
            pool_entry_id: form.change_entry.clone(),
            delta: form.change_delta.clone(),
            note: form.change_note.clone(),
        },
        idempotency_key: Some(form.idempotency_key.clone()).filter(|k| !k.is_empty()),
    };
    match state.tracker.add_change(&staff.actor, EventId::new(id), cmd).await {
        Ok(_) => ui.see_other(&back, Flash::success("Change added.")).await,
        Err(UseCaseError::Invalid(invalid)) => {
            let (mut errors, mut form) = (FormErrors::from(&invalid), form);
            renew_bad_key(&mut errors, &mut form.idempotency_key);
            let found = state.tracker.event_page(&staff.actor, EventId::new(id)).await?;
            ui.render(page(&found, form, errors).invalid()).await
        }
        Err(e) => ui.see_other(&back, refusal(e)?).await,
    }
}

/// The delete button's form: the event page to come back to.
#[derive(Debug, Deserialize)]
struct DeleteChangeForm {
    #[serde(default)]
    event_id: String,
}

/// `POST /manage/changes/{id}/delete`: removes the change, reversing it exactly.
async fn delete_change<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<DeleteChangeForm>,
) -> Result<Response, HttpError> {
    let back = form.event_id.parse::<i64>().map_or_else(|_| "/manage".to_owned(), |e| format!("/manage/events/{e}"));
    let outcome = state.tracker.delete_change(&staff.actor, AssetChangeId::new(id)).await;
    redirect_back(&ui, &back, outcome.map(|()| Flash::success("Change removed; the quantity was restored.")), refusal)
        .await
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let change = |id, asset: &str, delta: &str, gain| ChangeView {
        id,
        asset: asset.into(),
        delta: delta.into(),
        gain,
        note: String::new(),
    };
    let mut errors = FormErrors::none();
    errors.fields.insert("change_delta".into(), "must not be zero".into());
    errors.fields.insert("change_entry".into(), "must be chosen".into());
    let view = EventPageView {
        id: 5,
        event_title: "Convoy ambush".into(),
        kind: "Combat",
        occurred_at: "2026-03-14T18:30:00Z".into(),
        location: "Kavala".into(),
        description: "The convoy was hit at the bridge.".into(),
        notes: "Check the replay.".into(),
        mission_id: 3,
        can_run: true,
        changes: vec![change(1, "M2A1 Slammer", "-2", false), change(2, "Hunter", "+1", true)],
        entries: vec![
            SelectOption { value: String::new(), label: "Choose an asset".into() },
            SelectOption { value: "1".into(), label: "M2A1 Slammer (current 1)".into() },
        ],
        form: AddChangeForm { change_delta: "0".into(), ..AddChangeForm::default() },
        errors,
    };
    let read_only = serde_json::json!({
        "id": 6, "event_title": "Resupply", "kind": "Logistics", "occurred_at": "2026-03-15T08:00:00Z", "location": "",
        "description": "", "notes": "", "mission_id": 3, "can_run": false, "changes": [], "entries": [],
        "form": AddChangeForm::default(), "errors": FormErrors::none(),
    });
    vec![("manage/event.html", serde_json::to_value(view).unwrap_or_default()), ("manage/event.html", read_only)]
}
