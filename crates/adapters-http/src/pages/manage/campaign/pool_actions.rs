//! The pool page's buttons and row forms: import, sync and add (per campaign), and
//! initial quantity, visibility and removal (per entry). Each redirects back to the
//! pool page with a flash: success, or the refusal's message.
//!
//! Invariant: the entry routes name no campaign, so their forms carry the campaign in
//! a hidden `campaign_id` only to know where to go back to; the use cases check the
//! entry's own campaign, so a wrong or missing value can only change the redirect.

use super::{assets_added, pool_path, refusal};
use crate::AppState;
use crate::web::{Flash, HttpError, StaffOnly, Ui, redirect_back};
use application::App;
use application::UseCaseError;
use application::pool::{AddPoolAsset, ImportLibrary, SetInitialQuantity, SetPoolEntryPublic, SyncLibrary};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use domain::{CampaignId, PoolEntryId};
use serde::Deserialize;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .route("/manage/campaigns/{cid}/pool/import", post(import::<A>))
        .route("/manage/campaigns/{cid}/pool/sync", post(sync::<A>))
        .route("/manage/campaigns/{cid}/pool/add", post(add::<A>))
        .route("/manage/pool/{entry}/initial", post(set_initial::<A>))
        .route("/manage/pool/{entry}/visibility", post(set_visibility::<A>))
        .route("/manage/pool/{entry}/remove", post(remove::<A>))
}

/// The import and sync forms.
#[derive(Debug, Deserialize)]
struct LibraryForm {
    #[serde(default)]
    library_id: String,
    #[serde(default)]
    idempotency_key: String,
}

/// The add-an-asset form.
#[derive(Debug, Deserialize)]
struct AddForm {
    #[serde(default)]
    asset_id: String,
    #[serde(default)]
    initial: String,
    #[serde(default)]
    idempotency_key: String,
}

/// A row form: the entry's new initial quantity or visibility, and where to go back.
#[derive(Debug, Deserialize)]
struct EntryForm {
    #[serde(default)]
    initial: String,
    #[serde(default)]
    public: String,
    #[serde(default)]
    campaign_id: String,
}

impl EntryForm {
    /// The pool page the form came from, or the dashboard when it does not say.
    fn back(&self) -> String {
        self.campaign_id.trim().parse().map_or_else(|_| "/manage".to_owned(), |id| pool_path(CampaignId::new(id)))
    }
}

/// `303` back to the pool page with `outcome`'s flash (the shape of every button here).
async fn back_to_pool(ui: &Ui, back: &str, outcome: Result<Flash, UseCaseError>) -> Result<Response, HttpError> {
    redirect_back(ui, back, outcome, refusal).await
}

/// `POST /manage/campaigns/{cid}/pool/import`.
async fn import<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(cid): Path<i64>,
    Form(form): Form<LibraryForm>,
) -> Result<Response, HttpError> {
    let campaign = CampaignId::new(cid);
    let cmd = ImportLibrary { library_id: form.library_id, idempotency_key: Some(form.idempotency_key) };
    let outcome = state.tracker.import_library(&staff.actor, campaign, cmd).await;
    let done = |added| Flash::success(format!("Library imported: {}.", assets_added(added)));
    back_to_pool(&ui, &pool_path(campaign), outcome.map(done)).await
}

/// `POST /manage/campaigns/{cid}/pool/sync`.
async fn sync<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(cid): Path<i64>,
    Form(form): Form<LibraryForm>,
) -> Result<Response, HttpError> {
    let campaign = CampaignId::new(cid);
    let outcome = state.tracker.sync_library(&staff.actor, campaign, SyncLibrary { library_id: form.library_id }).await;
    let done = |added| Flash::success(format!("Library synced: {}.", assets_added(added)));
    back_to_pool(&ui, &pool_path(campaign), outcome.map(done)).await
}

/// `POST /manage/campaigns/{cid}/pool/add`.
async fn add<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(cid): Path<i64>,
    Form(form): Form<AddForm>,
) -> Result<Response, HttpError> {
    let campaign = CampaignId::new(cid);
    let cmd =
        AddPoolAsset { asset_id: form.asset_id, initial: form.initial, idempotency_key: Some(form.idempotency_key) };
    let outcome = state.tracker.add_pool_asset(&staff.actor, campaign, cmd).await;
    back_to_pool(&ui, &pool_path(campaign), outcome.map(|_| Flash::success("Asset added to the pool."))).await
}

/// `POST /manage/pool/{entry}/initial`: on success, back to the entry's own pool page.
async fn set_initial<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(entry): Path<i64>,
    Form(form): Form<EntryForm>,
) -> Result<Response, HttpError> {
    let cmd = SetInitialQuantity { initial: form.initial.clone() };
    match state.tracker.set_initial_quantity(&staff.actor, PoolEntryId::new(entry), cmd).await {
        Ok(saved) => {
            let done = format!("Initial quantity of {} set to {}.", saved.asset_name(), saved.initial());
            back_to_pool(&ui, &pool_path(saved.campaign_id()), Ok(Flash::success(done))).await
        }
        Err(e) => back_to_pool(&ui, &form.back(), Err(e)).await,
    }
}

/// `POST /manage/pool/{entry}/visibility` with `public=true|false`.
async fn set_visibility<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(entry): Path<i64>,
    Form(form): Form<EntryForm>,
) -> Result<Response, HttpError> {
    let cmd = SetPoolEntryPublic { public: form.public.clone() };
    let outcome = state.tracker.set_pool_entry_public(&staff.actor, PoolEntryId::new(entry), cmd).await;
    let done = |public| match public {
        true => Flash::success("The asset is shown on the public pages."),
        false => Flash::success("The asset is hidden from the public pages."),
    };
    back_to_pool(&ui, &form.back(), outcome.map(done)).await
}

/// `POST /manage/pool/{entry}/remove`.
async fn remove<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(entry): Path<i64>,
    Form(form): Form<EntryForm>,
) -> Result<Response, HttpError> {
    let outcome = state.tracker.remove_pool_entry(&staff.actor, PoolEntryId::new(entry)).await;
    back_to_pool(&ui, &form.back(), outcome.map(|()| Flash::success("The asset was removed from the pool."))).await
}
