//! The planning step on the damaged fixture (each kind of damage and what is done
//! about it), a property of the ledger replay, and the use case on the memory store.

use super::fixture::{self, damaged};
use super::*;
use crate::memory::{ManualClock, MemoryStore, PlainHasher};
use crate::ports::{CampaignRepo, LibraryRepo, PageRepo, PoolRepo, UserRepo};
use crate::testing::tracker;
use crate::{Conflict, UseCaseError};
use domain::{AssetKind, CampaignStatus, EventKind, MissionStatus, Role};
use proptest::prelude::*;
use time::macros::utc_datetime;

const AT: time::UtcDateTime = utc_datetime!(2026-01-01 12:00);

fn planned() -> (ImportPlan, LegacyReport) {
    plan_import(&damaged(), AT)
}

fn findings(report: &LegacyReport, kind: FindingKind) -> Vec<&Finding> {
    report.of(kind).collect()
}

fn campaign<'a>(plan: &'a ImportPlan, name: &str) -> &'a PlannedCampaign {
    plan.campaigns.iter().find(|c| c.details.name.as_str() == name).expect(name)
}

/// (asset name, initial, current) of a campaign's pool.
fn pool(plan: &ImportPlan, c: &PlannedCampaign) -> Vec<(String, u32, u32)> {
    c.pool
        .iter()
        .map(|e| {
            let name = plan.libraries[e.asset.library].assets[e.asset.asset].name().to_string();
            (name, e.initial.get(), e.current.get())
        })
        .collect()
}

