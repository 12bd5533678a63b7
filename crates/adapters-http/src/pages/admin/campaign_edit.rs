//! `GET+POST /admin/campaigns/{id}/edit`: a campaign's name, description, dates and map
//! links. Its libraries and status are changed elsewhere (the pool page, activate,
//! close); a closed campaign shows a read-only notice instead of the form.

use super::campaign_form::CampaignForm;
use crate::AppState;
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors};
use application::App;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use domain::{Campaign, CampaignId};
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/admin/campaigns/{id}/edit", get(edit_form::<A>).post(update::<A>))
}

/// The edit form's view.
#[derive(Debug, Serialize)]
struct EditCampaignView {
    id: i64,
    /// The stored name (the form may hold a rejected one).
    name: String,
    status: &'static str,
    /// Closed: read-only, no form.
    closed: bool,
    form: CampaignForm,
    errors: FormErrors,
}

fn page(campaign: &Campaign, form: CampaignForm, errors: FormErrors) -> Page {
    let view = EditCampaignView {
        id: campaign.id().get(),
        name: campaign.name().to_string(),
        status: campaign.status().as_str(),
        closed: campaign.is_closed(),
        form,
        errors,
    };
    Page::new("admin/campaign_edit.html", format!("Edit {}", campaign.name()), &view).crumb("Admin", "/admin")
}

/// `GET /admin/campaigns/{id}/edit`. Reading a campaign is open to all staff, so the
/// admin area asks the application's admin check first.
async fn edit_form<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let campaign = state.tracker.campaign_to_edit(&staff.actor, CampaignId::new(id)).await?;
    ui.render(page(&campaign, CampaignForm::of(&campaign), FormErrors::none())).await
}

/// `POST /admin/campaigns/{id}/edit`: saves and goes back to the dashboard, or shows
/// the form again with its errors (422); a closed campaign is refused with its notice.
async fn update<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let form = CampaignForm::from_pairs(pairs)?;
    let id = CampaignId::new(id);
    match state.tracker.update_campaign(&staff.actor, id, form.to_input()).await {
        Ok(()) => ui.see_other("/admin", Flash::success(format!("Campaign {} saved.", form.name.trim()))).await,
        Err(e) => {
            let errors = form_errors(e)?;
            let campaign = state.tracker.campaign_to_edit(&staff.actor, id).await?;
            ui.render(page(&campaign, form, errors).invalid()).await
        }
    }
}

/// Fixture views for this module's template.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let mut errors = FormErrors::none();
    errors.fields.insert("name".into(), "must not be empty".into());
    errors.fields.insert("map_view_url".into(), "must start with http:// or https://".into());
    let form =
        CampaignForm { start_date: "2026-03-01".into(), map_view_url: "ftp://map".into(), ..CampaignForm::default() };
    let view = |closed, form, errors| EditCampaignView {
        id: 4,
        name: "Operation Arrowhead".into(),
        status: if closed { "Closed" } else { "Planned" },
        closed,
        form,
        errors,
    };
    let mut closed_errors = FormErrors::none();
    closed_errors.form = Some("The campaign is closed and can no longer be changed.".into());
    vec![
        ("admin/campaign_edit.html", serde_json::to_value(view(false, form, errors)).unwrap_or_default()),
        (
            "admin/campaign_edit.html",
            serde_json::to_value(view(true, CampaignForm::default(), closed_errors)).unwrap_or_default(),
        ),
    ]
}
