//! The mission port.

use crate::error::RepoResult;
use domain::{CampaignId, IdempotencyKey, Mission, MissionDetails, MissionId, NewAuditEntry};
use std::future::Future;

/// A mission to create; the store puts it last in the campaign's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMission {
    /// The campaign.
    pub campaign_id: CampaignId,
    /// Its fields.
    pub details: MissionDetails,
    /// Its status.
    pub status: domain::MissionStatus,
}

/// Stores missions. Every write fails with `Conflict::CampaignClosed` when the
/// campaign is closed.
pub trait MissionRepo: Send + Sync + 'static {
    /// A campaign's missions in order.
    fn missions(&self, campaign: CampaignId) -> impl Future<Output = RepoResult<Vec<Mission>>> + Send;
    /// One mission.
    fn mission(&self, id: MissionId) -> impl Future<Output = RepoResult<Option<Mission>>> + Send;
    /// Creates a mission at the end of the campaign's order.
    /// # Errors
    /// `NotFound` (campaign); `Conflict::CampaignClosed`.
    fn insert_mission(
        &self,
        new: &NewMission,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<MissionId>> + Send;
    /// Saves a mission's fields and status.
    /// # Errors
    /// `NotFound`; `Conflict::CampaignClosed`.
    fn update_mission(&self, mission: &Mission, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Puts the campaign's missions in the given order (every mission exactly once).
    /// # Errors
    /// `NotFound` when a mission is not the campaign's; `Conflict::CampaignClosed`.
    fn reorder_missions(
        &self,
        campaign: CampaignId,
        order: &[MissionId],
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// Deletes a mission with its events, reversing every change exactly, all or
    /// nothing.
    /// # Errors
    /// `NotFound`; `Conflict::Ledger` when a reversal would break the rule;
    /// `Conflict::CampaignClosed`.
    fn delete_mission(&self, id: MissionId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
}
