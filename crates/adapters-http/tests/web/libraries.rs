//! The library pages: libraries here, their assets in `assets`, copying in `copy`.
//! Shared seeding helpers go through the use cases.

mod assets;
mod copy;
mod csv;

use crate::support::{Client, TestApp, TestResponse};
use application::campaigns::CampaignInput;
use application::libraries::{AssetInput, LibraryInput};
use axum::http::StatusCode;
use domain::{AssetId, LibraryId};

/// A library named `name` with `assets` (name, kind, default quantity), made by the admin.
async fn library(app: &TestApp, name: &str, assets: &[(&str, &str, u32)]) -> (LibraryId, Vec<AssetId>) {
    let input = LibraryInput { name: name.into(), category: "Modern".into(), ..LibraryInput::default() };
    let id = app.tracker().create_library(&app.admin(), input).await.expect("the library is created");
    let mut ids = Vec::new();
    for (asset, kind, quantity) in assets {
        let input = AssetInput {
            name: (*asset).into(),
            kind: (*kind).into(),
            default_quantity: quantity.to_string(),
            public: true,
            ..AssetInput::default()
        };
        ids.push(app.tracker().create_asset(&app.admin(), id, input).await.expect("the asset is created"));
    }
    (id, ids)
}

/// A campaign whose pool imports `libraries`, so their assets are in use.
async fn campaign_using(app: &TestApp, libraries: &[LibraryId]) {
    let input = CampaignInput {
        name: "Operation Harvest".into(),
        start_date: "2026-01-01".into(),
        library_ids: libraries.to_vec(),
        ..CampaignInput::default()
    };
    app.tracker().create_campaign(&app.admin(), input).await.expect("the campaign is created");
}

/// Every library's name, by name.
async fn library_names(app: &TestApp) -> Vec<String> {
    let libraries = app.tracker().list_libraries(&app.admin()).await.expect("the libraries");
    libraries.iter().map(|s| s.library.name.to_string()).collect()
}

/// The names of a library's assets, by kind then name.
async fn asset_names(app: &TestApp, library: LibraryId) -> Vec<String> {
    let view = app.tracker().library(&app.admin(), library).await.expect("the library");
    view.assets.iter().map(|a| a.spec.name().to_string()).collect()
}

/// The page a redirect leads to.
async fn follow(client: &Client, response: &TestResponse) -> TestResponse {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    client.get(response.location().expect("a Location")).await
}

#[tokio::test]
async fn the_public_is_sent_to_the_login_page_from_every_library_page() {
    let app = TestApp::new().await;
    let (nato, ids) = library(&app, "NATO", &[("Hunter", "Vehicle", 4)]).await;
    let anonymous = app.anonymous();
    let (lib, asset) = (nato.get(), ids[0].get());
    for path in [
        "/manage/libraries".to_owned(),
        "/manage/libraries/new".to_owned(),
        format!("/manage/libraries/{lib}"),
        format!("/manage/libraries/{lib}/edit"),
        format!("/manage/libraries/{lib}/assets/new"),
        format!("/manage/assets/{asset}/edit"),
        format!("/manage/libraries/{lib}/copy"),
    ] {
        let response = anonymous.get(&path).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        let next = serde_urlencoded::to_string([("next", path.as_str())]).expect("a query");
        assert_eq!(response.location(), Some(format!("/login?{next}").as_str()), "{path}");
    }
    for path in [
        "/manage/libraries/new".to_owned(),
        format!("/manage/libraries/{lib}/edit"),
        format!("/manage/libraries/{lib}/delete"),
        format!("/manage/libraries/{lib}/assets/new"),
        format!("/manage/assets/{asset}/edit"),
        format!("/manage/assets/{asset}/delete"),
        format!("/manage/libraries/{lib}/copy"),
    ] {
        let response = anonymous.post_form(&path, &[("name", "Stolen")]).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(response.location(), Some("/login"), "{path}");
    }
    assert_eq!(library_names(&app).await, ["NATO"]);
    assert_eq!(asset_names(&app, nato).await, ["Hunter"]);
}

