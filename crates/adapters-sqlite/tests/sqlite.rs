//! SQLite-specific behaviour the shared contract suite cannot see: opening and
//! migrating databases, connection settings, URL redaction, sub-second timestamps,
//! and the ledger guard and idempotency keys under real concurrency on a file.

#[path = "support/temp_db.rs"]
mod temp_db;

use adapters_sqlite::{PoolSettings, StoreError, connect, redact_url};
use application::contract::check::{audit_count, current, ok};
use application::contract::scene::{TANK, scene};
use application::contract::seed;
use application::ports::{EventRepo, HealthRepo, LibraryRepo};
use application::{Conflict, RepoError};
use domain::{AuditAction, LedgerError, ObjectKind};
use temp_db::{fresh_path, remove, url_of};
use time::Duration;

#[tokio::test]
async fn connecting_creates_the_missing_directory_and_the_database_file() {
    let path = fresh_path();
    let dir = path.parent().expect("the file has a directory");
    assert!(!dir.exists(), "the test needs a directory that does not exist yet");
    let store = connect(&url_of(&path), &PoolSettings::default()).await.expect("connect");
    assert!(path.is_file(), "the database file was created");
    HealthRepo::ping(&store).await.expect("a fresh database answers");
    remove(store).await;
}

#[tokio::test]
async fn a_closed_store_fails_its_ping_as_unavailable_instead_of_hanging() {
    let store = connect("sqlite::memory:", &PoolSettings::default()).await.expect("connect");
    store.close().await;
    assert!(matches!(HealthRepo::ping(&store).await, Err(RepoError::Unavailable(_))));
}

#[tokio::test]
async fn a_database_that_cannot_write_refuses_writes_as_unavailable_and_keeps_nothing() {
    let path = fresh_path();
    let settings = PoolSettings { max_connections: 1, min_connections: 1, ..PoolSettings::default() };
    let store = connect(&url_of(&path), &settings).await.expect("connect");
    store.migrate().await.expect("migrate");
    // The pool's one connection is made read-only, as a read-only file or a full disk is.
    let mut conn = store.connection_pool().acquire().await.expect("the connection");
    sqlx::query("PRAGMA query_only = ON").execute(&mut *conn).await.expect("query_only");
    drop(conn);
    let entry = seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library);
    let refused = store.insert_library(&seed::new_library("Read-only"), &[], &entry, None).await;
    assert!(matches!(refused, Err(RepoError::Unavailable(_))), "{refused:?}");
    assert!(ok(store.libraries().await, "libraries").is_empty(), "nothing was written");
    remove(store).await;
}

#[tokio::test]
async fn connections_run_in_wal_mode_with_foreign_keys_and_a_busy_timeout() {
    let store = temp_db::file_store().await;
    let mut conn = store.connection_pool().acquire().await.expect("a connection");
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await.expect("journal mode");
    let foreign_keys: i64 =
        sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await.expect("foreign keys");
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&mut *conn).await.expect("busy timeout");
    assert_eq!(journal.to_lowercase(), "wal");
    assert_eq!(foreign_keys, 1);
    assert_eq!(busy, 5000);
    drop(conn);
    remove(store).await;
}

#[tokio::test]
async fn migrating_twice_is_a_no_op() {
    let store = temp_db::file_store().await;
    let library = seed::library(&store, "NATO").await;
    store.migrate().await.expect("the second migration succeeds");
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(store.connection_pool())
        .await
        .expect("migration history");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/sqlite");
    let files = std::fs::read_dir(dir).expect("the migrations").count();
    assert_eq!(applied, i64::try_from(files).expect("a count"), "each migration is recorded once");
    let kept = ok(store.library(library).await, "library after re-migrating");
    assert!(kept.is_some(), "data survives a second migration");
    remove(store).await;
}

#[tokio::test]
async fn an_in_memory_database_keeps_its_data_across_calls() {
    let store = connect("sqlite::memory:", &PoolSettings::default()).await.expect("connect");
    store.migrate().await.expect("migrate");
    let library = seed::library(&store, "NATO").await;
    for _ in 0..3 {
        assert!(ok(store.library(library).await, "read back").is_some());
    }
}

