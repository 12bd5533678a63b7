//! `GET+POST /manage/libraries/{id}/assets/new`, `GET+POST /manage/assets/{id}/edit`
//! and `POST /manage/assets/{id}/delete`: one library asset. Every form leads back to
//! the asset's library; deleting an asset a campaign's pool holds is refused there
//! with an error flash.

use super::{SelectOption, checked, library_path};
use crate::AppState;
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors, idempotency_key};
use application::App;
use application::libraries::AssetInput;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::{AssetId, AssetKind, AssetLibrary, AssetSpec, LibraryId};
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/manage/libraries/{id}/assets/new", get(new_form::<A>).post(create::<A>))
        .route("/manage/assets/{id}/edit", get(edit_form::<A>).post(update::<A>))
        .route("/manage/assets/{id}/delete", post(delete::<A>))
}

/// The asset form as submitted (and as shown again).
#[derive(Debug, Default, Deserialize, Serialize)]
struct AssetForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    default_quantity: String,
    #[serde(default)]
    unique: Option<String>,
    #[serde(default)]
    public: Option<String>,
    #[serde(default)]
    idempotency_key: String,
}

impl AssetForm {
    /// A new asset's first rendering: a vehicle of one, shown to the public.
    fn fresh() -> Self {
        Self {
            kind: AssetKind::Vehicle.as_str().into(),
            default_quantity: "1".into(),
            public: checked(true),
            idempotency_key: idempotency_key(),
            ..Self::default()
        }
    }

    /// The form filled with an asset's fields.
    fn of(spec: &AssetSpec) -> Self {
        Self {
            name: spec.name().to_string(),
            kind: spec.kind().as_str().into(),
            category: spec.category().to_string(),
            description: spec.description().to_string(),
            default_quantity: spec.default_quantity().get().to_string(),
            unique: checked(spec.is_unique()),
            public: checked(spec.is_public()),
            idempotency_key: String::new(),
        }
    }

    /// The use case's input; the key only matters when creating.
    fn input(&self) -> AssetInput {
        AssetInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            category: self.category.clone(),
            description: self.description.clone(),
            default_quantity: self.default_quantity.clone(),
            unique: self.unique.is_some(),
            public: self.public.is_some(),
            idempotency_key: Some(self.idempotency_key.clone()),
        }
    }
}

/// The view of `libraries/asset_form.html`, for a new asset or an edit.
#[derive(Debug, Serialize)]
struct AssetFormView {
    heading: String,
    action: String,
    submit: &'static str,
    cancel: String,
    creating: bool,
    kinds: Vec<SelectOption>,
    form: AssetForm,
    errors: FormErrors,
}

/// Which form: a new asset of a library, or an edit of asset `AssetId`.
enum Mode {
    New,
    Edit(AssetId),
}

/// The view of the asset form of `library`.
fn view(mode: &Mode, library: &AssetLibrary, form: AssetForm, errors: FormErrors) -> AssetFormView {
    let kinds = AssetKind::ALL.iter().map(|k| SelectOption { value: k.as_str().into(), label: k.as_str().into() });
    let (heading, action, submit, creating) = match mode {
        Mode::New => (
            format!("New asset in {}", library.name),
            format!("/manage/libraries/{}/assets/new", library.id),
            "Add asset",
            true,
        ),
        Mode::Edit(id) => {
            (format!("Edit asset in {}", library.name), format!("/manage/assets/{id}/edit"), "Save asset", false)
        }
    };
    AssetFormView {
        heading,
        action,
        submit,
        cancel: library_path(library.id),
        creating,
        kinds: kinds.collect(),
        form,
        errors,
    }
}

/// The asset form's page.
fn page(mode: &Mode, library: &AssetLibrary, form: AssetForm, errors: FormErrors) -> Page {
    let title = match mode {
        Mode::New => "New asset",
        Mode::Edit(_) => "Edit asset",
    };
    Page::new("libraries/asset_form.html", title, &view(mode, library, form, errors))
        .crumb("Manage", "/manage")
        .crumb("Libraries", "/manage/libraries")
        .crumb(library.name.as_str(), library_path(library.id))
}

