//! Campaigns, their status life cycle and archived final reports.
//!
//! Invariants: at most one campaign is active (`campaigns_one_active` backs up the
//! deactivation done in the same write); a closed campaign never changes again
//! (`guards`); activation locks the campaigns it touches in id order.

use crate::PgStore;
use crate::convert::{from_db, map_url, stored, to_db, url_text};
use crate::errors::db;
use crate::guards::{self, Lock};
use crate::pool::insert_entries;
use crate::tx::{Begun, replayed_one};
use application::error::RepoResult;
use application::ports::{CampaignRepo, NewCampaign};
use application::{Conflict, RepoError, archive};
use domain::{
    Campaign, CampaignDates, CampaignDetails, CampaignId, CampaignName, CampaignReport, CampaignStatus, Description,
    IdempotencyKey, NewAuditEntry,
};
use std::collections::HashSet;
use time::{Date, OffsetDateTime};

const COLUMNS: &str = "id, name, description, start_date, end_date, map_edit_url, map_view_url, \
     status, created_at, closed_at";

#[derive(sqlx::FromRow)]
struct CampaignRow {
    id: i64,
    name: String,
    description: String,
    start_date: Date,
    end_date: Option<Date>,
    map_edit_url: Option<String>,
    map_view_url: Option<String>,
    status: String,
    created_at: OffsetDateTime,
    closed_at: Option<OffsetDateTime>,
}

impl TryFrom<CampaignRow> for Campaign {
    type Error = RepoError;

    fn try_from(r: CampaignRow) -> RepoResult<Self> {
        let details = CampaignDetails {
            name: stored("campaigns.name", CampaignName::parse(&r.name))?,
            description: stored("campaigns.description", Description::parse(&r.description))?,
            dates: stored("campaigns dates", CampaignDates::new(r.start_date, r.end_date))?,
            map_edit_url: map_url("campaigns.map_edit_url", r.map_edit_url)?,
            map_view_url: map_url("campaigns.map_view_url", r.map_view_url)?,
        };
        Ok(Campaign::new(
            CampaignId::new(r.id),
            details,
            stored("campaigns.status", CampaignStatus::parse(&r.status))?,
            from_db(r.created_at),
            r.closed_at.map(from_db),
        ))
    }
}

impl PgStore {
    async fn campaigns_where(&self, condition: &str, id: Option<i64>) -> RepoResult<Vec<Campaign>> {
        let sql = format!("SELECT {COLUMNS} FROM campaigns {condition} ORDER BY id DESC");
        let mut query = sqlx::query_as::<_, CampaignRow>(&sql);
        if let Some(id) = id {
            query = query.bind(id);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(db)?;
        rows.into_iter().map(Campaign::try_from).collect()
    }
}

impl CampaignRepo for PgStore {
    async fn campaigns(&self) -> RepoResult<Vec<Campaign>> {
        self.campaigns_where("", None).await
    }

    async fn campaign(&self, id: CampaignId) -> RepoResult<Option<Campaign>> {
        let found = self.campaigns_where("WHERE id = $1", Some(id.get())).await?;
        Ok(found.into_iter().next())
    }

    async fn active_campaign(&self) -> RepoResult<Option<Campaign>> {
        let found = self.campaigns_where("WHERE status = 'Active'", None).await?;
        Ok(found.into_iter().next())
    }

