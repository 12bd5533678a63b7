//! `GET /profile`, `POST /profile/username` and `POST /profile/password`: a staff
//! member's own account.
//!
//! Invariant: after a password change this session stays logged in (it is bound to the
//! new security stamp) while every other session of the account ends; a rename ends no
//! session.

use crate::AppState;
use crate::web::auth::{self, AuthSession};
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors, iso};
use application::App;
use application::users::{ChangePassword, Rename};
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::User;
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(crate) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/profile", get(show::<A>))
        .route("/profile/username", post(rename::<A>))
        .route("/profile/password", post(change_password::<A>))
}

/// The profile page's view.
#[derive(Debug, Serialize)]
struct ProfileView {
    username: String,
    /// The rename field's value: the name typed when it was refused, else the current one.
    new_username: String,
    role: &'static str,
    created_at: String,
    errors: FormErrors,
}

/// The page; `typed` is a refused new username, shown again beside its error.
fn page(user: &User, typed: Option<String>, errors: FormErrors) -> Page {
    let view = ProfileView {
        username: user.username().to_string(),
        new_username: typed.unwrap_or_else(|| user.username().to_string()),
        role: user.role().as_str(),
        created_at: iso(user.created_at()),
        errors,
    };
    Page::new("profile.html", "Profile", &view).crumb("Manage", "/manage")
}

/// `GET /profile`.
async fn show<A: App>(State(state): State<AppState<A>>, staff: StaffOnly, ui: Ui) -> Result<Response, HttpError> {
    let user = state.tracker.profile(&staff.actor).await?;
    ui.render(page(&user, None, FormErrors::none())).await
}

/// A rename form as submitted (here and on the admin's users page).
#[derive(Debug, Deserialize)]
pub(crate) struct RenameForm {
    #[serde(default)]
    pub(crate) username: String,
}

/// `POST /profile/username`: changes the username; this session goes on.
async fn rename<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Form(form): Form<RenameForm>,
) -> Result<Response, HttpError> {
    let cmd = Rename { username: form.username.clone() };
    if let Err(e) = state.tracker.rename_own(&staff.actor, cmd).await {
        let errors = form_errors(e)?;
        let user = state.tracker.profile(&staff.actor).await?;
        return ui.render(page(&user, Some(form.username), errors).invalid()).await;
    }
    let user = state.tracker.profile(&staff.actor).await?;
    ui.see_other("/profile", Flash::success(format!("Your username is now {}.", user.username()))).await
}

/// The password form as submitted.
#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// `POST /profile/password`: changes the password and keeps this session logged in.
async fn change_password<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    mut session: AuthSession<A>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, HttpError> {
    let cmd = ChangePassword {
        current_password: form.current_password,
        new_password: form.new_password,
        confirm_password: form.confirm_password,
    };
    if let Err(e) = state.tracker.change_own_password(&staff.actor, cmd).await {
        let errors = form_errors(e)?;
        let user = state.tracker.profile(&staff.actor).await?;
        return ui.render(page(&user, None, errors).invalid()).await;
    }
    let user = state.tracker.profile(&staff.actor).await?;
    auth::renew(&mut session, &user).await?;
    ui.see_other("/profile", Flash::success("Your password was changed. Your other sessions have ended.")).await
}

/// Fixture views for this module's template.
#[cfg(test)]
pub(crate) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let mut errors = FormErrors::none();
    errors.fields.insert("new_password".into(), "must be at least 12 characters".into());
    let view = ProfileView {
        username: "manager".into(),
        new_username: "manager".into(),
        role: "manager",
        created_at: "2026-01-01T12:00:00Z".into(),
        errors,
    };
    let mut taken = FormErrors::none();
    taken.fields.insert("username".into(), "is already taken by another account".into());
    let renamed = ProfileView {
        username: "manager".into(),
        new_username: "Admin".into(),
        role: "manager",
        created_at: "2026-01-01T12:00:00Z".into(),
        errors: taken,
    };
    vec![
        ("profile.html", serde_json::to_value(view).unwrap_or_default()),
        ("profile.html", serde_json::to_value(renamed).unwrap_or_default()),
    ]
}