#[test]
fn only_admins_and_managers_with_valid_distinct_names_become_accounts() {
    let (plan, report) = planned();
    let users: Vec<(&str, Role, &str)> =
        plan.users.iter().map(|u| (u.username.as_str(), u.role, u.password_hash.as_str())).collect();
    assert_eq!(users, [("alice", Role::Admin, fixture::SCRYPT_HASH), ("bob", Role::Manager, fixture::PBKDF2_HASH)]);
    let skipped: Vec<&str> = findings(&report, FindingKind::UserSkipped).iter().map(|f| f.subject.as_str()).collect();
    assert_eq!(skipped, [r#"user 3 "carol""#, r#"user 4 "x y""#, r#"user 5 "ALICE""#]);
}

#[test]
fn a_duplicate_asset_name_is_renamed_and_an_unknown_type_becomes_other() {
    let (plan, report) = planned();
    let vehicles: Vec<(&str, AssetKind)> =
        plan.libraries[0].assets.iter().map(|a| (a.name().as_str(), a.kind())).collect();
    assert_eq!(
        vehicles,
        [("Hunter", AssetKind::Vehicle), ("Hunter (2)", AssetKind::Vehicle), ("Ghost Hawk", AssetKind::Other)]
    );
    assert_eq!(plan.libraries[1].assets[1].kind(), AssetKind::Supply, "Supplies is our Supply");
    assert_eq!(findings(&report, FindingKind::Renamed).len(), 1);
    let unknown = findings(&report, FindingKind::UnknownKind);
    assert_eq!(unknown.len(), 1);
    assert!(unknown[0].found.contains("Helicopter"), "{unknown:?}");
}

#[test]
fn of_several_active_campaigns_the_newest_stays_active_and_an_active_closed_one_is_closed() {
    let (plan, report) = planned();
    assert_eq!(campaign(&plan, "Op Alpha").status, CampaignStatus::Closed);
    assert_eq!(campaign(&plan, "Op Bravo").status, CampaignStatus::Planned);
    assert_eq!(campaign(&plan, "Op Charlie").status, CampaignStatus::Active);
    assert_eq!(campaign(&plan, "Op Alpha").closed_at, Some(AT));
    let several: Vec<&str> = findings(&report, FindingKind::SeveralActive).iter().map(|f| f.subject.as_str()).collect();
    assert_eq!(several, [r#"campaign 2 "Op Bravo""#, r#"campaign 3 "Op Charlie""#]);
    assert_eq!(findings(&report, FindingKind::ActiveAndClosed).len(), 1);
}

#[test]
fn quantities_follow_the_ledger_in_event_order_and_a_differing_stored_one_is_reported() {
    let (plan, report) = planned();
    let charlie = campaign(&plan, "Op Charlie");
    // Hunter: 4 - 1; MX Rifle: 10 - 3 (event 301 first) - 7 (clamped from 12);
    // Medkit: added at 0, + 2.
    assert_eq!(
        pool(&plan, charlie),
        [("Hunter".to_owned(), 4, 3), ("MX Rifle".to_owned(), 10, 0), ("Medkit".to_owned(), 0, 2)]
    );
    let mismatch = findings(&report, FindingKind::QuantityMismatch);
    assert_eq!(mismatch.len(), 1, "MX Rifle's stored 0 agrees with the ledger: {mismatch:?}");
    assert!(mismatch[0].found.contains("current_quantity 9") && mismatch[0].done == "stored 3", "{mismatch:?}");
}

#[test]
fn a_change_below_zero_is_clamped_to_what_is_held_and_reported() {
    let (plan, report) = planned();
    let charlie = campaign(&plan, "Op Charlie");
    let ambush = &charlie.missions[0].events[1];
    assert_eq!(ambush.details.title.as_str(), "Ambush", "events in time order");
    let deltas: Vec<i64> = ambush.changes.iter().map(|c| c.delta.get()).collect();
    assert_eq!(deltas, [-7, -1]);
    let clamped = findings(&report, FindingKind::ChangeClamped);
    assert!(clamped.iter().any(|f| f.subject.contains("change 400") && f.done == "stored as -7"), "{clamped:?}");
}

#[test]
fn a_unique_assets_second_copy_is_dropped_when_nothing_of_it_fits() {
    let (plan, report) = planned();
    let alpha = campaign(&plan, "Op Alpha");
    assert!(alpha.missions[0].events[0].changes.is_empty());
    assert_eq!(pool(&plan, alpha), [("Ghost Hawk".to_owned(), 1, 1)]);
    let clamped = findings(&report, FindingKind::ChangeClamped);
    assert!(clamped.iter().any(|f| f.subject.contains("change 410") && f.done.starts_with("not imported")));
}

#[test]
fn a_change_outside_the_pool_adds_the_asset_at_zero_and_is_reported() {
    let (_, report) = planned();
    let outside = findings(&report, FindingKind::ChangeOutsidePool);
    assert_eq!(outside.len(), 1);
    assert!(outside[0].subject.contains("change 402") && outside[0].found.contains("asset 21"), "{outside:?}");
}

#[test]
fn statuses_kinds_and_library_times_are_carried_over() {
    let (plan, report) = planned();
    let charlie = campaign(&plan, "Op Charlie");
    assert_eq!(charlie.missions[0].status, MissionStatus::InProgress);
    assert_eq!(charlie.missions[0].events[0].details.kind, EventKind::Logistics);
    assert_eq!(
        charlie.library_times,
        [LibraryTimes {
            library: 0,
            imported_at: utc_datetime!(2024-03-01 08:00),
            synced_at: Some(utc_datetime!(2024-03-05 12:00)),
        }]
    );
    assert_eq!(findings(&report, FindingKind::LogNotImported).len(), 1);
}

#[test]
fn bad_values_are_adapted_and_reported_never_fatal() {
    let mut old = damaged();
    old.campaigns[1].name = "  ".to_owned();
    old.campaigns[1].map_edit_url = Some("javascript:alert(1)".to_owned());
    old.campaigns[1].start_date = None;
    old.campaigns[2].end_date = Some(time::macros::date!(2023 - 01 - 01));
    old.libraries[0].name = "x".repeat(250);
    old.missions[0].status = Some("postponed".to_owned());
    old.campaigns[0].end_date = None;
    old.campaign_assets[0].initial_quantity = Some(-5);
    let (plan, report) = plan_import(&old, AT);
    assert_eq!(plan.campaigns[1].details.name.as_str(), "Campaign 2");
    assert_eq!(plan.campaigns[1].details.map_edit_url, None);
    assert_eq!(plan.campaigns[2].details.dates.end(), None);
    assert_eq!(plan.libraries[0].name.as_str().chars().count(), 200);
    assert_eq!(campaign(&plan, "Op Charlie").missions[0].status, MissionStatus::Planned);
    assert_eq!(campaign(&plan, "Op Charlie").pool[0].initial.get(), 0);
    assert_eq!(plan.campaigns[0].details.dates.end(), Some(AT.date()), "closed on the import's day");
    assert_eq!(findings(&report, FindingKind::ValueAdapted).len(), 8, "{:#?}", report.findings);
}

#[test]
fn rows_whose_parent_is_missing_are_skipped_and_reported() {
    let mut old = damaged();
    old.missions[0].campaign_id = 99;
    let (plan, report) = plan_import(&old, AT);
    assert!(campaign(&plan, "Op Charlie").missions.is_empty());
    let skipped: Vec<&str> = findings(&report, FindingKind::RowSkipped).iter().map(|f| f.subject.as_str()).collect();
    let changes = ["change 400", "change 401", "change 402", "change 403"];
    assert_eq!(skipped, [&changes[..], &["event 300", "event 301", "mission 200"]].concat());
}

#[test]
fn the_report_prints_groups_with_counts_and_one_line_per_finding() {
    let (_, report) = planned();
    let lines = report.lines();
    assert_eq!(lines[0], format!("{} findings", report.findings.len()));
    assert!(lines.contains(&"Account not imported (3):".to_owned()), "{lines:#?}");
    assert_eq!(lines.iter().filter(|l| l.starts_with("  - ")).count(), report.findings.len());
    assert!(!lines.iter().any(|l| l.contains("scrypt:") || l.contains("pbkdf2:")), "no hash is printed");
}

proptest! {
    /// Whatever the old changes, every planned entry keeps the ledger rule and its
    /// current quantity is its initial one plus its planned deltas.
    #[test]
    fn planned_pools_always_keep_the_ledger_rule(
        initial in 0_i64..20,
        unique in any::<bool>(),
        deltas in proptest::collection::vec(-15_i64..15, 0..30),
    ) {
        let mut old = damaged();
        old.assets[0].is_unique = Some(unique);
        old.campaign_assets[0].initial_quantity = Some(initial);
        old.changes = deltas.iter().enumerate().map(|(i, d)| LegacyChange {
            id: 1000 + i64::try_from(i).unwrap(),
            event_id: if i % 2 == 0 { 300 } else { 301 },
            asset_id: 10,
            quantity_change: Some(*d),
            notes: None,
        }).collect();
        let (plan, _) = plan_import(&old, AT);
        for c in &plan.campaigns {
            for (i, entry) in c.pool.iter().enumerate() {
                let moved: i64 = c.missions.iter().flat_map(|m| &m.events).flat_map(|e| &e.changes)
                    .filter(|ch| ch.entry == i).map(|ch| ch.delta.get()).sum();
                prop_assert_eq!(i64::from(entry.current.get()), i64::from(entry.initial.get()) + moved);
                let spec = &plan.libraries[entry.asset.library].assets[entry.asset.asset];
                prop_assert!(!spec.is_unique() || entry.current.get() <= 1);
            }
        }
    }
}

#[tokio::test]
async fn an_import_writes_everything_and_dates_library_imports_as_the_old_tracker_did() {
    let t = tracker();
    let outcome = t.import_legacy(&damaged(), false).await.unwrap();
    assert!(outcome.written);
    assert_eq!(outcome.counts.users, 2);
    let s = t.store();
    assert_eq!(s.users().await.unwrap().len(), 2);
    let campaigns = s.campaigns().await.unwrap();
    assert_eq!(campaigns.len(), 3);
    let alpha = campaigns.iter().find(|c| c.name().as_str() == "Op Alpha").unwrap();
    let report = s.final_report(alpha.id()).await.unwrap().expect("a closed campaign has its archived report");
    assert_eq!(report.entries.len(), 1);
    let charlie = campaigns.iter().find(|c| c.name().as_str() == "Op Charlie").unwrap();
    let quantities: Vec<u32> = s.pool(charlie.id()).await.unwrap().iter().map(|e| e.current().get()).collect();
    assert_eq!(quantities, [3, 0, 2]);
    let vehicles = s.libraries().await.unwrap().into_iter().find(|l| l.library.name.as_str() == "Vehicles").unwrap();
    let page = s.library_page(vehicles.library.id).await.unwrap().unwrap();
    let times: Vec<_> = page.campaigns.iter().map(|c| (c.campaign.id(), c.imported_at, c.synced_at)).collect();
    assert!(
        times.contains(&(charlie.id(), utc_datetime!(2024-03-01 08:00), Some(utc_datetime!(2024-03-05 12:00)))),
        "{times:?}"
    );
    let last = s.audit_entries().last().cloned().unwrap();
    assert_eq!(last.entry.action, domain::AuditAction::LegacyImported);
}

#[tokio::test]
async fn a_dry_run_reports_the_same_and_writes_nothing() {
    let t = tracker();
    let dry = t.import_legacy(&damaged(), true).await.unwrap();
    assert!(!dry.written);
    assert!(t.store().users().await.unwrap().is_empty());
    assert!(t.store().audit_entries().is_empty());
    let real = t.import_legacy(&damaged(), false).await.unwrap();
    assert_eq!((dry.report, dry.counts), (real.report, real.counts));
}

#[tokio::test]
async fn a_store_that_holds_data_is_refused_and_left_unchanged() {
    let t = crate::tracker::Tracker::new(MemoryStore::new(), PlainHasher::new(), ManualClock::new(AT));
    t.import_legacy(&damaged(), false).await.unwrap();
    let before = t.store().audit_entries().len();
    for dry_run in [true, false] {
        let refused = t.import_legacy(&damaged(), dry_run).await;
        assert!(matches!(refused, Err(UseCaseError::Conflict(Conflict::StoreNotEmpty))), "{refused:?}");
    }
    assert_eq!(t.store().audit_entries().len(), before);
    assert_eq!(t.store().users().await.unwrap().len(), 2);
}
