//! The configuration layers and the production checks, with figment's `Jail` giving
//! each test its own environment and working directory.

// `Jail::expect_with` fixes the closure's return type to figment's (large) error.
#![allow(clippy::result_large_err)]

use bin_server::settings::{LoadError, Profile, SHIPPED_SECRETS, load, load_from, validate};
use figment::Jail;
use secrecy::ExposeSecret;
use std::path::Path;

fn variables(problems: &[bin_server::settings::Problem]) -> Vec<&str> {
    problems.iter().map(|p| p.variable).collect()
}

#[test]
fn development_is_the_default_profile_and_runs_on_sqlite() {
    Jail::expect_with(|_| {
        let s = load().expect("load");
        assert_eq!(s.profile, Profile::Development);
        assert_eq!(s.database.url.as_ref().unwrap().expose_secret(), "sqlite://data/asset-tracker.db");
        assert_eq!(s.bind_address(), "127.0.0.1:8080");
        assert!(s.database.migrate_on_start);
        assert!(!s.session.secure_cookie);
        assert!(validate(&s).is_empty(), "{:?}", validate(&s));
        Ok(())
    });
}

#[test]
fn app_variables_override_files_and_nest_with_double_underscores() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_SERVER__PORT", "9090");
        jail.set_env("APP_DATABASE__URL", "postgres://tracker:pw@db/tracker");
        jail.set_env("APP_LOGGING__FORMAT", "json");
        let s = load().expect("load");
        assert_eq!(s.server.port, 9090);
        assert_eq!(s.database.url.as_ref().unwrap().expose_secret(), "postgres://tracker:pw@db/tracker");
        assert_eq!(s.logging.format, bin_server::settings::LogFormat::Json);
        Ok(())
    });
}

#[test]
fn conventional_variables_are_honoured_and_app_variables_win_over_them() {
    Jail::expect_with(|jail| {
        jail.set_env("DATABASE_URL", "postgres://from-database-url/db");
        jail.set_env("PORT", "7000");
        jail.set_env("RUST_LOG", "debug");
        jail.set_env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/v1/traces");
        let s = load().expect("load");
        assert_eq!(s.database.url.as_ref().unwrap().expose_secret(), "postgres://from-database-url/db");
        assert_eq!((s.server.port, s.logging.level.as_str()), (7000, "debug"));
        assert_eq!(s.telemetry.otlp_endpoint.as_deref(), Some("http://collector:4318/v1/traces"));
        jail.set_env("APP_SERVER__PORT", "7001");
        assert_eq!(load().expect("load").server.port, 7001);
        Ok(())
    });
}

#[test]
fn a_profile_file_in_the_config_directory_overrides_the_built_in_one() {
    Jail::expect_with(|jail| {
        jail.create_dir("config")?;
        jail.create_file("config/development.toml", "[server]\nport = 6060\n")?;
        let s = load().expect("load");
        assert_eq!(s.server.port, 6060);
        // The development file in the directory replaces the built-in one entirely.
        assert!(s.database.url.is_none());
        Ok(())
    });
}

#[test]
fn an_unknown_profile_stops_start_up_naming_it() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_PROFILE", "staging");
        let err = load().expect_err("unknown profile");
        assert!(matches!(err, LoadError::UnknownProfile(ref p) if p == "staging"));
        assert!(err.to_string().contains("development, testing or production"));
        Ok(())
    });
}

#[test]
fn a_misspelt_setting_is_refused_with_its_source() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_SERVER__PROT", "9090");
        let err = load().expect_err("unknown key").to_string();
        assert!(err.contains("prot"), "{err}");
        jail.set_env("APP_SERVER__PROT", "");
        Ok(())
    });
}

#[test]
fn a_malformed_value_is_refused_naming_the_variable() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_SERVER__PORT", "eighty");
        let err = load().expect_err("bad port").to_string();
        assert!(err.contains("\"eighty\"") && err.contains("SERVER.PORT") && err.contains("`APP_`"), "{err}");
        Ok(())
    });
}

