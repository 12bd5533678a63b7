//! Campaign pools: the entries imported from libraries, their visibility and their
//! initial quantities (moved under the ledger rule by `ledger`).
//!
//! Invariant: an asset is in a pool at most once (`pool_entries_campaign_asset_key`);
//! adding an asset the pool holds is skipped, never an error.

use crate::convert::{qty, quantity, stored};
use crate::errors::{db, in_use};
use crate::guards::{self, Lock};
use crate::tx::Begun;
use crate::{PgStore, ledger};
use application::error::RepoResult;
use application::ports::{NewPoolEntry, PoolRepo};
use application::{Conflict, RepoError};
use domain::{
    AssetId, AssetKind, AssetName, CampaignId, Category, IdempotencyKey, LibraryId, NewAuditEntry, PoolEntry,
    PoolEntryId, PooledAsset, Quantity,
};
use sqlx::PgConnection;
use std::collections::HashSet;

/// The columns of a pool entry, in `EntryRow` order.
pub(crate) const ENTRY_COLUMNS: &str = "id, campaign_id, asset_id, library_id, asset_name, kind, \
     category, is_unique, initial_quantity, current_quantity, is_public";

/// A `pool_entries` row.
#[derive(sqlx::FromRow)]
pub(crate) struct EntryRow {
    id: i64,
    campaign_id: i64,
    asset_id: i64,
    library_id: i64,
    asset_name: String,
    kind: String,
    category: String,
    is_unique: bool,
    initial_quantity: i32,
    current_quantity: i32,
    is_public: bool,
}

impl TryFrom<EntryRow> for PoolEntry {
    type Error = RepoError;

    fn try_from(r: EntryRow) -> RepoResult<Self> {
        let asset = PooledAsset {
            asset_id: AssetId::new(r.asset_id),
            library_id: LibraryId::new(r.library_id),
            asset_name: stored("pool_entries.asset_name", AssetName::parse(&r.asset_name))?,
            kind: stored("pool_entries.kind", AssetKind::parse(&r.kind))?,
            category: stored("pool_entries.category", Category::parse(&r.category))?,
            unique: r.is_unique,
        };
        let entry = PoolEntry::new(
            PoolEntryId::new(r.id),
            CampaignId::new(r.campaign_id),
            asset,
            quantity("pool_entries.initial_quantity", r.initial_quantity)?,
            quantity("pool_entries.current_quantity", r.current_quantity)?,
            r.is_public,
        );
        stored("pool_entries", entry)
    }
}

/// Adds `entries` to the campaign's pool, skipping assets it already holds (or that
/// come twice); returns the new entries' ids in the order given.
/// # Errors
/// `Conflict::Ledger` for a unique asset whose quantity is above 1.
pub(crate) async fn insert_entries(
    conn: &mut PgConnection,
    campaign: CampaignId,
    entries: &[NewPoolEntry],
) -> RepoResult<Vec<i64>> {
    let held: Vec<i64> = sqlx::query_scalar("SELECT asset_id FROM pool_entries WHERE campaign_id = $1")
        .bind(campaign.get())
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
    let mut held: HashSet<i64> = held.into_iter().collect();
    let mut added = Vec::new();
    for new in entries {
        if !held.insert(new.asset.asset_id.get()) {
            continue;
        }
        // The domain's check, for exactly its error on a unique asset above 1.
        PoolEntry::new(PoolEntryId::new(0), campaign, new.asset.clone(), new.initial, new.initial, new.public)?;
        let a = &new.asset;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO pool_entries (campaign_id, asset_id, library_id, asset_name, kind, \
             category, is_unique, initial_quantity, current_quantity, is_public) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) \
             ON CONFLICT ON CONSTRAINT pool_entries_campaign_asset_key DO NOTHING RETURNING id",
        )
        .bind(campaign.get())
        .bind(a.asset_id.get())
        .bind(a.library_id.get())
        .bind(a.asset_name.as_str())
        .bind(a.kind.as_str())
        .bind(a.category.as_str())
        .bind(a.unique)
        .bind(qty(new.initial))
        .bind(new.public)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
        added.extend(id);
    }
    Ok(added)
}

