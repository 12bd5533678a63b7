//! The subcommands. Each loads and checks the settings first, and reports failure as
//! one message per problem.

use crate::cli::Command;
use crate::clock::SystemClock;
use crate::database::{Database, with_store};
use crate::healthcheck::{self, Target};
use crate::settings::{self, Settings};
use crate::startup::Application;
use crate::telemetry;
use adapters_http::{Argon2Hasher, HashParams, MetricsRenderer, REQUEST_DURATION_METRIC};
use application::users::CreateAdmin;
use application::{Tracker, UseCaseError};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use std::io::{BufRead, IsTerminal};
use std::sync::Arc;

/// Runs `command`; the error is the message to print.
pub async fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Serve => serve().await,
        Command::Migrate => migrate().await,
        Command::CreateAdmin { username, password_stdin } => create_admin(&username, password_stdin).await,
        Command::CheckConfig => check_config(),
        Command::Healthcheck { url, timeout_secs } => healthcheck(url.as_deref(), timeout_secs).await,
        Command::Backup { to } => backup(&to).await,
        Command::ImportLegacy { from, dry_run } => import_legacy(&from, dry_run).await,
    }
}

/// Loads the settings and refuses them when anything is wrong, one line per problem.
fn checked_settings() -> Result<Settings, String> {
    let settings = settings::load().map_err(|e| e.to_string())?;
    refuse_problems(&settings).map(|()| settings)
}

/// `Err` with one line per problem when the settings cannot be used.
fn refuse_problems(settings: &Settings) -> Result<(), String> {
    let problems = settings::validate(settings);
    if problems.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    Err(format!("the {} configuration is not usable:\n  {}", settings.profile.as_str(), lines.join("\n  ")))
}

async fn serve() -> Result<(), String> {
    let settings = checked_settings()?;
    let telemetry = telemetry::init(&settings.logging, &settings.telemetry).map_err(|e| e.to_string())?;
    let metrics = if settings.metrics.enabled { Some(install_metrics()?) } else { None };
    let app = Application::build(&settings, metrics).await.map_err(|e| e.to_string())?;
    println!("asset-tracker listening on http://{}:{}", settings.server.host, app.port());
    if let Some(port) = app.metrics_port() {
        println!("asset-tracker serving /metrics on port {port} ({})", settings.metrics.address.trim());
    }
    let outcome = app.run_until_stopped().await.map_err(|e| format!("server failed: {e}"));
    telemetry.shutdown().await;
    outcome
}

/// Upper bounds, in seconds, of the request-duration buckets: pages answer in
/// milliseconds, and `server.request_timeout_secs` (30 by default) cuts off the rest.
const DURATION_BUCKETS: [f64; 14] =
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The exporter: request durations as a Prometheus histogram, whose buckets add up
/// across replicas (a summary's quantiles, the exporter's default, cannot).
fn prometheus() -> Result<PrometheusBuilder, String> {
    PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION_METRIC.to_owned()), &DURATION_BUCKETS)
        .map_err(|e| format!("cannot configure the metrics recorder: {e}"))
}

/// Installs the Prometheus recorder and keeps its histograms trimmed.
fn install_metrics() -> Result<MetricsRenderer, String> {
    let handle = prometheus()?.install_recorder().map_err(|e| format!("cannot install the metrics recorder: {e}"))?;
    let upkeep = handle.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            tick.tick().await;
            upkeep.run_upkeep();
        }
    });
    Ok(Arc::new(move || handle.render()))
}

async fn migrate() -> Result<(), String> {
    let settings = checked_settings()?;
    let database = Database::connect(&settings.database).await.map_err(|e| e.to_string())?;
    let outcome = database.migrate().await.map_err(|e| e.to_string());
    database.close().await;
    outcome?;
    println!("asset-tracker: {} migrations are up to date", database.kind());
    Ok(())
}

