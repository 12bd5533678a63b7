//! Listing and creating missions; editing, reordering, deletion and the pages' reads
//! are in the submodules.

mod deletion;
mod editing;
mod pages;

use super::MissionInput;
use crate::UseCaseError;
use crate::error::Conflict;
use crate::events::scenario::{close, invalid, scenario, snapshot};
use crate::testing::{anonymous, audit_actions, seed_event, seed_mission};
use domain::{AuditAction, MissionStatus};
use time::macros::date;

pub(super) fn input(name: &str) -> MissionInput {
    MissionInput {
        name: name.into(),
        description: "Take the harbour".into(),
        date: "2026-02-14".into(),
        location: "Altis, Kavala".into(),
        map_edit_url: "https://maps.example.org/edit/1".into(),
        map_view_url: "https://maps.example.org/view/1".into(),
        ..MissionInput::default()
    }
}

#[tokio::test]
async fn staff_list_missions_in_order_and_read_one_with_its_events() {
    let s = scenario().await;
    let second = seed_mission(&s.f.t, s.active, "Harbour Assault").await;
    let event = seed_event(&s.f.t, second, "Landing", &[(s.slammer, -1)]).await;

    let names: Vec<String> =
        s.f.t.missions(&s.f.manager, s.active).await.unwrap().iter().map(|m| m.details.name.to_string()).collect();
    assert_eq!(names, ["Kavala Raid", "Harbour Assault"]);
    // Reading is allowed on any campaign, not only the one a manager may change.
    assert_eq!(s.f.t.missions(&s.f.manager, s.planned).await.unwrap().len(), 1);
    let view = s.f.t.mission(&s.f.manager, second).await.unwrap();
    assert_eq!(view.mission.id, second);
    assert_eq!(view.events.iter().map(|e| e.id).collect::<Vec<_>>(), [event]);

    assert!(matches!(s.f.t.missions(&anonymous(), s.active).await, Err(UseCaseError::Forbidden)));
    assert!(matches!(s.f.t.mission(&anonymous(), second).await, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.mission(&s.f.admin, domain::MissionId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("mission"))));
    let missing = s.f.t.missions(&s.f.admin, domain::CampaignId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("campaign"))));
}

#[tokio::test]
async fn creating_a_mission_puts_it_last_as_planned_and_audits_it() {
    let s = scenario().await;
    let id = s.f.t.create_mission(&s.f.manager, s.active, input("Harbour Assault")).await.unwrap();

    let missions = s.f.t.missions(&s.f.manager, s.active).await.unwrap();
    let created = missions.last().unwrap();
    assert_eq!(created.id, id);
    assert_eq!(created.status, MissionStatus::Planned);
    assert_eq!(created.details.date, Some(date!(2026 - 02 - 14)));
    assert_eq!(created.details.map_view_url.as_ref().unwrap().as_str(), "https://maps.example.org/view/1");
    let audit = s.f.t.store.audit_entries().pop().unwrap().entry;
    assert_eq!((audit.action, audit.object.id), (AuditAction::MissionCreated, Some(id.get())));
    assert_eq!(audit.details, "created mission \"Harbour Assault\"");
}

#[tokio::test]
async fn a_new_mission_may_start_with_a_status_and_no_date() {
    let s = scenario().await;
    let cmd = MissionInput { status: "inprogress".into(), date: " ".into(), ..input("Ongoing") };
    let id = s.f.t.create_mission(&s.f.admin, s.active, cmd).await.unwrap();
    let mission = s.f.t.mission(&s.f.admin, id).await.unwrap().mission;
    assert_eq!((mission.status, mission.details.date), (MissionStatus::InProgress, None));
}

#[tokio::test]
async fn every_bad_mission_field_is_reported_by_name() {
    let s = scenario().await;
    let before = snapshot(&s.f.t, s.active).await;
    let cmd = MissionInput {
        date: "14/02/2026".into(),
        status: "Done".into(),
        map_edit_url: "javascript:alert(1)".into(),
        ..input(" ")
    };
    let errors = invalid(s.f.t.create_mission(&s.f.admin, s.active, cmd).await);
    assert_eq!(errors.message_for("name"), Some("must not be empty"));
    assert_eq!(errors.message_for("date"), Some("must be a date like 2026-03-14"));
    assert_eq!(errors.message_for("status"), Some("must be one of: Planned, InProgress, Completed, Cancelled"));
    assert_eq!(errors.message_for("map_edit_url"), Some("must start with http:// or https://"));
    assert_eq!(snapshot(&s.f.t, s.active).await, before);
}

#[tokio::test]
async fn creating_a_mission_needs_the_runner_of_an_open_campaign() {
    let s = scenario().await;
    let before = audit_actions(&s.f.t);
    let result = s.f.t.create_mission(&anonymous(), s.active, input("x")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let result = s.f.t.create_mission(&s.f.manager, s.planned, input("x")).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    assert_eq!(audit_actions(&s.f.t), before);

    s.f.t.create_mission(&s.f.admin, s.planned, input("Winter Main")).await.unwrap();
    close(&s.f.t, s.active).await;
    let result = s.f.t.create_mission(&s.f.admin, s.active, input("x")).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
}

#[tokio::test]
async fn the_same_key_creates_one_mission() {
    let s = scenario().await;
    let cmd = MissionInput { idempotency_key: Some("mission-key-01".into()), ..input("Harbour Assault") };
    let first = s.f.t.create_mission(&s.f.admin, s.active, cmd.clone()).await.unwrap();
    let second = s.f.t.create_mission(&s.f.admin, s.active, cmd).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(s.f.t.missions(&s.f.admin, s.active).await.unwrap().len(), 2);
}
