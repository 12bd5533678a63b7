//! PostgreSQL-specific tests: connecting, migrating, redaction, per-connection
//! settings, constraint mapping and the ledger under 50 concurrent writers. The
//! behaviour shared with every store is covered by the contract suite (contract.rs).

use adapters_postgres::test_support::TestDatabase;
use adapters_postgres::{PoolSettings, StoreError, connect};
use application::ports::{
    CampaignRepo, EventRepo, LibraryRepo, MissionRepo, NewCampaign, NewChange, NewEvent, NewLibrary, NewMission,
    NewPoolEntry, NewUser, PageRepo, PoolRepo, UserRepo,
};
use application::{Conflict, RepoError};
use domain::{
    AssetKind, AssetName, AssetSpec, AuditAction, CampaignDates, CampaignDetails, CampaignId, CampaignName,
    CampaignStatus, Category, Delta, Description, EventDetails, EventKind, EventTitle, LedgerError, LibraryId,
    LibraryName, Location, MissionDetails, MissionId, MissionName, MissionStatus, NewAuditEntry, Notes, ObjectKind,
    ObjectRef, PasswordHash, PoolEntryId, PooledAsset, Quantity, Role, ShortText, Username,
};
use std::time::Duration;
use time::macros::{date, utc_datetime};

fn audit(action: AuditAction, kind: ObjectKind) -> NewAuditEntry {
    NewAuditEntry {
        at: utc_datetime!(2026-01-01 12:00),
        actor_id: None,
        actor_name: "system".into(),
        action,
        campaign_id: None,
        object: ObjectRef::created(kind),
        details: "test".into(),
    }
}

fn new_user(name: &str) -> NewUser {
    NewUser {
        username: Username::parse(name).unwrap(),
        role: Role::Admin,
        password_hash: PasswordHash::new("plain:correct horse battery".into()),
        created_at: utc_datetime!(2026-01-01 12:00),
    }
}

fn spec(name: &str) -> AssetSpec {
    AssetSpec::new(
        AssetName::parse(name).unwrap(),
        AssetKind::Vehicle,
        Category::parse("Tank").unwrap(),
        Description::empty(),
        Quantity::new(3).unwrap(),
        false,
        true,
    )
    .unwrap()
}

async fn library(store: &impl LibraryRepo, name: &str) -> LibraryId {
    let new = NewLibrary {
        name: LibraryName::parse(name).unwrap(),
        description: Description::empty(),
        category: Category::parse("Modern").unwrap(),
        is_default: false,
    };
    let entry = audit(AuditAction::LibraryCreated, ObjectKind::Library);
    store.insert_library(&new, &[], &entry, None).await.unwrap()
}

/// A library with one asset, a planned campaign holding it at `initial`, and a mission.
async fn scene(store: &adapters_postgres::PgStore, initial: u32) -> (CampaignId, PoolEntryId, MissionId) {
    let lib = library(store, "NATO").await;
    let entry = audit(AuditAction::AssetCreated, ObjectKind::Asset);
    let asset = store.insert_asset(lib, &spec("M2A1 Slammer"), &entry, None).await.unwrap();
    let pooled = NewPoolEntry {
        asset: PooledAsset {
            asset_id: asset,
            library_id: lib,
            asset_name: AssetName::parse("M2A1 Slammer").unwrap(),
            kind: AssetKind::Vehicle,
            category: Category::parse("Tank").unwrap(),
            unique: false,
        },
        initial: Quantity::new(initial).unwrap(),
        public: true,
    };
    let new = NewCampaign {
        details: CampaignDetails {
            name: CampaignName::parse("Operation Harvest").unwrap(),
            description: Description::empty(),
            dates: CampaignDates::new(date!(2026 - 01 - 01), None).unwrap(),
            map_edit_url: None,
            map_view_url: None,
        },
        status: CampaignStatus::Planned,
        pool: vec![pooled],
        created_at: utc_datetime!(2026-01-01 12:00),
    };
    let entry = audit(AuditAction::CampaignCreated, ObjectKind::Campaign);
    let campaign = store.insert_campaign(&new, &entry, None).await.unwrap();
    let pool_entry = PoolRepo::pool(store, campaign).await.unwrap()[0].id();
    let new = NewMission {
        campaign_id: campaign,
        details: MissionDetails {
            name: MissionName::parse("Kavala").unwrap(),
            description: Description::empty(),
            date: None,
            location: Location::parse("Altis").unwrap(),
            map_edit_url: None,
            map_view_url: None,
        },
        status: MissionStatus::Planned,
    };
    let entry = audit(AuditAction::MissionCreated, ObjectKind::Mission);
    let mission = store.insert_mission(&new, &entry, None).await.unwrap();
    (campaign, pool_entry, mission)
}

