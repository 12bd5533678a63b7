//! The one way the store writes: [`Write`], a transaction that stores the change, its
//! audit entry and, for a create sent with a key, the idempotency key, all or nothing.
//!
//! Invariants:
//! - Every port write starts with `SqlStore::begin` (a create, with its optional key)
//!   or `begin_change` (no key) and ends with `Write::commit` (or, for the one write
//!   whose entry is conditional, a login failure below the limit, `commit_unaudited`);
//!   a `Write` dropped on an error path rolls everything back, key included, so an
//!   early `?` leaves nothing.
//! - The key's row is inserted first, before the write's own statements, so that of
//!   two requests racing with one key the loser fails on the key (waiting for the
//!   winner to commit) rather than on, say, the unique name the winner just took; the
//!   loser rolls back and answers with the winner's ids.
//! - Every audited commit raises the store's revision (`store_revision`) as its last
//!   statement, so that a reader who sees the revision sees every change it counts.
//! - A key stored by the same actor for the same action replays: nothing is written
//!   and the stored ids are returned. Any other use of the key is
//!   `Conflict::IdempotencyKeyReused`.

use crate::SqlStore;
use crate::dialect::{Dialect, Violation};
use crate::errors::{db, invariant};
use crate::query::{Exec, Row, Sql};
use application::error::RepoResult;
use application::{Conflict, RepoError};
use domain::{AuditAction, CampaignId, IdempotencyKey, NewAuditEntry, ObjectKind, UserId};

/// A write in progress: the open transaction and the audit entry (and key) it will
/// store when committed.
pub(crate) struct Write<'a, D: Dialect> {
    tx: D::Tx,
    audit: &'a NewAuditEntry,
    key: Option<&'a IdempotencyKey>,
}

impl<D: Dialect> Exec for Write<'_, D> {
    type D = D;
    fn conn(&mut self) -> &mut D::Conn {
        &mut self.tx
    }
}

/// What `SqlStore::begin` found.
pub(crate) enum Begun<'a, D: Dialect> {
    /// A fresh request: do the write, then commit.
    Run(Write<'a, D>),
    /// The key was used before by the same actor for the same action: return these ids
    /// (those the first request created) and write nothing.
    Replay(Vec<i64>),
}

impl<D: Dialect> SqlStore<D> {
    /// Starts a create that stores `audit` and `key` when committed, or finds that
    /// `key` replays an earlier request.
    pub(crate) async fn begin<'a>(
        &self,
        audit: &'a NewAuditEntry,
        key: Option<&'a IdempotencyKey>,
    ) -> RepoResult<Begun<'a, D>> {
        let mut write = self.begin_change(audit).await?;
        let Some(key) = key else { return Ok(Begun::Run(write)) };
        let claimed = Sql::new(
            "INSERT INTO idempotency_keys (key, actor_id, action, object_ids, created_at) \
             VALUES ($1, $2, $3, '', $4)",
        )
        .bind(key.as_str())
        .bind(audit.actor_id.map(UserId::get))
        .bind(audit.action.as_str())
        .bind(audit.at);
        let (text, args) = claimed.into_parts();
        match D::execute(write.conn(), (&text, args)).await {
            Ok(_) => {
                write.key = Some(key);
                Ok(Begun::Run(write))
            }
            Err(e) if D::violation(&e) == Some(Violation::Unique("idempotency_keys_pkey")) => {
                D::rollback(write.tx).await.map_err(crate::errors::driver::<D>)?;
                self.replay(key, audit).await.map(Begun::Replay)
            }
            Err(e) => Err(db::<D>(e)),
        }
    }

    /// Starts a write that changes existing objects and stores `audit` when committed.
    pub(crate) async fn begin_change<'a>(&self, audit: &'a NewAuditEntry) -> RepoResult<Write<'a, D>> {
        let tx = D::begin_write(&self.pool).await.map_err(crate::errors::driver::<D>)?;
        Ok(Write { tx, audit, key: None })
    }

    /// The ids stored with `key` when the same actor used it for the same action,
    /// `IdempotencyKeyReused` otherwise.
    async fn replay(&self, key: &IdempotencyKey, audit: &NewAuditEntry) -> RepoResult<Vec<i64>> {
        let mut conn = self.conn().await?;
        let row = Sql::new("SELECT actor_id, action, object_ids FROM idempotency_keys WHERE key = $1")
            .bind(key.as_str())
            .optional(&mut conn)
            .await?
            .ok_or_else(|| invariant("an idempotency key vanished after a conflict"))?;
        let row = Row::<D>::new(&row);
        let same_actor = row.get::<Option<i64>>("actor_id")? == audit.actor_id.map(UserId::get);
        let same_action = AuditAction::parse(&row.get::<String>("action")?) == Ok(audit.action);
        if same_actor && same_action {
            ids_from_text(&row.get::<String>("object_ids")?)
        } else {
            Err(Conflict::IdempotencyKeyReused.into())
        }
    }
}

