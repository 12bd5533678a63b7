//! `asset-tracker import-legacy` as an operator runs it, on the real binary: a dry run
//! prints the report and writes nothing, a real run imports, a second run is refused
//! on the now non-empty store; bad URLs and a damaged old schema fail with a message
//! naming the problem and no password; and imported Werkzeug passwords log in through
//! the real server once, which replaces them with argon2id.

mod support;

use bin_server::settings::Profile;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use support::{Client, Running, settings_for};

const BIN: &str = env!("CARGO_BIN_EXE_asset-tracker");
const SCHEMA: &str = include_str!("../../adapters-sql/tests/fixtures/legacy/schema-sqlite.sql");
const ROWS: &str = include_str!("../../adapters-sql/tests/fixtures/legacy/rows.sql");
const PG_SCHEMA: &str = include_str!("../../adapters-sql/tests/fixtures/legacy/schema-postgres.sql");

/// A new empty directory of this test process's own.
fn temp_dir(name: &str) -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("asset-tracker-legacy-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

/// Runs the binary in `dir` against the target database `target`.
fn run(dir: &Path, args: &[&str], target: &str) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).current_dir(dir).env_clear().env("APP_DATABASE__URL", target).stdin(Stdio::null());
    command.output().expect("run asset-tracker")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The old tracker's SQLite database with the fixture rows, then `damage`.
async fn old_database(dir: &Path, damage: &str) -> String {
    let url = format!("sqlite://{}", dir.join("old.db").display());
    let mut conn = SqliteConnectOptions::from_str(&url).unwrap().create_if_missing(true).connect().await.unwrap();
    sqlx::raw_sql(&format!("{SCHEMA}\n{ROWS}\n{damage}")).execute(&mut conn).await.expect("the fixture SQL");
    conn.close().await.unwrap();
    url
}

/// `SELECT count(*)` of `table` in the SQLite database at `url`.
async fn count(url: &str, table: &str) -> i64 {
    let mut conn = SqliteConnectOptions::from_str(url).unwrap().connect().await.unwrap();
    let n = sqlx::query(&format!("SELECT count(*) AS n FROM {table}")).fetch_one(&mut conn).await.unwrap().get("n");
    conn.close().await.unwrap();
    n
}