#[test]
fn production_refuses_to_start_without_secure_host_cookies_and_a_database() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_PROFILE", "production");
        jail.set_env("APP_SECURITY__API_TOKEN_KEY", TOKEN_KEY);
        jail.set_env("APP_SERVER__DIRECT", "true");
        jail.set_env("APP_SESSION__SECURE_COOKIE", "false");
        let s = load().expect("load");
        assert_eq!(s.profile, Profile::Production);
        let problems = validate(&s);
        assert_eq!(
            variables(&problems),
            ["APP_SESSION__COOKIE_NAME", "APP_SESSION__SECURE_COOKIE", "APP_DATABASE__URL"]
        );
        assert!(problems[0].message.contains("SECURE_COOKIE"), "a __Host- cookie needs Secure: {problems:?}");
        Ok(())
    });
}

#[test]
fn production_names_its_session_cookie_with_the_host_prefix_and_refuses_another_name() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_PROFILE", "production");
        jail.set_env("APP_SECURITY__API_TOKEN_KEY", TOKEN_KEY);
        jail.set_env("APP_SERVER__DIRECT", "true");
        jail.set_env("APP_DATABASE__URL", "postgres://tracker@db/tracker");
        let s = load().expect("load");
        assert_eq!(s.session.cookie_name, "__Host-asset_tracker_session");
        assert!(validate(&s).is_empty());
        jail.set_env("APP_SESSION__COOKIE_NAME", "tracker_session");
        let problems = validate(&load().expect("load"));
        assert_eq!(variables(&problems), ["APP_SESSION__COOKIE_NAME"]);
        assert!(problems[0].message.contains("__Host-"), "{problems:?}");
        Ok(())
    });
}

#[test]
fn production_refuses_the_example_database_password_and_no_longer_knows_a_secret_key() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_PROFILE", "production");
        jail.set_env("APP_SECURITY__API_TOKEN_KEY", TOKEN_KEY);
        jail.set_env("APP_SERVER__DIRECT", "true");
        for shipped in SHIPPED_SECRETS {
            jail.set_env("APP_DATABASE__URL", format!("postgres://tracker:{shipped}@db/tracker"));
            let problems = validate(&load().expect("load"));
            assert_eq!(variables(&problems), ["APP_DATABASE__URL"]);
            assert!(problems[0].message.contains("example password"), "{problems:?}");
        }
        jail.set_env("APP_DATABASE__URL", "postgres://tracker:a-real-password@db/tracker");
        assert!(validate(&load().expect("load")).is_empty());
        jail.set_env("APP_SECURITY__SECRET_KEY", "anything");
        let err = load().expect_err("an unknown setting").to_string();
        assert!(err.contains("secret_key"), "a removed setting is named, not ignored: {err}");
        Ok(())
    });
}

#[test]
fn secrets_never_appear_in_debug_output() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_DATABASE__URL", "postgres://tracker:hunter2hunter2@db/tracker");
        let s = load().expect("load");
        let shown = format!("{s:?}\n{}", bin_server::settings::lines(&s).join("\n"));
        assert!(!shown.contains("hunter2hunter2"));
        assert!(shown.contains("postgres://tracker:***@db/tracker"));
        Ok(())
    });
}

#[test]
fn sanity_checks_apply_to_every_profile() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_DATABASE__URL", "mysql://db/tracker");
        jail.set_env("APP_TELEMETRY__SAMPLE_RATIO", "1.5");
        jail.set_env("APP_SERVER__TRUSTED_PROXIES", "[\"10.0.0.0/8\", \"not-an-ip\"]");
        let problems = validate(&load().expect("load"));
        assert_eq!(
            variables(&problems),
            ["APP_DATABASE__URL", "APP_TELEMETRY__SAMPLE_RATIO", "APP_SERVER__TRUSTED_PROXIES"]
        );
        Ok(())
    });
}

#[test]
fn every_shipped_profile_file_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    for profile in [Profile::Development, Profile::Testing, Profile::Production] {
        let s = load_from(&dir, profile).expect("shipped profile loads");
        assert_eq!(s.profile, profile);
    }
}

