//! Copying assets from one library into another.
//!
//! Invariant: a copy never gives the target library two assets with the same name
//! (compared case-insensitively): names it already has are skipped, not renamed.

use super::{assets_count, library_ref, same_name};
use crate::actor::Actor;
use crate::error::{UseCaseResult, ValidationErrors};
use crate::input::chosen_id;
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

/// Copying assets from another library, as chosen in the copy form.
#[derive(Debug, Clone, Default)]
pub struct CopyAssets {
    /// The library copied from (a select's value).
    pub from_library: String,
    /// The ids of the assets to copy, as ticked (repeats are copied once); `None`
    /// copies every asset of the library.
    pub asset_ids: Option<Vec<String>>,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Copies assets of library `from_library` into library `into`: the assets named
    /// in `asset_ids`, or every asset of the source when `None`. Assets whose name
    /// `into` already has are skipped. Returns how many were added; when that is 0
    /// nothing is written and no audit entry is left, since nothing changed.
    /// # Errors
    /// `Forbidden` for the public; `Invalid` on `from_library` when none is chosen or
    /// both libraries are the same, on `asset_ids` when an id is not an asset of the
    /// source; `NotFound("library")`.
    pub async fn copy_assets(&self, actor: &Actor, into: LibraryId, cmd: CopyAssets) -> UseCaseResult<u64> {
        Ok(self.copy_assets_counted(actor, into, cmd).await?.copied)
    }

    /// As [`Tracker::copy_assets`], also saying how many chosen assets were skipped.
    /// # Errors
    /// As for `copy_assets`.
    pub async fn copy_assets_counted(
        &self,
        actor: &Actor,
        into: LibraryId,
        cmd: CopyAssets,
    ) -> UseCaseResult<CopyOutcome> {
        let staff = actor.staff()?;
        let (from, asset_ids) = parse(into, &cmd)?;
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

/// The source library and the chosen assets (each once), with a problem of either
/// recorded on its field.
fn parse(into: LibraryId, cmd: &CopyAssets) -> UseCaseResult<(LibraryId, Option<Vec<AssetId>>)> {
    let mut errors = ValidationErrors::new();
    let from = chosen_id(&cmd.from_library).map(LibraryId::new);
    match from {
        None => errors.add("from_library", "choose a library to copy from"),
        Some(from) if from == into => errors.add("from_library", "must be another library than the one copied into"),
        Some(_) => {}
    }
    let ids = cmd.asset_ids.as_ref().map(|raw| {
        let mut ids: Vec<AssetId> = Vec::with_capacity(raw.len());
        for id in raw.iter().map(|r| chosen_id(r).map(AssetId::new)) {
            match id {
                Some(id) if ids.contains(&id) => {}
                Some(id) => ids.push(id),
                None if errors.message_for("asset_ids").is_none() => {
                    errors.add("asset_ids", "must be assets of the chosen library");
                }
                None => {}
            }
        }
        ids
    });
    match from {
        Some(from) if errors.is_empty() => Ok((from, ids)),
        _ => Err(errors.into()),
    }
}

#[cfg(test)]
mod tests;
