//! Parsing of raw input shared by the commands: dates, times and flags as forms and
//! JSON send them. Commands carry raw strings so that every front end (HTML forms,
//! the JSON API, the CLI) shares one parse and one set of messages per field.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, PrimitiveDateTime, UtcDateTime};

/// Why a date or time could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Not a date in `YYYY-MM-DD` form.
    #[error("must be a date like 2026-03-14")]
    Date,
    /// Not a date and time.
    #[error("must be a date and time like 2026-03-14T18:30 (UTC)")]
    DateTime,
    /// A required value is missing.
    #[error("is required")]
    Missing,
    /// Not `true` or `false`.
    #[error("must be true or false")]
    Flag,
}

/// Reads a `YYYY-MM-DD` date.
pub fn parse_date(raw: &str) -> Result<Date, InputError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(InputError::Missing);
    }
    Date::parse(raw, format_description!("[year]-[month]-[day]")).map_err(|_| InputError::Date)
}

/// Reads an optional `YYYY-MM-DD` date; blank means none.
pub fn parse_optional_date(raw: &str) -> Result<Option<Date>, InputError> {
    if raw.trim().is_empty() { Ok(None) } else { parse_date(raw).map(Some) }
}

/// Reads a date and time: RFC 3339 with an offset (converted to UTC), or the
/// `YYYY-MM-DDTHH:MM[:SS]` of an HTML `datetime-local` input, taken as UTC.
pub fn parse_datetime_utc(raw: &str) -> Result<UtcDateTime, InputError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(InputError::Missing);
    }
    if let Ok(at) = time::OffsetDateTime::parse(raw, &Rfc3339) {
        return Ok(at.to_utc());
    }
    let with_seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let without_seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    PrimitiveDateTime::parse(raw, with_seconds)
        .or_else(|_| PrimitiveDateTime::parse(raw, without_seconds))
        .map(PrimitiveDateTime::as_utc)
        .map_err(|_| InputError::DateTime)
}

/// Reads `true` or `false` (a toggle's value), ignoring surrounding spaces.
pub fn parse_flag(raw: &str) -> Result<bool, InputError> {
    match raw.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(InputError::Flag),
    }
}

/// Reads the id chosen in a form's select: a whole number, or `None` when nothing (or
/// something that is no id) was chosen.
pub(crate) fn chosen_id(raw: &str) -> Option<i64> {
    raw.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, utc_datetime};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn the_form_value_parsers_never_panic(raw in prop_oneof![any::<String>(), "[0-9T:+\\-Z. ]{0,40}"]) {
            let _ = parse_date(&raw);
            let _ = parse_optional_date(&raw);
            let _ = parse_datetime_utc(&raw);
            let _ = parse_flag(&raw);
        }
    }

    #[test]
    fn dates_are_read_in_iso_form() {
        assert_eq!(parse_date("2026-03-14"), Ok(date!(2026 - 03 - 14)));
        assert_eq!(parse_date("14/03/2026"), Err(InputError::Date));
        assert_eq!(parse_date(" "), Err(InputError::Missing));
        assert_eq!(parse_optional_date(""), Ok(None));
    }

    #[test]
    fn times_from_forms_are_utc_and_offsets_are_converted() {
        assert_eq!(parse_datetime_utc("2026-03-14T18:30"), Ok(utc_datetime!(2026-03-14 18:30)));
        assert_eq!(parse_datetime_utc("2026-03-14T18:30:05"), Ok(utc_datetime!(2026-03-14 18:30:05)));
        assert_eq!(parse_datetime_utc("2026-03-14T20:30:00+02:00"), Ok(utc_datetime!(2026-03-14 18:30)));
        assert_eq!(parse_datetime_utc("yesterday"), Err(InputError::DateTime));
    }

    #[test]
    fn flags_and_chosen_ids_are_read_as_forms_send_them() {
        assert_eq!((parse_flag(" true"), parse_flag("false")), (Ok(true), Ok(false)));
        assert_eq!(parse_flag("yes"), Err(InputError::Flag));
        assert_eq!((chosen_id(" 42 "), chosen_id(""), chosen_id("x")), (Some(42), None, None));
    }
}
