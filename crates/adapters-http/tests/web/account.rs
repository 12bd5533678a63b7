//! Logging in and out, sessions, and the profile's password change.

use crate::support::{PASSWORD, TestApp};
use adapters_http::HttpSettings;
use axum::http::{StatusCode, header};
use domain::AuditAction;
use time::Duration;

const NEW_PASSWORD: &str = "a much better passphrase";

#[tokio::test]
async fn the_login_page_is_a_form_with_a_csrf_field_and_a_session_cookie() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    let page = visitor.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"<form method="post" action="/login""#), "{}", page.body);
    assert_eq!(page.hidden_value("csrf_token"), visitor.csrf_token().await.into());
    assert!(page.headers[header::SET_COOKIE].to_str().unwrap().contains("HttpOnly"));
}

#[tokio::test]
async fn a_correct_login_goes_to_the_manage_dashboard_under_a_new_session_id() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    let token = visitor.csrf_token().await;
    let before = visitor.session_id().expect("a session before login");
    let response = visitor.post_form("/login", &[("username", "manager"), ("password", PASSWORD)]).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/manage"));
    let after = visitor.session_id().expect("a session after login");
    assert_ne!(before, after, "the session id changes at login");
    assert_ne!(visitor.csrf_token().await, token, "a login issues a new CSRF token with the new id");
    let profile = visitor.get("/profile").await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("Welcome, manager."), "the welcome flash is shown");
    let old = app.client_with_session(&before);
    assert_eq!(old.get("/profile").await.status, StatusCode::SEE_OTHER, "the old session id is not logged in");
}

#[tokio::test]
async fn logging_in_through_a_stale_session_issues_a_new_session_id_and_csrf_token() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let stale_id = manager.session_id().expect("the manager's session");
    let stale_token = manager.csrf_token().await;
    let reset = application::users::ResetPassword { new_password: "a fresh password for the manager".into() };
    app.tracker().reset_password(&app.admin(), app.manager_id(), reset).await.expect("reset");
    assert_eq!(manager.get("/profile").await.status, StatusCode::SEE_OTHER, "the session's user no longer resolves");
    let response = manager.post_form("/login", &[("username", "admin"), ("password", PASSWORD)]).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let fresh_id = manager.session_id().expect("a session after login");
    assert_ne!(fresh_id, stale_id, "the stale session's id is not reused");
    assert_ne!(manager.csrf_token().await, stale_token, "nor is its CSRF token");
    assert!(manager.get("/profile").await.body.contains("admin"), "logged in as the admin");
    let old = app.client_with_session(&stale_id);
    assert_eq!(old.get("/profile").await.status, StatusCode::SEE_OTHER, "the stale id logs nobody in");
}

#[tokio::test]
async fn a_failed_login_says_only_invalid_username_or_password_and_keeps_the_username() {
    let app = TestApp::new().await;
    for (username, password) in [("manager", "wrong password!"), ("nobody", PASSWORD), ("", "")] {
        let visitor = app.anonymous();
        let response = visitor.post_form("/login", &[("username", username), ("password", password)]).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{username}");
        assert!(response.body.contains("Invalid username or password."), "{}", response.body);
        assert_eq!(response.hidden_value("username").as_deref(), Some(username));
        assert!(!response.body.contains(password) || password.is_empty(), "the password is never echoed");
        assert_eq!(visitor.get("/profile").await.status, StatusCode::SEE_OTHER, "still anonymous");
    }
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in_and_their_open_session_ends() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    app.tracker().disable_user(&app.admin(), app.manager_id()).await.unwrap();
    assert_eq!(manager.get("/profile").await.location(), Some("/login?next=%2Fprofile"));
    let visitor = app.anonymous();
    let response = visitor.post_form("/login", &[("username", "manager"), ("password", PASSWORD)]).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("Invalid username or password."));
}

