//! Router tests of the manage dashboard and the campaign reports; the pool page is in
//! `manage::pool` and its row forms in `manage::pool_rows`. The seeding helpers they
//! share (through the use cases) live here.

mod pool;
mod pool_rows;

use crate::support::{TestApp, TestResponse};
use application::campaigns::CampaignInput;
use application::events::{ChangeInput, EventFields, EventInput};
use application::libraries::{AssetInput, LibraryInput};
use application::missions::MissionInput;
use application::ports::AuditFilter;
use axum::http::{StatusCode, header};
use domain::{AssetId, CampaignId, EventId, LibraryId, PoolEntry};

/// Creates a library with `assets` as (name, default quantity), all public vehicles.
async fn library(app: &TestApp, name: &str, assets: &[(&str, u32)]) -> (LibraryId, Vec<AssetId>) {
    let t = app.tracker();
    let input = LibraryInput { name: name.into(), ..LibraryInput::default() };
    let id = t.create_library(&app.admin(), input).await.expect("the library is created");
    let mut ids = Vec::new();
    for (asset, quantity) in assets {
        ids.push(new_asset(app, id, asset, *quantity).await);
    }
    (id, ids)
}

/// Adds a public vehicle to a library.
async fn new_asset(app: &TestApp, library: LibraryId, name: &str, quantity: u32) -> AssetId {
    let input = AssetInput {
        name: name.into(),
        kind: "Vehicle".into(),
        default_quantity: quantity.to_string(),
        public: true,
        ..AssetInput::default()
    };
    app.tracker().create_asset(&app.admin(), library, input).await.expect("the asset is created")
}

/// Creates a campaign importing `libraries`, active or planned.
async fn campaign(app: &TestApp, name: &str, libraries: &[LibraryId], active: bool) -> CampaignId {
    let input = CampaignInput {
        name: name.into(),
        start_date: "2026-01-01".into(),
        library_ids: libraries.to_vec(),
        make_active: active,
        ..CampaignInput::default()
    };
    app.tracker().create_campaign(&app.admin(), input).await.expect("the campaign is created")
}

/// The active campaign "Harvest" over library "NATO" (M2A1 Slammer x4, Hunter x2).
async fn harvest(app: &TestApp) -> CampaignId {
    let (nato, _) = library(app, "NATO", &[("M2A1 Slammer", 4), ("Hunter", 2)]).await;
    campaign(app, "Harvest", &[nato], true).await
}

/// The campaign's pool as stored.
async fn pool(app: &TestApp, campaign: CampaignId) -> Vec<PoolEntry> {
    app.tracker().pool(&app.admin(), campaign).await.expect("the pool")
}

/// The pool entry of `asset`.
async fn entry(app: &TestApp, campaign: CampaignId, asset: &str) -> PoolEntry {
    let pool = pool(app, campaign).await;
    pool.into_iter().find(|e| e.asset_name().as_str() == asset).expect("the asset is in the pool")
}

/// Records mission `mission` with one event `title` moving `asset` by `delta`.
async fn record(app: &TestApp, campaign: CampaignId, mission: &str, title: &str, changes: &[(&str, i64)]) -> EventId {
    let t = app.tracker();
    let input = MissionInput { name: mission.into(), ..MissionInput::default() };
    let mission = t.create_mission(&app.admin(), campaign, input).await.expect("the mission is created");
    let mut rows = Vec::new();
    for (asset, delta) in changes {
        let id = entry(app, campaign, asset).await.id();
        rows.push(ChangeInput { pool_entry_id: id.to_string(), delta: delta.to_string(), note: "RPG".into() });
    }
    let fields = EventFields {
        kind: "Combat".into(),
        title: title.into(),
        occurred_at: "2026-01-01T10:00".into(),
        ..EventFields::default()
    };
    let input = EventInput { fields, changes: rows, idempotency_key: None };
    t.create_event(&app.admin(), mission, input).await.expect("the event is recorded")
}

/// How many audit entries were written so far.
async fn audit_count(app: &TestApp) -> u64 {
    let log =
        app.tracker().audit_page(&app.admin(), AuditFilter::default(), 1, 1).await.expect("the audit log").entries;
    log.total
}

/// The text of the `data-current` cell in the row of `asset`.
fn current_in(page: &TestResponse, asset: &str) -> Option<String> {
    let row = page.body.split(&format!("<tr data-asset=\"{asset}\">")).nth(1)?.split("</tr>").next()?;
    let cell = row.split("data-current>").nth(1)?;
    Some(cell.split('<').next()?.trim().to_owned())
}

