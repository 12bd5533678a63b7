//! Asset libraries and their assets (`LibraryRepo`).
//!
//! Invariants: library names are unique, asset names unique within their library
//! (`libraries_name_key`, `assets_library_name_key`, mapped to their conflicts); a
//! library or asset a campaign's pool holds cannot be deleted (the pool's `RESTRICT`
//! foreign keys, mapped to `InUse`).

use crate::SqlStore;
use crate::dialect::{Dialect, Lock};
use crate::errors::{found, required, stored};
use crate::pool::quantity;
use crate::query::{Exec, Row, Sql};
use crate::write::{Begun, replayed};
use application::error::RepoResult;
use application::ports::{LibraryRepo, LibrarySummary, NewLibrary};
use application::{Conflict, RepoError};
use domain::{
    Asset, AssetId, AssetKind, AssetLibrary, AssetName, AssetSpec, Category, Description, IdempotencyKey, LibraryId,
    LibraryName, NewAuditEntry,
};

pub(crate) const SUMMARY: &str = "SELECT l.id, l.name, l.description, l.category, l.is_default, \
     (SELECT count(*) FROM assets a WHERE a.library_id = l.id) AS asset_count, \
     (EXISTS (SELECT 1 FROM pool_entries p WHERE p.library_id = l.id) \
      OR EXISTS (SELECT 1 FROM assets a JOIN pool_entries p ON p.asset_id = a.id WHERE a.library_id = l.id)) \
     AS in_use \
     FROM libraries l";

pub(crate) const ASSET_COLUMNS: &str = "id, library_id, name, kind, category, description, \
     default_quantity, is_unique, is_public";

pub(crate) fn summary<D: Dialect>(r: Row<'_, D>) -> RepoResult<LibrarySummary> {
    Ok(LibrarySummary {
        library: AssetLibrary {
            id: LibraryId::new(r.get("id")?),
            name: stored("libraries.name", LibraryName::parse(&r.get::<String>("name")?))?,
            description: stored("libraries.description", Description::parse(&r.get::<String>("description")?))?,
            category: stored("libraries.category", Category::parse(&r.get::<String>("category")?))?,
            is_default: r.get("is_default")?,
        },
        asset_count: r.get("asset_count")?,
        in_use: r.get("in_use")?,
    })
}

pub(crate) fn asset<D: Dialect>(r: Row<'_, D>) -> RepoResult<Asset> {
    let spec = AssetSpec::new(
        stored("assets.name", AssetName::parse(&r.get::<String>("name")?))?,
        stored("assets.kind", AssetKind::parse(&r.get::<String>("kind")?))?,
        stored("assets.category", Category::parse(&r.get::<String>("category")?))?,
        stored("assets.description", Description::parse(&r.get::<String>("description")?))?,
        quantity(&r, "default_quantity")?,
        r.get("is_unique")?,
        r.get("is_public")?,
    );
    Ok(Asset {
        id: AssetId::new(r.get("id")?),
        library_id: LibraryId::new(r.get("library_id")?),
        spec: stored("asset", spec)?,
    })
}

/// Sorts assets in the domain's kind order (`AssetKind::ALL`), then by name; ties keep
/// id order.
pub(crate) fn sorted(mut assets: Vec<Asset>) -> Vec<Asset> {
    assets.sort_by(|a, b| a.spec.kind().cmp(&b.spec.kind()).then_with(|| a.spec.name().cmp(b.spec.name())));
    assets
}

/// A library's assets, read on `on`.
pub(crate) async fn read_assets<E: Exec>(on: &mut E, library: LibraryId) -> RepoResult<Vec<Asset>> {
    let sql = format!("SELECT {ASSET_COLUMNS} FROM assets WHERE library_id = $1 ORDER BY id");
    Sql::new(sql).bind(library.get()).all_as(on, asset).await.map(sorted)
}

/// Every library with its counts, read on `on`.
pub(crate) async fn read_libraries<E: Exec>(on: &mut E) -> RepoResult<Vec<LibrarySummary>> {
    Sql::new(format!("{SUMMARY} ORDER BY l.name, l.id")).all_as(on, summary).await
}

/// Binds an asset's fields, in column order, after the statement's first value.
fn with_spec<'s>(sql: Sql<'s>, spec: &AssetSpec) -> Sql<'s> {
    sql.bind(spec.name().as_str())
        .bind(spec.kind().as_str())
        .bind(spec.category().as_str())
        .bind(spec.description().as_str())
        .bind(spec.default_quantity().get())
        .bind(spec.is_unique())
        .bind(spec.is_public())
}

/// Inserts an asset; with `skip_taken`, a name the library already has is skipped
/// (`None`) instead of failing with `DuplicateAssetName`.
pub(crate) async fn insert_spec<E: Exec>(
    on: &mut E,
    library: LibraryId,
    spec: &AssetSpec,
    skip_taken: bool,
) -> RepoResult<Option<i64>> {
    let on_conflict = if skip_taken { " ON CONFLICT (library_id, name) DO NOTHING" } else { "" };
    let sql = format!(
        "INSERT INTO assets (library_id, name, kind, category, description, default_quantity, \
         is_unique, is_public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8){on_conflict} RETURNING id"
    );
    with_spec(Sql::new(sql).bind(library.get()), spec).foreign_key(RepoError::NotFound("library")).value(on, "id").await
}

