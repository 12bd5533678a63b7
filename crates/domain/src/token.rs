//! API tokens: named bearer secrets with which a staff member's scripts (a Discord bot,
//! a game-server mod) use the JSON API with the owner's current role.
//!
//! Invariant: the secret itself is never kept. The store holds its keyed digest
//! ([`TokenDigest`], computed by the adapter that issues the secret), so a copy of the
//! database cannot be used to call the API. A token stops working when it expires,
//! when it is revoked, and while its owner is disabled.

use crate::ids::{ApiTokenId, UserId};
use crate::text::text_type;
use time::{Duration, UtcDateTime};

text_type!(
    /// What the owner calls a token, such as "Discord bot"; shown in the token list and
    /// named in the audit entries of the token's writes.
    TokenName, required: true, max: 80, multiline: false
);

/// The keyed digest of a token's secret, as stored and looked up (lowercase hex).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TokenDigest(String);

impl TokenDigest {
    /// Wraps a digest computed by the token service or read from storage.
    pub fn new(hex: String) -> Self {
        Self(hex)
    }

    /// The digest's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for TokenDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenDigest([redacted])")
    }
}

/// Longest lifetime a token may be given, in days (about ten years).
pub const MAX_TOKEN_DAYS: u32 = 3650;

/// An issued API token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// The token.
    pub id: ApiTokenId,
    /// The staff member whose role the token carries.
    pub owner: UserId,
    /// What the owner calls it.
    pub name: TokenName,
    /// When it was issued.
    pub created_at: UtcDateTime,
    /// When it stops working; `None`: when revoked.
    pub expires_at: Option<UtcDateTime>,
    /// When a request last used it (to within [`LAST_USED_STEP`]); `None`: never.
    pub last_used_at: Option<UtcDateTime>,
}

/// How stale a token's recorded last use may grow before a request records it again:
/// a busy script costs one write a minute, not one per request.
pub const LAST_USED_STEP: Duration = Duration::minutes(1);

impl ApiToken {
    /// Whether the token still works at `now` (its owner's state aside).
    pub fn is_live_at(&self, now: UtcDateTime) -> bool {
        self.expires_at.is_none_or(|end| now < end)
    }

    /// Whether a use at `now` should be recorded: never used, or last recorded at
    /// least [`LAST_USED_STEP`] before `now`.
    pub fn use_is_news_at(&self, now: UtcDateTime) -> bool {
        self.last_used_at.is_none_or(|last| now - last >= LAST_USED_STEP)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::utc_datetime;

    fn token(expires_at: Option<UtcDateTime>) -> ApiToken {
        ApiToken {
            id: ApiTokenId::new(1),
            owner: UserId::new(2),
            name: TokenName::parse(" Discord bot ").unwrap(),
            created_at: utc_datetime!(2026-01-01 0:00),
            expires_at,
            last_used_at: None,
        }
    }

    #[test]
    fn a_use_is_recorded_when_never_recorded_or_a_step_old() {
        let last = utc_datetime!(2026-01-02 10:00);
        let used = ApiToken { last_used_at: Some(last), ..token(None) };
        assert!(token(None).use_is_news_at(last), "the first use");
        assert!(!used.use_is_news_at(last));
        assert!(!used.use_is_news_at(utc_datetime!(2026-01-02 10:00:59)));
        assert!(used.use_is_news_at(utc_datetime!(2026-01-02 10:01)));
        assert!(!used.use_is_news_at(utc_datetime!(2026-01-02 9:00)), "a clock stepping back records nothing");
    }

    #[test]
    fn a_token_works_until_its_expiry_and_forever_without_one() {
        let end = utc_datetime!(2026-02-01 0:00);
        assert!(token(Some(end)).is_live_at(utc_datetime!(2026-01-31 23:59:59)));
        assert!(!token(Some(end)).is_live_at(end));
        assert!(token(None).is_live_at(utc_datetime!(2099-01-01 0:00)));
    }

    #[test]
    fn a_token_name_is_trimmed_and_bounded() {
        assert_eq!(token(None).name.as_str(), "Discord bot");
        assert!(TokenName::parse("  ").is_err());
        assert!(TokenName::parse(&"x".repeat(81)).is_err());
        assert!(TokenName::parse("two\nlines").is_err());
    }

    #[test]
    fn a_digest_never_shows_in_debug_output() {
        assert_eq!(format!("{:?}", TokenDigest::new("abcdef".into())), "TokenDigest([redacted])");
    }
}
