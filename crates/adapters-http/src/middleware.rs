//! The middleware around every route: request ids, tracing spans, error pages, timeouts,
//! body limits, panic recovery, rate limits and request metrics.

use crate::client_ip::ClientIpKey;
use crate::client_ip::TrustedProxies;
use crate::web::{self, Views};
use crate::{HttpSettings, SharedBudgets};
use application::ports::Take;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use governor::clock::QuantaInstant;
use governor::middleware::NoOpMiddleware;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use std::time::Instant;
use tower::ServiceBuilder;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The header carrying the request id, set when absent and echoed in the response.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id a client (or proxy) may choose.
const REQUEST_ID_MAX: usize = 64;

/// Whether a client-chosen request id may be kept: at most 64 characters of
/// `[A-Za-z0-9._-]`, so it can be logged and echoed without harm.
pub(crate) fn acceptable_request_id(id: &[u8]) -> bool {
    !id.is_empty()
        && id.len() <= REQUEST_ID_MAX
        && id.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Drops an incoming request id that is not acceptable, so that a fresh one is made.
async fn sanitize_request_id(mut request: Request, next: Next) -> Response {
    if request.headers().get(REQUEST_ID).is_some_and(|id| !acceptable_request_id(id.as_bytes())) {
        request.headers_mut().remove(REQUEST_ID);
    }
    next.run(request).await
}

/// `text` as it may appear in a log line: at most 64 characters, control and other
/// special characters escaped, so a client cannot forge or flood log lines.
pub(crate) fn loggable(text: &str) -> String {
    let mut shown: String = text.chars().take(REQUEST_ID_MAX).flat_map(char::escape_debug).collect();
    if text.chars().count() > REQUEST_ID_MAX {
        shown.push('…');
    }
    shown
}

/// The span of one request, named and described as OpenTelemetry's HTTP server
/// conventions say (`GET /manage/missions/{id}`: the route pattern, never the raw path,
/// so that span names stay few). A `traceparent` header from the proxy makes it a child
/// of the proxy's trace; without one it starts a trace of its own.
fn request_span(request: &Request) -> Span {
    let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str);
    let method = request.method();
    let span = tracing::info_span!(
        "request",
        otel.name = %format_args!("{method} {route}"),
        otel.kind = "server",
        otel.status_code = tracing::field::Empty,
        http.request.method = %method,
        http.route = %route,
        url.path = %request.uri().path(),
        http.response.status_code = tracing::field::Empty,
        request_id = %id,
    );
    if request.headers().contains_key("traceparent") {
        let parent = opentelemetry::global::get_text_map_propagator(|propagator| {
            propagator.extract(&HeaderExtractor(request.headers()))
        });
        // Fails only when no OpenTelemetry layer is installed: nothing is exported then.
        let _ = span.set_parent(parent);
    }
    span
}

/// Records the status on the request's span (5xx marks it an error) and logs the
/// response line.
fn record_response(response: &Response, latency: Duration, span: &Span) {
    let status = response.status();
    // Signed: OpenTelemetry integers are i64, and an unsigned field is exported as text.
    span.record("http.response.status_code", i64::from(status.as_u16()));
    if status.is_server_error() {
        span.record("otel.status_code", "ERROR");
    }
    let latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
    tracing::info!(parent: span, status = status.as_u16(), latency_ms, "finished processing request");
}

/// Reads W3C trace context (`traceparent`, `tracestate`) from request headers.
struct HeaderExtractor<'a>(&'a axum::http::HeaderMap);

impl opentelemetry::propagation::Extractor for HeaderExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(axum::http::HeaderName::as_str).collect()
    }
}

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
        .layer(middleware::from_fn(sanitize_request_id))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(request_span).on_response(record_response))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(middleware::from_fn_with_state(views, web::error_pages))
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, settings.request_timeout))
        .layer(RequestBodyLimitLayer::new(settings.body_limit));
    // Outermost: gzip or brotli for what is not compressed already (kept public pages are).
    routes.layer(middleware::from_fn(record_metrics)).layer(stack).layer(compression())
}

/// The per-response compression of pages made for one request. Its level is fixed
/// here: the layer's default leaves brotli at quality 11, whose large window and slow
/// matching cost a big dynamic page (the manager's pool page, about 0.5 MB) over
/// 100 ms and tens of megabytes per response; quality 4 (gzip level 4) is the usual
/// trade for on-the-fly compression, within a few percent of the size.
fn compression() -> CompressionLayer {
    CompressionLayer::new().quality(CompressionLevel::Precise(DYNAMIC_QUALITY))
}

