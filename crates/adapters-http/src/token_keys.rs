//! API-token secrets and their keyed digests: a secret is `atk_` and 64 hex digits
//! (32 random bytes), and its digest is HMAC-SHA-256 under the server's token key.
//!
//! Invariant: the key never leaves this module (no `Debug`, no accessor); a digest
//! computed with another key finds nothing, so a copy of the database cannot call the
//! API, and changing the key revokes every token at once.

use crate::web::{hex, random_hex};
use application::ports::IssuedToken;
use domain::TokenDigest;
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use sha2::Sha256;

/// What every token secret starts with, so that a leaked one is recognisable (secret
/// scanners, logs) and a mistyped header fails clearly.
pub const PREFIX: &str = "atk_";

/// The server's token key, as the MAC keyed with it (set up once, cloned per digest).
#[derive(Clone)]
pub(crate) struct TokenKey(Hmac<Sha256>);

impl TokenKey {
    /// The configured key.
    pub(crate) fn new(key: &[u8]) -> Self {
        // HMAC accepts a key of any length, so this cannot fail.
        Self(<Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key")))
    }

    /// A key made up now: tokens digested with it die with the process.
    pub(crate) fn random() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self::new(&key)
    }

    /// A fresh secret and its digest.
    pub(crate) fn issue(&self) -> IssuedToken {
        let secret = format!("{PREFIX}{}", random_hex(32));
        IssuedToken { digest: self.digest(&secret), secret }
    }

    /// The digest of `secret`, as lowercase hex.
    pub(crate) fn digest(&self, secret: &str) -> TokenDigest {
        let mut mac = self.0.clone();
        mac.update(secret.as_bytes());
        TokenDigest::new(hex(&mac.finalize().into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_prefixed_random_hex_and_its_digest_is_keyed() {
        let key = TokenKey::new(b"a key of the server, long enough");
        let issued = key.issue();
        assert!(issued.secret.starts_with(PREFIX));
        assert_eq!(issued.secret.len(), PREFIX.len() + 64);
        assert!(issued.secret[PREFIX.len()..].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(key.issue().secret, issued.secret, "secrets are random");
        assert_eq!(key.digest(&issued.secret), issued.digest, "the digest is stable");
        assert_eq!(issued.digest.as_str().len(), 64);
        assert!(!issued.digest.as_str().contains(&issued.secret[PREFIX.len()..]));
        let other = TokenKey::new(b"another key of the server, long too");
        assert_ne!(other.digest(&issued.secret), issued.digest, "another key finds nothing");
    }

    #[test]
    fn the_digest_is_hmac_sha256() {
        // RFC 4231, test case 2.
        let key = TokenKey::new(b"Jefe");
        assert_eq!(
            key.digest("what do ya want for nothing?").as_str(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
