//! Werkzeug's password hashes (`method$salt$hex`), as the Flask tracker stored them, so
//! that accounts imported by `import-legacy` keep their passwords: verified here once,
//! then replaced by an Argon2id hash by the login use case (`needs_rehash`).
//!
//! Invariants: the digest is compared in constant time; the salt is used as its UTF-8
//! text (Werkzeug never decodes it); a stored string whose cost would be absurd (an
//! scrypt memory bomb, a pbkdf2 count in the billions) is refused without hashing, so
//! a crafted row cannot stall or exhaust the server.

use subtle::ConstantTimeEq;

/// The most memory one scrypt verification may take (`128 * N * r` bytes): twice
/// Werkzeug 3's default (`scrypt:32768:8:1`, 32 MiB).
const SCRYPT_MAX_MEMORY: u64 = 64 * 1024 * 1024;
/// The most parallel scrypt lanes accepted (Werkzeug writes 1).
const SCRYPT_MAX_P: u32 = 16;
/// The most pbkdf2 iterations accepted (Werkzeug 3.1 writes 1,000,000).
const PBKDF2_MAX_ITERATIONS: u32 = 10_000_000;

/// The iteration counts tried, in order, for a `pbkdf2:sha256` hash stored without its
/// count (Werkzeug then used its own default at checking time): 260,000 (Werkzeug 2.0
/// to 2.2, the releases the Flask tracker was written against), then 150,000 (1.0).
/// Later releases (600,000 from 2.3, 1,000,000 from 3.1) always write the count, so
/// they need no guess. A wrong password costs both.
const PBKDF2_DEFAULT_ITERATIONS: [u32; 2] = [260_000, 150_000];

/// A parsed Werkzeug hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Werkzeug<'a> {
    /// `scrypt:N:r:p$salt$hex` (64-byte key).
    Scrypt { log_n: u8, r: u32, p: u32, salt: &'a str, digest: Vec<u8> },
    /// `pbkdf2:sha256[:iterations]$salt$hex` (or sha512).
    Pbkdf2 { sha512: bool, iterations: Vec<u32>, salt: &'a str, digest: Vec<u8> },
}

impl<'a> Werkzeug<'a> {
    /// Parses `stored`, or `None` when it is no Werkzeug hash we accept (including one
    /// with absurd parameters).
    pub(crate) fn parse(stored: &'a str) -> Option<Self> {
        let mut parts = stored.splitn(3, '$');
        let (method, salt, hex) = (parts.next()?, parts.next()?, parts.next()?);
        if salt.is_empty() {
            return None;
        }
        let digest = decode_hex(hex)?;
        let mut method = method.split(':');
        match method.next()? {
            "scrypt" => {
                let n: u64 = method.next()?.parse().ok()?;
                let r: u32 = method.next()?.parse().ok()?;
                let p: u32 = method.next()?.parse().ok()?;
                if method.next().is_some() || !n.is_power_of_two() || n < 2 || r == 0 || p == 0 || p > SCRYPT_MAX_P {
                    return None;
                }
                if 128_u64.checked_mul(n)?.checked_mul(u64::from(r))? > SCRYPT_MAX_MEMORY || digest.len() != 64 {
                    return None;
                }
                let log_n = u8::try_from(n.trailing_zeros()).ok()?;
                Some(Werkzeug::Scrypt { log_n, r, p, salt, digest })
            }
            "pbkdf2" => {
                let sha512 = match method.next()? {
                    "sha256" => false,
                    "sha512" => true,
                    _ => return None,
                };
                let iterations = match method.next() {
                    None if !sha512 => PBKDF2_DEFAULT_ITERATIONS.to_vec(),
                    None => return None,
                    Some(n) => vec![n.parse::<u32>().ok().filter(|n| (1..=PBKDF2_MAX_ITERATIONS).contains(n))?],
                };
                let expected = if sha512 { 64 } else { 32 };
                if method.next().is_some() || digest.len() != expected {
                    return None;
                }
                Some(Werkzeug::Pbkdf2 { sha512, iterations, salt, digest })
            }
            _ => None,
        }
    }

    /// Whether `password` is the one hashed (CPU-bound: call it off the async workers).
    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        match self {
            Werkzeug::Scrypt { log_n, r, p, salt, digest } => {
                let Ok(params) = scrypt::Params::new(*log_n, *r, *p) else { return false };
                let mut out = [0_u8; 64];
                scrypt::scrypt(password, salt.as_bytes(), &params, &mut out).is_ok()
                    && bool::from(out.as_slice().ct_eq(digest))
            }
            Werkzeug::Pbkdf2 { sha512, iterations, salt, digest } => iterations.iter().any(|&rounds| {
                let mut out = vec![0_u8; digest.len()];
                if *sha512 {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt.as_bytes(), rounds, &mut out);
                } else {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt.as_bytes(), rounds, &mut out);
                }
                bool::from(out.as_slice().ct_eq(digest))
            }),
        }
    }
}