#[tokio::test]
async fn a_deleted_user_is_logged_out() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    app.tracker().delete_user(&app.admin(), app.manager_id()).await.unwrap();
    assert_eq!(manager.get("/profile").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn after_login_next_is_followed_only_to_a_local_path() {
    let app = TestApp::new().await;
    for (next, expected) in [
        ("/manage/libraries?x=1", "/manage/libraries?x=1"),
        ("//evil.example/", "/manage"),
        ("https://evil.example/", "/manage"),
    ] {
        let visitor = app.anonymous();
        let fields = [("username", "admin"), ("password", PASSWORD), ("next", next)];
        assert_eq!(visitor.post_form("/login", &fields).await.location(), Some(expected), "{next}");
    }
    let page = app.anonymous().get("/login?next=%2Fprofile").await;
    assert_eq!(page.hidden_value("next").as_deref(), Some("/profile"));
    let page = app.anonymous().get("/login?next=https%3A%2F%2Fevil.example").await;
    assert_eq!(page.hidden_value("next").as_deref(), Some(""));
}

#[tokio::test]
async fn a_logged_in_user_on_the_login_page_goes_straight_on() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    assert_eq!(admin.get("/login").await.location(), Some("/manage"));
    assert_eq!(admin.get("/login?next=%2Fprofile").await.location(), Some("/profile"));
}

#[tokio::test]
async fn logout_ends_the_session_and_its_cookie_no_longer_logs_in() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let session = manager.session_id().expect("a session");
    let response = manager.post_form("/logout", &[]).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/"));
    assert_eq!(manager.get("/profile").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.client_with_session(&session).get("/profile").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_profile_is_for_staff_only() {
    let app = TestApp::new().await;
    let response = app.anonymous().get("/profile").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/login?next=%2Fprofile"));
    let page = app.login("manager").await.get("/profile").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<dd>manager</dd>"), "{}", page.body);
    assert!(page.body.contains(r#"<time datetime="2026-01-01T12:00:00Z" data-local>"#), "{}", page.body);
}

#[tokio::test]
async fn a_password_change_keeps_this_session_and_ends_the_others() {
    let app = TestApp::new().await;
    let here = app.login("manager").await;
    let elsewhere = app.login("manager").await;
    let fields = [("current_password", PASSWORD), ("new_password", NEW_PASSWORD), ("confirm_password", NEW_PASSWORD)];
    let response = here.post_form("/profile/password", &fields).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), Some("/profile"));
    let page = here.get("/profile").await;
    assert_eq!(page.status, StatusCode::OK, "this session stays logged in");
    assert!(page.body.contains("Your password was changed."));
    assert_eq!(elsewhere.get("/profile").await.status, StatusCode::SEE_OTHER, "other sessions end");
    let again = app.anonymous();
    let old = again.post_form("/login", &[("username", "manager"), ("password", PASSWORD)]).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.login_with("manager", NEW_PASSWORD).await;
}

#[tokio::test]
async fn a_wrong_current_password_shows_the_form_again_and_changes_nothing() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let fields = [("current_password", "not it at all"), ("new_password", "short"), ("confirm_password", "other")];
    let response = manager.post_form("/profile/password", &fields).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("is not correct"), "{}", response.body);
    assert!(response.body.contains("must be at least 12 characters"));
    assert!(response.body.contains("does not match"));
    assert!(response.body.contains(r#"aria-describedby="new_password-hint new_password-error""#));
    assert_eq!(manager.get("/profile").await.status, StatusCode::OK);
    app.login("manager").await;
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_whatever_the_activity() {
    let lifetime = std::time::Duration::from_secs(2 * 3600);
    let app = TestApp::with_settings(|s: &mut HttpSettings| s.absolute_lifetime = lifetime).await;
    let manager = app.login("manager").await;
    app.clock().advance(Duration::minutes(119));
    assert_eq!(manager.get("/profile").await.status, StatusCode::OK, "still within the lifetime");
    app.clock().advance(Duration::minutes(1));
    assert_eq!(manager.get("/profile").await.location(), Some("/login?next=%2Fprofile"));
}

#[tokio::test]
async fn a_signed_in_page_view_saves_the_session_only_once_a_minute_to_extend_its_idle_timeout() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let saved = |response: &crate::support::TestResponse| response.headers.contains_key(header::SET_COOKIE);
    // The first page after login stores the session's CSRF token.
    manager.get("/profile").await;
    assert!(!saved(&manager.get("/profile").await), "a view within the minute of the login writes nothing");
    app.clock().advance(Duration::seconds(59));
    assert!(!saved(&manager.get("/profile").await), "still within the minute");
    app.clock().advance(Duration::seconds(1));
    assert!(saved(&manager.get("/profile").await), "a minute on, the view extends the idle timeout");
    assert_eq!(manager.get("/profile").await.status, StatusCode::OK, "and the session goes on");
}

#[tokio::test]
async fn login_attempts_are_limited_per_client() {
    let app = TestApp::with_settings(|s: &mut HttpSettings| s.login_attempts_per_minute = 2).await;
    let visitor = app.anonymous();
    for _ in 0..2 {
        let r = visitor.post_form("/login", &[("username", "manager"), ("password", "wrong password!")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let limited = visitor.post_form("/login", &[("username", "manager"), ("password", PASSWORD)]).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("Too many requests"), "{}", limited.body);
    assert_eq!(visitor.get("/login").await.status, StatusCode::OK, "only POST /login is limited");
}

#[tokio::test]
async fn six_failures_from_six_addresses_lock_the_account_whatever_the_password() {
    let app = TestApp::with_settings(|s: &mut HttpSettings| s.login_attempts_per_minute = 2).await;
    let attempt = |peer: String, password: &'static str| {
        let visitor = app.anonymous();
        async move { visitor.post_form_from(&peer, "/login", &[("username", "Manager"), ("password", password)]).await }
    };
    for i in 1..=4 {
        let r = attempt(format!("198.51.100.{i}:4000"), "wrong password!").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "failure {i} from its own address");
    }
    let locked = attempt("198.51.100.5:4000".into(), "wrong password!").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "the fifth failure locks the account");
    assert_eq!(locked.headers[header::RETRY_AFTER], "60");
    let refused = attempt("203.0.113.6:4000".into(), PASSWORD).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "even the right password, from a sixth address");
    assert!(refused.body.contains("Too many failed logins for this username"), "{}", refused.body);
    assert_eq!(refused.headers[header::RETRY_AFTER], "120", "the refused attempt doubled the lock");
    let actions: Vec<AuditAction> = app.tracker().store().audit_entries().iter().map(|e| e.entry.action).collect();
    assert!(actions.ends_with(&[AuditAction::UserLoginLocked, AuditAction::UserLoginRefused]), "{actions:?}");

    app.clock().advance(Duration::minutes(2));
    let r = attempt("203.0.113.6:4000".into(), PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the lock ended");
}

