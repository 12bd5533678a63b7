//! The real server on port 0, over real TCP: probes, first run, graceful shutdown and
//! start-up failures, on SQLite and (when reachable) PostgreSQL.

mod support;

use adapters_http::MetricsRenderer;
use bin_server::settings::{Profile, Settings};
use bin_server::{Application, StartError};
use secrecy::SecretString;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use support::{Running, settings_for};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn settings(database_url: &str) -> Settings {
    settings_for(Profile::Testing, database_url)
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

async fn start(s: &Settings) -> Running {
    Running::start(s).await
}

async fn start_with(s: &Settings, metrics: Option<MetricsRenderer>) -> (Running, Option<u16>) {
    Running::start_with(s, metrics).await
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

/// Reads until the server closes the connection (end of file or reset); returns what
/// arrived before.
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buf = [0_u8; 1024];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return received,
            Ok(n) => received.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn a_client_trickling_its_request_head_is_cut_off_after_the_header_read_timeout() {
    let mut s = settings(&format!("sqlite://{}", temp_db("trickle").display()));
    s.server.header_read_timeout_secs = 1;
    let running = start(&s).await;
    let stream = TcpStream::connect(("127.0.0.1", running.port)).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    writer.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ").await.unwrap();
    let started = std::time::Instant::now();
    // One byte a second: each keeps the connection active, none completes the head.
    let trickle = tokio::spawn(async move {
        for _ in 0..60 {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if writer.write_all(b"a").await.is_err() {
                return;
            }
        }
    });
    let mut received = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(20), async {
        let mut buf = [0_u8; 1024];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    trickle.abort();
    assert!(closed.is_ok(), "the trickling client was still connected after 20 s");
    let answer = String::from_utf8_lossy(&received);
    assert!(!answer.contains(" 200 "), "no request was served: {answer}");
    assert!(started.elapsed() >= Duration::from_millis(500), "cut off by the timeout, not at once");
    assert_eq!(get(running.port, "/health").await.0, 200, "others are still served");
    running.stop().await;
}

/// The soft limit on open files, from /proc (Linux); `None` elsewhere.
fn open_file_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

#[tokio::test]
async fn a_thousand_idle_connections_do_not_stop_a_normal_request() {
    const IDLE: usize = 1_000;
    // Both ends live in this process: two descriptors per connection, plus the database.
    if let Some(limit) = open_file_limit() {
        assert!(limit >= 2 * IDLE as u64 + 200, "raise `ulimit -n` (soft limit {limit}) to run this test");
    }
    let running = start(&settings(&format!("sqlite://{}", temp_db("idle").display()))).await;
    let mut idle = Vec::with_capacity(IDLE);
    for _ in 0..IDLE {
        idle.push(TcpStream::connect(("127.0.0.1", running.port)).await.expect("connect an idle client"));
    }
    let answered = tokio::time::timeout(Duration::from_secs(10), get(running.port, "/health")).await;
    assert_eq!(answered.expect("answered within 10 s").0, 200);
    drop(idle);
    running.stop().await;
}

#[tokio::test]
async fn a_client_that_sends_nothing_is_closed_after_the_header_read_timeout() {
    let mut s = settings(&format!("sqlite://{}", temp_db("silent").display()));
    s.server.header_read_timeout_secs = 1;
    let running = start(&s).await;
    let mut silent = TcpStream::connect(("127.0.0.1", running.port)).await.expect("connect");
    let closed = tokio::time::timeout(Duration::from_secs(20), read_until_closed(&mut silent)).await;
    assert_eq!(closed.expect("closed within 20 s"), Vec::<u8>::new());
    running.stop().await;
}

#[tokio::test]
async fn a_kept_alive_connection_with_nothing_in_flight_is_closed_at_the_stop_signal() {
    let running = start(&settings(&format!("sqlite://{}", temp_db("drain").display()))).await;
    let mut kept = TcpStream::connect(("127.0.0.1", running.port)).await.expect("connect");
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let mut first = [0_u8; 12];
    kept.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    // A kept-alive connection with no request in flight closes at the stop signal.
    running.stop().await;
    let rest = tokio::time::timeout(Duration::from_secs(5), read_until_closed(&mut kept)).await;
    assert!(rest.is_ok(), "the idle kept-alive connection is closed at shutdown");
}

#[tokio::test]
async fn a_request_in_flight_at_the_stop_signal_is_answered_before_the_server_stops() {
    let running = start(&settings(&format!("sqlite://{}", temp_db("in-flight").display()))).await;
    let port = running.port;
    let mut client = TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    let body = b"username=nobody&password=wrong&csrf_token=x";
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    client.write_all(head.as_bytes()).await.unwrap();
    client.write_all(&body[..10]).await.unwrap();
    // The head is read and the body half sent: the request is in flight.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopping = tokio::spawn(running.stop());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!stopping.is_finished(), "the server waits for the request in flight");
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err(), "no new connection is accepted meanwhile");
    client.write_all(&body[10..]).await.unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(10), read_until_closed(&mut client)).await.expect("answered");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 "), "a whole response, not a reset: {answer}");
    stopping.await.expect("the server stops once the request is answered");
}

#[tokio::test]
async fn an_idle_kept_alive_http1_connection_is_closed_by_the_header_read_timeout() {
    let mut s = settings(&format!("sqlite://{}", temp_db("keep-alive").display()));
    (s.server.header_read_timeout_secs, s.server.keep_alive_timeout_secs) = (1, 60);
    let running = start(&s).await;
    let mut kept = TcpStream::connect(("127.0.0.1", running.port)).await.expect("connect");
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let started = std::time::Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(20), read_until_closed(&mut kept)).await.expect("closed");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
    // hyper times the wait for the next request head with the header timeout (1 s here),
    // well before the keep-alive timeout (60 s here).
    assert!(started.elapsed() >= Duration::from_millis(500), "kept alive for a while: {:?}", started.elapsed());
    running.stop().await;
}

