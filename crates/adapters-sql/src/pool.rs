//! Campaign pools (`PoolRepo`): reading entries, adding assets, and the writes that
//! change an entry, each under the closed-campaign backstop and, for quantities, the
//! ledger guard of `ledger.rs`.

use crate::SqlStore;
use crate::dialect::{Dialect, Lock};
use crate::errors::{found, stored};
use crate::guards::{open_campaign, open_entry};
use crate::ledger;
use crate::query::{Exec, Row, Sql};
use crate::write::Begun;
use application::error::RepoResult;
use application::ports::{NewPoolEntry, PoolRepo};
use application::{Conflict, RepoError};
use domain::{
    AssetId, AssetKind, AssetName, CampaignId, Category, IdempotencyKey, LibraryId, NewAuditEntry, PoolEntry,
    PoolEntryId, PooledAsset, Quantity,
};

pub(crate) const POOL_COLUMNS: &str = "id, campaign_id, asset_id, library_id, asset_name, kind, \
     category, is_unique, initial_quantity, current_quantity, is_public";

/// A stored quantity.
pub(crate) fn quantity<D: Dialect>(r: &Row<'_, D>, column: &'static str) -> RepoResult<Quantity> {
    stored(column, Quantity::new(r.get(column)?))
}

pub(crate) fn entry<D: Dialect>(r: Row<'_, D>) -> RepoResult<PoolEntry> {
    let asset = PooledAsset {
        asset_id: AssetId::new(r.get("asset_id")?),
        library_id: LibraryId::new(r.get("library_id")?),
        asset_name: stored("pool_entries.asset_name", AssetName::parse(&r.get::<String>("asset_name")?))?,
        kind: stored("pool_entries.kind", AssetKind::parse(&r.get::<String>("kind")?))?,
        category: stored("pool_entries.category", Category::parse(&r.get::<String>("category")?))?,
        unique: r.get("is_unique")?,
    };
    stored(
        "pool entry",
        PoolEntry::new(
            PoolEntryId::new(r.get("id")?),
            CampaignId::new(r.get("campaign_id")?),
            asset,
            quantity(&r, "initial_quantity")?,
            quantity(&r, "current_quantity")?,
            r.get("is_public")?,
        ),
    )
}

/// Sorts a pool in the domain's kind order (`AssetKind::ALL`), then by name; ties keep
/// id order.
pub(crate) fn sorted(mut pool: Vec<PoolEntry>) -> Vec<PoolEntry> {
    pool.sort_by(|a, b| a.kind().cmp(&b.kind()).then_with(|| a.asset_name().cmp(b.asset_name())));
    pool
}

/// A campaign's pool, read on `on`.
pub(crate) async fn read_pool<E: Exec>(on: &mut E, campaign: CampaignId) -> RepoResult<Vec<PoolEntry>> {
    let sql = format!("SELECT {POOL_COLUMNS} FROM pool_entries WHERE campaign_id = $1 ORDER BY id");
    Sql::new(sql).bind(campaign.get()).all_as(on, entry).await.map(sorted)
}

/// Whether the campaign's pool holds the asset.
async fn held<E: Exec>(on: &mut E, campaign: CampaignId, asset: AssetId) -> RepoResult<bool> {
    let sql = "SELECT EXISTS (SELECT 1 FROM pool_entries WHERE campaign_id = $1 AND asset_id = $2) AS held";
    Ok(Sql::new(sql).bind(campaign.get()).bind(asset.get()).value(on, "held").await?.unwrap_or(false))
}

/// Copies `entries` into the campaign's pool, skipping assets it already holds;
/// answers the new entries' ids.
pub(crate) async fn insert_entries<E: Exec>(
    on: &mut E,
    campaign: CampaignId,
    entries: &[NewPoolEntry],
) -> RepoResult<Vec<i64>> {
    let mut added = Vec::new();
    for new in entries {
        // The domain's check of a unique asset's quantity, so the error is the domain's
        // (the id is not known yet and plays no part in the check). An asset the pool
        // already holds is skipped whatever its quantity.
        let checked =
            PoolEntry::new(PoolEntryId::new(0), campaign, new.asset.clone(), new.initial, new.initial, new.public);
        if let Err(refused) = checked {
            if held(on, campaign, new.asset.asset_id).await? {
                continue;
            }
            return Err(refused.into());
        }
        let added_id: Option<i64> = Sql::new(
            "INSERT INTO pool_entries (campaign_id, asset_id, library_id, asset_name, kind, \
             category, is_unique, initial_quantity, current_quantity, is_public) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) \
             ON CONFLICT (campaign_id, asset_id) DO NOTHING RETURNING id",
        )
        .bind(campaign.get())
        .bind(new.asset.asset_id.get())
        .bind(new.asset.library_id.get())
        .bind(new.asset.asset_name.as_str())
        .bind(new.asset.kind.as_str())
        .bind(new.asset.category.as_str())
        .bind(new.asset.unique)
        .bind(new.initial.get())
        .bind(new.public)
        .foreign_key(RepoError::NotFound("asset"))
        .value(on, "id")
        .await?;
        added.extend(added_id);
    }
    Ok(added)
}

impl<D: Dialect> PoolRepo for SqlStore<D> {
    async fn pool(&self, campaign: CampaignId) -> RepoResult<Vec<PoolEntry>> {
        read_pool(&mut self.conn().await?, campaign).await
    }

    async fn pool_entry(&self, id: PoolEntryId) -> RepoResult<Option<PoolEntry>> {
        ledger::entry(&mut self.conn().await?, id, None).await
    }

    async fn pool_entry_has_changes(&self, id: PoolEntryId) -> RepoResult<bool> {
        let sql = Sql::new("SELECT EXISTS (SELECT 1 FROM asset_changes WHERE pool_entry_id = $1) AS used");
        Ok(sql.bind(id.get()).value(&mut self.conn().await?, "used").await?.unwrap_or(false))
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
            Begun::Run(mut w) => {
                open_campaign(&mut w, campaign, Lock::Share).await?;
                let added = insert_entries(&mut w, campaign, entries).await?;
                if added.is_empty() {
                    // Nothing new: no audit entry and no key, as if never asked.
                    return Ok(Vec::new());
                }
                w.commit(&added).await?;
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
        let mut w = self.begin_change(audit).await?;
        let campaign = open_entry(&mut w, id).await?;
        let saved = ledger::set_initial(&mut w, campaign, id, initial).await?;
        w.commit(&[]).await?;
        Ok(saved)
    }

    async fn set_pool_entry_public(&self, id: PoolEntryId, public: bool, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        open_entry(&mut w, id).await?;
        let done = Sql::new("UPDATE pool_entries SET is_public = $2 WHERE id = $1")
            .bind(id.get())
            .bind(public)
            .execute(&mut w);
        found(done.await?, "pool entry")?;
        w.commit(&[]).await
    }

    async fn remove_pool_entry(&self, id: PoolEntryId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        open_entry(&mut w, id).await?;
        let done = Sql::new("DELETE FROM pool_entries WHERE id = $1")
            .bind(id.get())
            .foreign_key(Conflict::InUse("the pool entry").into())
            .execute(&mut w)
            .await?;
        found(done, "pool entry")?;
        w.commit(&[]).await
    }
}
