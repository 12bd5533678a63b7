//! A shared starting point for the events, missions and public tests: an active and a
//! planned campaign over one library, a mission in each, and helpers to close a
//! campaign, hide an entry or capture everything a refused request must not change.

use super::{ChangeInput, EventFields, EventInput};
use crate::UseCaseError;
use crate::error::Conflict;
use crate::ports::{CampaignRepo, EventRepo, MissionRepo, PoolRepo};
use crate::testing::{Fixture, TestTracker, entry_named, fixture, pool_of, seed_campaign, seed_library, seed_mission};
use domain::{
    AssetKind, AuditAction, AuditEntry, CampaignId, CampaignReport, CampaignStatus, Event, MissionId, NewAuditEntry,
    ObjectKind, ObjectRef, PoolEntry, PoolEntryId,
};

/// The seeded world. The active campaign's pool holds M2A1 Slammer (3), Hunter (2),
/// HQ Truck (1, unique) and Darter (5); the planned campaign holds the same assets.
pub(crate) struct Scenario {
    pub f: Fixture,
    pub active: CampaignId,
    pub planned: CampaignId,
    pub mission: MissionId,
    pub planned_mission: MissionId,
    pub slammer: PoolEntryId,
    pub hunter: PoolEntryId,
    pub hq: PoolEntryId,
    pub darter: PoolEntryId,
    pub planned_slammer: PoolEntryId,
}

pub(crate) async fn scenario() -> Scenario {
    let f = fixture().await;
    let (nato, _) = seed_library(
        &f.t,
        "NATO",
        &[
            ("M2A1 Slammer", AssetKind::Vehicle, 3, false),
            ("Hunter", AssetKind::Vehicle, 2, false),
            ("HQ Truck", AssetKind::Vehicle, 1, true),
            ("Darter", AssetKind::Equipment, 5, false),
        ],
    )
    .await;
    let active = seed_campaign(&f.t, "Operation Harvest", CampaignStatus::Active, &[nato]).await;
    let planned = seed_campaign(&f.t, "Operation Winter", CampaignStatus::Planned, &[nato]).await;
    let mission = seed_mission(&f.t, active, "Kavala Raid").await;
    let planned_mission = seed_mission(&f.t, planned, "Winter Prelude").await;
    let pool = pool_of(&f.t, active).await;
    let planned_pool = pool_of(&f.t, planned).await;
    Scenario {
        slammer: entry_named(&pool, "M2A1 Slammer").id(),
        hunter: entry_named(&pool, "Hunter").id(),
        hq: entry_named(&pool, "HQ Truck").id(),
        darter: entry_named(&pool, "Darter").id(),
        planned_slammer: entry_named(&planned_pool, "M2A1 Slammer").id(),
        f,
        active,
        planned,
        mission,
        planned_mission,
    }
}

/// A combat event form with the given `(entry, delta)` rows.
pub(crate) fn event_input(title: &str, changes: &[(PoolEntryId, &str)]) -> EventInput {
    EventInput {
        fields: fields(title),
        changes: changes
            .iter()
            .map(|(id, delta)| ChangeInput {
                pool_entry_id: id.to_string(),
                delta: (*delta).into(),
                note: String::new(),
            })
            .collect(),
        idempotency_key: None,
    }
}

/// Valid event fields with this title.
pub(crate) fn fields(title: &str) -> EventFields {
    EventFields {
        kind: "Combat".into(),
        title: title.into(),
        description: "Contact at the crossroads".into(),
        occurred_at: "2026-01-02T18:30".into(),
        location: "Altis, Kavala".into(),
        notes: "Staff only: the ambush was scripted".into(),
    }
}

/// The current quantity of the named asset in the campaign's pool.
pub(crate) async fn quantity(t: &TestTracker, campaign: CampaignId, asset: &str) -> u32 {
    entry_named(&pool_of(t, campaign).await, asset).current().get()
}

/// An audit entry by the system, for writes the tests make straight to the store.
pub(crate) fn system(t: &TestTracker, action: AuditAction, campaign: CampaignId, kind: ObjectKind) -> NewAuditEntry {
    NewAuditEntry {
        at: crate::ports::Clock::now(&t.clock),
        actor_id: None,
        actor_name: "system".into(),
        action,
        campaign_id: Some(campaign),
        object: ObjectRef::created(kind),
        details: "set up by a test".into(),
    }
}

/// Closes the campaign through the store, archiving its report.
pub(crate) async fn close(t: &TestTracker, id: CampaignId) {
    let mut campaign = t.store.campaign(id).await.expect("read").expect("campaign exists");
    let pool = t.store.pool(id).await.expect("pool");
    let missions = t.store.missions(id).await.expect("missions");
    let events = t.store.campaign_events(id).await.expect("events");
    let now = crate::ports::Clock::now(&t.clock);
    campaign.close(now).expect("open campaign");
    let report = CampaignReport::build(&campaign, &pool, &[], &missions, &events, now);
    let audit = system(t, AuditAction::CampaignClosed, id, ObjectKind::Campaign);
    t.store.close_campaign(&campaign, &report, &audit).await.expect("close campaign");
}

/// Hides a pool entry from the public pages.
pub(crate) async fn hide(t: &TestTracker, campaign: CampaignId, entry: PoolEntryId) {
    let audit = system(t, AuditAction::PoolVisibilityChanged, campaign, ObjectKind::PoolEntry);
    t.store.set_pool_entry_public(entry, false, &audit).await.expect("hide entry");
}

/// Everything a refused request must leave as it was.
#[derive(Debug, PartialEq)]
pub(crate) struct Snapshot {
    pool: Vec<PoolEntry>,
    events: Vec<Event>,
    missions: Vec<domain::Mission>,
    audit: Vec<AuditEntry>,
}

pub(crate) async fn snapshot(t: &TestTracker, campaign: CampaignId) -> Snapshot {
    Snapshot {
        pool: pool_of(t, campaign).await,
        events: t.store.campaign_events(campaign).await.expect("events"),
        missions: t.store.missions(campaign).await.expect("missions"),
        audit: t.store.audit_entries(),
    }
}

/// The ledger error inside a use-case error, or a panic naming what came instead.
pub(crate) fn ledger(result: Result<impl std::fmt::Debug, UseCaseError>) -> domain::LedgerError {
    match result {
        Err(UseCaseError::Conflict(Conflict::Ledger(e))) => e,
        other => panic!("expected a ledger conflict, got {other:?}"),
    }
}

/// The validation errors inside a use-case error, or a panic naming what came instead.
pub(crate) fn invalid(result: Result<impl std::fmt::Debug, UseCaseError>) -> crate::ValidationErrors {
    match result {
        Err(UseCaseError::Invalid(errors)) => errors,
        other => panic!("expected invalid input, got {other:?}"),
    }
}
