//! The Redis budgets against the Redis at `TEST_REDIS_URL` (default
//! `redis://127.0.0.1:6379`). Without one they say so and skip, unless
//! `REQUIRE_REDIS=1` (as in CI), which makes them fail instead.

use adapters_redis::{RedisLimits, RedisSettings};
use application::memory::MemoryLimits;
use application::ports::{SharedLimits, Take};
use std::time::{Duration, Instant};

fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

/// Budgets under a prefix of their own, so that runs never share keys; `None` (after
/// saying so) when no Redis answers and none is required.
async fn limits() -> Option<RedisLimits> {
    let prefix = format!("test-{}-{}", std::process::id(), rand_suffix());
    let settings = RedisSettings { url: redis_url(), key_prefix: prefix, timeout: Duration::from_secs(2) };
    let limits = RedisLimits::new(&settings).expect("the URL parses");
    match limits.take("probe", 1000).await {
        Ok(_) => Some(limits),
        Err(e) if std::env::var("REQUIRE_REDIS").as_deref() == Ok("1") => {
            panic!("REQUIRE_REDIS=1 but Redis at {} does not answer: {e}", redis_url())
        }
        Err(e) => {
            eprintln!("SKIPPED: no Redis at {} ({e}); set TEST_REDIS_URL or start one", redis_url());
            None
        }
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

#[tokio::test]
async fn a_budget_allows_its_burst_then_refuses_with_the_wait() {
    let Some(limits) = limits().await else { return };
    for i in 0..5 {
        assert_eq!(limits.take("10.0.0.1", 5).await.unwrap(), Take::Allowed, "request {i}");
    }
    match limits.take("10.0.0.1", 5).await.unwrap() {
        Take::Refused { retry_after } => {
            assert!(retry_after > Duration::from_secs(10) && retry_after <= Duration::from_secs(12), "{retry_after:?}");
        }
        Take::Allowed => panic!("the sixth request within a minute is refused"),
    }
    assert_eq!(limits.take("10.0.0.2", 5).await.unwrap(), Take::Allowed, "another address has its own budget");

    // The key expires when the budget would be full again: idle clients cost nothing.
    let client = redis::Client::open(redis_url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 =
        redis::cmd("PTTL").arg(format!("{}:10.0.0.1", limits.key_prefix())).query_async(&mut connection).await.unwrap();
    assert!(ttl > 48_000 && ttl <= 60_000, "{ttl} ms");
}

#[tokio::test]
async fn two_processes_share_one_budget() {
    let Some(first) = limits().await else { return };
    // A connection of its own, as another replica has, under the same prefix.
    let second = RedisLimits::new(&RedisSettings {
        url: redis_url(),
        key_prefix: first.key_prefix().to_owned(),
        timeout: Duration::from_secs(2),
    })
    .unwrap();
    let mut allowed = 0;
    for i in 0..10 {
        let limits = if i % 2 == 0 { &first } else { &second };
        if limits.take("192.0.2.7", 6).await.unwrap() == Take::Allowed {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 6, "six of ten alternating requests fit a budget of six");
}

#[tokio::test]
async fn redis_agrees_with_the_memory_budget() {
    let Some(redis) = limits().await else { return };
    let memory = MemoryLimits::default();
    for i in 0..12 {
        let shared = redis.take("198.51.100.1", 8).await.unwrap();
        let local = memory.take("198.51.100.1", 8).await.unwrap();
        assert_eq!(shared == Take::Allowed, local == Take::Allowed, "request {i}");
    }
}

#[tokio::test]
async fn an_unreachable_redis_fails_fast() {
    let settings = RedisSettings {
        url: "redis://127.0.0.1:1".to_owned(),
        key_prefix: "t".to_owned(),
        timeout: Duration::from_millis(300),
    };
    let limits = RedisLimits::new(&settings).unwrap();
    for _ in 0..3 {
        let started = Instant::now();
        assert!(limits.take("10.0.0.1", 5).await.is_err());
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    }
}

#[test]
fn a_bad_url_is_refused_without_repeating_it() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let _guard = runtime.enter();
    let settings = RedisSettings {
        url: "http://user:hunter2@host".to_owned(),
        key_prefix: "t".to_owned(),
        timeout: Duration::from_secs(1),
    };
    let error = RedisLimits::new(&settings).unwrap_err().to_string();
    assert!(!error.contains("hunter2"), "{error}");
}
