//! Changes to one pool entry: initial quantity, visibility, removal.

use super::{invalid_fields, nato};
use crate::error::{Conflict, UseCaseError};
use crate::testing::{
    anonymous, audit_actions, entry_named, fixture, pool_of, seed_campaign, seed_event, seed_mission,
};
use crate::testing::{import, initial, public};
use domain::{AuditAction, CampaignStatus, LedgerError, PoolEntryId};

#[tokio::test]
async fn editing_the_initial_quantity_shifts_the_current_one_by_the_same_amount() {
    let f = fixture().await;
    let (lib, _) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[lib]).await;
    let hunter = entry_named(&pool_of(&f.t, id).await, "Hunter").id();
    let mission = seed_mission(&f.t, id, "Kavala").await;
    seed_event(&f.t, mission, "Ambush", &[(hunter, -1)]).await;

    let saved = f.t.set_initial_quantity(&f.manager, hunter, initial("6")).await.expect("raised");
    assert_eq!((saved.initial().get(), saved.current().get()), (6, 5));
    let saved = f.t.set_initial_quantity(&f.manager, hunter, initial("2")).await.expect("lowered");
    assert_eq!((saved.initial().get(), saved.current().get()), (2, 1));

    assert_eq!(&pool_of(&f.t, id).await[0], &saved);
    let last = f.t.store.audit_entries().pop().expect("audited").entry;
    assert_eq!(last.action, AuditAction::PoolInitialChanged);
    assert_eq!(last.details, "Hunter: initial 6 -> 2");
}

#[tokio::test]
async fn lowering_the_initial_quantity_below_what_was_lost_is_refused_and_changes_nothing() {
    let f = fixture().await;
    let (lib, _) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[lib]).await;
    let hunter = entry_named(&pool_of(&f.t, id).await, "Hunter").id();
    let mission = seed_mission(&f.t, id, "Kavala").await;
    seed_event(&f.t, mission, "Ambush", &[(hunter, -3)]).await;
    let before = (pool_of(&f.t, id).await, audit_actions(&f.t));

    let refused = f.t.set_initial_quantity(&f.admin, hunter, initial("2")).await;

    let expected = LedgerError::Insufficient { asset: "Hunter".into(), available: 1, requested: 2 };
    assert!(matches!(refused, Err(UseCaseError::Conflict(Conflict::Ledger(e))) if e == expected));
    assert_eq!((pool_of(&f.t, id).await, audit_actions(&f.t)), before);
}

#[tokio::test]
async fn a_unique_asset_cannot_start_with_two_and_quantities_must_be_numbers() {
    let f = fixture().await;
    let (lib, _) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[lib]).await;
    let pool = pool_of(&f.t, id).await;
    let blackfoot = entry_named(&pool, "Blackfoot").id();
    let hunter = entry_named(&pool, "Hunter").id();
    let before = audit_actions(&f.t);

    assert_eq!(invalid_fields(f.t.set_initial_quantity(&f.admin, blackfoot, initial("2")).await), ["initial"]);
    assert_eq!(invalid_fields(f.t.set_initial_quantity(&f.admin, hunter, initial("-4")).await), ["initial"]);
    assert_eq!(invalid_fields(f.t.set_initial_quantity(&f.admin, hunter, initial("")).await), ["initial"]);

    assert_eq!(pool_of(&f.t, id).await, pool);
    assert_eq!(audit_actions(&f.t), before);
    let same = f.t.set_initial_quantity(&f.admin, blackfoot, initial("1")).await.expect("unchanged is fine");
    assert_eq!(same.initial().get(), 1);
    assert_eq!(audit_actions(&f.t), before);
}

