//! Ports to the outside world other than storage: the clock and the password hasher.

use crate::error::RepoResult;
use domain::{Password, PasswordHash};
use std::future::Future;
use time::UtcDateTime;

/// Tells the time. Always UTC.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> UtcDateTime;
}

/// The outcome of checking a password against a hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The password matches; `needs_rehash` when the hash uses outdated parameters.
    Match {
        /// Whether the hash should be replaced by one with the current parameters.
        needs_rehash: bool,
    },
    /// The password does not match (or there was no hash to check against).
    Mismatch,
}

/// Hashes and verifies passwords, off the async runtime's worker threads.
pub trait PasswordHasher: Send + Sync + 'static {
    /// Hashes a new password with a fresh salt.
    /// # Errors
    /// `RepoError::Unexpected` when hashing fails.
    fn hash(&self, password: &Password) -> impl Future<Output = RepoResult<PasswordHash>> + Send;

    /// Checks `password` against `hash`. With no hash (an unknown user) it checks
    /// against a dummy hash and answers `Mismatch`, so a failed login takes the same
    /// time whether or not the user exists.
    /// # Errors
    /// `RepoError::Unexpected` when the stored hash cannot be read.
    fn verify(
        &self,
        password: &Password,
        hash: Option<&PasswordHash>,
    ) -> impl Future<Output = RepoResult<Verification>> + Send;
}
