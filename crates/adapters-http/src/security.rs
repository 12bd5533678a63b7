//! Argon2id password hashing, run on the blocking thread pool so that hashing never
//! stalls the async runtime's worker threads.
//!
//! Invariant: a failed login costs one full verification whether or not the user
//! exists (unknown users are verified against a dummy hash made at start-up).

use application::RepoError;
use application::ports::{PasswordHasher, Verification};
use argon2::password_hash::phc::PasswordHash as Phc;
use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use domain::{Password, PasswordHash};
use std::sync::Arc;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub iterations: u32,
    /// Degree of parallelism.
    pub lanes: u32,
}

impl HashParams {
    /// OWASP's recommendation: 19 MiB, 2 iterations, 1 lane.
    pub const OWASP: Self = Self { memory_kib: 19 * 1024, iterations: 2, lanes: 1 };
}

/// Hashing failed (bad parameters or an internal error).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// The Argon2id hasher.
#[derive(Clone)]
pub struct Argon2Hasher {
    params: HashParams,
    argon: Arc<Argon2<'static>>,
    dummy: Arc<str>,
}

impl std::fmt::Debug for Argon2Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Argon2Hasher").field("params", &self.params).finish_non_exhaustive()
    }
}

impl Argon2Hasher {
    /// A hasher with `params`; hashes a dummy password once, so call it at start-up.
    pub fn new(params: HashParams) -> Result<Self, HashError> {
        let p = Params::new(params.memory_kib, params.iterations, params.lanes, None)
            .map_err(|e| HashError(e.to_string()))?;
        let argon = Arc::new(Argon2::new(Algorithm::Argon2id, Version::V0x13, p));
        let dummy = argon.hash_password(b"dummy password for unknown users").map_err(|e| HashError(e.to_string()))?;
        Ok(Self { params, argon, dummy: dummy.to_string().into() })
    }

    fn is_current(&self, phc: &str) -> bool {
        let Ok(hash) = Phc::new(phc) else { return false };
        let get = |name: &str| hash.params.get_decimal(name);
        hash.algorithm.as_str() == "argon2id"
            && get("m") == Some(self.params.memory_kib)
            && get("t") == Some(self.params.iterations)
            && get("p") == Some(self.params.lanes)
    }
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, RepoError> {
    tokio::task::spawn_blocking(work).await.map_err(RepoError::unexpected)
}

impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, RepoError> {
        let argon = Arc::clone(&self.argon);
        let password = password.clone();
        let phc = blocking(move || argon.hash_password(password.expose().as_bytes()).map(|h| h.to_string())).await?;
        phc.map(PasswordHash::new).map_err(|e| RepoError::unexpected(HashError(e.to_string())))
    }

    async fn verify(&self, password: &Password, hash: Option<&PasswordHash>) -> Result<Verification, RepoError> {
        let argon = Arc::clone(&self.argon);
        let password = password.clone();
        let stored: Arc<str> = hash.map_or_else(|| Arc::clone(&self.dummy), |h| h.as_str().into());
        let known = hash.is_some();
        let check = Arc::clone(&stored);
        let matched = blocking(move || argon.verify_password(password.expose().as_bytes(), &*check).is_ok()).await?;
        Ok(if matched && known {
            Verification::Match { needs_rehash: !self.is_current(&stored) }
        } else {
            Verification::Mismatch
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: HashParams = HashParams { memory_kib: 1024, iterations: 1, lanes: 1 };

    fn password(raw: &str) -> Password {
        Password::parse(raw).unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let hasher = Argon2Hasher::new(CHEAP).unwrap();
        let hash = hasher.hash(&password("correct horse battery")).await.unwrap();
        assert!(hash.as_str().starts_with("$argon2id$"));
        assert_eq!(
            hasher.verify(&password("correct horse battery"), Some(&hash)).await.unwrap(),
            Verification::Match { needs_rehash: false }
        );
        assert_eq!(hasher.verify(&password("wrong horse battery"), Some(&hash)).await.unwrap(), Verification::Mismatch);
    }

    #[tokio::test]
    async fn an_unknown_user_never_matches_even_with_the_dummy_password() {
        let hasher = Argon2Hasher::new(CHEAP).unwrap();
        let attempt = Password::attempt("dummy password for unknown users").unwrap();
        assert_eq!(hasher.verify(&attempt, None).await.unwrap(), Verification::Mismatch);
    }

    #[tokio::test]
    async fn hashes_made_with_other_parameters_ask_for_a_rehash() {
        let old = Argon2Hasher::new(CHEAP).unwrap();
        let hash = old.hash(&password("correct horse battery")).await.unwrap();
        let current = Argon2Hasher::new(HashParams { memory_kib: 2048, ..CHEAP }).unwrap();
        assert_eq!(
            current.verify(&password("correct horse battery"), Some(&hash)).await.unwrap(),
            Verification::Match { needs_rehash: true }
        );
    }

    #[test]
    fn the_owasp_parameters_are_the_default_strength() {
        assert_eq!(HashParams::OWASP, HashParams { memory_kib: 19_456, iterations: 2, lanes: 1 });
    }

    #[test]
    fn a_garbage_hash_does_not_verify() {
        let hasher = Argon2Hasher::new(CHEAP).unwrap();
        assert!(!hasher.is_current("not a phc string"));
    }
}
