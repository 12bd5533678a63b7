//! Recording events; reading, editing, changes, deletion and the pages' reads are in
//! the submodules.

mod changes;
mod deletion;
mod editing;
mod pages;
mod property;

use super::scenario::{close, event_input, invalid, ledger, quantity, scenario, snapshot};
use super::{ChangeInput, EventInput};
use crate::error::Conflict;
use crate::ports::EventRepo;
use crate::testing::{anonymous, audit_actions};
use crate::{FieldPath, UseCaseError};
use domain::{AuditAction, EventKind, LedgerError};
use time::macros::utc_datetime;

#[tokio::test]
async fn recording_an_event_applies_every_change_and_audits_it() {
    let s = scenario().await;
    let input = event_input("Ambush at Kavala", &[(s.slammer, "-2"), (s.hunter, "+1")]);
    let id = s.f.t.create_event(&s.f.manager, s.mission, input).await.unwrap();

    let event = s.f.t.event(&s.f.manager, id).await.unwrap();
    assert_eq!(event.mission_id, s.mission);
    assert_eq!(event.details.kind, EventKind::Combat);
    assert_eq!(event.details.title.as_str(), "Ambush at Kavala");
    assert_eq!(event.details.occurred_at, utc_datetime!(2026-01-02 18:30));
    assert_eq!(event.changes.iter().map(|c| c.delta.get()).collect::<Vec<_>>(), [-2, 1]);
    assert_eq!(quantity(&s.f.t, s.active, "M2A1 Slammer").await, 1);
    assert_eq!(quantity(&s.f.t, s.active, "Hunter").await, 3);
    let audit = s.f.t.store.audit_entries().pop().unwrap().entry;
    assert_eq!(audit.action, AuditAction::EventCreated);
    assert_eq!(audit.object.id, Some(id.get()));
    assert!(audit.details.contains("-2 M2A1 Slammer, +1 Hunter"), "{}", audit.details);
}

#[tokio::test]
async fn an_event_may_record_no_change_and_blank_rows_are_skipped() {
    let s = scenario().await;
    let mut input = event_input("Quiet patrol", &[]);
    input.changes = vec![ChangeInput::default(), ChangeInput { delta: "  ".into(), ..ChangeInput::default() }];
    let id = s.f.t.create_event(&s.f.admin, s.mission, input).await.unwrap();
    assert!(s.f.t.event(&s.f.admin, id).await.unwrap().changes.is_empty());
    assert_eq!(quantity(&s.f.t, s.active, "M2A1 Slammer").await, 3);
}

#[tokio::test]
async fn the_public_cannot_record_events() {
    let s = scenario().await;
    let before = snapshot(&s.f.t, s.active).await;
    let result = s.f.t.create_event(&anonymous(), s.mission, event_input("x", &[(s.slammer, "-1")])).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    assert_eq!(snapshot(&s.f.t, s.active).await, before);
}

#[tokio::test]
async fn a_manager_cannot_record_in_a_planned_campaign_but_an_admin_can() {
    let s = scenario().await;
    let input = event_input("Rehearsal", &[(s.planned_slammer, "-1")]);
    let result = s.f.t.create_event(&s.f.manager, s.planned_mission, input.clone()).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    assert_eq!(quantity(&s.f.t, s.planned, "M2A1 Slammer").await, 3);

    s.f.t.create_event(&s.f.admin, s.planned_mission, input).await.unwrap();
    assert_eq!(quantity(&s.f.t, s.planned, "M2A1 Slammer").await, 2);
}

#[tokio::test]
async fn a_closed_campaign_refuses_new_events() {
    let s = scenario().await;
    close(&s.f.t, s.active).await;
    let before = snapshot(&s.f.t, s.active).await;
    let result = s.f.t.create_event(&s.f.admin, s.mission, event_input("Late", &[(s.slammer, "-1")])).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
    assert_eq!(snapshot(&s.f.t, s.active).await, before);
}

#[tokio::test]
async fn an_unknown_mission_is_not_found() {
    let s = scenario().await;
    let result = s.f.t.create_event(&s.f.admin, domain::MissionId::new(9999), event_input("x", &[])).await;
    assert!(matches!(result, Err(UseCaseError::NotFound("mission"))));
}

