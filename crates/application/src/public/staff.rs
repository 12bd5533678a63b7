//! The staff dashboard: the active campaign at a glance, for any staff member.

use crate::actor::Actor;
use crate::error::UseCaseResult;
use crate::ports::{CampaignPool, CampaignRef, Clock, PasswordHasher, StaffOverview, Store};
use crate::tracker::Tracker;
use domain::{Campaign, Event, Mission};

/// How many missions the staff dashboard lists.
const LATEST_MISSIONS: u32 = 5;
/// How many events the staff dashboard lists.
const LATEST_EVENTS: u32 = 10;

/// The active campaign at a glance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffDashboard {
    /// The active campaign.
    pub campaign: Campaign,
    /// The sum of every pool entry's initial quantity.
    pub pool_total_initial: u64,
    /// The sum of every pool entry's current quantity.
    pub pool_total_current: u64,
    /// How many entries are running low: held (above 0) but fewer than 3. Unique
    /// assets are left out, since holding their one copy is all they can be.
    pub low: usize,
    /// How many entries are used up (current quantity 0).
    pub depleted: usize,
    /// The last five missions of the campaign's order, last first.
    pub latest_missions: Vec<Mission>,
    /// The ten most recent events, newest first, with all their changes.
    pub latest_events: Vec<Event>,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// The active campaign's staff dashboard, or `None` when no campaign is active.
    ///
    /// # Errors
    /// `Forbidden` for the public.
    pub async fn staff_dashboard(&self, actor: &Actor) -> UseCaseResult<Option<StaffDashboard>> {
        actor.staff()?;
        let Some(StaffOverview { campaign: CampaignPool { campaign, pool }, missions, events }) =
            self.store.staff_overview(CampaignRef::Active, LATEST_MISSIONS, LATEST_EVENTS).await?
        else {
            return Ok(None);
        };
        let pool_total_initial = pool.iter().map(|e| u64::from(e.initial().get())).sum();
        let pool_total_current = pool.iter().map(|e| u64::from(e.current().get())).sum();
        let low = pool.iter().filter(|e| e.is_low()).count();
        let depleted = pool.iter().filter(|e| e.is_depleted()).count();

        let (latest_missions, latest_events) = (missions, events);
        Ok(Some(StaffDashboard {
            campaign,
            pool_total_initial,
            pool_total_current,
            low,
            depleted,
            latest_missions,
            latest_events,
        }))
    }
}
