//! Traces end to end: the real server exports its request spans over OTLP/HTTP to a
//! receiver in this test, which decodes them as a collector would.
//!
//! One test per binary run (nextest runs each test in its own process), since the
//! tracing subscriber is global.

mod support;

use axum::Router;
use axum::body::Bytes;
use axum::routing::post;
use bin_server::settings::Profile;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::trace::v1::Span;
use opentelemetry_proto::tonic::trace::v1::span::SpanKind;
use prost::Message;
use std::sync::{Arc, Mutex};
use support::{Running, exchange, settings_for, temp_sqlite};
use tokio::net::TcpListener;

/// An OTLP/HTTP receiver on a free port: every span it is sent, decoded.
async fn receiver() -> (String, Arc<Mutex<Vec<Span>>>) {
    let spans = Arc::new(Mutex::new(Vec::new()));
    let received = Arc::clone(&spans);
    let app = Router::new().route(
        "/v1/traces",
        post(move |body: Bytes| {
            let received = Arc::clone(&received);
            async move {
                let request = ExportTraceServiceRequest::decode(body).expect("the exporter sends OTLP protobuf");
                let mut spans = received.lock().unwrap();
                for resource in request.resource_spans {
                    for scope in resource.scope_spans {
                        spans.extend(scope.spans);
                    }
                }
                ([("content-type", "application/x-protobuf")], Vec::<u8>::new())
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}/v1/traces", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (endpoint, spans)
}

fn attribute(span: &Span, key: &str) -> Option<Value> {
    span.attributes.iter().find(|a| a.key == key).and_then(|a| a.value.clone()).and_then(|v| v.value)
}

fn text(span: &Span, key: &str) -> Option<String> {
    match attribute(span, key)? {
        Value::StringValue(s) => Some(s),
        other => Some(format!("{other:?}")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_span_reaches_the_collector_with_route_status_and_request_id_under_the_proxys_trace() {
    let (endpoint, spans) = receiver().await;
    let mut s = settings_for(Profile::Testing, &temp_sqlite("traces"));
    s.telemetry.otlp_endpoint = Some(endpoint);
    s.logging.level = "info".to_owned();
    let telemetry = bin_server::telemetry::init(&s.logging, &s.telemetry).expect("telemetry starts");

    let running = Running::start(&s).await;
    let port = running.port;
    let get = async |path: &str, headers: String| {
        exchange(port, &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n")).await
    };
    let proxy_trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let proxy_span = "00f067aa0ba902b7";
    let headers = format!("traceparent: 00-{proxy_trace}-{proxy_span}-01\r\nx-request-id: trace-test-1\r\n");
    let traced = get("/campaigns/12345", headers).await;
    assert_eq!(traced.status, 404, "{}", traced.head);
    let untraced = get("/login", "x-request-id: trace-test-2\r\n".to_owned()).await;
    assert_eq!(untraced.status, 200, "{}", untraced.head);
    running.stop().await;
    telemetry.shutdown().await;

    let spans = spans.lock().unwrap().clone();
    let by_id = |id: &str| {
        spans
            .iter()
            .find(|s| text(s, "request_id").as_deref() == Some(id))
            .unwrap_or_else(|| {
                panic!("no span for request {id} among {:#?}", spans.iter().map(|s| &s.name).collect::<Vec<_>>())
            })
            .clone()
    };

    let child = by_id("trace-test-1");
    assert_eq!(child.name, "GET /campaigns/{id}", "named by the route pattern, not the raw path");
    assert_eq!(child.kind, SpanKind::Server as i32);
    assert_eq!(text(&child, "http.route").as_deref(), Some("/campaigns/{id}"));
    assert_eq!(text(&child, "url.path").as_deref(), Some("/campaigns/12345"));
    assert_eq!(text(&child, "http.request.method").as_deref(), Some("GET"));
    assert_eq!(attribute(&child, "http.response.status_code"), Some(Value::IntValue(404)));
    assert_eq!(hex(&child.trace_id), proxy_trace, "the proxy's trace continues");
    assert_eq!(hex(&child.parent_span_id), proxy_span, "the proxy's span is the parent");

    let root = by_id("trace-test-2");
    assert_eq!(root.name, "GET /login");
    assert_eq!(attribute(&root, "http.response.status_code"), Some(Value::IntValue(200)));
    assert_ne!(hex(&root.trace_id), proxy_trace, "without traceparent a request starts its own trace");
    assert!(root.parent_span_id.is_empty(), "and has no parent");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
