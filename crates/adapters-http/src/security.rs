//! Argon2id password hashing, run on the blocking thread pool so that hashing never
//! stalls the async runtime's worker threads.
//!
//! Accounts imported from the Flask tracker keep their Werkzeug hashes (`werkzeug`):
//! they verify here like any other and always ask for a rehash, so the login use case
//! replaces them with Argon2id at the first successful login.
//!
//! Invariants: a failed login costs one full verification whether or not the user
//! exists (unknown users are verified against a dummy hash made at start-up). At most
//! one hash per core runs at once (more would only share the cores and each holds its
//! memory cost, 19 MiB by default), and each hash's working memory goes back to the
//! operating system when it ends (see [`working_memory`]), so a burst of logins leaves
//! no memory behind.

use application::RepoError;
use application::ports::{PasswordHasher, Verification};
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash as Phc, Salt};
use argon2::password_hash::{CustomizedPasswordHasher, PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use domain::{Password, PasswordHash};
use std::sync::Arc;
use tokio::sync::Semaphore;
use werkzeug::Werkzeug;

mod werkzeug;

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
    argon: Arc<Unpooled>,
    dummy: Arc<str>,
    /// One permit per hash that may run at once.
    running: Arc<Semaphore>,
    /// Keys API-token digests.
    tokens: crate::token_keys::TokenKey,
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
        let argon = Arc::new(Unpooled { algorithm: Algorithm::Argon2id, version: Version::V0x13, params: p });
        let dummy = argon.hash_password(b"dummy password for unknown users").map_err(|e| HashError(e.to_string()))?;
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let running = Arc::new(Semaphore::new(cores));
        let tokens = crate::token_keys::TokenKey::random();
        Ok(Self { params, argon, dummy: dummy.to_string().into(), running, tokens })
    }

    /// Digests API tokens with `key` (the configured token key) instead of a random
    /// key made at start-up, so that tokens keep working across restarts and replicas.
    #[must_use]
    pub fn with_token_key(mut self, key: &[u8]) -> Self {
        self.tokens = crate::token_keys::TokenKey::new(key);
        self
    }

    /// Runs `work` on the blocking pool once a permit is free.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, RepoError> {
        let _permit = self.running.acquire().await.map_err(RepoError::unexpected)?;
        tokio::task::spawn_blocking(work).await.map_err(RepoError::unexpected)
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

/// Argon2 with working memory of its own making ([`working_memory`]); the PHC string
/// format and the verification are the `argon2` crate's, through the `password-hash`
/// traits.
struct Unpooled {
    algorithm: Algorithm,
    version: Version,
    params: Params,
}

/// glibc's malloc serves an allocation from its arenas once the allocation's size is
/// under its dynamic mmap threshold, which rises to the size of the largest block freed
/// so far, up to 32 MiB on 64-bit systems (mallopt(3), `M_MMAP_THRESHOLD`). After the
/// first hash, every later hash's 19 MiB would come from the arena of the thread that
/// ran it and stay there: measured, 16 logins left 300 MB resident, 48 over 600 MB.
/// Reserving more than the threshold's ceiling keeps the allocation a mapping of its
/// own, unmapped when freed; only the pages the hash writes are ever resident.
const ALWAYS_MAPPED: usize = 32 * 1024 * 1024 + 1;

/// `blocks` zeroed Argon2 blocks in an allocation that goes back to the operating
/// system when dropped.
fn working_memory(blocks: usize) -> Vec<Block> {
    let mut memory = Vec::with_capacity(blocks.max(ALWAYS_MAPPED.div_ceil(size_of::<Block>())));
    memory.resize(blocks, Block::default());
    memory
}

impl CustomizedPasswordHasher<Phc> for Unpooled {
    type Params = Params;

    fn hash_password_customized(
        &self,
        password: &[u8],
        salt: &[u8],
        algorithm: Option<&str>,
        version: Option<u32>,
        params: Params,
    ) -> argon2::password_hash::Result<Phc> {
        let algorithm = algorithm.map(Algorithm::try_from).transpose()?.unwrap_or_default();
        let version = version.map(Version::try_from).transpose()?.unwrap_or_default();
        Self { algorithm, version, params }.hash_password_with_salt(password, salt)
    }
}

impl argon2::password_hash::PasswordHasher<Phc> for Unpooled {
    fn hash_password_with_salt(&self, password: &[u8], salt: &[u8]) -> argon2::password_hash::Result<Phc> {
        let salt = Salt::new(salt)?;
        let mut buffer = [0_u8; Output::MAX_LENGTH];
        let out = buffer
            .get_mut(..self.params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN))
            .ok_or(argon2::password_hash::Error::OutputSize)?;
        let argon = Argon2::new(self.algorithm, self.version, self.params.clone());
        argon.hash_password_into_with_memory(password, &salt, out, working_memory(self.params.block_count()))?;
        Ok(Phc {
            algorithm: self.algorithm.ident(),
            version: Some(self.version.into()),
            params: ParamsString::try_from(&self.params)?,
            salt: Some(salt),
            hash: Some(Output::new(out)?),
        })
    }
}

