//! The one way this adapter writes: [`Write`], a transaction that stores the change,
//! its audit entry and, for a create sent with a key, the idempotency key.
//!
//! Invariants: the idempotency key row is inserted FIRST, so a concurrent request
//! with the same key waits on its primary key and then fails; that request rolls back
//! and replays the stored outcome. The audit entry is inserted last, with the created
//! object's id filled in, and the transaction commits only in `finish`: a `Write`
//! dropped on an error path rolls back everything, key included.

use crate::PgStore;
use crate::convert::{ids_text, parse_ids, to_db};
use crate::errors::{db, invariant, is_unique_violation};
use application::error::RepoResult;
use application::{Conflict, RepoError};
use domain::{CampaignId, IdempotencyKey, NewAuditEntry, ObjectKind, UserId};
use sqlx::{PgConnection, Postgres, Transaction};

/// A write in progress.
pub(crate) struct Write<'a> {
    tx: Transaction<'static, Postgres>,
    audit: &'a NewAuditEntry,
    key: Option<&'a IdempotencyKey>,
}

/// How a create begins: as a new write, or as the replay of the request that first
/// used its idempotency key.
pub(crate) enum Begun<'a> {
    /// Nothing was stored under the key (or no key was sent): do the write.
    Write(Write<'a>),
    /// The same actor already did the same action with this key: these are the ids it
    /// created, and nothing is written.
    Replay(Vec<i64>),
}

impl PgStore {
    /// Begins a create that records `audit` and remembers `key`.
    ///
    /// # Errors
    /// `Conflict::IdempotencyKeyReused` when the key was stored by another actor or
    /// for another action.
    pub(crate) async fn begin_create<'a>(
        &self,
        audit: &'a NewAuditEntry,
        key: Option<&'a IdempotencyKey>,
    ) -> RepoResult<Begun<'a>> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        if let Some(key) = key {
            let inserted = sqlx::query(
                "INSERT INTO idempotency_keys (key, actor_id, action, object_ids) \
                 VALUES ($1, $2, $3, '')",
            )
            .bind(key.as_str())
            .bind(audit.actor_id.map(UserId::get))
            .bind(audit.action.as_str())
            .execute(&mut *tx)
            .await;
            match inserted {
                Ok(_) => {}
                Err(e) if is_unique_violation(&e) => {
                    tx.rollback().await.map_err(db)?;
                    return self.replay(key, audit).await.map(Begun::Replay);
                }
                Err(e) => return Err(db(e)),
            }
        }
        Ok(Begun::Write(Write { tx, audit, key }))
    }

    /// Begins a write that changes existing objects and records `audit`.
    pub(crate) async fn begin_change<'a>(&self, audit: &'a NewAuditEntry) -> RepoResult<Write<'a>> {
        let tx = self.pool.begin().await.map_err(db)?;
        Ok(Write { tx, audit, key: None })
    }

    /// The ids stored under `key`, provided the same actor did the same action.
    async fn replay(&self, key: &IdempotencyKey, audit: &NewAuditEntry) -> RepoResult<Vec<i64>> {
        let stored: Option<(Option<i64>, String, String)> =
            sqlx::query_as("SELECT actor_id, action, object_ids FROM idempotency_keys WHERE key = $1")
                .bind(key.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        let (actor, action, ids) = stored.ok_or_else(|| invariant("an idempotency key vanished after a conflict"))?;
        if actor == audit.actor_id.map(UserId::get) && action == audit.action.as_str() {
            parse_ids(&ids)
        } else {
            Err(Conflict::IdempotencyKeyReused.into())
        }
    }
}

impl Write<'_> {
    /// The transaction's connection, for the write's own statements.
    pub(crate) fn conn(&mut self) -> &mut PgConnection {
        &mut self.tx
    }

    /// Rolls back everything, the idempotency key included: for a write that turns
    /// out to change nothing and so leaves no trace.
    pub(crate) async fn cancel(self) -> RepoResult<()> {
        self.tx.rollback().await.map_err(db)
    }

    /// Stores the audit entry (when it names no object and exactly one was created,
    /// with that object's id, and for a campaign also as the entry's campaign),
    /// stores `created` under the key, and commits.
    pub(crate) async fn finish(mut self, created: &[i64]) -> RepoResult<()> {
        let entry = self.audit;
        let created_one = match created {
            [one] => Some(*one),
            _ => None,
        };
        let object_id = entry.object.id.or(created_one);
        // A created campaign is also the campaign its entry is about.
        let campaign_id = match (entry.object.id, entry.object.kind) {
            (None, ObjectKind::Campaign) => entry.campaign_id.map(CampaignId::get).or(created_one),
            _ => entry.campaign_id.map(CampaignId::get),
        };
        sqlx::query(
            "INSERT INTO audit_log \
             (at, actor_id, actor_name, action, campaign_id, object_kind, object_id, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(to_db(entry.at))
        .bind(entry.actor_id.map(UserId::get))
        .bind(&entry.actor_name)
        .bind(entry.action.as_str())
        .bind(campaign_id)
        .bind(entry.object.kind.as_str())
        .bind(object_id)
        .bind(&entry.details)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        if let Some(key) = self.key {
            sqlx::query("UPDATE idempotency_keys SET object_ids = $2 WHERE key = $1")
                .bind(key.as_str())
                .bind(ids_text(created))
                .execute(&mut *self.tx)
                .await
                .map_err(db)?;
        }
        self.tx.commit().await.map_err(db)
    }
}

/// The one id a replayed create returns.
pub(crate) fn replayed_one(ids: &[i64]) -> RepoResult<i64> {
    ids.first().copied().ok_or(RepoError::NotFound("replayed object"))
}
