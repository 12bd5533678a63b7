//! Contract of the ledger rule in every event write: batches are netted and all or
//! nothing, errors name the asset with what is available and what was asked, never
//! clamped, and every reversal (of a change, an event) is exact or refused.

use super::check::{audit_count, current, insufficient, ledger, ok, one_audit, snapshot, unchanged, unique_exceeded};
use super::events::read;
use super::scene::{AMMO, HQ, TANK, scene};
use super::seed::{self, about, at};
use crate::ports::Store;
use domain::{
    AssetChangeId, AssetKind, AuditAction, CampaignId, CampaignStatus, EventId, LedgerError, NewAuditEntry, ObjectKind,
    Quantity,
};

fn created_event(campaign: CampaignId) -> NewAuditEntry {
    seed::created(AuditAction::EventCreated, Some(campaign), ObjectKind::Event)
}

fn on_change(campaign: CampaignId, id: AssetChangeId) -> NewAuditEntry {
    about(AuditAction::ChangeDeleted, Some(campaign), ObjectKind::AssetChange, id.get())
}

fn on_event(campaign: CampaignId, id: EventId) -> NewAuditEntry {
    about(AuditAction::EventDeleted, Some(campaign), ObjectKind::Event, id.get())
}

/// One failing change refuses the whole batch: no event, no movement, no audit entry.
pub async fn a_batch_with_one_failing_change_changes_nothing_at_all<S: Store>(store: S) {
    let s = scene(&store).await;
    let before = snapshot(&store).await;
    let changes = [(s.tank_entry, -2), (s.ammo_entry, -101), (s.hq_entry, -1)];
    let new = seed::new_event(s.mission, "Too much", at(0), &changes);
    let result = store.record_event(&new, &created_event(s.campaign), None).await;
    ledger(result, insufficient(AMMO, 100, 101), "record_event(ammo -101 of 100)");
    unchanged(&store, &before, "a refused batch").await;
}

/// Deltas to one entry are summed before the rule is checked; the sum is what counts.
pub async fn deltas_to_one_entry_are_netted_before_the_rule_is_checked<S: Store>(store: S) {
    let s = scene(&store).await;
    let changes = [(s.tank_entry, -12), (s.tank_entry, 5)];
    let new = seed::new_event(s.mission, "Swap", at(0), &changes);
    ok(store.record_event(&new, &created_event(s.campaign), None).await, "net -7 of 10");
    assert_eq!(current(&store, s.tank_entry).await, 3, "10 - 12 + 5");
    let before = snapshot(&store).await;
    let changes = [(s.tank_entry, 2), (s.tank_entry, -6)];
    let new = seed::new_event(s.mission, "Net loss", at(0), &changes);
    let result = store.record_event(&new, &created_event(s.campaign), None).await;
    ledger(result, insufficient(TANK, 3, 4), "net -4 of 3 (reported as the netted delta)");
    unchanged(&store, &before, "a refused netted batch").await;
}

/// A unique asset held once cannot be gained again; a quantity cannot pass the maximum.
pub async fn a_unique_asset_above_one_or_a_quantity_above_the_maximum_is_rejected<S: Store>(store: S) {
    let s = scene(&store).await;
    let depot = seed::asset(&store, s.library, "Depot", AssetKind::Supply, 0, false).await;
    let entry_audit = seed::created(AuditAction::PoolAssetAdded, Some(s.campaign), ObjectKind::PoolEntry);
    let max = seed::pooled(&depot, Quantity::MAX);
    let added = ok(store.add_pool_entries(s.campaign, &[max], &entry_audit, None).await, "add");
    let before = snapshot(&store).await;
    let new = seed::new_event(s.mission, "Second HQ", at(0), &[(s.hq_entry, 1)]);
    let result = store.record_event(&new, &created_event(s.campaign), None).await;
    ledger(result, unique_exceeded(HQ, 1, 1), "unique HQ +1");
    let new = seed::new_event(s.mission, "Overflow", at(0), &[(added[0], 1)]);
    let result = store.record_event(&new, &created_event(s.campaign), None).await;
    let above = LedgerError::AboveMaximum { asset: "Depot".into(), available: Quantity::MAX, requested: 1 };
    ledger(result, above, "a quantity above 1,000,000");
    unchanged(&store, &before, "refused unique and maximum changes").await;
    let new = seed::new_event(s.mission, "HQ lost", at(0), &[(s.hq_entry, -1)]);
    ok(store.record_event(&new, &created_event(s.campaign), None).await, "HQ -1");
    let new = seed::new_event(s.mission, "HQ back", at(0), &[(s.hq_entry, 1)]);
    ok(store.record_event(&new, &created_event(s.campaign), None).await, "HQ +1 from 0");
    assert_eq!(current(&store, s.hq_entry).await, 1);
}

