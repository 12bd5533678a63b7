//! Builds the application from settings and runs it until a stop signal: the one
//! place where configuration, storage, the tracker and the web adapter meet. Tests
//! build the very same `Application` on port 0.

use crate::bootstrap;
use crate::clock::SystemClock;
use crate::database::{Database, DatabaseError, with_store};
use crate::settings::{Profile, Settings, redact_url};
use adapters_http::{
    AppState, Argon2Hasher, ExpiredDeletion, HashParams, HttpSettings, MetricsRenderer, ServeSettings, SessionStore,
    SharedBudgets, TrustedProxies,
};
use application::Tracker;
use application::ports::{Clock, PasswordHasher, Store};
use secrecy::ExposeSecret;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// The server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database is unreachable or its migrations failed.
    #[error(transparent)]
    Database(#[from] DatabaseError),
    /// The address cannot be bound (in use, or not allowed).
    #[error("cannot listen on {0}: {1}")]
    Bind(String, std::io::Error),
    /// The password hasher's parameters are invalid.
    #[error(transparent)]
    Hasher(#[from] adapters_http::security::HashError),
    /// A trusted proxy entry is malformed.
    #[error("APP_SERVER__TRUSTED_PROXIES: {0}")]
    Proxies(#[from] adapters_http::BadProxy),
    /// The static files' origin is malformed.
    #[error("APP_SERVER__STATIC_ORIGIN: {0}")]
    StaticOrigin(#[from] adapters_http::BadOrigin),
    /// The first-run set-up failed.
    #[error("first-run set-up failed: {0}")]
    Bootstrap(String),
    /// The session table could not be created.
    #[error("cannot prepare the session table: {0}")]
    Sessions(String),
    /// The embedded web templates do not load (a build defect).
    #[error(transparent)]
    Views(#[from] adapters_http::ViewsError),
    /// The Redis URL does not parse.
    #[error("APP_REDIS__URL: {0}")]
    Redis(#[from] adapters_redis::BadRedisUrl),
}

type Server = Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>>;

/// A built server, bound to its port and ready to run.
pub struct Application {
    port: u16,
    metrics_port: Option<u16>,
    database: Database,
    server: Server,
    stop: watch::Sender<bool>,
    shutdown_timeout: Duration,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application").field("port", &self.port).field("database", &self.database.kind()).finish()
    }
}

impl Application {
    /// Connects and migrates the database as configured, creates the first admin where
    /// the profile allows, and binds the listener, and the metrics listener when `metrics`
    /// is given and `metrics.address` is not empty.
    pub async fn build(settings: &Settings, metrics: Option<MetricsRenderer>) -> Result<Self, StartError> {
        let database = Database::connect(&settings.database).await?;
        if settings.database.migrate_on_start {
            database.migrate().await?;
        }
        let (listener, port) = bind(&settings.bind_address()).await?;
        let metrics = match metrics {
            Some(render) if !settings.metrics.address.trim().is_empty() => {
                let (listener, port) = bind(settings.metrics.address.trim()).await?;
                Some((listener, port, adapters_http::metrics_router(render)))
            }
            _ => None,
        };
        let metrics_port = metrics.as_ref().map(|(_, port, _)| *port);
        let token_key = settings.security.api_token_key.expose_secret().as_bytes();
        let hasher = Argon2Hasher::new(HashParams::OWASP)?.with_token_key(token_key);
        let http = http_settings(settings)?;
        let serving = ServeSettings {
            header_read_timeout: Duration::from_secs(settings.server.header_read_timeout_secs),
            keep_alive_timeout: Duration::from_secs(settings.server.keep_alive_timeout_secs),
        };
        let (stop, stopped) = watch::channel(false);
        let server: Server = with_store!(database.clone(), store => {
            let sessions = store.session_store().await?;
            let tracker = Arc::new(Tracker::new(store, hasher, SystemClock));
            bootstrap::first_run(&tracker, settings.profile).await.map_err(StartError::Bootstrap)?;
            let swept = Arc::clone(&tracker);
            let state = AppState::new(tracker, http)?;
            let router = adapters_http::router(state, sessions.clone());
            let metrics_stopped = stopped.clone();
            Box::pin(async move {
                let _sweeper = AbortOnDrop(tokio::spawn(sweep(sessions, swept)));
                let public = adapters_http::serve(listener, router, serving, wait_for(stopped));
                let private = async move {
                    match metrics {
                        Some((listener, _, router)) => {
                            adapters_http::serve(listener, router, serving, wait_for(metrics_stopped)).await
                        }
                        None => Ok(()),
                    }
                };
                let (public, private) = tokio::join!(public, private);
                public.and(private)
            })
        });
        tracing::info!(
            port,
            metrics_port,
            database = database.kind(),
            profile = settings.profile.as_str(),
            "server ready"
        );
        Ok(Self {
            port,
            metrics_port,
            database,
            server,
            stop,
            shutdown_timeout: Duration::from_secs(settings.server.shutdown_timeout_secs),
        })
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port the metrics listener serves `/metrics` on, when it runs.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_port
    }

    /// Serves until `signal` completes, then stops accepting, gives in-flight requests
    /// the configured time to finish, and closes the database pool.
    pub async fn run_until(self, signal: impl Future<Output = ()> + Send) -> std::io::Result<()> {
        let Self { server, stop, shutdown_timeout, database, .. } = self;
        let mut server = tokio::spawn(server);
        let result = tokio::select! {
            finished = &mut server => finished.unwrap_or_else(|e| Err(std::io::Error::other(e))),
            () = signal => {
                tracing::info!(timeout_secs = shutdown_timeout.as_secs(), "stopping: finishing in-flight requests");
                let _ = stop.send(true);
                match tokio::time::timeout(shutdown_timeout, &mut server).await {
                    Ok(finished) => finished.unwrap_or_else(|e| Err(std::io::Error::other(e))),
                    Err(_) => {
                        tracing::warn!("in-flight requests did not finish in time; stopping anyway");
                        server.abort();
                        Ok(())
                    }
                }
            }
        };
        database.close().await;
        tracing::info!("stopped");
        result
    }

    /// Serves until SIGTERM or Ctrl-C.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(stop_signal()).await
    }
}

/// Binds `address`, returning the listener and the port it got (port 0 picks one).
async fn bind(address: &str) -> Result<(TcpListener, u16), StartError> {
    let listener = TcpListener::bind(address).await.map_err(|e| StartError::Bind(address.to_owned(), e))?;
    let port = listener.local_addr().map_err(|e| StartError::Bind(address.to_owned(), e))?.port();
    Ok((listener, port))
}

/// The web adapter's settings, from the server, session and security sections.
fn http_settings(settings: &Settings) -> Result<HttpSettings, StartError> {
    Ok(HttpSettings {
        request_timeout: Duration::from_secs(settings.server.request_timeout_secs),
        body_limit: settings.server.body_limit_bytes,
        ready_timeout: Duration::from_millis(settings.database.ready_timeout_ms),
        requests_per_minute: settings.security.requests_per_minute,
        trusted_proxies: TrustedProxies::parse(&settings.server.trusted_proxies)?,
        session_cookie_name: settings.session.cookie_name.clone(),
        secure_cookie: settings.session.secure_cookie,
        idle_timeout: Duration::from_secs(settings.session.idle_timeout_minutes.saturating_mul(60)),
        absolute_lifetime: Duration::from_secs(settings.session.absolute_lifetime_hours.saturating_mul(3600)),
        login_attempts_per_minute: settings.security.login_attempts_per_minute,
        hsts: settings.profile != Profile::Development,
        dashboard_missions: settings.public.dashboard_missions,
        dashboard_events_per_mission: settings.public.dashboard_events_per_mission,
        shared_limits: shared_limits(settings)?,
        static_origin: crate::settings::static_origin(&settings.server)?,
    })
}

/// The per-address budgets in Redis, when `redis.url` is set. Nothing connects yet: a
/// Redis that is down at start only means falling back until it answers.
fn shared_limits(settings: &Settings) -> Result<Option<SharedBudgets>, StartError> {
    let Some(url) = &settings.redis.url else { return Ok(None) };
    let limits = adapters_redis::RedisLimits::new(&adapters_redis::RedisSettings {
        url: url.expose_secret().to_owned(),
        key_prefix: settings.redis.key_prefix.clone(),
        timeout: Duration::from_millis(settings.redis.timeout_ms.max(1)),
    })?;
    tracing::info!(url = %redact_url(url.expose_secret()), "per-address rate limits are shared through Redis");
    Ok(Some(SharedBudgets::new(limits)))
}

/// The login sessions' store, on the same database (and pool) as the storage adapter,
/// so that every replica shares the sessions. Its table is created at start when missing.
trait SessionBacking {
    /// The sqlx session store for this database.
    type Sessions: SessionStore + ExpiredDeletion + Clone;

    /// The session store, its table created.
    async fn session_store(&self) -> Result<Self::Sessions, StartError>;
}

impl SessionBacking for adapters_sqlite::SqliteStore {
    type Sessions = tower_sessions_sqlx_store::SqliteStore;

    async fn session_store(&self) -> Result<Self::Sessions, StartError> {
        let sessions = tower_sessions_sqlx_store::SqliteStore::new(self.connection_pool().clone());
        sessions.migrate().await.map_err(|e| StartError::Sessions(e.to_string()))?;
        Ok(sessions)
    }
}

impl SessionBacking for adapters_postgres::PgStore {
    type Sessions = tower_sessions_sqlx_store::PostgresStore;

    async fn session_store(&self) -> Result<Self::Sessions, StartError> {
        let sessions = tower_sessions_sqlx_store::PostgresStore::new(self.connection_pool().clone());
        sessions.migrate().await.map_err(|e| StartError::Sessions(e.to_string()))?;
        Ok(sessions)
    }
}

/// Every ten minutes: deletes expired sessions and forgotten login-throttle runs, so
/// that neither table grows with abandoned sessions or made-up usernames.
async fn sweep<S: Store, H: PasswordHasher, C: Clock>(sessions: impl ExpiredDeletion, tracker: Arc<Tracker<S, H, C>>) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(e) = sessions.delete_expired().await {
            tracing::warn!(error = %e, "deleting expired sessions failed");
        }
        match tracker.forget_login_throttles().await {
            Ok(0) => {}
            Ok(forgotten) => tracing::info!(forgotten, "forgot expired login-throttle runs"),
            Err(e) => tracing::warn!(error = %e, "forgetting login-throttle runs failed"),
        }
    }
}

/// Aborts the task when dropped, so that background work ends with the server.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn wait_for(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
