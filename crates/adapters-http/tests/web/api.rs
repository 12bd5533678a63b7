//! The JSON API through the real router: the document against the routes, the public
//! reads, tokens (missing, wrong, revoked, a disabled owner, a role too low), the writes
//! with their idempotency keys and ledger refusals, paging, and the one error shape.

use crate::public::world::{HIDDEN, STAFF_NOTE, World, world};
use crate::route_table::guard;
use crate::support::TestApp;
use application::Actor;
use application::users::TokenInput;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// An answer of the API.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    json: Value,
}

/// Sends `method path` with `token` as bearer, a JSON `body` and `extra` headers, and no
/// cookie.
async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    extra: &[(&str, &str)],
) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let request = match body {
        Some(body) => request.header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .expect("a request");
    let response = app.anonymous().send(request).await;
    let json = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    Answer { status: response.status, headers: response.headers, json }
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> Answer {
    call(app, "GET", path, token, None, &[]).await
}

/// A token of `actor`.
async fn token(app: &TestApp, actor: &Actor) -> String {
    let input = TokenInput { name: "script".into(), expires_in_days: String::new() };
    app.tracker().create_token(actor, input).await.expect("a token").secret
}

/// Asserts the one error shape with `status` and `code`.
#[track_caller]
fn assert_error(answer: &Answer, status: StatusCode, code: &str) {
    assert_eq!(answer.status, status, "{}", answer.json);
    assert_eq!(answer.json["error"]["code"], code, "{}", answer.json);
    assert!(answer.json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", answer.json);
    assert!(answer.json["error"].get("field").is_some(), "`field` is always there: {}", answer.json);
    let kind = answer.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(kind.starts_with("application/json"), "{kind}");
}

/// The operations of the served OpenAPI document, as (method, path).
async fn documented(app: &TestApp) -> BTreeSet<(String, String)> {
    let doc = get(app, "/api/v1/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.json["openapi"], "3.1.0");
    let mut out = BTreeSet::new();
    for (path, item) in doc.json["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            out.insert((method.to_ascii_uppercase(), path.clone()));
        }
    }
    out
}

#[tokio::test]
async fn every_api_route_is_in_the_openapi_document_and_every_documented_operation_is_routed() {
    let app = TestApp::new().await;
    let routed = guard::api_routes();
    assert!(routed.len() >= 19, "the scan found {routed:?}");
    let documented = documented(&app).await;
    let missing: Vec<_> = routed.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&routed).collect();
    assert!(missing.is_empty(), "routes the document lacks: {missing:?}");
    assert!(stale.is_empty(), "documented operations no route serves: {stale:?}");
}

#[tokio::test]
async fn every_link_in_the_document_names_an_operation_and_its_parameters() {
    let app = TestApp::new().await;
    let doc = get(&app, "/api/v1/openapi.json", None).await.json;
    let mut params_of = std::collections::BTreeMap::new();
    for item in doc["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("a path item").values() {
            let names: BTreeSet<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect();
            params_of.insert(op["operationId"].as_str().expect("an operationId").to_owned(), names);
        }
    }
    let mut seen = 0;
    for item in doc["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("a path item").values() {
            for response in op["responses"].as_object().expect("responses").values() {
                for (name, link) in response["links"].as_object().into_iter().flatten() {
                    seen += 1;
                    let target = link["operationId"].as_str().expect("links name their operation");
                    let params = params_of.get(target).unwrap_or_else(|| panic!("link {name}: no operation {target}"));
                    for (param, value) in link["parameters"].as_object().expect("link parameters") {
                        assert!(params.contains(param), "link {name}: {target} has no parameter {param}");
                        let value = value.as_str().unwrap_or_default();
                        assert!(
                            value == "$request.path.id" || value.starts_with("$response.body#/"),
                            "link {name}: {value}"
                        );
                    }
                }
            }
        }
    }
    assert!(seen >= 20, "{seen} links");
}

