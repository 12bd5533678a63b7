//! The built-in asset libraries on a real SQLite store: a fresh server has them, in
//! every profile, and a restart never brings back one an admin deleted.

use adapters_http::{Argon2Hasher, HashParams};
use adapters_sqlite::{PoolSettings, SqliteStore};
use application::Tracker;
use application::builtin::DEFAULT_LIBRARY;
use application::ports::{LibraryRepo, UserRepo};
use bin_server::Application;
use bin_server::bootstrap::first_run;
use bin_server::clock::SystemClock;
use bin_server::settings::{Profile, load_from};
use domain::{AuditAction, NewAuditEntry, ObjectKind, ObjectRef};
use secrecy::SecretString;
use std::path::Path;

fn temp_url(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("asset-tracker-builtin-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    format!("sqlite://{}", dir.join("tracker.db").display())
}

/// A migrated store on a fresh file.
async fn store(url: &str) -> SqliteStore {
    let store = adapters_sqlite::connect(url, &PoolSettings::default()).await.expect("connect");
    store.migrate().await.expect("migrate");
    store
}

/// Library names with their asset counts and default flags, by name.
async fn libraries(store: &SqliteStore) -> Vec<(String, u64, bool)> {
    let all = store.libraries().await.expect("libraries");
    all.into_iter().map(|s| (s.library.name.to_string(), s.asset_count, s.library.is_default)).collect()
}

fn expected() -> Vec<(String, u64, bool)> {
    [
        ("AAF (Base game)", 44),
        ("CSAT (Base game)", 46),
        ("FIA / Syndikat (Base game)", 23),
        ("LDF (Contact DLC)", 34),
        ("NATO (Base game)", 50),
    ]
    .into_iter()
    .map(|(name, count)| (name.to_owned(), count, name == DEFAULT_LIBRARY))
    .collect()
}

#[tokio::test]
async fn a_fresh_sqlite_server_has_the_built_in_libraries() {
    let url = temp_url("server");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    let mut settings = load_from(&dir, Profile::Testing).expect("testing profile");
    settings.database.url = Some(SecretString::from(url.clone()));
    let app = Application::build(&settings, None).await.expect("server starts");
    let reader = adapters_sqlite::connect(&url, &PoolSettings::default()).await.expect("connect");
    assert_eq!(libraries(&reader).await, expected());
    reader.close().await;
    app.run_until(std::future::ready(())).await.expect("stops");
}

#[tokio::test]
async fn a_production_first_run_installs_the_libraries_but_creates_no_account() {
    let store = store(&temp_url("production")).await;
    let tracker = Tracker::new(store.clone(), Argon2Hasher::new(HashParams::OWASP).unwrap(), SystemClock);
    first_run(&tracker, Profile::Production).await.expect("first run");
    assert_eq!(libraries(&store).await, expected());
    assert!(store.users().await.unwrap().is_empty(), "production creates no account");
}

#[tokio::test]
async fn a_restart_does_not_bring_back_a_built_in_library_an_admin_deleted() {
    let store = store(&temp_url("restart")).await;
    let tracker = Tracker::new(store.clone(), Argon2Hasher::new(HashParams::OWASP).unwrap(), SystemClock);
    first_run(&tracker, Profile::Production).await.expect("first run");
    let all = store.libraries().await.unwrap();
    let ldf = all.iter().find(|s| s.library.name.as_str() == "LDF (Contact DLC)").expect("LDF installed");
    let audit = NewAuditEntry {
        at: time::UtcDateTime::now(),
        actor_id: None,
        actor_name: "test".to_owned(),
        action: AuditAction::LibraryDeleted,
        campaign_id: None,
        object: ObjectRef::existing(ObjectKind::Library, ldf.library.id.get()),
        details: "deleted by the test".to_owned(),
    };
    store.delete_library(ldf.library.id, &audit).await.expect("delete");
    first_run(&tracker, Profile::Production).await.expect("second run");
    assert_eq!(libraries(&store).await.len(), 4);
}
