//! Checking helpers for the contract suite: expected outcomes with clear panic
//! messages, and a snapshot of everything a store holds, read through the ports, to
//! prove that a refused write changed nothing (audit log included).

use crate::error::{Conflict, RepoError, RepoResult};
use crate::ports::{AuditFilter, LibrarySummary, Page, PageRequest, Store};
use domain::{
    Asset, AuditAction, AuditEntry, Campaign, CampaignReport, Event, LedgerError, Mission, PoolEntry, PoolEntryId, User,
};
use std::fmt::Debug;

/// Unwraps a result the test needs, naming the step that failed.
#[track_caller]
pub fn ok<T>(result: RepoResult<T>, step: &str) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!("{step}: expected success, got {e:?}"),
    }
}

/// Asserts that a write failed with exactly `expected`.
#[track_caller]
pub fn conflict<T: Debug>(result: RepoResult<T>, expected: Conflict, step: &str) {
    match result {
        Err(RepoError::Conflict(c)) if c == expected => {}
        other => panic!("{step}: expected Conflict::{expected:?}, got {other:?}"),
    }
}

/// Asserts that a write failed with exactly this ledger error.
#[track_caller]
pub fn ledger<T: Debug>(result: RepoResult<T>, expected: LedgerError, step: &str) {
    conflict(result, Conflict::Ledger(expected), step);
}

/// The ledger error for taking `requested` from `available` of `asset`.
pub fn insufficient(asset: &str, available: u32, requested: u64) -> LedgerError {
    LedgerError::Insufficient { asset: asset.to_owned(), available, requested }
}

/// The ledger error for adding `requested` to a unique `asset` holding `available`.
pub fn unique_exceeded(asset: &str, available: u32, requested: u64) -> LedgerError {
    LedgerError::UniqueExceeded { asset: asset.to_owned(), available, requested }
}

/// Asserts that a write failed with `RepoError::NotFound` (whatever it names).
#[track_caller]
pub fn not_found<T: Debug>(result: RepoResult<T>, step: &str) {
    match result {
        Err(RepoError::NotFound(_)) => {}
        other => panic!("{step}: expected RepoError::NotFound, got {other:?}"),
    }
}

/// A pool entry that must exist.
pub async fn entry<S: Store>(store: &S, id: PoolEntryId) -> PoolEntry {
    ok(store.pool_entry(id).await, "reading a pool entry").unwrap_or_else(|| panic!("pool entry {id} should exist"))
}

/// The current quantity of a pool entry that must exist.
pub async fn current<S: Store>(store: &S, id: PoolEntryId) -> u32 {
    entry(store, id).await.current().get()
}

/// How many audit entries the store holds.
pub async fn audit_count<S: Store>(store: &S) -> u64 {
    ok(store.audit_log(&AuditFilter::default(), PageRequest::new(1, 1)).await, "counting audit entries").total
}

/// The newest audit entry.
pub async fn last_audit<S: Store>(store: &S) -> AuditEntry {
    let page =
        ok(store.audit_log(&AuditFilter::default(), PageRequest::new(1, 1)).await, "reading the newest audit entry");
    page.items.into_iter().next().expect("the audit log should not be empty")
}

/// Asserts that the write just made added exactly one audit entry, of `action`, and
/// returns it.
pub async fn one_audit<S: Store>(store: &S, before: u64, action: AuditAction, step: &str) -> AuditEntry {
    let after = audit_count(store).await;
    assert_eq!(after, before + 1, "{step}: expected exactly one new audit entry");
    let last = last_audit(store).await;
    assert_eq!(last.entry.action, action, "{step}: wrong audit action");
    last
}

/// Everything a store holds, as its reads show it.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    users: Vec<User>,
    libraries: Vec<(LibrarySummary, Vec<Asset>)>,
    active: Option<Campaign>,
    campaigns: Vec<CampaignState>,
    audit: Page<AuditEntry>,
}

#[derive(Debug, PartialEq)]
struct CampaignState {
    campaign: Campaign,
    pool: Vec<PoolEntry>,
    missions: Vec<Mission>,
    events: Vec<Event>,
    report: Option<CampaignReport>,
}

/// Reads everything the store holds.
pub async fn snapshot<S: Store>(store: &S) -> Snapshot {
    let mut libraries = Vec::new();
    for summary in ok(store.libraries().await, "snapshot: libraries") {
        let assets = ok(store.assets(summary.library.id).await, "snapshot: assets");
        libraries.push((summary, assets));
    }
    let mut campaigns = Vec::new();
    for campaign in ok(store.campaigns().await, "snapshot: campaigns") {
        let id = campaign.id();
        campaigns.push(CampaignState {
            pool: ok(store.pool(id).await, "snapshot: pool"),
            missions: ok(store.missions(id).await, "snapshot: missions"),
            events: ok(store.campaign_events(id).await, "snapshot: events"),
            report: ok(store.final_report(id).await, "snapshot: report"),
            campaign,
        });
    }
    Snapshot {
        users: ok(store.users().await, "snapshot: users"),
        libraries,
        active: ok(store.active_campaign().await, "snapshot: active campaign"),
        campaigns,
        audit: ok(store.audit_log(&AuditFilter::default(), PageRequest::new(1, 200)).await, "snapshot: audit log"),
    }
}

/// Asserts that the store holds exactly what `before` recorded.
pub async fn unchanged<S: Store>(store: &S, before: &Snapshot, step: &str) {
    let now = snapshot(store).await;
    assert!(
        &now == before,
        "{step}: a refused write must change nothing, but the store changed.\n\
         before: {before:#?}\nafter: {now:#?}"
    );
}
