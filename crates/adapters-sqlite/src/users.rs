//! Staff accounts (`UserRepo`).
//!
//! Invariants: usernames are unique case-insensitively (`users_username_key` on
//! `lower(username)`); a write that would leave no enabled admin, where there was one,
//! is rolled back with `Conflict::LastAdmin` (checked after the write, inside its
//! `BEGIN IMMEDIATE` transaction, so two concurrent demotions cannot both pass).
//! Each write updates only its own columns in one statement (the stamp moves inside
//! that statement), so concurrent writes to different fields of a user all land.

use crate::SqliteStore;
use crate::codec::{parsed, timestamp, utc};
use crate::errors::{db, found};
use crate::tx::{Begun, Write, first};
use application::error::RepoResult;
use application::ports::{NewUser, UserRepo};
use application::{Conflict, RepoError};
use domain::{IdempotencyKey, NewAuditEntry, PasswordHash, Role, SecurityStamp, User, UserId, Username};
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

impl UserRow {
    fn into_user(self) -> RepoResult<User> {
        Ok(User::new(
            UserId::new(self.id),
            parsed("username", Username::parse(&self.username))?,
            parsed("role", Role::parse(&self.role))?,
            PasswordHash::new(self.password_hash),
            self.disabled,
            SecurityStamp::new(self.security_stamp),
            utc(self.created_at),
        ))
    }
}

/// How many enabled admins there are, as seen by the write.
async fn enabled_admins(write: &mut Write<'_>) -> RepoResult<i64> {
    sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled")
        .fetch_one(write.conn())
        .await
        .map_err(db)
}

/// Runs `change` and refuses it when it removed the last enabled admin.
async fn keeping_an_admin(
    mut write: Write<'_>,
    change: impl AsyncFnOnce(&mut Write<'_>) -> RepoResult<()>,
) -> RepoResult<()> {
    let before = enabled_admins(&mut write).await?;
    change(&mut write).await?;
    if before > 0 && enabled_admins(&mut write).await? == 0 {
        return Err(Conflict::LastAdmin.into());
    }
    write.commit(&[]).await
}

impl UserRepo for SqliteStore {
    async fn user(&self, id: UserId) -> RepoResult<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = ?"))
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(UserRow::into_user).transpose()
    }

    async fn user_by_username(&self, username: &Username) -> RepoResult<Option<User>> {
        let row: Option<UserRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE lower(username) = lower(?)"))
                .bind(username.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        row.map(UserRow::into_user).transpose()
    }

    async fn users(&self) -> RepoResult<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM users ORDER BY lower(username), id"))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.into_iter().map(UserRow::into_user).collect()
    }

    async fn insert_user(
        &self,
        new: &NewUser,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<UserId> {
        let mut write = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return first(ids).map(UserId::new),
            Begun::Run(write) => write,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, role, password_hash, disabled, security_stamp, \
             created_at) VALUES (?, ?, ?, 0, ?, ?) RETURNING id",
        )
        .bind(new.username.as_str())
        .bind(new.role.as_str())
        .bind(new.password_hash.as_str())
        .bind(SecurityStamp::INITIAL.get())
        .bind(timestamp(new.created_at)?)
        .fetch_one(write.conn())
        .await
        .map_err(db)?;
        write.commit(&[id]).await?;
        Ok(UserId::new(id))
    }

    async fn set_role(&self, id: UserId, role: Role, audit: &NewAuditEntry) -> RepoResult<()> {
        let write = self.begin_change(audit).await?;
        keeping_an_admin(write, async |write| {
            let done = sqlx::query("UPDATE users SET role = ? WHERE id = ?")
                .bind(role.as_str())
                .bind(id.get())
                .execute(write.conn())
                .await
                .map_err(db)?;
            found(done.rows_affected(), "user")
        })
        .await
    }

    async fn set_disabled(&self, id: UserId, disabled: bool, audit: &NewAuditEntry) -> RepoResult<()> {
        let write = self.begin_change(audit).await?;
        keeping_an_admin(write, async |write| {
            // Every SET expression reads the row as it was: the stamp moves only when an
            // enabled account is disabled.
            let done = sqlx::query(
                "UPDATE users SET security_stamp = CASE WHEN ? AND NOT disabled \
                 THEN security_stamp + 1 ELSE security_stamp END, disabled = ? WHERE id = ?",
            )
            .bind(disabled)
            .bind(disabled)
            .bind(id.get())
            .execute(write.conn())
            .await
            .map_err(db)?;
            found(done.rows_affected(), "user")
        })
        .await
    }

    async fn set_password_hash(&self, id: UserId, hash: &PasswordHash, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut write = self.begin_change(audit).await?;
        let done = sqlx::query("UPDATE users SET password_hash = ?, security_stamp = security_stamp + 1 WHERE id = ?")
            .bind(hash.as_str())
            .bind(id.get())
            .execute(write.conn())
            .await
            .map_err(db)?;
        found(done.rows_affected(), "user")?;
        write.commit(&[]).await
    }

    async fn rehash_password(
        &self,
        id: UserId,
        old: &PasswordHash,
        new: &PasswordHash,
        audit: &NewAuditEntry,
    ) -> RepoResult<bool> {
        let mut write = self.begin_change(audit).await?;
        let done = sqlx::query("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?")
            .bind(new.as_str())
            .bind(id.get())
            .bind(old.as_str())
            .execute(write.conn())
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 {
            let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)")
                .bind(id.get())
                .fetch_one(write.conn())
                .await
                .map_err(db)?;
            // Dropping the write rolls it back: nothing changed, no audit entry.
            return if exists { Ok(false) } else { Err(RepoError::NotFound("user")) };
        }
        write.commit(&[]).await?;
        Ok(true)
    }

    async fn delete_user(&self, id: UserId, audit: &NewAuditEntry) -> RepoResult<()> {
        let write = self.begin_change(audit).await?;
        keeping_an_admin(write, async |write| {
            let done =
                sqlx::query("DELETE FROM users WHERE id = ?").bind(id.get()).execute(write.conn()).await.map_err(db)?;
            found(done.rows_affected(), "user")
        })
        .await
    }
}
