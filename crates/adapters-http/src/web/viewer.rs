//! Who is looking at a page: `Viewer` (anyone, anonymous allowed) and `StaffOnly`
//! (logged-in staff; the public is sent to the login page), and the middleware that
//! finds the viewer in the session, ends sessions past their absolute lifetime and
//! renders error pages in the viewer's layout.
//!
//! Invariant: these extractors decide only "must be logged in"; what a role may do is
//! decided by the use cases, which receive the `Actor`.

use super::auth::{self, AuthSession};
use super::layout::Layout;
use super::{HttpError, Views, error_page};
use crate::AppState;
use application::App;
use application::{Actor, StaffMember};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::Role;
use serde::Serialize;
use std::sync::Arc;

/// The visitor: the public or a logged-in staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Viewer {
    actor: Actor,
}

/// The viewer as templates see it (`viewer.username`, `viewer.role`, `viewer.is_admin`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ViewerView {
    pub(crate) username: String,
    pub(crate) role: &'static str,
    pub(crate) is_admin: bool,
}

impl Viewer {
    /// The public.
    pub(crate) fn anonymous() -> Self {
        Self { actor: Actor::Anonymous }
    }

    /// A logged-in staff member.
    pub(crate) fn staff_member(staff: StaffMember) -> Self {
        Self { actor: Actor::Staff(staff) }
    }

    /// The staff member, when logged in.
    pub(crate) fn staff(&self) -> Option<&StaffMember> {
        match &self.actor {
            Actor::Staff(staff) => Some(staff),
            Actor::Anonymous => None,
        }
    }

    /// What templates show of the viewer (`None` for the public).
    pub(crate) fn view(&self) -> Option<ViewerView> {
        self.staff().map(|s| ViewerView {
            username: s.username.to_string(),
            role: s.role.as_str(),
            is_admin: s.role == Role::Admin,
        })
    }
}

impl<T: Send + Sync> FromRequestParts<T> for Viewer {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &T) -> Result<Self, HttpError> {
        parts.extensions.get::<Viewer>().cloned().ok_or_else(|| HttpError::unexpected(MissingLayer("viewer")))
    }
}

/// A logged-in admin or manager. For the public, the request is answered with a
/// redirect to `/login?next=<this page>` (GET) or to `/login` (other methods).
#[derive(Debug, Clone)]
pub(crate) struct StaffOnly {
    /// Who acts, for use cases (always `Actor::Staff`).
    pub(crate) actor: Actor,
    /// The staff member.
    pub(crate) staff: StaffMember,
}

impl<T: Send + Sync> FromRequestParts<T> for StaffOnly {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &T) -> Result<Self, Response> {
        let viewer = Viewer::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        if let Some(staff) = viewer.staff() {
            return Ok(Self { staff: staff.clone(), actor: viewer.actor });
        }
        let login = if parts.method == Method::GET || parts.method == Method::HEAD {
            let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let query = serde_urlencoded::to_string([("next", here)]).unwrap_or_default();
            format!("/login?{query}")
        } else {
            "/login".to_owned()
        };
        Err(super::see_other(&login))
    }
}

/// A layer the extractors rely on is missing (a wiring bug).
#[derive(Debug, thiserror::Error)]
#[error("the {0} layer is missing")]
pub(crate) struct MissingLayer(pub(crate) &'static str);

/// Finds the viewer, logging out a session past its absolute lifetime, and renders
/// bare error responses from the handlers in the viewer's layout.
pub(crate) async fn load<A: App>(State(state): State<AppState<A>>, mut request: Request, next: Next) -> Response {
    let Some(mut auth) = request.extensions_mut().remove::<AuthSession<A>>() else {
        return HttpError::unexpected(MissingLayer("login session")).into_response();
    };
    if let Some(user) = auth.user.clone() {
        let login_at = match auth::login_at(&auth.session).await {
            Ok(at) => at,
            Err(e) => return e.into_response(),
        };
        if auth::outlived(login_at, state.clock.now(), state.settings.absolute_lifetime) {
            tracing::info!(user = %user.username, "session reached its absolute lifetime");
            if let Err(e) = auth::log_out(&mut auth).await {
                return e.into_response();
            }
        } else if let Err(e) = auth::keep_alive(&auth.session, state.clock.now(), state.settings.idle_timeout).await {
            return e.into_response();
        }
    }
    let viewer = match &auth.user {
        Some(user) => Viewer::staff_member(StaffMember {
            id: user.id,
            username: user.username.clone(),
            role: user.role,
            token: None,
        }),
        None => Viewer::anonymous(),
    };
    let session = auth.session.clone();
    let path = request.uri().path().to_owned();
    let request_id = error_page::request_id(&request);
    let views: Arc<Views> = Arc::clone(&state.views);
    request.extensions_mut().insert(auth);
    request.extensions_mut().insert(viewer.clone());
    request.extensions_mut().insert(Arc::clone(&views));
    let response = next.run(request).await;
    let mut response = if error_page::is_bare(&response) {
        let layout = match Layout::for_error(&session, &viewer, &path).await {
            Ok(layout) => layout,
            Err(_) => Layout::anonymous(&path),
        };
        error_page::render(&views, response, &path, &request_id, layout)
    } else {
        response
    };
    if viewer.staff().is_some() || path == "/login" {
        // A signed-in page (or the login form's token) must not outlive the session in
        // a browser's or a proxy's cache.
        let headers = response.headers_mut();
        if !headers.contains_key(header::CACHE_CONTROL) {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    response
}