impl PoolRepo for PgStore {
    async fn pool(&self, campaign: CampaignId) -> RepoResult<Vec<PoolEntry>> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM pool_entries WHERE campaign_id = $1 ORDER BY id");
        let rows: Vec<EntryRow> = sqlx::query_as(&sql).bind(campaign.get()).fetch_all(&self.pool).await.map_err(db)?;
        let mut pool = rows.into_iter().map(PoolEntry::try_from).collect::<RepoResult<Vec<_>>>()?;
        // The domain's order (kind, then name; ties by id), which SQL cannot express.
        pool.sort_by(|a, b| a.kind().cmp(&b.kind()).then_with(|| a.asset_name().cmp(b.asset_name())));
        Ok(pool)
    }

    async fn pool_entry(&self, id: PoolEntryId) -> RepoResult<Option<PoolEntry>> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM pool_entries WHERE id = $1");
        let row: Option<EntryRow> = sqlx::query_as(&sql).bind(id.get()).fetch_optional(&self.pool).await.map_err(db)?;
        row.map(PoolEntry::try_from).transpose()
    }

    async fn pool_entry_has_changes(&self, id: PoolEntryId) -> RepoResult<bool> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM asset_changes WHERE pool_entry_id = $1)")
            .bind(id.get())
            .fetch_one(&self.pool)
            .await
            .map_err(db)
    }

    async fn add_pool_entries(
        &self,
        campaign: CampaignId,
        entries: &[NewPoolEntry],
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<Vec<PoolEntryId>> {
        let mut w = match self.begin_create(audit, key).await? {
            Begun::Replay(ids) => return Ok(ids.into_iter().map(PoolEntryId::new).collect()),
            Begun::Write(w) => w,
        };
        guards::open_campaign(w.conn(), campaign, Lock::Share).await?;
        let added = insert_entries(w.conn(), campaign, entries).await?;
        if added.is_empty() {
            // Nothing new: no audit entry, and the key stays free.
            w.cancel().await?;
            return Ok(Vec::new());
        }
        w.finish(&added).await?;
        Ok(added.into_iter().map(PoolEntryId::new).collect())
    }

    async fn set_initial_quantity(
        &self,
        id: PoolEntryId,
        initial: Quantity,
        audit: &NewAuditEntry,
    ) -> RepoResult<PoolEntry> {
        let mut w = self.begin_change(audit).await?;
        let campaign = guards::open_entry(w.conn(), id).await?;
        let saved = ledger::set_initial(w.conn(), campaign, id, initial).await?;
        w.finish(&[]).await?;
        Ok(saved)
    }

    async fn set_pool_entry_public(&self, id: PoolEntryId, public: bool, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        guards::open_entry(w.conn(), id).await?;
        sqlx::query("UPDATE pool_entries SET is_public = $2 WHERE id = $1")
            .bind(id.get())
            .bind(public)
            .execute(w.conn())
            .await
            .map_err(db)?;
        w.finish(&[]).await
    }

    async fn remove_pool_entry(&self, id: PoolEntryId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        guards::open_entry(w.conn(), id).await?;
        let used: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM asset_changes WHERE pool_entry_id = $1)")
            .bind(id.get())
            .fetch_one(w.conn())
            .await
            .map_err(db)?;
        if used {
            return Err(Conflict::InUse("the pool entry").into());
        }
        // The foreign key from asset_changes backs the check up against a change
        // recorded concurrently.
        sqlx::query("DELETE FROM pool_entries WHERE id = $1")
            .bind(id.get())
            .execute(w.conn())
            .await
            .map_err(in_use("the pool entry"))?;
        w.finish(&[]).await
    }
}
