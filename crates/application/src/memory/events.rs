//! Missions, events, asset changes and the audit log in memory. Every write that
//! moves the pool goes through `State::move_pool`, the domain's all-or-nothing ledger.

use super::{MemoryStore, State};
use crate::error::{RepoError, RepoResult};
use crate::ports::{
    AuditFilter, AuditRepo, EventRepo, MissionRepo, NewChange, NewEvent, NewMission, Page, PageRequest,
};
use domain::{
    AssetChange, AssetChangeId, AuditEntry, CampaignId, Event, EventDetails, EventId, IdempotencyKey, Mission,
    MissionId, NewAuditEntry,
};

fn page_of<T: Clone>(all: &[T], request: PageRequest) -> Page<T> {
    let skip = usize::try_from(request.offset()).unwrap_or(usize::MAX);
    let take = usize::try_from(request.per_page).unwrap_or(usize::MAX);
    Page { items: all.iter().skip(skip).take(take).cloned().collect(), request, total: all.len() as u64 }
}

impl State {
    /// The campaign of a mission, provided it is open.
    fn open_mission(&self, id: MissionId) -> RepoResult<CampaignId> {
        let campaign = self.missions.get(&id).ok_or(RepoError::NotFound("mission"))?.campaign_id;
        self.open_campaign(campaign)?;
        Ok(campaign)
    }

    /// The campaign of an event, provided it is open.
    fn open_event(&self, id: EventId) -> RepoResult<CampaignId> {
        let mission = self.events.get(&id).ok_or(RepoError::NotFound("event"))?.mission_id;
        self.open_mission(mission)
    }

    fn campaign_events(&self, campaign: CampaignId) -> Vec<Event> {
        let mut events: Vec<Event> = self
            .events
            .values()
            .filter(|e| self.missions.get(&e.mission_id).is_some_and(|m| m.campaign_id == campaign))
            .cloned()
            .collect();
        events.sort_by_key(|e| (e.details.occurred_at, e.id));
        events
    }

    fn new_change(&mut self, event: EventId, change: &NewChange) -> AssetChange {
        AssetChange {
            id: AssetChangeId::new(self.next_id()),
            event_id: event,
            pool_entry_id: change.pool_entry_id,
            delta: change.delta,
            note: change.note.clone(),
        }
    }

    /// Removes events and reverses every one of their changes, all or nothing.
    fn remove_events(&mut self, campaign: CampaignId, events: &[EventId]) -> RepoResult<()> {
        let reversal = events
            .iter()
            .filter_map(|id| self.events.get(id))
            .flat_map(|e| &e.changes)
            .map(|c| (c.pool_entry_id, c.delta.reversed().get()))
            .collect();
        self.move_pool(campaign, reversal)?;
        for id in events {
            self.events.remove(id);
        }
        Ok(())
    }
}

impl MissionRepo for MemoryStore {
    async fn missions(&self, campaign: CampaignId) -> RepoResult<Vec<Mission>> {
        self.read(|s| {
            let mut missions: Vec<Mission> =
                s.missions.values().filter(|m| m.campaign_id == campaign).cloned().collect();
            missions.sort_by_key(|m| (m.order_index, m.id));
            missions
        })
    }

    async fn mission(&self, id: MissionId) -> RepoResult<Option<Mission>> {
        self.read(|s| s.missions.get(&id).cloned())
    }

    async fn insert_mission(
        &self,
        new: &NewMission,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<MissionId> {
        self.create(audit, key, |s, id| {
            s.open_campaign(new.campaign_id)?;
            let last = s.missions.values().filter(|m| m.campaign_id == new.campaign_id).map(|m| m.order_index).max();
            let mission = Mission {
                id: MissionId::new(id),
                campaign_id: new.campaign_id,
                details: new.details.clone(),
                status: new.status,
                order_index: last.map_or(0, |i| i + 1),
            };
            s.missions.insert(mission.id, mission);
            Ok(())
        })
        .map(MissionId::new)
    }

    async fn update_mission(&self, mission: &Mission, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            s.open_mission(mission.id)?;
            let stored = s.missions.get_mut(&mission.id).ok_or(RepoError::NotFound("mission"))?;
            stored.details = mission.details.clone();
            stored.status = mission.status;
            Ok(())
        })
    }

    async fn reorder_missions(
        &self,
        campaign: CampaignId,
        order: &[MissionId],
        audit: &NewAuditEntry,
    ) -> RepoResult<()> {
        self.change(audit, |s| {
            s.open_campaign(campaign)?;
            let mut current: Vec<MissionId> =
                s.missions.values().filter(|m| m.campaign_id == campaign).map(|m| m.id).collect();
            let mut wanted = order.to_vec();
            current.sort_unstable();
            wanted.sort_unstable();
            if current != wanted {
                return Err(RepoError::NotFound("mission"));
            }
            for (index, id) in order.iter().enumerate() {
                let mission = s.missions.get_mut(id).ok_or(RepoError::NotFound("mission"))?;
                mission.order_index = i32::try_from(index).map_err(RepoError::unexpected)?;
            }
            Ok(())
        })
    }

    async fn delete_mission(&self, id: MissionId, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            let campaign = s.open_mission(id)?;
            let events: Vec<EventId> = s.events.values().filter(|e| e.mission_id == id).map(|e| e.id).collect();
            s.remove_events(campaign, &events)?;
            s.missions.remove(&id);
            Ok(())
        })
    }
}

