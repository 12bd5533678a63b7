//! The security suite: each control of `docs/SECURITY.md`, proved against the real
//! server over real TCP, built from the repository's own profiles.
//!
//! What is proved here: the header set on every kind of response of a production
//! server behind a trusted proxy; cookie flags per profile; a new session id and CSRF
//! token on every login, also through a stale session; the account lock after failures
//! from many addresses; CSRF on every state-changing route of the router's own list;
//! staff and admin routes refused to those below them, route by route; no stack trace,
//! SQL or file path in any error, a broken database included; a hostile request id not
//! echoed; `/metrics` not on the public port; a trickling client cut off; and the
//! production refusals. The full route × role table (every outcome and audit entry) is
//! `adapters-http/tests/web/route_table.rs`; the property tests of the parsers are listed
//! in `docs/SECURITY.md`.

mod support;

#[path = "../../adapters-http/tests/web/route_table/guard.rs"]
#[allow(dead_code)]
mod guard;

use adapters_http::{Argon2Hasher, HashParams};
use adapters_sqlite::SqliteStore;
use application::users::{CreateAdmin, CreateUser, ResetPassword};
use application::{Actor, StaffMember, Tracker};
use bin_server::clock::SystemClock;
use bin_server::database::Database;
use bin_server::settings::{Profile, Settings, validate};
use domain::{Role, UserId, Username};
use secrecy::SecretString;
use std::time::{Duration, Instant};
use support::{Client, Reply, Running, exchange, settings_for, temp_sqlite};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ADMIN_PASSWORD: &str = "security-suite-admin-pw";
const MANAGER_PASSWORD: &str = "security-suite-manager-pw";

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// A migrated database with an admin and a manager whose passwords are known; answers
/// the tracker on it (for changes made behind the sessions' back) and the manager's id.
async fn seeded(url: &str) -> (Tracker<SqliteStore, Argon2Hasher, SystemClock>, Actor, UserId) {
    let store = sqlite(url).await;
    store.migrate().await.expect("migrate");
    let tracker = Tracker::new(store, Argon2Hasher::new(HashParams::OWASP).expect("hasher"), SystemClock);
    let admin_id = tracker
        .create_admin(CreateAdmin { username: "admin".into(), password: ADMIN_PASSWORD.into() })
        .await
        .expect("the admin");
    let admin = Actor::Staff(StaffMember {
        id: admin_id,
        username: Username::parse("admin").unwrap(),
        role: Role::Admin,
        token: None,
    });
    let manager = tracker
        .create_user(
            &admin,
            CreateUser {
                username: "manager".into(),
                role: "manager".into(),
                password: MANAGER_PASSWORD.into(),
                idempotency_key: None,
            },
        )
        .await
        .expect("the manager");
    (tracker, admin, manager)
}

/// The SQLite store at `url`, beside the server's own connections.
async fn sqlite(url: &str) -> SqliteStore {
    match Database::connect(&settings_for(Profile::Testing, url).database).await.expect("connect") {
        Database::Sqlite(store) => store,
        Database::Postgres(_) => unreachable!("a SQLite URL"),
    }
}

/// A seeded production server behind a loopback proxy, on a fresh file named `name`;
/// also answers the tracker on its database, the admin and the manager's id.
async fn seeded_production(name: &str) -> (Running, Tracker<SqliteStore, Argon2Hasher, SystemClock>, Actor, UserId) {
    let url = temp_sqlite(name);
    let (tracker, admin, manager) = seeded(&url).await;
    (Running::start(&production(&url)).await, tracker, admin, manager)
}

/// Production settings on `url`, behind a proxy on the loopback interface.
fn production(url: &str) -> Settings {
    let mut s = settings_for(Profile::Production, url);
    s.server.host = "127.0.0.1".into();
    s.server.port = 0;
    s.server.trusted_proxies = vec!["127.0.0.1".into()];
    s.metrics.address = String::new();
    // Operators run `asset-tracker migrate` before a deploy; a test's fresh file migrates at start.
    s.database.migrate_on_start = true;
    s
}

