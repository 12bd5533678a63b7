//! Property tests: random histories on a model ledger keep the ledger rule after every step.

use super::super::*;
use super::{make, q};
use crate::event::Delta;
use proptest::prelude::*;
use proptest::sample::Index;

/// A random operation; indices are resolved against the ledger's state when it runs.
#[derive(Debug, Clone)]
enum Op {
    Record(Vec<(Index, Delta)>),
    DeleteEvent(Index),
    DeleteChange(Index, Index),
    SetInitial(Index, u32),
}

/// An operation resolved to positions in the pool and the event list.
#[derive(Debug, Clone)]
enum Step {
    Record(Vec<(usize, Delta)>),
    DeleteEvent(usize),
    DeleteChange(usize, usize),
    SetInitial(usize, u32),
}

/// A test-only ledger: the pool plus its own list of recorded events, each holding its
/// live changes as (pool position, delta).
#[derive(Debug, Clone, PartialEq)]
struct Ledger {
    pool: Vec<PoolEntry>,
    events: Vec<Vec<(usize, Delta)>>,
}

impl Ledger {
    /// A pool of entries given as (unique, initial quantity).
    fn new(specs: &[(bool, u32)]) -> Self {
        let pool = (1..)
            .zip(specs)
            .map(|(n, &(unique, initial))| make(n, &format!("Asset {n}"), unique, initial, initial).unwrap())
            .collect();
        Self { pool, events: Vec::new() }
    }

    /// The step `op` means now, or `None` when there is no event to delete.
    fn resolve(&self, op: &Op) -> Option<Step> {
        let entry = |i: &Index| i.index(self.pool.len());
        let event = |i: &Index| (!self.events.is_empty()).then(|| i.index(self.events.len()));
        Some(match op {
            Op::Record(changes) => Step::Record(changes.iter().map(|(i, d)| (entry(i), *d)).collect()),
            Op::DeleteEvent(e) => Step::DeleteEvent(event(e)?),
            Op::DeleteChange(e, c) => {
                let e = event(e)?;
                Step::DeleteChange(e, c.index(self.events[e].len()))
            }
            Op::SetInitial(i, n) => Step::SetInitial(entry(i), *n),
        })
    }

    /// Changes as the domain takes them; `sign` -1 reverses them.
    fn batch(&self, changes: &[(usize, Delta)], sign: i64) -> Vec<(PoolEntryId, i64)> {
        changes.iter().map(|&(i, d)| (self.pool[i].id(), sign * d.get())).collect()
    }

    /// Runs a step through the domain's ledger functions.
    fn apply(&mut self, step: &Step) -> Result<(), LedgerError> {
        match step {
            Step::Record(changes) => {
                let batch = self.batch(changes, 1);
                plan_changes(&mut self.pool, batch)?;
                self.events.push(changes.clone());
            }
            Step::DeleteEvent(e) => {
                let batch = self.batch(&self.events[*e], -1);
                plan_changes(&mut self.pool, batch)?;
                self.events.remove(*e);
            }
            Step::DeleteChange(e, c) => {
                let batch = self.batch(&self.events[*e][*c..=*c], -1);
                plan_changes(&mut self.pool, batch)?;
                self.events[*e].remove(*c);
                if self.events[*e].is_empty() {
                    self.events.remove(*e);
                }
            }
            Step::SetInitial(i, n) => self.pool[*i].set_initial(q(*n))?,
        }
        Ok(())
    }

    /// (initial, current) per entry by plain arithmetic: initial plus the deltas of
    /// the live changes, after `step` if one is given.
    fn tally(&self, step: Option<&Step>) -> Vec<(i64, i64)> {
        let mut initial: Vec<i64> = self.pool.iter().map(|e| i64::from(e.initial().get())).collect();
        let mut live = self.events.clone();
        match step {
            None => {}
            Some(Step::Record(changes)) => live.push(changes.clone()),
            Some(Step::DeleteEvent(e)) => drop(live.remove(*e)),
            Some(Step::DeleteChange(e, c)) => drop(live[*e].remove(*c)),
            Some(Step::SetInitial(i, n)) => initial[*i] = i64::from(*n),
        }
        let mut current = initial.clone();
        for &(i, d) in live.iter().flatten() {
            current[i] += d.get();
        }
        initial.into_iter().zip(current).collect()
    }

