//! Replaying the old changes through our ledger rule: each campaign's pool rows become
//! entries at their initial quantities, and each change is applied by
//! `PoolEntry::check/apply`, clamped (or dropped) and reported when the rule refuses it.
//!
//! Invariant: an entry's quantity only ever moves through `PoolEntry::apply`, so the
//! planned pool keeps `current = initial + Σ planned deltas` within the rule's bounds.

use super::Planner;
use crate::legacy::findings::FindingKind;
use crate::legacy::plan::{AssetRef, PlannedChange, PlannedLibrary};
use crate::legacy::snapshot::{LegacyCampaign, LegacyChange};
use domain::{AssetId, CampaignId, Delta, LibraryId, PoolEntry, PoolEntryId, PooledAsset, Quantity, ShortText};
use std::collections::HashMap;

/// An entry while the ledger is replayed.
pub(super) struct Work {
    pub(super) old_asset: i64,
    pub(super) asset: AssetRef,
    pub(super) entry: PoolEntry,
    pub(super) stored: Option<i64>,
    pub(super) public: bool,
}

impl Planner<'_> {
    /// The campaign's pool rows as ledger entries at their initial quantities.
    pub(super) fn pool(
        &mut self,
        c: &LegacyCampaign,
        subject: &str,
        libraries: &[PlannedLibrary],
        assets: &HashMap<i64, AssetRef>,
    ) -> Vec<Work> {
        let mut rows: Vec<_> = self.old.campaign_assets.iter().filter(|r| r.campaign_id == c.id).collect();
        rows.sort_by_key(|r| r.id);
        let mut work: Vec<Work> = Vec::new();
        for r in rows {
            let row = format!("{subject}, pool row {}", r.id);
            let Some(&asset) = assets.get(&r.asset_id) else {
                let found = format!("asset {} does not exist", r.asset_id);
                self.report.add(FindingKind::RowSkipped, row, found, "not imported");
                continue;
            };
            if work.iter().any(|w| w.old_asset == r.asset_id) {
                let found = format!("a second pool row for asset {}", r.asset_id);
                self.report.add(FindingKind::RowSkipped, row, found, "not imported: the first row is kept");
                continue;
            }
            let spec = &libraries[asset.library].assets[asset.asset];
            let cap = if spec.is_unique() { 1 } else { Quantity::MAX };
            let initial = self.quantity(&row, "initial_quantity", r.initial_quantity, cap);
            work.push(new_work(r.asset_id, asset, libraries, work.len(), initial, r.current_quantity));
        }
        work
    }

    /// One change replayed on the pool under the ledger rule, or `None` when nothing of
    /// it can be stored.
    pub(super) fn change(
        &mut self,
        subject: &str,
        campaign: i64,
        ch: &LegacyChange,
        work: &mut Vec<Work>,
        libraries: &[PlannedLibrary],
        assets: &HashMap<i64, AssetRef>,
    ) -> Option<PlannedChange> {
        let row = format!("{subject}, change {} (event {})", ch.id, ch.event_id);
        let Some(raw) = ch.quantity_change.filter(|d| *d != 0) else {
            let found = format!("quantity_change {:?}", ch.quantity_change);
            self.report.add(FindingKind::ChangeDropped, row, found, "not imported: a change must move something");
            return None;
        };
        let index = match work.iter().position(|w| w.old_asset == ch.asset_id) {
            Some(index) => index,
            None => {
                let Some(&asset) = assets.get(&ch.asset_id) else {
                    let found = format!("asset {} does not exist", ch.asset_id);
                    self.report.add(FindingKind::ChangeDropped, row, found, "not imported");
                    return None;
                };
                let found = format!("asset {} is not in campaign {campaign}'s pool", ch.asset_id);
                let done = "added to the pool with initial quantity 0, so the change's history is kept";
                self.report.add(FindingKind::ChangeOutsidePool, row.clone(), found, done);
                work.push(new_work(ch.asset_id, asset, libraries, work.len(), Quantity::ZERO, None));
                work.len() - 1
            }
        };
        let entry = &mut work[index].entry;
        let delta = match entry.check(raw) {
            Ok(_) => raw,
            Err(refused) => {
                let held = i64::from(entry.current().get());
                let cap = if entry.is_unique() { 1 } else { i64::from(Quantity::MAX) };
                let allowed = raw.clamp(-held, cap - held);
                let done = if allowed == 0 {
                    "not imported: nothing of it fits".to_owned()
                } else {
                    format!("stored as {allowed:+}")
                };
                self.report.add(FindingKind::ChangeClamped, row, format!("{raw:+}: {refused}"), done);
                allowed
            }
        };
        let delta = Delta::new(delta).ok()?;
        entry.apply(delta.get()).ok()?;
        let note = ch.notes.as_deref().unwrap_or_default();
        let note = self.fit(subject, "change note", note, ShortText::MAX_CHARS, ShortText::parse, "");
        Some(PlannedChange { entry: index, delta, note })
    }
}

/// A ledger entry for old asset `old_asset`, used only to run the ledger rule: its ids
/// name no stored row (the old asset id, library 0, the entry's index in the plan).
fn new_work(
    old_asset: i64,
    asset: AssetRef,
    libraries: &[PlannedLibrary],
    index: usize,
    initial: Quantity,
    stored: Option<i64>,
) -> Work {
    let spec = &libraries[asset.library].assets[asset.asset];
    let pooled = PooledAsset {
        asset_id: AssetId::new(old_asset),
        library_id: LibraryId::new(0),
        asset_name: spec.name().clone(),
        kind: spec.kind(),
        category: spec.category().clone(),
        unique: spec.is_unique(),
    };
    let id = PoolEntryId::new(i64::try_from(index).unwrap_or(i64::MAX));
    let entry = PoolEntry::new(id, CampaignId::new(0), pooled, initial, initial, spec.is_public())
        .unwrap_or_else(|_| unreachable!("a unique asset's initial quantity was capped at 1"));
    Work { old_asset, asset, entry, stored, public: spec.is_public() }
}
