//! The audit log page: filters and paging.

use super::seed_campaign;
use crate::support::{PASSWORD, TestApp};
use application::libraries::LibraryInput;
use application::users::CreateUser;
use axum::http::StatusCode;

/// The number of entry rows on an audit page.
fn rows(body: &str) -> usize {
    body.matches("<tr data-action=").count()
}

#[tokio::test]
async fn the_audit_log_filters_by_campaign_user_and_action_and_keeps_the_choices_selected() {
    let app = TestApp::new().await;
    let first = seed_campaign(&app, "Op First", &[], false).await;
    let second = seed_campaign(&app, "Op Second", &[], false).await;
    app.tracker().activate_campaign(&app.admin(), first).await.unwrap();
    app.tracker().activate_campaign(&app.admin(), second).await.unwrap();
    let cmd =
        CreateUser { username: "chief".into(), role: "admin".into(), password: PASSWORD.into(), idempotency_key: None };
    let chief = app.tracker().create_user(&app.admin(), cmd).await.unwrap();
    let chief_actor = app.tracker().user(&app.admin(), chief).await.unwrap();
    let chief_actor = application::Actor::Staff(application::StaffMember {
        id: chief,
        username: chief_actor.username().clone(),
        role: chief_actor.role(),
        token: None,
    });
    let input = LibraryInput { name: "NATO".into(), ..LibraryInput::default() };
    app.tracker().create_library(&chief_actor, input).await.unwrap();
    let admin = app.login("admin").await;

    let all = admin.get("/admin/audit").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("page 1 of 1"), "{}", all.body);
    assert!(all.body.contains("<th scope=\"col\">When</th>") && all.body.contains("<time datetime="));

    let by_action = admin.get("/admin/audit?action=campaign.created").await;
    assert_eq!(rows(&by_action.body), 2, "{}", by_action.body);
    assert!(by_action.body.contains(r#"<option value="campaign.created" selected>"#));

    let by_campaign = admin.get(&format!("/admin/audit?campaign={first}")).await;
    assert_eq!(rows(&by_campaign.body), 2, "{}", by_campaign.body);
    assert!(
        by_campaign.body.contains("created campaign Op First")
            && by_campaign.body.contains("activated campaign Op First")
    );
    assert!(!by_campaign.body.contains("created campaign Op Second"));
    assert!(by_campaign.body.contains(&format!(r#"<option value="{first}" selected>Op First</option>"#)));

    let by_user = admin.get(&format!("/admin/audit?user={chief}")).await;
    assert_eq!(rows(&by_user.body), 1);
    assert!(
        by_user.body.contains(r#"<tr data-action="library.created">"#)
            && by_user.body.contains("<td data-label=\"Who\">chief</td>")
    );

    let none = admin.get(&format!("/admin/audit?user={chief}&action=campaign.created")).await;
    assert_eq!(rows(&none.body), 0);
    assert!(none.body.contains("No entries match these filters."));
}

#[tokio::test]
async fn the_audit_log_pages_by_25_and_the_paging_links_keep_the_filters() {
    let app = TestApp::new().await;
    for n in 0..30 {
        let input = LibraryInput { name: format!("Library {n:02}"), ..LibraryInput::default() };
        app.tracker().create_library(&app.admin(), input).await.unwrap();
    }
    let admin = app.login("admin").await;
    let first = admin.get("/admin/audit?action=library.created").await;
    assert_eq!(rows(&first.body), 25);
    assert!(first.body.contains("30 entries, page 1 of 2."), "{}", first.body);
    assert!(first.body.contains("created library Library 29"), "newest first");
    assert!(
        first.body.contains(r#"href="/admin/audit?action=library.created&amp;page=2" rel="next""#),
        "{}",
        first.body
    );
    assert!(!first.body.contains(r#"rel="prev""#));
    let second = admin.get("/admin/audit?action=library.created&page=2").await;
    assert_eq!(rows(&second.body), 5);
    assert!(second.body.contains("page 2 of 2") && second.body.contains("created library Library 00"));
    assert!(second.body.contains(r#"href="/admin/audit?action=library.created&amp;page=1" rel="prev""#));
    assert!(!second.body.contains(r#"rel="next""#));
}

#[tokio::test]
async fn a_filter_no_form_offers_is_a_bad_request() {
    let app = TestApp::new().await;
    let admin = app.login("admin").await;
    for query in ["campaign=first", "user=-x", "action=user.exploded", "page=none"] {
        assert_eq!(admin.get(&format!("/admin/audit?{query}")).await.status, StatusCode::BAD_REQUEST, "{query}");
    }
}