    /// Whether every entry would obey the ledger rule with these tallies.
    fn obeys_rule(&self, tally: &[(i64, i64)]) -> bool {
        self.pool
            .iter()
            .zip(tally)
            .all(|(e, &(initial, current))| current >= 0 && (!e.is_unique() || (initial <= 1 && current <= 1)))
    }

    /// The ledger rule, checked against the model's own list of live changes.
    fn assert_rule(&self) -> Result<(), TestCaseError> {
        for (e, (initial, current)) in self.pool.iter().zip(self.tally(None)) {
            prop_assert_eq!(i64::from(e.initial().get()), initial);
            prop_assert_eq!(i64::from(e.current().get()), current, "current of {}", e.asset_name());
            prop_assert!(current >= 0);
            if e.is_unique() {
                prop_assert!(current <= 1 && initial <= 1, "unique {} holds {}", e.asset_name(), current);
            }
        }
        Ok(())
    }
}

/// 2 to 4 entries as (unique, initial); a unique entry starts with 0 or 1.
fn pool_specs() -> impl Strategy<Value = Vec<(bool, u32)>> {
    let spec = (any::<bool>(), 0u32..=6).prop_map(|(unique, n)| (unique, if unique { n % 2 } else { n }));
    prop::collection::vec(spec, 2..=4)
}

fn delta() -> impl Strategy<Value = Delta> {
    prop_oneof![-3i64..=-1, 1i64..=3].prop_map(|d| Delta::new(d).unwrap())
}

fn batch() -> impl Strategy<Value = Vec<(Index, Delta)>> {
    prop::collection::vec((any::<Index>(), delta()), 1..=4)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => batch().prop_map(Op::Record),
        1 => any::<Index>().prop_map(Op::DeleteEvent),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(e, c)| Op::DeleteChange(e, c)),
        1 => (any::<Index>(), 0u32..=6).prop_map(|(i, n)| Op::SetInitial(i, n)),
    ]
}

proptest! {
    #[test]
    fn every_history_keeps_the_ledger_rule_and_a_refused_step_changes_nothing(
        specs in pool_specs(),
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let mut ledger = Ledger::new(&specs);
        ledger.assert_rule()?;
        for op in &ops {
            let Some(step) = ledger.resolve(op) else { continue };
            let allowed = ledger.obeys_rule(&ledger.tally(Some(&step)));
            let before = ledger.clone();
            let outcome = ledger.apply(&step);
            prop_assert_eq!(outcome.is_ok(), allowed, "{:?} gave {:?} on {:?}", step, outcome, before);
            if outcome.is_err() {
                prop_assert_eq!(&ledger, &before);
            }
            ledger.assert_rule()?;
        }
    }

    #[test]
    fn recording_then_deleting_an_event_restores_the_pool_exactly(
        specs in pool_specs(),
        history in prop::collection::vec(op(), 0..30),
        changes in batch(),
    ) {
        let mut ledger = Ledger::new(&specs);
        for op in &history {
            if let Some(step) = ledger.resolve(op) {
                // Refused steps are covered by the property above.
                let _ = ledger.apply(&step);
            }
        }
        let before = ledger.clone();
        let record = ledger.resolve(&Op::Record(changes)).unwrap();
        if ledger.apply(&record).is_ok() {
            prop_assert_ne!(&ledger.events, &before.events);
            let last = ledger.events.len() - 1;
            prop_assert_eq!(ledger.apply(&Step::DeleteEvent(last)), Ok(()));
        }
        prop_assert_eq!(ledger, before);
    }
}
