//! `GET+POST /manage/libraries/new` and `GET+POST /manage/libraries/{id}/edit`: the
//! library form. A create carries an idempotency key, so a double submit makes one library.

use super::{checked, library_path};
use crate::AppState;
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors, idempotency_key};
use application::App;
use application::libraries::LibraryInput;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use domain::LibraryId;
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/manage/libraries/new", get(new_form).post(create::<A>))
        .route("/manage/libraries/{id}/edit", get(edit_form::<A>).post(update::<A>))
}

/// The library form as submitted (and as shown again).
#[derive(Debug, Default, Deserialize, Serialize)]
struct LibraryForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    is_default: Option<String>,
    #[serde(default)]
    idempotency_key: String,
}

impl LibraryForm {
    /// The use case's input; the key only matters when creating.
    fn input(&self) -> LibraryInput {
        LibraryInput {
            name: self.name.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            is_default: self.is_default.is_some(),
            idempotency_key: Some(self.idempotency_key.clone()),
        }
    }
}

/// The view of `libraries/form.html`, for a new library or an edit.
#[derive(Debug, Serialize)]
struct LibraryFormView {
    heading: String,
    action: String,
    submit: &'static str,
    cancel: String,
    creating: bool,
    form: LibraryForm,
    errors: FormErrors,
}

/// The view of the new-library form.
fn new_view(form: LibraryForm, errors: FormErrors) -> LibraryFormView {
    LibraryFormView {
        heading: "New library".into(),
        action: "/manage/libraries/new".into(),
        submit: "Create library",
        cancel: "/manage/libraries".into(),
        creating: true,
        form,
        errors,
    }
}

/// The new-library page.
fn new_page(form: LibraryForm, errors: FormErrors) -> Page {
    Page::new("libraries/form.html", "New library", &new_view(form, errors))
        .crumb("Manage", "/manage")
        .crumb("Libraries", "/manage/libraries")
}

/// The view of the edit form of library `id`, currently named `name`.
fn edit_view(id: LibraryId, name: &str, form: LibraryForm, errors: FormErrors) -> LibraryFormView {
    LibraryFormView {
        heading: format!("Edit library {name}"),
        action: format!("/manage/libraries/{id}/edit"),
        submit: "Save library",
        cancel: library_path(id),
        creating: false,
        form,
        errors,
    }
}

/// The edit page of library `id`, currently named `name`.
fn edit_page(id: LibraryId, name: &str, form: LibraryForm, errors: FormErrors) -> Page {
    Page::new("libraries/form.html", "Edit library", &edit_view(id, name, form, errors))
        .crumb("Manage", "/manage")
        .crumb("Libraries", "/manage/libraries")
        .crumb(name, library_path(id))
}

/// `GET /manage/libraries/new`.
async fn new_form(_staff: StaffOnly, ui: Ui) -> Result<Response, HttpError> {
    let form = LibraryForm { idempotency_key: idempotency_key(), ..LibraryForm::default() };
    ui.render(new_page(form, FormErrors::none())).await
}

/// `POST /manage/libraries/new`: creates the library and shows it.
async fn create<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Form(form): Form<LibraryForm>,
) -> Result<Response, HttpError> {
    match state.tracker.create_library(&staff.actor, form.input()).await {
        Ok(id) => ui.see_other(&library_path(id), Flash::success("Library created.")).await,
        Err(e) => {
            let errors = form_errors(e)?;
            ui.render(new_page(form, errors).invalid()).await
        }
    }
}

/// `GET /manage/libraries/{id}/edit`: the form filled with the library's fields.
async fn edit_form<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let id = LibraryId::new(id);
    let library = state.tracker.library(&staff.actor, id).await?.summary.library;
    let form = LibraryForm {
        name: library.name.to_string(),
        description: library.description.to_string(),
        category: library.category.to_string(),
        is_default: checked(library.is_default),
        idempotency_key: String::new(),
    };
    ui.render(edit_page(id, library.name.as_str(), form, FormErrors::none())).await
}

/// `POST /manage/libraries/{id}/edit`: saves the library and shows it.
async fn update<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<LibraryForm>,
) -> Result<Response, HttpError> {
    let id = LibraryId::new(id);
    match state.tracker.update_library(&staff.actor, id, form.input()).await {
        Ok(()) => ui.see_other(&library_path(id), Flash::success("Library saved.")).await,
        Err(e) => {
            let errors = form_errors(e)?;
            // The trail names the library as it is stored, not as (mis)typed.
            let library = state.tracker.library(&staff.actor, id).await?.summary.library;
            ui.render(edit_page(id, library.name.as_str(), form, errors).invalid()).await
        }
    }
}

/// Fixtures: a create with errors and an edit.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let mut errors = FormErrors::none();
    errors.fields.insert("name".into(), "must not be empty".into());
    errors.form = Some("A library with this name already exists.".into());
    let new = LibraryForm { name: "NATO".into(), idempotency_key: "k".into(), ..LibraryForm::default() };
    let edit = LibraryForm { name: "NATO".into(), is_default: checked(true), ..LibraryForm::default() };
    let edit = edit_view(LibraryId::new(1), "NATO", edit, FormErrors::none());
    vec![
        ("libraries/form.html", serde_json::to_value(new_view(new, errors)).unwrap_or_default()),
        ("libraries/form.html", serde_json::to_value(edit).unwrap_or_default()),
    ]
}
