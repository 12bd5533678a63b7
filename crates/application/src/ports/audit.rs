//! The audit-log and readiness ports.

use super::{Page, PageRequest};
use crate::error::RepoResult;
use domain::{AuditAction, AuditEntry, CampaignId, UserId};
use std::future::Future;

/// Which audit entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only entries about this campaign.
    pub campaign: Option<CampaignId>,
    /// Only entries by this user.
    pub actor: Option<UserId>,
    /// Only entries of this action.
    pub action: Option<AuditAction>,
}

/// Reads the audit trail (entries are written by the other ports' writes).
pub trait AuditRepo: Send + Sync + 'static {
    /// A page of matching entries, newest first.
    fn audit_log(
        &self,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> impl Future<Output = RepoResult<Page<AuditEntry>>> + Send;

    /// Every entry about `campaign`, oldest first, in one read (a report's export).
    fn campaign_audit(&self, campaign: CampaignId) -> impl Future<Output = RepoResult<Vec<AuditEntry>>> + Send;
}

/// Answers whether the store can serve requests, for readiness probes.
pub trait HealthRepo: Send + Sync + 'static {
    /// Runs the cheapest query the store has.
    /// # Errors
    /// `RepoError::Unexpected` when the store does not answer.
    fn ping(&self) -> impl Future<Output = RepoResult<()>> + Send;
}