/// Follows a redirect with the same client.
async fn follow(client: &crate::support::Client, response: &TestResponse) -> TestResponse {
    client.get(response.location().expect("a redirect")).await
}

#[tokio::test]
async fn the_public_is_sent_to_the_login_page_from_every_campaign_page() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    let anonymous = app.anonymous();
    for path in ["/manage".to_owned(), format!("/manage/campaigns/{id}/pool"), format!("/manage/campaigns/{id}/report")]
        .into_iter()
        .chain(["/manage/reports".to_owned()])
    {
        let r = anonymous.get(&path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        let next = serde_urlencoded::to_string([("next", path.as_str())]).unwrap();
        assert_eq!(r.location(), Some(format!("/login?{next}").as_str()), "{path}");
    }
}

#[tokio::test]
async fn the_dashboard_shows_the_active_campaign_with_its_totals_latest_missions_and_events_and_links() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    record(&app, id, "Night raid", "Ambush at the bridge", &[("M2A1 Slammer", -2), ("Hunter", -2)]).await;
    for user in ["manager", "admin"] {
        let page = app.login(user).await.get("/manage").await;
        assert_eq!(page.status, StatusCode::OK, "{user}");
        assert!(page.body.contains("<h1>Harvest</h1>"), "{}", page.body);
        for link in ["pool", "missions", "report"] {
            assert!(page.body.contains(&format!("href=\"/manage/campaigns/{id}/{link}\"")), "{link}: {}", page.body);
        }
        assert!(page.body.contains("<dt>Assets at the start</dt><dd>6</dd>"), "{}", page.body);
        assert!(page.body.contains("<dt>Assets now</dt><dd>2</dd>"), "{}", page.body);
        assert!(page.body.contains("class=\"low\">1</dd>"), "one entry is low: {}", page.body);
        assert!(page.body.contains("class=\"depleted\">1</dd>"), "one entry is depleted: {}", page.body);
        assert!(page.body.contains("Night raid") && page.body.contains("Ambush at the bridge"), "{}", page.body);
        assert!(page.body.contains("-4"), "the event's losses: {}", page.body);
    }
}

#[tokio::test]
async fn without_an_active_campaign_the_dashboard_is_a_friendly_page_that_points_admins_to_the_admin_page() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await.get("/manage").await;
    assert_eq!(admin.status, StatusCode::OK);
    assert!(admin.body.contains("No active campaign"), "{}", admin.body);
    assert!(admin.body.contains("<a class=\"button primary\" href=\"/admin\">"), "{}", admin.body);
    let manager = app.login("manager").await.get("/manage").await;
    assert_eq!(manager.status, StatusCode::OK);
    assert!(manager.body.contains("No active campaign"), "{}", manager.body);
    assert!(!manager.body.contains("href=\"/admin\""), "{}", manager.body);
}

#[tokio::test]
async fn the_reports_page_lists_every_campaign_with_its_status_and_a_link_to_its_report() {
    let app = TestApp::new().await;
    let active = harvest(&app).await;
    let planned = campaign(&app, "Winter", &[], false).await;
    let page = app.login("manager").await.get("/manage/reports").await;
    assert_eq!(page.status, StatusCode::OK);
    for (id, name, status) in [(active, "Harvest", "Active"), (planned, "Winter", "Planned")] {
        assert!(page.body.contains(name), "{}", page.body);
        assert!(page.body.contains(&format!("href=\"/manage/campaigns/{id}/report\"")), "{}", page.body);
        assert!(page.body.contains(&format!("<span class=\"badge\">{status}</span>")), "{}", page.body);
    }
}

