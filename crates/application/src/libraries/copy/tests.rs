//! Tests of copying assets between libraries.

use super::*;
use crate::error::UseCaseError;
use crate::libraries::tests::{invalid_fields, last_details};
use crate::ports::LibraryRepo;
use crate::testing::{TestTracker, anonymous, audit_actions, fixture, seed_library};
use domain::AssetKind;

/// The names of a library's assets, sorted.
async fn names(t: &TestTracker, library: LibraryId) -> Vec<String> {
    let mut names: Vec<String> =
        t.store().assets(library).await.unwrap().iter().map(|a| a.spec.name().to_string()).collect();
    names.sort();
    names
}

/// The command copying `ids` (every asset when `None`) of library `from`.
fn copy_of(from: LibraryId, ids: Option<Vec<AssetId>>) -> CopyAssets {
    let ids = ids.map(|ids| ids.iter().map(AssetId::to_string).collect());
    CopyAssets { from_library: from.to_string(), asset_ids: ids }
}

const NATO: [(&str, AssetKind, u32, bool); 3] = [
    ("Hunter", AssetKind::Vehicle, 4, false),
    ("Slammer", AssetKind::Vehicle, 2, false),
    ("Ghost Hawk", AssetKind::Aircraft, 1, true),
];

#[tokio::test]
async fn copying_a_whole_library_skips_names_the_target_already_has() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &NATO).await;
    let (pacific, _) = seed_library(&f.t, "NATO Pacific", &[("hunter", AssetKind::Vehicle, 9, false)]).await;
    let added = f.t.copy_assets(&f.admin, pacific, copy_of(nato, None)).await.unwrap();
    assert_eq!(added, 2);
    assert_eq!(names(&f.t, pacific).await, ["Ghost Hawk", "Slammer", "hunter"]);
    let entry = f.t.store().audit_entries().last().cloned().unwrap().entry;
    assert_eq!(entry.action, AuditAction::AssetsCopied);
    assert_eq!(entry.campaign_id, None);
    assert_eq!(entry.details, "copied 2 assets from NATO");
    assert_eq!(names(&f.t, nato).await, ["Ghost Hawk", "Hunter", "Slammer"]);
}

#[tokio::test]
async fn copied_assets_keep_every_field_of_the_original() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &NATO).await;
    let (empty, _) = seed_library(&f.t, "Empty", &[]).await;
    f.t.copy_assets(&f.manager, empty, copy_of(nato, Some(vec![ids[2]]))).await.unwrap();
    let original = f.t.store().asset(ids[2]).await.unwrap().unwrap();
    let copies = f.t.store().assets(empty).await.unwrap();
    assert_eq!(copies.len(), 1);
    assert_ne!(copies[0].id, original.id);
    assert_eq!(copies[0].library_id, empty);
    assert_eq!(copies[0].spec, original.spec);
    assert_eq!(last_details(&f.t), "copied 1 asset from NATO");
}

#[tokio::test]
async fn copying_chosen_assets_copies_only_those() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &NATO).await;
    let (empty, _) = seed_library(&f.t, "Empty", &[]).await;
    let added = f.t.copy_assets(&f.admin, empty, copy_of(nato, Some(vec![ids[0], ids[1]]))).await.unwrap();
    assert_eq!(added, 2);
    assert_eq!(names(&f.t, empty).await, ["Hunter", "Slammer"]);
}

#[tokio::test]
async fn copying_nothing_new_succeeds_with_zero_and_writes_no_audit_entry() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &NATO).await;
    let (copy, _) = seed_library(&f.t, "Copy", &NATO).await;
    let before = audit_actions(&f.t);
    assert_eq!(f.t.copy_assets(&f.admin, copy, copy_of(nato, None)).await.unwrap(), 0);
    assert_eq!(f.t.copy_assets(&f.admin, copy, copy_of(nato, Some(vec![ids[0]]))).await.unwrap(), 0);
    assert_eq!(f.t.copy_assets(&f.admin, copy, copy_of(nato, Some(Vec::new()))).await.unwrap(), 0);
    assert_eq!(audit_actions(&f.t), before);
    assert_eq!(names(&f.t, copy).await.len(), 3);
}

