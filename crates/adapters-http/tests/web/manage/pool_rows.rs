//! Router tests of the pool page's row forms: initial quantity, visibility and
//! removal of one entry, with their refusals flashed and changing nothing.

use super::{audit_count, current_in, entry, follow, harvest, pool, record};
use crate::support::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn changing_the_initial_quantity_moves_the_current_quantity_with_it() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    record(&app, id, "Night raid", "Ambush", &[("M2A1 Slammer", -1)]).await;
    let slammer = entry(&app, id, "M2A1 Slammer").await.id();
    let manager = app.login("manager").await;
    let r = manager
        .post_form(&format!("/manage/pool/{slammer}/initial"), &[("initial", "6"), ("campaign_id", &id.to_string())])
        .await;
    assert_eq!(r.location(), Some(format!("/manage/campaigns/{id}/pool").as_str()));
    let page = follow(&manager, &r).await;
    assert!(page.body.contains("Initial quantity of M2A1 Slammer set to 6."), "{}", page.body);
    assert_eq!(current_in(&page, "M2A1 Slammer").as_deref(), Some("5"));
}

#[tokio::test]
async fn lowering_the_initial_quantity_below_what_was_lost_is_refused_with_the_ledger_message() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    record(&app, id, "Night raid", "Ambush", &[("M2A1 Slammer", -3)]).await;
    let slammer = entry(&app, id, "M2A1 Slammer").await.id();
    let manager = app.login("manager").await;
    let before = audit_count(&app).await;
    let fields = [("initial", "2"), ("campaign_id", &id.to_string())].map(|(k, v)| (k, v.to_owned()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = manager.post_form(&format!("/manage/pool/{slammer}/initial"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some(format!("/manage/campaigns/{id}/pool").as_str()));
    let page = follow(&manager, &r).await;
    assert!(page.body.contains("Not enough M2A1 Slammer: 1 available, 2 asked."), "{}", page.body);
    let slammer = entry(&app, id, "M2A1 Slammer").await;
    assert_eq!((slammer.initial().get(), slammer.current().get()), (4, 1));
    assert_eq!(audit_count(&app).await, before);
}

#[tokio::test]
async fn an_initial_quantity_that_is_not_a_number_is_refused_with_the_field_message() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    let hunter = entry(&app, id, "Hunter").await.id();
    let manager = app.login("manager").await;
    let fields = [("initial", "-1"), ("campaign_id", &id.to_string())].map(|(k, v)| (k, v.to_owned()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = manager.post_form(&format!("/manage/pool/{hunter}/initial"), &fields).await;
    let page = follow(&manager, &r).await;
    assert!(page.body.contains("Initial quantity: must be"), "{}", page.body);
    assert_eq!(entry(&app, id, "Hunter").await.initial().get(), 2);
}

#[tokio::test]
async fn hiding_an_entry_and_showing_it_again_toggles_its_public_flag() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    let hunter = entry(&app, id, "Hunter").await.id();
    let manager = app.login("manager").await;
    let path = format!("/manage/pool/{hunter}/visibility");
    let cid = id.to_string();
    let r = manager.post_form(&path, &[("public", "false"), ("campaign_id", &cid)]).await;
    assert_eq!(r.location(), Some(format!("/manage/campaigns/{id}/pool").as_str()));
    assert!(follow(&manager, &r).await.body.contains("hidden from the public pages"));
    assert!(!entry(&app, id, "Hunter").await.is_public());
    let page = manager.get(&format!("/manage/campaigns/{id}/pool")).await;
    assert!(page.body.contains("name=\"public\" value=\"true\""), "the button now shows it: {}", page.body);
    manager.post_form(&path, &[("public", "true"), ("campaign_id", &cid)]).await;
    assert!(entry(&app, id, "Hunter").await.is_public());
    let before = audit_count(&app).await;
    let r = manager.post_form(&path, &[("public", "maybe"), ("campaign_id", &cid)]).await;
    assert!(follow(&manager, &r).await.body.contains("Public: must be true or false."));
    assert!(entry(&app, id, "Hunter").await.is_public());
    assert_eq!(audit_count(&app).await, before);
}

#[tokio::test]
async fn an_unused_entry_is_removed_but_one_with_changes_is_kept_with_an_error_flash() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    record(&app, id, "Night raid", "Ambush", &[("M2A1 Slammer", -1)]).await;
    let (slammer, hunter) = (entry(&app, id, "M2A1 Slammer").await.id(), entry(&app, id, "Hunter").await.id());
    let manager = app.login("manager").await;
    let cid = id.to_string();
    let before = audit_count(&app).await;
    let r = manager.post_form(&format!("/manage/pool/{slammer}/remove"), &[("campaign_id", &cid)]).await;
    assert_eq!(r.location(), Some(format!("/manage/campaigns/{id}/pool").as_str()));
    assert!(follow(&manager, &r).await.body.contains("The pool entry is in use and cannot be removed."));
    assert_eq!(audit_count(&app).await, before);
    let r = manager.post_form(&format!("/manage/pool/{hunter}/remove"), &[("campaign_id", &cid)]).await;
    let page = follow(&manager, &r).await;
    assert!(page.body.contains("The asset was removed from the pool."), "{}", page.body);
    assert!(current_in(&page, "Hunter").is_none());
    let names: Vec<String> = pool(&app, id).await.iter().map(|e| e.asset_name().to_string()).collect();
    assert_eq!(names, ["M2A1 Slammer"]);
}
