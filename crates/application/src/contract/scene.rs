//! The common starting point of most contract tests: one library, one active campaign
//! whose pool holds three assets, and one mission.

use super::seed;
use crate::ports::Store;
use domain::{Asset, AssetKind, CampaignId, CampaignStatus, LibraryId, MissionId, PoolEntryId};

/// What `scene` created.
#[derive(Debug, Clone)]
pub struct Scene {
    /// The library "NATO".
    pub library: LibraryId,
    /// "M2A1 Slammer", a vehicle, 10 in the pool.
    pub tank: Asset,
    /// "Mobile HQ", a unique vehicle, 1 in the pool.
    pub hq: Asset,
    /// "5.56 mm box", a supply, 100 in the pool.
    pub ammo: Asset,
    /// "Operation Arrowhead", active.
    pub campaign: CampaignId,
    /// The tank's pool entry.
    pub tank_entry: PoolEntryId,
    /// The HQ's pool entry.
    pub hq_entry: PoolEntryId,
    /// The ammunition's pool entry.
    pub ammo_entry: PoolEntryId,
    /// The mission "Dawn raid".
    pub mission: MissionId,
}

/// Tank name, as the ledger errors spell it.
pub const TANK: &str = "M2A1 Slammer";
/// HQ name.
pub const HQ: &str = "Mobile HQ";
/// Ammunition name.
pub const AMMO: &str = "5.56 mm box";

/// Seeds the scene through the ports.
pub async fn scene<S: Store>(store: &S) -> Scene {
    let library = seed::library(store, "NATO").await;
    let tank = seed::asset(store, library, TANK, AssetKind::Vehicle, 10, false).await;
    let hq = seed::asset(store, library, HQ, AssetKind::Vehicle, 1, true).await;
    let ammo = seed::asset(store, library, AMMO, AssetKind::Supply, 100, false).await;
    let pool = vec![seed::pooled(&tank, 10), seed::pooled(&hq, 1), seed::pooled(&ammo, 100)];
    let campaign = seed::campaign(store, "Operation Arrowhead", CampaignStatus::Active, pool).await;
    let entries = store.pool(campaign).await.expect("reading the seeded pool");
    let entry_of = |asset: &Asset| {
        entries
            .iter()
            .find(|e| e.asset_id() == asset.id)
            .map(domain::PoolEntry::id)
            .unwrap_or_else(|| panic!("the seeded pool lacks {}", asset.spec.name()))
    };
    let (tank_entry, hq_entry, ammo_entry) = (entry_of(&tank), entry_of(&hq), entry_of(&ammo));
    let mission = seed::mission(store, campaign, "Dawn raid").await;
    Scene { library, tank, hq, ammo, campaign, tank_entry, hq_entry, ammo_entry, mission }
}
