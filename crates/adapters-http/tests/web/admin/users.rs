//! The admin's user pages: the list and its buttons, create, reset, delete.

use super::{audit_count, follow};
use crate::support::{PASSWORD, TestApp, TestResponse};
use application::users::CreateUser;
use axum::http::{StatusCode, header};
use domain::{Role, UserId};

/// The password shown once on `page`.
fn shown_password(page: &TestResponse) -> String {
    let after = page.body.split("<code data-password>").nth(1).expect("a password is shown");
    after.split("</code>").next().unwrap().to_owned()
}

/// Creates a second admin `chief` with `PASSWORD`.
async fn second_admin(app: &TestApp) -> UserId {
    let cmd =
        CreateUser { username: "chief".into(), role: "admin".into(), password: PASSWORD.into(), idempotency_key: None };
    app.tracker().create_user(&app.admin(), cmd).await.unwrap()
}

async fn user_named(app: &TestApp, name: &str) -> Option<domain::User> {
    app.tracker().list_users(&app.admin()).await.unwrap().into_iter().find(|u| u.username().as_str() == name)
}

#[tokio::test]
async fn the_users_page_lists_every_account_with_its_role_state_and_buttons() {
    let app = TestApp::new().await;
    app.tracker().disable_user(&app.admin(), app.manager_id()).await.unwrap();
    let admin = app.login("admin").await;
    let page = admin.get("/admin/users").await;
    assert_eq!(page.status, StatusCode::OK);
    let manager = app.manager_id();
    let row = page.body.split(r#"<tr data-user="manager">"#).nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains(r#"<option value="manager" selected>"#), "{row}");
    assert!(row.contains(r#"data-state="disabled""#) && row.contains("<time datetime="));
    assert!(row.contains(&format!(r#"action="/admin/users/{manager}/enable""#)));
    assert!(row.contains(&format!(r#"action="/admin/users/{manager}/password""#)));
    assert!(row.contains(&format!(r#"href="/admin/users/{manager}/delete""#)));
    assert!(page.body.contains(r#"href="/admin/users/new""#));
}

#[tokio::test]
async fn creating_a_user_with_a_typed_password_redirects_to_the_users_page_and_the_user_can_log_in() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    let key = admin.get("/admin/users/new").await.hidden_value("idempotency_key").unwrap();
    let form = [
        ("username", "rookie"),
        ("role", "manager"),
        ("password", "a long enough password"),
        ("idempotency_key", &key),
    ];
    let created = admin.post_form("/admin/users/new", &form).await;
    assert_eq!(created.location(), Some("/admin/users"));
    assert!(follow(&admin, &created).await.body.contains("User rookie created."));
    assert_eq!(user_named(&app, "rookie").await.unwrap().role(), Role::Manager);
    app.login_with("rookie", "a long enough password").await;
}

#[tokio::test]
async fn a_duplicate_username_is_refused_at_the_top_of_the_form_and_nothing_is_created() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    let before = audit_count(&app).await;
    let form = [("username", "Manager"), ("role", "admin"), ("password", "a long enough password")];
    let response = admin.post_form("/admin/users/new", &form).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains(r#"<p class="form-error" role="alert">The username is already taken.</p>"#));
    assert_eq!(response.hidden_value("username").as_deref(), Some("Manager"));
    assert!(!response.body.contains("a long enough password"), "the password is not sent back");
    assert_eq!(audit_count(&app).await, before);
    assert_eq!(user_named(&app, "manager").await.unwrap().role(), Role::Manager);
}

#[tokio::test]
async fn an_invalid_new_user_is_shown_again_with_a_message_beside_each_field() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    let response =
        admin.post_form("/admin/users/new", &[("username", "x"), ("role", "admin"), ("password", "short")]).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains(r#"id="username-error""#) && response.body.contains(r#"id="password-error""#));
    assert_eq!(app.tracker().list_users(&app.admin()).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_generated_password_is_shown_once_is_not_cached_and_works_for_login() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    let key = admin.get("/admin/users/new").await.hidden_value("idempotency_key").unwrap();
    let form = [("username", "rookie"), ("role", "admin"), ("generate", "true"), ("idempotency_key", &key)];
    let created = admin.post_form("/admin/users/new", &form).await;
    assert_eq!(created.status, StatusCode::OK);
    assert_eq!(created.headers[header::CACHE_CONTROL], "no-store");
    let password = shown_password(&created);
    assert_eq!(password.len(), 24);
    assert!(password.chars().all(|c| c.is_ascii_alphanumeric()), "{password}");
    assert!(!admin.get("/admin/users").await.body.contains(&password), "shown once only");
    assert!(!admin.get("/profile").await.body.contains(&password));
    let again = admin.post_form("/admin/users/new", &form).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "a resubmit never shows a password that does not work");
    assert!(!again.body.contains("data-password"));
    let rookie = app.login_with("rookie", &password).await;
    assert_eq!(rookie.get("/admin/users").await.status, StatusCode::OK, "an admin");
}

#[tokio::test]
async fn a_generated_reset_password_is_shown_once_ends_the_users_sessions_and_works_for_login() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let admin = app.login("admin").await;
    let response =
        admin.post_form(&format!("/admin/users/{}/password", app.manager_id()), &[("generate", "true")]).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.headers[header::CACHE_CONTROL], "no-store");
    assert!(response.body.contains("Password of manager reset"), "{}", response.body);
    let password = shown_password(&response);
    assert_eq!(manager.get("/manage").await.status, StatusCode::SEE_OTHER, "the old session ended");
    assert!(!admin.get("/admin/users").await.body.contains(&password));
    app.login_with("manager", &password).await;
}

#[tokio::test]
async fn a_typed_reset_password_is_flashed_and_a_short_one_is_shown_beside_that_users_field() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    let path = format!("/admin/users/{}/password", app.manager_id());
    let before = audit_count(&app).await;
    let short = admin.post_form(&path, &[("password", "short")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let field = format!(r#"id="password-{}-error""#, app.manager_id());
    assert!(short.body.contains(&field), "{}", short.body);
    assert_eq!(audit_count(&app).await, before, "nothing changed");
    app.login_with("manager", PASSWORD).await;
    let reset = admin.post_form(&path, &[("password", "a brand new passphrase")]).await;
    assert_eq!(reset.location(), Some("/admin/users"));
    assert!(follow(&admin, &reset).await.body.contains("The password was reset and the user was logged out."));
    app.login_with("manager", "a brand new passphrase").await;
}

#[tokio::test]
async fn changing_a_role_is_saved_and_flashed() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    let response = admin.post_form(&format!("/admin/users/{}/role", app.manager_id()), &[("role", "admin")]).await;
    assert_eq!(response.location(), Some("/admin/users"));
    assert!(follow(&admin, &response).await.body.contains("The role was saved."));
    assert_eq!(user_named(&app, "manager").await.unwrap().role(), Role::Admin);
}

#[tokio::test]
async fn the_last_admin_cannot_demote_disable_or_delete_their_own_account() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    let me = app.admin_id();
    let before = audit_count(&app).await;
    let refusals = [
        (
            format!("/admin/users/{me}/role"),
            vec![("role", "manager")],
            "The last enabled admin cannot be deleted, disabled or demoted.",
        ),
        (format!("/admin/users/{me}/disable"), vec![], "You cannot delete or disable your own account."),
        (format!("/admin/users/{me}/delete"), vec![], "You cannot delete or disable your own account."),
    ];
    for (path, form, message) in refusals {
        let response = admin.post_form(&path, &form).await;
        assert_eq!(response.location(), Some("/admin/users"), "{path}");
        let page = follow(&admin, &response).await;
        assert!(
            page.body.contains(&format!(r#"<p class="flash flash-error" role="alert">{message}</p>"#)),
            "{path}: {}",
            page.body
        );
    }
    assert_eq!(audit_count(&app).await, before, "nothing changed");
    let me = user_named(&app, "admin").await.unwrap();
    assert!(me.is_enabled_admin());
    let confirm = admin.get(&format!("/admin/users/{}/delete", app.admin_id())).await;
    assert!(confirm.body.contains("This is your own account. You cannot delete it"), "{}", confirm.body);
}

#[tokio::test]
async fn deleting_a_user_asks_for_confirmation_first() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    let path = format!("/admin/users/{}/delete", app.manager_id());
    let confirm = admin.get(&path).await;
    assert!(confirm.body.contains("<h1>Delete manager</h1>") && confirm.body.contains("Delete user</button>"));
    assert!(user_named(&app, "manager").await.is_some(), "the confirmation changes nothing");
    let deleted = admin.post_form(&path, &[]).await;
    assert_eq!(deleted.location(), Some("/admin/users"));
    assert!(follow(&admin, &deleted).await.body.contains("The user was deleted."));
    assert!(user_named(&app, "manager").await.is_none());
}

#[tokio::test]
async fn a_disabled_admins_session_ends_at_its_next_request_and_enabling_lets_them_back_in() {
    let app = TestApp::new().await;
    let chief_id = second_admin(&app).await;
    let chief = app.login("chief").await;
    assert_eq!(chief.get("/admin").await.status, StatusCode::OK);
    let admin = app.login("admin").await;
    let disabled = admin.post_form(&format!("/admin/users/{chief_id}/disable"), &[]).await;
    assert!(follow(&admin, &disabled).await.body.contains("The user was disabled and logged out."));
    let next = chief.get("/admin").await;
    assert_eq!((next.status, next.location()), (StatusCode::SEE_OTHER, Some("/login?next=%2Fadmin")));
    let refused = app.anonymous().post_form("/login", &[("username", "chief"), ("password", PASSWORD)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let enabled = admin.post_form(&format!("/admin/users/{chief_id}/enable"), &[]).await;
    assert!(follow(&admin, &enabled).await.body.contains("The user was enabled."));
    app.login("chief").await;
}

#[tokio::test]
async fn an_admin_renames_a_user_whose_session_goes_on_and_a_taken_name_is_shown_beside_the_field() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    let manager = app.login("manager").await;
    let path = format!("/admin/users/{}/username", app.manager_id());
    let before = audit_count(&app).await;
    let taken = admin.post_form(&path, &[("username", "ADMIN")]).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    let field = format!(r#"id="username-{}-error""#, app.manager_id());
    assert!(taken.body.contains(&field), "{}", taken.body);
    assert!(taken.body.contains("is already taken by another account"), "{}", taken.body);
    assert!(taken.body.contains(r#"value="ADMIN""#), "the typed name is kept: {}", taken.body);
    assert_eq!(audit_count(&app).await, before, "nothing changed");
    let renamed = admin.post_form(&path, &[("username", "logistics")]).await;
    assert!(follow(&admin, &renamed).await.body.contains("The username was saved."));
    assert_eq!(audit_count(&app).await, before + 1, "one audit entry");
    assert_eq!(manager.get("/profile").await.status, StatusCode::OK, "the renamed user's session goes on");
    assert!(manager.get("/profile").await.body.contains("<dd>logistics</dd>"));
    app.login_with("logistics", PASSWORD).await;
}

#[tokio::test]
async fn an_admin_sees_each_users_token_count_and_revokes_them_all() {
    let app = TestApp::new().await;
    let input = |name: &str| application::users::TokenInput { name: name.into(), expires_in_days: String::new() };
    let bot = app.tracker().create_token(&app.manager(), input("bot")).await.expect("a token");
    app.tracker().create_token(&app.manager(), input("mod")).await.expect("a token");
    let admin = app.login("admin").await;
    let page = admin.get("/admin/users").await;
    let row = page.body.split("data-user=\"manager\"").nth(1).expect("the manager's row");
    assert!(row.contains("data-tokens=\"2\""), "{row}");
    let action = format!("/admin/users/{}/tokens/revoke", app.manager_id().get());
    assert!(row.contains(&action), "a revoke button");

    let revoked = admin.post_form(&action, &[]).await;
    let shown = follow(&admin, &revoked).await;
    assert!(shown.body.contains("2 API tokens were revoked."), "{}", shown.body);
    assert!(shown.body.contains("data-tokens=\"0\""));
    assert!(app.tracker().token_actor(&bot.secret).await.expect("a lookup").is_none(), "the token stops working");
    let again = follow(&admin, &admin.post_form(&action, &[]).await).await;
    assert!(again.body.contains("The user has no API tokens."), "{}", again.body);

    let manager = app.login("manager").await;
    assert_eq!(manager.post_form(&action, &[]).await.status, StatusCode::FORBIDDEN, "admins only");
}
