//! Contract of `EventRepo` reads and plain writes: recording, reading back, the
//! oldest-first lists, the newest-first paged timeline, and editing an event.
//! (What the ledger rule does to event writes is in `ledger`.)

use super::check::{audit_count, current, not_found, ok, one_audit, snapshot, unchanged};
use super::scene::scene;
use super::seed::{self, MISSING, about, at};
use crate::ports::{PageRequest, Store};
use domain::{
    AssetChange, AssetChangeId, AuditAction, CampaignId, CampaignStatus, Event, EventId, EventKind, ObjectKind,
};

/// An event that must exist.
pub(super) async fn read<S: Store>(store: &S, id: EventId) -> Event {
    ok(store.event(id).await, "event").unwrap_or_else(|| panic!("event {id} should exist"))
}

fn ids(events: &[Event]) -> Vec<EventId> {
    events.iter().map(|e| e.id).collect()
}

/// Recording applies the netted deltas; the event and its changes read back exactly.
pub async fn recording_an_event_applies_its_changes_and_reads_back<S: Store>(store: S) {
    let s = scene(&store).await;
    let changes = [(s.tank_entry, -2), (s.ammo_entry, 5), (s.tank_entry, -1)];
    let new = seed::new_event(s.mission, "Ambush at Pyrgos", at(600), &changes);
    let count = audit_count(&store).await;
    let audit = seed::created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    let id = ok(store.record_event(&new, &audit, None).await, "record_event");
    let entry = one_audit(&store, count, AuditAction::EventCreated, "record_event").await;
    assert_eq!(entry.entry.object.id, Some(id.get()), "a create fills in the new id");
    assert_eq!(current(&store, s.tank_entry).await, 7, "10 - 2 - 1");
    assert_eq!(current(&store, s.ammo_entry).await, 105, "100 + 5");
    assert_eq!(current(&store, s.hq_entry).await, 1, "untouched");

    let event = read(&store, id).await;
    assert_eq!((event.id, event.mission_id), (id, s.mission));
    assert_eq!(event.details, new.details, "the fields read back exactly");
    assert_eq!(event.changes.len(), 3, "one change row per change, not netted");
    for (change, wanted) in event.changes.iter().zip(&new.changes) {
        let expected = AssetChange {
            id: change.id,
            event_id: id,
            pool_entry_id: wanted.pool_entry_id,
            delta: wanted.delta,
            note: wanted.note.clone(),
        };
        assert_eq!(change, &expected, "changes read back in the order given");
        assert_eq!(ok(store.change(change.id).await, "change").as_ref(), Some(change));
    }
    let change_ids: std::collections::HashSet<_> = event.changes.iter().map(|c| c.id).collect();
    assert_eq!(change_ids.len(), 3, "every change has its own id");

    let quiet = seed::new_event(s.mission, "Quiet night", at(700), &[]);
    let quiet_id = ok(store.record_event(&quiet, &audit, None).await, "an event without changes");
    assert!(read(&store, quiet_id).await.changes.is_empty());
    assert_eq!(ok(store.event(EventId::new(MISSING)).await, "event(missing)"), None);
    let missing = AssetChangeId::new(MISSING);
    assert_eq!(ok(store.change(missing).await, "change(missing)"), None);
}

/// Both lists are oldest first by time, then by id for equal times.
pub async fn mission_and_campaign_events_are_listed_oldest_first<S: Store>(store: S) {
    let s = scene(&store).await;
    let second = seed::mission(&store, s.campaign, "Second").await;
    let other = seed::campaign(&store, "Other", CampaignStatus::Planned, vec![]).await;
    let elsewhere = seed::mission(&store, other, "Elsewhere").await;
    let audit = seed::created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    let record = async |mission, seconds, title: &str| {
        let new = seed::new_event(mission, title, at(seconds), &[]);
        ok(store.record_event(&new, &audit, None).await, "record_event")
    };
    let e1 = record(s.mission, 100, "e1").await;
    let e2 = record(s.mission, 50, "e2").await;
    let e3 = record(s.mission, 100, "e3").await;
    let e4 = record(second, 75, "e4").await;
    let e5 = record(elsewhere, 10, "e5").await;
    let e6 = record(second, 100, "e6").await;
    let mission = ok(store.mission_events(s.mission).await, "mission_events");
    assert_eq!(ids(&mission), vec![e2, e1, e3], "mission_events: oldest first, then by id");
    let campaign = ok(store.campaign_events(s.campaign).await, "campaign_events");
    assert_eq!(ids(&campaign), vec![e2, e4, e1, e3, e6], "campaign_events: oldest first");
    let others = ok(store.campaign_events(other).await, "campaign_events(other)");
    assert_eq!(ids(&others), vec![e5], "each campaign sees only its own events");
    assert!(ok(store.mission_events(MISSING_MISSION).await, "mission_events(missing)").is_empty());
    assert!(ok(store.campaign_events(CampaignId::new(MISSING)).await, "missing").is_empty());
}

