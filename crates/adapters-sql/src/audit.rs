//! Reading the audit trail (`AuditRepo`); rows are written by `write.rs` with each
//! write. A page and its total are read in one snapshot.

use crate::SqlStore;
use crate::dialect::Dialect;
use crate::errors::stored;
use crate::query::{Exec, Row, Sql};
use application::error::RepoResult;
use application::ports::{AuditFilter, AuditRepo, Page, PageRequest};
use domain::{AuditAction, AuditEntry, AuditEntryId, CampaignId, NewAuditEntry, ObjectKind, ObjectRef, UserId};

pub(crate) const MATCHING: &str = "FROM audit_log WHERE ($1 IS NULL OR campaign_id = $1) \
     AND ($2 IS NULL OR actor_id = $2) AND (CAST($3 AS TEXT) IS NULL OR action = $3)";

pub(crate) fn entry<D: Dialect>(r: Row<'_, D>) -> RepoResult<AuditEntry> {
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
pub(crate) fn matching<'s>(sql: String, filter: &AuditFilter) -> Sql<'s> {
    Sql::new(sql)
        .bind(filter.campaign.map(CampaignId::get))
        .bind(filter.actor.map(UserId::get))
        .bind(filter.action.map(AuditAction::as_str))
}

const ENTRY_COLUMNS: &str = "id, at, actor_id, actor_name, action, campaign_id, object_kind, object_id, details";

/// One page of the entries matching `filter`, newest first, with their total, in one
/// statement (the count is joined to the page, so it comes back even past the last page).
pub(crate) async fn read_audit_log_with_total<E: Exec>(
    on: &mut E,
    filter: &AuditFilter,
    page: PageRequest,
) -> RepoResult<Page<AuditEntry>> {
    let sql = format!(
        "SELECT t.total, {} FROM (SELECT count(*) AS total {MATCHING}) t \
         LEFT JOIN (SELECT {ENTRY_COLUMNS} {MATCHING} ORDER BY id DESC LIMIT $4 OFFSET $5) a ON 1 = 1 \
         ORDER BY a.id DESC",
        crate::query::prefixed("a", "a_", ENTRY_COLUMNS)
    );
    let offset = stored("page offset", i64::try_from(page.offset()))?;
    let mut total = 0;
    let mut items = Vec::new();
    for row in matching(sql, filter).bind(page.per_page).bind(offset).all(on).await? {
        let r = Row::<E::D>::new(&row);
        total = r.get("total")?;
        if r.prefixed("a_").get::<Option<i64>>("id")?.is_some() {
            items.push(entry(r.prefixed("a_"))?);
        }
    }
    Ok(Page { items, request: page, total })
}

impl<D: Dialect> AuditRepo for SqlStore<D> {
    async fn audit_log(&self, filter: &AuditFilter, page: PageRequest) -> RepoResult<Page<AuditEntry>> {
        read_audit_log_with_total(&mut self.conn().await?, filter, page).await
    }

    async fn campaign_audit(&self, campaign: CampaignId) -> RepoResult<Vec<AuditEntry>> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE campaign_id = $1 ORDER BY id");
        let rows = Sql::new(sql).bind(campaign.get()).all(&mut self.conn().await?).await?;
        rows.iter().map(|row| entry(Row::<D>::new(row))).collect()
    }
}
