//! `GET /admin/users` (every account with its role and state) and the buttons on it:
//! `POST /admin/users/{id}/role`, `/username` (rename), `/disable`, `/enable`,
//! `/password` (reset) and `/tokens/revoke` (every API token of the user).
//!
//! Invariant: a generated password is shown once, in the page answering the request
//! that set it (status 200, `Cache-Control: no-store`), and never stored in the
//! session: a flash would keep it in the session store (a database table in
//! production) until the next page is viewed, or for good if none is.

use super::{generated_password, refusal};
use crate::AppState;
use crate::pages::account::profile::RenameForm;
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors, iso, redirect_back};
use application::Actor;
use application::App;
use application::users::{ChangeRole, Rename, ResetPassword};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::{Role, User, UserId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/admin/users", get(list::<A>))
        .route("/admin/users/{id}/role", post(change_role::<A>))
        .route("/admin/users/{id}/username", post(rename::<A>))
        .route("/admin/users/{id}/disable", post(disable::<A>))
        .route("/admin/users/{id}/enable", post(enable::<A>))
        .route("/admin/users/{id}/password", post(reset_password::<A>))
        .route("/admin/users/{id}/tokens/revoke", post(revoke_tokens::<A>))
}

/// One account row.
#[derive(Debug, Serialize)]
struct UserRow {
    id: i64,
    username: String,
    role: &'static str,
    disabled: bool,
    created_at: String,
    /// The viewer's own account (no disable, reset or delete buttons).
    is_self: bool,
    /// Why the last password reset of this row was refused.
    password_error: Option<String>,
    /// The name in the row's rename field: the one typed when it was refused, else the
    /// account's own.
    new_username: String,
    /// Why the last rename of this row was refused.
    username_error: Option<String>,
    /// How many API tokens the account holds.
    tokens: u64,
}

/// A refused change of one row, shown beside its field.
#[derive(Debug, Default)]
pub(super) enum Refused {
    /// Nothing was refused.
    #[default]
    Nothing,
    /// A password reset, with the reason.
    Password(UserId, String),
    /// A rename: the name typed and the reason.
    Username { id: UserId, typed: String, message: String },
}

/// A password set by this request, shown once.
#[derive(Debug, Serialize)]
pub(super) struct PasswordNotice {
    pub(super) username: String,
    pub(super) password: String,
    /// The account was just created (else its password was reset).
    pub(super) created: bool,
}

/// A `<select>` option.
#[derive(Debug, Serialize)]
pub(super) struct Choice {
    value: &'static str,
    label: &'static str,
}

/// The users page's view.
#[derive(Debug, Serialize)]
struct UsersView {
    users: Vec<UserRow>,
    roles: Vec<Choice>,
    notice: Option<PasswordNotice>,
}

/// The role options of the selects.
pub(super) fn role_choices(roles: &[Role]) -> Vec<Choice> {
    let label = |role| if role == Role::Admin { "Admin" } else { "Manager" };
    roles.iter().map(|&role| Choice { value: role.as_str(), label: label(role) }).collect()
}

/// Every account, with how many API tokens each holds: what the users page shows.
pub(super) struct Accounts {
    pub(super) users: Vec<User>,
    tokens: HashMap<UserId, u64>,
}

impl Accounts {
    /// The accounts as `actor` (an admin) may list them.
    pub(super) async fn read<A: App>(state: &AppState<A>, actor: &Actor) -> Result<Self, HttpError> {
        let users = state.tracker.list_users(actor).await?;
        let tokens = state.tracker.token_counts(actor).await?.into_iter().collect();
        Ok(Self { users, tokens })
    }
}

/// The users page for `viewer`, with a one-time `notice` and the refusal of a reset.
pub(super) fn users_page(
    accounts: &Accounts,
    viewer: UserId,
    notice: Option<PasswordNotice>,
    refused: &Refused,
) -> Page {
    let users = accounts
        .users
        .iter()
        .map(|u| {
            let password_error = match refused {
                Refused::Password(id, message) if *id == u.id() => Some(message.clone()),
                _ => None,
            };
            let (new_username, username_error) = match refused {
                Refused::Username { id, typed, message } if *id == u.id() => (typed.clone(), Some(message.clone())),
                _ => (u.username().to_string(), None),
            };
            UserRow {
                id: u.id().get(),
                username: u.username().to_string(),
                role: u.role().as_str(),
                disabled: u.is_disabled(),
                created_at: iso(u.created_at()),
                is_self: u.id() == viewer,
                password_error,
                new_username,
                username_error,
                tokens: accounts.tokens.get(&u.id()).copied().unwrap_or_default(),
            }
        })
        .collect();
    let roles = role_choices(&Role::ALL);
    Page::new("admin/users.html", "Users", &UsersView { users, roles, notice }).crumb("Admin", "/admin")
}