const MISSING_MISSION: domain::MissionId = domain::MissionId::new(MISSING);

/// The timeline is newest first, paged, with the total of every page.
pub async fn the_timeline_pages_newest_first<S: Store>(store: S) {
    let s = scene(&store).await;
    let second = seed::mission(&store, s.campaign, "Second").await;
    let audit = seed::created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    for (mission, seconds) in [(s.mission, 300), (second, 100), (s.mission, 200), (second, 300), (s.mission, 50)] {
        let new = seed::new_event(mission, "Event", at(seconds), &[(s.ammo_entry, -1)]);
        ok(store.record_event(&new, &audit, None).await, "record_event");
    }
    let mut newest_first = ok(store.campaign_events(s.campaign).await, "campaign_events");
    newest_first.reverse();
    let page = |n| PageRequest::new(n, 2);
    for (n, range) in [(1, 0..2), (2, 2..4), (3, 4..5), (4, 5..5)] {
        let got = ok(store.timeline(s.campaign, page(n)).await, "timeline");
        assert_eq!(got.items, newest_first[range].to_vec(), "timeline page {n}");
        assert_eq!((got.total, got.page_count(), got.request), (5, 3, page(n)), "page {n} totals");
    }
    let all = ok(store.timeline(s.campaign, PageRequest::new(1, 200)).await, "timeline");
    assert_eq!(all.items, newest_first, "one big page holds every event, with changes");
    let empty = ok(store.timeline(CampaignId::new(MISSING), page(1)).await, "timeline(missing)");
    assert_eq!((empty.items.len(), empty.total, empty.page_count()), (0, 0, 1));
}

/// `update_event` saves the fields and leaves the changes and the pool alone.
pub async fn updating_an_event_saves_its_fields_but_not_its_changes<S: Store>(store: S) {
    let s = scene(&store).await;
    let id = seed::event(&store, s.campaign, s.mission, "Ambush", &[(s.tank_entry, -2)]).await;
    let before = read(&store, id).await;
    let mut details = seed::event_details("Ambush (revised)", at(-3_600));
    details.kind = EventKind::Logistics;
    details.notes = domain::Notes::parse("").expect("notes");
    let count = audit_count(&store).await;
    let audit = about(AuditAction::EventUpdated, Some(s.campaign), ObjectKind::Event, id.get());
    ok(store.update_event(id, &details, &audit).await, "update_event");
    one_audit(&store, count, AuditAction::EventUpdated, "update_event").await;
    let after = read(&store, id).await;
    assert_eq!(after, Event { details, ..before }, "fields saved, changes kept");
    assert_eq!(current(&store, s.tank_entry).await, 8, "the pool did not move");
}

/// Event writes naming an event, change or mission that does not exist fail with `NotFound`.
pub async fn event_writes_to_missing_objects_are_not_found_and_change_nothing<S: Store>(store: S) {
    let s = scene(&store).await;
    seed::event(&store, s.campaign, s.mission, "Ambush", &[(s.tank_entry, -2)]).await;
    let before = snapshot(&store).await;
    let new = seed::new_event(MISSING_MISSION, "Nowhere", at(0), &[(s.tank_entry, -1)]);
    let audit = seed::created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    not_found(store.record_event(&new, &audit, None).await, "record_event(missing mission)");
    let ghost = EventId::new(MISSING);
    let audit = about(AuditAction::EventUpdated, Some(s.campaign), ObjectKind::Event, MISSING);
    let details = seed::event_details("Ghost", at(0));
    not_found(store.update_event(ghost, &details, &audit).await, "update_event(missing)");
    let change = seed::change(s.tank_entry, -1);
    not_found(store.add_change(ghost, &change, &audit, None).await, "add_change(missing event)");
    let missing_change = AssetChangeId::new(MISSING);
    not_found(store.delete_change(missing_change, &audit).await, "delete_change(missing)");
    not_found(store.delete_event(ghost, &audit).await, "delete_event(missing)");
    unchanged(&store, &before, "event writes to missing objects").await;
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_events {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            events,
            $fresh,
            $tidy,
            [
                recording_an_event_applies_its_changes_and_reads_back,
                mission_and_campaign_events_are_listed_oldest_first,
                the_timeline_pages_newest_first,
                updating_an_event_saves_its_fields_but_not_its_changes,
                event_writes_to_missing_objects_are_not_found_and_change_nothing,
            ]
        );
    };
}
