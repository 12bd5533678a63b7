//! CSRF protection: the synchronizer token on every state-changing request, and the
//! Sec-Fetch-Site / Origin checks. A refused request gets the 403 page and changes
//! nothing (checked through the password change, whose effect is easy to observe).

use crate::support::{Client, PASSWORD, TestApp, TestResponse};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

const NEW_PASSWORD: &str = "a much better passphrase";

fn change_password_fields() -> Vec<(&'static str, &'static str)> {
    vec![("current_password", PASSWORD), ("new_password", NEW_PASSWORD), ("confirm_password", NEW_PASSWORD)]
}

/// A password-change POST with `extra` headers and `token` (if any) in the body.
async fn change_password(client: &Client, token: Option<&str>, extra: &[(&str, &str)]) -> TestResponse {
    let mut fields = change_password_fields();
    if let Some(token) = token {
        fields.push(("csrf_token", token));
    }
    let mut request = Request::post("/profile/password")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "tracker.example");
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let body = serde_urlencoded::to_string(&fields).unwrap();
    client.send(request.body(Body::from(body)).unwrap()).await
}

/// Asserts a refusal: the 403 page, and the password unchanged.
async fn assert_refused(app: &TestApp, response: &TestResponse) {
    assert_eq!(response.status, StatusCode::FORBIDDEN, "{}", response.body);
    assert!(response.body.contains("<h1>Forbidden"), "the 403 page: {}", response.body);
    assert!(response.body.contains("Request id"), "with the request id");
    app.login("manager").await; // the old password still works: nothing ran
}

#[tokio::test]
async fn a_post_without_a_token_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let response = manager.post_form_without_token("/profile/password", &change_password_fields()).await;
    assert_refused(&app, &response).await;
    assert!(response.body.contains("This form has expired"), "{}", response.body);
}

#[tokio::test]
async fn a_post_with_a_wrong_token_is_refused() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let token = manager.csrf_token().await;
    // Change the last character to a different one, whatever it was.
    let last = if token.ends_with('0') { '1' } else { '0' };
    let wrong = format!("{}{last}", &token[..token.len() - 1]);
    assert_refused(&app, &change_password(&manager, Some(&wrong), &[]).await).await;
    assert_refused(&app, &change_password(&manager, Some(""), &[]).await).await;
}

#[tokio::test]
async fn a_token_from_another_session_is_refused() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let other = app.login("admin").await.csrf_token().await;
    assert_ne!(other, manager.csrf_token().await);
    assert_refused(&app, &change_password(&manager, Some(&other), &[]).await).await;
}

#[tokio::test]
async fn a_post_without_any_session_is_refused() {
    let app = TestApp::new().await;
    let response = app
        .anonymous()
        .post_form_without_token("/login", &[("username", "manager"), ("password", PASSWORD), ("csrf_token", "x")])
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_token_may_come_in_the_header_for_scripts() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let token = manager.csrf_token().await;
    let logout = Request::post("/logout").header("x-csrf-token", &token).body(Body::empty()).unwrap();
    let response = manager.send(logout).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(manager.get("/profile").await.status, StatusCode::SEE_OTHER, "logged out");
    let refused = Request::post("/logout").header("x-csrf-token", "nope").body(Body::empty()).unwrap();
    assert_eq!(app.login("manager").await.send(refused).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_even_with_the_right_token() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let token = manager.csrf_token().await;
    let response = change_password(&manager, Some(&token), &[("sec-fetch-site", "cross-site")]).await;
    assert_refused(&app, &response).await;
    let response = change_password(&manager, Some(&token), &[("origin", "https://evil.example")]).await;
    assert_refused(&app, &response).await;
}

#[tokio::test]
async fn a_same_origin_post_with_the_right_token_passes() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let token = manager.csrf_token().await;
    let headers = [("sec-fetch-site", "same-origin"), ("origin", "https://tracker.example")];
    let response = change_password(&manager, Some(&token), &headers).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    app.login_with("manager", NEW_PASSWORD).await;
}
