//! The stable JSON form of a campaign report, used to archive a closed campaign's
//! final report (and by any adapter that serves a report as JSON).
//!
//! Invariant: `decode(encode(r)) == r` for every report, and the field names here are
//! a storage format: rename nothing without a migration of archived reports.

use domain::{
    AssetKind, CampaignId, CampaignReport, CampaignStatus, EventKind, MissionStatus, PoolEntryId, ReportChange,
    ReportEntry, ReportEvent, ReportMission,
};
use serde::{Deserialize, Serialize};
use time::{Date, UtcDateTime};

/// An archived report could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The JSON does not have the expected shape.
    #[error("archived report is malformed: {0}")]
    Json(#[from] serde_json::Error),
    /// A value in it is out of range (an unknown status, kind or date).
    #[error("archived report holds an invalid {0}")]
    Value(&'static str),
}

/// The report as JSON.
#[derive(Debug, Serialize, Deserialize)]
pub struct ReportJson {
    /// The campaign's id.
    pub campaign_id: i64,
    /// The campaign's name.
    pub campaign_name: String,
    /// Its description.
    pub description: String,
    /// `Planned`, `Active` or `Closed`.
    pub status: String,
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, if set.
    pub end: Option<String>,
    /// Unix time in seconds when the report was made.
    pub generated_at: i64,
    /// The pool.
    pub entries: Vec<EntryJson>,
    /// The missions.
    pub missions: Vec<MissionJson>,
}

/// A pool entry as JSON.
#[derive(Debug, Serialize, Deserialize)]
pub struct EntryJson {
    /// The pool entry's id (absent in reports archived before ids were recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_id: Option<i64>,
    /// The asset's library, by name (empty in reports archived before libraries were recorded).
    #[serde(default)]
    pub library: String,
    /// Asset name.
    pub asset_name: String,
    /// Asset kind.
    pub kind: String,
    /// Asset category.
    pub category: String,
    /// Starting quantity.
    pub initial: u32,
    /// Quantity at the time of the report.
    pub current: u32,
    /// Sum of gains.
    pub gained: u64,
    /// Sum of losses.
    pub lost: u64,
    /// Shown to the public.
    pub public: bool,
    /// A unique asset (absent, so `false`, in reports archived before it was recorded).
    #[serde(default)]
    pub unique: bool,
}

/// A mission as JSON.
#[derive(Debug, Serialize, Deserialize)]
pub struct MissionJson {
    /// Name.
    pub name: String,
    /// Status.
    pub status: String,
    /// Day played, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Events, oldest first.
    pub events: Vec<EventJson>,
}

/// An event as JSON.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventJson {
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: String,
    /// Unix time in seconds.
    pub occurred_at: i64,
    /// Location.
    pub location: String,
    /// Asset changes.
    pub changes: Vec<ChangeJson>,
}

/// An asset change as JSON.
#[derive(Debug, Serialize, Deserialize)]
pub struct ChangeJson {
    /// The pool entry's id (absent in reports archived before ids were recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_id: Option<i64>,
    /// Asset name.
    pub asset_name: String,
    /// Signed change.
    pub delta: i64,
    /// Note.
    pub note: String,
}

fn date_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn parse_date(raw: &str) -> Result<Date, ArchiveError> {
    application::input::parse_date(raw).map_err(|_| ArchiveError::Value("date"))
}

fn parse_time(secs: i64) -> Result<UtcDateTime, ArchiveError> {
    UtcDateTime::from_unix_timestamp(secs).map_err(|_| ArchiveError::Value("timestamp"))
}

