//! A library's assets: adding, editing and deleting them.

use super::{asset_names, campaign_using, follow, library};
use crate::support::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn the_new_asset_form_offers_the_seven_kinds_and_is_public_by_default() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[]).await;
    let form = app.login("manager").await.get(&format!("/manage/libraries/{nato}/assets/new")).await;
    assert_eq!(form.status, StatusCode::OK);
    for kind in domain::AssetKind::ALL.map(domain::AssetKind::as_str) {
        assert!(form.body.contains(&format!(r#"<option value="{kind}""#)), "{kind} in {}", form.body);
    }
    assert!(form.body.contains(r#"name="public" type="checkbox" value="true" checked"#), "{}", form.body);
    assert!(form.body.contains(r#"name="unique" type="checkbox" value="true">"#), "{}", form.body);
    assert!(form.hidden_value("idempotency_key").is_some());
    assert_eq!(app.login("admin").await.get("/manage/libraries/999/assets/new").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn managers_and_admins_add_assets_and_see_them_in_the_library() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[]).await;
    let path = format!("/manage/libraries/{nato}/assets/new");
    for (role, name) in [("manager", "Hunter"), ("admin", "Commander")] {
        let client = app.login(role).await;
        let key = client.get(&path).await.hidden_value("idempotency_key").expect("a key");
        let fields = [
            ("name", name),
            ("kind", "vehicle"),
            ("category", "MRAP"),
            ("default_quantity", "1"),
            ("unique", "true"),
            ("idempotency_key", &key),
        ];
        let created = client.post_form(&path, &fields).await;
        assert_eq!(created.location(), Some(format!("/manage/libraries/{nato}").as_str()), "{}", created.body);
        let page = follow(&client, &created).await;
        assert!(page.body.contains(&format!("Asset {name} added.")), "{}", page.body);
        let row = page.body.split(&format!(r#"data-asset="{name}""#)).nth(1).expect("a row");
        let row = row.split("</tr>").next().unwrap_or("");
        assert!(row.contains(">Vehicle<") && row.contains(">MRAP<"), "{row}");
        assert!(row.contains(r#"<td data-label="Unique">Yes</td>"#), "{row}");
        assert!(row.contains(r#"<td data-label="Public">No</td>"#), "an unticked box is not public: {row}");
    }
    assert_eq!(asset_names(&app, nato).await, ["Commander", "Hunter"]);
}

#[tokio::test]
async fn submitting_the_new_asset_form_twice_adds_one_asset() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[]).await;
    let manager = app.login("manager").await;
    let path = format!("/manage/libraries/{nato}/assets/new");
    let key = manager.get(&path).await.hidden_value("idempotency_key").expect("a key");
    let fields = [("name", "Hunter"), ("kind", "Vehicle"), ("default_quantity", "4"), ("idempotency_key", &key)];
    let first = manager.post_form(&path, &fields).await;
    let second = manager.post_form(&path, &fields).await;
    assert_eq!((first.status, second.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER), "{}", second.body);
    assert_eq!(asset_names(&app, nato).await, ["Hunter"]);
}

#[tokio::test]
async fn invalid_assets_are_shown_again_with_each_message_and_the_values_and_nothing_is_added() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[]).await;
    let admin = app.login("admin").await;
    let path = format!("/manage/libraries/{nato}/assets/new");
    let key = admin.get(&path).await.hidden_value("idempotency_key").expect("a key");
    let cases = [
        (vec![("name", ""), ("kind", "Vehicle"), ("default_quantity", "3")], "name", "must not be empty"),
        (
            vec![("name", "Commander"), ("kind", "Other"), ("default_quantity", "2"), ("unique", "true")],
            "default_quantity",
            "default quantity can be at most 1",
        ),
        (
            vec![("name", "Hunter"), ("kind", "Spaceship"), ("default_quantity", "3")],
            "kind",
            "must be one of: Vehicle, Aircraft",
        ),
    ];
    for (mut fields, field, message) in cases {
        let quantity = fields[2].1;
        fields.push(("idempotency_key", &key));
        let response = admin.post_form(&path, &fields).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(response.body.contains(&format!(r#"id="{field}-error">"#)), "{field}: {}", response.body);
        assert!(response.body.contains(message), "{message} in {}", response.body);
        assert!(response.body.contains(&format!(r#"value="{quantity}""#)), "{}", response.body);
    }
    assert!(asset_names(&app, nato).await.is_empty());
}

#[tokio::test]
async fn a_duplicate_asset_name_is_refused_on_the_form_and_nothing_is_added() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[("Hunter", "Vehicle", 4)]).await;
    let manager = app.login("manager").await;
    let fields = [("name", "HUNTER"), ("kind", "Vehicle"), ("default_quantity", "2")];
    let response = manager.post_form(&format!("/manage/libraries/{nato}/assets/new"), &fields).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("This library already has an asset with this name."), "{}", response.body);
    assert!(response.body.contains(r#"value="HUNTER""#), "{}", response.body);
    assert_eq!(asset_names(&app, nato).await, ["Hunter"]);
}

#[tokio::test]
async fn editing_an_asset_shows_its_values_and_saves_the_new_ones() {
    let app = TestApp::new().await;
    let (nato, ids) = library(&app, "NATO", &[("Hunter", "Vehicle", 4)]).await;
    let admin = app.login("admin").await;
    let path = format!("/manage/assets/{}/edit", ids[0]);
    let form = admin.get(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"value="Hunter""#) && form.body.contains(r#"value="4""#), "{}", form.body);
    assert!(form.body.contains(r#"<option value="Vehicle" selected>"#), "{}", form.body);
    assert!(form.body.contains(&format!(r#"href="/manage/libraries/{nato}">NATO</a>"#)), "{}", form.body);
    let fields = [("name", "Hunter HMG"), ("kind", "Weapon"), ("default_quantity", "2"), ("public", "true")];
    let saved = admin.post_form(&path, &fields).await;
    assert_eq!(saved.location(), Some(format!("/manage/libraries/{nato}").as_str()));
    let page = follow(&admin, &saved).await;
    assert!(page.body.contains("Asset saved.") && page.body.contains(r#"data-asset="Hunter HMG""#), "{}", page.body);
    let asset = app.tracker().asset(&app.admin(), ids[0]).await.expect("the asset").asset;
    assert_eq!(asset.spec.default_quantity().get(), 2);
    assert_eq!(admin.get("/manage/assets/999/edit").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_invalid_or_taken_asset_edit_is_shown_again_and_changes_nothing() {
    let app = TestApp::new().await;
    let (nato, ids) = library(&app, "NATO", &[("Hunter", "Vehicle", 4), ("Slammer", "Vehicle", 2)]).await;
    let manager = app.login("manager").await;
    let path = format!("/manage/assets/{}/edit", ids[0]);
    let unique = [("name", "Hunter"), ("kind", "Vehicle"), ("default_quantity", "2"), ("unique", "true")];
    let response = manager.post_form(&path, &unique).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("default quantity can be at most 1"), "{}", response.body);
    let taken = [("name", "slammer"), ("kind", "Vehicle"), ("default_quantity", "2")];
    let response = manager.post_form(&path, &taken).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("This library already has an asset with this name."), "{}", response.body);
    assert_eq!(asset_names(&app, nato).await, ["Hunter", "Slammer"]);
    let asset = app.tracker().asset(&app.admin(), ids[0]).await.expect("the asset").asset;
    assert!(!asset.spec.is_unique());
    assert_eq!(asset.spec.default_quantity().get(), 4);
}

#[tokio::test]
async fn deleting_an_unused_asset_removes_it_and_says_so() {
    let app = TestApp::new().await;
    let (nato, ids) = library(&app, "NATO", &[("Hunter", "Vehicle", 4), ("Slammer", "Vehicle", 2)]).await;
    let manager = app.login("manager").await;
    let deleted = manager.post_form(&format!("/manage/assets/{}/delete", ids[0]), &[]).await;
    assert_eq!(deleted.location(), Some(format!("/manage/libraries/{nato}").as_str()));
    let page = follow(&manager, &deleted).await;
    assert!(page.body.contains("Asset Hunter deleted."), "{}", page.body);
    assert_eq!(asset_names(&app, nato).await, ["Slammer"]);
    assert_eq!(manager.post_form("/manage/assets/999/delete", &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deleting_an_asset_in_use_is_refused_with_a_flash_and_deletes_nothing() {
    let app = TestApp::new().await;
    let (nato, ids) = library(&app, "NATO", &[("Hunter", "Vehicle", 4)]).await;
    campaign_using(&app, &[nato]).await;
    let admin = app.login("admin").await;
    let refused = admin.post_form(&format!("/manage/assets/{}/delete", ids[0]), &[]).await;
    assert_eq!(refused.location(), Some(format!("/manage/libraries/{nato}").as_str()));
    let page = follow(&admin, &refused).await;
    assert!(page.body.contains("The asset is in use and cannot be removed."), "{}", page.body);
    assert_eq!(asset_names(&app, nato).await, ["Hunter"]);
}
