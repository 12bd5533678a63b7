//! Ledger writes through the real use case: `Tracker::create_event` with three asset
//! changes (-1, +2, -1 on the same three pool entries), one at a time and from 16
//! concurrent tasks, on the in-memory store, SQLite on a temp file and a fresh
//! PostgreSQL database (skipped with a note when none answers).
//!
//! Every event runs the whole use case: permission, the mission and campaign reads,
//! the pool read, parsing, the ledger pre-check, and the store's one transaction (the
//! guarded `UPDATE`s, the event and change rows, the audit row).

mod support;

use application::ports::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{event, row};

/// Events recorded one after the other.
const SEQUENTIAL: usize = 500;
/// Concurrent tasks, each recording `PER_TASK` events in a row.
const TASKS: usize = 16;
const PER_TASK: usize = 32;
/// Events recorded before timing starts (connections, caches, statement caches).
const WARM_UP: usize = 20;
const DELTAS: [&str; 3] = ["-1", "+2", "-1"];

fn main() {
    support::run("ledger_writes", async {
        support::header(&format!(
            "Ledger writes: create_event with 3 changes ({SEQUENTIAL} sequential; {TASKS} tasks x {PER_TASK})"
        ));
        support::on_every_store!("ledger", bench);
    });
}

async fn bench<S: Store>(label: &str, store: S) {
    let t = Arc::new(support::tracker(store));
    let admin = support::admin(&t).await;
    let seed = support::seed_ledger(&t, &admin).await;
    for n in 0..WARM_UP {
        t.create_event(&admin, seed.mission, event(n, &seed.entries, &DELTAS)).await.expect("warm-up event");
    }

    let mut latencies = Vec::with_capacity(SEQUENTIAL);
    let mut failures = Vec::new();
    let started = Instant::now();
    for n in 0..SEQUENTIAL {
        let one = Instant::now();
        match t.create_event(&admin, seed.mission, event(n, &seed.entries, &DELTAS)).await {
            Ok(_) => latencies.push(one.elapsed()),
            Err(e) => failures.push(e.to_string()),
        }
    }
    row("create_event, sequential", label, started.elapsed(), &mut latencies);
    report_failures(label, &failures);

    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let (t, admin, seed) = (Arc::clone(&t), admin.clone(), seed.clone());
            tokio::spawn(async move {
                let mut latencies: Vec<Duration> = Vec::with_capacity(PER_TASK);
                let mut failures = Vec::new();
                for i in 0..PER_TASK {
                    let input = event(task * PER_TASK + i, &seed.entries, &DELTAS);
                    let one = Instant::now();
                    match t.create_event(&admin, seed.mission, input).await {
                        Ok(_) => latencies.push(one.elapsed()),
                        Err(e) => failures.push(e.to_string()),
                    }
                }
                (latencies, failures)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(TASKS * PER_TASK);
    let mut failures = Vec::new();
    for task in tasks {
        let (l, f) = task.await.expect("bench task");
        latencies.extend(l);
        failures.extend(f);
    }
    row(&format!("create_event, {TASKS} tasks"), label, started.elapsed(), &mut latencies);
    report_failures(label, &failures);
}

/// Failed writes are not timed; they are counted here, with the first message.
fn report_failures(label: &str, failures: &[String]) {
    if let Some(first) = failures.first() {
        println!("\n> {label}: {} writes failed (not timed); first: {first}\n", failures.len());
    }
}
