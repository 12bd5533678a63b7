//! Tests of the pool use cases: viewing a pool, importing and syncing a library, and
//! who may change a pool. Adding one asset is tested in `tests/add.rs`, changes to one
//! entry in `tests/entry.rs`.

mod add;
mod entry;

use crate::error::{UseCaseError, UseCaseResult};
use crate::ports::LibraryRepo;
use crate::testing::{Fixture, anonymous, audit_actions, entry_named, fixture, pool_of, seed_campaign, seed_library};
use crate::testing::{add_asset, import, sync};
use domain::{
    AssetId, AssetKind, AssetName, AssetSpec, AuditAction, CampaignStatus, Category, Description, LibraryId,
    NewAuditEntry, ObjectKind, ObjectRef, Quantity,
};
use std::fmt::Debug;

/// The fields an `Invalid` error names; fails the test on any other outcome.
pub(super) fn invalid_fields<T: Debug>(result: UseCaseResult<T>) -> Vec<&'static str> {
    match result {
        Err(UseCaseError::Invalid(errors)) => errors.fields().iter().map(|e| e.path.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

/// A library "NATO" with a plain vehicle (4), a unique aircraft (1) and a weapon (10).
async fn nato(f: &Fixture) -> (LibraryId, Vec<AssetId>) {
    let assets = [
        ("Hunter", AssetKind::Vehicle, 4, false),
        ("Blackfoot", AssetKind::Aircraft, 1, true),
        ("Titan AT", AssetKind::Weapon, 10, false),
    ];
    seed_library(&f.t, "NATO", &assets).await
}

/// Adds a public asset to a library straight through the store.
async fn add_to_library(f: &Fixture, library: LibraryId, name: &str, quantity: u32) -> AssetId {
    let spec = AssetSpec::new(
        AssetName::parse(name).expect("valid"),
        AssetKind::Vehicle,
        Category::parse("").expect("valid"),
        Description::empty(),
        Quantity::new(quantity).expect("valid"),
        false,
        true,
    )
    .expect("valid spec");
    let audit = NewAuditEntry {
        at: crate::ports::Clock::now(&f.t.clock),
        actor_id: None,
        actor_name: "system".into(),
        action: AuditAction::AssetCreated,
        campaign_id: None,
        object: ObjectRef::created(ObjectKind::Asset),
        details: "added by a test".into(),
    };
    f.t.store.insert_asset(library, &spec, &audit, None).await.expect("asset added")
}

fn names(pool: &[domain::PoolEntry]) -> Vec<&str> {
    pool.iter().map(|e| e.asset_name().as_str()).collect()
}

#[tokio::test]
async fn importing_a_library_adds_its_assets_at_their_defaults_and_skips_those_held() {
    let f = fixture().await;
    let (lib, assets) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[]).await;
    f.t.add_pool_asset(&f.manager, id, add_asset(assets[0], "7", None)).await.expect("one asset first");

    let added = f.t.import_library(&f.manager, id, import(lib, None)).await.expect("imported");

    assert_eq!(added, 2);
    let pool = pool_of(&f.t, id).await;
    assert_eq!(names(&pool), ["Hunter", "Blackfoot", "Titan AT"]);
    assert_eq!(entry_named(&pool, "Hunter").initial().get(), 7);
    assert_eq!(entry_named(&pool, "Titan AT").current().get(), 10);
    assert!(entry_named(&pool, "Blackfoot").is_unique());
    let last = f.t.store.audit_entries().pop().expect("audited").entry;
    assert_eq!(last.action, AuditAction::LibraryImported);
    assert_eq!(last.campaign_id, Some(id));
    assert_eq!(last.details, "imported library NATO: 2 assets added (Blackfoot, Titan AT)");
}

#[tokio::test]
async fn a_repeated_import_with_the_same_key_answers_the_same_and_records_once() {
    let f = fixture().await;
    let (lib, _) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Planned, &[]).await;

    let first = f.t.import_library(&f.admin, id, import(lib, Some("import-nato-1"))).await.expect("first");
    let again = f.t.import_library(&f.admin, id, import(lib, Some("import-nato-1"))).await.expect("replay");

    assert_eq!((first, again), (3, 3));
    assert_eq!(pool_of(&f.t, id).await.len(), 3);
    let imports = audit_actions(&f.t).into_iter().filter(|a| *a == AuditAction::LibraryImported).count();
    assert_eq!(imports, 1);
}

#[tokio::test]
async fn syncing_adds_only_the_assets_new_to_the_library_and_says_how_many() {
    let f = fixture().await;
    let (lib, _) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[lib]).await;
    add_to_library(&f, lib, "Marshall", 2).await;
    add_to_library(&f, lib, "Gorgon", 3).await;

    assert_eq!(f.t.sync_library(&f.manager, id, sync(lib)).await.expect("synced"), 2);

    let pool = pool_of(&f.t, id).await;
    assert_eq!(pool.len(), 5);
    assert_eq!(entry_named(&pool, "Marshall").current().get(), 2);
    assert_eq!(audit_actions(&f.t).last(), Some(&AuditAction::LibrarySynced));
    let before = audit_actions(&f.t);
    assert_eq!(f.t.sync_library(&f.manager, id, sync(lib)).await.expect("nothing new"), 0);
    assert_eq!(audit_actions(&f.t), before);
}

