//! The API's writes, each with a token: missions, events and their asset changes, and
//! pool entries. Each handler calls the use case a form calls, so no rule is written
//! twice, then answers the object as saved.
//!
//! Invariants: a create takes the `Idempotency-Key` header as a form takes its hidden
//! key: a retry with the same key creates nothing more and answers the first object;
//! the other writes set absolute values, so repeating them changes nothing more.

use super::error::{ApiError, ErrorBody};
use super::input::{Body, Id, IdempotencyKey, TokenCaller};
use super::model::{
    ChangeInputDoc, EventDoc, EventFieldsDoc, EventInputDoc, InitialInputDoc, MissionDoc, MissionInputDoc,
    PoolEntryDoc, PublicInputDoc, PublicStateDoc,
};
use crate::AppState;
use application::events::{AddChange, ChangeInput, EventFields, EventInput};
use application::missions::MissionInput;
use application::pool::{SetInitialQuantity, SetPoolEntryPublic};
use application::{Actor, App};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::{AssetChangeId, CampaignId, EventId, MissionId, PoolEntryId};

fn mission_input(doc: MissionInputDoc, key: Option<String>) -> MissionInput {
    MissionInput {
        name: doc.name,
        description: doc.description,
        date: doc.date,
        location: doc.location,
        status: doc.status,
        map_edit_url: doc.map_edit_url,
        map_view_url: doc.map_view_url,
        idempotency_key: key,
    }
}

fn change_input(doc: ChangeInputDoc) -> ChangeInput {
    ChangeInput { pool_entry_id: doc.pool_entry_id.to_string(), delta: doc.delta.to_string(), note: doc.note }
}

fn event_fields(doc: EventFieldsDoc) -> EventFields {
    EventFields {
        kind: doc.kind,
        title: doc.title,
        description: doc.description,
        occurred_at: doc.occurred_at,
        location: doc.location,
        notes: doc.notes,
    }
}