#[tokio::test]
async fn managers_and_admins_see_every_library_with_its_category_default_flag_asset_count_and_use() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[("Hunter", "Vehicle", 4), ("Slammer", "Vehicle", 2)]).await;
    library(&app, "CSAT", &[]).await;
    campaign_using(&app, &[nato]).await;
    for role in ["manager", "admin"] {
        let page = app.login(role).await.get("/manage/libraries").await;
        assert_eq!(page.status, StatusCode::OK, "{role}");
        assert!(page.body.contains(r#"<tr data-library="NATO">"#), "{}", page.body);
        assert!(page.body.contains(&format!(r#"href="/manage/libraries/{nato}""#)), "{}", page.body);
        assert!(page.body.contains(r#"href="/manage/libraries/new""#), "{}", page.body);
        let nato_row = page.body.split(r#"data-library="NATO""#).nth(1).expect("a NATO row");
        let nato_row = nato_row.split("</tr>").next().unwrap_or("");
        assert!(nato_row.contains("Modern") && nato_row.contains(">2<") && nato_row.contains(">Yes<"), "{nato_row}");
        assert!(page.body.contains(r#"data-library="CSAT""#), "{}", page.body);
    }
}

#[tokio::test]
async fn a_manager_creates_a_library_and_is_shown_it_with_a_flash() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let form = manager.get("/manage/libraries/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let key = form.hidden_value("idempotency_key").expect("a key");
    let fields = [("name", "NATO"), ("category", "Modern"), ("is_default", "true"), ("idempotency_key", &key)];
    let created = manager.post_form("/manage/libraries/new", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let libraries = app.tracker().list_libraries(&app.admin()).await.expect("the libraries");
    assert_eq!(libraries.len(), 1);
    assert!(libraries[0].library.is_default);
    let location = format!("/manage/libraries/{}", libraries[0].library.id);
    assert_eq!(created.location(), Some(location.as_str()));
    let page = manager.get(&location).await;
    assert!(page.body.contains("Library created."), "{}", page.body);
    assert!(page.body.contains("<h1>NATO</h1>"), "{}", page.body);
}

#[tokio::test]
async fn submitting_the_new_library_form_twice_creates_one_library() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    let key = admin.get("/manage/libraries/new").await.hidden_value("idempotency_key").expect("a key");
    let first = admin.post_form("/manage/libraries/new", &[("name", "NATO"), ("idempotency_key", &key)]).await;
    let second = admin.post_form("/manage/libraries/new", &[("name", "NATO"), ("idempotency_key", &key)]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);
    assert_eq!(first.location(), second.location());
    assert_eq!(library_names(&app).await, ["NATO"]);
}

#[tokio::test]
async fn a_library_without_a_name_is_shown_again_with_the_message_and_the_values() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let key = manager.get("/manage/libraries/new").await.hidden_value("idempotency_key").expect("a key");
    let fields = [("name", "  "), ("category", "Cold War"), ("idempotency_key", &key)];
    let response = manager.post_form("/manage/libraries/new", &fields).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response.body.contains(r#"<p class="field-error" id="name-error">must not be empty</p>"#),
        "{}",
        response.body
    );
    assert!(response.body.contains(r#"value="Cold War""#), "{}", response.body);
    assert_eq!(response.hidden_value("idempotency_key").as_deref(), Some(key.as_str()));
    assert!(library_names(&app).await.is_empty());
}

#[tokio::test]
async fn a_duplicate_library_name_is_refused_on_the_form_and_nothing_is_created() {
    let app = TestApp::new().await;
    library(&app, "NATO", &[]).await;
    let admin = app.login("admin").await;
    let key = admin.get("/manage/libraries/new").await.hidden_value("idempotency_key").expect("a key");
    let response = admin.post_form("/manage/libraries/new", &[("name", "nato"), ("idempotency_key", &key)]).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("A library with this name already exists."), "{}", response.body);
    assert!(response.body.contains(r#"value="nato""#), "{}", response.body);
    assert_eq!(library_names(&app).await, ["NATO"]);
}

#[tokio::test]
async fn a_library_page_shows_its_assets_and_links_to_edit_add_copy_and_delete() {
    let app = TestApp::new().await;
    let (nato, ids) = library(&app, "NATO", &[("Hunter", "Vehicle", 4), ("Ghost Hawk", "Aircraft", 1)]).await;
    let page = app.login("manager").await.get(&format!("/manage/libraries/{nato}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for fragment in [
        "<h1>NATO</h1>".to_owned(),
        r#"<tr data-asset="Hunter">"#.to_owned(),
        r#"<td data-label="Kind">Aircraft</td>"#.to_owned(),
        format!(r#"href="/manage/libraries/{nato}/edit""#),
        format!(r#"href="/manage/libraries/{nato}/assets/new""#),
        format!(r#"href="/manage/libraries/{nato}/copy""#),
        format!(r#"href="/manage/assets/{}/edit""#, ids[0]),
        format!(r#"action="/manage/assets/{}/delete""#, ids[1]),
        format!(r#"action="/manage/libraries/{nato}/delete""#),
    ] {
        assert!(page.body.contains(&fragment), "{fragment} in {}", page.body);
    }
    let vehicles_first = page.body.find(r#"data-asset="Hunter""#) < page.body.find(r#"data-asset="Ghost Hawk""#);
    assert!(vehicles_first, "assets are by kind (vehicles first) then name");
}

#[tokio::test]
async fn a_library_in_use_offers_no_delete_button_and_an_unknown_library_is_not_found() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[("Hunter", "Vehicle", 4)]).await;
    campaign_using(&app, &[nato]).await;
    let admin = app.login("admin").await;
    let page = admin.get(&format!("/manage/libraries/{nato}")).await;
    assert!(!page.body.contains(&format!(r#"action="/manage/libraries/{nato}/delete""#)), "{}", page.body);
    assert!(page.body.contains("cannot be deleted"), "{}", page.body);
    assert_eq!(admin.get("/manage/libraries/999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(admin.get("/manage/libraries/999/edit").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn editing_a_library_shows_its_values_and_saves_the_new_ones() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[]).await;
    let admin = app.login("admin").await;
    let form = admin.get(&format!("/manage/libraries/{nato}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"value="NATO""#) && form.body.contains(r#"value="Modern""#), "{}", form.body);
    assert_eq!(form.hidden_value("idempotency_key"), None);
    let fields = [("name", "NATO 2035"), ("category", "Near future"), ("is_default", "true")];
    let saved = admin.post_form(&format!("/manage/libraries/{nato}/edit"), &fields).await;
    assert_eq!(saved.location(), Some(format!("/manage/libraries/{nato}").as_str()));
    let page = follow(&admin, &saved).await;
    assert!(page.body.contains("Library saved.") && page.body.contains("<h1>NATO 2035</h1>"), "{}", page.body);
    let library = app.tracker().library(&app.admin(), nato).await.expect("the library").summary.library;
    assert_eq!((library.category.as_str(), library.is_default), ("Near future", true));
}

#[tokio::test]
async fn an_edit_to_an_empty_or_taken_name_is_shown_again_and_changes_nothing() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[]).await;
    library(&app, "CSAT", &[]).await;
    let manager = app.login("manager").await;
    let path = format!("/manage/libraries/{nato}/edit");
    let empty = manager.post_form(&path, &[("name", ""), ("category", "Other")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("must not be empty") && empty.body.contains(r#"value="Other""#), "{}", empty.body);
    let taken = manager.post_form(&path, &[("name", "CSAT")]).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("A library with this name already exists."), "{}", taken.body);
    assert_eq!(library_names(&app).await, ["CSAT", "NATO"]);
    let library = app.tracker().library(&app.admin(), nato).await.expect("the library").summary.library;
    assert_eq!(library.category.as_str(), "Modern");
}

#[tokio::test]
async fn deleting_an_unused_library_removes_it_and_says_so() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[("Hunter", "Vehicle", 4)]).await;
    let manager = app.login("manager").await;
    let deleted = manager.post_form(&format!("/manage/libraries/{nato}/delete"), &[]).await;
    assert_eq!(deleted.location(), Some("/manage/libraries"));
    let page = follow(&manager, &deleted).await;
    assert!(page.body.contains("Library deleted."), "{}", page.body);
    assert!(library_names(&app).await.is_empty());
}

#[tokio::test]
async fn deleting_a_library_in_use_is_refused_with_a_flash_and_deletes_nothing() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[("Hunter", "Vehicle", 4)]).await;
    campaign_using(&app, &[nato]).await;
    let admin = app.login("admin").await;
    let refused = admin.post_form(&format!("/manage/libraries/{nato}/delete"), &[]).await;
    assert_eq!(refused.location(), Some(format!("/manage/libraries/{nato}").as_str()));
    let page = follow(&admin, &refused).await;
    assert!(page.body.contains("The library is in use and cannot be removed."), "{}", page.body);
    assert_eq!(library_names(&app).await, ["NATO"]);
    assert_eq!(asset_names(&app, nato).await, ["Hunter"]);
    assert_eq!(admin.post_form("/manage/libraries/999/delete", &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_librarys_page_lists_the_campaigns_using_it_and_marks_a_pool_that_is_out_of_date() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[("Hunter", "Vehicle", 4)]).await;
    let manager = app.login("manager").await;
    let page = manager.get(&format!("/manage/libraries/{nato}")).await;
    assert!(page.body.contains("No campaign has imported this library."), "{}", page.body);

    campaign_using(&app, &[nato]).await;
    let campaign = app.tracker().list_campaigns(&app.admin()).await.expect("campaigns")[0].id();
    let row = |body: &str| {
        let start = body.find(r#"<tr data-campaign="Operation Harvest">"#).unwrap_or_else(|| panic!("no row: {body}"));
        body[start..].split("</tr>").next().unwrap_or_default().to_owned()
    };
    let used = manager.get(&format!("/manage/libraries/{nato}")).await;
    let fresh = row(&used.body);
    assert!(
        fresh.contains(&format!(r#"<a href="/manage/campaigns/{campaign}/pool">Operation Harvest</a>"#)),
        "{fresh}"
    );
    assert!(fresh.contains("<time datetime=") && fresh.contains(">Never</td>"), "imported, never synced: {fresh}");
    assert!(fresh.contains("Up to date") && !fresh.contains("data-out-of-date"), "{fresh}");

    let input = AssetInput {
        name: "Slammer".into(),
        kind: "Vehicle".into(),
        default_quantity: "2".into(),
        ..AssetInput::default()
    };
    app.tracker().create_asset(&app.admin(), nato, input).await.expect("a new asset");
    let behind = row(&manager.get(&format!("/manage/libraries/{nato}")).await.body);
    assert!(
        behind
            .contains(r#"<span class="badge low" data-out-of-date>Out of date</span> 1 asset of this library missing"#),
        "{behind}"
    );

    let sync = application::pool::SyncLibrary { library_id: nato.to_string() };
    app.tracker().sync_library(&app.admin(), campaign, sync).await.expect("synced");
    let synced = row(&manager.get(&format!("/manage/libraries/{nato}")).await.body);
    assert!(synced.contains("Up to date") && !synced.contains(">Never</td>"), "{synced}");
}
