//! `HttpError`: what a handler returns when it does not succeed, and how each use-case
//! outcome maps to a status. The response it makes is bare (a status and a message safe
//! to show, no body); the error-page middleware turns it into the page in the layout,
//! or into the API's error body (`{"error": {"code", "message", "field"}}`) under `/api/`.
//!
//! Invariant: a 5xx never carries internal detail; its cause is logged once, here, in
//! the request's span (which names the request id).

use application::{LoginLocked, UseCaseError};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The text shown on an error page, safe for any visitor to read.
#[derive(Debug, Clone)]
pub(crate) struct ErrorMessage(pub(crate) String);

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HttpError {
    /// A 4xx with a message safe to show.
    #[error("{1}")]
    Client(StatusCode, String),
    /// A login refused because its username is locked: 429 with `Retry-After`.
    #[error("too many failed logins")]
    LoginLocked(LoginLocked),
    /// The database cannot be reached or cannot write right now; the cause is logged,
    /// the visitor sees a 503 page with `Retry-After`.
    #[error("storage unavailable")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Something failed inside; the cause is logged, the visitor sees a 500 page.
    #[error("unexpected error")]
    Unexpected(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl HttpError {
    /// 404 for a page that does not exist.
    pub(crate) fn not_found() -> Self {
        Self::Client(StatusCode::NOT_FOUND, "This page does not exist.".to_owned())
    }

    /// 403 with a reason.
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::Client(StatusCode::FORBIDDEN, message.into())
    }

    /// 400 with a reason.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::Client(StatusCode::BAD_REQUEST, message.into())
    }

    /// A 500 caused by `cause`.
    pub(crate) fn unexpected(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Unexpected(Box::new(cause))
    }
}

impl From<UseCaseError> for HttpError {
    fn from(error: UseCaseError) -> Self {
        let client = |status, message: String| HttpError::Client(status, capitalized(&message));
        match error {
            UseCaseError::NotFound(what) => client(StatusCode::NOT_FOUND, format!("{what} not found.")),
            UseCaseError::Forbidden => client(StatusCode::FORBIDDEN, "You are not allowed to do this.".to_owned()),
            e @ UseCaseError::InvalidCredentials => client(StatusCode::UNPROCESSABLE_ENTITY, format!("{e}.")),
            UseCaseError::Invalid(errors) => client(StatusCode::UNPROCESSABLE_ENTITY, format!("{errors}.")),
            UseCaseError::Conflict(conflict) => client(StatusCode::CONFLICT, format!("{conflict}.")),
            UseCaseError::TooManyAttempts(locked) => HttpError::LoginLocked(locked),
            UseCaseError::Unavailable(cause) => HttpError::Unavailable(cause),
            UseCaseError::Unexpected(cause) => HttpError::Unexpected(cause),
        }
    }
}

impl From<tower_sessions::session::Error> for HttpError {
    /// The session store is the database: when it cannot be reached (a backend error),
    /// the request meets the same 503 a use case would; a session that does not encode
    /// or decode is a 500.
    fn from(error: tower_sessions::session::Error) -> Self {
        use tower_sessions::session::Error::Store;
        use tower_sessions::session_store::Error::Backend;
        match error {
            Store(Backend(_)) => Self::Unavailable(Box::new(error)),
            other => Self::unexpected(other),
        }
    }
}

/// The session and login layers answer a bare 500 (no message of ours) when the session
/// store fails, which in this tracker means the database cannot be reached: such a
/// response becomes the 503 a use case gives for the same cause. Panics never pass here
/// (they unwind to the panic layer further out), and every 500 of ours carries its
/// `ErrorMessage`, so only the layers' own failures are turned.
pub(crate) async fn session_store_failures(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || response.extensions().get::<ErrorMessage>().is_some() {
        return response;
    }
    HttpError::Unavailable(Box::new(SessionLayerFailed)).into_response()
}

/// The session or login layer failed (the cause is in the log line it wrote).
#[derive(Debug, thiserror::Error)]
#[error("the session store could not be read or written")]
struct SessionLayerFailed;

/// An error and its sources, as one log line.
fn chain(cause: &(dyn std::error::Error + Send + Sync)) -> String {
    let mut chain = cause.to_string();
    let mut source = cause.source();
    while let Some(inner) = source {
        chain.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    chain
}

/// `text` with its first letter in upper case (use-case messages start in lower case).
pub(crate) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            HttpError::Client(status, message) => (status, message),
            HttpError::LoginLocked(locked) => return login_locked(locked),
            HttpError::Unavailable(cause) => {
                tracing::warn!(error = %chain(cause.as_ref()), "storage unavailable");
                metrics::counter!("storage_unavailable_total").increment(1);
                let mut response = StatusCode::SERVICE_UNAVAILABLE.into_response();
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                let message = default_message(StatusCode::SERVICE_UNAVAILABLE).to_owned();
                response.extensions_mut().insert(ErrorMessage(message));
                return response;
            }
            HttpError::Unexpected(cause) => {
                tracing::error!(error = %chain(cause.as_ref()), "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, default_message(StatusCode::INTERNAL_SERVER_ERROR).to_owned())
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorMessage(message));
        response
    }
}

