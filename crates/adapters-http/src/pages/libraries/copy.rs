//! `GET+POST /manage/libraries/{id}/copy`: copying assets from another library. Two
//! steps: `GET ?from_library=X[&q=text][&kind=K]` shows X's assets as checkboxes (those
//! whose name contains `q`, of kind `K`, when given); the POST copies the ticked ones
//! (none ticked = every asset shown) and says how many were copied and skipped.

use super::{SelectOption, added_message, library_path};
use crate::AppState;
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors};
use application::Actor;
use application::App;
use application::UseCaseError;
use application::libraries::{CopyAssets, LibraryView};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use domain::{Asset, AssetId, AssetKind, LibraryId};
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/manage/libraries/{id}/copy", get(show::<A>).post(copy::<A>))
}

/// The first step's query: the library whose assets to show, and the filter.
#[derive(Debug, Default, Deserialize)]
struct CopyQuery {
    #[serde(default)]
    from_library: String,
    #[serde(flatten)]
    filter: Filter,
}

/// Which of the source's assets are shown: names containing `q` (in any case), of kind
/// `kind` (any kind when empty).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
struct Filter {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
}

impl Filter {
    /// The filter a form sent (the copy form sends the one its assets were shown with).
    fn of(pairs: &[(String, String)]) -> Self {
        let value = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default();
        Self { q: value("q"), kind: value("kind") }
    }

    fn is_active(&self) -> bool {
        !self.q.trim().is_empty() || !self.kind.trim().is_empty()
    }

    fn shows(&self, asset: &Asset) -> bool {
        let q = self.q.trim().to_lowercase();
        let name = asset.spec.name().as_str().to_lowercase();
        let kind = self.kind.trim();
        name.contains(&q) && (kind.is_empty() || asset.spec.kind().as_str().eq_ignore_ascii_case(kind))
    }
}

/// The copy form's fields as the use case's command: `from_library` and every ticked
/// `asset_ids` value. None ticked copies every asset shown: all of them, or under a
/// filter the ones it showed (sent as `shown_ids`).
fn command(pairs: &[(String, String)]) -> CopyAssets {
    let values = |name: &'static str| pairs.iter().filter(move |(n, _)| n == name).map(|(_, v)| v.clone());
    let filtered = Filter::of(pairs).is_active();
    let mut asset_ids: Vec<String> = values("asset_ids").collect();
    if asset_ids.is_empty() && filtered {
        asset_ids = values("shown_ids").collect();
    }
    CopyAssets {
        from_library: values("from_library").next().unwrap_or_default(),
        asset_ids: (!asset_ids.is_empty() || filtered).then_some(asset_ids),
    }
}

/// What a refused copy shows again: the source library and the ticks that were ids.
fn shown_again(cmd: &CopyAssets) -> (Option<LibraryId>, Vec<AssetId>) {
    let id = |raw: &str| raw.trim().parse::<i64>().ok();
    let ticked = cmd.asset_ids.iter().flatten().filter_map(|raw| id(raw)).map(AssetId::new).collect();
    (id(&cmd.from_library).map(LibraryId::new), ticked)
}

/// The chosen source library, or `None` (with a message when something was typed).
fn from_library(raw: &str, errors: &mut FormErrors) -> Option<LibraryId> {
    let parsed = raw.trim().parse::<i64>().ok().map(LibraryId::new);
    if parsed.is_none() && !raw.trim().is_empty() {
        field_error(errors, "from_library", "choose a library to copy from");
    }
    parsed
}

fn field_error(errors: &mut FormErrors, field: &str, message: &str) {
    errors.fields.entry(field.to_owned()).or_insert_with(|| message.to_owned());
}

/// The library copied into.
#[derive(Debug, Serialize)]
struct Target {
    id: i64,
    name: String,
}

/// The library copied from, with its assets (those the filter shows) as checkboxes.
#[derive(Debug, Serialize)]
struct Source {
    id: i64,
    name: String,
    /// How many assets it has, shown or not.
    total: usize,
    assets: Vec<SourceAsset>,
}

impl Source {
    /// `library` with the assets `filter` shows, those in `checked` ticked.
    fn of(library: &LibraryView, checked: &[AssetId], filter: &Filter) -> Self {
        let assets = library.assets.iter().filter(|a| filter.shows(a)).map(|a| SourceAsset {
            id: a.id.get(),
            name: a.spec.name().to_string(),
            kind: a.spec.kind().as_str(),
            checked: checked.contains(&a.id),
        });
        Self {
            id: library.summary.library.id.get(),
            name: library.summary.library.name.to_string(),
            total: library.assets.len(),
            assets: assets.collect(),
        }
    }
}

/// One checkbox of the source's assets.
#[derive(Debug, Serialize)]
struct SourceAsset {
    id: i64,
    name: String,
    kind: &'static str,
    checked: bool,
}

/// The view of `libraries/copy.html`.
#[derive(Debug, Serialize)]
struct CopyView {
    target: Target,
    libraries: Vec<SelectOption>,
    selected: String,
    filter: Filter,
    filtered: bool,
    kinds: Vec<SelectOption>,
    source: Option<Source>,
    errors: FormErrors,
}

/// The kind filter's options: any kind, then each kind.
fn kind_options() -> Vec<SelectOption> {
    let any = SelectOption { value: String::new(), label: "Any kind".into() };
    let kinds = AssetKind::ALL.iter().map(|k| SelectOption { value: k.as_str().into(), label: k.as_str().into() });
    std::iter::once(any).chain(kinds).collect()
}

