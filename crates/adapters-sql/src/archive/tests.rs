//! Tests of the archive module.

use super::*;
use time::macros::{date, utc_datetime};

#[test]
fn a_report_survives_the_round_trip_through_json() {
    let report = CampaignReport {
        campaign_id: CampaignId::new(3),
        campaign_name: "Operation Harvest".into(),
        description: "Altis, \"quoted\"".into(),
        status: CampaignStatus::Closed,
        start: date!(2026 - 01 - 10),
        end: Some(date!(2026 - 02 - 01)),
        generated_at: utc_datetime!(2026-02-01 18:00),
        entries: vec![ReportEntry {
            asset_name: "M2A1 Slammer".into(),
            kind: AssetKind::Vehicle,
            category: "Main battle tank".into(),
            initial: 2,
            current: 1,
            gained: 0,
            lost: 1,
            public: true,
        }],
        missions: vec![ReportMission {
            name: "Kavala".into(),
            status: MissionStatus::Completed,
            date: None,
            events: vec![ReportEvent {
                title: "Ambush".into(),
                kind: EventKind::Combat,
                occurred_at: utc_datetime!(2026-01-12 20:30),
                location: "Kavala".into(),
                changes: vec![ReportChange { asset_name: "M2A1 Slammer".into(), delta: -1, note: String::new() }],
            }],
        }],
    };
    assert_eq!(decode(&encode(&report)).unwrap(), report);
}

#[test]
fn a_corrupted_archive_is_an_error_not_a_panic() {
    assert!(matches!(decode("{"), Err(ArchiveError::Json(_))));
    let bad = encode(&CampaignReport {
        campaign_id: CampaignId::new(1),
        campaign_name: String::new(),
        description: String::new(),
        status: CampaignStatus::Closed,
        start: date!(2026 - 01 - 01),
        end: None,
        generated_at: utc_datetime!(2026-01-01 0:00),
        entries: vec![],
        missions: vec![],
    })
    .replace("Closed", "Exploded");
    assert!(matches!(decode(&bad), Err(ArchiveError::Value("campaign status"))));
}
