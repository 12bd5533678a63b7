//! Creating, editing and deleting one library asset.
//!
//! Invariants: an asset's name is unique within its library (compared
//! case-insensitively); a unique asset's default quantity is at most 1; an asset a
//! campaign's pool holds cannot be deleted, and editing one never changes a pool,
//! because pool entries keep the name, kind, category and uniqueness they copied.

use super::{same_name, shown};
use crate::actor::Actor;
use crate::error::{Conflict, UseCaseError, UseCaseResult, ValidationErrors};
use crate::ports::{Clock, PasswordHasher, Store};
use crate::tracker::{Tracker, idempotency_key};
use domain::{
    Asset, AssetId, AssetKind, AssetLibrary, AssetName, AssetSpec, AuditAction, Category, Description, IdempotencyKey,
    LibraryId, ObjectKind, ObjectRef, Quantity,
};

/// The fields of a library asset as typed into a form; used to create and to edit one.
#[derive(Debug, Clone, Default)]
pub struct AssetInput {
    /// Name, 1 to 200 characters, unique within the library (compared case-insensitively).
    pub name: String,
    /// One of Vehicle, Aircraft, Watercraft, Weapon, Ammunition, Equipment, Communication,
    /// Medical, Supply, Other (any case).
    pub kind: String,
    /// Free-text category such as "Main battle tank"; may be empty.
    pub category: String,
    /// Free description; may be empty.
    pub description: String,
    /// The quantity a campaign starts with when it imports the library: a whole
    /// number from 0 to 1,000,000, at most 1 for a unique asset.
    pub default_quantity: String,
    /// Whether at most one of this asset can be held in a pool.
    pub unique: bool,
    /// Whether the public sees this asset by default.
    pub public: bool,
    /// Optional key that makes a repeated create return the first asset's id.
    /// Ignored when editing.
    pub idempotency_key: Option<String>,
}

/// A library asset with the library it belongs to, for the asset's edit page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetView {
    /// The asset.
    pub asset: Asset,
    /// Its library.
    pub library: AssetLibrary,
}

/// A parsed `AssetInput`.
pub(super) struct ParsedAsset {
    pub(super) spec: AssetSpec,
    key: Option<IdempotencyKey>,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// One library asset with its library.
    /// # Errors
    /// `Forbidden` for the public; `NotFound("asset")`.
    pub async fn asset(&self, actor: &Actor, id: AssetId) -> UseCaseResult<AssetView> {
        actor.staff()?;
        let (asset, library) = self.store.asset_in_library(id).await?.ok_or(UseCaseError::NotFound("asset"))?;
        Ok(AssetView { asset, library: library.library })
    }

    /// Adds an asset to a library. With an idempotency key already used for this
    /// request by this actor, returns the id created the first time and changes nothing.
    /// # Errors
    /// `Forbidden` for the public; `Invalid` (`name`, `kind`, `category`,
    /// `description`, `default_quantity`, `idempotency_key`); `NotFound("library")`;
    /// `Conflict::DuplicateAssetName`; `Conflict::IdempotencyKeyReused`.
    pub async fn create_asset(&self, actor: &Actor, library: LibraryId, input: AssetInput) -> UseCaseResult<AssetId> {
        let staff = actor.staff()?;
        let ParsedAsset { spec, key } = parse_asset(&input)?;
        let summary = self.library_or_404(library).await?;
        let assets = self.store.assets(library).await?;
        if let Some(taken) = assets.iter().find(|a| same_name(a.spec.name(), spec.name())) {
            // A retried create finds its own asset under exactly the same name: let
            // the store replay it by its key (or refuse it with the same conflict).
            if key.is_none() || taken.spec.name() != spec.name() {
                return Err(Conflict::DuplicateAssetName.into());
            }
        }
        let details = format!("created asset {} ({}) in {}", spec.name(), spec.kind().as_str(), summary.library.name);
        let audit = self.audit(staff, AuditAction::AssetCreated, None, ObjectRef::created(ObjectKind::Asset), details);
        Ok(self.store.insert_asset(library, &spec, &audit, key.as_ref()).await?)
    }

