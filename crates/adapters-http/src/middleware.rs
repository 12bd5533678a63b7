//! The middleware around every route: request ids, tracing spans, error pages, timeouts,
//! body limits, panic recovery, rate limits and request metrics.

use crate::HttpSettings;
use crate::client_ip::ClientIpKey;
use crate::client_ip::TrustedProxies;
use crate::web::{self, Views};
use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use governor::clock::QuantaInstant;
use governor::middleware::NoOpMiddleware;
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

/// Wraps the routes in the middleware stack, outermost first. Error responses made by
/// the layers inside the error-page layer (panics, timeouts, body limits, rate limits)
/// get the error page too.
pub(crate) fn wrap(routes: Router, settings: &HttpSettings, views: Arc<Views>) -> Router {
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
        .layer(middleware::from_fn_with_state(views, web::error_pages))
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, settings.request_timeout))
        .layer(RequestBodyLimitLayer::new(settings.body_limit));
    routes.layer(middleware::from_fn(record_metrics)).layer(stack)
}

/// Limits each client address to `requests_per_minute` on `routes` (a burst of that
/// many, refilled evenly over the minute); over the limit, 429 with `Retry-After`.
pub(crate) fn rate_limited<T: Clone + Send + Sync + 'static>(routes: Router<T>, settings: &HttpSettings) -> Router<T> {
    match per_client_limit(settings.requests_per_minute, &settings.trusted_proxies) {
        Some(limit) => routes.layer(limit),
        None => routes,
    }
}

/// The governor layer type built by [`per_client_limit`].
pub(crate) type ClientLimit = GovernorLayer<ClientIpKey, NoOpMiddleware<QuantaInstant>, axum::body::Body>;

/// A layer allowing each client address `per_minute` requests (a burst of that many,
/// refilled evenly over the minute), or `None` for no limit (0).
pub(crate) fn per_client_limit(per_minute: u32, proxies: &TrustedProxies) -> Option<ClientLimit> {
    if per_minute == 0 {
        return None;
    }
    let config = GovernorConfigBuilder::default()
        .key_extractor(ClientIpKey(Arc::new(proxies.clone())))
        .per_millisecond((60_000 / u64::from(per_minute)).max(1))
        .burst_size(per_minute)
        .finish()?;
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
    Some(GovernorLayer::new(config))
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_answers_the_500_page_with_the_request_id_and_no_detail() {
        let views = Arc::new(Views::load().expect("templates load"));
        async fn boom() -> &'static str {
            panic!("secret detail of the crash")
        }
        let routes = Router::new().route("/boom", get(boom));
        let app = wrap(routes, &HttpSettings::default(), views);
        let response = app.oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let id = response.headers()[REQUEST_ID].to_str().unwrap().to_owned();
        let body = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(body.contains("Something went wrong on our side."), "{body}");
        assert!(body.contains(&id), "the request id is shown");
        assert!(!body.contains("secret detail"), "{body}");
    }
}
