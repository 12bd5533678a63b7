//! Contract of idempotency keys on every create: a replay by the same actor for the
//! same action returns the first id(s) and writes nothing (whatever the repeated
//! request holds); the key with another action or another actor is refused; a create
//! that fails does not store its key.

use super::check::{
    Snapshot, audit_count, conflict, current, insufficient, ledger, ok, one_audit, snapshot, unchanged,
};
use super::scene::{AMMO, scene};
use super::seed::{self, at, by, created, key};
use crate::error::{Conflict, RepoResult};
use crate::ports::Store;
use domain::{AssetKind, AuditAction, CampaignStatus, IdempotencyKey, NewAuditEntry, ObjectKind, Role, UserId};
use std::fmt::Debug;

/// The replay returned the first id and the store is as the first request left it.
async fn replayed<S: Store, T: PartialEq + Debug>(
    store: &S,
    first: &T,
    again: RepoResult<T>,
    after_first: &Snapshot,
    step: &str,
) {
    let again = ok(again, step);
    assert_eq!(&again, first, "{step}: a replay returns what the first request created");
    unchanged(store, after_first, step).await;
}

/// Uses `key` for a create of another action (by the system): must be refused.
async fn refused_for_another_action<S: Store>(
    store: &S,
    key: &IdempotencyKey,
    used_for: AuditAction,
    after_first: &Snapshot,
) {
    let result = if used_for == AuditAction::LibraryCreated {
        let audit = created(AuditAction::UserCreated, None, ObjectKind::User);
        store.insert_user(&seed::new_user("keyed", Role::Manager), &audit, Some(key)).await.map(|_| ())
    } else {
        let audit = created(AuditAction::LibraryCreated, None, ObjectKind::Library);
        store.insert_library(&seed::new_library("Keyed"), &[], &audit, Some(key)).await.map(|_| ())
    };
    conflict(result, Conflict::IdempotencyKeyReused, "the key used for another action");
    unchanged(store, after_first, "a refused reuse of a key").await;
}

/// A seeded user to act as "another actor".
async fn other_actor<S: Store>(store: &S) -> UserId {
    seed::user(store, "other-actor", Role::Admin).await
}

fn other(actor: UserId, entry: &NewAuditEntry) -> NewAuditEntry {
    by(actor, "other-actor", entry.clone())
}

/// `insert_user` with a key records once, even though the repeat now clashes.
pub async fn replaying_insert_user_returns_the_first_id_and_writes_once<S: Store>(store: S) {
    let actor = other_actor(&store).await;
    let k = key("user-key-0001");
    let audit = created(AuditAction::UserCreated, None, ObjectKind::User);
    let count = audit_count(&store).await;
    let id = ok(store.insert_user(&seed::new_user("miller", Role::Manager), &audit, Some(&k)).await, "first");
    one_audit(&store, count, AuditAction::UserCreated, "first insert_user").await;
    let after = snapshot(&store).await;
    let again = store.insert_user(&seed::new_user("MILLER", Role::Admin), &audit, Some(&k)).await;
    replayed(&store, &id, again, &after, "replayed insert_user").await;
    let result = store.insert_user(&seed::new_user("smith", Role::Manager), &other(actor, &audit), Some(&k)).await;
    conflict(result, Conflict::IdempotencyKeyReused, "insert_user by another actor");
    refused_for_another_action(&store, &k, AuditAction::UserCreated, &after).await;
}

/// `insert_library` with a key records once.
pub async fn replaying_insert_library_returns_the_first_id_and_writes_once<S: Store>(store: S) {
    let actor = other_actor(&store).await;
    let k = key("library-key-01");
    let audit = created(AuditAction::LibraryCreated, None, ObjectKind::Library);
    let id = ok(store.insert_library(&seed::new_library("NATO"), &[], &audit, Some(&k)).await, "first");
    let after = snapshot(&store).await;
    let again = store.insert_library(&seed::new_library("NATO"), &[], &audit, Some(&k)).await;
    replayed(&store, &id, again, &after, "replayed insert_library").await;
    let result = store.insert_library(&seed::new_library("CSAT"), &[], &other(actor, &audit), Some(&k)).await;
    conflict(result, Conflict::IdempotencyKeyReused, "insert_library by another actor");
    refused_for_another_action(&store, &k, AuditAction::LibraryCreated, &after).await;
}

