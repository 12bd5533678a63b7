//! Contract under concurrent writers: the backstops hold when many requests race.
//! The futures are polled together with `join_all`; on a database pool each one runs
//! on its own connection, so the races are real.
//!
//! The ledger check: after any mix of successes and refusals, every entry's current
//! quantity equals its initial quantity plus the sum of the deltas of the changes
//! that were recorded (read back with `campaign_events`), and nothing was clamped.

use super::check::{conflict, current, entry, ok};
use super::scene::{Scene, TANK, scene};
use super::seed::{self, about, at, created, key};
use crate::error::{Conflict, RepoError, RepoResult};
use crate::ports::Store;
use domain::{
    AuditAction, CampaignReport, CampaignStatus, LedgerError, ObjectKind, PasswordHash, PoolEntryId, Quantity, Role,
};
use futures_util::future::{join, join_all};
use std::fmt::Debug;

/// Asserts the ledger rule for `id`: current = initial + sum of recorded deltas.
async fn ledger_holds<S: Store>(store: &S, s: &Scene, id: PoolEntryId) -> i64 {
    let events = ok(store.campaign_events(s.campaign).await, "campaign_events");
    let recorded: i64 =
        events.iter().flat_map(|e| &e.changes).filter(|c| c.pool_entry_id == id).map(|c| c.delta.get()).sum();
    let e = entry(store, id).await;
    let (initial, now) = (i64::from(e.initial().get()), i64::from(e.current().get()));
    assert_eq!(now, initial + recorded, "current must equal initial + the recorded deltas");
    recorded
}

/// Counts successes; every failure must be a ledger refusal of the tank.
fn tally<T: Debug>(results: &[RepoResult<T>], step: &str) -> usize {
    let mut succeeded = 0;
    for r in results {
        match r {
            Ok(_) => succeeded += 1,
            Err(RepoError::Conflict(Conflict::Ledger(LedgerError::Insufficient { asset, .. }))) if asset == TANK => {}
            Err(e) => panic!("{step}: expected Ok or Ledger(Insufficient) on {TANK}, got {e:?}"),
        }
    }
    succeeded
}

/// Scene with the tank's initial quantity set to `initial`.
async fn tank_at<S: Store>(store: &S, initial: u32) -> Scene {
    let s = scene(store).await;
    let audit = about(AuditAction::PoolInitialChanged, Some(s.campaign), ObjectKind::PoolEntry, s.tank_entry.get());
    let q = Quantity::new(initial).expect("quantity");
    ok(store.set_initial_quantity(s.tank_entry, q, &audit).await, "set_initial_quantity");
    s
}

/// The acceptance test: 50 losses of one against 30 succeed exactly 30 times.
pub async fn fifty_concurrent_losses_of_one_against_thirty_succeed_exactly_thirty_times<S: Store>(store: S) {
    let s = tank_at(&store, 30).await;
    let audit = created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    let events: Vec<_> =
        (0..50).map(|i| seed::new_event(s.mission, &format!("Loss {i}"), at(i), &[(s.tank_entry, -1)])).collect();
    let results = join_all(events.iter().map(|e| store.record_event(e, &audit, None))).await;
    assert_eq!(tally(&results, "50 x -1 against 30"), 30, "exactly 30 losses fit in 30");
    assert_eq!(current(&store, s.tank_entry).await, 0, "never clamped, never negative");
    assert_eq!(ledger_holds(&store, &s, s.tank_entry).await, -30);
    let recorded = ok(store.campaign_events(s.campaign).await, "campaign_events").len();
    assert_eq!(recorded, 30, "a refused event leaves no row");
}

/// 50 mixed gains and losses keep current = initial + the recorded deltas.
pub async fn fifty_concurrent_gains_and_losses_keep_the_ledger_exact<S: Store>(store: S) {
    let s = tank_at(&store, 5).await;
    let audit = created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    let events: Vec<_> = (0..50)
        .map(|i| {
            let delta = if i % 3 == 0 { 1 } else { -1 };
            seed::new_event(s.mission, &format!("Move {i}"), at(i), &[(s.tank_entry, delta)])
        })
        .collect();
    let results = join_all(events.iter().map(|e| store.record_event(e, &audit, None))).await;
    let succeeded = tally(&results, "mixed +1/-1");
    ledger_holds(&store, &s, s.tank_entry).await;
    let recorded = ok(store.campaign_events(s.campaign).await, "campaign_events").len();
    assert_eq!(recorded, succeeded, "one event row per success");
}