/// An API-token key production accepts.
const TOKEN_KEY: &str = "5f0c0a8e3b7d4c2a9e1f6b8d0c3a5e7f";

#[test]
fn production_refuses_the_shipped_or_a_short_api_token_key() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_PROFILE", "production");
        jail.set_env("APP_SERVER__DIRECT", "true");
        jail.set_env("APP_DATABASE__URL", "postgres://tracker@db/tracker");
        let problems = validate(&load().expect("load"));
        assert_eq!(variables(&problems), ["APP_SECURITY__API_TOKEN_KEY"], "the shipped key is public");
        for refused in ["change-this-api-token-key", "short-key", &TOKEN_KEY[1..]] {
            jail.set_env("APP_SECURITY__API_TOKEN_KEY", refused);
            assert_eq!(variables(&validate(&load().expect("load"))), ["APP_SECURITY__API_TOKEN_KEY"], "{refused}");
        }
        jail.set_env("APP_SECURITY__API_TOKEN_KEY", TOKEN_KEY);
        assert!(validate(&load().expect("load")).is_empty());
        Ok(())
    });
}

#[test]
fn api_token_keys_never_appear_in_debug_output() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_SECURITY__API_TOKEN_KEY", TOKEN_KEY);
        let s = load().expect("load");
        let shown = format!("{s:?}\n{}", bin_server::settings::lines(&s).join("\n"));
        assert!(!shown.contains(TOKEN_KEY), "{shown}");
        assert!(shown.contains("security.api_token_key = [redacted]"), "{shown}");
        Ok(())
    });
}

#[test]
fn every_secret_shipped_in_deploy_examples_is_refused_in_production() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/.env.example");
    let text = std::fs::read_to_string(example).expect("deploy/.env.example exists");
    let shipped: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("POSTGRES_PASSWORD=")).collect();
    assert!(!shipped.is_empty(), "the example names the database password");
    for value in shipped {
        assert!(SHIPPED_SECRETS.contains(&value.trim()), "{value} must be listed in SHIPPED_SECRETS");
    }
    let keys: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("APP_SECURITY__API_TOKEN_KEY=")).collect();
    assert_eq!(keys.len(), 1, "the example names the API-token key");
    Jail::expect_with(|jail| {
        jail.set_env("APP_PROFILE", "production");
        jail.set_env("APP_SERVER__DIRECT", "true");
        jail.set_env("APP_DATABASE__URL", "postgres://tracker@db/tracker");
        jail.set_env("APP_SECURITY__API_TOKEN_KEY", keys[0].trim());
        assert_eq!(variables(&validate(&load().expect("load"))), ["APP_SECURITY__API_TOKEN_KEY"]);
        Ok(())
    });
}

#[test]
fn production_with_rate_limits_refuses_to_start_without_trusted_proxies_or_direct_naming_both() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_PROFILE", "production");
        jail.set_env("APP_SECURITY__API_TOKEN_KEY", TOKEN_KEY);
        jail.set_env("APP_DATABASE__URL", "postgres://tracker@db/tracker");
        let s = load().expect("load");
        assert!(!s.server.direct, "direct is off unless stated");
        let problems = validate(&s);
        assert_eq!(variables(&problems), ["APP_SERVER__TRUSTED_PROXIES"]);
        let message = problems[0].to_string();
        assert!(
            message.contains("APP_SERVER__TRUSTED_PROXIES") && message.contains("APP_SERVER__DIRECT=true"),
            "{message}"
        );

        jail.set_env("APP_SERVER__TRUSTED_PROXIES", "[\"172.16.0.0/12\"]");
        assert!(validate(&load().expect("load")).is_empty(), "trusted proxies satisfy the check");
        Ok(())
    });
}

