//! The router's probes and middleware, through the real router with `oneshot`.

use adapters_http::{
    AppState, HttpSettings, MemorySessionStore, SharedBudgets, TrustedProxies, metrics_router, router,
};
use application::Tracker;
use application::memory::{Health, ManualClock, MemoryLimits, MemoryStore, PlainHasher};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use time::macros::utc_datetime;
use tower::ServiceExt;

fn app_with(settings: HttpSettings, store: MemoryStore) -> Router {
    let tracker = Tracker::new(store, PlainHasher::new(), ManualClock::new(utc_datetime!(2026-01-01 12:00)));
    let state = AppState::new(Arc::new(tracker), settings).expect("templates load");
    router(state, MemorySessionStore::default())
}

fn app(store: MemoryStore) -> Router {
    app_with(HttpSettings { ready_timeout: Duration::from_millis(50), ..HttpSettings::default() }, store)
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

fn from(path: &str, peer: &str, forwarded: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(path);
    if let Some(f) = forwarded {
        builder = builder.header("x-forwarded-for", f);
    }
    let mut request = builder.body(Body::empty()).unwrap();
    request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
    request
}

async fn json(response: axum::response::Response) -> serde_json::Value {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn health_answers_healthy_while_the_process_runs() {
    let store = MemoryStore::new();
    store.set_health(Health::Down);
    let response = app(store).oneshot(get("/health")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json(response).await, serde_json::json!({ "status": "healthy" }));
}

#[tokio::test]
async fn ready_answers_200_when_the_database_answers() {
    let response = app(MemoryStore::new()).oneshot(get("/ready")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json(response).await["status"], "ready");
}

#[tokio::test]
async fn ready_answers_503_with_a_reason_when_the_database_fails() {
    let store = MemoryStore::new();
    store.set_health(Health::Down);
    let response = app(store).oneshot(get("/ready")).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = json(response).await;
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["reason"], "the database is not reachable");
}

#[tokio::test]
async fn ready_answers_503_when_the_database_does_not_answer_in_time() {
    let store = MemoryStore::new();
    store.set_health(Health::Hanging);
    let response = app(store).oneshot(get("/ready")).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(json(response).await["reason"], "the database did not answer within 50 ms");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_one_sent_by_the_proxy() {
    let response = app(MemoryStore::new()).oneshot(get("/health")).await.unwrap();
    let id = response.headers().get("x-request-id").expect("request id").to_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let sent = Request::get("/health").header("x-request-id", "from-traefik-1").body(Body::empty()).unwrap();
    let response = app(MemoryStore::new()).oneshot(sent).await.unwrap();
    assert_eq!(response.headers()["x-request-id"], "from-traefik-1");
}

#[tokio::test]
async fn a_hostile_request_id_is_replaced_not_echoed() {
    for hostile in ["<script>alert(1)</script>".to_owned(), "x".repeat(65), "a b".to_owned()] {
        let sent = Request::get("/health").header("x-request-id", hostile.as_str()).body(Body::empty()).unwrap();
        let response = app(MemoryStore::new()).oneshot(sent).await.unwrap();
        let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_ne!(id, hostile);
        assert_eq!(id.len(), 36, "a fresh UUID instead of {hostile:?}: {id}");
    }
}

#[tokio::test]
async fn unknown_paths_answer_a_404_page_and_json_under_the_api() {
    let response = app(MemoryStore::new()).oneshot(get("/no/such/page")).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("This page does not exist."));
    let response = app(MemoryStore::new()).oneshot(get("/api/v1/no-such-thing")).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let error = &json(response).await["error"];
    assert_eq!(error["code"], "not_found");
    assert_eq!(error["message"], "This page does not exist.");
    assert_eq!(error["field"], serde_json::Value::Null);
}

#[tokio::test]
async fn metrics_are_served_by_their_own_router_and_never_by_the_application_router() {
    let metrics = metrics_router(Arc::new(|| "http_requests_total 1\n".to_owned()));
    let response = metrics.oneshot(get("/metrics")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("http_requests_total"));
    let public = app(MemoryStore::new()).oneshot(get("/metrics")).await.unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_client_over_its_rate_limit_gets_429_and_others_are_unaffected() {
    let settings = HttpSettings { requests_per_minute: 3, ..HttpSettings::default() };
    let app = app_with(settings, MemoryStore::new());
    for _ in 0..3 {
        let r = app.clone().oneshot(from("/anything", "203.0.113.1:5000", None)).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    let limited = app.clone().oneshot(from("/anything", "203.0.113.1:5000", None)).await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let other = app.clone().oneshot(from("/anything", "203.0.113.2:5000", None)).await.unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    // Probes are never limited: a load balancer calls them every few seconds.
    let probe = app.oneshot(from("/health", "203.0.113.1:5000", None)).await.unwrap();
    assert_eq!(probe.status(), StatusCode::OK);
}

#[tokio::test]
async fn two_replicas_with_shared_budgets_count_a_client_once() {
    let budgets = MemoryLimits::default();
    let settings = || HttpSettings {
        requests_per_minute: 4,
        shared_limits: Some(SharedBudgets::new(budgets.clone())),
        ..HttpSettings::default()
    };
    let replicas = [app_with(settings(), MemoryStore::new()), app_with(settings(), MemoryStore::new())];
    for i in 0..4 {
        let r = replicas[i % 2].clone().oneshot(from("/anything", "203.0.113.1:5000", None)).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "request {i}");
    }
    // Each replica has seen two of the client's four requests: only the shared budget is spent.
    let limited = replicas[0].clone().oneshot(from("/anything", "203.0.113.1:5000", None)).await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=15).contains(&wait), "{wait}");
    let page = String::from_utf8(limited.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(page.contains("Too many requests"), "the error page: {page}");
    let other = replicas[1].clone().oneshot(from("/anything", "203.0.113.2:5000", None)).await.unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND, "another client has its own budget");
}

