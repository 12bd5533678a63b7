//! Planning campaigns: statuses (one active, closed ones closed), dates, missions and
//! events in the old order, and the order in which their changes are replayed through
//! the ledger (`ledger`): (event time, event id), then change id.
//!
//! Invariant: every change of a campaign reaches the ledger once, in that order; a row
//! whose parent is missing is reported, never silently dropped.

use super::{Planner, preview};
use crate::legacy::findings::FindingKind;
use crate::legacy::plan::{
    AssetRef, LibraryTimes, PlannedCampaign, PlannedEntry, PlannedEvent, PlannedLibrary, PlannedMission,
};
use crate::legacy::snapshot::{LegacyCampaign, LegacyChange, LegacyEvent, LegacyMission};
use domain::{
    CampaignDates, CampaignDetails, CampaignName, CampaignStatus, Description, EventDetails, EventKind, EventTitle,
    Location, MissionDetails, MissionName, MissionStatus, Notes,
};
use std::collections::HashMap;
use time::{Time, UtcDateTime};

impl Planner<'_> {
    /// Every campaign by old id, with what it holds.
    pub(super) fn campaigns(
        &mut self,
        libraries: &[PlannedLibrary],
        assets: &HashMap<i64, AssetRef>,
    ) -> Vec<PlannedCampaign> {
        let old = self.old;
        let mut rows: Vec<&LegacyCampaign> = old.campaigns.iter().collect();
        rows.sort_by_key(|c| c.id);
        let active = rows
            .iter()
            .filter(|c| c.is_active == Some(true) && c.is_closed != Some(true))
            .max_by_key(|c| (c.created_at, c.id))
            .map(|c| c.id);
        let several = rows.iter().filter(|c| c.is_active == Some(true) && c.is_closed != Some(true)).count() > 1;
        let mut missions: HashMap<i64, Vec<&LegacyMission>> = HashMap::new();
        for m in &old.missions {
            missions.entry(m.campaign_id).or_default().push(m);
        }
        let mut events: HashMap<i64, Vec<&LegacyEvent>> = HashMap::new();
        for e in &old.events {
            events.entry(e.mission_id).or_default().push(e);
        }
        let mut changes: HashMap<i64, Vec<&LegacyChange>> = HashMap::new();
        for ch in &old.changes {
            changes.entry(ch.event_id).or_default().push(ch);
        }
        let mut planned = Vec::new();
        for c in rows {
            let subject = format!("campaign {} {}", c.id, preview(&c.name));
            let status = if c.is_closed == Some(true) {
                if c.is_active == Some(true) {
                    self.report.add(FindingKind::ActiveAndClosed, &subject, "active and closed", "imported closed");
                }
                CampaignStatus::Closed
            } else if Some(c.id) == active {
                if several {
                    let done = "kept active: the most recently created of the active ones";
                    self.report.add(FindingKind::SeveralActive, &subject, "active", done);
                }
                CampaignStatus::Active
            } else {
                if c.is_active == Some(true) {
                    let done = "imported as Planned: only one campaign can be active";
                    self.report.add(FindingKind::SeveralActive, &subject, "active", done);
                }
                CampaignStatus::Planned
            };
            let own = missions.remove(&c.id).unwrap_or_default();
            planned.push(self.campaign(c, status, &subject, own, &mut events, &mut changes, libraries, assets));
        }
        let skipped = |what: &str, id: i64, parent: &str, parent_id: i64| {
            (format!("{what} {id}"), format!("its {parent} {parent_id} does not exist"))
        };
        let mut orphans: Vec<(String, String)> = missions
            .values()
            .flatten()
            .map(|m| skipped("mission", m.id, "campaign", m.campaign_id))
            .chain(events.values().flatten().map(|e| skipped("event", e.id, "mission", e.mission_id)))
            .chain(changes.values().flatten().map(|ch| skipped("change", ch.id, "event", ch.event_id)))
            .collect();
        orphans.sort();
        for (subject, found) in orphans {
            self.report.add(FindingKind::RowSkipped, subject, found, "not imported");
        }
        planned
    }

    #[allow(clippy::too_many_arguments)]
    fn campaign(
        &mut self,
        c: &LegacyCampaign,
        status: CampaignStatus,
        subject: &str,
        mut own: Vec<&LegacyMission>,
        events: &mut HashMap<i64, Vec<&LegacyEvent>>,
        changes: &mut HashMap<i64, Vec<&LegacyChange>>,
        libraries: &[PlannedLibrary],
        assets: &HashMap<i64, AssetRef>,
    ) -> PlannedCampaign {
        let fallback = format!("Campaign {}", c.id);
        let name = self.fit(subject, "name", &c.name, CampaignName::MAX_CHARS, CampaignName::parse, &fallback);
        let description = c.description.as_deref().unwrap_or_default();
        let description = self.fit(subject, "description", description, Description::MAX_CHARS, Description::parse, "");
        let created_at = c.created_at.unwrap_or_else(|| {
            self.report.add(FindingKind::ValueAdapted, subject, "no created_at", "created at the import's time");
            self.at
        });
        let first_mission = own.iter().filter_map(|m| m.mission_date).min();
        let start = c.start_date.unwrap_or_else(|| {
            let start = first_mission.unwrap_or(created_at.date()).min(created_at.date());
            self.report.add(FindingKind::ValueAdapted, subject, "no start_date", format!("starts {start}"));
            start
        });
        let mut end = c.end_date.filter(|end| {
            let fine = *end >= start;
            if !fine {
                let found = format!("end_date {end} before start_date {start}");
                self.report.add(FindingKind::ValueAdapted, subject, found, "end date dropped");
            }
            fine
        });
        let closed_at = (status == CampaignStatus::Closed).then_some(self.at);
        if status == CampaignStatus::Closed && end.is_none() {
            // As closing a campaign here does: it ends on the day it is closed.
            let day = self.at.date().max(start);
            self.report.add(FindingKind::ValueAdapted, subject, "closed without an end date", format!("ends {day}"));
            end = Some(day);
        }
        let dates = CampaignDates::new(start, end).unwrap_or_else(|_| unreachable!("end checked against start"));
        let map_edit_url = self.map_url(subject, "map_edit_url", c.map_edit_url.as_deref());
        let map_view_url = self.map_url(subject, "map_view_url", c.map_view_url.as_deref());
        let details = CampaignDetails { name, description, dates, map_edit_url, map_view_url };

        let mut work = self.pool(c, subject, libraries, assets);
        own.sort_by_key(|m| (m.order_index, m.id));
        let mut missions = Vec::new();
        // Every event of the campaign, in the ledger's order: (time, id) → its place.
        let mut order: Vec<(UtcDateTime, i64, usize, usize)> = Vec::new();
        let mut event_rows: Vec<Vec<&LegacyEvent>> = Vec::new();
        for (position, m) in own.iter().enumerate() {
            let mut mine = events.remove(&m.id).unwrap_or_default();
            let day = m.mission_date.map(|d| d.with_time(Time::MIDNIGHT).as_utc());
            mine.sort_by_key(|e| (e.event_date.or(day).unwrap_or(created_at), e.id));
            let mut planned_events = Vec::new();
            for (i, e) in mine.iter().enumerate() {
                let at = self.event_time(e, day.unwrap_or(created_at));
                order.push((at, e.id, missions.len(), i));
                planned_events.push(self.event(e, at));
            }
            event_rows.push(mine);
            missions.push(self.mission(m, position, planned_events));
        }
        order.sort();
        for (_, _, m, e) in order {
            let event = event_rows[m][e];
            let mut rows = changes.remove(&event.id).unwrap_or_default();
            rows.sort_by_key(|ch| ch.id);
            for ch in rows {
                if let Some(change) = self.change(subject, c.id, ch, &mut work, libraries, assets) {
                    missions[m].events[e].changes.push(change);
                }
            }
        }
        let pool = work
            .into_iter()
            .map(|w| {
                let derived = w.entry.current();
                if let Some(stored) = w.stored.filter(|s| *s != i64::from(derived.get())) {
                    let entry = format!("{subject}, asset {} {}", w.old_asset, preview(w.entry.asset_name().as_str()));
                    let found =
                        format!("current_quantity {stored}, but initial {} + changes = {derived}", w.entry.initial());
                    self.report.add(FindingKind::QuantityMismatch, entry, found, format!("stored {derived}"));
                }
                PlannedEntry { asset: w.asset, initial: w.entry.initial(), current: derived, public: w.public }
            })
            .collect();
        let library_times = self.library_times(c, subject, created_at, libraries.len());
        PlannedCampaign { details, status, created_at, closed_at, pool, missions, library_times }
    }

    fn event_time(&mut self, e: &LegacyEvent, fallback: UtcDateTime) -> UtcDateTime {
        e.event_date.unwrap_or_else(|| {
            let subject = format!("event {} {}", e.id, preview(&e.title));
            self.report.add(FindingKind::ValueAdapted, subject, "no event_date", format!("dated {fallback}"));
            fallback
        })
    }

    fn event(&mut self, e: &LegacyEvent, occurred_at: UtcDateTime) -> PlannedEvent {
        let subject = format!("event {} {}", e.id, preview(&e.title));
        let raw_kind = e.event_type.as_deref().unwrap_or_default();
        let kind = EventKind::parse(raw_kind).unwrap_or_else(|_| {
            self.report.add(FindingKind::ValueAdapted, &subject, format!("event_type {}", preview(raw_kind)), "Other");
            EventKind::Other
        });
        let fallback = format!("Event {}", e.id);
        let title = self.fit(&subject, "title", &e.title, EventTitle::MAX_CHARS, EventTitle::parse, &fallback);
        let description = e.description.as_deref().unwrap_or_default();
        let description =
            self.fit(&subject, "description", description, Description::MAX_CHARS, Description::parse, "");
        let location = e.location.as_deref().unwrap_or_default();
        let location = self.fit(&subject, "location", location, Location::MAX_CHARS, Location::parse, "");
        let notes =
            self.fit(&subject, "notes", e.notes.as_deref().unwrap_or_default(), Notes::MAX_CHARS, Notes::parse, "");
        let details = EventDetails { kind, title, description, occurred_at, location, notes };
        PlannedEvent { details, changes: Vec::new() }
    }

    fn mission(&mut self, m: &LegacyMission, position: usize, events: Vec<PlannedEvent>) -> PlannedMission {
        let subject = format!("mission {} {}", m.id, preview(&m.name));
        let fallback = format!("Mission {}", m.id);
        let name = self.fit(&subject, "name", &m.name, MissionName::MAX_CHARS, MissionName::parse, &fallback);
        let description = m.description.as_deref().unwrap_or_default();
        let description =
            self.fit(&subject, "description", description, Description::MAX_CHARS, Description::parse, "");
        let location = m.location.as_deref().unwrap_or_default();
        let location = self.fit(&subject, "location", location, Location::MAX_CHARS, Location::parse, "");
        let raw_status = m.status.as_deref().unwrap_or_default();
        let status = MissionStatus::parse(&raw_status.replace('_', "")).unwrap_or_else(|_| {
            let found = format!("status {}", preview(raw_status));
            self.report.add(FindingKind::ValueAdapted, &subject, found, "Planned");
            MissionStatus::Planned
        });
        let map_edit_url = self.map_url(&subject, "map_edit_url", m.map_edit_url.as_deref());
        let map_view_url = self.map_url(&subject, "map_view_url", m.map_view_url.as_deref());
        let details = MissionDetails { name, description, date: m.mission_date, location, map_edit_url, map_view_url };
        // Positions follow the old order (order_index, then id); gaps and duplicates
        // in the old indexes do not matter.
        let order_index = i32::try_from(position).unwrap_or(i32::MAX);
        PlannedMission { details, status, order_index, events }
    }

    fn library_times(
        &mut self,
        c: &LegacyCampaign,
        subject: &str,
        created_at: UtcDateTime,
        count: usize,
    ) -> Vec<LibraryTimes> {
        let libraries: HashMap<i64, usize> = {
            let mut ids: Vec<i64> = self.old.libraries.iter().map(|l| l.id).collect();
            ids.sort_unstable();
            ids.into_iter().enumerate().map(|(i, id)| (id, i)).filter(|(_, i)| *i < count).collect()
        };
        let mut rows: Vec<_> = self.old.library_imports.iter().filter(|r| r.campaign_id == c.id).collect();
        rows.sort_by_key(|r| r.id);
        let mut times = Vec::new();
        for r in rows {
            let Some(&library) = libraries.get(&r.library_id) else {
                let row = format!("{subject}, library import {}", r.id);
                let found = format!("library {} does not exist", r.library_id);
                self.report.add(FindingKind::RowSkipped, row, found, "not imported");
                continue;
            };
            let imported_at = r.imported_at.unwrap_or(created_at);
            times.push(LibraryTimes { library, imported_at, synced_at: r.last_synced_at });
        }
        times
    }
}