#[test]
fn production_accepts_direct_clients_or_rate_limits_turned_off_without_proxies() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_PROFILE", "production");
        jail.set_env("APP_SECURITY__API_TOKEN_KEY", TOKEN_KEY);
        jail.set_env("APP_DATABASE__URL", "postgres://tracker@db/tracker");
        jail.set_env("APP_SERVER__DIRECT", "true");
        assert!(validate(&load().expect("load")).is_empty(), "{:?}", validate(&load().expect("load")));

        jail.set_env("APP_SERVER__DIRECT", "false");
        jail.set_env("APP_SECURITY__REQUESTS_PER_MINUTE", "0");
        jail.set_env("APP_SECURITY__LOGIN_ATTEMPTS_PER_MINUTE", "0");
        assert!(validate(&load().expect("load")).is_empty(), "no limit, nothing to share");
        Ok(())
    });
}

#[test]
fn direct_and_trusted_proxies_together_are_refused_in_every_profile() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_SERVER__DIRECT", "true");
        jail.set_env("APP_SERVER__TRUSTED_PROXIES", "[\"10.0.0.0/8\"]");
        let problems = validate(&load().expect("load"));
        assert_eq!(variables(&problems), ["APP_SERVER__DIRECT"]);
        assert!(problems[0].message.contains("APP_SERVER__TRUSTED_PROXIES"), "{problems:?}");
        Ok(())
    });
}

#[test]
fn outside_production_no_proxy_statement_is_needed() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_PROFILE", "testing");
        assert!(validate(&load().expect("load")).is_empty());
        Ok(())
    });
}

#[test]
fn slow_client_timeouts_and_the_metrics_address_have_safe_defaults_and_can_be_overridden() {
    Jail::expect_with(|jail| {
        let s = load().expect("load");
        assert_eq!((s.server.header_read_timeout_secs, s.server.keep_alive_timeout_secs), (10, 60));
        assert_eq!(s.metrics.address, "127.0.0.1:9100");
        jail.set_env("APP_SERVER__HEADER_READ_TIMEOUT_SECS", "5");
        jail.set_env("APP_METRICS__ADDRESS", "");
        let s = load().expect("load");
        assert_eq!((s.server.header_read_timeout_secs, s.metrics.address.as_str()), (5, ""));
        jail.set_env("APP_SERVER__KEEP_ALIVE_TIMEOUT_SECS", "0");
        assert_eq!(
            variables(&validate(&load().expect("load"))),
            ["APP_SERVER__HEADER_READ_TIMEOUT_SECS", "APP_SERVER__KEEP_ALIVE_TIMEOUT_SECS"]
        );
        jail.set_env("APP_SERVER__KEEP_ALIVE_TIMEOUT_SECS", "29");
        assert_eq!(variables(&validate(&load().expect("load"))), ["APP_SERVER__KEEP_ALIVE_TIMEOUT_SECS"]);
        Ok(())
    });
}

#[test]
fn a_static_origin_must_be_an_origin_and_https_in_production() {
    Jail::expect_with(|jail| {
        jail.set_env("APP_SERVER__STATIC_ORIGIN", "https://cdn.example.net/static/");
        assert_eq!(variables(&validate(&load().expect("load"))), ["APP_SERVER__STATIC_ORIGIN"], "a path");
        jail.set_env("APP_SERVER__STATIC_ORIGIN", "http://127.0.0.1:9000");
        assert!(validate(&load().expect("load")).is_empty(), "plain HTTP is for a laptop");
        jail.set_env("APP_PROFILE", "production");
        jail.set_env("APP_SERVER__DIRECT", "true");
        jail.set_env("APP_DATABASE__URL", "postgres://tracker@db/tracker");
        jail.set_env("APP_SECURITY__API_TOKEN_KEY", TOKEN_KEY);
        assert_eq!(variables(&validate(&load().expect("load"))), ["APP_SERVER__STATIC_ORIGIN"], "not https");
        jail.set_env("APP_SERVER__STATIC_ORIGIN", "https://cdn.example.net");
        let settings = load().expect("load");
        assert!(validate(&settings).is_empty());
        assert!(
            bin_server::settings::lines(&settings)
                .contains(&r#"server.static_origin = "https://cdn.example.net""#.to_owned())
        );
        Ok(())
    });
}