impl From<&CampaignReport> for ReportJson {
    fn from(r: &CampaignReport) -> Self {
        Self {
            campaign_id: r.campaign_id.get(),
            campaign_name: r.campaign_name.clone(),
            description: r.description.clone(),
            status: r.status.as_str().to_owned(),
            start: date_text(r.start),
            end: r.end.map(date_text),
            generated_at: r.generated_at.unix_timestamp(),
            entries: r
                .entries
                .iter()
                .map(|e| EntryJson {
                    entry_id: e.entry_id.map(PoolEntryId::get),
                    library: e.library.clone(),
                    asset_name: e.asset_name.clone(),
                    kind: e.kind.as_str().to_owned(),
                    category: e.category.clone(),
                    initial: e.initial,
                    current: e.current,
                    gained: e.gained,
                    lost: e.lost,
                    public: e.public,
                    unique: e.unique,
                })
                .collect(),
            missions: r
                .missions
                .iter()
                .map(|m| MissionJson {
                    name: m.name.clone(),
                    status: m.status.as_str().to_owned(),
                    date: m.date.map(date_text),
                    events: m
                        .events
                        .iter()
                        .map(|e| EventJson {
                            title: e.title.clone(),
                            kind: e.kind.as_str().to_owned(),
                            occurred_at: e.occurred_at.unix_timestamp(),
                            location: e.location.clone(),
                            changes: e
                                .changes
                                .iter()
                                .map(|c| ChangeJson {
                                    entry_id: c.entry_id.map(PoolEntryId::get),
                                    asset_name: c.asset_name.clone(),
                                    delta: c.delta,
                                    note: c.note.clone(),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl TryFrom<ReportJson> for CampaignReport {
    type Error = ArchiveError;

    fn try_from(j: ReportJson) -> Result<Self, ArchiveError> {
        let entries = j
            .entries
            .into_iter()
            .map(|e| {
                Ok(ReportEntry {
                    entry_id: e.entry_id.map(PoolEntryId::new),
                    library: e.library,
                    kind: AssetKind::parse(&e.kind).map_err(|_| ArchiveError::Value("asset kind"))?,
                    asset_name: e.asset_name,
                    category: e.category,
                    initial: e.initial,
                    current: e.current,
                    gained: e.gained,
                    lost: e.lost,
                    public: e.public,
                    unique: e.unique,
                })
            })
            .collect::<Result<_, ArchiveError>>()?;
        let missions = j.missions.into_iter().map(mission).collect::<Result<_, ArchiveError>>()?;
        Ok(CampaignReport {
            campaign_id: CampaignId::new(j.campaign_id),
            campaign_name: j.campaign_name,
            description: j.description,
            status: CampaignStatus::parse(&j.status).map_err(|_| ArchiveError::Value("campaign status"))?,
            start: parse_date(&j.start)?,
            end: j.end.as_deref().map(parse_date).transpose()?,
            generated_at: parse_time(j.generated_at)?,
            entries,
            missions,
        })
    }
}

fn mission(m: MissionJson) -> Result<ReportMission, ArchiveError> {
    let events = m
        .events
        .into_iter()
        .map(|e| {
            Ok(ReportEvent {
                kind: EventKind::parse(&e.kind).map_err(|_| ArchiveError::Value("event kind"))?,
                occurred_at: parse_time(e.occurred_at)?,
                title: e.title,
                location: e.location,
                changes: e
                    .changes
                    .into_iter()
                    .map(|c| ReportChange {
                        entry_id: c.entry_id.map(PoolEntryId::new),
                        asset_name: c.asset_name,
                        delta: c.delta,
                        note: c.note,
                    })
                    .collect(),
            })
        })
        .collect::<Result<_, ArchiveError>>()?;
    Ok(ReportMission {
        status: MissionStatus::parse(&m.status).map_err(|_| ArchiveError::Value("mission status"))?,
        date: m.date.as_deref().map(parse_date).transpose()?,
        name: m.name,
        events,
    })
}

/// The report as a JSON string.
pub fn encode(report: &CampaignReport) -> String {
    // Serializing plain structs of strings and numbers to a String cannot fail.
    serde_json::to_string(&ReportJson::from(report)).unwrap_or_default()
}

/// Reads a report archived by `encode`.
pub fn decode(json: &str) -> Result<CampaignReport, ArchiveError> {
    serde_json::from_str::<ReportJson>(json)?.try_into()
}

#[cfg(test)]
mod tests;