/// A change may only move an entry of the event's own campaign.
pub async fn a_change_to_an_entry_of_another_campaign_is_an_unknown_entry<S: Store>(store: S) {
    let s = scene(&store).await;
    let other = seed::campaign(&store, "Other", CampaignStatus::Planned, vec![seed::pooled(&s.tank, 5)]).await;
    let foreign = ok(store.pool(other).await, "pool")[0].id();
    let event = seed::event(&store, s.campaign, s.mission, "Ambush", &[(s.tank_entry, -1)]).await;
    let before = snapshot(&store).await;
    let new = seed::new_event(s.mission, "Wrong pool", at(0), &[(s.tank_entry, -1), (foreign, -1)]);
    let result = store.record_event(&new, &created_event(s.campaign), None).await;
    ledger(result, LedgerError::UnknownEntry(foreign), "record_event(foreign entry)");
    let ghost = domain::PoolEntryId::new(seed::MISSING);
    let new = seed::new_event(s.mission, "No entry", at(0), &[(ghost, 1)]);
    let result = store.record_event(&new, &created_event(s.campaign), None).await;
    ledger(result, LedgerError::UnknownEntry(ghost), "record_event(missing entry)");
    let audit = seed::created(AuditAction::ChangeAdded, Some(s.campaign), ObjectKind::AssetChange);
    let result = store.add_change(event, &seed::change(foreign, 1), &audit, None).await;
    ledger(result, LedgerError::UnknownEntry(foreign), "add_change(foreign entry)");
    unchanged(&store, &before, "changes to foreign entries").await;
}

/// `add_change` applies one change; a refused one changes nothing.
pub async fn adding_a_change_applies_it_and_a_refused_one_changes_nothing<S: Store>(store: S) {
    let s = scene(&store).await;
    let event = seed::event(&store, s.campaign, s.mission, "Ambush", &[(s.tank_entry, -2)]).await;
    let count = audit_count(&store).await;
    let audit = seed::created(AuditAction::ChangeAdded, Some(s.campaign), ObjectKind::AssetChange);
    let change = seed::change(s.ammo_entry, -40);
    let id = ok(store.add_change(event, &change, &audit, None).await, "add_change");
    let entry = one_audit(&store, count, AuditAction::ChangeAdded, "add_change").await;
    assert_eq!(entry.entry.object.id, Some(id.get()), "a create fills in the new id");
    assert_eq!(current(&store, s.ammo_entry).await, 60);
    let stored = ok(store.change(id).await, "change").expect("the change exists");
    assert_eq!((stored.event_id, stored.pool_entry_id, stored.delta), (event, s.ammo_entry, change.delta));
    assert_eq!(stored.note, change.note);
    let event_read = read(&store, event).await;
    assert_eq!(event_read.changes.last(), Some(&stored), "the change joins its event, last");
    assert_eq!(event_read.changes.len(), 2);

    let before = snapshot(&store).await;
    let result = store.add_change(event, &seed::change(s.ammo_entry, -61), &audit, None).await;
    ledger(result, insufficient(AMMO, 60, 61), "add_change(-61 of 60)");
    let result = store.add_change(event, &seed::change(s.hq_entry, 1), &audit, None).await;
    ledger(result, unique_exceeded(HQ, 1, 1), "add_change(unique +1)");
    unchanged(&store, &before, "refused add_change").await;
}

/// Deleting a change reverses exactly its delta and nothing else.
pub async fn deleting_a_change_reverses_it_exactly<S: Store>(store: S) {
    let s = scene(&store).await;
    let changes = [(s.tank_entry, -3), (s.ammo_entry, 20), (s.tank_entry, -2)];
    let event = seed::event(&store, s.campaign, s.mission, "Ambush", &changes).await;
    let stored = read(&store, event).await.changes;
    let count = audit_count(&store).await;
    ok(store.delete_change(stored[0].id, &on_change(s.campaign, stored[0].id)).await, "delete");
    one_audit(&store, count, AuditAction::ChangeDeleted, "delete_change").await;
    assert_eq!(current(&store, s.tank_entry).await, 8, "10 - 3 - 2 + 3");
    assert_eq!(current(&store, s.ammo_entry).await, 120, "untouched");
    assert_eq!(ok(store.change(stored[0].id).await, "change"), None, "the change is gone");
    assert_eq!(read(&store, event).await.changes, stored[1..].to_vec(), "the others stay");
}

