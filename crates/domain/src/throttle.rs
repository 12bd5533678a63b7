//! The per-account login throttle: how a run of failed logins for one username locks
//! that username's logins, and when the run is forgotten.
//!
//! The rule, kept here alone (the stores only count and call it):
//! - Failures form a run. A run is forgotten once `WINDOW` has passed after its last
//!   failure and after the lock that failure set, so a failure that comes later starts a
//!   new run of one. (Five failures with less than 15 minutes between each lock.)
//! - From the `LIMIT`th failure of a run on, each failure locks the username for
//!   `FIRST_LOCK`, doubled for every failure past the limit, never more than `MAX_LOCK`,
//!   counted from that failure. While locked, every login is refused whatever the
//!   password, and is itself a failure of the run (so hammering a locked account keeps
//!   it locked).
//! - A successful login clears the run.
//!
//! Invariants: the lock only grows as failures are added to a run; it is never longer
//! than `MAX_LOCK`; a run is never forgotten while it is locked.

use time::{Duration, UtcDateTime};

/// A username's run of failed logins, as the store keeps it: how many, and when the
/// last one happened. `CLEAR` when there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    failures: u32,
    last_failure_at: Option<UtcDateTime>,
}

impl ThrottleState {
    /// Failures in a run from which the username is locked.
    pub const LIMIT: u32 = 5;
    /// How long after a failure (and after the lock it set) the run is remembered.
    pub const WINDOW: Duration = Duration::minutes(15);
    /// The lock set by the `LIMIT`th failure.
    pub const FIRST_LOCK: Duration = Duration::minutes(1);
    /// The longest lock.
    pub const MAX_LOCK: Duration = Duration::hours(1);
    /// No failures.
    pub const CLEAR: Self = Self { failures: 0, last_failure_at: None };

    /// A run as stored: `failures` failures, the last at `last_failure_at`. Zero
    /// failures is `CLEAR`.
    pub fn new(failures: u32, last_failure_at: UtcDateTime) -> Self {
        if failures == 0 { Self::CLEAR } else { Self { failures, last_failure_at: Some(last_failure_at) } }
    }

    /// Failures in the run.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// When the run's last failure happened (`None` when clear).
    pub fn last_failure_at(&self) -> Option<UtcDateTime> {
        self.last_failure_at
    }

    /// The lock that the `failures`th failure of a run sets: none below `LIMIT`, then
    /// `FIRST_LOCK` doubling per failure, capped at `MAX_LOCK`.
    pub fn lock_for(failures: u32) -> Duration {
        let Some(past) = failures.checked_sub(Self::LIMIT) else { return Duration::ZERO };
        let factor = 1_i32.checked_shl(past).filter(|f| *f > 0).unwrap_or(i32::MAX);
        Self::FIRST_LOCK.checked_mul(factor).map_or(Self::MAX_LOCK, |lock| lock.min(Self::MAX_LOCK))
    }

    /// The end of the lock the last failure set, when the run has reached `LIMIT`.
    pub fn locked_until(&self) -> Option<UtcDateTime> {
        let last = self.last_failure_at?;
        (self.failures >= Self::LIMIT).then(|| last + Self::lock_for(self.failures))
    }

    /// Whether logins are refused at `now`.
    pub fn is_locked_at(&self, now: UtcDateTime) -> bool {
        self.locked_until().is_some_and(|until| now < until)
    }

    /// How long until the lock ends, from `now` (zero when not locked).
    pub fn retry_after(&self, now: UtcDateTime) -> Duration {
        self.locked_until().map_or(Duration::ZERO, |until| (until - now).max(Duration::ZERO))
    }

    /// From when the run is forgotten: `WINDOW` after the last failure and its lock.
    pub fn forget_at(&self) -> Option<UtcDateTime> {
        self.last_failure_at.map(|last| last + Self::lock_for(self.failures) + Self::WINDOW)
    }

    /// The run as it stands at `now`: `CLEAR` once forgotten.
    #[must_use]
    pub fn at(self, now: UtcDateTime) -> Self {
        match self.forget_at() {
            Some(forget) if forget > now => self,
            _ => Self::CLEAR,
        }
    }

