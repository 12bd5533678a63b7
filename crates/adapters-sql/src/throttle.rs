//! The per-account login throttle (`LoginThrottleRepo`): one row per username with a run
//! of failed logins.
//!
//! Invariants: a failure is counted by one upsert (`INSERT … ON CONFLICT … DO UPDATE
//! SET failures = failures + 1`), which both databases apply atomically under the row's
//! lock, so concurrent failures from any number of replicas are each counted; the
//! upsert starts a forgotten run again at one by comparing the stored `forget_at`, and
//! the same write then stores the new `forget_at` that `domain::ThrottleState` computes
//! (the row stays locked until commit, so no other failure sees it in between).

use crate::SqlStore;
use crate::dialect::Dialect;
use crate::errors::invariant;
use crate::query::{Row, Sql};
use application::error::RepoResult;
use application::ports::LoginThrottleRepo;
use domain::{NewAuditEntry, ThrottleState, Username};
use time::UtcDateTime;

impl<D: Dialect> LoginThrottleRepo for SqlStore<D> {
    async fn login_throttle(&self, username: &Username) -> RepoResult<ThrottleState> {
        let sql = Sql::new("SELECT failures, last_failure_at FROM login_throttles WHERE username = $1")
            .bind(username.normalized());
        let run = sql
            .optional_as(&mut self.conn().await?, |r: Row<'_, D>| {
                Ok(ThrottleState::new(r.get("failures")?, r.get("last_failure_at")?))
            })
            .await?;
        Ok(run.unwrap_or(ThrottleState::CLEAR))
    }

    async fn record_login_failure(
        &self,
        username: &Username,
        at: UtcDateTime,
        audit: &NewAuditEntry,
    ) -> RepoResult<ThrottleState> {
        let key = username.normalized();
        let mut w = self.begin_change(audit).await?;
        let failures: u32 = Sql::new(
            "INSERT INTO login_throttles (username, failures, last_failure_at, forget_at) VALUES ($1, 1, $2, $2) \
             ON CONFLICT (username) DO UPDATE SET \
             failures = CASE WHEN login_throttles.forget_at <= $2 THEN 1 ELSE login_throttles.failures + 1 END, \
             last_failure_at = $2 \
             RETURNING failures",
        )
        .bind(key.as_str())
        .bind(at)
        .value(&mut w, "failures")
        .await?
        .ok_or_else(|| invariant("the login throttle upsert returned no row"))?;
        let run = ThrottleState::new(failures, at);
        let forget_at = run.forget_at().ok_or_else(|| invariant("a counted failure left no run"))?;
        Sql::new("UPDATE login_throttles SET forget_at = $2 WHERE username = $1")
            .bind(key.as_str())
            .bind(forget_at)
            .execute(&mut w)
            .await?;
        if run.is_locked_at(at) {
            w.commit(&[]).await?
        } else {
            w.commit_unaudited().await?
        }
        Ok(run)
    }

    async fn reset_login_throttle(&self, username: &Username) -> RepoResult<()> {
        let sql = Sql::new("DELETE FROM login_throttles WHERE username = $1").bind(username.normalized());
        sql.execute(&mut self.conn().await?).await.map(drop)
    }

    async fn forget_login_throttles(&self, now: UtcDateTime) -> RepoResult<u64> {
        let sql = Sql::new("DELETE FROM login_throttles WHERE forget_at <= $1").bind(now);
        sql.execute(&mut self.conn().await?).await
    }
}
