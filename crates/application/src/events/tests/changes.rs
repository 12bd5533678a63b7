//! Adding and deleting single asset changes.

use crate::UseCaseError;
use crate::error::Conflict;
use crate::events::scenario::{close, invalid, ledger, quantity, scenario, snapshot};
use crate::events::{AddChange, ChangeInput};
use crate::testing::{anonymous, audit_actions, seed_event};
use domain::{AuditAction, LedgerError, PoolEntryId};

fn add(entry: PoolEntryId, delta: &str) -> AddChange {
    AddChange {
        change: ChangeInput { pool_entry_id: entry.to_string(), delta: delta.into(), note: "found in a barn".into() },
        idempotency_key: None,
    }
}

#[tokio::test]
async fn adding_a_change_applies_it_and_audits_it() {
    let s = scenario().await;
    let event = seed_event(&s.f.t, s.mission, "Resupply", &[]).await;
    let id = s.f.t.add_change(&s.f.manager, event, add(s.hunter, "+2")).await.unwrap();

    let change = s.f.t.event(&s.f.manager, event).await.unwrap().changes.pop().unwrap();
    assert_eq!((change.id, change.delta.get(), change.note.as_str()), (id, 2, "found in a barn"));
    assert_eq!(quantity(&s.f.t, s.active, "Hunter").await, 4);
    let audit = s.f.t.store.audit_entries().pop().unwrap().entry;
    assert_eq!((audit.action, audit.object.id), (AuditAction::ChangeAdded, Some(id.get())));
    assert!(audit.details.starts_with("+2 Hunter"), "{}", audit.details);
}

#[tokio::test]
async fn adding_a_change_reports_its_fields_by_name() {
    let s = scenario().await;
    let event = seed_event(&s.f.t, s.mission, "Resupply", &[]).await;
    let before = snapshot(&s.f.t, s.active).await;
    let errors = invalid(s.f.t.add_change(&s.f.admin, event, add(s.planned_slammer, "0")).await);
    assert_eq!(errors.message_for(ChangeInput::ENTRY), Some("is not in this campaign's pool"));
    assert_eq!(errors.message_for(ChangeInput::DELTA), Some("must not be zero"));
    let errors = invalid(s.f.t.add_change(&s.f.admin, event, AddChange::default()).await);
    assert_eq!(errors.message_for(ChangeInput::ENTRY), Some("must be chosen"));
    assert_eq!(errors.message_for(ChangeInput::DELTA), Some("must be a whole number such as -2 or 3"));
    assert_eq!(snapshot(&s.f.t, s.active).await, before);
}

#[tokio::test]
async fn adding_a_change_is_refused_by_the_ledger_without_permission_or_when_closed() {
    let s = scenario().await;
    let event = seed_event(&s.f.t, s.mission, "Raid", &[]).await;
    let planned_event = seed_event(&s.f.t, s.planned_mission, "Drill", &[]).await;
    let before = snapshot(&s.f.t, s.active).await;

    let error = ledger(s.f.t.add_change(&s.f.admin, event, add(s.hunter, "-3")).await);
    assert_eq!(error, LedgerError::Insufficient { asset: "Hunter".into(), available: 2, requested: 3 });
    let result = s.f.t.add_change(&anonymous(), event, add(s.hunter, "-1")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let result = s.f.t.add_change(&s.f.manager, planned_event, add(s.planned_slammer, "-1")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    assert_eq!(snapshot(&s.f.t, s.active).await, before);

    s.f.t.add_change(&s.f.admin, planned_event, add(s.planned_slammer, "-1")).await.unwrap();
    close(&s.f.t, s.active).await;
    let result = s.f.t.add_change(&s.f.admin, event, add(s.hunter, "-1")).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
}

#[tokio::test]
async fn adding_a_change_twice_with_one_key_adds_it_once() {
    let s = scenario().await;
    let event = seed_event(&s.f.t, s.mission, "Raid", &[]).await;
    let cmd = AddChange { idempotency_key: Some("change-key-0001".into()), ..add(s.hunter, "-2") };
    let first = s.f.t.add_change(&s.f.admin, event, cmd.clone()).await.unwrap();
    let second = s.f.t.add_change(&s.f.admin, event, cmd).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(quantity(&s.f.t, s.active, "Hunter").await, 0);
    assert_eq!(s.f.t.event(&s.f.admin, event).await.unwrap().changes.len(), 1);
}

#[tokio::test]
async fn deleting_a_change_reverses_it_exactly() {
    let s = scenario().await;
    let event = seed_event(&s.f.t, s.mission, "Ambush", &[(s.slammer, -2), (s.hunter, 1)]).await;
    let loss = s.f.t.event(&s.f.admin, event).await.unwrap().changes[0].id;
    s.f.t.delete_change(&s.f.manager, loss).await.unwrap();

    assert_eq!(quantity(&s.f.t, s.active, "M2A1 Slammer").await, 3);
    assert_eq!(quantity(&s.f.t, s.active, "Hunter").await, 3);
    assert_eq!(s.f.t.event(&s.f.admin, event).await.unwrap().changes.len(), 1);
    let audit = s.f.t.store.audit_entries().pop().unwrap().entry;
    assert_eq!(audit.action, AuditAction::ChangeDeleted);
    assert!(audit.details.contains("M2A1 Slammer 1 -> 3"), "{}", audit.details);
}

#[tokio::test]
async fn deleting_a_gain_after_the_asset_was_lost_again_is_rejected() {
    let s = scenario().await;
    let capture = seed_event(&s.f.t, s.mission, "Capture", &[(s.hunter, 1)]).await;
    seed_event(&s.f.t, s.mission, "Ambush", &[(s.hunter, -3)]).await;
    let gain = s.f.t.event(&s.f.admin, capture).await.unwrap().changes[0].id;
    let before = snapshot(&s.f.t, s.active).await;

    let error = ledger(s.f.t.delete_change(&s.f.admin, gain).await);
    assert_eq!(error, LedgerError::Insufficient { asset: "Hunter".into(), available: 0, requested: 1 });
    assert_eq!(snapshot(&s.f.t, s.active).await, before);
}

#[tokio::test]
async fn deleting_a_change_needs_the_runner_and_an_open_campaign() {
    let s = scenario().await;
    let event = seed_event(&s.f.t, s.mission, "Raid", &[(s.slammer, -1)]).await;
    let planned = seed_event(&s.f.t, s.planned_mission, "Drill", &[(s.planned_slammer, -1)]).await;
    let change = s.f.t.event(&s.f.admin, event).await.unwrap().changes[0].id;
    let planned_change = s.f.t.event(&s.f.admin, planned).await.unwrap().changes[0].id;
    let before = audit_actions(&s.f.t);

    assert!(matches!(s.f.t.delete_change(&anonymous(), change).await, Err(UseCaseError::Forbidden)));
    assert!(matches!(s.f.t.delete_change(&s.f.manager, planned_change).await, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.delete_change(&s.f.admin, domain::AssetChangeId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("asset change"))));
    assert_eq!(audit_actions(&s.f.t), before);

    s.f.t.delete_change(&s.f.admin, planned_change).await.unwrap();
    close(&s.f.t, s.active).await;
    let result = s.f.t.delete_change(&s.f.admin, change).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
    assert_eq!(quantity(&s.f.t, s.active, "M2A1 Slammer").await, 2);
}
