//! Logging in and out, and the staff member's own profile and password.
//!
//! Invariants: a failed login says only "invalid username or password" and keeps the
//! username, never the password; `next` is followed only to a path on this site; login
//! attempts are limited per client address, and per username by the use case (a locked
//! username's login is a 429 with `Retry-After`, whatever the client address).

pub(crate) mod profile;

use crate::middleware::{loggable, per_client_limit, shared_limit, take_shared};
use crate::web::auth::{self, AuthSession, Credentials};
use crate::web::{Flash, FormErrors, HttpError, Page, Ui, local_path, see_other};
use crate::{AppState, HttpSettings};
use application::{App, LoginLocked};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// Where staff land after logging in when no `next` is given.
const HOME: &str = "/manage";

/// The routes of this module; `POST /login` is limited per client address.
pub(crate) fn routes<A: App>(settings: &HttpSettings) -> Router<AppState<A>> {
    let mut submit = post(log_in::<A>);
    if let Some(limit) = per_client_limit(settings.login_attempts_per_minute, &settings.trusted_proxies) {
        submit = submit.layer(limit);
    }
    if let Some(shared) = shared_limit("login", settings.login_attempts_per_minute, settings) {
        submit = submit.layer(axum::middleware::from_fn_with_state(shared, take_shared));
    }
    Router::new()
        .route("/login", get(login_page).merge(submit))
        .route("/logout", post(log_out::<A>))
        .merge(profile::routes())
}

/// `?next=` on the login page.
#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// The login form as submitted.
#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// The login page's view.
#[derive(Debug, Serialize)]
struct LoginView {
    username: String,
    next: String,
    errors: FormErrors,
}

fn login(view: &LoginView) -> Page {
    Page::new("login.html", "Log in", view).with_form()
}

/// `next` if it is a local path, else empty.
fn checked_next(next: Option<&str>) -> String {
    next.and_then(local_path).unwrap_or_default().to_owned()
}

/// `GET /login`: the form (staff already logged in go straight on).
async fn login_page(ui: Ui, Query(query): Query<NextQuery>) -> Result<Response, HttpError> {
    let next = checked_next(query.next.as_deref());
    if ui.viewer().staff().is_some() {
        return Ok(see_other(if next.is_empty() { HOME } else { &next }));
    }
    ui.render(login(&LoginView { username: String::new(), next, errors: FormErrors::none() })).await
}

/// `POST /login`: logs in with a new session id, or shows the form again (422).
async fn log_in<A: App>(
    State(state): State<AppState<A>>,
    ui: Ui,
    mut session: AuthSession<A>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, HttpError> {
    let next = checked_next(Some(&form.next));
    let credentials = Credentials { username: form.username.clone(), password: form.password };
    let user = match auth::authenticate(&session, credentials).await {
        Err(HttpError::LoginLocked(locked)) => return Err(locked_out(locked, &form.username)),
        other => other?,
    };
    let Some(user) = user else {
        metrics::counter!("login_failures_total").increment(1);
        let client =
            peer.map(|Extension(ConnectInfo(addr))| state.settings.trusted_proxies.client(addr.ip(), &headers));
        tracing::warn!(username = %loggable(&form.username), client = ?client, "failed login");
        let errors = FormErrors::message("Invalid username or password.");
        return ui.render(login(&LoginView { username: form.username, next, errors }).invalid()).await;
    };
    auth::log_in(&mut session, &user, state.clock.now()).await?;
    tracing::info!(user = %user.username, "logged in");
    let to = if next.is_empty() { HOME } else { &next };
    ui.see_other(to, Flash::success(format!("Welcome, {}.", user.username))).await
}

/// Counts and logs a login refused because its username is locked, and answers it
/// (429): `login_lockouts_total` when this failure started the lock,
/// `login_refused_while_locked_total` when the username was locked already.
fn locked_out(locked: LoginLocked, username: &str) -> HttpError {
    metrics::counter!("login_failures_total").increment(1);
    let counter = if locked.started { "login_lockouts_total" } else { "login_refused_while_locked_total" };
    metrics::counter!(counter).increment(1);
    let retry_after = locked.retry_after.whole_seconds();
    let username = loggable(username);
    tracing::warn!(%username, retry_after, started = locked.started, "login refused: the username is locked");
    HttpError::LoginLocked(locked)
}

/// `POST /logout`: ends the session.
async fn log_out<A: App>(ui: Ui, mut session: AuthSession<A>) -> Result<Response, HttpError> {
    auth::log_out(&mut session).await?;
    ui.see_other("/", Flash::info("You have been logged out.")).await
}

/// Fixture views for this module's templates.
#[cfg(test)]
pub(crate) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let login = LoginView {
        username: "someone".into(),
        next: "/manage".into(),
        errors: FormErrors::message("Invalid username or password."),
    };
    let mut fixtures = vec![("login.html", serde_json::to_value(login).unwrap_or_default())];
    fixtures.extend(profile::template_fixtures());
    fixtures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_local_next_is_kept() {
        assert_eq!(checked_next(Some("/manage/libraries")), "/manage/libraries");
        assert_eq!(checked_next(Some("//evil.example/x")), "");
        assert_eq!(checked_next(None), "");
    }
}
