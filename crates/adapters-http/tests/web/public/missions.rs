//! The public mission list and mission pages, and the dashboard's bound: the latest
//! missions with their latest events, the rest one link away.

use super::world::{HIDDEN, STAFF_NOTE, World, event, world};
use crate::support::TestApp;
use application::missions::MissionInput;
use axum::http::StatusCode;
use domain::MissionId;

async fn add_mission(app: &TestApp, campaign: domain::CampaignId, name: &str) -> MissionId {
    let input = MissionInput { name: name.into(), status: "Planned".into(), ..MissionInput::default() };
    app.tracker().create_mission(&app.manager(), campaign, input).await.expect("the mission is created")
}

/// The hrefs of `/missions/<id>` links in `body`, in order, once each.
fn mission_links(body: &str) -> Vec<String> {
    let mut links: Vec<String> = Vec::new();
    for part in body.split("href=\"/missions/").skip(1) {
        let id: String = part.chars().take_while(char::is_ascii_digit).collect();
        if !id.is_empty() && !links.contains(&id) {
            links.push(id);
        }
    }
    links
}

#[tokio::test]
async fn the_dashboard_shows_the_latest_missions_and_events_and_links_to_the_rest() {
    let World { app, active, .. } = world().await;
    for n in 1..=6 {
        add_mission(&app, active, &format!("Sweep {n}")).await;
    }
    let busy = add_mission(&app, active, "Long haul").await;
    for n in 1..=12 {
        event(&app, busy, &format!("Convoy {n:02}"), &format!("2026-02-01T{n:02}:00"), &[]).await;
    }
    let body = app.anonymous().get("/").await.body;
    assert_eq!(mission_links(&body).len(), 5, "the five latest missions: {body}");
    assert!(body.contains("Long haul") && body.contains("Sweep 6") && !body.contains("Sweep 2<"), "{body}");
    assert!(!body.contains(">Kavala<"), "an old mission is one link away");
    assert!(body.contains(r#"<a href="/missions">All 9 missions</a>"#), "{body}");
    assert!(body.contains("All 12 events of this mission"), "{body}");
    assert!(body.contains("Convoy 12") && body.contains("Convoy 03") && !body.contains("Convoy 02"), "the latest ten");
}

#[tokio::test]
async fn the_mission_list_is_paged_newest_first_with_event_counts() {
    let World { app, active, .. } = world().await;
    for n in 1..=20 {
        add_mission(&app, active, &format!("Patrol {n:02}")).await;
    }
    let first = app.anonymous().get("/missions").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("(22 in all)"), "{}", first.body);
    assert!(first.body.find("Patrol 20").expect("the newest") < first.body.find("Patrol 02").expect("an older one"));
    assert!(!first.body.contains("Kavala"), "the oldest is on page 2");
    assert!(first.body.contains(r#"href="/missions?page=2" rel="next""#), "{}", first.body);
    let second = app.anonymous().get("/missions?page=2").await.body;
    assert!(second.contains("Kavala") && second.contains("· 1 event\n") && second.contains("· 0 events"), "{second}");
}

#[tokio::test]
async fn a_mission_page_shows_its_events_with_public_changes_only() {
    let World { app, .. } = world().await;
    let dashboard = app.anonymous().get("/").await.body;
    let ids = mission_links(&dashboard);
    let kavala = ids.last().expect("Kavala, the older mission").clone();
    let page = app.anonymous().get(&format!("/missions/{kavala}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>Kavala <span"), "{}", page.body);
    assert!(page.body.contains(r#"<article data-event="Ambush at Kavala">"#), "{}", page.body);
    assert!(page.body.contains(r#"<li data-change="M2A1 Slammer"><span class="loss">-2</span>"#));
    assert!(!page.body.contains(HIDDEN) && !page.body.contains(STAFF_NOTE), "nothing staff-only");
    assert!(!page.body.contains("edit-secret"));
}

#[tokio::test]
async fn missions_outside_the_active_campaign_are_not_found() {
    let World { app, closed, .. } = world().await;
    let landing = app.tracker().missions(&app.admin(), closed).await.expect("the closed campaign's missions");
    let landing = landing.first().expect("Landing").id;
    for path in [format!("/missions/{landing}"), "/missions/987654".to_owned(), "/missions/abc".to_owned()] {
        let page = app.anonymous().get(&path).await;
        assert!(matches!(page.status, StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST), "{path}: {}", page.status);
        assert!(!page.body.contains("Beach assault"), "{path}");
    }
}

#[tokio::test]
async fn without_an_active_campaign_the_mission_list_says_so() {
    let app = TestApp::new().await;
    let page = app.anonymous().get("/missions").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("no mission list to show"), "{}", page.body);
}
