//! Contract of the closed-campaign backstop: once closed, every write that touches
//! the campaign's data fails with `Conflict::CampaignClosed` and changes nothing.

use super::check::{conflict, ok, snapshot, unchanged};
use super::scene::{Scene, scene};
use super::seed::{self, T0, about, at};
use crate::error::{Conflict, RepoResult};
use crate::ports::Store;
use domain::{
    AssetKind, AuditAction, Campaign, CampaignReport, CampaignStatus, EventId, NewAuditEntry, ObjectKind, Quantity,
};
use std::fmt::Debug;

/// A closed campaign with a second mission, an event with one change, and a fresh
/// asset that is not in the pool yet.
struct Closed {
    s: Scene,
    stale: Campaign,
    second: domain::MissionId,
    event: EventId,
    change: domain::AssetChangeId,
    spare: domain::Asset,
}

async fn closed<S: Store>(store: &S) -> Closed {
    let s = scene(store).await;
    let second = seed::mission(store, s.campaign, "Night raid").await;
    let event = seed::event(store, s.campaign, s.mission, "Ambush", &[(s.tank_entry, -2)]).await;
    let change = ok(store.event(event).await, "event").expect("the seeded event exists").changes[0].id;
    let spare = seed::asset(store, s.library, "Spare", AssetKind::Other, 4, false).await;
    let stale = super::campaigns::read(store, s.campaign).await;
    let mut campaign = stale.clone();
    campaign.close(at(3_600)).expect("an open campaign can be closed");
    let report = CampaignReport::build(&campaign, &[], &[], &[], &[], at(3_600));
    let entry = about(AuditAction::CampaignClosed, Some(s.campaign), ObjectKind::Campaign, s.campaign.get());
    ok(store.close_campaign(&campaign, &report, &entry).await, "close_campaign");
    Closed { s, stale, second, event, change, spare }
}

fn on(c: &Closed, action: AuditAction, kind: ObjectKind, id: i64) -> NewAuditEntry {
    about(action, Some(c.s.campaign), kind, id)
}

fn created(c: &Closed, action: AuditAction, kind: ObjectKind) -> NewAuditEntry {
    seed::created(action, Some(c.s.campaign), kind)
}

#[track_caller]
fn refused<T: Debug>(result: RepoResult<T>, step: &str) {
    conflict(result, Conflict::CampaignClosed, step);
}

/// Campaign and pool writes on a closed campaign are refused and change nothing.
pub async fn campaign_and_pool_writes_to_a_closed_campaign_are_refused_and_change_nothing<S: Store>(store: S) {
    let c = closed(&store).await;
    let id = c.s.campaign;
    let before = snapshot(&store).await;
    let mut details = c.stale.details().clone();
    details.name = domain::CampaignName::parse("Renamed").expect("name");
    let edited = Campaign::new(id, details, CampaignStatus::Planned, T0, None);
    let entry = on(&c, AuditAction::CampaignUpdated, ObjectKind::Campaign, id.get());
    refused(store.update_campaign(&edited, &entry).await, "update_campaign");
    let entry = on(&c, AuditAction::CampaignActivated, ObjectKind::Campaign, id.get());
    refused(store.activate_campaign(id, &entry).await, "activate_campaign");
    let mut again = c.stale.clone();
    again.close(at(7_200)).expect("the stale copy is open");
    let report = CampaignReport::build(&again, &[], &[], &[], &[], at(7_200));
    let entry = on(&c, AuditAction::CampaignClosed, ObjectKind::Campaign, id.get());
    refused(store.close_campaign(&again, &report, &entry).await, "close again");

    let new = [seed::pooled(&c.spare, 4)];
    let entry = created(&c, AuditAction::PoolAssetAdded, ObjectKind::PoolEntry);
    let key = seed::key("closed-pool-key");
    let result = store.add_pool_entries(id, &new, &entry, Some(&key)).await;
    refused(result, "add_pool_entries");
    let tank = c.s.tank_entry;
    let entry = on(&c, AuditAction::PoolInitialChanged, ObjectKind::PoolEntry, tank.get());
    let twelve = Quantity::new(12).expect("quantity");
    refused(store.set_initial_quantity(tank, twelve, &entry).await, "set_initial");
    let entry = on(&c, AuditAction::PoolVisibilityChanged, ObjectKind::PoolEntry, tank.get());
    refused(store.set_pool_entry_public(tank, false, &entry).await, "set_public");
    let hq = c.s.hq_entry;
    let entry = on(&c, AuditAction::PoolEntryRemoved, ObjectKind::PoolEntry, hq.get());
    refused(store.remove_pool_entry(hq, &entry).await, "remove_pool_entry");
    unchanged(&store, &before, "campaign and pool writes to a closed campaign").await;
}

/// Mission, event and change writes on a closed campaign are refused and change nothing.
pub async fn mission_and_event_writes_to_a_closed_campaign_are_refused_and_change_nothing<S: Store>(store: S) {
    let c = closed(&store).await;
    let id = c.s.campaign;
    let before = snapshot(&store).await;
    let entry = created(&c, AuditAction::MissionCreated, ObjectKind::Mission);
    let result = store.insert_mission(&seed::new_mission(id, "Late"), &entry, None).await;
    refused(result, "insert_mission");
    let mut mission = ok(store.mission(c.s.mission).await, "mission").expect("mission exists");
    mission.details.name = domain::MissionName::parse("Renamed").expect("name");
    let mid = c.s.mission.get();
    let entry = on(&c, AuditAction::MissionUpdated, ObjectKind::Mission, mid);
    refused(store.update_mission(&mission, &entry).await, "update_mission");
    let entry = on(&c, AuditAction::MissionsReordered, ObjectKind::Campaign, id.get());
    let order = [c.second, c.s.mission];
    refused(store.reorder_missions(id, &order, &entry).await, "reorder");
    let entry = on(&c, AuditAction::MissionDeleted, ObjectKind::Mission, mid);
    refused(store.delete_mission(c.s.mission, &entry).await, "delete_mission");

    let new = seed::new_event(c.s.mission, "Late", at(60), &[(c.s.ammo_entry, 1)]);
    let entry = created(&c, AuditAction::EventCreated, ObjectKind::Event);
    refused(store.record_event(&new, &entry, None).await, "record_event");
    let no_change = seed::new_event(c.second, "Quiet", at(60), &[]);
    let result = store.record_event(&no_change, &entry, None).await;
    refused(result, "record_event without changes");
    let eid = c.event.get();
    let details = seed::event_details("Renamed", at(90));
    let entry = on(&c, AuditAction::EventUpdated, ObjectKind::Event, eid);
    refused(store.update_event(c.event, &details, &entry).await, "update_event");
    let extra = seed::change(c.s.ammo_entry, 1);
    let entry = created(&c, AuditAction::ChangeAdded, ObjectKind::AssetChange);
    refused(store.add_change(c.event, &extra, &entry, None).await, "add_change");
    let entry = on(&c, AuditAction::ChangeDeleted, ObjectKind::AssetChange, c.change.get());
    refused(store.delete_change(c.change, &entry).await, "delete_change");
    let entry = on(&c, AuditAction::EventDeleted, ObjectKind::Event, eid);
    refused(store.delete_event(c.event, &entry).await, "delete_event");
    unchanged(&store, &before, "mission and event writes to a closed campaign").await;
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_closed {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            closed,
            $fresh,
            $tidy,
            [
                campaign_and_pool_writes_to_a_closed_campaign_are_refused_and_change_nothing,
                mission_and_event_writes_to_a_closed_campaign_are_refused_and_change_nothing,
            ]
        );
    };
}
