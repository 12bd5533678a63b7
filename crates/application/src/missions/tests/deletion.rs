//! Previewing and deleting missions with their events.

use crate::UseCaseError;
use crate::error::Conflict;
use crate::events::Restoration;
use crate::events::scenario::{close, ledger, quantity, scenario, snapshot};
use crate::ports::EventRepo;
use crate::testing::{anonymous, audit_actions, seed_event, seed_mission};
use domain::{AuditAction, LedgerError, Quantity};

fn q(n: u32) -> Quantity {
    Quantity::new(n).unwrap()
}

#[tokio::test]
async fn the_preview_nets_the_changes_of_every_event() {
    let s = scenario().await;
    seed_event(&s.f.t, s.mission, "Ambush", &[(s.slammer, -2), (s.hunter, -1)]).await;
    seed_event(&s.f.t, s.mission, "Salvage", &[(s.slammer, 1), (s.hunter, 1)]).await;
    let preview = s.f.t.mission_deletion_preview(&s.f.manager, s.mission).await.unwrap();
    assert_eq!(
        preview,
        [Restoration { pool_entry_id: s.slammer, asset_name: "M2A1 Slammer".into(), current: q(2), after: q(3) }]
    );
}

#[tokio::test]
async fn deleting_a_mission_with_two_events_restores_everything_in_one_write() {
    let s = scenario().await;
    let other = seed_mission(&s.f.t, s.active, "Harbour Assault").await;
    seed_event(&s.f.t, other, "Kept", &[(s.darter, -1)]).await;
    seed_event(&s.f.t, s.mission, "Ambush", &[(s.slammer, -3), (s.hunter, 1)]).await;
    seed_event(&s.f.t, s.mission, "Losses", &[(s.hunter, -3), (s.hq, -1)]).await;
    let audit_before = audit_actions(&s.f.t).len();

    s.f.t.delete_mission(&s.f.manager, s.mission).await.unwrap();

    assert_eq!(quantity(&s.f.t, s.active, "M2A1 Slammer").await, 3);
    assert_eq!(quantity(&s.f.t, s.active, "Hunter").await, 2);
    assert_eq!(quantity(&s.f.t, s.active, "HQ Truck").await, 1);
    assert_eq!(quantity(&s.f.t, s.active, "Darter").await, 4);
    let remaining = s.f.t.store.campaign_events(s.active).await.unwrap();
    assert_eq!(remaining.iter().map(|e| e.mission_id).collect::<Vec<_>>(), [other]);
    assert!(matches!(s.f.t.mission(&s.f.admin, s.mission).await, Err(UseCaseError::NotFound("mission"))));
    let entries = s.f.t.store.audit_entries();
    assert_eq!(entries.len(), audit_before + 1);
    let audit = &entries.last().unwrap().entry;
    assert_eq!((audit.action, audit.object.id), (AuditAction::MissionDeleted, Some(s.mission.get())));
    assert_eq!(
        audit.details,
        "deleted mission \"Kavala Raid\" with 2 event(s); restored HQ Truck 0 -> 1, Hunter 0 -> 2, M2A1 Slammer 0 -> 3"
    );
}

#[tokio::test]
async fn a_mission_whose_reversal_breaks_the_rule_is_not_deleted() {
    let s = scenario().await;
    let later = seed_mission(&s.f.t, s.active, "Harbour Assault").await;
    seed_event(&s.f.t, s.mission, "Capture", &[(s.hunter, 2)]).await;
    seed_event(&s.f.t, later, "Ambush", &[(s.hunter, -3)]).await;
    let before = snapshot(&s.f.t, s.active).await;

    let expected = LedgerError::Insufficient { asset: "Hunter".into(), available: 1, requested: 2 };
    assert_eq!(ledger(s.f.t.mission_deletion_preview(&s.f.admin, s.mission).await), expected);
    assert_eq!(ledger(s.f.t.delete_mission(&s.f.admin, s.mission).await), expected);
    assert_eq!(snapshot(&s.f.t, s.active).await, before);
}

#[tokio::test]
async fn deleting_a_mission_needs_the_runner_of_an_open_campaign() {
    let s = scenario().await;
    seed_event(&s.f.t, s.mission, "Raid", &[(s.slammer, -1)]).await;
    let before = snapshot(&s.f.t, s.active).await;
    assert!(matches!(s.f.t.delete_mission(&anonymous(), s.mission).await, Err(UseCaseError::Forbidden)));
    let result = s.f.t.mission_deletion_preview(&anonymous(), s.mission).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let result = s.f.t.delete_mission(&s.f.manager, s.planned_mission).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let result = s.f.t.mission_deletion_preview(&s.f.manager, s.planned_mission).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.delete_mission(&s.f.admin, domain::MissionId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("mission"))));
    assert_eq!(snapshot(&s.f.t, s.active).await, before);

    s.f.t.delete_mission(&s.f.admin, s.planned_mission).await.unwrap();
    close(&s.f.t, s.active).await;
    let result = s.f.t.delete_mission(&s.f.admin, s.mission).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
    let result = s.f.t.mission_deletion_preview(&s.f.admin, s.mission).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
}
