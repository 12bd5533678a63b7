//! `GET /profile` and `POST /profile/password`: a staff member's own account.
//!
//! Invariant: after a password change this session stays logged in (it is bound to the
//! new security stamp) while every other session of the account ends.

use crate::AppState;
use crate::web::auth::{self, AuthSession};
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors, iso};
use application::App;
use application::users::ChangePassword;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::User;
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(crate) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/profile", get(show::<A>)).route("/profile/password", post(change_password::<A>))
}

/// The profile page's view.
#[derive(Debug, Serialize)]
struct ProfileView {
    username: String,
    role: &'static str,
    created_at: String,
    errors: FormErrors,
}

fn page(user: &User, errors: FormErrors) -> Page {
    let view = ProfileView {
        username: user.username().to_string(),
        role: user.role().as_str(),
        created_at: iso(user.created_at()),
        errors,
    };
    Page::new("profile.html", "Profile", &view).crumb("Manage", "/manage")
}

/// `GET /profile`.
async fn show<A: App>(State(state): State<AppState<A>>, staff: StaffOnly, ui: Ui) -> Result<Response, HttpError> {
    let user = state.tracker.profile(&staff.actor).await?;
    ui.render(page(&user, FormErrors::none())).await
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
        return ui.render(page(&user, errors).invalid()).await;
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
    let view =
        ProfileView { username: "manager".into(), role: "manager", created_at: "2026-01-01T12:00:00Z".into(), errors };
    vec![("profile.html", serde_json::to_value(view).unwrap_or_default())]
}
