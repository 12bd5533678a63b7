//! `GET`+`POST /manage/missions/{id}/events/new`: the event form with its change rows
//! (at least five; `?rows=N` offers more), recorded all or nothing.
//!
//! A refused form comes back (422) with every row as typed: field messages beside the
//! fields, row messages on their rows, and a ledger refusal ("not enough Hunter: 1
//! available, 2 asked") at the top.

use super::event_rows::{EventForm, MAX_ROWS, MIN_ROWS, Rejection, RowError, RowForm};
use super::views::{EventFieldsForm, SelectOption, datetime_local, entry_options, kind_options};
use super::{renew_bad_key, under_mission};
use crate::AppState;
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, idempotency_key};
use application::App;
use application::events::ChangeInput;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use domain::{Mission, MissionId, PoolEntry};
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/manage/missions/{id}/events/new", get(new_form::<A>).post(create::<A>))
}

/// One change row as rendered.
#[derive(Debug, Serialize)]
struct RowView {
    number: usize,
    entry: String,
    delta: String,
    note: String,
    error: Option<String>,
    entry_invalid: bool,
    delta_invalid: bool,
    note_invalid: bool,
}

/// The event form's view.
#[derive(Debug, Serialize)]
struct EventFormView {
    mission_id: i64,
    mission_name: String,
    form: EventFieldsForm,
    idempotency_key: String,
    kinds: Vec<SelectOption>,
    entries: Vec<SelectOption>,
    rows: Vec<RowView>,
    more_rows: usize,
    errors: FormErrors,
}

/// The rows to render: those submitted, in order, then blank ones up to `count`.
fn row_views(rows: &[RowForm], count: usize, errors: &[RowError]) -> Vec<RowView> {
    let blank = RowForm::default();
    (0..rows.len().max(count))
        .map(|i| {
            let row = rows.get(i).unwrap_or(&blank);
            let error = errors.iter().find(|e| e.row == i + 1);
            let on = |field: &str| error.is_some_and(|e| e.field == field);
            RowView {
                number: i + 1,
                entry: row.entry.clone(),
                delta: row.delta.clone(),
                note: row.note.clone(),
                error: error.map(|e| e.message.clone()),
                entry_invalid: on(ChangeInput::ENTRY),
                delta_invalid: on(ChangeInput::DELTA),
                note_invalid: on(ChangeInput::NOTE),
            }
        })
        .collect()
}

fn page(mission: &Mission, pool: &[PoolEntry], form: EventForm, count: usize, rejection: Rejection) -> Page {
    let rows = row_views(&form.rows, count, &rejection.rows);
    let view = EventFormView {
        mission_id: mission.id.get(),
        mission_name: mission.details.name.to_string(),
        more_rows: (rows.len() + MIN_ROWS).min(MAX_ROWS),
        form: form.fields,
        idempotency_key: form.idempotency_key,
        kinds: kind_options(),
        entries: entry_options(pool),
        rows,
        errors: rejection.errors,
    };
    under_mission(Page::new("manage/event_form.html", "Record event", &view), mission)
}

/// `?rows=N`: how many change rows to offer.
#[derive(Debug, Deserialize)]
struct RowsQuery {
    rows: Option<usize>,
}

/// `GET /manage/missions/{id}/events/new`.
async fn new_form<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Query(query): Query<RowsQuery>,
) -> Result<Response, HttpError> {
    let found = state.tracker.event_form_page(&staff.actor, MissionId::new(id)).await?;
    let fields = EventFieldsForm {
        kind: "Combat".into(),
        occurred_at: datetime_local(state.clock.now()),
        ..EventFieldsForm::default()
    };
    let form = EventForm { fields, rows: Vec::new(), idempotency_key: idempotency_key() };
    let count = query.rows.unwrap_or(MIN_ROWS).clamp(MIN_ROWS, MAX_ROWS);
    ui.render(page(&found.mission, &found.pool, form, count, Rejection::default())).await
}

/// `POST /manage/missions/{id}/events/new`: records the event, then shows it.
async fn create<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, HttpError> {
    let form = EventForm::parse(&body)?;
    let mission = MissionId::new(id);
    match state.tracker.create_event(&staff.actor, mission, form.command()).await {
        Ok(event) => ui.see_other(&format!("/manage/events/{event}"), Flash::success("Event recorded.")).await,
        Err(e) => {
            let (mut rejection, mut form) = (Rejection::of(e)?, form);
            renew_bad_key(&mut rejection.errors, &mut form.idempotency_key);
            let found = state.tracker.mission_page(&staff.actor, mission).await?;
            ui.render(page(&found.mission, &found.pool, form, MIN_ROWS, rejection).invalid()).await
        }
    }
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let mut errors = FormErrors::message("Not enough Hunter: 1 available, 2 asked.");
    errors.fields.insert("title".into(), "must not be empty".into());
    errors.fields.insert("occurred_at".into(), "must be a date and time such as 2026-03-14T18:30".into());
    let typed = vec![
        RowForm { entry: "1".into(), delta: "-2".into(), note: "Destroyed".into() },
        RowForm { entry: "2".into(), delta: "0".into(), note: String::new() },
    ];
    let row_errors = vec![
        RowError { row: 2, field: ChangeInput::DELTA, message: "Quantity change must not be zero".into() },
        RowError { row: 1, field: ChangeInput::NOTE, message: "Note is too long".into() },
    ];
    let entries = vec![
        SelectOption { value: String::new(), label: "Choose an asset".into() },
        SelectOption { value: "1".into(), label: "M2A1 Slammer (current 3)".into() },
        SelectOption { value: "2".into(), label: "Hunter (current 1)".into() },
    ];
    let view = EventFormView {
        mission_id: 3,
        mission_name: "Dawn raid".into(),
        form: EventFieldsForm {
            kind: "Logistics".into(),
            occurred_at: "2026-03-14T18:30".into(),
            ..Default::default()
        },
        idempotency_key: "0123456789abcdef0123456789abcdef".into(),
        kinds: kind_options(),
        entries,
        rows: row_views(&typed, MIN_ROWS, &row_errors),
        more_rows: 10,
        errors,
    };
    vec![("manage/event_form.html", serde_json::to_value(view).unwrap_or_default())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submitted_rows_are_kept_and_blank_rows_fill_the_form_up() {
        let typed = vec![RowForm { entry: "1".into(), delta: "0".into(), note: String::new() }];
        let errors =
            [RowError { row: 1, field: ChangeInput::DELTA, message: "Quantity change must not be zero".into() }];
        let rows = row_views(&typed, MIN_ROWS, &errors);
        assert_eq!(rows.len(), MIN_ROWS);
        assert_eq!((rows[0].entry.as_str(), rows[0].delta.as_str()), ("1", "0"));
        assert!(rows[0].delta_invalid && !rows[0].entry_invalid);
        assert!(rows[1].error.is_none() && rows[1].entry.is_empty());
    }
}
