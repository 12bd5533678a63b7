//! A campaign's pool and the ledger rule, the heart of the tracker.
//!
//! Invariant (the ledger rule): for every pool entry,
//! `current = initial + sum of the deltas of its changes`, `current >= 0`, and
//! `current <= 1` for a unique asset. A change that would break the rule is rejected
//! with an error naming the asset, what is available and what was asked; it is never
//! clamped. Reversing a change is applying its negated delta under the same rule.

use crate::ids::{AssetId, CampaignId, LibraryId, PoolEntryId};
use crate::library::{AssetKind, AssetName};
use crate::text::Category;
use std::collections::BTreeMap;

/// A count of assets: 0 to 1,000,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(u32);

/// Why a number is not a quantity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// Below zero.
    #[error("must be 0 or more")]
    Negative,
    /// Above the maximum.
    #[error("must be at most {max}", max = Quantity::MAX)]
    TooLarge,
    /// Not a whole number.
    #[error("must be a whole number")]
    NotANumber,
}

impl Quantity {
    /// The largest quantity the tracker holds.
    pub const MAX: u32 = 1_000_000;
    /// No assets.
    pub const ZERO: Self = Self(0);

    /// Checks a count.
    pub fn new(raw: u32) -> Result<Self, QuantityError> {
        Self::from_i64(i64::from(raw))
    }

    /// Checks a signed count, such as a stored value or a computed sum.
    pub fn from_i64(raw: i64) -> Result<Self, QuantityError> {
        if raw < 0 {
            Err(QuantityError::Negative)
        } else if raw > i64::from(Self::MAX) {
            Err(QuantityError::TooLarge)
        } else {
            Ok(Self(u32::try_from(raw).map_err(|_| QuantityError::TooLarge)?))
        }
    }

    /// Parses a quantity typed into a form.
    pub fn parse(raw: &str) -> Result<Self, QuantityError> {
        let n: i64 = raw.trim().parse().map_err(|_| QuantityError::NotANumber)?;
        Self::from_i64(n)
    }

    /// The count.
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A change that would break the ledger rule. Never clamped: the request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// The pool holds fewer than the change takes away.
    #[error("not enough {asset}: {available} available, {requested} asked")]
    Insufficient {
        /// The asset concerned.
        asset: String,
        /// How many the pool holds.
        available: u32,
        /// How many the change (or its reversal) takes away.
        requested: u64,
    },
    /// A unique asset would be held more than once.
    #[error("{asset} is unique: {available} held, {requested} more asked, at most 1 allowed")]
    UniqueExceeded {
        /// The asset concerned.
        asset: String,
        /// How many the pool holds.
        available: u32,
        /// How many the change adds.
        requested: u64,
    },
    /// The quantity would pass the tracker's maximum.
    #[error("{asset}: {available} held, {requested} more would pass the maximum of {max}", max = Quantity::MAX)]
    AboveMaximum {
        /// The asset concerned.
        asset: String,
        /// How many the pool holds.
        available: u32,
        /// How many the change adds.
        requested: u64,
    },
    /// A change names a pool entry that is not in the campaign's pool.
    #[error("pool entry {0} is not in this campaign's pool")]
    UnknownEntry(PoolEntryId),
}

/// One asset in one campaign's pool.
///
/// The asset's name, kind, category and uniqueness are copied from the library when
/// the asset is imported, so that later edits to the library never rewrite a
/// campaign's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolEntry {
    id: PoolEntryId,
    campaign_id: CampaignId,
    asset_id: AssetId,
    library_id: LibraryId,
    asset_name: AssetName,
    kind: AssetKind,
    category: Category,
    unique: bool,
    initial: Quantity,
    current: Quantity,
    public: bool,
}

/// The parts of a pool entry that come from its asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PooledAsset {
    /// The library asset.
    pub asset_id: AssetId,
    /// The library it came from.
    pub library_id: LibraryId,
    /// The asset's name when it was imported.
    pub asset_name: AssetName,
    /// The asset's kind.
    pub kind: AssetKind,
    /// The asset's category.
    pub category: Category,
    /// Whether at most one may be held.
    pub unique: bool,
}

impl From<&crate::library::Asset> for PooledAsset {
    /// What a pool entry copies from a library asset when it is imported: its fields
    /// as they are now, never changed by later edits to the library.
    fn from(asset: &crate::library::Asset) -> Self {
        Self {
            asset_id: asset.id,
            library_id: asset.library_id,
            asset_name: asset.spec.name().clone(),
            kind: asset.spec.kind(),
            category: asset.spec.category().clone(),
            unique: asset.spec.is_unique(),
        }
    }
}

impl PoolEntry {
    /// Below this quantity a held, non-unique asset counts as low.
    pub const LOW_BELOW: u32 = 3;

