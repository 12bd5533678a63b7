//! Changes to one pool entry: its initial quantity, its public visibility and its
//! removal.
//!
//! Invariants: permission is checked against the entry's own campaign; an initial
//! quantity edit shifts the current quantity by the same amount under the ledger rule
//! (checked here with the domain for a clear message, and again atomically by the
//! store); an entry that any asset change refers to is never removed.

use crate::actor::{Actor, StaffMember};
use crate::error::{Conflict, UseCaseError, UseCaseResult, ValidationErrors};
use crate::input::parse_flag;
use crate::ports::{Clock, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{AuditAction, ObjectKind, ObjectRef, PoolEntry, PoolEntryId, Quantity};

/// A pool entry's new initial quantity, as typed.
#[derive(Debug, Clone, Default)]
pub struct SetInitialQuantity {
    /// The quantity the campaign started with.
    pub initial: String,
}

/// Showing or hiding a pool entry on the public pages, as sent.
#[derive(Debug, Clone, Default)]
pub struct SetPoolEntryPublic {
    /// `true` to show, `false` to hide.
    pub public: String,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Sets a pool entry's initial quantity; the current quantity moves by the same
    /// amount, so what was gained and lost since stays recorded. Returns the entry as
    /// saved. Setting the quantity it already has writes nothing.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the entry's campaign; `NotFound("pool entry")`;
    /// `Conflict::CampaignClosed`; `Invalid` on `initial` (not a quantity, or above 1
    /// for a unique asset); `Conflict::Ledger` when the shift would take the current
    /// quantity below 0 (more was lost than the new initial quantity allows).
    pub async fn set_initial_quantity(
        &self,
        actor: &Actor,
        id: PoolEntryId,
        cmd: SetInitialQuantity,
    ) -> UseCaseResult<PoolEntry> {
        let (runner, entry) = self.entry_to_change(actor, id).await?;
        let mut errors = ValidationErrors::new();
        let initial = errors.check("initial", Quantity::parse(&cmd.initial));
        if let Some(q) = initial
            && entry.is_unique()
            && q.get() > 1
        {
            errors.add("initial", "a unique asset's quantity can be at most 1");
        }
        let initial = match initial {
            Some(initial) if errors.is_empty() => initial,
            _ => return Err(errors.into()),
        };
        if initial == entry.initial() {
            return Ok(entry);
        }
        entry.clone().set_initial(initial)?;
        let summary = format!("{}: initial {} -> {initial}", entry.asset_name(), entry.initial());
        let audit = self.audit(runner, AuditAction::PoolInitialChanged, Some(entry.campaign_id()), object(id), summary);
        Ok(self.store.set_initial_quantity(id, initial, &audit).await?)
    }

    /// Shows or hides a pool entry on its campaign's public pages. Only this
    /// campaign's entry changes: other campaigns holding the same asset and the
    /// library keep their own flags. Setting the flag it already has writes nothing.
    /// Returns whether the entry is now public.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the entry's campaign; `NotFound("pool entry")`;
    /// `Conflict::CampaignClosed`; `Invalid` on `public` (neither `true` nor `false`).
    pub async fn set_pool_entry_public(
        &self,
        actor: &Actor,
        id: PoolEntryId,
        cmd: SetPoolEntryPublic,
    ) -> UseCaseResult<bool> {
        let (runner, entry) = self.entry_to_change(actor, id).await?;
        let public = parse_flag(&cmd.public).map_err(|e| ValidationErrors::single("public", e.to_string()))?;
        if entry.is_public() == public {
            return Ok(public);
        }
        let shown = if public { "shown on the public pages" } else { "hidden from the public pages" };
        let summary = format!("{} {shown}", entry.asset_name());
        let audit =
            self.audit(runner, AuditAction::PoolVisibilityChanged, Some(entry.campaign_id()), object(id), summary);
        self.store.set_pool_entry_public(id, public, &audit).await?;
        Ok(public)
    }

    /// Removes a pool entry that no asset change refers to (one added by mistake).
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the entry's campaign; `NotFound("pool entry")`;
    /// `Conflict::CampaignClosed`; `Conflict::InUse("the pool entry")` when an event
    /// records a change of it.
    pub async fn remove_pool_entry(&self, actor: &Actor, id: PoolEntryId) -> UseCaseResult<()> {
        let (runner, entry) = self.entry_to_change(actor, id).await?;
        if self.store.pool_entry_has_changes(id).await? {
            return Err(Conflict::InUse("the pool entry").into());
        }
        let summary = format!("removed {} from the pool", entry.asset_name());
        let audit = self.audit(runner, AuditAction::PoolEntryRemoved, Some(entry.campaign_id()), object(id), summary);
        Ok(self.store.remove_pool_entry(id, &audit).await?)
    }

    /// The entry, once the actor is known to run its campaign. The public is refused
    /// before anything is looked up, so it learns nothing about which entries exist.
    async fn entry_to_change<'a>(
        &self,
        actor: &'a Actor,
        id: PoolEntryId,
    ) -> UseCaseResult<(&'a StaffMember, PoolEntry)> {
        actor.staff()?;
        let entry = self.store.pool_entry(id).await?.ok_or(UseCaseError::NotFound("pool entry"))?;
        let campaign = self.campaign_or_404(entry.campaign_id()).await?;
        let runner = actor.runner_of(&campaign)?;
        Ok((runner, entry))
    }
}

/// The audit reference to an existing pool entry.
fn object(id: PoolEntryId) -> ObjectRef {
    ObjectRef::existing(ObjectKind::PoolEntry, id.get())
}