#[tokio::test]
async fn a_bad_url_is_one_clear_error() {
    let err = connect("sqlite://x.db?flavour=strawberry", &PoolSettings::default())
        .await
        .expect_err("an unknown parameter is refused");
    assert!(matches!(err, StoreError::InvalidUrl { .. }));
    assert!(err.to_string().starts_with("invalid SQLite database URL sqlite://x.db"));
}

#[test]
fn redacting_a_url_hides_its_password_and_keeps_the_rest() {
    assert_eq!(
        redact_url("postgres://app:s3cret@db.example.org:5432/tracker?sslmode=require"),
        "postgres://app:***@db.example.org:5432/tracker?sslmode=require"
    );
    assert_eq!(redact_url("sqlite://data/tracker.db"), "sqlite://data/tracker.db");
    assert_eq!(redact_url("sqlite::memory:"), "sqlite::memory:");
    assert_eq!(redact_url("postgres://app@db/tracker"), "postgres://app@db/tracker");
    assert_eq!(redact_url("postgres://a:p@ss@db/x"), "postgres://a:***@db/x");
}

#[tokio::test]
async fn sub_second_timestamps_round_trip_and_order_correctly() {
    let store = connect("sqlite::memory:", &PoolSettings::default()).await.expect("connect");
    store.migrate().await.expect("migrate");
    let s = scene(&store).await;
    let whole = seed::at(60);
    let later = whole + Duration::nanoseconds(123_456_789);
    let audit = seed::created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
    for (title, at) in [("later", later), ("whole", whole)] {
        let new = seed::new_event(s.mission, title, at, &[]);
        ok(store.record_event(&new, &audit, None).await, "record");
    }
    let events = ok(store.mission_events(s.mission).await, "events");
    let times: Vec<_> = events.iter().map(|e| e.details.occurred_at).collect();
    assert_eq!(times, vec![whole, later], "exact to the nanosecond, oldest first");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_losses_on_a_file_never_break_or_lose_the_ledger() {
    let store = temp_db::file_store().await;
    let s = scene(&store).await;
    ok(
        store
            .record_event(
                &seed::new_event(s.mission, "resupply", seed::at(1), &[(s.tank_entry, 20)]),
                &seed::created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event),
                None,
            )
            .await,
        "bring the tanks to 30",
    );
    let audits = audit_count(&store).await;
    let writers: Vec<_> = (0..50)
        .map(|i| {
            let store = store.clone();
            let (mission, entry, campaign) = (s.mission, s.tank_entry, s.campaign);
            tokio::spawn(async move {
                let new = seed::new_event(mission, &format!("loss {i}"), seed::at(2), &[(entry, -1)]);
                let audit = seed::created(AuditAction::EventCreated, Some(campaign), ObjectKind::Event);
                store.record_event(&new, &audit, None).await
            })
        })
        .collect();
    let (mut recorded, mut refused) = (0, 0);
    for writer in writers {
        match writer.await.expect("the writer task ran") {
            Ok(_) => recorded += 1,
            Err(RepoError::Conflict(Conflict::Ledger(LedgerError::Insufficient {
                asset,
                available: 0,
                requested: 1,
            }))) if asset == TANK => refused += 1,
            Err(other) => panic!("unexpected outcome: {other:?}"),
        }
    }
    assert_eq!((recorded, refused), (30, 20));
    assert_eq!(current(&store, s.tank_entry).await, 0, "initial + sum of deltas");
    assert_eq!(audit_count(&store).await, audits + 30, "one audit row per recorded event");
    remove(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_with_one_key_create_once_and_all_get_its_id() {
    let store = temp_db::file_store().await;
    let key = seed::key("retry-me-0001");
    let creates: Vec<_> = (0..10)
        .map(|_| {
            let (store, key) = (store.clone(), key.clone());
            tokio::spawn(async move {
                let audit = seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library);
                store.insert_library(&seed::new_library("NATO"), &[], &audit, Some(&key)).await
            })
        })
        .collect();
    let mut ids = Vec::new();
    for create in creates {
        ids.push(ok(create.await.expect("the task ran"), "create with a shared key"));
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every request got the one id");
    assert_eq!(ok(store.libraries().await, "libraries").len(), 1);
    assert_eq!(audit_count(&store).await, 1, "one audit row");
    remove(store).await;
}

/// A store where another request already stored `key-0001` for a library create by
/// the system, which created library 7.
async fn store_with_a_stored_key() -> adapters_sqlite::SqliteStore {
    let store = connect("sqlite::memory:", &PoolSettings::default()).await.expect("connect");
    store.migrate().await.expect("migrate");
    sqlx::query(
        "INSERT INTO idempotency_keys (key, actor_id, action, object_ids, created_at) \
         VALUES ('key-0001', NULL, 'library.created', '7', 'then')",
    )
    .execute(store.connection_pool())
    .await
    .expect("stored key");
    store
}

fn new_library() -> application::ports::NewLibrary {
    application::ports::NewLibrary {
        name: domain::LibraryName::parse("Ghost").expect("name"),
        description: domain::Description::parse("").expect("description"),
        category: domain::Category::parse("").expect("category"),
        is_default: false,
    }
}

async fn count(store: &adapters_sqlite::SqliteStore, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(store.connection_pool())
        .await
        .expect("count")
}

#[tokio::test]
async fn a_key_another_request_stored_answers_with_its_ids_and_writes_nothing() {
    let store = store_with_a_stored_key().await;
    let audit = seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library);
    let id = store.insert_library(&new_library(), &[], &audit, Some(&seed::key("key-0001"))).await;
    assert_eq!(ok(id, "replayed create").get(), 7);
    let counts =
        (count(&store, "idempotency_keys").await, count(&store, "audit_log").await, count(&store, "libraries").await);
    assert_eq!(counts, (1, 0, 0));
}

#[tokio::test]
async fn a_key_another_request_stored_for_another_action_is_a_reused_key() {
    let store = store_with_a_stored_key().await;
    let audit = seed::created(AuditAction::AssetCreated, None, ObjectKind::Asset);
    let refused = store.insert_library(&new_library(), &[], &audit, Some(&seed::key("key-0001"))).await;
    assert!(matches!(refused, Err(RepoError::Conflict(Conflict::IdempotencyKeyReused))));
    assert_eq!(count(&store, "libraries").await, 0);
}

/// A write cancelled while its `BEGIN IMMEDIATE` is being opened (a client that hangs
/// up, a timeout) must not hand its connection back inside that transaction: on a pool
/// of one, every later write would fail, and the database would stay locked for every
/// other process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_cancelled_during_its_begin_leaves_no_transaction_behind() {
    let one = PoolSettings { max_connections: 1, ..PoolSettings::default() };
    let store = connect(&url_of(&fresh_path()), &one).await.expect("connect");
    store.migrate().await.expect("migrate");
    // The window is short: cancel after 0, 5, 10, … µs to land in it.
    for round in 0..300_u64 {
        let audit = seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library);
        let library = seed::new_library(&format!("Cancelled {round}"));
        let write = store.insert_library(&library, &[], &audit, None);
        let _cancelled = tokio::time::timeout(std::time::Duration::from_micros(round % 60 * 5), write).await;
        let audit = seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library);
        let kept = store.insert_library(&seed::new_library(&format!("Kept {round}")), &[], &audit, None).await;
        ok(kept, &format!("a write after a cancelled one (round {round})"));
    }
    remove(store).await;
}

