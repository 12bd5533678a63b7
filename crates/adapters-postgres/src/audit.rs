//! Reading the audit trail, newest first, filtered by campaign, actor and action.
//! Entries are written only by `tx::Write::finish`, with the change they describe.

use crate::PgStore;
use crate::convert::{from_db, stored};
use crate::errors::db;
use application::RepoError;
use application::error::RepoResult;
use application::ports::{AuditFilter, AuditRepo, Page, PageRequest};
use domain::{AuditAction, AuditEntry, AuditEntryId, CampaignId, NewAuditEntry, ObjectKind, ObjectRef, UserId};
use time::OffsetDateTime;

/// Entries matching the filter's parameters $1 (campaign), $2 (actor), $3 (action).
const MATCHING: &str = "FROM audit_log \
     WHERE ($1::bigint IS NULL OR campaign_id = $1) \
       AND ($2::bigint IS NULL OR actor_id = $2) \
       AND ($3::text IS NULL OR action = $3)";

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

impl TryFrom<AuditRow> for AuditEntry {
    type Error = RepoError;

    fn try_from(r: AuditRow) -> RepoResult<Self> {
        Ok(AuditEntry {
            id: AuditEntryId::new(r.id),
            entry: NewAuditEntry {
                at: from_db(r.at),
                actor_id: r.actor_id.map(UserId::new),
                actor_name: r.actor_name,
                action: stored("audit_log.action", AuditAction::parse(&r.action))?,
                campaign_id: r.campaign_id.map(CampaignId::new),
                object: ObjectRef {
                    kind: stored("audit_log.object_kind", ObjectKind::parse(&r.object_kind))?,
                    id: r.object_id,
                },
                details: r.details,
            },
        })
    }
}

impl AuditRepo for PgStore {
    async fn audit_log(&self, filter: &AuditFilter, page: PageRequest) -> RepoResult<Page<AuditEntry>> {
        let campaign = filter.campaign.map(CampaignId::get);
        let actor = filter.actor.map(UserId::get);
        let action = filter.action.map(AuditAction::as_str);
        let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) {MATCHING}"))
            .bind(campaign)
            .bind(actor)
            .bind(action)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        let sql = format!(
            "SELECT id, at, actor_id, actor_name, action, campaign_id, object_kind, object_id, \
             details {MATCHING} ORDER BY id DESC LIMIT $4 OFFSET $5"
        );
        let rows: Vec<AuditRow> = sqlx::query_as(&sql)
            .bind(campaign)
            .bind(actor)
            .bind(action)
            .bind(i64::from(page.per_page))
            .bind(stored("page offset", i64::try_from(page.offset()))?)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(Page {
            items: rows.into_iter().map(AuditEntry::try_from).collect::<RepoResult<_>>()?,
            request: page,
            total: stored("audit entry count", u64::try_from(total))?,
        })
    }
}
