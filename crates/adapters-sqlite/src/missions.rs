//! Missions (`MissionRepo`): their order within a campaign, and deleting a mission
//! with its events, reversing every change under the ledger guard, all or nothing.

use crate::SqliteStore;
use crate::campaigns::{ensure_open, map_url};
use crate::codec::parsed;
use crate::errors::{db, required};
use crate::ledger;
use crate::tx::{Begun, first};
use application::RepoError;
use application::error::RepoResult;
use application::ports::{MissionRepo, NewMission};
use domain::{
    CampaignId, Description, IdempotencyKey, Location, MapUrl, Mission, MissionDetails, MissionId, MissionName,
    MissionStatus, NewAuditEntry, PoolEntryId,
};
use sqlx::SqliteConnection;
use time::Date;

const COLUMNS: &str = "id, campaign_id, name, description, mission_date, location, status, \
     order_index, map_edit_url, map_view_url";

#[derive(sqlx::FromRow)]
struct MissionRow {
    id: i64,
    campaign_id: i64,
    name: String,
    description: String,
    mission_date: Option<Date>,
    location: String,
    status: String,
    order_index: i64,
    map_edit_url: Option<String>,
    map_view_url: Option<String>,
}

impl MissionRow {
    fn into_mission(self) -> RepoResult<Mission> {
        Ok(Mission {
            id: MissionId::new(self.id),
            campaign_id: CampaignId::new(self.campaign_id),
            details: MissionDetails {
                name: parsed("mission name", MissionName::parse(&self.name))?,
                description: parsed("description", Description::parse(&self.description))?,
                date: self.mission_date,
                location: parsed("location", Location::parse(&self.location))?,
                map_edit_url: map_url(self.map_edit_url)?,
                map_view_url: map_url(self.map_view_url)?,
            },
            status: parsed("mission status", MissionStatus::parse(&self.status))?,
            order_index: parsed("mission order", i32::try_from(self.order_index))?,
        })
    }
}

/// The campaign of a mission, provided the campaign is open.
///
/// # Errors
/// `NotFound("mission")`; `Conflict::CampaignClosed`.
pub(crate) async fn open_mission(conn: &mut SqliteConnection, id: MissionId) -> RepoResult<CampaignId> {
    let campaign: Option<i64> = sqlx::query_scalar("SELECT campaign_id FROM missions WHERE id = ?")
        .bind(id.get())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    let campaign = CampaignId::new(required(campaign, "mission")?);
    ensure_open(conn, campaign).await?;
    Ok(campaign)
}

impl MissionRepo for SqliteStore {
    async fn missions(&self, campaign: CampaignId) -> RepoResult<Vec<Mission>> {
        let rows: Vec<MissionRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM missions WHERE campaign_id = ? ORDER BY order_index, id"))
                .bind(campaign.get())
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        rows.into_iter().map(MissionRow::into_mission).collect()
    }

    async fn mission(&self, id: MissionId) -> RepoResult<Option<Mission>> {
        let row: Option<MissionRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM missions WHERE id = ?"))
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(MissionRow::into_mission).transpose()
    }

    async fn insert_mission(
        &self,
        new: &NewMission,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<MissionId> {
        let mut write = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return first(ids).map(MissionId::new),
            Begun::Run(write) => write,
        };
        ensure_open(write.conn(), new.campaign_id).await?;
        let details = &new.details;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO missions (campaign_id, name, description, mission_date, location, \
             status, order_index, map_edit_url, map_view_url) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, \
                     (SELECT coalesce(max(order_index) + 1, 0) FROM missions WHERE campaign_id = ?1), \
                     ?7, ?8) RETURNING id",
        )
        .bind(new.campaign_id.get())
        .bind(details.name.as_str())
        .bind(details.description.as_str())
        .bind(details.date)
        .bind(details.location.as_str())
        .bind(new.status.as_str())
        .bind(details.map_edit_url.as_ref().map(MapUrl::as_str))
        .bind(details.map_view_url.as_ref().map(MapUrl::as_str))
        .fetch_one(write.conn())
        .await
        .map_err(db)?;
        write.commit(&[id]).await?;
        Ok(MissionId::new(id))
    }

    async fn update_mission(&self, mission: &Mission, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        open_mission(write.conn(), mission.id).await?;
        // Fields and status only: the campaign and the order stay.
        let details = &mission.details;
        sqlx::query(
            "UPDATE missions SET name = ?, description = ?, mission_date = ?, location = ?, \
             status = ?, map_edit_url = ?, map_view_url = ? WHERE id = ?",
        )
        .bind(details.name.as_str())
        .bind(details.description.as_str())
        .bind(details.date)
        .bind(details.location.as_str())
        .bind(mission.status.as_str())
        .bind(details.map_edit_url.as_ref().map(MapUrl::as_str))
        .bind(details.map_view_url.as_ref().map(MapUrl::as_str))
        .bind(mission.id.get())
        .execute(write.conn())
        .await
        .map_err(db)?;
        write.commit(&[]).await
    }

    async fn reorder_missions(
        &self,
        campaign: CampaignId,
        order: &[MissionId],
        audit: &NewAuditEntry,
    ) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        ensure_open(write.conn(), campaign).await?;
        let mut current: Vec<i64> = sqlx::query_scalar("SELECT id FROM missions WHERE campaign_id = ?")
            .bind(campaign.get())
            .fetch_all(write.conn())
            .await
            .map_err(db)?;
        let mut wanted: Vec<i64> = order.iter().map(|id| id.get()).collect();
        current.sort_unstable();
        wanted.sort_unstable();
        if current != wanted {
            return Err(RepoError::NotFound("mission"));
        }
        for (index, id) in order.iter().enumerate() {
            sqlx::query("UPDATE missions SET order_index = ? WHERE id = ?")
                .bind(parsed("mission order", i32::try_from(index))?)
                .bind(id.get())
                .execute(write.conn())
                .await
                .map_err(db)?;
        }
        write.commit(&[]).await
    }

    async fn delete_mission(&self, id: MissionId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        let campaign = open_mission(write.conn(), id).await?;
        let changes: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT c.pool_entry_id, c.delta FROM asset_changes c \
             JOIN events e ON e.id = c.event_id WHERE e.mission_id = ?",
        )
        .bind(id.get())
        .fetch_all(write.conn())
        .await
        .map_err(db)?;
        let reversal = changes.into_iter().map(|(entry, delta)| (PoolEntryId::new(entry), -delta));
        ledger::apply(write.conn(), campaign, reversal).await?;
        // Its events and their changes go with it (ON DELETE CASCADE).
        sqlx::query("DELETE FROM missions WHERE id = ?").bind(id.get()).execute(write.conn()).await.map_err(db)?;
        write.commit(&[]).await
    }
}
