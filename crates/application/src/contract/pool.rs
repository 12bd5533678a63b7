//! Contract of `PoolRepo`: adding assets, the initial quantity under the ledger rule,
//! visibility, removal, and the pool's order.

use super::check::{
    audit_count, conflict, current, entry, insufficient, ledger, not_found, ok, one_audit, snapshot, unchanged,
    unique_exceeded,
};
use super::scene::{HQ, TANK, scene};
use super::seed::{self, MISSING, about};
use crate::error::Conflict;
use crate::ports::Store;
use domain::{AssetKind, AuditAction, CampaignId, CampaignStatus, ObjectKind, PoolEntry, PoolEntryId, Quantity};

fn on_entry(action: AuditAction, campaign: CampaignId, id: PoolEntryId) -> domain::NewAuditEntry {
    about(action, Some(campaign), ObjectKind::PoolEntry, id.get())
}

fn quantity(n: u32) -> Quantity {
    Quantity::new(n).expect("quantity")
}

/// Adding skips assets the pool holds, returns only the new ids, in the order given.
pub async fn adding_pool_entries_skips_assets_the_pool_holds_and_returns_only_the_new_ids<S: Store>(store: S) {
    let s = scene(&store).await;
    let radio = seed::asset(&store, s.library, "Radio", AssetKind::Equipment, 5, false).await;
    let rifle = seed::asset(&store, s.library, "Rifle", AssetKind::Weapon, 40, false).await;
    let tank_before = entry(&store, s.tank_entry).await;
    let new = [seed::pooled(&s.tank, 99), seed::pooled(&radio, 6), seed::pooled(&rifle, 0)];
    let count = audit_count(&store).await;
    let entry_audit = seed::created(AuditAction::LibrarySynced, Some(s.campaign), ObjectKind::PoolEntry);
    let ids = ok(store.add_pool_entries(s.campaign, &new, &entry_audit, None).await, "add");
    one_audit(&store, count, AuditAction::LibrarySynced, "add_pool_entries").await;
    assert_eq!(ids.len(), 2, "only the two assets the pool lacked were added");
    for (id, (asset, initial)) in ids.iter().zip([(&radio, 6), (&rifle, 0)]) {
        let e = entry(&store, *id).await;
        assert_eq!(e.asset_id(), asset.id, "ids come back in the order given");
        assert_eq!(e.campaign_id(), s.campaign);
        assert_eq!((e.initial().get(), e.current().get()), (initial, initial));
    }
    assert_eq!(entry(&store, s.tank_entry).await, tank_before, "the held asset is untouched");
    assert_eq!(ok(store.pool(s.campaign).await, "pool").len(), 5);

    let spare = seed::asset(&store, s.library, "Spare", AssetKind::Other, 2, false).await;
    let count = audit_count(&store).await;
    let entry_audit = seed::created(AuditAction::PoolAssetAdded, Some(s.campaign), ObjectKind::PoolEntry);
    let one = [seed::pooled(&spare, 2)];
    let ids = ok(store.add_pool_entries(s.campaign, &one, &entry_audit, None).await, "add one");
    let audit = one_audit(&store, count, AuditAction::PoolAssetAdded, "add one").await;
    assert_eq!(audit.entry.object.id, ids.first().map(|id| id.get()), "one new id is filled in");

    let before = snapshot(&store).await;
    let ids = ok(store.add_pool_entries(s.campaign, &one, &entry_audit, None).await, "add again");
    assert_eq!(ids, vec![], "nothing new");
    unchanged(&store, &before, "adding only held assets writes nothing, not even audit").await;
}

/// A unique asset may not start above 1, whether imported with a campaign or later.
pub async fn a_unique_asset_cannot_enter_a_pool_with_more_than_one_and_nothing_changes<S: Store>(store: S) {
    let s = scene(&store).await;
    let flag = seed::asset(&store, s.library, "Flag", AssetKind::Other, 1, true).await;
    let before = snapshot(&store).await;
    let new = [seed::pooled(&s.ammo, 5), seed::pooled(&flag, 2)];
    let refused = ledger_unique("Flag");
    let entry_audit = seed::created(AuditAction::LibrarySynced, Some(s.campaign), ObjectKind::PoolEntry);
    let other = seed::new_campaign("Other", CampaignStatus::Planned, vec![seed::pooled(&flag, 2)]);
    let result = store.add_pool_entries(s.campaign, &new, &entry_audit, None).await;
    ledger(result, refused.clone(), "add_pool_entries(unique at 2)");
    let entry_audit = seed::created(AuditAction::CampaignCreated, None, ObjectKind::Campaign);
    let result = store.insert_campaign(&other, &entry_audit, None).await;
    ledger(result, refused, "insert_campaign(unique at 2)");
    unchanged(&store, &before, "a unique asset at 2").await;
}

