//! The ledger rule holds after any sequence of event writes: for every entry,
//! `current == initial + sum of its remaining changes`, `current >= 0`, and a unique
//! asset is held at most once. A refused step changes nothing.

use crate::UseCaseError;
use crate::error::Conflict;
use crate::events::scenario::{Scenario, event_input, scenario, snapshot, system};
use crate::ports::{EventRepo, PoolRepo};
use crate::testing::pool_of;
use domain::{AuditAction, ObjectKind, PoolEntryId, Quantity};
use proptest::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone)]
enum Step {
    /// Record an event with these `(entry index, delta)` changes.
    Create(Vec<(usize, i64)>),
    /// Delete the n-th remaining event (modulo their count).
    DeleteEvent(usize),
    /// Delete the n-th remaining change (modulo their count).
    DeleteChange(usize),
    /// Set an entry's initial quantity.
    SetInitial(usize, u32),
}

fn step() -> impl Strategy<Value = Step> {
    let delta = prop_oneof![-3i64..=-1, 1i64..=3];
    prop_oneof![
        3 => prop::collection::vec((0usize..4, delta), 0..4).prop_map(Step::Create),
        1 => any::<usize>().prop_map(Step::DeleteEvent),
        1 => any::<usize>().prop_map(Step::DeleteChange),
        1 => (0usize..4, 0u32..5).prop_map(|(entry, qty)| Step::SetInitial(entry, qty)),
    ]
}

/// Runs one step; `Ok(false)` when the step had nothing to act on.
async fn run(s: &Scenario, entries: &[PoolEntryId], step: &Step) -> Result<bool, UseCaseError> {
    let t = &s.f.t;
    let events = t.store.campaign_events(s.active).await?;
    match step {
        Step::Create(changes) => {
            let rows: Vec<(PoolEntryId, String)> =
                changes.iter().map(|&(i, d)| (entries[i], format!("{d:+}"))).collect();
            let rows: Vec<(PoolEntryId, &str)> = rows.iter().map(|(id, d)| (*id, d.as_str())).collect();
            t.create_event(&s.f.manager, s.mission, event_input("Step", &rows)).await?;
        }
        Step::DeleteEvent(n) => {
            let Some(event) = events.get(n % events.len().max(1)) else {
                return Ok(false);
            };
            t.delete_event(&s.f.manager, event.id).await?;
        }
        Step::DeleteChange(n) => {
            let changes: Vec<_> = events.iter().flat_map(|e| &e.changes).collect();
            let Some(change) = changes.get(n % changes.len().max(1)) else {
                return Ok(false);
            };
            t.delete_change(&s.f.manager, change.id).await?;
        }
        Step::SetInitial(i, qty) => {
            let audit = system(t, AuditAction::PoolInitialChanged, s.active, ObjectKind::PoolEntry);
            let qty = Quantity::new(*qty).map_err(|e| UseCaseError::Unexpected(Box::new(e)))?;
            t.store.set_initial_quantity(entries[*i], qty, &audit).await?;
        }
    }
    Ok(true)
}

/// Checks the ledger rule over the whole pool, from the stored changes.
async fn check_ledger(s: &Scenario) -> Result<(), TestCaseError> {
    let mut sums: HashMap<PoolEntryId, i64> = HashMap::new();
    for change in s.f.t.store.campaign_events(s.active).await.unwrap().iter().flat_map(|e| &e.changes) {
        *sums.entry(change.pool_entry_id).or_default() += change.delta.get();
    }
    for entry in pool_of(&s.f.t, s.active).await {
        let expected = i64::from(entry.initial().get()) + sums.get(&entry.id()).copied().unwrap_or(0);
        prop_assert_eq!(i64::from(entry.current().get()), expected, "{}", entry.asset_name());
        prop_assert!(expected >= 0);
        prop_assert!(!entry.is_unique() || entry.current().get() <= 1, "{} held twice", entry.asset_name());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_ledger_rule_holds_after_any_sequence_of_writes(steps in prop::collection::vec(step(), 1..25)) {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(async {
            let s = scenario().await;
            let entries = [s.slammer, s.hunter, s.hq, s.darter];
            for step in &steps {
                let before = snapshot(&s.f.t, s.active).await;
                match run(&s, &entries, step).await {
                    Ok(_) => {}
                    Err(UseCaseError::Conflict(Conflict::Ledger(_))) => {
                        prop_assert_eq!(&snapshot(&s.f.t, s.active).await, &before, "{:?} was refused", step);
                    }
                    Err(other) => prop_assert!(false, "{:?} failed: {}", step, other),
                }
                check_ledger(&s).await?;
            }
            Ok(())
        })?;
    }
}
