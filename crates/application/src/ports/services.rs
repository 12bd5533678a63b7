//! Ports to the outside world other than storage: the clock, the password hasher and
//! the API-token keys.

use crate::error::RepoResult;
use domain::{Password, PasswordHash, TokenDigest};
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

/// A new API token: the secret, shown to its owner once, and its keyed digest, stored.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The bearer secret.
    pub secret: String,
    /// Its keyed digest.
    pub digest: TokenDigest,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IssuedToken([redacted])")
    }
}

/// Makes API-token secrets and digests them with a server-side key, so that the stored
/// digests are useless without the key. Digesting is cheap (a keyed hash of a long
/// random secret needs no stretching), so it runs inline.
pub trait TokenKeys: Send + Sync + 'static {
    /// A fresh random secret and its digest.
    fn issue(&self) -> IssuedToken;
    /// The digest of a presented secret (any text: unknown secrets simply find nothing).
    fn digest(&self, secret: &str) -> TokenDigest;
}

/// Hashes and verifies passwords, off the async runtime's worker threads. The secrets
/// service of the tracker: it also keys API tokens ([`TokenKeys`]).
pub trait PasswordHasher: TokenKeys + Send + Sync + 'static {
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
