//! Campaign pools (`PoolRepo`): reading entries, adding assets, and the writes that
//! move an entry, each under the closed-campaign backstop and, for quantities, the
//! ledger guard of `ledger.rs`.

use crate::SqliteStore;
use crate::campaigns::ensure_open;
use crate::codec::{count, parsed};
use crate::errors::{db, db_or, found, required};
use crate::ledger;
use crate::tx::Begun;
use application::RepoError;
use application::error::RepoResult;
use application::ports::{NewPoolEntry, PoolRepo};
use domain::{
    AssetId, AssetKind, AssetName, CampaignId, Category, IdempotencyKey, LibraryId, NewAuditEntry, PoolEntry,
    PoolEntryId, PooledAsset, Quantity,
};
use sqlx::SqliteConnection;

/// The columns `PoolRow` reads, in a form usable after `SELECT` and `RETURNING`.
pub(crate) const POOL_COLUMNS: &str = "id, campaign_id, asset_id, library_id, asset_name, kind, \
     category, is_unique, initial_quantity, current_quantity, is_public";

#[derive(sqlx::FromRow)]
pub(crate) struct PoolRow {
    id: i64,
    campaign_id: i64,
    asset_id: i64,
    library_id: i64,
    asset_name: String,
    kind: String,
    category: String,
    is_unique: bool,
    initial_quantity: i64,
    current_quantity: i64,
    is_public: bool,
}

impl PoolRow {
    pub(crate) fn into_entry(self) -> RepoResult<PoolEntry> {
        let asset = PooledAsset {
            asset_id: AssetId::new(self.asset_id),
            library_id: LibraryId::new(self.library_id),
            asset_name: parsed("asset name", AssetName::parse(&self.asset_name))?,
            kind: parsed("asset kind", AssetKind::parse(&self.kind))?,
            category: parsed("asset category", Category::parse(&self.category))?,
            unique: self.is_unique,
        };
        let initial = parsed("initial quantity", Quantity::new(count("initial quantity", self.initial_quantity)?))?;
        let current = parsed("current quantity", Quantity::new(count("current quantity", self.current_quantity)?))?;
        parsed(
            "pool entry",
            PoolEntry::new(
                PoolEntryId::new(self.id),
                CampaignId::new(self.campaign_id),
                asset,
                initial,
                current,
                self.is_public,
            ),
        )
    }
}

/// One entry, read on `conn` (inside a write, so it sees the write's own changes).
pub(crate) async fn entry(conn: &mut SqliteConnection, id: PoolEntryId) -> RepoResult<Option<PoolEntry>> {
    let row: Option<PoolRow> = sqlx::query_as(&format!("SELECT {POOL_COLUMNS} FROM pool_entries WHERE id = ?"))
        .bind(id.get())
        .fetch_optional(conn)
        .await
        .map_err(db)?;
    row.map(PoolRow::into_entry).transpose()
}

/// The campaign of an entry, provided the campaign is open.
///
/// # Errors
/// `NotFound("pool entry")`; `Conflict::CampaignClosed`.
async fn open_entry(conn: &mut SqliteConnection, id: PoolEntryId) -> RepoResult<CampaignId> {
    let campaign: Option<i64> = sqlx::query_scalar("SELECT campaign_id FROM pool_entries WHERE id = ?")
        .bind(id.get())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    let campaign = CampaignId::new(required(campaign, "pool entry")?);
    ensure_open(conn, campaign).await?;
    Ok(campaign)
}

