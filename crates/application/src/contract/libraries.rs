//! Contract of `LibraryRepo`: libraries and assets read back and list sorted, names
//! are unique (asset names within their library), a library created with assets is
//! one all-or-nothing write, deletes cascade to assets and are
//! refused while a pool uses them, and copying skips names already present.

use super::check::{audit_count, conflict, not_found, ok, one_audit, snapshot, unchanged};
use super::scene::{TANK, scene};
use super::seed::{self, MISSING, about, spec};
use crate::error::Conflict;
use crate::ports::{LibrarySummary, Store};
use domain::{
    Asset, AssetId, AssetKind, AssetLibrary, AuditAction, CampaignStatus, Category, Description, LibraryId,
    LibraryName, ObjectKind,
};

fn on_library(action: AuditAction, id: LibraryId) -> domain::NewAuditEntry {
    about(action, None, ObjectKind::Library, id.get())
}

fn on_asset(action: AuditAction, id: AssetId) -> domain::NewAuditEntry {
    about(action, None, ObjectKind::Asset, id.get())
}

async fn summary<S: Store>(store: &S, id: LibraryId) -> LibrarySummary {
    ok(store.library(id).await, "library").unwrap_or_else(|| panic!("library {id} should exist"))
}

/// Libraries list by name and assets by kind then name, both byte by byte.
pub async fn libraries_and_assets_read_back_and_list_sorted<S: Store>(store: S) {
    let before = audit_count(&store).await;
    let entry = seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library);
    let bravo = ok(store.insert_library(&seed::new_library("Bravo"), &[], &entry, None).await, "insert");
    let audit = one_audit(&store, before, AuditAction::LibraryCreated, "insert_library").await;
    assert_eq!(audit.entry.object.id, Some(bravo.get()), "a create fills in the new id");
    seed::library(&store, "alpha").await;
    seed::library(&store, "Alpha").await;
    let names: Vec<String> =
        ok(store.libraries().await, "libraries").iter().map(|l| l.library.name.to_string()).collect();
    assert_eq!(names, ["Alpha", "Bravo", "alpha"], "libraries() sorts by name, byte order");

    let expected = LibrarySummary {
        library: AssetLibrary {
            id: bravo,
            name: LibraryName::parse("Bravo").expect("name"),
            description: seed::new_library("x").description,
            category: Category::parse("Modern").expect("category"),
            is_default: true,
        },
        asset_count: 0,
        in_use: false,
    };
    assert_eq!(summary(&store, bravo).await, expected, "library(id) reads back");
    let missing = ok(store.library(LibraryId::new(MISSING)).await, "library(missing)");
    assert_eq!(missing, None);

    let count = audit_count(&store).await;
    let entry = seed::created(AuditAction::AssetCreated, None, ObjectKind::Asset);
    let tank_spec = spec("Slammer", AssetKind::Vehicle, 4, false);
    let tank = ok(store.insert_asset(bravo, &tank_spec, &entry, None).await, "insert_asset");
    let audit = one_audit(&store, count, AuditAction::AssetCreated, "insert_asset").await;
    assert_eq!(audit.entry.object.id, Some(tank.get()), "a create fills in the new id");
    let read = ok(store.asset(tank).await, "asset").expect("the asset exists");
    assert_eq!(read, Asset { id: tank, library_id: bravo, spec: tank_spec });
    assert_eq!(ok(store.asset(AssetId::new(MISSING)).await, "asset(missing)"), None);

    for (name, kind) in [
        ("crate", AssetKind::Supply),
        ("Hunter", AssetKind::Vehicle),
        ("AH-99", AssetKind::Aircraft),
        ("Boat", AssetKind::Watercraft),
        ("Antenna", AssetKind::Other),
        ("Crate", AssetKind::Supply),
        ("ammo", AssetKind::Vehicle),
        ("Medkit", AssetKind::Medical),
        ("Radio", AssetKind::Communication),
        ("Magazines", AssetKind::Ammunition),
    ] {
        seed::asset(&store, bravo, name, kind, 1, false).await;
    }
    let names: Vec<String> =
        ok(store.assets(bravo).await, "assets").iter().map(|a| a.spec.name().to_string()).collect();
    assert_eq!(
        names,
        ["Hunter", "Slammer", "ammo", "AH-99", "Boat", "Magazines", "Radio", "Medkit", "Crate", "crate", "Antenna"],
        "assets() sorts by kind (Vehicle, Aircraft, Watercraft, Weapon, Ammunition, Equipment, \
         Communication, Medical, Supply, Other) then name, byte order"
    );
    assert_eq!(summary(&store, bravo).await.asset_count, 11, "asset_count");
    assert!(ok(store.assets(LibraryId::new(MISSING)).await, "assets(missing)").is_empty());
}