#[tokio::test]
async fn the_public_reads_need_no_token_and_show_nothing_staff_only() {
    let World { app, active, .. } = world().await;
    let campaign = get(&app, "/api/v1/campaign", None).await;
    assert_eq!(campaign.status, StatusCode::OK);
    assert_eq!(campaign.json["id"], active.get());
    assert_eq!(campaign.json["name"], "Operation Harvest");
    assert_eq!(campaign.json["status"], "Active");

    let pool = get(&app, "/api/v1/pool", None).await;
    assert_eq!(pool.status, StatusCode::OK);
    let assets = pool.json["assets"].as_array().expect("assets");
    assert_eq!(assets.len(), 5, "{}", pool.json);
    let slammer = assets.iter().find(|a| a["name"] == "M2A1 Slammer").expect("the Slammer");
    assert_eq!((slammer["initial"].as_u64(), slammer["current"].as_u64()), (Some(4), Some(2)));

    let missions = get(&app, "/api/v1/missions", None).await;
    assert_eq!(missions.json["total"], 2);
    let kavala =
        missions.json["items"].as_array().unwrap().iter().find(|m| m["name"] == "Kavala").expect("Kavala").clone();
    assert_eq!(kavala["event_count"], 1);
    assert_eq!(kavala["map_edit_url"], Value::Null);
    let events = get(&app, &format!("/api/v1/missions/{}/events", kavala["id"]), None).await;
    assert_eq!(events.status, StatusCode::OK);
    assert_eq!(events.json["events"]["items"][0]["title"], "Ambush at Kavala");
    assert_eq!(events.json["events"]["items"][0]["occurred_at"], "2026-01-05T20:30:00Z", "RFC 3339 UTC");

    let timeline = get(&app, "/api/v1/timeline", None).await;
    assert_eq!(timeline.json["items"].as_array().map(Vec::len), Some(1));
    for answer in [&pool, &missions, &events, &timeline] {
        let text = answer.json.to_string();
        assert!(!text.contains(HIDDEN) && !text.contains(STAFF_NOTE) && !text.contains("edit-secret"), "{text}");
    }
}

#[tokio::test]
async fn without_an_active_campaign_the_public_reads_answer_404_in_the_error_shape() {
    let app = TestApp::new().await;
    for path in ["/api/v1/campaign", "/api/v1/pool", "/api/v1/missions", "/api/v1/timeline"] {
        assert_error(&get(&app, path, None).await, StatusCode::NOT_FOUND, "no_active_campaign");
    }
    assert_error(&get(&app, "/api/v1/no-such-thing", None).await, StatusCode::NOT_FOUND, "not_found");
    assert_error(
        &call(&app, "DELETE", "/api/v1/pool", None, None, &[]).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
}

#[tokio::test]
async fn staff_reads_and_writes_need_a_working_token() {
    let World { app, active, .. } = world().await;
    let path = format!("/api/v1/campaigns/{}", active.get());
    let none = get(&app, &path, None).await;
    assert_error(&none, StatusCode::UNAUTHORIZED, "unauthorized");
    assert!(none.headers.contains_key(header::WWW_AUTHENTICATE));
    assert_error(&get(&app, &path, Some("atk_made-up")).await, StatusCode::UNAUTHORIZED, "unauthorized");
    assert_error(&get(&app, "/api/v1/pool", Some("atk_made-up")).await, StatusCode::UNAUTHORIZED, "unauthorized");
    let malformed = call(&app, "GET", &path, None, None, &[("authorization", "Basic YWRtaW4=")]).await;
    assert_error(&malformed, StatusCode::UNAUTHORIZED, "unauthorized");
    assert_eq!(malformed.json["error"]["field"], "Authorization");

    let secret = token(&app, &app.manager()).await;
    let read = get(&app, &path, Some(&secret)).await;
    assert_eq!(read.status, StatusCode::OK);
    let names: Vec<&str> = read.json["assets"].as_array().unwrap().iter().filter_map(|a| a["name"].as_str()).collect();
    assert!(names.contains(&HIDDEN), "staff see hidden entries: {names:?}");

    app.tracker().disable_user(&app.admin(), app.manager_id()).await.expect("disabled");
    assert_error(&get(&app, &path, Some(&secret)).await, StatusCode::UNAUTHORIZED, "unauthorized");
    app.tracker().enable_user(&app.admin(), app.manager_id()).await.expect("enabled");
    assert_eq!(get(&app, &path, Some(&secret)).await.status, StatusCode::OK);
    let id = app.tracker().tokens(&app.manager()).await.unwrap()[0].id;
    app.tracker().revoke_token(&app.manager(), id).await.expect("revoked");
    assert_error(&get(&app, &path, Some(&secret)).await, StatusCode::UNAUTHORIZED, "unauthorized");
}

/// The active campaign's entry of `asset`: (id, current).
async fn entry(app: &TestApp, campaign: i64, token: &str, asset: &str) -> (i64, u64) {
    let read = get(app, &format!("/api/v1/campaigns/{campaign}"), Some(token)).await;
    let e = read.json["assets"].as_array().unwrap().iter().find(|a| a["name"] == asset).expect("the entry").clone();
    (e["id"].as_i64().unwrap(), e["current"].as_u64().unwrap())
}

#[tokio::test]
async fn a_script_records_an_event_with_two_changes_once_per_idempotency_key() {
    let World { app, active, .. } = world().await;
    let secret = token(&app, &app.manager()).await;
    let campaign = active.get();
    let created = call(
        &app,
        "POST",
        &format!("/api/v1/campaigns/{campaign}/missions"),
        Some(&secret),
        Some(json!({"name": "Night raid", "date": "2026-02-01", "status": "InProgress"})),
        &[("Idempotency-Key", "raid-0001")],
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    let mission = created.json["id"].as_i64().unwrap();
    assert_eq!(created.headers[header::LOCATION], format!("/api/v1/missions/{mission}").as_str());
    assert_eq!(created.json["status"], "InProgress");

    let (slammer, before) = entry(&app, campaign, &secret, "M2A1 Slammer").await;
    let (hunter, hunters) = entry(&app, campaign, &secret, "Hunter").await;
    let body = json!({
        "kind": "Combat", "title": "Ambush at Pyrgos", "occurred_at": "2026-02-01T21:00:00Z",
        "notes": "from the bot",
        "changes": [{"pool_entry_id": slammer, "delta": -1, "note": "mine"}, {"pool_entry_id": hunter, "delta": 2}]
    });
    let path = format!("/api/v1/missions/{mission}/events");
    let first =
        call(&app, "POST", &path, Some(&secret), Some(body.clone()), &[("Idempotency-Key", "ambush-0001")]).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json);
    assert_eq!(first.json["changes"].as_array().map(Vec::len), Some(2));
    assert_eq!(first.json["occurred_at"], "2026-02-01T21:00:00Z");
    let again =
        call(&app, "POST", &path, Some(&secret), Some(body.clone()), &[("Idempotency-Key", "ambush-0001")]).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.json["id"], first.json["id"], "a retry answers the first event");
    assert_eq!(entry(&app, campaign, &secret, "M2A1 Slammer").await.1, before - 1, "moved once");
    assert_eq!(entry(&app, campaign, &secret, "Hunter").await.1, hunters + 2);

    let entries = app.tracker().audit_page(&app.admin(), Default::default(), 1, 1).await.unwrap().entries;
    let last = &entries.items[0].entry;
    assert_eq!(last.actor_name, "manager");
    assert!(last.details.ends_with("(API token \"script\")"), "{}", last.details);

    let reused = call(
        &app,
        "POST",
        &format!("/api/v1/campaigns/{campaign}/missions"),
        Some(&secret),
        Some(json!({"name": "Other"})),
        &[("Idempotency-Key", "ambush-0001")],
    )
    .await;
    assert_error(&reused, StatusCode::CONFLICT, "idempotency_key_reused");
    assert_eq!(reused.json["error"]["field"], "Idempotency-Key");
}

