//! The event pages' reads: an event's page, the new-event form of a mission and an
//! event's edit form, each in one use case and one page-shaped read of the store
//! (`PageRepo::event_scope` or `mission_scope`, in one snapshot).
//!
//! Invariant: a page that offers forms says so in a flag computed here from
//! `Actor::runner_of`; a page that is itself a form answers the use case's refusal
//! (`Forbidden`, or `Conflict::CampaignClosed`) when the actor could not submit it.

use crate::actor::Actor;
use crate::error::{UseCaseError, UseCaseResult};
use crate::ports::{Clock, EventScope, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{Event, EventId, Mission, MissionId, PoolEntry};

/// What an event's page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventPage {
    /// The event's mission.
    pub mission: Mission,
    /// The event with its changes.
    pub event: Event,
    /// The campaign's pool, which names the changes' assets and offers the entries a
    /// change can be added to.
    pub pool: Vec<PoolEntry>,
    /// Whether the actor may change the event (add or remove changes, edit, delete).
    pub can_run: bool,
}

/// What the new-event form of a mission shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFormPage {
    /// The mission the event is recorded in.
    pub mission: Mission,
    /// The campaign's pool, the entries a change row can name.
    pub pool: Vec<PoolEntry>,
}

/// What an event's edit form shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventEditPage {
    /// The event's mission.
    pub mission: Mission,
    /// The event.
    pub event: Event,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// An event's page, for any staff member.
    ///
    /// # Errors
    /// `Forbidden` for the public; `NotFound("event")`.
    pub async fn event_page(&self, actor: &Actor, id: EventId) -> UseCaseResult<EventPage> {
        actor.staff()?;
        let EventScope { campaign, mission, event, pool } = self.event_scope_or_404(id).await?;
        Ok(EventPage { mission, event, pool, can_run: actor.can_run(&campaign) })
    }

    /// The mission and its campaign's pool, for the form recording an event in it.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the mission's campaign; `NotFound("mission")`;
    /// `Conflict::CampaignClosed`.
    pub async fn event_form_page(&self, actor: &Actor, mission: MissionId) -> UseCaseResult<EventFormPage> {
        actor.staff()?;
        let scope = self.mission_scope_or_404(mission).await?;
        actor.runner_of(&scope.campaign)?;
        Ok(EventFormPage { mission: scope.mission, pool: scope.pool })
    }

    /// The event and its mission, for the event's edit form.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("event")`;
    /// `Conflict::CampaignClosed`.
    pub async fn event_edit_page(&self, actor: &Actor, id: EventId) -> UseCaseResult<EventEditPage> {
        actor.staff()?;
        let scope = self.event_scope_or_404(id).await?;
        actor.runner_of(&scope.campaign)?;
        Ok(EventEditPage { mission: scope.mission, event: scope.event })
    }

    /// The event with its mission, campaign and pool, read in one snapshot, or
    /// `NotFound`.
    pub(crate) async fn event_scope_or_404(&self, id: EventId) -> UseCaseResult<EventScope> {
        self.store.event_scope(id).await?.ok_or(UseCaseError::NotFound("event"))
    }
}
