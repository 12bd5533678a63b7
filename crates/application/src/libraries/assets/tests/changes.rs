//! Tests of editing and deleting library assets.

use super::*;
use crate::testing::{anonymous, audit_actions, entry_named, fixture, pool_of, seed_campaign, seed_library};
use domain::CampaignStatus;

#[tokio::test]
async fn editing_an_asset_saves_its_fields_and_audits_what_changed() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let input = AssetInput { unique: true, public: false, ..asset_input("Hunter HMG", "Weapon", "1") };
    f.t.update_asset(&f.manager, ids[0], input).await.unwrap();
    let asset = f.t.store().asset(ids[0]).await.unwrap().unwrap();
    assert_eq!(asset.library_id, nato);
    assert_eq!(asset.spec.name().as_str(), "Hunter HMG");
    assert_eq!(asset.spec.kind(), AssetKind::Weapon);
    assert_eq!(asset.spec.default_quantity().get(), 1);
    assert!(asset.spec.is_unique());
    let entry = f.t.store().audit_entries().last().cloned().unwrap().entry;
    assert_eq!(entry.action, AuditAction::AssetUpdated);
    assert_eq!(entry.object, ObjectRef::existing(ObjectKind::Asset, ids[0].get()));
    for part in ["Hunter: renamed to Hunter HMG", "kind Vehicle -> Weapon", "default quantity 4 -> 1", "now unique"] {
        assert!(entry.details.contains(part), "{:?} lacks {part:?}", entry.details);
    }
}

#[tokio::test]
async fn saving_an_asset_unchanged_writes_no_audit_entry() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let input = asset_input("Hunter", "Vehicle", "4");
    let id = f.t.create_asset(&f.admin, nato, input.clone()).await.unwrap();
    let before = audit_actions(&f.t);
    f.t.update_asset(&f.admin, id, input).await.unwrap();
    assert_eq!(audit_actions(&f.t), before);
    assert_eq!(last_details(&f.t), "created asset Hunter (Vehicle) in NATO");
}

#[tokio::test]
async fn an_asset_edit_is_refused_for_the_public_for_bad_fields_and_for_a_missing_asset() {
    let f = fixture().await;
    let (_, ids) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let before = audit_actions(&f.t);
    let result = f.t.update_asset(&anonymous(), ids[0], asset_input("Hunter 2", "Vehicle", "4")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)), "{result:?}");
    let unique_two = AssetInput { unique: true, ..asset_input("Hunter", "Vehicle", "2") };
    assert_eq!(invalid_fields(f.t.update_asset(&f.admin, ids[0], unique_two).await), ["default_quantity"]);
    assert_eq!(
        invalid_fields(f.t.update_asset(&f.admin, ids[0], asset_input("Hunter", "Car", "x")).await),
        ["kind", "default_quantity"]
    );
    let result = f.t.update_asset(&f.admin, AssetId::new(999), asset_input("Hunter", "Vehicle", "4")).await;
    assert!(matches!(result, Err(UseCaseError::NotFound("asset"))), "{result:?}");
    assert_eq!(audit_actions(&f.t), before);
    assert_eq!(f.t.store().asset(ids[0]).await.unwrap().unwrap().spec.default_quantity().get(), 4);
}

#[tokio::test]
async fn renaming_an_asset_to_a_sibling_name_is_refused_but_another_library_name_is_fine() {
    let f = fixture().await;
    let assets = [("Hunter", AssetKind::Vehicle, 4, false), ("Slammer", AssetKind::Vehicle, 2, false)];
    let (_, ids) = seed_library(&f.t, "NATO", &assets).await;
    seed_library(&f.t, "CSAT", &[("Varsuk", AssetKind::Vehicle, 2, false)]).await;
    let before = audit_actions(&f.t);
    let result = f.t.update_asset(&f.admin, ids[0], asset_input("slammer", "Vehicle", "4")).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::DuplicateAssetName))), "{result:?}");
    assert_eq!(audit_actions(&f.t), before);
    f.t.update_asset(&f.admin, ids[0], asset_input("Varsuk", "Vehicle", "4")).await.unwrap();
    f.t.update_asset(&f.admin, ids[1], asset_input("SLAMMER", "Vehicle", "2")).await.unwrap();
    assert_eq!(f.t.store().asset(ids[1]).await.unwrap().unwrap().spec.name().as_str(), "SLAMMER");
}

#[tokio::test]
async fn editing_a_library_asset_does_not_change_a_campaign_pool_that_imported_it() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let campaign = seed_campaign(&f.t, "Op Arrowhead", CampaignStatus::Active, &[nato]).await;
    let pool_before = pool_of(&f.t, campaign).await;
    let input = AssetInput { category: "Scout car".to_owned(), ..asset_input("Hunter GMG", "Other", "1") };
    f.t.update_asset(&f.admin, ids[0], AssetInput { unique: true, ..input }).await.unwrap();
    let pool = pool_of(&f.t, campaign).await;
    assert_eq!(pool, pool_before);
    let entry = entry_named(&pool, "Hunter");
    assert_eq!(entry.kind(), AssetKind::Vehicle);
    assert!(!entry.is_unique());
    assert_eq!(entry.current().get(), 4);
}

#[tokio::test]
async fn deleting_an_unused_asset_removes_it() {
    let f = fixture().await;
    let (nato, ids) = seed_library(
        &f.t,
        "NATO",
        &[("Hunter", AssetKind::Vehicle, 4, false), ("Slammer", AssetKind::Vehicle, 2, false)],
    )
    .await;
    f.t.delete_asset(&f.admin, ids[0]).await.unwrap();
    f.t.delete_asset(&f.manager, ids[1]).await.unwrap();
    assert!(f.t.store().assets(nato).await.unwrap().is_empty());
    assert_eq!(audit_actions(&f.t).last(), Some(&AuditAction::AssetDeleted));
    assert_eq!(last_details(&f.t), "deleted asset Slammer from NATO");
}

#[tokio::test]
async fn an_asset_a_campaign_pool_holds_cannot_be_deleted() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    seed_campaign(&f.t, "Op Arrowhead", CampaignStatus::Planned, &[nato]).await;
    let before = audit_actions(&f.t);
    let result = f.t.delete_asset(&f.admin, ids[0]).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::InUse("the asset")))), "{result:?}");
    assert_eq!(audit_actions(&f.t), before);
    assert!(f.t.store().asset(ids[0]).await.unwrap().is_some());
}

#[tokio::test]
async fn an_asset_delete_is_refused_for_the_public_and_for_a_missing_asset() {
    let f = fixture().await;
    let (_, ids) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let before = audit_actions(&f.t);
    assert!(matches!(f.t.delete_asset(&anonymous(), ids[0]).await, Err(UseCaseError::Forbidden)));
    let result = f.t.delete_asset(&f.admin, AssetId::new(999)).await;
    assert!(matches!(result, Err(UseCaseError::NotFound("asset"))), "{result:?}");
    assert_eq!(audit_actions(&f.t), before);
    assert!(f.t.store().asset(ids[0]).await.unwrap().is_some());
}
