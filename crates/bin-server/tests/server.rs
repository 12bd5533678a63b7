//! The real server on port 0, over real TCP: probes, first run, graceful shutdown and
//! start-up failures, on SQLite and (when reachable) PostgreSQL.

use adapters_http::MetricsRenderer;
use bin_server::settings::{Profile, Settings, load_from};
use bin_server::{Application, StartError};
use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

fn settings(database_url: &str) -> Settings {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    let mut s = load_from(&dir, Profile::Testing).expect("testing profile");
    s.database.url = Some(SecretString::from(database_url.to_owned()));
    s
}

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("asset-tracker-server-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("nested").join("tracker.db")
}

/// A GET over a fresh connection; returns the whole raw response.
async fn get_raw(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    raw
}

/// A GET over a fresh connection; returns the status code and the body.
async fn get(port: u16, path: &str) -> (u16, String) {
    let raw = get_raw(port, path).await;
    let status = raw.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

struct Running {
    port: u16,
    stop: oneshot::Sender<()>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(s: &Settings) -> Running {
    start_with(s, None).await.0
}

/// Starts the server with `metrics`; also returns the metrics listener's port.
async fn start_with(s: &Settings, metrics: Option<MetricsRenderer>) -> (Running, Option<u16>) {
    let app = Application::build(s, metrics).await.expect("server starts");
    let metrics_port = app.metrics_port();
    let port = app.port();
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    (Running { port, stop, done }, metrics_port)
}

impl Running {
    async fn stop(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(10), self.done).await.expect("stops in time").unwrap().unwrap();
    }
}

#[tokio::test]
async fn on_sqlite_the_server_creates_its_database_and_answers_the_probes() {
    let file = temp_db("probes");
    let running = start(&settings(&format!("sqlite://{}", file.display()))).await;
    assert!(file.exists(), "the database file and its directory are created");
    assert_eq!(get(running.port, "/health").await, (200, r#"{"status":"healthy"}"#.to_owned()));
    let (status, body) = get(running.port, "/ready").await;
    assert_eq!((status, body.as_str()), (200, r#"{"status":"ready"}"#));
    running.stop().await;
}

/// Asserts that `/login` is an HTML form with a CSRF field and sets an `HttpOnly`,
/// `SameSite=Lax` session cookie.
async fn assert_login_page(port: u16) {
    let raw = get_raw(port, "/login").await;
    let (head, body) = raw.split_once("\r\n\r\n").expect("a head and a body");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: text/html"), "{head}");
    let cookie = head.lines().find(|l| l.to_ascii_lowercase().starts_with("set-cookie:")).expect("a session cookie");
    assert!(cookie.contains("asset_tracker_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(body.contains(r#"name="csrf_token""#), "{body}");
}

#[tokio::test]
async fn on_sqlite_the_login_page_has_a_csrf_field_and_an_httponly_lax_session_cookie() {
    let running = start(&settings(&format!("sqlite://{}", temp_db("login").display()))).await;
    assert_login_page(running.port).await;
    running.stop().await;
}

#[tokio::test]
async fn metrics_are_served_on_their_own_listener_and_the_public_port_answers_404() {
    let mut s = settings(&format!("sqlite://{}", temp_db("metrics").display()));
    s.metrics.address = "127.0.0.1:0".to_owned();
    let render: MetricsRenderer = Arc::new(|| "# TYPE http_requests_total counter\nhttp_requests_total 1\n".to_owned());
    let (running, metrics_port) = start_with(&s, Some(render)).await;
    let metrics_port = metrics_port.expect("a metrics listener");
    assert_ne!(metrics_port, running.port);
    assert_eq!(get(running.port, "/metrics").await.0, 404, "never on the public port");
    let raw = get_raw(metrics_port, "/metrics").await;
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert!(raw.to_ascii_lowercase().contains("content-type: text/plain; version=0.0.4"), "{raw}");
    assert!(raw.ends_with("http_requests_total 1\n"), "{raw}");
    assert_eq!(get(metrics_port, "/health").await.0, 404, "the metrics listener serves metrics only");
    running.stop().await;
    assert!(TcpStream::connect(("127.0.0.1", metrics_port)).await.is_err(), "the metrics port closes too");
}

#[tokio::test]
async fn an_empty_metrics_address_turns_the_metrics_listener_off() {
    let mut s = settings(&format!("sqlite://{}", temp_db("metrics-off").display()));
    s.metrics.address = String::new();
    let (running, metrics_port) = start_with(&s, Some(Arc::new(String::new))).await;
    assert_eq!(metrics_port, None);
    assert_eq!(get(running.port, "/metrics").await.0, 404);
    running.stop().await;
}

#[tokio::test]
async fn after_a_stop_signal_the_server_stops_accepting_connections() {
    let running = start(&settings(&format!("sqlite://{}", temp_db("stop").display()))).await;
    let port = running.port;
    running.stop().await;
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err(), "the port is closed after shutdown");
}

#[tokio::test]
async fn a_taken_port_is_a_clear_start_error() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut s = settings(&format!("sqlite://{}", temp_db("port").display()));
    s.server.port = holder.local_addr().unwrap().port();
    let err = Application::build(&s, None).await.expect_err("port in use");
    assert!(matches!(err, StartError::Bind(..)));
    assert!(err.to_string().starts_with(&format!("cannot listen on 127.0.0.1:{}", s.server.port)), "{err}");
}

#[tokio::test]
async fn an_unsupported_database_url_is_a_clear_start_error() {
    let err = Application::build(&settings("mysql://db/tracker"), None).await.expect_err("unsupported");
    assert!(err.to_string().contains("must start with sqlite:, postgres:// or postgresql://"), "{err}");
}

#[tokio::test]
async fn on_postgresql_the_server_migrates_and_answers_the_probes() {
    let Some(db) = adapters_postgres::test_support::TestDatabase::create().await else { return };
    let running = start(&settings(db.url())).await;
    assert_eq!(get(running.port, "/health").await.0, 200);
    assert_eq!(get(running.port, "/ready").await.0, 200);
    assert_login_page(running.port).await;
    running.stop().await;
    db.drop_database().await;
}
