//! `EventRepo` on SQLite: the reads of `events.rs` and the writes, each one
//! transaction that checks the campaign is open and moves the pool under the ledger
//! guard before touching event or change rows.

use crate::SqliteStore;
use crate::campaigns::ensure_open;
use crate::codec::timestamp;
use crate::errors::{db, required};
use crate::ledger;
use crate::missions::open_mission;
use crate::tx::{Begun, first};
use application::error::RepoResult;
use application::ports::{EventRepo, NewChange, NewEvent, Page, PageRequest};
use domain::{
    AssetChange, AssetChangeId, CampaignId, Event, EventDetails, EventId, IdempotencyKey, MissionId, NewAuditEntry,
    PoolEntryId,
};
use sqlx::SqliteConnection;

/// The campaign of an event, provided the campaign is open.
///
/// # Errors
/// `NotFound("event")`; `Conflict::CampaignClosed`.
async fn open_event(conn: &mut SqliteConnection, id: EventId) -> RepoResult<CampaignId> {
    let campaign: Option<i64> = sqlx::query_scalar(
        "SELECT m.campaign_id FROM events e JOIN missions m ON m.id = e.mission_id \
         WHERE e.id = ?",
    )
    .bind(id.get())
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    let campaign = CampaignId::new(required(campaign, "event")?);
    ensure_open(conn, campaign).await?;
    Ok(campaign)
}

async fn insert_change(conn: &mut SqliteConnection, event: i64, change: &NewChange) -> RepoResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO asset_changes (event_id, pool_entry_id, delta, note) \
         VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(event)
    .bind(change.pool_entry_id.get())
    .bind(change.delta.get())
    .bind(change.note.as_str())
    .fetch_one(conn)
    .await
    .map_err(db)
}

/// The reversal of every change of an event: each delta negated.
async fn reversal_of_event(conn: &mut SqliteConnection, event: EventId) -> RepoResult<Vec<(PoolEntryId, i64)>> {
    let changes: Vec<(i64, i64)> = sqlx::query_as("SELECT pool_entry_id, delta FROM asset_changes WHERE event_id = ?")
        .bind(event.get())
        .fetch_all(conn)
        .await
        .map_err(db)?;
    Ok(changes.into_iter().map(|(entry, delta)| (PoolEntryId::new(entry), -delta)).collect())
}

impl EventRepo for SqliteStore {
    async fn event(&self, id: EventId) -> RepoResult<Option<Event>> {
        self.read_event(id).await
    }

    async fn change(&self, id: AssetChangeId) -> RepoResult<Option<AssetChange>> {
        self.read_change(id).await
    }

    async fn mission_events(&self, mission: MissionId) -> RepoResult<Vec<Event>> {
        self.read_mission_events(mission).await
    }

    async fn campaign_events(&self, campaign: CampaignId) -> RepoResult<Vec<Event>> {
        self.read_campaign_events(campaign).await
    }

    async fn timeline(&self, campaign: CampaignId, page: PageRequest) -> RepoResult<Page<Event>> {
        self.read_timeline(campaign, page).await
    }

    async fn record_event(
        &self,
        new: &NewEvent,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<EventId> {
        let mut write = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return first(ids).map(EventId::new),
            Begun::Run(write) => write,
        };
        let campaign = open_mission(write.conn(), new.mission_id).await?;
        let moves = new.changes.iter().map(|c| (c.pool_entry_id, c.delta.get()));
        ledger::apply(write.conn(), campaign, moves).await?;
        let details = &new.details;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO events (mission_id, kind, title, description, occurred_at, location, \
             notes) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(new.mission_id.get())
        .bind(details.kind.as_str())
        .bind(details.title.as_str())
        .bind(details.description.as_str())
        .bind(timestamp(details.occurred_at)?)
        .bind(details.location.as_str())
        .bind(details.notes.as_str())
        .fetch_one(write.conn())
        .await
        .map_err(db)?;
        for change in &new.changes {
            insert_change(write.conn(), id, change).await?;
        }
        write.commit(&[id]).await?;
        Ok(EventId::new(id))
    }

    async fn update_event(&self, id: EventId, details: &EventDetails, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        open_event(write.conn(), id).await?;
        sqlx::query(
            "UPDATE events SET kind = ?, title = ?, description = ?, occurred_at = ?, \
             location = ?, notes = ? WHERE id = ?",
        )
        .bind(details.kind.as_str())
        .bind(details.title.as_str())
        .bind(details.description.as_str())
        .bind(timestamp(details.occurred_at)?)
        .bind(details.location.as_str())
        .bind(details.notes.as_str())
        .bind(id.get())
        .execute(write.conn())
        .await
        .map_err(db)?;
        write.commit(&[]).await
    }

    async fn add_change(
        &self,
        event: EventId,
        change: &NewChange,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<AssetChangeId> {
        let mut write = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return first(ids).map(AssetChangeId::new),
            Begun::Run(write) => write,
        };
        let campaign = open_event(write.conn(), event).await?;
        let moves = [(change.pool_entry_id, change.delta.get())];
        ledger::apply(write.conn(), campaign, moves).await?;
        let id = insert_change(write.conn(), event.get(), change).await?;
        write.commit(&[id]).await?;
        Ok(AssetChangeId::new(id))
    }

    async fn delete_change(&self, id: AssetChangeId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        let change: Option<(i64, i64, i64)> =
            sqlx::query_as("SELECT event_id, pool_entry_id, delta FROM asset_changes WHERE id = ?")
                .bind(id.get())
                .fetch_optional(write.conn())
                .await
                .map_err(db)?;
        let (event, entry, delta) = required(change, "asset change")?;
        let campaign = open_event(write.conn(), EventId::new(event)).await?;
        let moves = [(PoolEntryId::new(entry), -delta)];
        ledger::apply(write.conn(), campaign, moves).await?;
        sqlx::query("DELETE FROM asset_changes WHERE id = ?").bind(id.get()).execute(write.conn()).await.map_err(db)?;
        write.commit(&[]).await
    }

    async fn delete_event(&self, id: EventId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        let campaign = open_event(write.conn(), id).await?;
        let reversal = reversal_of_event(write.conn(), id).await?;
        ledger::apply(write.conn(), campaign, reversal).await?;
        // Its changes go with it (ON DELETE CASCADE).
        sqlx::query("DELETE FROM events WHERE id = ?").bind(id.get()).execute(write.conn()).await.map_err(db)?;
        write.commit(&[]).await
    }
}
