//! Campaigns: their dates, map links and the status life cycle
//! `Planned -> Active -> Closed` (an active campaign steps back to `Planned` when
//! another is activated).
//!
//! Invariant: the end date is never before the start date, and a closed campaign never
//! changes again: every mutator refuses it.

use crate::UnknownVariant;
use crate::ids::CampaignId;
use crate::text::{Description, text_type};
use crate::url::MapUrl;
use time::{Date, UtcDateTime};

text_type!(
    /// A campaign's name: 1 to 200 characters.
    CampaignName, required: true, max: 200, multiline: false
);

/// Where a campaign is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CampaignStatus {
    /// Being prepared, or set aside.
    Planned,
    /// Being played; at most one campaign is active at a time.
    Active,
    /// Finished and read-only forever.
    Closed,
}

impl CampaignStatus {
    /// The stored and displayed name.
    pub const fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Planned => "Planned",
            CampaignStatus::Active => "Active",
            CampaignStatus::Closed => "Closed",
        }
    }

    /// Parses a status name in any case.
    pub fn parse(raw: &str) -> Result<Self, UnknownVariant> {
        [CampaignStatus::Planned, CampaignStatus::Active, CampaignStatus::Closed]
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(raw.trim()))
            .ok_or(UnknownVariant { expected: "Planned, Active, Closed" })
    }
}

/// Why dates do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CampaignDatesError {
    /// The end date is before the start date.
    #[error("the end date must not be before the start date")]
    EndBeforeStart,
}

/// A campaign's start date and, once known, its end date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CampaignDates {
    start: Date,
    end: Option<Date>,
}

impl CampaignDates {
    /// Checks that `end` is not before `start`.
    pub fn new(start: Date, end: Option<Date>) -> Result<Self, CampaignDatesError> {
        match end {
            Some(end) if end < start => Err(CampaignDatesError::EndBeforeStart),
            _ => Ok(Self { start, end }),
        }
    }
    /// The first day.
    pub fn start(&self) -> Date {
        self.start
    }
    /// The last day, if set.
    pub fn end(&self) -> Option<Date> {
        self.end
    }
}

/// The editable fields of a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignDetails {
    /// The campaign's name.
    pub name: CampaignName,
    /// What the campaign is about.
    pub description: Description,
    /// Start and end.
    pub dates: CampaignDates,
    /// The map link for staff (editing).
    pub map_edit_url: Option<MapUrl>,
    /// The map link for the public (viewing).
    pub map_view_url: Option<MapUrl>,
}

/// Refused because the campaign is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the campaign is closed and can no longer be changed")]
pub struct CampaignClosed;

/// A multi-mission campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    id: CampaignId,
    details: CampaignDetails,
    status: CampaignStatus,
    created_at: UtcDateTime,
    closed_at: Option<UtcDateTime>,
}

impl Campaign {
    /// Rebuilds a campaign from its parts.
    pub fn new(
        id: CampaignId,
        details: CampaignDetails,
        status: CampaignStatus,
        created_at: UtcDateTime,
        closed_at: Option<UtcDateTime>,
    ) -> Self {
        Self { id, details, status, created_at, closed_at }
    }

    /// The campaign's id.
    pub fn id(&self) -> CampaignId {
        self.id
    }
    /// Its editable fields.
    pub fn details(&self) -> &CampaignDetails {
        &self.details
    }
    /// The name.
    pub fn name(&self) -> &CampaignName {
        &self.details.name
    }
    /// Its status.
    pub fn status(&self) -> CampaignStatus {
        self.status
    }
    /// Whether the campaign is closed and so read-only.
    pub fn is_closed(&self) -> bool {
        self.status == CampaignStatus::Closed
    }
    /// Whether the campaign is the active one.
    pub fn is_active(&self) -> bool {
        self.status == CampaignStatus::Active
    }
    /// When it was created.
    pub fn created_at(&self) -> UtcDateTime {
        self.created_at
    }
    /// When it was closed.
    pub fn closed_at(&self) -> Option<UtcDateTime> {
        self.closed_at
    }

    /// Succeeds while the campaign may still change.
    pub fn ensure_open(&self) -> Result<(), CampaignClosed> {
        if self.is_closed() { Err(CampaignClosed) } else { Ok(()) }
    }

    /// Replaces the editable fields.
    pub fn edit(&mut self, details: CampaignDetails) -> Result<(), CampaignClosed> {
        self.ensure_open()?;
        self.details = details;
        Ok(())
    }

    /// Makes the campaign the active one.
    pub fn activate(&mut self) -> Result<(), CampaignClosed> {
        self.ensure_open()?;
        self.status = CampaignStatus::Active;
        Ok(())
    }

    /// Steps an active campaign back to planned (another one is being activated).
    pub fn deactivate(&mut self) -> Result<(), CampaignClosed> {
        self.ensure_open()?;
        self.status = CampaignStatus::Planned;
        Ok(())
    }

    /// Closes the campaign at `now`: the end date becomes that day (or the start date,
    /// for a campaign closed before it began) and it is read-only from then on.
    pub fn close(&mut self, now: UtcDateTime) -> Result<(), CampaignClosed> {
        self.ensure_open()?;
        let end = now.date().max(self.details.dates.start);
        self.details.dates = CampaignDates { start: self.details.dates.start, end: Some(end) };
        self.status = CampaignStatus::Closed;
        self.closed_at = Some(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, utc_datetime};

    fn campaign() -> Campaign {
        let details = CampaignDetails {
            name: CampaignName::parse("Operation Harvest").unwrap(),
            description: Description::empty(),
            dates: CampaignDates::new(date!(2026 - 01 - 10), None).unwrap(),
            map_edit_url: None,
            map_view_url: None,
        };
        Campaign::new(CampaignId::new(1), details, CampaignStatus::Planned, utc_datetime!(2026-01-01 0:00), None)
    }

    #[test]
    fn the_end_date_may_not_precede_the_start() {
        assert!(CampaignDates::new(date!(2026 - 01 - 10), Some(date!(2026 - 01 - 10))).is_ok());
        assert_eq!(
            CampaignDates::new(date!(2026 - 01 - 10), Some(date!(2026 - 01 - 09))),
            Err(CampaignDatesError::EndBeforeStart)
        );
    }

    #[test]
    fn closing_sets_the_end_date_and_freezes_the_campaign() {
        let mut c = campaign();
        c.activate().unwrap();
        c.close(utc_datetime!(2026-03-05 18:00)).unwrap();
        assert!(c.is_closed());
        assert_eq!(c.details().dates.end(), Some(date!(2026 - 03 - 05)));
        assert_eq!(c.activate(), Err(CampaignClosed));
        assert_eq!(c.deactivate(), Err(CampaignClosed));
        assert_eq!(c.close(utc_datetime!(2026-03-06 0:00)), Err(CampaignClosed));
        let details = c.details().clone();
        assert_eq!(c.edit(details), Err(CampaignClosed));
    }

    #[test]
    fn closing_before_the_start_ends_on_the_start_date() {
        let mut c = campaign();
        c.close(utc_datetime!(2025-12-01 0:00)).unwrap();
        assert_eq!(c.details().dates.end(), Some(date!(2026 - 01 - 10)));
    }

    #[test]
    fn statuses_round_trip_through_their_names() {
        for s in [CampaignStatus::Planned, CampaignStatus::Active, CampaignStatus::Closed] {
            assert_eq!(CampaignStatus::parse(s.as_str()), Ok(s));
        }
    }
}
