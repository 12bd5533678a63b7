//! A pool at a glance, as the public dashboard's summary cards show it: how much there
//! is now against the start, how many entries are depleted or low, and how the total
//! went over the latest missions.

use super::PoolEntry;

/// The sums and counts over a pool's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolGlance {
    /// The entries' quantities at the start.
    pub initial: u64,
    /// Their quantities now.
    pub current: u64,
    /// How many entries hold none.
    pub depleted: usize,
    /// How many are running low ([`PoolEntry::is_low`]).
    pub low: usize,
}

impl PoolGlance {
    /// The glance over `entries`.
    pub fn of<'e>(entries: impl IntoIterator<Item = &'e PoolEntry>) -> Self {
        entries.into_iter().fold(Self::default(), |g, e| Self {
            initial: g.initial + u64::from(e.initial().get()),
            current: g.current + u64::from(e.current().get()),
            depleted: g.depleted + usize::from(e.current().get() == 0),
            low: g.low + usize::from(e.is_low()),
        })
    }

    /// Now minus the start.
    pub fn net(&self) -> i64 {
        i64::try_from(self.current).unwrap_or(i64::MAX) - i64::try_from(self.initial).unwrap_or(i64::MAX)
    }
}

/// The total before the earliest of the latest missions and after each, oldest first,
/// from the total `now` and each mission's net change, newest first (as the dashboard
/// lists them). The ledger keeps now = before + every change, so the totals are worked
/// back from now without reading the history.
pub fn totals_over(now: u64, nets_newest_first: &[i64]) -> Vec<u64> {
    let mut total = i128::from(now);
    let mut totals = vec![now];
    for &net in nets_newest_first {
        total -= i128::from(net);
        totals.push(u64::try_from(total).unwrap_or(0));
    }
    totals.reverse();
    totals
}
