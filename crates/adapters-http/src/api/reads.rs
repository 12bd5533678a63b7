//! The API's reads: the active campaign's public data for anyone, and any campaign,
//! mission or event for a token's owner. Each handler calls one use case.

use super::error::{ApiError, ErrorBody};
use super::input::{Caller, Id, Paging, TokenCaller, cursor_of};
use super::model::{
    CampaignDoc, CampaignPoolDoc, EventDoc, MissionDoc, MissionEventsDoc, Paged, PoolEntryDoc, PublicEventDoc,
    PublicMissionDoc,
};
use crate::AppState;
use application::App;
use application::ports::{Page, PageRequest};
use axum::Json;
use axum::extract::State;
use domain::{CampaignId, EventId, MissionId};

/// A page of `T` made from a use case's page.
fn paged<T, U>(page: Page<U>, doc: impl FnMut(U) -> T) -> Paged<T> {
    let next = (u64::from(page.request.page) < page.page_count()).then(|| cursor_of(page.request.page + 1));
    Paged { items: page.items.into_iter().map(doc).collect(), next_cursor: next, total: page.total }
}

/// A page cut from a whole list.
fn paged_list<T, U>(all: Vec<U>, request: PageRequest, doc: impl FnMut(U) -> T) -> Paged<T> {
    let total = all.len() as u64;
    let start = usize::try_from(request.offset()).unwrap_or(usize::MAX);
    let items = all.into_iter().skip(start).take(request.per_page as usize).collect();
    paged(Page { items, request, total }, doc)
}

