//! The closed-campaign backstop: before a write touches a campaign's data, it finds
//! the campaign the data belongs to and refuses a closed (or missing) one, inside the
//! write's transaction, holding what keeps the answer true until it commits
//! (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL, a lock on the campaign's row).
//!
//! Invariant (the lock order that keeps PostgreSQL writers free of deadlocks): a write
//! first locks the row it deletes or hangs children on (the mission or event), then
//! the campaign (`FOR SHARE`, so writes to one campaign run side by side; closing and
//! activating take `FOR UPDATE` and so wait for them, and they for it), then pool
//! entries in ascending id order (`ledger`).

use crate::dialect::{Dialect, Lock};
use crate::errors::stored;
use crate::query::{Exec, Row, Sql};
use application::error::RepoResult;
use application::{Conflict, RepoError};
use domain::{CampaignId, CampaignStatus, EventId, MissionId, PoolEntryId};

/// The campaign's id when the row names an open one.
async fn ensure_open<E: Exec>(on: &mut E, sql: Sql<'_>, missing: &'static str) -> RepoResult<CampaignId> {
    let row = sql.optional(on).await?.ok_or(RepoError::NotFound(missing))?;
    let row = Row::<E::D>::new(&row);
    match stored("campaigns.status", CampaignStatus::parse(&row.get::<String>("status")?))? {
        CampaignStatus::Closed => Err(Conflict::CampaignClosed.into()),
        CampaignStatus::Planned | CampaignStatus::Active => Ok(CampaignId::new(row.get("id")?)),
    }
}

/// Locks the campaign (`Share` for a write to its data, `Update` to change the
/// campaign itself) and refuses a closed or missing one.
///
/// # Errors
/// `NotFound("campaign")`; `Conflict::CampaignClosed`.
pub(crate) async fn open_campaign<E: Exec>(on: &mut E, id: CampaignId, lock: Lock) -> RepoResult<CampaignId> {
    let sql = format!("SELECT id, status FROM campaigns WHERE id = $1{}", E::D::lock(lock, "campaigns"));
    ensure_open(on, Sql::new(sql).bind(id.get()), "campaign").await
}

/// The open campaign of a pool entry.
pub(crate) async fn open_entry<E: Exec>(on: &mut E, id: PoolEntryId) -> RepoResult<CampaignId> {
    let sql = format!(
        "SELECT c.id, c.status FROM pool_entries p JOIN campaigns c ON c.id = p.campaign_id \
         WHERE p.id = $1{}",
        E::D::lock(Lock::Share, "c")
    );
    ensure_open(on, Sql::new(sql).bind(id.get()), "pool entry").await
}

/// The lock clause for the row a write works on, then the campaign's share lock.
fn locks<D: Dialect>(row: Option<Lock>, alias: &str) -> String {
    let row = row.map(|lock| D::lock(lock, alias)).unwrap_or_default();
    format!("{row}{}", D::lock(Lock::Share, "c"))
}

/// The open campaign of a mission; `row` locks the mission too (`KeyShare` to hang an
/// event on it, `Update` to delete it).
pub(crate) async fn open_mission<E: Exec>(on: &mut E, id: MissionId, row: Option<Lock>) -> RepoResult<CampaignId> {
    let sql = format!(
        "SELECT c.id, c.status FROM missions m JOIN campaigns c ON c.id = m.campaign_id \
         WHERE m.id = $1{}",
        locks::<E::D>(row, "m")
    );
    ensure_open(on, Sql::new(sql).bind(id.get()), "mission").await
}

/// The open campaign of an event; `row` locks the event too.
pub(crate) async fn open_event<E: Exec>(on: &mut E, id: EventId, row: Option<Lock>) -> RepoResult<CampaignId> {
    let sql = format!(
        "SELECT c.id, c.status FROM events e JOIN missions m ON m.id = e.mission_id \
         JOIN campaigns c ON c.id = m.campaign_id WHERE e.id = $1{}",
        locks::<E::D>(row, "e")
    );
    ensure_open(on, Sql::new(sql).bind(id.get()), "event").await
}
