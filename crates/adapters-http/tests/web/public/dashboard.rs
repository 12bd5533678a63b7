//! `GET /`: the active campaign's dashboard, its badges and the pool filter.

use super::world::{World, row, world};
use axum::http::StatusCode;

#[tokio::test]
async fn the_dashboard_shows_the_active_campaign_with_its_pool_missions_and_events() {
    let World { app, .. } = world().await;
    let page = app.anonymous().get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("<h1>Operation Harvest</h1>"), "{body}");
    assert!(body.contains("2026-01-01") && body.contains("The story of Operation Harvest."), "{body}");
    assert!(body.contains(r#"href="https://maps.example.com/view""#), "{body}");
    assert!(!body.contains("edit-secret"), "the staff map link is not public: {body}");
    assert!(row(body, "M2A1 Slammer").contains("data-current>2</td>"), "{}", row(body, "M2A1 Slammer"));
    assert!(row(body, "M2A1 Slammer").contains(r#"<span class="loss">-2</span>"#));
    assert!(row(body, "Hunter").contains("data-current>3</td>") && row(body, "Hunter").contains("+1"));
    let vehicles = body.find(r#"id="kind-Vehicle""#).expect("a Vehicle group");
    let aircraft = body.find(r#"id="kind-Aircraft""#).expect("an Aircraft group");
    assert!(vehicles < aircraft && aircraft < body.find(r#"id="kind-Supply""#).expect("a Supply group"));
    let pyrgos = body.find("Pyrgos").expect("the newer mission");
    assert!(pyrgos < body.find("Kavala</a> <span").expect("the older mission"), "missions newest first");
    assert!(body.contains(r#"<span class="badge">In progress</span>"#), "{body}");
    assert!(body.contains(r#"<article data-event="Ambush at Kavala">"#), "{body}");
    assert!(body.contains(r#"<li data-change="M2A1 Slammer"><span class="loss">-2</span>"#), "{body}");
    assert!(body.contains(r#"<li data-change="Hunter"><span class="gain">+1</span>"#), "{body}");
    assert!(body.contains(r#"<time datetime="2026-01-05T20:30:00Z" data-local>2026-01-05 20:30 UTC</time>"#));
}

#[tokio::test]
async fn depleted_and_low_entries_are_marked_but_a_unique_asset_is_never_low() {
    let World { app, .. } = world().await;
    let body = app.anonymous().get("/").await.body;
    assert!(row(&body, "AH-99 Blackfoot").contains("badge depleted"), "{}", row(&body, "AH-99 Blackfoot"));
    assert!(row(&body, "M2A1 Slammer").contains("badge low"), "{}", row(&body, "M2A1 Slammer"));
    let hq = row(&body, "Mobile HQ");
    assert!(hq.contains("data-current>1</td>") && !hq.contains("badge"), "{hq}");
    assert!(!row(&body, "Hunter").contains("badge") && !row(&body, "Ammo crate").contains("badge"));
}

#[tokio::test]
async fn the_pool_filter_works_as_a_plain_get_form_by_name_and_kind() {
    let World { app, .. } = world().await;
    let client = app.anonymous();
    let form = client.get("/").await.body;
    assert!(form.contains(r#"<form method="get" action="/""#), "{form}");
    assert!(form.contains(r#"name="q""#) && form.contains(r#"name="kind""#), "{form}");

    let by_name = client.get("/?q=SLAM").await;
    assert_eq!(by_name.status, StatusCode::OK);
    assert!(by_name.body.contains(r#"data-asset="M2A1 Slammer""#) && !by_name.body.contains(r#"data-asset="Hunter""#));
    assert!(by_name.body.contains(r#"value="SLAM""#) && by_name.body.contains("Showing 1 of 5 assets."));
    assert!(by_name.body.contains(r#"<a href="/">Clear filter</a>"#));

    let by_kind = client.get("/?q=&kind=Aircraft").await.body;
    assert!(by_kind.contains(r#"data-asset="AH-99 Blackfoot""#) && !by_kind.contains(r#"data-asset="Hunter""#));
    assert!(by_kind.contains(r#"<option value="Aircraft" selected>"#), "{by_kind}");

    let both = client.get("/?q=h&kind=Vehicle").await.body;
    assert!(both.contains(r#"data-asset="Hunter""#) && both.contains(r#"data-asset="Mobile HQ""#));
    assert!(!both.contains(r#"data-asset="AH-99 Blackfoot""#) && !both.contains(r#"data-asset="M2A1 Slammer""#));

    let none = client.get("/?q=tiger").await.body;
    assert!(none.contains("No assets match the filter.") && !none.contains("<tr data-asset"), "{none}");
    let unknown_kind = client.get("/?kind=Spaceship").await.body;
    assert!(unknown_kind.contains(r#"data-asset="Ammo crate""#) && !unknown_kind.contains("Clear filter"));
}

#[tokio::test]
async fn summary_cards_and_a_trend_sum_up_the_public_pool_and_leave_the_hidden_asset_out() {
    let World { app, .. } = world().await;
    let body = app.anonymous().get("/").await.body;
    let card = |name: &str| {
        let start = body.find(&format!(r#"data-card="{name}""#)).unwrap_or_else(|| panic!("no {name} card: {body}"));
        body[start..].split("</li>").next().unwrap_or_default().to_owned()
    };
    // Public entries: 18 at the start, 16 now (the hidden asset's -3 is not counted).
    assert!(card("assets").contains(r#"<span class="card-value">16</span>"#), "{}", card("assets"));
    assert!(card("assets").contains(r#"of 18 at the start (<span class="loss">-2</span>)"#), "{}", card("assets"));
    assert!(card("depleted").contains(r#"<span class="card-value depleted">1</span>"#), "{}", card("depleted"));
    assert!(card("low").contains(r#"<span class="card-value">1</span>"#), "{}", card("low"));
    // The newest mission is Pyrgos, with no event yet.
    assert!(card("last-mission").contains(">0</span>") && card("last-mission").contains(">Pyrgos</a>"));
    let figures = body.split(r#"data-chart-data="trend""#).nth(1).unwrap_or_default();
    let figures = figures.split("</table>").next().unwrap_or_default();
    for (label, total) in [("Before Kavala", 18), ("After Kavala", 16), ("After Pyrgos", 16)] {
        let row = format!(r#"<tr><th scope="row">{label}</th><td class="number">{total}</td></tr>"#);
        assert!(figures.contains(&row), "{row} in {figures}");
    }
    let chart = body.split(r#"data-chart="trend""#).nth(1).unwrap_or_default();
    assert_eq!(chart.split("</svg>").next().unwrap_or_default().matches("<circle").count(), 3, "{chart}");
}
