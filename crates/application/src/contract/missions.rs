//! Contract of `MissionRepo`: appending, reading, reordering, editing and deleting a
//! mission with the exact reversal of its events' changes, all or nothing.

use super::check::{audit_count, current, insufficient, ledger, not_found, ok, one_audit, snapshot, unchanged};
use super::scene::{AMMO, scene};
use super::seed::{self, MISSING, about, at};
use crate::ports::{NewMission, Store};
use domain::{
    AuditAction, CampaignId, CampaignStatus, Description, Location, Mission, MissionDetails, MissionId, MissionName,
    MissionStatus, ObjectKind,
};

fn on_mission(action: AuditAction, campaign: CampaignId, id: MissionId) -> domain::NewAuditEntry {
    about(action, Some(campaign), ObjectKind::Mission, id.get())
}

async fn read<S: Store>(store: &S, id: MissionId) -> Mission {
    ok(store.mission(id).await, "mission").unwrap_or_else(|| panic!("mission {id} should exist"))
}

async fn order<S: Store>(store: &S, campaign: CampaignId) -> Vec<MissionId> {
    let missions = ok(store.missions(campaign).await, "missions");
    for pair in missions.windows(2) {
        assert!(
            (pair[0].order_index, pair[0].id) < (pair[1].order_index, pair[1].id),
            "missions() must be ordered by (order_index, id): {missions:#?}"
        );
    }
    missions.iter().map(|m| m.id).collect()
}

/// New missions go last and read back field by field.
pub async fn missions_are_appended_in_order_and_read_back<S: Store>(store: S) {
    let s = scene(&store).await;
    let other = seed::campaign(&store, "Other", CampaignStatus::Planned, vec![]).await;
    let foreign = seed::mission(&store, other, "Elsewhere").await;
    let bare = NewMission {
        campaign_id: s.campaign,
        details: MissionDetails {
            name: MissionName::parse("Bare").expect("name"),
            description: Description::empty(),
            date: None,
            location: Location::parse("").expect("location"),
            map_edit_url: None,
            map_view_url: None,
        },
        status: MissionStatus::InProgress,
    };
    let count = audit_count(&store).await;
    let audit = seed::created(AuditAction::MissionCreated, Some(s.campaign), ObjectKind::Mission);
    let second = ok(store.insert_mission(&bare, &audit, None).await, "insert_mission");
    let entry = one_audit(&store, count, AuditAction::MissionCreated, "insert_mission").await;
    assert_eq!(entry.entry.object.id, Some(second.get()), "a create fills in the new id");
    let third = seed::mission(&store, s.campaign, "Third").await;
    assert_eq!(order(&store, s.campaign).await, vec![s.mission, second, third]);
    assert_eq!(order(&store, other).await, vec![foreign], "each campaign has its own missions");

    let listed = ok(store.missions(s.campaign).await, "missions");
    let expected = [
        (s.mission, seed::new_mission(s.campaign, "Dawn raid")),
        (second, bare),
        (third, seed::new_mission(s.campaign, "Third")),
    ];
    for (m, (id, new)) in listed.iter().zip(expected) {
        let want = Mission {
            id,
            campaign_id: s.campaign,
            details: new.details,
            status: new.status,
            order_index: m.order_index,
        };
        assert_eq!(m, &want, "missions() reads back every field");
        assert_eq!(read(&store, id).await, want, "mission(id) agrees with missions()");
    }
    assert_eq!(ok(store.mission(MissionId::new(MISSING)).await, "mission(missing)"), None);
    assert!(ok(store.missions(CampaignId::new(MISSING)).await, "missions(missing)").is_empty());
}

