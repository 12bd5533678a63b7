//! Asset libraries and their assets, with unique names (library names overall, asset
//! names within their library) and the in-use checks that keep pools' assets alive.
//!
//! Invariant: a library or asset that a pool refers to is never deleted: the write
//! checks under a row lock, and the pool's foreign keys (RESTRICT) back it up.

mod rows;

use crate::PgStore;
use crate::convert::qty;
use crate::errors::{db, found, in_use};
use crate::tx::{Begun, replayed_one};
use application::error::RepoResult;
use application::ports::{LibraryRepo, LibrarySummary, NewLibrary};
use application::{Conflict, RepoError};
use domain::{Asset, AssetId, AssetLibrary, AssetSpec, IdempotencyKey, LibraryId, NewAuditEntry};
use rows::{ASSET_COLUMNS, AssetRow, SUMMARY, SummaryRow};
use sqlx::PgConnection;

/// Locks the library against deletion (`FOR KEY SHARE`, to add assets) or for it.
/// # Errors
/// `NotFound("library")`.
async fn lock_library(conn: &mut PgConnection, id: LibraryId, deleting: bool) -> RepoResult<()> {
    let sql = if deleting {
        "SELECT id FROM libraries WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT id FROM libraries WHERE id = $1 FOR KEY SHARE"
    };
    let found: Option<i64> = sqlx::query_scalar(sql).bind(id.get()).fetch_optional(conn).await.map_err(db)?;
    found.map(|_| ()).ok_or(RepoError::NotFound("library"))
}

/// Inserts an asset; `None` when `skip_taken` and the library has the name already.
async fn insert_asset_row(
    conn: &mut PgConnection,
    library: LibraryId,
    spec: &AssetSpec,
    skip_taken: bool,
) -> RepoResult<Option<i64>> {
    let sql = if skip_taken {
        "INSERT INTO assets (library_id, name, kind, category, description, default_quantity, \
         is_unique, is_public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT ON CONSTRAINT assets_library_name_key DO NOTHING RETURNING id"
    } else {
        "INSERT INTO assets (library_id, name, kind, category, description, default_quantity, \
         is_unique, is_public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
    };
    sqlx::query_scalar(sql)
        .bind(library.get())
        .bind(spec.name().as_str())
        .bind(spec.kind().as_str())
        .bind(spec.category().as_str())
        .bind(spec.description().as_str())
        .bind(qty(spec.default_quantity()))
        .bind(spec.is_unique())
        .bind(spec.is_public())
        .fetch_optional(conn)
        .await
        .map_err(db)
}

impl LibraryRepo for PgStore {
    async fn libraries(&self) -> RepoResult<Vec<LibrarySummary>> {
        // COLLATE "C" sorts by code point, as the domain's strings do.
        let sql = format!("{SUMMARY} ORDER BY l.name COLLATE \"C\"");
        let rows: Vec<SummaryRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await.map_err(db)?;
        rows.into_iter().map(LibrarySummary::try_from).collect()
    }

    async fn library(&self, id: LibraryId) -> RepoResult<Option<LibrarySummary>> {
        let sql = format!("{SUMMARY} WHERE l.id = $1");
        let row: Option<SummaryRow> =
            sqlx::query_as(&sql).bind(id.get()).fetch_optional(&self.pool).await.map_err(db)?;
        row.map(LibrarySummary::try_from).transpose()
    }

    async fn assets(&self, library: LibraryId) -> RepoResult<Vec<Asset>> {
        let sql = format!("SELECT {ASSET_COLUMNS} FROM assets WHERE library_id = $1 ORDER BY id");
        let rows: Vec<AssetRow> = sqlx::query_as(&sql).bind(library.get()).fetch_all(&self.pool).await.map_err(db)?;
        let mut assets = rows.into_iter().map(Asset::try_from).collect::<RepoResult<Vec<_>>>()?;
        // The domain's order: kind (in `AssetKind::ALL` order), then name.
        assets.sort_by(|a, b| a.spec.kind().cmp(&b.spec.kind()).then_with(|| a.spec.name().cmp(b.spec.name())));
        Ok(assets)
    }

    async fn asset(&self, id: AssetId) -> RepoResult<Option<Asset>> {
        let sql = format!("SELECT {ASSET_COLUMNS} FROM assets WHERE id = $1");
        let row: Option<AssetRow> = sqlx::query_as(&sql).bind(id.get()).fetch_optional(&self.pool).await.map_err(db)?;
        row.map(Asset::try_from).transpose()
    }