/// A change whose reversal would break the rule cannot be deleted.
pub async fn deleting_a_change_whose_reversal_breaks_the_rule_is_refused_and_changes_nothing<S: Store>(store: S) {
    let s = scene(&store).await;
    let m = s.mission;
    let gain = seed::event(&store, s.campaign, m, "Resupply", &[(s.ammo_entry, 30), (s.tank_entry, -1)]).await;
    seed::event(&store, s.campaign, m, "Spent", &[(s.ammo_entry, -125)]).await;
    let lost = seed::event(&store, s.campaign, m, "HQ lost", &[(s.hq_entry, -1)]).await;
    seed::event(&store, s.campaign, m, "HQ regained", &[(s.hq_entry, 1)]).await;
    let stored = [read(&store, gain).await.changes[0].clone(), read(&store, lost).await.changes[0].clone()];
    let before = snapshot(&store).await;
    let result = store.delete_change(stored[0].id, &on_change(s.campaign, stored[0].id)).await;
    ledger(result, insufficient(AMMO, 5, 30), "delete_change(+30 already spent)");
    let result = store.delete_change(stored[1].id, &on_change(s.campaign, stored[1].id)).await;
    ledger(result, unique_exceeded(HQ, 1, 1), "delete_change(unique loss, HQ regained)");
    let result = store.delete_event(gain, &on_event(s.campaign, gain)).await;
    ledger(result, insufficient(AMMO, 5, 30), "delete_event(+30 already spent)");
    unchanged(&store, &before, "refused reversals").await;
}

/// Deleting an event reverses each of its changes exactly, in one write.
pub async fn deleting_an_event_restores_the_pool_exactly<S: Store>(store: S) {
    let s = scene(&store).await;
    let kept = seed::event(&store, s.campaign, s.mission, "Kept", &[(s.tank_entry, -1)]).await;
    let changes = [(s.tank_entry, -4), (s.ammo_entry, 9), (s.hq_entry, -1), (s.ammo_entry, -2)];
    let gone = seed::event(&store, s.campaign, s.mission, "Gone", &changes).await;
    let gone_changes = read(&store, gone).await.changes;
    let kept_event = read(&store, kept).await;
    let count = audit_count(&store).await;
    ok(store.delete_event(gone, &on_event(s.campaign, gone)).await, "delete_event");
    one_audit(&store, count, AuditAction::EventDeleted, "delete_event").await;
    let quantities = [(s.tank_entry, 9), (s.ammo_entry, 100), (s.hq_entry, 1)];
    for (entry, want) in quantities {
        assert_eq!(current(&store, entry).await, want, "restored exactly");
    }
    assert_eq!(ok(store.event(gone).await, "event"), None, "the event is gone");
    for c in gone_changes {
        assert_eq!(ok(store.change(c.id).await, "change"), None, "its changes are gone");
    }
    assert_eq!(read(&store, kept).await, kept_event, "other events are untouched");
    assert!(ok(store.pool_entry_has_changes(s.tank_entry).await, "has_changes"));
    assert!(!ok(store.pool_entry_has_changes(s.hq_entry).await, "has_changes"));
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_ledger {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            ledger,
            $fresh,
            $tidy,
            [
                a_batch_with_one_failing_change_changes_nothing_at_all,
                deltas_to_one_entry_are_netted_before_the_rule_is_checked,
                a_unique_asset_above_one_or_a_quantity_above_the_maximum_is_rejected,
                a_change_to_an_entry_of_another_campaign_is_an_unknown_entry,
                adding_a_change_applies_it_and_a_refused_one_changes_nothing,
                deleting_a_change_reverses_it_exactly,
                deleting_a_change_whose_reversal_breaks_the_rule_is_refused_and_changes_nothing,
                deleting_an_event_restores_the_pool_exactly,
            ]
        );
    };
}
