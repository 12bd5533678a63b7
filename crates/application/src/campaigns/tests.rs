//! Tests of the campaign use cases: who may use them, listing and reading. Each other
//! feature has its own file under `tests/`.

mod audit_log;
mod close;
mod create;
mod edit;

use super::CampaignInput;
use crate::error::{Conflict, UseCaseError, UseCaseResult};
use crate::ports::{AuditFilter, LibraryRepo};
use crate::testing::{Fixture, anonymous, audit_actions, campaign_of, fixture, seed_campaign, seed_library};
use domain::{AuditAction, CampaignId, CampaignStatus, NewAuditEntry, ObjectKind, ObjectRef};
use std::fmt::Debug;

/// A valid form for a campaign named `name` starting on 2026-02-01.
pub(super) fn input(name: &str) -> CampaignInput {
    CampaignInput { name: name.into(), start_date: "2026-02-01".into(), ..CampaignInput::default() }
}

/// The fields an `Invalid` error names; fails the test on any other outcome.
pub(super) fn invalid_fields<T: Debug>(result: UseCaseResult<T>) -> Vec<&'static str> {
    match result {
        Err(UseCaseError::Invalid(errors)) => errors.fields().iter().map(|e| e.path.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

/// Whether the outcome is `Conflict::CampaignClosed`.
pub(super) fn is_closed_conflict<T>(result: &UseCaseResult<T>) -> bool {
    matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed)))
}

/// An audit entry by the system, for writes a test makes straight to the store.
pub(super) fn system_audit(f: &Fixture, action: AuditAction, kind: ObjectKind, id: i64) -> NewAuditEntry {
    NewAuditEntry {
        at: crate::ports::Clock::now(&f.t.clock),
        actor_id: None,
        actor_name: "system".into(),
        action,
        campaign_id: None,
        object: ObjectRef::existing(kind, id),
        details: "changed by a test".into(),
    }
}

#[tokio::test]
async fn staff_read_campaigns_and_the_public_does_not() {
    let f = fixture().await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Planned, &[]).await;
    for actor in [&f.admin, &f.manager] {
        assert_eq!(f.t.list_campaigns(actor).await.unwrap().len(), 1);
        assert_eq!(f.t.campaign(actor, id).await.unwrap().id(), id);
    }
    assert!(matches!(f.t.list_campaigns(&anonymous()).await, Err(UseCaseError::Forbidden)));
    assert!(matches!(f.t.campaign(&anonymous(), id).await, Err(UseCaseError::Forbidden)));
}

#[tokio::test]
async fn only_admins_manage_campaigns_and_read_the_audit_log() {
    let f = fixture().await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[]).await;
    let before = audit_actions(&f.t);
    assert_eq!(f.t.campaigns_to_manage(&f.admin).await.unwrap().len(), 1);
    assert_eq!(f.t.campaign_to_edit(&f.admin, id).await.unwrap().id(), id);
    for actor in [anonymous(), f.manager.clone()] {
        let forbidden = |r: &UseCaseResult<_>| matches!(r, Err(UseCaseError::Forbidden));
        assert!(forbidden(&f.t.campaigns_to_manage(&actor).await.map(drop)));
        assert!(forbidden(&f.t.campaign_to_edit(&actor, id).await.map(drop)));
        assert!(forbidden(&f.t.default_library_ids(&actor).await.map(drop)));
        assert!(forbidden(&f.t.create_campaign(&actor, input("Other")).await.map(drop)));
        assert!(forbidden(&f.t.update_campaign(&actor, id, input("Renamed")).await));
        assert!(forbidden(&f.t.activate_campaign(&actor, id).await));
        assert!(forbidden(&f.t.close_preview(&actor, id).await.map(drop)));
        assert!(forbidden(&f.t.close_campaign(&actor, id).await.map(drop)));
        assert!(forbidden(&f.t.audit_page(&actor, AuditFilter::default(), 1, 20).await.map(drop)));
    }
    assert!(matches!(f.t.campaign_report(&anonymous(), id).await, Err(UseCaseError::Forbidden)));
    assert!(matches!(f.t.campaign_export(&anonymous(), id).await, Err(UseCaseError::Forbidden)));
    assert_eq!(campaign_of(&f.t, id).await.status(), CampaignStatus::Active);
    assert_eq!(audit_actions(&f.t), before);
}

#[tokio::test]
async fn the_export_is_the_report_with_the_campaigns_audit_entries_oldest_first() {
    let f = fixture().await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[]).await;
    let other = seed_campaign(&f.t, "Other", CampaignStatus::Planned, &[]).await;
    f.t.update_campaign(&f.admin, id, input("Harvest II")).await.expect("renamed");
    f.t.update_campaign(&f.admin, other, input("Other II")).await.expect("renamed");
    let (report, audit) = f.t.campaign_export(&f.manager, id).await.expect("the export");
    assert_eq!(report, f.t.campaign_report(&f.manager, id).await.expect("the report"));
    assert!(!audit.is_empty() && audit.iter().all(|a| a.entry.campaign_id == Some(id)), "{audit:?}");
    assert!(audit.windows(2).all(|w| w[0].id < w[1].id), "oldest first");
    assert_eq!(audit.last().map(|a| a.entry.action), Some(AuditAction::CampaignUpdated));
    assert!(matches!(f.t.campaign_export(&f.admin, CampaignId::new(9999)).await, Err(UseCaseError::NotFound(_))));
}

#[tokio::test]
async fn admins_list_and_read_campaigns_and_unknown_ones_are_not_found() {
    let f = fixture().await;
    let first = seed_campaign(&f.t, "First", CampaignStatus::Planned, &[]).await;
    let second = seed_campaign(&f.t, "Second", CampaignStatus::Active, &[]).await;

    let listed: Vec<CampaignId> = f.t.list_campaigns(&f.admin).await.expect("list").iter().map(|c| c.id()).collect();
    assert_eq!(listed, [second, first]);
    assert_eq!(f.t.campaign(&f.admin, first).await.expect("read").name().as_str(), "First");
    let missing = CampaignId::new(9999);
    assert!(matches!(f.t.campaign(&f.admin, missing).await, Err(UseCaseError::NotFound("campaign"))));
    assert!(matches!(f.t.update_campaign(&f.admin, missing, input("X")).await, Err(UseCaseError::NotFound(_))));
    assert!(matches!(f.t.activate_campaign(&f.admin, missing).await, Err(UseCaseError::NotFound(_))));
    assert!(matches!(f.t.close_campaign(&f.admin, missing).await, Err(UseCaseError::NotFound(_))));
}

#[tokio::test]
async fn the_form_preselects_the_libraries_flagged_as_default() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[]).await;
    let (_csat, _) = seed_library(&f.t, "CSAT", &[]).await;
    let mut library = f.t.store.library(nato).await.expect("read").expect("exists").library;
    library.is_default = true;
    let audit = system_audit(&f, AuditAction::LibraryUpdated, ObjectKind::Library, nato.get());
    f.t.store.update_library(&library, &audit).await.expect("flag default");

    assert_eq!(f.t.default_library_ids(&f.admin).await.expect("ids"), [nato]);
}
