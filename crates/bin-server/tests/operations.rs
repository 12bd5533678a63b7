//! The operator's commands as containers and scripts run them, on the real binary:
//! `healthcheck` (exit 0 only on a 200 within the timeout, 1 otherwise, saying why)
//! and `backup --to` (a consistent copy of a live SQLite database, never over a file).

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row, SqliteConnection};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_asset-tracker");

/// A new empty directory of this test process's own.
fn temp_dir(name: &str) -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("asset-tracker-ops-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

/// Runs the binary in `dir` with only the given variables.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).current_dir(dir).env_clear().envs(env.iter().copied()).stdin(Stdio::null());
    command.output().expect("run asset-tracker")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The server, run by the binary under the testing profile on a free port; killed when
/// dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// Starts `asset-tracker serve` in `dir` and waits for its "listening" line.
    fn start(dir: &Path, env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(BIN);
        command
            .arg("serve")
            .current_dir(dir)
            .env_clear()
            .env("APP_PROFILE", "testing")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = command.spawn().expect("start asset-tracker serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let port = loop {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.kill();
                panic!("the server stopped before listening: {:?}", child.wait());
            };
            if let Some(address) = line.strip_prefix("asset-tracker listening on http://") {
                break address.rsplit(':').next().and_then(|p| p.trim().parse().ok()).expect("a port");
            }
        };
        // Keep reading so that the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self { child, port }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port on which nothing listens.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("an address").port()
}

#[test]
fn healthcheck_against_a_running_server_exits_0_and_says_healthy() {
    let dir = temp_dir("health-ok");
    let server = Server::start(&dir, &[]);
    let url = format!("http://127.0.0.1:{}/health", server.port);
    let out = run(&dir, &["healthcheck", "--url", &url], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains(&format!("healthy: {url} answered HTTP/1.1 200 OK")), "{stdout}");
}

#[test]
fn healthcheck_without_a_url_calls_the_configured_port_on_the_loopback_for_a_wildcard_host() {
    let dir = temp_dir("health-settings");
    let server = Server::start(&dir, &[("APP_SERVER__HOST", "0.0.0.0")]);
    let port = server.port.to_string();
    let env = [("APP_PROFILE", "testing"), ("APP_SERVER__HOST", "0.0.0.0"), ("APP_SERVER__PORT", port.as_str())];
    let out = run(&dir, &["healthcheck"], &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("http://127.0.0.1:{port}/health answered")), "{}", text(&out.stdout));
}

