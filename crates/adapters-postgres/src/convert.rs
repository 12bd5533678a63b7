//! Conversions between stored columns and domain values. A stored value that the
//! domain refuses is `RepoError::Unexpected` naming the column: the database holds
//! only what the domain accepted, so it means the data was changed behind our back.

use application::RepoError;
use application::error::RepoResult;
use domain::{MapUrl, Quantity};
use time::{OffsetDateTime, UtcDateTime, UtcOffset};

/// A stored value the domain refuses.
#[derive(Debug, thiserror::Error)]
#[error("stored {column} is invalid")]
pub(crate) struct InvalidStoredValue {
    column: &'static str,
    #[source]
    source: Box<dyn std::error::Error + Send + Sync>,
}

/// The parsed value, or `Unexpected` naming `column`.
pub(crate) fn stored<T, E>(column: &'static str, parsed: Result<T, E>) -> RepoResult<T>
where
    E: std::error::Error + Send + Sync + 'static,
{
    parsed.map_err(|e| RepoError::unexpected(InvalidStoredValue { column, source: Box::new(e) }))
}

/// A timestamp as bound to a `TIMESTAMPTZ` parameter (PostgreSQL keeps microseconds).
pub(crate) fn to_db(t: UtcDateTime) -> OffsetDateTime {
    t.to_offset(UtcOffset::UTC)
}

/// A `TIMESTAMPTZ` column as a UTC instant.
pub(crate) fn from_db(t: OffsetDateTime) -> UtcDateTime {
    t.to_utc()
}

/// A quantity as bound to an `INTEGER` parameter (quantities are at most 1,000,000).
pub(crate) fn qty(q: Quantity) -> i32 {
    i32::try_from(q.get()).unwrap_or(i32::MAX)
}

/// An `INTEGER` quantity column.
pub(crate) fn quantity(column: &'static str, raw: i32) -> RepoResult<Quantity> {
    stored(column, Quantity::from_i64(i64::from(raw)))
}

/// An optional map link as bound to a nullable `TEXT` parameter.
pub(crate) fn url_text(url: Option<&MapUrl>) -> Option<&str> {
    url.map(MapUrl::as_str)
}

/// A nullable map-link column.
pub(crate) fn map_url(column: &'static str, raw: Option<String>) -> RepoResult<Option<MapUrl>> {
    raw.map(|u| stored(column, MapUrl::parse(&u))).transpose()
}

/// Ids as stored with an idempotency key: comma separated.
pub(crate) fn ids_text(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Ids stored with an idempotency key.
pub(crate) fn parse_ids(raw: &str) -> RepoResult<Vec<i64>> {
    raw.split(',').filter(|s| !s.is_empty()).map(|s| stored("idempotency_keys.object_ids", s.parse::<i64>())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::utc_datetime;

    #[test]
    fn ids_survive_the_round_trip_through_text() {
        assert_eq!(parse_ids(&ids_text(&[3, 41, 7])).unwrap(), vec![3, 41, 7]);
        assert_eq!(parse_ids(&ids_text(&[])).unwrap(), Vec::<i64>::new());
        assert!(parse_ids("3,x").is_err());
    }

    #[test]
    fn timestamps_convert_both_ways() {
        let t = utc_datetime!(2026-01-01 12:00:00.123456);
        assert_eq!(from_db(to_db(t)), t);
    }
}
