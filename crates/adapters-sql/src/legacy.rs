//! The import from the old tracker: reading its database (`read`, any dialect) and
//! writing a plan into our empty store (`LegacyImportRepo`), one transaction.
//!
//! Invariants: the write checks that the store is empty inside its own transaction,
//! after holding the tables it checks against every other writer (SQLite's
//! `BEGIN IMMEDIATE` holds the database; PostgreSQL locks the tables), so of two
//! racing imports the second finds the first's rows and is refused. It inserts each
//! object with the statements the other ports use, and ends with the audit row and the
//! revision like every write.

use crate::SqlStore;
use crate::archive;
use crate::dialect::Dialect;
use crate::errors::invariant;
use crate::events::{insert_changes, with_details};
use crate::libraries::insert_spec;
use crate::query::{Exec, Sql};
use crate::write::insert_audit;
use application::Conflict;
use application::error::RepoResult;
use application::legacy::{ImportPlan, ImportedIds, PlannedCampaign};
use application::ports::{LegacyImportRepo, NewChange};
use domain::{
    AssetId, CampaignId, EventId, LibraryId, MapUrl, MissionId, NewAuditEntry, PoolEntryId, SecurityStamp, UserId,
};

pub mod read;

/// Whether any user, library or campaign exists.
async fn holds_data<E: Exec>(on: &mut E) -> RepoResult<bool> {
    let held: Option<i64> = Sql::new(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM libraries) \
         OR EXISTS (SELECT 1 FROM campaigns) THEN 1 ELSE 0 END AS held",
    )
    .value(on, "held")
    .await?;
    Ok(held == Some(1))
}

impl<D: Dialect> LegacyImportRepo for SqlStore<D> {
    async fn holds_data(&self) -> RepoResult<bool> {
        holds_data(&mut self.conn().await?).await
    }

    async fn import_legacy(&self, plan: &ImportPlan, audit: &NewAuditEntry) -> RepoResult<ImportedIds> {
        let mut w = self.begin_change(audit).await?;
        if let Some(lock) = D::lock_tables("users, libraries, campaigns") {
            Sql::new(lock).execute(&mut w).await?;
        }
        if holds_data(&mut w).await? {
            return Err(Conflict::StoreNotEmpty.into());
        }
        let mut ids = ImportedIds::default();
        for u in &plan.users {
            let id = Sql::new(
                "INSERT INTO users (username, role, password_hash, disabled, security_stamp, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(u.username.as_str())
            .bind(u.role.as_str())
            .bind(u.password_hash.as_str())
            .bind(false)
            .bind(SecurityStamp::INITIAL.get())
            .bind(plan.at)
            .returning_id(&mut w)
            .await?;
            ids.users.push(UserId::new(id));
        }
        for l in &plan.libraries {
            let id = Sql::new(
                "INSERT INTO libraries (name, description, category, is_default) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(l.name.as_str())
            .bind(l.description.as_str())
            .bind(l.category.as_str())
            .bind(l.is_default)
            .returning_id(&mut w)
            .await?;
            let mut assets = Vec::with_capacity(l.assets.len());
            for spec in &l.assets {
                let asset = insert_spec(&mut w, LibraryId::new(id), spec, false).await?;
                assets.push(AssetId::new(asset.ok_or_else(|| invariant("an asset insert returned no id"))?));
            }
            ids.libraries.push(LibraryId::new(id));
            ids.assets.push(assets);
        }
        for c in &plan.campaigns {
            insert_campaign(&mut w, plan, c, &mut ids).await?;
        }
        for (c, id) in ids.campaigns.iter().enumerate() {
            if let Some(report) = plan.archived_report(c, &ids) {
                let sql = format!(
                    "INSERT INTO campaign_reports (campaign_id, report, created_at) VALUES ($1, {}, $3)",
                    D::json_param("$2")
                );
                Sql::new(sql).bind(id.get()).bind(archive::encode(&report)).bind(plan.at).execute(&mut w).await?;
            }
        }
        for entry in plan.library_audit(&ids) {
            let campaign = entry.campaign_id.map(CampaignId::get);
            insert_audit(&mut w, &entry, entry.object.id, campaign).await?;
        }
        w.commit(&[]).await?;
        Ok(ids)
    }
}

/// One campaign with its pool, missions, events and changes; records the ids given.
async fn insert_campaign<E: Exec>(
    w: &mut E,
    plan: &ImportPlan,
    c: &PlannedCampaign,
    ids: &mut ImportedIds,
) -> RepoResult<()> {
    let id = crate::campaigns::insert_campaign_row(w, &c.details, c.status, c.created_at, c.closed_at).await?;
    ids.campaigns.push(CampaignId::new(id));
    let mut entries = Vec::with_capacity(c.pool.len());
    for e in &c.pool {
        let pooled = plan.pooled(e, ids);
        let entry = Sql::new(
            "INSERT INTO pool_entries (campaign_id, asset_id, library_id, asset_name, kind, category, is_unique, \
             initial_quantity, current_quantity, is_public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             RETURNING id",
        )
        .bind(id)
        .bind(pooled.asset_id.get())
        .bind(pooled.library_id.get())
        .bind(pooled.asset_name.as_str())
        .bind(pooled.kind.as_str())
        .bind(pooled.category.as_str())
        .bind(pooled.unique)
        .bind(e.initial.get())
        .bind(e.current.get())
        .bind(e.public)
        .returning_id(w)
        .await?;
        entries.push(PoolEntryId::new(entry));
    }
    let mut missions = Vec::with_capacity(c.missions.len());
    let mut events = Vec::with_capacity(c.missions.len());
    for m in &c.missions {
        let details = &m.details;
        let mission = Sql::new(
            "INSERT INTO missions (campaign_id, name, description, mission_date, location, status, order_index, \
             map_edit_url, map_view_url) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(id)
        .bind(details.name.as_str())
        .bind(details.description.as_str())
        .bind(details.date)
        .bind(details.location.as_str())
        .bind(m.status.as_str())
        .bind(i64::from(m.order_index))
        .bind(details.map_edit_url.as_ref().map(MapUrl::as_str))
        .bind(details.map_view_url.as_ref().map(MapUrl::as_str))
        .returning_id(w)
        .await?;
        missions.push(MissionId::new(mission));
        let mut mission_events = Vec::with_capacity(m.events.len());
        for e in &m.events {
            let sql = Sql::new(
                "INSERT INTO events (mission_id, kind, title, description, occurred_at, location, notes) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(mission);
            let event = with_details(sql, &e.details).returning_id(w).await?;
            let changes: Vec<NewChange> = e
                .changes
                .iter()
                .map(|ch| NewChange { pool_entry_id: entries[ch.entry], delta: ch.delta, note: ch.note.clone() })
                .collect();
            insert_changes(w, event, &changes).await?;
            mission_events.push(EventId::new(event));
        }
        events.push(mission_events);
    }
    ids.entries.push(entries);
    ids.missions.push(missions);
    ids.events.push(events);
    Ok(())
}
