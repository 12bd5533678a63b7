//! Reading the audit trail (`AuditRepo`); rows are written by `write.rs` with each
//! write. A page and its total are read in one snapshot.

use crate::SqlStore;
use crate::dialect::Dialect;
use crate::errors::stored;
use crate::query::{Exec, Row, Sql};
use application::error::RepoResult;
use application::ports::{AuditFilter, AuditRepo, Page, PageRequest};
use domain::{AuditAction, AuditEntry, AuditEntryId, CampaignId, NewAuditEntry, ObjectKind, ObjectRef, UserId};

const MATCHING: &str = "FROM audit_log WHERE ($1 IS NULL OR campaign_id = $1) \
     AND ($2 IS NULL OR actor_id = $2) AND (CAST($3 AS TEXT) IS NULL OR action = $3)";

fn entry<D: Dialect>(r: Row<'_, D>) -> RepoResult<AuditEntry> {
    Ok(AuditEntry {
        id: AuditEntryId::new(r.get("id")?),
        entry: NewAuditEntry {
            at: r.get("at")?,
            actor_id: r.get::<Option<i64>>("actor_id")?.map(UserId::new),
            actor_name: r.get("actor_name")?,
            action: stored("audit_log.action", AuditAction::parse(&r.get::<String>("action")?))?,
            campaign_id: r.get::<Option<i64>>("campaign_id")?.map(CampaignId::new),
            object: ObjectRef {
                kind: stored("audit_log.object_kind", ObjectKind::parse(&r.get::<String>("object_kind")?))?,
                id: r.get("object_id")?,
            },
            details: r.get("details")?,
        },
    })
}

/// The filter's values for `MATCHING`'s `$1` to `$3`.
fn matching<'s>(sql: String, filter: &AuditFilter) -> Sql<'s> {
    Sql::new(sql)
        .bind(filter.campaign.map(CampaignId::get))
        .bind(filter.actor.map(UserId::get))
        .bind(filter.action.map(AuditAction::as_str))
}

/// One page of the entries matching `filter`, newest first, with their total.
pub(crate) async fn read_audit_log<E: Exec>(
    on: &mut E,
    filter: &AuditFilter,
    page: PageRequest,
) -> RepoResult<Page<AuditEntry>> {
    let total = matching(format!("SELECT count(*) AS total {MATCHING}"), filter).value(on, "total").await?;
    let sql = format!(
        "SELECT id, at, actor_id, actor_name, action, campaign_id, object_kind, object_id, details \
         {MATCHING} ORDER BY id DESC LIMIT $4 OFFSET $5"
    );
    let offset = stored("page offset", i64::try_from(page.offset()))?;
    let items = matching(sql, filter).bind(page.per_page).bind(offset).all_as(on, entry).await?;
    Ok(Page { items, request: page, total: total.unwrap_or(0) })
}

impl<D: Dialect> AuditRepo for SqlStore<D> {
    async fn audit_log(&self, filter: &AuditFilter, page: PageRequest) -> RepoResult<Page<AuditEntry>> {
        let mut snapshot = self.snapshot().await?;
        let log = read_audit_log(&mut snapshot, filter, page).await?;
        snapshot.end().await?;
        Ok(log)
    }
}
