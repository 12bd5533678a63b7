//! Users in memory, with the last-enabled-admin backstop.

use super::{MemoryStore, State};
use crate::error::{Conflict, RepoError, RepoResult};
use crate::ports::{NewUser, UserRepo};
use domain::{IdempotencyKey, NewAuditEntry, SecurityStamp, User, UserId, Username};

fn ensure_admin_remains(s: &State) -> RepoResult<()> {
    if s.users.values().any(User::is_enabled_admin) { Ok(()) } else { Err(Conflict::LastAdmin.into()) }
}

fn had_admin(s: &State) -> bool {
    s.users.values().any(User::is_enabled_admin)
}

impl UserRepo for MemoryStore {
    async fn user(&self, id: UserId) -> RepoResult<Option<User>> {
        self.read(|s| s.users.get(&id).cloned())
    }

    async fn user_by_username(&self, username: &Username) -> RepoResult<Option<User>> {
        self.read(|s| s.users.values().find(|u| u.username().same_as(username)).cloned())
    }

    async fn users(&self) -> RepoResult<Vec<User>> {
        self.read(|s| {
            let mut users: Vec<User> = s.users.values().cloned().collect();
            users.sort_by_key(|u| u.username().normalized());
            users
        })
    }

    async fn insert_user(
        &self,
        new: &NewUser,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> RepoResult<UserId> {
        self.create(audit, key, |s, id| {
            if s.users.values().any(|u| u.username().same_as(&new.username)) {
                return Err(Conflict::DuplicateUsername.into());
            }
            let id = UserId::new(id);
            let user = User::new(
                id,
                new.username.clone(),
                new.role,
                new.password_hash.clone(),
                false,
                SecurityStamp::INITIAL,
                new.created_at,
            );
            s.users.insert(id, user);
            Ok(())
        })
        .map(UserId::new)
    }

    async fn update_user(&self, user: &User, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            let had = had_admin(s);
            if s.users.values().any(|u| u.id() != user.id() && u.username().same_as(user.username())) {
                return Err(Conflict::DuplicateUsername.into());
            }
            *s.users.get_mut(&user.id()).ok_or(RepoError::NotFound("user"))? = user.clone();
            if had { ensure_admin_remains(s) } else { Ok(()) }
        })
    }

    async fn delete_user(&self, id: UserId, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            let had = had_admin(s);
            s.users.remove(&id).ok_or(RepoError::NotFound("user"))?;
            if had { ensure_admin_remains(s) } else { Ok(()) }
        })
    }
}
