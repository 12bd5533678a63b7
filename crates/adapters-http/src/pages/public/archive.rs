//! `GET /campaigns` (the closed campaigns with their final public pool),
//! `GET /campaigns/{id}` (one closed campaign's archived final report) and
//! `GET /campaigns/{id}/report.csv` (its final public pool as CSV) and
//! `GET /campaigns/{id}/report.json` (its final public report as JSON).
//!
//! Invariant: only closed campaigns are shown; any other id answers 404.

use super::views::{CampaignView, ChangeView, EventView, status_label};
use crate::AppState;
use crate::pages::report_csv::{self, CsvQuery};
use crate::pages::report_json;
use crate::pages::report_view::{self, ChartQuery, SummaryView};
use crate::web::{HttpError, Page, Ui, iso};
use crate::web::{signed, trend};
use application::{App, UseCaseError};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::{Campaign, CampaignId, CampaignReport, ReportEntry, ReportEvent};
use serde::Serialize;

/// One entry of a final pool: `<tr data-asset>` with the final quantity in `<td data-current>`.
#[derive(Debug, Clone, Serialize)]
struct ReportRowView {
    name: String,
    kind: &'static str,
    category: String,
    initial: u32,
    current: u32,
    /// "+3", or "0" when nothing was gained.
    gained: String,
    /// "-2", or "0" when nothing was lost.
    lost: String,
    change: String,
    trend: &'static str,
    /// "depleted", "low", "surplus" or "" (a CSS class).
    level: &'static str,
    /// "Depleted", "Low", "Surplus" or "".
    level_label: &'static str,
}

impl ReportRowView {
    fn new(entry: &ReportEntry) -> Self {
        let change = i64::from(entry.current) - i64::from(entry.initial);
        let (level, level_label) = report_view::level(entry);
        Self {
            name: entry.asset_name.clone(),
            kind: entry.kind.as_str(),
            category: entry.category.clone(),
            initial: entry.initial,
            current: entry.current,
            gained: gain_text(entry.gained),
            lost: loss_text(entry.lost),
            change: signed(change),
            trend: trend(change),
            level,
            level_label,
        }
    }
}

/// A closed campaign with its final pool.
#[derive(Debug, Clone, Serialize)]
struct ClosedView {
    campaign: CampaignView,
    /// When it was closed, RFC 3339 in UTC.
    closed_at: String,
    pool: Vec<ReportRowView>,
}

impl ClosedView {
    fn new(campaign: &Campaign, report: &CampaignReport) -> Self {
        Self {
            campaign: CampaignView::new(campaign),
            closed_at: iso(campaign.closed_at().unwrap_or(report.generated_at)),
            pool: report.entries.iter().map(ReportRowView::new).collect(),
        }
    }
}

/// The list of closed campaigns.
#[derive(Debug, Clone, Serialize)]
struct ClosedListView {
    campaigns: Vec<ClosedView>,
}

/// The totals of a final pool.
#[derive(Debug, Clone, Serialize)]
struct TotalsView {
    initial: u64,
    current: u64,
    gained: String,
    lost: String,
}

/// A total gain with its sign: "+3", or "0".
fn gain_text(n: u64) -> String {
    if n > 0 { format!("+{n}") } else { "0".to_owned() }
}

/// A total loss with its sign: "-2", or "0".
fn loss_text(n: u64) -> String {
    if n > 0 { format!("-{n}") } else { "0".to_owned() }
}

/// A mission of a final report.
#[derive(Debug, Clone, Serialize)]
struct ReportMissionView {
    name: String,
    status: &'static str,
    date: Option<String>,
    events: Vec<EventView>,
}

/// One closed campaign's final report.
#[derive(Debug, Clone, Serialize)]
struct ReportView {
    closed: ClosedView,
    totals: TotalsView,
    summary: SummaryView,
    missions: Vec<ReportMissionView>,
}

impl ReportView {
    fn new(campaign: &Campaign, report: &CampaignReport, asset: Option<&str>) -> Self {
        let (initial, current, gained, lost) = report.totals();
        let missions = report
            .missions
            .iter()
            .map(|m| ReportMissionView {
                name: m.name.clone(),
                status: status_label(m.status),
                date: m.date.map(|d| d.to_string()),
                events: m.events.iter().map(event_view).collect(),
            })
            .collect();
        Self {
            closed: ClosedView::new(campaign, report),
            totals: TotalsView { initial, current, gained: gain_text(gained), lost: loss_text(lost) },
            summary: SummaryView::new(report, asset),
            missions,
        }
    }
}

