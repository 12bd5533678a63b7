//! The web adapter: the axum router, its middleware, the pages (Tera templates and
//! embedded static files), sessions, login and CSRF protection, the health and
//! readiness probes, and the Argon2 password hasher.
//!
//! Invariant: only this crate knows HTTP. Handlers stay thin: they extract input, call
//! one use case on the tracker and turn the result into a response; no rule of the
//! tracker lives here. Every state-changing request passes the CSRF checks before any
//! handler runs.

mod api;
mod client_ip;
mod encoding;
pub mod headers;
mod middleware;
mod pages;
mod probes;
mod public_cache;
pub mod security;
mod serve;
mod static_origin;
mod token_keys;
mod web;

use application::ports::{Clock, HealthRepo, PasswordHasher, SharedLimits, Store};
use application::{App, Tracker, TrackerOf};
use axum::Router;
use axum::routing::get;
use std::sync::Arc;
use std::time::Duration;
use time::UtcDateTime;

pub use client_ip::{BadProxy, TrustedProxies};
pub use middleware::REQUEST_DURATION_METRIC;
pub use security::{Argon2Hasher, HashParams};
pub use serve::{ServeSettings, serve};
pub use static_origin::{BadOrigin, StaticOrigin};
pub use tower_sessions::{ExpiredDeletion, MemoryStore as MemorySessionStore, SessionStore};
pub use web::ViewsError;

/// What the web adapter needs from the configuration.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Requests taking longer are answered 408 and their handler dropped.
    pub request_timeout: Duration,
    /// The largest request body accepted, in bytes (413 beyond).
    pub body_limit: usize,
    /// How long `/ready` waits for the database before answering 503.
    pub ready_timeout: Duration,
    /// Requests allowed per client address per minute on application routes (0: no
    /// limit). Probes and static files are never limited.
    pub requests_per_minute: u32,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: TrustedProxies,
    /// The session cookie's name.
    pub session_cookie_name: String,
    /// Send the session cookie over HTTPS only.
    pub secure_cookie: bool,
    /// Inactivity after which a session ends.
    pub idle_timeout: Duration,
    /// Time after login after which a session ends, whatever the activity.
    pub absolute_lifetime: Duration,
    /// `POST /login` attempts allowed per client address per minute (0: no limit).
    pub login_attempts_per_minute: u32,
    /// Send `Strict-Transport-Security` (every profile but development).
    pub hsts: bool,
    /// Missions the public dashboard shows (the latest), each with at most
    /// `dashboard_events_per_mission` of its latest events; the rest is one link away.
    pub dashboard_missions: u32,
    /// Events shown per mission on the public dashboard.
    pub dashboard_events_per_mission: u32,
    /// Budgets shared by every replica (Redis), counted in front of the in-process
    /// per-address limits; `None`: each process limits on its own.
    pub shared_limits: Option<SharedBudgets>,
    /// The CDN pages load the static files from; `None`: this server.
    pub static_origin: Option<StaticOrigin>,
}

/// The shared per-address budgets, and whether they were last found unreachable (one
/// warning per outage, shared by the login and page limits).
#[derive(Clone)]
pub struct SharedBudgets {
    limits: Arc<dyn SharedLimits>,
    degraded: Arc<std::sync::atomic::AtomicBool>,
}

impl SharedBudgets {
    /// Counts per-address limits in `limits`.
    pub fn new(limits: impl SharedLimits) -> Self {
        Self { limits: Arc::new(limits), degraded: Arc::default() }
    }
}

impl std::fmt::Debug for SharedBudgets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedBudgets")
    }
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            body_limit: 1024 * 1024,
            ready_timeout: Duration::from_secs(2),
            requests_per_minute: 300,
            trusted_proxies: TrustedProxies::default(),
            session_cookie_name: "asset_tracker_session".to_owned(),
            secure_cookie: true,
            idle_timeout: Duration::from_secs(60 * 60),
            absolute_lifetime: Duration::from_secs(12 * 60 * 60),
            login_attempts_per_minute: 5,
            hsts: true,
            dashboard_missions: 5,
            dashboard_events_per_mission: 10,
            shared_limits: None,
            static_origin: None,
        }
    }
}