/// Brotli quality and gzip level for responses compressed per request.
pub(crate) const DYNAMIC_QUALITY: i32 = 4;

/// The histogram of request durations, in seconds, by method, route and status (the
/// binary gives it its buckets).
pub const REQUEST_DURATION_METRIC: &str = "http_request_duration_seconds";

/// Limits each client address to `requests_per_minute` on `routes` (a burst of that
/// many, refilled evenly over the minute); over the limit, 429 with `Retry-After`.
pub(crate) fn rate_limited<T: Clone + Send + Sync + 'static>(routes: Router<T>, settings: &HttpSettings) -> Router<T> {
    let Some(limit) = per_client_limit(settings.requests_per_minute, &settings.trusted_proxies) else {
        return routes;
    };
    let routes = routes.layer(limit);
    match shared_limit("pages", settings.requests_per_minute, settings) {
        Some(shared) => routes.layer(middleware::from_fn_with_state(shared, take_shared)),
        None => routes,
    }
}

/// The governor layer type built by [`per_client_limit`].
pub(crate) type ClientLimit = GovernorLayer<ClientIpKey, NoOpMiddleware<QuantaInstant>, axum::body::Body>;

/// A layer allowing each client address `per_minute` requests (a burst of that many,
/// refilled evenly over the minute), or `None` for no limit (0). It counts in this
/// process; [`SharedLimit`] in front of it counts across replicas when configured.
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

/// One per-address budget counted in the shared backend (`scope` keeps the login and
/// page budgets apart). It sits in front of the in-process limiter of the same size:
/// when the backend answers, its verdict holds for every replica (the in-process
/// limiter, seeing a subset of the same requests under the same rule, never refuses
/// first); when it cannot be reached the request goes on to the in-process limiter
/// alone, and one warning says so until the backend answers again.
#[derive(Clone)]
pub(crate) struct SharedLimit {
    budgets: SharedBudgets,
    scope: &'static str,
    per_minute: u32,
    key: ClientIpKey,
}

/// The shared limit for `scope`, when shared budgets are configured and the limit is on.
pub(crate) fn shared_limit(scope: &'static str, per_minute: u32, settings: &HttpSettings) -> Option<SharedLimit> {
    let budgets = settings.shared_limits.clone().filter(|_| per_minute > 0)?;
    Some(SharedLimit { budgets, scope, per_minute, key: ClientIpKey(Arc::new(settings.trusted_proxies.clone())) })
}

/// Counts the request in the shared budget: 429 with `Retry-After` when over it.
pub(crate) async fn take_shared(State(limit): State<SharedLimit>, request: Request, next: Next) -> Response {
    let client = limit.key.extract(&request).map_or_else(|_| "unknown".to_owned(), |ip| ip.to_string());
    let key = format!("{}:{client}", limit.scope);
    match limit.budgets.limits.take(&key, limit.per_minute).await {
        Ok(take) => {
            if limit.budgets.degraded.swap(false, Ordering::Relaxed) {
                tracing::info!("shared rate limits answer again; limits count across replicas");
                metrics::gauge!("rate_limit_shared_available").set(1.0);
            }
            match take {
                Take::Allowed => next.run(request).await,
                Take::Refused { retry_after } => {
                    let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                    (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, seconds.max(1))]).into_response()
                }
            }
        }
        Err(unavailable) => {
            if !limit.budgets.degraded.swap(true, Ordering::Relaxed) {
                tracing::warn!(error = %unavailable, "shared rate limits unreachable; each replica limits on its own until they answer");
                metrics::gauge!("rate_limit_shared_available").set(0.0);
            }
            metrics::counter!("rate_limit_shared_fallbacks_total").increment(1);
            next.run(request).await
        }
    }
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
    metrics::histogram!(REQUEST_DURATION_METRIC, &labels).record(started.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_request_ids_are_kept() {
        assert!(acceptable_request_id(b"3f2a-9c01.d4_e5"));
        assert!(acceptable_request_id("a".repeat(64).as_bytes()));
        for hostile in ["", "a\r\nb", "<script>", "id with spaces", "é"] {
            assert!(!acceptable_request_id(hostile.as_bytes()), "{hostile:?}");
        }
        assert!(!acceptable_request_id("a".repeat(65).as_bytes()));
    }

    #[test]
    fn logged_text_is_cut_and_escaped() {
        assert_eq!(loggable("manager"), "manager");
        assert_eq!(loggable("evil\nFORGED line"), "evil\\nFORGED line");
        let long = loggable(&"x".repeat(5_000));
        assert_eq!(long.chars().count(), 65, "64 characters and an ellipsis");
    }
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
