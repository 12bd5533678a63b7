//! Ledger rule tests: one unit test per rule of `PoolEntry` and `plan_changes`, and
//! property tests that drive random histories through a small model ledger and check
//! the rule after every step.

use super::*;
use proptest::prelude::*;

const TANK: &str = "M2A1 Slammer";
const HQ: &str = "Hunter HQ";

fn q(n: u32) -> Quantity {
    Quantity::new(n).unwrap()
}

fn id(n: i64) -> PoolEntryId {
    PoolEntryId::new(n)
}

fn make(id: i64, name: &str, unique: bool, initial: u32, current: u32) -> Result<PoolEntry, LedgerError> {
    let asset = PooledAsset {
        asset_id: AssetId::new(id),
        library_id: LibraryId::new(1),
        asset_name: AssetName::parse(name).unwrap(),
        kind: AssetKind::Vehicle,
        category: Category::parse("Armour").unwrap(),
        unique,
    };
    PoolEntry::new(PoolEntryId::new(id), CampaignId::new(1), asset, q(initial), q(current), true)
}

/// A non-unique tank entry.
fn tank(initial: u32, current: u32) -> PoolEntry {
    make(1, TANK, false, initial, current).unwrap()
}

/// A unique headquarters entry.
fn hq(initial: u32, current: u32) -> PoolEntry {
    make(2, HQ, true, initial, current).unwrap()
}

fn insufficient(asset: &str, available: u32, requested: u64) -> LedgerError {
    LedgerError::Insufficient { asset: asset.into(), available, requested }
}

#[test]
fn a_loss_within_stock_lowers_only_the_current_quantity() {
    let mut e = tank(5, 5);
    assert_eq!(e.check(-2), Ok(q(3)));
    e.apply(-2).unwrap();
    assert_eq!((e.initial(), e.current(), e.net_change()), (q(5), q(3), -2));
}

#[test]
fn a_loss_of_exactly_the_stock_leaves_zero() {
    let mut e = tank(3, 3);
    e.apply(-3).unwrap();
    assert_eq!(e.current(), Quantity::ZERO);
}

#[test]
fn a_loss_beyond_the_stock_is_rejected_naming_the_amounts_and_changes_nothing() {
    let mut e = tank(5, 2);
    let before = e.clone();
    assert_eq!(e.check(-3), Err(insufficient(TANK, 2, 3)));
    assert_eq!(e.apply(-3), Err(insufficient(TANK, 2, 3)));
    assert_eq!(e, before);
}

#[test]
fn a_gain_raises_only_the_current_quantity() {
    let mut e = tank(2, 0);
    e.apply(4).unwrap();
    assert_eq!((e.initial(), e.current(), e.net_change()), (q(2), q(4), 2));
}

#[test]
fn a_unique_asset_is_never_held_more_than_once() {
    let mut e = hq(0, 0);
    let exceeded = |available, requested| LedgerError::UniqueExceeded { asset: HQ.into(), available, requested };
    assert_eq!(e.check(2), Err(exceeded(0, 2)));
    e.apply(1).unwrap();
    let before = e.clone();
    assert_eq!(e.apply(1), Err(exceeded(1, 1)));
    assert_eq!(e, before);
    e.apply(-1).unwrap();
    assert_eq!(e.current(), Quantity::ZERO);
}

#[test]
fn a_gain_past_the_maximum_is_rejected_and_changes_nothing() {
    let mut e = tank(Quantity::MAX, Quantity::MAX - 1);
    e.apply(1).unwrap();
    let before = e.clone();
    let expected = LedgerError::AboveMaximum { asset: TANK.into(), available: Quantity::MAX, requested: 1 };
    assert_eq!(e.apply(1), Err(expected));
    assert_eq!(e, before);
}

#[test]
fn raising_the_initial_quantity_raises_the_current_quantity_by_the_same_amount() {
    let mut e = tank(5, 5);
    e.apply(-2).unwrap();
    e.set_initial(q(8)).unwrap();
    assert_eq!((e.initial(), e.current(), e.net_change()), (q(8), q(6), -2));
}

#[test]
fn lowering_the_initial_quantity_lowers_the_current_quantity_by_the_same_amount() {
    let mut e = tank(5, 5);
    e.apply(1).unwrap();
    e.set_initial(q(3)).unwrap();
    assert_eq!((e.initial(), e.current(), e.net_change()), (q(3), q(4), 1));
}

#[test]
fn lowering_the_initial_quantity_below_what_was_lost_is_rejected_and_changes_nothing() {
    let mut e = tank(5, 5);
    e.apply(-3).unwrap();
    let before = e.clone();
    assert_eq!(e.set_initial(q(2)), Err(insufficient(TANK, 2, 3)));
    assert_eq!(e, before);
    e.set_initial(q(3)).unwrap();
    assert_eq!((e.initial(), e.current()), (q(3), Quantity::ZERO));
}

#[test]
fn a_unique_asset_cannot_start_with_more_than_one() {
    let mut e = hq(1, 1);
    let before = e.clone();
    assert!(matches!(e.set_initial(q(2)), Err(LedgerError::UniqueExceeded { .. })));
    assert_eq!(e, before);

    // Starting with one after a gain of one would hold two.
    let mut gained = hq(0, 0);
    gained.apply(1).unwrap();
    let before = gained.clone();
    assert!(matches!(gained.set_initial(q(1)), Err(LedgerError::UniqueExceeded { .. })));
    assert_eq!(gained, before);
}