/// Lowercase or uppercase hex to bytes; `None` for anything else.
fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || hex.is_empty() {
        return None;
    }
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |c: u8| char::from(c).to_digit(16);
            u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    // Made once with Werkzeug 3.1.8 (`generate_password_hash(pw, method=…)`, checked
    // with `check_password_hash`) and pasted here. The last pbkdf2 one was made with
    // 260,000 iterations and stored without its count, as old Werkzeug releases did.
    pub(crate) const SCRYPT_PASSWORD: &str = "legacy scrypt password";
    pub(crate) const SCRYPT_CHEAP: &str = "scrypt:1024:8:1$6yJTjAmq6AdZfovw$9c6e08885c4f0f2fb53ad7e6158a4c4a963564eaed86ae2b7ffe44f96a707a5d5502dcebe33dcc47b394a78542fb12d822e79ca0ac5cf772512cc5c614b0fb44";
    const SCRYPT_DEFAULT: &str = "scrypt:32768:8:1$152lGuGHI0rhxPEn$f605efb92028e0b6249358c080ef1304fa29ade3e356ad1b7baea99443c630f09868d7b21a09ac1ecfcb6cd49f282b2f73d9c3b957af8a5eaafde8370f543934";
    pub(crate) const PBKDF2_PASSWORD: &str = "legacy pbkdf2 password";
    pub(crate) const PBKDF2_SHA256: &str =
        "pbkdf2:sha256:1000$8K2LlOIHH9l0YRTC$b7f89dab9a7074e8ef51e0fddcadfff368df6344470a1fa61c5b71505b06d8fe";
    const PBKDF2_SHA512: &str = "pbkdf2:sha512:1000$4UqGDS8Eh7PoAdIS$dd30bf70d9e59f8ba699709036d7bbf85aabe72cdb35afa52339b4ef707c6a3d47bdee4f14911394728a9431251a6127a21ac18ae527767ba33535c233a5e349";
    const PBKDF2_NO_COUNT: &str =
        "pbkdf2:sha256$Zk3pQ9xLmN2vB7cR$49ce357782fb3422ccfac8ec26f79537672a785fa84790d41f7b377625ef7b5f";

    fn verifies(stored: &str, password: &str) -> bool {
        Werkzeug::parse(stored).expect("a Werkzeug hash").verify(password.as_bytes())
    }

    #[test]
    fn werkzeug_scrypt_hashes_verify_their_password_and_nothing_else() {
        for stored in [SCRYPT_CHEAP, SCRYPT_DEFAULT] {
            assert!(verifies(stored, SCRYPT_PASSWORD), "{stored}");
            assert!(!verifies(stored, "wrong password"), "{stored}");
        }
    }

    #[test]
    fn werkzeug_pbkdf2_hashes_verify_their_password_and_nothing_else() {
        for stored in [PBKDF2_SHA256, PBKDF2_SHA512, PBKDF2_NO_COUNT] {
            assert!(verifies(stored, PBKDF2_PASSWORD), "{stored}");
            assert!(!verifies(stored, "wrong password"), "{stored}");
        }
    }

    #[test]
    fn a_tampered_digest_or_salt_does_not_verify() {
        let digest = SCRYPT_CHEAP.replace("$9c6e", "$8c6e");
        assert!(!verifies(&digest, SCRYPT_PASSWORD));
        let salt = PBKDF2_SHA256.replace("8K2L", "8K2M");
        assert!(!verifies(&salt, PBKDF2_PASSWORD));
    }

    #[test]
    fn absurd_or_malformed_parameters_are_refused_without_hashing() {
        for stored in [
            // 128 * 2^20 * 8 = 1 GiB: a memory bomb.
            "scrypt:1048576:8:1$salt$00",
            "scrypt:1024:8:1000$salt$00",
            "scrypt:1000:8:1$salt$00",
            "scrypt:1024:0:1$salt$00",
            "pbkdf2:sha256:4000000000$salt$00",
            "pbkdf2:sha256:0$salt$00",
            "pbkdf2:md5:1000$salt$00",
            "pbkdf2:sha256:1000$$b7f89dab",
            "pbkdf2:sha256:1000$salt$zz",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            "plain text",
        ] {
            assert_eq!(Werkzeug::parse(stored), None, "{stored}");
        }
        let short = SCRYPT_CHEAP.split('$').take(2).collect::<Vec<_>>().join("$") + "$abcd";
        assert_eq!(Werkzeug::parse(&short), None, "a digest that is not 64 bytes");
    }
}
