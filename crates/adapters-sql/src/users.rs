//! Staff accounts (`UserRepo`).
//!
//! Invariants: usernames are unique case-insensitively (`users_username_key` on
//! `lower(username)`); a write that would leave no enabled admin, where there was one,
//! is rolled back with `Conflict::LastAdmin` (the enabled admins are read under the
//! write's lock before the change and counted again after it, so two concurrent
//! demotions cannot both pass). Each write updates only its own columns in one
//! statement (the stamp moves inside that statement), so concurrent writes to
//! different fields of a user all land.

use crate::SqlStore;
use crate::dialect::{Dialect, Lock};
use crate::errors::{found, stored};
use crate::query::{Exec, Row, Sql};
use crate::write::{Begun, Write, replayed};
use application::error::RepoResult;
use application::ports::{NewUser, UserRepo};
use application::{Conflict, RepoError};
use domain::{IdempotencyKey, NewAuditEntry, PasswordHash, Role, SecurityStamp, User, UserId, Username};

pub(crate) const COLUMNS: &str = "id, username, role, password_hash, disabled, security_stamp, created_at";

pub(crate) fn user<D: Dialect>(r: Row<'_, D>) -> RepoResult<User> {
    Ok(User::new(
        UserId::new(r.get("id")?),
        stored("users.username", Username::parse(&r.get::<String>("username")?))?,
        stored("users.role", Role::parse(&r.get::<String>("role")?))?,
        PasswordHash::new(r.get("password_hash")?),
        r.get("disabled")?,
        SecurityStamp::new(r.get("security_stamp")?),
        r.get("created_at")?,
    ))
}

/// The users matching `condition`, in `order`.
async fn users_where<E: Exec>(on: &mut E, condition: &str, bind: Option<&str>) -> RepoResult<Vec<User>> {
    let mut sql = Sql::new(format!("SELECT {COLUMNS} FROM users {condition}"));
    if let Some(value) = bind {
        sql = sql.bind(value);
    }
    sql.all_as(on, user).await
}

/// How many admins are enabled; `lock` holds them until the write commits.
async fn enabled_admins<E: Exec>(on: &mut E, lock: bool) -> RepoResult<usize> {
    let lock = if lock { E::D::lock(Lock::Update, "users") } else { String::new() };
    let sql = format!("SELECT id FROM users WHERE role = 'admin' AND NOT disabled{lock}");
    Ok(Sql::new(sql).all(on).await?.len())
}

/// Runs `change` and commits, unless it leaves no enabled admin where there was one.
async fn keeping_an_admin<D: Dialect>(
    mut w: Write<'_, D>,
    change: impl AsyncFnOnce(&mut Write<'_, D>) -> RepoResult<u64>,
) -> RepoResult<()> {
    let before = enabled_admins(&mut w, true).await?;
    found(change(&mut w).await?, "user")?;
    if before > 0 && enabled_admins(&mut w, false).await? == 0 {
        return Err(Conflict::LastAdmin.into());
    }
    w.commit(&[]).await
}

impl<D: Dialect> UserRepo for SqlStore<D> {
    async fn user(&self, id: UserId) -> RepoResult<Option<User>> {
        let sql = Sql::new(format!("SELECT {COLUMNS} FROM users WHERE id = $1")).bind(id.get());
        sql.optional_as(&mut self.conn().await?, user).await
    }

    async fn user_by_username(&self, username: &Username) -> RepoResult<Option<User>> {
        let found =
            users_where(&mut self.conn().await?, "WHERE lower(username) = lower($1)", Some(username.as_str())).await?;
        Ok(found.into_iter().next())
    }

    async fn users(&self) -> RepoResult<Vec<User>> {
        let order = format!("ORDER BY lower(username){}, id", D::BYTEWISE);
        users_where(&mut self.conn().await?, &order, None).await
    }

    async fn insert_user(
        &self,
        new: &NewUser,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<UserId> {
        let mut w = match self.begin(audit, key).await? {
            Begun::Replay(ids) => return replayed(&ids).map(UserId::new),
            Begun::Run(w) => w,
        };
        let id = Sql::new(
            "INSERT INTO users (username, role, password_hash, disabled, security_stamp, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.username.as_str())
        .bind(new.role.as_str())
        .bind(new.password_hash.as_str())
        .bind(false)
        .bind(SecurityStamp::INITIAL.get())
        .bind(new.created_at)
        .returning_id(&mut w)
        .await?;
        w.commit(&[id]).await?;
        Ok(UserId::new(id))
    }

    async fn set_role(&self, id: UserId, role: Role, audit: &NewAuditEntry) -> RepoResult<()> {
        let w = self.begin_change(audit).await?;
        keeping_an_admin(w, async |w| {
            Sql::new("UPDATE users SET role = $2 WHERE id = $1").bind(id.get()).bind(role.as_str()).execute(w).await
        })
        .await
    }

    async fn set_username(&self, id: UserId, username: &Username, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let done = Sql::new("UPDATE users SET username = $2 WHERE id = $1")
            .bind(id.get())
            .bind(username.as_str())
            .execute(&mut w)
            .await?;
        found(done, "user")?;
        w.commit(&[]).await
    }

    async fn set_disabled(&self, id: UserId, disabled: bool, audit: &NewAuditEntry) -> RepoResult<()> {
        let w = self.begin_change(audit).await?;
        keeping_an_admin(w, async |w| {
            // Every SET expression reads the row as it was: the stamp moves only when an
            // enabled account is disabled.
            Sql::new(
                "UPDATE users SET security_stamp = CASE WHEN $2 AND NOT disabled \
                 THEN security_stamp + 1 ELSE security_stamp END, disabled = $2 WHERE id = $1",
            )
            .bind(id.get())
            .bind(disabled)
            .execute(w)
            .await
        })
        .await
    }

    async fn set_password_hash(&self, id: UserId, hash: &PasswordHash, audit: &NewAuditEntry) -> RepoResult<()> {
        let mut w = self.begin_change(audit).await?;
        let done = Sql::new("UPDATE users SET password_hash = $2, security_stamp = security_stamp + 1 WHERE id = $1")
            .bind(id.get())
            .bind(hash.as_str())
            .execute(&mut w)
            .await?;
        found(done, "user")?;
        w.commit(&[]).await
    }

    async fn rehash_password(
        &self,
        id: UserId,
        old: &PasswordHash,
        new: &PasswordHash,
        audit: &NewAuditEntry,
    ) -> RepoResult<bool> {
        let mut w = self.begin_change(audit).await?;
        let done = Sql::new("UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3")
            .bind(id.get())
            .bind(new.as_str())
            .bind(old.as_str())
            .execute(&mut w)
            .await?;
        if done == 0 {
            let exists: Option<i64> =
                Sql::new("SELECT id FROM users WHERE id = $1").bind(id.get()).value(&mut w, "id").await?;
            // Dropping the write rolls it back: nothing changed, no audit entry.
            return if exists.is_some() { Ok(false) } else { Err(RepoError::NotFound("user")) };
        }
        w.commit(&[]).await?;
        Ok(true)
    }

    async fn delete_user(&self, id: UserId, audit: &NewAuditEntry) -> RepoResult<()> {
        let w = self.begin_change(audit).await?;
        keeping_an_admin(w, async |w| Sql::new("DELETE FROM users WHERE id = $1").bind(id.get()).execute(w).await).await
    }
}