fn ledger_unique(asset: &str) -> domain::LedgerError {
    unique_exceeded(asset, 0, 2)
}

/// A new initial quantity moves the current one by the same amount.
pub async fn setting_the_initial_quantity_shifts_the_current_one<S: Store>(store: S) {
    let s = scene(&store).await;
    seed::event(&store, s.campaign, s.mission, "Ambush", &[(s.tank_entry, -3)]).await;
    for (initial, expected_current) in [(15, 12), (3, 0), (10, 7)] {
        let count = audit_count(&store).await;
        let audit = on_entry(AuditAction::PoolInitialChanged, s.campaign, s.tank_entry);
        let step = format!("set_initial_quantity({initial})");
        let saved = ok(store.set_initial_quantity(s.tank_entry, quantity(initial), &audit).await, &step);
        one_audit(&store, count, AuditAction::PoolInitialChanged, &step).await;
        assert_eq!((saved.initial().get(), saved.current().get()), (initial, expected_current));
        assert_eq!(entry(&store, s.tank_entry).await, saved, "{step}: returns the saved entry");
    }
    let audit = on_entry(AuditAction::PoolInitialChanged, s.campaign, s.hq_entry);
    let saved = ok(store.set_initial_quantity(s.hq_entry, quantity(0), &audit).await, "hq to 0");
    assert_eq!((saved.initial().get(), saved.current().get()), (0, 0));
}

/// Lowering the start below what was lost, or a unique asset above 1, is refused.
pub async fn lowering_the_initial_quantity_below_what_was_lost_is_refused_and_changes_nothing<S: Store>(store: S) {
    let s = scene(&store).await;
    seed::event(&store, s.campaign, s.mission, "Ambush", &[(s.tank_entry, -7)]).await;
    let before = snapshot(&store).await;
    let audit = on_entry(AuditAction::PoolInitialChanged, s.campaign, s.tank_entry);
    let result = store.set_initial_quantity(s.tank_entry, quantity(5), &audit).await;
    ledger(result, insufficient(TANK, 3, 5), "initial 10 -> 5 with 7 lost");
    let audit = on_entry(AuditAction::PoolInitialChanged, s.campaign, s.hq_entry);
    let result = store.set_initial_quantity(s.hq_entry, quantity(2), &audit).await;
    ledger(result, unique_exceeded(HQ, 1, 1), "unique initial 1 -> 2");
    unchanged(&store, &before, "refused initial quantities").await;
    assert_eq!(current(&store, s.tank_entry).await, 3);
}

/// Visibility is per entry and per campaign.
pub async fn making_a_pool_entry_public_or_hidden_affects_only_that_entry<S: Store>(store: S) {
    let s = scene(&store).await;
    let other = seed::campaign(&store, "Other", CampaignStatus::Planned, vec![seed::pooled(&s.tank, 4)]).await;
    let other_pool = ok(store.pool(other).await, "pool");
    let pool_before = ok(store.pool(s.campaign).await, "pool");
    assert!(entry(&store, s.tank_entry).await.is_public(), "the tank starts public");
    let count = audit_count(&store).await;
    let audit = on_entry(AuditAction::PoolVisibilityChanged, s.campaign, s.tank_entry);
    ok(store.set_pool_entry_public(s.tank_entry, false, &audit).await, "hide");
    one_audit(&store, count, AuditAction::PoolVisibilityChanged, "hide").await;
    let expected: Vec<PoolEntry> = pool_before
        .iter()
        .cloned()
        .map(|mut e| {
            if e.id() == s.tank_entry {
                e.set_public(false);
            }
            e
        })
        .collect();
    assert_eq!(ok(store.pool(s.campaign).await, "pool"), expected, "only the tank changed");
    assert_eq!(ok(store.pool(other).await, "pool"), other_pool, "other campaigns are untouched");
    ok(store.set_pool_entry_public(s.hq_entry, true, &audit).await, "show the hidden HQ");
    assert!(entry(&store, s.hq_entry).await.is_public());
}

