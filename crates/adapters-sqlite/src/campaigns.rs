//! Campaigns and their final reports (`CampaignRepo`), and the closed-campaign
//! backstop every write to a campaign's data runs inside its transaction.
//!
//! Invariants: at most one campaign is `Active` (activating or creating an active
//! campaign steps the previous one back to `Planned` in the same transaction, and the
//! `campaigns_one_active` index is the backstop); a `Closed` campaign is never written.

use crate::SqliteStore;
use crate::codec::{parsed, timestamp, utc};
use crate::errors::{db, found, required};
use crate::pool::insert_entries;
use crate::tx::{Begun, first};
use application::archive;
use application::error::RepoResult;
use application::ports::{CampaignRepo, NewCampaign};
use application::{Conflict, RepoError};
use domain::{
    Campaign, CampaignDates, CampaignDetails, CampaignId, CampaignName, CampaignReport, CampaignStatus, Description,
    IdempotencyKey, MapUrl, NewAuditEntry,
};
use sqlx::SqliteConnection;
use std::collections::HashSet;
use time::{Date, OffsetDateTime};

const COLUMNS: &str = "id, name, description, start_date, end_date, map_edit_url, \
     map_view_url, status, created_at, closed_at";

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

/// Reads an optional stored map link.
pub(crate) fn map_url(raw: Option<String>) -> RepoResult<Option<MapUrl>> {
    raw.map(|url| parsed("map link", MapUrl::parse(&url))).transpose()
}

impl CampaignRow {
    fn into_campaign(self) -> RepoResult<Campaign> {
        let details = CampaignDetails {
            name: parsed("campaign name", CampaignName::parse(&self.name))?,
            description: parsed("description", Description::parse(&self.description))?,
            dates: parsed("campaign dates", CampaignDates::new(self.start_date, self.end_date))?,
            map_edit_url: map_url(self.map_edit_url)?,
            map_view_url: map_url(self.map_view_url)?,
        };
        Ok(Campaign::new(
            CampaignId::new(self.id),
            details,
            parsed("campaign status", CampaignStatus::parse(&self.status))?,
            utc(self.created_at),
            self.closed_at.map(utc),
        ))
    }
}

/// Succeeds when the campaign exists and is not closed. Runs inside a write, whose
/// `BEGIN IMMEDIATE` lock keeps the answer true until the write commits.
///
/// # Errors
/// `NotFound("campaign")`; `Conflict::CampaignClosed`.
pub(crate) async fn ensure_open(conn: &mut SqliteConnection, id: CampaignId) -> RepoResult<()> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM campaigns WHERE id = ?")
        .bind(id.get())
        .fetch_optional(conn)
        .await
        .map_err(db)?;
    let status = parsed("campaign status", CampaignStatus::parse(&required(status, "campaign")?))?;
    if status == CampaignStatus::Closed { Err(Conflict::CampaignClosed.into()) } else { Ok(()) }
}

/// Steps every active campaign but `keep` back to `Planned`.
async fn deactivate_others(conn: &mut SqliteConnection, keep: Option<CampaignId>) -> RepoResult<()> {
    sqlx::query("UPDATE campaigns SET status = 'Planned' WHERE status = 'Active' AND id IS NOT ?")
        .bind(keep.map(CampaignId::get))
        .execute(conn)
        .await
        .map_err(db)
        .map(drop)
}

/// Writes a campaign's fields (all but its id and creation time) over the stored row.
async fn save(conn: &mut SqliteConnection, campaign: &Campaign) -> RepoResult<()> {
    let details = campaign.details();
    let done = sqlx::query(
        "UPDATE campaigns SET name = ?, description = ?, start_date = ?, end_date = ?, \
         map_edit_url = ?, map_view_url = ?, status = ?, closed_at = ? WHERE id = ?",
    )
    .bind(details.name.as_str())
    .bind(details.description.as_str())
    .bind(details.dates.start())
    .bind(details.dates.end())
    .bind(details.map_edit_url.as_ref().map(MapUrl::as_str))
    .bind(details.map_view_url.as_ref().map(MapUrl::as_str))
    .bind(campaign.status().as_str())
    .bind(campaign.closed_at().map(timestamp).transpose()?)
    .bind(campaign.id().get())
    .execute(conn)
    .await
    .map_err(db)?;
    found(done.rows_affected(), "campaign")
}

