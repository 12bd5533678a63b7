//! The asset-library port.

use crate::error::RepoResult;
use domain::{
    Asset, AssetId, AssetLibrary, AssetSpec, Category, Description, IdempotencyKey, LibraryId, LibraryName,
    NewAuditEntry,
};
use std::future::Future;

/// A library to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLibrary {
    /// Unique name.
    pub name: LibraryName,
    /// Description.
    pub description: Description,
    /// Era or theme.
    pub category: Category,
    /// Pre-selected when a campaign is created.
    pub is_default: bool,
}

/// A library with how many assets it holds and whether any campaign uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibrarySummary {
    /// The library.
    pub library: AssetLibrary,
    /// How many assets it holds.
    pub asset_count: u64,
    /// Whether any campaign's pool holds one of its assets.
    pub in_use: bool,
}

/// Stores asset libraries and their assets.
pub trait LibraryRepo: Send + Sync + 'static {
    /// Every library, by name.
    fn libraries(&self) -> impl Future<Output = RepoResult<Vec<LibrarySummary>>> + Send;
    /// One library.
    fn library(&self, id: LibraryId) -> impl Future<Output = RepoResult<Option<LibrarySummary>>> + Send;
    /// A library's assets, by kind then name.
    fn assets(&self, library: LibraryId) -> impl Future<Output = RepoResult<Vec<Asset>>> + Send;
    /// One asset.
    fn asset(&self, id: AssetId) -> impl Future<Output = RepoResult<Option<Asset>>> + Send;
    /// Whether any campaign's pool holds this asset.
    fn asset_in_use(&self, id: AssetId) -> impl Future<Output = RepoResult<bool>> + Send;
    /// Creates a library with its initial `assets` (none for a plain create), in one
    /// atomic write with its one audit entry: either all of it is stored or nothing.
    /// # Errors
    /// `Conflict::DuplicateLibraryName`; `Conflict::DuplicateAssetName` when two of
    /// `assets` share a name.
    fn insert_library(
        &self,
        new: &NewLibrary,
        assets: &[AssetSpec],
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<LibraryId>> + Send;
    /// Saves an edited library.
    /// # Errors
    /// `NotFound`; `Conflict::DuplicateLibraryName`.
    fn update_library(
        &self,
        library: &AssetLibrary,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// Deletes a library and its assets.
    /// # Errors
    /// `NotFound`; `Conflict::InUse` when a campaign's pool holds one of its assets.
    fn delete_library(&self, id: LibraryId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Adds an asset to a library.
    /// # Errors
    /// `NotFound` (library); `Conflict::DuplicateAssetName`.
    fn insert_asset(
        &self,
        library: LibraryId,
        spec: &AssetSpec,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<AssetId>> + Send;
    /// Saves an edited asset. Pools keep what they copied at import.
    /// # Errors
    /// `NotFound`; `Conflict::DuplicateAssetName`.
    fn update_asset(&self, asset: &Asset, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Deletes an asset.
    /// # Errors
    /// `NotFound`; `Conflict::InUse` when a campaign's pool holds it.
    fn delete_asset(&self, id: AssetId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Adds copies of `specs` to `library`, skipping names it already has; returns how
    /// many were added.
    /// # Errors
    /// `NotFound` (library).
    fn copy_assets(
        &self,
        library: LibraryId,
        specs: &[AssetSpec],
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<u64>> + Send;
}