/// `insert_asset` with a key records once.
pub async fn replaying_insert_asset_returns_the_first_id_and_writes_once<S: Store>(store: S) {
    let actor = other_actor(&store).await;
    let library = seed::library(&store, "NATO").await;
    let k = key("asset-key-0001");
    let audit = created(AuditAction::AssetCreated, None, ObjectKind::Asset);
    let spec = seed::spec("Hunter", AssetKind::Vehicle, 3, false);
    let id = ok(store.insert_asset(library, &spec, &audit, Some(&k)).await, "first");
    let after = snapshot(&store).await;
    let other_spec = seed::spec("Marshall", AssetKind::Vehicle, 3, false);
    let again = store.insert_asset(library, &other_spec, &audit, Some(&k)).await;
    replayed(&store, &id, again, &after, "replayed insert_asset (another body)").await;
    let result = store.insert_asset(library, &other_spec, &other(actor, &audit), Some(&k)).await;
    conflict(result, Conflict::IdempotencyKeyReused, "insert_asset by another actor");
    refused_for_another_action(&store, &k, AuditAction::AssetCreated, &after).await;
}

/// `insert_campaign` with a key records once: one campaign, one pool.
pub async fn replaying_insert_campaign_returns_the_first_id_and_writes_once<S: Store>(store: S) {
    let actor = other_actor(&store).await;
    let library = seed::library(&store, "NATO").await;
    let tank = seed::asset(&store, library, "Tank", AssetKind::Vehicle, 3, false).await;
    let k = key("campaign-key-01");
    let audit = created(AuditAction::CampaignCreated, None, ObjectKind::Campaign);
    let new = seed::new_campaign("Arrowhead", CampaignStatus::Active, vec![seed::pooled(&tank, 3)]);
    let id = ok(store.insert_campaign(&new, &audit, Some(&k)).await, "first");
    let after = snapshot(&store).await;
    let again = store.insert_campaign(&new, &audit, Some(&k)).await;
    replayed(&store, &id, again, &after, "replayed insert_campaign").await;
    let result = store.insert_campaign(&new, &other(actor, &audit), Some(&k)).await;
    conflict(result, Conflict::IdempotencyKeyReused, "insert_campaign by another actor");
    refused_for_another_action(&store, &k, AuditAction::CampaignCreated, &after).await;
    assert_eq!(ok(store.pool(id).await, "pool").len(), 1, "one pool, not two");
}

/// `add_pool_entries` with a key adds once and replays the same ids; adding nothing
/// stores no key.
pub async fn replaying_add_pool_entries_returns_the_first_ids_and_writes_once<S: Store>(store: S) {
    let actor = other_actor(&store).await;
    let s = scene(&store).await;
    let radio = seed::asset(&store, s.library, "Radio", AssetKind::Equipment, 5, false).await;
    let gps = seed::asset(&store, s.library, "GPS", AssetKind::Equipment, 5, false).await;
    let k = key("pool-key-00001");
    let audit = created(AuditAction::LibrarySynced, Some(s.campaign), ObjectKind::PoolEntry);
    let new = [seed::pooled(&radio, 5), seed::pooled(&gps, 2)];
    let ids = ok(store.add_pool_entries(s.campaign, &new, &audit, Some(&k)).await, "first");
    assert_eq!(ids.len(), 2);
    let after = snapshot(&store).await;
    let again = store.add_pool_entries(s.campaign, &new, &audit, Some(&k)).await;
    replayed(&store, &ids, again, &after, "replayed add_pool_entries").await;
    let result = store.add_pool_entries(s.campaign, &new, &other(actor, &audit), Some(&k)).await;
    conflict(result, Conflict::IdempotencyKeyReused, "add_pool_entries by another actor");
    refused_for_another_action(&store, &k, AuditAction::LibrarySynced, &after).await;

    let unused = key("pool-key-nothing");
    let none = ok(store.add_pool_entries(s.campaign, &new, &audit, Some(&unused)).await, "again");
    assert_eq!(none, vec![], "nothing new to add");
    let lib_audit = created(AuditAction::LibraryCreated, None, ObjectKind::Library);
    let result = store.insert_library(&seed::new_library("Fresh"), &[], &lib_audit, Some(&unused)).await;
    ok(result, "a key whose create added nothing was not stored, so it is free");
}

/// `insert_mission` with a key records once: one mission, not two at the end.
pub async fn replaying_insert_mission_returns_the_first_id_and_writes_once<S: Store>(store: S) {
    let actor = other_actor(&store).await;
    let s = scene(&store).await;
    let k = key("mission-key-01");
    let audit = created(AuditAction::MissionCreated, Some(s.campaign), ObjectKind::Mission);
    let new = seed::new_mission(s.campaign, "Second");
    let id = ok(store.insert_mission(&new, &audit, Some(&k)).await, "first");
    let after = snapshot(&store).await;
    let again = store.insert_mission(&new, &audit, Some(&k)).await;
    replayed(&store, &id, again, &after, "replayed insert_mission").await;
    let result = store.insert_mission(&new, &other(actor, &audit), Some(&k)).await;
    conflict(result, Conflict::IdempotencyKeyReused, "insert_mission by another actor");
    refused_for_another_action(&store, &k, AuditAction::MissionCreated, &after).await;
}