/// The HTTP/2 client preface and an empty SETTINGS frame (h2c, prior knowledge).
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00";

#[tokio::test]
async fn an_idle_http2_connection_is_closed_after_the_keep_alive_timeout() {
    let mut s = settings(&format!("sqlite://{}", temp_db("h2-idle").display()));
    (s.server.header_read_timeout_secs, s.server.keep_alive_timeout_secs) = (1, 3);
    let running = start(&s).await;
    let mut h2 = TcpStream::connect(("127.0.0.1", running.port)).await.expect("connect");
    h2.write_all(H2_PREFACE).await.unwrap();
    let started = std::time::Instant::now();
    let frames = tokio::time::timeout(Duration::from_secs(20), read_until_closed(&mut h2)).await.expect("closed");
    // The server speaks HTTP/2: its first frame is SETTINGS (type 4); when the client has
    // been silent for the keep-alive timeout (3 s) it sends a GOAWAY (type 7), and drops
    // the connection one header timeout later, since this client never answers its PING.
    assert_eq!(frames.get(3), Some(&4), "{frames:?}");
    assert!(frames.windows(4).any(|w| w[..3] == [0, 0, 8] && w[3] == 7), "a GOAWAY frame: {frames:?}");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(2500), "kept for the keep-alive timeout, not the header one: {elapsed:?}");
    running.stop().await;
}

/// The Redis at `TEST_REDIS_URL` (default `redis://127.0.0.1:6379`), or `None` after
/// saying so when none answers, unless `REQUIRE_REDIS=1` (as in CI).
async fn test_redis() -> Option<String> {
    let url = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    let address = url.trim_start_matches("redis://").split(['/', '@']).next().unwrap_or_default().to_owned();
    let reachable = tokio::time::timeout(Duration::from_secs(2), TcpStream::connect(address.as_str()))
        .await
        .is_ok_and(|c| c.is_ok());
    if reachable {
        return Some(url);
    }
    assert!(std::env::var("REQUIRE_REDIS").as_deref() != Ok("1"), "REQUIRE_REDIS=1 but no Redis answers at {url}");
    eprintln!("SKIPPED: no Redis at {url}; set TEST_REDIS_URL or start one");
    None
}

fn limited_settings(name: &str, redis: &str, prefix: &str) -> Settings {
    let mut s = settings(&format!("sqlite://{}", temp_db(name).display()));
    s.security.requests_per_minute = 4;
    s.redis.url = Some(SecretString::from(redis.to_owned()));
    s.redis.key_prefix = prefix.to_owned();
    s
}

#[tokio::test]
async fn two_servers_sharing_one_redis_share_a_clients_budget() {
    let Some(redis) = test_redis().await else { return };
    let prefix = format!("server-test-{}-{:?}", std::process::id(), std::time::SystemTime::now());
    let first = start(&limited_settings("redis-a", &redis, &prefix)).await;
    let second = start(&limited_settings("redis-b", &redis, &prefix)).await;
    for i in 0..4 {
        let port = if i % 2 == 0 { first.port } else { second.port };
        assert_eq!(get(port, "/login").await.0, 200, "request {i}");
    }
    let raw = get_raw(second.port, "/login").await;
    assert!(raw.starts_with("HTTP/1.1 429"), "the fifth request, the second on this server: {raw}");
    assert!(raw.to_ascii_lowercase().contains("retry-after:"), "{raw}");
    assert_eq!(get(first.port, "/health").await.0, 200, "probes are never limited");
    first.stop().await;
    second.stop().await;
}

#[tokio::test]
async fn with_redis_unreachable_the_server_serves_and_limits_on_its_own() {
    let s = limited_settings("redis-down", "redis://127.0.0.1:1", "unreachable");
    let running = start(&s).await;
    for i in 0..4 {
        assert_eq!(get(running.port, "/login").await.0, 200, "request {i}");
    }
    assert_eq!(get(running.port, "/login").await.0, 429, "the in-process limit holds");
    running.stop().await;
}
