//! Reading the audit trail (`AuditRepo`); rows are written by `tx.rs` with each write.

use crate::SqliteStore;
use crate::codec::{parsed, utc};
use crate::errors::db;
use application::RepoError;
use application::error::RepoResult;
use application::ports::{AuditFilter, AuditRepo, Page, PageRequest};
use domain::{AuditAction, AuditEntry, AuditEntryId, CampaignId, NewAuditEntry, ObjectKind, ObjectRef, UserId};
use time::OffsetDateTime;

/// Each filter applies only when its parameter is not NULL.
const MATCHING: &str = "FROM audit_log WHERE (?1 IS NULL OR campaign_id = ?1) \
     AND (?2 IS NULL OR actor_id = ?2) AND (?3 IS NULL OR action = ?3)";

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: OffsetDateTime,
    actor_id: Option<i64>,
    actor_name: String,
    action: String,
    campaign_id: Option<i64>,
    object_kind: String,
    object_id: Option<i64>,
    details: String,
}

impl AuditRow {
    fn into_entry(self) -> RepoResult<AuditEntry> {
        Ok(AuditEntry {
            id: AuditEntryId::new(self.id),
            entry: NewAuditEntry {
                at: utc(self.at),
                actor_id: self.actor_id.map(UserId::new),
                actor_name: self.actor_name,
                action: parsed("audit action", AuditAction::parse(&self.action))?,
                campaign_id: self.campaign_id.map(CampaignId::new),
                object: ObjectRef {
                    kind: parsed("audit object kind", ObjectKind::parse(&self.object_kind))?,
                    id: self.object_id,
                },
                details: self.details,
            },
        })
    }
}

impl AuditRepo for SqliteStore {
    async fn audit_log(&self, filter: &AuditFilter, page: PageRequest) -> RepoResult<Page<AuditEntry>> {
        let campaign = filter.campaign.map(CampaignId::get);
        let actor = filter.actor.map(UserId::get);
        let action = filter.action.map(AuditAction::as_str);
        let mut tx = self.pool.begin().await.map_err(RepoError::unexpected)?;
        let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) {MATCHING}"))
            .bind(campaign)
            .bind(actor)
            .bind(action)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let rows: Vec<AuditRow> = sqlx::query_as(&format!(
            "SELECT id, at, actor_id, actor_name, action, campaign_id, object_kind, object_id, \
             details {MATCHING} ORDER BY id DESC LIMIT ?4 OFFSET ?5"
        ))
        .bind(campaign)
        .bind(actor)
        .bind(action)
        .bind(i64::from(page.per_page))
        .bind(parsed("page offset", i64::try_from(page.offset()))?)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        Ok(Page {
            items: rows.into_iter().map(AuditRow::into_entry).collect::<RepoResult<_>>()?,
            request: page,
            total: parsed("audit entry count", u64::try_from(total))?,
        })
    }
}
