//! Router tests of the missions and events pages: the mission list, forms, status and
//! reordering here; events in `events`, deletions in `deletion`, who may see what in
//! `access`. The world they share: a library of three assets imported by an active
//! campaign (Harvest) and a planned one (Winter).

mod access;
mod deletion;
mod events;

use crate::support::{TestApp, TestResponse};
use application::events::{ChangeInput, EventFields, EventInput};
use application::libraries::{AssetInput, LibraryInput};
use application::missions::{MissionInput, SetMissionStatus};
use axum::http::StatusCode;
use domain::{CampaignId, EventId, MissionId, PoolEntryId};

/// The app with the active campaign Harvest and the planned campaign Winter, both
/// holding M2A1 Slammer (3), Hunter (2) and AH-99 Blackfoot (1, unique).
pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) active: CampaignId,
    pub(crate) planned: CampaignId,
}

pub(crate) async fn world() -> World {
    let app = TestApp::new().await;
    let (t, admin) = (app.tracker(), app.admin());
    let library = LibraryInput { name: "NATO".into(), ..LibraryInput::default() };
    let library = t.create_library(&admin, library).await.expect("a library");
    for (name, kind, quantity, unique) in [
        ("M2A1 Slammer", "Vehicle", "3", false),
        ("Hunter", "Vehicle", "2", false),
        ("AH-99 Blackfoot", "Aircraft", "1", true),
    ] {
        let asset = AssetInput {
            name: name.into(),
            kind: kind.into(),
            default_quantity: quantity.into(),
            unique,
            public: true,
            ..AssetInput::default()
        };
        t.create_asset(&admin, library, asset).await.expect("an asset");
    }
    let mut ids = Vec::new();
    for (name, make_active) in [("Harvest", true), ("Winter", false)] {
        let campaign = application::campaigns::CampaignInput {
            name: name.into(),
            start_date: "2026-01-01".into(),
            library_ids: vec![library],
            make_active,
            ..Default::default()
        };
        ids.push(t.create_campaign(&admin, campaign).await.expect("a campaign"));
    }
    World { app, active: ids[0], planned: ids[1] }
}

impl World {
    /// The pool entry of `asset` in `campaign`.
    pub(crate) async fn entry(&self, campaign: CampaignId, asset: &str) -> PoolEntryId {
        let pool = self.app.tracker().pool(&self.app.admin(), campaign).await.expect("the pool");
        pool.iter().find(|e| e.asset_name().as_str() == asset).expect("the asset is in the pool").id()
    }

    /// The current quantity of `asset` in `campaign`.
    pub(crate) async fn quantity(&self, campaign: CampaignId, asset: &str) -> u32 {
        let pool = self.app.tracker().pool(&self.app.admin(), campaign).await.expect("the pool");
        pool.iter().find(|e| e.asset_name().as_str() == asset).expect("the asset is in the pool").current().get()
    }

    /// Every current quantity of `campaign`, by asset name.
    pub(crate) async fn quantities(&self, campaign: CampaignId) -> Vec<(String, u32)> {
        let pool = self.app.tracker().pool(&self.app.admin(), campaign).await.expect("the pool");
        pool.iter().map(|e| (e.asset_name().to_string(), e.current().get())).collect()
    }

    /// A new mission of `campaign`, made by the admin.
    pub(crate) async fn mission(&self, campaign: CampaignId, name: &str) -> MissionId {
        let input = MissionInput { name: name.into(), ..MissionInput::default() };
        self.app.tracker().create_mission(&self.app.admin(), campaign, input).await.expect("a mission")
    }

    /// The missions of `campaign`, by name, in campaign order.
    pub(crate) async fn mission_names(&self, campaign: CampaignId) -> Vec<String> {
        let missions = self.app.tracker().missions(&self.app.admin(), campaign).await.expect("the missions");
        missions.iter().map(|m| m.details.name.to_string()).collect()
    }

