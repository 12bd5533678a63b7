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
            entry_id: Some(PoolEntryId::new(4)),
            library: "NATO".into(),
            asset_name: "M2A1 Slammer".into(),
            kind: AssetKind::Vehicle,
            category: "Main battle tank".into(),
            initial: 2,
            current: 1,
            gained: 0,
            lost: 1,
            public: true,
            unique: false,
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
                changes: vec![ReportChange {
                    entry_id: Some(PoolEntryId::new(4)),
                    asset_name: "M2A1 Slammer".into(),
                    delta: -1,
                    note: String::new(),
                }],
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

#[test]
fn a_report_archived_before_entries_had_ids_still_reads_without_them() {
    let old = r#"{"campaign_id":1,"campaign_name":"Op","description":"","status":"Closed","start":"2026-01-01",
        "end":null,"generated_at":1767225600,"entries":[{"asset_name":"Tank","kind":"Vehicle","category":"",
        "initial":2,"current":1,"gained":0,"lost":1,"public":true}],"missions":[{"name":"M","status":"Completed",
        "date":null,"events":[{"title":"E","kind":"Combat","occurred_at":1767225600,"location":"",
        "changes":[{"asset_name":"Tank","delta":-1,"note":""}]}]}]}"#;
    let report = decode(old).expect("an archive without ids");
    assert_eq!(report.entries[0].entry_id, None);
    assert_eq!(report.entries[0].library, "", "archived before libraries were recorded");
    assert_eq!(report.missions[0].events[0].changes[0].entry_id, None);
    assert!(!encode(&report).contains("entry_id"), "no id is made up for it");
}