#[tokio::test]
async fn refused_writes_name_what_is_wrong_and_change_nothing() {
    let World { app, active, closed } = world().await;
    let secret = token(&app, &app.manager()).await;
    let campaign = active.get();
    let (slammer, before) = entry(&app, campaign, &secret, "M2A1 Slammer").await;
    let missions = app.tracker().missions(&app.admin(), active).await.unwrap();
    let path = format!("/api/v1/missions/{}/events", missions[0].id.get());
    let event = |delta: i64| json!({"kind": "Combat", "title": "Too much", "occurred_at": "2026-02-01T21:00:00Z", "changes": [{"pool_entry_id": slammer, "delta": delta}]});
    let planned = app
        .tracker()
        .create_campaign(
            &app.admin(),
            application::campaigns::CampaignInput {
                name: "Next".into(),
                start_date: "2026-06-01".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let admin = token(&app, &app.admin()).await;
    let audit_before = app.tracker().audit_page(&app.admin(), Default::default(), 1, 1).await.unwrap().entries.total;

    let ledger = call(&app, "POST", &path, Some(&secret), Some(event(-100)), &[]).await;
    assert_error(&ledger, StatusCode::CONFLICT, "ledger");
    assert_eq!(ledger.json["error"]["ledger"], json!({"asset": "M2A1 Slammer", "available": before, "requested": 100}));

    let invalid = call(&app, "POST", &path, Some(&secret), Some(json!({"kind": "Party", "title": "", "occurred_at": "soon", "changes": [{"pool_entry_id": slammer, "delta": 0}]})), &[]).await;
    assert_error(&invalid, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    let message = invalid.json["error"]["message"].as_str().unwrap();
    assert!(message.contains("changes[0].delta") && message.contains("title"), "{message}");

    assert_error(
        &call(&app, "POST", &path, Some(&secret), Some(json!({"title": 5})), &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    );
    let not_json = call(&app, "POST", &path, Some(&secret), None, &[("content-type", "application/json")]).await;
    assert_error(&not_json, StatusCode::BAD_REQUEST, "bad_request");
    let form =
        call(&app, "POST", &path, Some(&secret), None, &[("content-type", "application/x-www-form-urlencoded")]).await;
    assert_error(&form, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    assert_error(
        &call(&app, "POST", "/api/v1/missions/999999/events", Some(&secret), Some(event(-1)), &[]).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &call(&app, "POST", "/api/v1/missions/x/events", Some(&secret), Some(event(-1)), &[]).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    // A manager runs the active campaign only; the closed one is closed for everyone.
    let to_closed = call(
        &app,
        "POST",
        &format!("/api/v1/campaigns/{}/missions", closed.get()),
        Some(&admin),
        Some(json!({"name": "Late"})),
        &[],
    )
    .await;
    assert_error(&to_closed, StatusCode::CONFLICT, "campaign_closed");
    let forbidden = call(
        &app,
        "POST",
        &format!("/api/v1/campaigns/{}/missions", planned.get()),
        Some(&secret),
        Some(json!({"name": "Early"})),
        &[],
    )
    .await;
    assert_error(&forbidden, StatusCode::FORBIDDEN, "forbidden");

    assert_eq!(entry(&app, campaign, &secret, "M2A1 Slammer").await.1, before);
    let audit_after = app.tracker().audit_page(&app.admin(), Default::default(), 1, 1).await.unwrap().entries.total;
    assert_eq!(audit_after, audit_before, "no refused write leaves an audit entry");
}

#[tokio::test]
async fn a_pool_entry_is_adjusted_and_changes_are_added_and_removed() {
    let World { app, active, .. } = world().await;
    let secret = token(&app, &app.admin()).await;
    let (hunter, current) = entry(&app, active.get(), &secret, "Hunter").await;
    let set = call(
        &app,
        "PUT",
        &format!("/api/v1/pool-entries/{hunter}/initial"),
        Some(&secret),
        Some(json!({"initial": 5})),
        &[],
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.json);
    assert_eq!((set.json["initial"].as_u64(), set.json["current"].as_u64()), (Some(5), Some(current + 3)));
    let hide = call(
        &app,
        "PUT",
        &format!("/api/v1/pool-entries/{hunter}/public"),
        Some(&secret),
        Some(json!({"public": false})),
        &[],
    )
    .await;
    assert_eq!(hide.json, json!({"id": hunter, "public": false}));
    assert!(!get(&app, "/api/v1/pool", None).await.json.to_string().contains("Hunter"), "hidden from the public now");

    let missions = app.tracker().missions(&app.admin(), active).await.unwrap();
    let view = app.tracker().mission(&app.admin(), missions[0].id).await.unwrap();
    let event = view.events[0].id.get();
    let added = call(
        &app,
        "POST",
        &format!("/api/v1/events/{event}/changes"),
        Some(&secret),
        Some(json!({"pool_entry_id": hunter, "delta": -1})),
        &[],
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json);
    let change = added.json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["pool_entry_id"] == hunter && c["delta"] == -1)
        .expect("the change")
        .clone();
    assert_eq!(entry(&app, active.get(), &secret, "Hunter").await.1, current + 2);
    let removed = call(&app, "DELETE", &format!("/api/v1/changes/{}", change["id"]), Some(&secret), None, &[]).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(entry(&app, active.get(), &secret, "Hunter").await.1, current + 3);

    let edited = call(
        &app,
        "PUT",
        &format!("/api/v1/events/{event}"),
        Some(&secret),
        Some(json!({"kind": "Logistics", "title": "Renamed", "occurred_at": "2026-01-05T21:00:00+01:00"})),
        &[],
    )
    .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.json);
    assert_eq!(
        (edited.json["title"].as_str(), edited.json["occurred_at"].as_str()),
        (Some("Renamed"), Some("2026-01-05T20:00:00Z"))
    );
    let report = get(&app, &format!("/api/v1/campaigns/{}/report", active.get()), Some(&secret)).await;
    assert_eq!(report.json["format"], "asset-tracker.campaign-report");
    assert!(report.json.get("audit").is_none(), "the API's report has no audit entries");
}

#[tokio::test]
async fn the_timeline_pages_with_an_opaque_cursor_until_none_is_left() {
    let World { app, active, .. } = world().await;
    let secret = token(&app, &app.manager()).await;
    let missions = app.tracker().missions(&app.admin(), active).await.unwrap();
    let path = format!("/api/v1/missions/{}/events", missions[1].id.get());
    for i in 0..6 {
        let body = json!({"kind": "Training", "title": format!("Drill {i}"), "occurred_at": format!("2026-01-1{i}T10:00:00Z")});
        assert_eq!(call(&app, "POST", &path, Some(&secret), Some(body), &[]).await.status, StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut next = "/api/v1/timeline?limit=3".to_owned();
    loop {
        let page = get(&app, &next, None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.json);
        assert_eq!(page.json["total"], 7);
        seen.extend(page.json["items"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap().to_owned()));
        match page.json["next_cursor"].as_str() {
            Some(cursor) => next = format!("/api/v1/timeline?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7, "{seen:?}");
    assert_eq!(seen[0], "Drill 5", "newest first");
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 7, "no event twice");
    for (query, field) in
        [("limit=0", "limit"), ("limit=201", "limit"), ("limit=x", "limit"), ("cursor=nonsense", "cursor")]
    {
        let bad = get(&app, &format!("/api/v1/timeline?{query}"), None).await;
        assert_error(&bad, StatusCode::BAD_REQUEST, "bad_request");
        assert_eq!(bad.json["error"]["field"], field, "{query}");
    }
}

#[tokio::test]
async fn a_browser_session_cannot_write_through_the_api() {
    let World { app, active, .. } = world().await;
    let admin = app.login("admin").await;
    let csrf = admin.csrf_token().await;
    let request = Request::post(format!("/api/v1/campaigns/{}/missions", active.get()))
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-csrf-token", csrf)
        .body(Body::from(json!({"name": "Via cookie"}).to_string()))
        .expect("a request");
    let answer = admin.send(request).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    assert!(
        app.tracker()
            .missions(&app.admin(), active)
            .await
            .unwrap()
            .iter()
            .all(|m| m.details.name.as_str() != "Via cookie")
    );
}

#[tokio::test]
async fn the_api_is_rate_limited_in_the_error_shape() {
    let app = TestApp::with_settings(|s| s.requests_per_minute = 2).await;
    let mut last = None;
    for _ in 0..4 {
        last = Some(get(&app, "/api/v1/openapi.json", None).await);
    }
    let last = last.expect("answers");
    assert_error(&last, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(last.headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn tokens_are_made_shown_once_and_revoked_on_the_profile_page() {
    let app = TestApp::new().await;
    let manager = app.login("manager").await;
    let made = manager.post_form("/profile/tokens", &[("name", "Discord bot"), ("expires_in_days", "30")]).await;
    assert_eq!(made.status, StatusCode::OK);
    let start = made.body.find("<code data-token>").expect("the secret is shown") + "<code data-token>".len();
    let secret = made.body[start..].split('<').next().unwrap().to_owned();
    assert!(!secret.is_empty());
    assert!(made.body.contains("data-last-used>Never<"), "not used yet: {}", made.body);
    assert_eq!(get(&app, "/api/v1/campaigns", Some(&secret)).await.status, StatusCode::OK);
    let listed = manager.get("/profile").await;
    assert!(listed.body.contains(r#"data-token-row="Discord bot""#));
    let used = listed.body.split("data-last-used>").nth(1).expect("the last-used cell");
    assert!(!used.starts_with("Never"), "the API call is recorded: {}", &used[..used.len().min(200)]);
    assert!(!listed.body.contains(&secret), "shown only once");

    let refused = manager.post_form("/profile/tokens", &[("name", " "), ("expires_in_days", "9999")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("must not be empty") && refused.body.contains("from 1 to 3650"), "{}", refused.body);

    let id = app.tracker().tokens(&app.manager()).await.unwrap()[0].id.get();
    let revoked = manager.post_form(&format!("/profile/tokens/{id}/revoke"), &[]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(get(&app, "/api/v1/campaigns", Some(&secret)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_reference_page_lists_every_operation_without_scripts() {
    let app = TestApp::new().await;
    let page = app.anonymous().get("/api").await;
    assert_eq!(page.status, StatusCode::OK);
    for (method, path) in documented(&app).await {
        assert!(page.body.contains(&format!("<code>{method} {path}</code>")), "{method} {path} is not on the page");
    }
    for script in page.body.split("<script").skip(1) {
        assert!(script.trim_start().starts_with("src=\"/static/"), "only the site's own script file: <script{script}");
    }
}
