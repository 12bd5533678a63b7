//! Staff accounts, with unique usernames (case-insensitively) and the last enabled
//! admin backstop.
//!
//! Invariant: a write that leaves no enabled admin, where there was one, rolls back
//! with `Conflict::LastAdmin`. Enabled admins are locked first, so two writes that
//! each demote or disable a different admin cannot both pass. Each write updates only
//! its own columns in one statement (the stamp moves inside that statement), so
//! concurrent writes to different fields of a user all land.

use crate::PgStore;
use crate::convert::{from_db, stored, to_db};
use crate::errors::{db, found};
use crate::tx::{Begun, replayed_one};
use application::error::RepoResult;
use application::ports::{NewUser, UserRepo};
use application::{Conflict, RepoError};
use domain::{IdempotencyKey, NewAuditEntry, PasswordHash, Role, SecurityStamp, User, UserId, Username};
use sqlx::PgConnection;
use time::OffsetDateTime;

const COLUMNS: &str = "id, username, role, password_hash, disabled, security_stamp, created_at";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    role: String,
    password_hash: String,
    disabled: bool,
    security_stamp: i64,
    created_at: OffsetDateTime,
}

impl TryFrom<UserRow> for User {
    type Error = RepoError;

    fn try_from(r: UserRow) -> RepoResult<Self> {
        Ok(User::new(
            UserId::new(r.id),
            stored("users.username", Username::parse(&r.username))?,
            stored("users.role", Role::parse(&r.role))?,
            PasswordHash::new(r.password_hash),
            r.disabled,
            SecurityStamp::new(r.security_stamp),
            from_db(r.created_at),
        ))
    }
}

/// Locks the enabled admins and tells whether there are any.
async fn lock_enabled_admins(conn: &mut PgConnection) -> RepoResult<bool> {
    let admins: Vec<i64> = sqlx::query_scalar("SELECT id FROM users WHERE role = 'admin' AND NOT disabled FOR UPDATE")
        .fetch_all(conn)
        .await
        .map_err(db)?;
    Ok(!admins.is_empty())
}

/// Fails with `LastAdmin` when there was an enabled admin and none is left.
async fn ensure_admin_remains(conn: &mut PgConnection, had_admin: bool) -> RepoResult<()> {
    if !had_admin {
        return Ok(());
    }
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled")
        .fetch_one(conn)
        .await
        .map_err(db)?;
    if left == 0 { Err(Conflict::LastAdmin.into()) } else { Ok(()) }
}

impl UserRepo for PgStore {
    async fn user(&self, id: UserId) -> RepoResult<Option<User>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
        let row: Option<UserRow> = sqlx::query_as(&sql).bind(id.get()).fetch_optional(&self.pool).await.map_err(db)?;
        row.map(User::try_from).transpose()
    }

    async fn user_by_username(&self, username: &Username) -> RepoResult<Option<User>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE lower(username) = lower($1)");
        let row: Option<UserRow> =
            sqlx::query_as(&sql).bind(username.as_str()).fetch_optional(&self.pool).await.map_err(db)?;
        row.map(User::try_from).transpose()
    }

    async fn users(&self) -> RepoResult<Vec<User>> {
        // COLLATE "C" sorts by code point, as the domain's strings do.
        let sql = format!("SELECT {COLUMNS} FROM users ORDER BY lower(username) COLLATE \"C\"");
        let rows: Vec<UserRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await.map_err(db)?;
        rows.into_iter().map(User::try_from).collect()
    }

    async fn insert_user(
        &self,
        new: &NewUser,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<UserId> {
        let mut w = match self.begin_create(audit, key).await? {
            Begun::Replay(ids) => return replayed_one(&ids).map(UserId::new),
            Begun::Write(w) => w,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, role, password_hash, disabled, security_stamp, created_at) \
             VALUES ($1, $2, $3, FALSE, $4, $5) RETURNING id",
        )
        .bind(new.username.as_str())
        .bind(new.role.as_str())
        .bind(new.password_hash.as_str())
        .bind(SecurityStamp::INITIAL.get())
        .bind(to_db(new.created_at))
        .fetch_one(w.conn())
        .await
        .map_err(db)?;
        w.finish(&[id]).await?;
        Ok(UserId::new(id))
    }

    async fn set_role(&self, id: UserId, role: Role, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let had_admin = lock_enabled_admins(w.conn()).await?;
        let updated = sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
            .bind(id.get())
            .bind(role.as_str())
            .execute(w.conn())
            .await
            .map_err(db)?;
        found(updated.rows_affected(), "user")?;
        ensure_admin_remains(w.conn(), had_admin).await?;
        w.finish(&[]).await
    }

    async fn set_disabled(&self, id: UserId, disabled: bool, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let had_admin = lock_enabled_admins(w.conn()).await?;
        // Every SET expression reads the row as it was: the stamp moves only when an
        // enabled account is disabled.
        let updated = sqlx::query(
            "UPDATE users SET security_stamp = CASE WHEN $2 AND NOT disabled \
             THEN security_stamp + 1 ELSE security_stamp END, disabled = $2 WHERE id = $1",
        )
        .bind(id.get())
        .bind(disabled)
        .execute(w.conn())
        .await
        .map_err(db)?;
        found(updated.rows_affected(), "user")?;
        ensure_admin_remains(w.conn(), had_admin).await?;
        w.finish(&[]).await
    }

    async fn set_password_hash(&self, id: UserId, hash: &PasswordHash, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let updated =
            sqlx::query("UPDATE users SET password_hash = $2, security_stamp = security_stamp + 1 WHERE id = $1")
                .bind(id.get())
                .bind(hash.as_str())
                .execute(w.conn())
                .await
                .map_err(db)?;
        found(updated.rows_affected(), "user")?;
        w.finish(&[]).await
    }

    async fn rehash_password(
        &self,
        id: UserId,
        old: &PasswordHash,
        new: &PasswordHash,
        audit: &NewAuditEntry,
    ) -> RepoResult<bool> {
        let mut w = self.begin_change(audit).await?;
        let updated = sqlx::query("UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2")
            .bind(id.get())
            .bind(old.as_str())
            .bind(new.as_str())
            .execute(w.conn())
            .await
            .map_err(db)?;
        if updated.rows_affected() == 0 {
            let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)")
                .bind(id.get())
                .fetch_one(w.conn())
                .await
                .map_err(db)?;
            // The hash changed meanwhile: nothing is written, not even the audit entry.
            w.cancel().await?;
            return if exists { Ok(false) } else { Err(RepoError::NotFound("user")) };
        }
        w.finish(&[]).await?;
        Ok(true)
    }

    async fn delete_user(&self, id: UserId, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let had_admin = lock_enabled_admins(w.conn()).await?;
        let deleted =
            sqlx::query("DELETE FROM users WHERE id = $1").bind(id.get()).execute(w.conn()).await.map_err(db)?;
        found(deleted.rows_affected(), "user")?;
        ensure_admin_remains(w.conn(), had_admin).await?;
        w.finish(&[]).await
    }
}