#[tokio::test]
async fn when_shared_budgets_are_unreachable_each_replica_limits_on_its_own() {
    let budgets = MemoryLimits::default();
    budgets.set_down(true);
    let settings = HttpSettings {
        requests_per_minute: 2,
        shared_limits: Some(SharedBudgets::new(budgets.clone())),
        ..HttpSettings::default()
    };
    let app = app_with(settings, MemoryStore::new());
    for _ in 0..2 {
        let r = app.clone().oneshot(from("/anything", "203.0.113.1:5000", None)).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "served while the budgets are down");
    }
    let r = app.clone().oneshot(from("/anything", "203.0.113.1:5000", None)).await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "the in-process limiter still holds");
    budgets.set_down(false);
    let r = app.clone().oneshot(from("/anything", "203.0.113.3:5000", None)).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "and the shared budgets are used again");
}

#[tokio::test]
async fn ipv6_clients_in_one_slash_64_share_one_budget() {
    let settings = HttpSettings { requests_per_minute: 2, ..HttpSettings::default() };
    let app = app_with(settings, MemoryStore::new());
    for peer in ["[2001:db8:7:8::1]:5000", "[2001:db8:7:8:ffff::2]:5001"] {
        let r = app.clone().oneshot(from("/anything", peer, None)).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    let third = app.clone().oneshot(from("/anything", "[2001:db8:7:8:1234::3]:5002", None)).await.unwrap();
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS, "a third address of the same /64");
    let next = app.clone().oneshot(from("/anything", "[2001:db8:7:9::1]:5000", None)).await.unwrap();
    assert_eq!(next.status(), StatusCode::NOT_FOUND, "the next /64 has its own budget");
}

#[tokio::test]
async fn a_forged_forwarded_header_does_not_dodge_the_limit() {
    let settings = HttpSettings {
        requests_per_minute: 2,
        trusted_proxies: TrustedProxies::parse(&["10.0.0.0/8"]).unwrap(),
        ..HttpSettings::default()
    };
    let app = app_with(settings, MemoryStore::new());
    // Through the proxy, the client forges a different leftmost address every time;
    // the proxy appends the real one, which is what the limiter counts.
    for forged in ["1.1.1.1", "2.2.2.2"] {
        let r =
            app.clone().oneshot(from("/x", "10.0.0.5:443", Some(&format!("{forged}, 198.51.100.7")))).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    let r = app.clone().oneshot(from("/x", "10.0.0.5:443", Some("3.3.3.3, 198.51.100.7"))).await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // A direct client cannot claim to be someone else by sending the header itself.
    let settings = HttpSettings { requests_per_minute: 1, ..HttpSettings::default() };
    let app = app_with(settings, MemoryStore::new());
    let _ = app.clone().oneshot(from("/x", "203.0.113.9:1", Some("5.5.5.5"))).await.unwrap();
    let r = app.oneshot(from("/x", "203.0.113.9:1", Some("6.6.6.6"))).await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let settings = HttpSettings { body_limit: 16, ..HttpSettings::default() };
    let app = app_with(settings, MemoryStore::new());
    let request = Request::post("/anything").header("content-length", "64").body(Body::from(vec![b'x'; 64])).unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
