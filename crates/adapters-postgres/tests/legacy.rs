//! The import from the Flask tracker's PostgreSQL database: an old database built
//! from the fixture SQL (the damaged rows of `application::legacy::fixture::damaged`)
//! in a fresh test database is read back row for row, imported into another fresh
//! store, and refused with the missing table or column named. Skips loudly without a
//! server (fails under `REQUIRE_POSTGRES=1`), like every PostgreSQL test here.

use adapters_postgres::test_support::TestDatabase;
use adapters_postgres::{LegacyReadError, read_legacy_postgres};
use application::Tracker;
use application::legacy::{FindingKind, ImportedIds, fixture};
use application::memory::{ManualClock, PlainHasher};
use application::ports::{CampaignRepo, LibraryRepo};
use sqlx::postgres::PgPoolOptions;
use time::macros::utc_datetime;

const SCHEMA: &str = include_str!("../../adapters-sql/tests/fixtures/legacy/schema-postgres.sql");
const ROWS: &str = include_str!("../../adapters-sql/tests/fixtures/legacy/rows.sql");

/// A fresh database holding the old tracker's tables with the fixture, then `damage`
/// run on it. (It also holds our own, empty schema: no table name is shared.)
async fn old_database(damage: &str) -> Option<TestDatabase> {
    let db = TestDatabase::create().await?;
    let pool = PgPoolOptions::new().max_connections(1).connect(db.url()).await.unwrap();
    sqlx::raw_sql(&format!("{SCHEMA}\n{ROWS}\n{damage}")).execute(&pool).await.expect("the fixture SQL");
    pool.close().await;
    Some(db)
}

#[tokio::test]
async fn the_old_postgres_database_reads_back_exactly_as_the_fixture_holds_it() {
    let Some(old) = old_database("").await else { return };
    assert_eq!(read_legacy_postgres(old.url()).await.unwrap(), fixture::damaged());
    old.drop_database().await;
}

#[tokio::test]
async fn an_old_postgres_database_imports_into_a_fresh_postgres_store_with_its_report() {
    let Some(old) = old_database("").await else { return };
    let Some(target) = TestDatabase::create().await else { return };
    let snapshot = read_legacy_postgres(old.url()).await.unwrap();
    let clock = ManualClock::new(utc_datetime!(2026-01-01 12:00));
    let tracker = Tracker::new(target.store().clone(), PlainHasher::new(), clock);
    let outcome = tracker.import_legacy(&snapshot, false).await.unwrap();
    assert!(outcome.report.of(FindingKind::QuantityMismatch).next().is_some());
    assert!(outcome.report.of(FindingKind::ChangeClamped).next().is_some());
    let store = target.store();
    let mut libraries = store.libraries().await.unwrap();
    libraries.sort_by_key(|l| l.library.id);
    let mut campaigns = store.campaigns().await.unwrap();
    campaigns.sort_by_key(|c| c.id());
    let ids = ImportedIds {
        libraries: libraries.iter().map(|l| l.library.id).collect(),
        campaigns: campaigns.iter().map(|c| c.id()).collect(),
        ..ImportedIds::default()
    };
    fixture::assert_imported(store, &ids).await;
    old.drop_database().await;
    target.drop_database().await;
}

#[tokio::test]
async fn a_missing_table_or_column_is_named() {
    let Some(old) = old_database("ALTER TABLE campaign_asset RENAME COLUMN current_quantity TO qty;").await else {
        return;
    };
    let err = read_legacy_postgres(old.url()).await.unwrap_err();
    assert!(
        matches!(err, LegacyReadError::MissingColumn { table: "campaign_asset", column: "current_quantity" }),
        "{err}"
    );
    old.drop_database().await;
    let Some(old) = old_database(r#"DROP TABLE asset_change; DROP TABLE event;"#).await else { return };
    let err = read_legacy_postgres(old.url()).await.unwrap_err();
    assert!(matches!(err, LegacyReadError::MissingTable("event")), "{err}");
    old.drop_database().await;
}
