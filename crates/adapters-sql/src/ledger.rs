//! The ledger rule in the database: every move of a pool entry is one guarded
//! `UPDATE` whose `WHERE` keeps `0 <= current <= max` (1 for a unique asset,
//! `Quantity::MAX` otherwise, bound from the domain), inside the write's transaction,
//! so concurrent writers can never lose an update or break the rule. Rust never reads a
//! quantity and writes it back.
//!
//! Invariants: moves of one batch are netted per entry and applied in one statement
//! that first locks the entries in ascending id order (the lock order of `guards`). When a guard refuses, the entry is read back
//! under a row lock and the domain's own check (`PoolEntry::check` / `set_initial`)
//! builds the error, so the caller gets exactly the `LedgerError` the in-memory store
//! would give; if the domain accepts (the entry moved in between), the move is tried
//! once more on the now locked row. The caller's transaction is dropped on an error,
//! undoing every earlier move of the batch.

use crate::dialect::{Dialect, Lock};
use crate::errors::invariant;
use crate::pool::{POOL_COLUMNS, entry as pool_entry};
use crate::query::{Exec, Sql};
use application::RepoError;
use application::error::RepoResult;
use domain::{CampaignId, LedgerError, PoolEntry, PoolEntryId, Quantity};
use std::collections::{BTreeMap, HashSet};

/// The guard every quantity change keeps: `new_current` is the new current quantity
/// and `max` the parameter bound to `Quantity::MAX`.
fn within_limits(new_current: &str, max: &str) -> String {
    format!("{new_current} >= 0 AND {new_current} <= CASE WHEN is_unique THEN 1 ELSE {max} END")
}

/// Applies `changes` (entry, delta) to the campaign's pool, netted per entry.
///
/// The moves go out as one guarded `UPDATE` (locking the entries in ascending id order
/// first); only an entry it did not move is read back, checked and tried alone.
///
/// # Errors
/// The domain's `LedgerError` for the first entry the rule refuses.
pub(crate) async fn apply<E: Exec>(
    on: &mut E,
    campaign: CampaignId,
    changes: impl IntoIterator<Item = (PoolEntryId, i64)>,
) -> RepoResult<()> {
    let mut net: BTreeMap<PoolEntryId, i64> = BTreeMap::new();
    for (id, delta) in changes {
        *net.entry(id).or_default() += delta;
    }
    let net: Vec<(PoolEntryId, i64)> = net.into_iter().collect();
    let mut moved = HashSet::with_capacity(net.len());
    // Batches in ascending id order keep the lock order across them.
    for batch in net.chunks(crate::query::BATCH) {
        moved.extend(try_moves(on, campaign, batch).await?);
    }
    for &(id, delta) in net.iter().filter(|(id, _)| !moved.contains(&id.get())) {
        let entry = entry(on, id, Some(campaign)).await?.ok_or(LedgerError::UnknownEntry(id))?;
        entry.check(delta)?;
        if !try_move(on, campaign, id, delta).await? {
            return Err(invariant("a locked pool entry refused a move its check allowed"));
        }
    }
    Ok(())
}

/// Every move of `net` (ascending ids) in one guarded statement; the ids of the entries it moved.
async fn try_moves<E: Exec>(on: &mut E, campaign: CampaignId, net: &[(PoolEntryId, i64)]) -> RepoResult<Vec<i64>> {
    // $1 campaign, $2 the limit, then (id, delta) pairs from $3.
    let moves = (0..net.len())
        .map(|n| format!("SELECT ${} AS id, ${} AS delta", 3 + 2 * n, 4 + 2 * n))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let sql = format!(
        "WITH moves AS ({moves}), \
         locked AS MATERIALIZED (SELECT id FROM pool_entries \
           WHERE campaign_id = $1 AND id IN (SELECT id FROM moves) ORDER BY id{}) \
         UPDATE pool_entries SET current_quantity = current_quantity + moves.delta FROM moves \
         WHERE pool_entries.id = moves.id AND pool_entries.id IN (SELECT id FROM locked) AND {} \
         RETURNING pool_entries.id",
        E::D::lock(Lock::NoKeyUpdate, "pool_entries"),
        within_limits("current_quantity + moves.delta", "$2")
    );
    let mut sql = Sql::new(sql).bind(campaign.get()).bind(Quantity::MAX);
    for (id, delta) in net {
        sql = sql.bind(id.get()).bind(*delta);
    }
    sql.column(on, "id").await
}

/// One guarded move; whether it applied.
async fn try_move<E: Exec>(on: &mut E, campaign: CampaignId, id: PoolEntryId, delta: i64) -> RepoResult<bool> {
    let sql = format!(
        "UPDATE pool_entries SET current_quantity = current_quantity + $3 \
         WHERE id = $1 AND campaign_id = $2 AND {}",
        within_limits("current_quantity + $3", "$4")
    );
    let sql = Sql::new(sql).bind(id.get()).bind(campaign.get()).bind(delta).bind(Quantity::MAX);
    Ok(sql.execute(on).await? == 1)
}

/// A pool entry (of `campaign`, when given). Inside a write it is read under a row
/// lock, so it stays as read until the write commits: the lock an `UPDATE` of its
/// quantities takes (and `try_moves` already took), which rows referencing the entry
/// do not wait for, nor it for them.
pub(crate) async fn entry<E: Exec>(
    on: &mut E,
    id: PoolEntryId,
    campaign: Option<CampaignId>,
) -> RepoResult<Option<PoolEntry>> {
    let lock = if campaign.is_some() { E::D::lock(Lock::NoKeyUpdate, "pool_entries") } else { String::new() };
    let sql =
        format!("SELECT {POOL_COLUMNS} FROM pool_entries WHERE id = $1 AND ($2 IS NULL OR campaign_id = $2){lock}");
    Sql::new(sql).bind(id.get()).bind(campaign.map(CampaignId::get)).optional_as(on, pool_entry).await
}

/// Sets an entry's initial quantity, moving its current quantity by the same amount.
///
/// # Errors
/// The domain's `LedgerError` when the rule refuses; `NotFound("pool entry")`.
pub(crate) async fn set_initial<E: Exec>(
    on: &mut E,
    campaign: CampaignId,
    id: PoolEntryId,
    initial: Quantity,
) -> RepoResult<PoolEntry> {
    if let Some(saved) = try_set_initial(on, id, initial).await? {
        return Ok(saved);
    }
    let mut entry = entry(on, id, Some(campaign)).await?.ok_or(RepoError::NotFound("pool entry"))?;
    entry.set_initial(initial)?;
    try_set_initial(on, id, initial)
        .await?
        .ok_or_else(|| invariant("a locked pool entry refused a change its check allowed"))
}

/// One guarded change of the initial quantity; the saved entry when applied.
async fn try_set_initial<E: Exec>(on: &mut E, id: PoolEntryId, initial: Quantity) -> RepoResult<Option<PoolEntry>> {
    let sql = format!(
        "UPDATE pool_entries \
         SET initial_quantity = $2, current_quantity = current_quantity + ($2 - initial_quantity) \
         WHERE id = $1 AND (NOT is_unique OR $2 <= 1) AND {} \
         RETURNING {POOL_COLUMNS}",
        within_limits("current_quantity + ($2 - initial_quantity)", "$3")
    );
    Sql::new(sql).bind(id.get()).bind(initial.get()).bind(Quantity::MAX).optional_as(on, pool_entry).await
}
