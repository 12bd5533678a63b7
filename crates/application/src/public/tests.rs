//! What the public sees, and the staff dashboard.

use crate::UseCaseError;
use crate::events::scenario::{Scenario, close, event_input, hide, scenario, system};
use crate::pool::ImportLibrary;
use crate::ports::{CampaignRepo, MissionRepo};
use crate::testing::{anonymous, pool_of, seed_event, seed_library, seed_mission};
use domain::{AssetKind, AuditAction, MapUrl, ObjectKind};

/// The scenario with Darter hidden, a staff map link on the first mission and an
/// event that moves both a public and the hidden entry.
async fn with_hidden_darter() -> Scenario {
    let s = scenario().await;
    hide(&s.f.t, s.active, s.darter).await;
    let mut mission = s.f.t.store.mission(s.mission).await.unwrap().unwrap();
    mission.details.map_edit_url = Some(MapUrl::parse("https://maps.example.org/edit").unwrap());
    mission.details.map_view_url = Some(MapUrl::parse("https://maps.example.org/view").unwrap());
    let audit = system(&s.f.t, AuditAction::MissionUpdated, s.active, ObjectKind::Mission);
    s.f.t.store.update_mission(&mission, &audit).await.unwrap();
    let input = event_input("Ambush", &[(s.slammer, "-1"), (s.darter, "-1")]);
    s.f.t.create_event(&s.f.admin, s.mission, input).await.unwrap();
    s
}

#[tokio::test]
async fn without_an_active_campaign_the_public_pages_are_empty() {
    let s = scenario().await;
    close(&s.f.t, s.active).await;
    assert_eq!(s.f.t.dashboard(5, 10).await.unwrap(), None);
    assert_eq!(s.f.t.public_missions(1, 20).await.unwrap(), None);
    assert!(matches!(s.f.t.public_mission(s.mission, 1, 20).await, Err(UseCaseError::NotFound("mission"))));
    assert_eq!(s.f.t.timeline(1, 20).await.unwrap(), None);
    assert_eq!(s.f.t.public_pool().await.unwrap(), None);
    assert_eq!(s.f.t.staff_dashboard(&s.f.admin).await.unwrap(), None);
}

#[tokio::test]
async fn the_dashboard_shows_public_entries_and_changes_and_newest_missions_first() {
    let s = with_hidden_darter().await;
    let later = seed_mission(&s.f.t, s.active, "Harbour Assault").await;

    let dashboard = s.f.t.dashboard(5, 10).await.unwrap().unwrap();
    assert_eq!(dashboard.campaign.id(), s.active);
    let names: Vec<&str> = dashboard.pool.iter().map(|e| e.asset_name().as_str()).collect();
    assert_eq!(names, ["HQ Truck", "Hunter", "M2A1 Slammer"]);
    let missions: Vec<_> = dashboard.missions.iter().map(|m| m.mission.id).collect();
    assert_eq!(missions, [later, s.mission]);
    let raid = &dashboard.missions[1];
    assert_eq!(raid.mission.details.map_edit_url, None);
    assert!(raid.mission.details.map_view_url.is_some());
    let event = &raid.events[0];
    assert_eq!(event.changes.iter().map(|c| c.pool_entry_id).collect::<Vec<_>>(), [s.slammer]);
    assert_eq!(event.details.notes.as_str(), "");
    assert_eq!((dashboard.mission_count, raid.event_count), (2, 1));

    let bounded = s.f.t.dashboard(1, 0).await.unwrap().unwrap();
    assert_eq!(bounded.missions.iter().map(|m| m.mission.id).collect::<Vec<_>>(), [later], "only the latest");
    assert_eq!(bounded.mission_count, 2, "the count still says how many there are");
}

#[tokio::test]
async fn public_missions_are_paged_and_a_mission_shows_only_public_changes() {
    let s = with_hidden_darter().await;
    let later = seed_mission(&s.f.t, s.active, "Harbour Assault").await;
    let (campaign, page) = s.f.t.public_missions(1, 1).await.unwrap().unwrap();
    assert_eq!((campaign.id(), page.total), (s.active, 2));
    assert_eq!(page.items.iter().map(|(m, _)| m.id).collect::<Vec<_>>(), [later]);
    assert_eq!(page.items[0].0.details.map_edit_url, None, "no staff map link");
    let raid = s.f.t.public_mission(s.mission, 1, 20).await.unwrap();
    assert_eq!((raid.mission.id, raid.events.total), (s.mission, 1));
    assert_eq!(raid.mission.details.map_edit_url, None);
    let ambush = &raid.events.items[0];
    assert_eq!(
        ambush.changes.iter().map(|(name, delta, _)| (name.as_str(), *delta)).collect::<Vec<_>>(),
        [("M2A1 Slammer", -1)]
    );
    assert_eq!(ambush.event.details.notes.as_str(), "", "no staff notes");
    let missing = s.f.t.public_mission(domain::MissionId::new(987_654), 1, 20).await;
    assert!(matches!(missing, Err(UseCaseError::NotFound("mission"))));
}

#[tokio::test]
async fn the_public_pool_hides_hidden_entries() {
    let s = with_hidden_darter().await;
    let (campaign, pool) = s.f.t.public_pool().await.unwrap().unwrap();
    assert_eq!(campaign.id(), s.active);
    assert!(pool.iter().all(|e| e.is_public() && e.id() != s.darter));
    assert_eq!(pool.len(), 3);
}

