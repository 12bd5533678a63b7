//! The JSON API, v1, under `/api/v1`: the active campaign's public data for anyone,
//! and, with a bearer token, any campaign, its report, and the writes a manager or
//! admin makes on the pages (missions, events and their asset changes, pool entries).
//! The OpenAPI 3.1 document is made from the handlers' annotations and served at
//! `/api/v1/openapi.json`; `/api` renders it as the reference page.
//!
//! Invariants:
//! - Each handler calls the use case its page calls: the API adds no rule.
//! - Cookies never authenticate here (the router has no session layer), so CSRF cannot
//!   apply; writes need a token ([`input::TokenCaller`]), and every write names its
//!   token in its audit entry.
//! - Every route is in [`ApiDoc`] and every documented path is routed: a test compares
//!   the router's table with the document.
//! - Errors have one shape ([`error::ErrorBody`]); pages of lists are cut by `limit`
//!   and an opaque `cursor`; times are RFC 3339 UTC.

mod error;
mod input;
mod model;
mod reads;
mod writes;

use crate::AppState;
use application::App;
use axum::Router;
use axum::routing::{delete, get, post, put};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub(crate) use error::error_body;
pub(crate) use input::IDEMPOTENCY_KEY;

/// The OpenAPI document of every API route.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "ARMA 3 Asset Tracker API",
        version = "1",
        description = "Read the active campaign without a token; with a token (made on your profile page), read any campaign and record missions, events and asset changes as your role allows. Every error is `{\"error\": {\"code\", \"message\", \"field\"}}`. Lists are paged with `limit` and `cursor`; times are RFC 3339 UTC. See docs/API.md for examples."
    ),
    paths(
        reads::active_campaign,
        reads::public_pool,
        reads::public_missions,
        reads::public_mission,
        reads::timeline,
        reads::campaigns,
        reads::campaign,
        reads::report,
        reads::campaign_missions,
        reads::mission,
        reads::event,
        writes::create_mission,
        writes::update_mission,
        writes::create_event,
        writes::update_event,
        writes::add_change,
        writes::delete_change,
        writes::set_initial,
        writes::set_public,
        openapi_json,
    ),
    modifiers(&BearerToken),
    tags(
        (name = "public", description = "The active campaign, as anyone sees it; no token needed"),
        (name = "staff", description = "Needs a token; acts with its owner's current role"),
    )
)]
pub(crate) struct ApiDoc;

/// Declares the bearer-token scheme the staff routes name.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token from your profile page: `Authorization: Bearer atk_…`"))
                    .build(),
            ),
        );
    }
}

/// Every API route. Any other path under `/api/` meets the site's 404, which the
/// error-page layer answers in the API's error shape.
pub(crate) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1/campaign", get(reads::active_campaign::<A>))
        .route("/api/v1/pool", get(reads::public_pool::<A>))
        .route("/api/v1/missions", get(reads::public_missions::<A>))
        .route("/api/v1/missions/{id}/events", get(reads::public_mission::<A>).post(writes::create_event::<A>))
        .route("/api/v1/timeline", get(reads::timeline::<A>))
        .route("/api/v1/campaigns", get(reads::campaigns::<A>))
        .route("/api/v1/campaigns/{id}", get(reads::campaign::<A>))
        .route("/api/v1/campaigns/{id}/report", get(reads::report::<A>))
        .route("/api/v1/campaigns/{id}/missions", get(reads::campaign_missions::<A>).post(writes::create_mission::<A>))
        .route("/api/v1/missions/{id}", get(reads::mission::<A>).put(writes::update_mission::<A>))
        .route("/api/v1/events/{id}", get(reads::event::<A>).put(writes::update_event::<A>))
        .route("/api/v1/events/{id}/changes", post(writes::add_change::<A>))
        .route("/api/v1/changes/{id}", delete(writes::delete_change::<A>))
        .route("/api/v1/pool-entries/{id}/initial", put(writes::set_initial::<A>))
        .route("/api/v1/pool-entries/{id}/public", put(writes::set_public::<A>))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "public",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json", body = Object)))]
async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
