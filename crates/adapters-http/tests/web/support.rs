//! The harness of the router tests: the real router over the in-memory store with an
//! admin and a manager, and clients with their own cookie jar that follow no redirect.

#![allow(dead_code, reason = "helpers for every area's tests; each binary module uses some")]

use adapters_http::{AppState, HttpSettings, MemorySessionStore, SessionStore, router};
use application::memory::{ManualClock, MemoryStore, PlainHasher};
use application::users::{CreateAdmin, CreateUser};
use application::{Actor, StaffMember, Tracker};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use domain::{Role, UserId, Username};
use http_body_util::BodyExt;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use time::macros::utc_datetime;
use tower::ServiceExt;

/// The password of the seeded users.
pub const PASSWORD: &str = "correct horse battery";

/// The tracker behind the test router.
pub type TestTracker = Tracker<MemoryStore, PlainHasher, ManualClock>;

/// The application under test.
pub struct TestApp {
    router: Router,
    tracker: Arc<TestTracker>,
    clock: ManualClock,
    sessions: MemorySessionStore,
    cookie_name: String,
    admin: Actor,
    manager: Actor,
}

impl TestApp {
    /// Users `admin` (Admin) and `manager` (Manager) with `PASSWORD`, no rate limits,
    /// the clock at 2026-01-01T12:00Z.
    pub async fn new() -> Self {
        Self::with_settings(|_| {}).await
    }

    /// As `new`, with the settings changed by `change`.
    pub async fn with_settings(change: impl FnOnce(&mut HttpSettings)) -> Self {
        let clock = ManualClock::new(utc_datetime!(2026-01-01 12:00));
        let tracker = Arc::new(Tracker::new(MemoryStore::new(), PlainHasher::new(), clock.clone()));
        let admin_id = tracker
            .create_admin(CreateAdmin { username: "admin".into(), password: PASSWORD.into() })
            .await
            .expect("the admin is created");
        let admin = staff(admin_id, "admin", Role::Admin);
        let manager = CreateUser {
            username: "manager".into(),
            role: "manager".into(),
            password: PASSWORD.into(),
            idempotency_key: None,
        };
        let manager_id = tracker.create_user(&admin, manager).await.expect("the manager is created");
        let mut settings = HttpSettings {
            requests_per_minute: 0,
            login_attempts_per_minute: 0,
            secure_cookie: false,
            ..HttpSettings::default()
        };
        change(&mut settings);
        let sessions = MemorySessionStore::default();
        let cookie_name = settings.session_cookie_name.clone();
        let state = AppState::new(Arc::clone(&tracker), settings).expect("templates load").with_clock(clock.clone());
        let router = router(state, sessions.clone());
        let manager = staff(manager_id, "manager", Role::Manager);
        Self { router, tracker, clock, sessions, cookie_name, admin, manager }
    }

    /// The router itself, for requests no browser of `Client` would send.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// The tracker, to seed data through use cases.
    pub fn tracker(&self) -> &TestTracker {
        &self.tracker
    }

    /// The clock shared by the tracker and the session layer.
    pub fn clock(&self) -> &ManualClock {
        &self.clock
    }

    /// The seeded admin, as an actor for use cases.
    pub fn admin(&self) -> Actor {
        self.admin.clone()
    }

    /// The seeded manager, as an actor for use cases.
    pub fn manager(&self) -> Actor {
        self.manager.clone()
    }

    /// The seeded admin's id.
    pub fn admin_id(&self) -> UserId {
        id_of(&self.admin)
    }

    /// The seeded manager's id.
    pub fn manager_id(&self) -> UserId {
        id_of(&self.manager)
    }

    /// A visitor with an empty cookie jar.
    pub fn anonymous(&self) -> Client {
        Client {
            router: self.router.clone(),
            sessions: self.sessions.clone(),
            cookie_name: self.cookie_name.clone(),
            cookies: Arc::default(),
        }
    }

    /// A client whose jar holds the session cookie `session_id` (for replaying a session).
    pub fn client_with_session(&self, session_id: &str) -> Client {
        let client = self.anonymous();
        client.cookies.lock().expect("the jar").insert(self.cookie_name.clone(), session_id.to_owned());
        client
    }

    /// A client logged in as `username` (with `PASSWORD`).
    pub async fn login(&self, username: &str) -> Client {
        self.login_with(username, PASSWORD).await
    }

