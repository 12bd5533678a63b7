//! Users and their login throttles in memory, with the last-enabled-admin backstop. Each write changes one field
//! of the stored user (through the domain `User` method that is the rule), never the
//! whole record, as the SQL stores do with targeted updates.

use super::{MemoryStore, State};
use crate::error::{Conflict, RepoError, RepoResult};
use crate::ports::{LoginThrottleRepo, NewUser, UserRepo};
use domain::{IdempotencyKey, NewAuditEntry, PasswordHash, Role, SecurityStamp, ThrottleState, User, UserId, Username};
use time::UtcDateTime;

fn ensure_admin_remains(s: &State) -> RepoResult<()> {
    if s.users.values().any(User::is_enabled_admin) { Ok(()) } else { Err(Conflict::LastAdmin.into()) }
}

fn had_admin(s: &State) -> bool {
    s.users.values().any(User::is_enabled_admin)
}

/// The stored user, to change in place, or `NotFound("user")`.
fn stored(s: &mut State, id: UserId) -> RepoResult<&mut User> {
    s.users.get_mut(&id).ok_or(RepoError::NotFound("user"))
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

    async fn set_role(&self, id: UserId, role: Role, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            let had = had_admin(s);
            stored(s, id)?.set_role(role);
            if had { ensure_admin_remains(s) } else { Ok(()) }
        })
    }

    async fn set_username(&self, id: UserId, username: &Username, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            if s.users.values().any(|u| u.id() != id && u.username().same_as(username)) {
                return Err(Conflict::DuplicateUsername.into());
            }
            stored(s, id)?.rename(username.clone());
            Ok(())
        })
    }

    async fn set_disabled(&self, id: UserId, disabled: bool, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            let had = had_admin(s);
            stored(s, id)?.set_disabled(disabled);
            if had { ensure_admin_remains(s) } else { Ok(()) }
        })
    }

    async fn set_password_hash(&self, id: UserId, hash: &PasswordHash, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            stored(s, id)?.set_password_hash(hash.clone());
            Ok(())
        })
    }

    async fn rehash_password(
        &self,
        id: UserId,
        old: &PasswordHash,
        new: &PasswordHash,
        audit: &NewAuditEntry,
    ) -> RepoResult<bool> {
        self.write(|s| {
            let user = stored(s, id)?;
            if user.password_hash() != old {
                return Ok(false);
            }
            user.rehash(new.clone());
            s.record(audit, None);
            Ok(true)
        })
    }

    async fn delete_user(&self, id: UserId, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| {
            let had = had_admin(s);
            s.users.remove(&id).ok_or(RepoError::NotFound("user"))?;
            s.tokens.retain(|_, (token, _)| token.owner != id);
            if had { ensure_admin_remains(s) } else { Ok(()) }
        })
    }
}

impl LoginThrottleRepo for MemoryStore {
    async fn login_throttle(&self, username: &Username) -> RepoResult<ThrottleState> {
        self.read(|s| s.throttles.get(&username.normalized()).copied().unwrap_or(ThrottleState::CLEAR))
    }

    async fn record_login_failure(
        &self,
        username: &Username,
        at: UtcDateTime,
        audit: &NewAuditEntry,
    ) -> RepoResult<ThrottleState> {
        self.write(|s| {
            let run = s.throttles.entry(username.normalized()).or_insert(ThrottleState::CLEAR);
            *run = run.after_failure(at);
            let run = *run;
            if run.is_locked_at(at) {
                s.record(audit, None);
            }
            Ok(run)
        })
    }

    async fn reset_login_throttle(&self, username: &Username) -> RepoResult<()> {
        self.write(|s| {
            s.throttles.remove(&username.normalized());
            Ok(())
        })
    }

    async fn forget_login_throttles(&self, now: UtcDateTime) -> RepoResult<u64> {
        self.write(|s| {
            let before = s.throttles.len();
            s.throttles.retain(|_, run| run.forget_at().is_some_and(|forget| forget > now));
            Ok(u64::try_from(before - s.throttles.len()).unwrap_or(u64::MAX))
        })
    }
}
