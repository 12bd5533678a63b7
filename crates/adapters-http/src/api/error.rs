//! The API's one error shape, `{"error": {"code", "message", "field"}}`, and how each
//! use-case outcome and each malformed request maps to it.
//!
//! Invariants: every error the API answers has this shape, its own (4xx, made here)
//! and the middleware's (rate limits, timeouts, body limits, panics, made bare and
//! rendered by `web::error_page` under `/api/`); a 5xx never carries internal detail
//! (it goes through `HttpError`, which logs the cause); a ledger refusal names the
//! asset, the available and the asked quantity, in the message and in `ledger`.

use crate::web::{HttpError, capitalized};
use application::{Conflict, FieldPath, UseCaseError, ValidationErrors};
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::LedgerError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    pub(crate) error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorDetail {
    /// A stable, machine-readable code such as `not_found`, `invalid` or `ledger`.
    pub(crate) code: &'static str,
    /// What went wrong, in words for a person.
    pub(crate) message: String,
    /// The input at fault (a body field such as `title` or `changes[1].delta`, a query
    /// parameter, or a header such as `Idempotency-Key`), when one is.
    pub(crate) field: Option<String>,
    /// For `code` = `ledger`: the refused quantity change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ledger: Option<LedgerDetail>,
}

/// A quantity change the ledger refused.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LedgerDetail {
    /// The asset's name.
    pub(crate) asset: String,
    /// How many the pool holds.
    pub(crate) available: u32,
    /// How many the change takes away (or adds, for a unique asset or the maximum).
    pub(crate) requested: u64,
}

/// A refused API request.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// A 4xx answered in the error shape.
    Client { status: StatusCode, detail: ErrorDetail },
    /// A 5xx (or 503): answered bare by `HttpError`, which logs the cause, and rendered
    /// in the error shape by the error-page layer.
    Server(HttpError),
}

impl ApiError {
    /// A 4xx with `code` and `message`, about `field` when given.
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self::Client { status, detail: ErrorDetail { code, message: message.into(), field: None, ledger: None } }
    }

    /// The same error, about `field`.
    #[must_use]
    pub(crate) fn at(mut self, field: impl Into<String>) -> Self {
        if let Self::Client { detail, .. } = &mut self {
            detail.field = Some(field.into());
        }
        self
    }

    /// 400: the request itself is malformed (a path, query or header).
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 401: no token, or one that does not work.
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 404.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 404 for the public reads while no campaign is active.
    pub(crate) fn no_active_campaign() -> Self {
        Self::new(StatusCode::NOT_FOUND, "no_active_campaign", "No campaign is active.")
    }
}

/// The name an API client uses for a use case's input field.
fn api_field(path: FieldPath) -> String {
    let field = match path.field {
        application::events::ChangeInput::ENTRY => "pool_entry_id",
        application::events::ChangeInput::DELTA => "delta",
        application::events::ChangeInput::NOTE => "note",
        "idempotency_key" => return crate::api::IDEMPOTENCY_KEY.to_owned(),
        other => other,
    };
    match path.row {
        Some(row) => format!("changes[{}].{field}", row.saturating_sub(1)),
        None => field.to_owned(),
    }
}

fn invalid(errors: &ValidationErrors) -> ApiError {
    let message =
        errors.fields().iter().map(|e| format!("{}: {}", api_field(e.path), e.message)).collect::<Vec<_>>().join("; ");
    let error = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message);
    match errors.fields().first() {
        Some(first) => error.at(api_field(first.path)),
        None => error,
    }
}

fn conflict(conflict: Conflict) -> ApiError {
    let code = match &conflict {
        Conflict::Ledger(ledger) => {
            let ledger = match ledger {
                LedgerError::Insufficient { asset, available, requested }
                | LedgerError::UniqueExceeded { asset, available, requested }
                | LedgerError::AboveMaximum { asset, available, requested } => {
                    Some(LedgerDetail { asset: asset.clone(), available: *available, requested: *requested })
                }
                _ => None,
            };
            let message = format!("{}.", capitalized(&conflict.to_string()));
            let detail = ErrorDetail { code: "ledger", message, field: None, ledger };
            return ApiError::Client { status: StatusCode::CONFLICT, detail };
        }
        Conflict::IdempotencyKeyReused => {
            return ApiError::new(
                StatusCode::CONFLICT,
                "idempotency_key_reused",
                format!("{}.", capitalized(&conflict.to_string())),
            )
            .at(crate::api::IDEMPOTENCY_KEY);
        }
        Conflict::CampaignClosed => "campaign_closed",
        Conflict::AnotherCampaignActive => "another_campaign_active",
        Conflict::InUse(_) => "in_use",
        Conflict::AlreadyInPool => "already_in_pool",
        _ => "conflict",
    };
    ApiError::new(StatusCode::CONFLICT, code, format!("{}.", capitalized(&conflict.to_string())))
}

impl From<UseCaseError> for ApiError {
    fn from(error: UseCaseError) -> Self {
        match error {
            UseCaseError::NotFound(what) => Self::not_found(format!("{} not found.", capitalized(what))),
            UseCaseError::Forbidden => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", "The token's owner is not allowed to do this.")
            }
            UseCaseError::Invalid(errors) => invalid(&errors),
            UseCaseError::Conflict(c) => conflict(c),
            other => Self::Server(HttpError::from(other)),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Server(error) => error.into_response(),
            Self::Client { status, detail } => {
                let unauthorized = status == StatusCode::UNAUTHORIZED;
                let mut response = (status, Json(ErrorBody { error: detail })).into_response();
                if unauthorized {
                    response
                        .headers_mut()
                        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"asset-tracker\""));
                }
                response
            }
        }
    }
}

/// The code of a bare error answer of `status`, made by a layer rather than a handler.
pub(crate) fn code_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        409 => "conflict",
        413 => "too_large",
        415 => "unsupported_media_type",
        422 => "invalid",
        429 => "rate_limited",
        503 => "unavailable",
        _ if status.is_server_error() => "internal",
        _ => "error",
    }
}

/// The body of a bare error answer of `status`, made by a layer rather than a handler.
pub(crate) fn error_body(status: StatusCode, message: String) -> ErrorBody {
    ErrorBody { error: ErrorDetail { code: code_of(status), message, field: None, ledger: None } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use application::FieldPath;

    #[test]
    fn use_case_fields_get_the_names_api_clients_send() {
        assert_eq!(api_field(FieldPath::field("title")), "title");
        assert_eq!(api_field(FieldPath::row(application::events::ChangeInput::DELTA, 2)), "changes[1].delta");
        assert_eq!(api_field(FieldPath::row(application::events::ChangeInput::ENTRY, 1)), "changes[0].pool_entry_id");
        assert_eq!(api_field(FieldPath::field("idempotency_key")), "Idempotency-Key");
    }

    #[test]
    fn a_ledger_refusal_names_the_asset_and_both_quantities() {
        let refusal = LedgerError::Insufficient { asset: "Hunter".into(), available: 2, requested: 5 };
        let ApiError::Client { status, detail } = ApiError::from(UseCaseError::from(refusal)) else {
            panic!("a client error");
        };
        assert_eq!((status, detail.code), (StatusCode::CONFLICT, "ledger"));
        assert_eq!(detail.message, "Not enough Hunter: 2 available, 5 asked.");
        let ledger = detail.ledger.expect("the ledger detail");
        assert_eq!((ledger.asset.as_str(), ledger.available, ledger.requested), ("Hunter", 2, 5));
    }
}
