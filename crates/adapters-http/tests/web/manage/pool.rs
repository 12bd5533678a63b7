//! Router tests of the pool page for each role (editable, read-only when closed or
//! planned), and its import, sync and add forms, with their refusals changing nothing.

use super::{audit_count, campaign, current_in, entry, follow, harvest, library, new_asset, pool, record};
use crate::support::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn staff_see_the_pool_grouped_by_library_with_quantities_and_every_form() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    library(&app, "CSAT", &[("T-100 Varsuk", 2)]).await;
    record(&app, id, "Night raid", "Ambush", &[("M2A1 Slammer", -1)]).await;
    let slammer = entry(&app, id, "M2A1 Slammer").await.id();
    for user in ["manager", "admin"] {
        let page = app.login(user).await.get(&format!("/manage/campaigns/{id}/pool")).await;
        assert_eq!(page.status, StatusCode::OK, "{user}");
        assert!(page.body.contains("<h1>Pool of Harvest</h1>"), "{}", page.body);
        assert!(page.body.contains("<h2 id=\"library-1\">NATO</h2>"), "{}", page.body);
        assert_eq!(current_in(&page, "M2A1 Slammer").as_deref(), Some("3"));
        assert_eq!(current_in(&page, "Hunter").as_deref(), Some("2"));
        for action in ["initial", "visibility", "remove"] {
            assert!(page.body.contains(&format!("action=\"/manage/pool/{slammer}/{action}\"")), "{action}");
        }
        for action in ["import", "sync", "add"] {
            assert!(page.body.contains(&format!("action=\"/manage/campaigns/{id}/pool/{action}\"")), "{action}");
        }
        assert!(page.body.contains(">CSAT</option>"), "CSAT can be imported: {}", page.body);
        assert!(page.body.contains("<optgroup label=\"CSAT\">"), "its assets can be added: {}", page.body);
        assert!(page.hidden_value("idempotency_key").is_some_and(|k| !k.is_empty()));
    }
}

#[tokio::test]
async fn a_closed_campaigns_pool_is_read_only_but_still_shown_to_staff() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    app.tracker().close_campaign(&app.admin(), id).await.expect("the campaign closes");
    for user in ["manager", "admin"] {
        let page = app.login(user).await.get(&format!("/manage/campaigns/{id}/pool")).await;
        assert_eq!(page.status, StatusCode::OK, "{user}");
        assert_eq!(current_in(&page, "Hunter").as_deref(), Some("2"));
        assert!(page.body.contains("This campaign is closed"), "{}", page.body);
        assert!(!page.body.contains("/pool/"), "no form posts to the pool: {}", page.body);
        assert!(!page.body.contains("action=\"/manage/campaigns/"), "{}", page.body);
    }
}

