//! Libraries and assets in memory, with unique names and in-use checks.

use super::{MemoryStore, State};
use crate::error::{Conflict, RepoError, RepoResult};
use crate::ports::{LibraryRepo, LibrarySummary, NewLibrary};
use domain::{Asset, AssetId, AssetLibrary, AssetSpec, IdempotencyKey, LibraryId, NewAuditEntry};

impl State {
    fn summary(&self, library: &AssetLibrary) -> LibrarySummary {
        let assets: Vec<AssetId> = self.assets.values().filter(|a| a.library_id == library.id).map(|a| a.id).collect();
        LibrarySummary {
            library: library.clone(),
            asset_count: assets.len() as u64,
            in_use: self.pool.values().any(|e| e.library_id() == library.id || assets.contains(&e.asset_id())),
        }
    }

    fn ensure_unique_library_name(&self, library: &AssetLibrary) -> RepoResult<()> {
        if self.libraries.values().any(|l| l.id != library.id && l.name == library.name) {
            Err(Conflict::DuplicateLibraryName.into())
        } else {
            Ok(())
        }
    }

    fn ensure_unique_asset_name(&self, asset: &Asset) -> RepoResult<()> {
        let clash = self
            .assets
            .values()
            .any(|a| a.id != asset.id && a.library_id == asset.library_id && a.spec.name() == asset.spec.name());
        if clash { Err(Conflict::DuplicateAssetName.into()) } else { Ok(()) }
    }
}

impl LibraryRepo for MemoryStore {
    async fn libraries(&self) -> RepoResult<Vec<LibrarySummary>> {
        self.read(|s| {
            let mut all: Vec<LibrarySummary> = s.libraries.values().map(|l| s.summary(l)).collect();
            all.sort_by(|a, b| a.library.name.cmp(&b.library.name));
            all
        })
    }

    async fn library(&self, id: LibraryId) -> RepoResult<Option<LibrarySummary>> {
        self.read(|s| s.libraries.get(&id).map(|l| s.summary(l)))
    }

    async fn assets(&self, library: LibraryId) -> RepoResult<Vec<Asset>> {
        self.read(|s| {
            let mut assets: Vec<Asset> = s.assets.values().filter(|a| a.library_id == library).cloned().collect();
            assets.sort_by(|a, b| a.spec.kind().cmp(&b.spec.kind()).then_with(|| a.spec.name().cmp(b.spec.name())));
            assets
        })
    }

    async fn asset(&self, id: AssetId) -> RepoResult<Option<Asset>> {
        self.read(|s| s.assets.get(&id).cloned())
    }

    async fn asset_in_use(&self, id: AssetId) -> RepoResult<bool> {
        self.read(|s| s.pool.values().any(|e| e.asset_id() == id))
    }

    async fn insert_library(
        &self,
        new: &NewLibrary,
        assets: &[AssetSpec],
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<LibraryId> {
        self.create(audit, key, |s, id| {
            let library = AssetLibrary {
                id: LibraryId::new(id),
                name: new.name.clone(),
                description: new.description.clone(),
                category: new.category.clone(),
                is_default: new.is_default,
            };
            s.ensure_unique_library_name(&library)?;
            s.libraries.insert(library.id, library);
            for spec in assets {
                let asset = Asset { id: AssetId::new(s.next_id()), library_id: LibraryId::new(id), spec: spec.clone() };
                s.ensure_unique_asset_name(&asset)?;
                s.assets.insert(asset.id, asset);
            }
            Ok(())
        })
        .map(LibraryId::new)
    }

    async fn update_library(&self, library: &AssetLibrary, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            s.ensure_unique_library_name(library)?;
            *s.libraries.get_mut(&library.id).ok_or(RepoError::NotFound("library"))? = library.clone();
            Ok(())
        })
    }

    async fn delete_library(&self, id: LibraryId, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            let library = s.libraries.get(&id).ok_or(RepoError::NotFound("library"))?;
            if s.summary(library).in_use {
                return Err(Conflict::InUse("the library").into());
            }
            s.libraries.remove(&id);
            s.assets.retain(|_, a| a.library_id != id);
            Ok(())
        })
    }

    async fn insert_asset(
        &self,
        library: LibraryId,
        spec: &AssetSpec,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<AssetId> {
        self.create(audit, key, |s, id| {
            if !s.libraries.contains_key(&library) {
                return Err(RepoError::NotFound("library"));
            }
            let asset = Asset { id: AssetId::new(id), library_id: library, spec: spec.clone() };
            s.ensure_unique_asset_name(&asset)?;
            s.assets.insert(asset.id, asset);
            Ok(())
        })
        .map(AssetId::new)
    }

    async fn update_asset(&self, asset: &Asset, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            let stored = s.assets.get(&asset.id).ok_or(RepoError::NotFound("asset"))?;
            let asset = Asset { library_id: stored.library_id, ..asset.clone() };
            s.ensure_unique_asset_name(&asset)?;
            s.assets.insert(asset.id, asset);
            Ok(())
        })
    }

    async fn delete_asset(&self, id: AssetId, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            if !s.assets.contains_key(&id) {
                return Err(RepoError::NotFound("asset"));
            }
            if s.pool.values().any(|e| e.asset_id() == id) {
                return Err(Conflict::InUse("the asset").into());
            }
            s.assets.remove(&id);
            Ok(())
        })
    }

    async fn copy_assets(&self, library: LibraryId, specs: &[AssetSpec], audit: &NewAuditEntry) -> RepoResult<u64> {
        self.write(|s| {
            if !s.libraries.contains_key(&library) {
                return Err(RepoError::NotFound("library"));
            }
            let mut added = 0;
            for spec in specs {
                let taken = s.assets.values().any(|a| a.library_id == library && a.spec.name() == spec.name());
                if !taken {
                    let id = AssetId::new(s.next_id());
                    s.assets.insert(id, Asset { id, library_id: library, spec: spec.clone() });
                    added += 1;
                }
            }
            s.record(audit, None);
            Ok(added)
        })
    }
}
