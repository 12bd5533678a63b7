//! The admin's campaign pages: the dashboard, create, edit, activate and close.

use super::{audit_count, follow, seed_campaign, seed_library};
use crate::support::TestApp;
use application::events::{ChangeInput, EventFields, EventInput};
use application::missions::MissionInput;
use axum::http::StatusCode;
use domain::{CampaignId, CampaignStatus};

#[tokio::test]
async fn the_dashboard_lists_every_campaign_with_its_status_badge_and_actions() {
    let app = TestApp::new().await;
    let planned = seed_campaign(&app, "Op Planned", &[], false).await;
    let active = seed_campaign(&app, "Op Active", &[], true).await;
    let admin = app.login("admin").await;
    let page = admin.get("/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"href="/admin/campaigns/new""#), "a New campaign link");
    assert!(page.body.contains(r#"data-status="Planned">Planned</span>"#), "{}", page.body);
    assert!(page.body.contains(r#"data-status="Active">Active</span>"#));
    assert!(page.body.contains(&format!(r#"action="/admin/campaigns/{planned}/activate""#)));
    assert!(
        !page.body.contains(&format!(r#"action="/admin/campaigns/{active}/activate""#)),
        "the active one is not offered"
    );
    for id in [planned, active] {
        assert!(page.body.contains(&format!(r#"href="/admin/campaigns/{id}/edit""#)));
        assert!(page.body.contains(&format!(r#"href="/admin/campaigns/{id}/close""#)));
        assert!(page.body.contains(&format!(r#"href="/manage/campaigns/{id}/report""#)));
    }
}

#[tokio::test]
async fn the_new_campaign_form_ticks_the_default_libraries_only() {
    let app = TestApp::new().await;
    let nato = seed_library(&app, "NATO", true, &[("Hunter", 3)]).await;
    let csat = seed_library(&app, "CSAT", false, &[("Ifrit", 3)]).await;
    let admin = app.login("admin").await;
    let form = admin.get("/admin/campaigns/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains(&format!(r#"name="library_ids" type="checkbox" value="{nato}" checked>"#)),
        "{}",
        form.body
    );
    assert!(form.body.contains(&format!(r#"name="library_ids" type="checkbox" value="{csat}">"#)));
    assert!(form.body.contains(r#"name="make_active""#) && form.hidden_value("idempotency_key").is_some());
}

#[tokio::test]
async fn creating_a_campaign_with_make_active_imports_the_ticked_libraries_and_activates_it() {
    let app = TestApp::new().await;
    let nato = seed_library(&app, "NATO", true, &[("Hunter", 3), ("M2A1 Slammer", 4)]).await;
    let csat = seed_library(&app, "CSAT", false, &[("Ifrit", 2)]).await;
    let old = seed_campaign(&app, "Op Old", &[], true).await;
    let admin = app.login("admin").await;
    let key = admin.get("/admin/campaigns/new").await.hidden_value("idempotency_key").unwrap();
    let (nato, csat) = (nato.to_string(), csat.to_string());
    let form = [
        ("name", "Op Arrowhead"),
        ("start_date", "2026-03-01"),
        ("end_date", "2026-04-01"),
        ("library_ids", nato.as_str()),
        ("library_ids", csat.as_str()),
        ("make_active", "true"),
        ("idempotency_key", key.as_str()),
    ];
    let created = admin.post_form("/admin/campaigns/new", &form).await;
    assert_eq!(created.location(), Some("/admin"));
    let page = follow(&admin, &created).await;
    assert!(page.body.contains("Campaign Op Arrowhead created and made active."), "{}", page.body);
    let again = admin.post_form("/admin/campaigns/new", &form).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "a double submit is answered like the first");
    let campaigns = app.tracker().list_campaigns(&app.admin()).await.unwrap();
    assert_eq!(campaigns.len(), 2, "one campaign created, once");
    let new = campaigns.iter().find(|c| c.id() != old).unwrap();
    assert_eq!(new.status(), CampaignStatus::Active);
    assert_eq!(app.tracker().pool(&app.admin(), new.id()).await.unwrap().len(), 3, "both libraries imported");
    assert_eq!(app.tracker().campaign(&app.admin(), old).await.unwrap().status(), CampaignStatus::Planned);
}

#[tokio::test]
async fn an_end_date_before_the_start_date_is_shown_beside_the_end_date_and_nothing_is_created() {
    let app = TestApp::new().await;
    let nato = seed_library(&app, "NATO", false, &[("Hunter", 3)]).await.to_string();
    let admin = app.login("admin").await;
    let before = audit_count(&app).await;
    let form =
        [("name", "Op Backwards"), ("start_date", "2026-03-01"), ("end_date", "2026-02-01"), ("library_ids", &nato)];
    let response = admin.post_form("/admin/campaigns/new", &form).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains(r#"id="end_date-error""#), "{}", response.body);
    assert!(response.body.contains(r#"aria-invalid="true""#));
    assert_eq!(response.hidden_value("name").as_deref(), Some("Op Backwards"), "values are kept");
    assert!(response.body.contains(&format!(r#"value="{nato}" checked>"#)), "the ticked library stays ticked");
    assert_eq!(audit_count(&app).await, before);
    assert!(app.tracker().list_campaigns(&app.admin()).await.unwrap().is_empty());
}

#[tokio::test]
async fn activating_a_planned_campaign_makes_the_active_one_planned() {
    let app = TestApp::new().await;
    let first = seed_campaign(&app, "Op First", &[], true).await;
    let second = seed_campaign(&app, "Op Second", &[], false).await;
    let admin = app.login("admin").await;
    let response = admin.post_form(&format!("/admin/campaigns/{second}/activate"), &[]).await;
    assert_eq!(response.location(), Some("/admin"));
    assert!(follow(&admin, &response).await.body.contains("The campaign is now the active one."));
    let app = &app;
    let status = |id| async move { app.tracker().campaign(&app.admin(), id).await.unwrap().status() };
    assert_eq!(status(second).await, CampaignStatus::Active);
    assert_eq!(status(first).await, CampaignStatus::Planned);
}

#[tokio::test]
async fn editing_a_campaign_saves_its_fields_without_library_or_activation_fields() {
    let app = TestApp::new().await;
    let id = seed_campaign(&app, "Op Draft", &[], false).await;
    let admin = app.login("admin").await;
    let form = admin.get(&format!("/admin/campaigns/{id}/edit")).await;
    assert_eq!(form.hidden_value("name").as_deref(), Some("Op Draft"));
    assert_eq!(form.hidden_value("start_date").as_deref(), Some("2026-01-01"));
    assert!(!form.body.contains("library_ids") && !form.body.contains("make_active"), "{}", form.body);
    let fields = [("name", "Op Final"), ("start_date", "2026-01-05"), ("map_view_url", "https://maps.example/altis")];
    let saved = admin.post_form(&format!("/admin/campaigns/{id}/edit"), &fields).await;
    assert_eq!(saved.location(), Some("/admin"));
    assert!(follow(&admin, &saved).await.body.contains("Campaign Op Final saved."));
    let campaign = app.tracker().campaign(&app.admin(), id).await.unwrap();
    assert_eq!(campaign.name().as_str(), "Op Final");
    assert_eq!(campaign.details().dates.start().to_string(), "2026-01-05");
}

#[tokio::test]
async fn an_invalid_edit_is_shown_again_with_its_message_and_changes_nothing() {
    let app = TestApp::new().await;
    let id = seed_campaign(&app, "Op Draft", &[], false).await;
    let admin = app.login("admin").await;
    let before = audit_count(&app).await;
    let fields = [("name", ""), ("start_date", "2026-01-05"), ("end_date", "2025-12-01")];
    let response = admin.post_form(&format!("/admin/campaigns/{id}/edit"), &fields).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains(r#"id="name-error""#) && response.body.contains(r#"id="end_date-error""#));
    assert!(response.body.contains("<h1>Edit Op Draft</h1>"), "the title keeps the stored name");
    assert_eq!(audit_count(&app).await, before);
    assert_eq!(app.tracker().campaign(&app.admin(), id).await.unwrap().name().as_str(), "Op Draft");
}

/// A campaign with one library, a mission and an event losing 2 Slammers and gaining a Hunter.
async fn played_campaign(app: &TestApp) -> CampaignId {
    let library = seed_library(app, "NATO", true, &[("Hunter", 3), ("M2A1 Slammer", 4)]).await;
    let campaign = seed_campaign(app, "Op Played", &[library], true).await;
    let mission = MissionInput { name: "Night raid".into(), ..MissionInput::default() };
    let mission = app.tracker().create_mission(&app.admin(), campaign, mission).await.unwrap();
    let pool = app.tracker().pool(&app.admin(), campaign).await.unwrap();
    let entry = |name: &str| pool.iter().find(|e| e.asset_name().as_str() == name).unwrap().id().to_string();
    let change =
        |name: &str, delta: &str| ChangeInput { pool_entry_id: entry(name), delta: delta.into(), note: String::new() };
    let fields = EventFields {
        kind: "Combat".into(),
        title: "Convoy ambushed".into(),
        occurred_at: "2026-01-02T10:00".into(),
        ..EventFields::default()
    };
    let event = EventInput {
        fields,
        changes: vec![change("M2A1 Slammer", "-2"), change("Hunter", "1")],
        idempotency_key: None,
    };
    app.tracker().create_event(&app.admin(), mission, event).await.unwrap();
    campaign
}

#[tokio::test]
async fn closing_shows_the_final_state_first_then_archives_it_and_leads_to_the_report() {
    let app = TestApp::new().await;
    let id = played_campaign(&app).await;
    let admin = app.login("admin").await;
    let before = audit_count(&app).await;
    let preview = admin.get(&format!("/admin/campaigns/{id}/close")).await;
    assert_eq!(preview.status, StatusCode::OK);
    let slammer = preview.body.split(r#"<tr data-asset="M2A1 Slammer""#).nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(slammer.contains(r#"data-current>2</td>"#) && slammer.contains(">-2</td>"), "{slammer}");
    assert!(preview.body.contains("Night raid") && preview.body.contains("Convoy ambushed"));
    assert!(preview.body.contains(r#"<button type="submit" class="button danger">Close campaign</button>"#));
    assert_eq!(audit_count(&app).await, before, "the preview changes nothing");
    let closed = admin.post_form(&format!("/admin/campaigns/{id}/close"), &[]).await;
    assert_eq!(closed.location(), Some(format!("/manage/campaigns/{id}/report").as_str()));
    let campaign = app.tracker().campaign(&app.admin(), id).await.unwrap();
    assert_eq!(campaign.status(), CampaignStatus::Closed);
    let report = app.tracker().campaign_report(&app.admin(), id).await.unwrap();
    let archived = report.entries.iter().find(|e| e.asset_name == "M2A1 Slammer").unwrap();
    assert_eq!((archived.current, archived.lost), (2, 2), "the report reads the archive");
    let page = follow(&admin, &closed).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Campaign Op Played is closed and its final report archived."));
    assert!(page.body.contains(r#"data-asset="M2A1 Slammer""#), "{}", page.body);
}

#[tokio::test]
async fn a_closed_campaign_cannot_be_edited_activated_or_closed_again() {
    let app = TestApp::new().await;
    let id = seed_campaign(&app, "Op Done", &[], true).await;
    app.tracker().close_campaign(&app.admin(), id).await.unwrap();
    let admin = app.login("admin").await;
    let before = audit_count(&app).await;
    let form = admin.get(&format!("/admin/campaigns/{id}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("This campaign is closed and can no longer be changed."), "{}", form.body);
    assert!(!form.body.contains(r#"name="name""#), "no form for a closed campaign");
    let edit = admin
        .post_form(&format!("/admin/campaigns/{id}/edit"), &[("name", "Op Reopened"), ("start_date", "2026-01-01")])
        .await;
    assert_eq!(edit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(edit.body.contains("The campaign is closed and can no longer be changed."), "{}", edit.body);
    for button in ["activate", "close"] {
        let response = admin.post_form(&format!("/admin/campaigns/{id}/{button}"), &[]).await;
        assert_eq!(response.location(), Some("/admin"), "{button}");
        let page = follow(&admin, &response).await;
        assert!(page.body.contains(r#"class="flash flash-error""#), "{button}: {}", page.body);
    }
    assert_eq!(admin.get(&format!("/admin/campaigns/{id}/close")).await.status, StatusCode::CONFLICT);
    assert_eq!(audit_count(&app).await, before, "nothing changed");
    let campaign = app.tracker().campaign(&app.admin(), id).await.unwrap();
    assert_eq!((campaign.name().as_str(), campaign.status()), ("Op Done", CampaignStatus::Closed));
}