/// 429 for a locked username, with the seconds until the lock ends in `Retry-After`
/// and in the message (in whole minutes, rounded up), the same for any username.
fn login_locked(locked: LoginLocked) -> Response {
    let seconds = locked.retry_after.whole_seconds().max(1);
    let minutes = (seconds + 59) / 60;
    let plural = if minutes == 1 { "" } else { "s" };
    let message = format!("Too many failed logins for this username. Please try again in {minutes} minute{plural}.");
    let mut response = StatusCode::TOO_MANY_REQUESTS.into_response();
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response.extensions_mut().insert(ErrorMessage(message));
    response
}

/// The heading and the default text of the error page for `status`.
pub(crate) fn default_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "The request could not be understood.",
        403 => "You are not allowed to do this.",
        404 => "This page does not exist.",
        405 => "This page does not accept that kind of request.",
        408 => "The request took too long. Please try again.",
        409 => "The request clashes with the current state.",
        413 => "The request is too large.",
        415 | 422 => "The submitted data could not be used.",
        429 => "Too many requests. Please wait a minute and try again.",
        503 => "The service is unavailable right now. Please try again shortly.",
        _ if status.is_server_error() => "Something went wrong on our side. It has been logged.",
        _ => "The request could not be completed.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use application::{Conflict, ValidationErrors};

    fn status_and_message(error: HttpError) -> (StatusCode, String) {
        let response = error.into_response();
        let message = response.extensions().get::<ErrorMessage>().expect("message").0.clone();
        (response.status(), message)
    }

    #[tokio::test]
    async fn a_layers_bare_500_becomes_503_and_ours_stays_500() {
        use axum::routing::get;
        use tower::ServiceExt;
        let app = axum::Router::new()
            .route("/layer", get(|| async { StatusCode::INTERNAL_SERVER_ERROR }))
            .route("/ours", get(|| async { HttpError::unexpected(std::io::Error::other("boom")) }))
            .layer(axum::middleware::from_fn(session_store_failures));
        let request = |path| axum::http::Request::get(path).body(axum::body::Body::empty()).unwrap();
        let layer = app.clone().oneshot(request("/layer")).await.unwrap();
        assert_eq!(layer.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(layer.headers().contains_key(header::RETRY_AFTER));
        let ours = app.oneshot(request("/ours")).await.unwrap();
        assert_eq!(ours.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn a_session_store_that_cannot_be_reached_is_a_503_and_a_bad_session_a_500() {
        let backend = tower_sessions::session_store::Error::Backend("pool timed out".into());
        let response = HttpError::from(tower_sessions::session::Error::Store(backend)).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let decode = tower_sessions::session_store::Error::Decode("bad".into());
        let response = HttpError::from(tower_sessions::session::Error::Store(decode)).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn storage_unavailable_is_a_503_with_retry_after_and_no_detail() {
        let cause = std::io::Error::other("connection refused to db:5432");
        let response = HttpError::from(UseCaseError::Unavailable(Box::new(cause))).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get(header::RETRY_AFTER).map(HeaderValue::as_bytes), Some(&b"5"[..]));
        let message = response.extensions().get::<ErrorMessage>().map(|m| m.0.clone()).unwrap_or_default();
        assert_eq!(message, "The service is unavailable right now. Please try again shortly.");
    }

    #[test]
    fn each_use_case_outcome_maps_to_its_status_with_a_message_safe_to_show() {
        let cases = [
            (UseCaseError::NotFound("mission"), StatusCode::NOT_FOUND, "Mission not found."),
            (UseCaseError::Forbidden, StatusCode::FORBIDDEN, "You are not allowed to do this."),
            (UseCaseError::InvalidCredentials, StatusCode::UNPROCESSABLE_ENTITY, "Invalid username or password."),
            (
                UseCaseError::Invalid(ValidationErrors::single("name", "must not be empty")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid input: name: must not be empty.",
            ),
            (
                UseCaseError::Conflict(Conflict::CampaignClosed),
                StatusCode::CONFLICT,
                "The campaign is closed and can no longer be changed.",
            ),
            (
                UseCaseError::TooManyAttempts(LoginLocked { retry_after: time::Duration::seconds(61), started: true }),
                StatusCode::TOO_MANY_REQUESTS,
                "Too many failed logins for this username. Please try again in 2 minutes.",
            ),
        ];
        for (error, status, message) in cases {
            assert_eq!(status_and_message(error.into()), (status, message.to_owned()));
        }
    }

    #[test]
    fn a_locked_login_says_when_to_retry() {
        let locked = LoginLocked { retry_after: time::Duration::seconds(59), started: false };
        let response = HttpError::from(UseCaseError::TooManyAttempts(locked)).into_response();
        assert_eq!(response.headers().get(header::RETRY_AFTER).map(HeaderValue::as_bytes), Some(&b"59"[..]));
    }

    #[test]
    fn an_unexpected_error_shows_no_detail() {
        let cause = std::io::Error::other("disk on fire at /var/secret");
        let (status, message) = status_and_message(UseCaseError::Unexpected(Box::new(cause)).into());
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!message.contains("secret"), "{message}");
    }
}
