//! The view models the public pages share: a campaign's header, pool rows grouped by
//! kind, missions with their events, and asset changes with signed deltas.
//!
//! Invariant: views hold plain strings and numbers made from the public read models
//! (which already leave out hidden entries); a delta is always shown with its sign.

use crate::web::{iso, signed, trend};
use application::public::TimelineEvent;
use domain::{AssetKind, Campaign, Event, Mission, MissionStatus, PoolEntry, PoolEntryId};
use serde::Serialize;
use std::collections::HashMap;

/// A campaign's name, dates, description and public map link.
#[derive(Debug, Clone, Serialize)]
pub(super) struct CampaignView {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) start: String,
    pub(super) end: Option<String>,
    pub(super) description: String,
    pub(super) map_view_url: Option<String>,
}

impl CampaignView {
    pub(super) fn new(campaign: &Campaign) -> Self {
        let details = campaign.details();
        Self {
            id: campaign.id().get(),
            name: details.name.to_string(),
            start: details.dates.start().to_string(),
            end: details.dates.end().map(|d| d.to_string()),
            description: details.description.to_string(),
            map_view_url: details.map_view_url.as_ref().map(ToString::to_string),
        }
    }
}

/// One pool entry: `<tr data-asset>` with the current quantity in `<td data-current>`.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PoolRowView {
    pub(super) name: String,
    pub(super) category: String,
    pub(super) initial: u32,
    pub(super) current: u32,
    /// The gain or loss since the start, signed ("+2", "-1", "0").
    pub(super) change: String,
    /// `gain`, `loss` or empty: the CSS class of `change`.
    pub(super) trend: &'static str,
    pub(super) depleted: bool,
    pub(super) low: bool,
}

impl PoolRowView {
    fn new(entry: &PoolEntry) -> Self {
        let current = entry.current().get();
        Self {
            name: entry.asset_name().to_string(),
            category: entry.category().to_string(),
            initial: entry.initial().get(),
            current,
            change: signed(entry.net_change()),
            trend: trend(entry.net_change()),
            depleted: entry.is_depleted(),
            low: entry.is_low(),
        }
    }
}

/// The pool entries of one kind.
#[derive(Debug, Clone, Serialize)]
pub(super) struct KindGroupView {
    pub(super) kind: &'static str,
    pub(super) rows: Vec<PoolRowView>,
}

/// `entries` grouped by kind, in the kinds' display order, each group by name.
pub(super) fn grouped_pool<'a>(entries: impl IntoIterator<Item = &'a PoolEntry>) -> Vec<KindGroupView> {
    let mut by_kind: HashMap<AssetKind, Vec<&PoolEntry>> = HashMap::new();
    for entry in entries {
        by_kind.entry(entry.kind()).or_default().push(entry);
    }
    AssetKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let mut entries = by_kind.remove(&kind)?;
            entries.sort_by(|a, b| a.asset_name().as_str().cmp(b.asset_name().as_str()));
            Some(KindGroupView { kind: kind.as_str(), rows: entries.into_iter().map(PoolRowView::new).collect() })
        })
        .collect()
}

/// One asset change: `<li data-change="ASSET">` showing the signed delta.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ChangeView {
    pub(super) asset: String,
    pub(super) delta: String,
    pub(super) trend: &'static str,
    pub(super) note: String,
}

impl ChangeView {
    pub(super) fn new(asset: String, delta: i64, note: String) -> Self {
        Self { asset, delta: signed(delta), trend: trend(delta), note }
    }
}

/// One event: `<article data-event="TITLE">` with its changes.
#[derive(Debug, Clone, Serialize)]
pub(super) struct EventView {
    pub(super) title: String,
    pub(super) kind: &'static str,
    /// When it happened, RFC 3339 in UTC, for `local_time`.
    pub(super) at: String,
    pub(super) location: String,
    pub(super) description: String,
    /// The mission's name (the timeline names it; elsewhere it is blank).
    pub(super) mission: String,
    pub(super) changes: Vec<ChangeView>,
}

impl EventView {
    /// `event` with its changes named from `names` (the public entries' asset names).
    pub(super) fn new(event: &Event, names: &HashMap<PoolEntryId, String>) -> Self {
        let changes = event
            .changes
            .iter()
            .map(|c| {
                let asset = names.get(&c.pool_entry_id).cloned().unwrap_or_default();
                ChangeView::new(asset, c.delta.get(), c.note.to_string())
            })
            .collect();
        Self::with_changes(event, String::new(), changes)
    }

    /// `event` of `mission` with `changes` already named.
    pub(super) fn with_changes(event: &Event, mission: String, changes: Vec<ChangeView>) -> Self {
        let details = &event.details;
        Self {
            title: details.title.to_string(),
            kind: details.kind.as_str(),
            at: iso(details.occurred_at),
            location: details.location.to_string(),
            description: details.description.to_string(),
            mission,
            changes,
        }
    }
}

