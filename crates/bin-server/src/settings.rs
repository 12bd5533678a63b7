//! Configuration: the settings, their built-in defaults and the layering that
//! produces them. Later layers win:
//! built-in defaults < `config/default.toml` < `config/<profile>.toml` < conventional
//! variables (`DATABASE_URL`, `PORT`, `RUST_LOG`, `OTEL_EXPORTER_OTLP_ENDPOINT`) <
//! `APP_` variables (`__` nests: `APP_DATABASE__URL`).
//!
//! Invariant: loading has no side effects, and secrets are `SecretString`s that never
//! reach `Debug`, logs or errors.

mod load;
mod show;
mod validate;

pub use load::{LoadError, load, load_from};
pub use show::{lines, redact_url};
pub use validate::{Problem, SHIPPED_SECRETS, static_origin, validate};

use secrecy::SecretString;
use serde::Deserialize;

/// Which set of defaults applies: picked with `APP_PROFILE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// A developer's laptop: SQLite, pretty logs, a first admin created at start.
    Development,
    /// Automated tests: like development, with quieter logs.
    Testing,
    /// Behind a TLS proxy on PostgreSQL: strict checks at start.
    Production,
}

impl Profile {
    /// The name used in `APP_PROFILE` and in `config/<name>.toml`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Profile::Development => "development",
            Profile::Testing => "testing",
            Profile::Production => "production",
        }
    }

    /// Parses a profile name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "development" | "dev" => Some(Profile::Development),
            "testing" | "test" => Some(Profile::Testing),
            "production" | "prod" => Some(Profile::Production),
            _ => None,
        }
    }
}

/// Every setting.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The profile these settings were loaded for (set by the loader, not by files).
    #[serde(skip, default = "development")]
    pub profile: Profile,
    /// The HTTP server.
    pub server: ServerSettings,
    /// The database.
    pub database: DatabaseSettings,
    /// Login sessions.
    pub session: SessionSettings,
    /// Secrets and abuse limits.
    pub security: SecuritySettings,
    /// Logs.
    pub logging: LoggingSettings,
    /// Traces.
    pub telemetry: TelemetrySettings,
    /// Prometheus metrics.
    pub metrics: MetricsSettings,
    /// Redis, for per-address limits shared by every replica.
    pub redis: RedisSettings,
    /// The public pages.
    pub public: PublicSettings,
}

/// The public pages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicSettings {
    /// Missions the dashboard shows (the latest); the rest are on `/missions`.
    pub dashboard_missions: u32,
    /// Events shown per mission on the dashboard (the latest); the rest are on the
    /// mission's page.
    pub dashboard_events_per_mission: u32,
}

fn development() -> Profile {
    Profile::Development
}

/// The HTTP server.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to bind, such as `127.0.0.1` or `0.0.0.0`.
    pub host: String,
    /// Port to bind (0 picks a free one).
    pub port: u16,
    /// Proxies whose forwarded headers are trusted: addresses or CIDRs.
    pub trusted_proxies: Vec<String>,
    /// The operator states that clients connect directly, with no reverse proxy in
    /// front, so that the peer address is the client's.
    pub direct: bool,
    /// Seconds before a request is answered 408.
    pub request_timeout_secs: u64,
    /// Seconds a client gets to send a whole request head (and its first byte).
    pub header_read_timeout_secs: u64,
    /// Seconds a connection may stay silent in both directions before it is closed.
    pub keep_alive_timeout_secs: u64,
    /// Largest request body in bytes.
    pub body_limit_bytes: usize,
    /// Seconds in-flight requests get to finish after a stop signal.
    pub shutdown_timeout_secs: u64,
    /// A CDN's origin from which pages load the static files; empty: this server.
    pub static_origin: String,
}

/// The database.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path` or `postgres://user:password@host/db`; a secret, since it may hold a password.
    pub url: Option<SecretString>,
    /// Most pooled connections.
    pub max_connections: u32,
    /// Connections kept open when idle.
    pub min_connections: u32,
    /// Seconds to wait for a free connection.
    pub acquire_timeout_secs: u64,
    /// Seconds before an idle connection is closed (0: never).
    pub idle_timeout_secs: u64,
    /// Seconds before any connection is replaced (0: never).
    pub max_lifetime_secs: u64,
    /// Check each connection with a ping before handing it out.
    pub test_before_acquire: bool,
    /// PostgreSQL `statement_timeout` in milliseconds (0: none).
    pub statement_timeout_ms: u64,
    /// Apply pending migrations when the server starts.
    pub migrate_on_start: bool,
    /// Milliseconds `/ready` waits for the database.
    pub ready_timeout_ms: u64,
}

/// Login sessions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSettings {
    /// The session cookie's name.
    pub cookie_name: String,
    /// Send the cookie over HTTPS only.
    pub secure_cookie: bool,
    /// Minutes of inactivity that end a session.
    pub idle_timeout_minutes: u64,
    /// Hours after login that end a session whatever the activity.
    pub absolute_lifetime_hours: u64,
}

/// Abuse limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    /// Login attempts allowed per client address per minute.
    pub login_attempts_per_minute: u32,
    /// Requests allowed per client address per minute, all routes together.
    pub requests_per_minute: u32,
    /// The key of API tokens' digests (HMAC-SHA-256). Changing it revokes every token.
    /// The shipped default is for development and tests only; production refuses it.
    pub api_token_key: SecretString,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One JSON object per line, for log collectors.
    Json,
    /// Human-readable lines.
    Pretty,
}

/// Logs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggingSettings {
    /// A tracing filter such as `info` or `info,sqlx=warn`.
    pub level: String,
    /// `json` or `pretty`.
    pub format: LogFormat,
    /// Also write logs to rotating files in this directory.
    pub file_directory: Option<String>,
    /// Rotated files kept.
    pub file_max_files: usize,
}

/// Traces.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetrySettings {
    /// OTLP/HTTP collector endpoint such as `http://otel-collector:4318/v1/traces`; unset: no export.
    pub otlp_endpoint: Option<String>,
    /// The service name on exported spans.
    pub service_name: String,
    /// Share of traces exported, 0.0 to 1.0.
    pub sample_ratio: f64,
}

/// Prometheus metrics.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// Record metrics and serve them.
    pub enabled: bool,
    /// Where the metrics listener serves `/metrics`, such as `127.0.0.1:9100`: a port of
    /// its own, never the public one. Empty: no listener.
    pub address: String,
}

/// Redis, for per-address rate limits shared by every replica.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisSettings {
    /// `redis://[user:password@]host:6379/0`; a secret, since it may hold a password.
    /// Unset: each replica counts its own per-address limits.
    pub url: Option<SecretString>,
    /// Prepended to every key, so several deployments can share one Redis.
    pub key_prefix: String,
    /// Milliseconds a request waits for Redis before falling back to the in-process
    /// limiter.
    pub timeout_ms: u64,
}

impl Settings {
    /// The address to bind.
    pub fn bind_address(&self) -> String {
        format!("{}:{}", self.server.host, self.server.port)
    }
}