#[tokio::test]
async fn hiding_an_entry_affects_only_that_campaign() {
    let f = fixture().await;
    let (lib, assets) = nato(&f).await;
    let first = seed_campaign(&f.t, "First", CampaignStatus::Active, &[]).await;
    let second = seed_campaign(&f.t, "Second", CampaignStatus::Planned, &[]).await;
    f.t.import_library(&f.admin, first, import(lib, None)).await.expect("import into first");
    f.t.import_library(&f.admin, second, import(lib, None)).await.expect("import into second");
    let hunter = entry_named(&pool_of(&f.t, first).await, "Hunter").id();

    f.t.set_pool_entry_public(&f.manager, hunter, public(false)).await.expect("hidden");

    assert!(!entry_named(&pool_of(&f.t, first).await, "Hunter").is_public());
    assert!(entry_named(&pool_of(&f.t, second).await, "Hunter").is_public());
    let asset = crate::ports::LibraryRepo::asset(&f.t.store, assets[0]).await.expect("read").expect("exists");
    assert!(asset.spec.is_public());
    let last = f.t.store.audit_entries().pop().expect("audited").entry;
    assert_eq!((last.action, last.campaign_id), (AuditAction::PoolVisibilityChanged, Some(first)));

    let before = audit_actions(&f.t);
    f.t.set_pool_entry_public(&f.manager, hunter, public(false)).await.expect("already hidden");
    assert_eq!(audit_actions(&f.t), before);
    assert!(f.t.set_pool_entry_public(&f.manager, hunter, public(true)).await.expect("shown again"));
    assert!(entry_named(&pool_of(&f.t, first).await, "Hunter").is_public());
    let before = audit_actions(&f.t);
    let maybe = crate::pool::SetPoolEntryPublic { public: "maybe".into() };
    let refused = f.t.set_pool_entry_public(&f.manager, hunter, maybe).await;
    assert!(
        matches!(&refused, Err(UseCaseError::Invalid(e)) if e.message_for("public") == Some("must be true or false"))
    );
    assert_eq!(audit_actions(&f.t), before);
}

#[tokio::test]
async fn an_entry_is_removed_only_while_no_change_refers_to_it() {
    let f = fixture().await;
    let (lib, _) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[lib]).await;
    let pool = pool_of(&f.t, id).await;
    let (hunter, titan) = (entry_named(&pool, "Hunter").id(), entry_named(&pool, "Titan AT").id());
    let mission = seed_mission(&f.t, id, "Kavala").await;
    seed_event(&f.t, mission, "Ambush", &[(hunter, -1)]).await;
    let before = audit_actions(&f.t);

    let refused = f.t.remove_pool_entry(&f.manager, hunter).await;
    assert!(matches!(refused, Err(UseCaseError::Conflict(Conflict::InUse("the pool entry")))));
    assert_eq!(audit_actions(&f.t), before);

    f.t.remove_pool_entry(&f.manager, titan).await.expect("removed");
    let names: Vec<_> = pool_of(&f.t, id).await.iter().map(|e| e.asset_name().to_string()).collect();
    assert_eq!(names, ["Hunter", "Blackfoot"]);
    assert_eq!(audit_actions(&f.t).last(), Some(&AuditAction::PoolEntryRemoved));
}

#[tokio::test]
async fn entry_changes_are_checked_against_the_entry_s_own_campaign() {
    let f = fixture().await;
    let (lib, _) = nato(&f).await;
    let planned = seed_campaign(&f.t, "Planned", CampaignStatus::Planned, &[lib]).await;
    let hunter = entry_named(&pool_of(&f.t, planned).await, "Hunter").id();
    let before = (pool_of(&f.t, planned).await, audit_actions(&f.t));

    for actor in [&f.manager, &anonymous()] {
        let forbidden = |r: Result<(), UseCaseError>| matches!(r, Err(UseCaseError::Forbidden));
        assert!(forbidden(f.t.set_initial_quantity(actor, hunter, initial("6")).await.map(drop)));
        assert!(forbidden(f.t.set_pool_entry_public(actor, hunter, public(false)).await.map(drop)));
        assert!(forbidden(f.t.remove_pool_entry(actor, hunter).await));
    }
    assert_eq!((pool_of(&f.t, planned).await, audit_actions(&f.t)), before);

    let missing = PoolEntryId::new(9999);
    let r = f.t.set_pool_entry_public(&f.admin, missing, public(false)).await;
    assert!(matches!(r, Err(UseCaseError::NotFound("pool entry"))));
    assert!(matches!(
        f.t.set_pool_entry_public(&anonymous(), missing, public(false)).await,
        Err(UseCaseError::Forbidden)
    ));

    f.t.set_initial_quantity(&f.admin, hunter, initial("6")).await.expect("admins run planned campaigns");
    f.t.set_pool_entry_public(&f.admin, hunter, public(false)).await.expect("admin hides");
    f.t.remove_pool_entry(&f.admin, hunter).await.expect("admin removes");
    assert!(pool_of(&f.t, planned).await.iter().all(|e| e.asset_name().as_str() != "Hunter"));
}