#[tokio::test]
async fn the_campaign_report_shows_totals_the_pool_with_gains_and_losses_and_the_missions_with_their_changes() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    record(&app, id, "Night raid", "Ambush at the bridge", &[("M2A1 Slammer", -3), ("Hunter", 1)]).await;
    let page = app.login("manager").await.get(&format!("/manage/campaigns/{id}/report")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>Report: Harvest</h1>"), "{}", page.body);
    assert!(page.body.contains("<dt>Gained</dt><dd class=\"gain\">+1</dd>"), "{}", page.body);
    assert!(page.body.contains("<dt>Lost</dt><dd class=\"loss\">-3</dd>"), "{}", page.body);
    assert_eq!(current_in(&page, "M2A1 Slammer").as_deref(), Some("1"));
    assert_eq!(current_in(&page, "Hunter").as_deref(), Some("3"));
    let row = |asset: &str| page.body.split(&format!("<tr data-asset=\"{asset}\">")).nth(1).unwrap_or("").to_owned();
    let status = |asset: &str| row(asset).split("</tr>").next().unwrap_or("").to_owned();
    assert!(status("M2A1 Slammer").contains(r#"<span class="badge low">Low</span>"#), "1 of 4 is low");
    assert!(status("Hunter").contains(r#"<span class="badge surplus">Surplus</span>"#), "3 of 2 is a surplus");
    assert!(page.body.contains("Night raid") && page.body.contains("Ambush at the bridge"), "{}", page.body);
    assert!(page.body.contains("<span class=\"loss\">-3</span> M2A1 Slammer: RPG"), "{}", page.body);
    let csv_link = format!(r#"href="/manage/campaigns/{id}/report.csv""#);
    assert!(page.body.contains(&csv_link), "a link to the CSV download: {}", page.body);
    let body = &page.body;
    let table = |name: &str| {
        let start = body.find(&format!(r#"data-summary="{name}""#)).unwrap_or_else(|| panic!("no {name}: {body}"));
        body[start..].split("</table>").next().unwrap_or_default().to_owned()
    };
    assert!(table("kinds").contains(r#"<tr data-kind="Vehicle">"#), "{}", table("kinds"));
    assert!(table("largest-losses").contains(r#"<th scope="row">M2A1 Slammer</th><td class="number">3</td>"#));
    assert!(table("largest-gains").contains(r#"<th scope="row">Hunter</th><td class="number">1</td>"#));
    assert!(table("losses-per-mission").contains(r#"<th scope="row">Night raid</th><td class="number">3</td>"#));
    assert!(table("events-by-kind").contains(r#"<td class="number">1</td>"#), "{}", table("events-by-kind"));
}

#[tokio::test]
async fn the_report_charts_each_kind_over_time_and_one_chosen_asset_and_refuses_an_unknown_one() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    record(&app, id, "Night raid", "Ambush at the bridge", &[("M2A1 Slammer", -3), ("Hunter", 1)]).await;
    let manager = app.login("manager").await;
    let page = manager.get(&format!("/manage/campaigns/{id}/report")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let part = |from: &str, to: &str| {
        let start = body.find(from).unwrap_or_else(|| panic!("no {from}: {body}"));
        body[start..].split(to).next().unwrap_or_default().to_owned()
    };
    let kinds = part(r#"<figure class="chart-figure" data-chart="kinds">"#, "</figure>");
    assert!(kinds.contains(r#"<svg class="chart""#) && kinds.contains(r#"<path class="line s0" d="M"#), "{kinds}");
    assert!(kinds.contains(r#"<span class="swatch s0"></span>Vehicle"#), "a legend: {kinds}");
    // The figures: Vehicles 6 at the start, 4 after the ambush (-3 + 1).
    let figures: Vec<String> = part(r#"data-chart-data="kinds""#, "</table>")
        .split(r#"<td class="number">"#)
        .skip(1)
        .map(|cell| cell.split('<').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(figures.first().map(String::as_str), Some("6"), "{figures:?}");
    assert_eq!(figures.last().map(String::as_str), Some("4"), "{figures:?}");
    for chart in ["statuses", "losses", "asset"] {
        assert!(body.contains(&format!(r#"data-chart="{chart}""#)), "the {chart} chart: {body}");
    }
    assert!(part("<svg", "</svg>").find("style=").is_none(), "no inline style, as the CSP wants");
    assert!(
        body.contains("<h2 id=\"asset-chart-heading\">One asset over time: M2A1 Slammer</h2>"),
        "the asset that lost most"
    );

    // Hunter is first in the pool (Vehicles, by name): 2, then 3 after the ambush.
    let hunter = manager.get(&format!("/manage/campaigns/{id}/report?asset=1")).await;
    assert_eq!(hunter.status, StatusCode::OK);
    assert!(hunter.body.contains("One asset over time: Hunter</h2>"), "{}", hunter.body);
    assert!(hunter.body.contains(r#"<option value="1" selected>Hunter (Vehicle)</option>"#), "{}", hunter.body);
    let rows = hunter.body.split(r#"data-chart-data="asset""#).nth(1).unwrap_or_default().to_owned();
    let quantities: Vec<&str> =
        rows.split(r#"<td class="number">"#).skip(1).filter_map(|c| c.split('<').next()).collect();
    assert_eq!(quantities[..2], ["2", "3"], "{rows}");

    for bad in ["99", "0", "tank"] {
        let refused = manager.get(&format!("/manage/campaigns/{id}/report?asset={bad}")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "asset={bad}");
        let message = format!(r#"<p class="field-error" id="asset-error">There is no asset {bad} in this report"#);
        assert!(refused.body.contains(&message), "{}", refused.body);
        assert!(refused.body.contains(r#"aria-invalid="true""#), "{}", refused.body);
    }
}

#[tokio::test]
async fn the_report_downloads_as_csv_named_after_the_campaign_with_the_library_of_each_entry() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    record(&app, id, "Night raid", "Ambush at the bridge", &[("M2A1 Slammer", -3), ("Hunter", 1)]).await;
    let manager = app.login("manager").await;
    let csv = manager.get(&format!("/manage/campaigns/{id}/report.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = csv.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with(r#"attachment; filename="harvest-"#) && disposition.ends_with(r#".csv""#));
    let lines: Vec<&str> = csv.body.split("\r\n").collect();
    assert_eq!(lines[0], "library,asset,kind,category,initial,current,gained,lost,net");
    assert!(lines.contains(&"NATO,M2A1 Slammer,Vehicle,,4,1,0,3,-3"), "{lines:?}");
    assert!(lines.contains(&"NATO,Hunter,Vehicle,,2,3,1,0,1"), "{lines:?}");
    let bom = manager.get(&format!("/manage/campaigns/{id}/report.csv?bom=1")).await;
    assert!(bom.body.starts_with('\u{feff}'), "the byte order mark, when asked");
    assert_eq!(app.anonymous().get(&format!("/manage/campaigns/{id}/report.csv")).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_report_downloads_as_json_with_its_missions_events_and_the_campaigns_audit_entries() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    record(&app, id, "Night raid", "Ambush at the bridge", &[("M2A1 Slammer", -3), ("Hunter", 1)]).await;
    let manager = app.login("manager").await;
    let page = manager.get(&format!("/manage/campaigns/{id}/report")).await;
    assert!(page.body.contains(&format!(r#"href="/manage/campaigns/{id}/report.json""#)), "{}", page.body);
    let file = manager.get(&format!("/manage/campaigns/{id}/report.json")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/json");
    let disposition = file.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with(r#"attachment; filename="harvest-"#) && disposition.ends_with(r#".json""#));
    let json: serde_json::Value = serde_json::from_str(&file.body).expect("JSON");
    assert_eq!((json["format"].as_str(), json["version"].as_u64()), (Some("asset-tracker.campaign-report"), Some(1)));
    assert_eq!(json["totals"]["lost"], 3);
    let slammer = json["pool"].as_array().expect("pool").iter().find(|e| e["asset"] == "M2A1 Slammer").cloned();
    let slammer = slammer.expect("the Slammer");
    assert_eq!((slammer["library"].as_str(), slammer["kind"].as_str()), (Some("NATO"), Some("Vehicle")));
    assert_eq!(
        (slammer["current"].as_u64(), slammer["lost"].as_u64(), slammer["level"].as_str()),
        (Some(1), Some(3), Some("low"))
    );
    let event = &json["missions"][0]["events"][0];
    assert_eq!(event["title"], "Ambush at the bridge");
    let changes: Vec<(String, i64)> = event["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| (c["asset"].as_str().unwrap_or_default().to_owned(), c["delta"].as_i64().unwrap_or_default()))
        .collect();
    assert!(changes.contains(&("M2A1 Slammer".to_owned(), -3)) && changes.contains(&("Hunter".to_owned(), 1)));
    let audit = json["audit"].as_array().expect("the audit entries");
    let actions: Vec<&str> = audit.iter().filter_map(|a| a["action"].as_str()).collect();
    assert!(actions.contains(&"campaign.created") && actions.contains(&"event.created"), "{actions:?}");
    assert!(audit.windows(2).all(|w| w[0]["id"].as_i64() < w[1]["id"].as_i64()), "oldest first");
    assert_eq!(manager.get("/manage/campaigns/999/report.json").await.status, StatusCode::NOT_FOUND);
    let anonymous = app.anonymous().get(&format!("/manage/campaigns/{id}/report.json")).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "to the login page");
}

#[tokio::test]
async fn a_closed_campaign_shows_its_archived_report_and_an_unknown_campaign_has_none() {
    let app = TestApp::new().await;
    let id = harvest(&app).await;
    record(&app, id, "Night raid", "Ambush at the bridge", &[("Hunter", -1)]).await;
    app.tracker().close_campaign(&app.admin(), id).await.expect("the campaign closes");
    let manager = app.login("manager").await;
    let page = manager.get(&format!("/manage/campaigns/{id}/report")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<span class=\"badge\">Closed</span>"), "{}", page.body);
    assert_eq!(current_in(&page, "Hunter").as_deref(), Some("1"));
    assert_eq!(manager.get("/manage/campaigns/999/report").await.status, StatusCode::NOT_FOUND);
}