/// 201 with `Location` and the created object.
fn created(location: String, body: impl serde::Serialize) -> Response {
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

async fn event_doc<A: App>(state: &AppState<A>, actor: &Actor, id: EventId) -> Result<EventDoc, ApiError> {
    Ok(EventDoc::of(&state.tracker.event(actor, id).await?))
}

async fn mission_doc<A: App>(state: &AppState<A>, actor: &Actor, id: MissionId) -> Result<MissionDoc, ApiError> {
    let view = state.tracker.mission(actor, id).await?;
    Ok(MissionDoc::counted(&view.mission, view.events.len() as u64))
}

/// Adds a mission at the end of a campaign's order.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/missions", tag = "staff", security(("token" = [])),
    params(
        ("id" = i64, Path, description = "The campaign's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique text of 8 to 128 characters (a UUID): a retry with the same key creates nothing more"),
    ),
    request_body = MissionInputDoc,
    responses(
        (status = 201, description = "The mission as saved (the first one, when the key was used before)", body = MissionDoc,
            links(
                ("mission" = (operation_id = "mission", parameters(("id" = "$response.body#/id")))),
                ("edit" = (operation_id = "update_mission", parameters(("id" = "$response.body#/id")))),
                ("new_event" = (operation_id = "create_event", parameters(("id" = "$response.body#/id"))))
            )),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner does not run this campaign", body = ErrorBody),
        (status = 404, description = "No such campaign", body = ErrorBody),
        (status = 409, description = "The campaign is closed, or the key was used for another request", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid (`field` names it)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn create_mission<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(campaign): Id,
    IdempotencyKey(key): IdempotencyKey,
    Body(doc): Body<MissionInputDoc>,
) -> Result<Response, ApiError> {
    let id = state.tracker.create_mission(&actor, CampaignId::new(campaign), mission_input(doc, key)).await?;
    let doc = mission_doc(&state, &actor, id).await?;
    Ok(created(format!("/api/v1/missions/{}", id.get()), doc))
}

/// Replaces a mission's fields (an empty `status` keeps it).
#[utoipa::path(put, path = "/api/v1/missions/{id}", tag = "staff", security(("token" = [])),
    params(("id" = i64, Path, description = "The mission's id")),
    request_body = MissionInputDoc,
    responses(
        (status = 200, description = "The mission as saved", body = MissionDoc),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner does not run its campaign", body = ErrorBody),
        (status = 404, description = "No such mission", body = ErrorBody),
        (status = 409, description = "The campaign is closed", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid (`field` names it)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn update_mission<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(id): Id,
    Body(doc): Body<MissionInputDoc>,
) -> Result<Json<MissionDoc>, ApiError> {
    let id = MissionId::new(id);
    state.tracker.update_mission(&actor, id, mission_input(doc, None)).await?;
    Ok(Json(mission_doc(&state, &actor, id).await?))
}

/// Records an event of a mission with its asset changes: all of them, or nothing.
#[utoipa::path(post, path = "/api/v1/missions/{id}/events", tag = "staff", security(("token" = [])),
    params(
        ("id" = i64, Path, description = "The mission's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique text of 8 to 128 characters (a UUID): a retry with the same key records nothing more"),
    ),
    request_body = EventInputDoc,
    responses(
        (status = 201, description = "The event as saved (the first one, when the key was used before)", body = EventDoc,
            links(
                ("event" = (operation_id = "event", parameters(("id" = "$response.body#/id")))),
                ("edit" = (operation_id = "update_event", parameters(("id" = "$response.body#/id")))),
                ("new_change" = (operation_id = "add_change", parameters(("id" = "$response.body#/id")))),
                ("first_change" = (operation_id = "delete_change", parameters(("id" = "$response.body#/changes/0/id"))))
            )),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner does not run its campaign", body = ErrorBody),
        (status = 404, description = "No such mission", body = ErrorBody),
        (status = 409, description = "The ledger refuses a change (`ledger` names the asset, the available and the asked quantity), the campaign is closed, or the key was used for another request", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid (`field` names it, such as `changes[1].delta`)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn create_event<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(mission): Id,
    IdempotencyKey(key): IdempotencyKey,
    Body(doc): Body<EventInputDoc>,
) -> Result<Response, ApiError> {
    let EventInputDoc { kind, title, description, occurred_at, location, notes, changes } = doc;
    let fields = event_fields(EventFieldsDoc { kind, title, description, occurred_at, location, notes });
    let input = EventInput { fields, changes: changes.into_iter().map(change_input).collect(), idempotency_key: key };
    let id = state.tracker.create_event(&actor, MissionId::new(mission), input).await?;
    let doc = event_doc(&state, &actor, id).await?;
    Ok(created(format!("/api/v1/events/{}", id.get()), doc))
}

/// Replaces an event's fields (its asset changes are added and removed one by one).
#[utoipa::path(put, path = "/api/v1/events/{id}", tag = "staff", security(("token" = [])),
    params(("id" = i64, Path, description = "The event's id")),
    request_body = EventFieldsDoc,
    responses(
        (status = 200, description = "The event as saved", body = EventDoc),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner does not run its campaign", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
        (status = 409, description = "The campaign is closed", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid (`field` names it)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn update_event<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(id): Id,
    Body(doc): Body<EventFieldsDoc>,
) -> Result<Json<EventDoc>, ApiError> {
    let id = EventId::new(id);
    state.tracker.update_event(&actor, id, event_fields(doc)).await?;
    Ok(Json(event_doc(&state, &actor, id).await?))
}

/// Adds one asset change to an event, applying it to the pool.
#[utoipa::path(post, path = "/api/v1/events/{id}/changes", tag = "staff", security(("token" = [])),
    params(
        ("id" = i64, Path, description = "The event's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique text of 8 to 128 characters (a UUID): a retry with the same key adds nothing more"),
    ),
    request_body = ChangeInputDoc,
    responses(
        (status = 201, description = "The event with the change", body = EventDoc,
            links(
                ("first_change" = (operation_id = "delete_change", parameters(("id" = "$response.body#/changes/0/id"))))
            )),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner does not run its campaign", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
        (status = 409, description = "The ledger refuses the change (`ledger` names the asset, the available and the asked quantity), the campaign is closed, or the key was used for another request", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid (`field` names it)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn add_change<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(event): Id,
    IdempotencyKey(key): IdempotencyKey,
    Body(doc): Body<ChangeInputDoc>,
) -> Result<Response, ApiError> {
    let event = EventId::new(event);
    let input = AddChange { change: change_input(doc), idempotency_key: key };
    state.tracker.add_change(&actor, event, input).await?;
    let doc = event_doc(&state, &actor, event).await?;
    Ok(created(format!("/api/v1/events/{}", event.get()), doc))
}

/// Removes one asset change, reversing its effect on the pool.
#[utoipa::path(delete, path = "/api/v1/changes/{id}", tag = "staff", security(("token" = [])),
    params(("id" = i64, Path, description = "The asset change's id")),
    responses(
        (status = 204, description = "Removed and reversed"),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner does not run its campaign", body = ErrorBody),
        (status = 404, description = "No such change", body = ErrorBody),
        (status = 409, description = "The reversal would break the ledger (`ledger` says how), or the campaign is closed", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn delete_change<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    state.tracker.delete_change(&actor, AssetChangeId::new(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets a pool entry's initial quantity; the current one moves by the same amount.
#[utoipa::path(put, path = "/api/v1/pool-entries/{id}/initial", tag = "staff", security(("token" = [])),
    params(("id" = i64, Path, description = "The pool entry's id")),
    request_body = InitialInputDoc,
    responses(
        (status = 200, description = "The entry as saved", body = PoolEntryDoc),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner does not run its campaign", body = ErrorBody),
        (status = 404, description = "No such pool entry", body = ErrorBody),
        (status = 409, description = "More was lost than the new quantity allows (`ledger`), or the campaign is closed", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Not a quantity (or above 1 for a unique asset)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn set_initial<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(id): Id,
    Body(doc): Body<InitialInputDoc>,
) -> Result<Json<PoolEntryDoc>, ApiError> {
    let cmd = SetInitialQuantity { initial: doc.initial.to_string() };
    let entry = state.tracker.set_initial_quantity(&actor, PoolEntryId::new(id), cmd).await?;
    Ok(Json(PoolEntryDoc::of(&entry)))
}

/// Shows a pool entry to the public or hides it.
#[utoipa::path(put, path = "/api/v1/pool-entries/{id}/public", tag = "staff", security(("token" = [])),
    params(("id" = i64, Path, description = "The pool entry's id")),
    request_body = PublicInputDoc,
    responses(
        (status = 200, description = "Whether the entry is now public", body = PublicStateDoc),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner does not run its campaign", body = ErrorBody),
        (status = 404, description = "No such pool entry", body = ErrorBody),
        (status = 409, description = "The campaign is closed", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "`public` is not a boolean", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn set_public<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(id): Id,
    Body(doc): Body<PublicInputDoc>,
) -> Result<Json<PublicStateDoc>, ApiError> {
    let cmd = SetPoolEntryPublic { public: doc.public.to_string() };
    let public = state.tracker.set_pool_entry_public(&actor, PoolEntryId::new(id), cmd).await?;
    Ok(Json(PublicStateDoc { id, public }))
}
