//! Page-shaped reads on the in-memory store, composed from its other reads: the
//! reference behaviour the SQL stores' single-snapshot reads must match.

use super::MemoryStore;
use crate::error::RepoResult;
use crate::ports::LibrarySummary;
use crate::ports::{
    AuditFilter, AuditPage, AuditRepo, CampaignHistory, CampaignPool, CampaignRef, CampaignRepo, DashboardPage,
    EventRepo, EventScope, LatestMission, LibraryCampaign, LibraryPage, LibraryRepo, MissionEntries, MissionEventsPage,
    MissionListPage, MissionRepo, MissionScope, Page, PageRepo, PageRequest, PoolRepo, PoolWithLibraries, ReportSource,
    StaffOverview, TimelinePage, UserRepo,
};
use domain::{
    Asset, AssetId, AuditAction, Campaign, CampaignId, CampaignReport, EventId, LibraryId, Mission, MissionId,
    ObjectKind, ObjectRef, PoolEntryId,
};

impl MemoryStore {
    /// The campaigns using library `id`, composed from the plain reads.
    async fn library_campaigns(&self, id: LibraryId) -> RepoResult<Vec<LibraryCampaign>> {
        let assets = self.assets(id).await?;
        let audit = self.audit_entries();
        let mut found = Vec::new();
        for campaign in self.campaigns().await? {
            let pool = self.pool(campaign.id()).await?;
            if !pool.iter().any(|e| e.library_id() == id) {
                continue;
            }
            let campaign_id = campaign.id();
            let audit = &audit;
            let about = move |action: AuditAction| {
                audit.iter().filter(move |a| {
                    let e = &a.entry;
                    e.campaign_id == Some(campaign_id)
                        && e.action == action
                        && e.object == ObjectRef::existing(ObjectKind::Library, id.get())
                })
            };
            let imported_at = about(AuditAction::LibraryImported).map(|a| a.entry.at).min();
            let synced_at = about(AuditAction::LibrarySynced).map(|a| a.entry.at).max();
            let missing = assets.iter().filter(|a| !pool.iter().any(|e| e.asset_id() == a.id)).count() as u64;
            let imported_at = imported_at.unwrap_or_else(|| campaign.created_at());
            found.push(LibraryCampaign { campaign, imported_at, synced_at, missing });
        }
        Ok(found)
    }

    async fn campaign_of(&self, which: CampaignRef) -> RepoResult<Option<domain::Campaign>> {
        match which {
            CampaignRef::Active => self.active_campaign().await,
            CampaignRef::Id(id) => self.campaign(id).await,
        }
    }
}

impl MemoryStore {
    /// The libraries `pool`'s entries came from, with their names, by id.
    async fn pool_libraries(&self, pool: &[domain::PoolEntry]) -> RepoResult<Vec<(LibraryId, String)>> {
        let mut names: Vec<(LibraryId, String)> = self
            .libraries()
            .await?
            .into_iter()
            .filter(|s| pool.iter().any(|e| e.library_id() == s.library.id))
            .map(|s| (s.library.id, s.library.name.to_string()))
            .collect();
        names.sort_by_key(|(id, _)| *id);
        Ok(names)
    }
}

impl PageRepo for MemoryStore {
    async fn revision(&self) -> RepoResult<u64> {
        self.read(|s| s.revision)
    }

    async fn campaign_pool(&self, which: CampaignRef) -> RepoResult<Option<CampaignPool>> {
        let Some(campaign) = self.campaign_of(which).await? else { return Ok(None) };
        let pool = self.pool(campaign.id()).await?;
        Ok(Some(CampaignPool { campaign, pool }))
    }

    async fn campaign_history(&self, which: CampaignRef) -> RepoResult<Option<CampaignHistory>> {
        let Some(CampaignPool { campaign, pool }) = self.campaign_pool(which).await? else { return Ok(None) };
        let missions = self.missions(campaign.id()).await?;
        let events = self.campaign_events(campaign.id()).await?;
        Ok(Some(CampaignHistory { campaign, pool, missions, events }))
    }

