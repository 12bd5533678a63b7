//! The campaign port, and the pool entries a new campaign starts with.

use crate::error::RepoResult;
use domain::{
    Asset, Campaign, CampaignDetails, CampaignId, CampaignReport, CampaignStatus, IdempotencyKey, NewAuditEntry,
    PooledAsset, Quantity,
};
use std::future::Future;
use time::UtcDateTime;

/// A campaign to create, with the pool it starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCampaign {
    /// Its fields.
    pub details: CampaignDetails,
    /// `Planned`, or `Active` to make it the active campaign (the previously active
    /// one becomes `Planned` in the same write).
    pub status: CampaignStatus,
    /// The assets imported at creation.
    pub pool: Vec<NewPoolEntry>,
    /// Creation time.
    pub created_at: UtcDateTime,
}

/// An asset to add to a pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPoolEntry {
    /// What is copied from the library asset.
    pub asset: PooledAsset,
    /// The starting (and current) quantity.
    pub initial: Quantity,
    /// Whether the public sees it.
    pub public: bool,
}

impl NewPoolEntry {
    /// The entry that importing `asset` at `initial` creates: the asset's fields as they
    /// are now, and its public flag.
    pub fn from_asset(asset: &Asset, initial: Quantity) -> Self {
        Self { asset: PooledAsset::from(asset), initial, public: asset.spec.is_public() }
    }
}

/// Stores campaigns and their archived final reports.
pub trait CampaignRepo: Send + Sync + 'static {
    /// Every campaign, newest first.
    fn campaigns(&self) -> impl Future<Output = RepoResult<Vec<Campaign>>> + Send;
    /// One campaign.
    fn campaign(&self, id: CampaignId) -> impl Future<Output = RepoResult<Option<Campaign>>> + Send;
    /// The active campaign, if any.
    fn active_campaign(&self) -> impl Future<Output = RepoResult<Option<Campaign>>> + Send;
    /// Creates a campaign with its starting pool.
    /// # Errors
    /// `Conflict::AlreadyInPool` when the pool names one asset twice.
    fn insert_campaign(
        &self,
        new: &NewCampaign,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<CampaignId>> + Send;
    /// Saves edited fields.
    /// # Errors
    /// `NotFound`; `Conflict::CampaignClosed`.
    fn update_campaign(
        &self,
        campaign: &Campaign,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// Makes the campaign active and the previously active one `Planned`.
    /// # Errors
    /// `NotFound`; `Conflict::CampaignClosed`.
    fn activate_campaign(&self, id: CampaignId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Saves the closed campaign (status, end date) with its final report.
    /// # Errors
    /// `NotFound`; `Conflict::CampaignClosed` when it was closed already.
    fn close_campaign(
        &self,
        campaign: &Campaign,
        report: &CampaignReport,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// The report archived when the campaign was closed.
    fn final_report(&self, id: CampaignId) -> impl Future<Output = RepoResult<Option<CampaignReport>>> + Send;
}
