//! Campaigns and pools in memory, with the one-active-campaign, closed-campaign and
//! ledger backstops.

use super::{MemoryStore, State};
use crate::error::{Conflict, RepoError, RepoResult};
use crate::ports::{CampaignRepo, NewCampaign, NewPoolEntry, PoolRepo};
use domain::{
    Campaign, CampaignId, CampaignReport, CampaignStatus, IdempotencyKey, NewAuditEntry, PoolEntry, PoolEntryId,
    Quantity, plan_changes,
};

impl State {
    fn insert_pool_entries(&mut self, campaign: CampaignId, entries: &[NewPoolEntry]) -> RepoResult<Vec<i64>> {
        let mut added = Vec::new();
        for new in entries {
            let held = self.pool.values().any(|e| e.campaign_id() == campaign && e.asset_id() == new.asset.asset_id);
            if held {
                continue;
            }
            let id = PoolEntryId::new(self.next_id());
            let entry = PoolEntry::new(id, campaign, new.asset.clone(), new.initial, new.initial, new.public)?;
            self.pool.insert(id, entry);
            added.push(id.get());
        }
        Ok(added)
    }

    fn deactivate_others(&mut self, keep: CampaignId) -> RepoResult<()> {
        for campaign in self.campaigns.values_mut() {
            if campaign.id() != keep && campaign.is_active() {
                campaign.deactivate()?;
            }
        }
        Ok(())
    }

    /// The pool entry, provided its campaign is open.
    pub(super) fn open_entry(&mut self, id: PoolEntryId) -> RepoResult<&mut PoolEntry> {
        let campaign = self.pool.get(&id).ok_or(RepoError::NotFound("pool entry"))?.campaign_id();
        self.open_campaign(campaign)?;
        self.pool.get_mut(&id).ok_or(RepoError::NotFound("pool entry"))
    }

    /// Applies deltas to a campaign's pool, all or nothing, under the ledger rule.
    pub(super) fn move_pool(&mut self, campaign: CampaignId, changes: Vec<(PoolEntryId, i64)>) -> RepoResult<()> {
        let mut pool: Vec<PoolEntry> = self.pool.values().filter(|e| e.campaign_id() == campaign).cloned().collect();
        plan_changes(&mut pool, changes)?;
        for entry in pool {
            self.pool.insert(entry.id(), entry);
        }
        Ok(())
    }
}

impl CampaignRepo for MemoryStore {
    async fn campaigns(&self) -> RepoResult<Vec<Campaign>> {
        self.read(|s| s.campaigns.values().rev().cloned().collect())
    }

    async fn campaign(&self, id: CampaignId) -> RepoResult<Option<Campaign>> {
        self.read(|s| s.campaigns.get(&id).cloned())
    }

    async fn active_campaign(&self) -> RepoResult<Option<Campaign>> {
        self.read(|s| s.campaigns.values().find(|c| c.is_active()).cloned())
    }

    async fn insert_campaign(
        &self,
        new: &NewCampaign,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<CampaignId> {
        self.create(audit, key, |s, id| {
            let id = CampaignId::new(id);
            if new.status == CampaignStatus::Active {
                s.deactivate_others(id)?;
            }
            let assets: std::collections::HashSet<_> = new.pool.iter().map(|e| e.asset.asset_id).collect();
            if assets.len() != new.pool.len() {
                return Err(Conflict::AlreadyInPool.into());
            }
            let campaign = Campaign::new(id, new.details.clone(), new.status, new.created_at, None);
            s.campaigns.insert(id, campaign);
            s.insert_pool_entries(id, &new.pool)?;
            Ok(())
        })
        .map(CampaignId::new)
    }

    async fn update_campaign(&self, campaign: &Campaign, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            let stored = s.open_campaign(campaign.id())?.clone();
            let mut updated = stored;
            updated.edit(campaign.details().clone())?;
            s.campaigns.insert(updated.id(), updated);
            Ok(())
        })
    }

    async fn activate_campaign(&self, id: CampaignId, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            s.open_campaign(id)?;
            s.deactivate_others(id)?;
            s.campaigns.get_mut(&id).ok_or(RepoError::NotFound("campaign"))?.activate()?;
            Ok(())
        })
    }

    async fn close_campaign(
        &self,
        campaign: &Campaign,
        report: &CampaignReport,
        audit: &NewAuditEntry,
    ) -> RepoResult<()> {
        self.change(audit, |s| {
            s.open_campaign(campaign.id())?;
            s.campaigns.insert(campaign.id(), campaign.clone());
            s.reports.insert(campaign.id(), report.clone());
            Ok(())
        })
    }

    async fn final_report(&self, id: CampaignId) -> RepoResult<Option<CampaignReport>> {
        self.read(|s| s.reports.get(&id).cloned())
    }
}

impl PoolRepo for MemoryStore {
    async fn pool(&self, campaign: CampaignId) -> RepoResult<Vec<PoolEntry>> {
        self.read(|s| {
            let mut pool: Vec<PoolEntry> = s.pool.values().filter(|e| e.campaign_id() == campaign).cloned().collect();
            pool.sort_by(|a, b| a.kind().cmp(&b.kind()).then_with(|| a.asset_name().cmp(b.asset_name())));
            pool
        })
    }

    async fn pool_entry(&self, id: PoolEntryId) -> RepoResult<Option<PoolEntry>> {
        self.read(|s| s.pool.get(&id).cloned())
    }

    async fn pool_entry_has_changes(&self, id: PoolEntryId) -> RepoResult<bool> {
        self.read(|s| s.events.values().flat_map(|e| &e.changes).any(|c| c.pool_entry_id == id))
    }

    async fn add_pool_entries(
        &self,
        campaign: CampaignId,
        entries: &[NewPoolEntry],
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<Vec<PoolEntryId>> {
        self.write(|s| {
            if let Some(ids) = s.replay(key, audit)? {
                return Ok(ids.into_iter().map(PoolEntryId::new).collect());
            }
            s.open_campaign(campaign)?;
            let added = s.insert_pool_entries(campaign, entries)?;
            if added.is_empty() {
                return Ok(Vec::new());
            }
            s.record(audit, added.first().copied().filter(|_| added.len() == 1));
            s.remember(key, audit, added.clone());
            Ok(added.into_iter().map(PoolEntryId::new).collect())
        })
    }

    async fn set_initial_quantity(
        &self,
        id: PoolEntryId,
        initial: Quantity,
        audit: &NewAuditEntry,
    ) -> RepoResult<PoolEntry> {
        self.write(|s| {
            let entry = s.open_entry(id)?;
            entry.set_initial(initial)?;
            let saved = entry.clone();
            s.record(audit, None);
            Ok(saved)
        })
    }

    async fn set_pool_entry_public(&self, id: PoolEntryId, public: bool, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            s.open_entry(id)?.set_public(public);
            Ok(())
        })
    }

    async fn remove_pool_entry(&self, id: PoolEntryId, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            s.open_entry(id)?;
            if s.events.values().flat_map(|e| &e.changes).any(|c| c.pool_entry_id == id) {
                return Err(Conflict::InUse("the pool entry").into());
            }
            s.pool.remove(&id);
            Ok(())
        })
    }
}
