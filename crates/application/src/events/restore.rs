//! Deleting events: what a deletion restores, and the deletion itself.
//!
//! Invariant: deleting reverses each change exactly (its negated delta, under the
//! ledger rule), all or nothing; when a reversal would break the rule, the deletion
//! is refused, never clamped.

use crate::actor::Actor;
use crate::error::UseCaseResult;
use crate::ports::{Clock, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{
    AssetChange, AuditAction, EventId, LedgerError, ObjectKind, ObjectRef, PoolEntry, PoolEntryId, Quantity,
    plan_changes,
};

/// One pool entry's quantity now and once a deletion has reversed its changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restoration {
    /// The pool entry.
    pub pool_entry_id: PoolEntryId,
    /// Its asset's name.
    pub asset_name: String,
    /// The quantity now.
    pub current: Quantity,
    /// The quantity after the deletion.
    pub after: Quantity,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// What deleting the event would restore, entry by entry (entries whose changes
    /// cancel out are left out), for a confirmation page.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("event")`;
    /// `Conflict::Ledger` when the reversal would break the rule (the deletion would
    /// be refused); `Conflict::CampaignClosed`.
    pub async fn event_deletion_preview(&self, actor: &Actor, id: EventId) -> UseCaseResult<Vec<Restoration>> {
        actor.staff()?;
        let (event, _, campaign) = self.event_context(id).await?;
        actor.runner_of(&campaign)?;
        let pool = self.store.pool(campaign.id()).await?;
        Ok(restorations(&pool, &event.changes)?)
    }

    /// Deletes the event with its changes, reversing each exactly, in one write.
    ///
    /// # Errors
    /// As [`Self::event_deletion_preview`].
    pub async fn delete_event(&self, actor: &Actor, id: EventId) -> UseCaseResult<()> {
        actor.staff()?;
        let (event, _, campaign) = self.event_context(id).await?;
        let staff = actor.runner_of(&campaign)?;
        let pool = self.store.pool(campaign.id()).await?;
        let restored = restorations(&pool, &event.changes)?;
        let audit = self.audit(
            staff,
            AuditAction::EventDeleted,
            Some(campaign.id()),
            ObjectRef::existing(ObjectKind::Event, event.id.get()),
            format!("deleted \"{}\"; {}", event.details.title, describe_restorations(&restored)),
        );
        Ok(self.store.delete_event(event.id, &audit).await?)
    }
}

/// What reversing `changes` does to `pool`, checked on a copy with the domain's
/// `plan_changes`, in pool order. Entries whose changes cancel out are left out.
///
/// # Errors
/// The ledger error of the first entry whose reversal breaks the rule.
pub(crate) fn restorations<'a>(
    pool: &[PoolEntry],
    changes: impl IntoIterator<Item = &'a AssetChange>,
) -> Result<Vec<Restoration>, LedgerError> {
    let mut copy = pool.to_vec();
    let moves = plan_changes(&mut copy, changes.into_iter().map(|c| (c.pool_entry_id, c.delta.reversed().get())))?;
    Ok(pool
        .iter()
        .filter_map(|entry| {
            let (_, after) = moves.iter().find(|(id, _)| *id == entry.id())?;
            (*after != entry.current()).then(|| Restoration {
                pool_entry_id: entry.id(),
                asset_name: entry.asset_name().to_string(),
                current: entry.current(),
                after: *after,
            })
        })
        .collect())
}

/// Restorations as audit text, such as "restored M2A1 Slammer 1 -> 3, Hunter 2 -> 1".
pub(crate) fn describe_restorations(restored: &[Restoration]) -> String {
    if restored.is_empty() {
        return "no quantity to restore".to_owned();
    }
    let list: Vec<String> = restored.iter().map(|r| format!("{} {} -> {}", r.asset_name, r.current, r.after)).collect();
    format!("restored {}", list.join(", "))
}
