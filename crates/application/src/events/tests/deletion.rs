//! Previewing and deleting whole events.

use crate::UseCaseError;
use crate::error::Conflict;
use crate::events::Restoration;
use crate::events::scenario::{close, ledger, quantity, scenario, snapshot};
use crate::testing::{anonymous, seed_event};
use domain::{AuditAction, EventId, LedgerError, Quantity};

fn q(n: u32) -> Quantity {
    Quantity::new(n).unwrap()
}

#[tokio::test]
async fn the_deletion_preview_lists_what_comes_back() {
    let s = scenario().await;
    let event =
        seed_event(&s.f.t, s.mission, "Ambush", &[(s.slammer, -2), (s.hunter, 1), (s.darter, -1), (s.darter, 1)]).await;
    let preview = s.f.t.event_deletion_preview(&s.f.manager, event).await.unwrap();
    // Pool order is by kind then name; Darter's changes cancel out, so it is left out.
    assert_eq!(
        preview,
        [
            Restoration { pool_entry_id: s.hunter, asset_name: "Hunter".into(), current: q(3), after: q(2) },
            Restoration { pool_entry_id: s.slammer, asset_name: "M2A1 Slammer".into(), current: q(1), after: q(3) },
        ]
    );
}

#[tokio::test]
async fn deleting_an_event_restores_quantities_exactly() {
    let s = scenario().await;
    seed_event(&s.f.t, s.mission, "Earlier loss", &[(s.slammer, -1)]).await;
    let event = seed_event(&s.f.t, s.mission, "Ambush", &[(s.slammer, -2), (s.hunter, 1)]).await;
    s.f.t.delete_event(&s.f.manager, event).await.unwrap();

    assert_eq!(quantity(&s.f.t, s.active, "M2A1 Slammer").await, 2);
    assert_eq!(quantity(&s.f.t, s.active, "Hunter").await, 2);
    assert!(matches!(s.f.t.event(&s.f.admin, event).await, Err(UseCaseError::NotFound("event"))));
    let audit = s.f.t.store.audit_entries().pop().unwrap().entry;
    assert_eq!((audit.action, audit.object.id), (AuditAction::EventDeleted, Some(event.get())));
    assert!(audit.details.contains("Hunter 3 -> 2, M2A1 Slammer 0 -> 2"), "{}", audit.details);
}

#[tokio::test]
async fn an_event_whose_reversal_breaks_the_rule_is_neither_previewed_nor_deleted() {
    let s = scenario().await;
    let capture = seed_event(&s.f.t, s.mission, "Capture", &[(s.hunter, 1), (s.slammer, -1)]).await;
    seed_event(&s.f.t, s.mission, "Ambush", &[(s.hunter, -3)]).await;
    let before = snapshot(&s.f.t, s.active).await;

    let expected = LedgerError::Insufficient { asset: "Hunter".into(), available: 0, requested: 1 };
    assert_eq!(ledger(s.f.t.event_deletion_preview(&s.f.admin, capture).await), expected);
    assert_eq!(ledger(s.f.t.delete_event(&s.f.admin, capture).await), expected);
    assert_eq!(snapshot(&s.f.t, s.active).await, before);
}

#[tokio::test]
async fn deleting_an_event_needs_the_runner_and_an_open_campaign() {
    let s = scenario().await;
    let event = seed_event(&s.f.t, s.mission, "Raid", &[(s.slammer, -1)]).await;
    let planned = seed_event(&s.f.t, s.planned_mission, "Drill", &[(s.planned_slammer, -1)]).await;
    let before = snapshot(&s.f.t, s.active).await;

    assert!(matches!(s.f.t.delete_event(&anonymous(), event).await, Err(UseCaseError::Forbidden)));
    assert!(matches!(s.f.t.event_deletion_preview(&anonymous(), event).await, Err(UseCaseError::Forbidden)));
    assert!(matches!(s.f.t.delete_event(&s.f.manager, planned).await, Err(UseCaseError::Forbidden)));
    let result = s.f.t.event_deletion_preview(&s.f.manager, planned).await;
    assert!(matches!(result, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.delete_event(&s.f.admin, EventId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("event"))));
    assert_eq!(snapshot(&s.f.t, s.active).await, before);

    s.f.t.delete_event(&s.f.admin, planned).await.unwrap();
    assert_eq!(quantity(&s.f.t, s.planned, "M2A1 Slammer").await, 3);
    close(&s.f.t, s.active).await;
    let result = s.f.t.delete_event(&s.f.admin, event).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
    let result = s.f.t.event_deletion_preview(&s.f.admin, event).await;
    assert!(matches!(result, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
}