/// A response showing a password: never cached.
pub(super) fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /admin/users`.
async fn list<A: App>(State(state): State<AppState<A>>, staff: StaffOnly, ui: Ui) -> Result<Response, HttpError> {
    let accounts = Accounts::read(&state, &staff.actor).await?;
    ui.render(users_page(&accounts, staff.staff.id, None, &Refused::Nothing)).await
}

/// The role form as submitted.
#[derive(Debug, Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

/// `POST /admin/users/{id}/role`.
async fn change_role<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> Result<Response, HttpError> {
    let outcome = state.tracker.change_role(&staff.actor, UserId::new(id), ChangeRole { role: form.role }).await;
    redirect_back(&ui, "/admin/users", outcome.map(|()| Flash::success("The role was saved.")), refusal).await
}

/// `POST /admin/users/{id}/username`: renames the account; a refused name is shown
/// again beside the row's field with the reason.
async fn rename<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<RenameForm>,
) -> Result<Response, HttpError> {
    let id = UserId::new(id);
    let cmd = Rename { username: form.username.clone() };
    let Err(e) = state.tracker.rename_user(&staff.actor, id, cmd).await else {
        return ui.see_other("/admin/users", Flash::success("The username was saved.")).await;
    };
    let message = field_refusal(form_errors(e)?);
    let accounts = Accounts::read(&state, &staff.actor).await?;
    let refused = Refused::Username { id, typed: form.username, message };
    ui.render(users_page(&accounts, staff.staff.id, None, &refused).invalid()).await
}

/// `POST /admin/users/{id}/disable`: the account can no longer log in; its sessions end.
async fn disable<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let outcome = state.tracker.disable_user(&staff.actor, UserId::new(id)).await;
    redirect_back(
        &ui,
        "/admin/users",
        outcome.map(|()| Flash::success("The user was disabled and logged out.")),
        refusal,
    )
    .await
}

/// `POST /admin/users/{id}/enable`.
async fn enable<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let outcome = state.tracker.enable_user(&staff.actor, UserId::new(id)).await;
    redirect_back(&ui, "/admin/users", outcome.map(|()| Flash::success("The user was enabled.")), refusal).await
}

/// The reset form as submitted: a typed `password`, or `generate`.
#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    generate: Option<String>,
}

/// `POST /admin/users/{id}/password`: a typed password answers 303 with a flash; a
/// generated one is shown once on the users page (200); a refused one shows the page
/// with the reason beside that user's field (422).
async fn reset_password<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<ResetForm>,
) -> Result<Response, HttpError> {
    let (id, generate) = (UserId::new(id), form.generate.is_some());
    let password = if generate { generated_password() } else { form.password };
    let cmd = ResetPassword { new_password: password.clone() };
    let refusal = match state.tracker.reset_password(&staff.actor, id, cmd).await {
        Ok(()) if !generate => {
            let flash = Flash::success("The password was reset and the user was logged out.");
            return ui.see_other("/admin/users", flash).await;
        }
        Ok(()) => None,
        Err(e) => Some(Refused::Password(id, field_refusal(form_errors(e)?))),
    };
    let accounts = Accounts::read(&state, &staff.actor).await?;
    if let Some(refused) = refusal {
        return ui.render(users_page(&accounts, staff.staff.id, None, &refused).invalid()).await;
    }
    let username = accounts.users.iter().find(|u| u.id() == id).map(|u| u.username().to_string()).unwrap_or_default();
    let notice = PasswordNotice { username, password, created: false };
    Ok(no_store(ui.render(users_page(&accounts, staff.staff.id, Some(notice), &Refused::Nothing)).await?))
}

/// `POST /admin/users/{id}/tokens/revoke`: every API token of the user stops working.
async fn revoke_tokens<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let outcome = state.tracker.revoke_user_tokens(&staff.actor, UserId::new(id)).await;
    let flash = |revoked: u64| match revoked {
        0 => Flash::success("The user has no API tokens."),
        1 => Flash::success("1 API token was revoked."),
        n => Flash::success(format!("{n} API tokens were revoked.")),
    };
    redirect_back(&ui, "/admin/users", outcome.map(flash), refusal).await
}

/// The message of a refused row form (the use case names its one field).
fn field_refusal(errors: FormErrors) -> String {
    errors.form.or_else(|| errors.fields.into_values().next()).unwrap_or_default()
}

/// Fixture views for this module's template.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let row = |id, username: &str, role, disabled, is_self, password_error: Option<&str>| UserRow {
        id,
        username: username.into(),
        role,
        disabled,
        created_at: "2026-01-01T12:00:00Z".into(),
        is_self,
        password_error: password_error.map(Into::into),
        new_username: username.into(),
        username_error: None,
        tokens: if is_self { 0 } else { id.unsigned_abs() },
    };
    let renamed = UserRow {
        new_username: "Manager".into(),
        username_error: Some("is already taken by another account".into()),
        ..row(4, "second", "manager", false, false, None)
    };
    let roles = || role_choices(&Role::ALL);
    let full = UsersView {
        users: vec![
            row(1, "admin", "admin", false, true, None),
            row(2, "manager", "manager", false, false, Some("must be at least 12 characters")),
            row(3, "old.hand", "manager", true, false, None),
            renamed,
        ],
        roles: roles(),
        notice: Some(PasswordNotice {
            username: "manager".into(),
            password: "Abc123Def456Ghi789Jkl012".into(),
            created: true,
        }),
    };
    let reset = UsersView {
        users: vec![row(1, "admin", "admin", false, true, None)],
        roles: roles(),
        notice: Some(PasswordNotice {
            username: "admin".into(),
            password: "Abc123Def456Ghi789Jkl012".into(),
            created: false,
        }),
    };
    vec![
        ("admin/users.html", serde_json::to_value(full).unwrap_or_default()),
        ("admin/users.html", serde_json::to_value(reset).unwrap_or_default()),
    ]
}
