//! Events of missions and their asset changes, which move the pool under the ledger
//! rule in the same transaction that records (or deletes) them.
//!
//! Invariants: an event's changes are applied all or nothing; deleting a change or
//! an event reverses each change exactly; the rows being deleted are locked before
//! the pool (see `guards`), so a change is never reversed twice.

mod read;

use crate::convert::{stored, to_db};
use crate::errors::db;
use crate::guards::{self, Row};
use crate::tx::{Begun, replayed_one};
use crate::{PgStore, ledger};
use application::RepoError;
use application::error::RepoResult;
use application::ports::{EventRepo, NewChange, NewEvent, Page, PageRequest};
use domain::{
    AssetChange, AssetChangeId, CampaignId, Event, EventDetails, EventId, IdempotencyKey, MissionId, NewAuditEntry,
    PoolEntryId,
};
use read::{CHANGE_COLUMNS, ChangeRow, EVENT_COLUMNS, EventRow, with_changes};
use sqlx::PgConnection;

/// The events of a campaign, joined through their missions.
const OF_CAMPAIGN: &str = "FROM events e JOIN missions m ON m.id = e.mission_id WHERE m.campaign_id = $1";

/// Inserts a change row and returns its id.
async fn insert_change(conn: &mut PgConnection, event: i64, change: &NewChange) -> RepoResult<i64> {
    let delta = stored("delta", i32::try_from(change.delta.get()))?;
    sqlx::query_scalar(
        "INSERT INTO asset_changes (event_id, pool_entry_id, delta, note) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(event)
    .bind(change.pool_entry_id.get())
    .bind(delta)
    .bind(change.note.as_str())
    .fetch_one(conn)
    .await
    .map_err(db)
}

/// Reverses the given changes (already locked) in the campaign's pool.
async fn reverse(conn: &mut PgConnection, campaign: CampaignId, changes: Vec<(i64, i32)>) -> RepoResult<()> {
    let reversal = changes.into_iter().map(|(entry, delta)| (PoolEntryId::new(entry), -i64::from(delta)));
    ledger::move_pool(conn, campaign, reversal).await
}

impl EventRepo for PgStore {
    async fn event(&self, id: EventId) -> RepoResult<Option<Event>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = $1");
        let rows: Vec<EventRow> = sqlx::query_as(&sql).bind(id.get()).fetch_all(&self.pool).await.map_err(db)?;
        Ok(with_changes(&self.pool, rows).await?.into_iter().next())
    }

    async fn change(&self, id: AssetChangeId) -> RepoResult<Option<AssetChange>> {
        let sql = format!("SELECT {CHANGE_COLUMNS} FROM asset_changes WHERE id = $1");
        let row: Option<ChangeRow> =
            sqlx::query_as(&sql).bind(id.get()).fetch_optional(&self.pool).await.map_err(db)?;
        row.map(AssetChange::try_from).transpose()
    }

    async fn mission_events(&self, mission: MissionId) -> RepoResult<Vec<Event>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.mission_id = $1 ORDER BY e.occurred_at, e.id");
        let rows: Vec<EventRow> = sqlx::query_as(&sql).bind(mission.get()).fetch_all(&self.pool).await.map_err(db)?;
        with_changes(&self.pool, rows).await
    }

    async fn campaign_events(&self, campaign: CampaignId) -> RepoResult<Vec<Event>> {
        let sql = format!("SELECT {EVENT_COLUMNS} {OF_CAMPAIGN} ORDER BY e.occurred_at, e.id");
        let rows: Vec<EventRow> = sqlx::query_as(&sql).bind(campaign.get()).fetch_all(&self.pool).await.map_err(db)?;
        with_changes(&self.pool, rows).await
    }

    async fn timeline(&self, campaign: CampaignId, page: PageRequest) -> RepoResult<Page<Event>> {
        let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) {OF_CAMPAIGN}"))
            .bind(campaign.get())
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        let sql = format!(
            "SELECT {EVENT_COLUMNS} {OF_CAMPAIGN} ORDER BY e.occurred_at DESC, e.id DESC \
             LIMIT $2 OFFSET $3"
        );
        let rows: Vec<EventRow> = sqlx::query_as(&sql)
            .bind(campaign.get())
            .bind(i64::from(page.per_page))
            .bind(stored("page offset", i64::try_from(page.offset()))?)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(Page {
            items: with_changes(&self.pool, rows).await?,
            request: page,
            total: stored("event count", u64::try_from(total))?,
        })
    }

    async fn record_event(
        &self,
        new: &NewEvent,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<EventId> {
        let mut w = match self.begin_create(audit, key).await? {
            Begun::Replay(ids) => return replayed_one(&ids).map(EventId::new),
            Begun::Write(w) => w,
        };
        let campaign = guards::open_mission(w.conn(), new.mission_id, Row::KeyShare).await?;
        let moves = new.changes.iter().map(|c| (c.pool_entry_id, c.delta.get()));
        ledger::move_pool(w.conn(), campaign, moves).await?;
        let d = &new.details;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO events (mission_id, kind, title, description, occurred_at, location, notes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.mission_id.get())
        .bind(d.kind.as_str())
        .bind(d.title.as_str())
        .bind(d.description.as_str())
        .bind(to_db(d.occurred_at))
        .bind(d.location.as_str())
        .bind(d.notes.as_str())
        .fetch_one(w.conn())
        .await
        .map_err(db)?;
        for change in &new.changes {
            insert_change(w.conn(), id, change).await?;
        }
        w.finish(&[id]).await?;
        Ok(EventId::new(id))
    }

    async fn update_event(&self, id: EventId, details: &EventDetails, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        guards::open_event(w.conn(), id, Row::Unlocked).await?;
        sqlx::query(
            "UPDATE events SET kind = $2, title = $3, description = $4, occurred_at = $5, \
             location = $6, notes = $7 WHERE id = $1",
        )
        .bind(id.get())
        .bind(details.kind.as_str())
        .bind(details.title.as_str())
        .bind(details.description.as_str())
        .bind(to_db(details.occurred_at))
        .bind(details.location.as_str())
        .bind(details.notes.as_str())
        .execute(w.conn())
        .await
        .map_err(db)?;
        w.finish(&[]).await
    }

    async fn add_change(
        &self,
        event: EventId,
        change: &NewChange,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<AssetChangeId> {
        let mut w = match self.begin_create(audit, key).await? {
            Begun::Replay(ids) => return replayed_one(&ids).map(AssetChangeId::new),
            Begun::Write(w) => w,
        };
        let campaign = guards::open_event(w.conn(), event, Row::KeyShare).await?;
        let moves = [(change.pool_entry_id, change.delta.get())];
        ledger::move_pool(w.conn(), campaign, moves).await?;
        let id = insert_change(w.conn(), event.get(), change).await?;
        w.finish(&[id]).await?;
        Ok(AssetChangeId::new(id))
    }

    async fn delete_change(&self, id: AssetChangeId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let found: Option<(i64, i64, i32)> =
            sqlx::query_as("SELECT event_id, pool_entry_id, delta FROM asset_changes WHERE id = $1 FOR UPDATE")
                .bind(id.get())
                .fetch_optional(w.conn())
                .await
                .map_err(db)?;
        let (event, entry, delta) = found.ok_or(RepoError::NotFound("asset change"))?;
        let campaign = guards::open_event(w.conn(), EventId::new(event), Row::Unlocked).await?;
        reverse(w.conn(), campaign, vec![(entry, delta)]).await?;
        sqlx::query("DELETE FROM asset_changes WHERE id = $1").bind(id.get()).execute(w.conn()).await.map_err(db)?;
        w.finish(&[]).await
    }

    async fn delete_event(&self, id: EventId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let campaign = guards::open_event(w.conn(), id, Row::Update).await?;
        let changes: Vec<(i64, i32)> =
            sqlx::query_as("SELECT pool_entry_id, delta FROM asset_changes WHERE event_id = $1 ORDER BY id FOR UPDATE")
                .bind(id.get())
                .fetch_all(w.conn())
                .await
                .map_err(db)?;
        reverse(w.conn(), campaign, changes).await?;
        sqlx::query("DELETE FROM events WHERE id = $1").bind(id.get()).execute(w.conn()).await.map_err(db)?;
        w.finish(&[]).await
    }
}
