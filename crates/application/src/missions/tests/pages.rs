//! The mission pages' reads: who may read them, what they answer for a missing
//! mission or campaign, and the `can_run` flag or refusal that decides their forms.

use crate::UseCaseError;
use crate::error::Conflict;
use crate::events::scenario::{close, scenario};
use crate::testing::{anonymous, seed_event};
use domain::{CampaignId, LedgerError, MissionId};

#[tokio::test]
async fn the_mission_list_is_for_staff_and_says_who_may_change_it() {
    let s = scenario().await;
    let page = s.f.t.missions_page(&s.f.manager, s.active).await.unwrap();
    assert_eq!((page.campaign.id(), page.missions.len(), page.can_run), (s.active, 1, true));
    let page = s.f.t.missions_page(&s.f.manager, s.planned).await.expect("any staff member may read");
    assert!(!page.can_run, "a manager does not run a planned campaign");
    assert!(s.f.t.missions_page(&s.f.admin, s.planned).await.unwrap().can_run);

    assert!(matches!(s.f.t.missions_page(&anonymous(), s.active).await, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.missions_page(&s.f.admin, CampaignId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("campaign"))));
    close(&s.f.t, s.active).await;
    assert!(!s.f.t.missions_page(&s.f.admin, s.active).await.unwrap().can_run);
}

#[tokio::test]
async fn the_new_mission_form_is_only_for_the_runner_of_an_open_campaign() {
    let s = scenario().await;
    assert_eq!(s.f.t.new_mission_page(&s.f.manager, s.active).await.unwrap().id(), s.active);
    let planned = s.f.t.new_mission_page(&s.f.manager, s.planned).await;
    assert!(matches!(planned, Err(UseCaseError::Forbidden)));
    assert!(matches!(s.f.t.new_mission_page(&anonymous(), s.active).await, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.new_mission_page(&s.f.admin, CampaignId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("campaign"))));
    close(&s.f.t, s.active).await;
    let closed = s.f.t.new_mission_page(&s.f.admin, s.active).await;
    assert!(matches!(closed, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
}

#[tokio::test]
async fn the_mission_page_shows_its_events_with_the_pool_and_whether_forms_are_offered() {
    let s = scenario().await;
    let event = seed_event(&s.f.t, s.mission, "Ambush", &[(s.slammer, -1)]).await;
    let page = s.f.t.mission_page(&s.f.manager, s.mission).await.unwrap();
    assert_eq!(page.mission.id, s.mission);
    assert_eq!(page.events.iter().map(|e| e.id).collect::<Vec<_>>(), [event]);
    assert_eq!(page.pool.len(), 4, "the pool names the changes' assets");
    assert!(page.can_run);

    let planned = s.f.t.mission_page(&s.f.manager, s.planned_mission).await.expect("any staff member may read");
    assert!(!planned.can_run);
    assert!(s.f.t.mission_page(&s.f.admin, s.planned_mission).await.unwrap().can_run);
    assert!(matches!(s.f.t.mission_page(&anonymous(), s.mission).await, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.mission_page(&s.f.admin, MissionId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("mission"))));
    close(&s.f.t, s.active).await;
    assert!(!s.f.t.mission_page(&s.f.admin, s.mission).await.unwrap().can_run);
}

#[tokio::test]
async fn the_mission_edit_form_is_only_for_the_runner_of_an_open_campaign() {
    let s = scenario().await;
    assert_eq!(s.f.t.mission_edit_page(&s.f.manager, s.mission).await.unwrap().id, s.mission);
    let planned = s.f.t.mission_edit_page(&s.f.manager, s.planned_mission).await;
    assert!(matches!(planned, Err(UseCaseError::Forbidden)));
    assert_eq!(s.f.t.mission_edit_page(&s.f.admin, s.planned_mission).await.unwrap().id, s.planned_mission);
    let missing = s.f.t.mission_edit_page(&s.f.admin, MissionId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("mission"))));
    close(&s.f.t, s.active).await;
    let closed = s.f.t.mission_edit_page(&s.f.admin, s.mission).await;
    assert!(matches!(closed, Err(UseCaseError::Conflict(Conflict::CampaignClosed))));
}

#[tokio::test]
async fn the_mission_deletion_page_shows_the_refusal_it_would_meet() {
    let s = scenario().await;
    seed_event(&s.f.t, s.mission, "Capture", &[(s.hunter, 2)]).await;
    seed_event(&s.f.t, s.mission, "Ambush", &[(s.slammer, -1)]).await;
    let page = s.f.t.mission_deletion_page(&s.f.manager, s.mission).await.unwrap();
    assert_eq!((page.mission.id, page.events), (s.mission, 2));
    assert_eq!(page.restorations, Ok(s.f.t.mission_deletion_preview(&s.f.manager, s.mission).await.unwrap()));

    // The captured Hunters are spent elsewhere: taking them back would go below zero.
    let other = crate::testing::seed_mission(&s.f.t, s.active, "Later").await;
    seed_event(&s.f.t, other, "Losses", &[(s.hunter, -4)]).await;
    let page = s.f.t.mission_deletion_page(&s.f.manager, s.mission).await.unwrap();
    let expected = LedgerError::Insufficient { asset: "Hunter".into(), available: 0, requested: 2 };
    assert_eq!(page.restorations, Err(Conflict::Ledger(expected)));

    let planned = s.f.t.mission_deletion_page(&s.f.manager, s.planned_mission).await;
    assert!(matches!(planned, Err(UseCaseError::Forbidden)));
    assert!(matches!(s.f.t.mission_deletion_page(&anonymous(), s.mission).await, Err(UseCaseError::Forbidden)));
    let missing = s.f.t.mission_deletion_page(&s.f.admin, MissionId::new(9999)).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("mission"))));
    close(&s.f.t, s.active).await;
    let closed = s.f.t.mission_deletion_page(&s.f.admin, s.mission).await.unwrap();
    assert_eq!(closed.restorations, Err(Conflict::CampaignClosed));
}