#[tokio::test]
async fn every_bad_field_is_reported_by_name() {
    let s = scenario().await;
    let before = snapshot(&s.f.t, s.active).await;
    let mut input = event_input(" ", &[]);
    input.fields.kind = "Picnic".into();
    input.fields.occurred_at = "yesterday".into();
    input.idempotency_key = Some("short".into());
    let errors = invalid(s.f.t.create_event(&s.f.admin, s.mission, input).await);
    assert_eq!(errors.message_for("title"), Some("must not be empty"));
    assert_eq!(errors.message_for("kind"), Some("must be one of: Combat, Logistics, Training, Other"));
    assert!(errors.message_for("occurred_at").unwrap().starts_with("must be a date and time"));
    assert!(errors.message_for("idempotency_key").is_some());
    assert_eq!(snapshot(&s.f.t, s.active).await, before);
}

#[tokio::test]
async fn change_rows_name_their_row_and_column() {
    let s = scenario().await;
    let before = snapshot(&s.f.t, s.active).await;
    let input = event_input("Mixed up", &[(s.planned_slammer, "-1"), (s.slammer, "0"), (s.hunter, "two")]);
    let errors = invalid(s.f.t.create_event(&s.f.admin, s.mission, input).await);
    let messages: Vec<(FieldPath, &str)> =
        errors.fields().iter().filter(|e| e.path.row.is_some()).map(|e| (e.path, e.message.as_str())).collect();
    assert_eq!(
        messages,
        [
            (FieldPath::row(ChangeInput::ENTRY, 1), "is not in this campaign's pool"),
            (FieldPath::row(ChangeInput::DELTA, 2), "must not be zero"),
            (FieldPath::row(ChangeInput::DELTA, 3), "must be a whole number such as -2 or 3"),
        ]
    );
    assert_eq!(snapshot(&s.f.t, s.active).await, before);
}

#[tokio::test]
async fn a_row_error_names_its_row_as_submitted_blank_rows_included() {
    let s = scenario().await;
    let mut input = event_input("Gaps", &[(s.hunter, "+1")]);
    input.changes.push(ChangeInput::default());
    input.changes.push(ChangeInput { pool_entry_id: s.slammer.to_string(), delta: "0".into(), note: String::new() });
    let errors = invalid(s.f.t.create_event(&s.f.admin, s.mission, input).await);
    assert_eq!(errors.fields().len(), 1);
    assert_eq!(errors.message_at(FieldPath::row(ChangeInput::DELTA, 3)), Some("must not be zero"));
    assert_eq!(errors.message_for(ChangeInput::DELTA), None);
}

#[tokio::test]
async fn recording_a_loss_larger_than_the_pool_is_rejected() {
    let s = scenario().await;
    let before = snapshot(&s.f.t, s.active).await;
    let input = event_input("Disaster", &[(s.hunter, "-1"), (s.slammer, "-4")]);
    let error = ledger(s.f.t.create_event(&s.f.manager, s.mission, input).await);
    assert_eq!(error, LedgerError::Insufficient { asset: "M2A1 Slammer".into(), available: 3, requested: 4 });
    assert_eq!(error.to_string(), "not enough M2A1 Slammer: 3 available, 4 asked");
    assert_eq!(snapshot(&s.f.t, s.active).await, before);
}

#[tokio::test]
async fn a_unique_asset_cannot_go_above_one() {
    let s = scenario().await;
    let before = snapshot(&s.f.t, s.active).await;
    let error = ledger(s.f.t.create_event(&s.f.admin, s.mission, event_input("Capture", &[(s.hq, "+1")])).await);
    assert!(
        matches!(error, LedgerError::UniqueExceeded { ref asset, available: 1, requested: 1 } if asset == "HQ Truck")
    );
    assert_eq!(snapshot(&s.f.t, s.active).await, before);
}

#[tokio::test]
async fn the_same_idempotency_key_records_one_event_and_returns_the_same_id() {
    let s = scenario().await;
    let input =
        EventInput { idempotency_key: Some("form-0001-abcd".into()), ..event_input("Wipeout", &[(s.slammer, "-3")]) };
    let first = s.f.t.create_event(&s.f.manager, s.mission, input.clone()).await.unwrap();
    // The pool is now empty, so only the key lets the retry succeed.
    let second = s.f.t.create_event(&s.f.manager, s.mission, input).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(quantity(&s.f.t, s.active, "M2A1 Slammer").await, 0);
    assert_eq!(s.f.t.store.campaign_events(s.active).await.unwrap().len(), 1);
    let created = audit_actions(&s.f.t).into_iter().filter(|a| *a == AuditAction::EventCreated).count();
    assert_eq!(created, 1);
}
