//! Every page and form of the site, one module per area, merged into one router. Each
//! module exposes `routes()` and, for the template smoke test, `template_fixtures()`.

mod account;
mod admin;
mod libraries;
mod manage;
mod public;
mod report_csv;
mod report_json;
mod report_view;

use crate::web::HttpError;
use crate::{AppState, HttpSettings};
use application::App;
use axum::Router;

pub(crate) use report_json::api_document as report_document;

/// The routes of every page, with a 404 page for any other path.
pub(crate) fn routes<A: App>(settings: &HttpSettings, state: &AppState<A>) -> Router<AppState<A>> {
    let cached = axum::middleware::from_fn_with_state(state.clone(), crate::public_cache::serve::<A>);
    Router::new()
        .merge(public::routes().route_layer(cached))
        .merge(manage::routes())
        .merge(libraries::routes())
        .merge(admin::routes())
        .merge(account::routes(settings))
        .fallback(not_found)
}

async fn not_found() -> HttpError {
    HttpError::not_found()
}

/// Every template fixture: the layout's own and each area's.
#[cfg(test)]
fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    [
        crate::web::fixtures::template_fixtures(),
        account::template_fixtures(),
        public::template_fixtures(),
        manage::template_fixtures(),
        libraries::template_fixtures(),
        admin::template_fixtures(),
    ]
    .concat()
}

#[cfg(test)]
mod tests;
