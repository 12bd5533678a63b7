//! `GET /`: the active campaign's dashboard (its public pool grouped by kind, filtered
//! by name and kind through a plain GET form, and its missions with their events), or
//! a friendly page when no campaign is active.
//!
//! Invariant: the filter only narrows what is shown; it never reaches the tracker.

use super::views::{CampaignView, EventView, KindGroupView, MissionView, grouped_pool};
use crate::AppState;
use crate::web::charts;
use crate::web::{HttpError, Page, Ui, signed, trend};
use application::App;
use application::public::Dashboard;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::{AssetKind, PoolEntry, PoolEntryId, PoolGlance, totals_over};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The filter form's query: `?q=<part of a name>&kind=<kind>`; blank means any.
#[derive(Debug, Default, Deserialize)]
pub(super) struct PoolFilter {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
}

impl PoolFilter {
    /// Whether `entry` passes the filter: its name contains `q` (ignoring case) and it
    /// is of the chosen kind. An unknown kind filters nothing.
    fn keeps(&self, entry: &PoolEntry) -> bool {
        let q = self.q.trim().to_lowercase();
        let named = q.is_empty() || entry.asset_name().as_str().to_lowercase().contains(&q);
        named && self.kind().is_none_or(|kind| kind == entry.kind())
    }

    /// The chosen kind; `None` for any (blank or unknown).
    fn kind(&self) -> Option<AssetKind> {
        AssetKind::parse(&self.kind).ok()
    }
}

/// One option of the kind select.
#[derive(Debug, Clone, Serialize)]
struct KindOption {
    value: &'static str,
    label: &'static str,
}

/// The filter form as entered.
#[derive(Debug, Clone, Serialize)]
struct FilterView {
    q: String,
    kind: &'static str,
    kinds: Vec<KindOption>,
    /// Whether anything is filtered (shows "Clear filter").
    active: bool,
}

/// The dashboard.
#[derive(Debug, Clone, Serialize)]
struct DashboardView {
    campaign: CampaignView,
    filter: FilterView,
    pool: Vec<KindGroupView>,
    /// How many public entries the pool has, before filtering.
    pool_size: usize,
    /// How many are shown.
    shown: usize,
    missions: Vec<MissionView>,
    /// How many missions the campaign has in all.
    mission_count: u64,
    /// The summary cards.
    glance: GlanceView,
}

/// The public pool at a glance: the summary cards and the trend over the latest missions.
#[derive(Debug, Clone, Serialize)]
struct GlanceView {
    initial: u64,
    current: u64,
    /// Now against the start: "+3", "-2" or "0", and its CSS class.
    net: String,
    trend: &'static str,
    depleted: usize,
    low: usize,
    /// The newest mission and what it did to the public pool.
    last_mission: Option<LastMissionView>,
    /// The pool's total over the latest missions (SVG), and its figures.
    chart: Option<String>,
    points: Vec<TrendPoint>,
}

/// The newest mission's net change.
#[derive(Debug, Clone, Serialize)]
struct LastMissionView {
    name: String,
    href: String,
    net: String,
    trend: &'static str,
}

/// The pool's total at one point of the trend.
#[derive(Debug, Clone, Serialize)]
struct TrendPoint {
    label: String,
    total: u64,
}

impl GlanceView {
    fn new(dashboard: &Dashboard) -> Self {
        let glance = PoolGlance::of(&dashboard.pool);
        let nets: Vec<i64> = dashboard.missions.iter().map(|m| m.public_net).collect();
        let totals = totals_over(glance.current, &nets);
        let oldest_first: Vec<&str> =
            dashboard.missions.iter().rev().map(|m| m.mission.details.name.as_str()).collect();
        let points: Vec<TrendPoint> = match oldest_first.first() {
            None => Vec::new(),
            Some(first) => std::iter::once(format!("Before {first}"))
                .chain(oldest_first.iter().map(|name| format!("After {name}")))
                .zip(totals)
                .map(|(label, total)| TrendPoint { label, total })
                .collect(),
        };
        let chart = (!points.is_empty()).then(|| {
            let labelled: Vec<(String, u64)> = points.iter().map(|p| (p.label.clone(), p.total)).collect();
            charts::trend_chart("The public pool's total over the latest missions", &labelled)
        });
        let last_mission = dashboard.missions.first().map(|m| LastMissionView {
            name: m.mission.details.name.to_string(),
            href: format!("/missions/{}", m.mission.id.get()),
            net: signed(m.public_net),
            trend: trend(m.public_net),
        });
        Self {
            initial: glance.initial,
            current: glance.current,
            net: signed(glance.net()),
            trend: trend(glance.net()),
            depleted: glance.depleted,
            low: glance.low,
            last_mission,
            chart,
            points,
        }
    }
}