/// Events that each move two entries, listed in opposite orders, racing: none waits on
/// another forever (PostgreSQL would abort a deadlock), every refusal is the tank's,
/// and both entries keep current = initial + the recorded deltas.
pub async fn concurrent_batches_over_shared_entries_neither_deadlock_nor_lose_updates<S: Store>(store: S) {
    let s = tank_at(&store, 3).await;
    let audit = created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    let events: Vec<_> = (0..40)
        .map(|i| {
            let changes = if i % 2 == 0 {
                [(s.tank_entry, -1), (s.ammo_entry, 2)]
            } else {
                [(s.ammo_entry, -1), (s.tank_entry, 1)]
            };
            seed::new_event(s.mission, &format!("Swap {i}"), at(i), &changes)
        })
        .collect();
    let results = join_all(events.iter().map(|e| store.record_event(e, &audit, None))).await;
    let succeeded = tally(&results, "two-entry batches in opposite orders");
    assert!(succeeded >= 20, "every gain of the tank succeeds: {succeeded}");
    ledger_holds(&store, &s, s.tank_entry).await;
    ledger_holds(&store, &s, s.ammo_entry).await;
    let recorded = ok(store.campaign_events(s.campaign).await, "campaign_events").len();
    assert_eq!(recorded, succeeded, "one event row per success");
}

/// Deleting changes (reversals) while new losses race keeps the ledger exact.
pub async fn reversals_racing_new_losses_keep_the_ledger_exact<S: Store>(store: S) {
    let s = tank_at(&store, 10).await;
    let ten = vec![(s.tank_entry, -1); 10];
    let event = seed::event(&store, s.campaign, s.mission, "Ten losses", &ten).await;
    assert_eq!(current(&store, s.tank_entry).await, 0);
    let changes = ok(store.event(event).await, "event").expect("event").changes;
    let audit = created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    let losses: Vec<_> =
        (0..20).map(|i| seed::new_event(s.mission, &format!("Loss {i}"), at(i), &[(s.tank_entry, -1)])).collect();
    let shared = &store;
    let deletes = changes.iter().map(|c| {
        let audit = about(AuditAction::ChangeDeleted, Some(s.campaign), ObjectKind::AssetChange, c.id.get());
        async move { shared.delete_change(c.id, &audit).await }
    });
    let (deleted, recorded) =
        join(join_all(deletes), join_all(losses.iter().map(|e| store.record_event(e, &audit, None)))).await;
    for d in &deleted {
        assert!(d.is_ok(), "a reversal that adds one back never fails here: {d:?}");
    }
    let succeeded = tally(&recorded, "losses racing reversals");
    assert!(succeeded <= 10, "at most the 10 given back can be lost again");
    ledger_holds(&store, &s, s.tank_entry).await;
}

/// Concurrent replays of one key record one event and all return its id.
pub async fn concurrent_replays_of_one_key_record_one_event<S: Store>(store: S) {
    let s = scene(&store).await;
    let k = key("concurrent-event-key");
    let audit = created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    let new = seed::new_event(s.mission, "Double submit", at(0), &[(s.tank_entry, -1)]);
    let results = join_all((0..10).map(|_| store.record_event(&new, &audit, Some(&k)))).await;
    let ids: Vec<_> = results.into_iter().map(|r| ok(r, "a keyed record_event")).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "every request gets the same id: {ids:?}");
    assert_eq!(current(&store, s.tank_entry).await, 9, "the loss was applied once");
    let events = ok(store.campaign_events(s.campaign).await, "campaign_events");
    assert_eq!(events.len(), 1, "one event row");
}

/// Concurrent creates of one library with one key create it once, without a name clash.
pub async fn concurrent_creates_of_one_library_with_one_key_record_once<S: Store>(store: S) {
    let k = key("concurrent-library-key");
    let audit = created(AuditAction::LibraryCreated, None, ObjectKind::Library);
    let new = seed::new_library("NATO");
    let results = join_all((0..10).map(|_| store.insert_library(&new, &[], &audit, Some(&k)))).await;
    let ids: Vec<_> = results.into_iter().map(|r| ok(r, "a keyed insert_library")).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "every request gets the same id: {ids:?}");
    assert_eq!(ok(store.libraries().await, "libraries").len(), 1, "one library");
    assert_eq!(super::check::audit_count(&store).await, 1, "one audit entry");
}

/// Concurrent activations leave exactly one active campaign.
pub async fn concurrent_activations_leave_exactly_one_active_campaign<S: Store>(store: S) {
    let mut ids = Vec::new();
    for i in 0..8 {
        ids.push(seed::campaign(&store, &format!("C{i}"), CampaignStatus::Planned, vec![]).await);
    }
    let shared = &store;
    let activations = ids.iter().map(|&id| {
        let audit = about(AuditAction::CampaignActivated, Some(id), ObjectKind::Campaign, id.get());
        async move { shared.activate_campaign(id, &audit).await }
    });
    for r in join_all(activations).await {
        match r {
            Ok(()) | Err(RepoError::Conflict(Conflict::AnotherCampaignActive)) => {}
            Err(e) => panic!("activate_campaign: expected Ok or AnotherCampaignActive, got {e:?}"),
        }
    }
    let active: Vec<_> = ok(store.campaigns().await, "campaigns").into_iter().filter(|c| c.is_active()).collect();
    assert_eq!(active.len(), 1, "exactly one campaign is active: {active:#?}");
    let reported = ok(store.active_campaign().await, "active_campaign").map(|c| c.id());
    assert_eq!(reported, Some(active[0].id()));
}

