//! Who may use the missions and events pages: the public is sent to log in; a manager
//! may read a planned campaign's missions and events but gets 403 on every form and
//! change; an admin may change a planned campaign.

use super::{World, assert_redirect, world};
use crate::support::Client;
use axum::http::StatusCode;
use domain::{EventId, MissionId};

/// A mission with one event (Hunter -1) in `w.planned`.
async fn planned_scene(w: &World) -> (MissionId, EventId, i64) {
    let mission = w.mission(w.planned, "Winter drill").await;
    let hunter = w.entry(w.planned, "Hunter").await;
    let event = w.event(mission, "Cold start", &[(hunter, "-1")]).await;
    let change = w.app.tracker().event(&w.app.admin(), event).await.expect("the event").changes[0].id.get();
    (mission, event, change)
}

fn pages(cid: i64, m: MissionId, e: EventId) -> Vec<String> {
    vec![
        format!("/manage/campaigns/{cid}/missions"),
        format!("/manage/campaigns/{cid}/missions/new"),
        format!("/manage/missions/{m}"),
        format!("/manage/missions/{m}/edit"),
        format!("/manage/missions/{m}/delete"),
        format!("/manage/missions/{m}/events/new"),
        format!("/manage/events/{e}"),
        format!("/manage/events/{e}/edit"),
        format!("/manage/events/{e}/delete"),
    ]
}