/// `reorder_missions` saves the order given.
pub async fn reordering_missions_saves_the_new_order<S: Store>(store: S) {
    let s = scene(&store).await;
    let b = seed::mission(&store, s.campaign, "B").await;
    let c = seed::mission(&store, s.campaign, "C").await;
    for wanted in [vec![c, s.mission, b], vec![b, c, s.mission], vec![s.mission, b, c]] {
        let count = audit_count(&store).await;
        let audit = about(AuditAction::MissionsReordered, Some(s.campaign), ObjectKind::Campaign, s.campaign.get());
        ok(store.reorder_missions(s.campaign, &wanted, &audit).await, "reorder_missions");
        one_audit(&store, count, AuditAction::MissionsReordered, "reorder_missions").await;
        assert_eq!(order(&store, s.campaign).await, wanted, "missions() follows the new order");
    }
    let late = seed::mission(&store, s.campaign, "Late").await;
    assert_eq!(order(&store, s.campaign).await, vec![s.mission, b, c, late], "appended last");
}

/// An order that is not every mission of the campaign exactly once is refused.
pub async fn reordering_with_a_missing_duplicate_or_foreign_mission_is_not_found_and_changes_nothing<S: Store>(
    store: S,
) {
    let s = scene(&store).await;
    let (a, b) = (s.mission, seed::mission(&store, s.campaign, "B").await);
    let other = seed::campaign(&store, "Other", CampaignStatus::Planned, vec![]).await;
    let foreign = seed::mission(&store, other, "Elsewhere").await;
    let ghost = MissionId::new(MISSING);
    let before = snapshot(&store).await;
    let audit = about(AuditAction::MissionsReordered, Some(s.campaign), ObjectKind::Campaign, s.campaign.get());
    for (wanted, step) in [
        (vec![b], "one mission left out"),
        (vec![b, a, foreign], "a foreign mission added"),
        (vec![b, foreign], "a mission replaced by a foreign one"),
        (vec![b, a, a], "a mission twice"),
        (vec![b, a, ghost], "a missing mission added"),
        (vec![], "nothing"),
    ] {
        not_found(store.reorder_missions(s.campaign, &wanted, &audit).await, step);
    }
    let missing = CampaignId::new(MISSING);
    not_found(store.reorder_missions(missing, &[], &audit).await, "a missing campaign");
    unchanged(&store, &before, "refused reorders").await;
}

/// `update_mission` saves fields and status; its campaign and place stay.
pub async fn updating_a_mission_saves_its_fields_and_status_but_not_its_place<S: Store>(store: S) {
    let s = scene(&store).await;
    let b = seed::mission(&store, s.campaign, "B").await;
    let other = seed::campaign(&store, "Other", CampaignStatus::Planned, vec![]).await;
    let stored = read(&store, s.mission).await;
    let mut edited = stored.clone();
    edited.details.name = MissionName::parse("Dusk raid").expect("name");
    edited.details.date = None;
    edited.details.map_view_url = Some(domain::MapUrl::parse("https://x.example/v").expect("url"));
    edited.status = MissionStatus::Completed;
    edited.order_index = stored.order_index + 10;
    edited.campaign_id = other;
    let count = audit_count(&store).await;
    let audit = on_mission(AuditAction::MissionUpdated, s.campaign, s.mission);
    ok(store.update_mission(&edited, &audit).await, "update_mission");
    one_audit(&store, count, AuditAction::MissionUpdated, "update_mission").await;
    let expected = Mission { campaign_id: s.campaign, order_index: stored.order_index, ..edited };
    assert_eq!(read(&store, s.mission).await, expected, "fields and status saved, place kept");
    assert_eq!(order(&store, s.campaign).await, vec![s.mission, b]);
    assert!(ok(store.missions(other).await, "missions").is_empty());
}