    async fn asset_in_use(&self, id: AssetId) -> RepoResult<bool> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pool_entries WHERE asset_id = $1)")
            .bind(id.get())
            .fetch_one(&self.pool)
            .await
            .map_err(db)
    }

    async fn insert_library(
        &self,
        new: &NewLibrary,
        assets: &[AssetSpec],
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<LibraryId> {
        let mut w = match self.begin_create(audit, key).await? {
            Begun::Replay(ids) => return replayed_one(&ids).map(LibraryId::new),
            Begun::Write(w) => w,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO libraries (name, description, category, is_default) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(new.name.as_str())
        .bind(new.description.as_str())
        .bind(new.category.as_str())
        .bind(new.is_default)
        .fetch_one(w.conn())
        .await
        .map_err(db)?;
        let library = LibraryId::new(id);
        // A name repeated in `assets` violates `assets_library_name_key`: the whole write
        // rolls back (dropping `w`) with `DuplicateAssetName`.
        for spec in assets {
            insert_asset_row(w.conn(), library, spec, false).await?;
        }
        w.finish(&[id]).await?;
        Ok(library)
    }

    async fn update_library(&self, library: &AssetLibrary, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let updated = sqlx::query(
            "UPDATE libraries SET name = $2, description = $3, category = $4, is_default = $5 \
             WHERE id = $1",
        )
        .bind(library.id.get())
        .bind(library.name.as_str())
        .bind(library.description.as_str())
        .bind(library.category.as_str())
        .bind(library.is_default)
        .execute(w.conn())
        .await
        .map_err(db)?;
        if updated.rows_affected() == 0 {
            // Like the reference store, a taken name is reported before a missing library.
            let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM libraries WHERE name = $1)")
                .bind(library.name.as_str())
                .fetch_one(w.conn())
                .await
                .map_err(db)?;
            return Err(if taken { Conflict::DuplicateLibraryName.into() } else { RepoError::NotFound("library") });
        }
        w.finish(&[]).await
    }

    async fn delete_library(&self, id: LibraryId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        lock_library(w.conn(), id, true).await?;
        let sql = format!("SELECT in_use FROM ({SUMMARY}) s WHERE s.id = $1");
        let used: bool = sqlx::query_scalar(&sql).bind(id.get()).fetch_one(w.conn()).await.map_err(db)?;
        if used {
            return Err(Conflict::InUse("the library").into());
        }
        sqlx::query("DELETE FROM libraries WHERE id = $1")
            .bind(id.get())
            .execute(w.conn())
            .await
            .map_err(in_use("the library"))?;
        w.finish(&[]).await
    }

    async fn insert_asset(
        &self,
        library: LibraryId,
        spec: &AssetSpec,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<AssetId> {
        let mut w = match self.begin_create(audit, key).await? {
            Begun::Replay(ids) => return replayed_one(&ids).map(AssetId::new),
            Begun::Write(w) => w,
        };
        lock_library(w.conn(), library, false).await?;
        let id = insert_asset_row(w.conn(), library, spec, false).await?.ok_or(RepoError::NotFound("library"))?;
        w.finish(&[id]).await?;
        Ok(AssetId::new(id))
    }

    async fn update_asset(&self, asset: &Asset, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        // The asset stays in its library, whatever `asset.library_id` says.
        let spec = &asset.spec;
        let updated = sqlx::query(
            "UPDATE assets SET name = $2, kind = $3, category = $4, description = $5, \
             default_quantity = $6, is_unique = $7, is_public = $8 WHERE id = $1",
        )
        .bind(asset.id.get())
        .bind(spec.name().as_str())
        .bind(spec.kind().as_str())
        .bind(spec.category().as_str())
        .bind(spec.description().as_str())
        .bind(qty(spec.default_quantity()))
        .bind(spec.is_unique())
        .bind(spec.is_public())
        .execute(w.conn())
        .await
        .map_err(db)?;
        found(updated.rows_affected(), "asset")?;
        w.finish(&[]).await
    }

    async fn delete_asset(&self, id: AssetId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let found: Option<bool> = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pool_entries p WHERE p.asset_id = a.id) \
             FROM assets a WHERE a.id = $1 FOR UPDATE OF a",
        )
        .bind(id.get())
        .fetch_optional(w.conn())
        .await
        .map_err(db)?;
        match found {
            None => return Err(RepoError::NotFound("asset")),
            Some(true) => return Err(Conflict::InUse("the asset").into()),
            Some(false) => {}
        }
        sqlx::query("DELETE FROM assets WHERE id = $1")
            .bind(id.get())
            .execute(w.conn())
            .await
            .map_err(in_use("the asset"))?;
        w.finish(&[]).await
    }

    async fn copy_assets(&self, library: LibraryId, specs: &[AssetSpec], audit: &NewAuditEntry) -> RepoResult<u64> {
        let mut w = self.begin_change(audit).await?;
        lock_library(w.conn(), library, false).await?;
        let mut added = 0;
        for spec in specs {
            if insert_asset_row(w.conn(), library, spec, true).await?.is_some() {
                added += 1;
            }
        }
        w.finish(&[]).await?;
        Ok(added)
    }
}