/// An entry that a change refers to stays; one without changes can be removed.
pub async fn a_pool_entry_with_changes_cannot_be_removed_but_one_without_can<S: Store>(store: S) {
    let s = scene(&store).await;
    seed::event(&store, s.campaign, s.mission, "Ambush", &[(s.tank_entry, -1)]).await;
    assert!(ok(store.pool_entry_has_changes(s.tank_entry).await, "has_changes"));
    assert!(!ok(store.pool_entry_has_changes(s.hq_entry).await, "has_changes"));
    let before = snapshot(&store).await;
    let audit = on_entry(AuditAction::PoolEntryRemoved, s.campaign, s.tank_entry);
    let result = store.remove_pool_entry(s.tank_entry, &audit).await;
    conflict(result, Conflict::InUse("the pool entry"), "remove_pool_entry(with changes)");
    unchanged(&store, &before, "removing an entry with changes").await;

    let count = audit_count(&store).await;
    let audit = on_entry(AuditAction::PoolEntryRemoved, s.campaign, s.hq_entry);
    ok(store.remove_pool_entry(s.hq_entry, &audit).await, "remove_pool_entry");
    one_audit(&store, count, AuditAction::PoolEntryRemoved, "remove_pool_entry").await;
    assert_eq!(ok(store.pool_entry(s.hq_entry).await, "pool_entry"), None, "it is gone");
    assert_eq!(ok(store.pool(s.campaign).await, "pool").len(), 2);
    assert!(!ok(store.asset_in_use(s.hq.id).await, "asset_in_use"), "the asset is free again");
}

/// `pool()` lists by kind (in `AssetKind::ALL` order) then asset name, byte order.
pub async fn the_pool_is_listed_by_kind_then_name<S: Store>(store: S) {
    let library = seed::library(&store, "Mixed").await;
    let mut pool = Vec::new();
    for (name, kind) in [
        ("rope", AssetKind::Other),
        ("Zodiac", AssetKind::Watercraft),
        ("Rope", AssetKind::Other),
        ("ammo", AssetKind::Supply),
        ("Wipeout", AssetKind::Aircraft),
        ("Hunter", AssetKind::Vehicle),
        ("GPS", AssetKind::Equipment),
        ("MX", AssetKind::Weapon),
        ("Ammo", AssetKind::Supply),
    ] {
        let asset = seed::asset(&store, library, name, kind, 1, false).await;
        pool.push(seed::pooled(&asset, 1));
    }
    let id = seed::campaign(&store, "Sorted", CampaignStatus::Planned, pool).await;
    let names: Vec<String> = ok(store.pool(id).await, "pool").iter().map(|e| e.asset_name().to_string()).collect();
    assert_eq!(
        names,
        ["Hunter", "Wipeout", "Zodiac", "MX", "GPS", "Ammo", "ammo", "Rope", "rope"],
        "pool() sorts by kind, then by name byte by byte"
    );
    assert!(ok(store.pool(CampaignId::new(MISSING)).await, "pool(missing)").is_empty());
}

/// Pool writes naming an entry or campaign that does not exist fail with `NotFound`.
pub async fn pool_writes_to_a_missing_entry_or_campaign_are_not_found<S: Store>(store: S) {
    let s = scene(&store).await;
    let spare = seed::asset(&store, s.library, "Spare", AssetKind::Other, 1, false).await;
    let before = snapshot(&store).await;
    let missing = PoolEntryId::new(MISSING);
    let audit = on_entry(AuditAction::PoolInitialChanged, s.campaign, missing);
    not_found(store.set_initial_quantity(missing, quantity(1), &audit).await, "set_initial");
    not_found(store.set_pool_entry_public(missing, true, &audit).await, "set_public");
    not_found(store.remove_pool_entry(missing, &audit).await, "remove_pool_entry");
    let new = [seed::pooled(&spare, 1)];
    let audit = seed::created(AuditAction::PoolAssetAdded, None, ObjectKind::PoolEntry);
    let result = store.add_pool_entries(CampaignId::new(MISSING), &new, &audit, None).await;
    not_found(result, "add_pool_entries(missing campaign)");
    unchanged(&store, &before, "pool writes to missing objects").await;
    assert_eq!(ok(store.pool_entry(missing).await, "pool_entry(missing)"), None);
    assert!(!ok(store.pool_entry_has_changes(missing).await, "has_changes(missing)"));
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_pool {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            pool,
            $fresh,
            $tidy,
            [
                adding_pool_entries_skips_assets_the_pool_holds_and_returns_only_the_new_ids,
                a_unique_asset_cannot_enter_a_pool_with_more_than_one_and_nothing_changes,
                setting_the_initial_quantity_shifts_the_current_one,
                lowering_the_initial_quantity_below_what_was_lost_is_refused_and_changes_nothing,
                making_a_pool_entry_public_or_hidden_affects_only_that_entry,
                a_pool_entry_with_changes_cannot_be_removed_but_one_without_can,
                the_pool_is_listed_by_kind_then_name,
                pool_writes_to_a_missing_entry_or_campaign_are_not_found,
            ]
        );
    };
}
