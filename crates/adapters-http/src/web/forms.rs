//! Form helpers: use-case errors as field messages for templates, idempotency keys for
//! create forms, `303 See Other`, and the check that a `next` target stays on this site.

use super::HttpError;
use application::{UseCaseError, ValidationErrors};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a re-rendered form shows: a message beside each field (`fields`, by input
/// name) and one at the top of the form (`form`, for conflicts and credentials).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct FormErrors {
    /// The first message for each field, by the field's input name.
    pub(crate) fields: BTreeMap<String, String>,
    /// A message about the whole form.
    pub(crate) form: Option<String>,
}

impl FormErrors {
    /// A form with no errors (its first rendering).
    pub(crate) fn none() -> Self {
        Self::default()
    }

    /// Only a message at the top of the form.
    pub(crate) fn message(message: impl Into<String>) -> Self {
        Self { fields: BTreeMap::new(), form: Some(message.into()) }
    }
}

/// The command's own fields' messages, keyed by the field (the input's name); messages
/// about a row's field are for the form that shows rows (the event form places them).
impl From<&ValidationErrors> for FormErrors {
    fn from(errors: &ValidationErrors) -> Self {
        let mut fields = BTreeMap::new();
        for error in errors.fields().iter().filter(|e| e.path.row.is_none()) {
            fields.entry(error.path.field.to_owned()).or_insert_with(|| error.message.clone());
        }
        Self { fields, form: None }
    }
}

/// Splits a use case's failure into what the form re-renders with (invalid input, a
/// conflict, bad credentials: answer 422), or the `HttpError` for anything else
/// (not found, forbidden, unexpected), which the handler returns with `?`.
pub(crate) fn form_errors(error: UseCaseError) -> Result<FormErrors, HttpError> {
    match error {
        UseCaseError::Invalid(errors) => Ok(FormErrors::from(&errors)),
        UseCaseError::Conflict(conflict) => Ok(FormErrors::message(sentence(&conflict.to_string()))),
        e @ UseCaseError::InvalidCredentials => Ok(FormErrors::message(sentence(&e.to_string()))),
        other => Err(other.into()),
    }
}

/// "the name is taken" -> "The name is taken."
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// A fresh random key for a create form's hidden `idempotency_key` field, so that a
/// double submit records once: 32 hexadecimal digits.
pub(crate) fn idempotency_key() -> String {
    random_hex(16)
}

/// `bytes` as lowercase hexadecimal digits.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `len` fresh random bytes as lowercase hexadecimal digits (twice as many).
pub(crate) fn random_hex(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// `303 See Other` to `to` (a path on this site).
pub(crate) fn see_other(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        Err(_) => (StatusCode::SEE_OTHER, [(header::LOCATION, HeaderValue::from_static("/"))]).into_response(),
    }
}

/// `raw` when it is a path on this site (`/manage?x=1`), `None` for anything that
/// could lead elsewhere (`//evil.example`, `https://…`, `/\evil`, control characters).
pub(crate) fn local_path(raw: &str) -> Option<&str> {
    let local = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.starts_with("/\\")
        && !raw.chars().any(|c| c.is_control() || c == '\\');
    local.then_some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use application::Conflict;

    #[test]
    fn validation_errors_become_one_message_per_field() {
        let mut errors = ValidationErrors::new();
        errors.add("name", "must not be empty");
        errors.add("name", "is too dull");
        errors.add("quantity", "must be a whole number");
        errors.add_at(application::FieldPath::row("delta", 2), "must not be zero");
        let form = FormErrors::from(&errors);
        assert_eq!(form.fields.len(), 2, "a row's message is not a field's: {form:?}");
        assert_eq!(form.fields["name"], "must not be empty");
        assert_eq!(form.fields["quantity"], "must be a whole number");
        assert_eq!(form.form, None);
    }

    #[test]
    fn conflicts_go_to_the_top_of_the_form_and_other_errors_are_not_form_errors() {
        let form = form_errors(UseCaseError::Conflict(Conflict::DuplicateLibraryName)).unwrap();
        assert_eq!(form.form.as_deref(), Some("A library with this name already exists."));
        assert!(form_errors(UseCaseError::Forbidden).is_err());
        assert!(form_errors(UseCaseError::NotFound("library")).is_err());
    }

    #[test]
    fn idempotency_keys_are_fresh_and_acceptable_to_the_domain() {
        let (a, b) = (idempotency_key(), idempotency_key());
        assert_ne!(a, b);
        assert!(domain::IdempotencyKey::parse(&a).is_ok());
    }

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(local_path("/manage/campaigns/1/pool?x=1"), Some("/manage/campaigns/1/pool?x=1"));
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "evil", "", "/a\r\nb", "/a\\b"] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn see_other_answers_303_with_the_location() {
        let response = see_other("/manage");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/manage");
    }
}