/// Renders the metrics in the Prometheus text format.
pub type MetricsRenderer = Arc<dyn Fn() -> String + Send + Sync>;

/// The metrics listener's router: `GET /metrics` and nothing else. It is served on its
/// own address (by default on the loopback interface), never merged into [`router`], so
/// the public port does not expose the service's internals.
pub fn metrics_router(render: MetricsRenderer) -> Router {
    Router::new().route("/metrics", get(move || probes::metrics(Arc::clone(&render))))
}

/// Shared by every handler.
pub struct AppState<A: App> {
    /// Every use case.
    pub tracker: Arc<TrackerOf<A>>,
    /// The adapter's settings.
    pub settings: Arc<HttpSettings>,
    /// The templates and static files, loaded once.
    pub(crate) views: Arc<web::Views>,
    /// Times session lifetimes (the system clock unless a test sets another).
    pub(crate) clock: Arc<dyn Clock>,
    /// Public pages kept while the store's revision stands.
    pub(crate) cache: Arc<public_cache::PublicCache>,
}

/// Built from a tracker, so that the one type parameter (`A`, the tracker's type) is
/// inferred where the binary or a test wires the ports.
impl<S, H, C> AppState<Tracker<S, H, C>>
where
    S: Store + HealthRepo,
    H: PasswordHasher,
    C: Clock,
{
    /// The state for `tracker` with `settings`: loads the embedded templates and static
    /// files once.
    /// # Errors
    /// `ViewsError` when a template does not parse (a build bug the template tests catch).
    pub fn new(tracker: Arc<Tracker<S, H, C>>, settings: HttpSettings) -> Result<Self, ViewsError> {
        let views = web::Views::load_for(settings.static_origin.as_ref())?;
        Ok(Self {
            tracker,
            settings: Arc::new(settings),
            views: Arc::new(views),
            clock: Arc::new(SystemClock),
            cache: Arc::default(),
        })
    }
}

impl<A: App> AppState<A> {
    /// Times session lifetimes with `clock` (tests pass their manual clock).
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }
}

impl<A: App> Clone for AppState<A> {
    fn clone(&self) -> Self {
        Self {
            tracker: Arc::clone(&self.tracker),
            settings: Arc::clone(&self.settings),
            views: Arc::clone(&self.views),
            clock: Arc::clone(&self.clock),
            cache: Arc::clone(&self.cache),
        }
    }
}

impl<A: App> std::fmt::Debug for AppState<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("settings", &self.settings).finish_non_exhaustive()
    }
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy)]
struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UtcDateTime {
        UtcDateTime::now()
    }
}

/// The whole application as one router, with its middleware. Sessions live in
/// `sessions` (the database's session table in production, memory in tests).
pub fn router<A: App, Sessions>(state: AppState<A>, sessions: Sessions) -> Router
where
    Sessions: SessionStore + Clone,
{
    let settings = Arc::clone(&state.settings);
    let views = Arc::clone(&state.views);
    let unlimited = Router::new()
        .route("/health", get(probes::health))
        .route("/ready", get(probes::ready::<A>))
        .route("/static/{*file}", get(web::serve_static::<A>));
    let pages = web::with_sessions(pages::routes::<A>(&settings, &state), &state, sessions);
    let pages = middleware::rate_limited(pages, &settings);
    // The API has no session layer: cookies never authenticate it, so CSRF cannot apply.
    let cached = axum::middleware::from_fn_with_state(state.clone(), public_cache::serve::<A>);
    let api = middleware::rate_limited(api::routes::<A>().route_layer(cached), &settings);
    let app = middleware::wrap(unlimited.merge(api).merge(pages).with_state(state), &settings, views);
    headers::secured(app, settings.hsts, settings.static_origin.as_ref())
}