fn assert_security_headers(what: &str, reply: &Reply) {
    let expect = [
        ("content-security-policy", CSP),
        ("strict-transport-security", "max-age=31536000; includeSubDomains"),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("cross-origin-opener-policy", "same-origin"),
    ];
    for (name, value) in expect {
        assert_eq!(reply.header(name).as_deref(), Some(value), "{what}: {name} in\n{}", reply.head);
    }
    let permissions = reply.header("permissions-policy").unwrap_or_default();
    assert!(permissions.contains("camera=()") && permissions.contains("geolocation=()"), "{what}: {permissions}");
}

#[tokio::test]
async fn a_production_server_behind_a_trusted_proxy_sends_the_header_set_on_every_kind_of_response() {
    let (running, ..) = seeded_production("security-headers").await;
    let mut visitor = Client::new(running.port).with_header("X-Forwarded-For", "198.51.100.20");
    let home = visitor.get("/").await.body;
    let stylesheet = home
        .split('"')
        .find(|s| s.starts_with("/static/") && s.ends_with(".css"))
        .expect("the page links its stylesheet")
        .to_owned();
    let kinds = [
        ("a public page", "/", 200),
        ("JSON (no active campaign)", "/api/v1/pool", 404),
        ("a static file", stylesheet.as_str(), 200),
        ("an error page", "/no-such-page", 404),
        ("a JSON error", "/api/v1/no-such-thing", 404),
        ("a redirect", "/manage", 303),
        ("the login page", "/login", 200),
    ];
    for (what, path, status) in kinds {
        let reply = visitor.get(path).await;
        assert_eq!(reply.status, status, "{what}: {}", reply.head);
        assert_security_headers(what, &reply);
    }
    let mut staff = Client::new(running.port).with_header("X-Forwarded-For", "198.51.100.21");
    assert_eq!(staff.log_in("admin", ADMIN_PASSWORD).await.status, 303);
    let page = staff.get("/manage").await;
    assert_eq!(page.status, 200);
    assert_security_headers("a signed-in page", &page);
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"), "{}", page.head);
    // Every page the router declares, as an admin sees it (or its 404 page).
    for (_, pattern) in declared_routes().into_iter().filter(|(method, _)| method == "GET") {
        let path = concrete(&pattern);
        let reply = staff.get(&path).await;
        // The API's staff reads answer a session 401: no cookie authenticates the API.
        let api = pattern.starts_with("/api/v1/");
        assert!(matches!(reply.status, 200 | 303 | 404) || (api && reply.status == 401), "GET {path}: {}", reply.head);
        assert_security_headers(&format!("GET {path}"), &reply);
        let behind_login = ["/manage", "/admin", "/profile"].iter().any(|p| path.starts_with(p));
        if reply.status == 200 && behind_login {
            assert_eq!(reply.header("cache-control").as_deref(), Some("no-store"), "GET {path}: {}", reply.head);
        }
    }
    running.stop().await;
}

/// The session cookie as set on `/login` by a server of `profile`.
async fn login_cookie(profile: Profile) -> String {
    let url = temp_sqlite(&format!("cookie-{}", profile.as_str()));
    let mut s = if profile == Profile::Production { production(&url) } else { settings_for(profile, &url) };
    s.server.port = 0;
    s.metrics.address = String::new();
    let running = Running::start(&s).await;
    let reply = Client::new(running.port).get("/login").await;
    running.stop().await;
    reply.header("set-cookie").expect("a session cookie")
}

#[tokio::test]
async fn session_cookies_carry_the_flags_of_their_profile() {
    for profile in [Profile::Development, Profile::Testing, Profile::Production] {
        let cookie = login_cookie(profile).await;
        let attributes: Vec<String> = cookie.split(';').map(|a| a.trim().to_ascii_lowercase()).collect();
        let has = |flag: &str| attributes.iter().any(|a| a == flag);
        assert!(has("httponly") && has("samesite=lax") && has("path=/"), "{profile:?}: {cookie}");
        assert!(!attributes.iter().any(|a| a.starts_with("domain=")), "{profile:?}: no Domain: {cookie}");
        if profile == Profile::Production {
            assert!(cookie.starts_with("__Host-asset_tracker_session="), "{cookie}");
            assert!(has("secure"), "production cookies are Secure: {cookie}");
        } else {
            // Plain HTTP on a laptop: a Secure cookie would never come back.
            assert!(!has("secure"), "{profile:?}: {cookie}");
        }
    }
}

