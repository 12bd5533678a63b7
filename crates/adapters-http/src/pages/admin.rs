//! The admin pages: all campaigns (`campaigns`: the dashboard and activation;
//! `campaign_new`, `campaign_edit` with their shared `campaign_form`; `close`: the
//! confirmation and closing), users
//! (`users`: the list and its buttons; `user_new`, `user_delete`) and the audit log
//! (`audit`).
//!
//! Invariants: every page and button here is for admins only, decided by the use cases
//! (or, where the read they need is open to all staff, by the application's own
//! `Actor::admin` check first), so a manager gets the 403 page; a generated password is
//! shown once, in the response to the request that set it, and is never stored in the
//! session.

mod audit;
mod campaign_edit;
mod campaign_form;
mod campaign_new;
mod campaigns;
mod close;
mod user_delete;
mod user_new;
mod users;

use crate::AppState;
use crate::web::{Flash, HttpError, labelled_refusal};
use application::App;
use application::UseCaseError;
use axum::Router;
use rand::Rng;
use rand::distr::Alphanumeric;

/// The length of a generated password: 24 letters and digits (about 143 bits).
const GENERATED_PASSWORD_LENGTH: usize = 24;

/// The routes of this module.
pub(crate) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .merge(campaigns::routes())
        .merge(campaign_new::routes())
        .merge(campaign_edit::routes())
        .merge(close::routes())
        .merge(users::routes())
        .merge(user_new::routes())
        .merge(user_delete::routes())
        .merge(audit::routes())
}

/// A fresh random password for an account: 24 ASCII letters and digits.
fn generated_password() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(GENERATED_PASSWORD_LENGTH).map(char::from).collect()
}

/// The error flash for a refused admin button: the conflict's message, or each field's
/// message after the field's name ("New password: is too short."). Forbidden, not found
/// and unexpected failures stay `HttpError`s.
fn refusal(error: UseCaseError) -> Result<Flash, HttpError> {
    labelled_refusal(error, field_label)
}

/// `"new_password"` -> "New password".
fn field_label(field: &str) -> String {
    let label = field.replace('_', " ");
    let mut chars = label.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A fixture view for each template of this module, rendered by the template smoke test.
#[cfg(test)]
pub(crate) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    [
        campaigns::template_fixtures(),
        campaign_new::template_fixtures(),
        campaign_edit::template_fixtures(),
        close::template_fixtures(),
        users::template_fixtures(),
        user_new::template_fixtures(),
        user_delete::template_fixtures(),
        audit::template_fixtures(),
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_24_fresh_alphanumerics_the_domain_accepts() {
        let (a, b) = (generated_password(), generated_password());
        assert_eq!(a.len(), GENERATED_PASSWORD_LENGTH);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()), "{a}");
        assert_ne!(a, b);
        assert!(domain::Password::parse(&a).is_ok());
    }

    #[test]
    fn a_field_message_reads_as_a_sentence_naming_the_field() {
        let invalid = application::ValidationErrors::single("new_password", "is too short");
        assert_eq!(refusal(UseCaseError::Invalid(invalid)).ok(), Some(Flash::error("New password: is too short.")));
    }
}
