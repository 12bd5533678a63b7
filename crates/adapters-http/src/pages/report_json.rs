//! A campaign report as a JSON download: the campaign, its pool, its missions with
//! their events and changes, and (for staff) the campaign's audit entries. Every field
//! is described in docs/EXPORTS.md; a field is added there and here together.
//!
//! Invariants: `format` and `version` name the document's shape, and a change that
//! renames or removes a field raises `version`; times are RFC 3339 in UTC, dates
//! `YYYY-MM-DD`; the file is named as the CSV is, with `.json`.

use crate::pages::report_csv::file_stem;
use crate::web::iso;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::{AuditEntry, CampaignReport, EntryLevel, ReportChange, ReportEntry, ReportEvent, ReportMission};
use serde::Serialize;

/// What the document is, for a reader that meets it without its name.
const FORMAT: &str = "asset-tracker.campaign-report";
/// The version of its shape.
const VERSION: u32 = 1;

/// The whole document.
#[derive(Debug, Serialize)]
struct Document<'r> {
    format: &'static str,
    version: u32,
    generated_at: String,
    campaign: CampaignJson<'r>,
    totals: Totals,
    pool: Vec<EntryJson<'r>>,
    missions: Vec<MissionJson<'r>>,
    /// Staff downloads only; absent from the public one.
    #[serde(skip_serializing_if = "Option::is_none")]
    audit: Option<Vec<AuditJson<'r>>>,
}

#[derive(Debug, Serialize)]
struct CampaignJson<'r> {
    id: i64,
    name: &'r str,
    description: &'r str,
    status: &'static str,
    start: String,
    end: Option<String>,
}

#[derive(Debug, Serialize)]
struct Totals {
    initial: u64,
    current: u64,
    gained: u64,
    lost: u64,
}

#[derive(Debug, Serialize)]
struct EntryJson<'r> {
    entry_id: Option<i64>,
    library: &'r str,
    asset: &'r str,
    kind: &'static str,
    category: &'r str,
    initial: u32,
    current: u32,
    gained: u64,
    lost: u64,
    net: i64,
    unique: bool,
    public: bool,
    /// "surplus", "low", "depleted" or null.
    level: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct MissionJson<'r> {
    name: &'r str,
    status: &'static str,
    date: Option<String>,
    events: Vec<EventJson<'r>>,
}

#[derive(Debug, Serialize)]
struct EventJson<'r> {
    title: &'r str,
    kind: &'static str,
    occurred_at: String,
    location: &'r str,
    changes: Vec<ChangeJson<'r>>,
}

#[derive(Debug, Serialize)]
struct ChangeJson<'r> {
    entry_id: Option<i64>,
    asset: &'r str,
    delta: i64,
    note: &'r str,
}

#[derive(Debug, Serialize)]
struct AuditJson<'r> {
    id: i64,
    at: String,
    actor: &'r str,
    action: &'static str,
    object_kind: &'static str,
    object_id: Option<i64>,
    details: &'r str,
}

/// The report (with `audit`, for staff) as a JSON download.
pub(crate) fn response(report: &CampaignReport, audit: Option<&[AuditEntry]>) -> Response {
    let document = document(report, audit);
    let body = serde_json::to_vec_pretty(&document).unwrap_or_default();
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}.json\"", file_stem(report))) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn document<'r>(report: &'r CampaignReport, audit: Option<&'r [AuditEntry]>) -> Document<'r> {
    let (initial, current, gained, lost) = report.totals();
    Document {
        format: FORMAT,
        version: VERSION,
        generated_at: iso(report.generated_at),
        campaign: CampaignJson {
            id: report.campaign_id.get(),
            name: &report.campaign_name,
            description: &report.description,
            status: report.status.as_str(),
            start: report.start.to_string(),
            end: report.end.map(|d| d.to_string()),
        },
        totals: Totals { initial, current, gained, lost },
        pool: report.entries.iter().map(entry).collect(),
        missions: report.missions.iter().map(mission).collect(),
        audit: audit.map(|entries| entries.iter().map(audit_entry).collect()),
    }
}

fn entry(e: &ReportEntry) -> EntryJson<'_> {
    EntryJson {
        entry_id: e.entry_id.map(|id| id.get()),
        library: &e.library,
        asset: &e.asset_name,
        kind: e.kind.as_str(),
        category: &e.category,
        initial: e.initial,
        current: e.current,
        gained: e.gained,
        lost: e.lost,
        net: i64::from(e.current) - i64::from(e.initial),
        unique: e.unique,
        public: e.public,
        level: e.level().map(|level| match level {
            EntryLevel::Surplus => "surplus",
            EntryLevel::Low => "low",
            EntryLevel::Depleted => "depleted",
        }),
    }
}

fn mission(m: &ReportMission) -> MissionJson<'_> {
    MissionJson {
        name: &m.name,
        status: m.status.as_str(),
        date: m.date.map(|d| d.to_string()),
        events: m.events.iter().map(event).collect(),
    }
}

fn event(e: &ReportEvent) -> EventJson<'_> {
    EventJson {
        title: &e.title,
        kind: e.kind.as_str(),
        occurred_at: iso(e.occurred_at),
        location: &e.location,
        changes: e.changes.iter().map(change).collect(),
    }
}

fn change(c: &ReportChange) -> ChangeJson<'_> {
    ChangeJson { entry_id: c.entry_id.map(|id| id.get()), asset: &c.asset_name, delta: c.delta, note: &c.note }
}

fn audit_entry(a: &AuditEntry) -> AuditJson<'_> {
    AuditJson {
        id: a.id.get(),
        at: iso(a.entry.at),
        actor: &a.entry.actor_name,
        action: a.entry.action.as_str(),
        object_kind: a.entry.object.kind.as_str(),
        object_id: a.entry.object.id,
        details: &a.entry.details,
    }
}

/// The report's document without audit entries, as the API answers it.
pub(crate) fn api_document(report: &CampaignReport) -> serde_json::Value {
    serde_json::to_value(document(report, None)).unwrap_or_default()
}
