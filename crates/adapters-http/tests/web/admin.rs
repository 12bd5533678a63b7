//! The admin pages: who may see them (this file), campaigns, users and the audit log
//! (one module each), with the seeding helpers they share.

mod audit;
mod campaigns;
mod users;

use crate::support::{Client, TestApp, TestResponse};
use application::campaigns::CampaignInput;
use application::libraries::{AssetInput, LibraryInput};
use application::ports::AuditFilter;
use axum::http::StatusCode;
use domain::{CampaignId, LibraryId};

/// Creates a library with `assets` (name, default quantity), as the admin.
pub(crate) async fn seed_library(app: &TestApp, name: &str, is_default: bool, assets: &[(&str, u32)]) -> LibraryId {
    let input = LibraryInput { name: name.into(), is_default, ..LibraryInput::default() };
    let id = app.tracker().create_library(&app.admin(), input).await.expect("the library is created");
    for (asset, quantity) in assets {
        let input = AssetInput {
            name: (*asset).into(),
            kind: "Vehicle".into(),
            default_quantity: quantity.to_string(),
            public: true,
            ..AssetInput::default()
        };
        app.tracker().create_asset(&app.admin(), id, input).await.expect("the asset is created");
    }
    id
}

/// Creates a campaign starting 2026-01-01 with the pool of `libraries`, as the admin.
pub(crate) async fn seed_campaign(app: &TestApp, name: &str, libraries: &[LibraryId], active: bool) -> CampaignId {
    let input = CampaignInput {
        name: name.into(),
        start_date: "2026-01-01".into(),
        library_ids: libraries.to_vec(),
        make_active: active,
        ..CampaignInput::default()
    };
    app.tracker().create_campaign(&app.admin(), input).await.expect("the campaign is created")
}

/// How many audit entries exist: every write leaves one, so an unchanged count means
/// nothing was written.
pub(crate) async fn audit_count(app: &TestApp) -> u64 {
    app.tracker().audit_page(&app.admin(), AuditFilter::default(), 1, 1).await.expect("the audit log").entries.total
}

/// The page a redirect leads to, as `client` sees it (its flash shown).
pub(crate) async fn follow(client: &Client, response: &TestResponse) -> TestResponse {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    client.get(response.location().expect("a Location")).await
}

/// A button: its path and a plausible form.
type Button = (String, Vec<(&'static str, &'static str)>);

/// Every admin page (GET) and button (POST), for a campaign and the manager's account.
fn routes(campaign: CampaignId, user: domain::UserId) -> (Vec<String>, Vec<Button>) {
    let pages = vec![
        "/admin".to_owned(),
        "/admin/campaigns/new".to_owned(),
        format!("/admin/campaigns/{campaign}/edit"),
        format!("/admin/campaigns/{campaign}/close"),
        "/admin/users".to_owned(),
        "/admin/users/new".to_owned(),
        format!("/admin/users/{user}/delete"),
        "/admin/audit?action=campaign.created".to_owned(),
    ];
    let buttons = vec![
        ("/admin/campaigns/new".to_owned(), vec![("name", "Op Forged"), ("start_date", "2026-02-01")]),
        (format!("/admin/campaigns/{campaign}/edit"), vec![("name", "Renamed"), ("start_date", "2026-02-01")]),
        (format!("/admin/campaigns/{campaign}/activate"), vec![]),
        (format!("/admin/campaigns/{campaign}/close"), vec![]),
        ("/admin/users/new".to_owned(), vec![("username", "intruder"), ("role", "admin"), ("generate", "true")]),
        (format!("/admin/users/{user}/role"), vec![("role", "admin")]),
        (format!("/admin/users/{user}/disable"), vec![]),
        (format!("/admin/users/{user}/enable"), vec![]),
        (format!("/admin/users/{user}/password"), vec![("generate", "true")]),
        (format!("/admin/users/{user}/delete"), vec![]),
    ];
    (pages, buttons)
}

#[tokio::test]
async fn the_public_is_sent_to_the_login_page_from_every_admin_page_and_button() {
    let app = TestApp::new().await;
    let campaign = seed_campaign(&app, "Op Anvil", &[], false).await;
    let (pages, buttons) = routes(campaign, app.manager_id());
    let before = audit_count(&app).await;
    let visitor = app.anonymous();
    for page in pages {
        let response = visitor.get(&page).await;
        let next = serde_urlencoded::to_string([("next", page.as_str())]).unwrap();
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{page}");
        assert_eq!(response.location(), Some(format!("/login?{next}").as_str()), "{page}");
    }
    for (path, form) in buttons {
        let response = visitor.post_form(&path, &form).await;
        assert_eq!((response.status, response.location()), (StatusCode::SEE_OTHER, Some("/login")), "{path}");
    }
    assert_eq!(audit_count(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn a_manager_gets_the_403_page_from_every_admin_page_and_button_and_changes_nothing() {
    let app = TestApp::new().await;
    let campaign = seed_campaign(&app, "Op Anvil", &[], false).await;
    let (pages, buttons) = routes(campaign, app.manager_id());
    let before = audit_count(&app).await;
    let manager = app.login("manager").await;
    for page in pages {
        let response = manager.get(&page).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{page}");
        assert!(response.body.contains("You are not allowed to do this."), "{page}: {}", response.body);
    }
    for (path, form) in buttons {
        assert_eq!(manager.post_form(&path, &form).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(audit_count(&app).await, before, "nothing was written");
    let stored = app.tracker().campaign(&app.admin(), campaign).await.unwrap();
    assert_eq!((stored.name().as_str(), stored.is_active()), ("Op Anvil", false));
}

#[tokio::test]
async fn every_admin_page_renders_for_an_admin_with_breadcrumbs() {
    let app = TestApp::new().await;
    let campaign = seed_campaign(&app, "Op Anvil", &[], false).await;
    let (pages, _) = routes(campaign, app.manager_id());
    let admin = app.login("admin").await;
    for page in pages {
        let response = admin.get(&page).await;
        assert_eq!(response.status, StatusCode::OK, "{page}: {}", response.body);
        assert_eq!(response.body.matches("<h1").count(), 1, "{page}");
        assert!(response.body.contains(r#"<nav class="breadcrumbs""#), "{page}");
    }
}

#[tokio::test]
async fn unknown_campaigns_and_users_are_404_pages() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    for page in ["/admin/campaigns/999/edit", "/admin/campaigns/999/close", "/admin/users/999/delete"] {
        assert_eq!(admin.get(page).await.status, StatusCode::NOT_FOUND, "{page}");
    }
    assert_eq!(admin.get("/admin/campaigns/abc/edit").await.status, StatusCode::BAD_REQUEST);
}
