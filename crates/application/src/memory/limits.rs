//! Shared request budgets in memory: what the Redis budget does, for tests of the web
//! adapter (clones share the budgets, as two replicas share one Redis).

use crate::ports::{Gcra, LimitsUnavailable, SharedLimits, Take, TakeFuture};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Budgets by key, timed by a monotonic clock; can play an unreachable backend.
#[derive(Debug, Clone)]
pub struct MemoryLimits {
    started: Instant,
    arrivals: Arc<Mutex<HashMap<String, u64>>>,
    down: Arc<AtomicBool>,
}

impl Default for MemoryLimits {
    fn default() -> Self {
        Self { started: Instant::now(), arrivals: Arc::default(), down: Arc::default() }
    }
}

impl MemoryLimits {
    /// Makes every `take` fail (`true`) or answer again (`false`).
    pub fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }
}

impl SharedLimits for MemoryLimits {
    fn take<'a>(&'a self, key: &'a str, per_minute: u32) -> TakeFuture<'a> {
        Box::pin(async move {
            if self.down.load(Ordering::SeqCst) {
                return Err(LimitsUnavailable("the memory budget plays an outage".to_owned()));
            }
            let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let mut arrivals = self.arrivals.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let (take, next) = Gcra::per_minute(per_minute).take(arrivals.get(key).copied(), now);
            if let Some(next) = next {
                arrivals.insert(key.to_owned(), next);
            }
            Ok::<Take, LimitsUnavailable>(take)
        })
    }
}
