//! The ledger rule in the database: every move of a pool entry is one guarded
//! `UPDATE` whose `WHERE` keeps `0 <= current <= max` (1 for a unique asset), inside the
//! write's transaction, so concurrent writers can never lose an update or break the
//! rule. Rust never reads a quantity and writes it back.
//!
//! Invariant: when a guard refuses, the entry is read back in the same transaction and
//! the domain's own check (`PoolEntry::check` / `set_initial`) builds the error, so the
//! caller gets exactly the `LedgerError` the in-memory store would give; the caller's
//! transaction is then dropped, undoing every earlier move of the batch.

use crate::errors::db;
use crate::pool::{self, POOL_COLUMNS, PoolRow};
use application::RepoError;
use application::error::RepoResult;
use domain::{CampaignId, LedgerError, PoolEntry, PoolEntryId, Quantity};
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

/// The guard refused a move that the domain's rule allows: a bug, never a user error.
#[derive(Debug, thiserror::Error)]
#[error("the ledger guard refused pool entry {0}, which the domain rule accepts")]
struct GuardDisagrees(PoolEntryId);

/// Applies `changes` to `campaign`'s pool, netted per entry and in entry id order (as
/// `domain::plan_changes` does), stopping at the first refusal.
///
/// # Errors
/// `Conflict::Ledger` (`Insufficient`, `UniqueExceeded`, `AboveMaximum`, or
/// `UnknownEntry` for an entry not in this campaign's pool).
pub(crate) async fn apply(
    conn: &mut SqliteConnection,
    campaign: CampaignId,
    changes: impl IntoIterator<Item = (PoolEntryId, i64)>,
) -> RepoResult<()> {
    let mut net: BTreeMap<PoolEntryId, i64> = BTreeMap::new();
    for (id, delta) in changes {
        *net.entry(id).or_default() += delta;
    }
    for (id, delta) in net {
        let moved = sqlx::query(
            "UPDATE pool_entries SET current_quantity = current_quantity + ?1 \
             WHERE id = ?2 AND campaign_id = ?3 \
               AND current_quantity + ?1 >= 0 \
               AND current_quantity + ?1 <= CASE WHEN is_unique THEN 1 ELSE 1000000 END",
        )
        .bind(delta)
        .bind(id.get())
        .bind(campaign.get())
        .execute(&mut *conn)
        .await
        .map_err(db)?;
        if moved.rows_affected() == 0 {
            return Err(refusal(conn, campaign, id, |entry| entry.check(delta).map(drop)).await);
        }
    }
    Ok(())
}

/// Sets an entry's initial quantity, shifting its current quantity by the same amount
/// under the rule; returns the entry as saved.
///
/// # Errors
/// `Conflict::Ledger` when the shift would break the rule.
pub(crate) async fn set_initial(
    conn: &mut SqliteConnection,
    campaign: CampaignId,
    id: PoolEntryId,
    initial: Quantity,
) -> RepoResult<PoolEntry> {
    let sql = format!(
        "UPDATE pool_entries \
         SET initial_quantity = ?1, current_quantity = current_quantity + (?1 - initial_quantity) \
         WHERE id = ?2 AND campaign_id = ?3 \
           AND (NOT is_unique OR ?1 <= 1) \
           AND current_quantity + (?1 - initial_quantity) >= 0 \
           AND current_quantity + (?1 - initial_quantity) \
               <= CASE WHEN is_unique THEN 1 ELSE 1000000 END \
         RETURNING {POOL_COLUMNS}"
    );
    let saved: Option<PoolRow> = sqlx::query_as(&sql)
        .bind(i64::from(initial.get()))
        .bind(id.get())
        .bind(campaign.get())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    match saved {
        Some(row) => row.into_entry(),
        None => Err(refusal(conn, campaign, id, |mut entry| entry.set_initial(initial)).await),
    }
}

/// The error for a refused move of entry `id`: the domain rule applied to the entry as
/// it is now, or `UnknownEntry` when the campaign's pool does not hold it.
async fn refusal(
    conn: &mut SqliteConnection,
    campaign: CampaignId,
    id: PoolEntryId,
    rule: impl FnOnce(PoolEntry) -> Result<(), LedgerError>,
) -> RepoError {
    let entry = match pool::entry(conn, id).await {
        Ok(Some(entry)) if entry.campaign_id() == campaign => entry,
        Ok(_) => return LedgerError::UnknownEntry(id).into(),
        Err(e) => return e,
    };
    match rule(entry) {
        Err(refused) => refused.into(),
        Ok(()) => RepoError::unexpected(GuardDisagrees(id)),
    }
}