/// Two libraries may not share a name, on insert or on update.
pub async fn a_duplicate_library_name_is_refused_and_changes_nothing<S: Store>(store: S) {
    seed::library(&store, "NATO").await;
    let csat = seed::library(&store, "CSAT").await;
    let before = snapshot(&store).await;
    let entry = seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library);
    let result = store.insert_library(&seed::new_library("NATO"), &[], &entry, None).await;
    conflict(result, Conflict::DuplicateLibraryName, "insert_library(NATO)");
    let mut renamed = summary(&store, csat).await.library;
    renamed.name = LibraryName::parse("NATO").expect("name");
    let result = store.update_library(&renamed, &on_library(AuditAction::LibraryUpdated, csat)).await;
    conflict(result, Conflict::DuplicateLibraryName, "update_library(CSAT -> NATO)");
    unchanged(&store, &before, "duplicate library names").await;
}

/// A library created with its assets reads back with them, from one write with one
/// audit entry naming the new library.
pub async fn a_library_created_with_assets_reads_back_with_them_and_one_audit_entry<S: Store>(store: S) {
    let count = audit_count(&store).await;
    let specs = [
        spec("Marshall", AssetKind::Vehicle, 2, false),
        spec("Mobile HQ", AssetKind::Other, 1, true),
        spec("Hunter", AssetKind::Vehicle, 3, false),
    ];
    let entry = seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library);
    let nato = ok(store.insert_library(&seed::new_library("NATO"), &specs, &entry, None).await, "insert with assets");
    let audit = one_audit(&store, count, AuditAction::LibraryCreated, "insert_library with assets").await;
    assert_eq!(audit.entry.object.id, Some(nato.get()), "the one entry names the new library");
    let assets = ok(store.assets(nato).await, "assets");
    let read: Vec<_> = assets.iter().map(|a| a.spec.clone()).collect();
    assert_eq!(read, [specs[2].clone(), specs[0].clone(), specs[1].clone()], "the assets read back, sorted");
    for asset in &assets {
        assert_eq!(asset.library_id, nato, "each asset is in the new library");
        assert_eq!(ok(store.asset(asset.id).await, "asset").as_ref(), Some(asset), "asset(id) reads back");
    }
    assert_eq!(summary(&store, nato).await.asset_count, 3, "asset_count");
}

/// A batch naming one asset twice is refused whole: no library, no assets, no audit
/// entry, and its idempotency key stays free.
pub async fn a_library_whose_assets_repeat_a_name_is_refused_and_nothing_is_written<S: Store>(store: S) {
    seed::library(&store, "CSAT").await;
    let before = snapshot(&store).await;
    let specs = [
        spec("Hunter", AssetKind::Vehicle, 3, false),
        spec("Marshall", AssetKind::Vehicle, 2, false),
        spec("Hunter", AssetKind::Aircraft, 1, true),
    ];
    let entry = seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library);
    let k = seed::key("library-with-assets");
    for key in [None, Some(&k)] {
        let result = store.insert_library(&seed::new_library("NATO"), &specs, &entry, key).await;
        conflict(result, Conflict::DuplicateAssetName, "insert_library(Hunter twice)");
    }
    unchanged(&store, &before, "a library whose assets repeat a name").await;
    let fresh = ok(store.insert_library(&seed::new_library("NATO"), &specs[..2], &entry, Some(&k)).await, "retry");
    assert_eq!(summary(&store, fresh).await.asset_count, 2, "the corrected batch is written, key and all");
}