impl CampaignRepo for SqliteStore {
    async fn campaigns(&self) -> RepoResult<Vec<Campaign>> {
        let rows: Vec<CampaignRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM campaigns ORDER BY id DESC"))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.into_iter().map(CampaignRow::into_campaign).collect()
    }

    async fn campaign(&self, id: CampaignId) -> RepoResult<Option<Campaign>> {
        let row: Option<CampaignRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM campaigns WHERE id = ?"))
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(CampaignRow::into_campaign).transpose()
    }

    async fn active_campaign(&self) -> RepoResult<Option<Campaign>> {
        let row: Option<CampaignRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM campaigns WHERE status = 'Active'"))
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        row.map(CampaignRow::into_campaign).transpose()
    }

    async fn insert_campaign(
        &self,
        new: &NewCampaign,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<CampaignId> {
        let mut write = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return first(ids).map(CampaignId::new),
            Begun::Run(write) => write,
        };
        if new.status == CampaignStatus::Active {
            deactivate_others(write.conn(), None).await?;
        }
        let assets: HashSet<_> = new.pool.iter().map(|e| e.asset.asset_id).collect();
        if assets.len() != new.pool.len() {
            return Err(Conflict::AlreadyInPool.into());
        }
        let details = &new.details;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO campaigns (name, description, start_date, end_date, map_edit_url, \
             map_view_url, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(details.name.as_str())
        .bind(details.description.as_str())
        .bind(details.dates.start())
        .bind(details.dates.end())
        .bind(details.map_edit_url.as_ref().map(MapUrl::as_str))
        .bind(details.map_view_url.as_ref().map(MapUrl::as_str))
        .bind(new.status.as_str())
        .bind(timestamp(new.created_at)?)
        .fetch_one(write.conn())
        .await
        .map_err(db)?;
        insert_entries(write.conn(), CampaignId::new(id), &new.pool).await?;
        write.commit(&[id]).await?;
        Ok(CampaignId::new(id))
    }

    async fn update_campaign(&self, campaign: &Campaign, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        ensure_open(write.conn(), campaign.id()).await?;
        // Only the editable fields: the status moves through activate and close.
        let details = campaign.details();
        sqlx::query(
            "UPDATE campaigns SET name = ?, description = ?, start_date = ?, end_date = ?, \
             map_edit_url = ?, map_view_url = ? WHERE id = ?",
        )
        .bind(details.name.as_str())
        .bind(details.description.as_str())
        .bind(details.dates.start())
        .bind(details.dates.end())
        .bind(details.map_edit_url.as_ref().map(MapUrl::as_str))
        .bind(details.map_view_url.as_ref().map(MapUrl::as_str))
        .bind(campaign.id().get())
        .execute(write.conn())
        .await
        .map_err(db)?;
        write.commit(&[]).await
    }

    async fn activate_campaign(&self, id: CampaignId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        ensure_open(write.conn(), id).await?;
        deactivate_others(write.conn(), Some(id)).await?;
        sqlx::query("UPDATE campaigns SET status = 'Active' WHERE id = ?")
            .bind(id.get())
            .execute(write.conn())
            .await
            .map_err(db)?;
        write.commit(&[]).await
    }

    async fn close_campaign(
        &self,
        campaign: &Campaign,
        report: &CampaignReport,
        audit: &NewAuditEntry,
    ) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        ensure_open(write.conn(), campaign.id()).await?;
        save(write.conn(), campaign).await?;
        sqlx::query(
            "INSERT INTO campaign_reports (campaign_id, report, created_at) VALUES (?, ?, ?) \
             ON CONFLICT (campaign_id) DO UPDATE SET report = excluded.report, \
             created_at = excluded.created_at",
        )
        .bind(campaign.id().get())
        .bind(archive::encode(report))
        .bind(timestamp(audit.at)?)
        .execute(write.conn())
        .await
        .map_err(db)?;
        write.commit(&[]).await
    }

    async fn final_report(&self, id: CampaignId) -> RepoResult<Option<CampaignReport>> {
        let json: Option<String> = sqlx::query_scalar("SELECT report FROM campaign_reports WHERE campaign_id = ?")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        json.map(|json| archive::decode(&json).map_err(RepoError::unexpected)).transpose()
    }
}