/// `GET /manage/libraries/{id}/assets/new`.
async fn new_form<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let library = state.tracker.library(&staff.actor, LibraryId::new(id)).await?.summary.library;
    ui.render(page(&Mode::New, &library, AssetForm::fresh(), FormErrors::none())).await
}

/// `POST /manage/libraries/{id}/assets/new`: adds the asset and shows its library.
async fn create<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<AssetForm>,
) -> Result<Response, HttpError> {
    let id = LibraryId::new(id);
    match state.tracker.create_asset(&staff.actor, id, form.input()).await {
        Ok(_) => ui.see_other(&library_path(id), Flash::success(format!("Asset {} added.", form.name.trim()))).await,
        Err(e) => {
            let errors = form_errors(e)?;
            let library = state.tracker.library(&staff.actor, id).await?.summary.library;
            ui.render(page(&Mode::New, &library, form, errors).invalid()).await
        }
    }
}

/// `GET /manage/assets/{id}/edit`: the form filled with the asset's fields.
async fn edit_form<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let found = state.tracker.asset(&staff.actor, AssetId::new(id)).await?;
    let form = AssetForm::of(&found.asset.spec);
    ui.render(page(&Mode::Edit(found.asset.id), &found.library, form, FormErrors::none())).await
}

/// `POST /manage/assets/{id}/edit`: saves the asset and shows its library.
async fn update<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<AssetForm>,
) -> Result<Response, HttpError> {
    // The asset's library is where the form leads back to (and names the trail).
    let library = state.tracker.asset(&staff.actor, AssetId::new(id)).await?.library;
    match state.tracker.update_asset(&staff.actor, AssetId::new(id), form.input()).await {
        Ok(()) => ui.see_other(&library_path(library.id), Flash::success("Asset saved.")).await,
        Err(e) => {
            let errors = form_errors(e)?;
            ui.render(page(&Mode::Edit(AssetId::new(id)), &library, form, errors).invalid()).await
        }
    }
}

/// `POST /manage/assets/{id}/delete`: back to the asset's library, with what happened.
async fn delete<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let found = state.tracker.asset(&staff.actor, AssetId::new(id)).await?;
    let back = library_path(found.library.id);
    match state.tracker.delete_asset(&staff.actor, found.asset.id).await {
        Ok(()) => ui.see_other(&back, Flash::success(format!("Asset {} deleted.", found.asset.spec.name()))).await,
        Err(e) => {
            let message = form_errors(e)?.form.unwrap_or_else(|| "The asset could not be deleted.".to_owned());
            ui.see_other(&back, Flash::error(message)).await
        }
    }
}

/// Fixtures: a new asset with errors and an edit.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    use domain::{Category, Description, LibraryName};
    let library = AssetLibrary {
        id: LibraryId::new(1),
        name: LibraryName::parse("NATO").unwrap_or_else(|e| panic!("{e}")),
        description: Description::empty(),
        category: Category::parse("Modern").unwrap_or_else(|e| panic!("{e}")),
        is_default: true,
    };
    let mut errors = FormErrors::none();
    errors.fields.insert("default_quantity".into(), "a unique asset's default quantity can be at most 1".into());
    errors.fields.insert("kind".into(), "expected one of Vehicle, Aircraft".into());
    errors.form = Some("This library already has an asset with this name.".into());
    let bad = AssetForm {
        name: "Hunter".into(),
        unique: checked(true),
        default_quantity: "2".into(),
        ..AssetForm::default()
    };
    let edit =
        AssetForm { name: "Hunter".into(), kind: "Vehicle".into(), public: checked(true), ..AssetForm::default() };
    let new = view(&Mode::New, &library, bad, errors);
    let edit = view(&Mode::Edit(AssetId::new(3)), &library, edit, FormErrors::none());
    vec![
        ("libraries/asset_form.html", serde_json::to_value(new).unwrap_or_default()),
        ("libraries/asset_form.html", serde_json::to_value(edit).unwrap_or_default()),
    ]
}
