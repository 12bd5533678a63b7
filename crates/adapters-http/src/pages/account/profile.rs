//! `GET /profile`, `POST /profile/username`, `POST /profile/password` and the API
//! tokens (`POST /profile/tokens`, `POST /profile/tokens/{id}/revoke`): a staff
//! member's own account.
//!
//! Invariants: after a password change this session stays logged in (it is bound to the
//! new security stamp) while every other session of the account ends; a rename ends no
//! session; a new token's secret is shown once, in the answer to the form that made it
//! (never in a redirect, a flash or a log), and cannot be read again.

use crate::AppState;
use crate::web::auth::{self, AuthSession};
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors, iso};
use application::App;
use application::users::{ChangePassword, IssuedApiToken, Rename, TokenInput};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::{ApiToken, ApiTokenId, User};
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(crate) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/profile", get(show::<A>))
        .route("/profile/username", post(rename::<A>))
        .route("/profile/password", post(change_password::<A>))
        .route("/profile/tokens", post(create_token::<A>))
        .route("/profile/tokens/{id}/revoke", post(revoke_token::<A>))
}

/// One of the staff member's API tokens, as listed.
#[derive(Debug, Serialize)]
struct TokenRow {
    id: i64,
    name: String,
    created_at: String,
    expires_at: Option<String>,
    /// To within a minute.
    last_used_at: Option<String>,
}

impl TokenRow {
    fn of(token: &ApiToken) -> Self {
        Self {
            id: token.id.get(),
            name: token.name.to_string(),
            created_at: iso(token.created_at),
            expires_at: token.expires_at.map(iso),
            last_used_at: token.last_used_at.map(iso),
        }
    }
}

/// A token just made: its secret, shown this once.
#[derive(Debug, Serialize)]
struct IssuedView {
    name: String,
    secret: String,
}

/// The API-token part of the page: the list, the form's typed values, and a token
/// just made.
#[derive(Debug, Default, Serialize)]
struct TokensView {
    tokens: Vec<TokenRow>,
    token_name: String,
    token_days: String,
    issued: Option<IssuedView>,
}

impl TokensView {
    fn listing(tokens: &[ApiToken]) -> Self {
        Self { tokens: tokens.iter().map(TokenRow::of).collect(), ..Self::default() }
    }
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
    #[serde(flatten)]
    tokens: TokensView,
}

/// The page; `typed` is a refused new username, shown again beside its error.
fn page(user: &User, tokens: TokensView, typed: Option<String>, errors: FormErrors) -> Page {
    let view = ProfileView {
        username: user.username().to_string(),
        new_username: typed.unwrap_or_else(|| user.username().to_string()),
        role: user.role().as_str(),
        created_at: iso(user.created_at()),
        errors,
        tokens,
    };
    Page::new("profile.html", "Profile", &view).crumb("Manage", "/manage")
}

/// The page with the account and its tokens as they are now.
async fn current<A: App>(
    state: &AppState<A>,
    staff: &StaffOnly,
    typed: Option<String>,
    errors: FormErrors,
) -> Result<Page, HttpError> {
    let user = state.tracker.profile(&staff.actor).await?;
    let tokens = state.tracker.tokens(&staff.actor).await?;
    Ok(page(&user, TokensView::listing(&tokens), typed, errors))
}

/// `GET /profile`.
async fn show<A: App>(State(state): State<AppState<A>>, staff: StaffOnly, ui: Ui) -> Result<Response, HttpError> {
    ui.render(current(&state, &staff, None, FormErrors::none()).await?).await
}

/// The token form as submitted.
#[derive(Debug, Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    expires_in_days: String,
}

/// `POST /profile/tokens`: makes a token and shows its secret, once.
async fn create_token<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Form(form): Form<TokenForm>,
) -> Result<Response, HttpError> {
    let cmd = TokenInput { name: form.name.clone(), expires_in_days: form.expires_in_days.clone() };
    let user = state.tracker.profile(&staff.actor).await?;
    match state.tracker.create_token(&staff.actor, cmd).await {
        Ok(IssuedApiToken { token, secret }) => {
            let tokens = state.tracker.tokens(&staff.actor).await?;
            let issued = Some(IssuedView { name: token.name.to_string(), secret });
            let view = TokensView { issued, ..TokensView::listing(&tokens) };
            ui.render(page(&user, view, None, FormErrors::none())).await
        }
        Err(e) => {
            let errors = form_errors(e)?;
            let tokens = state.tracker.tokens(&staff.actor).await?;
            let view =
                TokensView { token_name: form.name, token_days: form.expires_in_days, ..TokensView::listing(&tokens) };
            ui.render(page(&user, view, None, errors).invalid()).await
        }
    }
}

/// `POST /profile/tokens/{id}/revoke`: the token stops working at once.
async fn revoke_token<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    state.tracker.revoke_token(&staff.actor, ApiTokenId::new(id)).await?;
    ui.see_other("/profile", Flash::success("The token was revoked; it no longer works.")).await
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
        return ui.render(current(&state, &staff, Some(form.username), errors).await?.invalid()).await;
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
        return ui.render(current(&state, &staff, None, errors).await?.invalid()).await;
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
        tokens: TokensView {
            tokens: vec![TokenRow {
                id: 7,
                name: "Discord bot".into(),
                created_at: "2026-01-01T12:00:00Z".into(),
                expires_at: Some("2026-02-01T12:00:00Z".into()),
                last_used_at: Some("2026-01-15T09:30:00Z".into()),
            }],
            issued: Some(IssuedView { name: "Discord bot".into(), secret: "atk_0123".into() }),
            ..TokensView::default()
        },
    };
    let mut taken = FormErrors::none();
    taken.fields.insert("username".into(), "is already taken by another account".into());
    let renamed = ProfileView {
        username: "manager".into(),
        new_username: "Admin".into(),
        role: "manager",
        created_at: "2026-01-01T12:00:00Z".into(),
        errors: taken,
        tokens: TokensView { token_name: "bot".into(), token_days: "0".into(), ..TokensView::default() },
    };
    vec![
        ("profile.html", serde_json::to_value(view).unwrap_or_default()),
        ("profile.html", serde_json::to_value(renamed).unwrap_or_default()),
    ]
}
