//! Contract of `LoginThrottleRepo`: runs keyed by the lower-cased username, counted
//! atomically (also by concurrent writers), locked and forgotten by the domain's rule,
//! audited only when locked, cleared by a reset.

use super::check::{audit_count, ok, one_audit};
use super::seed::{at, created};
use crate::ports::Store;
use domain::{AuditAction, NewAuditEntry, ObjectKind, ThrottleState, Username};
use futures_util::future::join_all;

fn name(raw: &str) -> Username {
    Username::parse(raw).expect("valid username")
}

fn locked_audit() -> NewAuditEntry {
    created(AuditAction::UserLoginLocked, None, ObjectKind::User)
}

/// Counts `n` failures for `who`, one second apart from `from`.
async fn fail<S: Store>(store: &S, who: &str, n: i64, from: i64) -> ThrottleState {
    let mut run = ThrottleState::CLEAR;
    for i in 0..n {
        run = ok(store.record_login_failure(&name(who), at(from + i), &locked_audit()).await, "record_login_failure");
    }
    run
}

/// Four failures leave the run unlocked and unaudited; the fifth locks and is audited.
pub async fn failures_lock_a_lowercased_username_at_the_limit_and_only_locked_ones_are_audited<S: Store>(store: S) {
    assert_eq!(ok(store.login_throttle(&name("Alice")).await, "login_throttle"), ThrottleState::CLEAR);
    let before = audit_count(&store).await;
    assert_eq!(fail(&store, "Alice", 2, 0).await.failures(), 2);
    let four = fail(&store, "ALICE", 2, 2).await;
    assert_eq!(four.failures(), 4, "Alice and ALICE are one run");
    assert!(!four.is_locked_at(at(3)));
    assert_eq!(audit_count(&store).await, before, "failures below the limit write no audit entry");
    let five = fail(&store, "alice", 1, 4).await;
    assert_eq!(five, ThrottleState::new(5, at(4)));
    assert!(five.is_locked_at(at(4)));
    let entry = one_audit(&store, before, AuditAction::UserLoginLocked, "the fifth failure").await;
    assert_eq!(entry.entry.object.kind, ObjectKind::User);
    assert_eq!(ok(store.login_throttle(&name("aLiCe")).await, "login_throttle"), five, "read back in any case");
    assert_eq!(ok(store.login_throttle(&name("bob")).await, "login_throttle"), ThrottleState::CLEAR, "per username");
}

/// A run is forgotten a window after its last failure, later when it was locked.
pub async fn a_forgotten_run_starts_again_at_one<S: Store>(store: S) {
    fail(&store, "carol", 4, 0).await;
    let forgotten = 3 + ThrottleState::WINDOW.whole_seconds();
    let run = ok(store.record_login_failure(&name("carol"), at(forgotten), &locked_audit()).await, "after the window");
    assert_eq!(run, ThrottleState::new(1, at(forgotten)));
    let locked = fail(&store, "dave", 7, 0).await;
    let kept = 6 + (ThrottleState::lock_for(7) + ThrottleState::WINDOW).whole_seconds() - 1;
    let run = ok(store.record_login_failure(&name("dave"), at(kept), &locked_audit()).await, "within lock + window");
    assert_eq!(run.failures(), locked.failures() + 1, "a locked run is remembered through its lock and the window");
}

/// A reset deletes the run.
pub async fn a_reset_clears_the_run_and_resetting_a_clear_run_writes_nothing<S: Store>(store: S) {
    fail(&store, "erin", 6, 0).await;
    let before = audit_count(&store).await;
    ok(store.reset_login_throttle(&name("Erin")).await, "reset");
    assert_eq!(ok(store.login_throttle(&name("erin")).await, "login_throttle"), ThrottleState::CLEAR);
    ok(store.reset_login_throttle(&name("nobody")).await, "resetting a clear run");
    assert_eq!(audit_count(&store).await, before, "a reset writes no audit entry");
    assert_eq!(fail(&store, "erin", 1, 10).await.failures(), 1, "the next failure starts a new run");
}

/// The sweep deletes forgotten runs only: a locked run is kept through its lock and
/// the window after it, and the next failure of a swept username starts at one.
pub async fn the_sweep_deletes_forgotten_runs_and_keeps_remembered_ones<S: Store>(store: S) {
    fail(&store, "gina", 2, 0).await;
    let locked = fail(&store, "hank", 6, 0).await;
    let gina_forgotten = at(1 + ThrottleState::WINDOW.whole_seconds());
    assert_eq!(ok(store.forget_login_throttles(at(60)).await, "sweep"), 0, "nothing is forgotten yet");
    assert_eq!(ok(store.forget_login_throttles(gina_forgotten).await, "sweep"), 1, "gina's run is forgotten");
    assert_eq!(ok(store.login_throttle(&name("hank")).await, "login_throttle"), locked, "hank's lock is kept");
    let hank_forgotten = locked.forget_at().expect("a run has a last failure");
    assert_eq!(ok(store.forget_login_throttles(hank_forgotten).await, "sweep"), 1);
    assert_eq!(fail(&store, "gina", 1, 0).await.failures(), 1, "a swept username starts again");
}

/// The upsert counts every one of many racing failures.
pub async fn twenty_concurrent_failures_for_one_username_count_twenty<S: Store>(store: S) {
    let before = audit_count(&store).await;
    let who = name("frank");
    let audit = locked_audit();
    let results = join_all((0..20).map(|_| store.record_login_failure(&who, at(0), &audit))).await;
    let mut counts: Vec<u32> = results.into_iter().map(|r| ok(r, "concurrent failure").failures()).collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<u32>>(), "each failure is counted once");
    assert_eq!(ok(store.login_throttle(&who).await, "login_throttle").failures(), 20);
    assert_eq!(audit_count(&store).await, before + 16, "failures 5 to 20 each locked and were audited");
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_throttle {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            throttle,
            $fresh,
            $tidy,
            [
                failures_lock_a_lowercased_username_at_the_limit_and_only_locked_ones_are_audited,
                a_forgotten_run_starts_again_at_one,
                a_reset_clears_the_run_and_resetting_a_clear_run_writes_nothing,
                twenty_concurrent_failures_for_one_username_count_twenty,
                the_sweep_deletes_forgotten_runs_and_keeps_remembered_ones,
            ]
        );
    };
}