#[tokio::test]
async fn managers_change_only_the_active_pool_and_the_public_none() {
    let f = fixture().await;
    let (lib, assets) = nato(&f).await;
    let planned = seed_campaign(&f.t, "Planned", CampaignStatus::Planned, &[]).await;
    let before = audit_actions(&f.t);

    for actor in [&f.manager, &anonymous()] {
        assert!(matches!(f.t.import_library(actor, planned, import(lib, None)).await, Err(UseCaseError::Forbidden)));
        assert!(matches!(f.t.sync_library(actor, planned, sync(lib)).await, Err(UseCaseError::Forbidden)));
        let add = f.t.add_pool_asset(actor, planned, add_asset(assets[0], "", None)).await;
        assert!(matches!(add, Err(UseCaseError::Forbidden)));
    }
    assert!(matches!(f.t.pool(&anonymous(), planned).await, Err(UseCaseError::Forbidden)));
    assert!(pool_of(&f.t, planned).await.is_empty());
    assert_eq!(audit_actions(&f.t), before);

    assert_eq!(f.t.import_library(&f.admin, planned, import(lib, None)).await.expect("admins may"), 3);
    assert_eq!(f.t.pool(&f.manager, planned).await.expect("staff view any pool").len(), 3);
}

#[tokio::test]
async fn unknown_campaigns_libraries_and_assets_are_not_found() {
    let f = fixture().await;
    let (lib, _) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[]).await;
    let no_campaign = domain::CampaignId::new(9999);

    let r = f.t.import_library(&f.admin, no_campaign, import(lib, None)).await;
    assert!(matches!(r, Err(UseCaseError::NotFound("campaign"))));
    let r = f.t.sync_library(&f.admin, id, sync(LibraryId::new(9999))).await;
    assert!(matches!(r, Err(UseCaseError::NotFound("library"))));
    let r = f.t.add_pool_asset(&f.admin, id, add_asset(AssetId::new(9999), "", None)).await;
    assert!(matches!(r, Err(UseCaseError::NotFound("asset"))));
    assert!(matches!(f.t.pool(&f.admin, no_campaign).await, Err(UseCaseError::NotFound("campaign"))));
}

#[tokio::test]
async fn a_library_or_asset_not_chosen_is_invalid_on_its_field_and_writes_nothing() {
    use crate::pool::{AddPoolAsset, ImportLibrary, SyncLibrary};
    let f = fixture().await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[]).await;
    let before = audit_actions(&f.t);
    let no_library = ImportLibrary { library_id: " ".into(), idempotency_key: None };
    let r = f.t.import_library(&f.manager, id, no_library).await;
    assert!(
        matches!(&r, Err(UseCaseError::Invalid(e)) if e.message_for("library_id") == Some("choose a library to import"))
    );
    let r = f.t.sync_library(&f.manager, id, SyncLibrary { library_id: "nato".into() }).await;
    assert!(
        matches!(&r, Err(UseCaseError::Invalid(e)) if e.message_for("library_id") == Some("choose a library to sync"))
    );
    let r = f.t.add_pool_asset(&f.manager, id, AddPoolAsset::default()).await;
    assert!(matches!(&r, Err(UseCaseError::Invalid(e)) if e.message_for("asset_id") == Some("choose an asset to add")));
    assert_eq!(audit_actions(&f.t), before);
}

#[tokio::test]
async fn the_pool_page_says_who_may_change_the_pool_and_lists_what_can_be_added() {
    use crate::pool::PoolLock;
    use crate::testing::{anonymous, fixture, seed_campaign, seed_library};
    use domain::{AssetKind, CampaignStatus};

    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let active = seed_campaign(&f.t, "Active", CampaignStatus::Active, &[nato]).await;
    let planned = seed_campaign(&f.t, "Planned", CampaignStatus::Planned, &[]).await;

    let page = f.t.pool_page(&f.manager, active).await.expect("manager on the active campaign");
    assert_eq!((page.lock, page.pool.len()), (None, 1));
    assert_eq!(page.libraries.len(), 1);
    assert_eq!(page.libraries[0].1.len(), 1, "the library's assets, to add from");

    let page = f.t.pool_page(&f.manager, planned).await.expect("managers may look");
    assert_eq!(page.lock, Some(PoolLock::NotRunner));
    assert!(page.libraries[0].1.is_empty(), "nothing to add from a pool that cannot change");
    assert_eq!(f.t.pool_page(&f.admin, planned).await.expect("admin").lock, None);

    f.t.close_campaign(&f.admin, active).await.expect("close");
    assert_eq!(f.t.pool_page(&f.admin, active).await.expect("admin").lock, Some(PoolLock::Closed));
    assert!(matches!(f.t.pool_page(&anonymous(), active).await, Err(crate::error::UseCaseError::Forbidden)));
}