/// Disabling the two enabled admins at once leaves one of them enabled.
pub async fn disabling_two_admins_at_once_leaves_one_enabled<S: Store>(store: S) {
    let a = seed::user(&store, "admin-a", Role::Admin).await;
    let b = seed::user(&store, "admin-b", Role::Admin).await;
    let shared = &store;
    let writes = [a, b].map(|id| {
        let audit = about(AuditAction::UserDisabled, None, ObjectKind::User, id.get());
        async move { shared.set_disabled(id, true, &audit).await }
    });
    let results = join_all(writes).await;
    let refused = results.iter().filter(|r| r.is_err()).count();
    assert_eq!(refused, 1, "exactly one of the two is refused: {results:?}");
    for r in results.into_iter().filter(Result::is_err) {
        conflict(r, Conflict::LastAdmin, "the second disable");
    }
    let enabled = ok(store.users().await, "users").iter().filter(|u| u.is_enabled_admin()).count();
    assert_eq!(enabled, 1, "one enabled admin remains");
}

/// Concurrent writes to different fields of one user (role, disabled flag, password)
/// all land: none overwrites another with a stale copy, and the stamp moves once for
/// the disable and once for the password.
pub async fn concurrent_writes_to_different_fields_of_one_user_all_land<S: Store>(store: S) {
    seed::user(&store, "admin", Role::Admin).await;
    let id = seed::user(&store, "miller", Role::Manager).await;
    let before = ok(store.user(id).await, "user").expect("user");
    let hash = PasswordHash::new("$argon2id$v=19$reset".into());
    let audit = |action| about(action, None, ObjectKind::User, id.get());
    let (role, disable, reset) =
        (audit(AuditAction::UserRoleChanged), audit(AuditAction::UserDisabled), audit(AuditAction::UserPasswordReset));
    let (r1, (r2, r3)) = join(
        store.set_role(id, Role::Admin, &role),
        join(store.set_disabled(id, true, &disable), store.set_password_hash(id, &hash, &reset)),
    )
    .await;
    ok(r1, "set_role");
    ok(r2, "set_disabled");
    ok(r3, "set_password_hash");
    let after = ok(store.user(id).await, "user").expect("user");
    assert_eq!(after.role(), Role::Admin, "the role change landed");
    assert!(after.is_disabled(), "the disable landed");
    assert_eq!(after.password_hash(), &hash, "the reset landed");
    assert_eq!(after.security_stamp(), before.security_stamp().next().next(), "the stamp moved twice");
}

/// One username inserted many times at once (in different cases) is created once.
pub async fn concurrent_inserts_of_one_username_succeed_once<S: Store>(store: S) {
    let audit = created(AuditAction::UserCreated, None, ObjectKind::User);
    let names = ["miller", "Miller", "MILLER", "mILLER", "MiLlEr", "millER"];
    let new: Vec<_> = names.iter().map(|n| seed::new_user(n, Role::Manager)).collect();
    let results = join_all(new.iter().map(|u| store.insert_user(u, &audit, None))).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "one succeeds: {results:?}");
    for r in results.into_iter().filter(Result::is_err) {
        conflict(r, Conflict::DuplicateUsername, "a concurrent duplicate");
    }
    assert_eq!(ok(store.users().await, "users").len(), 1);
}

/// Closing a campaign twice at once succeeds once; the other sees it closed.
pub async fn closing_a_campaign_twice_at_once_succeeds_once<S: Store>(store: S) {
    let s = scene(&store).await;
    let mut campaign = ok(store.campaign(s.campaign).await, "campaign").expect("campaign");
    campaign.close(at(3_600)).expect("open");
    let report = CampaignReport::build(&campaign, &[], &[], &[], &[], at(3_600));
    let audit = about(AuditAction::CampaignClosed, Some(s.campaign), ObjectKind::Campaign, s.campaign.get());
    let results = join_all((0..2).map(|_| store.close_campaign(&campaign, &report, &audit))).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "one close: {results:?}");
    for r in results.into_iter().filter(Result::is_err) {
        conflict(r, Conflict::CampaignClosed, "the second close");
    }
    assert_eq!(ok(store.final_report(s.campaign).await, "final_report"), Some(report));
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_concurrency {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            concurrency,
            $fresh,
            $tidy,
            [
                fifty_concurrent_losses_of_one_against_thirty_succeed_exactly_thirty_times,
                fifty_concurrent_gains_and_losses_keep_the_ledger_exact,
                concurrent_batches_over_shared_entries_neither_deadlock_nor_lose_updates,
                reversals_racing_new_losses_keep_the_ledger_exact,
                concurrent_replays_of_one_key_record_one_event,
                concurrent_creates_of_one_library_with_one_key_record_once,
                concurrent_activations_leave_exactly_one_active_campaign,
                disabling_two_admins_at_once_leaves_one_enabled,
                concurrent_writes_to_different_fields_of_one_user_all_land,
                concurrent_inserts_of_one_username_succeed_once,
                closing_a_campaign_twice_at_once_succeeds_once,
            ]
        );
    };
}
