//! Adding one asset to a pool.

use super::{invalid_fields, nato};
use crate::error::{Conflict, UseCaseError};
use crate::testing::add_asset;
use crate::testing::{audit_actions, entry_named, fixture, pool_of, seed_campaign};
use domain::{AuditAction, CampaignStatus};

#[tokio::test]
async fn adding_one_asset_uses_its_default_or_the_quantity_given() {
    let f = fixture().await;
    let (_, assets) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[]).await;

    let hunter = f.t.add_pool_asset(&f.manager, id, add_asset(assets[0], " ", None)).await.expect("default");
    f.t.add_pool_asset(&f.manager, id, add_asset(assets[2], "25", None)).await.expect("given");

    let pool = pool_of(&f.t, id).await;
    assert_eq!(entry_named(&pool, "Hunter").id(), hunter);
    assert_eq!(entry_named(&pool, "Hunter").initial().get(), 4);
    assert_eq!(entry_named(&pool, "Titan AT").current().get(), 25);
    let last = f.t.store.audit_entries().pop().expect("audited").entry;
    assert_eq!((last.action, last.details.as_str()), (AuditAction::PoolAssetAdded, "added Titan AT x25 to the pool"));
}

#[tokio::test]
async fn an_asset_is_added_to_a_pool_once() {
    let f = fixture().await;
    let (lib, assets) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[lib]).await;
    let before = audit_actions(&f.t);

    let again = f.t.add_pool_asset(&f.admin, id, add_asset(assets[0], "", None)).await;
    assert!(matches!(again, Err(UseCaseError::Conflict(Conflict::AlreadyInPool))));

    assert_eq!(pool_of(&f.t, id).await.len(), 3);
    assert_eq!(audit_actions(&f.t), before);
}

#[tokio::test]
async fn a_double_submitted_add_records_once() {
    let f = fixture().await;
    let (_, assets) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[]).await;

    let first =
        f.t.add_pool_asset(&f.manager, id, add_asset(assets[0], "", Some("add-hunter-1"))).await.expect("first");
    let again = f.t.add_pool_asset(&f.manager, id, add_asset(assets[0], "", Some("add-hunter-1"))).await;
    let other_key = f.t.add_pool_asset(&f.manager, id, add_asset(assets[0], "", Some("add-hunter-2"))).await;

    assert_eq!(again.expect("the retry answers with the first entry"), first);
    assert!(matches!(other_key, Err(UseCaseError::Conflict(Conflict::AlreadyInPool))));
    assert_eq!(pool_of(&f.t, id).await.len(), 1);
    let adds = audit_actions(&f.t).into_iter().filter(|a| *a == AuditAction::PoolAssetAdded).count();
    assert_eq!(adds, 1);
}

#[tokio::test]
async fn a_bad_initial_quantity_is_reported_and_adds_nothing() {
    let f = fixture().await;
    let (_, assets) = nato(&f).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[]).await;
    let before = audit_actions(&f.t);

    let unique_two = f.t.add_pool_asset(&f.admin, id, add_asset(assets[1], "2", None)).await;
    assert_eq!(invalid_fields(unique_two), ["initial"]);
    assert_eq!(invalid_fields(f.t.add_pool_asset(&f.admin, id, add_asset(assets[0], "-1", None)).await), ["initial"]);
    assert_eq!(invalid_fields(f.t.add_pool_asset(&f.admin, id, add_asset(assets[0], "many", None)).await), ["initial"]);
    assert_eq!(
        invalid_fields(f.t.add_pool_asset(&f.admin, id, add_asset(assets[0], "1", Some("bad key"))).await),
        ["idempotency_key"]
    );

    assert!(pool_of(&f.t, id).await.is_empty());
    assert_eq!(audit_actions(&f.t), before);
}
