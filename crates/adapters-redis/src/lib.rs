//! Shared request budgets in Redis: every replica counts a client's requests in one
//! place, so running several replicas does not multiply the per-address limits.
//!
//! Each request is one call of one Lua script (GCRA, the rule of
//! `application::ports::Gcra`): it reads the key's theoretical arrival time, decides
//! and stores the new time with an expiry, atomically and timed by Redis's own clock,
//! so the replicas' clocks need not agree. A key lives only as long as its budget is not
//! full again, so idle clients cost nothing.
//!
//! Invariant: a call never waits longer than the configured timeout. The connection is
//! made lazily and remade after a failure by `ConnectionManager`; while Redis cannot be
//! reached every call fails fast with `LimitsUnavailable`, and the web adapter falls back
//! to its in-process limiter.

use application::ports::{LimitsUnavailable, SharedLimits, Take, TakeFuture};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::time::Duration;

/// The GCRA script. KEYS[1]: the budget; ARGV[1]: the interval between requests at the
/// sustained rate (ms); ARGV[2]: the tolerance (ms), `interval × (burst − 1)`. Answers 0
/// when the request is allowed (and counted), otherwise the milliseconds to wait.
const GCRA: &str = r"
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if tat - now > tolerance then
  return tat - now - tolerance
end
tat = tat + interval
redis.call('SET', KEYS[1], tat, 'PX', tat - now)
return 0
";

/// How the budgets reach Redis.
#[derive(Debug, Clone)]
pub struct RedisSettings {
    /// `redis://[user:password@]host:port/db` (or `rediss://`).
    pub url: String,
    /// Prepended to every key (`<prefix>:<key>`), so several deployments can share one
    /// Redis.
    pub key_prefix: String,
    /// The longest a request waits for Redis before the caller falls back.
    pub timeout: Duration,
}

/// The budgets, through one multiplexed, self-reconnecting connection.
#[derive(Clone)]
pub struct RedisLimits {
    connection: ConnectionManager,
    script: redis::Script,
    key_prefix: String,
    timeout: Duration,
}

impl std::fmt::Debug for RedisLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLimits").field("key_prefix", &self.key_prefix).finish_non_exhaustive()
    }
}

/// The Redis URL does not parse.
#[derive(Debug, thiserror::Error)]
#[error("the Redis URL is not valid: {0}")]
pub struct BadRedisUrl(String);

impl RedisLimits {
    /// Prepares the budgets; connects on first use, so a Redis that is down at start
    /// only means falling back until it answers.
    /// # Errors
    /// `BadRedisUrl` when the URL does not parse (its text is not repeated: it may hold
    /// a password).
    /// # Panics
    /// Outside a Tokio runtime.
    pub fn new(settings: &RedisSettings) -> Result<Self, BadRedisUrl> {
        let client = redis::Client::open(settings.url.as_str()).map_err(|e| BadRedisUrl(format!("{:?}", e.kind())))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(settings.timeout))
            .set_response_timeout(Some(settings.timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(1));
        let connection = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|e| BadRedisUrl(format!("{:?}", e.kind())))?;
        Ok(Self {
            connection,
            script: redis::Script::new(GCRA),
            key_prefix: settings.key_prefix.clone(),
            timeout: settings.timeout,
        })
    }

    /// The prefix of every key.
    #[must_use]
    pub fn key_prefix(&self) -> &str {
        &self.key_prefix
    }

    async fn run(&self, key: &str, per_minute: u32) -> Result<Take, LimitsUnavailable> {
        let rule = application::ports::Gcra::per_minute(per_minute);
        let mut connection = self.connection.clone();
        let mut call = self.script.key(format!("{}:{key}", self.key_prefix));
        call.arg(rule.interval_ms).arg(rule.tolerance_ms);
        let wait_ms: u64 = tokio::time::timeout(self.timeout, call.invoke_async(&mut connection))
            .await
            .map_err(|_| LimitsUnavailable(format!("no answer from Redis within {:?}", self.timeout)))?
            .map_err(|e| LimitsUnavailable(e.to_string()))?;
        Ok(match wait_ms {
            0 => Take::Allowed,
            wait => Take::Refused { retry_after: Duration::from_millis(wait) },
        })
    }
}

impl SharedLimits for RedisLimits {
    fn take<'a>(&'a self, key: &'a str, per_minute: u32) -> TakeFuture<'a> {
        Box::pin(self.run(key, per_minute))
    }
}
