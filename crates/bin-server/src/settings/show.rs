//! The effective configuration as `key = value` lines, secrets redacted, for
//! `asset-tracker check-config`.

use super::Settings;
use secrecy::{ExposeSecret, SecretString};

/// Hides every password of a database URL (user information and `password=` query
/// parameters): the storage adapters' own redaction, so logs and `check-config` agree.
pub use adapters_postgres::redact_url;

fn optional(value: Option<&String>) -> String {
    value.map_or_else(|| "<not set>".to_owned(), |v| format!("{v:?}"))
}

/// A URL that may hold a password, as printed: its password and password-like
/// parameters masked.
fn secret_url(url: Option<&SecretString>) -> String {
    url.map_or_else(|| "<not set>".to_owned(), |u| format!("{:?}", redact_url(u.expose_secret())))
}

/// Every setting as `key = value`, in the order of docs/CONFIGURATION.md.
pub fn lines(s: &Settings) -> Vec<String> {
    let (sv, db, se, sec, log, tel) = (&s.server, &s.database, &s.session, &s.security, &s.logging, &s.telemetry);
    let url = secret_url(db.url.as_ref());
    vec![
        format!("profile = {:?}", s.profile.as_str()),
        format!("server.host = {:?}", sv.host),
        format!("server.port = {}", sv.port),
        format!("server.trusted_proxies = {:?}", sv.trusted_proxies),
        format!("server.static_origin = {:?}", sv.static_origin),
        format!("server.direct = {}", sv.direct),
        format!("server.request_timeout_secs = {}", sv.request_timeout_secs),
        format!("server.header_read_timeout_secs = {}", sv.header_read_timeout_secs),
        format!("server.keep_alive_timeout_secs = {}", sv.keep_alive_timeout_secs),
        format!("server.body_limit_bytes = {}", sv.body_limit_bytes),
        format!("server.shutdown_timeout_secs = {}", sv.shutdown_timeout_secs),
        format!("database.url = {url}"),
        format!("database.max_connections = {}", db.max_connections),
        format!("database.min_connections = {}", db.min_connections),
        format!("database.acquire_timeout_secs = {}", db.acquire_timeout_secs),
        format!("database.idle_timeout_secs = {}", db.idle_timeout_secs),
        format!("database.max_lifetime_secs = {}", db.max_lifetime_secs),
        format!("database.test_before_acquire = {}", db.test_before_acquire),
        format!("database.statement_timeout_ms = {}", db.statement_timeout_ms),
        format!("database.migrate_on_start = {}", db.migrate_on_start),
        format!("database.ready_timeout_ms = {}", db.ready_timeout_ms),
        format!("session.cookie_name = {:?}", se.cookie_name),
        format!("session.secure_cookie = {}", se.secure_cookie),
        format!("session.idle_timeout_minutes = {}", se.idle_timeout_minutes),
        format!("session.absolute_lifetime_hours = {}", se.absolute_lifetime_hours),
        format!("security.login_attempts_per_minute = {}", sec.login_attempts_per_minute),
        format!("security.requests_per_minute = {}", sec.requests_per_minute),
        "security.api_token_key = [redacted]".to_owned(),
        format!("logging.level = {:?}", log.level),
        format!("logging.format = {:?}", format!("{:?}", log.format).to_lowercase()),
        format!("logging.file_directory = {}", optional(log.file_directory.as_ref())),
        format!("logging.file_max_files = {}", log.file_max_files),
        format!("telemetry.otlp_endpoint = {}", optional(tel.otlp_endpoint.as_ref())),
        format!("telemetry.service_name = {:?}", tel.service_name),
        format!("telemetry.sample_ratio = {}", tel.sample_ratio),
        format!("metrics.enabled = {}", s.metrics.enabled),
        format!("metrics.address = {:?}", s.metrics.address),
        format!("redis.url = {}", secret_url(s.redis.url.as_ref())),
        format!("redis.key_prefix = {:?}", s.redis.key_prefix),
        format!("redis.timeout_ms = {}", s.redis.timeout_ms),
        format!("public.dashboard_missions = {}", s.public.dashboard_missions),
        format!("public.dashboard_events_per_mission = {}", s.public.dashboard_events_per_mission),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_are_hidden_and_the_rest_kept() {
        assert_eq!(redact_url("postgres://app:s3cret@db:5432/tracker"), "postgres://app:***@db:5432/tracker");
        assert_eq!(redact_url("postgres://app@db/tracker"), "postgres://app@db/tracker");
        assert_eq!(redact_url("postgres://db/tracker"), "postgres://db/tracker");
        assert_eq!(redact_url("sqlite://data/tracker.db"), "sqlite://data/tracker.db");
        assert_eq!(redact_url("postgres://a:p@ss@db/x"), "postgres://a:***@db/x");
        assert_eq!(redact_url("postgres://a:p/ss@db/x"), "postgres://a:***@db/x");
        assert_eq!(
            redact_url("postgres://db/tracker?user=app&password=hunter2&sslmode=require"),
            "postgres://db/tracker?user=app&password=***&sslmode=require"
        );
    }
}