/// The router's own routes, read from the web adapter's source (see `guard`).
fn declared_routes() -> std::collections::BTreeSet<guard::Route> {
    guard::declared_routes_in(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../adapters-http/src"))
}

fn session_id(client: &Client) -> String {
    client.cookie.split_once('=').map(|(_, id)| id.to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn logging_in_through_a_stale_session_yields_a_new_session_id_and_csrf_token() {
    let (running, tracker, admin, manager_id) = seeded_production("security-stale").await;
    let mut browser = Client::new(running.port).with_header("X-Forwarded-For", "198.51.100.30");
    assert_eq!(browser.log_in("manager", MANAGER_PASSWORD).await.status, 303);
    browser.get("/manage").await;
    let (stale_id, stale_token) = (session_id(&browser), browser.csrf.clone());
    // The manager's password is reset: the session no longer resolves to a user.
    tracker
        .reset_password(&admin, manager_id, ResetPassword { new_password: "a-brand-new-password".into() })
        .await
        .unwrap();
    assert_eq!(browser.get("/manage").await.status, 303, "the stale session is logged out");
    let login = browser.log_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(login.status, 303, "{}", login.body);
    browser.get("/manage").await;
    assert_ne!(session_id(&browser), stale_id, "a new session id");
    assert!(!browser.csrf.is_empty());
    assert_ne!(browser.csrf, stale_token, "a new CSRF token");
    running.stop().await;
}

#[tokio::test]
async fn six_failures_from_six_addresses_lock_the_account() {
    let (running, ..) = seeded_production("security-lock").await;
    for i in 1..=5 {
        let mut guesser = Client::new(running.port).with_header("X-Forwarded-For", &format!("203.0.113.{i}"));
        let reply = guesser.log_in("admin", "wrong-password-guess").await;
        // The fifth failure within the window starts the lock and says so.
        let expected = if i < 5 { 422 } else { 429 };
        assert_eq!(reply.status, expected, "failure {i}: {}", reply.head);
    }
    let mut sixth = Client::new(running.port).with_header("X-Forwarded-For", "203.0.113.6");
    let reply = sixth.log_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(reply.status, 429, "locked whatever the address and password: {}", reply.head);
    assert!(reply.header("retry-after").is_some_and(|s| s.parse::<u64>().is_ok_and(|s| s > 0)), "{}", reply.head);
    running.stop().await;
}

/// `pattern` with every `{parameter}` replaced by `1`.
fn concrete(pattern: &str) -> String {
    let mut path = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        path.push_str(&rest[..start]);
        path.push('1');
        rest = rest[start..].split_once('}').map_or("", |(_, after)| after);
    }
    path + rest
}

#[tokio::test]
async fn every_state_changing_route_refuses_a_request_without_the_csrf_token() {
    let (running, ..) = seeded_production("security-csrf").await;
    let mut admin = Client::new(running.port).with_header("X-Forwarded-For", "198.51.100.40");
    assert_eq!(admin.log_in("admin", ADMIN_PASSWORD).await.status, 303);
    admin.get("/manage").await;
    let (api, writes): (Vec<_>, Vec<_>) = declared_routes()
        .into_iter()
        .filter(|(method, _)| method != "GET")
        .partition(|(_, pattern)| pattern.starts_with("/api/"));
    assert!(writes.len() > 30, "the router's list is read: {writes:?}");
    // The API reads no cookie: a logged-in browser cannot write through it, token or not.
    assert!(api.len() > 5, "the API's writes are read: {api:?}");
    for (method, pattern) in &api {
        let path = concrete(pattern);
        let token = admin.csrf.clone();
        let reply = admin.send_json(method, &path, "{}", &[("X-CSRF-Token", &token)]).await;
        assert_eq!(reply.status, 401, "{method} {path} with a session and its CSRF token: {}", reply.head);
    }
    for (method, pattern) in &writes {
        assert_eq!(method, "POST", "forms only post");
        let path = concrete(pattern);
        let reply = admin.post_form(&path, "name=x", false).await;
        assert_eq!(reply.status, 403, "POST {path} without the token: {}", reply.head);
        let forged = admin.post_form(&path, "name=x&csrf_token=forged-token", false).await;
        assert_eq!(forged.status, 403, "POST {path} with a wrong token: {}", forged.head);
    }
    running.stop().await;
}

#[tokio::test]
async fn staff_routes_refuse_the_public_and_admin_routes_refuse_managers() {
    let (running, ..) = seeded_production("security-roles").await;
    let mut public = Client::new(running.port).with_header("X-Forwarded-For", "198.51.100.50");
    public.get("/login").await;
    let mut manager = Client::new(running.port).with_header("X-Forwarded-For", "198.51.100.51");
    assert_eq!(manager.log_in("manager", MANAGER_PASSWORD).await.status, 303);
    manager.get("/manage").await;
    let mut checked = 0;
    for (method, pattern) in declared_routes() {
        let path = concrete(&pattern);
        let staff_only = ["/manage", "/admin", "/profile"].iter().any(|p| pattern.starts_with(p));
        if staff_only {
            let reply = if method == "GET" { public.get(&path).await } else { public.post_form(&path, "", true).await };
            let to_login = reply.header("location").is_some_and(|l| l.starts_with("/login"));
            assert!(reply.status == 403 || (reply.status == 303 && to_login), "public {method} {path}: {}", reply.head);
            checked += 1;
        }
        if pattern.starts_with("/admin") {
            let reply =
                if method == "GET" { manager.get(&path).await } else { manager.post_form(&path, "", true).await };
            assert!(matches!(reply.status, 403 | 404), "manager {method} {path}: {}", reply.head);
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked} checks");
    running.stop().await;
}

/// What no error body may show: a panic, a backtrace, SQL, the driver, or a source path.
const LEAKS: [&str; 12] = [
    "panicked",
    "backtrace",
    "SELECT ",
    "INSERT ",
    "no such table",
    "sqlx",
    "sqlite",
    "error returned from database",
    ".rs:",
    "/src/",
    "/root/",
    "/tmp/",
];

fn assert_no_leak(what: &str, reply: &Reply) {
    let text = format!("{}\n{}", reply.head, reply.body);
    for leak in LEAKS {
        assert!(!text.to_lowercase().contains(&leak.to_lowercase()), "{what} shows {leak:?}:\n{text}");
    }
}

#[tokio::test]
async fn no_error_shows_a_stack_trace_sql_or_a_file_path_even_with_the_database_broken() {
    let url = temp_sqlite("security-leaks");
    let _seeded = seeded(&url).await;
    let mut s = production(&url);
    s.server.body_limit_bytes = 1024;
    s.security.login_attempts_per_minute = 1;
    let running = Running::start(&s).await;
    let port = running.port;
    let mut client = Client::new(port).with_header("X-Forwarded-For", "198.51.100.60");
    let mut errors = vec![
        ("404", client.get("/no/such/page").await),
        ("404 JSON", client.get("/api/v1/nothing").await),
        ("405", exchange(port, "DELETE /timeline HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await),
        ("403 CSRF", client.post_form("/logout", "", false).await),
        ("413", client.post_form("/login", &"x".repeat(4096), true).await),
        ("400 bad request line", exchange(port, "GARBAGE\r\n\r\n").await),
    ];
    client.log_in("nobody", "wrong").await;
    errors.push(("429", client.log_in("nobody", "wrong").await));
    // Break the database under the running server: every read now fails in SQL.
    let store = sqlite(&url).await;
    sqlx::query("DROP TABLE campaigns").execute(store.connection_pool()).await.expect("drop a table");
    errors.push(("500 from SQL", Client::new(port).get("/timeline").await));
    errors.push(("500 from SQL, JSON", Client::new(port).get("/api/v1/pool").await));
    for (what, reply) in &errors {
        assert!(reply.status >= 400, "{what}: {}", reply.head);
        assert_no_leak(what, reply);
    }
    assert!(errors.iter().any(|(_, r)| r.status == 500), "the broken database answers 500");
    running.stop().await;
}

#[tokio::test]
async fn a_hostile_request_id_is_replaced_and_metrics_are_not_on_the_public_port() {
    let url = temp_sqlite("security-ids");
    let running = Running::start(&production(&url)).await;
    let hostile = "<script>alert(1)</script>";
    let reply = exchange(
        running.port,
        &format!("GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: {hostile}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    let id = reply.header("x-request-id").expect("a request id");
    assert_ne!(id, hostile);
    assert!(id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)), "{id}");
    assert_eq!(Client::new(running.port).get("/metrics").await.status, 404, "no metrics on the public port");
    running.stop().await;
}

#[tokio::test]
async fn a_client_trickling_its_request_head_is_cut_off() {
    let url = temp_sqlite("security-trickle");
    let mut s = production(&url);
    s.server.header_read_timeout_secs = 1;
    let running = Running::start(&s).await;
    let mut stream = TcpStream::connect(("127.0.0.1", running.port)).await.unwrap();
    let started = Instant::now();
    let mut closed = false;
    for byte in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".iter().cycle().take(200) {
        if stream.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut probe = [0u8; 512];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(1), stream.read(&mut probe)).await {
            closed = true;
            assert!(n == 0 || String::from_utf8_lossy(&probe[..n]).starts_with("HTTP/1.1 408"), "closed or 408");
            break;
        }
    }
    assert!(closed, "the trickling client was never cut off");
    assert!(started.elapsed() < Duration::from_secs(5), "cut off after {:?}", started.elapsed());
    running.stop().await;
}

/// One unsafe change to otherwise acceptable production settings.
type Unsafe = Box<dyn Fn(&mut Settings)>;

#[test]
fn production_refuses_what_would_be_unsafe_and_names_the_variable() {
    let base = || {
        let mut s = settings_for(Profile::Production, "postgres://tracker:a-real-password@db/tracker");
        s.server.trusted_proxies = vec!["172.16.0.0/12".into()];
        s
    };
    assert_eq!(validate(&base()), vec![], "the base is acceptable");
    let cases: Vec<(&str, Unsafe)> = vec![
        ("APP_DATABASE__URL", Box::new(|s| s.database.url = None)),
        (
            "APP_DATABASE__URL",
            Box::new(|s| {
                s.database.url = Some(SecretString::from("postgres://t:change-this-database-password@db/t".to_owned()))
            }),
        ),
        ("APP_SESSION__SECURE_COOKIE", Box::new(|s| s.session.secure_cookie = false)),
        ("APP_SESSION__COOKIE_NAME", Box::new(|s| s.session.cookie_name = "asset_tracker_session".into())),
        ("APP_SERVER__TRUSTED_PROXIES", Box::new(|s| s.server.trusted_proxies.clear())),
        (
            "APP_SECURITY__API_TOKEN_KEY",
            Box::new(|s| s.security.api_token_key = SecretString::from("development-only-api-token-key-not-a-secret")),
        ),
        ("APP_SECURITY__API_TOKEN_KEY", Box::new(|s| s.security.api_token_key = SecretString::from("too-short"))),
    ];
    for (variable, change) in cases {
        let mut s = base();
        change(&mut s);
        let problems = validate(&s);
        assert!(problems.iter().any(|p| p.variable == variable), "{variable} not named: {problems:?}");
    }
    let mut direct = base();
    direct.server.trusted_proxies.clear();
    direct.server.direct = true;
    assert_eq!(validate(&direct), vec![], "stating direct clients is enough");
}
