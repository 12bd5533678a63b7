//! The import from the Flask tracker's SQLite database: an old database built from
//! the fixture SQL (the damaged rows of `application::legacy::fixture::damaged`) in
//! a temporary file is read back row for row, imported into a fresh store, and
//! refused with the missing table or column named.

#[path = "support/temp_db.rs"]
#[allow(dead_code)]
mod temp_db;

use adapters_sqlite::{LegacyReadError, PoolSettings, connect, read_legacy_sqlite};
use application::Tracker;
use application::legacy::{FindingKind, fixture};
use application::memory::{ManualClock, PlainHasher};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::path::Path;
use std::str::FromStr;
use temp_db::{fresh_path, url_of};
use time::macros::utc_datetime;

const SCHEMA: &str = include_str!("../../adapters-sql/tests/fixtures/legacy/schema-sqlite.sql");
const ROWS: &str = include_str!("../../adapters-sql/tests/fixtures/legacy/rows.sql");

/// A new old-tracker database file holding the fixture, then `damage` run on it.
async fn old_database(damage: &str) -> String {
    let path = fresh_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let url = url_of(&path);
    let options = SqliteConnectOptions::from_str(&url).unwrap().create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    sqlx::raw_sql(&format!("{SCHEMA}\n{ROWS}\n{damage}")).execute(&pool).await.expect("the fixture SQL");
    pool.close().await;
    url
}

fn remove(url: &str) {
    let path = Path::new(url.trim_start_matches("sqlite://"));
    if let Some(root) = path.parent().and_then(Path::parent) {
        let _ = std::fs::remove_dir_all(root);
    }
}

#[tokio::test]
async fn the_old_sqlite_database_reads_back_exactly_as_the_fixture_holds_it() {
    let url = old_database("").await;
    assert_eq!(read_legacy_sqlite(&url).await.unwrap(), fixture::damaged());
    remove(&url);
}

#[tokio::test]
async fn an_old_sqlite_database_imports_into_a_fresh_sqlite_store_with_its_report() {
    let url = old_database("").await;
    let old = read_legacy_sqlite(&url).await.unwrap();
    let store = connect("sqlite::memory:", &PoolSettings::default()).await.unwrap();
    store.migrate().await.unwrap();
    let clock = ManualClock::new(utc_datetime!(2026-01-01 12:00));
    let tracker = Tracker::new(store.clone(), PlainHasher::new(), clock);
    let outcome = tracker.import_legacy(&old, false).await.unwrap();
    assert_eq!(outcome.counts.changes, 4, "the unique asset's impossible gain is dropped");
    for kind in [
        FindingKind::QuantityMismatch,
        FindingKind::ChangeClamped,
        FindingKind::ChangeOutsidePool,
        FindingKind::SeveralActive,
        FindingKind::ActiveAndClosed,
    ] {
        assert!(outcome.report.of(kind).next().is_some(), "{kind:?} is reported");
    }
    let ids = ids_of(&store).await;
    fixture::assert_imported(&store, &ids).await;
    remove(&url);
}

/// The ids the import gave, read back by name (the use case does not return them).
async fn ids_of(store: &adapters_sqlite::SqliteStore) -> application::legacy::ImportedIds {
    use application::ports::{CampaignRepo, LibraryRepo};
    let mut libraries = store.libraries().await.unwrap();
    libraries.sort_by_key(|l| l.library.id);
    let mut campaigns = store.campaigns().await.unwrap();
    campaigns.sort_by_key(|c| c.id());
    application::legacy::ImportedIds {
        libraries: libraries.iter().map(|l| l.library.id).collect(),
        campaigns: campaigns.iter().map(|c| c.id()).collect(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_missing_table_or_column_is_named_and_a_missing_file_is_never_created() {
    let url = old_database("ALTER TABLE asset RENAME COLUMN type TO kind;").await;
    let err = read_legacy_sqlite(&url).await.unwrap_err();
    assert!(matches!(err, LegacyReadError::MissingColumn { table: "asset", column: "type" }), "{err}");
    remove(&url);
    let url = old_database("DROP TABLE log;").await;
    let err = read_legacy_sqlite(&url).await.unwrap_err();
    assert!(matches!(err, LegacyReadError::MissingTable("log")), "{err}");
    assert_eq!(err.to_string(), "the old database has no table \"log\" (is this the Flask tracker's database?)");
    remove(&url);
    let missing = url_of(&fresh_path());
    let err = read_legacy_sqlite(&missing).await.unwrap_err();
    assert!(matches!(err, LegacyReadError::Open { .. }), "{err}");
    assert!(!Path::new(missing.trim_start_matches("sqlite://")).exists());
}
