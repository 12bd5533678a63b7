//! Adding an asset change to a recorded event, and deleting one.
//!
//! Invariant: a change is applied or reversed exactly, under the ledger rule, in the
//! same write as its row and audit entry.

use super::parse::{self, ChangeInput};
use super::{describe_changes, describe_restorations, precheck, restorations};
use crate::actor::Actor;
use crate::error::{UseCaseError, UseCaseResult, ValidationErrors};
use crate::ports::{Clock, PasswordHasher, Store};
use crate::tracker::{Tracker, idempotency_key};
use domain::{AssetChangeId, AuditAction, EventId, ObjectKind, ObjectRef};

/// A change to add to a recorded event.
#[derive(Debug, Clone, Default)]
pub struct AddChange {
    /// The change.
    pub change: ChangeInput,
    /// Makes a double-submitted form record once.
    pub idempotency_key: Option<String>,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Adds a change to an event and applies it to the pool.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("event")`; `Invalid`
    /// with fields `pool_entry_id`, `delta`, `note` or `idempotency_key`;
    /// `Conflict::Ledger`; `Conflict::CampaignClosed`; `Conflict::IdempotencyKeyReused`.
    pub async fn add_change(&self, actor: &Actor, event: EventId, cmd: AddChange) -> UseCaseResult<AssetChangeId> {
        actor.staff()?;
        let (event, _, campaign) = self.event_context(event).await?;
        let staff = actor.runner_of(&campaign)?;
        let pool = self.store.pool(campaign.id()).await?;

        let mut errors = ValidationErrors::new();
        let change = parse::single_change(&mut errors, &cmd.change, &pool);
        let key = idempotency_key(&mut errors, cmd.idempotency_key.as_deref());
        let change = parse::complete(errors, change)?;

        let changes = [change];
        precheck(&pool, &changes, key.as_ref())?;
        let audit = self.audit(
            staff,
            AuditAction::ChangeAdded,
            Some(campaign.id()),
            ObjectRef::created(ObjectKind::AssetChange),
            format!("{} on \"{}\"", describe_changes(&changes, &pool), event.details.title),
        );
        let [change] = changes;
        Ok(self.store.add_change(event.id, &change, &audit, key.as_ref()).await?)
    }

    /// Deletes a change and reverses it exactly. Refused when the reversal would
    /// break the rule, such as deleting a gain of an asset that was lost again since.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("asset change")`;
    /// `Conflict::Ledger`; `Conflict::CampaignClosed`.
    pub async fn delete_change(&self, actor: &Actor, id: AssetChangeId) -> UseCaseResult<()> {
        actor.staff()?;
        let change = self.store.change(id).await?.ok_or(UseCaseError::NotFound("asset change"))?;
        let (event, _, campaign) = self.event_context(change.event_id).await?;
        let staff = actor.runner_of(&campaign)?;
        let pool = self.store.pool(campaign.id()).await?;
        let restored = restorations(&pool, [&change])?;
        let audit = self.audit(
            staff,
            AuditAction::ChangeDeleted,
            Some(campaign.id()),
            ObjectRef::existing(ObjectKind::AssetChange, change.id.get()),
            format!(
                "removed {:+} from \"{}\"; {}",
                change.delta.get(),
                event.details.title,
                describe_restorations(&restored)
            ),
        );
        Ok(self.store.delete_change(change.id, &audit).await?)
    }
}
