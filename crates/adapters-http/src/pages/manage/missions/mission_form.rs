//! The mission form: `GET /manage/campaigns/{cid}/missions/new` with
//! `POST /manage/campaigns/{cid}/missions` (create, then the mission's page), and
//! `GET`+`POST /manage/missions/{id}/edit`.

use super::views::{SelectOption, status_options};
use super::{renew_bad_key, under_mission, under_missions};
use crate::AppState;
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors, idempotency_key};
use application::App;
use application::missions::MissionInput;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::{CampaignId, Mission, MissionId};
use serde::{Deserialize, Serialize};

/// The routes of this module (the create POST shares its path with the list's GET;
/// axum merges the two method routers).
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/manage/campaigns/{cid}/missions", post(create::<A>))
        .route("/manage/campaigns/{cid}/missions/new", get(new_form::<A>))
        .route("/manage/missions/{id}/edit", get(edit_form::<A>).post(update::<A>))
}

/// The mission form as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
struct MissionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    map_edit_url: String,
    #[serde(default)]
    map_view_url: String,
    #[serde(default)]
    idempotency_key: String,
}

impl MissionForm {
    /// The form filled with `mission`'s fields.
    fn of(mission: &Mission) -> Self {
        let d = &mission.details;
        let url = |u: &Option<domain::MapUrl>| u.as_ref().map(ToString::to_string).unwrap_or_default();
        Self {
            name: d.name.to_string(),
            description: d.description.to_string(),
            date: d.date.map(|d| d.to_string()).unwrap_or_default(),
            location: d.location.to_string(),
            status: mission.status.as_str().to_owned(),
            map_edit_url: url(&d.map_edit_url),
            map_view_url: url(&d.map_view_url),
            idempotency_key: String::new(),
        }
    }

    /// The use case's command.
    fn command(&self) -> MissionInput {
        MissionInput {
            name: self.name.clone(),
            description: self.description.clone(),
            date: self.date.clone(),
            location: self.location.clone(),
            status: self.status.clone(),
            map_edit_url: self.map_edit_url.clone(),
            map_view_url: self.map_view_url.clone(),
            idempotency_key: Some(self.idempotency_key.clone()).filter(|k| !k.is_empty()),
        }
    }
}

/// The form page's view (new and edit).
#[derive(Debug, Serialize)]
struct MissionFormView {
    action: String,
    cancel: String,
    is_new: bool,
    form: MissionForm,
    statuses: Vec<SelectOption>,
    errors: FormErrors,
}

fn new_page(campaign: CampaignId, form: MissionForm, errors: FormErrors) -> Page {
    let view = MissionFormView {
        action: format!("/manage/campaigns/{campaign}/missions"),
        cancel: format!("/manage/campaigns/{campaign}/missions"),
        is_new: true,
        form,
        statuses: status_options(),
        errors,
    };
    under_missions(Page::new("manage/mission_form.html", "New mission", &view), campaign)
}

fn edit_page(mission: &Mission, form: MissionForm, errors: FormErrors) -> Page {
    let view = MissionFormView {
        action: format!("/manage/missions/{}/edit", mission.id),
        cancel: format!("/manage/missions/{}", mission.id),
        is_new: false,
        form,
        statuses: status_options(),
        errors,
    };
    under_mission(Page::new("manage/mission_form.html", "Edit mission", &view), mission)
}

/// `GET /manage/campaigns/{cid}/missions/new`.
async fn new_form<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(cid): Path<i64>,
) -> Result<Response, HttpError> {
    let campaign = state.tracker.new_mission_page(&staff.actor, CampaignId::new(cid)).await?;
    let form = MissionForm { status: "Planned".into(), idempotency_key: idempotency_key(), ..MissionForm::default() };
    ui.render(new_page(campaign.id(), form, FormErrors::none())).await
}

/// `POST /manage/campaigns/{cid}/missions`: creates the mission and shows it.
async fn create<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(cid): Path<i64>,
    Form(form): Form<MissionForm>,
) -> Result<Response, HttpError> {
    let campaign = CampaignId::new(cid);
    match state.tracker.create_mission(&staff.actor, campaign, form.command()).await {
        Ok(id) => ui.see_other(&format!("/manage/missions/{id}"), Flash::success("Mission created.")).await,
        Err(e) => {
            let (mut errors, mut form) = (form_errors(e)?, form);
            renew_bad_key(&mut errors, &mut form.idempotency_key);
            ui.render(new_page(campaign, form, errors).invalid()).await
        }
    }
}

/// `GET /manage/missions/{id}/edit`.
async fn edit_form<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let mission = state.tracker.mission_edit_page(&staff.actor, MissionId::new(id)).await?;
    ui.render(edit_page(&mission, MissionForm::of(&mission), FormErrors::none())).await
}

/// `POST /manage/missions/{id}/edit`: saves the fields and shows the mission.
async fn update<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<MissionForm>,
) -> Result<Response, HttpError> {
    let id = MissionId::new(id);
    match state.tracker.update_mission(&staff.actor, id, form.command()).await {
        Ok(()) => ui.see_other(&format!("/manage/missions/{id}"), Flash::success("Mission saved.")).await,
        Err(e) => {
            let errors = form_errors(e)?;
            let page = state.tracker.mission_page(&staff.actor, id).await?;
            ui.render(edit_page(&page.mission, form, errors).invalid()).await
        }
    }
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let mut errors = FormErrors::message("The campaign is closed and can no longer be changed.");
    errors.fields.insert("name".into(), "must not be empty".into());
    errors.fields.insert("date".into(), "must be a date such as 2026-03-14".into());
    errors.fields.insert("map_view_url".into(), "must start with http:// or https://".into());
    let form = MissionForm { status: "InProgress".into(), location: "Altis".into(), ..MissionForm::default() };
    let invalid = MissionFormView {
        action: "/manage/campaigns/1/missions".into(),
        cancel: "/manage/campaigns/1/missions".into(),
        is_new: true,
        form,
        statuses: status_options(),
        errors,
    };
    let edit = MissionFormView {
        action: "/manage/missions/3/edit".into(),
        cancel: "/manage/missions/3".into(),
        is_new: false,
        form: MissionForm { name: "Dawn raid".into(), status: "Planned".into(), ..MissionForm::default() },
        statuses: status_options(),
        errors: FormErrors::none(),
    };
    vec![
        ("manage/mission_form.html", serde_json::to_value(invalid).unwrap_or_default()),
        ("manage/mission_form.html", serde_json::to_value(edit).unwrap_or_default()),
    ]
}