#[test]
fn a_new_entry_refuses_a_unique_asset_held_twice() {
    assert!(matches!(make(2, HQ, true, 2, 2), Err(LedgerError::UniqueExceeded { requested: 2, .. })));
    assert!(matches!(make(2, HQ, true, 1, 2), Err(LedgerError::UniqueExceeded { .. })));
    assert!(make(2, HQ, true, 1, 0).is_ok());
    assert!(make(1, TANK, false, 2, 2).is_ok());
}

#[test]
fn a_batch_nets_the_deltas_of_each_entry_before_checking() {
    let mut pool = vec![tank(1, 1), hq(0, 0)];
    let moves = plan_changes(&mut pool, [(id(1), -2), (id(2), 1), (id(1), 1)]);
    assert_eq!(moves, Ok(vec![(id(1), Quantity::ZERO), (id(2), q(1))]));
    assert_eq!((pool[0].current(), pool[1].current()), (Quantity::ZERO, q(1)));
}

#[test]
fn a_batch_with_one_failing_entry_changes_no_entry() {
    let mut pool = vec![tank(5, 5), hq(1, 1)];
    let before = pool.clone();
    assert_eq!(plan_changes(&mut pool, [(id(1), -2), (id(2), -3)]), Err(insufficient(HQ, 1, 3)));
    assert_eq!(pool, before);
}

#[test]
fn a_batch_naming_an_entry_outside_the_pool_is_rejected_and_changes_nothing() {
    let mut pool = vec![tank(5, 5)];
    let before = pool.clone();
    assert_eq!(plan_changes(&mut pool, [(id(1), -1), (id(99), 1)]), Err(LedgerError::UnknownEntry(id(99))));
    assert_eq!(pool, before);
}

#[test]
fn ledger_errors_name_the_asset_what_is_available_and_what_was_asked() {
    assert_eq!(tank(5, 2).check(-3).unwrap_err().to_string(), "not enough M2A1 Slammer: 2 available, 3 asked");
    assert_eq!(
        hq(1, 1).check(1).unwrap_err().to_string(),
        "Hunter HQ is unique: 1 held, 1 more asked, at most 1 allowed"
    );
    assert_eq!(
        tank(Quantity::MAX, Quantity::MAX).check(2).unwrap_err().to_string(),
        "M2A1 Slammer: 1000000 held, 2 more would pass the maximum of 1000000"
    );
    assert_eq!(LedgerError::UnknownEntry(id(99)).to_string(), "pool entry 99 is not in this campaign's pool");
}

#[test]
fn extreme_deltas_are_refused_without_overflowing() {
    let entry = entry_for_overflow_test();
    assert!(matches!(entry.check(i64::MAX), Err(LedgerError::AboveMaximum { .. })));
    assert!(matches!(entry.check(i64::MIN), Err(LedgerError::Insufficient { .. })));
    let mut pool = vec![entry];
    let id = pool[0].id();
    assert!(plan_changes(&mut pool, [(id, i64::MAX), (id, i64::MAX)]).is_err());
    assert_eq!(pool[0].current().get(), 5);
}

fn entry_for_overflow_test() -> PoolEntry {
    let asset = PooledAsset {
        asset_id: AssetId::new(1),
        library_id: LibraryId::new(1),
        asset_name: AssetName::parse("Hunter").unwrap(),
        kind: AssetKind::Vehicle,
        category: Category::parse("").unwrap(),
        unique: false,
    };
    let five = Quantity::new(5).unwrap();
    PoolEntry::new(PoolEntryId::new(1), CampaignId::new(1), asset, five, five, true).unwrap()
}

#[test]
fn an_entry_is_low_below_three_unless_unique_and_depleted_at_zero() {
    let mut entry = entry_for_overflow_test();
    assert!(!entry.is_low() && !entry.is_depleted());
    entry.apply(-3).unwrap();
    assert!(entry.is_low());
    entry.apply(-2).unwrap();
    assert!(entry.is_depleted() && !entry.is_low());
}

mod properties;

#[test]
fn the_glance_sums_the_pool_and_counts_what_is_depleted_or_low() {
    let entries =
        [tank(4, 0), make(3, "Hunter", false, 4, 2).unwrap(), hq(1, 1), make(4, "Ammo", false, 10, 12).unwrap()];
    let glance = PoolGlance::of(&entries);
    assert_eq!(glance, PoolGlance { initial: 19, current: 15, depleted: 1, low: 1 });
    assert_eq!(glance.net(), -4);
    assert_eq!(PoolGlance::of(&[]), PoolGlance::default());
}

#[test]
fn totals_over_the_latest_missions_are_worked_back_from_now_oldest_first() {
    // Now 10; the newest mission lost 3, the one before gained 1.
    assert_eq!(totals_over(10, &[-3, 1]), [12, 13, 10]);
    assert_eq!(totals_over(7, &[]), [7]);
}

proptest! {
    #[test]
    fn the_totals_step_by_each_missions_net_and_end_now(
        start in 0u64..10_000, nets in proptest::collection::vec(-50i64..50, 0..20)
    ) {
        // Replay the missions forward from the start, never below zero.
        let mut total = i64::try_from(start).unwrap_or(0);
        let mut kept = Vec::new();
        for net in nets {
            if total + net >= 0 {
                total += net;
                kept.push(net);
            }
        }
        let now = u64::try_from(total).unwrap_or(0);
        let newest_first: Vec<i64> = kept.iter().rev().copied().collect();
        let totals = totals_over(now, &newest_first);
        prop_assert_eq!(totals.first().copied(), Some(start));
        prop_assert_eq!(totals.last().copied(), Some(now));
        prop_assert_eq!(totals.len(), kept.len() + 1);
    }
}
