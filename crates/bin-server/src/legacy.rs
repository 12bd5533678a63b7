//! `import-legacy`: reads the Flask tracker's database (PostgreSQL or SQLite, chosen by
//! the URL), migrates the configured store, imports into it when it is empty (or, with
//! `--dry-run`, only plans), and prints the report of what had to be adapted.
//!
//! Invariant: the old database is only read; the URLs shown are redacted.

use crate::clock::SystemClock;
use crate::database::{Database, with_store};
use crate::settings::DatabaseSettings;
use adapters_http::{Argon2Hasher, HashParams};
use application::legacy::{LegacyOutcome, LegacySnapshot};
use application::{Conflict, Tracker, UseCaseError};

/// Runs the import; the lines to print, or the message saying why it failed.
pub async fn run(settings: &DatabaseSettings, from: &str, dry_run: bool) -> Result<Vec<String>, String> {
    let from = from.trim();
    let shown = adapters_sqlite::redact_url(from);
    let old = read(from).await.map_err(|e| format!("cannot import from {shown}: {e}"))?;
    let database = Database::connect(settings).await.map_err(|e| e.to_string())?;
    let outcome = import(&database, &old, dry_run).await;
    database.close().await;
    Ok(lines(&shown, database.kind(), &outcome?))
}

/// Migrates the store (as `migrate` does), then imports (or plans) `old` into it.
async fn import(database: &Database, old: &LegacySnapshot, dry_run: bool) -> Result<LegacyOutcome, String> {
    database.migrate().await.map_err(|e| format!("cannot migrate the configured database: {e}"))?;
    // The import never hashes: the accounts keep their old hashes until their first
    // login. The tracker needs a hasher all the same; a cheap one starts fast.
    let cheap = HashParams { memory_kib: 1024, iterations: 1, lanes: 1 };
    let hasher = Argon2Hasher::new(cheap).map_err(|e| e.to_string())?;
    let outcome = with_store!(database.clone(), store => {
        Tracker::new(store, hasher, SystemClock).import_legacy(old, dry_run).await
    });
    outcome.map_err(|e| match e {
        UseCaseError::Conflict(Conflict::StoreNotEmpty) => format!(
            "the configured {} database is not empty (it holds users, libraries or campaigns); nothing was \
             imported. import-legacy needs a freshly migrated database: run it before the server's first \
             start, which adds the built-in libraries",
            database.kind()
        ),
        other => format!("the import failed and wrote nothing: {other}"),
    })
}

/// Reads the old database at `url`.
async fn read(url: &str) -> Result<LegacySnapshot, String> {
    if url.starts_with("sqlite:") {
        adapters_sqlite::read_legacy_sqlite(url).await.map_err(|e| e.to_string())
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        adapters_postgres::read_legacy_postgres(url).await.map_err(|e| e.to_string())
    } else {
        Err("unsupported URL: it must start with sqlite: or postgres:// (or postgresql://)".to_owned())
    }
}

/// The report as printed: what was (or would be) written, then the findings.
fn lines(from: &str, kind: &str, outcome: &LegacyOutcome) -> Vec<String> {
    let mut lines = vec![if outcome.written {
        format!("asset-tracker: imported from {from} into the {kind} database: {}", outcome.counts)
    } else {
        format!("asset-tracker: DRY RUN, nothing written; importing from {from} would write: {}", outcome.counts)
    }];
    lines.extend(outcome.report.lines());
    lines
}
