//! Typed identifiers, so that a mission id can never be passed where an event id is
//! expected, and the idempotency key that makes a create request record once.

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(i64);

        impl $name {
            /// Wraps a storage-assigned identifier.
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            /// The raw identifier, for storage and URLs.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

id_type!(
    /// Identifies a user account.
    UserId,
    /// Identifies an asset library.
    LibraryId,
    /// Identifies an asset within a library.
    AssetId,
    /// Identifies a campaign.
    CampaignId,
    /// Identifies an asset in one campaign's pool.
    PoolEntryId,
    /// Identifies a mission.
    MissionId,
    /// Identifies an event of a mission.
    EventId,
    /// Identifies one asset change of an event.
    AssetChangeId,
    /// Identifies an audit entry.
    AuditEntryId,
    /// Identifies an API token.
    ApiTokenId,
);

/// A client-chosen key sent with a create request, so that a double-submitted form or
/// a retried API call records once: 8 to 128 letters, digits, `-` or `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

/// Why a string is not an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdempotencyKeyError {
    /// Shorter than 8 or longer than 128 characters.
    #[error("must be 8 to 128 characters long")]
    Length,
    /// Contains something other than letters, digits, `-` or `_`.
    #[error("may contain only letters, digits, '-' and '_'")]
    Characters,
}

impl IdempotencyKey {
    /// Parses a key.
    pub fn parse(raw: &str) -> Result<Self, IdempotencyKeyError> {
        let raw = raw.trim();
        if !(8..=128).contains(&raw.len()) {
            return Err(IdempotencyKeyError::Length);
        }
        if !raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(IdempotencyKeyError::Characters);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The key as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_their_raw_value() {
        assert_eq!(EventId::new(42).get(), 42);
        assert_eq!(CampaignId::new(7).to_string(), "7");
    }

    #[test]
    fn idempotency_keys_accept_uuids_and_reject_junk() {
        assert!(IdempotencyKey::parse("0190a6c2-7d1e-7c3a-9f00-1234567890ab").is_ok());
        assert_eq!(IdempotencyKey::parse("short"), Err(IdempotencyKeyError::Length));
        assert_eq!(IdempotencyKey::parse("has spaces in"), Err(IdempotencyKeyError::Characters));
        assert_eq!(IdempotencyKey::parse(&"a".repeat(129)), Err(IdempotencyKeyError::Length));
    }
}
