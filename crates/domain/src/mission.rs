//! Missions: the sessions of a campaign, ordered and with a status.

use crate::UnknownVariant;
use crate::ids::{CampaignId, MissionId};
use crate::text::{Description, Location, text_type};
use crate::url::MapUrl;
use time::Date;

text_type!(
    /// A mission's name: 1 to 200 characters.
    MissionName, required: true, max: 200, multiline: false
);

/// Where a mission is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MissionStatus {
    /// Not played yet.
    Planned,
    /// Being played.
    InProgress,
    /// Played.
    Completed,
    /// Will not be played.
    Cancelled,
}

impl MissionStatus {
    /// Every status, in display order.
    pub const ALL: [MissionStatus; 4] =
        [MissionStatus::Planned, MissionStatus::InProgress, MissionStatus::Completed, MissionStatus::Cancelled];

    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            MissionStatus::Planned => "Planned",
            MissionStatus::InProgress => "InProgress",
            MissionStatus::Completed => "Completed",
            MissionStatus::Cancelled => "Cancelled",
        }
    }

    /// Parses a status name in any case.
    pub fn parse(raw: &str) -> Result<Self, UnknownVariant> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(raw.trim()))
            .ok_or(UnknownVariant { expected: "Planned, InProgress, Completed, Cancelled" })
    }
}

/// The editable fields of a mission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionDetails {
    /// The mission's name.
    pub name: MissionName,
    /// The briefing.
    pub description: Description,
    /// The day it is played.
    pub date: Option<Date>,
    /// Where it takes place.
    pub location: Location,
    /// The map link for staff.
    pub map_edit_url: Option<MapUrl>,
    /// The map link for the public.
    pub map_view_url: Option<MapUrl>,
}

/// A mission of a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mission {
    /// The mission's id.
    pub id: MissionId,
    /// The campaign it belongs to.
    pub campaign_id: CampaignId,
    /// Its editable fields.
    pub details: MissionDetails,
    /// Its status.
    pub status: MissionStatus,
    /// Its place in the campaign's order (lower first).
    pub order_index: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_names() {
        for s in MissionStatus::ALL {
            assert_eq!(MissionStatus::parse(&s.as_str().to_lowercase()), Ok(s));
        }
        assert!(MissionStatus::parse("Done").is_err());
    }
}
