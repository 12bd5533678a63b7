//! A library's assets as CSV: `GET /manage/libraries/{id}/assets.csv` exports them;
//! `GET+POST /manage/libraries/{id}/import` imports a file in two steps. The form holds
//! the file's text (pasted, or read from a chosen file by app.js); "Preview" shows what
//! the import would add, skip and reject and writes nothing; "Import" writes it, all or
//! nothing, and leads back to the library.
//!
//! Invariant: the file is judged by the use cases alone (`preview_asset_import`,
//! `import_assets`); this page only carries its text and shows their answer.

use super::{added_message, library_path};
use crate::AppState;
use crate::pages::report_csv::{cell, slug};
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors};
use application::App;
use application::libraries::csv::{COLUMNS, ImportPreview, MAX_BYTES};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use domain::LibraryId;
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/manage/libraries/{id}/assets.csv", get(export::<A>))
        .route("/manage/libraries/{id}/import", get(form::<A>).post(import::<A>))
}

/// `GET /manage/libraries/{id}/assets.csv`: every asset, one row each.
async fn export<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let view = state.tracker.library(&staff.actor, LibraryId::new(id)).await?;
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for asset in &view.assets {
        let s = &asset.spec;
        let texts = [s.name().as_str(), s.kind().as_str(), s.category().as_str(), s.description().as_str()].map(cell);
        out.push_str(&texts.join(","));
        let flags = [s.is_unique(), s.is_public()].map(|f| if f { "true" } else { "false" });
        out.push_str(&format!(",{},{},{}\r\n", s.default_quantity().get(), flags[0], flags[1]));
    }
    let mut response = out.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let name = format!("attachment; filename=\"{}-assets.csv\"", slug(view.summary.library.name.as_str(), "library"));
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The import form: the file's text, and which button was pressed.
#[derive(Debug, Default, Deserialize)]
struct ImportForm {
    #[serde(default)]
    csv: String,
    #[serde(default)]
    action: String,
}

/// The view of `libraries/import.html`.
#[derive(Debug, Serialize)]
struct ImportView {
    library: LibraryRef,
    columns: String,
    max_kb: usize,
    csv: String,
    preview: Option<PreviewView>,
    errors: FormErrors,
}

#[derive(Debug, Serialize)]
struct LibraryRef {
    id: i64,
    name: String,
}

/// What the import would do.
#[derive(Debug, Serialize)]
struct PreviewView {
    to_add: Vec<AddRow>,
    skipped: Vec<LineRow>,
    rejected: Vec<LineRow>,
}

#[derive(Debug, Serialize)]
struct AddRow {
    line: usize,
    name: String,
    kind: &'static str,
    category: String,
    quantity: u32,
    unique: bool,
    public: bool,
}

/// A row with a line and a message: a skipped name and why, or why a row is rejected.
#[derive(Debug, Serialize)]
struct LineRow {
    line: usize,
    name: String,
    reason: String,
}

impl From<&ImportPreview> for PreviewView {
    fn from(p: &ImportPreview) -> Self {
        Self {
            to_add: p
                .to_add
                .iter()
                .map(|(line, s)| AddRow {
                    line: *line,
                    name: s.name().to_string(),
                    kind: s.kind().as_str(),
                    category: s.category().to_string(),
                    quantity: s.default_quantity().get(),
                    unique: s.is_unique(),
                    public: s.is_public(),
                })
                .collect(),
            skipped: p
                .skipped
                .iter()
                .map(|(line, name, why)| LineRow { line: *line, name: name.clone(), reason: (*why).to_owned() })
                .collect(),
            rejected: p
                .rejected
                .iter()
                .map(|(line, why)| LineRow { line: *line, name: String::new(), reason: why.clone() })
                .collect(),
        }
    }
}

/// `GET /manage/libraries/{id}/import`.
async fn form<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let view = state.tracker.library(&staff.actor, LibraryId::new(id)).await?;
    let library = LibraryRef { id, name: view.summary.library.name.to_string() };
    ui.render(page(library, String::new(), None, FormErrors::none())).await
}

/// `POST /manage/libraries/{id}/import`: `action=preview` shows what the file would do;
/// `action=import` does it and leads back to the library.
async fn import<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(form): Form<ImportForm>,
) -> Result<Response, HttpError> {
    let library_id = LibraryId::new(id);
    let view = state.tracker.library(&staff.actor, library_id).await?;
    let library = LibraryRef { id, name: view.summary.library.name.to_string() };
    let file = form.csv.as_bytes();
    if form.action == "import" {
        return match state.tracker.import_assets(&staff.actor, library_id, file).await {
            Ok(done) => {
                ui.see_other(
                    &library_path(library_id),
                    Flash::success(added_message("imported", done.to_add.len() as u64, done.skipped.len() as u64)),
                )
                .await
            }
            Err(e) => {
                let errors = form_errors(e)?;
                let preview = state.tracker.preview_asset_import(&staff.actor, library_id, file).await.ok();
                ui.render(page(library, form.csv, preview.as_ref(), errors).invalid()).await
            }
        };
    }
    match state.tracker.preview_asset_import(&staff.actor, library_id, file).await {
        Ok(preview) => ui.render(page(library, form.csv, Some(&preview), FormErrors::none())).await,
        Err(e) => ui.render(page(library, form.csv, None, form_errors(e)?).invalid()).await,
    }
}

fn page(library: LibraryRef, csv: String, preview: Option<&ImportPreview>, errors: FormErrors) -> Page {
    let title = format!("Import assets into {}", library.name);
    let path = library_path(LibraryId::new(library.id));
    let crumb = library.name.clone();
    let view = ImportView {
        library,
        columns: COLUMNS.join(","),
        max_kb: MAX_BYTES / 1024,
        csv,
        preview: preview.map(PreviewView::from),
        errors,
    };
    Page::new("libraries/import.html", title, &view).crumb("Libraries", "/manage/libraries").crumb(crumb, path)
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let library = || LibraryRef { id: 1, name: "NATO".into() };
    let preview = PreviewView {
        to_add: vec![AddRow {
            line: 2,
            name: "Slammer".into(),
            kind: "Vehicle",
            category: "Tank".into(),
            quantity: 4,
            unique: false,
            public: true,
        }],
        skipped: vec![LineRow {
            line: 3,
            name: "Hunter".into(),
            reason: "the library has an asset of that name".into(),
        }],
        rejected: vec![LineRow { line: 4, name: String::new(), reason: "kind: must be one of …".into() }],
    };
    let view = |preview, errors| ImportView {
        library: library(),
        columns: COLUMNS.join(","),
        max_kb: 256,
        csv: "name,kind\nSlammer,Vehicle".into(),
        preview,
        errors,
    };
    let mut errors = FormErrors::none();
    errors.fields.insert("csv".into(), "the file is empty".into());
    vec![
        ("libraries/import.html", serde_json::to_value(view(Some(preview), FormErrors::none())).unwrap_or_default()),
        ("libraries/import.html", serde_json::to_value(view(None, errors)).unwrap_or_default()),
    ]
}