/// `record_event` with a key moves the pool once, whatever the repeat holds.
pub async fn replaying_record_event_returns_the_first_id_and_moves_the_pool_once<S: Store>(store: S) {
    let actor = other_actor(&store).await;
    let s = scene(&store).await;
    let k = key("event-key-0001");
    let audit = created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    let new = seed::new_event(s.mission, "Ambush", at(0), &[(s.tank_entry, -4)]);
    let id = ok(store.record_event(&new, &audit, Some(&k)).await, "first");
    assert_eq!(current(&store, s.tank_entry).await, 6);
    let after = snapshot(&store).await;
    let again = store.record_event(&new, &audit, Some(&k)).await;
    replayed(&store, &id, again, &after, "replayed record_event").await;
    let bigger = seed::new_event(s.mission, "Ambush", at(0), &[(s.tank_entry, -9)]);
    let again = store.record_event(&bigger, &audit, Some(&k)).await;
    replayed(&store, &id, again, &after, "replayed record_event (a body that would fail)").await;
    let result = store.record_event(&new, &other(actor, &audit), Some(&k)).await;
    conflict(result, Conflict::IdempotencyKeyReused, "record_event by another actor");
    refused_for_another_action(&store, &k, AuditAction::EventCreated, &after).await;
}

/// `add_change` with a key applies once.
pub async fn replaying_add_change_returns_the_first_id_and_moves_the_pool_once<S: Store>(store: S) {
    let actor = other_actor(&store).await;
    let s = scene(&store).await;
    let event = seed::event(&store, s.campaign, s.mission, "Ambush", &[]).await;
    let k = key("change-key-001");
    let audit = created(AuditAction::ChangeAdded, Some(s.campaign), ObjectKind::AssetChange);
    let change = seed::change(s.ammo_entry, -30);
    let id = ok(store.add_change(event, &change, &audit, Some(&k)).await, "first");
    let after = snapshot(&store).await;
    let again = store.add_change(event, &change, &audit, Some(&k)).await;
    replayed(&store, &id, again, &after, "replayed add_change").await;
    let result = store.add_change(event, &change, &other(actor, &audit), Some(&k)).await;
    conflict(result, Conflict::IdempotencyKeyReused, "add_change by another actor");
    refused_for_another_action(&store, &k, AuditAction::ChangeAdded, &after).await;
    assert_eq!(current(&store, s.ammo_entry).await, 70, "applied once");
}

/// A create refused by the ledger stores nothing, its key included.
pub async fn a_failed_create_does_not_use_up_its_key<S: Store>(store: S) {
    let s = scene(&store).await;
    let k = key("retry-key-0001");
    let audit = created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    let before = snapshot(&store).await;
    let too_much = seed::new_event(s.mission, "Ambush", at(0), &[(s.ammo_entry, -150)]);
    let result = store.record_event(&too_much, &audit, Some(&k)).await;
    ledger(result, insufficient(AMMO, 100, 150), "record_event(-150 of 100)");
    unchanged(&store, &before, "a refused keyed create").await;
    let fixed = seed::new_event(s.mission, "Ambush", at(0), &[(s.ammo_entry, -50)]);
    let id = ok(store.record_event(&fixed, &audit, Some(&k)).await, "the corrected retry");
    assert_eq!(current(&store, s.ammo_entry).await, 50, "the retry was recorded, not replayed");
    let stored = ok(store.event(id).await, "event").expect("the retried event exists");
    assert_eq!(stored.changes[0].delta.get(), -50);
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_idempotency {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            idempotency,
            $fresh,
            $tidy,
            [
                replaying_insert_user_returns_the_first_id_and_writes_once,
                replaying_insert_library_returns_the_first_id_and_writes_once,
                replaying_insert_asset_returns_the_first_id_and_writes_once,
                replaying_insert_campaign_returns_the_first_id_and_writes_once,
                replaying_add_pool_entries_returns_the_first_ids_and_writes_once,
                replaying_insert_mission_returns_the_first_id_and_writes_once,
                replaying_record_event_returns_the_first_id_and_moves_the_pool_once,
                replaying_add_change_returns_the_first_id_and_moves_the_pool_once,
                a_failed_create_does_not_use_up_its_key,
            ]
        );
    };
}