/// Deleting a mission removes its events and reverses every change exactly.
pub async fn deleting_a_mission_reverses_every_change_of_its_events_exactly<S: Store>(store: S) {
    let s = scene(&store).await;
    let keep = seed::mission(&store, s.campaign, "Kept").await;
    let first = seed::event(&store, s.campaign, s.mission, "One", &[(s.tank_entry, -3), (s.ammo_entry, 5)]).await;
    let second = seed::event(&store, s.campaign, s.mission, "Two", &[(s.ammo_entry, -2), (s.hq_entry, -1)]).await;
    let kept = seed::event(&store, s.campaign, keep, "Kept", &[(s.tank_entry, -4)]).await;
    let changes = ok(store.event(first).await, "event").expect("event").changes;
    let quantities = |t, h, a| [(s.tank_entry, t), (s.hq_entry, h), (s.ammo_entry, a)];
    for (entry, want) in quantities(3, 0, 103) {
        assert_eq!(current(&store, entry).await, want, "before the delete");
    }
    let kept_event = ok(store.event(kept).await, "event");
    let count = audit_count(&store).await;
    let audit = on_mission(AuditAction::MissionDeleted, s.campaign, s.mission);
    ok(store.delete_mission(s.mission, &audit).await, "delete_mission");
    one_audit(&store, count, AuditAction::MissionDeleted, "delete_mission").await;
    for (entry, want) in quantities(6, 1, 100) {
        assert_eq!(current(&store, entry).await, want, "every change of the mission reversed");
    }
    assert_eq!(ok(store.mission(s.mission).await, "mission"), None, "the mission is gone");
    for id in [first, second] {
        assert_eq!(ok(store.event(id).await, "event"), None, "its events are gone");
    }
    assert_eq!(ok(store.change(changes[0].id).await, "change"), None, "its changes are gone");
    assert_eq!(ok(store.event(kept).await, "event"), kept_event, "other missions keep theirs");
    let events = ok(store.campaign_events(s.campaign).await, "campaign_events");
    assert_eq!(events.iter().map(|e| e.id).collect::<Vec<_>>(), vec![kept]);
    assert_eq!(order(&store, s.campaign).await, vec![keep]);
}

/// A mission whose reversal would take an entry below zero stays, with everything else.
pub async fn deleting_a_mission_whose_reversal_would_break_the_rule_is_refused_and_changes_nothing<S: Store>(store: S) {
    let s = scene(&store).await;
    let later = seed::mission(&store, s.campaign, "Later").await;
    seed::event(&store, s.campaign, s.mission, "Resupply", &[(s.tank_entry, -1), (s.ammo_entry, 30)]).await;
    let new = seed::new_event(later, "Expended", at(60), &[(s.ammo_entry, -125)]);
    let audit = seed::created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    ok(store.record_event(&new, &audit, None).await, "record_event");
    assert_eq!(current(&store, s.ammo_entry).await, 5);
    let before = snapshot(&store).await;
    let audit = on_mission(AuditAction::MissionDeleted, s.campaign, s.mission);
    let result = store.delete_mission(s.mission, &audit).await;
    ledger(result, insufficient(AMMO, 5, 30), "delete_mission(resupply already spent)");
    unchanged(&store, &before, "a refused mission delete").await;
}

/// Mission writes naming a mission or campaign that does not exist fail with `NotFound`.
pub async fn mission_writes_to_a_missing_mission_or_campaign_are_not_found<S: Store>(store: S) {
    let s = scene(&store).await;
    let before = snapshot(&store).await;
    let missing = CampaignId::new(MISSING);
    let audit = seed::created(AuditAction::MissionCreated, Some(missing), ObjectKind::Mission);
    let result = store.insert_mission(&seed::new_mission(missing, "Nowhere"), &audit, None).await;
    not_found(result, "insert_mission(missing campaign)");
    let mut ghost = read(&store, s.mission).await;
    ghost.id = MissionId::new(MISSING);
    let audit = on_mission(AuditAction::MissionUpdated, s.campaign, ghost.id);
    not_found(store.update_mission(&ghost, &audit).await, "update_mission(missing)");
    not_found(store.delete_mission(ghost.id, &audit).await, "delete_mission(missing)");
    unchanged(&store, &before, "writes to missing missions").await;
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_missions {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            missions,
            $fresh,
            $tidy,
            [
                missions_are_appended_in_order_and_read_back,
                reordering_missions_saves_the_new_order,
                reordering_with_a_missing_duplicate_or_foreign_mission_is_not_found_and_changes_nothing,
                updating_a_mission_saves_its_fields_and_status_but_not_its_place,
                deleting_a_mission_reverses_every_change_of_its_events_exactly,
                deleting_a_mission_whose_reversal_would_break_the_rule_is_refused_and_changes_nothing,
                mission_writes_to_a_missing_mission_or_campaign_are_not_found,
            ]
        );
    };
}
