//! `GET /timeline`: every event of the active campaign, newest first, paged.

use super::world::{World, event, world};
use axum::http::StatusCode;

#[tokio::test]
async fn the_timeline_shows_every_event_newest_first_with_signed_deltas() {
    let World { app, active, .. } = world().await;
    let mission = app.tracker().missions(&app.admin(), active).await.expect("missions")[0].id;
    event(&app, mission, "Convoy arrives", "2026-01-07T10:00", &[]).await;
    let page = app.anonymous().get("/timeline").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let newer = body.find(r#"<article data-event="Convoy arrives">"#).expect("the newer event");
    let older = body.find(r#"<article data-event="Ambush at Kavala">"#).expect("the older event");
    assert!(newer < older, "newest first");
    assert!(body.contains(r#"<li data-change="M2A1 Slammer"><span class="loss">-2</span>"#), "{body}");
    assert!(body.contains(r#"<li data-change="Hunter"><span class="gain">+1</span>"#), "{body}");
    assert!(body.contains("Mission: Kavala") && body.contains("Page 1 of 1"), "{body}");
    assert!(!body.contains("Beach assault"), "only the active campaign's events: {body}");
    assert!(!body.contains(r#"rel="prev""#) && !body.contains(r#"rel="next""#));
}

#[tokio::test]
async fn the_timeline_is_paged_with_previous_and_next_links() {
    let World { app, active, .. } = world().await;
    let mission = app.tracker().missions(&app.admin(), active).await.expect("missions")[0].id;
    for day in 10..30 {
        event(&app, mission, &format!("Patrol {day}"), &format!("2026-01-{day}T08:00"), &[]).await;
    }
    let first = app.anonymous().get("/timeline").await.body;
    assert_eq!(first.matches("<article data-event=").count(), 20, "{first}");
    assert!(first.contains("Page 1 of 2") && first.contains(r#"href="/timeline?page=2" rel="next""#), "{first}");
    assert!(!first.contains(r#"rel="prev""#));
    assert!(first.find("Patrol 29").expect("newest") < first.find("Patrol 28").expect("next newest"));
    assert!(!first.contains("Ambush at Kavala"), "the oldest event is on page 2");

    let second = app.anonymous().get("/timeline?page=2").await.body;
    assert_eq!(second.matches("<article data-event=").count(), 1, "{second}");
    assert!(second.contains(r#"<article data-event="Ambush at Kavala">"#) && second.contains("Page 2 of 2"));
    assert!(second.contains(r#"href="/timeline?page=1" rel="prev""#) && !second.contains(r#"rel="next""#));

    let beyond = app.anonymous().get("/timeline?page=9").await;
    assert_eq!(beyond.status, StatusCode::OK);
    assert!(beyond.body.contains("There are no events on this page.") && beyond.body.contains(r#"page=2" rel="prev""#));
    assert!(beyond.body.contains("Past the last page (page 2)") && !beyond.body.contains("Page 9 of 2"));
    let junk = app.anonymous().get("/timeline?page=abc").await;
    assert_eq!(junk.status, StatusCode::OK);
    assert!(junk.body.contains("Page 1 of 2"), "{}", junk.body);
}
