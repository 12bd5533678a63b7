//! `GET /missions?page=N`: the active campaign's missions, newest first, each with its
//! event count; `GET /missions/{id}?page=N`: one of its missions with a page of its
//! events, oldest first. Both are paged, so their size does not grow with the history.

use super::dashboard::no_campaign;
use super::timeline::{TimelineQuery, page_links};
use super::views::{CampaignView, MissionView, timeline_event_views};
use crate::AppState;
use crate::web::{HttpError, Page, Ui};
use application::App;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::MissionId;
use serde::Serialize;

/// Missions shown on one page of the list.
const MISSIONS_PER_PAGE: u32 = 20;
/// Events shown on one page of a mission.
const EVENTS_PER_PAGE: u32 = 20;

/// One page of the mission list.
#[derive(Debug, Clone, Serialize)]
struct MissionsView {
    campaign: CampaignView,
    missions: Vec<MissionView>,
    page: u32,
    pages: u64,
    total: u64,
    prev: Option<String>,
    next: Option<String>,
}

/// One mission with a page of its events.
#[derive(Debug, Clone, Serialize)]
struct MissionPageView {
    campaign: CampaignView,
    mission: MissionView,
    page: u32,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
}

/// `GET /missions`.
pub(super) async fn list<A: App>(
    State(state): State<AppState<A>>,
    ui: Ui,
    Query(query): Query<TimelineQuery>,
) -> Result<Response, HttpError> {
    let Some((campaign, page)) = state.tracker.public_missions(query.page(), MISSIONS_PER_PAGE).await? else {
        return ui.render(no_campaign("mission list")).await;
    };
    let (prev, next) = page_links("/missions", page.request.page, page.page_count());
    let view = MissionsView {
        campaign: CampaignView::new(&campaign),
        missions: page.items.iter().map(|(m, count)| MissionView::new(m, Vec::new(), *count)).collect(),
        page: page.request.page,
        pages: page.page_count(),
        total: page.total,
        prev,
        next,
    };
    ui.render(Page::new("public/missions.html", "Missions", &view)).await
}

/// `GET /missions/{id}`.
pub(super) async fn mission<A: App>(
    State(state): State<AppState<A>>,
    ui: Ui,
    Path(id): Path<i64>,
    Query(query): Query<TimelineQuery>,
) -> Result<Response, HttpError> {
    let found = state.tracker.public_mission(MissionId::new(id), query.page(), EVENTS_PER_PAGE).await?;
    let base = format!("/missions/{id}");
    let (prev, next) = page_links(&base, found.events.request.page, found.events.page_count());
    let events = timeline_event_views(&found.events.items);
    let view = MissionPageView {
        campaign: CampaignView::new(&found.campaign),
        mission: MissionView::new(&found.mission, events, found.events.total),
        page: found.events.request.page,
        pages: found.events.page_count(),
        prev,
        next,
    };
    let title = view.mission.name.clone();
    ui.render(Page::new("public/mission.html", title, &view)).await
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    use super::views::fixtures;
    let missions = MissionsView {
        campaign: fixtures::campaign(),
        missions: fixtures::missions(),
        page: 2,
        pages: 3,
        total: 45,
        prev: Some("/missions?page=1".into()),
        next: Some("/missions?page=3".into()),
    };
    let empty =
        MissionsView { missions: Vec::new(), page: 1, pages: 1, total: 0, prev: None, next: None, ..missions.clone() };
    let mut first = fixtures::missions().remove(0);
    first.more_events = 0;
    let mission = MissionPageView {
        campaign: fixtures::campaign(),
        mission: first,
        page: 1,
        pages: 2,
        prev: None,
        next: Some("/missions/3?page=2".into()),
    };
    let quiet = MissionPageView { mission: fixtures::missions().remove(1), next: None, pages: 1, ..mission.clone() };
    vec![
        ("public/missions.html", serde_json::to_value(missions).unwrap_or_default()),
        ("public/missions.html", serde_json::to_value(empty).unwrap_or_default()),
        ("public/mission.html", serde_json::to_value(mission).unwrap_or_default()),
        ("public/mission.html", serde_json::to_value(quiet).unwrap_or_default()),
    ]
}
