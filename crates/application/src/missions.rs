//! Missions use cases: listing, creating, editing, reordering and deleting the
//! missions of a campaign.
//!
//! Invariants: only the campaign's runner changes its missions (admins on any open
//! campaign, managers on the active one); a campaign's order lists each of its
//! missions exactly once; deleting a mission reverses all its events' changes in one
//! atomic write (see `delete`).

mod delete;
mod page;

pub use delete::MissionDeletionPage;
pub use page::{MissionPage, MissionsPage};

use crate::actor::Actor;
use crate::error::{UseCaseResult, ValidationErrors};
use crate::events::complete;
use crate::input::parse_optional_date;
use crate::ports::{Clock, NewMission, PasswordHasher, Store};
use crate::tracker::{Tracker, idempotency_key};
use domain::{
    AuditAction, CampaignId, Description, Event, Location, MapUrl, Mission, MissionDetails, MissionId, MissionName,
    MissionStatus, ObjectKind, ObjectRef,
};

/// A mission's fields as typed into a form (shared by create and update).
#[derive(Debug, Clone, Default)]
pub struct MissionInput {
    /// The name, required.
    pub name: String,
    /// The briefing; may be empty.
    pub description: String,
    /// The day it is played, `YYYY-MM-DD`; blank means not set.
    pub date: String,
    /// Where it takes place; may be empty.
    pub location: String,
    /// `Planned`, `InProgress`, `Completed` or `Cancelled`, in any case. Blank means
    /// `Planned` for a new mission and "unchanged" for an edit.
    pub status: String,
    /// The map link for staff; blank means none.
    pub map_edit_url: String,
    /// The map link for the public; blank means none.
    pub map_view_url: String,
    /// Makes a double-submitted form create once (ignored by an edit).
    pub idempotency_key: Option<String>,
}

/// A mission's new status, as chosen.
#[derive(Debug, Clone, Default)]
pub struct SetMissionStatus {
    /// `Planned`, `InProgress`, `Completed` or `Cancelled`, in any case.
    pub status: String,
}

/// A campaign's missions in their new order, first to last. The ids are typed: the
/// list is built by the page's buttons, never typed by a person, so an adapter refuses
/// a list that is no list of ids as a malformed request.
#[derive(Debug, Clone, Default)]
pub struct ReorderMissions {
    /// Every mission of the campaign, each once.
    pub order: Vec<MissionId>,
}

