//! In-memory implementations of every port, for tests here and in the adapters.
//!
//! Invariant: each write runs on a copy of the whole state and replaces it only when
//! the write succeeds, so every write is all or nothing, like a database transaction.
//! The store enforces the same backstops a database adapter must (the ledger rule,
//! unique names, closed campaigns, one active campaign, the last enabled admin,
//! idempotency keys), so use cases are tested against the contract, not a mock.

mod campaigns;
mod events;
mod legacy;
mod libraries;
mod limits;
mod pages;
mod support;
mod tokens;
mod users;

pub use limits::MemoryLimits;
pub use support::{ManualClock, PlainHasher};

use crate::error::{Conflict, RepoError, RepoResult};
use domain::{
    Asset, AssetId, AssetLibrary, AuditEntry, AuditEntryId, Campaign, CampaignId, CampaignReport, Event, EventId,
    IdempotencyKey, LibraryId, Mission, MissionId, NewAuditEntry, PoolEntry, PoolEntryId, User, UserId,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

/// Every port, backed by maps in memory. Clones share the same data.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    state: Arc<Mutex<State>>,
    health: Arc<Mutex<Health>>,
}

/// How the store answers readiness pings, so tests can play an unreachable database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Health {
    /// Pings succeed.
    #[default]
    Up,
    /// Pings fail at once.
    Down,
    /// Pings never answer.
    Hanging,
}

#[derive(Debug, Clone, Default)]
struct State {
    last_id: i64,
    users: BTreeMap<UserId, User>,
    libraries: BTreeMap<LibraryId, AssetLibrary>,
    assets: BTreeMap<AssetId, Asset>,
    campaigns: BTreeMap<CampaignId, Campaign>,
    reports: HashMap<CampaignId, CampaignReport>,
    pool: BTreeMap<PoolEntryId, PoolEntry>,
    missions: BTreeMap<MissionId, Mission>,
    events: BTreeMap<EventId, Event>,
    audit: Vec<AuditEntry>,
    keys: HashMap<String, StoredKey>,
    /// Login throttles by normalised username.
    throttles: HashMap<String, domain::ThrottleState>,
    /// API tokens with their digests.
    tokens: BTreeMap<domain::ApiTokenId, (domain::ApiToken, domain::TokenDigest)>,
    /// Raised by every audited write, as the SQL stores raise theirs.
    revision: u64,
}

#[derive(Debug, Clone)]
struct StoredKey {
    actor: Option<UserId>,
    action: domain::AuditAction,
    ids: Vec<i64>,
}

impl State {
    fn next_id(&mut self) -> i64 {
        self.last_id += 1;
        self.last_id
    }

    fn record(&mut self, audit: &NewAuditEntry, created: Option<i64>) {
        let mut entry = audit.clone();
        if entry.object.id.is_none() {
            entry.object.id = created;
            if entry.object.kind == domain::ObjectKind::Campaign && entry.campaign_id.is_none() {
                entry.campaign_id = created.map(CampaignId::new);
            }
        }
        let id = AuditEntryId::new(self.next_id());
        self.audit.push(AuditEntry { id, entry });
        self.revision += 1;
    }

    /// The ids stored with `key` by an earlier identical request, or `IdempotencyKeyReused`.
    fn replay(&self, key: Option<&IdempotencyKey>, audit: &NewAuditEntry) -> RepoResult<Option<Vec<i64>>> {
        let Some(stored) = key.and_then(|k| self.keys.get(k.as_str())) else {
            return Ok(None);
        };
        if stored.actor == audit.actor_id && stored.action == audit.action {
            Ok(Some(stored.ids.clone()))
        } else {
            Err(Conflict::IdempotencyKeyReused.into())
        }
    }

    fn remember(&mut self, key: Option<&IdempotencyKey>, audit: &NewAuditEntry, ids: Vec<i64>) {
        if let Some(key) = key {
            self.keys.insert(key.as_str().to_owned(), StoredKey { actor: audit.actor_id, action: audit.action, ids });
        }
    }

    fn open_campaign(&self, id: CampaignId) -> RepoResult<&Campaign> {
        let campaign = self.campaigns.get(&id).ok_or(RepoError::NotFound("campaign"))?;
        if campaign.is_closed() { Err(Conflict::CampaignClosed.into()) } else { Ok(campaign) }
    }
}

impl crate::ports::HealthRepo for MemoryStore {
    async fn ping(&self) -> RepoResult<()> {
        let health = *self.health.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match health {
            Health::Up => Ok(()),
            Health::Down => Err(RepoError::unexpected(std::io::Error::other("the store is down"))),
            Health::Hanging => std::future::pending().await,
        }
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes readiness pings succeed, fail or hang (for tests).
    pub fn set_health(&self, health: Health) {
        *self.health.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = health;
    }

    /// Every audit entry written so far, oldest first (for tests).
    pub fn audit_entries(&self) -> Vec<AuditEntry> {
        self.lock().audit.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held cannot leave a half-applied write behind,
        // because writes replace the state only after they succeed.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn read<T>(&self, f: impl FnOnce(&State) -> T) -> RepoResult<T> {
        Ok(f(&self.lock()))
    }

    /// Runs `f` on a copy of the state and keeps the copy only when `f` succeeds.
    fn write<T>(&self, f: impl FnOnce(&mut State) -> RepoResult<T>) -> RepoResult<T> {
        let mut guard = self.lock();
        let mut draft = guard.clone();
        let out = f(&mut draft)?;
        *guard = draft;
        Ok(out)
    }

    /// A write that changes an existing object and records `audit`.
    fn change(&self, audit: &NewAuditEntry, f: impl FnOnce(&mut State) -> RepoResult<()>) -> RepoResult<()> {
        self.write(|s| {
            f(s)?;
            s.record(audit, None);
            Ok(())
        })
    }

    /// A create of one object: replays an idempotent request, else runs `f` with a new
    /// id and records `audit` with that id.
    fn create(
        &self,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
        f: impl FnOnce(&mut State, i64) -> RepoResult<()>,
    ) -> RepoResult<i64> {
        self.write(|s| {
            if let Some(ids) = s.replay(key, audit)? {
                return ids.first().copied().ok_or(RepoError::NotFound("replayed object"));
            }
            let id = s.next_id();
            f(s, id)?;
            s.record(audit, Some(id));
            s.remember(key, audit, vec![id]);
            Ok(id)
        })
    }
}