impl DashboardView {
    fn new(dashboard: &Dashboard, filter: &PoolFilter) -> Self {
        let kept: Vec<&PoolEntry> = dashboard.pool.iter().filter(|e| filter.keeps(e)).collect();
        let names: HashMap<PoolEntryId, String> =
            dashboard.pool.iter().map(|e| (e.id(), e.asset_name().to_string())).collect();
        let missions = dashboard
            .missions
            .iter()
            .map(|m| {
                let events = m.events.iter().map(|e| EventView::new(e, &names)).collect();
                MissionView::new(&m.mission, events, m.event_count)
            })
            .collect();
        let kind = filter.kind();
        let mut kinds = vec![KindOption { value: "", label: "All kinds" }];
        kinds.extend(AssetKind::ALL.iter().map(|k| KindOption { value: k.as_str(), label: k.as_str() }));
        let q = filter.q.trim().to_owned();
        let active = !q.is_empty() || kind.is_some();
        Self {
            campaign: CampaignView::new(&dashboard.campaign),
            filter: FilterView { q, kind: kind.map_or("", AssetKind::as_str), kinds, active },
            shown: kept.len(),
            pool: grouped_pool(kept),
            pool_size: dashboard.pool.len(),
            missions,
            mission_count: dashboard.mission_count,
            glance: GlanceView::new(dashboard),
        }
    }
}

/// The page shown by `/` and `/timeline` when no campaign is active.
#[derive(Debug, Clone, Serialize)]
struct NoCampaignView {
    /// What the visitor was looking for ("dashboard", "timeline").
    looking_for: &'static str,
}

/// The friendly page for when no campaign is active (200: nothing is wrong).
pub(super) fn no_campaign(looking_for: &'static str) -> Page {
    Page::new("public/no_campaign.html", "No active campaign", &NoCampaignView { looking_for })
}

/// `GET /`.
pub(super) async fn dashboard<A: App>(
    State(state): State<AppState<A>>,
    ui: Ui,
    Query(filter): Query<PoolFilter>,
) -> Result<Response, HttpError> {
    let (missions, events) = (state.settings.dashboard_missions, state.settings.dashboard_events_per_mission);
    let Some(dashboard) = state.tracker.dashboard(missions, events).await? else {
        return ui.render(no_campaign("dashboard")).await;
    };
    let view = DashboardView::new(&dashboard, &filter);
    let page = Page::new("public/dashboard.html", view.campaign.name.clone(), &view);
    ui.render(page.campaign(dashboard.campaign.id())).await
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    use super::views::fixtures;
    let filter = FilterView {
        q: "slam".into(),
        kind: "Vehicle",
        kinds: vec![KindOption { value: "", label: "All kinds" }, KindOption { value: "Vehicle", label: "Vehicle" }],
        active: true,
    };
    let view = DashboardView {
        campaign: fixtures::campaign(),
        filter,
        pool: fixtures::pool(),
        pool_size: 3,
        shown: 3,
        missions: fixtures::missions(),
        mission_count: 9,
        glance: GlanceView {
            initial: 12,
            current: 9,
            net: "-3".into(),
            trend: "loss",
            depleted: 1,
            low: 2,
            last_mission: Some(LastMissionView {
                name: "Night raid".into(),
                href: "/missions/3".into(),
                net: "-2".into(),
                trend: "loss",
            }),
            chart: Some(charts::trend_chart(
                "Trend",
                &[("Before Night raid".into(), 11), ("After Night raid".into(), 9)],
            )),
            points: vec![
                TrendPoint { label: "Before Night raid".into(), total: 11 },
                TrendPoint { label: "After Night raid".into(), total: 9 },
            ],
        },
    };
    let glance = GlanceView {
        initial: 0,
        current: 0,
        net: "0".into(),
        trend: "",
        depleted: 0,
        low: 0,
        last_mission: None,
        chart: None,
        points: Vec::new(),
    };
    let empty =
        DashboardView { pool: Vec::new(), shown: 0, missions: Vec::new(), mission_count: 0, glance, ..view.clone() };
    vec![
        ("public/dashboard.html", serde_json::to_value(view).unwrap_or_default()),
        ("public/dashboard.html", serde_json::to_value(empty).unwrap_or_default()),
        (
            "public/no_campaign.html",
            serde_json::to_value(NoCampaignView { looking_for: "timeline" }).unwrap_or_default(),
        ),
    ]
}
