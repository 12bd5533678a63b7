//! Public use cases: what anyone sees without logging in (the active campaign's
//! dashboard, timeline and pool, and the archive of closed campaigns), plus the staff
//! dashboard in `staff`.
//!
//! Invariant: public read models carry nothing staff-only. Hidden pool entries are
//! left out, and so are the asset changes that move them; events lose their staff
//! notes, and campaigns and missions their staff map (edit) links. The web layer can
//! therefore render these models without filtering again.

mod staff;

pub use staff::StaffDashboard;

use crate::error::{UseCaseError, UseCaseResult};
use crate::ports::{
    CampaignPool, CampaignRef, Clock, DashboardPage, MissionEventsPage, MissionListPage, Page, PageRequest,
    PasswordHasher, Store, TimelinePage,
};
use crate::tracker::Tracker;
use domain::{
    Campaign, CampaignId, CampaignReport, CampaignStatus, Event, Mission, MissionId, Notes, PoolEntry, PoolEntryId,
};
use std::collections::{HashMap, HashSet};

/// The public front page of the active campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// The active campaign.
    pub campaign: Campaign,
    /// Its public pool entries, by kind then name.
    pub pool: Vec<PoolEntry>,
    /// Its latest missions, newest first: last in the campaign's order first, since
    /// new missions join the end of the order and the order is the campaign's story.
    pub missions: Vec<MissionWithEvents>,
    /// How many missions the campaign has in all.
    pub mission_count: u64,
}

/// One mission of the active campaign and a page of its events, as the public sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicMission {
    /// The active campaign.
    pub campaign: Campaign,
    /// The mission.
    pub mission: Mission,
    /// A page of its events, oldest first, with their public changes by asset name.
    pub events: Page<TimelineEvent>,
}

/// A mission with its events (oldest first), as the public sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionWithEvents {
    /// The mission.
    pub mission: Mission,
    /// Its latest events (up to the dashboard's limit), oldest first, with only their
    /// public changes.
    pub events: Vec<Event>,
    /// How many events it has in all.
    pub event_count: u64,
    /// What all its events did to the public pool: the sum of their public changes.
    pub public_net: i64,
}

/// An event on the public timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEvent {
    /// The event, with only its public changes.
    pub event: Event,
    /// The name of its mission.
    pub mission_name: String,
    /// Its public changes as (asset name, signed delta, note), in recorded order.
    pub changes: Vec<(String, i64, String)>,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// The store's revision: what every public read shows changes only when it changes,
    /// so a public page cached with the revision read before rendering it stays correct
    /// until the revision moves (on every replica: the revision is in the store).
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn public_revision(&self) -> UseCaseResult<u64> {
        Ok(self.store.revision().await?)
    }

    /// The active campaign's dashboard, or `None` when no campaign is active: its public
    /// pool and its latest `missions` missions, each with its latest
    /// `events_per_mission` events, so the page's size does not grow with the history.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn dashboard(&self, missions: u32, events_per_mission: u32) -> UseCaseResult<Option<Dashboard>> {
        let Some(DashboardPage {
            campaign: CampaignPool { campaign, pool },
            missions: latest,
            mission_count,
            events: all,
        }) = self.store.dashboard_page(CampaignRef::Active, missions, events_per_mission).await?
        else {
            return Ok(None);
        };
        let pool = public_entries(pool);
        let public: HashSet<PoolEntryId> = pool.iter().map(PoolEntry::id).collect();
        let mut events: HashMap<_, Vec<Event>> = HashMap::new();
        for event in all {
            events.entry(event.mission_id).or_default().push(public_event(event, &public));
        }
        let missions = latest
            .into_iter()
            .map(|m| MissionWithEvents {
                events: events.remove(&m.mission.id).unwrap_or_default(),
                event_count: m.event_count,
                public_net: m.public_net,
                mission: public_mission(m.mission),
            })
            .collect();
        Ok(Some(Dashboard { campaign: public_campaign(campaign), pool, missions, mission_count }))
    }

    /// A page of the active campaign's missions, last in the campaign's order first, each
    /// with its event count; `None` when no campaign is active. `per_page` is brought
    /// into 1..=200.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn public_missions(
        &self,
        page: u32,
        per_page: u32,
    ) -> UseCaseResult<Option<(Campaign, Page<(Mission, u64)>)>> {
        let request = PageRequest::new(page, per_page);
        let Some(MissionListPage { campaign, missions }) =
            self.store.mission_list(CampaignRef::Active, request).await?
        else {
            return Ok(None);
        };
        let items = missions.items.into_iter().map(|(m, count)| (public_mission(m), count)).collect();
        Ok(Some((public_campaign(campaign), Page { items, request: missions.request, total: missions.total })))
    }

    /// One mission of the active campaign with a page of its events (oldest first), as
    /// the public sees them.
    ///
    /// # Errors
    /// `NotFound("mission")` unless the mission belongs to the active campaign;
    /// `Unexpected` when the store fails.
    pub async fn public_mission(&self, id: MissionId, page: u32, per_page: u32) -> UseCaseResult<PublicMission> {
        let request = PageRequest::new(page, per_page);
        let found = self.store.mission_events_page(id, request).await?;
        let Some(MissionEventsPage { campaign: CampaignPool { campaign, pool }, mission, events }) =
            found.filter(|p| p.campaign.campaign.status() == CampaignStatus::Active)
        else {
            return Err(UseCaseError::NotFound("mission"));
        };
        let names = PublicNames::of(pool);
        let mission_name = mission.details.name.to_string();
        let items = events.items.into_iter().map(|event| names.timeline_event(event, mission_name.clone())).collect();
        Ok(PublicMission {
            campaign: public_campaign(campaign),
            mission: public_mission(mission),
            events: Page { items, request: events.request, total: events.total },
        })
    }

    /// A page of the active campaign's events, newest first, or `None` when no
    /// campaign is active. `page` counts from 1; `per_page` is brought into 1..=200.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn timeline(&self, page: u32, per_page: u32) -> UseCaseResult<Option<(Campaign, Page<TimelineEvent>)>> {
        let request = PageRequest::new(page, per_page);
        let Some(TimelinePage { campaign: CampaignPool { campaign, pool }, events, missions }) =
            self.store.timeline_page(CampaignRef::Active, request).await?
        else {
            return Ok(None);
        };
        let names = PublicNames::of(pool);
        let missions: HashMap<_, String> = missions.into_iter().map(|m| (m.id, m.details.name.to_string())).collect();
        let items = events
            .items
            .into_iter()
            .map(|event| {
                let mission_name = missions.get(&event.mission_id).cloned().unwrap_or_default();
                names.timeline_event(event, mission_name)
            })
            .collect();
        let page = Page { items, request: events.request, total: events.total };
        Ok(Some((public_campaign(campaign), page)))
    }

    /// The active campaign with its public pool entries, or `None` when no campaign
    /// is active.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn public_pool(&self) -> UseCaseResult<Option<(Campaign, Vec<PoolEntry>)>> {
        let Some(CampaignPool { campaign, pool }) = self.store.campaign_pool(CampaignRef::Active).await? else {
            return Ok(None);
        };
        Ok(Some((public_campaign(campaign), public_entries(pool))))
    }

    /// The closed campaigns, in the store's order (newest first), each with the
    /// report archived when it was closed, reduced to its public entries and their
    /// changes. A closed campaign without an archived report is left out.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn closed_campaigns(&self) -> UseCaseResult<Vec<(Campaign, CampaignReport)>> {
        let archive = self.store.archived_reports(None).await?;
        Ok(archive.into_iter().map(|(campaign, report)| (public_campaign(campaign), public_report(report))).collect())
    }

    /// One closed campaign with its archived report, reduced as `closed_campaigns`
    /// reduces them.
    ///
    /// # Errors
    /// `NotFound("closed campaign")` unless the campaign is closed with an archived
    /// report; `Unexpected` when the store fails.
    pub async fn closed_campaign(&self, id: CampaignId) -> UseCaseResult<(Campaign, CampaignReport)> {
        let found = self.store.archived_reports(Some(id)).await?.pop();
        let (campaign, report) = found.ok_or(UseCaseError::NotFound("closed campaign"))?;
        Ok((public_campaign(campaign), public_report(report)))
    }
}

