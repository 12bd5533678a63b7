//! Campaigns, their status life cycle and archived final reports (`CampaignRepo`).
//!
//! Invariants: at most one campaign is `Active` (activating or creating an active
//! campaign steps the previous one back to `Planned` in the same transaction, and the
//! `campaigns_one_active` index is the backstop); a `Closed` campaign is never written
//! (`guards`); activation locks the campaigns it touches in id order.

use crate::SqlStore;
use crate::archive;
use crate::dialect::{Dialect, Lock};
use crate::errors::{found, stored};
use crate::guards::open_campaign;
use crate::pool::insert_entries;
use crate::query::{Exec, Row, Sql};
use crate::write::{Begun, replayed};
use application::error::RepoResult;
use application::ports::{CampaignRepo, NewCampaign};
use application::{Conflict, RepoError};
use domain::{
    Campaign, CampaignDates, CampaignDetails, CampaignId, CampaignName, CampaignReport, CampaignStatus, Description,
    IdempotencyKey, MapUrl, NewAuditEntry,
};
use std::collections::HashSet;
use time::UtcDateTime;

pub(crate) const COLUMNS: &str = "id, name, description, start_date, end_date, map_edit_url, map_view_url, \
     status, created_at, closed_at";

/// Reads an optional stored map link.
pub(crate) fn map_url(column: &'static str, raw: Option<String>) -> RepoResult<Option<MapUrl>> {
    raw.map(|url| stored(column, MapUrl::parse(&url))).transpose()
}

pub(crate) fn campaign<D: Dialect>(r: Row<'_, D>) -> RepoResult<Campaign> {
    let details = CampaignDetails {
        name: stored("campaigns.name", CampaignName::parse(&r.get::<String>("name")?))?,
        description: stored("campaigns.description", Description::parse(&r.get::<String>("description")?))?,
        dates: stored("campaigns dates", CampaignDates::new(r.get("start_date")?, r.get("end_date")?))?,
        map_edit_url: map_url("campaigns.map_edit_url", r.get("map_edit_url")?)?,
        map_view_url: map_url("campaigns.map_view_url", r.get("map_view_url")?)?,
    };
    Ok(Campaign::new(
        CampaignId::new(r.get("id")?),
        details,
        stored("campaigns.status", CampaignStatus::parse(&r.get::<String>("status")?))?,
        r.get("created_at")?,
        r.get("closed_at")?,
    ))
}

/// The campaigns matching `condition` (with `$1` bound to `id`), newest first.
async fn campaigns_where<E: Exec>(on: &mut E, condition: &str, id: Option<i64>) -> RepoResult<Vec<Campaign>> {
    let mut sql = Sql::new(format!("SELECT {COLUMNS} FROM campaigns {condition} ORDER BY id DESC"));
    if let Some(id) = id {
        sql = sql.bind(id);
    }
    sql.all_as(on, campaign).await
}

/// One campaign, read on `on`.
pub(crate) async fn read_campaign<E: Exec>(on: &mut E, id: CampaignId) -> RepoResult<Option<Campaign>> {
    Ok(campaigns_where(on, "WHERE id = $1", Some(id.get())).await?.pop())
}

/// The active campaign, read on `on`.
pub(crate) async fn read_active<E: Exec>(on: &mut E) -> RepoResult<Option<Campaign>> {
    Ok(campaigns_where(on, "WHERE status = 'Active'", None).await?.pop())
}

/// Steps every active campaign but `keep` back to `Planned`.
async fn deactivate_others<E: Exec>(on: &mut E, keep: Option<CampaignId>) -> RepoResult<()> {
    Sql::new("UPDATE campaigns SET status = 'Planned' WHERE status = 'Active' AND ($1 IS NULL OR id <> $1)")
        .bind(keep.map(CampaignId::get))
        .execute(on)
        .await
        .map(drop)
}

/// The SET list and values shared by an edit and a close: the campaign's id, then its
/// editable fields.
fn details_sql<'s>(sql: &'s str, campaign: &Campaign) -> Sql<'s> {
    bind_details(Sql::new(sql).bind(campaign.id().get()), campaign.details())
}

/// `sql` with the editable fields bound next, in the columns' order: name,
/// description, start and end dates, map edit and view links.
fn bind_details<'s>(sql: Sql<'s>, d: &CampaignDetails) -> Sql<'s> {
    sql.bind(d.name.as_str())
        .bind(d.description.as_str())
        .bind(d.dates.start())
        .bind(d.dates.end())
        .bind(d.map_edit_url.as_ref().map(MapUrl::as_str))
        .bind(d.map_view_url.as_ref().map(MapUrl::as_str))
}

impl<D: Dialect> CampaignRepo for SqlStore<D> {
    async fn campaigns(&self) -> RepoResult<Vec<Campaign>> {
        campaigns_where(&mut self.conn().await?, "", None).await
    }