/// Locks the library (to delete it, or to add assets to it) and fails when it is gone.
async fn lock_library<E: Exec>(on: &mut E, id: LibraryId, lock: Lock) -> RepoResult<()> {
    let sql = format!("SELECT id FROM libraries WHERE id = $1{}", E::D::lock(lock, "libraries"));
    let found: Option<i64> = Sql::new(sql).bind(id.get()).value(on, "id").await?;
    required(found, "library").map(drop)
}

impl<D: Dialect> LibraryRepo for SqlStore<D> {
    async fn libraries(&self) -> RepoResult<Vec<LibrarySummary>> {
        read_libraries(&mut self.conn().await?).await
    }

    async fn library(&self, id: LibraryId) -> RepoResult<Option<LibrarySummary>> {
        Sql::new(format!("{SUMMARY} WHERE l.id = $1"))
            .bind(id.get())
            .optional_as(&mut self.conn().await?, summary)
            .await
    }

    async fn assets(&self, library: LibraryId) -> RepoResult<Vec<Asset>> {
        read_assets(&mut self.conn().await?, library).await
    }

    async fn asset(&self, id: AssetId) -> RepoResult<Option<Asset>> {
        let sql = format!("SELECT {ASSET_COLUMNS} FROM assets WHERE id = $1");
        Sql::new(sql).bind(id.get()).optional_as(&mut self.conn().await?, asset).await
    }

    async fn asset_in_use(&self, id: AssetId) -> RepoResult<bool> {
        let sql = Sql::new("SELECT EXISTS (SELECT 1 FROM pool_entries WHERE asset_id = $1) AS used").bind(id.get());
        Ok(sql.value(&mut self.conn().await?, "used").await?.unwrap_or(false))
    }

    async fn insert_library(
        &self,
        new: &NewLibrary,
        assets: &[AssetSpec],
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<LibraryId> {
        let mut w = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return replayed(&ids).map(LibraryId::new),
            Begun::Run(w) => w,
        };
        let id = Sql::new(
            "INSERT INTO libraries (name, description, category, is_default) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(new.name.as_str())
        .bind(new.description.as_str())
        .bind(new.category.as_str())
        .bind(new.is_default)
        .returning_id(&mut w)
        .await?;
        // A name repeated in `assets` violates `assets_library_name_key`: the whole write
        // rolls back (dropping `w`) with `DuplicateAssetName`.
        for spec in assets {
            insert_spec(&mut w, LibraryId::new(id), spec, false).await?;
        }
        w.commit(&[id]).await?;
        Ok(LibraryId::new(id))
    }

    async fn update_library(&self, library: &AssetLibrary, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let done =
            Sql::new("UPDATE libraries SET name = $2, description = $3, category = $4, is_default = $5 WHERE id = $1")
                .bind(library.id.get())
                .bind(library.name.as_str())
                .bind(library.description.as_str())
                .bind(library.category.as_str())
                .bind(library.is_default)
                .execute(&mut w)
                .await?;
        found(done, "library")?;
        w.commit(&[]).await
    }

    async fn delete_library(&self, id: LibraryId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        lock_library(&mut w, id, Lock::Update).await?;
        // Its assets go with it (ON DELETE CASCADE) unless a pool holds one (RESTRICT).
        Sql::new("DELETE FROM libraries WHERE id = $1")
            .bind(id.get())
            .foreign_key(Conflict::InUse("the library").into())
            .execute(&mut w)
            .await?;
        w.commit(&[]).await
    }

    async fn insert_asset(
        &self,
        library: LibraryId,
        spec: &AssetSpec,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<AssetId> {
        let mut w = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return replayed(&ids).map(AssetId::new),
            Begun::Run(w) => w,
        };
        lock_library(&mut w, library, Lock::KeyShare).await?;
        let id = required(insert_spec(&mut w, library, spec, false).await?, "asset")?;
        w.commit(&[id]).await?;
        Ok(AssetId::new(id))
    }

    async fn update_asset(&self, asset: &Asset, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        // The asset stays in its library whatever `asset.library_id` says.
        let spec = &asset.spec;
        let sql = Sql::new(
            "UPDATE assets SET name = $2, kind = $3, category = $4, description = $5, \
             default_quantity = $6, is_unique = $7, is_public = $8 WHERE id = $1",
        );
        let done = with_spec(sql.bind(asset.id.get()), spec).execute(&mut w).await?;
        found(done, "asset")?;
        w.commit(&[]).await
    }

    async fn delete_asset(&self, id: AssetId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let done = Sql::new("DELETE FROM assets WHERE id = $1")
            .bind(id.get())
            .foreign_key(Conflict::InUse("the asset").into())
            .execute(&mut w)
            .await?;
        found(done, "asset")?;
        w.commit(&[]).await
    }

    async fn copy_assets(&self, library: LibraryId, specs: &[AssetSpec], audit: &NewAuditEntry) -> RepoResult<u64> {
        let mut w = self.begin_change(audit).await?;
        lock_library(&mut w, library, Lock::KeyShare).await?;
        let mut added = 0;
        for spec in specs {
            if insert_spec(&mut w, library, spec, true).await?.is_some() {
                added += 1;
            }
        }
        w.commit(&[]).await?;
        Ok(added)
    }
}