/// The pool's public entries.
fn public_entries(mut pool: Vec<PoolEntry>) -> Vec<PoolEntry> {
    pool.retain(PoolEntry::is_public);
    pool
}

/// The public pool entries: their ids, and their asset names by id.
struct PublicNames {
    names: HashMap<PoolEntryId, String>,
    public: HashSet<PoolEntryId>,
}

impl PublicNames {
    fn of(pool: Vec<PoolEntry>) -> Self {
        let names: HashMap<_, _> = public_entries(pool).iter().map(|e| (e.id(), e.asset_name().to_string())).collect();
        let public = names.keys().copied().collect();
        Self { names, public }
    }

    /// `event` as the public sees it, in `mission_name`, with its public changes by name.
    fn timeline_event(&self, event: Event, mission_name: String) -> TimelineEvent {
        let event = public_event(event, &self.public);
        let changes = event
            .changes
            .iter()
            .map(|c| (self.names.get(&c.pool_entry_id).cloned().unwrap_or_default(), c.delta.get(), c.note.to_string()))
            .collect();
        TimelineEvent { event, mission_name, changes }
    }
}

/// The campaign without its staff map link.
fn public_campaign(campaign: Campaign) -> Campaign {
    let mut details = campaign.details().clone();
    details.map_edit_url = None;
    Campaign::new(campaign.id(), details, campaign.status(), campaign.created_at(), campaign.closed_at())
}

/// The mission without its staff map link.
fn public_mission(mut mission: Mission) -> Mission {
    mission.details.map_edit_url = None;
    mission
}

/// The event without its staff notes and with only the changes of public entries.
fn public_event(mut event: Event, public: &HashSet<PoolEntryId>) -> Event {
    event.details.notes = Notes::empty();
    event.changes.retain(|c| public.contains(&c.pool_entry_id));
    event
}

/// The report with only its public entries and only the changes of those entries, by
/// entry id: the built-in libraries repeat asset names across factions, so a hidden
/// entry may share its name with a public one. A change archived before entries had
/// ids is shown only when its name belongs to public entries alone.
fn public_report(mut report: CampaignReport) -> CampaignReport {
    let public_ids: HashSet<PoolEntryId> =
        report.entries.iter().filter(|e| e.public).filter_map(|e| e.entry_id).collect();
    let public_names: HashSet<String> =
        report.entries.iter().filter(|e| e.public).map(|e| e.asset_name.clone()).collect();
    let hidden_names: HashSet<String> =
        report.entries.iter().filter(|e| !e.public).map(|e| e.asset_name.clone()).collect();
    report.entries.retain(|e| e.public);
    for event in report.missions.iter_mut().flat_map(|m| m.events.iter_mut()) {
        event.changes.retain(|c| match c.entry_id {
            Some(id) => public_ids.contains(&id),
            None => public_names.contains(&c.asset_name) && !hidden_names.contains(&c.asset_name),
        });
    }
    report
}

#[cfg(test)]
mod tests;