#[tokio::test]
async fn a_manager_reads_a_planned_campaigns_pool_but_may_not_change_it() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[("Hunter", 2)]).await;
    let id = campaign(&app, "Winter", &[nato], false).await;
    let hunter = entry(&app, id, "Hunter").await.id();
    let manager = app.login("manager").await;
    let page = manager.get(&format!("/manage/campaigns/{id}/pool")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Only an admin can change"), "{}", page.body);
    assert!(!page.body.contains("/pool/"), "{}", page.body);
    let before = audit_count(&app).await;
    let refused = manager.post_form(&format!("/manage/pool/{hunter}/initial"), &[("initial", "9")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused =
        manager.post_form(&format!("/manage/campaigns/{id}/pool/sync"), &[("library_id", &nato.to_string())]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(entry(&app, id, "Hunter").await.initial().get(), 2);
    assert_eq!(audit_count(&app).await, before);
    let admin = app.login("admin").await;
    let done = admin.post_form(&format!("/manage/pool/{hunter}/initial"), &[("initial", "9")]).await;
    assert_eq!(done.location(), Some(format!("/manage/campaigns/{id}/pool").as_str()));
    assert_eq!(entry(&app, id, "Hunter").await.initial().get(), 9, "an admin runs a planned campaign");
}

#[tokio::test]
async fn an_unknown_campaign_or_entry_answers_not_found() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    assert_eq!(manager.get("/manage/campaigns/999/pool").await.status, StatusCode::NOT_FOUND);
    let r = manager.post_form("/manage/pool/999/remove", &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_public_posting_to_the_pool_is_sent_to_the_login_page_and_changes_nothing() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    let hunter = entry(&app, id, "Hunter").await.id();
    let before = audit_count(&app).await;
    let r = app.anonymous().post_form(&format!("/manage/pool/{hunter}/remove"), &[]).await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, Some("/login")));
    assert_eq!(pool(&app, id).await.len(), 2);
    assert_eq!(audit_count(&app).await, before);
}

#[tokio::test]
async fn importing_a_library_adds_its_assets_and_says_how_many() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    let (csat, _) = library(&app, "CSAT", &[("T-100 Varsuk", 2), ("Ifrit", 3)]).await;
    let manager = app.login("manager").await;
    let form = manager.get(&format!("/manage/campaigns/{id}/pool")).await;
    let key = form.hidden_value("idempotency_key").expect("a key");
    let fields = [("library_id", csat.to_string()), ("idempotency_key", key)];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = manager.post_form(&format!("/manage/campaigns/{id}/pool/import"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some(format!("/manage/campaigns/{id}/pool").as_str()));
    let page = follow(&manager, &r).await;
    assert!(page.body.contains("Library imported: 2 assets added."), "{}", page.body);
    assert_eq!(current_in(&page, "Ifrit").as_deref(), Some("3"));
    let before = audit_count(&app).await;
    let again = manager.post_form(&format!("/manage/campaigns/{id}/pool/import"), &fields).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(pool(&app, id).await.len(), 4);
    assert_eq!(audit_count(&app).await, before, "a double submit is answered once, not imported again");
}

#[tokio::test]
async fn importing_without_choosing_a_library_is_refused_with_a_flash_and_changes_nothing() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    let manager = app.login("manager").await;
    let before = audit_count(&app).await;
    let r = manager.post_form(&format!("/manage/campaigns/{id}/pool/import"), &[("library_id", "")]).await;
    assert_eq!(r.location(), Some(format!("/manage/campaigns/{id}/pool").as_str()));
    let page = follow(&manager, &r).await;
    assert!(page.body.contains("Library: choose a library to import."), "{}", page.body);
    assert_eq!(audit_count(&app).await, before);
    let r = manager.post_form(&format!("/manage/campaigns/{id}/pool/import"), &[("library_id", "999")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn syncing_a_library_adds_the_assets_created_since_and_says_how_many() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[("Hunter", 2)]).await;
    let id = campaign(&app, "Harvest", &[nato], true).await;
    new_asset(&app, nato, "Marshall", 5).await;
    let manager = app.login("manager").await;
    let path = format!("/manage/campaigns/{id}/pool/sync");
    let r = manager.post_form(&path, &[("library_id", &nato.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = follow(&manager, &r).await;
    assert!(page.body.contains("Library synced: 1 asset added."), "{}", page.body);
    assert_eq!(current_in(&page, "Marshall").as_deref(), Some("5"));
    let r = manager.post_form(&path, &[("library_id", &nato.to_string())]).await;
    assert!(follow(&manager, &r).await.body.contains("Library synced: 0 assets added."));
}

#[tokio::test]
async fn adding_one_asset_puts_it_in_the_pool_once_even_when_the_form_is_sent_twice() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    let (_, csat) = library(&app, "CSAT", &[("T-100 Varsuk", 2)]).await;
    let manager = app.login("manager").await;
    let fields =
        [("asset_id", csat[0].to_string().as_str()), ("initial", "1"), ("idempotency_key", "add-asset-key-0001")]
            .map(|(k, v)| (k, v.to_owned()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let path = format!("/manage/campaigns/{id}/pool/add");
    let r = manager.post_form(&path, &fields).await;
    let page = follow(&manager, &r).await;
    assert!(page.body.contains("Asset added to the pool."), "{}", page.body);
    assert_eq!(current_in(&page, "T-100 Varsuk").as_deref(), Some("1"));
    let again = manager.post_form(&path, &fields).await;
    let page = follow(&manager, &again).await;
    assert!(page.body.contains("Asset added to the pool."), "the retry gets the first answer: {}", page.body);
    assert_eq!(pool(&app, id).await.len(), 3);
}

#[tokio::test]
async fn adding_an_asset_with_a_bad_quantity_or_one_already_held_is_refused_with_a_flash_and_changes_nothing() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    let (_, csat) = library(&app, "CSAT", &[("T-100 Varsuk", 2)]).await;
    let held = entry(&app, id, "Hunter").await.asset_id();
    let manager = app.login("manager").await;
    let before = audit_count(&app).await;
    let path = format!("/manage/campaigns/{id}/pool/add");
    let r = manager.post_form(&path, &[("asset_id", &csat[0].to_string()), ("initial", "lots")]).await;
    assert_eq!(r.location(), Some(format!("/manage/campaigns/{id}/pool").as_str()));
    assert!(follow(&manager, &r).await.body.contains("Initial quantity: must be a whole number."));
    let r = manager.post_form(&path, &[("asset_id", &held.to_string()), ("initial", "1")]).await;
    let page = follow(&manager, &r).await;
    assert!(page.body.contains("The asset is already in this campaign"), "{}", page.body);
    let r = manager.post_form(&path, &[("asset_id", ""), ("initial", "1")]).await;
    assert!(follow(&manager, &r).await.body.contains("Asset: choose an asset to add."));
    assert_eq!(pool(&app, id).await.len(), 2);
    assert_eq!(audit_count(&app).await, before);
}

#[tokio::test]
async fn every_change_to_a_closed_campaigns_pool_is_refused_with_a_flash_and_changes_nothing() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    let (csat, assets) = library(&app, "CSAT", &[("Ifrit", 2)]).await;
    let hunter = entry(&app, id, "Hunter").await.id();
    app.tracker().close_campaign(&app.admin(), id).await.expect("the campaign closes");
    let before = audit_count(&app).await;
    let (cid, lib, asset) = (id.to_string(), csat.to_string(), assets[0].to_string());
    let requests: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("/manage/campaigns/{id}/pool/import"), vec![("library_id", &lib)]),
        (format!("/manage/campaigns/{id}/pool/sync"), vec![("library_id", &lib)]),
        (format!("/manage/campaigns/{id}/pool/add"), vec![("asset_id", &asset), ("initial", "1")]),
        (format!("/manage/pool/{hunter}/initial"), vec![("initial", "5"), ("campaign_id", &cid)]),
        (format!("/manage/pool/{hunter}/visibility"), vec![("public", "false"), ("campaign_id", &cid)]),
        (format!("/manage/pool/{hunter}/remove"), vec![("campaign_id", &cid)]),
    ];
    for user in ["manager", "admin"] {
        let client = app.login(user).await;
        for (path, fields) in &requests {
            let r = client.post_form(path, fields).await;
            assert_eq!(r.location(), Some(format!("/manage/campaigns/{id}/pool").as_str()), "{user} {path}");
            let page = follow(&client, &r).await;
            assert!(page.body.contains("The campaign is closed and can no longer be changed."), "{user} {path}");
        }
    }
    let hunter = entry(&app, id, "Hunter").await;
    assert_eq!((pool(&app, id).await.len(), hunter.initial().get(), hunter.is_public()), (2, 2, true));
    assert_eq!(audit_count(&app).await, before);
}
