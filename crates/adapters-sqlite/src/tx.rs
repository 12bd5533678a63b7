//! The one way this adapter writes: `Write`, a `BEGIN IMMEDIATE` transaction that
//! stores the audit row and the idempotency key with the change, all or nothing.
//!
//! Invariants:
//! - Every port write starts with `SqliteStore::begin` (a create, with its optional
//!   key) or `begin_change` (no key) and ends with `Write::commit`; dropping a
//!   `Write` without committing rolls everything back (sqlx's transaction guard), so
//!   an early `?` return leaves nothing behind.
//! - `BEGIN IMMEDIATE` takes SQLite's write lock at the start (waiting up to the busy
//!   timeout). A deferred transaction would read first and then try to upgrade its
//!   snapshot to a writer, which fails at once with SQLITE_BUSY when another connection
//!   wrote in between, and the busy timeout cannot help. Holding the lock from the start
//!   also makes the reads inside a write (a campaign's status, a stored key, the current
//!   admins) consistent with the write, as `FOR UPDATE` does on PostgreSQL.
//! - A key stored by the same actor for the same action replays: nothing is written
//!   and the stored ids are returned. Any other use of the key is
//!   `Conflict::IdempotencyKeyReused`.

use crate::SqliteStore;
use crate::codec::{ids_from_text, ids_text, timestamp};
use crate::errors::{db, unique_violation};
use application::error::RepoResult;
use application::{Conflict, RepoError};
use domain::{AuditAction, CampaignId, IdempotencyKey, NewAuditEntry, ObjectKind};
use sqlx::{Sqlite, SqliteConnection, Transaction};

/// A write in progress: the open transaction and the audit entry (and key) it will
/// store when committed.
pub(crate) struct Write<'a> {
    tx: Transaction<'static, Sqlite>,
    audit: &'a NewAuditEntry,
    key: Option<&'a IdempotencyKey>,
}

/// What `SqliteStore::begin` found.
pub(crate) enum Begun<'a> {
    /// A fresh request: do the write, then commit.
    Run(Write<'a>),
    /// The key was used before by the same actor for the same action: return these ids
    /// (those the first request created) and write nothing.
    Replay(Vec<i64>),
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    actor_id: Option<i64>,
    action: String,
    object_ids: String,
}

/// The stored ids for `key` when the same actor used it for the same action, `None`
/// when it was never used, `IdempotencyKeyReused` otherwise.
async fn stored_ids(
    conn: &mut SqliteConnection,
    key: &IdempotencyKey,
    audit: &NewAuditEntry,
) -> RepoResult<Option<Vec<i64>>> {
    let row: Option<KeyRow> = sqlx::query_as("SELECT actor_id, action, object_ids FROM idempotency_keys WHERE key = ?")
        .bind(key.as_str())
        .fetch_optional(conn)
        .await
        .map_err(db)?;
    let Some(row) = row else { return Ok(None) };
    let same_actor = row.actor_id == audit.actor_id.map(domain::UserId::get);
    let same_action = AuditAction::parse(&row.action) == Ok(audit.action);
    if same_actor && same_action {
        ids_from_text(&row.object_ids).map(Some)
    } else {
        Err(Conflict::IdempotencyKeyReused.into())
    }
}

impl SqliteStore {
    /// Starts a create that stores `audit` and `key` when committed, or finds that
    /// `key` replays an earlier request.
    ///
    /// The key's row is inserted first, before the create's own statements, so that of
    /// two requests racing with one key the loser fails on the key (and answers with the
    /// winner's ids) rather than on, say, the unique name the winner just took.
    pub(crate) async fn begin<'a>(
        &self,
        audit: &'a NewAuditEntry,
        key: Option<&'a IdempotencyKey>,
    ) -> RepoResult<Begun<'a>> {
        let mut write = self.begin_change(audit).await?;
        let Some(key) = key else {
            return Ok(Begun::Run(write));
        };
        if let Some(ids) = stored_ids(write.conn(), key, audit).await? {
            return Ok(Begun::Replay(ids));
        }
        self.claim(write, key).await
    }

    /// Stores `key` in the write's transaction, or, when another request stored it
    /// first, rolls the write back and answers as that request's replay would. While
    /// writes are serialized by `BEGIN IMMEDIATE` the replay check in `begin` always
    /// sees such a key first; this is the backstop that keeps a key race harmless even
    /// so.
    async fn claim<'a>(&self, mut write: Write<'a>, key: &'a IdempotencyKey) -> RepoResult<Begun<'a>> {
        let audit = write.audit;
        let claimed = sqlx::query(
            "INSERT INTO idempotency_keys (key, actor_id, action, object_ids, created_at) \
             VALUES (?, ?, ?, '', ?)",
        )
        .bind(key.as_str())
        .bind(audit.actor_id.map(domain::UserId::get))
        .bind(audit.action.as_str())
        .bind(timestamp(audit.at)?)
        .execute(write.conn())
        .await;
        match claimed {
            Ok(_) => {
                write.key = Some(key);
                Ok(Begun::Run(write))
            }
            Err(e) if unique_violation(&e) == Some("idempotency_keys_pkey") => {
                write.tx.rollback().await.map_err(RepoError::unexpected)?;
                let mut conn = self.pool.acquire().await.map_err(RepoError::unexpected)?;
                stored_ids(&mut conn, key, audit)
                    .await?
                    .map(Begun::Replay)
                    .ok_or(RepoError::NotFound("replayed object"))
            }
            Err(e) => Err(db(e)),
        }
    }

    /// Starts a write that changes existing objects and stores `audit` when committed.
    pub(crate) async fn begin_change<'a>(&self, audit: &'a NewAuditEntry) -> RepoResult<Write<'a>> {
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(RepoError::unexpected)?;
        Ok(Write { tx, audit, key: None })
    }
}

