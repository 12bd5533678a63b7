//! A damaged old database, as read, for tests here and in the adapters: each kind of
//! damage the import must report appears at least once (the numbers below are the old
//! ids). The SQL fixtures of the adapters' tests hold the same rows.

use super::plan::ImportedIds;
use super::snapshot::{
    LegacyAsset, LegacyCampaign, LegacyCampaignAsset, LegacyChange, LegacyEvent, LegacyLibrary, LegacyLibraryImport,
    LegacyLog, LegacyMission, LegacySnapshot, LegacyUser,
};
use crate::error::RepoResult;
use crate::ports::{AuditFilter, PageRequest, Store};
use domain::{AuditAction, CampaignStatus, Role};
use time::macros::{date, utc_datetime};

/// Werkzeug 3.1.8's `scrypt:1024:8:1` hash of `"legacy scrypt password"`.
pub const SCRYPT_HASH: &str = "scrypt:1024:8:1$6yJTjAmq6AdZfovw$9c6e08885c4f0f2fb53ad7e6158a4c4a963564eaed86ae2b7ffe44f96a707a5d5502dcebe33dcc47b394a78542fb12d822e79ca0ac5cf772512cc5c614b0fb44";
/// Werkzeug 3.1.8's `pbkdf2:sha256:1000` hash of `"legacy pbkdf2 password"`.
pub const PBKDF2_HASH: &str =
    "pbkdf2:sha256:1000$8K2LlOIHH9l0YRTC$b7f89dab9a7074e8ef51e0fddcadfff368df6344470a1fa61c5b71505b06d8fe";

/// The damaged database:
/// - users: 1 `alice` admin (scrypt), 2 `bob` manager (pbkdf2), 3 `carol` plain, 4
///   `x y` (invalid name), 5 `ALICE` (same name as 1 in another case);
/// - libraries 1 `Vehicles` (assets 10 `Hunter`, 11 `Hunter` again, 12 `Ghost Hawk` of
///   type `Helicopter`, unique) and 2 `Weapons` (20 `MX Rifle`, 21 `Medkit` of type
///   `Supplies`);
/// - campaigns: 1 `Op Alpha` active and closed, 2 `Op Bravo` active (older), 3 `Op
///   Charlie` active (newer);
/// - campaign 3's pool: asset 10 (initial 4, stored current 9: a mismatch) and 20
///   (initial 10, stored 0); its events 301 (2024-03-01, earlier) and 300
///   (2024-03-02, lower id): 301 takes 3 of asset 20 and gains 2 of asset 21, which
///   is not in the pool; 300 takes 12 of asset 20 (only 7 left: clamped) and 1 of
///   asset 10 (so 3, not the stored 9);
/// - campaign 1's pool: the unique asset 12 (initial 1); its event 310 gains one more
///   (nothing fits: dropped);
/// - library 1 imported into campaign 3 on 2024-03-01 08:00, synced 2024-03-05 12:00;
/// - two `log` rows.
pub fn damaged() -> LegacySnapshot {
    let user = |id, name: &str, hash: &str, manager, admin| LegacyUser {
        id,
        username: name.to_owned(),
        password_hash: hash.to_owned(),
        is_manager: Some(manager),
        is_admin: Some(admin),
    };
    let asset = |id, library_id, name: &str, kind: &str, default: i64, unique| LegacyAsset {
        id,
        library_id,
        name: name.to_owned(),
        kind: kind.to_owned(),
        category: Some("Cat".to_owned()),
        description: None,
        default_quantity: Some(default),
        is_unique: Some(unique),
        show_in_public: Some(true),
    };
    let campaign = |id, name: &str, active, closed: bool, created| LegacyCampaign {
        id,
        name: name.to_owned(),
        description: Some(format!("{name} description")),
        start_date: Some(date!(2024 - 01 - 01)),
        end_date: closed.then_some(date!(2024 - 01 - 31)),
        is_active: Some(active),
        is_closed: Some(closed),
        map_edit_url: None,
        map_view_url: Some("https://maps.example/view".to_owned()),
        created_at: Some(created),
    };
    let pool = |id, campaign_id, asset_id, initial, current| LegacyCampaignAsset {
        id,
        campaign_id,
        asset_id,
        initial_quantity: Some(initial),
        current_quantity: Some(current),
    };
    let event = |id, mission_id, kind: &str, title: &str, at| LegacyEvent {
        id,
        mission_id,
        event_type: Some(kind.to_owned()),
        title: title.to_owned(),
        description: None,
        event_date: Some(at),
        location: Some("Altis".to_owned()),
        notes: None,
    };
    let change = |id, event_id, asset_id, delta| LegacyChange {
        id,
        event_id,
        asset_id,
        quantity_change: Some(delta),
        notes: Some(format!("change {id}")),
    };
    let mission = |id, campaign_id, name: &str, status: &str| LegacyMission {
        id,
        campaign_id,
        name: name.to_owned(),
        description: None,
        mission_date: Some(date!(2024 - 03 - 01)),
        location: None,
        status: Some(status.to_owned()),
        order_index: Some(0),
        map_edit_url: None,
        map_view_url: None,
    };
    LegacySnapshot {
        users: vec![
            user(1, "alice", SCRYPT_HASH, false, true),
            user(2, "bob", PBKDF2_HASH, true, false),
            user(3, "carol", PBKDF2_HASH, false, false),
            user(4, "x y", PBKDF2_HASH, true, false),
            user(5, "ALICE", PBKDF2_HASH, false, true),
        ],
        libraries: vec![
            LegacyLibrary { id: 1, name: "Vehicles".to_owned(), description: None, category: None, is_default: None },
            LegacyLibrary {
                id: 2,
                name: "Weapons".to_owned(),
                description: Some("Small arms".to_owned()),
                category: Some("Infantry".to_owned()),
                is_default: Some(true),
            },
        ],
        assets: vec![
            asset(10, 1, "Hunter", "Vehicle", 4, false),
            asset(11, 1, "Hunter", "Vehicle", 2, false),
            asset(12, 1, "Ghost Hawk", "Helicopter", 1, true),
            asset(20, 2, "MX Rifle", "Weapon", 10, false),
            asset(21, 2, "Medkit", "Supplies", 5, false),
        ],
        campaigns: vec![
            campaign(1, "Op Alpha", true, true, utc_datetime!(2024-01-01 10:00)),
            campaign(2, "Op Bravo", true, false, utc_datetime!(2024-02-01 10:00)),
            campaign(3, "Op Charlie", true, false, utc_datetime!(2024-03-01 07:00)),
        ],
        library_imports: vec![LegacyLibraryImport {
            id: 1,
            campaign_id: 3,
            library_id: 1,
            imported_at: Some(utc_datetime!(2024-03-01 08:00)),
            last_synced_at: Some(utc_datetime!(2024-03-05 12:00)),
        }],
        campaign_assets: vec![pool(100, 3, 10, 4, 9), pool(101, 3, 20, 10, 0), pool(110, 1, 12, 1, 1)],
        missions: vec![mission(200, 3, "Harvest", "in_progress"), mission(210, 1, "Opening", "completed")],
        events: vec![
            event(300, 200, "combat", "Ambush", utc_datetime!(2024-03-02 10:00)),
            event(301, 200, "logistics", "Resupply", utc_datetime!(2024-03-01 09:00)),
            event(310, 210, "training", "Drill", utc_datetime!(2024-01-02 09:00)),
        ],
        changes: vec![
            change(400, 300, 20, -12),
            change(401, 301, 20, -3),
            change(402, 301, 21, 2),
            change(403, 300, 10, -1),
            change(410, 310, 12, 1),
        ],
        logs: vec![
            LegacyLog { id: 1, action: Some("Created campaign".to_owned()) },
            LegacyLog { id: 2, action: Some("Recorded event".to_owned()) },
        ],
    }
}

