//! Online backups with `VACUUM INTO`: the copy opens as a database with the same
//! rows, an existing file is never overwritten, and in-memory databases have no file.

#[path = "support/temp_db.rs"]
mod temp_db;

use adapters_sqlite::{PoolSettings, StoreError, backup_to, connect, database_file};
use application::contract::check::ok;
use application::contract::seed;
use application::ports::LibraryRepo;
use temp_db::{fresh_path, remove, url_of};

#[tokio::test]
async fn a_backup_taken_while_the_store_is_open_has_the_same_rows() {
    let store = temp_db::file_store().await;
    let library = seed::library(&store, "NATO").await;
    let copy = fresh_path();
    std::fs::create_dir_all(copy.parent().expect("a directory")).expect("the copy's directory");
    backup_to(&store, &copy).await.expect("the backup is written");

    let restored = connect(&url_of(&copy), &PoolSettings::default()).await.expect("the copy opens");
    let found = ok(restored.library(library).await, "the library in the copy").expect("the library was copied");
    assert_eq!(found.library.name.as_str(), "NATO");
    remove(restored).await;
    remove(store).await;
}

#[tokio::test]
async fn a_backup_never_overwrites_an_existing_file() {
    let store = temp_db::file_store().await;
    let copy = fresh_path();
    std::fs::create_dir_all(copy.parent().expect("a directory")).expect("the copy's directory");
    std::fs::write(&copy, b"keep me").expect("an existing file");
    let err = backup_to(&store, &copy).await.expect_err("an existing file is refused");
    assert!(matches!(err, StoreError::BackupExists { .. }), "{err}");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&copy).expect("still there"), b"keep me");
    let _ = std::fs::remove_dir_all(copy.parent().and_then(std::path::Path::parent).expect("the temp root"));
    remove(store).await;
}

#[test]
fn the_file_of_a_url_is_found_and_an_in_memory_database_has_none() {
    assert_eq!(database_file("sqlite::memory:").expect("a valid URL"), None);
    let file = database_file("sqlite://data/asset-tracker.db").expect("a valid URL").expect("a file");
    assert!(file.ends_with("data/asset-tracker.db"), "{}", file.display());
    assert!(matches!(database_file("sqlite://x.db?flavour=strawberry"), Err(StoreError::InvalidUrl { .. })));
}