/// The active campaign.
#[utoipa::path(get, path = "/api/v1/campaign", tag = "public",
    responses(
        (status = 200, description = "The active campaign", body = CampaignDoc),
        (status = 401, description = "A token was sent and does not work", body = ErrorBody),
        (status = 404, description = "No campaign is active (`no_active_campaign`)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn active_campaign<A: App>(
    State(state): State<AppState<A>>,
    _: Caller,
) -> Result<Json<CampaignDoc>, ApiError> {
    let (campaign, _) = state.tracker.public_pool().await?.ok_or_else(ApiError::no_active_campaign)?;
    Ok(Json(CampaignDoc::of(&campaign)))
}

/// The active campaign's public pool.
#[utoipa::path(get, path = "/api/v1/pool", tag = "public",
    responses(
        (status = 200, description = "The active campaign and its public assets, by kind then name", body = CampaignPoolDoc),
        (status = 401, description = "A token was sent and does not work", body = ErrorBody),
        (status = 404, description = "No campaign is active (`no_active_campaign`)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn public_pool<A: App>(
    State(state): State<AppState<A>>,
    _: Caller,
) -> Result<Json<CampaignPoolDoc>, ApiError> {
    let (campaign, pool) = state.tracker.public_pool().await?.ok_or_else(ApiError::no_active_campaign)?;
    Ok(Json(CampaignPoolDoc {
        campaign: CampaignDoc::of(&campaign),
        assets: pool.iter().map(PoolEntryDoc::of).collect(),
    }))
}

/// The active campaign's missions, last in the campaign's order first.
#[utoipa::path(get, path = "/api/v1/missions", tag = "public",
    params(
        ("limit" = Option<u32>, Query, description = "Items per page, 1 to 200 (50 when not given)", minimum = 1, maximum = 200),
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of missions, each with its event count", body = Paged<MissionDoc>),
        (status = 400, description = "A bad `limit` or `cursor`", body = ErrorBody),
        (status = 401, description = "A token was sent and does not work", body = ErrorBody),
        (status = 404, description = "No campaign is active (`no_active_campaign`)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn public_missions<A: App>(
    State(state): State<AppState<A>>,
    _: Caller,
    Paging(request): Paging,
) -> Result<Json<Paged<MissionDoc>>, ApiError> {
    let (_, page) = state
        .tracker
        .public_missions(request.page, request.per_page)
        .await?
        .ok_or_else(ApiError::no_active_campaign)?;
    Ok(Json(paged(page, |(m, count)| MissionDoc::counted(&m, count))))
}

/// One mission of the active campaign with a page of its events, as the public sees them.
#[utoipa::path(get, path = "/api/v1/missions/{id}/events", tag = "public",
    params(
        ("id" = i64, Path, description = "The mission's id"),
        ("limit" = Option<u32>, Query, description = "Items per page, 1 to 200 (50 when not given)", minimum = 1, maximum = 200),
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "The mission and a page of its events, oldest first", body = PublicMissionDoc),
        (status = 400, description = "A bad `limit` or `cursor`", body = ErrorBody),
        (status = 401, description = "A token was sent and does not work", body = ErrorBody),
        (status = 404, description = "No such mission in the active campaign", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn public_mission<A: App>(
    State(state): State<AppState<A>>,
    _: Caller,
    Id(id): Id,
    Paging(request): Paging,
) -> Result<Json<PublicMissionDoc>, ApiError> {
    let found = state.tracker.public_mission(MissionId::new(id), request.page, request.per_page).await?;
    Ok(Json(PublicMissionDoc {
        mission: MissionDoc::of(&found.mission),
        events: paged(found.events, PublicEventDoc::of),
    }))
}

/// The active campaign's events, newest first, as the public sees them.
#[utoipa::path(get, path = "/api/v1/timeline", tag = "public",
    params(
        ("limit" = Option<u32>, Query, description = "Items per page, 1 to 200 (50 when not given)", minimum = 1, maximum = 200),
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of events, newest first", body = Paged<PublicEventDoc>),
        (status = 400, description = "A bad `limit` or `cursor`", body = ErrorBody),
        (status = 401, description = "A token was sent and does not work", body = ErrorBody),
        (status = 404, description = "No campaign is active (`no_active_campaign`)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn timeline<A: App>(
    State(state): State<AppState<A>>,
    _: Caller,
    Paging(request): Paging,
) -> Result<Json<Paged<PublicEventDoc>>, ApiError> {
    let (_, page) =
        state.tracker.timeline(request.page, request.per_page).await?.ok_or_else(ApiError::no_active_campaign)?;
    Ok(Json(paged(page, PublicEventDoc::of)))
}

/// Every campaign, newest first.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "staff", security(("token" = [])),
    params(
        ("limit" = Option<u32>, Query, description = "Items per page, 1 to 200 (50 when not given)", minimum = 1, maximum = 200),
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of campaigns", body = Paged<CampaignDoc>,
            links(
                ("campaign" = (operation_id = "campaign", parameters(("id" = "$response.body#/items/0/id"))))
            )),
        (status = 400, description = "A bad `limit` or `cursor`", body = ErrorBody),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn campaigns<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Paging(request): Paging,
) -> Result<Json<Paged<CampaignDoc>>, ApiError> {
    let all = state.tracker.list_campaigns(&actor).await?;
    Ok(Json(paged_list(all, request, |c| CampaignDoc::of(&c))))
}

/// A campaign with its whole pool (hidden entries too).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "staff", security(("token" = [])),
    params(("id" = i64, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The campaign and its pool, by kind then name", body = CampaignPoolDoc,
            links(
                ("report" = (operation_id = "report", parameters(("id" = "$request.path.id")))),
                ("missions" = (operation_id = "campaign_missions", parameters(("id" = "$request.path.id")))),
                ("new_mission" = (operation_id = "create_mission", parameters(("id" = "$request.path.id")))),
                ("entry_initial" = (operation_id = "set_initial", parameters(("id" = "$response.body#/assets/0/id")))),
                ("entry_public" = (operation_id = "set_public", parameters(("id" = "$response.body#/assets/0/id"))))
            )),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner may not see it", body = ErrorBody),
        (status = 404, description = "No such campaign", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn campaign<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(id): Id,
) -> Result<Json<CampaignPoolDoc>, ApiError> {
    let id = CampaignId::new(id);
    let campaign = state.tracker.campaign(&actor, id).await?;
    let pool = state.tracker.pool(&actor, id).await?;
    Ok(Json(CampaignPoolDoc {
        campaign: CampaignDoc::of(&campaign),
        assets: pool.iter().map(PoolEntryDoc::of).collect(),
    }))
}

/// A campaign's report: the same document as the report page's JSON download,
/// without the audit entries (see docs/EXPORTS.md).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/report", tag = "staff", security(("token" = [])),
    params(("id" = i64, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The report document (`asset-tracker.campaign-report`, described in docs/EXPORTS.md)", body = Object),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner may not see it", body = ErrorBody),
        (status = 404, description = "No such campaign", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn report<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(id): Id,
) -> Result<Json<serde_json::Value>, ApiError> {
    let report = state.tracker.campaign_report(&actor, CampaignId::new(id)).await?;
    Ok(Json(crate::pages::report_document(&report)))
}

/// A campaign's missions, in the campaign's order.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/missions", tag = "staff", security(("token" = [])),
    params(("id" = i64, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "Every mission of the campaign, in order", body = Vec<MissionDoc>,
            links(
                ("first_mission" = (operation_id = "mission", parameters(("id" = "$response.body#/0/id"))))
            )),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner may not see it", body = ErrorBody),
        (status = 404, description = "No such campaign", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn campaign_missions<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(id): Id,
) -> Result<Json<Vec<MissionDoc>>, ApiError> {
    let missions = state.tracker.missions(&actor, CampaignId::new(id)).await?;
    Ok(Json(missions.iter().map(MissionDoc::of).collect()))
}

/// A mission with every event, staff notes included.
#[utoipa::path(get, path = "/api/v1/missions/{id}", tag = "staff", security(("token" = [])),
    params(("id" = i64, Path, description = "The mission's id")),
    responses(
        (status = 200, description = "The mission and its events, oldest first", body = MissionEventsDoc,
            links(
                ("event" = (operation_id = "event", parameters(("id" = "$response.body#/events/0/id")))),
                ("new_event" = (operation_id = "create_event", parameters(("id" = "$request.path.id")))),
                ("edit" = (operation_id = "update_mission", parameters(("id" = "$request.path.id"))))
            )),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner may not see it", body = ErrorBody),
        (status = 404, description = "No such mission", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn mission<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(id): Id,
) -> Result<Json<MissionEventsDoc>, ApiError> {
    let view = state.tracker.mission(&actor, MissionId::new(id)).await?;
    Ok(Json(MissionEventsDoc {
        mission: MissionDoc::counted(&view.mission, view.events.len() as u64),
        events: view.events.iter().map(EventDoc::of).collect(),
    }))
}

/// An event with its asset changes, staff notes included.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "staff", security(("token" = [])),
    params(("id" = i64, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The event", body = EventDoc,
            links(
                ("edit" = (operation_id = "update_event", parameters(("id" = "$request.path.id")))),
                ("new_change" = (operation_id = "add_change", parameters(("id" = "$request.path.id")))),
                ("first_change" = (operation_id = "delete_change", parameters(("id" = "$response.body#/changes/0/id"))))
            )),
        (status = 401, description = "No working token", body = ErrorBody),
        (status = 403, description = "The token's owner may not see it", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub(crate) async fn event<A: App>(
    State(state): State<AppState<A>>,
    TokenCaller(actor): TokenCaller,
    Id(id): Id,
) -> Result<Json<EventDoc>, ApiError> {
    let event = state.tracker.event(&actor, EventId::new(id)).await?;
    Ok(Json(EventDoc::of(&event)))
}
