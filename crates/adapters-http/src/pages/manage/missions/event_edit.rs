//! `GET`+`POST /manage/events/{id}/edit`: an event's own fields; its changes are edited
//! on the event page (added or removed one at a time).

use super::under_event;
use super::views::{EventFieldsForm, SelectOption, kind_options};
use crate::AppState;
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors};
use application::App;
use application::events::EventEditPage;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use domain::{Event, EventId, Mission};
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/manage/events/{id}/edit", get(edit_form::<A>).post(update::<A>))
}

/// The edit form's view.
#[derive(Debug, Serialize)]
struct EventEditView {
    id: i64,
    form: EventFieldsForm,
    kinds: Vec<SelectOption>,
    errors: FormErrors,
}

fn page(mission: &Mission, event: &Event, form: EventFieldsForm, errors: FormErrors) -> Page {
    let view = EventEditView { id: event.id.get(), form, kinds: kind_options(), errors };
    under_event(Page::new("manage/event_edit.html", "Edit event", &view), mission, event)
}

/// `GET /manage/events/{id}/edit`.
async fn edit_form<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let EventEditPage { mission, event } = state.tracker.event_edit_page(&staff.actor, EventId::new(id)).await?;
    let form = EventFieldsForm::of(&event);
    ui.render(page(&mission, &event, form, FormErrors::none())).await
}

/// `POST /manage/events/{id}/edit`: saves the fields, then shows the event.
async fn update<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<EventFieldsForm>,
) -> Result<Response, HttpError> {
    let event = EventId::new(id);
    match state.tracker.update_event(&staff.actor, event, form.command()).await {
        Ok(()) => ui.see_other(&format!("/manage/events/{id}"), Flash::success("Event saved.")).await,
        Err(e) => {
            let errors = form_errors(e)?;
            let found = state.tracker.event_page(&staff.actor, event).await?;
            ui.render(page(&found.mission, &found.event, form, errors).invalid()).await
        }
    }
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let mut errors = FormErrors::message("The campaign is closed and can no longer be changed.");
    errors.fields.insert("title".into(), "must not be empty".into());
    errors.fields.insert("kind".into(), "must be one of Combat, Logistics, Training, Other".into());
    let form =
        EventFieldsForm { kind: "Training".into(), occurred_at: "2026-03-14T18:30".into(), ..Default::default() };
    let view = EventEditView { id: 5, form, kinds: kind_options(), errors };
    vec![("manage/event_edit.html", serde_json::to_value(view).unwrap_or_default())]
}