    async fn mission_scope(&self, id: MissionId) -> RepoResult<Option<MissionScope>> {
        let Some(mission) = self.mission(id).await? else { return Ok(None) };
        let Some(CampaignPool { campaign, pool }) = self.campaign_pool(CampaignRef::Id(mission.campaign_id)).await?
        else {
            return Ok(None);
        };
        let events = self.mission_events(id).await?;
        Ok(Some(MissionScope { campaign, mission, events, pool }))
    }

    async fn mission_entries(&self, id: MissionId, entries: &[PoolEntryId]) -> RepoResult<Option<MissionEntries>> {
        let Some(mission) = self.mission(id).await? else { return Ok(None) };
        let Some(CampaignPool { campaign, pool }) = self.campaign_pool(CampaignRef::Id(mission.campaign_id)).await?
        else {
            return Ok(None);
        };
        let entries = pool.into_iter().filter(|e| entries.contains(&e.id())).collect();
        Ok(Some(MissionEntries { campaign, mission, entries }))
    }

    async fn event_scope(&self, id: EventId) -> RepoResult<Option<EventScope>> {
        let Some(event) = self.event(id).await? else { return Ok(None) };
        let Some(scope) = self.mission_scope(event.mission_id).await? else { return Ok(None) };
        Ok(Some(EventScope { campaign: scope.campaign, mission: scope.mission, event, pool: scope.pool }))
    }

    async fn campaign_missions(&self, id: CampaignId) -> RepoResult<Option<(Campaign, Vec<Mission>)>> {
        let Some(campaign) = self.campaign(id).await? else { return Ok(None) };
        Ok(Some((campaign, self.missions(id).await?)))
    }

    async fn library_page(&self, id: LibraryId) -> RepoResult<Option<LibraryPage>> {
        let Some(summary) = self.library(id).await? else { return Ok(None) };
        let assets = self.assets(id).await?;
        let campaigns = self.library_campaigns(id).await?;
        Ok(Some(LibraryPage { summary, assets, campaigns }))
    }

    async fn asset_in_library(&self, id: AssetId) -> RepoResult<Option<(Asset, LibrarySummary)>> {
        let Some(asset) = self.asset(id).await? else { return Ok(None) };
        Ok(self.library(asset.library_id).await?.map(|library| (asset, library)))
    }

    async fn pool_with_libraries(&self, campaign: CampaignId) -> RepoResult<Option<PoolWithLibraries>> {
        let Some(campaign) = self.campaign_pool(CampaignRef::Id(campaign)).await? else { return Ok(None) };
        let mut libraries = Vec::new();
        for summary in self.libraries().await? {
            let assets = self.assets(summary.library.id).await?;
            libraries.push((summary, assets));
        }
        Ok(Some(PoolWithLibraries { campaign, libraries }))
    }

    async fn timeline_page(&self, which: CampaignRef, page: PageRequest) -> RepoResult<Option<TimelinePage>> {
        let Some(campaign) = self.campaign_pool(which).await? else { return Ok(None) };
        let events = self.timeline(campaign.campaign.id(), page).await?;
        let mut missions = self.missions(campaign.campaign.id()).await?;
        missions.retain(|m| events.items.iter().any(|e| e.mission_id == m.id));
        Ok(Some(TimelinePage { campaign, events, missions }))
    }