/// The stored hash of `username` in the SQLite database at `url`.
async fn hash_of(url: &str, username: &str) -> String {
    let mut conn = SqliteConnectOptions::from_str(url).unwrap().connect().await.unwrap();
    let row = sqlx::query("SELECT password_hash FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    row.get("password_hash")
}

#[tokio::test]
async fn a_dry_run_writes_nothing_a_real_run_imports_and_a_second_run_is_refused() {
    let dir = temp_dir("runs");
    let old = old_database(&dir, "").await;
    let target = format!("sqlite://{}", dir.join("tracker.db").display());

    let dry = run(&dir, &["import-legacy", "--from", &old, "--dry-run"], &target);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let dry_out = text(&dry.stdout);
    assert!(dry_out.starts_with("asset-tracker: DRY RUN, nothing written"), "{dry_out}");
    assert!(dry_out.contains("Stored quantity differs from initial + changes (1):"), "{dry_out}");
    assert!(dry_out.contains("Several active campaigns (2):"), "{dry_out}");
    assert!(!dry_out.contains("scrypt:") && !dry_out.contains("pbkdf2:"), "no hash is printed: {dry_out}");
    assert_eq!(count(&target, "users").await, 0, "a dry run writes nothing");
    assert_eq!(count(&target, "audit_log").await, 0);

    let real = run(&dir, &["import-legacy", "--from", &old], &target);
    assert!(real.status.success(), "{}", text(&real.stderr));
    let real_out = text(&real.stdout);
    assert!(real_out.starts_with("asset-tracker: imported from sqlite://"), "{real_out}");
    let findings = |out: &str| out.lines().skip(1).map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(findings(&dry_out), findings(&real_out), "the dry run reported exactly what the import did");
    assert_eq!((count(&target, "users").await, count(&target, "campaigns").await), (2, 3));
    let audited = count(&target, "audit_log").await;

    let again = run(&dir, &["import-legacy", "--from", &old], &target);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("database is not empty"), "{}", text(&again.stderr));
    assert_eq!((count(&target, "users").await, count(&target, "audit_log").await), (2, audited));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn bad_urls_and_a_damaged_old_schema_fail_naming_the_problem_and_no_password() {
    let dir = temp_dir("bad");
    let target = format!("sqlite://{}", dir.join("tracker.db").display());
    let out = run(&dir, &["import-legacy", "--from", "mysql://tracker:topsecretpw@db/old"], &target);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("unsupported URL") && !stderr.contains("topsecretpw"), "{stderr}");

    let out = run(&dir, &["import-legacy", "--from", "postgres://tracker:topsecretpw@127.0.0.1:1/old"], &target);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("cannot open the old database") && !stderr.contains("topsecretpw"), "{stderr}");

    let old = old_database(&dir, "DROP TABLE campaign_library_import;").await;
    let out = run(&dir, &["import-legacy", "--from", &old], &target);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("no table \"campaign_library_import\""), "{stderr}");
    assert!(!dir.join("tracker.db").exists(), "nothing is written when the old database cannot be read");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn imported_werkzeug_passwords_log_in_once_and_are_replaced_by_argon2id() {
    let dir = temp_dir("login");
    let old = old_database(&dir, "").await;
    let target = format!("sqlite://{}", dir.join("tracker.db").display());
    let out = run(&dir, &["import-legacy", "--from", &old], &target);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(hash_of(&target, "alice").await.starts_with("scrypt:"));
    assert!(hash_of(&target, "bob").await.starts_with("pbkdf2:sha256:"));

    let server = Running::start(&settings_for(Profile::Testing, &target)).await;
    let wrong = Client::new(server.port).log_in("bob", "not+the+old+password").await;
    assert_eq!(wrong.status, 422, "a wrong password fails");
    assert!(hash_of(&target, "bob").await.starts_with("pbkdf2:"), "and changes nothing");
    for (user, password) in [("alice", "legacy+scrypt+password"), ("bob", "legacy+pbkdf2+password")] {
        let reply = Client::new(server.port).log_in(user, password).await;
        assert_eq!(reply.status, 303, "{user} logs in with the old password: {}", reply.head);
        assert!(hash_of(&target, user).await.starts_with("$argon2id$"), "{user}'s hash is replaced");
        let again = Client::new(server.port).log_in(user, password).await;
        assert_eq!(again.status, 303, "{user} logs in again with the new hash");
    }
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Across engines: the old tracker on PostgreSQL (a fresh test database holding the
/// fixture), imported into a SQLite store. Skips loudly without a server, like every
/// PostgreSQL test (fails under `REQUIRE_POSTGRES=1`).
#[tokio::test]
async fn an_old_postgres_database_imports_into_a_sqlite_store() {
    let Some(old) = adapters_postgres::test_support::TestDatabase::create().await else { return };
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(old.url()).await.unwrap();
    sqlx::raw_sql(&format!("{PG_SCHEMA}\n{ROWS}")).execute(&pool).await.expect("the fixture SQL");
    pool.close().await;
    let dir = temp_dir("cross");
    let target = format!("sqlite://{}", dir.join("tracker.db").display());
    let out = run(&dir, &["import-legacy", "--from", old.url()], &target);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("into the SQLite database"), "{}", text(&out.stdout));
    let counts =
        (count(&target, "users").await, count(&target, "campaigns").await, count(&target, "asset_changes").await);
    assert_eq!(counts, (2, 3, 4));
    old.drop_database().await;
    let _ = std::fs::remove_dir_all(&dir);
}