impl Write<'_> {
    /// The transaction's connection, for the write's own statements.
    pub(crate) fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }

    /// Stores the audit row and the key's `created` ids, then commits. When the entry
    /// names no object id and exactly one object was created, the row gets that id (and,
    /// for a new campaign with no campaign id, that id as its campaign too).
    pub(crate) async fn commit(mut self, created: &[i64]) -> RepoResult<()> {
        let audit = self.audit;
        let mut object_id = audit.object.id;
        let mut campaign_id = audit.campaign_id.map(CampaignId::get);
        if object_id.is_none()
            && let [only] = created
        {
            object_id = Some(*only);
            if audit.object.kind == ObjectKind::Campaign {
                campaign_id = campaign_id.or(object_id);
            }
        }
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, campaign_id, \
             object_kind, object_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(timestamp(audit.at)?)
        .bind(audit.actor_id.map(domain::UserId::get))
        .bind(&audit.actor_name)
        .bind(audit.action.as_str())
        .bind(campaign_id)
        .bind(audit.object.kind.as_str())
        .bind(object_id)
        .bind(&audit.details)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        if let Some(key) = self.key {
            sqlx::query("UPDATE idempotency_keys SET object_ids = ? WHERE key = ?")
                .bind(ids_text(created))
                .bind(key.as_str())
                .execute(&mut *self.tx)
                .await
                .map_err(db)?;
        }
        self.tx.commit().await.map_err(RepoError::unexpected)
    }
}

/// The first id of a create, as the port returns it.
pub(crate) fn first(ids: Vec<i64>) -> RepoResult<i64> {
    ids.first().copied().ok_or(RepoError::NotFound("replayed object"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PoolSettings, connect};
    use application::contract::seed;

    /// A store where another request already stored `key-0001` for a library create by
    /// the system, which created library 7.
    async fn store_with_a_stored_key() -> SqliteStore {
        let store = connect("sqlite::memory:", &PoolSettings::default()).await.unwrap();
        store.migrate().await.unwrap();
        sqlx::query(
            "INSERT INTO idempotency_keys (key, actor_id, action, object_ids, created_at) \
             VALUES ('key-0001', NULL, 'library.created', '7', 'then')",
        )
        .execute(store.connection_pool())
        .await
        .unwrap();
        store
    }

    #[tokio::test]
    async fn losing_the_race_for_a_key_answers_with_the_winners_ids_and_writes_nothing() {
        let store = store_with_a_stored_key().await;
        let key = seed::key("key-0001");
        let audit = seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library);
        // Skip `begin`'s replay check, as a request that checked before the winner
        // committed would.
        let write = store.begin_change(&audit).await.unwrap();
        match store.claim(write, &key).await {
            Ok(Begun::Replay(ids)) => assert_eq!(ids, vec![7]),
            Ok(Begun::Run(_)) => panic!("the key was claimed twice"),
            Err(e) => panic!("expected the winner's ids, got {e:?}"),
        }
        let count = |table: &str| format!("SELECT count(*) FROM {table}");
        let keys: i64 =
            sqlx::query_scalar(&count("idempotency_keys")).fetch_one(store.connection_pool()).await.unwrap();
        let audits: i64 = sqlx::query_scalar(&count("audit_log")).fetch_one(store.connection_pool()).await.unwrap();
        assert_eq!((keys, audits), (1, 0));
    }

    #[tokio::test]
    async fn losing_the_race_for_a_key_used_for_another_action_is_a_reused_key() {
        let store = store_with_a_stored_key().await;
        let key = seed::key("key-0001");
        let audit = seed::created(AuditAction::AssetCreated, None, ObjectKind::Asset);
        let write = store.begin_change(&audit).await.unwrap();
        assert!(matches!(store.claim(write, &key).await, Err(RepoError::Conflict(Conflict::IdempotencyKeyReused))));
    }
}
