//! Events and their asset changes (`EventRepo`). Reads take one statement for the
//! events and one for all their changes, in one snapshot; every write that moves the
//! pool goes through `ledger::apply` in the write's transaction, so an event and its
//! changes are recorded (or deleted, reversing them) all or nothing. Every write moves
//! the pool before it inserts or deletes change rows, so the first lock it takes on an
//! entry is the ledger's (a foreign key's share lock taken first and upgraded later
//! deadlocks against a concurrent reversal).

use crate::SqlStore;
use crate::dialect::{Arg, Dialect, Lock};
use crate::errors::{required, stored};
use crate::guards::{open_event, open_mission};
use crate::ledger;
use crate::query::{Exec, Row, Sql};
use crate::write::{Begun, replayed};
use application::error::RepoResult;
use application::ports::{EventRepo, NewChange, NewEvent, Page, PageRequest};
use domain::{
    AssetChange, AssetChangeId, CampaignId, Delta, Description, Event, EventDetails, EventId, EventKind, EventTitle,
    IdempotencyKey, Location, MissionId, NewAuditEntry, Notes, PoolEntryId, ShortText,
};
use std::collections::HashMap;

const EVENT_COLUMNS: &str = "e.id, e.mission_id, e.kind, e.title, e.description, \
     e.occurred_at, e.location, e.notes";

/// The event columns without a table alias, for `query::prefixed`.
pub(crate) const EVENT_FIELDS: &str = "id, mission_id, kind, title, description, occurred_at, location, notes";

pub(crate) const CHANGE_COLUMNS: &str = "id, event_id, pool_entry_id, delta, note";

const CAMPAIGN_EVENTS: &str = "FROM events e JOIN missions m ON m.id = e.mission_id WHERE m.campaign_id = $1";

/// A stored change turned around: the move that undoes it.
pub(crate) fn reversal<D: Dialect>(r: Row<'_, D>) -> RepoResult<(PoolEntryId, i64)> {
    Ok((PoolEntryId::new(r.get("pool_entry_id")?), -r.get::<i64>("delta")?))
}

pub(crate) fn change<D: Dialect>(r: Row<'_, D>) -> RepoResult<AssetChange> {
    Ok(AssetChange {
        id: AssetChangeId::new(r.get("id")?),
        event_id: EventId::new(r.get("event_id")?),
        pool_entry_id: PoolEntryId::new(r.get("pool_entry_id")?),
        delta: stored("asset_changes.delta", Delta::new(r.get("delta")?))?,
        note: stored("asset_changes.note", ShortText::parse(&r.get::<String>("note")?))?,
    })
}

pub(crate) fn event<D: Dialect>(r: Row<'_, D>) -> RepoResult<Event> {
    Ok(Event {
        id: EventId::new(r.get("id")?),
        mission_id: MissionId::new(r.get("mission_id")?),
        details: EventDetails {
            kind: stored("events.kind", EventKind::parse(&r.get::<String>("kind")?))?,
            title: stored("events.title", EventTitle::parse(&r.get::<String>("title")?))?,
            description: stored("events.description", Description::parse(&r.get::<String>("description")?))?,
            occurred_at: r.get("occurred_at")?,
            location: stored("events.location", Location::parse(&r.get::<String>("location")?))?,
            notes: stored("events.notes", Notes::parse(&r.get::<String>("notes")?))?,
        },
        changes: Vec::new(),
    })
}

/// The events of `sql` (bound to `args`) with their changes, in the query's order.
pub(crate) async fn events_with_changes<E: Exec>(on: &mut E, sql: Sql<'_>) -> RepoResult<Vec<Event>> {
    let mut events = sql.all_as(on, event).await?;
    if events.is_empty() {
        return Ok(events);
    }
    let ids = events.iter().map(|e| e.id.get()).collect();
    let changes =
        format!("SELECT {CHANGE_COLUMNS} FROM asset_changes WHERE {} ORDER BY id", E::D::any_id("event_id", "$1"));
    let mut by_event: HashMap<EventId, Vec<AssetChange>> = HashMap::new();
    for change in Sql::new(changes).bind(Arg::Ids(ids)).all_as(on, change).await? {
        by_event.entry(change.event_id).or_default().push(change);
    }
    for event in &mut events {
        event.changes = by_event.remove(&event.id).unwrap_or_default();
    }
    Ok(events)
}

