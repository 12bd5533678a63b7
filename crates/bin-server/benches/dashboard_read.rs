//! The read path: `Tracker::dashboard()` (the public front page's model: the active
//! campaign, its public pool, its missions with their events and changes) and
//! `Tracker::public_pool()` (behind `GET /api/v1/pool`) on a campaign importing the
//! built-in libraries (~200 pool entries) with 200 events of three changes, on the
//! in-memory store, SQLite on a temp file and PostgreSQL (skipped when unreachable).

mod support;

use application::ports::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{BenchTracker, row};

/// Events seeded before reading.
const EVENTS: usize = 200;
/// Reads one after the other.
const SEQUENTIAL: usize = 200;
/// Concurrent readers, each reading `PER_TASK` times in a row.
const TASKS: usize = 8;
const PER_TASK: usize = 25;
const WARM_UP: usize = 10;

fn main() {
    support::run("dashboard_read", async {
        support::header(&format!("Read path: a campaign of the built-in libraries with {EVENTS} events"));
        support::on_every_store!("dashboard", bench);
    });
}

async fn bench<S: Store>(label: &str, store: S) {
    let t = Arc::new(support::tracker(store));
    let admin = support::admin(&t).await;
    let entries = support::seed_builtin(&t, &admin, EVENTS).await;
    let dashboard = t.dashboard(5, 10).await.expect("dashboard").expect("an active campaign");
    let events: usize = dashboard.missions.iter().map(|m| m.events.len()).sum();
    assert_eq!(events, EVENTS, "the dashboard shows every seeded event");
    let what = format!("dashboard() [{} public of {entries} entries, {events} events]", dashboard.pool.len());
    for _ in 0..WARM_UP {
        read_dashboard(&t).await;
    }

    let mut latencies = Vec::with_capacity(SEQUENTIAL);
    let started = Instant::now();
    for _ in 0..SEQUENTIAL {
        let one = Instant::now();
        read_dashboard(&t).await;
        latencies.push(one.elapsed());
    }
    row(&format!("{what}, sequential"), label, started.elapsed(), &mut latencies);

    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let t = Arc::clone(&t);
            tokio::spawn(async move {
                let mut latencies: Vec<Duration> = Vec::with_capacity(PER_TASK);
                for _ in 0..PER_TASK {
                    let one = Instant::now();
                    read_dashboard(&t).await;
                    latencies.push(one.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(TASKS * PER_TASK);
    for task in tasks {
        latencies.extend(task.await.expect("bench task"));
    }
    row(&format!("dashboard(), {TASKS} tasks"), label, started.elapsed(), &mut latencies);

    let mut latencies = Vec::with_capacity(SEQUENTIAL);
    let started = Instant::now();
    for _ in 0..SEQUENTIAL {
        let one = Instant::now();
        t.public_pool().await.expect("public pool").expect("an active campaign");
        latencies.push(one.elapsed());
    }
    row("public_pool(), sequential", label, started.elapsed(), &mut latencies);
}

async fn read_dashboard<S: Store>(t: &BenchTracker<S>) {
    let dashboard = t.dashboard(5, 10).await.expect("dashboard").expect("an active campaign");
    std::hint::black_box(dashboard);
}
