//! The two migration sets (`migrations/sqlite`, `migrations/postgres`) describe one
//! schema: the same migration files, and, applied to fresh databases, the same tables
//! with the same columns, each nullable on both or on neither. Types differ by design
//! (TEXT timestamps on SQLite, TIMESTAMPTZ on PostgreSQL) and are not compared.
//!
//! The PostgreSQL half uses `TEST_DATABASE_URL` like every PostgreSQL test: it skips
//! loudly without a server, and fails instead under `REQUIRE_POSTGRES=1`.

use adapters_postgres::test_support::TestDatabase;
use std::collections::BTreeSet;
use std::path::Path;

/// A column as both databases can describe it: table, column, nullable.
type Column = (String, String, bool);

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");

/// The migration files of one database, by name.
fn files(database: &str) -> BTreeSet<String> {
    std::fs::read_dir(Path::new(ROOT).join(database))
        .unwrap_or_else(|e| panic!("migrations/{database}: {e}"))
        .map(|entry| entry.expect("a directory entry").file_name().to_string_lossy().into_owned())
        .collect()
}

/// Every column of a fresh SQLite database after the migrations, sqlx's own table
/// left out. A primary key column is not nullable (SQLite reports `notnull = 0` for
/// one declared without NOT NULL, yet the tracker never stores NULL there).
async fn sqlite_columns() -> BTreeSet<Column> {
    let store = adapters_sqlite::connect("sqlite::memory:", &adapters_sqlite::PoolSettings::default())
        .await
        .expect("an in-memory SQLite database");
    store.migrate().await.expect("the SQLite migrations apply");
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT t.name, c.name, c.\"notnull\", c.pk
         FROM sqlite_schema AS t, pragma_table_info(t.name) AS c
         WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' AND t.name <> '_sqlx_migrations'",
    )
    .fetch_all(store.connection_pool())
    .await
    .expect("the SQLite schema");
    store.close().await;
    rows.into_iter().map(|(table, column, not_null, pk)| (table, column, not_null == 0 && pk == 0)).collect()
}

/// Every column of the public schema of a fresh PostgreSQL database after the
/// migrations, sqlx's own table left out; `None` when the test is skipped.
async fn postgres_columns() -> Option<BTreeSet<Column>> {
    let db = TestDatabase::create().await?;
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text
         FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(db.store().connection_pool())
    .await
    .expect("the PostgreSQL schema");
    db.drop_database().await;
    Some(rows.into_iter().map(|(table, column, nullable)| (table, column, nullable == "YES")).collect())
}

fn shown(columns: &BTreeSet<&Column>) -> String {
    let lines: Vec<String> = columns
        .iter()
        .map(|(t, c, nullable)| format!("  {t}.{c} ({})", if *nullable { "nullable" } else { "NOT NULL" }))
        .collect();
    if lines.is_empty() { "  (none)".into() } else { lines.join("\n") }
}

#[test]
fn both_databases_have_the_same_migration_files() {
    let (sqlite, postgres) = (files("sqlite"), files("postgres"));
    assert!(!sqlite.is_empty(), "no SQLite migrations found");
    assert_eq!(sqlite, postgres, "a migration must be written for both databases, under the same name");
}

#[tokio::test]
async fn both_migration_sets_produce_the_same_tables_and_columns() {
    let sqlite = sqlite_columns().await;
    let Some(postgres) = postgres_columns().await else { return };
    let tables: BTreeSet<&String> = sqlite.iter().map(|(t, _, _)| t).collect();
    assert!(tables.len() >= 10, "the comparison sees the whole schema: {tables:?}");
    let only_sqlite: BTreeSet<&Column> = sqlite.difference(&postgres).collect();
    let only_postgres: BTreeSet<&Column> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the schemas differ.\nOnly on SQLite:\n{}\nOnly on PostgreSQL:\n{}",
        shown(&only_sqlite),
        shown(&only_postgres)
    );
}
