//! The web adapter: the axum router, its middleware, the health and readiness probes,
//! and the Argon2 password hasher.
//!
//! Invariant: only this crate knows HTTP. Handlers stay thin: they extract input, call
//! one use case on the tracker and turn the result into a response; no rule of the
//! tracker lives here.

mod client_ip;
mod middleware;
mod probes;
pub mod security;

use application::Tracker;
use application::ports::{Clock, HealthRepo, PasswordHasher, Store};
use axum::Router;
use axum::routing::get;
use std::sync::Arc;
use std::time::Duration;

pub use client_ip::{BadProxy, TrustedProxies};
pub use security::{Argon2Hasher, HashParams};

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
    /// limit). Probes and metrics are never limited.
    pub requests_per_minute: u32,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: TrustedProxies,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            body_limit: 1024 * 1024,
            ready_timeout: Duration::from_secs(2),
            requests_per_minute: 300,
            trusted_proxies: TrustedProxies::default(),
        }
    }
}

/// Renders the metrics in the Prometheus text format.
pub type MetricsRenderer = Arc<dyn Fn() -> String + Send + Sync>;

/// Shared by every handler.
pub struct AppState<S, H, C> {
    /// Every use case.
    pub tracker: Arc<Tracker<S, H, C>>,
    /// The adapter's settings.
    pub settings: Arc<HttpSettings>,
    /// Serves `/metrics` when set.
    pub metrics: Option<MetricsRenderer>,
}

impl<S, H, C> Clone for AppState<S, H, C> {
    fn clone(&self) -> Self {
        Self { tracker: Arc::clone(&self.tracker), settings: Arc::clone(&self.settings), metrics: self.metrics.clone() }
    }
}

impl<S, H, C> std::fmt::Debug for AppState<S, H, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("settings", &self.settings).finish_non_exhaustive()
    }
}

/// The whole application as one router, with its middleware.
pub fn router<S, H, C>(state: AppState<S, H, C>) -> Router
where
    S: Store + HealthRepo,
    H: PasswordHasher,
    C: Clock,
{
    let settings = Arc::clone(&state.settings);
    let mut probes = Router::new().route("/health", get(probes::health)).route("/ready", get(probes::ready::<S, H, C>));
    if state.metrics.is_some() {
        probes = probes.route("/metrics", get(probes::metrics::<S, H, C>));
    }
    let app = Router::new().fallback(probes::not_found);
    let app = middleware::rate_limited(app, &settings);
    middleware::wrap(probes.merge(app).with_state(state), &settings)
}
