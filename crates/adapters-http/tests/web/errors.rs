//! Error pages: the router's own 404 and 405, the body limit's 413 and unreadable
//! paths answer the error page in the layout, with the request id.

use crate::support::TestApp;
use adapters_http::HttpSettings;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[tokio::test]
async fn an_unknown_page_is_a_404_page_in_the_viewers_layout() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    let response = admin.get("/no/such/page").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(response.body.contains("<h1>Not Found"), "{}", response.body);
    assert!(response.body.contains("This page does not exist."));
    assert!(response.body.contains("Audit log"), "an admin's navigation");
    let id = response.headers["x-request-id"].to_str().unwrap();
    assert!(response.body.contains(id), "the request id is shown");
    let public = app.anonymous().get("/no/such/page").await;
    assert!(public.body.contains(r#"href="/login""#) && !public.body.contains("Audit log"));
}

#[tokio::test]
async fn a_wrong_method_is_a_405_page() {
    let app = TestApp::new().await;
    let response = app.login("manager").await.get("/logout").await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(response.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(response.body.contains("This page does not accept that kind of request."), "{}", response.body);
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_page() {
    let app = TestApp::with_settings(|s: &mut HttpSettings| s.body_limit = 256).await;
    let manager = app.login("manager").await;
    let big = "x".repeat(1024);
    // Without a declared length, reading the form finds it too large.
    let response = manager.post_form("/profile/password", &[("current_password", &big)]).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.body.contains("The request is too large."), "{}", response.body);
    // With a declared length, the body limit refuses before anything reads the body.
    let declared = Request::post("/logout")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, big.len())
        .body(Body::from(big))
        .unwrap();
    let response = manager.send(declared).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.body.contains("The request is too large."), "{}", response.body);
}