    /// The run after one more failure at `at` (a forgotten run starts again at one).
    #[must_use]
    pub fn after_failure(self, at: UtcDateTime) -> Self {
        let run = self.at(at);
        Self { failures: run.failures.saturating_add(1), last_failure_at: Some(at) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const T0: UtcDateTime = time::macros::utc_datetime!(2026-01-01 12:00);

    fn failures(n: u32, at: UtcDateTime) -> ThrottleState {
        (0..n).fold(ThrottleState::CLEAR, |s, _| s.after_failure(at))
    }

    #[test]
    fn the_fifth_failure_within_the_window_locks_for_a_minute() {
        let four = failures(4, T0);
        assert!(!four.is_locked_at(T0), "four failures do not lock");
        let five = four.after_failure(T0 + Duration::minutes(14));
        let locked_at = T0 + Duration::minutes(14);
        assert!(five.is_locked_at(locked_at));
        assert_eq!(five.retry_after(locked_at), Duration::minutes(1));
        assert!(!five.is_locked_at(locked_at + Duration::minutes(1)), "the lock ends after a minute");
    }

    #[test]
    fn the_lock_doubles_per_further_failure_up_to_an_hour() {
        let locks: Vec<i64> = (5..=13).map(|n| ThrottleState::lock_for(n).whole_minutes()).collect();
        assert_eq!(locks, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(ThrottleState::lock_for(4), Duration::ZERO);
        assert_eq!(ThrottleState::lock_for(u32::MAX), ThrottleState::MAX_LOCK);
    }

    #[test]
    fn a_run_is_forgotten_a_window_after_its_last_failure_and_lock() {
        let four = failures(4, T0);
        assert_eq!(four.at(T0 + Duration::minutes(15)), ThrottleState::CLEAR);
        assert_eq!(four.after_failure(T0 + Duration::minutes(15)).failures(), 1, "a new run starts");
        let locked = failures(7, T0);
        assert_eq!(locked.at(T0 + Duration::minutes(4 + 15) - Duration::SECOND), locked, "kept through lock + window");
        assert_eq!(locked.at(T0 + Duration::minutes(4 + 15)), ThrottleState::CLEAR);
    }

    #[test]
    fn zero_failures_is_clear() {
        assert_eq!(ThrottleState::new(0, T0), ThrottleState::CLEAR);
        assert_eq!(ThrottleState::CLEAR.locked_until(), None);
        assert_eq!(ThrottleState::CLEAR.retry_after(T0), Duration::ZERO);
    }

    proptest! {
        /// Failures at any pace: the lock never shrinks while the run goes on, is never
        /// longer than the cap, and a locked run is never forgotten.
        #[test]
        fn the_lock_only_grows_with_failures_and_is_capped(gaps in proptest::collection::vec(0_i64..3_600, 1..40)) {
            let mut state = ThrottleState::CLEAR;
            let mut now = T0;
            for gap in gaps {
                now += Duration::seconds(gap);
                let before = state.at(now);
                state = state.after_failure(now);
                prop_assert_eq!(state.failures(), before.failures() + 1);
                prop_assert!(ThrottleState::lock_for(state.failures()) >= ThrottleState::lock_for(before.failures()));
                prop_assert!(state.retry_after(now) <= ThrottleState::MAX_LOCK);
                prop_assert_eq!(state.is_locked_at(now), state.failures() >= ThrottleState::LIMIT);
                if let Some(until) = state.locked_until() {
                    prop_assert_eq!(state.at(until - Duration::SECOND), state, "never forgotten while locked");
                }
            }
        }

        /// However many failures, a success (which clears the run) leaves the username
        /// unlocked, and the next failure starts a run of one.
        #[test]
        fn a_success_resets_the_run(n in 0_u32..50, gap in 0_i64..7_200) {
            prop_assert_eq!(failures(n, T0).failures(), n);
            let later = T0 + Duration::seconds(gap);
            let again = failures(ThrottleState::LIMIT - 1, later);
            prop_assert!(!again.is_locked_at(later), "a cleared run needs the full limit again");
            prop_assert!(again.after_failure(later).is_locked_at(later));
        }

        /// `lock_for` is monotonic and capped for every count.
        #[test]
        fn lock_for_is_monotonic_and_capped(n in 0_u32..u32::MAX) {
            prop_assert!(ThrottleState::lock_for(n) <= ThrottleState::lock_for(n + 1));
            prop_assert!(ThrottleState::lock_for(n + 1) <= ThrottleState::MAX_LOCK);
        }
    }
}
