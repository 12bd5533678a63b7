//! The public pages: dashboard, timeline, closed campaigns and the JSON pool, as the
//! public, a manager and an admin see them; hidden entries never appear anywhere.
//! Page by page tests are in the submodules; what holds for every public page is here.

mod archive;
mod cache;
mod dashboard;
mod missions;
mod timeline;
pub mod world;

use crate::support::{Client, TestApp};
use axum::http::{StatusCode, header};
use world::{HIDDEN, STAFF_NOTE, World, world};

/// The `<main>` element: what the page shows, without the navigation by role.
fn main_of(body: &str) -> &str {
    let start = body.find("<main").expect("a main element");
    let end = body.find("</main>").expect("the end of main");
    &body[start..end]
}

/// A visitor of each kind: the public, a manager, an admin.
async fn clients(app: &TestApp) -> Vec<(&'static str, Client)> {
    vec![("anonymous", app.anonymous()), ("manager", app.login("manager").await), ("admin", app.login("admin").await)]
}

#[tokio::test]
async fn the_json_pool_lists_the_active_campaigns_public_entries() {
    let World { app, .. } = world().await;
    let response = app.anonymous().get("/api/v1/pool").await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.headers[header::CONTENT_TYPE].to_str().expect("a type").starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_str(&response.body).expect("JSON");
    let campaign = &json["campaign"];
    let named = (campaign["name"].as_str(), campaign["start"].as_str(), &campaign["end"]);
    assert_eq!(named, (Some("Operation Harvest"), Some("2026-01-01"), &serde_json::Value::Null), "{campaign}");
    let assets = json["assets"].as_array().expect("an asset list");
    assert_eq!(assets.len(), 5, "{json}");
    let slammer = assets.iter().find(|a| a["name"] == "M2A1 Slammer").expect("the Slammer");
    let expected = serde_json::json!({
        "id": slammer["id"], "name": "M2A1 Slammer", "kind": "Vehicle", "category": "Standard",
        "current": 2, "initial": 4, "public": true, "unique": false
    });
    assert_eq!(slammer, &expected);
    assert_eq!(json.as_object().map(|o| o.len()), Some(2), "only campaign and assets: {json}");
}

#[tokio::test]
async fn without_an_active_campaign_the_pages_say_so_and_the_json_pool_answers_404() {
    let app = TestApp::new().await;
    for path in ["/", "/timeline"] {
        let page = app.anonymous().get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains("<h1>No active campaign</h1>"), "{path}: {}", page.body);
        assert!(page.body.contains(r#"<a href="/campaigns">"#), "{path}: {}", page.body);
    }
    let empty = app.anonymous().get("/campaigns").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("No campaign has been closed yet."), "{}", empty.body);
    let api = app.anonymous().get("/api/v1/pool").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.headers[header::CONTENT_TYPE].to_str().expect("a type").starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("JSON");
    let expected = serde_json::json!({"error": {"code": "no_active_campaign", "message": "No campaign is active.", "field": null}});
    assert_eq!(json, expected);
}

#[tokio::test]
async fn hidden_entries_and_staff_notes_never_appear_on_any_public_page_for_any_role() {
    let World { app, closed, .. } = world().await;
    let paths = [
        "/".to_owned(),
        "/timeline".into(),
        "/campaigns".into(),
        format!("/campaigns/{closed}"),
        "/api/v1/pool".into(),
    ];
    for (role, client) in clients(&app).await {
        for path in &paths {
            let page = client.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{role} {path}");
            for secret in [HIDDEN, STAFF_NOTE, "edit-secret"] {
                assert!(!page.body.contains(secret), "{role} {path} shows {secret:?}: {}", page.body);
            }
        }
    }
}

#[tokio::test]
async fn the_public_a_manager_and_an_admin_see_the_same_public_content() {
    let World { app, closed, .. } = world().await;
    let paths = [
        "/".to_owned(),
        "/?q=a&kind=Vehicle".into(),
        "/timeline".into(),
        "/campaigns".into(),
        format!("/campaigns/{closed}"),
    ];
    let clients = clients(&app).await;
    for path in &paths {
        let mut seen = Vec::new();
        for (role, client) in &clients {
            client.get(path).await; // shows (and clears) any flash queued by the login
            let page = client.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{role} {path}");
            seen.push((role, main_of(&page.body).to_owned()));
        }
        for (role, main) in &seen[1..] {
            assert_eq!(main, &seen[0].1, "{role} sees another {path} than the public");
        }
    }
    let mut json = Vec::new();
    for (_, client) in &clients {
        json.push(client.get("/api/v1/pool").await.body);
    }
    assert!(json.iter().all(|body| body == &json[0]), "{json:?}");
}