async fn create_admin(username: &str, password_stdin: bool) -> Result<(), String> {
    let settings = checked_settings()?;
    let password = read_password(password_stdin)?;
    let database = Database::connect(&settings.database).await.map_err(|e| e.to_string())?;
    if settings.database.migrate_on_start {
        database.migrate().await.map_err(|e| e.to_string())?;
    }
    let hasher = Argon2Hasher::new(HashParams::OWASP).map_err(|e| e.to_string())?;
    let created = with_store!(database.clone(), store => {
        let cmd = CreateAdmin { username: username.to_owned(), password: password.clone() };
        Tracker::new(store, hasher, SystemClock).create_admin(cmd).await
    });
    database.close().await;
    match created {
        Ok(id) => {
            println!("asset-tracker: created admin '{}' (id {id})", username.trim());
            Ok(())
        }
        Err(UseCaseError::Invalid(errors)) => {
            let lines: Vec<String> = errors.fields().iter().map(|f| format!("{}: {}", f.path, f.message)).collect();
            Err(lines.join("\n  "))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// The new password: the first line of standard input, or asked twice on a terminal.
fn read_password(from_stdin: bool) -> Result<String, String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("cannot read the password: {e}"))?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    if !std::io::stdin().is_terminal() {
        return Err("no terminal to ask for the password: pass --password-stdin and pipe it in".into());
    }
    let first = rpassword::prompt_password("New admin password: ").map_err(|e| e.to_string())?;
    let second = rpassword::prompt_password("Repeat the password: ").map_err(|e| e.to_string())?;
    if first != second {
        return Err("the two passwords differ; nothing was created".into());
    }
    Ok(first)
}

fn check_config() -> Result<(), String> {
    let settings = settings::load().map_err(|e| e.to_string())?;
    for line in settings::lines(&settings) {
        println!("{line}");
    }
    refuse_problems(&settings)?;
    println!("# the {} configuration is valid", settings.profile.as_str());
    Ok(())
}

/// Checks the configured server's `/health` (or `url`): only the server settings are
/// read, and nothing is validated, so the check runs wherever the server runs.
async fn healthcheck(url: Option<&str>, timeout_secs: u64) -> Result<(), String> {
    let target = match url {
        Some(url) => Target::parse(url)?,
        None => Target::from_settings(&settings::load().map_err(|e| e.to_string())?.server)?,
    };
    let healthy = healthcheck::check(&target, std::time::Duration::from_secs(timeout_secs)).await?;
    println!("asset-tracker: {healthy}");
    Ok(())
}

async fn backup(to: &std::path::Path) -> Result<(), String> {
    let settings = checked_settings()?;
    let done = crate::backup::run(&settings.database, to).await?;
    println!("asset-tracker: {done}");
    Ok(())
}

async fn import_legacy(from: &str, dry_run: bool) -> Result<(), String> {
    let settings = checked_settings()?;
    for line in crate::legacy::run(&settings.database, from, dry_run).await? {
        println!("{line}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_durations_are_exported_as_a_histogram_with_buckets() {
        let recorder = prometheus().expect("the buckets are valid").build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, || {
            let labels = [("method", "GET"), ("route", "/"), ("status", "200")];
            metrics::histogram!(REQUEST_DURATION_METRIC, &labels).record(0.003);
            metrics::histogram!(REQUEST_DURATION_METRIC, &labels).record(0.7);
        });
        let text = handle.render();
        assert!(text.contains("# TYPE http_request_duration_seconds histogram"), "{text}");
        let bucket = |le: &str| {
            format!("http_request_duration_seconds_bucket{{method=\"GET\",route=\"/\",status=\"200\",le=\"{le}\"}}")
        };
        assert!(text.contains(&format!("{} 0\n", bucket("0.0025"))), "{text}");
        assert!(text.contains(&format!("{} 1\n", bucket("0.005"))), "{text}");
        assert!(text.contains(&format!("{} 2\n", bucket("1"))), "{text}");
        assert!(text.contains(&format!("{} 2\n", bucket("+Inf"))), "{text}");
        assert!(
            text.contains("http_request_duration_seconds_count{method=\"GET\",route=\"/\",status=\"200\"} 2"),
            "{text}"
        );
        assert!(!text.contains("quantile="), "no summary quantiles: {text}");
    }

    #[test]
    fn the_buckets_rise_and_reach_every_profiles_request_timeout() {
        assert!(DURATION_BUCKETS.windows(2).all(|w| w[0] < w[1]));
        let last = DURATION_BUCKETS.last().copied().unwrap_or_default();
        for profile in [settings::Profile::Development, settings::Profile::Testing, settings::Profile::Production] {
            let shipped =
                settings::load_from(std::path::Path::new("/nonexistent"), profile).expect("the shipped files");
            #[allow(clippy::cast_precision_loss)]
            let timeout = shipped.server.request_timeout_secs as f64;
            assert!(last >= timeout, "{profile:?}: a request can take {timeout} s, the last bucket ends at {last} s");
        }
    }
}
