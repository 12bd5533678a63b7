//! The API's JSON documents, as sent and received, with their OpenAPI schemas.
//!
//! Invariants: times are RFC 3339 in UTC (`2026-05-01T18:30:00Z`), dates `YYYY-MM-DD`;
//! ids are integers; public documents are made from the public read models only (which
//! already lack hidden entries, staff notes and edit links), so nothing staff-only can
//! reach the public through a field added here.

use crate::web::iso;
use application::public::TimelineEvent;
use domain::{AssetChange, Campaign, Event, Mission, PoolEntry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A campaign.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CampaignDoc {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) description: String,
    /// `Planned`, `Active` or `Closed`.
    pub(crate) status: &'static str,
    /// The first day.
    #[schema(format = Date)]
    pub(crate) start: String,
    /// The last day, when set.
    #[schema(format = Date)]
    pub(crate) end: Option<String>,
    /// The map's public link, when set.
    pub(crate) map_view_url: Option<String>,
    #[schema(format = DateTime)]
    pub(crate) created_at: String,
    /// When it was closed.
    #[schema(format = DateTime)]
    pub(crate) closed_at: Option<String>,
}

impl CampaignDoc {
    pub(crate) fn of(c: &Campaign) -> Self {
        let details = c.details();
        Self {
            id: c.id().get(),
            name: c.name().to_string(),
            description: details.description.to_string(),
            status: c.status().as_str(),
            start: details.dates.start().to_string(),
            end: details.dates.end().map(|d| d.to_string()),
            map_view_url: details.map_view_url.as_ref().map(ToString::to_string),
            created_at: iso(c.created_at()),
            closed_at: c.closed_at().map(iso),
        }
    }
}

/// One asset of a campaign's pool.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PoolEntryDoc {
    /// The pool entry's id (what asset changes name).
    pub(crate) id: i64,
    pub(crate) name: String,
    /// `Vehicle`, `Aircraft`, `Weapon`, … (see the asset kinds in docs/API.md).
    pub(crate) kind: &'static str,
    pub(crate) category: String,
    pub(crate) initial: u32,
    pub(crate) current: u32,
    /// Whether the public sees it.
    pub(crate) public: bool,
    /// Whether at most one may be held.
    pub(crate) unique: bool,
}

impl PoolEntryDoc {
    pub(crate) fn of(e: &PoolEntry) -> Self {
        Self {
            id: e.id().get(),
            name: e.asset_name().to_string(),
            kind: e.kind().as_str(),
            category: e.category().to_string(),
            initial: e.initial().get(),
            current: e.current().get(),
            public: e.is_public(),
            unique: e.is_unique(),
        }
    }
}

/// A campaign with its pool.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CampaignPoolDoc {
    pub(crate) campaign: CampaignDoc,
    /// Its assets, by kind then name (for the public, the public ones only).
    pub(crate) assets: Vec<PoolEntryDoc>,
}

/// A mission.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MissionDoc {
    pub(crate) id: i64,
    pub(crate) campaign_id: i64,
    pub(crate) name: String,
    pub(crate) description: String,
    /// The day it is played, when set.
    #[schema(format = Date)]
    pub(crate) date: Option<String>,
    pub(crate) location: String,
    /// `Planned`, `InProgress`, `Completed` or `Cancelled`.
    pub(crate) status: &'static str,
    /// Its place in the campaign's order (lower first).
    pub(crate) order_index: i32,
    /// The map's public link, when set.
    pub(crate) map_view_url: Option<String>,
    /// The map's edit link (staff only; always null for the public).
    pub(crate) map_edit_url: Option<String>,
    /// How many events it has, where the answer counts them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) event_count: Option<u64>,
}

impl MissionDoc {
    pub(crate) fn of(m: &Mission) -> Self {
        let d = &m.details;
        Self {
            id: m.id.get(),
            campaign_id: m.campaign_id.get(),
            name: d.name.to_string(),
            description: d.description.to_string(),
            date: d.date.map(|d| d.to_string()),
            location: d.location.to_string(),
            status: m.status.as_str(),
            order_index: m.order_index,
            map_view_url: d.map_view_url.as_ref().map(ToString::to_string),
            map_edit_url: d.map_edit_url.as_ref().map(ToString::to_string),
            event_count: None,
        }
    }

    pub(crate) fn counted(m: &Mission, events: u64) -> Self {
        Self { event_count: Some(events), ..Self::of(m) }
    }
}

/// An asset change of an event.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ChangeDoc {
    pub(crate) id: i64,
    /// The pool entry it moves.
    pub(crate) pool_entry_id: i64,
    /// Signed: negative for a loss.
    pub(crate) delta: i64,
    pub(crate) note: String,
}

impl ChangeDoc {
    fn of(c: &AssetChange) -> Self {
        Self { id: c.id.get(), pool_entry_id: c.pool_entry_id.get(), delta: c.delta.get(), note: c.note.to_string() }
    }
}

/// An event, as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EventDoc {
    pub(crate) id: i64,
    pub(crate) mission_id: i64,
    /// `Combat`, `Logistics`, `Training` or `Other`.
    pub(crate) kind: &'static str,
    pub(crate) title: String,
    pub(crate) description: String,
    #[schema(format = DateTime)]
    pub(crate) occurred_at: String,
    pub(crate) location: String,
    /// Staff notes.
    pub(crate) notes: String,
    pub(crate) changes: Vec<ChangeDoc>,
}

