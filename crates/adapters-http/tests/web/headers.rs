//! The security headers on every kind of response, HSTS by profile, and `no-store` on
//! what a signed-in user sees.

use crate::support::{TestApp, TestResponse};
use adapters_http::headers::{CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY, STRICT_TRANSPORT_SECURITY};
use adapters_http::{HttpSettings, StaticOrigin};
use axum::http::{StatusCode, header};

fn value<'a>(response: &'a TestResponse, name: &str) -> Option<&'a str> {
    response.headers.get(name).and_then(|v| v.to_str().ok())
}

fn assert_secured(response: &TestResponse, what: &str) {
    let expected = [
        ("content-security-policy", CONTENT_SECURITY_POLICY),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("permissions-policy", PERMISSIONS_POLICY),
        ("cross-origin-opener-policy", "same-origin"),
        ("strict-transport-security", STRICT_TRANSPORT_SECURITY),
    ];
    for (name, wanted) in expected {
        assert_eq!(value(response, name), Some(wanted), "{name} on {what}");
    }
    let csp = value(response, "content-security-policy").unwrap_or_default();
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    let page = visitor.get("/").await;
    assert_secured(&page, "a page");
    let stylesheet = page.body.split("href=\"/static/").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
    let responses = [
        (visitor.get("/api/v1/pool").await, "JSON"),
        (visitor.get(&format!("/static/{stylesheet}")).await, "a static file"),
        (visitor.get("/no/such/page").await, "an error page"),
        (visitor.get("/manage").await, "a redirect"),
        (visitor.get("/health").await, "a probe"),
        (visitor.post_form_without_token("/logout", &[]).await, "a refused POST"),
    ];
    for (response, what) in &responses {
        assert_secured(response, what);
    }
    assert_eq!(responses[2].0.status, StatusCode::NOT_FOUND);
    assert_eq!(responses[3].0.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn development_sends_no_strict_transport_security() {
    let app = TestApp::with_settings(|s: &mut HttpSettings| s.hsts = false).await;
    let page = app.anonymous().get("/").await;
    assert_eq!(value(&page, "strict-transport-security"), None);
    assert_eq!(value(&page, "x-frame-options"), Some("DENY"), "the other headers stay");
}

#[tokio::test]
async fn pages_a_signed_in_user_sees_and_the_login_form_are_not_stored() {
    let app = TestApp::new().await;
    let public = app.anonymous().get("/").await;
    assert_eq!(value(&public, "cache-control"), Some("no-cache"), "the public dashboard is kept, revalidated by ETag");
    assert_eq!(value(&app.anonymous().get("/login").await, "cache-control"), Some("no-store"));
    let manager = app.login("manager").await;
    for path in ["/manage", "/profile", "/", "/no/such/page"] {
        let response = manager.get(path).await;
        assert_eq!(
            response.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn with_a_cdn_pages_load_the_static_files_from_it_checked_by_integrity() {
    let cdn = StaticOrigin::parse("https://cdn.example.net").expect("an origin");
    let app = TestApp::with_settings(move |s: &mut HttpSettings| s.static_origin = Some(cdn.clone())).await;
    let page = app.anonymous().get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = value(&page, "content-security-policy").unwrap_or_default().to_owned();
    for directive in ["script-src 'self' https://cdn.example.net;", "style-src 'self' https://cdn.example.net;"] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(csp.contains("default-src 'self';") && !csp.contains("unsafe-inline"), "{csp}");
    let script = page.body.split("<script src=\"").nth(1).and_then(|rest| rest.split('>').next()).expect("a script");
    assert!(script.starts_with("https://cdn.example.net/static/app."), "{script}");
    assert!(script.contains("integrity=\"sha256-") && script.contains("crossorigin=\"anonymous\""), "{script}");
    assert!(!page.body.contains("href=\"/static/"), "no file is linked on this server any more");

    // The CDN pulls the same files from this server, readable from its origin.
    let path = script.trim_start_matches("https://cdn.example.net").split('"').next().unwrap_or_default();
    let file = app.anonymous().get(path).await;
    assert_eq!(file.status, StatusCode::OK, "{path}");
    assert_eq!(value(&file, "access-control-allow-origin"), Some("*"));
}
