//! Checks on loaded settings. Every profile gets the sanity checks; production also
//! refuses to start without Secure `__Host-` cookies, an explicit database with a
//! password of its own, an HTTPS static origin when one is set, and, when rate limits
//! are on, either trusted proxies or the statement that clients connect directly.

use super::{Profile, ServerSettings, Settings};
use adapters_http::{BadOrigin, StaticOrigin};
use secrecy::ExposeSecret;

/// Passwords shipped in this repository (examples and documentation). A production
/// server refuses a database URL holding one: they are public.
pub const SHIPPED_SECRETS: &[&str] = &["change-this-database-password"];

/// The API-token key shipped in `config/default.toml` (public, for development), and
/// the example value of the deployment templates; production refuses both.
const SHIPPED_TOKEN_KEYS: &[&str] = &["development-only-api-token-key-not-a-secret", "change-this-api-token-key"];

/// The shortest API-token key production accepts.
const MIN_TOKEN_KEY: usize = 32;

/// The cookie-name prefix with which browsers require Secure, `Path=/` and no Domain.
const HOST_PREFIX: &str = "__Host-";

/// One problem with the settings, worded for an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The setting concerned, as its environment variable.
    pub variable: &'static str,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.variable, self.message)
    }
}

fn problem(variable: &'static str, message: impl Into<String>) -> Problem {
    Problem { variable, message: message.into() }
}

/// Every problem found; empty when the settings can be used.
pub fn validate(s: &Settings) -> Vec<Problem> {
    let mut problems = Vec::new();
    let url = s.database.url.as_ref().map(|u| u.expose_secret().trim().to_owned());
    if let Some(url) = &url {
        let known = ["sqlite:", "postgres://", "postgresql://"].iter().any(|p| url.starts_with(p));
        if !known {
            problems.push(problem("APP_DATABASE__URL", "must start with sqlite:, postgres:// or postgresql://"));
        }
    } else if s.profile != Profile::Production {
        problems.push(problem("APP_DATABASE__URL", "is not set"));
    }
    if !(0.0..=1.0).contains(&s.telemetry.sample_ratio) {
        problems.push(problem("APP_TELEMETRY__SAMPLE_RATIO", "must be between 0.0 and 1.0"));
    }
    if s.database.max_connections == 0 || s.database.min_connections > s.database.max_connections {
        problems.push(problem(
            "APP_DATABASE__MAX_CONNECTIONS",
            "must be at least 1 and at least APP_DATABASE__MIN_CONNECTIONS",
        ));
    }
    if s.server.body_limit_bytes == 0 || s.server.request_timeout_secs == 0 {
        problems.push(problem("APP_SERVER__BODY_LIMIT_BYTES", "body limit and request timeout must be above 0"));
    }
    if s.server.header_read_timeout_secs == 0 || s.server.keep_alive_timeout_secs == 0 {
        problems.push(problem(
            "APP_SERVER__HEADER_READ_TIMEOUT_SECS",
            "the header-read and keep-alive timeouts (APP_SERVER__KEEP_ALIVE_TIMEOUT_SECS) must be above 0",
        ));
    }
    if s.server.keep_alive_timeout_secs < s.server.request_timeout_secs {
        // A handler working in silence would look like an idle connection and be cut.
        problems.push(problem(
            "APP_SERVER__KEEP_ALIVE_TIMEOUT_SECS",
            "must be at least APP_SERVER__REQUEST_TIMEOUT_SECS, so that a slow request is never taken for an idle connection",
        ));
    }
    if s.session.cookie_name.starts_with(HOST_PREFIX) && !s.session.secure_cookie {
        problems.push(problem(
            "APP_SESSION__COOKIE_NAME",
            "a __Host- cookie needs APP_SESSION__SECURE_COOKIE=true (browsers drop it otherwise)",
        ));
    }
    if let Err(bad) = adapters_http::TrustedProxies::parse(&s.server.trusted_proxies) {
        problems.push(problem("APP_SERVER__TRUSTED_PROXIES", bad.to_string()));
    }
    if let Err(bad) = static_origin(&s.server) {
        problems.push(problem("APP_SERVER__STATIC_ORIGIN", bad.to_string()));
    }
    if s.server.direct && !s.server.trusted_proxies.is_empty() {
        problems.push(problem(
            "APP_SERVER__DIRECT",
            "contradicts APP_SERVER__TRUSTED_PROXIES: clients either connect directly or through the listed proxies; set one",
        ));
    }
    if s.profile == Profile::Production {
        production(s, url.as_deref(), &mut problems);
    }
    problems
}

/// The CDN of the static files, when one is set.
/// # Errors
/// `BadOrigin` when the setting is not an origin.
pub fn static_origin(server: &ServerSettings) -> Result<Option<StaticOrigin>, BadOrigin> {
    match server.static_origin.as_str() {
        "" => Ok(None),
        raw => StaticOrigin::parse(raw).map(Some),
    }
}

fn production(s: &Settings, url: Option<&str>, problems: &mut Vec<Problem>) {
    if matches!(static_origin(&s.server), Ok(Some(origin)) if !origin.is_https()) {
        problems.push(problem(
            "APP_SERVER__STATIC_ORIGIN",
            "must be an https:// origin in production (pages served over HTTPS cannot load scripts over HTTP)",
        ));
    }
    if url.is_some_and(|url| SHIPPED_SECRETS.iter().any(|shipped| url.contains(shipped))) {
        problems.push(problem(
            "APP_DATABASE__URL",
            "holds the example password shipped in the repository; set the database's real password",
        ));
    }
    let token_key = s.security.api_token_key.expose_secret();
    if SHIPPED_TOKEN_KEYS.contains(&token_key) || token_key.chars().count() < MIN_TOKEN_KEY {
        problems.push(problem(
            "APP_SECURITY__API_TOKEN_KEY",
            format!(
                "must be set in production to a secret of at least {MIN_TOKEN_KEY} characters (openssl rand -hex 32), \
                 the same on every replica; the shipped value is public"
            ),
        ));
    }
    if !s.session.secure_cookie {
        problems.push(problem("APP_SESSION__SECURE_COOKIE", "must be true in production (cookies over HTTPS only)"));
    }
    if !s.session.cookie_name.starts_with(HOST_PREFIX) {
        problems.push(problem(
            "APP_SESSION__COOKIE_NAME",
            "must start with __Host- in production, so browsers accept it only over HTTPS, for this host, on every path",
        ));
    }
    if url.is_none() {
        problems.push(problem(
            "APP_DATABASE__URL",
            "must be set explicitly in production (or DATABASE_URL), for example postgres://user:password@db/asset_tracker",
        ));
    }
    let rate_limited = s.security.requests_per_minute > 0 || s.security.login_attempts_per_minute > 0;
    if rate_limited && s.server.trusted_proxies.is_empty() && !s.server.direct {
        problems.push(problem(
            "APP_SERVER__TRUSTED_PROXIES",
            "is empty while rate limits are on: behind a reverse proxy every client would share the proxy's \
             address and one limit. Set APP_SERVER__TRUSTED_PROXIES to the proxy's addresses or CIDRs (for \
             example [\"172.16.0.0/12\"]), or APP_SERVER__DIRECT=true if clients connect directly",
        ));
    }
}
