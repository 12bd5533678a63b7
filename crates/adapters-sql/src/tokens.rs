//! API tokens (`TokenRepo`): one row per token, holding the keyed digest of its secret.
//!
//! Invariants: a token is found by its digest alone (`api_tokens_digest_key`), together
//! with its owner's row as it is now, in one statement, so the role and the disabled
//! flag a request acts with are never older than the request; the owner's deletion
//! deletes the tokens (`ON DELETE CASCADE`); a token's last use only moves forward.

use crate::SqlStore;
use crate::dialect::Dialect;
use crate::errors::{found, stored};
use crate::query::{Row, Sql, prefixed};
use crate::users::{COLUMNS as USER_COLUMNS, user};
use application::RepoError;
use application::error::RepoResult;
use application::ports::{NewApiToken, TokenRepo};
use domain::{ApiToken, ApiTokenId, NewAuditEntry, TokenDigest, TokenName, User, UserId};
use time::UtcDateTime;

const COLUMNS: &str = "id, owner_id, name, created_at, expires_at, last_used_at";

fn token<D: Dialect>(r: &Row<'_, D>) -> RepoResult<ApiToken> {
    Ok(ApiToken {
        id: ApiTokenId::new(r.get("id")?),
        owner: UserId::new(r.get("owner_id")?),
        name: stored("api_tokens.name", TokenName::parse(&r.get::<String>("name")?))?,
        created_at: r.get("created_at")?,
        expires_at: r.get("expires_at")?,
        last_used_at: r.get("last_used_at")?,
    })
}

impl<D: Dialect> TokenRepo for SqlStore<D> {
    async fn insert_token(&self, new: &NewApiToken, audit: &NewAuditEntry) -> RepoResult<ApiTokenId> {
        let mut w = self.begin_change(audit).await?;
        let id = Sql::new(
            "INSERT INTO api_tokens (owner_id, name, digest, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(new.owner.get())
        .bind(new.name.as_str())
        .bind(new.digest.as_str())
        .bind(new.created_at)
        .bind(new.expires_at)
        .foreign_key(RepoError::NotFound("user"))
        .returning_id(&mut w)
        .await?;
        w.commit(&[id]).await?;
        Ok(ApiTokenId::new(id))
    }

    async fn tokens_of(&self, owner: UserId) -> RepoResult<Vec<ApiToken>> {
        Sql::new(format!("SELECT {COLUMNS} FROM api_tokens WHERE owner_id = $1 ORDER BY id DESC"))
            .bind(owner.get())
            .all_as(&mut self.conn().await?, |r: Row<'_, D>| token(&r))
            .await
    }

    async fn delete_token(&self, owner: UserId, id: ApiTokenId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let deleted = Sql::new("DELETE FROM api_tokens WHERE id = $1 AND owner_id = $2")
            .bind(id.get())
            .bind(owner.get())
            .execute(&mut w)
            .await?;
        found(deleted, "token")?;
        w.commit(&[]).await
    }

    async fn delete_tokens_of(&self, owner: UserId, audit: &NewAuditEntry) -> RepoResult<u64> {
        let mut w = self.begin_change(audit).await?;
        let deleted = Sql::new("DELETE FROM api_tokens WHERE owner_id = $1").bind(owner.get()).execute(&mut w).await?;
        w.commit(&[]).await?;
        Ok(deleted)
    }

    async fn token_counts(&self) -> RepoResult<Vec<(UserId, u64)>> {
        Sql::new("SELECT owner_id, COUNT(*) AS tokens FROM api_tokens GROUP BY owner_id ORDER BY owner_id")
            .all_as(&mut self.conn().await?, |r: Row<'_, D>| Ok((UserId::new(r.get("owner_id")?), r.get("tokens")?)))
            .await
    }

    async fn token_bearer(&self, digest: &TokenDigest) -> RepoResult<Option<(ApiToken, User)>> {
        let sql = format!(
            "SELECT {}, {} FROM api_tokens t JOIN users u ON u.id = t.owner_id WHERE t.digest = $1",
            prefixed("t", "t_", COLUMNS),
            prefixed("u", "u_", USER_COLUMNS)
        );
        Sql::new(sql)
            .bind(digest.as_str())
            .optional_as(&mut self.conn().await?, |r: Row<'_, D>| {
                Ok((token(&r.prefixed("t_"))?, user(r.prefixed("u_"))?))
            })
            .await
    }

    async fn record_token_use(&self, id: ApiTokenId, at: UtcDateTime) -> RepoResult<()> {
        // A plain statement, not a change: no audit row, no new revision.
        Sql::new(
            "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
        )
        .bind(id.get())
        .bind(at)
        .execute(&mut self.conn().await?)
        .await?;
        Ok(())
    }
}