/// A mission's events in time order, read on `on`.
pub(crate) async fn read_mission_events<E: Exec>(on: &mut E, mission: MissionId) -> RepoResult<Vec<Event>> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.mission_id = $1 ORDER BY e.occurred_at, e.id");
    events_with_changes(on, Sql::new(sql).bind(mission.get())).await
}

/// A campaign's events in time order, read on `on`.
pub(crate) async fn read_campaign_events<E: Exec>(on: &mut E, campaign: CampaignId) -> RepoResult<Vec<Event>> {
    let sql = format!("SELECT {EVENT_COLUMNS} {CAMPAIGN_EVENTS} ORDER BY e.occurred_at, e.id");
    events_with_changes(on, Sql::new(sql).bind(campaign.get())).await
}

/// One event with its changes, read on `on`.
pub(crate) async fn read_event<E: Exec>(on: &mut E, id: EventId) -> RepoResult<Option<Event>> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = $1");
    Ok(events_with_changes(on, Sql::new(sql).bind(id.get())).await?.pop())
}

/// Binds an event's fields, in column order, after the statement's first value.
pub(crate) fn with_details<'s>(sql: Sql<'s>, details: &EventDetails) -> Sql<'s> {
    sql.bind(details.kind.as_str())
        .bind(details.title.as_str())
        .bind(details.description.as_str())
        .bind(details.occurred_at)
        .bind(details.location.as_str())
        .bind(details.notes.as_str())
}