impl<D: Dialect> Write<'_, D> {
    /// Stores the audit row and the key's `created` ids, then commits. When the entry
    /// names no object id and exactly one object was created, the row gets that id (and,
    /// for a new campaign with no campaign id, that id as its campaign too).
    pub(crate) async fn commit(mut self, created: &[i64]) -> RepoResult<()> {
        let audit = self.audit;
        let created_one = match created {
            [one] => Some(*one),
            _ => None,
        };
        let object_id = audit.object.id.or(created_one);
        let campaign_id = match (audit.object.id, audit.object.kind) {
            (None, ObjectKind::Campaign) => audit.campaign_id.map(CampaignId::get).or(created_one),
            _ => audit.campaign_id.map(CampaignId::get),
        };
        insert_audit(&mut self, audit, object_id, campaign_id).await?;
        if let Some(key) = self.key {
            Sql::new("UPDATE idempotency_keys SET object_ids = $2 WHERE key = $1")
                .bind(key.as_str())
                .bind(ids_text(created))
                .execute(&mut self)
                .await?;
        }
        // Last, so the revision row is locked only for the commit itself.
        Sql::new("UPDATE store_revision SET revision = revision + 1 WHERE id = 1").execute(&mut self).await?;
        D::commit(self.tx).await.map_err(crate::errors::driver::<D>)
    }
}

impl<D: Dialect> Write<'_, D> {
    /// Commits without storing the audit row: only for a write whose port says its
    /// entry is conditional (`record_login_failure`, below the limit).
    pub(crate) async fn commit_unaudited(self) -> RepoResult<()> {
        D::commit(self.tx).await.map_err(crate::errors::driver::<D>)
    }
}

/// Stores one audit row, naming `object_id` and `campaign_id`.
pub(crate) async fn insert_audit<E: Exec>(
    on: &mut E,
    audit: &NewAuditEntry,
    object_id: Option<i64>,
    campaign_id: Option<i64>,
) -> RepoResult<()> {
    Sql::new(
        "INSERT INTO audit_log \
         (at, actor_id, actor_name, action, campaign_id, object_kind, object_id, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(audit.at)
    .bind(audit.actor_id.map(UserId::get))
    .bind(audit.actor_name.as_str())
    .bind(audit.action.as_str())
    .bind(campaign_id)
    .bind(audit.object.kind.as_str())
    .bind(object_id)
    .bind(audit.details.as_str())
    .execute(on)
    .await
    .map(drop)
}

/// The first id of a create, as the port returns it.
pub(crate) fn replayed(ids: &[i64]) -> RepoResult<i64> {
    ids.first().copied().ok_or(RepoError::NotFound("replayed object"))
}

/// The ids stored with an idempotency key: comma separated, empty for none.
fn ids_text(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Reads the ids written by `ids_text`.
fn ids_from_text(text: &str) -> RepoResult<Vec<i64>> {
    text.split(',')
        .filter(|part| !part.is_empty())
        .map(|part| crate::errors::stored("idempotency key ids", part.parse::<i64>()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_round_trip_through_text() {
        assert_eq!(ids_from_text(&ids_text(&[3, 14, 15])).unwrap(), vec![3, 14, 15]);
        assert_eq!(ids_from_text(&ids_text(&[])).unwrap(), Vec::<i64>::new());
        assert!(ids_from_text("1,x").is_err());
    }
}
