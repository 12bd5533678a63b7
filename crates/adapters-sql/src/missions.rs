//! Missions (`MissionRepo`): their order within a campaign, and deleting a mission
//! with its events, reversing every change under the ledger guard, all or nothing.

use crate::SqlStore;
use crate::campaigns::map_url;
use crate::dialect::{Dialect, Lock};
use crate::errors::{found, stored};
use crate::events::reversal;
use crate::guards::{open_campaign, open_mission};
use crate::ledger;
use crate::query::{Exec, Row, Sql};
use crate::write::{Begun, replayed};
use application::RepoError;
use application::error::RepoResult;
use application::ports::{MissionRepo, NewMission};
use domain::{
    CampaignId, Description, IdempotencyKey, Location, MapUrl, Mission, MissionDetails, MissionId, MissionName,
    MissionStatus, NewAuditEntry,
};

pub(crate) const COLUMNS: &str = "id, campaign_id, name, description, mission_date, location, status, \
     order_index, map_edit_url, map_view_url";

pub(crate) fn mission<D: Dialect>(r: Row<'_, D>) -> RepoResult<Mission> {
    Ok(Mission {
        id: MissionId::new(r.get("id")?),
        campaign_id: CampaignId::new(r.get("campaign_id")?),
        details: MissionDetails {
            name: stored("missions.name", MissionName::parse(&r.get::<String>("name")?))?,
            description: stored("missions.description", Description::parse(&r.get::<String>("description")?))?,
            date: r.get("mission_date")?,
            location: stored("missions.location", Location::parse(&r.get::<String>("location")?))?,
            map_edit_url: map_url("missions.map_edit_url", r.get("map_edit_url")?)?,
            map_view_url: map_url("missions.map_view_url", r.get("map_view_url")?)?,
        },
        status: stored("missions.status", MissionStatus::parse(&r.get::<String>("status")?))?,
        order_index: stored("missions.order_index", i32::try_from(r.get::<i64>("order_index")?))?,
    })
}

/// A campaign's missions in their order, read on `on`.
pub(crate) async fn read_missions<E: Exec>(on: &mut E, campaign: CampaignId) -> RepoResult<Vec<Mission>> {
    let sql = format!("SELECT {COLUMNS} FROM missions WHERE campaign_id = $1 ORDER BY order_index, id");
    Sql::new(sql).bind(campaign.get()).all_as(on, mission).await
}

/// One mission, read on `on`.
pub(crate) async fn read_mission<E: Exec>(on: &mut E, id: MissionId) -> RepoResult<Option<Mission>> {
    Sql::new(format!("SELECT {COLUMNS} FROM missions WHERE id = $1")).bind(id.get()).optional_as(on, mission).await
}

impl<D: Dialect> MissionRepo for SqlStore<D> {
    async fn missions(&self, campaign: CampaignId) -> RepoResult<Vec<Mission>> {
        read_missions(&mut self.conn().await?, campaign).await
    }

    async fn mission(&self, id: MissionId) -> RepoResult<Option<Mission>> {
        read_mission(&mut self.conn().await?, id).await
    }

    async fn insert_mission(
        &self,
        new: &NewMission,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<MissionId> {
        let mut w = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return replayed(&ids).map(MissionId::new),
            Begun::Run(w) => w,
        };
        open_campaign(&mut w, new.campaign_id, Lock::Share).await?;
        let details = &new.details;
        let id = Sql::new(
            "INSERT INTO missions (campaign_id, name, description, mission_date, location, \
             status, order_index, map_edit_url, map_view_url) \
             VALUES ($1, $2, $3, $4, $5, $6, \
                     (SELECT coalesce(max(order_index) + 1, 0) FROM missions WHERE campaign_id = $1), \
                     $7, $8) RETURNING id",
        )
        .bind(new.campaign_id.get())
        .bind(details.name.as_str())
        .bind(details.description.as_str())
        .bind(details.date)
        .bind(details.location.as_str())
        .bind(new.status.as_str())
        .bind(details.map_edit_url.as_ref().map(MapUrl::as_str))
        .bind(details.map_view_url.as_ref().map(MapUrl::as_str))
        .returning_id(&mut w)
        .await?;
        w.commit(&[id]).await?;
        Ok(MissionId::new(id))
    }

    async fn update_mission(&self, mission: &Mission, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        open_mission(&mut w, mission.id, None).await?;
        // Fields and status only: the campaign and the order stay.
        let details = &mission.details;
        let done = Sql::new(
            "UPDATE missions SET name = $2, description = $3, mission_date = $4, location = $5, \
             status = $6, map_edit_url = $7, map_view_url = $8 WHERE id = $1",
        )
        .bind(mission.id.get())
        .bind(details.name.as_str())
        .bind(details.description.as_str())
        .bind(details.date)
        .bind(details.location.as_str())
        .bind(mission.status.as_str())
        .bind(details.map_edit_url.as_ref().map(MapUrl::as_str))
        .bind(details.map_view_url.as_ref().map(MapUrl::as_str))
        .execute(&mut w)
        .await?;
        found(done, "mission")?;
        w.commit(&[]).await
    }

    async fn reorder_missions(
        &self,
        campaign: CampaignId,
        order: &[MissionId],
        audit: &NewAuditEntry,
    ) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        open_campaign(&mut w, campaign, Lock::Share).await?;
        let sql =
            format!("SELECT id FROM missions WHERE campaign_id = $1 ORDER BY id{}", D::lock(Lock::Update, "missions"));
        let mut current: Vec<i64> = Sql::new(sql).bind(campaign.get()).column(&mut w, "id").await?;
        let mut wanted: Vec<i64> = order.iter().map(|id| id.get()).collect();
        current.sort_unstable();
        wanted.sort_unstable();
        if current != wanted {
            return Err(RepoError::NotFound("mission"));
        }
        for (index, id) in order.iter().enumerate() {
            let index = stored("missions.order_index", i64::try_from(index))?;
            Sql::new("UPDATE missions SET order_index = $2 WHERE id = $1")
                .bind(id.get())
                .bind(index)
                .execute(&mut w)
                .await?;
        }
        w.commit(&[]).await
    }

    async fn delete_mission(&self, id: MissionId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let campaign = open_mission(&mut w, id, Some(Lock::Update)).await?;
        let sql = format!(
            "SELECT c.pool_entry_id, c.delta FROM asset_changes c \
             JOIN events e ON e.id = c.event_id WHERE e.mission_id = $1 ORDER BY c.id{}",
            D::lock(Lock::Update, "c")
        );
        let reversal = Sql::new(sql).bind(id.get()).all_as(&mut w, reversal).await?;
        ledger::apply(&mut w, campaign, reversal).await?;
        // Its events and their changes go with it (ON DELETE CASCADE).
        Sql::new("DELETE FROM missions WHERE id = $1").bind(id.get()).execute(&mut w).await?;
        w.commit(&[]).await
    }
}
