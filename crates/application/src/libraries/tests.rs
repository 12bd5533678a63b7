//! Tests of listing, viewing and creating libraries (editing and deleting are in
//! `changes`), and helpers shared with the asset and copy tests.

use super::*;
use crate::ports::LibraryRepo;
use crate::testing::{TestTracker, anonymous, audit_actions, fixture, seed_library};
use domain::AssetKind;
use std::fmt::Debug;

/// A library form with a name and a category.
pub(super) fn library_input(name: &str) -> LibraryInput {
    LibraryInput { name: name.to_owned(), category: "Modern".to_owned(), ..LibraryInput::default() }
}

/// An asset form for a public, non-unique asset.
pub(super) fn asset_input(name: &str, kind: &str, quantity: &str) -> AssetInput {
    AssetInput {
        name: name.to_owned(),
        kind: kind.to_owned(),
        category: "Main battle tank".to_owned(),
        default_quantity: quantity.to_owned(),
        public: true,
        ..AssetInput::default()
    }
}

/// The fields an `Invalid` result names, in order; fails the test on any other result.
pub(super) fn invalid_fields<T: Debug>(result: UseCaseResult<T>) -> Vec<&'static str> {
    match result {
        Err(UseCaseError::Invalid(errors)) => errors.fields().iter().map(|e| e.path.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

/// The details of the newest audit entry.
pub(super) fn last_details(t: &TestTracker) -> String {
    t.store().audit_entries().last().map(|e| e.entry.details.clone()).unwrap_or_default()
}

#[tokio::test]
async fn staff_members_list_every_library_with_its_asset_count() {
    let f = fixture().await;
    seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false), ("Slammer", AssetKind::Vehicle, 2, false)])
        .await;
    seed_library(&f.t, "CSAT", &[]).await;
    for actor in [&f.admin, &f.manager] {
        let list = f.t.list_libraries(actor).await.unwrap();
        let names: Vec<(&str, u64)> = list.iter().map(|s| (s.library.name.as_str(), s.asset_count)).collect();
        assert_eq!(names, [("CSAT", 0), ("NATO", 2)]);
    }
}

#[tokio::test]
async fn the_public_may_neither_list_nor_view_libraries() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    assert!(matches!(f.t.list_libraries(&anonymous()).await, Err(UseCaseError::Forbidden)));
    assert!(matches!(f.t.library(&anonymous(), nato).await, Err(UseCaseError::Forbidden)));
}

#[tokio::test]
async fn viewing_a_library_shows_its_assets() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let view = f.t.library(&f.manager, nato).await.unwrap();
    assert_eq!(view.summary.library.name.as_str(), "NATO");
    assert!(!view.summary.in_use);
    assert_eq!(view.assets.iter().map(|a| a.id).collect::<Vec<_>>(), ids);
}

#[tokio::test]
async fn viewing_a_missing_library_is_not_found() {
    let f = fixture().await;
    let result = f.t.library(&f.admin, LibraryId::new(999)).await;
    assert!(matches!(result, Err(UseCaseError::NotFound("library"))), "{result:?}");
}

#[tokio::test]
async fn an_admin_creates_a_library_and_the_audit_log_records_it() {
    let f = fixture().await;
    let input = LibraryInput {
        name: "  NATO (Base game) ".to_owned(),
        description: "Vanilla BLUFOR".to_owned(),
        category: "Modern".to_owned(),
        is_default: true,
        idempotency_key: None,
    };
    let id = f.t.create_library(&f.admin, input).await.unwrap();
    let library = f.t.library(&f.admin, id).await.unwrap().summary.library;
    assert_eq!(library.name.as_str(), "NATO (Base game)");
    assert_eq!(library.description.as_str(), "Vanilla BLUFOR");
    assert_eq!(library.category.as_str(), "Modern");
    assert!(library.is_default);
    assert_eq!(audit_actions(&f.t).last(), Some(&AuditAction::LibraryCreated));
    let entry = f.t.store().audit_entries().last().cloned().unwrap().entry;
    assert_eq!(entry.object, ObjectRef::existing(ObjectKind::Library, id.get()));
    assert_eq!(entry.campaign_id, None);
    assert_eq!(entry.details, "created library NATO (Base game)");
}

