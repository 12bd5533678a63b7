//! Copying assets from one library into another.

use super::{asset_names, follow, library};
use crate::support::TestApp;
use axum::http::StatusCode;

const NATO: [(&str, &str, u32); 3] =
    [("Hunter", "Vehicle", 4), ("Slammer", "Vehicle", 2), ("Ghost Hawk", "Aircraft", 1)];

#[tokio::test]
async fn the_copy_page_offers_the_other_libraries_then_the_chosen_ones_assets() {
    let app = TestApp::new().await;
    let (nato, ids) = library(&app, "NATO", &NATO).await;
    let (pacific, _) = library(&app, "NATO Pacific", &[]).await;
    let manager = app.login("manager").await;
    let first = manager.get(&format!("/manage/libraries/{pacific}/copy")).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains(&format!(r#"<option value="{nato}">NATO (3 assets)</option>"#)), "{}", first.body);
    assert!(!first.body.contains(&format!(r#"<option value="{pacific}""#)), "not itself: {}", first.body);
    assert!(!first.body.contains(r#"name="asset_ids""#), "{}", first.body);
    let second = manager.get(&format!("/manage/libraries/{pacific}/copy?from_library={nato}")).await;
    assert_eq!(second.status, StatusCode::OK);
    for id in &ids {
        assert!(second.body.contains(&format!(r#"name="asset_ids" type="checkbox" value="{id}""#)), "{}", second.body);
    }
    assert!(second.body.contains(&format!(r#"<option value="{nato}" selected>"#)), "{}", second.body);
    let missing = manager.get(&format!("/manage/libraries/{pacific}/copy?from_library=999")).await;
    assert!(missing.body.contains("there is no such library"), "{}", missing.body);
    assert_eq!(manager.get("/manage/libraries/999/copy").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn copying_a_whole_library_counts_what_was_copied_and_what_was_skipped() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &NATO).await;
    let (pacific, _) = library(&app, "NATO Pacific", &[("hunter", "Vehicle", 9)]).await;
    let admin = app.login("admin").await;
    let from = nato.to_string();
    let copied = admin.post_form(&format!("/manage/libraries/{pacific}/copy"), &[("from_library", &from)]).await;
    assert_eq!(copied.location(), Some(format!("/manage/libraries/{pacific}").as_str()), "{}", copied.body);
    let page = follow(&admin, &copied).await;
    assert!(page.body.contains("2 assets copied (1 skipped: names already present)."), "{}", page.body);
    assert_eq!(asset_names(&app, pacific).await, ["Slammer", "hunter", "Ghost Hawk"]);
}

#[tokio::test]
async fn copying_chosen_assets_copies_only_those() {
    let app = TestApp::new().await;
    let (nato, ids) = library(&app, "NATO", &NATO).await;
    let (empty, _) = library(&app, "Empty", &[]).await;
    let manager = app.login("manager").await;
    let (from, hunter, hawk) = (nato.to_string(), ids[0].to_string(), ids[2].to_string());
    let fields = [("from_library", from.as_str()), ("asset_ids", &hunter), ("asset_ids", &hawk)];
    let copied = manager.post_form(&format!("/manage/libraries/{empty}/copy"), &fields).await;
    let page = follow(&manager, &copied).await;
    assert!(page.body.contains("2 assets copied."), "{}", page.body);
    assert_eq!(asset_names(&app, empty).await, ["Hunter", "Ghost Hawk"]);
}

#[tokio::test]
async fn a_copy_without_a_source_or_into_itself_or_of_a_stranger_is_shown_again_and_copies_nothing() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &NATO).await;
    let (csat, csat_ids) = library(&app, "CSAT", &[("Varsuk", "Vehicle", 3)]).await;
    let (empty, _) = library(&app, "Empty", &[]).await;
    let admin = app.login("admin").await;
    let (nato_id, stranger) = (nato.to_string(), csat_ids[0].to_string());
    let cases = [
        (empty, vec![("from_library", "")], "choose a library to copy from"),
        (nato, vec![("from_library", nato_id.as_str())], "must be another library than the one copied into"),
        (empty, vec![("from_library", nato_id.as_str()), ("asset_ids", &stranger)], "is not in library NATO"),
    ];
    for (into, fields, message) in cases {
        let response = admin.post_form(&format!("/manage/libraries/{into}/copy"), &fields).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(response.body.contains(message), "{message} in {}", response.body);
    }
    let missing = admin.post_form(&format!("/manage/libraries/{empty}/copy"), &[("from_library", "999")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("there is no such library"), "{}", missing.body);
    let into_missing = admin.post_form("/manage/libraries/999/copy", &[("from_library", nato_id.as_str())]).await;
    assert_eq!(into_missing.status, StatusCode::NOT_FOUND);
    assert!(asset_names(&app, empty).await.is_empty());
    assert_eq!(asset_names(&app, nato).await.len(), 3);
    assert_eq!(asset_names(&app, csat).await, ["Varsuk"]);
}

#[tokio::test]
async fn copying_only_names_already_present_copies_nothing_and_says_so() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &NATO[..1]).await;
    let (pacific, _) = library(&app, "NATO Pacific", &[("Hunter", "Vehicle", 9)]).await;
    let manager = app.login("manager").await;
    let from = nato.to_string();
    let copied = manager.post_form(&format!("/manage/libraries/{pacific}/copy"), &[("from_library", &from)]).await;
    let page = follow(&manager, &copied).await;
    assert!(page.body.contains("0 assets copied (1 skipped: names already present)."), "{}", page.body);
    assert_eq!(asset_names(&app, pacific).await, ["Hunter"]);
}

#[tokio::test]
async fn a_search_and_a_kind_narrow_the_assets_shown_and_an_untouched_filtered_form_copies_only_those() {
    let app = TestApp::new().await;
    let (nato, ids) = library(&app, "NATO", &NATO).await;
    let (empty, _) = library(&app, "Empty", &[]).await;
    let manager = app.login("manager").await;
    let page = manager.get(&format!("/manage/libraries/{empty}/copy?from_library={nato}&q=HUNT&kind=")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!(r#"type="checkbox" value="{}""#, ids[0])), "Hunter is shown: {}", page.body);
    assert!(!page.body.contains(&format!(r#"type="checkbox" value="{}""#, ids[1])), "Slammer is not: {}", page.body);
    assert!(page.body.contains("1 of 3 assets match the filter."), "{}", page.body);
    let aircraft = manager.get(&format!("/manage/libraries/{empty}/copy?from_library={nato}&q=&kind=Aircraft")).await;
    assert!(aircraft.body.contains(&format!(r#"type="checkbox" value="{}""#, ids[2])), "{}", aircraft.body);
    assert!(aircraft.body.contains(r#"<option value="Aircraft" selected>"#), "{}", aircraft.body);
    let nothing = manager.get(&format!("/manage/libraries/{empty}/copy?from_library={nato}&q=zeppelin")).await;
    assert!(nothing.body.contains("No asset of NATO matches the filter."), "{}", nothing.body);
    // Submitting the filtered form with no box ticked copies what it showed, not the library.
    let (from, hunter) = (nato.to_string(), ids[0].to_string());
    let fields = [("from_library", from.as_str()), ("q", "HUNT"), ("kind", ""), ("shown_ids", hunter.as_str())];
    let copied = manager.post_form(&format!("/manage/libraries/{empty}/copy"), &fields).await;
    assert!(follow(&manager, &copied).await.body.contains("1 asset copied."));
    assert_eq!(asset_names(&app, empty).await, ["Hunter"]);
}
