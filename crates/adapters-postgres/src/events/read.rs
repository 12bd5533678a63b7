//! Reading events with their asset changes: one query for the events, one for all
//! their changes, joined in memory (changes in the order they were recorded).

use crate::convert::{from_db, stored};
use crate::errors::db;
use application::RepoError;
use application::error::RepoResult;
use domain::{
    AssetChange, AssetChangeId, Delta, Description, Event, EventDetails, EventId, EventKind, EventTitle, Location,
    MissionId, Notes, PoolEntryId, ShortText,
};
use sqlx::PgPool;
use std::collections::HashMap;
use time::OffsetDateTime;

/// The columns of an event, prefixed by the `events` alias `e`, in `EventRow` order.
pub(super) const EVENT_COLUMNS: &str =
    "e.id, e.mission_id, e.kind, e.title, e.description, e.occurred_at, e.location, e.notes";

/// The columns of an asset change, in `ChangeRow` order.
pub(super) const CHANGE_COLUMNS: &str = "id, event_id, pool_entry_id, delta, note";

#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    id: i64,
    mission_id: i64,
    kind: String,
    title: String,
    description: String,
    occurred_at: OffsetDateTime,
    location: String,
    notes: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct ChangeRow {
    id: i64,
    event_id: i64,
    pool_entry_id: i64,
    delta: i32,
    note: String,
}

impl TryFrom<ChangeRow> for AssetChange {
    type Error = RepoError;

    fn try_from(r: ChangeRow) -> RepoResult<Self> {
        Ok(AssetChange {
            id: AssetChangeId::new(r.id),
            event_id: EventId::new(r.event_id),
            pool_entry_id: PoolEntryId::new(r.pool_entry_id),
            delta: stored("asset_changes.delta", Delta::new(i64::from(r.delta)))?,
            note: stored("asset_changes.note", ShortText::parse(&r.note))?,
        })
    }
}

fn details(r: &EventRow) -> RepoResult<EventDetails> {
    Ok(EventDetails {
        kind: stored("events.kind", EventKind::parse(&r.kind))?,
        title: stored("events.title", EventTitle::parse(&r.title))?,
        description: stored("events.description", Description::parse(&r.description))?,
        occurred_at: from_db(r.occurred_at),
        location: stored("events.location", Location::parse(&r.location))?,
        notes: stored("events.notes", Notes::parse(&r.notes))?,
    })
}

/// The events of `rows`, in that order, each with its changes.
pub(super) async fn with_changes(pool: &PgPool, rows: Vec<EventRow>) -> RepoResult<Vec<Event>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let sql = format!("SELECT {CHANGE_COLUMNS} FROM asset_changes WHERE event_id = ANY($1) ORDER BY id");
    let changes: Vec<ChangeRow> = sqlx::query_as(&sql).bind(&ids).fetch_all(pool).await.map_err(db)?;
    let mut by_event: HashMap<i64, Vec<AssetChange>> = HashMap::new();
    for change in changes {
        let event = change.event_id;
        by_event.entry(event).or_default().push(change.try_into()?);
    }
    rows.into_iter()
        .map(|r| {
            Ok(Event {
                id: EventId::new(r.id),
                mission_id: MissionId::new(r.mission_id),
                details: details(&r)?,
                changes: by_event.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect()
}
