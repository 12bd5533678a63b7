//! The manage dashboard (`dashboard`), the pool page (`pool`) and its buttons and row
//! forms (`pool_actions`), and the campaign reports (`report`).
//!
//! Invariant: the pool page is a list, not one form, so every refused change (a
//! conflict, a ledger error, a field's message) redirects back to it with an error
//! flash; only "not allowed" and "not found" answer with an error page.

mod dashboard;
mod pool;
mod pool_actions;
mod report;

use crate::AppState;
use crate::web::{Flash, HttpError, labelled_refusal};
use application::App;
use application::UseCaseError;
use axum::Router;
use domain::CampaignId;

/// The routes of this module.
pub(crate) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().merge(dashboard::routes()).merge(pool::routes()).merge(pool_actions::routes()).merge(report::routes())
}

/// The path of a campaign's pool page.
fn pool_path(campaign: CampaignId) -> String {
    format!("/manage/campaigns/{campaign}/pool")
}

/// The error flash for a refused button or row form: the conflict's message, or each
/// field's message after the field's label. Anything else (forbidden, not found,
/// unexpected) stays an `HttpError` for the error page.
fn refusal(error: UseCaseError) -> Result<Flash, HttpError> {
    labelled_refusal(error, |field| field_label(field).to_owned())
}

/// How the pool page labels a use-case field.
fn field_label(field: &str) -> &str {
    match field {
        "initial" => "Initial quantity",
        "library_id" => "Library",
        "asset_id" => "Asset",
        "public" => "Public",
        "idempotency_key" => "Request key",
        other => other,
    }
}

/// "1 asset added" / "3 assets added".
fn assets_added(count: u64) -> String {
    let noun = if count == 1 { "asset" } else { "assets" };
    format!("{count} {noun} added")
}

/// A fixture view for each template of this module, rendered by the template smoke test.
#[cfg(test)]
pub(crate) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    [dashboard::template_fixtures(), pool::template_fixtures(), report::template_fixtures()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use application::{Conflict, ValidationErrors};
    use domain::LedgerError;

    #[test]
    fn a_refused_change_flashes_the_conflict_or_the_labelled_field_message() {
        let ledger = LedgerError::Insufficient { asset: "Hunter".into(), available: 1, requested: 2 };
        let flash = refusal(UseCaseError::Conflict(Conflict::Ledger(ledger))).unwrap();
        assert_eq!(flash, Flash::error("Not enough Hunter: 1 available, 2 asked."));
        let invalid = ValidationErrors::single("initial", "must be a whole number");
        let flash = refusal(UseCaseError::Invalid(invalid)).unwrap();
        assert_eq!(flash, Flash::error("Initial quantity: must be a whole number."));
        assert!(refusal(UseCaseError::Forbidden).is_err());
    }

    #[test]
    fn added_assets_are_counted_in_words() {
        assert_eq!(assets_added(1), "1 asset added");
        assert_eq!(assets_added(3), "3 assets added");
    }
}
