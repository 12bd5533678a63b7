//! Shared by the benches: the runner (a bench only runs under `cargo bench`), stores on
//! a temp SQLite file and a fresh PostgreSQL database, seeding through the real use
//! cases, timing statistics printed as a Markdown table, and the process's peak memory.
//!
//! Invariant: numbers are printed, never asserted; a failed seed step panics with the
//! use case's error, since a bench on a half-seeded store would measure nothing useful.
#![allow(dead_code, reason = "each bench uses a part of this module")]

use application::campaigns::CampaignInput;
use application::events::{ChangeInput, EventFields, EventInput};
use application::libraries::{AssetInput, LibraryInput};
use application::memory::PlainHasher;
use application::missions::MissionInput;
use application::ports::Store;
use application::users::CreateAdmin;
use application::{Actor, StaffMember, Tracker};
use bin_server::clock::SystemClock;
use domain::{CampaignId, MissionId, PoolEntry, PoolEntryId, Role, Username};
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

/// Runs `$bench(label, store).await` on the in-memory store, on SQLite in a temp file
/// and, when a server answers, on a fresh PostgreSQL database, cleaning up after each.
/// (A macro, since the bench is generic over the store.)
macro_rules! on_every_store {
    ($name:literal, $bench:ident) => {{
        $bench("memory", application::memory::MemoryStore::new()).await;
        let (sqlite, dir) = support::sqlite_store($name).await;
        $bench("SQLite (file, WAL)", sqlite.clone()).await;
        sqlite.close().await;
        let _ = std::fs::remove_dir_all(dir);
        if let Some(db) = support::postgres_database().await {
            $bench("PostgreSQL", db.store().clone()).await;
            db.drop_database().await;
        }
    }};
}
pub(crate) use on_every_store;

/// The tracker every bench drives: a real store, a hasher that costs nothing (Argon2id
/// would dominate the first admin's creation and is not what is measured), the real clock.
pub type BenchTracker<S> = Tracker<S, PlainHasher, SystemClock>;