#[tokio::test]
async fn renaming_yourself_keeps_your_sessions_and_a_bad_name_is_shown_beside_the_field() {
    let app = TestApp::new().await;
    let here = app.login("manager").await;
    let elsewhere = app.login("manager").await;
    let bad = here.post_form("/profile/username", &[("username", "no spaces allowed")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains(r#"aria-describedby="username-hint username-error""#), "{}", bad.body);
    assert!(bad.body.contains(r#"value="no spaces allowed""#), "the typed name is kept: {}", bad.body);
    let taken = here.post_form("/profile/username", &[("username", "Admin")]).await;
    assert!(taken.body.contains("is already taken by another account"), "{}", taken.body);
    let response = here.post_form("/profile/username", &[("username", "quartermaster")]).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), Some("/profile"));
    let page = here.get("/profile").await;
    assert!(page.body.contains("Your username is now quartermaster."), "{}", page.body);
    assert!(page.body.contains("<dd>quartermaster</dd>"));
    assert_eq!(elsewhere.get("/profile").await.status, StatusCode::OK, "other sessions go on too");
    app.login_with("quartermaster", PASSWORD).await;
    let old = app.anonymous().post_form("/login", &[("username", "manager"), ("password", PASSWORD)]).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY, "the old name no longer logs in");
}
