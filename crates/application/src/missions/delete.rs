//! Deleting a mission with its events, and its confirmation page.
//!
//! Invariant: the events go and every change they recorded is reversed exactly, in
//! the store's one atomic write; when the net reversal would break the ledger rule
//! nothing is deleted. The preview, the page and the deletion read the mission, its
//! events and the pool in one snapshot (`PageRepo::mission_scope`).

use crate::actor::Actor;
use crate::error::{Conflict, UseCaseResult};
use crate::events::{Restoration, deletion_preview, describe_restorations, refusal_kept};
use crate::ports::{Clock, MissionScope, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{AuditAction, Mission, MissionId, ObjectKind, ObjectRef};

/// What the mission deletion's confirmation page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionDeletionPage {
    /// The mission.
    pub mission: Mission,
    /// How many events go with it.
    pub events: usize,
    /// What the deletion restores, net over all its events, entry by entry; or the
    /// conflict that would refuse it (a closed campaign, the ledger rule).
    pub restorations: Result<Vec<Restoration>, Conflict>,
}

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
        let scope = self.mission_scope_or_404(id).await?;
        Ok(preview(actor, &scope)?.1)
    }

    /// The confirmation page of a mission's deletion: the mission and what deleting it
    /// restores, or why it would be refused.
    ///
    /// # Errors
    /// `Forbidden` for the public, and for a manager on a campaign that is not active;
    /// `NotFound("mission")`.
    pub async fn mission_deletion_page(&self, actor: &Actor, id: MissionId) -> UseCaseResult<MissionDeletionPage> {
        actor.staff()?;
        let scope = self.mission_scope_or_404(id).await?;
        let restorations = refusal_kept(preview(actor, &scope).map(|(_, restored)| restored))?;
        Ok(MissionDeletionPage { events: scope.events.len(), mission: scope.mission, restorations })
    }

    /// Deletes the mission and its events, reversing all their changes in one write,
    /// and answers the mission as it was.
    ///
    /// # Errors
    /// As [`Self::mission_deletion_preview`].
    pub async fn delete_mission(&self, actor: &Actor, id: MissionId) -> UseCaseResult<Mission> {
        actor.staff()?;
        let scope = self.mission_scope_or_404(id).await?;
        let (staff, restored) = preview(actor, &scope)?;
        let (mission, campaign) = (scope.mission, scope.campaign.id());
        let audit = self.audit(
            staff,
            AuditAction::MissionDeleted,
            Some(campaign),
            ObjectRef::existing(ObjectKind::Mission, mission.id.get()),
            format!(
                "deleted mission \"{}\" with {} event(s); {}",
                mission.details.name,
                scope.events.len(),
                describe_restorations(&restored)
            ),
        );
        self.store.delete_mission(mission.id, &audit).await?;
        Ok(mission)
    }
}

/// Who deletes the mission and what the deletion restores.
fn preview<'a>(actor: &'a Actor, scope: &MissionScope) -> UseCaseResult<(&'a crate::StaffMember, Vec<Restoration>)> {
    deletion_preview(actor, &scope.campaign, &scope.pool, scope.events.iter().flat_map(|e| &e.changes))
}