fn event_view(event: &ReportEvent) -> EventView {
    let changes =
        event.changes.iter().map(|c| ChangeView::new(c.asset_name.clone(), c.delta, c.note.clone())).collect();
    EventView {
        title: event.title.clone(),
        kind: event.kind.as_str(),
        at: iso(event.occurred_at),
        location: event.location.clone(),
        description: String::new(),
        mission: String::new(),
        changes,
    }
}

/// `GET /campaigns`.
pub(super) async fn list<A: App>(State(state): State<AppState<A>>, ui: Ui) -> Result<Response, HttpError> {
    let archive = state.tracker.closed_campaigns().await?;
    let campaigns = archive.iter().map(|(campaign, report)| ClosedView::new(campaign, report)).collect();
    ui.render(Page::new("public/campaigns.html", "Closed campaigns", &ClosedListView { campaigns })).await
}

/// `GET /campaigns/{id}`: 404 unless the campaign is closed.
pub(super) async fn report<A: App>(
    State(state): State<AppState<A>>,
    ui: Ui,
    Path(id): Path<i64>,
    Query(chart): Query<ChartQuery>,
) -> Result<Response, HttpError> {
    let (campaign, report) = match state.tracker.closed_campaign(CampaignId::new(id)).await {
        Err(UseCaseError::NotFound(_)) => return Err(HttpError::not_found()),
        found => found?,
    };
    let view = ReportView::new(&campaign, &report, chart.asset.as_deref());
    let page = Page::new("public/campaign.html", view.closed.campaign.name.clone(), &view);
    let page = page.crumb("Closed campaigns", "/campaigns");
    ui.render(if view.summary.asset_error().is_some() { page.invalid() } else { page }).await
}

/// `GET /campaigns/{id}/report.csv`: a closed campaign's final public pool as CSV.
pub(super) async fn report_csv<A: App>(
    State(state): State<AppState<A>>,
    Path(id): Path<i64>,
    Query(query): Query<CsvQuery>,
) -> Result<Response, HttpError> {
    let (_, report) = match state.tracker.closed_campaign(CampaignId::new(id)).await {
        Err(UseCaseError::NotFound(_)) => return Err(HttpError::not_found()),
        found => found?,
    };
    Ok(report_csv::response(&report, &query))
}

/// `GET /campaigns/{id}/report.json`: a closed campaign's final public report as JSON
/// (no audit entries: those are for staff).
pub(super) async fn report_json<A: App>(
    State(state): State<AppState<A>>,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let (_, report) = match state.tracker.closed_campaign(CampaignId::new(id)).await {
        Err(UseCaseError::NotFound(_)) => return Err(HttpError::not_found()),
        found => found?,
    };
    Ok(report_json::response(&report, None))
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    use super::views::fixtures;
    let row = |name: &str, initial: u32, current: u32, gained: u64, lost: u64| {
        let change = i64::from(current) - i64::from(initial);
        ReportRowView {
            name: name.into(),
            kind: "Vehicle",
            category: "Tank".into(),
            initial,
            current,
            gained: gain_text(gained),
            lost: loss_text(lost),
            change: signed(change),
            trend: trend(change),
            level: if current == 0 { "depleted" } else { "" },
            level_label: if current == 0 { "Depleted" } else { "" },
        }
    };
    let closed = ClosedView {
        campaign: fixtures::campaign(),
        closed_at: "2026-03-31T22:00:00Z".into(),
        pool: vec![row("M2A1 Slammer", 4, 2, 1, 3), row("Hunter", 2, 0, 0, 2), row("Ifrit", 1, 1, 0, 0)],
    };
    let list = ClosedListView { campaigns: vec![closed.clone()] };
    let mission = ReportMissionView {
        name: "Kavala".into(),
        status: "Completed",
        date: Some("2026-01-05".into()),
        events: vec![fixtures::event()],
    };
    let quiet = ReportMissionView { name: "Pyrgos".into(), status: "Cancelled", date: None, events: Vec::new() };
    let report = ReportView {
        closed: closed.clone(),
        totals: TotalsView { initial: 7, current: 3, gained: gain_text(1), lost: loss_text(5) },
        summary: SummaryView::fixture(),
        missions: vec![mission, quiet],
    };
    let bare = ReportView {
        closed: ClosedView { pool: Vec::new(), ..closed },
        totals: TotalsView { initial: 0, current: 0, gained: gain_text(0), lost: loss_text(0) },
        summary: SummaryView::empty_fixture(),
        missions: Vec::new(),
    };
    vec![
        ("public/campaigns.html", serde_json::to_value(list).unwrap_or_default()),
        ("public/campaigns.html", serde_json::to_value(ClosedListView { campaigns: Vec::new() }).unwrap_or_default()),
        ("public/campaign.html", serde_json::to_value(report).unwrap_or_default()),
        ("public/campaign.html", serde_json::to_value(bare).unwrap_or_default()),
    ]
}
