//! Missions and their events: the campaign's mission list (with reordering), mission
//! forms and pages, the event form with its repeated change rows, event pages with
//! their changes, and the deletion confirmation (one page for missions and events)
//! that lists what will be restored.
//!
//! Invariants: handlers only convert input and pick what to render; every rule (who may
//! change a campaign, the ledger, closed campaigns) is decided by the use cases. Each
//! page asks the application once (`mission_page`, `event_page`, `event_form_page`…):
//! a page with forms gets a `can_run` flag saying whether to offer them, and a form
//! page is refused by its use case (403, or 409 for a closed campaign) when its form
//! could not be submitted. A refused form's 422 re-render reads through the page any
//! staff member may see (`mission_page`, `event_page`), so a refusal for good (the
//! campaign closed meanwhile) still shows the form with its message.

mod delete;
mod event_edit;
mod event_form;
mod event_page;
mod event_rows;
mod list;
mod mission_form;
mod show;
mod views;

use crate::AppState;
use crate::web::{Flash, FormErrors, HttpError, Page, form_errors, idempotency_key};
use application::App;
use application::UseCaseError;
use axum::Router;
use domain::{CampaignId, Event, Mission};

/// The routes of this module.
pub(crate) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .merge(list::routes())
        .merge(mission_form::routes())
        .merge(show::routes())
        .merge(delete::routes())
        .merge(event_form::routes())
        .merge(event_page::routes())
        .merge(event_edit::routes())
}

/// A fixture view for each template of this module, rendered by the template smoke test.
#[cfg(test)]
pub(crate) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    [
        list::template_fixtures(),
        mission_form::template_fixtures(),
        show::template_fixtures(),
        delete::template_fixtures(),
        event_form::template_fixtures(),
        event_page::template_fixtures(),
        event_edit::template_fixtures(),
    ]
    .concat()
}

/// The error flash for a refused button outside a form (a conflict or invalid input);
/// not found, forbidden and unexpected failures stay errors.
fn refusal(error: UseCaseError) -> Result<Flash, HttpError> {
    let errors = form_errors(error)?;
    let message = errors.form.unwrap_or_else(|| {
        let fields: Vec<String> = errors.fields.iter().map(|(field, message)| format!("{field} {message}")).collect();
        format!("Refused: {}.", fields.join("; "))
    });
    Ok(Flash::error(message))
}

/// A refused hidden `idempotency_key` (only a hand-made or tampered form sends one) has
/// no field to show its message beside: it goes to the top of the form, and the form
/// gets a fresh key so that submitting again works.
fn renew_bad_key(errors: &mut FormErrors, key: &mut String) {
    if errors.fields.remove("idempotency_key").is_some() {
        let message = "The form's request key was not valid and has been renewed; please submit again.";
        errors.form.get_or_insert_with(|| message.to_owned());
        *key = idempotency_key();
    }
}

/// The breadcrumbs of a page under a campaign's missions.
fn under_missions(page: Page, campaign: CampaignId) -> Page {
    page.crumb("Manage", "/manage")
        .crumb("Missions", format!("/manage/campaigns/{campaign}/missions"))
        .campaign(campaign)
}

/// The breadcrumbs of a page under a mission.
fn under_mission(page: Page, mission: &Mission) -> Page {
    under_missions(page, mission.campaign_id)
        .crumb(mission.details.name.to_string(), format!("/manage/missions/{}", mission.id))
}

/// The breadcrumbs of a page under an event.
fn under_event(page: Page, mission: &Mission, event: &Event) -> Page {
    under_mission(page, mission).crumb(event.details.title.to_string(), format!("/manage/events/{}", event.id))
}