/// Runs `body` on a multi-threaded Tokio runtime (one worker per core), but only under
/// `cargo bench`: `cargo test --all-targets` runs bench binaries without `--bench`, and
/// then this returns at once.
pub fn run<F: Future<Output = ()>>(name: &str, body: F) {
    if !std::env::args().any(|a| a == "--bench") {
        println!("{name}: a benchmark; run it with `cargo bench -p bin-server` (or `just bench-store`)");
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(body);
    println!("\npeak memory (VmHWM) of the {name} process: {}", peak_memory());
}

/// The tracker over `store`.
pub fn tracker<S: Store>(store: S) -> BenchTracker<S> {
    Tracker::new(store, PlainHasher::new(), SystemClock)
}

/// A store on a fresh SQLite file in the temp directory (WAL, the adapter's default
/// pool), migrated; and the file's directory, to remove afterwards.
pub async fn sqlite_store(name: &str) -> (adapters_sqlite::SqliteStore, PathBuf) {
    let dir = std::env::temp_dir().join(format!("asset-tracker-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("sqlite://{}", dir.join("tracker.db").display());
    let store = adapters_sqlite::connect(&url, &adapters_sqlite::PoolSettings::default()).await.expect("sqlite");
    store.migrate().await.expect("sqlite migrations");
    (store, dir)
}

/// A fresh, migrated PostgreSQL database (default pool: 10 connections), or `None`
/// with a printed note when no server answers.
pub async fn postgres_database() -> Option<adapters_postgres::test_support::TestDatabase> {
    let db = adapters_postgres::test_support::TestDatabase::create().await;
    if db.is_none() {
        println!("\n> PostgreSQL skipped: no server at {}\n", adapters_postgres::test_support::server_url());
    }
    db
}

/// Creates the first admin and returns it as the acting staff member.
pub async fn admin<S: Store>(t: &BenchTracker<S>) -> Actor {
    let cmd = CreateAdmin { username: "admin".into(), password: "correct horse battery".into() };
    let id = t.create_first_admin(cmd).await.expect("admin").expect("an empty store");
    Actor::Staff(StaffMember {
        id,
        username: Username::parse("admin").expect("username"),
        role: Role::Admin,
        token: None,
    })
}

/// What the ledger bench writes to: a mission of the active campaign, and the three
/// pool entries each event changes.
#[derive(Debug, Clone)]
pub struct LedgerSeed {
    /// The mission events are recorded in.
    pub mission: MissionId,
    /// The pool entries (quantity 100,000 each) the events change.
    pub entries: Vec<PoolEntryId>,
}

/// A library of three assets, an active campaign importing it and a mission, all
/// through the use cases.
pub async fn seed_ledger<S: Store>(t: &BenchTracker<S>, admin: &Actor) -> LedgerSeed {
    let input = LibraryInput { name: "Bench library".into(), ..LibraryInput::default() };
    let library = t.create_library(admin, input).await.expect("library");
    for (name, kind) in [("M2A1 Slammer", "Vehicle"), ("AH-99 Blackfoot", "Aircraft"), ("MX 6.5 mm", "Weapon")] {
        let input = AssetInput {
            name: name.into(),
            kind: kind.into(),
            default_quantity: "100000".into(),
            public: true,
            ..AssetInput::default()
        };
        t.create_asset(admin, library, input).await.expect("asset");
    }
    let campaign = active_campaign(t, admin, vec![library]).await;
    let mission = mission(t, admin, campaign, "Operation Benchmark").await;
    let entries = t.store().pool(campaign).await.expect("pool").iter().map(PoolEntry::id).collect();
    LedgerSeed { mission, entries }
}

/// The built-in libraries, an active campaign importing all of them, ten missions and
/// `events` events (three gains each) spread over them; returns the pool's size.
pub async fn seed_builtin<S: Store>(t: &BenchTracker<S>, admin: &Actor, events: usize) -> usize {
    t.install_builtin_libraries().await.expect("built-in libraries");
    let libraries = t.store().libraries().await.expect("libraries").iter().map(|s| s.library.id).collect();
    let campaign = active_campaign(t, admin, libraries).await;
    let mut missions = Vec::new();
    for n in 1..=10 {
        missions.push(mission(t, admin, campaign, &format!("Operation {n}")).await);
    }
    let pool = t.store().pool(campaign).await.expect("pool");
    let gainable: Vec<PoolEntryId> = pool.iter().filter(|e| !e.is_unique()).map(PoolEntry::id).collect();
    for n in 0..events {
        let entries: Vec<PoolEntryId> = (0..3).map(|k| gainable[(3 * n + k) % gainable.len()]).collect();
        let input = event(n, &entries, &["+1", "+1", "+1"]);
        t.create_event(admin, missions[n % missions.len()], input).await.expect("event");
    }
    pool.len()
}

async fn active_campaign<S: Store>(
    t: &BenchTracker<S>,
    admin: &Actor,
    library_ids: Vec<domain::LibraryId>,
) -> CampaignId {
    let input = CampaignInput {
        name: "Operation Bench".into(),
        description: "Benchmark campaign".into(),
        start_date: "2026-11-01".into(),
        library_ids,
        make_active: true,
        ..CampaignInput::default()
    };
    t.create_campaign(admin, input).await.expect("campaign")
}

async fn mission<S: Store>(t: &BenchTracker<S>, admin: &Actor, campaign: CampaignId, name: &str) -> MissionId {
    let input = MissionInput { name: name.into(), date: "2026-11-28".into(), ..MissionInput::default() };
    t.create_mission(admin, campaign, input).await.expect("mission")
}

/// Event number `n` with one change per entry, the deltas in order.
pub fn event(n: usize, entries: &[PoolEntryId], deltas: &[&str]) -> EventInput {
    let fields = EventFields {
        kind: "Combat".into(),
        title: format!("Engagement {n}"),
        description: "Contact at the northern checkpoint.".into(),
        occurred_at: "2026-11-28T20:00".into(),
        location: "Altis".into(),
        notes: String::new(),
    };
    let changes = entries
        .iter()
        .zip(deltas)
        .map(|(id, delta)| ChangeInput { pool_entry_id: id.to_string(), delta: (*delta).into(), note: "bench".into() })
        .collect();
    EventInput { fields, changes, idempotency_key: None }
}

/// Prints a section title and the table's header.
pub fn header(title: &str) {
    println!("\n### {title}\n");
    println!("| operation | store | iterations | total | mean | p50 | p95 | ops/s |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
}

/// Prints one row: `latencies` are the single operations' times (for concurrent runs
/// they overlap, so the mean latency is not `total / iterations`).
pub fn row(operation: &str, store: &str, total: Duration, latencies: &mut [Duration]) {
    latencies.sort_unstable();
    let n = latencies.len();
    let mean = latencies.iter().sum::<Duration>() / u32::try_from(n.max(1)).unwrap_or(u32::MAX);
    let p50 = percentile(latencies, 50);
    let p95 = percentile(latencies, 95);
    let per_second = n as f64 / total.as_secs_f64();
    println!(
        "| {operation} | {store} | {n} | {} | {} | {} | {} | {per_second:.0} |",
        show(total),
        show(mean),
        show(p50),
        show(p95)
    );
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) * p).div_ceil(100)]
}

/// A duration in the unit that suits it.
pub fn show(d: Duration) -> String {
    let micros = d.as_secs_f64() * 1e6;
    if micros < 1_000.0 {
        format!("{micros:.1} µs")
    } else if micros < 1_000_000.0 {
        format!("{:.2} ms", micros / 1e3)
    } else {
        format!("{:.2} s", micros / 1e6)
    }
}

/// The process's peak resident set size, from `VmHWM` in `/proc/self/status`.
pub fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l["VmHWM:".len()..].trim().to_owned()))
        .unwrap_or_else(|| "unknown (no /proc/self/status)".to_owned())
}
