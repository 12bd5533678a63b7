//! Conversions between domain values and SQLite column values.
//!
//! Invariant: timestamps are stored as RFC 3339 UTC text with exactly nine fraction
//! digits, so that text order is time order (sqlx's own RFC 3339 encoding drops
//! trailing zeros, and "…:00Z" would sort after "…:00.5Z"); they keep the full
//! nanosecond precision of the clock. A stored value that fails to parse is
//! `RepoError::Unexpected`, never a panic.

use application::RepoError;
use application::error::RepoResult;
use time::{OffsetDateTime, UtcDateTime};

/// A stored value that does not parse as the domain type it should hold.
#[derive(Debug, thiserror::Error)]
#[error("stored {what} is invalid: {cause}")]
pub(crate) struct Corrupt {
    what: &'static str,
    cause: String,
}

/// A timestamp outside the years 0000 to 9999, which RFC 3339 cannot write.
#[derive(Debug, thiserror::Error)]
#[error("timestamp {0} is outside the years 0000 to 9999")]
pub(crate) struct OutOfRange(UtcDateTime);

/// Keeps a parsed stored value, or reports the column as corrupt.
pub(crate) fn parsed<T, E: std::fmt::Display>(what: &'static str, result: Result<T, E>) -> RepoResult<T> {
    result.map_err(|e| RepoError::unexpected(Corrupt { what, cause: e.to_string() }))
}

/// A timestamp as stored: `2026-01-01T12:00:00.000000000Z`.
pub(crate) fn timestamp(at: UtcDateTime) -> RepoResult<String> {
    if !(0..=9999).contains(&at.year()) {
        return Err(RepoError::unexpected(OutOfRange(at)));
    }
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.nanosecond()
    ))
}

/// A stored timestamp (decoded by sqlx from RFC 3339) in UTC.
pub(crate) fn utc(at: OffsetDateTime) -> UtcDateTime {
    at.to_utc()
}

/// A stored quantity or count as `u32`.
pub(crate) fn count(what: &'static str, raw: i64) -> RepoResult<u32> {
    parsed(what, u32::try_from(raw))
}

/// The ids stored with an idempotency key: comma separated, empty for none.
pub(crate) fn ids_text(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Reads the ids written by `ids_text`.
pub(crate) fn ids_from_text(text: &str) -> RepoResult<Vec<i64>> {
    text.split(',')
        .filter(|part| !part.is_empty())
        .map(|part| parsed("idempotency key ids", part.parse::<i64>()))
        .collect()
}

/// The ids as a JSON array, for `IN (SELECT value FROM json_each(?))`.
pub(crate) fn ids_json(ids: &[i64]) -> String {
    format!("[{}]", ids_text(ids))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::utc_datetime;

    #[test]
    fn timestamps_have_a_fixed_width_so_text_order_is_time_order() {
        let whole = timestamp(utc_datetime!(2026-01-01 12:00:00)).unwrap();
        let later = timestamp(utc_datetime!(2026-01-01 12:00:00.5)).unwrap();
        assert_eq!(whole, "2026-01-01T12:00:00.000000000Z");
        assert!(whole < later);
    }

    #[test]
    fn key_ids_round_trip_through_text() {
        assert_eq!(ids_from_text(&ids_text(&[3, 14, 15])).unwrap(), vec![3, 14, 15]);
        assert_eq!(ids_from_text(&ids_text(&[])).unwrap(), Vec::<i64>::new());
        assert!(ids_from_text("1,x").is_err());
    }
}
