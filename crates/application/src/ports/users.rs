//! The user-account port.

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
    /// Saves a changed user (role, disabled flag, password hash, stamp).
    /// # Errors
    /// `NotFound`; `Conflict::LastAdmin` when no enabled admin would remain.
    fn update_user(&self, user: &User, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
    /// Deletes a user. Audit entries keep the actor's name.
    /// # Errors
    /// `NotFound`; `Conflict::LastAdmin` when no enabled admin would remain.
    fn delete_user(&self, id: UserId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<()>> + Send;
}
