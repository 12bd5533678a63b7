//! Tests of editing and deleting libraries.

use super::*;
use crate::testing::{anonymous, audit_actions, fixture, seed_campaign, seed_library};
use domain::{AssetKind, CampaignStatus};

#[tokio::test]
async fn editing_a_library_saves_its_fields_and_audits_what_changed() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    for (actor, name) in [(&f.admin, "NATO (Base game)"), (&f.manager, "NATO (Apex)")] {
        let input = LibraryInput { is_default: true, category: "Cold War".to_owned(), ..library_input(name) };
        f.t.update_library(actor, nato, input).await.unwrap();
        let library = f.t.library(actor, nato).await.unwrap().summary.library;
        assert_eq!(library.name.as_str(), name);
        assert_eq!(library.category.as_str(), "Cold War");
        assert!(library.is_default);
    }
    assert_eq!(audit_actions(&f.t).last(), Some(&AuditAction::LibraryUpdated));
    assert_eq!(last_details(&f.t), "NATO (Base game): renamed to NATO (Apex)");
}

#[tokio::test]
async fn the_first_edit_details_name_every_changed_field() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let input = LibraryInput {
        description: "BLUFOR".to_owned(),
        category: "WWII".to_owned(),
        is_default: true,
        ..library_input("NATO 2035")
    };
    f.t.update_library(&f.admin, nato, input).await.unwrap();
    let details = last_details(&f.t);
    for part in ["NATO: renamed to NATO 2035", "description edited", "category Modern -> WWII", "now a default library"]
    {
        assert!(details.contains(part), "{details:?} lacks {part:?}");
    }
}

#[tokio::test]
async fn saving_a_library_unchanged_writes_no_audit_entry() {
    let f = fixture().await;
    let id = f.t.create_library(&f.admin, library_input("NATO")).await.unwrap();
    let before = audit_actions(&f.t);
    // A create-only idempotency key, even a malformed one, does not matter to an edit.
    let input = LibraryInput { idempotency_key: Some("bad key".to_owned()), ..library_input("NATO") };
    f.t.update_library(&f.admin, id, input).await.unwrap();
    assert_eq!(audit_actions(&f.t), before);
}

#[tokio::test]
async fn a_library_may_be_renamed_to_another_case_of_its_own_name() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "Nato", &[]).await;
    f.t.update_library(&f.admin, nato, library_input("NATO")).await.unwrap();
    assert_eq!(f.t.library(&f.admin, nato).await.unwrap().summary.library.name.as_str(), "NATO");
}

#[tokio::test]
async fn renaming_a_library_to_another_library_name_is_refused_and_nothing_changes() {
    let f = fixture().await;
    seed_library(&f.t, "NATO", &[]).await;
    let (csat, _) = seed_library(&f.t, "CSAT", &[]).await;
    let before = audit_actions(&f.t);
    let result = f.t.update_library(&f.admin, csat, library_input("Nato")).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::DuplicateLibraryName))), "{result:?}");
    assert_eq!(audit_actions(&f.t), before);
    assert_eq!(f.t.library(&f.admin, csat).await.unwrap().summary.library.name.as_str(), "CSAT");
}

#[tokio::test]
async fn an_edit_is_refused_for_the_public_for_bad_fields_and_for_a_missing_library() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let before = audit_actions(&f.t);
    let result = f.t.update_library(&anonymous(), nato, library_input("CSAT")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)), "{result:?}");
    assert_eq!(invalid_fields(f.t.update_library(&f.admin, nato, library_input("")).await), ["name"]);
    let result = f.t.update_library(&f.admin, LibraryId::new(999), library_input("CSAT")).await;
    assert!(matches!(result, Err(UseCaseError::NotFound("library"))), "{result:?}");
    assert_eq!(audit_actions(&f.t), before);
    assert_eq!(f.t.library(&f.admin, nato).await.unwrap().summary.library.name.as_str(), "NATO");
}

#[tokio::test]
async fn deleting_an_unused_library_removes_it_with_its_assets() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let (csat, _) = seed_library(&f.t, "CSAT", &[]).await;
    f.t.delete_library(&f.admin, nato).await.unwrap();
    f.t.delete_library(&f.manager, csat).await.unwrap();
    assert!(f.t.list_libraries(&f.admin).await.unwrap().is_empty());
    assert_eq!(f.t.store().asset(ids[0]).await.unwrap(), None);
    assert_eq!(audit_actions(&f.t).last(), Some(&AuditAction::LibraryDeleted));
    assert_eq!(last_details(&f.t), "deleted library CSAT with 0 assets");
}

#[tokio::test]
async fn a_library_a_campaign_uses_cannot_be_deleted() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    seed_campaign(&f.t, "Op Arrowhead", CampaignStatus::Active, &[nato]).await;
    let before = audit_actions(&f.t);
    let result = f.t.delete_library(&f.admin, nato).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::InUse("the library")))), "{result:?}");
    assert_eq!(audit_actions(&f.t), before);
    assert!(f.t.library(&f.admin, nato).await.unwrap().summary.in_use);
    assert!(f.t.store().asset(ids[0]).await.unwrap().is_some());
}

#[tokio::test]
async fn a_delete_is_refused_for_the_public_and_for_a_missing_library() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let before = audit_actions(&f.t);
    assert!(matches!(f.t.delete_library(&anonymous(), nato).await, Err(UseCaseError::Forbidden)));
    let result = f.t.delete_library(&f.admin, LibraryId::new(999)).await;
    assert!(matches!(result, Err(UseCaseError::NotFound("library"))), "{result:?}");
    assert_eq!(audit_actions(&f.t), before);
    assert_eq!(f.t.list_libraries(&f.admin).await.unwrap().len(), 1);
}
