//! `GET /manage/libraries` (every library), `GET /manage/libraries/{id}` (one library
//! with its assets) and `POST /manage/libraries/{id}/delete` (refused with an error
//! flash while a campaign's pool holds one of its assets).

use super::library_path;
use crate::AppState;
use crate::web::{Flash, HttpError, Page, StaffOnly, Ui, form_errors, iso};
use application::App;
use application::libraries::LibraryView;
use application::ports::LibrarySummary;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::{Asset, CampaignStatus, LibraryId};
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/manage/libraries", get(list::<A>))
        .route("/manage/libraries/{id}", get(show::<A>))
        .route("/manage/libraries/{id}/delete", post(delete::<A>))
}

/// One library as the list and its own page show it.
#[derive(Debug, Serialize)]
struct LibraryRow {
    id: i64,
    name: String,
    description: String,
    category: String,
    is_default: bool,
    asset_count: u64,
    in_use: bool,
}

impl From<&LibrarySummary> for LibraryRow {
    fn from(summary: &LibrarySummary) -> Self {
        let library = &summary.library;
        Self {
            id: library.id.get(),
            name: library.name.to_string(),
            description: library.description.to_string(),
            category: library.category.to_string(),
            is_default: library.is_default,
            asset_count: summary.asset_count,
            in_use: summary.in_use,
        }
    }
}

/// One asset row of a library's page.
#[derive(Debug, Serialize)]
struct AssetRow {
    id: i64,
    name: String,
    kind: &'static str,
    category: String,
    default_quantity: u32,
    unique: bool,
    public: bool,
}

impl From<&Asset> for AssetRow {
    fn from(asset: &Asset) -> Self {
        let spec = &asset.spec;
        Self {
            id: asset.id.get(),
            name: spec.name().to_string(),
            kind: spec.kind().as_str(),
            category: spec.category().to_string(),
            default_quantity: spec.default_quantity().get(),
            unique: spec.is_unique(),
            public: spec.is_public(),
        }
    }
}

/// The view of `libraries/list.html`.
#[derive(Debug, Serialize)]
struct ListView {
    libraries: Vec<LibraryRow>,
}

/// The view of `libraries/show.html`: the library, and its assets by kind then name.
#[derive(Debug, Serialize)]
struct ShowView {
    library: LibraryRow,
    assets: Vec<AssetRow>,
    campaigns: Vec<CampaignRow>,
}

/// A campaign whose pool holds the library's assets.
#[derive(Debug, Serialize)]
struct CampaignRow {
    id: i64,
    name: String,
    status: &'static str,
    /// RFC 3339 in UTC.
    imported_at: String,
    synced_at: Option<String>,
    /// How many of the library's assets its pool lacks (out of date when above 0).
    missing: u64,
    /// Whether its pool can still be synced (it is not closed).
    open: bool,
}

impl From<&LibraryView> for ShowView {
    fn from(view: &LibraryView) -> Self {
        let campaigns = view
            .campaigns
            .iter()
            .map(|c| CampaignRow {
                id: c.campaign.id().get(),
                name: c.campaign.name().to_string(),
                status: c.campaign.status().as_str(),
                imported_at: iso(c.imported_at),
                synced_at: c.synced_at.map(iso),
                missing: c.missing,
                open: c.campaign.status() != CampaignStatus::Closed,
            })
            .collect();
        Self {
            library: LibraryRow::from(&view.summary),
            assets: view.assets.iter().map(AssetRow::from).collect(),
            campaigns,
        }
    }
}

/// `GET /manage/libraries`.
async fn list<A: App>(State(state): State<AppState<A>>, staff: StaffOnly, ui: Ui) -> Result<Response, HttpError> {
    let libraries = state.tracker.list_libraries(&staff.actor).await?;
    let view = ListView { libraries: libraries.iter().map(LibraryRow::from).collect() };
    ui.render(Page::new("libraries/list.html", "Libraries", &view).crumb("Manage", "/manage")).await
}

/// `GET /manage/libraries/{id}`.
async fn show<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let library = state.tracker.library(&staff.actor, LibraryId::new(id)).await?;
    let view = ShowView::from(&library);
    let page = Page::new("libraries/show.html", view.library.name.clone(), &view)
        .crumb("Manage", "/manage")
        .crumb("Libraries", "/manage/libraries");
    ui.render(page).await
}

/// `POST /manage/libraries/{id}/delete`: back to the list, or to the library with the
/// reason it stays.
async fn delete<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let id = LibraryId::new(id);
    match state.tracker.delete_library(&staff.actor, id).await {
        Ok(()) => ui.see_other("/manage/libraries", Flash::success("Library deleted.")).await,
        Err(e) => {
            let message = form_errors(e)?.form.unwrap_or_else(|| "The library could not be deleted.".to_owned());
            ui.see_other(&library_path(id), Flash::error(message)).await
        }
    }
}

/// Fixtures: a list and a library page with assets, in use and not.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let library = |id: i64, in_use: bool| LibraryRow {
        id,
        name: format!("Library {id}"),
        description: "Vehicles of the base game".into(),
        category: "Modern".into(),
        is_default: !in_use,
        asset_count: 2,
        in_use,
    };
    let asset = |id: i64, unique: bool| AssetRow {
        id,
        name: format!("Asset {id}"),
        kind: "Vehicle",
        category: "Main battle tank".into(),
        default_quantity: 1,
        unique,
        public: !unique,
    };
    let list = ListView { libraries: vec![library(1, true), library(2, false)] };
    let campaign = |id: i64, missing: u64, open: bool| CampaignRow {
        id,
        name: format!("Operation {id}"),
        status: if open { "Active" } else { "Closed" },
        imported_at: "2026-01-01T10:00:00Z".into(),
        synced_at: (missing == 0).then(|| "2026-01-05T10:00:00Z".into()),
        missing,
        open,
    };
    let used = ShowView {
        library: library(1, true),
        assets: vec![asset(1, true), asset(2, false)],
        campaigns: vec![campaign(2, 3, true), campaign(1, 0, false)],
    };
    let empty = ShowView { library: library(2, false), assets: Vec::new(), campaigns: Vec::new() };
    let json = |v: serde_json::Result<serde_json::Value>| v.unwrap_or_default();
    vec![
        ("libraries/list.html", json(serde_json::to_value(list))),
        ("libraries/list.html", json(serde_json::to_value(ListView { libraries: Vec::new() }))),
        ("libraries/show.html", json(serde_json::to_value(used))),
        ("libraries/show.html", json(serde_json::to_value(empty))),
    ]
}
