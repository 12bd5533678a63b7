//! Rows of `libraries` and `assets` and their conversion to domain values; a library
//! is read with its asset count and whether a pool uses it.

use crate::convert::{quantity, stored};
use application::RepoError;
use application::error::RepoResult;
use application::ports::LibrarySummary;
use domain::{
    Asset, AssetId, AssetKind, AssetLibrary, AssetName, AssetSpec, Category, Description, LibraryId, LibraryName,
};

pub(super) const SUMMARY: &str = "SELECT l.id, l.name, l.description, l.category, l.is_default, \
     (SELECT count(*) FROM assets a WHERE a.library_id = l.id) AS asset_count, \
     EXISTS (SELECT 1 FROM pool_entries p WHERE p.library_id = l.id \
             OR p.asset_id IN (SELECT a.id FROM assets a WHERE a.library_id = l.id)) AS in_use \
     FROM libraries l";

pub(super) const ASSET_COLUMNS: &str =
    "id, library_id, name, kind, category, description, default_quantity, is_unique, is_public";

#[derive(sqlx::FromRow)]
pub(super) struct SummaryRow {
    id: i64,
    name: String,
    description: String,
    category: String,
    is_default: bool,
    asset_count: i64,
    in_use: bool,
}

impl TryFrom<SummaryRow> for LibrarySummary {
    type Error = RepoError;

    fn try_from(r: SummaryRow) -> RepoResult<Self> {
        Ok(LibrarySummary {
            library: AssetLibrary {
                id: LibraryId::new(r.id),
                name: stored("libraries.name", LibraryName::parse(&r.name))?,
                description: stored("libraries.description", Description::parse(&r.description))?,
                category: stored("libraries.category", Category::parse(&r.category))?,
                is_default: r.is_default,
            },
            asset_count: stored("asset count", u64::try_from(r.asset_count))?,
            in_use: r.in_use,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct AssetRow {
    id: i64,
    library_id: i64,
    name: String,
    kind: String,
    category: String,
    description: String,
    default_quantity: i32,
    is_unique: bool,
    is_public: bool,
}

impl TryFrom<AssetRow> for Asset {
    type Error = RepoError;

    fn try_from(r: AssetRow) -> RepoResult<Self> {
        let spec = AssetSpec::new(
            stored("assets.name", AssetName::parse(&r.name))?,
            stored("assets.kind", AssetKind::parse(&r.kind))?,
            stored("assets.category", Category::parse(&r.category))?,
            stored("assets.description", Description::parse(&r.description))?,
            quantity("assets.default_quantity", r.default_quantity)?,
            r.is_unique,
            r.is_public,
        );
        Ok(Asset { id: AssetId::new(r.id), library_id: LibraryId::new(r.library_id), spec: stored("assets", spec)? })
    }
}