/// Adds entries to a campaign's pool, skipping assets it already holds (including
/// one named twice in `entries`); returns the ids added, in order.
pub(crate) async fn insert_entries(
    conn: &mut SqliteConnection,
    campaign: CampaignId,
    entries: &[NewPoolEntry],
) -> RepoResult<Vec<i64>> {
    let mut added = Vec::new();
    for new in entries {
        let held: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pool_entries WHERE campaign_id = ? AND asset_id = ?)")
                .bind(campaign.get())
                .bind(new.asset.asset_id.get())
                .fetch_one(&mut *conn)
                .await
                .map_err(db)?;
        if held {
            continue;
        }
        // The domain's check of a unique asset's quantity, so the error is the domain's
        // (the id is not known yet and plays no part in the check).
        PoolEntry::new(PoolEntryId::new(0), campaign, new.asset.clone(), new.initial, new.initial, new.public)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pool_entries (campaign_id, asset_id, library_id, asset_name, kind, \
             category, is_unique, initial_quantity, current_quantity, is_public) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9) RETURNING id",
        )
        .bind(campaign.get())
        .bind(new.asset.asset_id.get())
        .bind(new.asset.library_id.get())
        .bind(new.asset.asset_name.as_str())
        .bind(new.asset.kind.as_str())
        .bind(new.asset.category.as_str())
        .bind(new.asset.unique)
        .bind(i64::from(new.initial.get()))
        .bind(new.public)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_or(RepoError::NotFound("asset")))?;
        added.push(id);
    }
    Ok(added)
}

impl PoolRepo for SqliteStore {
    async fn pool(&self, campaign: CampaignId) -> RepoResult<Vec<PoolEntry>> {
        let rows: Vec<PoolRow> =
            sqlx::query_as(&format!("SELECT {POOL_COLUMNS} FROM pool_entries WHERE campaign_id = ? ORDER BY id"))
                .bind(campaign.get())
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        let mut pool = rows.into_iter().map(PoolRow::into_entry).collect::<RepoResult<Vec<_>>>()?;
        // The domain's kind order (AssetKind::ALL), then the name; ties keep id order.
        pool.sort_by(|a, b| a.kind().cmp(&b.kind()).then_with(|| a.asset_name().cmp(b.asset_name())));
        Ok(pool)
    }

    async fn pool_entry(&self, id: PoolEntryId) -> RepoResult<Option<PoolEntry>> {
        let mut conn = self.pool.acquire().await.map_err(RepoError::unexpected)?;
        entry(&mut conn, id).await
    }

    async fn pool_entry_has_changes(&self, id: PoolEntryId) -> RepoResult<bool> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM asset_changes WHERE pool_entry_id = ?)")
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
        let ids = match self.begin(audit, key).await? {
            Begun::Replay(ids) => ids,
            Begun::Run(mut write) => {
                ensure_open(write.conn(), campaign).await?;
                let added = insert_entries(write.conn(), campaign, entries).await?;
                if added.is_empty() {
                    // Nothing new: no audit entry and no key, as if never asked.
                    return Ok(Vec::new());
                }
                write.commit(&added).await?;
                added
            }
        };
        Ok(ids.into_iter().map(PoolEntryId::new).collect())
    }

    async fn set_initial_quantity(
        &self,
        id: PoolEntryId,
        initial: Quantity,
        audit: &NewAuditEntry,
    ) -> RepoResult<PoolEntry> {
        let mut write = self.begin_change(audit).await?;
        let campaign = open_entry(write.conn(), id).await?;
        let saved = ledger::set_initial(write.conn(), campaign, id, initial).await?;
        write.commit(&[]).await?;
        Ok(saved)
    }

    async fn set_pool_entry_public(&self, id: PoolEntryId, public: bool, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        open_entry(write.conn(), id).await?;
        let done = sqlx::query("UPDATE pool_entries SET is_public = ? WHERE id = ?")
            .bind(public)
            .bind(id.get())
            .execute(write.conn())
            .await
            .map_err(db)?;
        found(done.rows_affected(), "pool entry")?;
        write.commit(&[]).await
    }

    async fn remove_pool_entry(&self, id: PoolEntryId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        open_entry(write.conn(), id).await?;
        let done = sqlx::query("DELETE FROM pool_entries WHERE id = ?")
            .bind(id.get())
            .execute(write.conn())
            .await
            .map_err(db_or(application::Conflict::InUse("the pool entry").into()))?;
        found(done.rows_affected(), "pool entry")?;
        write.commit(&[]).await
    }
}
