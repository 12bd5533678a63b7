//! Editing, setting the status of and reordering missions.

use super::input;
use crate::UseCaseError;
use crate::error::Conflict;
use crate::events::scenario::{close, invalid, scenario, snapshot};
use crate::missions::MissionInput;
use crate::missions::ReorderMissions;
use crate::testing::status;
use crate::testing::{anonymous, audit_actions, seed_mission};
use domain::{AuditAction, MissionStatus};

#[tokio::test]
async fn editing_a_mission_replaces_its_fields_and_keeps_a_blank_status() {
    let s = scenario().await;
    s.f.t.set_mission_status(&s.f.manager, s.mission, status("Completed")).await.unwrap();
    let cmd = MissionInput { date: String::new(), ..input("Kavala Raid (replayed)") };
    s.f.t.update_mission(&s.f.manager, s.mission, cmd).await.unwrap();

    let mission = s.f.t.mission(&s.f.manager, s.mission).await.unwrap().mission;
    assert_eq!(mission.details.name.as_str(), "Kavala Raid (replayed)");
    assert_eq!(mission.details.location.as_str(), "Altis, Kavala");
    assert_eq!(mission.details.date, None);
    assert_eq!(mission.status, MissionStatus::Completed);
    assert_eq!(audit_actions(&s.f.t).last(), Some(&AuditAction::MissionUpdated));

    s.f.t
        .update_mission(&s.f.manager, s.mission, MissionInput { status: "Cancelled".into(), ..input("x") })
        .await
        .unwrap();
    assert_eq!(s.f.t.mission(&s.f.manager, s.mission).await.unwrap().mission.status, MissionStatus::Cancelled);
}

#[tokio::test]
async fn editing_a_mission_is_refused_without_permission_bad_fields_or_when_closed() {
    let s = scenario().await;
    let before = snapshot(&s.f.t, s.active).await;
    let result = s.f.t.update_mission(&anonymous(), s.mission, input("x")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let result = s.f.t.update_mission(&s.f.manager, s.planned_mission, input("x")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let errors = invalid(s.f.t.update_mission(&s.f.manager, s.mission, input("")).await);
    assert_eq!(errors.message_for("name"), Some("must not be empty"));
    assert_eq!(snapshot(&s.f.t, s.active).await, before);

    s.f.t.update_mission(&s.f.admin, s.planned_mission, input("Winter Prelude II")).await.unwrap();
    close(&s.f.t, s.active).await;
    let result = s.f.t.update_mission(&s.f.admin, s.mission, input("x")).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
}

#[tokio::test]
async fn setting_a_status_checks_the_name_and_the_runner() {
    let s = scenario().await;
    s.f.t.set_mission_status(&s.f.manager, s.mission, status("inprogress")).await.unwrap();
    assert_eq!(s.f.t.mission(&s.f.admin, s.mission).await.unwrap().mission.status, MissionStatus::InProgress);
    let audit = s.f.t.store.audit_entries().pop().unwrap().entry;
    assert_eq!(audit.action, AuditAction::MissionStatusChanged);
    assert_eq!(audit.details, "\"Kavala Raid\": Planned -> InProgress");

    let before = snapshot(&s.f.t, s.active).await;
    let errors = invalid(s.f.t.set_mission_status(&s.f.manager, s.mission, status("Done")).await);
    assert!(errors.message_for("status").is_some());
    let result = s.f.t.set_mission_status(&anonymous(), s.mission, status("Completed")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let result = s.f.t.set_mission_status(&s.f.manager, s.planned_mission, status("Completed")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    assert_eq!(snapshot(&s.f.t, s.active).await, before);

    s.f.t.set_mission_status(&s.f.admin, s.planned_mission, status("Cancelled")).await.unwrap();
    close(&s.f.t, s.active).await;
    let result = s.f.t.set_mission_status(&s.f.admin, s.mission, status("Completed")).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
}

#[tokio::test]
async fn reordering_puts_the_missions_in_the_given_order() {
    let s = scenario().await;
    let b = seed_mission(&s.f.t, s.active, "Harbour Assault").await;
    let c = seed_mission(&s.f.t, s.active, "Extraction").await;
    s.f.t.reorder_missions(&s.f.manager, s.active, ReorderMissions { order: vec![c, s.mission, b] }).await.unwrap();

    let order: Vec<_> = s.f.t.missions(&s.f.manager, s.active).await.unwrap().iter().map(|m| m.id).collect();
    assert_eq!(order, [c, s.mission, b]);
    let audit = s.f.t.store.audit_entries().pop().unwrap().entry;
    assert_eq!(audit.action, AuditAction::MissionsReordered);
    assert_eq!(audit.details, "new order: Extraction, Kavala Raid, Harbour Assault");
}

#[tokio::test]
async fn an_order_must_list_every_mission_exactly_once() {
    let s = scenario().await;
    let b = seed_mission(&s.f.t, s.active, "Harbour Assault").await;
    let before = snapshot(&s.f.t, s.active).await;
    for order in [vec![b], vec![b, b, s.mission], vec![b, s.mission, s.planned_mission], vec![]] {
        let errors = invalid(s.f.t.reorder_missions(&s.f.admin, s.active, ReorderMissions { order }).await);
        assert_eq!(errors.message_for("order"), Some("must list every mission of the campaign exactly once"));
    }
    let result = s.f.t.reorder_missions(&anonymous(), s.active, ReorderMissions { order: vec![b, s.mission] }).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let result =
        s.f.t.reorder_missions(&s.f.manager, s.planned, ReorderMissions { order: vec![s.planned_mission] }).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    assert_eq!(snapshot(&s.f.t, s.active).await, before);

    s.f.t.reorder_missions(&s.f.admin, s.planned, ReorderMissions { order: vec![s.planned_mission] }).await.unwrap();
    close(&s.f.t, s.active).await;
    let result = s.f.t.reorder_missions(&s.f.admin, s.active, ReorderMissions { order: vec![b, s.mission] }).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
}
