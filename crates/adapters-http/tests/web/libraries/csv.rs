//! A library's assets out and in as CSV: export, preview, import.

use super::{asset_names, follow, library};
use crate::support::TestApp;
use axum::http::{StatusCode, header};

const HEADER: &str = "name,kind,category,description,default_quantity,unique,public";

#[tokio::test]
async fn an_exported_library_imports_into_another_after_a_preview() {
    let app = TestApp::new().await;
    let (nato, _) =
        library(&app, "NATO Armour", &[("Hunter", "Vehicle", 4), ("=Slammer, \"MBT\"", "Vehicle", 2)]).await;
    let (pacific, _) = library(&app, "NATO Pacific", &[("hunter", "Vehicle", 9)]).await;
    let manager = app.login("manager").await;
    let show = manager.get(&format!("/manage/libraries/{nato}")).await;
    assert!(show.body.contains(&format!(r#"href="/manage/libraries/{nato}/assets.csv""#)), "{}", show.body);
    assert!(show.body.contains(&format!(r#"href="/manage/libraries/{nato}/import""#)), "{}", show.body);

    let file = manager.get(&format!("/manage/libraries/{nato}/assets.csv")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(file.headers[header::CONTENT_DISPOSITION], r#"attachment; filename="nato-armour-assets.csv""#);
    let lines: Vec<&str> = file.body.split("\r\n").collect();
    assert_eq!(lines[0], HEADER);
    assert!(lines.contains(&r#""'=Slammer, ""MBT""",Vehicle,,,2,false,true"#), "defused and quoted: {lines:?}");

    let path = format!("/manage/libraries/{pacific}/import");
    assert_eq!(manager.get(&path).await.status, StatusCode::OK);
    let preview = manager.post_form(&path, &[("csv", &file.body), ("action", "preview")]).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("1 to add, 1 to skip, 0 rejected."), "{}", preview.body);
    assert!(preview.body.contains(
        r#"<button type="submit" name="action" value="import" class="button primary">Import 1 asset</button>"#
    ));
    assert_eq!(asset_names(&app, pacific).await, ["hunter"], "a preview writes nothing");

    let done = manager.post_form(&path, &[("csv", &file.body), ("action", "import")]).await;
    assert_eq!(done.location(), Some(format!("/manage/libraries/{pacific}").as_str()), "{}", done.body);
    let page = follow(&manager, &done).await;
    assert!(page.body.contains("1 asset imported (1 skipped: names already present)."), "{}", page.body);
    // The export's guard against spreadsheet formulas is undone on the way in.
    assert_eq!(asset_names(&app, pacific).await, ["=Slammer, \"MBT\"", "hunter"]);
}

#[tokio::test]
async fn a_bad_file_or_a_rejected_row_is_shown_beside_the_field_and_imports_nothing() {
    let app = TestApp::new().await;
    let (nato, _) = library(&app, "NATO", &[]).await;
    let manager = app.login("manager").await;
    let path = format!("/manage/libraries/{nato}/import");
    for (csv, message) in [
        ("name,kind\nTank,Vehicle", "the first line has no column &quot;category&quot;"),
        ("", "the file is empty"),
        (&format!("{HEADER}\n\"Tank,Vehicle,,,1,,"), "a quoted field opened on line 2 is never closed"),
    ] {
        for action in ["preview", "import"] {
            let refused = manager.post_form(&path, &[("csv", csv), ("action", action)]).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{action}: {}", refused.body);
            assert!(refused.body.contains(r#"<p class="field-error" id="csv-error">"#), "{}", refused.body);
            assert!(refused.body.contains(message), "{message}: {}", refused.body);
        }
    }
    let rejected = format!("{HEADER}\nTank,Vehicle,,,4,,\nDrone,Spaceship,,,1,,\nCrate,Supply,,,lots,,\n");
    let preview = manager.post_form(&path, &[("csv", &rejected), ("action", "preview")]).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("1 to add, 0 to skip, 2 rejected."), "{}", preview.body);
    assert!(!preview.body.contains(r#"value="import""#), "no import button while a row is rejected");
    let rows = preview.body.split(r#"data-rows="rejected""#).nth(1).unwrap_or_default();
    assert!(rows.contains(r#"<td class="number">3</td><td class="loss">kind: must be one of"#), "{rows}");
    assert!(rows.contains(r#"<td class="number">4</td><td class="loss">default_quantity:"#), "{rows}");
    let refused = manager.post_form(&path, &[("csv", &rejected), ("action", "import")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("2 rows cannot be imported (the first on line 3)"), "{}", refused.body);
    assert!(asset_names(&app, nato).await.is_empty(), "all or nothing");
    assert_eq!(manager.get("/manage/libraries/999/import").await.status, StatusCode::NOT_FOUND);
    assert_eq!(manager.get("/manage/libraries/999/assets.csv").await.status, StatusCode::NOT_FOUND);
}