/// Asset names are unique within a library but may repeat across libraries.
pub async fn a_duplicate_asset_name_is_refused_within_a_library_but_allowed_in_another<S: Store>(store: S) {
    let nato = seed::library(&store, "NATO").await;
    let csat = seed::library(&store, "CSAT").await;
    seed::asset(&store, nato, "Hunter", AssetKind::Vehicle, 3, false).await;
    let other = seed::asset(&store, nato, "Marshall", AssetKind::Vehicle, 3, false).await;
    let before = snapshot(&store).await;
    let entry = seed::created(AuditAction::AssetCreated, None, ObjectKind::Asset);
    let hunter = spec("Hunter", AssetKind::Aircraft, 1, true);
    let result = store.insert_asset(nato, &hunter, &entry, None).await;
    conflict(result, Conflict::DuplicateAssetName, "insert_asset(Hunter) twice");
    let renamed = Asset { spec: spec("Hunter", AssetKind::Vehicle, 3, false), ..other.clone() };
    let result = store.update_asset(&renamed, &on_asset(AuditAction::AssetUpdated, other.id)).await;
    conflict(result, Conflict::DuplicateAssetName, "update_asset(Marshall -> Hunter)");
    unchanged(&store, &before, "duplicate asset names").await;

    let id = ok(store.insert_asset(csat, &hunter, &entry, None).await, "Hunter in CSAT");
    assert_eq!(ok(store.asset(id).await, "asset").map(|a| a.library_id), Some(csat));
}

/// Edits read back; an asset stays in its library and pools keep their copies.
pub async fn updating_a_library_and_an_asset_round_trips_and_leaves_pools_alone<S: Store>(store: S) {
    let s = scene(&store).await;
    let other = seed::library(&store, "CSAT").await;
    let library = AssetLibrary {
        id: s.library,
        name: LibraryName::parse("NATO (Apex)").expect("name"),
        description: Description::parse("Apex DLC\nand more").expect("text"),
        category: Category::parse("Near future").expect("category"),
        is_default: false,
    };
    let count = audit_count(&store).await;
    let entry = on_library(AuditAction::LibraryUpdated, s.library);
    ok(store.update_library(&library, &entry).await, "update_library");
    one_audit(&store, count, AuditAction::LibraryUpdated, "update_library").await;
    assert_eq!(summary(&store, s.library).await.library, library, "the library reads back");

    let pool_before = ok(store.pool(s.campaign).await, "pool");
    let edited = Asset { id: s.tank.id, library_id: other, spec: spec("M2A4 Slammer UP", AssetKind::Weapon, 0, true) };
    let count = audit_count(&store).await;
    let entry = on_asset(AuditAction::AssetUpdated, s.tank.id);
    ok(store.update_asset(&edited, &entry).await, "update_asset");
    one_audit(&store, count, AuditAction::AssetUpdated, "update_asset").await;
    let read = ok(store.asset(s.tank.id).await, "asset").expect("the asset exists");
    assert_eq!(read.spec, edited.spec, "the asset's fields read back");
    assert_eq!(read.library_id, s.library, "update_asset never moves an asset to another library");
    let pool_after = ok(store.pool(s.campaign).await, "pool");
    assert_eq!(pool_after, pool_before, "pools keep the name, kind and flags copied at import");
    assert!(pool_after.iter().any(|e| e.asset_name().as_str() == TANK));
}

