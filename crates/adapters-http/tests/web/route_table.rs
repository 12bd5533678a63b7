//! Every route x role (anonymous, manager, admin) and its expected outcome, in one table
//! (`rows`, `manage_rows`, `mission_rows`, `library_rows`), run through the real router
//! with real sessions and CSRF tokens against a world seeded through the use cases.
//!
//! Invariants checked: public pages answer everyone; staff pages send the public to log
//! in; admin pages and changes to a campaign that is not active answer a manager 403;
//! every allowed write redirects and records an audit entry; every refused request
//! leaves the tracker exactly as it was; and the table lists every route the router
//! declares (`guard`), so a new page cannot skip it.

pub mod guard;
mod library_rows;
mod manage_rows;
mod mission_rows;
mod rows;
mod run;
mod world;

use crate::support::TestApp;
use guard::Route;
use run::Role;
use std::collections::BTreeSet;
use world::World;

#[tokio::test]
async fn every_route_answers_every_role_as_the_table_says() {
    let rows = rows::all();
    let mut failures = Vec::new();
    let mut checks = 0;
    for role in Role::ALL {
        // A GET changes nothing (each check verifies it), so GET rows share one world.
        let app = TestApp::new().await;
        let world = World::seed(&app).await;
        let client = role.client(&app).await;
        for row in rows.iter().filter(|r| r.method == "GET") {
            checks += 1;
            failures.extend(run::check(&app, &world, &client, row, role).await.err());
        }
        // Every write gets a fresh world, so that each role finds what the row names.
        for row in rows.iter().filter(|r| r.method != "GET") {
            let app = TestApp::new().await;
            let world = World::seed(&app).await;
            let client = role.client(&app).await;
            checks += 1;
            failures.extend(run::check(&app, &world, &client, row, role).await.err());
        }
    }
    assert!(failures.is_empty(), "{} of {checks} checks failed:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn every_write_without_the_session_token_is_refused_and_changes_nothing() {
    let rows = rows::all();
    let mut failures = Vec::new();
    for role in Role::ALL {
        // Refusals change nothing (each check verifies it), so the rows share one world.
        let app = TestApp::new().await;
        let world = World::seed(&app).await;
        let client = role.client(&app).await;
        client.csrf_token().await; // the session exists and has a token, which is not sent
        for row in rows.iter().filter(|r| r.method == "POST") {
            failures.extend(run::check_without_token(&app, &world, &client, row, role).await.err());
        }
    }
    assert!(failures.is_empty(), "{} writes ran without a token:\n{}", failures.len(), failures.join("\n"));
}

/// The routes the table has a row for.
fn table_routes(rows: &[rows::Row]) -> BTreeSet<Route> {
    rows.iter().map(|r| (r.method.to_owned(), r.pattern.to_owned())).collect()
}

/// The routes of `declared` that `listed` lacks, and those `listed` has beyond them.
fn differences(declared: &BTreeSet<Route>, listed: &BTreeSet<Route>) -> (Vec<Route>, Vec<Route>) {
    (declared.difference(listed).cloned().collect(), listed.difference(declared).cloned().collect())
}

#[test]
fn the_table_lists_every_route_of_the_router_and_no_other() {
    let declared = guard::page_routes();
    assert!(declared.len() > 60, "the source scan found only {declared:?}");
    let (missing, stale) = differences(&declared, &table_routes(&rows::all()));
    assert!(missing.is_empty(), "routes without a row in the route table: {missing:?}");
    assert!(stale.is_empty(), "rows for routes the router does not declare: {stale:?}");
}

#[test]
fn the_guard_names_a_route_whose_rows_were_left_out() {
    let declared = guard::page_routes();
    let all = rows::all();
    for left_out in [("POST", "/manage/pool/{entry}/remove"), ("GET", "/admin/audit"), ("GET", "/static/{*file}")] {
        let rows: Vec<rows::Row> = all.iter().filter(|r| (r.method, r.pattern) != left_out).copied().collect();
        assert!(rows.len() < all.len(), "the table has a row for {left_out:?}");
        let (missing, _) = differences(&declared, &table_routes(&rows));
        assert_eq!(missing, [(left_out.0.to_owned(), left_out.1.to_owned())]);
    }
}

#[test]
fn every_role_has_an_outcome_that_proves_permission_somewhere() {
    // A table where a role never meets a refusal, or never succeeds, would test nothing.
    let rows = rows::all();
    for (i, role) in Role::ALL.iter().enumerate() {
        let outcomes: Vec<rows::Outcome> = rows.iter().map(|r| r.expect[i]).collect();
        let done = outcomes.iter().filter(|o| matches!(o, rows::Outcome::Done(_))).count();
        let refused =
            outcomes.iter().filter(|o| matches!(o, rows::Outcome::Forbidden | rows::Outcome::ToLogin)).count();
        match role {
            Role::Anonymous => assert_eq!(done, 0, "the public writes nothing"),
            Role::Manager | Role::Admin => assert!(done > 20, "{role:?} succeeds at {done} writes only"),
        }
        if *role != Role::Admin {
            assert!(refused > 10, "{role:?} is refused {refused} times only");
        }
    }
}
