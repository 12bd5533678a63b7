//! Asset libraries and their assets (`LibraryRepo`).
//!
//! Invariants: library names are unique, asset names unique within their library
//! (`libraries_name_key`, `assets_library_name_key`, mapped to their conflicts); a
//! library or asset a campaign's pool holds cannot be deleted (the pool's `RESTRICT`
//! foreign keys, mapped to `InUse`).

use crate::SqliteStore;
use crate::codec::{count, parsed};
use crate::errors::{db, db_or, found, required};
use crate::tx::{Begun, first};
use application::error::RepoResult;
use application::ports::{LibraryRepo, LibrarySummary, NewLibrary};
use application::{Conflict, RepoError};
use domain::{
    Asset, AssetId, AssetKind, AssetLibrary, AssetName, AssetSpec, Category, Description, IdempotencyKey, LibraryId,
    LibraryName, NewAuditEntry, Quantity,
};

/// A library with its asset count and whether any pool holds its assets (or names it).
const SUMMARY: &str = "SELECT l.id, l.name, l.description, l.category, l.is_default, \
     (SELECT count(*) FROM assets a WHERE a.library_id = l.id) AS asset_count, \
     EXISTS (SELECT 1 FROM pool_entries p WHERE p.library_id = l.id \
             OR p.asset_id IN (SELECT a.id FROM assets a WHERE a.library_id = l.id)) AS in_use \
     FROM libraries l";

const ASSET_COLUMNS: &str = "id, library_id, name, kind, category, description, \
     default_quantity, is_unique, is_public";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    name: String,
    description: String,
    category: String,
    is_default: bool,
    asset_count: i64,
    in_use: bool,
}