#[test]
fn healthcheck_against_a_closed_port_exits_1_saying_it_cannot_connect() {
    let dir = temp_dir("health-closed");
    let url = format!("http://127.0.0.1:{}/health", closed_port());
    let out = run(&dir, &["healthcheck", "--url", &url], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("unhealthy") && stderr.contains("cannot connect"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn healthcheck_of_an_answer_other_than_200_exits_1_naming_the_status() {
    let dir = temp_dir("health-404");
    let server = Server::start(&dir, &[]);
    let url = format!("http://127.0.0.1:{}/no-such-page", server.port);
    let out = run(&dir, &["healthcheck", "--url", &url], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("answered HTTP/1.1 404"), "{}", text(&out.stderr));
}

#[test]
fn healthcheck_of_a_server_that_never_answers_exits_1_when_its_timeout_ends() {
    let dir = temp_dir("health-silent");
    // Connections complete in the backlog, but nothing ever reads or answers them.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://127.0.0.1:{}/health", silent.local_addr().expect("an address").port());
    let out = run(&dir, &["healthcheck", "--url", &url, "--timeout-secs", "1"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("did not answer within 1000 ms"), "{}", text(&out.stderr));
    drop(silent);
}

#[test]
fn healthcheck_refuses_bad_input_with_the_reason() {
    let dir = temp_dir("health-bad");
    let out = run(&dir, &["healthcheck", "--url", "https://tracker.example.org/health"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("is not an http:// URL"), "{}", text(&out.stderr));

    let out = run(&dir, &["healthcheck"], &[("APP_PROFILE", "testing")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("pass --url"), "the testing profile's port is 0: {}", text(&out.stderr));

    let out = run(&dir, &["healthcheck", "--timeout-secs", "0"], &[]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--timeout-secs"), "{}", text(&out.stderr));
}

/// Every row of every table of the SQLite database at `file`, by table, each row
/// rendered with SQLite's `quote()` and the rows sorted.
async fn dump(file: &Path) -> Vec<(String, Vec<String>)> {
    let mut conn: SqliteConnection =
        SqliteConnectOptions::new().filename(file).read_only(true).connect().await.expect("the file opens");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .expect("the tables");
    let mut dumped = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
            .bind(&table)
            .fetch_all(&mut conn)
            .await
            .expect("the columns");
        let row = columns.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || ',' || ");
        let mut rows: Vec<String> = sqlx::query(&format!("SELECT {row} FROM \"{table}\""))
            .fetch_all(&mut conn)
            .await
            .expect("the rows")
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
        rows.sort();
        dumped.push((table, rows));
    }
    conn.close().await.expect("close");
    dumped
}

#[tokio::test]
async fn backup_of_a_live_sqlite_database_opens_as_a_database_with_the_same_rows() {
    let dir = temp_dir("backup-live");
    let database = dir.join("data").join("tracker.db");
    let url = format!("sqlite://{}", database.display());
    let env = [("APP_DATABASE__URL", url.as_str())];
    // The first run migrates, installs the built-in libraries and creates an admin; the
    // backup is taken while the server still runs.
    let server = Server::start(&dir, &env);

    let copy = dir.join("backup.db");
    let out = run(&dir, &["backup", "--to", "backup.db"], &env);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("backed up"), "{}", text(&out.stdout));
    drop(server);

    let (original, copied) = (dump(&database).await, dump(&copy).await);
    assert_eq!(original, copied, "the copy has every row of every table");
    let count = |table: &str| copied.iter().find(|(t, _)| t == table).map_or(0, |(_, rows)| rows.len());
    assert!(count("users") >= 1 && count("assets") >= 100, "the comparison is not vacuous: {copied:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).expect("the copy").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the copy is its owner's only");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn backup_never_overwrites_an_existing_file() {
    let dir = temp_dir("backup-exists");
    let url = format!("sqlite://{}", dir.join("tracker.db").display());
    let env = [("APP_DATABASE__URL", url.as_str())];
    assert!(run(&dir, &["migrate"], &env).status.success());
    std::fs::write(dir.join("old.db"), b"yesterday's backup").expect("an existing file");
    let out = run(&dir, &["backup", "--to", "old.db"], &env);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("old.db already exists"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(dir.join("old.db")).expect("kept"), b"yesterday's backup");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn backup_of_a_postgresql_database_is_refused_and_points_to_the_pg_dump_script() {
    let dir = temp_dir("backup-pg");
    let env = [("APP_DATABASE__URL", "postgres://tracker:topsecretpw@127.0.0.1:1/tracker")];
    let out = run(&dir, &["backup", "--to", "copy.db"], &env);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("PostgreSQL") && stderr.contains("deploy/backup.sh"), "{stderr}");
    assert!(!stderr.contains("topsecretpw"), "{stderr}");
    assert!(!dir.join("copy.db").exists());
}

#[test]
fn backup_of_a_missing_or_in_memory_database_is_refused_and_creates_nothing() {
    let dir = temp_dir("backup-missing");
    let url = format!("sqlite://{}", dir.join("nowhere.db").display());
    let out = run(&dir, &["backup", "--to", "copy.db"], &[("APP_DATABASE__URL", url.as_str())]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("there is no database at"), "{}", text(&out.stderr));
    assert!(!dir.join("nowhere.db").exists() && !dir.join("copy.db").exists());

    let out = run(&dir, &["backup", "--to", "copy.db"], &[("APP_DATABASE__URL", "sqlite::memory:")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("in memory"), "{}", text(&out.stderr));

    let out = run(&dir, &["backup"], &[]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--to"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