/// Checks what an import of [`damaged`] left in `store` (whose ids are `ids`): the
/// accounts with their old hashes, the renamed asset, the statuses, the derived
/// quantities, the archived report of the closed campaign, the library page's times
/// and the import's own audit entry. Panics with a message on any difference.
pub async fn assert_imported<S: Store>(store: &S, ids: &ImportedIds) {
    fn ok<T>(result: RepoResult<T>, step: &str) -> T {
        result.unwrap_or_else(|e| panic!("{step} failed: {e:?}"))
    }
    let users = ok(store.users().await, "users");
    let users: Vec<(&str, Role, &str)> =
        users.iter().map(|u| (u.username().as_str(), u.role(), u.password_hash().as_str())).collect();
    assert_eq!(users, [("alice", Role::Admin, SCRYPT_HASH), ("bob", Role::Manager, PBKDF2_HASH)]);
    assert_eq!(ok(store.libraries().await, "libraries").len(), 2);
    let hunters = ok(store.assets(ids.libraries[0]).await, "assets");
    let mut names: Vec<&str> = hunters.iter().map(|a| a.spec.name().as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Ghost Hawk", "Hunter", "Hunter (2)"]);
    let statuses: Vec<CampaignStatus> = {
        let mut found = Vec::new();
        for id in &ids.campaigns {
            found.push(ok(store.campaign(*id).await, "campaign").expect("imported campaign").status());
        }
        found
    };
    assert_eq!(statuses, [CampaignStatus::Closed, CampaignStatus::Planned, CampaignStatus::Active]);
    let charlie = ids.campaigns[2];
    let mut pool: Vec<(String, u32, u32)> = ok(store.pool(charlie).await, "pool")
        .iter()
        .map(|e| (e.asset_name().to_string(), e.initial().get(), e.current().get()))
        .collect();
    pool.sort();
    assert_eq!(pool, [("Hunter".into(), 4, 3), ("MX Rifle".into(), 10, 0), ("Medkit".into(), 0, 2)]);
    let missions = ok(store.missions(charlie).await, "missions");
    assert_eq!(missions.len(), 1);
    let report = ok(store.final_report(ids.campaigns[0]).await, "final_report").expect("a closed campaign's archive");
    assert_eq!(report.entries.len(), 1);
    assert_eq!(report.missions.len(), 1);
    assert_eq!(ok(store.final_report(charlie).await, "final_report"), None, "an open campaign has no archive");
    let page = ok(store.library_page(ids.libraries[0]).await, "library_page").expect("library page");
    let times: Vec<_> = page.campaigns.iter().map(|c| (c.campaign.id(), c.imported_at, c.synced_at)).collect();
    let imported = time::macros::utc_datetime!(2024-03-01 08:00);
    let synced = time::macros::utc_datetime!(2024-03-05 12:00);
    assert!(times.contains(&(charlie, imported, Some(synced))), "{times:?}");
    let filter = AuditFilter { action: Some(AuditAction::LegacyImported), ..AuditFilter::default() };
    let own = ok(store.audit_log(&filter, PageRequest::new(1, 10)).await, "audit_log");
    assert_eq!(own.total, 1, "the import's own entry");
}
