//! `GET+POST /admin/campaigns/new`: create a campaign with the libraries to import
//! (the default libraries ticked at first) and, optionally, make it the active one.

use super::campaign_form::CampaignForm;
use crate::AppState;
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors, idempotency_key};
use application::App;
use application::ports::LibrarySummary;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/admin/campaigns/new", get(new_form::<A>).post(create::<A>))
}

/// A library the new campaign may import.
#[derive(Debug, Serialize)]
struct LibraryChoice {
    id: i64,
    name: String,
    category: String,
    asset_count: u64,
    is_default: bool,
    checked: bool,
}

/// The create form's view.
#[derive(Debug, Serialize)]
struct NewCampaignView {
    form: CampaignForm,
    libraries: Vec<LibraryChoice>,
    errors: FormErrors,
}

fn page(form: CampaignForm, libraries: &[LibrarySummary], errors: FormErrors) -> Page {
    let libraries = libraries
        .iter()
        .map(|s| LibraryChoice {
            id: s.library.id.get(),
            name: s.library.name.to_string(),
            category: s.library.category.to_string(),
            asset_count: s.asset_count,
            is_default: s.library.is_default,
            checked: form.library_ids.contains(&s.library.id.get()),
        })
        .collect();
    let view = NewCampaignView { form, libraries, errors };
    Page::new("admin/campaign_new.html", "New campaign", &view).crumb("Admin", "/admin")
}

/// `GET /admin/campaigns/new`: the empty form with the default libraries ticked.
async fn new_form<A: App>(State(state): State<AppState<A>>, staff: StaffOnly, ui: Ui) -> Result<Response, HttpError> {
    let defaults = state.tracker.default_library_ids(&staff.actor).await?;
    let libraries = state.tracker.list_libraries(&staff.actor).await?;
    let library_ids = defaults.iter().map(|id| id.get()).collect();
    let form = CampaignForm { library_ids, idempotency_key: idempotency_key(), ..CampaignForm::default() };
    ui.render(page(form, &libraries, FormErrors::none())).await
}

/// `POST /admin/campaigns/new`: creates the campaign and goes back to the dashboard,
/// or shows the form again with its errors (422).
async fn create<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let form = CampaignForm::from_pairs(pairs)?;
    match state.tracker.create_campaign(&staff.actor, form.to_input()).await {
        Ok(_) => {
            let how = if form.make_active { " and made active" } else { "" };
            ui.see_other("/admin", Flash::success(format!("Campaign {} created{how}.", form.name.trim()))).await
        }
        Err(e) => {
            let errors = form_errors(e)?;
            let libraries = state.tracker.list_libraries(&staff.actor).await?;
            ui.render(page(form, &libraries, errors).invalid()).await
        }
    }
}

/// Fixture views for this module's template.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let mut errors = FormErrors::none();
    errors.fields.insert("end_date".into(), "the end date is before the start date".into());
    errors.fields.insert("library_ids".into(), "library 9 does not exist".into());
    errors.form = Some("This request key was already used for a different request.".into());
    let form = CampaignForm {
        name: "Operation Arrowhead".into(),
        start_date: "2026-03-01".into(),
        end_date: "2026-02-01".into(),
        library_ids: vec![1],
        make_active: true,
        idempotency_key: "0123456789abcdef".into(),
        ..CampaignForm::default()
    };
    let choice = |id, name: &str, checked| LibraryChoice {
        id,
        name: name.into(),
        category: "Base game".into(),
        asset_count: 12,
        is_default: checked,
        checked,
    };
    let libraries = vec![choice(1, "NATO", true), choice(2, "CSAT", false)];
    let full = NewCampaignView { form, libraries, errors };
    let empty = NewCampaignView { form: CampaignForm::default(), libraries: Vec::new(), errors: FormErrors::none() };
    vec![
        ("admin/campaign_new.html", serde_json::to_value(full).unwrap_or_default()),
        ("admin/campaign_new.html", serde_json::to_value(empty).unwrap_or_default()),
    ]
}