    /// A new event of `mission` with `changes` (asset name, delta), made by the admin.
    pub(crate) async fn event(&self, mission: MissionId, title: &str, changes: &[(PoolEntryId, &str)]) -> EventId {
        let fields = EventFields {
            kind: "Combat".into(),
            title: title.into(),
            occurred_at: "2026-01-01T10:00".into(),
            ..EventFields::default()
        };
        let changes = changes
            .iter()
            .map(|(entry, delta)| ChangeInput {
                pool_entry_id: entry.to_string(),
                delta: (*delta).into(),
                note: String::new(),
            })
            .collect();
        let input = EventInput { fields, changes, idempotency_key: None };
        self.app.tracker().create_event(&self.app.admin(), mission, input).await.expect("an event")
    }

    /// How many events `mission` has.
    pub(crate) async fn event_count(&self, mission: MissionId) -> usize {
        self.app.tracker().mission(&self.app.admin(), mission).await.expect("the mission").events.len()
    }
}

/// The number at the end of a redirect's `Location`, such as 7 in `/manage/missions/7`.
pub(crate) fn id_in(response: &TestResponse) -> i64 {
    let location = response.location().expect("a Location header");
    location.rsplit('/').next().and_then(|id| id.parse().ok()).expect("an id at the end of the Location")
}

/// Asserts a 303 to `to`.
pub(crate) fn assert_redirect(response: &TestResponse, to: &str) {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), Some(to));
}