    /// Edits a library asset. Campaign pools keep what they copied at import, so no
    /// campaign's pool or history changes. Saving unchanged fields writes nothing.
    /// # Errors
    /// `Forbidden` for the public; `Invalid` (as for `create_asset`);
    /// `NotFound("asset")`; `Conflict::DuplicateAssetName`.
    pub async fn update_asset(&self, actor: &Actor, id: AssetId, input: AssetInput) -> UseCaseResult<()> {
        let staff = actor.staff()?;
        // Keys only make creates idempotent; an edit is idempotent by itself.
        let input = AssetInput { idempotency_key: None, ..input };
        let ParsedAsset { spec, .. } = parse_asset(&input)?;
        let old = self.asset_or_404(id).await?;
        let siblings = self.store.assets(old.library_id).await?;
        if siblings.iter().any(|a| a.id != id && same_name(a.spec.name(), spec.name())) {
            return Err(Conflict::DuplicateAssetName.into());
        }
        let changes = asset_changes(&old.spec, &spec);
        if changes.is_empty() {
            return Ok(());
        }
        let details = format!("{}: {}", old.spec.name(), changes.join(", "));
        let audit = self.audit(staff, AuditAction::AssetUpdated, None, asset_ref(id), details);
        let updated = Asset { id, library_id: old.library_id, spec };
        Ok(self.store.update_asset(&updated, &audit).await?)
    }

    /// Deletes a library asset that no campaign's pool holds.
    /// # Errors
    /// `Forbidden` for the public; `NotFound("asset")`; `Conflict::InUse`.
    pub async fn delete_asset(&self, actor: &Actor, id: AssetId) -> UseCaseResult<()> {
        let staff = actor.staff()?;
        let asset = self.asset_or_404(id).await?;
        if self.store.asset_in_use(id).await? {
            return Err(Conflict::InUse("the asset").into());
        }
        let library = self.store.library(asset.library_id).await?;
        let details = match library {
            Some(summary) => format!("deleted asset {} from {}", asset.spec.name(), summary.library.name),
            None => format!("deleted asset {}", asset.spec.name()),
        };
        let audit = self.audit(staff, AuditAction::AssetDeleted, None, asset_ref(id), details);
        Ok(self.store.delete_asset(id, &audit).await?)
    }

    /// The asset, or `NotFound("asset")`.
    async fn asset_or_404(&self, id: AssetId) -> UseCaseResult<Asset> {
        self.store.asset(id).await?.ok_or(UseCaseError::NotFound("asset"))
    }
}

/// Parses every field of an asset form, collecting each problem. A unique asset with
/// a default quantity above 1 is reported on `default_quantity`.
pub(super) fn parse_asset(input: &AssetInput) -> UseCaseResult<ParsedAsset> {
    let mut errors = ValidationErrors::new();
    let name = errors.check("name", AssetName::parse(&input.name));
    let kind = errors.check("kind", AssetKind::parse(&input.kind));
    let category = errors.check("category", Category::parse(&input.category));
    let description = errors.check("description", Description::parse(&input.description));
    let quantity = errors.check("default_quantity", Quantity::parse(&input.default_quantity));
    let key = idempotency_key(&mut errors, input.idempotency_key.as_deref());
    let spec = match (name, kind, category, description, quantity) {
        (Some(name), Some(kind), Some(category), Some(description), Some(quantity)) => {
            let (unique, public) = (input.unique, input.public);
            let spec = AssetSpec::new(name, kind, category, description, quantity, unique, public);
            errors.check("default_quantity", spec)
        }
        _ => None,
    };
    match spec {
        Some(spec) if errors.is_empty() => Ok(ParsedAsset { spec, key }),
        _ => Err(UseCaseError::Invalid(errors)),
    }
}

/// What an edit changes, in short phrases for the audit entry.
fn asset_changes(old: &AssetSpec, new: &AssetSpec) -> Vec<String> {
    let mut changes = Vec::new();
    if old.name() != new.name() {
        changes.push(format!("renamed to {}", new.name()));
    }
    if old.kind() != new.kind() {
        changes.push(format!("kind {} -> {}", old.kind().as_str(), new.kind().as_str()));
    }
    if old.category() != new.category() {
        changes.push(format!("category {} -> {}", shown(old.category().as_str()), shown(new.category().as_str())));
    }
    if old.description() != new.description() {
        changes.push("description edited".to_owned());
    }
    if old.default_quantity() != new.default_quantity() {
        changes.push(format!("default quantity {} -> {}", old.default_quantity(), new.default_quantity()));
    }
    if old.is_unique() != new.is_unique() {
        changes.push(if new.is_unique() { "now unique" } else { "no longer unique" }.to_owned());
    }
    if old.is_public() != new.is_public() {
        changes.push(if new.is_public() { "now public" } else { "now hidden from the public" }.to_owned());
    }
    changes
}

/// The audit reference to an existing asset.
fn asset_ref(id: AssetId) -> ObjectRef {
    ObjectRef::existing(ObjectKind::Asset, id.get())
}

#[cfg(test)]
mod tests;
