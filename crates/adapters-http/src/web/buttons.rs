//! Buttons outside forms: a `POST` that calls one use case and answers `303` back to a
//! page with a flash, the success message or the refusal's (pool rows, mission and
//! event buttons, the admin pages).
//!
//! Invariant: only refusals the visitor can act on (invalid input, a conflict) become
//! error flashes; forbidden, not found and unexpected failures stay `HttpError`s, so
//! they answer with the error page.

use super::{Flash, HttpError, Ui, form_errors};
use application::UseCaseError;
use axum::response::Response;

/// How an area turns a refusal into an error flash (see [`labelled_refusal`]).
pub(crate) type Refusal = fn(UseCaseError) -> Result<Flash, HttpError>;

/// `303` to `back` with `outcome`'s flash: the success flash, or the refusal as
/// `refused` words it (which keeps failures that are not the visitor's as errors).
pub(crate) async fn redirect_back(
    ui: &Ui,
    back: &str,
    outcome: Result<Flash, UseCaseError>,
    refused: Refusal,
) -> Result<Response, HttpError> {
    let flash = match outcome {
        Ok(flash) => flash,
        Err(e) => refused(e)?,
    };
    ui.see_other(back, flash).await
}

/// The error flash for a refusal: the conflict's message, or one "Label: message."
/// sentence per field (joined by spaces), each field named by `label`.
pub(crate) fn labelled_refusal(error: UseCaseError, label: impl Fn(&str) -> String) -> Result<Flash, HttpError> {
    let errors = form_errors(error)?;
    let message = errors.form.unwrap_or_else(|| {
        let fields = errors.fields.iter().map(|(field, message)| format!("{}: {message}.", label(field)));
        fields.collect::<Vec<_>>().join(" ")
    });
    Ok(Flash::error(message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use application::{Conflict, ValidationErrors};

    #[test]
    fn a_refusal_flashes_the_conflict_or_each_labelled_field_and_keeps_other_errors() {
        let flash = labelled_refusal(UseCaseError::Conflict(Conflict::DuplicateLibraryName), str::to_uppercase);
        assert_eq!(flash.unwrap(), Flash::error("A library with this name already exists."));
        let mut invalid = ValidationErrors::new();
        invalid.add("a", "is wrong");
        invalid.add("b", "is missing");
        let flash = labelled_refusal(UseCaseError::Invalid(invalid), str::to_uppercase);
        assert_eq!(flash.unwrap(), Flash::error("A: is wrong. B: is missing."));
        assert!(labelled_refusal(UseCaseError::Forbidden, str::to_uppercase).is_err());
    }
}