/// A mission with its events, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionView {
    /// The mission.
    pub mission: Mission,
    /// Its events with their changes, oldest first.
    pub events: Vec<Event>,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// A campaign's missions in campaign order, for any staff member.
    ///
    /// # Errors
    /// `Forbidden` for the public; `NotFound("campaign")`.
    pub async fn missions(&self, actor: &Actor, campaign: CampaignId) -> UseCaseResult<Vec<Mission>> {
        actor.staff()?;
        let campaign = self.campaign_or_404(campaign).await?;
        Ok(self.store.missions(campaign.id()).await?)
    }

    /// One mission with its events, for any staff member.
    ///
    /// # Errors
    /// `Forbidden` for the public; `NotFound("mission")`.
    pub async fn mission(&self, actor: &Actor, id: MissionId) -> UseCaseResult<MissionView> {
        actor.staff()?;
        let (mission, _) = self.mission_and_campaign(id).await?;
        let events = self.store.mission_events(mission.id).await?;
        Ok(MissionView { mission, events })
    }

    /// Creates a mission at the end of the campaign's order.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("campaign")`;
    /// `Invalid` with fields `name`, `description`, `date`, `location`, `status`,
    /// `map_edit_url`, `map_view_url` or `idempotency_key`; `Conflict::CampaignClosed`;
    /// `Conflict::IdempotencyKeyReused`.
    pub async fn create_mission(
        &self,
        actor: &Actor,
        campaign: CampaignId,
        cmd: MissionInput,
    ) -> UseCaseResult<MissionId> {
        actor.staff()?;
        let campaign = self.campaign_or_404(campaign).await?;
        let staff = actor.runner_of(&campaign)?;

        let mut errors = ValidationErrors::new();
        let details = mission_details(&mut errors, &cmd);
        let status = optional_status(&mut errors, &cmd.status);
        let key = idempotency_key(&mut errors, cmd.idempotency_key.as_deref());
        let (details, status) = complete(errors, details.zip(status))?;

        let audit = self.audit(
            staff,
            AuditAction::MissionCreated,
            Some(campaign.id()),
            ObjectRef::created(ObjectKind::Mission),
            format!("created mission \"{}\"", details.name),
        );
        let new = NewMission { campaign_id: campaign.id(), details, status: status.unwrap_or(MissionStatus::Planned) };
        Ok(self.store.insert_mission(&new, &audit, key.as_ref()).await?)
    }

    /// Replaces a mission's fields (and its status, unless the status is left blank).
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("mission")`; `Invalid`
    /// as [`Self::create_mission`]; `Conflict::CampaignClosed`.
    pub async fn update_mission(&self, actor: &Actor, id: MissionId, cmd: MissionInput) -> UseCaseResult<()> {
        actor.staff()?;
        let (mission, campaign) = self.mission_and_campaign(id).await?;
        let staff = actor.runner_of(&campaign)?;

        let mut errors = ValidationErrors::new();
        let details = mission_details(&mut errors, &cmd);
        let status = optional_status(&mut errors, &cmd.status);
        let (details, status) = complete(errors, details.zip(status))?;

        let status = status.unwrap_or(mission.status);
        let mut text = format!("edited mission \"{}\"", details.name);
        if status != mission.status {
            text.push_str(&format!("; status {} -> {}", mission.status.as_str(), status.as_str()));
        }
        let audit = self.audit(
            staff,
            AuditAction::MissionUpdated,
            Some(campaign.id()),
            ObjectRef::existing(ObjectKind::Mission, mission.id.get()),
            text,
        );
        let mission = Mission { details, status, ..mission };
        Ok(self.store.update_mission(&mission, &audit).await?)
    }

    /// Sets a mission's status and returns it.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("mission")`; `Invalid`
    /// with field `status`; `Conflict::CampaignClosed`.
    pub async fn set_mission_status(
        &self,
        actor: &Actor,
        id: MissionId,
        cmd: SetMissionStatus,
    ) -> UseCaseResult<MissionStatus> {
        actor.staff()?;
        let (mission, campaign) = self.mission_and_campaign(id).await?;
        let staff = actor.runner_of(&campaign)?;

        let mut errors = ValidationErrors::new();
        let status = errors.check("status", MissionStatus::parse(&cmd.status));
        let status = complete(errors, status)?;

        let audit = self.audit(
            staff,
            AuditAction::MissionStatusChanged,
            Some(campaign.id()),
            ObjectRef::existing(ObjectKind::Mission, mission.id.get()),
            format!("\"{}\": {} -> {}", mission.details.name, mission.status.as_str(), status.as_str()),
        );
        let mission = Mission { status, ..mission };
        self.store.update_mission(&mission, &audit).await?;
        Ok(status)
    }

    /// Puts a campaign's missions in the given order, first to last.
    ///
    /// # Errors
    /// `Forbidden` unless the actor runs the campaign; `NotFound("campaign")`;
    /// `Invalid` with field `order` unless it lists every mission of the campaign
    /// exactly once; `Conflict::CampaignClosed`.
    pub async fn reorder_missions(
        &self,
        actor: &Actor,
        campaign: CampaignId,
        cmd: ReorderMissions,
    ) -> UseCaseResult<()> {
        let order = cmd.order;
        actor.staff()?;
        let campaign = self.campaign_or_404(campaign).await?;
        let staff = actor.runner_of(&campaign)?;
        let missions = self.store.missions(campaign.id()).await?;

        let mut given = order.clone();
        given.sort_unstable();
        let mut expected: Vec<MissionId> = missions.iter().map(|m| m.id).collect();
        expected.sort_unstable();
        if given != expected {
            let errors = ValidationErrors::single("order", "must list every mission of the campaign exactly once");
            return Err(errors.into());
        }

        let names: Vec<String> = order
            .iter()
            .filter_map(|id| missions.iter().find(|m| m.id == *id))
            .map(|m| m.details.name.to_string())
            .collect();
        let audit = self.audit(
            staff,
            AuditAction::MissionsReordered,
            Some(campaign.id()),
            ObjectRef::existing(ObjectKind::Campaign, campaign.id().get()),
            format!("new order: {}", names.join(", ")),
        );
        Ok(self.store.reorder_missions(campaign.id(), &order, &audit).await?)
    }
}

/// Parses a mission's fields, recording each problem against its field.
fn mission_details(errors: &mut ValidationErrors, raw: &MissionInput) -> Option<MissionDetails> {
    let name = errors.check("name", MissionName::parse(&raw.name));
    let description = errors.check("description", Description::parse(&raw.description));
    let date = errors.check("date", parse_optional_date(&raw.date));
    let location = errors.check("location", Location::parse(&raw.location));
    let map_edit_url = errors.check("map_edit_url", MapUrl::parse_optional(&raw.map_edit_url));
    let map_view_url = errors.check("map_view_url", MapUrl::parse_optional(&raw.map_view_url));
    Some(MissionDetails {
        name: name?,
        description: description?,
        date: date?,
        location: location?,
        map_edit_url: map_edit_url?,
        map_view_url: map_view_url?,
    })
}

/// Parses a status that may be left blank: `Some(None)` for blank, `None` on error.
fn optional_status(errors: &mut ValidationErrors, raw: &str) -> Option<Option<MissionStatus>> {
    if raw.trim().is_empty() { Some(None) } else { errors.check("status", MissionStatus::parse(raw)).map(Some) }
}

#[cfg(test)]
mod tests;
