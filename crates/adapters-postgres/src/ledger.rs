//! The ledger rule, applied by the database: every move of a pool entry is one
//! guarded `UPDATE` that changes nothing when the rule would break. Only then is the
//! entry read (and locked) to build exactly the domain's error with
//! `PoolEntry::check` / `PoolEntry::set_initial`.
//!
//! Invariants: deltas to one entry are netted first, and entries are updated in
//! ascending id order, so concurrent writers lock entries in the same order and
//! cannot deadlock; the `UPDATE`'s row lock serializes concurrent moves of one entry.

use crate::errors::{db, invariant};
use crate::pool::{ENTRY_COLUMNS, EntryRow};
use application::error::RepoResult;
use domain::{CampaignId, LedgerError, PoolEntry, PoolEntryId, Quantity};
use sqlx::PgConnection;
use std::collections::BTreeMap;

/// Applies `changes` to the campaign's pool, all or nothing within the write's
/// transaction (the caller's error return rolls back the moves already made).
/// # Errors
/// `Conflict::Ledger` with the domain's error for the first entry (by id) that
/// breaks the rule, or `LedgerError::UnknownEntry` for an entry of another pool.
pub(crate) async fn move_pool(
    conn: &mut PgConnection,
    campaign: CampaignId,
    changes: impl IntoIterator<Item = (PoolEntryId, i64)>,
) -> RepoResult<()> {
    let mut net: BTreeMap<PoolEntryId, i64> = BTreeMap::new();
    for (id, delta) in changes {
        *net.entry(id).or_default() += delta;
    }
    for (id, delta) in net {
        if try_move(conn, campaign, id, delta).await? {
            continue;
        }
        let entry = locked_entry(conn, campaign, id).await?.ok_or(LedgerError::UnknownEntry(id))?;
        entry.check(delta)?;
        // The rule holds now: another writer moved the entry between our UPDATE and
        // our read. The row is locked by that read, so this attempt sees the same
        // quantity and succeeds.
        if !try_move(conn, campaign, id, delta).await? {
            return Err(invariant("a locked pool entry refused a move its check allowed"));
        }
    }
    Ok(())
}

/// One guarded move; whether it was applied.
async fn try_move(conn: &mut PgConnection, campaign: CampaignId, id: PoolEntryId, delta: i64) -> RepoResult<bool> {
    let moved = sqlx::query(
        "UPDATE pool_entries SET current_quantity = current_quantity + $3 \
         WHERE id = $1 AND campaign_id = $2 \
           AND current_quantity + $3 >= 0 \
           AND current_quantity + $3 <= CASE WHEN is_unique THEN 1 ELSE 1000000 END",
    )
    .bind(id.get())
    .bind(campaign.get())
    .bind(delta)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(moved.rows_affected() == 1)
}

/// The entry of this campaign's pool, locked for the rest of the transaction.
async fn locked_entry(conn: &mut PgConnection, campaign: CampaignId, id: PoolEntryId) -> RepoResult<Option<PoolEntry>> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM pool_entries WHERE id = $1 AND campaign_id = $2 FOR UPDATE");
    let row: Option<EntryRow> =
        sqlx::query_as(&sql).bind(id.get()).bind(campaign.get()).fetch_optional(&mut *conn).await.map_err(db)?;
    row.map(PoolEntry::try_from).transpose()
}

/// Sets the entry's initial quantity, shifting the current one by the same amount
/// under the rule; returns the entry as saved.
/// # Errors
/// `NotFound("pool entry")`; `Conflict::Ledger` with the domain's error.
pub(crate) async fn set_initial(
    conn: &mut PgConnection,
    campaign: CampaignId,
    id: PoolEntryId,
    initial: Quantity,
) -> RepoResult<PoolEntry> {
    if let Some(saved) = try_set_initial(conn, id, initial).await? {
        return Ok(saved);
    }
    let mut entry = locked_entry(conn, campaign, id).await?.ok_or(application::RepoError::NotFound("pool entry"))?;
    entry.set_initial(initial)?;
    // As in `move_pool`: the entry moved in between and is locked now.
    try_set_initial(conn, id, initial)
        .await?
        .ok_or_else(|| invariant("a locked pool entry refused a change its check allowed"))
}

/// One guarded change of the initial quantity; the saved entry when applied.
async fn try_set_initial(conn: &mut PgConnection, id: PoolEntryId, initial: Quantity) -> RepoResult<Option<PoolEntry>> {
    let sql = format!(
        "UPDATE pool_entries \
         SET initial_quantity = $2, current_quantity = current_quantity + ($2 - initial_quantity) \
         WHERE id = $1 AND (NOT is_unique OR $2 <= 1) \
           AND current_quantity + ($2 - initial_quantity) >= 0 \
           AND current_quantity + ($2 - initial_quantity) \
               <= CASE WHEN is_unique THEN 1 ELSE 1000000 END \
         RETURNING {ENTRY_COLUMNS}"
    );
    let row: Option<EntryRow> = sqlx::query_as(&sql)
        .bind(id.get())
        .bind(i64::from(initial.get()))
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    row.map(PoolEntry::try_from).transpose()
}
