//! `GET /timeline?page=N`: every event of the active campaign, newest first, with its
//! public gains and losses, paged with previous/next links.

use super::dashboard::no_campaign;
use super::views::{CampaignView, EventView, timeline_event_views};
use crate::AppState;
use crate::web::{HttpError, Page, Ui};
use application::App;
use application::public::TimelineEvent;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};

/// Events shown on one page of the timeline.
const PER_PAGE: u32 = 20;

/// `?page=N`, counted from 1; anything that is not a positive number means page 1.
#[derive(Debug, Default, Deserialize)]
pub(super) struct TimelineQuery {
    #[serde(default)]
    page: String,
}

impl TimelineQuery {
    pub(super) fn page(&self) -> u32 {
        self.page.trim().parse().unwrap_or(1).max(1)
    }
}

/// One page of the timeline.
#[derive(Debug, Clone, Serialize)]
struct TimelineView {
    campaign: CampaignView,
    events: Vec<EventView>,
    page: u32,
    pages: u64,
    total: u64,
    prev: Option<String>,
    next: Option<String>,
}

impl TimelineView {
    fn new(campaign: CampaignView, items: &[TimelineEvent], page: u32, pages: u64, total: u64) -> Self {
        let events = timeline_event_views(items);
        let (prev, next) = page_links("/timeline", page, pages);
        Self { campaign, events, page, pages, total, prev, next }
    }
}

/// The previous and next page links of page `page` of `pages` under `base`; a page past
/// the end still links back to the last one.
pub(super) fn page_links(base: &str, page: u32, pages: u64) -> (Option<String>, Option<String>) {
    let link = |n: u32| format!("{base}?page={n}");
    let prev = (page > 1).then(|| link(u32::try_from(pages).unwrap_or(u32::MAX).min(page - 1)));
    let next = (u64::from(page) < pages).then(|| link(page + 1));
    (prev, next)
}

/// `GET /timeline`.
pub(super) async fn timeline<A: App>(
    State(state): State<AppState<A>>,
    ui: Ui,
    Query(query): Query<TimelineQuery>,
) -> Result<Response, HttpError> {
    let Some((campaign, page)) = state.tracker.timeline(query.page(), PER_PAGE).await? else {
        return ui.render(no_campaign("timeline")).await;
    };
    let view =
        TimelineView::new(CampaignView::new(&campaign), &page.items, page.request.page, page.page_count(), page.total);
    ui.render(Page::new("public/timeline.html", "Timeline", &view)).await
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    use super::views::fixtures;
    let view = TimelineView {
        campaign: fixtures::campaign(),
        events: vec![fixtures::event()],
        page: 2,
        pages: 3,
        total: 41,
        prev: Some("/timeline?page=1".into()),
        next: Some("/timeline?page=3".into()),
    };
    let empty =
        TimelineView { events: Vec::new(), page: 1, pages: 1, total: 0, prev: None, next: None, ..view.clone() };
    vec![
        ("public/timeline.html", serde_json::to_value(view).unwrap_or_default()),
        ("public/timeline.html", serde_json::to_value(empty).unwrap_or_default()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_that_is_not_a_positive_number_is_the_first() {
        for raw in ["", "abc", "0", "-3"] {
            assert_eq!(TimelineQuery { page: raw.into() }.page(), 1, "{raw:?}");
        }
        assert_eq!(TimelineQuery { page: " 4 ".into() }.page(), 4);
    }
}
