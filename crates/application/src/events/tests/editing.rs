//! Reading and editing recorded events.

use crate::UseCaseError;
use crate::error::Conflict;
use crate::events::scenario::{close, event_input, fields, invalid, quantity, scenario, snapshot};
use crate::testing::{anonymous, audit_actions};
use domain::{AuditAction, EventKind};

#[tokio::test]
async fn reading_an_event_needs_staff_and_an_existing_event() {
    let s = scenario().await;
    let id = s.f.t.create_event(&s.f.admin, s.planned_mission, event_input("Drill", &[])).await.unwrap();
    assert_eq!(s.f.t.event(&s.f.manager, id).await.unwrap().id, id);
    assert!(matches!(s.f.t.event(&anonymous(), id).await, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.event(&s.f.admin, domain::EventId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("event"))));
}

#[tokio::test]
async fn editing_an_event_changes_its_fields_but_not_its_changes() {
    let s = scenario().await;
    let id = s.f.t.create_event(&s.f.manager, s.mission, event_input("Ambush", &[(s.slammer, "-1")])).await.unwrap();
    let mut edit = fields("Ambush at dawn");
    edit.kind = "logistics".into();
    s.f.t.update_event(&s.f.manager, id, edit).await.unwrap();

    let event = s.f.t.event(&s.f.manager, id).await.unwrap();
    assert_eq!(event.details.title.as_str(), "Ambush at dawn");
    assert_eq!(event.details.kind, EventKind::Logistics);
    assert_eq!(event.changes.len(), 1);
    assert_eq!(quantity(&s.f.t, s.active, "M2A1 Slammer").await, 2);
    assert_eq!(audit_actions(&s.f.t).last(), Some(&AuditAction::EventUpdated));
}

#[tokio::test]
async fn editing_an_event_is_refused_without_permission_or_with_bad_fields() {
    let s = scenario().await;
    let planned = s.f.t.create_event(&s.f.admin, s.planned_mission, event_input("Drill", &[])).await.unwrap();
    let active = s.f.t.create_event(&s.f.admin, s.mission, event_input("Raid", &[])).await.unwrap();
    let before = snapshot(&s.f.t, s.active).await;

    let result = s.f.t.update_event(&anonymous(), active, fields("x")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let result = s.f.t.update_event(&s.f.manager, planned, fields("x")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let errors = invalid(s.f.t.update_event(&s.f.manager, active, fields("")).await);
    assert_eq!(errors.message_for("title"), Some("must not be empty"));
    assert_eq!(snapshot(&s.f.t, s.active).await, before);

    s.f.t.update_event(&s.f.admin, planned, fields("Night drill")).await.unwrap();
    close(&s.f.t, s.active).await;
    let result = s.f.t.update_event(&s.f.admin, active, fields("x")).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
}
