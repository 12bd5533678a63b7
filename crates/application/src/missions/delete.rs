//! Deleting a mission with its events.
//!
//! Invariant: the events go and every change they recorded is reversed exactly, in
//! the store's one atomic write; when the net reversal would break the ledger rule
//! nothing is deleted.

use crate::actor::Actor;
use crate::error::UseCaseResult;
use crate::events::{Restoration, describe_restorations, restorations};
use crate::ports::{Clock, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{AuditAction, MissionId, ObjectKind, ObjectRef};

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// What deleting the mission would restore, net over all its events, entry by
    /// entry, for a confirmation page.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("mission")`;
    /// `Conflict::Ledger` when the reversal would break the rule (the deletion would
    /// be refused); `Conflict::CampaignClosed`.
    pub async fn mission_deletion_preview(&self, actor: &Actor, id: MissionId) -> UseCaseResult<Vec<Restoration>> {
        actor.staff()?;
        let (mission, campaign) = self.mission_and_campaign(id).await?;
        actor.runner_of(&campaign)?;
        let pool = self.store.pool(campaign.id()).await?;
        let events = self.store.mission_events(mission.id).await?;
        Ok(restorations(&pool, events.iter().flat_map(|e| &e.changes))?)
    }

    /// Deletes the mission and its events, reversing all their changes in one write.
    ///
    /// # Errors
    /// As [`Self::mission_deletion_preview`].
    pub async fn delete_mission(&self, actor: &Actor, id: MissionId) -> UseCaseResult<()> {
        actor.staff()?;
        let (mission, campaign) = self.mission_and_campaign(id).await?;
        let staff = actor.runner_of(&campaign)?;
        let pool = self.store.pool(campaign.id()).await?;
        let events = self.store.mission_events(mission.id).await?;
        let restored = restorations(&pool, events.iter().flat_map(|e| &e.changes))?;
        let audit = self.audit(
            staff,
            AuditAction::MissionDeleted,
            Some(campaign.id()),
            ObjectRef::existing(ObjectKind::Mission, mission.id.get()),
            format!(
                "deleted mission \"{}\" with {} event(s); {}",
                mission.details.name,
                events.len(),
                describe_restorations(&restored)
            ),
        );
        Ok(self.store.delete_mission(mission.id, &audit).await?)
    }
}
