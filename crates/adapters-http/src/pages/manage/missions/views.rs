//! The view pieces the mission and event pages share: select options, status labels,
//! events with their changes, restorations, and the event fields form.
//!
//! Invariant: domain values become plain strings and numbers here; templates never see
//! a domain type.

use crate::web::{iso, signed};
use application::events::{EventFields, Restoration};
use domain::{AssetChange, Event, EventKind, MissionStatus, PoolEntry};
use serde::{Deserialize, Serialize};
use time::UtcDateTime;
use time::macros::format_description;

/// One `<option>` of a select (the `select_field` component's shape).
#[derive(Debug, Clone, Serialize)]
pub(super) struct SelectOption {
    pub(super) value: String,
    pub(super) label: String,
}

/// How a mission status reads.
pub(super) fn status_label(status: MissionStatus) -> &'static str {
    match status {
        MissionStatus::Planned => "Planned",
        MissionStatus::InProgress => "In progress",
        MissionStatus::Completed => "Completed",
        MissionStatus::Cancelled => "Cancelled",
    }
}

/// Every mission status, for a select.
pub(super) fn status_options() -> Vec<SelectOption> {
    MissionStatus::ALL
        .into_iter()
        .map(|s| SelectOption { value: s.as_str().to_owned(), label: status_label(s).to_owned() })
        .collect()
}

/// Every event kind, for a select.
pub(super) fn kind_options() -> Vec<SelectOption> {
    EventKind::ALL
        .into_iter()
        .map(|k| SelectOption { value: k.as_str().to_owned(), label: k.as_str().to_owned() })
        .collect()
}

/// The pool's entries as "NAME (current N)", after a blank "Choose an asset" option.
pub(super) fn entry_options(pool: &[PoolEntry]) -> Vec<SelectOption> {
    let blank = SelectOption { value: String::new(), label: "Choose an asset".to_owned() };
    let entries = pool.iter().map(|e| SelectOption {
        value: e.id().to_string(),
        label: format!("{} (current {})", e.asset_name(), e.current()),
    });
    std::iter::once(blank).chain(entries).collect()
}

/// An instant as a `datetime-local` input's value, in UTC: `2026-03-14T18:30`.
pub(super) fn datetime_local(at: UtcDateTime) -> String {
    at.format(format_description!("[year]-[month]-[day]T[hour]:[minute]")).unwrap_or_default()
}

/// One asset change as shown.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ChangeView {
    pub(super) id: i64,
    pub(super) asset: String,
    pub(super) delta: String,
    pub(super) gain: bool,
    pub(super) note: String,
}

impl ChangeView {
    /// `change`, named from `pool`.
    pub(super) fn new(change: &AssetChange, pool: &[PoolEntry]) -> Self {
        let asset = pool
            .iter()
            .find(|e| e.id() == change.pool_entry_id)
            .map_or_else(|| format!("Pool entry {}", change.pool_entry_id), |e| e.asset_name().to_string());
        Self {
            id: change.id.get(),
            asset,
            delta: signed(change.delta.get()),
            gain: change.delta.get() > 0,
            note: change.note.to_string(),
        }
    }
}

/// An event in a list, with its changes.
#[derive(Debug, Clone, Serialize)]
pub(super) struct EventSummary {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) kind: &'static str,
    pub(super) occurred_at: String,
    pub(super) location: String,
    pub(super) changes: Vec<ChangeView>,
}

impl EventSummary {
    /// `event`, its changes named from `pool`.
    pub(super) fn new(event: &Event, pool: &[PoolEntry]) -> Self {
        Self {
            id: event.id.get(),
            title: event.details.title.to_string(),
            kind: event.details.kind.as_str(),
            occurred_at: iso(event.details.occurred_at),
            location: event.details.location.to_string(),
            changes: event.changes.iter().map(|c| ChangeView::new(c, pool)).collect(),
        }
    }
}

/// One entry's quantity now and after a deletion.
#[derive(Debug, Clone, Serialize)]
pub(super) struct RestorationView {
    pub(super) asset: String,
    pub(super) current: u32,
    pub(super) after: u32,
    pub(super) difference: String,
    pub(super) gain: bool,
}

impl RestorationView {
    /// Every restoration, in the use case's (pool) order.
    pub(super) fn all(restorations: &[Restoration]) -> Vec<Self> {
        restorations
            .iter()
            .map(|r| {
                let difference = i64::from(r.after.get()) - i64::from(r.current.get());
                Self {
                    asset: r.asset_name.clone(),
                    current: r.current.get(),
                    after: r.after.get(),
                    difference: signed(difference),
                    gain: difference > 0,
                }
            })
            .collect()
    }
}

/// An event's own fields as typed (the new-event and edit forms).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(super) struct EventFieldsForm {
    #[serde(default)]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) occurred_at: String,
    #[serde(default)]
    pub(super) location: String,
    #[serde(default)]
    pub(super) notes: String,
}

impl EventFieldsForm {
    /// The form filled with `event`'s fields.
    pub(super) fn of(event: &Event) -> Self {
        let d = &event.details;
        Self {
            kind: d.kind.as_str().to_owned(),
            title: d.title.to_string(),
            description: d.description.to_string(),
            occurred_at: datetime_local(d.occurred_at),
            location: d.location.to_string(),
            notes: d.notes.to_string(),
        }
    }

    /// The use case's command.
    pub(super) fn command(&self) -> EventFields {
        EventFields {
            kind: self.kind.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            occurred_at: self.occurred_at.clone(),
            location: self.location.clone(),
            notes: self.notes.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::utc_datetime;

    #[test]
    fn instants_fill_datetime_local_inputs_in_utc_to_the_minute() {
        assert_eq!(datetime_local(utc_datetime!(2026-03-14 18:30:45)), "2026-03-14T18:30");
    }

    #[test]
    fn statuses_read_as_words() {
        let labels: Vec<String> = status_options().into_iter().map(|o| o.label).collect();
        assert_eq!(labels, ["Planned", "In progress", "Completed", "Cancelled"]);
    }
}
