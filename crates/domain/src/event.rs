//! Events of a mission (combat, logistics, training) and the asset changes they record.
//!
//! Invariant: a `Delta` is never zero, so every recorded change moves the pool.

use crate::UnknownVariant;
use crate::ids::{AssetChangeId, EventId, MissionId, PoolEntryId};
use crate::text::{Description, Location, Notes, ShortText, text_type};
use time::UtcDateTime;

text_type!(
    /// An event's title: 1 to 200 characters.
    EventTitle, required: true, max: 200, multiline: false
);

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A fight: usually losses.
    Combat,
    /// Resupply, transfers, captures: usually gains.
    Logistics,
    /// Training: wear and tear.
    Training,
    /// Anything else.
    Other,
}

impl EventKind {
    /// Every kind, in display order.
    pub const ALL: [EventKind; 4] = [EventKind::Combat, EventKind::Logistics, EventKind::Training, EventKind::Other];

    /// The stored and displayed name.
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Combat => "Combat",
            EventKind::Logistics => "Logistics",
            EventKind::Training => "Training",
            EventKind::Other => "Other",
        }
    }

    /// Parses a kind name in any case.
    pub fn parse(raw: &str) -> Result<Self, UnknownVariant> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(raw.trim()))
            .ok_or(UnknownVariant { expected: "Combat, Logistics, Training, Other" })
    }
}

/// A signed, non-zero change of quantity: negative for losses, positive for gains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Delta(i64);

/// Why a number is not a delta.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeltaError {
    /// Zero changes nothing and is refused.
    #[error("must not be zero")]
    Zero,
    /// Beyond the largest quantity the tracker holds.
    #[error("must be between -{max} and {max}", max = crate::Quantity::MAX)]
    OutOfRange,
    /// Not a whole number.
    #[error("must be a whole number such as -2 or 3")]
    NotANumber,
}

impl Delta {
    /// Checks a delta.
    pub fn new(raw: i64) -> Result<Self, DeltaError> {
        if raw == 0 {
            Err(DeltaError::Zero)
        } else if raw.unsigned_abs() > u64::from(crate::Quantity::MAX) {
            Err(DeltaError::OutOfRange)
        } else {
            Ok(Self(raw))
        }
    }

    /// Parses a delta typed into a form, such as `-2` or `+3`.
    pub fn parse(raw: &str) -> Result<Self, DeltaError> {
        let raw = raw.trim();
        let raw = raw.strip_prefix('+').unwrap_or(raw);
        Self::new(raw.parse().map_err(|_| DeltaError::NotANumber)?)
    }

    /// The signed amount.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// The delta that undoes this one.
    #[must_use]
    pub const fn reversed(self) -> Self {
        Self(-self.0)
    }
}

/// The editable fields of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDetails {
    /// What happened.
    pub kind: EventKind,
    /// A short title.
    pub title: EventTitle,
    /// What happened, at length.
    pub description: Description,
    /// When it happened, in UTC.
    pub occurred_at: UtcDateTime,
    /// Where it happened.
    pub location: Location,
    /// Staff notes.
    pub notes: Notes,
}

/// One asset change recorded by an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetChange {
    /// The change's id.
    pub id: AssetChangeId,
    /// The event that records it.
    pub event_id: EventId,
    /// The pool entry it moves.
    pub pool_entry_id: PoolEntryId,
    /// By how much.
    pub delta: Delta,
    /// Why.
    pub note: ShortText,
}

/// An event of a mission with its asset changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The event's id.
    pub id: EventId,
    /// The mission it belongs to.
    pub mission_id: MissionId,
    /// Its editable fields.
    pub details: EventDetails,
    /// The asset changes it records.
    pub changes: Vec<AssetChange>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delta_is_signed_and_never_zero() {
        assert_eq!(Delta::parse("-2").unwrap().get(), -2);
        assert_eq!(Delta::parse("+3").unwrap().get(), 3);
        assert_eq!(Delta::parse("0"), Err(DeltaError::Zero));
        assert_eq!(Delta::parse("two"), Err(DeltaError::NotANumber));
        assert_eq!(Delta::new(1_000_001), Err(DeltaError::OutOfRange));
        assert_eq!(Delta::new(-5).unwrap().reversed().get(), 5);
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Ok(k));
        }
    }
}
