//! Deleting events: what a deletion restores, its confirmation page, and the deletion
//! itself, each reading the event, its mission, campaign and pool in one snapshot
//! (`PageRepo::event_scope`).
//!
//! Invariant: deleting reverses each change exactly (its negated delta, under the
//! ledger rule), all or nothing; when a reversal would break the rule, the deletion
//! is refused, never clamped.

use crate::actor::{Actor, StaffMember};
use crate::error::{Conflict, UseCaseError, UseCaseResult};
use crate::ports::{Clock, EventScope, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{
    AssetChange, AuditAction, Campaign, Event, EventId, LedgerError, Mission, ObjectKind, ObjectRef, PoolEntry,
    PoolEntryId, Quantity, plan_changes,
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

/// What the event deletion's confirmation page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDeletionPage {
    /// The event's mission.
    pub mission: Mission,
    /// The event with its changes.
    pub event: Event,
    /// What the deletion restores, entry by entry; or the conflict that would refuse
    /// it (a closed campaign, the ledger rule).
    pub restorations: Result<Vec<Restoration>, Conflict>,
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
        let scope = self.event_scope_or_404(id).await?;
        Ok(preview(actor, &scope)?.1)
    }

    /// The confirmation page of an event's deletion: the event and what deleting it
    /// restores, or why it would be refused.
    ///
    /// # Errors
    /// `Forbidden` for the public, and for a manager on a campaign that is not active;
    /// `NotFound("event")`.
    pub async fn event_deletion_page(&self, actor: &Actor, id: EventId) -> UseCaseResult<EventDeletionPage> {
        actor.staff()?;
        let scope = self.event_scope_or_404(id).await?;
        let restorations = refusal_kept(preview(actor, &scope).map(|(_, restored)| restored))?;
        Ok(EventDeletionPage { mission: scope.mission, event: scope.event, restorations })
    }

    /// Deletes the event with its changes, reversing each exactly, in one write, and
    /// answers the event as it was.
    ///
    /// # Errors
    /// As [`Self::event_deletion_preview`].
    pub async fn delete_event(&self, actor: &Actor, id: EventId) -> UseCaseResult<Event> {
        actor.staff()?;
        let scope = self.event_scope_or_404(id).await?;
        let (staff, restored) = preview(actor, &scope)?;
        let event = scope.event;
        let audit = self.audit(
            staff,
            AuditAction::EventDeleted,
            Some(scope.campaign.id()),
            ObjectRef::existing(ObjectKind::Event, event.id.get()),
            format!("deleted \"{}\"; {}", event.details.title, describe_restorations(&restored)),
        );
        self.store.delete_event(event.id, &audit).await?;
        Ok(event)
    }
}

/// Who deletes the event and what the deletion restores.
fn preview<'a>(actor: &'a Actor, scope: &EventScope) -> UseCaseResult<(&'a StaffMember, Vec<Restoration>)> {
    deletion_preview(actor, &scope.campaign, &scope.pool, &scope.event.changes)
}

/// Who may delete changes recorded in `campaign` (its runner), and what reversing
/// `changes` restores in `pool`.
///
/// # Errors
/// `Forbidden` or `Conflict::CampaignClosed` from [`Actor::runner_of`];
/// `Conflict::Ledger` when a reversal would break the rule.
pub(crate) fn deletion_preview<'a, 'c>(
    actor: &'a Actor,
    campaign: &Campaign,
    pool: &[PoolEntry],
    changes: impl IntoIterator<Item = &'c AssetChange>,
) -> UseCaseResult<(&'a StaffMember, Vec<Restoration>)> {
    let staff = actor.runner_of(campaign)?;
    Ok((staff, restorations(pool, changes)?))
}

/// A result as a confirmation page shows it: a conflict is why the action would be
/// refused, shown on the page; any other failure (forbidden, unexpected) stays an error.
pub(crate) fn refusal_kept<T>(result: UseCaseResult<T>) -> UseCaseResult<Result<T, Conflict>> {
    match result {
        Ok(found) => Ok(Ok(found)),
        Err(UseCaseError::Conflict(conflict)) => Ok(Err(conflict)),
        Err(other) => Err(other),
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