#[tokio::test]
async fn a_manager_sees_the_missions_in_order_with_status_badges_and_move_buttons() {
    let w = world().await;
    let first = w.mission(w.active, "Dawn raid").await;
    w.mission(w.active, "Night drop").await;
    w.app
        .tracker()
        .set_mission_status(&w.app.admin(), first, SetMissionStatus { status: "InProgress".into() })
        .await
        .expect("a status");
    let manager = w.app.login("manager").await;
    let page = manager.get(&format!("/manage/campaigns/{}/missions", w.active)).await;
    assert_eq!(page.status, StatusCode::OK);
    let (dawn, night) = (page.body.find("Dawn raid").expect("Dawn raid"), page.body.find("Night drop").expect("Night"));
    assert!(dawn < night, "campaign order");
    assert!(page.body.contains(r#"<span class="badge" data-status="InProgress">In progress</span>"#), "{}", page.body);
    assert!(page.body.contains(r#"data-status="Planned">Planned</span>"#));
    assert!(page.body.contains("aria-label=\"Move Dawn raid down\""));
    assert!(page.body.contains(&format!("href=\"/manage/campaigns/{}/missions/new\"", w.active)));
}

#[tokio::test]
async fn a_manager_creates_a_mission_and_is_taken_to_its_page() {
    let w = world().await;
    let manager = w.app.login("manager").await;
    let form = manager.get(&format!("/manage/campaigns/{}/missions/new", w.active)).await;
    assert_eq!(form.status, StatusCode::OK);
    let key = form.hidden_value("idempotency_key").expect("a key");
    let fields = [("name", "Dawn raid"), ("date", "2026-03-14"), ("location", "Altis"), ("status", "Planned")];
    let mut all = fields.to_vec();
    all.push(("idempotency_key", &key));
    let created = manager.post_form(&format!("/manage/campaigns/{}/missions", w.active), &all).await;
    let again = manager.post_form(&format!("/manage/campaigns/{}/missions", w.active), &all).await;
    let id = id_in(&created);
    assert_redirect(&created, &format!("/manage/missions/{id}"));
    assert_eq!(again.location(), created.location(), "a double submit creates once");
    let page = manager.get(&format!("/manage/missions/{id}")).await;
    assert!(page.body.contains("Mission created."), "{}", page.body);
    assert!(page.body.contains("<h1>Dawn raid"));
    assert!(page.body.contains("2026-03-14") && page.body.contains("Altis"));
    assert_eq!(w.mission_names(w.active).await, ["Dawn raid"]);
}

#[tokio::test]
async fn a_mission_without_a_name_is_shown_again_with_the_message_and_nothing_is_created() {
    let w = world().await;
    let manager = w.app.login("manager").await;
    let fields = [("name", "  "), ("location", "Altis"), ("date", "someday")];
    let refused = manager.post_form(&format!("/manage/campaigns/{}/missions", w.active), &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(r#"<p class="field-error" id="name-error">must not be empty</p>"#),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(r#"aria-describedby="date-hint date-error" aria-invalid="true""#),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"value="Altis""#), "values are kept");
    assert!(w.mission_names(w.active).await.is_empty());
}

#[tokio::test]
async fn editing_a_mission_saves_its_fields_and_a_bad_edit_is_shown_again() {
    let w = world().await;
    let id = w.mission(w.active, "Dawn raid").await;
    let manager = w.app.login("manager").await;
    let form = manager.get(&format!("/manage/missions/{id}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"value="Dawn raid""#));
    let bad = manager.post_form(&format!("/manage/missions/{id}/edit"), &[("name", ""), ("location", "Stratis")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("must not be empty") && bad.body.contains(r#"value="Stratis""#));
    assert_eq!(w.mission_names(w.active).await, ["Dawn raid"], "nothing changed");
    let fields = [("name", "Dusk raid"), ("location", "Stratis"), ("status", "Completed")];
    let saved = manager.post_form(&format!("/manage/missions/{id}/edit"), &fields).await;
    assert_redirect(&saved, &format!("/manage/missions/{id}"));
    let page = manager.get(&format!("/manage/missions/{id}")).await;
    assert!(page.body.contains("Mission saved.") && page.body.contains("<h1>Dusk raid"), "{}", page.body);
    assert!(page.body.contains(">Completed</span>"));
}

#[tokio::test]
async fn the_status_form_sets_the_status_and_an_unknown_status_is_refused_with_a_flash() {
    let w = world().await;
    let id = w.mission(w.active, "Dawn raid").await;
    let manager = w.app.login("manager").await;
    let set = manager.post_form(&format!("/manage/missions/{id}/status"), &[("status", "Completed")]).await;
    assert_redirect(&set, &format!("/manage/missions/{id}"));
    assert!(manager.get(&format!("/manage/missions/{id}")).await.body.contains("Status set to Completed."));
    let bad = manager.post_form(&format!("/manage/missions/{id}/status"), &[("status", "Done")]).await;
    assert_redirect(&bad, &format!("/manage/missions/{id}"));
    let page = manager.get(&format!("/manage/missions/{id}")).await;
    assert!(page.body.contains(r#"class="flash flash-error""#), "{}", page.body);
    assert!(page.body.contains(r#"data-status="Completed""#), "the status is unchanged");
}

#[tokio::test]
async fn a_move_button_submits_the_whole_new_order() {
    let w = world().await;
    for name in ["Alpha", "Bravo", "Charlie"] {
        w.mission(w.active, name).await;
    }
    let manager = w.app.login("manager").await;
    let list = format!("/manage/campaigns/{}/missions", w.active);
    let page = manager.get(&list).await;
    // The first move button is Alpha's "Down".
    let order = page.hidden_value("order").expect("a move button");
    let moved = manager.post_form(&format!("{list}/reorder"), &[("order", &order)]).await;
    assert_redirect(&moved, &list);
    assert_eq!(w.mission_names(w.active).await, ["Bravo", "Alpha", "Charlie"]);
    assert!(manager.get(&list).await.body.contains("Missions reordered."));
}

#[tokio::test]
async fn a_stale_order_is_refused_with_a_flash_and_changes_nothing() {
    let w = world().await;
    let alpha = w.mission(w.active, "Alpha").await;
    w.mission(w.active, "Bravo").await;
    let manager = w.app.login("manager").await;
    let list = format!("/manage/campaigns/{}/missions", w.active);
    let refused = manager.post_form(&format!("{list}/reorder"), &[("order", &alpha.to_string())]).await;
    assert_redirect(&refused, &list);
    let page = manager.get(&list).await;
    assert!(page.body.contains("must list every mission of the campaign exactly once"), "{}", page.body);
    assert_eq!(w.mission_names(w.active).await, ["Alpha", "Bravo"]);
    let garbage = manager.post_form(&format!("{list}/reorder"), &[("order", "1,x")]).await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
}
