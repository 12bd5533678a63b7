//! `GET /campaigns` and `GET /campaigns/{id}`: the closed campaigns and their reports.

use super::world::{World, row, world};
use axum::http::StatusCode;

#[tokio::test]
async fn the_closed_campaigns_list_their_final_pool_and_link_their_report() {
    let World { app, closed, .. } = world().await;
    let page = app.anonymous().get("/campaigns").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("Operation Dawn") && !body.contains("Operation Harvest"), "{body}");
    assert!(body.contains(&format!(r#"href="/campaigns/{closed}""#)), "{body}");
    assert!(row(body, "Hunter").contains("data-current>0</td>") && row(body, "Hunter").contains("-2"));
    assert!(row(body, "M2A1 Slammer").contains("data-current>4</td>"));
}

#[tokio::test]
async fn a_closed_campaigns_report_shows_its_final_pool_missions_and_events() {
    let World { app, closed, .. } = world().await;
    let page = app.anonymous().get(&format!("/campaigns/{closed}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("<h1>Operation Dawn</h1>"), "{body}");
    let hunter = row(body, "Hunter");
    assert!(hunter.contains(r#"data-label="Initial" class="number">2</td>"#), "{hunter}");
    assert!(hunter.contains(r#"data-label="Lost" class="number">-2</td>"#), "{hunter}");
    assert!(hunter.contains(r#"data-label="Gained" class="number">0</td>"#), "{hunter}");
    assert!(hunter.contains("data-current>0</td>") && hunter.contains("badge depleted"), "{hunter}");
    assert!(body.contains("Landing") && body.contains(r#"<span class="badge">Completed</span>"#), "{body}");
    assert!(body.contains(r#"<article data-event="Beach assault">"#), "{body}");
    assert!(body.contains(r#"<li data-change="Hunter"><span class="loss">-2</span>"#), "{body}");
}

/// The `<table data-summary="{name}">` of a report summary, as text.
fn summary_table<'a>(body: &'a str, name: &str) -> &'a str {
    let start = body.find(&format!(r#"data-summary="{name}""#)).unwrap_or_else(|| panic!("no {name} in {body}"));
    let rest = &body[start..];
    &rest[..rest.find("</table>").or_else(|| rest.find("</p>")).unwrap_or(rest.len())]
}

#[tokio::test]
async fn a_closed_campaigns_report_sums_up_its_public_entries_only() {
    let World { app, closed, .. } = world().await;
    let body = app.anonymous().get(&format!("/campaigns/{closed}")).await.body;
    assert!(body.contains(r#"<h2 id="by-kind-heading">By asset kind</h2>"#), "{body}");
    let losses = summary_table(&body, "largest-losses");
    assert!(losses.contains(r#"<th scope="row">Hunter</th><td class="number">2</td>"#), "{losses}");
    assert!(!losses.contains(super::world::HIDDEN), "a hidden entry's loss is not shown: {losses}");
    let per_mission = summary_table(&body, "losses-per-mission");
    assert!(per_mission.contains(r#"<th scope="row">Landing</th><td class="number">2</td>"#), "{per_mission}");
    let statuses = summary_table(&body, "missions-by-status");
    assert!(statuses.contains(r#"<th scope="row">Completed</th><td class="number">1</td>"#), "{statuses}");
    let gains = summary_table(&body, "largest-gains");
    assert!(gains.contains("No gains recorded."), "{gains}");
}

#[tokio::test]
async fn a_closed_campaigns_public_pool_downloads_as_csv_without_hidden_entries() {
    let World { app, closed, active } = world().await;
    let visitor = app.anonymous();
    let page = visitor.get(&format!("/campaigns/{closed}")).await;
    assert!(page.body.contains(&format!(r#"href="/campaigns/{closed}/report.csv""#)), "{}", page.body);
    for _ in 0..2 {
        // The second answer comes from the public cache: the file name must survive it.
        let csv = visitor.get(&format!("/campaigns/{closed}/report.csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.headers[axum::http::header::CONTENT_TYPE], "text/csv; charset=utf-8");
        let disposition = csv.headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.starts_with(r#"attachment; filename="operation-dawn-"#), "{disposition}");
        assert!(csv.body.contains(",Hunter,"), "{}", csv.body);
        assert!(!csv.body.contains(super::world::HIDDEN), "a hidden entry is not in the public file: {}", csv.body);
    }
    let open = visitor.get(&format!("/campaigns/{active}/report.csv")).await;
    assert_eq!(open.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_closed_campaigns_final_report_downloads_as_json_without_hidden_entries_or_audit() {
    let World { app, closed, active } = world().await;
    let visitor = app.anonymous();
    let page = visitor.get(&format!("/campaigns/{closed}")).await;
    assert!(page.body.contains(&format!(r#"href="/campaigns/{closed}/report.json""#)), "{}", page.body);
    for _ in 0..2 {
        // The second answer comes from the public cache.
        let file = visitor.get(&format!("/campaigns/{closed}/report.json")).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.headers[axum::http::header::CONTENT_TYPE], "application/json");
        let disposition = file.headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.starts_with(r#"attachment; filename="operation-dawn-"#), "{disposition}");
        assert!(disposition.ends_with(r#".json""#), "{disposition}");
        let json: serde_json::Value = serde_json::from_str(&file.body).expect("JSON");
        assert_eq!(json["format"], "asset-tracker.campaign-report");
        assert_eq!(json["campaign"]["name"], "Operation Dawn");
        assert_eq!(json["campaign"]["status"], "Closed");
        assert!(json.get("audit").is_none(), "the audit entries are for staff: {json}");
        let hunter = json["pool"].as_array().expect("pool").iter().find(|e| e["asset"] == "Hunter").cloned();
        let hunter = hunter.expect("Hunter");
        assert_eq!(
            (hunter["initial"].as_u64(), hunter["current"].as_u64(), hunter["net"].as_i64()),
            (Some(2), Some(0), Some(-2))
        );
        assert_eq!(hunter["level"], "depleted");
        let event = &json["missions"][0]["events"][0];
        assert_eq!(event["title"], "Beach assault");
        assert!(event["occurred_at"].as_str().is_some_and(|at| at.ends_with('Z')), "{event}");
        assert!(!file.body.contains(super::world::HIDDEN), "a hidden entry is not in the public file: {}", file.body);
    }
    assert_eq!(visitor.get(&format!("/campaigns/{active}/report.json")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_campaign_that_is_not_closed_has_no_public_report() {
    let World { app, active, .. } = world().await;
    for path in [format!("/campaigns/{active}"), "/campaigns/987654".to_owned()] {
        let page = app.anonymous().get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.body.contains("Operation Harvest"), "{path}: {}", page.body);
    }
    assert_eq!(app.anonymous().get("/campaigns/abc").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn once_the_active_campaign_is_closed_the_dashboard_sends_visitors_to_the_archive() {
    let World { app, active, .. } = world().await;
    app.tracker().close_campaign(&app.admin(), active).await.expect("closed");
    let page = app.anonymous().get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No active campaign"), "{}", page.body);
    let archive = app.anonymous().get("/campaigns").await.body;
    assert!(archive.contains("Operation Harvest") && archive.contains("Operation Dawn"), "{archive}");
    assert_eq!(app.anonymous().get(&format!("/campaigns/{active}")).await.status, StatusCode::OK);
}
