//! What an API request carries, read strictly: the caller (a bearer token or the
//! public), path ids, paging, JSON bodies and the `Idempotency-Key` header. Each
//! malformed part is refused in the API's error shape, naming the part.
//!
//! Invariant: cookies are never read here. A browser session cannot act through the
//! API, so the API needs no CSRF token, and a token is the only way to write.

use super::error::ApiError;
use crate::AppState;
use application::ports::PageRequest;
use application::{Actor, App};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The header carrying a write's idempotency key.
pub(crate) const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// Who calls: the public (no `Authorization` header) or a token's owner.
#[derive(Debug, Clone)]
pub(crate) struct Caller(pub(crate) Actor);

/// A caller with a working token: writes and staff reads need one.
#[derive(Debug, Clone)]
pub(crate) struct TokenCaller(pub(crate) Actor);

impl<A: App> FromRequestParts<AppState<A>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<A>) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(Self(Actor::Anonymous));
        };
        let secret = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("The Authorization header must be `Bearer <token>`.").at("Authorization")
            })?;
        match state.tracker.token_actor(secret).await? {
            Some(staff) => Ok(Self(Actor::Staff(staff))),
            None => Err(ApiError::unauthorized("The token is unknown, revoked or expired, or its owner is disabled.")
                .at("Authorization")),
        }
    }
}

impl<A: App> FromRequestParts<AppState<A>> for TokenCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<A>) -> Result<Self, ApiError> {
        match Caller::from_request_parts(parts, state).await? {
            Caller(Actor::Anonymous) => Err(ApiError::unauthorized(
                "This needs an API token: send `Authorization: Bearer <token>` (tokens are made on your profile page).",
            )
            .at("Authorization")),
            Caller(actor) => Ok(Self(actor)),
        }
    }
}

/// The id in the path (`/…/{id}`), a positive integer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Id(pub(crate) i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Path(raw) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::bad_request("The path has no id."))?;
        match raw.parse::<i64>() {
            Ok(id) if id > 0 => Ok(Self(id)),
            _ => Err(ApiError::not_found(format!("No such id: {raw:?} (ids are positive integers)."))),
        }
    }
}

/// Most items a page may hold, and how many when `limit` is not given.
pub(crate) const MAX_LIMIT: u32 = PageRequest::MAX_PER_PAGE;
const DEFAULT_LIMIT: u32 = 50;

/// `?limit=&cursor=`: which page of a list to answer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging(pub(crate) PageRequest);

#[derive(Deserialize)]
struct RawPaging {
    limit: Option<String>,
    cursor: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Paging {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let raw: RawPaging =
            serde_urlencoded::from_str(query).map_err(|_| ApiError::bad_request("The query string is not valid."))?;
        let limit = match raw.limit.as_deref() {
            None => DEFAULT_LIMIT,
            Some(text) => match text.parse::<u32>() {
                Ok(n @ 1..=MAX_LIMIT) => n,
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "`limit` must be a whole number from 1 to {MAX_LIMIT}."
                    ))
                    .at("limit"));
                }
            },
        };
        let page = match raw.cursor.as_deref() {
            None | Some("") => 1,
            Some(cursor) => page_of(cursor).ok_or_else(|| {
                ApiError::bad_request("`cursor` is not one this API gave out; start again without it.").at("cursor")
            })?,
        };
        Ok(Self(PageRequest::new(page, limit)))
    }
}

/// The opaque cursor of page `page` (hex of `p<page>`).
pub(crate) fn cursor_of(page: u32) -> String {
    format!("p{page}").bytes().map(|b| format!("{b:02x}")).collect()
}

fn page_of(cursor: &str) -> Option<u32> {
    if !cursor.len().is_multiple_of(2) || cursor.len() > 24 {
        return None;
    }
    let bytes: Option<Vec<u8>> =
        (0..cursor.len()).step_by(2).map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok()).collect();
    let text = String::from_utf8(bytes?).ok()?;
    text.strip_prefix('p')?.parse::<u32>().ok().filter(|p| *p >= 1)
}

/// A JSON body, refused in the API's error shape: 415 without a JSON content type,
/// 400 when it does not parse, 422 when a field has the wrong type or is missing.
#[derive(Debug)]
pub(crate) struct Body<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "Send the body as JSON, with `Content-Type: application/json`.",
                ),
                JsonRejection::JsonDataError(e) => ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    format!("The body does not fit: {}.", e.body_text()),
                ),
                JsonRejection::JsonSyntaxError(_) => ApiError::bad_request("The body is not valid JSON."),
                other => ApiError::bad_request(format!("The body cannot be read: {}.", other.body_text())),
            }),
        }
    }
}

/// The `Idempotency-Key` header, when sent (checked by the use case like a form's key).
#[derive(Debug, Clone)]
pub(crate) struct IdempotencyKey(pub(crate) Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        match parts.headers.get(IDEMPOTENCY_KEY) {
            None => Ok(Self(None)),
            Some(value) => value.to_str().map(|v| Self(Some(v.to_owned()))).map_err(|_| {
                ApiError::bad_request("The Idempotency-Key header must be plain text.").at(IDEMPOTENCY_KEY)
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_a_made_up_one_is_refused() {
        for page in [1, 2, 99, u32::MAX] {
            assert_eq!(page_of(&cursor_of(page)), Some(page));
        }
        for bad in ["", "zz", "70", "p2", "7030", &"70".repeat(20)] {
            assert_eq!(page_of(bad), None, "{bad:?}");
        }
    }
}