async fn insert_change<E: Exec>(on: &mut E, event: i64, change: &NewChange) -> RepoResult<i64> {
    Sql::new("INSERT INTO asset_changes (event_id, pool_entry_id, delta, note) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(event)
        .bind(change.pool_entry_id.get())
        .bind(change.delta.get())
        .bind(change.note.as_str())
        .returning_id(on)
        .await
}

/// An event's changes (of entries the ledger has just moved), in one statement per
/// [`crate::query::BATCH`] of them.
pub(crate) async fn insert_changes<E: Exec>(on: &mut E, event: i64, changes: &[NewChange]) -> RepoResult<()> {
    for batch in changes.chunks(crate::query::BATCH) {
        // $1 the event, then (entry, delta, note) triples from $2.
        let rows = (0..batch.len())
            .map(|n| format!("($1, ${}, ${}, ${})", 2 + 3 * n, 3 + 3 * n, 4 + 3 * n))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO asset_changes (event_id, pool_entry_id, delta, note) VALUES {rows}");
        let mut sql = Sql::new(sql).bind(event);
        for change in batch {
            sql = sql.bind(change.pool_entry_id.get()).bind(change.delta.get()).bind(change.note.as_str());
        }
        sql.execute(on).await?;
    }
    Ok(())
}

impl<D: Dialect> EventRepo for SqlStore<D> {
    async fn event(&self, id: EventId) -> RepoResult<Option<Event>> {
        self.in_snapshot(async |s| read_event(s, id).await).await
    }

    async fn change(&self, id: AssetChangeId) -> RepoResult<Option<AssetChange>> {
        let sql = format!("SELECT {CHANGE_COLUMNS} FROM asset_changes WHERE id = $1");
        Sql::new(sql).bind(id.get()).optional_as(&mut self.conn().await?, change).await
    }

    async fn mission_events(&self, mission: MissionId) -> RepoResult<Vec<Event>> {
        self.in_snapshot(async |s| read_mission_events(s, mission).await).await
    }

    async fn campaign_events(&self, campaign: CampaignId) -> RepoResult<Vec<Event>> {
        self.in_snapshot(async |s| read_campaign_events(s, campaign).await).await
    }

    async fn timeline(&self, campaign: CampaignId, page: PageRequest) -> RepoResult<Page<Event>> {
        self.in_snapshot(async |s| {
            let total: u64 = Sql::new(format!("SELECT count(*) AS total {CAMPAIGN_EVENTS}"))
                .bind(campaign.get())
                .value(s, "total")
                .await?
                .unwrap_or(0);
            let sql = format!(
                "SELECT {EVENT_COLUMNS} {CAMPAIGN_EVENTS} ORDER BY e.occurred_at DESC, e.id DESC LIMIT $2 OFFSET $3"
            );
            let offset = stored("page offset", i64::try_from(page.offset()))?;
            let sql = Sql::new(sql).bind(campaign.get()).bind(page.per_page).bind(offset);
            let items = events_with_changes(s, sql).await?;
            Ok(Page { items, request: page, total })
        })
        .await
    }

    async fn record_event(
        &self,
        new: &NewEvent,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<EventId> {
        let mut w = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return replayed(&ids).map(EventId::new),
            Begun::Run(w) => w,
        };
        let campaign = open_mission(&mut w, new.mission_id, Some(Lock::KeyShare)).await?;
        // The pool moves first: its entries' locks must be the first any write takes on
        // them. Inserting the changes first would take a foreign key's share lock on each
        // entry and upgrade it in the ledger, which deadlocks against a concurrent
        // reversal (seen in the contract suite).
        ledger::apply(&mut w, campaign, new.changes.iter().map(|c| (c.pool_entry_id, c.delta.get()))).await?;
        let sql = Sql::new(
            "INSERT INTO events (mission_id, kind, title, description, occurred_at, location, notes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.mission_id.get());
        let id = with_details(sql, &new.details).returning_id(&mut w).await?;
        insert_changes(&mut w, id, &new.changes).await?;
        w.commit(&[id]).await?;
        Ok(EventId::new(id))
    }

    async fn update_event(&self, id: EventId, details: &EventDetails, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        open_event(&mut w, id, None).await?;
        let sql = Sql::new(
            "UPDATE events SET kind = $2, title = $3, description = $4, occurred_at = $5, \
             location = $6, notes = $7 WHERE id = $1",
        );
        with_details(sql.bind(id.get()), details).execute(&mut w).await?;
        w.commit(&[]).await
    }

    async fn add_change(
        &self,
        event: EventId,
        change: &NewChange,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<AssetChangeId> {
        let mut w = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return replayed(&ids).map(AssetChangeId::new),
            Begun::Run(w) => w,
        };
        let campaign = open_event(&mut w, event, Some(Lock::KeyShare)).await?;
        ledger::apply(&mut w, campaign, [(change.pool_entry_id, change.delta.get())]).await?;
        let id = insert_change(&mut w, event.get(), change).await?;
        w.commit(&[id]).await?;
        Ok(AssetChangeId::new(id))
    }

    async fn delete_change(&self, id: AssetChangeId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let sql = format!(
            "SELECT event_id, pool_entry_id, delta FROM asset_changes WHERE id = $1{}",
            D::lock(Lock::Update, "asset_changes")
        );
        let found = Sql::new(sql).bind(id.get()).optional_as(&mut w, |r| {
            Ok((EventId::new(r.get("event_id")?), PoolEntryId::new(r.get("pool_entry_id")?), r.get::<i64>("delta")?))
        });
        let (event, entry, delta) = required(found.await?, "asset change")?;
        let campaign = open_event(&mut w, event, None).await?;
        ledger::apply(&mut w, campaign, [(entry, -delta)]).await?;
        Sql::new("DELETE FROM asset_changes WHERE id = $1").bind(id.get()).execute(&mut w).await?;
        w.commit(&[]).await
    }

    async fn delete_event(&self, id: EventId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let campaign = open_event(&mut w, id, Some(Lock::Update)).await?;
        let sql = format!(
            "SELECT pool_entry_id, delta FROM asset_changes WHERE event_id = $1 ORDER BY id{}",
            D::lock(Lock::Update, "asset_changes")
        );
        let reversal = Sql::new(sql).bind(id.get()).all_as(&mut w, reversal).await?;
        ledger::apply(&mut w, campaign, reversal).await?;
        // Its changes go with it (ON DELETE CASCADE).
        Sql::new("DELETE FROM events WHERE id = $1").bind(id.get()).execute(&mut w).await?;
        w.commit(&[]).await
    }
}
