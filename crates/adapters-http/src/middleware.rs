//! The middleware around every route: request ids, tracing spans, timeouts, body
//! limits, panic recovery and request metrics.

use crate::HttpSettings;
use crate::client_ip::ClientIpKey;
use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use std::sync::Arc;
use std::time::Duration;
use std::time::Instant;
use tower::ServiceBuilder;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The header carrying the request id, set when absent and echoed in the response.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps the routes in the middleware stack, outermost first.
pub(crate) fn wrap(routes: Router, settings: &HttpSettings) -> Router {
    let stack = ServiceBuilder::new()
        .layer(SetSensitiveHeadersLayer::new([
            axum::http::header::AUTHORIZATION,
            axum::http::header::COOKIE,
            axum::http::header::SET_COOKIE,
        ]))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, settings.request_timeout))
        .layer(RequestBodyLimitLayer::new(settings.body_limit));
    routes.layer(middleware::from_fn(record_metrics)).layer(stack)
}

/// Limits each client address to `requests_per_minute` on `routes` (a burst of that
/// many, refilled evenly over the minute); over the limit, 429 with `Retry-After`.
pub(crate) fn rate_limited<T: Clone + Send + Sync + 'static>(routes: Router<T>, settings: &HttpSettings) -> Router<T> {
    let per_minute = settings.requests_per_minute;
    if per_minute == 0 {
        return routes;
    }
    let key = ClientIpKey(Arc::new(settings.trusted_proxies.clone()));
    let Some(config) = GovernorConfigBuilder::default()
        .key_extractor(key)
        .per_millisecond((60_000 / u64::from(per_minute)).max(1))
        .burst_size(per_minute)
        .finish()
    else {
        return routes;
    };
    let limiter = Arc::clone(config.limiter());
    // Forget clients idle long enough to have a full quota again, so memory stays bounded.
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                limiter.retain_recent();
            }
        });
    }
    routes.layer(GovernorLayer::new(config))
}

/// Counts requests and their durations by route pattern (never by raw path, which
/// would let clients create unbounded series).
async fn record_metrics(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}