    /// A client logged in as `username` with `password`; panics when the login fails.
    pub async fn login_with(&self, username: &str, password: &str) -> Client {
        let client = self.anonymous();
        let response = client.post_form("/login", &[("username", username), ("password", password)]).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "login as {username} failed: {}", response.body);
        client
    }
}

fn id_of(actor: &Actor) -> UserId {
    actor.staff().map(|s| s.id).expect("a seeded staff member")
}

fn staff(id: UserId, name: &str, role: Role) -> Actor {
    Actor::Staff(StaffMember { id, username: Username::parse(name).expect("a valid username"), role, token: None })
}

fn form_request(path: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body = serde_urlencoded::to_string(fields).expect("an urlencoded form");
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("a request")
}

/// One visitor's browser: a cookie jar, no redirects followed.
#[derive(Clone)]
pub struct Client {
    router: Router,
    sessions: MemorySessionStore,
    cookie_name: String,
    cookies: Arc<Mutex<BTreeMap<String, String>>>,
}

impl Client {
    /// `GET path`.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).expect("a request")).await
    }

    /// `POST path` with an urlencoded form, adding the session's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_form_without_token(path, &all).await
    }

    /// `POST path` with exactly `fields` (no token added).
    pub async fn post_form_without_token(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        self.send(form_request(path, fields)).await
    }

    /// `POST path` with an urlencoded form and the CSRF token, as sent from the client
    /// address `peer` (`ip:port`), as the server's `ConnectInfo` tells the rate limits.
    pub async fn post_form_from(&self, peer: &str, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        let mut request = form_request(path, &all);
        let peer: SocketAddr = peer.parse().expect("a socket address");
        request.extensions_mut().insert(ConnectInfo(peer));
        self.send(request).await
    }

    /// Sends `request` with this client's cookies, and keeps the cookies it sets.
    pub async fn send(&self, mut request: Request<Body>) -> TestResponse {
        let cookie = self.cookie_header();
        if !cookie.is_empty() {
            request.headers_mut().insert(header::COOKIE, cookie.parse().expect("a cookie header"));
        }
        let response = self.router.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        self.keep_cookies(&headers);
        let bytes = response.into_body().collect().await.expect("a body").to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// The session's CSRF token (visiting `/login` first when the session has none).
    pub async fn csrf_token(&self) -> String {
        if let Some(token) = self.stored_token().await {
            return token;
        }
        let page = self.get("/login").await;
        assert!(page.status.is_success() || page.status.is_redirection(), "GET /login: {}", page.status);
        match self.stored_token().await {
            Some(token) => token,
            None => self.get("/profile").await.hidden_value("csrf_token").expect("a page with a CSRF token"),
        }
    }

    async fn stored_token(&self) -> Option<String> {
        let id = self.session_id()?.parse().ok()?;
        let record = self.sessions.load(&id).await.ok()??;
        record.data.get("csrf_token").and_then(|v| v.as_str()).map(str::to_owned)
    }

    /// The session cookie's value, when the client has one.
    pub fn session_id(&self) -> Option<String> {
        self.cookies.lock().expect("the jar").get(&self.cookie_name).cloned()
    }

    fn cookie_header(&self) -> String {
        let jar = self.cookies.lock().expect("the jar");
        jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep_cookies(&self, headers: &HeaderMap) {
        let mut jar = self.cookies.lock().expect("the jar");
        for set in headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            let Some((name, rest)) = set.split_once('=') else { continue };
            let value = rest.split(';').next().unwrap_or("").to_owned();
            let removed = set.to_ascii_lowercase().contains("max-age=0") || value.is_empty();
            if removed {
                jar.remove(name);
            } else {
                jar.insert(name.to_owned(), value);
            }
        }
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    /// The status code.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as text.
    pub body: String,
}

impl TestResponse {
    /// The `Location` header.
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }

    /// The value of the first `<input ... name="{name}" ... value="...">` in the body.
    pub fn hidden_value(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\"");
        let at = self.body.find(&marker)?;
        let start = self.body[..at].rfind('<')?;
        let element = self.body[start..].split('>').next()?;
        let value = element.split(" value=\"").nth(1)?.split('"').next()?;
        Some(value.replace("&quot;", "\"").replace("&amp;", "&"))
    }
}