/// When SQLite ends a transaction on its own (a full disk or an I/O error rolls it back),
/// sqlx 0.8.6 still counts the connection as inside it, refuses every `BEGIN IMMEDIATE`
/// on it and turns every `BEGIN` into a savepoint. Such a connection must never be lent
/// again: here a raw `ROLLBACK` ends the transaction behind sqlx's back, as SQLite does.
#[tokio::test]
async fn a_connection_whose_transaction_sqlite_ended_itself_is_not_lent_again() {
    let one = PoolSettings { max_connections: 1, min_connections: 1, ..PoolSettings::default() };
    let store = connect(&url_of(&fresh_path()), &one).await.expect("connect");
    store.migrate().await.expect("migrate");
    let mut tx = store.connection_pool().begin().await.expect("a transaction");
    sqlx::query("ROLLBACK").execute(&mut *tx).await.expect("SQLite ends the transaction");
    drop(tx);
    for round in 0..3 {
        let audit = seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library);
        let written = store.insert_library(&seed::new_library(&format!("After {round}")), &[], &audit, None).await;
        ok(written, &format!("write {round} after SQLite ended a transaction itself"));
    }
    assert_eq!(ok(store.libraries().await, "libraries").len(), 3);
    remove(store).await;
}

/// Migration 4 rebuilds `assets` and `pool_entries` (SQLite cannot change a CHECK in
/// place): every row, every reference and the AUTOINCREMENT counters must come through,
/// and the new kinds must then be accepted.
#[tokio::test]
async fn upgrading_to_the_new_asset_kinds_keeps_every_row_reference_and_counter() {
    let path = fresh_path();
    let store = connect(&url_of(&path), &PoolSettings::default()).await.expect("connect");
    let pool = store.connection_pool();
    let mut before = sqlx::migrate!("../../migrations/sqlite");
    before.migrations = before.migrations.iter().filter(|m| m.version <= 3).cloned().collect::<Vec<_>>().into();
    before.run(pool).await.expect("the schema of the release before");
    for statement in [
        "INSERT INTO libraries (id, name, description, category, is_default) VALUES (1, 'NATO', '', '', 0)",
        "INSERT INTO assets (id, library_id, name, kind, category, description, default_quantity, is_unique, is_public) \
         VALUES (1, 1, 'Slammer', 'Vehicle', '', '', 4, 0, 1), (2, 1, 'Crate', 'Supply', '', '', 10, 0, 1), \
         (3, 1, 'Gone', 'Other', '', '', 1, 0, 1)",
        "DELETE FROM assets WHERE id = 3",
        "INSERT INTO campaigns (id, name, description, status, start_date, created_at) \
         VALUES (1, 'Harvest', '', 'Active', '2026-01-01', '2026-01-01T00:00:00Z')",
        "INSERT INTO pool_entries (id, campaign_id, asset_id, library_id, asset_name, kind, category, is_unique, \
         initial_quantity, current_quantity, is_public) VALUES (1, 1, 1, 1, 'Slammer', 'Vehicle', '', 0, 4, 2, 1), \
         (2, 1, 2, 1, 'Crate', 'Supply', '', 0, 10, 10, 1)",
        "INSERT INTO missions (id, campaign_id, name, description, location, status, order_index) \
         VALUES (1, 1, 'Dawn', '', '', 'Completed', 0)",
        "INSERT INTO events (id, mission_id, kind, title, description, occurred_at, location, notes) \
         VALUES (1, 1, 'Combat', 'Ambush', '', '2026-01-02T00:00:00Z', '', '')",
        "INSERT INTO asset_changes (event_id, pool_entry_id, delta, note) VALUES (1, 1, -2, '')",
    ] {
        sqlx::query(statement).execute(pool).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    store.migrate().await.expect("migration 4 applies");

    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, kind FROM assets ORDER BY id").fetch_all(pool).await.expect("assets");
    assert_eq!(rows, [(1, "Vehicle".to_owned()), (2, "Supply".to_owned())]);
    let entries: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT id, asset_id, current_quantity FROM pool_entries ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("pool entries");
    assert_eq!(entries, [(1, 1, 2), (2, 2, 10)]);
    let broken: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pragma_foreign_key_check").fetch_one(pool).await.expect("fk check");
    assert_eq!(broken, 0, "every reference holds");
    let restricted = sqlx::query("DELETE FROM assets WHERE id = 1").execute(pool).await;
    assert!(restricted.is_err(), "pool entries still hold their asset (ON DELETE RESTRICT)");
    let inserted = sqlx::query(
        "INSERT INTO assets (library_id, name, kind, category, description, default_quantity, is_unique, is_public) \
         VALUES (1, 'Medkit', 'Medical', '', '', 5, 0, 1) RETURNING id",
    )
    .fetch_one(pool)
    .await
    .expect("a new kind is accepted");
    let id: i64 = sqlx::Row::get(&inserted, "id");
    assert_eq!(id, 4, "the counter carried over: the deleted asset's id 3 is not handed out again");
    let refused = sqlx::query(
        "INSERT INTO assets (library_id, name, kind, category, description, default_quantity, is_unique, is_public) \
         VALUES (1, 'Odd', 'Spaceship', '', '', 1, 0, 1)",
    )
    .execute(pool)
    .await;
    assert!(refused.is_err(), "an unknown kind is still refused");
    remove(store).await;
}