/// Deleting a library deletes its assets with it.
pub async fn deleting_a_library_deletes_its_assets<S: Store>(store: S) {
    let nato = seed::library(&store, "NATO").await;
    let keep = seed::library(&store, "CSAT").await;
    let hunter = seed::asset(&store, nato, "Hunter", AssetKind::Vehicle, 3, false).await;
    let ifrit = seed::asset(&store, keep, "Ifrit", AssetKind::Vehicle, 3, false).await;
    let count = audit_count(&store).await;
    ok(store.delete_library(nato, &on_library(AuditAction::LibraryDeleted, nato)).await, "delete");
    one_audit(&store, count, AuditAction::LibraryDeleted, "delete_library").await;
    assert_eq!(ok(store.library(nato).await, "library"), None, "the library is gone");
    assert_eq!(ok(store.asset(hunter.id).await, "asset"), None, "its asset is gone");
    assert!(ok(store.assets(nato).await, "assets").is_empty());
    assert_eq!(ok(store.asset(ifrit.id).await, "asset"), Some(ifrit), "others are kept");
    let count = audit_count(&store).await;
    let hunter_again = seed::asset(&store, keep, "Hunter", AssetKind::Vehicle, 1, false).await;
    ok(
        store.delete_asset(hunter_again.id, &on_asset(AuditAction::AssetDeleted, hunter_again.id)).await,
        "delete_asset",
    );
    assert_eq!(audit_count(&store).await, count + 2, "insert and delete each wrote one entry");
    assert_eq!(ok(store.asset(hunter_again.id).await, "asset"), None, "the asset is gone");
}

/// A library or asset that a pool holds cannot be deleted, and nothing changes.
pub async fn a_library_or_asset_used_by_a_pool_cannot_be_deleted_and_nothing_changes<S: Store>(store: S) {
    let s = scene(&store).await;
    let before = snapshot(&store).await;
    let entry = on_library(AuditAction::LibraryDeleted, s.library);
    let result = store.delete_library(s.library, &entry).await;
    conflict(result, Conflict::InUse("the library"), "delete_library(in use)");
    let entry = on_asset(AuditAction::AssetDeleted, s.tank.id);
    let result = store.delete_asset(s.tank.id, &entry).await;
    conflict(result, Conflict::InUse("the asset"), "delete_asset(in use)");
    unchanged(&store, &before, "deleting what a pool uses").await;
}

/// `asset_in_use` and the library summary tell whether a pool holds an asset.
pub async fn asset_in_use_and_library_summaries_report_pool_use<S: Store>(store: S) {
    let nato = seed::library(&store, "NATO").await;
    let csat = seed::library(&store, "CSAT").await;
    let hunter = seed::asset(&store, nato, "Hunter", AssetKind::Vehicle, 3, false).await;
    let marshall = seed::asset(&store, nato, "Marshall", AssetKind::Vehicle, 2, false).await;
    seed::asset(&store, csat, "Ifrit", AssetKind::Vehicle, 2, false).await;
    assert!(!ok(store.asset_in_use(hunter.id).await, "asset_in_use"));
    assert!(!summary(&store, nato).await.in_use);
    seed::campaign(&store, "Op", CampaignStatus::Planned, vec![seed::pooled(&hunter, 3)]).await;
    assert!(ok(store.asset_in_use(hunter.id).await, "asset_in_use"), "a pooled asset is in use");
    assert!(!ok(store.asset_in_use(marshall.id).await, "asset_in_use"), "the other is not");
    assert!(!ok(store.asset_in_use(AssetId::new(MISSING)).await, "asset_in_use(missing)"));
    let nato_summary = summary(&store, nato).await;
    assert_eq!((nato_summary.asset_count, nato_summary.in_use), (2, true), "NATO summary");
    let csat_summary = summary(&store, csat).await;
    assert_eq!((csat_summary.asset_count, csat_summary.in_use), (1, false), "CSAT summary");
    let listed = ok(store.libraries().await, "libraries");
    assert_eq!(listed, vec![csat_summary, nato_summary], "libraries() holds the same summaries");
}