    async fn dashboard_page(
        &self,
        which: CampaignRef,
        missions: u32,
        events_per_mission: u32,
    ) -> RepoResult<Option<DashboardPage>> {
        let Some(campaign) = self.campaign_pool(which).await? else { return Ok(None) };
        let mut all = self.missions(campaign.campaign.id()).await?;
        let mission_count = all.len() as u64;
        all.reverse();
        all.truncate(missions as usize);
        let mut latest = Vec::with_capacity(all.len());
        let mut events = Vec::new();
        let public: Vec<PoolEntryId> =
            campaign.pool.iter().filter(|e| e.is_public()).map(domain::PoolEntry::id).collect();
        for mission in all {
            let mine = self.mission_events(mission.id).await?;
            let event_count = mine.len() as u64;
            let public_net = mine
                .iter()
                .flat_map(|e| &e.changes)
                .filter(|c| public.contains(&c.pool_entry_id))
                .map(|c| c.delta.get())
                .sum();
            let skip = mine.len().saturating_sub(events_per_mission as usize);
            events.extend(mine.into_iter().skip(skip));
            latest.push(LatestMission { mission, event_count, public_net });
        }
        events.sort_by_key(|e| (e.details.occurred_at, e.id));
        Ok(Some(DashboardPage { campaign, missions: latest, mission_count, events }))
    }

    async fn staff_overview(
        &self,
        which: CampaignRef,
        missions: u32,
        events: u32,
    ) -> RepoResult<Option<StaffOverview>> {
        let Some(campaign) = self.campaign_pool(which).await? else { return Ok(None) };
        let mut latest_missions = self.missions(campaign.campaign.id()).await?;
        latest_missions.reverse();
        latest_missions.truncate(missions as usize);
        let mut latest_events = self.campaign_events(campaign.campaign.id()).await?;
        latest_events.reverse();
        latest_events.truncate(events as usize);
        Ok(Some(StaffOverview { campaign, missions: latest_missions, events: latest_events }))
    }

    async fn mission_list(&self, which: CampaignRef, page: PageRequest) -> RepoResult<Option<MissionListPage>> {
        let Some(campaign) = self.campaign_of(which).await? else { return Ok(None) };
        let mut all = self.missions(campaign.id()).await?;
        all.reverse();
        let total = all.len() as u64;
        let mut items = Vec::new();
        for mission in
            all.into_iter().skip(usize::try_from(page.offset()).unwrap_or(usize::MAX)).take(page.per_page as usize)
        {
            let count = self.mission_events(mission.id).await?.len() as u64;
            items.push((mission, count));
        }
        Ok(Some(MissionListPage { campaign, missions: Page { items, request: page, total } }))
    }

    async fn mission_events_page(&self, id: MissionId, page: PageRequest) -> RepoResult<Option<MissionEventsPage>> {
        let Some(mission) = self.mission(id).await? else { return Ok(None) };
        let Some(campaign) = self.campaign_pool(CampaignRef::Id(mission.campaign_id)).await? else { return Ok(None) };
        let all = self.mission_events(id).await?;
        let total = all.len() as u64;
        let items = all
            .into_iter()
            .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
            .take(page.per_page as usize)
            .collect();
        Ok(Some(MissionEventsPage { campaign, mission, events: Page { items, request: page, total } }))
    }

    async fn report_source(&self, id: CampaignId) -> RepoResult<Option<ReportSource>> {
        let Some(campaign) = self.campaign(id).await? else { return Ok(None) };
        if campaign.is_closed() {
            return Ok(self.final_report(id).await?.map(|report| ReportSource::Archived(campaign, report)));
        }
        let Some(history) = self.campaign_history(CampaignRef::Id(id)).await? else { return Ok(None) };
        let libraries = self.pool_libraries(&history.pool).await?;
        Ok(Some(ReportSource::Live(history, libraries)))
    }

    async fn archived_reports(&self, only: Option<CampaignId>) -> RepoResult<Vec<(Campaign, CampaignReport)>> {
        let mut archive = Vec::new();
        for campaign in self.campaigns().await? {
            if only.is_some_and(|id| id != campaign.id()) {
                continue;
            }
            if let Some(report) = self.final_report(campaign.id()).await? {
                archive.push((campaign, report));
            }
        }
        Ok(archive)
    }

    async fn audit_page(&self, filter: &AuditFilter, page: PageRequest) -> RepoResult<AuditPage> {
        Ok(AuditPage {
            entries: self.audit_log(filter, page).await?,
            campaigns: self.campaigns().await?,
            users: self.users().await?,
        })
    }
}