    async fn campaign(&self, id: CampaignId) -> RepoResult<Option<Campaign>> {
        read_campaign(&mut self.conn().await?, id).await
    }

    async fn active_campaign(&self) -> RepoResult<Option<Campaign>> {
        read_active(&mut self.conn().await?).await
    }

    async fn insert_campaign(
        &self,
        new: &NewCampaign,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<CampaignId> {
        let mut w = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return replayed(&ids).map(CampaignId::new),
            Begun::Run(w) => w,
        };
        let assets: HashSet<_> = new.pool.iter().map(|e| e.asset.asset_id).collect();
        if assets.len() != new.pool.len() {
            return Err(Conflict::AlreadyInPool.into());
        }
        if new.status == CampaignStatus::Active {
            deactivate_others(&mut w, None).await?;
        }
        let id = insert_campaign_row(&mut w, &new.details, new.status, new.created_at, None).await?;
        insert_entries(&mut w, CampaignId::new(id), &new.pool).await?;
        w.commit(&[id]).await?;
        Ok(CampaignId::new(id))
    }

    async fn update_campaign(&self, campaign: &Campaign, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        open_campaign(&mut w, campaign.id(), Lock::Update).await?;
        // Only the editable fields: the status moves through activate and close.
        let sql = "UPDATE campaigns SET name = $2, description = $3, start_date = $4, end_date = $5, \
                   map_edit_url = $6, map_view_url = $7 WHERE id = $1";
        let done = details_sql(sql, campaign).execute(&mut w).await?;
        found(done, "campaign")?;
        w.commit(&[]).await
    }

    async fn activate_campaign(&self, id: CampaignId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        // Lock this campaign and the active one in id order, so two activations
        // swapping the same two campaigns cannot deadlock.
        let sql = format!(
            "SELECT id, status FROM campaigns WHERE id = $1 OR status = 'Active' ORDER BY id{}",
            D::lock(Lock::Update, "campaigns")
        );
        let locked = Sql::new(sql)
            .bind(id.get())
            .all_as(&mut w, |r| {
                let status = stored("campaigns.status", CampaignStatus::parse(&r.get::<String>("status")?))?;
                Ok((r.get::<i64>("id")?, status))
            })
            .await?;
        let status = locked.iter().find(|(found, _)| *found == id.get()).map(|(_, status)| *status);
        if status.ok_or(RepoError::NotFound("campaign"))? == CampaignStatus::Closed {
            return Err(Conflict::CampaignClosed.into());
        }
        deactivate_others(&mut w, Some(id)).await?;
        Sql::new("UPDATE campaigns SET status = 'Active' WHERE id = $1").bind(id.get()).execute(&mut w).await?;
        w.commit(&[]).await
    }

    async fn close_campaign(
        &self,
        campaign: &Campaign,
        report: &CampaignReport,
        audit: &NewAuditEntry,
    ) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        open_campaign(&mut w, campaign.id(), Lock::Update).await?;
        let sql = "UPDATE campaigns SET name = $2, description = $3, start_date = $4, end_date = $5, \
                   map_edit_url = $6, map_view_url = $7, status = $8, closed_at = $9 WHERE id = $1";
        let done = details_sql(sql, campaign)
            .bind(campaign.status().as_str())
            .bind(campaign.closed_at())
            .execute(&mut w)
            .await?;
        found(done, "campaign")?;
        let sql = format!(
            "INSERT INTO campaign_reports (campaign_id, report, created_at) VALUES ($1, {}, $3) \
             ON CONFLICT (campaign_id) DO UPDATE SET report = excluded.report, \
             created_at = excluded.created_at",
            D::json_param("$2")
        );
        Sql::new(sql).bind(campaign.id().get()).bind(archive::encode(report)).bind(audit.at).execute(&mut w).await?;
        w.commit(&[]).await
    }

    async fn final_report(&self, id: CampaignId) -> RepoResult<Option<CampaignReport>> {
        let sql = format!("SELECT {} AS report FROM campaign_reports WHERE campaign_id = $1", D::json_text("report"));
        let json: Option<String> = Sql::new(sql).bind(id.get()).value(&mut self.conn().await?, "report").await?;
        json.map(|j| stored("campaign_reports.report", archive::decode(&j))).transpose()
    }
}

/// Inserts a campaign's row (a new campaign, or an imported one that may be closed
/// already); answers its id.
pub(crate) async fn insert_campaign_row<E: Exec>(
    w: &mut E,
    d: &CampaignDetails,
    status: CampaignStatus,
    created_at: UtcDateTime,
    closed_at: Option<UtcDateTime>,
) -> RepoResult<i64> {
    let sql = Sql::new(
        "INSERT INTO campaigns (name, description, start_date, end_date, map_edit_url, map_view_url, status, \
         created_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    );
    bind_details(sql, d).bind(status.as_str()).bind(created_at).bind(closed_at).returning_id(w).await
}