impl SummaryRow {
    fn into_summary(self) -> RepoResult<LibrarySummary> {
        Ok(LibrarySummary {
            library: AssetLibrary {
                id: LibraryId::new(self.id),
                name: parsed("library name", LibraryName::parse(&self.name))?,
                description: parsed("description", Description::parse(&self.description))?,
                category: parsed("category", Category::parse(&self.category))?,
                is_default: self.is_default,
            },
            asset_count: parsed("asset count", u64::try_from(self.asset_count))?,
            in_use: self.in_use,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AssetRow {
    id: i64,
    library_id: i64,
    name: String,
    kind: String,
    category: String,
    description: String,
    default_quantity: i64,
    is_unique: bool,
    is_public: bool,
}

impl AssetRow {
    fn into_asset(self) -> RepoResult<Asset> {
        let quantity = count("default quantity", self.default_quantity)?;
        let spec = AssetSpec::new(
            parsed("asset name", AssetName::parse(&self.name))?,
            parsed("asset kind", AssetKind::parse(&self.kind))?,
            parsed("category", Category::parse(&self.category))?,
            parsed("description", Description::parse(&self.description))?,
            parsed("default quantity", Quantity::new(quantity))?,
            self.is_unique,
            self.is_public,
        );
        Ok(Asset {
            id: AssetId::new(self.id),
            library_id: LibraryId::new(self.library_id),
            spec: parsed("asset", spec)?,
        })
    }
}

/// Inserts an asset, or does nothing when `skip_taken` and the name is taken; returns
/// the new id, if any.
async fn insert_spec(
    conn: &mut sqlx::SqliteConnection,
    library: LibraryId,
    spec: &AssetSpec,
    skip_taken: bool,
) -> RepoResult<Option<i64>> {
    let on_conflict = if skip_taken { " ON CONFLICT (library_id, name) DO NOTHING" } else { "" };
    sqlx::query_scalar(&format!(
        "INSERT INTO assets (library_id, name, kind, category, description, default_quantity, \
         is_unique, is_public) VALUES (?, ?, ?, ?, ?, ?, ?, ?){on_conflict} RETURNING id"
    ))
    .bind(library.get())
    .bind(spec.name().as_str())
    .bind(spec.kind().as_str())
    .bind(spec.category().as_str())
    .bind(spec.description().as_str())
    .bind(i64::from(spec.default_quantity().get()))
    .bind(spec.is_unique())
    .bind(spec.is_public())
    .fetch_optional(conn)
    .await
    .map_err(db_or(RepoError::NotFound("library")))
}

async fn library_exists(conn: &mut sqlx::SqliteConnection, id: LibraryId) -> RepoResult<()> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM libraries WHERE id = ?")
        .bind(id.get())
        .fetch_optional(conn)
        .await
        .map_err(db)?;
    required(exists, "library").map(drop)
}

impl LibraryRepo for SqliteStore {
    async fn libraries(&self) -> RepoResult<Vec<LibrarySummary>> {
        let rows: Vec<SummaryRow> =
            sqlx::query_as(&format!("{SUMMARY} ORDER BY l.name, l.id")).fetch_all(&self.pool).await.map_err(db)?;
        rows.into_iter().map(SummaryRow::into_summary).collect()
    }

    async fn library(&self, id: LibraryId) -> RepoResult<Option<LibrarySummary>> {
        let row: Option<SummaryRow> = sqlx::query_as(&format!("{SUMMARY} WHERE l.id = ?"))
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(SummaryRow::into_summary).transpose()
    }

    async fn assets(&self, library: LibraryId) -> RepoResult<Vec<Asset>> {
        let rows: Vec<AssetRow> =
            sqlx::query_as(&format!("SELECT {ASSET_COLUMNS} FROM assets WHERE library_id = ? ORDER BY id"))
                .bind(library.get())
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        let mut assets = rows.into_iter().map(AssetRow::into_asset).collect::<RepoResult<Vec<_>>>()?;
        // The domain's kind order (AssetKind::ALL), then the name; ties keep id order.
        assets.sort_by(|a, b| a.spec.kind().cmp(&b.spec.kind()).then_with(|| a.spec.name().cmp(b.spec.name())));
        Ok(assets)
    }

    async fn asset(&self, id: AssetId) -> RepoResult<Option<Asset>> {
        let row: Option<AssetRow> = sqlx::query_as(&format!("SELECT {ASSET_COLUMNS} FROM assets WHERE id = ?"))
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(AssetRow::into_asset).transpose()
    }

    async fn asset_in_use(&self, id: AssetId) -> RepoResult<bool> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pool_entries WHERE asset_id = ?)")
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
        let mut write = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return first(ids).map(LibraryId::new),
            Begun::Run(write) => write,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO libraries (name, description, category, is_default) \
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(new.name.as_str())
        .bind(new.description.as_str())
        .bind(new.category.as_str())
        .bind(new.is_default)
        .fetch_one(write.conn())
        .await
        .map_err(db)?;
        let library = LibraryId::new(id);
        // A name repeated in `assets` violates `assets_library_name_key`: the whole write
        // rolls back (dropping `write`) with `DuplicateAssetName`.
        for spec in assets {
            insert_spec(write.conn(), library, spec, false).await?;
        }
        write.commit(&[id]).await?;
        Ok(library)
    }

    async fn update_library(&self, library: &AssetLibrary, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        let done = sqlx::query(
            "UPDATE libraries SET name = ?, description = ?, category = ?, is_default = ? \
             WHERE id = ?",
        )
        .bind(library.name.as_str())
        .bind(library.description.as_str())
        .bind(library.category.as_str())
        .bind(library.is_default)
        .bind(library.id.get())
        .execute(write.conn())
        .await
        .map_err(db)?;
        found(done.rows_affected(), "library")?;
        write.commit(&[]).await
    }

    async fn delete_library(&self, id: LibraryId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        // Its assets go with it (ON DELETE CASCADE) unless a pool holds one (RESTRICT).
        let done = sqlx::query("DELETE FROM libraries WHERE id = ?")
            .bind(id.get())
            .execute(write.conn())
            .await
            .map_err(db_or(Conflict::InUse("the library").into()))?;
        found(done.rows_affected(), "library")?;
        write.commit(&[]).await
    }

    async fn insert_asset(
        &self,
        library: LibraryId,
        spec: &AssetSpec,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<AssetId> {
        let mut write = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return first(ids).map(AssetId::new),
            Begun::Run(write) => write,
        };
        let id = insert_spec(write.conn(), library, spec, false).await?;
        let id = required(id, "asset")?;
        write.commit(&[id]).await?;
        Ok(AssetId::new(id))
    }

    async fn update_asset(&self, asset: &Asset, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        // The asset stays in its library whatever `asset.library_id` says.
        let spec = &asset.spec;
        let done = sqlx::query(
            "UPDATE assets SET name = ?, kind = ?, category = ?, description = ?, \
             default_quantity = ?, is_unique = ?, is_public = ? WHERE id = ?",
        )
        .bind(spec.name().as_str())
        .bind(spec.kind().as_str())
        .bind(spec.category().as_str())
        .bind(spec.description().as_str())
        .bind(i64::from(spec.default_quantity().get()))
        .bind(spec.is_unique())
        .bind(spec.is_public())
        .bind(asset.id.get())
        .execute(write.conn())
        .await
        .map_err(db)?;
        found(done.rows_affected(), "asset")?;
        write.commit(&[]).await
    }

    async fn delete_asset(&self, id: AssetId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        let done = sqlx::query("DELETE FROM assets WHERE id = ?")
            .bind(id.get())
            .execute(write.conn())
            .await
            .map_err(db_or(Conflict::InUse("the asset").into()))?;
        found(done.rows_affected(), "asset")?;
        write.commit(&[]).await
    }

    async fn copy_assets(&self, library: LibraryId, specs: &[AssetSpec], audit: &NewAuditEntry) -> RepoResult<u64> {
        let mut write = self.begin_change(audit).await?;
        library_exists(write.conn(), library).await?;
        let mut added = 0;
        for spec in specs {
            if insert_spec(write.conn(), library, spec, true).await?.is_some() {
                added += 1;
            }
        }
        write.commit(&[]).await?;
        Ok(added)
    }
}
