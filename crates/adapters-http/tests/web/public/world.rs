//! The seeded world of the public page tests: a closed campaign with its archive and
//! an active campaign with missions and an event, both holding a hidden asset.

use crate::support::TestApp;
use application::campaigns::CampaignInput;
use application::events::{ChangeInput, EventFields, EventInput};
use application::libraries::{AssetInput, LibraryInput};
use application::missions::MissionInput;
use domain::{CampaignId, LibraryId, MissionId, PoolEntry};

/// The hidden asset's name: it must never reach a public page.
pub const HIDDEN: &str = "Secret Drone";
/// Staff notes of the recorded event: never public.
pub const STAFF_NOTE: &str = "ask the zeus about the drone";

/// The seeded world: a closed campaign "Operation Dawn" with its archive, and the
/// active campaign "Operation Harvest" with two missions and one event.
pub struct World {
    pub app: TestApp,
    pub closed: CampaignId,
    pub active: CampaignId,
}

async fn library(app: &TestApp) -> LibraryId {
    let tracker = app.tracker();
    let input = LibraryInput { name: "NATO".into(), ..LibraryInput::default() };
    let id = tracker.create_library(&app.admin(), input).await.expect("the library is created");
    let assets = [
        ("M2A1 Slammer", "Vehicle", "4", false, true),
        ("Hunter", "Vehicle", "2", false, true),
        ("Mobile HQ", "Vehicle", "1", true, true),
        ("AH-99 Blackfoot", "Aircraft", "1", true, true),
        ("Ammo crate", "Supply", "10", false, true),
        (HIDDEN, "Equipment", "5", false, false),
    ];
    for (name, kind, quantity, unique, public) in assets {
        let input = AssetInput {
            name: name.into(),
            kind: kind.into(),
            category: "Standard".into(),
            default_quantity: quantity.into(),
            unique,
            public,
            ..AssetInput::default()
        };
        tracker.create_asset(&app.admin(), id, input).await.expect("the asset is created");
    }
    id
}

async fn campaign(app: &TestApp, name: &str, start: &str, library: LibraryId) -> CampaignId {
    let input = CampaignInput {
        name: name.into(),
        description: format!("The story of {name}."),
        start_date: start.into(),
        map_edit_url: "https://maps.example.com/edit-secret".into(),
        map_view_url: "https://maps.example.com/view".into(),
        library_ids: vec![library],
        make_active: true,
        ..CampaignInput::default()
    };
    app.tracker().create_campaign(&app.admin(), input).await.expect("the campaign is created")
}

async fn mission(app: &TestApp, campaign: CampaignId, name: &str, status: &str) -> MissionId {
    let input = MissionInput { name: name.into(), status: status.into(), ..MissionInput::default() };
    app.tracker().create_mission(&app.manager(), campaign, input).await.expect("the mission is created")
}

async fn pool(app: &TestApp, campaign: CampaignId) -> Vec<PoolEntry> {
    app.tracker().pool(&app.admin(), campaign).await.expect("the pool")
}

fn entry(pool: &[PoolEntry], name: &str) -> String {
    pool.iter().find(|e| e.asset_name().as_str() == name).expect("the entry").id().to_string()
}

pub async fn event(app: &TestApp, mission: MissionId, title: &str, at: &str, changes: &[(String, &str)]) {
    let fields = EventFields {
        kind: "Combat".into(),
        title: title.into(),
        occurred_at: at.into(),
        location: "Kavala".into(),
        notes: STAFF_NOTE.into(),
        ..EventFields::default()
    };
    let changes = changes
        .iter()
        .map(|(entry, delta)| ChangeInput { pool_entry_id: entry.clone(), delta: (*delta).into(), note: String::new() })
        .collect();
    let input = EventInput { fields, changes, idempotency_key: None };
    app.tracker().create_event(&app.manager(), mission, input).await.expect("the event is recorded");
}

pub async fn world() -> World {
    let app = TestApp::new().await;
    let library = library(&app).await;
    let closed = campaign(&app, "Operation Dawn", "2025-12-01", library).await;
    let dawn = pool(&app, closed).await;
    let landing = mission(&app, closed, "Landing", "Completed").await;
    let changes = [(entry(&dawn, "Hunter"), "-2"), (entry(&dawn, HIDDEN), "-1")];
    event(&app, landing, "Beach assault", "2025-12-10T06:00", &changes).await;
    app.tracker().close_campaign(&app.admin(), closed).await.expect("the campaign is closed");

    let active = campaign(&app, "Operation Harvest", "2026-01-01", library).await;
    let harvest = pool(&app, active).await;
    let kavala = mission(&app, active, "Kavala", "Completed").await;
    mission(&app, active, "Pyrgos", "InProgress").await;
    let changes = [
        (entry(&harvest, "M2A1 Slammer"), "-2"),
        (entry(&harvest, "Hunter"), "+1"),
        (entry(&harvest, "AH-99 Blackfoot"), "-1"),
        (entry(&harvest, HIDDEN), "-3"),
    ];
    event(&app, kavala, "Ambush at Kavala", "2026-01-05T20:30", &changes).await;
    World { app, closed, active }
}

/// The `<tr data-asset="NAME">` row of `body`, up to its `</tr>`.
pub fn row<'a>(body: &'a str, asset: &str) -> &'a str {
    let start = body.find(&format!(r#"<tr data-asset="{asset}">"#)).unwrap_or_else(|| panic!("no row {asset}"));
    let end = body[start..].find("</tr>").map_or(body.len(), |e| start + e);
    &body[start..end]
}
