//! The login-throttle port: each username's run of failed logins, kept in the store so
//! that every replica and every client address count against the same run.
//!
//! Invariants: a run is keyed by the username's normalised (lower-case) form, whether
//! or not an account has that name; counting a failure is one atomic write (an upsert
//! in a database), so concurrent failures from many replicas are each counted; the
//! rule for locking and forgetting is `domain::ThrottleState`'s, never the store's.

use crate::error::RepoResult;
use domain::{NewAuditEntry, ThrottleState, Username};
use std::future::Future;
use time::UtcDateTime;

/// Counts failed logins per username.
pub trait LoginThrottleRepo: Send + Sync + 'static {
    /// The username's run as stored (`ThrottleState::CLEAR` when there is none). It may
    /// be forgotten by now: callers read it through `ThrottleState::at`.
    fn login_throttle(&self, username: &Username) -> impl Future<Output = RepoResult<ThrottleState>> + Send;

    /// Counts one failed login for `username` at `at`, atomically (a forgotten run
    /// starts again at one, by `ThrottleState::after_failure`), and answers the run as
    /// it now is. When the run is locked at `at` after this failure, `audit` is stored
    /// in the same write; otherwise no audit entry is written.
    fn record_login_failure(
        &self,
        username: &Username,
        at: UtcDateTime,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<ThrottleState>> + Send;

    /// Clears the username's run, after a successful login. Clearing a clear run
    /// writes nothing.
    fn reset_login_throttle(&self, username: &Username) -> impl Future<Output = RepoResult<()>> + Send;

    /// Deletes every run forgotten by `now` (`ThrottleState::forget_at`), so that
    /// failures under many made-up usernames cannot grow the store for ever; answers how
    /// many were deleted. A run that is still remembered stays, whatever its count.
    fn forget_login_throttles(&self, now: UtcDateTime) -> impl Future<Output = RepoResult<u64>> + Send;
}
