//! Events and their asset changes (`EventRepo`). Every write that moves the pool goes
//! through `ledger::apply` in the write's transaction, so an event and its changes are
//! recorded (or deleted, reversing them) all or nothing.

mod repo;

use crate::SqliteStore;
use crate::codec::{ids_json, parsed, utc};
use crate::errors::db;
use application::RepoError;
use application::error::RepoResult;
use application::ports::{Page, PageRequest};
use domain::{
    AssetChange, AssetChangeId, CampaignId, Delta, Description, Event, EventDetails, EventId, EventKind, EventTitle,
    Location, MissionId, Notes, PoolEntryId, ShortText,
};
use sqlx::SqliteConnection;
use std::collections::HashMap;
use time::OffsetDateTime;

const EVENT_COLUMNS: &str = "e.id, e.mission_id, e.kind, e.title, e.description, \
     e.occurred_at, e.location, e.notes";

const CHANGE_COLUMNS: &str = "id, event_id, pool_entry_id, delta, note";

/// The events of a campaign, joined through their missions.
const CAMPAIGN_EVENTS: &str = "FROM events e JOIN missions m ON m.id = e.mission_id \
     WHERE m.campaign_id = ?";

#[derive(sqlx::FromRow)]
struct EventRow {
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
struct ChangeRow {
    id: i64,
    event_id: i64,
    pool_entry_id: i64,
    delta: i64,
    note: String,
}

impl EventRow {
    fn into_event(self, changes: Vec<AssetChange>) -> RepoResult<Event> {
        Ok(Event {
            id: EventId::new(self.id),
            mission_id: MissionId::new(self.mission_id),
            details: EventDetails {
                kind: parsed("event kind", EventKind::parse(&self.kind))?,
                title: parsed("event title", EventTitle::parse(&self.title))?,
                description: parsed("description", Description::parse(&self.description))?,
                occurred_at: utc(self.occurred_at),
                location: parsed("location", Location::parse(&self.location))?,
                notes: parsed("notes", Notes::parse(&self.notes))?,
            },
            changes,
        })
    }
}

impl ChangeRow {
    fn into_change(self) -> RepoResult<AssetChange> {
        Ok(AssetChange {
            id: AssetChangeId::new(self.id),
            event_id: EventId::new(self.event_id),
            pool_entry_id: PoolEntryId::new(self.pool_entry_id),
            delta: parsed("delta", Delta::new(self.delta))?,
            note: parsed("change note", ShortText::parse(&self.note))?,
        })
    }
}

/// The events with their changes (in the order recorded), keeping the events' order.
async fn with_changes(conn: &mut SqliteConnection, rows: Vec<EventRow>) -> RepoResult<Vec<Event>> {
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let changes: Vec<ChangeRow> = sqlx::query_as(&format!(
        "SELECT {CHANGE_COLUMNS} FROM asset_changes \
         WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY id"
    ))
    .bind(ids_json(&ids))
    .fetch_all(conn)
    .await
    .map_err(db)?;
    let mut by_event: HashMap<i64, Vec<AssetChange>> = HashMap::new();
    for change in changes {
        by_event.entry(change.event_id).or_default().push(change.into_change()?);
    }
    rows.into_iter()
        .map(|row| {
            let changes = by_event.remove(&row.id).unwrap_or_default();
            row.into_event(changes)
        })
        .collect()
}

impl SqliteStore {
    /// Events selected by `sql` (binding `id`), with their changes, read in one snapshot.
    async fn events_where(&self, sql: &str, id: i64) -> RepoResult<Vec<Event>> {
        let mut tx = self.pool.begin().await.map_err(RepoError::unexpected)?;
        let rows: Vec<EventRow> = sqlx::query_as(sql).bind(id).fetch_all(&mut *tx).await.map_err(db)?;
        with_changes(&mut tx, rows).await
    }

    async fn read_event(&self, id: EventId) -> RepoResult<Option<Event>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = ?");
        Ok(self.events_where(&sql, id.get()).await?.pop())
    }

    async fn read_change(&self, id: AssetChangeId) -> RepoResult<Option<AssetChange>> {
        let row: Option<ChangeRow> =
            sqlx::query_as(&format!("SELECT {CHANGE_COLUMNS} FROM asset_changes WHERE id = ?"))
                .bind(id.get())
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        row.map(ChangeRow::into_change).transpose()
    }

    async fn read_mission_events(&self, mission: MissionId) -> RepoResult<Vec<Event>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e WHERE e.mission_id = ? \
             ORDER BY e.occurred_at, e.id"
        );
        self.events_where(&sql, mission.get()).await
    }

    async fn read_campaign_events(&self, campaign: CampaignId) -> RepoResult<Vec<Event>> {
        let sql = format!("SELECT {EVENT_COLUMNS} {CAMPAIGN_EVENTS} ORDER BY e.occurred_at, e.id");
        self.events_where(&sql, campaign.get()).await
    }

    async fn read_timeline(&self, campaign: CampaignId, page: PageRequest) -> RepoResult<Page<Event>> {
        let mut tx = self.pool.begin().await.map_err(RepoError::unexpected)?;
        let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) {CAMPAIGN_EVENTS}"))
            .bind(campaign.get())
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let rows: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} {CAMPAIGN_EVENTS} \
             ORDER BY e.occurred_at DESC, e.id DESC LIMIT ? OFFSET ?"
        ))
        .bind(campaign.get())
        .bind(i64::from(page.per_page))
        .bind(parsed("page offset", i64::try_from(page.offset()))?)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        Ok(Page {
            items: with_changes(&mut tx, rows).await?,
            request: page,
            total: parsed("event count", u64::try_from(total))?,
        })
    }
}
