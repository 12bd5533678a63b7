//! The staff pages of a campaign: the manage dashboard, the pool and the campaign
//! report (`campaign`), and missions with their events (`missions`).

mod campaign;
mod missions;

use crate::AppState;
use application::App;
use axum::Router;

/// The routes of this module.
pub(crate) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().merge(campaign::routes()).merge(missions::routes())
}

/// A fixture view for each template of this module, rendered by the template smoke test.
#[cfg(test)]
pub(crate) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    [campaign::template_fixtures(), missions::template_fixtures()].concat()
}
