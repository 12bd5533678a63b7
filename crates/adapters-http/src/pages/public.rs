//! The public pages (no login): the active campaign's dashboard (`dashboard`), the
//! timeline (`timeline`), its missions (`missions`), the closed campaigns and their final reports (`archive`) and
//! the API's reference (`api_reference`).
//!
//! Invariant: these pages show only what the public read models carry (hidden pool
//! entries and staff notes are already left out by the tracker), and every visitor,
//! logged in or not, sees the same content.

mod api_reference;
mod archive;
mod dashboard;
mod missions;
mod timeline;
mod views;

use crate::AppState;
use application::App;
use axum::Router;
use axum::routing::get;

/// The routes of this module.
pub(crate) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/", get(dashboard::dashboard::<A>))
        .route("/timeline", get(timeline::timeline::<A>))
        .route("/missions", get(missions::list::<A>))
        .route("/missions/{id}", get(missions::mission::<A>))
        .route("/campaigns", get(archive::list::<A>))
        .route("/campaigns/{id}", get(archive::report::<A>))
        .route("/campaigns/{id}/report.csv", get(archive::report_csv::<A>))
        .route("/campaigns/{id}/report.json", get(archive::report_json::<A>))
        .route("/api", get(api_reference::reference))
}

/// A fixture view for each template of this module, rendered by the template smoke test.
#[cfg(test)]
pub(crate) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    [
        dashboard::template_fixtures(),
        timeline::template_fixtures(),
        missions::template_fixtures(),
        archive::template_fixtures(),
        api_reference::template_fixtures(),
    ]
    .concat()
}