impl application::ports::TokenKeys for Argon2Hasher {
    fn issue(&self) -> application::ports::IssuedToken {
        self.tokens.issue()
    }

    fn digest(&self, secret: &str) -> domain::TokenDigest {
        self.tokens.digest(secret)
    }
}

impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, RepoError> {
        let argon = Arc::clone(&self.argon);
        let password = password.clone();
        let phc = self.run(move || argon.hash_password(password.expose().as_bytes()).map(|h| h.to_string())).await?;
        phc.map(PasswordHash::new).map_err(|e| RepoError::unexpected(HashError(e.to_string())))
    }

    async fn verify(&self, password: &Password, hash: Option<&PasswordHash>) -> Result<Verification, RepoError> {
        let argon = Arc::clone(&self.argon);
        let password = password.clone();
        let stored: Arc<str> = hash.map_or_else(|| Arc::clone(&self.dummy), |h| h.as_str().into());
        let known = hash.is_some();
        let check = Arc::clone(&stored);
        let matched = self
            .run(move || {
                let attempt = password.expose().as_bytes();
                match Werkzeug::parse(&check) {
                    Some(legacy) => legacy.verify(attempt),
                    None => Phc::new(&check).is_ok_and(|phc| argon.verify_password(attempt, &phc).is_ok()),
                }
            })
            .await?;
        Ok(if matched && known {
            // A Werkzeug hash is never current, so it is replaced at once.
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

    /// Our hashes are the `argon2` crate's own, memory aside: each verifies the other's,
    /// for Argon2id and for the older Argon2i and version 0x10 hashes it can meet.
    #[tokio::test]
    async fn hashes_are_interchangeable_with_the_argon2_crates_own() {
        let hasher = Argon2Hasher::new(CHEAP).unwrap();
        let ours = hasher.hash(&password("correct horse battery")).await.unwrap();
        let library = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(1024, 1, 1, None).unwrap());
        let phc = Phc::new(ours.as_str()).unwrap();
        assert!(library.verify_password(b"correct horse battery", &phc).is_ok());
        assert!(library.verify_password(b"wrong horse battery", &phc).is_err());
        for (algorithm, version) in [
            (Algorithm::Argon2id, Version::V0x13),
            (Algorithm::Argon2i, Version::V0x13),
            (Algorithm::Argon2id, Version::V0x10),
        ] {
            let theirs = Argon2::new(algorithm, version, Params::new(2048, 2, 2, None).unwrap())
                .hash_password(b"correct horse battery")
                .unwrap()
                .to_string();
            let stored = PasswordHash::new(theirs);
            assert_eq!(
                hasher.verify(&password("correct horse battery"), Some(&stored)).await.unwrap(),
                Verification::Match { needs_rehash: true },
                "{algorithm:?} {version:?}"
            );
            assert_eq!(
                hasher.verify(&password("wrong horse battery"), Some(&stored)).await.unwrap(),
                Verification::Mismatch
            );
        }
    }

    /// More logins than permits at once all finish, each with the right answer.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_verifications_queue_for_a_permit_and_all_answer() {
        let hasher = Argon2Hasher::new(CHEAP).unwrap();
        let hash = hasher.hash(&password("correct horse battery")).await.unwrap();
        let checks: Vec<_> = (0..32)
            .map(|i| {
                let (hasher, hash) = (hasher.clone(), hash.clone());
                let attempt = if i % 2 == 0 { "correct horse battery" } else { "wrong horse battery" };
                tokio::spawn(async move { hasher.verify(&password(attempt), Some(&hash)).await.unwrap() })
            })
            .collect();
        for (i, check) in checks.into_iter().enumerate() {
            let expected =
                if i % 2 == 0 { Verification::Match { needs_rehash: false } } else { Verification::Mismatch };
            assert_eq!(check.await.unwrap(), expected);
        }
    }

    /// Hashes imported from the Flask tracker verify through the same port and always
    /// ask to be replaced; a wrong password is a plain mismatch.
    #[tokio::test]
    async fn werkzeug_hashes_verify_and_ask_for_a_rehash() {
        use werkzeug::tests::{PBKDF2_PASSWORD, PBKDF2_SHA256, SCRYPT_CHEAP, SCRYPT_PASSWORD};
        let hasher = Argon2Hasher::new(CHEAP).unwrap();
        for (stored, right) in [(SCRYPT_CHEAP, SCRYPT_PASSWORD), (PBKDF2_SHA256, PBKDF2_PASSWORD)] {
            let stored = PasswordHash::new(stored.to_owned());
            assert_eq!(
                hasher.verify(&Password::attempt(right).unwrap(), Some(&stored)).await.unwrap(),
                Verification::Match { needs_rehash: true }
            );
            assert_eq!(
                hasher.verify(&password("wrong horse battery"), Some(&stored)).await.unwrap(),
                Verification::Mismatch
            );
        }
    }

    #[test]
    fn working_memory_is_zeroed_and_sized_as_asked() {
        let memory = working_memory(3);
        assert_eq!(memory.len(), 3);
        assert!(memory.capacity() * size_of::<Block>() >= ALWAYS_MAPPED);
        assert!(memory.iter().all(|b| b.as_ref().iter().all(|&x| x == 0)));
    }
}