/// `GET /manage/libraries/{id}/copy[?from_library=X]`.
async fn show<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Query(query): Query<CopyQuery>,
) -> Result<Response, HttpError> {
    let mut errors = FormErrors::none();
    let from = from_library(&query.from_library, &mut errors);
    let page = copy_page(&state, &staff.actor, LibraryId::new(id), from, &[], &query.filter, errors).await?;
    ui.render(page).await
}

/// `POST /manage/libraries/{id}/copy`: copies, then shows the library with the counts.
async fn copy<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let (into, cmd, filter) = (LibraryId::new(id), command(&pairs), Filter::of(&pairs));
    let ticked_none = !pairs.iter().any(|(name, _)| name == "asset_ids");
    let (from, ticked) = shown_again(&cmd);
    let ticked = if ticked_none { Vec::new() } else { ticked };
    let errors = match state.tracker.copy_assets_counted(&staff.actor, into, cmd).await {
        Ok(done) => {
            return ui
                .see_other(&library_path(into), Flash::success(added_message("copied", done.copied, done.skipped)))
                .await;
        }
        Err(e) => copy_errors(e)?,
    };
    let page = copy_page(&state, &staff.actor, into, from, &ticked, &filter, errors).await?;
    ui.render(page.invalid()).await
}

/// A refused copy as the form's messages. A missing library is left to `copy_page`,
/// which tells the target (404) from the source (a message on the field).
fn copy_errors(error: UseCaseError) -> Result<FormErrors, HttpError> {
    if let UseCaseError::NotFound("library") = error {
        return Ok(FormErrors::none());
    }
    form_errors(error)
}

/// The copy page of library `into`, showing library `from`'s assets when chosen (with
/// `checked` ticked). A chosen library that does not exist is reported on the field.
async fn copy_page<A: App>(
    state: &AppState<A>,
    actor: &Actor,
    into: LibraryId,
    from: Option<LibraryId>,
    checked: &[AssetId],
    filter: &Filter,
    mut errors: FormErrors,
) -> Result<Page, HttpError> {
    let libraries = state.tracker.list_libraries(actor).await?;
    let target = libraries.iter().find(|s| s.library.id == into).ok_or_else(HttpError::not_found)?;
    let target = Target { id: into.get(), name: target.library.name.to_string() };
    let source = match from {
        Some(from) => match state.tracker.library(actor, from).await {
            Ok(view) => Some(Source::of(&view, checked, filter)),
            Err(UseCaseError::NotFound(_)) => {
                field_error(&mut errors, "from_library", "there is no such library");
                None
            }
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let prompt = SelectOption { value: String::new(), label: "Choose a library".into() };
    let others = libraries.iter().filter(|s| s.library.id != into).map(|s| SelectOption {
        value: s.library.id.to_string(),
        label: format!("{} ({} assets)", s.library.name, s.asset_count),
    });
    let view = CopyView {
        libraries: std::iter::once(prompt).chain(others).collect(),
        selected: from.map(|id| id.to_string()).unwrap_or_default(),
        filter: filter.clone(),
        filtered: filter.is_active(),
        kinds: kind_options(),
        source,
        errors,
        target,
    };
    Ok(Page::new("libraries/copy.html", "Copy assets", &view)
        .crumb("Manage", "/manage")
        .crumb("Libraries", "/manage/libraries")
        .crumb(view.target.name.clone(), library_path(into)))
}

/// Fixtures: the first step, and the second with a refusal.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let target = || Target { id: 2, name: "NATO Pacific".into() };
    let options = vec![SelectOption { value: "1".into(), label: "NATO (2 assets)".into() }];
    let first = CopyView {
        target: target(),
        libraries: options.clone(),
        selected: String::new(),
        filter: Filter::default(),
        filtered: false,
        kinds: kind_options(),
        source: None,
        errors: FormErrors::none(),
    };
    let asset = |id: i64, checked: bool| SourceAsset { id, name: format!("Asset {id}"), kind: "Vehicle", checked };
    let mut errors = FormErrors::none();
    errors.fields.insert("asset_ids".into(), "asset 9 is not in library NATO".into());
    errors.fields.insert("from_library".into(), "must be another library than the one copied into".into());
    let source = Source { id: 1, name: "NATO".into(), total: 2, assets: vec![asset(1, true), asset(2, false)] };
    let filter = Filter { q: "asset".into(), kind: "Vehicle".into() };
    let second = CopyView {
        target: target(),
        libraries: options,
        selected: "1".into(),
        filter,
        filtered: true,
        kinds: kind_options(),
        source: Some(source),
        errors,
    };
    let empty = Source { id: 1, name: "NATO".into(), total: 0, assets: Vec::new() };
    let third = CopyView {
        target: target(),
        libraries: Vec::new(),
        selected: "1".into(),
        filter: Filter::default(),
        filtered: false,
        kinds: kind_options(),
        source: Some(empty),
        errors: FormErrors::none(),
    };
    vec![
        ("libraries/copy.html", serde_json::to_value(first).unwrap_or_default()),
        ("libraries/copy.html", serde_json::to_value(second).unwrap_or_default()),
        ("libraries/copy.html", serde_json::to_value(third).unwrap_or_default()),
    ]
}

#[cfg(test)]
mod tests;
