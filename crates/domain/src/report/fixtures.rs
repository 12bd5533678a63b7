//! A report to test with: campaign "Harvest" from 2026-01-01, made on 2026-01-10 at noon.

use super::{CampaignReport, ReportEntry, ReportMission};
use crate::campaign::CampaignStatus;
use crate::ids::CampaignId;
use time::macros::{date, utc_datetime};

/// The report of an active campaign with `entries` and `missions`.
pub(super) fn report(entries: Vec<ReportEntry>, missions: Vec<ReportMission>) -> CampaignReport {
    CampaignReport {
        campaign_id: CampaignId::new(1),
        campaign_name: "Harvest".into(),
        description: String::new(),
        status: CampaignStatus::Active,
        start: date!(2026 - 01 - 01),
        end: None,
        generated_at: utc_datetime!(2026-01-10 12:00),
        entries,
        missions,
    }
}