    async fn insert_campaign(
        &self,
        new: &NewCampaign,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<CampaignId> {
        let mut w = match self.begin_create(audit, key).await? {
            Begun::Replay(ids) => return replayed_one(&ids).map(CampaignId::new),
            Begun::Write(w) => w,
        };
        let assets: HashSet<_> = new.pool.iter().map(|e| e.asset.asset_id).collect();
        if assets.len() != new.pool.len() {
            return Err(Conflict::AlreadyInPool.into());
        }
        if new.status == CampaignStatus::Active {
            sqlx::query("UPDATE campaigns SET status = 'Planned' WHERE status = 'Active'")
                .execute(w.conn())
                .await
                .map_err(db)?;
        }
        let d = &new.details;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO campaigns (name, description, start_date, end_date, map_edit_url, \
             map_view_url, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(d.name.as_str())
        .bind(d.description.as_str())
        .bind(d.dates.start())
        .bind(d.dates.end())
        .bind(url_text(d.map_edit_url.as_ref()))
        .bind(url_text(d.map_view_url.as_ref()))
        .bind(new.status.as_str())
        .bind(to_db(new.created_at))
        .fetch_one(w.conn())
        .await
        .map_err(db)?;
        insert_entries(w.conn(), CampaignId::new(id), &new.pool).await?;
        w.finish(&[id]).await?;
        Ok(CampaignId::new(id))
    }

    async fn update_campaign(&self, campaign: &Campaign, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        guards::open_campaign(w.conn(), campaign.id(), Lock::Update).await?;
        let d = campaign.details();
        sqlx::query(
            "UPDATE campaigns SET name = $2, description = $3, start_date = $4, end_date = $5, \
             map_edit_url = $6, map_view_url = $7 WHERE id = $1",
        )
        .bind(campaign.id().get())
        .bind(d.name.as_str())
        .bind(d.description.as_str())
        .bind(d.dates.start())
        .bind(d.dates.end())
        .bind(url_text(d.map_edit_url.as_ref()))
        .bind(url_text(d.map_view_url.as_ref()))
        .execute(w.conn())
        .await
        .map_err(db)?;
        w.finish(&[]).await
    }

    async fn activate_campaign(&self, id: CampaignId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        // Lock this campaign and the active one in id order, so two activations
        // swapping the same two campaigns cannot deadlock.
        let locked: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, status FROM campaigns WHERE id = $1 OR status = 'Active' \
             ORDER BY id FOR UPDATE",
        )
        .bind(id.get())
        .fetch_all(w.conn())
        .await
        .map_err(db)?;
        let status = locked
            .iter()
            .find(|(found, _)| *found == id.get())
            .map(|(_, status)| status.as_str())
            .ok_or(RepoError::NotFound("campaign"))?;
        if stored("campaigns.status", CampaignStatus::parse(status))? == CampaignStatus::Closed {
            return Err(Conflict::CampaignClosed.into());
        }
        sqlx::query("UPDATE campaigns SET status = 'Planned' WHERE status = 'Active' AND id <> $1")
            .bind(id.get())
            .execute(w.conn())
            .await
            .map_err(db)?;
        sqlx::query("UPDATE campaigns SET status = 'Active' WHERE id = $1")
            .bind(id.get())
            .execute(w.conn())
            .await
            .map_err(db)?;
        w.finish(&[]).await
    }

    async fn close_campaign(
        &self,
        campaign: &Campaign,
        report: &CampaignReport,
        audit: &NewAuditEntry,
    ) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        guards::open_campaign(w.conn(), campaign.id(), Lock::Update).await?;
        let d = campaign.details();
        sqlx::query(
            "UPDATE campaigns SET name = $2, description = $3, start_date = $4, end_date = $5, \
             map_edit_url = $6, map_view_url = $7, status = $8, created_at = $9, closed_at = $10 \
             WHERE id = $1",
        )
        .bind(campaign.id().get())
        .bind(d.name.as_str())
        .bind(d.description.as_str())
        .bind(d.dates.start())
        .bind(d.dates.end())
        .bind(url_text(d.map_edit_url.as_ref()))
        .bind(url_text(d.map_view_url.as_ref()))
        .bind(campaign.status().as_str())
        .bind(to_db(campaign.created_at()))
        .bind(campaign.closed_at().map(to_db))
        .execute(w.conn())
        .await
        .map_err(db)?;
        sqlx::query(
            "INSERT INTO campaign_reports (campaign_id, report) VALUES ($1, $2::jsonb) \
             ON CONFLICT (campaign_id) DO UPDATE SET report = EXCLUDED.report, created_at = now()",
        )
        .bind(campaign.id().get())
        .bind(archive::encode(report))
        .execute(w.conn())
        .await
        .map_err(db)?;
        w.finish(&[]).await
    }

    async fn final_report(&self, id: CampaignId) -> RepoResult<Option<CampaignReport>> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT report::text FROM campaign_reports WHERE campaign_id = $1")
                .bind(id.get())
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        json.map(|j| stored("campaign_reports.report", archive::decode(&j))).transpose()
    }
}
