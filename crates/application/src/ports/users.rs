//! The user-account port.
//!
//! Invariant: every change to an existing account is a field-level write that the
//! store applies with one targeted statement (`SET role = …`, `SET disabled = …`,
//! `SET password_hash = …`), never by saving a whole `User` read earlier. So two
//! concurrent writes to different fields of one account (an admin changing the role
//! while another disables it, a login rehash racing a reset) both land, and neither
//! overwrites the other with a stale copy. The domain `User` methods stay the rule: the
//! use cases apply them to decide and to describe the change, and each store applies
//! the same effect (the security stamp included) atomically in the statement.
//!
//! Password design: a change or reset uses `set_password_hash`, which always moves the
//! stamp on. The login rehash uses `rehash_password`, a compare-and-set on the old hash
//! that keeps the stamp: it replaces the hash only when it is still the one the login
//! verified, so it can never undo a concurrent change or reset (which would revive the
//! old password). It records its audit entry only when it replaced the hash.

use crate::error::RepoResult;
use domain::{IdempotencyKey, NewAuditEntry, PasswordHash, Role, User, UserId, Username};
use std::future::Future;
use time::UtcDateTime;

/// A user account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Login name.
    pub username: Username,
    /// Role.
    pub role: Role,
    /// Hash of the initial password.
    pub password_hash: PasswordHash,
    /// Creation time.
    pub created_at: UtcDateTime,
}

/// Stores user accounts.
pub trait UserRepo: Send + Sync + 'static {
    /// One user.
    fn user(&self, id: UserId) -> impl Future<Output = RepoResult<Option<User>>> + Send;
    /// The user with this username, compared case-insensitively.
    fn user_by_username(&self, username: &Username) -> impl Future<Output = RepoResult<Option<User>>> + Send;
    /// Every user, by username.
    fn users(&self) -> impl Future<Output = RepoResult<Vec<User>>> + Send;
    /// Creates a user.
    /// # Errors
    /// `Conflict::DuplicateUsername` when the name is taken (case-insensitively).
    fn insert_user(
        &self,
        new: &NewUser,
        audit: &NewAuditEntry,
        key: Option<&IdempotencyKey>,
    ) -> impl Future<Output = RepoResult<UserId>> + Send;
    /// Sets the role, leaving every other field as it is now in the store.
    /// # Errors
    /// `NotFound("user")`; `Conflict::LastAdmin` when no enabled admin would remain.
    fn set_role(&self, id: UserId, role: Role, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Sets the username, leaving every other field (the security stamp included) as it is.
    /// # Errors
    /// `NotFound("user")`; `Conflict::DuplicateUsername` when another account has the
    /// name (case-insensitively).
    fn set_username(
        &self,
        id: UserId,
        username: &Username,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// Disables or enables the account. Going from enabled to disabled moves the
    /// security stamp on in the same statement (`security_stamp + 1`), as
    /// `User::set_disabled` does; enabling, or disabling a disabled account, keeps it.
    /// # Errors
    /// `NotFound("user")`; `Conflict::LastAdmin` when no enabled admin would remain.
    fn set_disabled(
        &self,
        id: UserId,
        disabled: bool,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// Replaces the password hash after a password change or reset and moves the
    /// security stamp on in the same statement (`security_stamp + 1`), as
    /// `User::set_password_hash` does, ending every session of the account.
    /// # Errors
    /// `NotFound("user")`.
    fn set_password_hash(
        &self,
        id: UserId,
        hash: &PasswordHash,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// The login rehash, as a compare-and-set: replaces the hash with `new` (a hash of
    /// the same password, so the stamp stays, as `User::rehash` does) only when the
    /// stored hash is still `old`. `Ok(true)` when it did, with `audit` recorded;
    /// `Ok(false)` when the hash changed meanwhile, writing nothing (no audit entry).
    /// # Errors
    /// `NotFound("user")`.
    fn rehash_password(
        &self,
        id: UserId,
        old: &PasswordHash,
        new: &PasswordHash,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<bool>> + Send;
    /// Deletes a user. Audit entries keep the actor's name.
    /// # Errors
    /// `NotFound`; `Conflict::LastAdmin` when no enabled admin would remain.
    fn delete_user(&self, id: UserId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
}