fn posts(cid: i64, m: MissionId, e: EventId, change: i64) -> Vec<(String, Vec<(&'static str, String)>)> {
    let h = |s: &str| s.to_owned();
    vec![
        (format!("/manage/campaigns/{cid}/missions"), vec![("name", h("Extra"))]),
        (format!("/manage/campaigns/{cid}/missions/reorder"), vec![("order", m.to_string())]),
        (format!("/manage/missions/{m}/edit"), vec![("name", h("Renamed"))]),
        (format!("/manage/missions/{m}/status"), vec![("status", h("Completed"))]),
        (
            format!("/manage/missions/{m}/events/new"),
            vec![("kind", h("Combat")), ("title", h("Extra")), ("occurred_at", h("2026-01-02T10:00"))],
        ),
        (
            format!("/manage/events/{e}/edit"),
            vec![("kind", h("Combat")), ("title", h("Renamed")), ("occurred_at", h("2026-01-02T10:00"))],
        ),
        (format!("/manage/events/{e}/changes"), vec![("change_entry", h("1")), ("change_delta", h("1"))]),
        (format!("/manage/changes/{change}/delete"), vec![("event_id", e.to_string())]),
        (format!("/manage/events/{e}/delete"), vec![]),
        (format!("/manage/missions/{m}/delete"), vec![]),
    ]
}

async fn post(client: &Client, path: &str, fields: &[(&'static str, String)]) -> crate::support::TestResponse {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form(path, &fields).await
}

#[tokio::test]
async fn the_public_is_sent_to_log_in_from_every_missions_and_events_route() {
    let w = world().await;
    let (m, e, change) = planned_scene(&w).await;
    let anonymous = w.app.anonymous();
    for path in pages(w.active.get(), m, e) {
        let page = anonymous.get(&path).await;
        let next = path.replace('/', "%2F");
        assert_redirect(&page, &format!("/login?next={next}"));
    }
    for (path, fields) in posts(w.active.get(), m, e, change) {
        assert_redirect(&post(&anonymous, &path, &fields).await, "/login");
    }
    assert_eq!(w.event_count(m).await, 1, "nothing was deleted");
}

#[tokio::test]
async fn a_manager_reads_a_planned_campaigns_missions_but_is_offered_no_forms() {
    let w = world().await;
    let (m, e, _) = planned_scene(&w).await;
    let manager = w.app.login("manager").await;
    let cid = w.planned.get();
    let list = manager.get(&format!("/manage/campaigns/{cid}/missions")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Winter drill") && !list.body.contains("New mission"), "{}", list.body);
    let mission = manager.get(&format!("/manage/missions/{m}")).await;
    assert_eq!(mission.status, StatusCode::OK);
    assert!(mission.body.contains("Cold start") && !mission.body.contains("Record event"));
    let event = manager.get(&format!("/manage/events/{e}")).await;
    assert_eq!(event.status, StatusCode::OK);
    assert!(event.body.contains(r#"data-change="Hunter""#) && !event.body.contains("Add change"));
}

#[tokio::test]
async fn a_manager_gets_403_on_every_form_and_change_of_a_planned_campaign_and_nothing_changes() {
    let w = world().await;
    let (m, e, change) = planned_scene(&w).await;
    let manager = w.app.login("manager").await;
    let cid = w.planned.get();
    let forms =
        pages(cid, m, e).into_iter().filter(|p| p.ends_with("/new") || p.ends_with("/edit") || p.ends_with("/delete"));
    for path in forms {
        assert_eq!(manager.get(&path).await.status, StatusCode::FORBIDDEN, "GET {path}");
    }
    let before = w.app.tracker().event(&w.app.admin(), e).await.expect("the event");
    for (path, fields) in posts(cid, m, e, change) {
        assert_eq!(post(&manager, &path, &fields).await.status, StatusCode::FORBIDDEN, "POST {path}");
    }
    assert_eq!(w.mission_names(w.planned).await, ["Winter drill"]);
    assert_eq!(w.app.tracker().event(&w.app.admin(), e).await.expect("the event"), before);
    assert_eq!(w.quantity(w.planned, "Hunter").await, 1);
}

#[tokio::test]
async fn an_admin_may_use_every_form_of_a_planned_campaign() {
    let w = world().await;
    let (m, e, _) = planned_scene(&w).await;
    let admin = w.app.login("admin").await;
    for path in pages(w.planned.get(), m, e) {
        assert_eq!(admin.get(&path).await.status, StatusCode::OK, "GET {path}");
    }
    let created = admin.post_form(&format!("/manage/campaigns/{}/missions", w.planned), &[("name", "Thaw")]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    assert_eq!(w.mission_names(w.planned).await, ["Winter drill", "Thaw"]);
}

#[tokio::test]
async fn a_closed_campaign_refuses_every_change_and_shows_no_forms() {
    let w = world().await;
    let mission = w.mission(w.active, "Dawn raid").await;
    let hunter = w.entry(w.active, "Hunter").await;
    let event = w.event(mission, "Ambush", &[(hunter, "-1")]).await;
    w.app.tracker().close_campaign(&w.app.admin(), w.active).await.expect("closed");
    let admin = w.app.login("admin").await;
    let page = admin.get(&format!("/manage/missions/{mission}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Record event") && !page.body.contains("Change status"));
    assert_eq!(admin.get(&format!("/manage/missions/{mission}/events/new")).await.status, StatusCode::CONFLICT);
    let fields = [("kind", "Combat"), ("title", "Late"), ("occurred_at", "2026-01-02T10:00"), ("change_entry", "")];
    let refused = admin.post_form(&format!("/manage/missions/{mission}/events/new"), &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("The campaign is closed and can no longer be changed."), "{}", refused.body);
    let add = [("change_entry", hunter.to_string()), ("change_delta", "1".to_owned())];
    let added = post(&admin, &format!("/manage/events/{event}/changes"), &add).await;
    assert_redirect(&added, &format!("/manage/events/{event}"));
    let page = admin.get(&format!("/manage/events/{event}")).await;
    assert!(page.body.contains("flash-error") && page.body.contains("campaign is closed"), "{}", page.body);
    let confirm = admin.get(&format!("/manage/events/{event}/delete")).await;
    assert!(confirm.body.contains("cannot be deleted") && !confirm.body.contains("Delete event</button>"));
    assert_eq!(w.event_count(mission).await, 1);
    assert_eq!(w.quantity(w.active, "Hunter").await, 1, "the quantity is unchanged");
}
