//! Events use cases: recording what happened in a mission, editing it, and adding
//! or deleting its asset changes.
//!
//! Invariant: every change to a pool goes through the ledger rule twice: first on a
//! copy of the pool with the domain's `plan_changes` (for a clear refusal before any
//! write), then in the store's one atomic write (the backstop against concurrent
//! writers). A refused request changes nothing: no quantity, no event, no audit entry.

mod changes;
mod page;
mod parse;
mod restore;

pub use changes::AddChange;
pub use page::{EventEditPage, EventFormPage, EventPage};
pub(crate) use parse::complete;
pub use parse::{ChangeInput, EventFields};
pub use restore::{EventDeletionPage, Restoration};
pub(crate) use restore::{deletion_preview, describe_restorations, refusal_kept, restorations};

use crate::actor::Actor;
use crate::error::{UseCaseError, UseCaseResult, ValidationErrors};
use crate::ports::{Clock, MissionEntries, NewChange, NewEvent, PasswordHasher, Store};
use crate::tracker::{Tracker, idempotency_key};
use domain::{
    AuditAction, Campaign, Event, EventId, IdempotencyKey, LedgerError, Mission, MissionId, ObjectKind, ObjectRef,
    PoolEntry, PoolEntryId, plan_changes,
};

/// An event to record: its fields and any number of asset changes (none is fine).
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    /// The event's fields.
    pub fields: EventFields,
    /// The asset changes, one per form row. Rows left entirely blank are skipped, so
    /// a form may offer spare rows; errors name rows counted from 1 as submitted.
    pub changes: Vec<ChangeInput>,
    /// Makes a double-submitted form record once.
    pub idempotency_key: Option<String>,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// One event with its changes, for any staff member.
    ///
    /// # Errors
    /// `Forbidden` for the public; `NotFound("event")`.
    pub async fn event(&self, actor: &Actor, id: EventId) -> UseCaseResult<Event> {
        actor.staff()?;
        self.event_or_404(id).await
    }

    /// Records an event of a mission with its asset changes, all or nothing.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the mission's campaign; `NotFound("mission")`;
    /// `Invalid` with fields `kind`, `title`, `description`, `occurred_at`, `location`,
    /// `notes`, `changes` (the message names the row) or `idempotency_key`;
    /// `Conflict::Ledger` naming the asset, what is available and what was asked;
    /// `Conflict::CampaignClosed`; `Conflict::IdempotencyKeyReused`.
    pub async fn create_event(&self, actor: &Actor, mission: MissionId, cmd: EventInput) -> UseCaseResult<EventId> {
        actor.staff()?;
        // Only the entries the rows name: the pool may be large, an event moves a few.
        let named: Vec<PoolEntryId> = cmd.changes.iter().filter_map(ChangeInput::entry_id).collect();
        let found = self.store.mission_entries(mission, &named).await?;
        let MissionEntries { campaign, mission, entries: pool } = found.ok_or(UseCaseError::NotFound("mission"))?;
        let staff = actor.runner_of(&campaign)?;

        let mut errors = ValidationErrors::new();
        let details = parse::event_details(&mut errors, &cmd.fields);
        let changes = parse::change_rows(&mut errors, &cmd.changes, &pool);
        let key = idempotency_key(&mut errors, cmd.idempotency_key.as_deref());
        let (details, changes) = parse::complete(errors, details.zip(changes))?;

        precheck(&pool, &changes, key.as_ref())?;
        let summary = describe_changes(&changes, &pool);
        let audit = self.audit(
            staff,
            AuditAction::EventCreated,
            Some(campaign.id()),
            ObjectRef::created(ObjectKind::Event),
            format!("\"{}\" in \"{}\": {summary}", details.title, mission.details.name),
        );
        let new = NewEvent { mission_id: mission.id, details, changes };
        Ok(self.store.record_event(&new, &audit, key.as_ref()).await?)
    }

    /// Edits an event's fields; its changes stay as they are.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("event")`; `Invalid`
    /// with the fields of [`EventFields`]; `Conflict::CampaignClosed`.
    pub async fn update_event(&self, actor: &Actor, id: EventId, cmd: EventFields) -> UseCaseResult<()> {
        actor.staff()?;
        let (event, _, campaign) = self.event_context(id).await?;
        let staff = actor.runner_of(&campaign)?;

        let mut errors = ValidationErrors::new();
        let details = parse::event_details(&mut errors, &cmd);
        let details = parse::complete(errors, details)?;

        let audit = self.audit(
            staff,
            AuditAction::EventUpdated,
            Some(campaign.id()),
            ObjectRef::existing(ObjectKind::Event, event.id.get()),
            format!("edited \"{}\"", details.title),
        );
        Ok(self.store.update_event(event.id, &details, &audit).await?)
    }

    /// The event, or `NotFound`.
    pub(crate) async fn event_or_404(&self, id: EventId) -> UseCaseResult<Event> {
        self.store.event(id).await?.ok_or(UseCaseError::NotFound("event"))
    }

    /// The mission and its campaign, or `NotFound`.
    pub(crate) async fn mission_and_campaign(&self, id: MissionId) -> UseCaseResult<(Mission, Campaign)> {
        let mission = self.store.mission(id).await?.ok_or(UseCaseError::NotFound("mission"))?;
        let campaign = self.campaign_or_404(mission.campaign_id).await?;
        Ok((mission, campaign))
    }

    /// The event with its mission and campaign, or `NotFound`.
    pub(crate) async fn event_context(&self, id: EventId) -> UseCaseResult<(Event, Mission, Campaign)> {
        let event = self.event_or_404(id).await?;
        let (mission, campaign) = self.mission_and_campaign(event.mission_id).await?;
        Ok((event, mission, campaign))
    }
}

/// Checks `changes` against a copy of `pool` under the ledger rule.
///
/// A failure with an idempotency key is left to the store: the request may be the
/// retry of one that was recorded (and already moved the pool), in which case the
/// store answers with the first id; otherwise the store refuses it with the same
/// ledger error, since it applies the same rule.
fn precheck(pool: &[PoolEntry], changes: &[NewChange], key: Option<&IdempotencyKey>) -> Result<(), LedgerError> {
    let mut copy = pool.to_vec();
    match plan_changes(&mut copy, changes.iter().map(|c| (c.pool_entry_id, c.delta.get()))) {
        Err(e) if key.is_none() => Err(e),
        _ => Ok(()),
    }
}

/// The changes as audit text, such as "-2 M2A1 Slammer, +1 Hunter".
fn describe_changes(changes: &[NewChange], pool: &[PoolEntry]) -> String {
    if changes.is_empty() {
        return "no asset changes".to_owned();
    }
    changes
        .iter()
        .map(|c| format!("{:+} {}", c.delta.get(), asset_name(pool, c.pool_entry_id)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name of a pool entry's asset, or its id when it is not in `pool`.
fn asset_name(pool: &[PoolEntry], id: PoolEntryId) -> String {
    pool.iter().find(|e| e.id() == id).map_or_else(|| format!("pool entry {id}"), |e| e.asset_name().to_string())
}

#[cfg(test)]
pub(crate) mod scenario;
#[cfg(test)]
mod tests;
