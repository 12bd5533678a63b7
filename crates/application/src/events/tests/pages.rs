//! The event pages' reads: who may read them, what they answer for a missing event or
//! mission, and the `can_run` flag or refusal that decides their forms.

use crate::UseCaseError;
use crate::error::Conflict;
use crate::events::scenario::{close, scenario};
use crate::testing::{anonymous, seed_event};
use domain::{EventId, LedgerError, MissionId};

#[tokio::test]
async fn the_event_page_shows_the_event_with_the_pool_and_whether_forms_are_offered() {
    let s = scenario().await;
    let event = seed_event(&s.f.t, s.mission, "Ambush", &[(s.slammer, -1)]).await;
    let planned = seed_event(&s.f.t, s.planned_mission, "Drill", &[]).await;
    let page = s.f.t.event_page(&s.f.manager, event).await.unwrap();
    assert_eq!((page.event.id, page.mission.id, page.event.changes.len()), (event, s.mission, 1));
    assert_eq!(page.pool.len(), 4, "the pool names the changes' assets and offers the entries");
    assert!(page.can_run);

    assert!(!s.f.t.event_page(&s.f.manager, planned).await.expect("any staff member may read").can_run);
    assert!(s.f.t.event_page(&s.f.admin, planned).await.unwrap().can_run);
    assert!(matches!(s.f.t.event_page(&anonymous(), event).await, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.event_page(&s.f.admin, EventId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("event"))));
    close(&s.f.t, s.active).await;
    assert!(!s.f.t.event_page(&s.f.admin, event).await.unwrap().can_run);
}

#[tokio::test]
async fn the_event_forms_are_only_for_the_runner_of_an_open_campaign() {
    let s = scenario().await;
    let event = seed_event(&s.f.t, s.mission, "Ambush", &[]).await;
    let planned = seed_event(&s.f.t, s.planned_mission, "Drill", &[]).await;
    let form = s.f.t.event_form_page(&s.f.manager, s.mission).await.unwrap();
    assert_eq!((form.mission.id, form.pool.len()), (s.mission, 4));
    let edit = s.f.t.event_edit_page(&s.f.manager, event).await.unwrap();
    assert_eq!((edit.event.id, edit.mission.id), (event, s.mission));

    let refused = s.f.t.event_form_page(&s.f.manager, s.planned_mission).await;
    assert!(matches!(refused, Err(UseCaseError::Forbidden)));
    assert!(matches!(s.f.t.event_edit_page(&s.f.manager, planned).await, Err(UseCaseError::Forbidden)));
    assert!(s.f.t.event_edit_page(&s.f.admin, planned).await.is_ok());
    assert!(matches!(s.f.t.event_form_page(&anonymous(), s.mission).await, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.event_form_page(&s.f.admin, MissionId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("mission"))));
    let missing = s.f.t.event_edit_page(&s.f.admin, EventId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("event"))));

    close(&s.f.t, s.active).await;
    let closed = s.f.t.event_form_page(&s.f.admin, s.mission).await;
    assert!(matches!(closed, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
    let closed = s.f.t.event_edit_page(&s.f.admin, event).await;
    assert!(matches!(closed, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
}

#[tokio::test]
async fn the_event_deletion_page_shows_the_refusal_it_would_meet() {
    let s = scenario().await;
    let capture = seed_event(&s.f.t, s.mission, "Capture", &[(s.hunter, 2)]).await;
    let planned = seed_event(&s.f.t, s.planned_mission, "Drill", &[]).await;
    let page = s.f.t.event_deletion_page(&s.f.manager, capture).await.unwrap();
    assert_eq!((page.event.id, page.mission.id), (capture, s.mission));
    assert_eq!(page.restorations, Ok(s.f.t.event_deletion_preview(&s.f.manager, capture).await.unwrap()));

    // The captured Hunters are spent: taking them back would go below zero.
    seed_event(&s.f.t, s.mission, "Losses", &[(s.hunter, -4)]).await;
    let page = s.f.t.event_deletion_page(&s.f.manager, capture).await.unwrap();
    let expected = LedgerError::Insufficient { asset: "Hunter".into(), available: 0, requested: 2 };
    assert_eq!(page.restorations, Err(Conflict::Ledger(expected)));

    assert!(matches!(s.f.t.event_deletion_page(&s.f.manager, planned).await, Err(UseCaseError::Forbidden)));
    assert!(matches!(s.f.t.event_deletion_page(&anonymous(), capture).await, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.event_deletion_page(&s.f.admin, EventId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("event"))));
    close(&s.f.t, s.active).await;
    let closed = s.f.t.event_deletion_page(&s.f.admin, capture).await.unwrap();
    assert_eq!(closed.restorations, Err(Conflict::CampaignClosed));
}
