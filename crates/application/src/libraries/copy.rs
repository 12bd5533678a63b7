//! Copying assets from one library into another.
//!
//! Invariant: a copy never gives the target library two assets with the same name
//! (compared case-insensitively): names it already has are skipped, not renamed.

use super::{assets_count, library_ref, same_name};
use crate::actor::Actor;
use crate::error::{UseCaseResult, ValidationErrors};
use crate::ports::{Clock, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{AssetId, AssetSpec, AuditAction, LibraryId};

/// What a copy did: how many assets it added and how many it skipped because the
/// target library already had their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyOutcome {
    /// Assets added to the target library.
    pub copied: u64,
    /// Chosen assets left out because the target already has an asset of that name.
    pub skipped: u64,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Copies assets of library `from` into library `into`: the assets named in
    /// `asset_ids`, or every asset of `from` when `None`. Assets whose name `into`
    /// already has are skipped. Returns how many were added; when that is 0 nothing
    /// is written and no audit entry is left, since nothing changed.
    /// # Errors
    /// `Forbidden` for the public; `Invalid` on `from` when both libraries are the
    /// same, on `asset_ids` when an id is not an asset of `from`;
    /// `NotFound("library")`.
    pub async fn copy_assets(
        &self,
        actor: &Actor,
        into: LibraryId,
        from: LibraryId,
        asset_ids: Option<Vec<AssetId>>,
    ) -> UseCaseResult<u64> {
        Ok(self.copy_assets_counted(actor, into, from, asset_ids).await?.copied)
    }

    /// As [`Tracker::copy_assets`], also saying how many chosen assets were skipped.
    /// # Errors
    /// As for `copy_assets`.
    pub async fn copy_assets_counted(
        &self,
        actor: &Actor,
        into: LibraryId,
        from: LibraryId,
        asset_ids: Option<Vec<AssetId>>,
    ) -> UseCaseResult<CopyOutcome> {
        let staff = actor.staff()?;
        if into == from {
            ValidationErrors::single("from", "must be another library than the one copied into").into_result()?;
        }
        let target = self.library_or_404(into).await?;
        let source = self.library_or_404(from).await?;
        let mut chosen = self.store.assets(from).await?;
        if let Some(ids) = asset_ids {
            if let Some(stranger) = ids.iter().find(|id| !chosen.iter().any(|a| a.id == **id)) {
                let message = format!("asset {stranger} is not in library {}", source.library.name);
                ValidationErrors::single("asset_ids", message).into_result()?;
            }
            chosen.retain(|a| ids.contains(&a.id));
        }
        let existing = self.store.assets(into).await?;
        let chosen_count = chosen.len() as u64;
        let mut specs: Vec<AssetSpec> = Vec::new();
        for asset in chosen {
            let taken = existing.iter().map(|a| &a.spec).chain(&specs).any(|s| same_name(s.name(), asset.spec.name()));
            if !taken {
                specs.push(asset.spec);
            }
        }
        if specs.is_empty() {
            return Ok(CopyOutcome { copied: 0, skipped: chosen_count });
        }
        let details = format!("copied {} from {}", assets_count(specs.len() as u64), source.library.name);
        let audit = self.audit(staff, AuditAction::AssetsCopied, None, library_ref(target.library.id), details);
        let copied = self.store.copy_assets(into, &specs, &audit).await?;
        Ok(CopyOutcome { copied, skipped: chosen_count - specs.len() as u64 })
    }
}

#[cfg(test)]
mod tests;