#[tokio::test]
async fn the_timeline_is_paged_newest_first_with_public_changes_only() {
    let s = with_hidden_darter().await;
    for hour in 1..=4 {
        s.f.t.clock.advance(time::Duration::hours(1));
        seed_event(&s.f.t, s.mission, &format!("Patrol {hour}"), &[(s.darter, -1)]).await;
    }
    // The form-recorded "Ambush" happened on 2026-01-02, after every seeded patrol.
    let (campaign, page) = s.f.t.timeline(1, 2).await.unwrap().unwrap();
    assert_eq!(campaign.id(), s.active);
    assert_eq!((page.total, page.page_count()), (5, 3));
    let titles: Vec<&str> = page.items.iter().map(|e| e.event.details.title.as_str()).collect();
    assert_eq!(titles, ["Ambush", "Patrol 4"]);
    let ambush = &page.items[0];
    assert_eq!(ambush.mission_name, "Kavala Raid");
    assert_eq!(ambush.changes, [("M2A1 Slammer".to_owned(), -1, String::new())]);
    assert_eq!(ambush.event.changes.len(), 1);
    assert!(page.items[1].changes.is_empty() && page.items[1].event.changes.is_empty());

    let (_, last) = s.f.t.timeline(3, 2).await.unwrap().unwrap();
    let titles: Vec<&str> = last.items.iter().map(|e| e.event.details.title.as_str()).collect();
    assert_eq!(titles, ["Patrol 1"]);
    let (_, beyond) = s.f.t.timeline(9, 2).await.unwrap().unwrap();
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, 5);
}

#[tokio::test]
async fn closed_campaigns_show_their_archived_report_without_hidden_entries() {
    let s = with_hidden_darter().await;
    close(&s.f.t, s.active).await;

    let archive = s.f.t.closed_campaigns().await.unwrap();
    assert_eq!(archive.len(), 1);
    let (campaign, report) = &archive[0];
    assert_eq!(campaign.id(), s.active);
    assert!(campaign.is_closed());
    let names: Vec<&str> = report.entries.iter().map(|e| e.asset_name.as_str()).collect();
    assert_eq!(names, ["HQ Truck", "Hunter", "M2A1 Slammer"]);
    let changes: Vec<&str> = report.missions[0].events[0].changes.iter().map(|c| c.asset_name.as_str()).collect();
    assert_eq!(changes, ["M2A1 Slammer"]);
    // The archive itself keeps everything; only the public view is reduced.
    let stored = s.f.t.store.final_report(s.active).await.unwrap().unwrap();
    assert_eq!(stored.entries.len(), 4);
}

#[tokio::test]
async fn a_hidden_entry_sharing_its_name_with_a_public_one_keeps_its_changes_out_of_the_archive() {
    let s = scenario().await;
    let (csat, _) = seed_library(&s.f.t, "CSAT", &[("M2A1 Slammer", AssetKind::Vehicle, 3, false)]).await;
    let import = ImportLibrary { library_id: csat.to_string(), idempotency_key: None };
    s.f.t.import_library(&s.f.admin, s.active, import).await.unwrap();
    let pool = pool_of(&s.f.t, s.active).await;
    let twin = pool.iter().find(|e| e.asset_name().as_str() == "M2A1 Slammer" && e.id() != s.slammer).unwrap().id();
    hide(&s.f.t, s.active, twin).await;
    let input = event_input("Ambush", &[(s.slammer, "-1"), (twin, "-2")]);
    s.f.t.create_event(&s.f.admin, s.mission, input).await.unwrap();
    close(&s.f.t, s.active).await;

    let (_, report) = s.f.t.closed_campaign(s.active).await.unwrap();
    let slammers: Vec<u32> =
        report.entries.iter().filter(|e| e.asset_name == "M2A1 Slammer").map(|e| e.current).collect();
    assert_eq!(slammers, [2], "only the public Slammer is listed");
    let changes: Vec<i64> = report.missions[0].events[0].changes.iter().map(|c| c.delta).collect();
    assert_eq!(changes, [-1], "the hidden twin's loss stays hidden although it has the same name");
    let listed = s.f.t.closed_campaigns().await.unwrap();
    assert_eq!(listed[0].1, report, "the archive list reduces it the same way");
}

#[tokio::test]
async fn the_staff_dashboard_sums_the_pool_and_lists_the_latest_work() {
    let s = scenario().await;
    for n in 1..=6 {
        seed_mission(&s.f.t, s.active, &format!("Op {n}")).await;
    }
    for n in 1..=11 {
        s.f.t.clock.advance(time::Duration::minutes(5));
        let changes = if n == 1 { vec![(s.slammer, -3), (s.hunter, -1)] } else { vec![] };
        seed_event(&s.f.t, s.mission, &format!("Event {n}"), &changes).await;
    }

    let board = s.f.t.staff_dashboard(&s.f.manager).await.unwrap().unwrap();
    assert_eq!(board.campaign.id(), s.active);
    assert_eq!((board.pool_total_initial, board.pool_total_current), (11, 7));
    // Hunter (1 left) is low; HQ Truck is unique and so never low; Slammer is used up.
    assert_eq!((board.low, board.depleted), (1, 1));
    let missions: Vec<&str> = board.latest_missions.iter().map(|m| m.details.name.as_str()).collect();
    assert_eq!(missions, ["Op 6", "Op 5", "Op 4", "Op 3", "Op 2"]);
    assert_eq!(board.latest_events.len(), 10);
    assert_eq!(board.latest_events[0].details.title.as_str(), "Event 11");
    assert!(matches!(s.f.t.staff_dashboard(&anonymous()).await, Err(UseCaseError::Forbidden)));
}
