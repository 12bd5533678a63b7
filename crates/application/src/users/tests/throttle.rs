//! The per-account login throttle, through `authenticate`: failures lock a username
//! whatever the client, the lock refuses even the right password, ends with the clock,
//! and a success clears the run; unknown usernames are throttled alike.

use super::auth::CountingHasher;
use crate::error::{LoginLocked, UseCaseError, UseCaseResult};
use crate::memory::{ManualClock, MemoryStore};
use crate::ports::{LoginThrottleRepo, PasswordHasher};
use crate::testing::{PASSWORD, audit_actions, fixture};
use crate::tracker::Tracker;
use domain::{AuditAction, ThrottleState, User};
use std::sync::atomic::Ordering;
use time::Duration;

const WRONG: &str = "not the password";

#[track_caller]
fn expect_locked(result: UseCaseResult<User>, started: bool, retry_after: Duration) {
    match result {
        Err(UseCaseError::TooManyAttempts(locked)) => {
            assert_eq!(locked, LoginLocked { retry_after, started });
        }
        other => panic!("expected TooManyAttempts, got {other:?}"),
    }
}

/// Fails `n` logins for `username`; every one but a locking one is `InvalidCredentials`.
async fn fail<H: PasswordHasher>(t: &Tracker<MemoryStore, H, ManualClock>, username: &str, n: u32) {
    for i in 1..=n {
        let result = t.authenticate(username, WRONG).await;
        if i < ThrottleState::LIMIT {
            assert!(matches!(result, Err(UseCaseError::InvalidCredentials)), "failure {i}: {result:?}");
        }
    }
}

#[tokio::test]
async fn five_failures_lock_the_account_and_the_right_password_is_refused_while_locked() {
    let f = fixture().await;
    fail(&f.t, "manager", 4).await;
    assert!(!audit_actions(&f.t).contains(&AuditAction::UserLoginLocked), "four failures are not audited");
    expect_locked(f.t.authenticate("Manager", WRONG).await, true, Duration::minutes(1));
    let locked = f.t.store().audit_entries().pop().expect("audit");
    assert_eq!(locked.entry.action, AuditAction::UserLoginLocked);
    assert_eq!(locked.entry.object.id, Some(f.manager_id.get()));

    f.t.clock.advance(Duration::seconds(30));
    expect_locked(f.t.authenticate("manager", PASSWORD).await, false, Duration::minutes(2));
    assert_eq!(audit_actions(&f.t).last(), Some(&AuditAction::UserLoginRefused));
    assert!(f.t.authenticate("admin", PASSWORD).await.is_ok(), "other accounts go on");
}

#[tokio::test]
async fn the_lock_ends_with_the_clock_and_a_success_clears_the_run() {
    let f = fixture().await;
    fail(&f.t, "manager", 5).await;
    f.t.clock.advance(Duration::minutes(1) - Duration::SECOND);
    expect_locked(f.t.authenticate("manager", PASSWORD).await, false, Duration::minutes(2));
    f.t.clock.advance(Duration::minutes(2));
    assert!(f.t.authenticate("manager", PASSWORD).await.is_ok(), "the lock has ended");
    fail(&f.t, "manager", 4).await;
    assert!(f.t.authenticate("manager", PASSWORD).await.is_ok(), "the success cleared the run: four do not lock");
}

#[tokio::test]
async fn a_run_below_the_limit_is_forgotten_after_the_window() {
    let f = fixture().await;
    fail(&f.t, "manager", 4).await;
    f.t.clock.advance(ThrottleState::WINDOW);
    fail(&f.t, "manager", 4).await;
    assert!(f.t.authenticate("manager", PASSWORD).await.is_ok());
}

#[tokio::test]
async fn unknown_usernames_are_throttled_alike_and_malformed_ones_are_not_counted() {
    let f = fixture().await;
    fail(&f.t, "nobody", 4).await;
    expect_locked(f.t.authenticate("NOBODY", PASSWORD).await, true, Duration::minutes(1));
    let locked = f.t.store().audit_entries().pop().expect("audit");
    assert_eq!((locked.entry.action, locked.entry.object.id), (AuditAction::UserLoginLocked, None));
    expect_locked(f.t.authenticate("nobody", WRONG).await, false, Duration::minutes(2));
    for _ in 0..10 {
        let result = f.t.authenticate("no such user!", WRONG).await;
        assert!(matches!(result, Err(UseCaseError::InvalidCredentials)), "{result:?}");
    }
}

#[tokio::test]
async fn a_locked_login_still_verifies_exactly_one_hash() {
    let f = fixture().await;
    let hasher = CountingHasher::default();
    let t = Tracker::new(f.t.store().clone(), hasher.clone(), f.t.clock.clone());
    fail(&t, "manager", 5).await;
    fail(&t, "nobody", 5).await;
    assert_eq!(hasher.verified.load(Ordering::SeqCst), 10);
    expect_locked(t.authenticate("manager", PASSWORD).await, false, Duration::minutes(2));
    expect_locked(t.authenticate("nobody", PASSWORD).await, false, Duration::minutes(2));
    assert_eq!(hasher.verified.load(Ordering::SeqCst), 12, "a locked username's login verifies a hash too");
}

#[tokio::test]
async fn the_sweep_forgets_runs_past_their_window_and_keeps_the_rest() {
    let f = fixture().await;
    fail(&f.t, "made-up-name", 2).await;
    fail(&f.t, "manager", 6).await;
    assert_eq!(f.t.forget_login_throttles().await.unwrap(), 0, "both runs are remembered");
    f.t.clock.advance(ThrottleState::WINDOW);
    assert_eq!(f.t.forget_login_throttles().await.unwrap(), 1, "the unlocked run is forgotten");
    let manager = domain::Username::parse("manager").unwrap();
    let kept = f.t.store().login_throttle(&manager).await.unwrap();
    assert_eq!(kept.failures(), 6, "the locked run is remembered through its lock and the window");
}