/// A mission with its status badge and its events.
#[derive(Debug, Clone, Serialize)]
pub(super) struct MissionView {
    /// The mission's public page.
    pub(super) href: String,
    pub(super) name: String,
    pub(super) status: &'static str,
    pub(super) date: Option<String>,
    pub(super) location: String,
    pub(super) description: String,
    pub(super) map_view_url: Option<String>,
    pub(super) events: Vec<EventView>,
    /// How many events the mission has in all.
    pub(super) event_count: u64,
    /// How many of them are not shown here.
    pub(super) more_events: u64,
}

impl MissionView {
    /// The mission with `events` of its `event_count` events.
    pub(super) fn new(mission: &Mission, events: Vec<EventView>, event_count: u64) -> Self {
        let details = &mission.details;
        let more_events = event_count.saturating_sub(events.len() as u64);
        Self {
            href: format!("/missions/{}", mission.id),
            name: details.name.to_string(),
            status: status_label(mission.status),
            date: details.date.map(|d| d.to_string()),
            location: details.location.to_string(),
            description: details.description.to_string(),
            map_view_url: details.map_view_url.as_ref().map(ToString::to_string),
            events,
            event_count,
            more_events,
        }
    }
}

/// Events as the public read models carry them (changes by asset name), as views.
pub(super) fn timeline_event_views(items: &[TimelineEvent]) -> Vec<EventView> {
    items
        .iter()
        .map(|item| {
            let changes = item
                .changes
                .iter()
                .map(|(asset, delta, note)| ChangeView::new(asset.clone(), *delta, note.clone()))
                .collect();
            EventView::with_changes(&item.event, item.mission_name.clone(), changes)
        })
        .collect()
}

/// A mission status as a person reads it.
pub(super) fn status_label(status: MissionStatus) -> &'static str {
    match status {
        MissionStatus::Planned => "Planned",
        MissionStatus::InProgress => "In progress",
        MissionStatus::Completed => "Completed",
        MissionStatus::Cancelled => "Cancelled",
    }
}

/// Views for the template fixtures: every branch of the shared markup renders.
#[cfg(test)]
pub(super) mod fixtures {
    use super::*;

    pub(in crate::pages::public) fn campaign() -> CampaignView {
        CampaignView {
            id: 7,
            name: "Operation Harvest".into(),
            start: "2026-01-01".into(),
            end: Some("2026-03-31".into()),
            description: "Retake the island.".into(),
            map_view_url: Some("https://maps.example.com/view".into()),
        }
    }

    fn row(name: &str, initial: u32, current: u32, low: bool) -> PoolRowView {
        let change = i64::from(current) - i64::from(initial);
        PoolRowView {
            name: name.into(),
            category: "Tank".into(),
            initial,
            current,
            change: signed(change),
            trend: trend(change),
            depleted: current == 0,
            low,
        }
    }

    pub(in crate::pages::public) fn pool() -> Vec<KindGroupView> {
        vec![
            KindGroupView { kind: "Vehicle", rows: vec![row("M2A1 Slammer", 4, 2, true), row("Hunter", 2, 3, false)] },
            KindGroupView { kind: "Aircraft", rows: vec![row("AH-99 Blackfoot", 1, 0, false)] },
        ]
    }

    pub(in crate::pages::public) fn event() -> EventView {
        EventView {
            title: "Ambush at Kavala".into(),
            kind: "Combat",
            at: "2026-01-05T20:30:00Z".into(),
            location: "Kavala".into(),
            description: "Lost two tanks.".into(),
            mission: "Kavala".into(),
            changes: vec![
                ChangeView::new("M2A1 Slammer".into(), -2, "mines".into()),
                ChangeView::new("Hunter".into(), 1, String::new()),
            ],
        }
    }

    pub(in crate::pages::public) fn missions() -> Vec<MissionView> {
        let quiet = EventView { changes: Vec::new(), description: String::new(), location: String::new(), ..event() };
        vec![
            MissionView {
                href: "/missions/3".into(),
                name: "Kavala".into(),
                status: "Completed",
                date: Some("2026-01-05".into()),
                location: "Kavala".into(),
                description: "Take the town.".into(),
                map_view_url: Some("https://maps.example.com/kavala".into()),
                events: vec![event(), quiet],
                event_count: 14,
                more_events: 12,
            },
            MissionView {
                href: "/missions/4".into(),
                name: "Pyrgos".into(),
                status: "Planned",
                date: None,
                location: String::new(),
                description: String::new(),
                map_view_url: None,
                events: Vec::new(),
                event_count: 0,
                more_events: 0,
            },
        ]
    }
}