impl EventRepo for MemoryStore {
    async fn event(&self, id: EventId) -> RepoResult<Option<Event>> {
        self.read(|s| s.events.get(&id).cloned())
    }

    async fn change(&self, id: AssetChangeId) -> RepoResult<Option<AssetChange>> {
        self.read(|s| s.events.values().flat_map(|e| &e.changes).find(|c| c.id == id).cloned())
    }

    async fn mission_events(&self, mission: MissionId) -> RepoResult<Vec<Event>> {
        self.read(|s| {
            let mut events: Vec<Event> = s.events.values().filter(|e| e.mission_id == mission).cloned().collect();
            events.sort_by_key(|e| (e.details.occurred_at, e.id));
            events
        })
    }

    async fn campaign_events(&self, campaign: CampaignId) -> RepoResult<Vec<Event>> {
        self.read(|s| s.campaign_events(campaign))
    }

    async fn timeline(&self, campaign: CampaignId, page: PageRequest) -> RepoResult<Page<Event>> {
        self.read(|s| {
            let mut events = s.campaign_events(campaign);
            events.reverse();
            page_of(&events, page)
        })
    }

    async fn record_event(
        &self,
        new: &NewEvent,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<EventId> {
        self.create(audit, key, |s, id| {
            let campaign = s.open_mission(new.mission_id)?;
            let id = EventId::new(id);
            s.move_pool(campaign, new.changes.iter().map(|c| (c.pool_entry_id, c.delta.get())).collect())?;
            let changes = new.changes.iter().map(|c| s.new_change(id, c)).collect();
            let event = Event { id, mission_id: new.mission_id, details: new.details.clone(), changes };
            s.events.insert(id, event);
            Ok(())
        })
        .map(EventId::new)
    }

    async fn update_event(&self, id: EventId, details: &EventDetails, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            s.open_event(id)?;
            s.events.get_mut(&id).ok_or(RepoError::NotFound("event"))?.details = details.clone();
            Ok(())
        })
    }

    async fn add_change(
        &self,
        event: EventId,
        change: &NewChange,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<AssetChangeId> {
        self.create(audit, key, |s, id| {
            let campaign = s.open_event(event)?;
            s.move_pool(campaign, vec![(change.pool_entry_id, change.delta.get())])?;
            let mut added = s.new_change(event, change);
            added.id = AssetChangeId::new(id);
            s.events.get_mut(&event).ok_or(RepoError::NotFound("event"))?.changes.push(added);
            Ok(())
        })
        .map(AssetChangeId::new)
    }

    async fn delete_change(&self, id: AssetChangeId, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            let change = s
                .events
                .values()
                .flat_map(|e| &e.changes)
                .find(|c| c.id == id)
                .cloned()
                .ok_or(RepoError::NotFound("asset change"))?;
            let campaign = s.open_event(change.event_id)?;
            s.move_pool(campaign, vec![(change.pool_entry_id, change.delta.reversed().get())])?;
            if let Some(event) = s.events.get_mut(&change.event_id) {
                event.changes.retain(|c| c.id != id);
            }
            Ok(())
        })
    }

    async fn delete_event(&self, id: EventId, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            let campaign = s.open_event(id)?;
            s.remove_events(campaign, &[id])
        })
    }
}

impl AuditRepo for MemoryStore {
    async fn audit_log(&self, filter: &AuditFilter, page: PageRequest) -> RepoResult<Page<AuditEntry>> {
        self.read(|s| {
            let matching: Vec<AuditEntry> = s
                .audit
                .iter()
                .rev()
                .filter(|a| filter.campaign.is_none_or(|c| a.entry.campaign_id == Some(c)))
                .filter(|a| filter.actor.is_none_or(|u| a.entry.actor_id == Some(u)))
                .filter(|a| filter.action.is_none_or(|x| a.entry.action == x))
                .cloned()
                .collect();
            page_of(&matching, page)
        })
    }

    async fn campaign_audit(&self, campaign: CampaignId) -> RepoResult<Vec<AuditEntry>> {
        self.read(|s| s.audit.iter().filter(|a| a.entry.campaign_id == Some(campaign)).cloned().collect())
    }
}
