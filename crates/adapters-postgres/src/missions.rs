//! Missions of a campaign, in the campaign's order.
//!
//! Invariants: a new mission goes last (`order_index` one past the highest; two
//! missions created at the same moment may share an index, and then list by id);
//! deleting a mission reverses every change of its events under the ledger rule in
//! the same transaction, all or nothing.

use crate::convert::{map_url, stored, url_text};
use crate::errors::db;
use crate::guards::{self, Lock, Row};
use crate::tx::{Begun, replayed_one};
use crate::{PgStore, ledger};
use application::RepoError;
use application::error::RepoResult;
use application::ports::{MissionRepo, NewMission};
use domain::{
    CampaignId, Description, IdempotencyKey, Location, Mission, MissionDetails, MissionId, MissionName, MissionStatus,
    NewAuditEntry, PoolEntryId,
};
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
    order_index: i32,
    map_edit_url: Option<String>,
    map_view_url: Option<String>,
}

impl TryFrom<MissionRow> for Mission {
    type Error = RepoError;

    fn try_from(r: MissionRow) -> RepoResult<Self> {
        Ok(Mission {
            id: MissionId::new(r.id),
            campaign_id: CampaignId::new(r.campaign_id),
            details: MissionDetails {
                name: stored("missions.name", MissionName::parse(&r.name))?,
                description: stored("missions.description", Description::parse(&r.description))?,
                date: r.mission_date,
                location: stored("missions.location", Location::parse(&r.location))?,
                map_edit_url: map_url("missions.map_edit_url", r.map_edit_url)?,
                map_view_url: map_url("missions.map_view_url", r.map_view_url)?,
            },
            status: stored("missions.status", MissionStatus::parse(&r.status))?,
            order_index: r.order_index,
        })
    }
}

impl MissionRepo for PgStore {
    async fn missions(&self, campaign: CampaignId) -> RepoResult<Vec<Mission>> {
        let sql = format!("SELECT {COLUMNS} FROM missions WHERE campaign_id = $1 ORDER BY order_index, id");
        let rows: Vec<MissionRow> =
            sqlx::query_as(&sql).bind(campaign.get()).fetch_all(&self.pool).await.map_err(db)?;
        rows.into_iter().map(Mission::try_from).collect()
    }

    async fn mission(&self, id: MissionId) -> RepoResult<Option<Mission>> {
        let sql = format!("SELECT {COLUMNS} FROM missions WHERE id = $1");
        let row: Option<MissionRow> =
            sqlx::query_as(&sql).bind(id.get()).fetch_optional(&self.pool).await.map_err(db)?;
        row.map(Mission::try_from).transpose()
    }

    async fn insert_mission(
        &self,
        new: &NewMission,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<MissionId> {
        let mut w = match self.begin_create(audit, key).await? {
            Begun::Replay(ids) => return replayed_one(&ids).map(MissionId::new),
            Begun::Write(w) => w,
        };
        guards::open_campaign(w.conn(), new.campaign_id, Lock::Share).await?;
        let d = &new.details;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO missions (campaign_id, name, description, mission_date, location, status, \
             order_index, map_edit_url, map_view_url) \
             SELECT $1, $2, $3, $4, $5, $6, \
                    COALESCE((SELECT max(order_index) + 1 FROM missions WHERE campaign_id = $1), 0), \
                    $7, $8 \
             RETURNING id",
        )
        .bind(new.campaign_id.get())
        .bind(d.name.as_str())
        .bind(d.description.as_str())
        .bind(d.date)
        .bind(d.location.as_str())
        .bind(new.status.as_str())
        .bind(url_text(d.map_edit_url.as_ref()))
        .bind(url_text(d.map_view_url.as_ref()))
        .fetch_one(w.conn())
        .await
        .map_err(db)?;
        w.finish(&[id]).await?;
        Ok(MissionId::new(id))
    }

    async fn update_mission(&self, mission: &Mission, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        guards::open_mission(w.conn(), mission.id, Row::Unlocked).await?;
        let d = &mission.details;
        sqlx::query(
            "UPDATE missions SET name = $2, description = $3, mission_date = $4, location = $5, \
             map_edit_url = $6, map_view_url = $7, status = $8 WHERE id = $1",
        )
        .bind(mission.id.get())
        .bind(d.name.as_str())
        .bind(d.description.as_str())
        .bind(d.date)
        .bind(d.location.as_str())
        .bind(url_text(d.map_edit_url.as_ref()))
        .bind(url_text(d.map_view_url.as_ref()))
        .bind(mission.status.as_str())
        .execute(w.conn())
        .await
        .map_err(db)?;
        w.finish(&[]).await
    }

    async fn reorder_missions(
        &self,
        campaign: CampaignId,
        order: &[MissionId],
        audit: &NewAuditEntry,
    ) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        guards::open_campaign(w.conn(), campaign, Lock::Share).await?;
        let mut current: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM missions WHERE campaign_id = $1 ORDER BY id FOR UPDATE")
                .bind(campaign.get())
                .fetch_all(w.conn())
                .await
                .map_err(db)?;
        let wanted: Vec<i64> = order.iter().map(|m| m.get()).collect();
        let mut sorted = wanted.clone();
        sorted.sort_unstable();
        current.sort_unstable();
        if sorted != current {
            return Err(RepoError::NotFound("mission"));
        }
        sqlx::query(
            "UPDATE missions m SET order_index = (o.position - 1)::integer \
             FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, position) WHERE m.id = o.id",
        )
        .bind(&wanted)
        .execute(w.conn())
        .await
        .map_err(db)?;
        w.finish(&[]).await
    }

    async fn delete_mission(&self, id: MissionId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let campaign = guards::open_mission(w.conn(), id, Row::Update).await?;
        // Lock the changes before the pool (see `guards` for the order).
        let changes: Vec<(i64, i32)> = sqlx::query_as(
            "SELECT c.pool_entry_id, c.delta FROM asset_changes c \
             JOIN events e ON e.id = c.event_id WHERE e.mission_id = $1 ORDER BY c.id FOR UPDATE OF c",
        )
        .bind(id.get())
        .fetch_all(w.conn())
        .await
        .map_err(db)?;
        let reversal = changes.into_iter().map(|(entry, delta)| (PoolEntryId::new(entry), -i64::from(delta)));
        ledger::move_pool(w.conn(), campaign, reversal).await?;
        sqlx::query("DELETE FROM missions WHERE id = $1").bind(id.get()).execute(w.conn()).await.map_err(db)?;
        w.finish(&[]).await
    }
}
