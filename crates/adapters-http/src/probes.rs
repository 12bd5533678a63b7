//! `/health` (the process runs), `/ready` (the database answers in time) and
//! `/metrics` (Prometheus text, served by the separate metrics listener only). Cheap
//! enough for a load balancer every few seconds.

use crate::AppState;
use application::App;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Answers 200 while the process runs.
pub(crate) async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "healthy" }))
}

/// Answers 200 when the database answers a query within the configured time, else
/// 503 with a reason that reveals nothing internal.
pub(crate) async fn ready<A: App>(State(state): State<AppState<A>>) -> Response {
    let wait = state.settings.ready_timeout;
    match tokio::time::timeout(wait, state.tracker.check_storage()).await {
        Ok(Ok(())) => Json(json!({ "status": "ready" })).into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, cause = ?std::error::Error::source(&e), "readiness check failed");
            unavailable("the database is not reachable")
        }
        Err(_) => {
            tracing::warn!(timeout_ms = wait.as_millis(), "readiness check timed out");
            unavailable(&format!("the database did not answer within {} ms", wait.as_millis()))
        }
    }
}

fn unavailable(reason: &str) -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "reason": reason }))).into_response()
}

/// The Prometheus metrics.
pub(crate) async fn metrics(render: crate::MetricsRenderer) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], render()).into_response()
}
