//! Request budgets shared by every replica: the per-address rate limits, counted in one
//! place (Redis) so that several replicas do not multiply them.
//!
//! The rule is GCRA (the generic cell rate algorithm), the same the in-process limiter
//! uses: a budget of `per_minute` allows a burst of `per_minute` requests and refills
//! one request every `60 s / per_minute`. [`Gcra`] is the rule itself, pure, so that
//! every implementation (the Redis script, the memory budget below) can be checked
//! against it.
//!
//! Unlike the storage ports, this port is object-safe (`Arc<dyn SharedLimits>`): the web
//! adapter holds one only when it is configured, and no use case is generic over it.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// The answer for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// Within the budget: the request was counted.
    Allowed,
    /// Over the budget: not counted; the budget has room again after `retry_after`.
    Refused {
        /// How long until one more request would be allowed.
        retry_after: Duration,
    },
}

/// The shared budgets cannot be reached (the caller falls back to its own limiter).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("shared rate limits unavailable: {0}")]
pub struct LimitsUnavailable(pub String);

/// A boxed future, so that the port can be held as a trait object.
pub type TakeFuture<'a> = Pin<Box<dyn Future<Output = Result<Take, LimitsUnavailable>> + Send + 'a>>;

/// Budgets shared by every process that uses the same backend.
pub trait SharedLimits: Send + Sync + 'static {
    /// Counts one request against `key`'s budget of `per_minute` (at least 1), atomically
    /// for every process sharing the backend.
    fn take<'a>(&'a self, key: &'a str, per_minute: u32) -> TakeFuture<'a>;
}

/// The GCRA rule for a budget of `per_minute` requests, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gcra {
    /// Time between two requests at the sustained rate.
    pub interval_ms: u64,
    /// How far ahead of now the theoretical arrival time may run: the burst.
    pub tolerance_ms: u64,
}

impl Gcra {
    /// The rule for `per_minute` (0 is read as 1).
    #[must_use]
    pub fn per_minute(per_minute: u32) -> Self {
        let burst = u64::from(per_minute.max(1));
        let interval_ms = (60_000 / burst).max(1);
        Self { interval_ms, tolerance_ms: interval_ms * (burst - 1) }
    }

    /// One request at `now_ms` against the stored theoretical arrival time `tat_ms`
    /// (`None` for a fresh key): the verdict and, when allowed, the new arrival time to
    /// store (it can be forgotten once `now_ms` passes it).
    #[must_use]
    pub fn take(self, tat_ms: Option<u64>, now_ms: u64) -> (Take, Option<u64>) {
        let tat = tat_ms.unwrap_or(now_ms).max(now_ms);
        let ahead = tat - now_ms;
        if ahead > self.tolerance_ms {
            let retry_after = Duration::from_millis(ahead - self.tolerance_ms);
            return (Take::Refused { retry_after }, None);
        }
        (Take::Allowed, Some(tat + self.interval_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(gcra: Gcra, arrivals: &[u64]) -> Vec<bool> {
        let mut tat = None;
        arrivals
            .iter()
            .map(|&now| {
                let (take, next) = gcra.take(tat, now);
                if let Some(next) = next {
                    tat = Some(next);
                }
                take == Take::Allowed
            })
            .collect()
    }

    #[test]
    fn a_full_burst_then_one_per_interval() {
        let gcra = Gcra::per_minute(5);
        assert_eq!(gcra, Gcra { interval_ms: 12_000, tolerance_ms: 48_000 });
        assert_eq!(run(gcra, &[0, 0, 0, 0, 0, 0]), [true, true, true, true, true, false]);
        let (take, _) = gcra.take(Some(60_000), 0);
        assert_eq!(take, Take::Refused { retry_after: Duration::from_secs(12) });
        assert_eq!(run(gcra, &[0, 0, 0, 0, 0, 12_000, 12_000]), [true, true, true, true, true, true, false]);
    }

    #[test]
    fn zero_is_read_as_one_per_minute() {
        assert_eq!(Gcra::per_minute(0), Gcra { interval_ms: 60_000, tolerance_ms: 0 });
    }

    proptest! {
        /// However requests arrive, no window of one minute admits more than the burst
        /// plus what the rate refills in that window.
        #[test]
        fn never_more_than_the_budget(per_minute in 1u32..400, gaps in proptest::collection::vec(0u64..500, 1..600)) {
            let gcra = Gcra::per_minute(per_minute);
            let arrivals: Vec<u64> = gaps.iter().scan(0, |t, gap| { *t += gap; Some(*t) }).collect();
            let allowed: Vec<u64> = arrivals.iter().zip(run(gcra, &arrivals)).filter(|(_, ok)| *ok).map(|(t, _)| *t).collect();
            for (i, &start) in allowed.iter().enumerate() {
                let in_window = allowed[i..].iter().take_while(|&&t| t < start + 60_000).count() as u64;
                prop_assert!(in_window <= u64::from(per_minute) + 60_000 / gcra.interval_ms);
            }
            prop_assert!(!allowed.is_empty(), "the first request is always allowed");
        }
    }
}
