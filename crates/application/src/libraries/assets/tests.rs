//! Tests of adding assets to a library; editing and deleting them are in `changes`.

use super::*;
use crate::libraries::tests::{asset_input, invalid_fields, last_details};
use crate::ports::LibraryRepo;
use crate::testing::{anonymous, audit_actions, fixture, seed_library};

#[tokio::test]
async fn an_admin_adds_an_asset_to_a_library_and_the_audit_log_records_it() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let input = AssetInput {
        description: "Tracked, 120 mm".to_owned(),
        unique: false,
        public: false,
        ..asset_input(" M2A1 Slammer ", "vehicle", " 4 ")
    };
    let id = f.t.create_asset(&f.admin, nato, input).await.unwrap();
    let asset = f.t.store().asset(id).await.unwrap().unwrap();
    assert_eq!(asset.library_id, nato);
    assert_eq!(asset.spec.name().as_str(), "M2A1 Slammer");
    assert_eq!(asset.spec.kind(), AssetKind::Vehicle);
    assert_eq!(asset.spec.category().as_str(), "Main battle tank");
    assert_eq!(asset.spec.description().as_str(), "Tracked, 120 mm");
    assert_eq!(asset.spec.default_quantity().get(), 4);
    assert!(!asset.spec.is_unique());
    assert!(!asset.spec.is_public());
    let entry = f.t.store().audit_entries().last().cloned().unwrap().entry;
    assert_eq!(entry.action, AuditAction::AssetCreated);
    assert_eq!(entry.campaign_id, None);
    assert_eq!(entry.object, ObjectRef::existing(ObjectKind::Asset, id.get()));
    assert_eq!(entry.details, "created asset M2A1 Slammer (Vehicle) in NATO");
}

#[tokio::test]
async fn a_manager_may_add_a_unique_asset_of_one() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let input = AssetInput { unique: true, ..asset_input("Commander", "Other", "1") };
    let id = f.t.create_asset(&f.manager, nato, input).await.unwrap();
    assert!(f.t.store().asset(id).await.unwrap().unwrap().spec.is_unique());
}

#[tokio::test]
async fn the_public_may_not_add_an_asset_and_nothing_changes() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let before = audit_actions(&f.t);
    let result = f.t.create_asset(&anonymous(), nato, asset_input("Hunter", "Vehicle", "1")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)), "{result:?}");
    assert_eq!(audit_actions(&f.t), before);
    assert!(f.t.store().assets(nato).await.unwrap().is_empty());
}

#[tokio::test]
async fn each_bad_asset_field_is_reported_on_its_own_field() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let before = audit_actions(&f.t);
    let cases = [
        (asset_input("", "Vehicle", "1"), "name"),
        (asset_input(&"x".repeat(201), "Vehicle", "1"), "name"),
        (asset_input("Hunter", "Spaceship", "1"), "kind"),
        (asset_input("Hunter", "Vehicle", "-1"), "default_quantity"),
        (asset_input("Hunter", "Vehicle", "many"), "default_quantity"),
        (asset_input("Hunter", "Vehicle", ""), "default_quantity"),
        (AssetInput { unique: true, ..asset_input("Hunter", "Vehicle", "2") }, "default_quantity"),
        (
            AssetInput { idempotency_key: Some("a b c d e f".to_owned()), ..asset_input("Hunter", "Vehicle", "1") },
            "idempotency_key",
        ),
    ];
    for (input, field) in cases {
        let shown = format!("{input:?}");
        assert_eq!(invalid_fields(f.t.create_asset(&f.admin, nato, input).await), [field], "{shown}");
    }
    assert_eq!(audit_actions(&f.t), before);
    assert!(f.t.store().assets(nato).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_unique_asset_above_one_names_the_rule() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let input = AssetInput { unique: true, ..asset_input("Commander", "Other", "2") };
    match f.t.create_asset(&f.admin, nato, input).await {
        Err(UseCaseError::Invalid(errors)) => {
            assert_eq!(
                errors.message_for("default_quantity"),
                Some("a unique asset's default quantity can be at most 1")
            );
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn every_bad_asset_field_is_reported_at_once() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let input = AssetInput { category: "c".repeat(101), ..asset_input(" ", "Tank", "-3") };
    let fields = invalid_fields(f.t.create_asset(&f.admin, nato, input).await);
    assert_eq!(fields, ["name", "kind", "category", "default_quantity"]);
}

#[tokio::test]
async fn an_asset_name_is_unique_within_its_library_but_not_across_libraries() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let (csat, _) = seed_library(&f.t, "CSAT", &[]).await;
    let before = audit_actions(&f.t);
    for name in ["Hunter", "HUNTER"] {
        let result = f.t.create_asset(&f.admin, nato, asset_input(name, "Vehicle", "1")).await;
        assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::DuplicateAssetName))), "{result:?}");
    }
    assert_eq!(audit_actions(&f.t), before);
    assert_eq!(f.t.store().assets(nato).await.unwrap().len(), 1);
    f.t.create_asset(&f.admin, csat, asset_input("Hunter", "Vehicle", "1")).await.unwrap();
    assert_eq!(f.t.store().assets(csat).await.unwrap().len(), 1);
}

#[tokio::test]
async fn adding_an_asset_to_a_missing_library_is_not_found() {
    let f = fixture().await;
    let result = f.t.create_asset(&f.admin, LibraryId::new(999), asset_input("Hunter", "Vehicle", "1")).await;
    assert!(matches!(result, Err(UseCaseError::NotFound("library"))), "{result:?}");
}

#[tokio::test]
async fn adding_an_asset_twice_with_the_same_key_adds_it_once() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let input =
        AssetInput { idempotency_key: Some("asset-form-1".to_owned()), ..asset_input("Hunter", "Vehicle", "1") };
    let first = f.t.create_asset(&f.admin, nato, input.clone()).await.unwrap();
    let second = f.t.create_asset(&f.admin, nato, input).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(f.t.store().assets(nato).await.unwrap().len(), 1);
    let created = audit_actions(&f.t).into_iter().filter(|a| *a == AuditAction::AssetCreated).count();
    assert_eq!(created, 1);
}

#[tokio::test]
async fn staff_read_an_asset_with_its_library_and_the_public_may_not() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    for actor in [&f.admin, &f.manager] {
        let view = f.t.asset(actor, ids[0]).await.unwrap();
        assert_eq!(view.asset.spec.name().as_str(), "Hunter");
        assert_eq!(view.library.id, nato);
        assert_eq!(view.library.name.as_str(), "NATO");
    }
    assert!(matches!(f.t.asset(&anonymous(), ids[0]).await, Err(UseCaseError::Forbidden)));
    let missing = f.t.asset(&f.admin, AssetId::new(999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("asset"))), "{missing:?}");
}

mod changes;