impl EventDoc {
    pub(crate) fn of(e: &Event) -> Self {
        let d = &e.details;
        Self {
            id: e.id.get(),
            mission_id: e.mission_id.get(),
            kind: d.kind.as_str(),
            title: d.title.to_string(),
            description: d.description.to_string(),
            occurred_at: iso(d.occurred_at),
            location: d.location.to_string(),
            notes: d.notes.to_string(),
            changes: e.changes.iter().map(ChangeDoc::of).collect(),
        }
    }
}

/// A mission with every event, as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MissionEventsDoc {
    pub(crate) mission: MissionDoc,
    /// Oldest first.
    pub(crate) events: Vec<EventDoc>,
}

/// A public change of a public event, by asset name.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PublicChangeDoc {
    pub(crate) asset: String,
    pub(crate) delta: i64,
    pub(crate) note: String,
}

/// An event as the public sees it: no staff notes, only changes of public assets.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PublicEventDoc {
    pub(crate) id: i64,
    pub(crate) mission_id: i64,
    pub(crate) mission_name: String,
    pub(crate) kind: &'static str,
    pub(crate) title: String,
    pub(crate) description: String,
    #[schema(format = DateTime)]
    pub(crate) occurred_at: String,
    pub(crate) location: String,
    pub(crate) changes: Vec<PublicChangeDoc>,
}

impl PublicEventDoc {
    pub(crate) fn of(t: TimelineEvent) -> Self {
        let d = &t.event.details;
        Self {
            id: t.event.id.get(),
            mission_id: t.event.mission_id.get(),
            kind: d.kind.as_str(),
            title: d.title.to_string(),
            description: d.description.to_string(),
            occurred_at: iso(d.occurred_at),
            location: d.location.to_string(),
            changes: t.changes.into_iter().map(|(asset, delta, note)| PublicChangeDoc { asset, delta, note }).collect(),
            mission_name: t.mission_name,
        }
    }
}

/// One page of a list, and where the next one starts.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Paged<T> {
    pub(crate) items: Vec<T>,
    /// Pass it as `cursor` for the next page; null on the last page.
    pub(crate) next_cursor: Option<String>,
    /// How many items the whole list holds.
    pub(crate) total: u64,
}

/// A public mission with a page of its events.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PublicMissionDoc {
    pub(crate) mission: MissionDoc,
    /// Oldest first.
    pub(crate) events: Paged<PublicEventDoc>,
}

/// A mission to create, or what to replace a mission's fields with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MissionInputDoc {
    #[schema(min_length = 1, max_length = 200)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) description: String,
    /// `YYYY-MM-DD`, or empty.
    #[serde(default)]
    #[schema(example = "2026-05-01", pattern = "^(|[0-9]{4}-[0-9]{2}-[0-9]{2})$")]
    pub(crate) date: String,
    #[serde(default)]
    pub(crate) location: String,
    /// `Planned` (the default for a new mission), `InProgress`, `Completed` or
    /// `Cancelled`; empty keeps an edited mission's status.
    #[serde(default)]
    #[schema(pattern = "^(|Planned|InProgress|Completed|Cancelled)$")]
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) map_edit_url: String,
    #[serde(default)]
    pub(crate) map_view_url: String,
}

/// One asset change to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangeInputDoc {
    /// The pool entry it moves (an `id` from the campaign's pool).
    pub(crate) pool_entry_id: i64,
    /// Signed and never zero: `-2` is a loss of two.
    #[schema(minimum = -1_000_000, maximum = 1_000_000)]
    pub(crate) delta: i64,
    #[serde(default)]
    pub(crate) note: String,
}

/// An event's fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventFieldsDoc {
    /// `Combat`, `Logistics`, `Training` or `Other`.
    #[schema(pattern = "^(Combat|Logistics|Training|Other)$")]
    pub(crate) kind: String,
    #[schema(min_length = 1, max_length = 200)]
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) description: String,
    /// RFC 3339 (`2026-05-01T18:30:00Z`).
    #[schema(example = "2026-05-01T18:30:00Z", format = DateTime)]
    pub(crate) occurred_at: String,
    #[serde(default)]
    pub(crate) location: String,
    /// Staff notes, never shown to the public.
    #[serde(default)]
    pub(crate) notes: String,
}

/// An event to record, with its asset changes (all or none are applied).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventInputDoc {
    #[schema(pattern = "^(Combat|Logistics|Training|Other)$")]
    pub(crate) kind: String,
    #[schema(min_length = 1, max_length = 200)]
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) description: String,
    /// RFC 3339 (`2026-05-01T18:30:00Z`).
    #[schema(example = "2026-05-01T18:30:00Z", format = DateTime)]
    pub(crate) occurred_at: String,
    #[serde(default)]
    pub(crate) location: String,
    #[serde(default)]
    pub(crate) notes: String,
    #[serde(default)]
    pub(crate) changes: Vec<ChangeInputDoc>,
}

/// A pool entry's new initial quantity (the current one moves by the same amount).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InitialInputDoc {
    #[schema(maximum = 1_000_000)]
    pub(crate) initial: u32,
}

/// Whether the public sees a pool entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublicInputDoc {
    pub(crate) public: bool,
}

/// Whether a pool entry is public, as saved.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PublicStateDoc {
    /// The pool entry's id.
    pub(crate) id: i64,
    pub(crate) public: bool,
}