fn loss(mission: MissionId, entry: PoolEntryId, delta: i64) -> NewEvent {
    NewEvent {
        mission_id: mission,
        details: EventDetails {
            kind: EventKind::Combat,
            title: EventTitle::parse("Ambush").unwrap(),
            description: Description::empty(),
            occurred_at: utc_datetime!(2026-01-02 20:30),
            location: Location::parse("Kavala").unwrap(),
            notes: Notes::parse("").unwrap(),
        },
        changes: vec![NewChange {
            pool_entry_id: entry,
            delta: Delta::new(delta).unwrap(),
            note: ShortText::parse("").unwrap(),
        }],
    }
}

#[tokio::test]
async fn migrating_twice_is_harmless_and_the_store_answers_pings() {
    let Some(db) = TestDatabase::create().await else { return };
    db.store().migrate().await.expect("second migration run");
    application::ports::HealthRepo::ping(db.store()).await.expect("port ping");
    db.drop_database().await;
}

#[tokio::test]
async fn a_failed_connection_never_shows_the_password() {
    let settings = PoolSettings { acquire_timeout: Duration::from_secs(2), ..PoolSettings::default() };
    let err = connect("postgres://u:secret@127.0.0.1:1/x", &settings).await.expect_err("nothing listens on port 1");
    assert!(matches!(err, StoreError::Connect { .. }), "{err:?}");
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("postgres://u:***@127.0.0.1:1/x"), "{text}");
    }
    let err =
        connect("postgres://u:secret@127.0.0.1:notaport/x", &settings).await.expect_err("the port is not a number");
    assert!(matches!(err, StoreError::InvalidUrl { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("secret"), "{err:?}");
}

#[tokio::test]
async fn the_statement_timeout_is_set_on_every_connection() {
    let settings = PoolSettings { statement_timeout: Some(Duration::from_millis(1500)), ..PoolSettings::default() };
    let Some(db) = TestDatabase::create_with(&settings).await else { return };
    let pool = db.store().connection_pool();
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut conn = pool.acquire().await.unwrap();
        let shown: String = sqlx::query_scalar("SHOW statement_timeout").fetch_one(&mut *conn).await.unwrap();
        assert_eq!(shown, "1500ms");
        held.push(conn);
    }
    let slow = sqlx::query("SELECT pg_sleep(3)").execute(pool).await;
    let code = slow.expect_err("cancelled by the timeout");
    let code = code.as_database_error().and_then(|e| e.code().map(|c| c.into_owned()));
    assert_eq!(code.as_deref(), Some("57014"));
    drop(held);
    db.drop_database().await;
}

#[tokio::test]
async fn named_constraints_become_the_conflicts_they_back_up() {
    let Some(db) = TestDatabase::create().await else { return };
    let store = db.store();
    let entry = audit(AuditAction::UserCreated, ObjectKind::User);
    store.insert_user(&new_user("Alice"), &entry, None).await.unwrap();
    let clash = store.insert_user(&new_user("ALICE"), &entry, None).await;
    assert!(matches!(clash, Err(RepoError::Conflict(Conflict::DuplicateUsername))), "{clash:?}");

    let lib = library(store, "NATO").await;
    let new = NewLibrary {
        name: LibraryName::parse("NATO").unwrap(),
        description: Description::empty(),
        category: Category::parse("").unwrap(),
        is_default: true,
    };
    let entry = audit(AuditAction::LibraryCreated, ObjectKind::Library);
    let clash = store.insert_library(&new, &[], &entry, None).await;
    assert!(matches!(clash, Err(RepoError::Conflict(Conflict::DuplicateLibraryName))), "{clash:?}");

    let entry = audit(AuditAction::AssetCreated, ObjectKind::Asset);
    store.insert_asset(lib, &spec("Hunter"), &entry, None).await.unwrap();
    let clash = store.insert_asset(lib, &spec("Hunter"), &entry, None).await;
    assert!(matches!(clash, Err(RepoError::Conflict(Conflict::DuplicateAssetName))), "{clash:?}");
    db.drop_database().await;
}

