//! Login sessions: the axum-login backend over the tracker, and the session and CSRF
//! layers around the pages.
//!
//! Invariants: a session names its user by id and security stamp, and its auth hash is
//! made of both, so a password change or reset, disabling or deleting the user ends the
//! session on its next request (`Tracker::session_user` answers `None`). A session also
//! ends `absolute_lifetime` after login whatever the activity, and after `idle_timeout`
//! without a request. The session id changes at login.

use super::{HttpError, csrf, viewer};
use crate::AppState;
use application::UseCaseError;
use application::{App, TrackerOf};
use axum::Router;
use axum_login::{AuthManagerLayerBuilder, AuthUser, AuthnBackend};
use domain::{Role, SecurityStamp, User, UserId, Username};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use time::UtcDateTime;
use tower_http::csrf::CsrfLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};

/// Where the login time is kept in the session, for the absolute lifetime.
const LOGIN_AT: &str = "login_at";
/// When the session was last saved to extend its idle timeout (Unix seconds).
const SEEN_AT: &str = "seen_at";

/// The session's reference to its user: the account and the stamp it logged in under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SessionKey {
    user: i64,
    stamp: i64,
}

impl std::fmt::Display for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.user)
    }
}

/// The logged-in user as the session layer knows it.
#[derive(Debug, Clone)]
pub(crate) struct SessionUser {
    key: SessionKey,
    hash: Vec<u8>,
    /// The account.
    pub(crate) id: UserId,
    /// Its login name.
    pub(crate) username: Username,
    /// Its role.
    pub(crate) role: Role,
}

impl From<&User> for SessionUser {
    fn from(user: &User) -> Self {
        let key = SessionKey { user: user.id().get(), stamp: user.security_stamp().get() };
        let hash = [key.user.to_be_bytes(), key.stamp.to_be_bytes()].concat();
        Self { key, hash, id: user.id(), username: user.username().clone(), role: user.role() }
    }
}

impl AuthUser for SessionUser {
    type Id = SessionKey;

    fn id(&self) -> SessionKey {
        self.key
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.hash
    }
}

/// What the login form submits. Its `Debug` hides the password.
#[derive(Clone)]
pub(crate) struct Credentials {
    pub(crate) username: String,
    pub(crate) password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("username", &self.username).finish_non_exhaustive()
    }
}

/// axum-login's view of the tracker.
pub(crate) struct Backend<A: App> {
    tracker: Arc<TrackerOf<A>>,
}

impl<A: App> Clone for Backend<A> {
    fn clone(&self) -> Self {
        Self { tracker: Arc::clone(&self.tracker) }
    }
}

