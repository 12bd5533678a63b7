//! The synchronizer token: 32 random bytes kept in the session, sent back by every form
//! (hidden `csrf_token` field) or script (`X-CSRF-Token` header). Every POST, PUT,
//! PATCH and DELETE must carry the session's token, or it is refused with 403 before any
//! handler runs. tower-http's `CsrfLayer` (Sec-Fetch-Site / Origin) runs alongside.
//!
//! Invariant: a request changes nothing unless it proves it read a page of this session;
//! the comparison takes the same time wherever the tokens differ.

use super::HttpError;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;
use tower_sessions::Session;

/// Where the token is kept in the session.
const SESSION_KEY: &str = "csrf_token";
/// The form field carrying the token.
pub(crate) const FIELD: &str = "csrf_token";
/// The header carrying the token for scripts.
pub(crate) const HEADER: &str = "x-csrf-token";

/// The session's token, created on first use.
pub(crate) async fn token(session: &Session) -> Result<String, tower_sessions::session::Error> {
    if let Some(token) = existing(session).await? {
        return Ok(token);
    }
    let token = super::random_hex(32);
    session.insert(SESSION_KEY, &token).await?;
    Ok(token)
}

/// The session's token, if one was made.
pub(crate) async fn existing(session: &Session) -> Result<Option<String>, tower_sessions::session::Error> {
    session.get(SESSION_KEY).await
}

/// Whether `submitted` is the session's token, compared in constant time.
fn matches(expected: Option<&str>, submitted: Option<&str>) -> bool {
    match (expected, submitted) {
        (Some(expected), Some(submitted)) if !expected.is_empty() => {
            bool::from(expected.as_bytes().ct_eq(submitted.as_bytes()))
        }
        _ => false,
    }
}

/// The token in an urlencoded form body.
fn form_token(body: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs.into_iter().find(|(name, _)| name == FIELD).map(|(_, value)| value)
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"))
}

/// Refuses a state-changing request whose token is missing or wrong, reading (and
/// passing on) an urlencoded body of at most `body_limit` bytes to find it.
pub(crate) async fn verify(State(body_limit): State<usize>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return refused();
    };
    let expected = match existing(&session).await {
        Ok(token) => token,
        Err(e) => return HttpError::from(e).into_response(),
    };
    let (parts, body) = request.into_parts();
    let header = parts.headers.get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (submitted, body) = match header {
        Some(token) => (Some(token), body),
        None if is_form(&parts.headers) => match to_bytes(body, body_limit).await {
            Ok(bytes) => (form_token(&bytes), Body::from(bytes)),
            Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        },
        None => (None, body),
    };
    if !matches(expected.as_deref(), submitted.as_deref()) {
        tracing::warn!(method = %parts.method, path = %parts.uri.path(), "refused a request without the session's CSRF token");
        return refused();
    }
    next.run(Request::from_parts(parts, body)).await
}

fn refused() -> Response {
    HttpError::forbidden(
        "This form has expired or did not come from this site. Go back, reload the page and try again.",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn any_body_yields_a_token_or_none_never_a_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = form_token(&body);
        }
    }
    use std::sync::Arc;
    use tower_sessions::MemoryStore;

    fn session() -> Session {
        Session::new(None, Arc::new(MemoryStore::default()), None)
    }

    #[tokio::test]
    async fn a_session_keeps_one_random_token() {
        let (a, b) = (session(), session());
        let token = token(&a).await.unwrap();
        assert_eq!(token.len(), 64);
        assert_eq!(super::token(&a).await.unwrap(), token);
        assert_ne!(super::token(&b).await.unwrap(), token);
        assert_eq!(existing(&a).await.unwrap(), Some(token));
    }

    #[test]
    fn only_the_exact_token_matches() {
        assert!(matches(Some("abc123"), Some("abc123")));
        assert!(!matches(Some("abc123"), Some("abc124")));
        assert!(!matches(Some("abc123"), Some("abc1234")));
        assert!(!matches(Some("abc123"), None));
        assert!(!matches(None, Some("abc123")));
        assert!(!matches(None, None));
        assert!(!matches(Some(""), Some("")));
    }

    #[test]
    fn the_token_is_read_from_an_urlencoded_body() {
        assert_eq!(form_token(b"name=x&csrf_token=t%2Bk&other=1"), Some("t+k".to_owned()));
        assert_eq!(form_token(b"name=x"), None);
        assert_eq!(form_token(&[0xff, 0xfe]), None);
    }

    #[test]
    fn only_urlencoded_bodies_are_read() {
        let mut headers = HeaderMap::new();
        assert!(!is_form(&headers));
        headers.insert(header::CONTENT_TYPE, "application/x-www-form-urlencoded; charset=UTF-8".parse().unwrap());
        assert!(is_form(&headers));
        headers.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        assert!(!is_form(&headers));
    }
}