    /// Rebuilds an entry, checking that `initial` and `current` respect uniqueness.
    /// A new entry has `current == initial`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: PoolEntryId,
        campaign_id: CampaignId,
        asset: PooledAsset,
        initial: Quantity,
        current: Quantity,
        public: bool,
    ) -> Result<Self, LedgerError> {
        for q in [initial, current] {
            if asset.unique && q.get() > 1 {
                return Err(LedgerError::UniqueExceeded {
                    asset: asset.asset_name.to_string(),
                    available: 0,
                    requested: u64::from(q.get()),
                });
            }
        }
        Ok(Self {
            id,
            campaign_id,
            asset_id: asset.asset_id,
            library_id: asset.library_id,
            asset_name: asset.asset_name,
            kind: asset.kind,
            category: asset.category,
            unique: asset.unique,
            initial,
            current,
            public,
        })
    }

    /// The entry's id.
    pub fn id(&self) -> PoolEntryId {
        self.id
    }
    /// The campaign whose pool this is.
    pub fn campaign_id(&self) -> CampaignId {
        self.campaign_id
    }
    /// The library asset.
    pub fn asset_id(&self) -> AssetId {
        self.asset_id
    }
    /// The library the asset came from.
    pub fn library_id(&self) -> LibraryId {
        self.library_id
    }
    /// The asset's name as imported.
    pub fn asset_name(&self) -> &AssetName {
        &self.asset_name
    }
    /// The asset's kind.
    pub fn kind(&self) -> AssetKind {
        self.kind
    }
    /// The asset's category.
    pub fn category(&self) -> &Category {
        &self.category
    }
    /// Whether at most one may be held.
    pub fn is_unique(&self) -> bool {
        self.unique
    }
    /// The quantity the campaign started with.
    pub fn initial(&self) -> Quantity {
        self.initial
    }
    /// The quantity held now.
    pub fn current(&self) -> Quantity {
        self.current
    }
    /// Whether the public sees this entry (this campaign only).
    pub fn is_public(&self) -> bool {
        self.public
    }
    /// Net change since the start: `current - initial`.
    pub fn net_change(&self) -> i64 {
        i64::from(self.current.get()) - i64::from(self.initial.get())
    }

    /// Whether none is left.
    pub fn is_depleted(&self) -> bool {
        self.current.get() == 0
    }

    /// Whether the entry is running low: held, but fewer than [`PoolEntry::LOW_BELOW`].
    /// A unique asset is never low (one of one is all there is).
    pub fn is_low(&self) -> bool {
        running_low(self.current.get(), self.unique)
    }

    /// Shows or hides the entry on the public pages of this campaign.
    pub fn set_public(&mut self, public: bool) {
        self.public = public;
    }

    /// The quantity after adding `delta`, or the ledger error that forbids it.
    pub fn check(&self, delta: i64) -> Result<Quantity, LedgerError> {
        let available = self.current.get();
        let asset = || self.asset_name.to_string();
        // Saturating: a delta beyond any quantity fails the checks below, never overflows.
        let target = i64::from(available).saturating_add(delta);
        if target < 0 {
            return Err(LedgerError::Insufficient { asset: asset(), available, requested: delta.unsigned_abs() });
        }
        if self.unique && target > 1 {
            return Err(LedgerError::UniqueExceeded { asset: asset(), available, requested: delta.unsigned_abs() });
        }
        Quantity::from_i64(target).map_err(|_| LedgerError::AboveMaximum {
            asset: asset(),
            available,
            requested: delta.unsigned_abs(),
        })
    }

    /// Adds `delta` to the current quantity under the ledger rule.
    pub fn apply(&mut self, delta: i64) -> Result<(), LedgerError> {
        self.current = self.check(delta)?;
        Ok(())
    }

    /// Changes the initial quantity, shifting the current quantity by the same amount
    /// under the ledger rule.
    pub fn set_initial(&mut self, initial: Quantity) -> Result<(), LedgerError> {
        let shift = i64::from(initial.get()) - i64::from(self.initial.get());
        if self.unique && initial.get() > 1 {
            return Err(LedgerError::UniqueExceeded {
                asset: self.asset_name.to_string(),
                available: self.current.get(),
                requested: shift.unsigned_abs(),
            });
        }
        let current = self.check(shift)?;
        self.initial = initial;
        self.current = current;
        Ok(())
    }
}

/// Applies a batch of deltas to a pool all or nothing: deltas to the same entry are
/// netted, every resulting quantity is checked, and only when all pass is any entry
/// changed. Returns the entries that moved with their new quantities.
pub fn plan_changes(
    pool: &mut [PoolEntry],
    changes: impl IntoIterator<Item = (PoolEntryId, i64)>,
) -> Result<Vec<(PoolEntryId, Quantity)>, LedgerError> {
    let mut net: BTreeMap<PoolEntryId, i64> = BTreeMap::new();
    for (id, delta) in changes {
        let sum = net.entry(id).or_default();
        *sum = sum.saturating_add(delta);
    }
    let mut moves = Vec::with_capacity(net.len());
    for (&id, &delta) in &net {
        let entry = pool.iter().find(|e| e.id == id).ok_or(LedgerError::UnknownEntry(id))?;
        moves.push((id, entry.check(delta)?));
    }
    for &(id, quantity) in &moves {
        if let Some(entry) = pool.iter_mut().find(|e| e.id == id) {
            entry.current = quantity;
        }
    }
    Ok(moves)
}

/// The rule of [`PoolEntry::is_low`], for a quantity held now: held, but fewer than
/// [`PoolEntry::LOW_BELOW`], and not a unique asset.
pub(crate) fn running_low(current: u32, unique: bool) -> bool {
    !unique && (1..PoolEntry::LOW_BELOW).contains(&current)
}

mod glance;

pub use glance::{PoolGlance, totals_over};

#[cfg(test)]
mod tests;
