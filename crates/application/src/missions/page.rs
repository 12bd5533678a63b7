//! The mission pages' reads: the campaign's mission list, the new-mission form, a
//! mission's page and its edit form, each in one use case.
//!
//! Invariants: a mission's pages read the store once, page-shaped
//! (`PageRepo::mission_scope`, in one snapshot), the list and the new-mission form
//! with one cheap statement per kind of row; a page that offers forms says so
//! in a flag computed here from `Actor::runner_of`, and a page that is itself a form
//! answers the use case's refusal (`Forbidden`, or `Conflict::CampaignClosed`) when the
//! actor could not submit it.

use crate::actor::Actor;
use crate::error::{UseCaseError, UseCaseResult};
use crate::ports::{Clock, MissionScope, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{Campaign, CampaignId, Event, Mission, MissionId, PoolEntry};

/// What a campaign's mission list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionsPage {
    /// The campaign.
    pub campaign: Campaign,
    /// Its missions in campaign order.
    pub missions: Vec<Mission>,
    /// Whether the actor may change them (create, reorder).
    pub can_run: bool,
}

/// What a mission's page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionPage {
    /// The mission.
    pub mission: Mission,
    /// Its events with their changes, oldest first.
    pub events: Vec<Event>,
    /// The campaign's pool, which names the changes' assets.
    pub pool: Vec<PoolEntry>,
    /// Whether the actor may change the mission (its status, events, edit, delete).
    pub can_run: bool,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// A campaign's mission list, for any staff member. Two one-row-kind reads (the
    /// campaign, then its missions) cost less than `campaign_history`, which would also
    /// read the pool and every event only to drop them.
    ///
    /// # Errors
    /// `Forbidden` for the public; `NotFound("campaign")`.
    pub async fn missions_page(&self, actor: &Actor, id: CampaignId) -> UseCaseResult<MissionsPage> {
        actor.staff()?;
        let (campaign, missions) = self.store.campaign_missions(id).await?.ok_or(UseCaseError::NotFound("campaign"))?;
        Ok(MissionsPage { can_run: actor.can_run(&campaign), campaign, missions })
    }

    /// The campaign a new mission would join, for its form.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("campaign")`;
    /// `Conflict::CampaignClosed`.
    pub async fn new_mission_page(&self, actor: &Actor, id: CampaignId) -> UseCaseResult<Campaign> {
        actor.staff()?;
        let campaign = self.campaign_or_404(id).await?;
        actor.runner_of(&campaign)?;
        Ok(campaign)
    }

    /// A mission's page, for any staff member.
    ///
    /// # Errors
    /// `Forbidden` for the public; `NotFound("mission")`.
    pub async fn mission_page(&self, actor: &Actor, id: MissionId) -> UseCaseResult<MissionPage> {
        actor.staff()?;
        let MissionScope { campaign, mission, events, pool } = self.mission_scope_or_404(id).await?;
        Ok(MissionPage { mission, events, pool, can_run: actor.can_run(&campaign) })
    }

    /// The mission, for its edit form.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the mission's campaign; `NotFound("mission")`;
    /// `Conflict::CampaignClosed`.
    pub async fn mission_edit_page(&self, actor: &Actor, id: MissionId) -> UseCaseResult<Mission> {
        actor.staff()?;
        let scope = self.mission_scope_or_404(id).await?;
        actor.runner_of(&scope.campaign)?;
        Ok(scope.mission)
    }

    /// The mission with its campaign, events and pool, read in one snapshot, or
    /// `NotFound`.
    pub(crate) async fn mission_scope_or_404(&self, id: MissionId) -> UseCaseResult<MissionScope> {
        self.store.mission_scope(id).await?.ok_or(UseCaseError::NotFound("mission"))
    }
}
