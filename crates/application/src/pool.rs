//! Pool use cases: viewing a campaign's pool, importing or syncing a library into it
//! and adding one asset; changes to a single entry live in `pool::entry`.
//!
//! Invariants kept here: only a runner of the campaign changes its pool (admins on any
//! campaign that is not closed, managers on the active one); a pool holds each asset
//! at most once; a pool entry copies the asset's name, kind, category and uniqueness
//! when it is added, so later library edits never rewrite the campaign's history; a
//! unique asset never starts above 1.

mod entry;
mod page;

pub use entry::{SetInitialQuantity, SetPoolEntryPublic};
pub use page::{PoolLock, PoolPage};

use crate::actor::Actor;
use crate::error::{Conflict, UseCaseError, UseCaseResult, ValidationErrors};
use crate::input::chosen_id;
use crate::ports::{Clock, NewPoolEntry, PasswordHasher, Store};
use crate::tracker::{self, Tracker};
use domain::{
    Asset, AssetId, AuditAction, CampaignId, LibraryId, ObjectKind, ObjectRef, PoolEntry, PoolEntryId, Quantity,
};

/// How many asset names an import or sync lists in its audit entry before "and N more".
const NAMES_IN_AUDIT: usize = 10;

/// Importing a library into a campaign's pool, as typed.
#[derive(Debug, Clone, Default)]
pub struct ImportLibrary {
    /// The library's id (a select's value).
    pub library_id: String,
    /// Makes a retried request import once; blank means none.
    pub idempotency_key: Option<String>,
}

/// Syncing a library already imported into a campaign's pool, as typed.
#[derive(Debug, Clone, Default)]
pub struct SyncLibrary {
    /// The library's id (a select's value).
    pub library_id: String,
}

/// Adding one library asset to a campaign's pool, as typed.
#[derive(Debug, Clone, Default)]
pub struct AddPoolAsset {
    /// The asset's id (a select's value).
    pub asset_id: String,
    /// The starting quantity; blank means the asset's default.
    pub initial: String,
    /// Makes a retried request add once; blank means none.
    pub idempotency_key: Option<String>,
}

