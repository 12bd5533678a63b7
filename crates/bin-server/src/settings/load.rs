//! Builds `Settings` from the layers. The `config` crate was tried beside figment and
//! dropped (see docs/CONFIGURATION.md): figment alone does the layering, and its
//! errors name the file or variable a bad value came from.

use super::{Profile, Settings};
use figment::Figment;
use figment::providers::{Data, Env, Format, Toml};
use std::path::{Path, PathBuf};

/// The built-in defaults and profile files, compiled in so that the binary runs from
/// any directory; files in the config directory, when present, replace them.
const DEFAULT_TOML: &str = include_str!("../../../../config/default.toml");
const DEVELOPMENT_TOML: &str = include_str!("../../../../config/development.toml");
const TESTING_TOML: &str = include_str!("../../../../config/testing.toml");
const PRODUCTION_TOML: &str = include_str!("../../../../config/production.toml");

/// Settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// `APP_PROFILE` names no profile.
    #[error("unknown profile {0:?} in APP_PROFILE: use development, testing or production")]
    UnknownProfile(String),
    /// A value is missing, malformed or unknown; figment names where it came from.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// Loads the settings from the process environment and `APP_CONFIG_DIR` (default `config`).
pub fn load() -> Result<Settings, LoadError> {
    let dir = std::env::var_os("APP_CONFIG_DIR").map_or_else(|| PathBuf::from("config"), PathBuf::from);
    let profile = match std::env::var("APP_PROFILE") {
        Ok(raw) => Profile::parse(&raw).ok_or(LoadError::UnknownProfile(raw))?,
        Err(_) => Profile::Development,
    };
    load_from(&dir, profile)
}

fn layer(dir: &Path, name: &str, built_in: &'static str) -> Data<Toml> {
    let path = dir.join(format!("{name}.toml"));
    if path.is_file() { Toml::file_exact(path) } else { Toml::string(built_in) }
}

/// Loads the settings for `profile` with files from `dir`.
pub fn load_from(dir: &Path, profile: Profile) -> Result<Settings, LoadError> {
    let profile_toml = match profile {
        Profile::Development => DEVELOPMENT_TOML,
        Profile::Testing => TESTING_TOML,
        Profile::Production => PRODUCTION_TOML,
    };
    let figment = Figment::new()
        .merge(Toml::string(DEFAULT_TOML))
        .merge(layer(dir, "default", DEFAULT_TOML))
        .merge(layer(dir, profile.as_str(), profile_toml))
        .merge(conventional())
        .merge(Env::prefixed("APP_").ignore(&["PROFILE", "CONFIG_DIR"]).split("__"));
    let mut settings: Settings = figment.extract().map_err(|e| LoadError::Invalid(e.to_string()))?;
    settings.profile = profile;
    Ok(settings)
}

/// The variables operators expect from any service, mapped onto our keys.
fn conventional() -> Env {
    Env::raw().only(&["DATABASE_URL", "PORT", "RUST_LOG", "OTEL_EXPORTER_OTLP_ENDPOINT"]).map(|key| {
        match key.as_str().to_ascii_uppercase().as_str() {
            "DATABASE_URL" => "database.url",
            "PORT" => "server.port",
            "RUST_LOG" => "logging.level",
            _ => "telemetry.otlp_endpoint",
        }
        .into()
    })
}
