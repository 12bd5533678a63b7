//! The closed-campaign backstop: before a write touches a campaign's data, it locks
//! the campaign's row and refuses a closed (or missing) campaign, in the write's
//! transaction.
//!
//! Invariants (the lock order that keeps writers free of deadlocks): a write first
//! locks the rows it deletes or hangs children on (the mission or event, here), then
//! the campaign (`FOR SHARE`, so writes to one campaign run side by side; closing and
//! activating take `FOR UPDATE` and so wait for them, and they for it), then pool
//! entries in ascending id order (`ledger`).

use crate::convert::stored;
use crate::errors::db;
use application::error::RepoResult;
use application::{Conflict, RepoError};
use domain::{CampaignId, CampaignStatus, EventId, MissionId, PoolEntryId};
use sqlx::PgConnection;

/// How strongly to lock the campaign's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    /// For writes to the campaign's pool, missions and events: they run side by side.
    Share,
    /// For writes to the campaign's own row (edit, activate, close).
    Update,
}

/// Whether the locked campaign may change.
fn ensure_open(row: Option<(i64, String)>, missing: &'static str) -> RepoResult<CampaignId> {
    let (id, status) = row.ok_or(RepoError::NotFound(missing))?;
    match stored("campaigns.status", CampaignStatus::parse(&status))? {
        CampaignStatus::Closed => Err(Conflict::CampaignClosed.into()),
        CampaignStatus::Planned | CampaignStatus::Active => Ok(CampaignId::new(id)),
    }
}

/// Locks the campaign.
/// # Errors
/// `NotFound("campaign")`; `Conflict::CampaignClosed`.
pub(crate) async fn open_campaign(conn: &mut PgConnection, id: CampaignId, lock: Lock) -> RepoResult<CampaignId> {
    let sql = match lock {
        Lock::Share => "SELECT id, status FROM campaigns WHERE id = $1 FOR SHARE",
        Lock::Update => "SELECT id, status FROM campaigns WHERE id = $1 FOR UPDATE",
    };
    let row = sqlx::query_as(sql).bind(id.get()).fetch_optional(conn).await.map_err(db)?;
    ensure_open(row, "campaign")
}

/// Locks the campaign of a pool entry and returns it.
/// # Errors
/// `NotFound("pool entry")`; `Conflict::CampaignClosed`.
pub(crate) async fn open_entry(conn: &mut PgConnection, id: PoolEntryId) -> RepoResult<CampaignId> {
    let row = sqlx::query_as(
        "SELECT c.id, c.status FROM pool_entries p JOIN campaigns c ON c.id = p.campaign_id \
         WHERE p.id = $1 FOR SHARE OF c",
    )
    .bind(id.get())
    .fetch_optional(conn)
    .await
    .map_err(db)?;
    ensure_open(row, "pool entry")
}

/// How to lock the mission or event a write goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Row {
    /// Not at all: the write only reads it (or its own `UPDATE` locks it).
    Unlocked,
    /// `FOR KEY SHARE`: the write hangs a child on it, which must not be deleted meanwhile.
    KeyShare,
    /// `FOR UPDATE`: the write deletes it.
    Update,
}

impl Row {
    fn clause(self, alias: &str) -> String {
        match self {
            Row::Unlocked => String::new(),
            Row::KeyShare => format!(" FOR KEY SHARE OF {alias}"),
            Row::Update => format!(" FOR UPDATE OF {alias}"),
        }
    }
}

/// Locks a mission as `row` says and its campaign, and returns the campaign.
/// # Errors
/// `NotFound("mission")`; `Conflict::CampaignClosed`.
pub(crate) async fn open_mission(conn: &mut PgConnection, id: MissionId, row: Row) -> RepoResult<CampaignId> {
    let sql = format!(
        "SELECT c.id, c.status FROM missions m JOIN campaigns c ON c.id = m.campaign_id \
         WHERE m.id = $1{} FOR SHARE OF c",
        row.clause("m")
    );
    let found = sqlx::query_as(&sql).bind(id.get()).fetch_optional(conn).await.map_err(db)?;
    ensure_open(found, "mission")
}

/// Locks an event as `row` says and its campaign, and returns the campaign.
/// # Errors
/// `NotFound("event")`; `Conflict::CampaignClosed`.
pub(crate) async fn open_event(conn: &mut PgConnection, id: EventId, row: Row) -> RepoResult<CampaignId> {
    let sql = format!(
        "SELECT c.id, c.status FROM events e JOIN missions m ON m.id = e.mission_id \
         JOIN campaigns c ON c.id = m.campaign_id WHERE e.id = $1{} FOR SHARE OF c",
        row.clause("e")
    );
    let found = sqlx::query_as(&sql).bind(id.get()).fetch_optional(conn).await.map_err(db)?;
    ensure_open(found, "event")
}