#[tokio::test]
async fn the_foreign_keys_back_up_the_in_use_checks() {
    let Some(db) = TestDatabase::create().await else { return };
    let store = db.store();
    let (campaign, entry, mission) = scene(store, 5).await;
    store
        .record_event(&loss(mission, entry, -1), &audit(AuditAction::EventCreated, ObjectKind::Event), None)
        .await
        .unwrap();
    // Bypass the adapter's own checks: only the foreign key stands in the way.
    let err = sqlx::query("DELETE FROM pool_entries WHERE id = $1")
        .bind(entry.get())
        .execute(store.connection_pool())
        .await
        .expect_err("a change refers to the entry");
    let constraint = err.as_database_error().and_then(|e| e.constraint().map(str::to_owned));
    assert_eq!(constraint.as_deref(), Some("asset_changes_pool_entry_id_fkey"));
    let removed = store.remove_pool_entry(entry, &audit(AuditAction::PoolEntryRemoved, ObjectKind::PoolEntry)).await;
    assert!(matches!(removed, Err(RepoError::Conflict(Conflict::InUse("the pool entry")))), "{removed:?}");
    assert_eq!(PoolRepo::pool(store, campaign).await.unwrap().len(), 1);
    db.drop_database().await;
}

#[tokio::test]
async fn a_stored_value_the_domain_refuses_is_an_unexpected_error() {
    let Some(db) = TestDatabase::create().await else { return };
    let store = db.store();
    let entry = audit(AuditAction::UserCreated, ObjectKind::User);
    let id = store.insert_user(&new_user("alice"), &entry, None).await.unwrap();
    sqlx::query("UPDATE users SET username = 'has space' WHERE id = $1")
        .bind(id.get())
        .execute(store.connection_pool())
        .await
        .unwrap();
    let read = store.user(id).await;
    assert!(matches!(read, Err(RepoError::Unexpected(_))), "{read:?}");
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_losses_never_take_an_entry_below_zero() {
    let Some(db) = TestDatabase::create().await else { return };
    let store = db.store().clone();
    let (campaign, entry, mission) = scene(&store, 25).await;
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let entry_audit = audit(AuditAction::EventCreated, ObjectKind::Event);
                store.record_event(&loss(mission, entry, -1), &entry_audit, None).await
            })
        })
        .collect();
    let (mut ok, mut refused) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(RepoError::Conflict(Conflict::Ledger(LedgerError::Insufficient {
                available: 0,
                requested: 1,
                ..
            }))) => refused += 1,
            Err(other) => panic!("unexpected outcome: {other:?}"),
        }
    }
    assert_eq!((ok, refused), (25, 25));
    let saved = store.pool_entry(entry).await.unwrap().unwrap();
    assert_eq!(saved.current().get(), 0);
    assert_eq!(store.campaign_events(campaign).await.unwrap().len(), 25);
    let changes: i64 =
        sqlx::query_scalar("SELECT count(*) FROM asset_changes").fetch_one(store.connection_pool()).await.unwrap();
    assert_eq!(changes, 25);
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'event.created'")
        .fetch_one(store.connection_pool())
        .await
        .unwrap();
    assert_eq!(audited, 25);
    db.drop_database().await;
}

#[tokio::test]
async fn timestamps_keep_microseconds_and_drop_nanoseconds() {
    let Some(db) = TestDatabase::create().await else { return };
    let store = db.store();
    let mut new = new_user("alice");
    new.created_at = utc_datetime!(2026-01-01 12:00:00.123456789);
    let entry = audit(AuditAction::UserCreated, ObjectKind::User);
    let id = store.insert_user(&new, &entry, None).await.unwrap();
    let saved = store.user(id).await.unwrap().unwrap();
    assert_eq!(saved.created_at(), utc_datetime!(2026-01-01 12:00:00.123456));
    db.drop_database().await;
}

/// A read cancelled while its `BEGIN … READ ONLY` is on the wire (a client that
/// disconnects, a timeout) must not hand its connection back still inside that
/// transaction: on a pool of one, every later write would fail as read-only.
#[tokio::test]
async fn a_read_cancelled_during_its_begin_leaves_no_transaction_behind() {
    let one = PoolSettings { max_connections: 1, ..PoolSettings::default() };
    let Some(db) = TestDatabase::create_with(&one).await else { return };
    let store = db.store();
    // The window is a round trip long: cancel after 0, 10, 20, … µs to land in it.
    for round in 0..200_u64 {
        let read = store.campaign_history(application::ports::CampaignRef::Active);
        let _cancelled = tokio::time::timeout(Duration::from_micros(round % 40 * 10), read).await;
        library(store, &format!("Library {round}")).await;
    }
    db.drop_database().await;
}