#[tokio::test]
async fn a_manager_may_create_a_library() {
    let f = fixture().await;
    let id = f.t.create_library(&f.manager, library_input("CSAT")).await.unwrap();
    assert_eq!(f.t.library(&f.manager, id).await.unwrap().summary.library.name.as_str(), "CSAT");
}

#[tokio::test]
async fn the_public_may_not_create_a_library_and_nothing_changes() {
    let f = fixture().await;
    let before = audit_actions(&f.t);
    let result = f.t.create_library(&anonymous(), library_input("CSAT")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)), "{result:?}");
    assert_eq!(audit_actions(&f.t), before);
    assert!(f.t.list_libraries(&f.admin).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_library_needs_a_name_of_at_most_200_characters() {
    let f = fixture().await;
    let before = audit_actions(&f.t);
    assert_eq!(invalid_fields(f.t.create_library(&f.admin, library_input("   ")).await), ["name"]);
    assert_eq!(invalid_fields(f.t.create_library(&f.admin, library_input(&"x".repeat(201))).await), ["name"]);
    assert!(f.t.create_library(&f.admin, library_input(&"x".repeat(200))).await.is_ok());
    assert_eq!(audit_actions(&f.t).len(), before.len() + 1);
}

#[tokio::test]
async fn every_bad_library_field_is_reported_at_once() {
    let f = fixture().await;
    let input = LibraryInput {
        name: String::new(),
        description: "bad\u{0}byte".to_owned(),
        category: "c".repeat(101),
        is_default: false,
        idempotency_key: Some("short".to_owned()),
    };
    let fields = invalid_fields(f.t.create_library(&f.admin, input).await);
    assert_eq!(fields, ["name", "description", "category", "idempotency_key"]);
    assert!(f.t.list_libraries(&f.admin).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_library_name_already_taken_in_any_case_is_refused_and_nothing_changes() {
    let f = fixture().await;
    seed_library(&f.t, "NATO", &[]).await;
    let before = audit_actions(&f.t);
    for name in ["NATO", "nato"] {
        let result = f.t.create_library(&f.admin, library_input(name)).await;
        assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::DuplicateLibraryName))), "{result:?}");
    }
    assert_eq!(audit_actions(&f.t), before);
    assert_eq!(f.t.list_libraries(&f.admin).await.unwrap().len(), 1);
}

#[tokio::test]
async fn creating_a_library_twice_with_the_same_key_creates_it_once() {
    let f = fixture().await;
    let input = LibraryInput { idempotency_key: Some("form-0001".to_owned()), ..library_input("NATO") };
    let first = f.t.create_library(&f.admin, input.clone()).await.unwrap();
    let second = f.t.create_library(&f.admin, input).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(f.t.list_libraries(&f.admin).await.unwrap().len(), 1);
    let created = audit_actions(&f.t).into_iter().filter(|a| *a == AuditAction::LibraryCreated).count();
    assert_eq!(created, 1);
}

#[tokio::test]
async fn a_key_used_to_create_a_library_cannot_create_an_asset() {
    let f = fixture().await;
    let key = Some("form-0002".to_owned());
    f.t.create_library(&f.admin, LibraryInput { idempotency_key: key.clone(), ..library_input("NATO") }).await.unwrap();
    let asset = AssetInput { idempotency_key: key, ..asset_input("Hunter", "Vehicle", "1") };
    let (csat, _) = seed_library(&f.t, "CSAT", &[]).await;
    let result = f.t.create_asset(&f.admin, csat, asset).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::IdempotencyKeyReused))), "{result:?}");
}

mod changes;