/// Which of the two library use cases is adding a library's assets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LibraryAdd {
    /// A first import: always recorded, even when every asset was already there.
    Import,
    /// A sync of assets added to the library since: recorded only when it added some.
    Sync,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// A campaign's pool, by kind then name. Staff may view any campaign's pool,
    /// closed ones included.
    ///
    /// # Errors
    /// `Forbidden` for the public; `NotFound("campaign")`.
    pub async fn pool(&self, actor: &Actor, campaign_id: CampaignId) -> UseCaseResult<Vec<PoolEntry>> {
        actor.staff()?;
        self.campaign_or_404(campaign_id).await?;
        Ok(self.store.pool(campaign_id).await?)
    }

    /// Adds every asset of a library to the pool at its default quantity and public
    /// flag, skipping assets the pool already holds; returns how many were added. The
    /// import is recorded in the audit log even when it added nothing. A repeated
    /// request with the same idempotency key returns the first answer and adds nothing.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("campaign")`,
    /// `NotFound("library")`; `Conflict::CampaignClosed`; `Invalid` on `library_id` (none
    /// chosen) or `idempotency_key`; `Conflict::IdempotencyKeyReused`.
    pub async fn import_library(
        &self,
        actor: &Actor,
        campaign_id: CampaignId,
        cmd: ImportLibrary,
    ) -> UseCaseResult<u64> {
        let key = cmd.idempotency_key.as_deref();
        self.add_library_assets(actor, campaign_id, &cmd.library_id, LibraryAdd::Import, key).await
    }

    /// Adds the library's assets that the pool does not hold yet (typically assets
    /// added to the library since it was imported) and says how many were added. A sync
    /// that finds nothing new writes nothing, not even an audit entry.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("campaign")`,
    /// `NotFound("library")`; `Conflict::CampaignClosed`; `Invalid` on `library_id`
    /// (none chosen).
    pub async fn sync_library(&self, actor: &Actor, campaign_id: CampaignId, cmd: SyncLibrary) -> UseCaseResult<u64> {
        self.add_library_assets(actor, campaign_id, &cmd.library_id, LibraryAdd::Sync, None).await
    }

    /// Adds one library asset to the pool. A blank `initial` means the asset's default
    /// quantity. The asset is added once however often the request is sent: a repeat
    /// with the same idempotency key answers with the entry the first request added;
    /// any other request for a held asset is refused with `Conflict::AlreadyInPool`.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("campaign")`,
    /// `NotFound("asset")`; `Conflict::CampaignClosed`; `Invalid` on `asset_id` (none
    /// chosen), `initial` (not a quantity, or above 1 for a unique asset) or
    /// `idempotency_key`; `Conflict::AlreadyInPool`; `Conflict::IdempotencyKeyReused`.
    pub async fn add_pool_asset(
        &self,
        actor: &Actor,
        campaign_id: CampaignId,
        cmd: AddPoolAsset,
    ) -> UseCaseResult<PoolEntryId> {
        actor.staff()?;
        let campaign = self.campaign_or_404(campaign_id).await?;
        let runner = actor.runner_of(&campaign)?;
        let Some(asset_id) = chosen_id(&cmd.asset_id).map(AssetId::new) else {
            return Err(ValidationErrors::single("asset_id", "choose an asset to add").into());
        };
        let asset = self.store.asset(asset_id).await?.ok_or(UseCaseError::NotFound("asset"))?;
        let mut errors = ValidationErrors::new();
        let key = tracker::idempotency_key(&mut errors, cmd.idempotency_key.as_deref());
        let initial = parse_initial(&mut errors, &cmd.initial, &asset);
        let initial = match initial {
            Some(initial) if errors.is_empty() => initial,
            _ => return Err(errors.into()),
        };
        let held = self.store.pool(campaign_id).await?.iter().any(|e| e.asset_id() == asset_id);
        // A held asset is refused, unless the request carries a key: then it may be the
        // retry of the request that added it, and the store answers with that entry.
        if held && key.is_none() {
            return Err(Conflict::AlreadyInPool.into());
        }
        let summary = format!("added {} x{initial} to the pool", asset.spec.name());
        let object = ObjectRef::created(ObjectKind::PoolEntry);
        let audit = self.audit(runner, AuditAction::PoolAssetAdded, Some(campaign_id), object, summary);
        let entries = [NewPoolEntry::from_asset(&asset, initial)];
        let added = self.store.add_pool_entries(campaign_id, &entries, &audit, key.as_ref()).await?;
        // Empty when the asset is held and this is not a replay of the request that
        // added it (or another request added it since the check above).
        added.first().copied().ok_or(UseCaseError::Conflict(Conflict::AlreadyInPool))
    }

    /// Import and sync: adds the library's assets that the pool does not hold yet.
    async fn add_library_assets(
        &self,
        actor: &Actor,
        campaign_id: CampaignId,
        library_id: &str,
        mode: LibraryAdd,
        idempotency_key: Option<&str>,
    ) -> UseCaseResult<u64> {
        actor.staff()?;
        let campaign = self.campaign_or_404(campaign_id).await?;
        let runner = actor.runner_of(&campaign)?;
        let Some(library_id) = chosen_id(library_id).map(LibraryId::new) else {
            let message = match mode {
                LibraryAdd::Import => "choose a library to import",
                LibraryAdd::Sync => "choose a library to sync",
            };
            return Err(ValidationErrors::single("library_id", message).into());
        };
        let mut errors = ValidationErrors::new();
        let key = tracker::idempotency_key(&mut errors, idempotency_key);
        errors.into_result()?;
        let library = self.store.library(library_id).await?.ok_or(UseCaseError::NotFound("library"))?.library;
        let pool = self.store.pool(campaign_id).await?;
        let new: Vec<NewPoolEntry> = self
            .store
            .assets(library_id)
            .await?
            .iter()
            .filter(|asset| !pool.iter().any(|e| e.asset_id() == asset.id))
            .map(|asset| NewPoolEntry::from_asset(asset, asset.spec.default_quantity()))
            .collect();
        if new.is_empty() && mode == LibraryAdd::Sync {
            return Ok(0);
        }
        let (action, verb) = match mode {
            LibraryAdd::Import => (AuditAction::LibraryImported, "imported"),
            LibraryAdd::Sync => (AuditAction::LibrarySynced, "synced"),
        };
        let summary = format!("{verb} library {}: {}", library.name, added_names(&new));
        let object = ObjectRef::existing(ObjectKind::Library, library_id.get());
        let audit = self.audit(runner, action, Some(campaign_id), object, summary);
        let added = self.store.add_pool_entries(campaign_id, &new, &audit, key.as_ref()).await?;
        Ok(u64::try_from(added.len()).unwrap_or(u64::MAX))
    }
}

/// The starting quantity typed for `asset`: blank means its default; a unique asset
/// starts at most at 1.
fn parse_initial(errors: &mut ValidationErrors, raw: &str, asset: &Asset) -> Option<Quantity> {
    let initial = if raw.trim().is_empty() {
        asset.spec.default_quantity()
    } else {
        errors.check("initial", Quantity::parse(raw))?
    };
    if asset.spec.is_unique() && initial.get() > 1 {
        errors.add("initial", "a unique asset's quantity can be at most 1");
        return None;
    }
    Some(initial)
}

/// "3 assets added (A, B, C)", listing at most [`NAMES_IN_AUDIT`] names.
fn added_names(new: &[NewPoolEntry]) -> String {
    if new.is_empty() {
        return "no new assets".to_owned();
    }
    let mut names: Vec<&str> = new.iter().take(NAMES_IN_AUDIT).map(|e| e.asset.asset_name.as_str()).collect();
    let more = format!("and {} more", new.len().saturating_sub(NAMES_IN_AUDIT));
    if new.len() > NAMES_IN_AUDIT {
        names.push(&more);
    }
    let noun = if new.len() == 1 { "asset" } else { "assets" };
    format!("{} {noun} added ({})", new.len(), names.join(", "))
}

#[cfg(test)]
mod tests;