impl<A: App> AuthnBackend for Backend<A> {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = UseCaseError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SessionUser>, UseCaseError> {
        match self.tracker.authenticate(&creds.username, &creds.password).await {
            Ok(user) => Ok(Some(SessionUser::from(&user))),
            Err(UseCaseError::InvalidCredentials) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn get_user(&self, key: &SessionKey) -> Result<Option<SessionUser>, UseCaseError> {
        let user = self.tracker.session_user(UserId::new(key.user), SecurityStamp::new(key.stamp)).await?;
        Ok(user.as_ref().map(SessionUser::from))
    }
}

/// The login session of a request, as handlers extract it.
pub(crate) type AuthSession<A> = axum_login::AuthSession<Backend<A>>;

fn auth_failed<A: App>(e: axum_login::Error<Backend<A>>) -> HttpError {
    match e {
        axum_login::Error::Session(e) => e.into(),
        axum_login::Error::Backend(e) => e.into(),
    }
}

/// The enabled account matching `credentials`, or `None`.
pub(crate) async fn authenticate<A: App>(
    auth: &AuthSession<A>,
    credentials: Credentials,
) -> Result<Option<SessionUser>, HttpError> {
    auth.authenticate(credentials).await.map_err(auth_failed)
}

/// Logs `user` in: whatever state the old session was in (anonymous, another user's,
/// or one whose user no longer resolves), its data and record are dropped first, so the
/// login always gets a new session id and a new CSRF token; then the login time that
/// starts the absolute lifetime (and the idle timeout's first extension).
pub(crate) async fn log_in<A: App>(
    auth: &mut AuthSession<A>,
    user: &SessionUser,
    now: UtcDateTime,
) -> Result<(), HttpError> {
    // `flush` empties the record but a store may hand its id out again; `cycle_id`
    // makes sure the id is new.
    auth.session.flush().await?;
    auth.session.cycle_id().await?;
    auth.login(user).await.map_err(auth_failed)?;
    csrf::token(&auth.session).await?;
    auth.session.insert(LOGIN_AT, now.unix_timestamp()).await?;
    auth.session.insert(SEEN_AT, now.unix_timestamp()).await?;
    Ok(())
}

/// Binds the session to `user` again after its stamp moved (a password change), keeping
/// the session id and the login time.
pub(crate) async fn renew<A: App>(auth: &mut AuthSession<A>, user: &User) -> Result<(), HttpError> {
    auth.login(&SessionUser::from(user)).await.map_err(auth_failed)
}

/// Ends the session.
pub(crate) async fn log_out<A: App>(auth: &mut AuthSession<A>) -> Result<(), HttpError> {
    auth.logout().await.map_err(auth_failed).map(|_| ())
}

/// Whether a session that logged in at `login_at` (Unix seconds) has outlived `lifetime`.
pub(crate) fn outlived(login_at: Option<i64>, now: UtcDateTime, lifetime: std::time::Duration) -> bool {
    let lifetime = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
    login_at.is_none_or(|at| now.unix_timestamp().saturating_sub(at) >= lifetime)
}

/// The login time stored in the session.
pub(crate) async fn login_at(session: &tower_sessions::Session) -> Result<Option<i64>, HttpError> {
    Ok(session.get(LOGIN_AT).await?)
}

/// How long a signed-in session may go between saves that extend its idle timeout: a
/// quarter of the timeout, at most a minute. Saving on every request would make every
/// page view a database write; this way the session ends at most that much earlier
/// than the idle timeout says.
pub(crate) fn refresh_every(idle: std::time::Duration) -> std::time::Duration {
    (idle / 4).min(std::time::Duration::from_secs(60))
}

/// Extends a signed-in session's idle timeout when it was last extended longer ago than
/// `refresh_every(idle)`: marking the session changed makes the session layer save it
/// with a new expiry and send the cookie again.
pub(crate) async fn keep_alive(
    session: &tower_sessions::Session,
    now: UtcDateTime,
    idle: std::time::Duration,
) -> Result<(), HttpError> {
    let seen_at: Option<i64> = session.get(SEEN_AT).await?;
    let every = i64::try_from(refresh_every(idle).as_secs()).unwrap_or(i64::MAX);
    if seen_at.is_none_or(|at| now.unix_timestamp().saturating_sub(at) >= every) {
        session.insert(SEEN_AT, now.unix_timestamp()).await?;
    }
    Ok(())
}

/// Wraps the pages in the session, login and CSRF layers, outermost last: sessions and
/// login, then the viewer (absolute lifetime, error pages), then the Sec-Fetch-Site and
/// Origin checks, then the synchronizer token.
pub(crate) fn with_sessions<A: App, Sessions>(
    pages: Router<AppState<A>>,
    state: &AppState<A>,
    sessions: Sessions,
) -> Router<AppState<A>>
where
    Sessions: SessionStore + Clone,
{
    let settings = &state.settings;
    let idle = time::Duration::try_from(settings.idle_timeout).unwrap_or(time::Duration::MAX);
    let session_layer = SessionManagerLayer::new(sessions)
        .with_name(settings.session_cookie_name.clone())
        .with_secure(settings.secure_cookie)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(idle));
    let auth =
        AuthManagerLayerBuilder::new(Backend::<A> { tracker: Arc::clone(&state.tracker) }, session_layer).build();
    pages
        .layer(axum::middleware::from_fn_with_state(settings.body_limit, csrf::verify))
        .layer(CsrfLayer::new())
        .layer(axum::middleware::from_fn_with_state(state.clone(), viewer::load::<A>))
        .layer(auth)
        .layer(axum::middleware::from_fn(super::error::session_store_failures))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use time::macros::utc_datetime;

    #[test]
    fn a_session_outlives_its_lifetime_at_the_limit_and_without_a_login_time() {
        let now = utc_datetime!(2026-01-01 12:00);
        let hour = Duration::from_secs(3600);
        let at = |t: UtcDateTime| Some(t.unix_timestamp());
        assert!(!outlived(at(utc_datetime!(2026-01-01 11:01)), now, hour));
        assert!(outlived(at(utc_datetime!(2026-01-01 11:00)), now, hour));
        assert!(outlived(None, now, hour));
    }

    #[test]
    fn the_auth_hash_changes_with_the_stamp_and_the_user() {
        let user = |id: i64, stamp: i64| {
            let name = Username::parse("someone").unwrap();
            let hash = domain::PasswordHash::new("plain:x".into());
            let created = utc_datetime!(2026-01-01 0:00);
            SessionUser::from(&User::new(
                UserId::new(id),
                name,
                Role::Manager,
                hash,
                false,
                SecurityStamp::new(stamp),
                created,
            ))
        };
        assert_eq!(user(7, 1).session_auth_hash(), user(7, 1).session_auth_hash());
        assert_ne!(user(7, 1).session_auth_hash(), user(7, 2).session_auth_hash());
        assert_ne!(user(7, 1).session_auth_hash(), user(8, 1).session_auth_hash());
    }
}