#[tokio::test]
async fn copying_a_library_into_itself_is_refused_on_the_from_field() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &NATO).await;
    let before = audit_actions(&f.t);
    assert_eq!(invalid_fields(f.t.copy_assets(&f.admin, nato, copy_of(nato, None)).await), ["from_library"]);
    assert_eq!(audit_actions(&f.t), before);
    assert_eq!(names(&f.t, nato).await.len(), 3);
}

#[tokio::test]
async fn an_asset_from_another_library_is_refused_and_nothing_is_copied() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &NATO).await;
    let (csat, csat_ids) = seed_library(&f.t, "CSAT", &[("Varsuk", AssetKind::Vehicle, 2, false)]).await;
    let (empty, _) = seed_library(&f.t, "Empty", &[]).await;
    let before = audit_actions(&f.t);
    let result = f.t.copy_assets(&f.admin, empty, copy_of(nato, Some(vec![ids[0], csat_ids[0]]))).await;
    assert_eq!(invalid_fields(result), ["asset_ids"]);
    assert_eq!(audit_actions(&f.t), before);
    assert!(names(&f.t, empty).await.is_empty());
    assert_eq!(names(&f.t, csat).await, ["Varsuk"]);
}

#[tokio::test]
async fn copying_is_refused_for_the_public_and_for_a_missing_library() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &NATO).await;
    let (empty, _) = seed_library(&f.t, "Empty", &[]).await;
    let before = audit_actions(&f.t);
    let result = f.t.copy_assets(&anonymous(), empty, copy_of(nato, None)).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)), "{result:?}");
    let missing = LibraryId::new(999);
    for (into, from) in [(missing, nato), (empty, missing)] {
        let result = f.t.copy_assets(&f.admin, into, copy_of(from, None)).await;
        assert!(matches!(result, Err(UseCaseError::NotFound("library"))), "{result:?}");
    }
    assert_eq!(audit_actions(&f.t), before);
    assert!(names(&f.t, empty).await.is_empty());
}

#[tokio::test]
async fn a_counted_copy_says_how_many_chosen_assets_were_skipped() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &NATO).await;
    let (pacific, _) = seed_library(&f.t, "NATO Pacific", &[("hunter", AssetKind::Vehicle, 9, false)]).await;
    let chosen = Some(vec![ids[0], ids[1]]);
    let outcome = f.t.copy_assets_counted(&f.admin, pacific, copy_of(nato, chosen)).await.unwrap();
    assert_eq!(outcome, CopyOutcome { copied: 1, skipped: 1 });
    let again = f.t.copy_assets_counted(&f.admin, pacific, copy_of(nato, None)).await.unwrap();
    assert_eq!(again, CopyOutcome { copied: 1, skipped: 2 });
    let nothing_new = f.t.copy_assets_counted(&f.admin, pacific, copy_of(nato, None)).await.unwrap();
    assert_eq!(nothing_new, CopyOutcome { copied: 0, skipped: 3 });
    assert_eq!(names(&f.t, pacific).await, ["Ghost Hawk", "Slammer", "hunter"]);
}

#[tokio::test]
async fn a_copy_without_a_library_or_with_bad_ids_says_so_on_the_fields_and_copies_nothing() {
    let f = fixture().await;
    let (empty, _) = seed_library(&f.t, "Empty", &[]).await;
    let before = audit_actions(&f.t);
    let cmd = CopyAssets { from_library: String::new(), asset_ids: Some(vec!["x".into(), "y".into()]) };
    let Err(UseCaseError::Invalid(errors)) = f.t.copy_assets(&f.admin, empty, cmd).await else {
        panic!("expected invalid input");
    };
    assert_eq!(errors.message_for("from_library"), Some("choose a library to copy from"));
    assert_eq!(errors.message_for("asset_ids"), Some("must be assets of the chosen library"));
    assert_eq!(errors.fields().len(), 2, "one message per field");
    assert_eq!(audit_actions(&f.t), before);
}

#[tokio::test]
async fn an_asset_ticked_twice_is_copied_once() {
    let f = fixture().await;
    let (nato, ids) = seed_library(&f.t, "NATO", &NATO).await;
    let (empty, _) = seed_library(&f.t, "Empty", &[]).await;
    let twice =
        CopyAssets { from_library: nato.to_string(), asset_ids: Some(vec![ids[0].to_string(), ids[0].to_string()]) };
    assert_eq!(f.t.copy_assets(&f.admin, empty, twice).await.unwrap(), 1);
}
