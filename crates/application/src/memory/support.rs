//! A clock that tests move by hand and a transparent password "hasher" for tests.

use crate::error::RepoResult;
use crate::ports::{Clock, PasswordHasher, Verification};
use domain::{Password, PasswordHash};
use std::sync::{Arc, Mutex};
use time::{Duration, UtcDateTime};

/// A clock that stands still until told to move. Clones share the same time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<UtcDateTime>>,
}

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: UtcDateTime) -> Self {
        Self { now: Arc::new(Mutex::new(now)) }
    }

    /// Sets the time.
    pub fn set(&self, now: UtcDateTime) {
        *self.now.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = now;
    }

    /// Moves the time on.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> UtcDateTime {
        *self.now.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A test hasher that stores `plain:<password>` (or `plain-old:<password>` when
/// `outdated`, whose matches ask for a rehash). Never use it outside tests.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainHasher {
    outdated: bool,
}

impl PlainHasher {
    /// A hasher producing current hashes.
    pub fn new() -> Self {
        Self { outdated: false }
    }

    /// A hasher producing hashes with "outdated parameters".
    pub fn outdated() -> Self {
        Self { outdated: true }
    }
}

/// Token secrets count up (`tok-1`, `tok-2`, …) and digest to `digest:<secret>`:
/// predictable for tests, and still never the secret itself.
impl crate::ports::TokenKeys for PlainHasher {
    fn issue(&self) -> crate::ports::IssuedToken {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let secret = format!("tok-{}", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        crate::ports::IssuedToken { digest: self.digest(&secret), secret }
    }

    fn digest(&self, secret: &str) -> domain::TokenDigest {
        domain::TokenDigest::new(format!("digest:{secret}"))
    }
}

impl PasswordHasher for PlainHasher {
    async fn hash(&self, password: &Password) -> RepoResult<PasswordHash> {
        let prefix = if self.outdated { "plain-old:" } else { "plain:" };
        Ok(PasswordHash::new(format!("{prefix}{}", password.expose())))
    }

    async fn verify(&self, password: &Password, hash: Option<&PasswordHash>) -> RepoResult<Verification> {
        let Some(hash) = hash else {
            return Ok(Verification::Mismatch);
        };
        let (needs_rehash, stored) = match hash.as_str().split_once(':') {
            Some(("plain", rest)) => (false, rest),
            Some(("plain-old", rest)) => (true, rest),
            _ => return Ok(Verification::Mismatch),
        };
        Ok(if stored == password.expose() { Verification::Match { needs_rehash } } else { Verification::Mismatch })
    }
}