/// Copying adds the specs whose names the library lacks and counts them.
pub async fn copying_assets_skips_names_the_library_has_and_returns_the_count<S: Store>(store: S) {
    let target = seed::library(&store, "Mine").await;
    let kept = seed::asset(&store, target, "Hunter", AssetKind::Vehicle, 3, false).await;
    let specs = [
        spec("Hunter", AssetKind::Aircraft, 9, false),
        spec("Marshall", AssetKind::Vehicle, 2, false),
        spec("Mobile HQ", AssetKind::Vehicle, 1, true),
        spec("Marshall", AssetKind::Weapon, 7, false),
    ];
    let count = audit_count(&store).await;
    let entry = on_library(AuditAction::AssetsCopied, target);
    let added = ok(store.copy_assets(target, &specs, &entry).await, "copy_assets");
    assert_eq!(added, 2, "two names were new (a name repeated in the batch counts once)");
    one_audit(&store, count, AuditAction::AssetsCopied, "copy_assets").await;
    let assets = ok(store.assets(target).await, "assets");
    let specs_read: Vec<_> = assets.iter().map(|a| a.spec.clone()).collect();
    let expected = vec![kept.spec.clone(), specs[1].clone(), specs[2].clone()];
    assert_eq!(specs_read, expected, "the library's own asset stays; the first of a repeated name wins");
    assert!(assets.iter().all(|a| a.library_id == target));
    let again = ok(store.copy_assets(target, &specs, &entry).await, "copy_assets again");
    assert_eq!(again, 0, "nothing new the second time");

    let before = snapshot(&store).await;
    let result = store.copy_assets(LibraryId::new(MISSING), &specs, &entry).await;
    not_found(result, "copy_assets(missing library)");
    unchanged(&store, &before, "copying into a missing library").await;
}

/// Writes naming a library or asset that does not exist fail with `NotFound`.
pub async fn writes_to_a_missing_library_or_asset_are_not_found_and_change_nothing<S: Store>(store: S) {
    let nato = seed::library(&store, "NATO").await;
    let hunter = seed::asset(&store, nato, "Hunter", AssetKind::Vehicle, 3, false).await;
    let before = snapshot(&store).await;
    let missing = LibraryId::new(MISSING);
    let mut ghost = summary(&store, nato).await.library;
    ghost.id = missing;
    ghost.name = LibraryName::parse("Ghost").expect("name");
    let entry = on_library(AuditAction::LibraryUpdated, missing);
    not_found(store.update_library(&ghost, &entry).await, "update_library(missing)");
    not_found(store.delete_library(missing, &entry).await, "delete_library(missing)");
    let new = spec("Wraith", AssetKind::Vehicle, 1, false);
    let created = seed::created(AuditAction::AssetCreated, None, ObjectKind::Asset);
    not_found(store.insert_asset(missing, &new, &created, None).await, "insert_asset(missing)");
    let ghost_asset = Asset { id: AssetId::new(MISSING), spec: new, ..hunter };
    let entry = on_asset(AuditAction::AssetUpdated, ghost_asset.id);
    not_found(store.update_asset(&ghost_asset, &entry).await, "update_asset(missing)");
    not_found(store.delete_asset(ghost_asset.id, &entry).await, "delete_asset(missing)");
    unchanged(&store, &before, "writes to missing libraries and assets").await;
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_libraries {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            libraries,
            $fresh,
            $tidy,
            [
                libraries_and_assets_read_back_and_list_sorted,
                a_duplicate_library_name_is_refused_and_changes_nothing,
                a_library_created_with_assets_reads_back_with_them_and_one_audit_entry,
                a_library_whose_assets_repeat_a_name_is_refused_and_nothing_is_written,
                a_duplicate_asset_name_is_refused_within_a_library_but_allowed_in_another,
                updating_a_library_and_an_asset_round_trips_and_leaves_pools_alone,
                deleting_a_library_deletes_its_assets,
                a_library_or_asset_used_by_a_pool_cannot_be_deleted_and_nothing_changes,
                asset_in_use_and_library_summaries_report_pool_use,
                copying_assets_skips_names_the_library_has_and_returns_the_count,
                writes_to_a_missing_library_or_asset_are_not_found_and_change_nothing,
            ]
        );
    };
}
