//! Builds the application from settings and runs it until a stop signal: the one
//! place where configuration, storage, the tracker and the web adapter meet. Tests
//! build the very same `Application` on port 0.

use crate::bootstrap;
use crate::clock::SystemClock;
use crate::database::{Database, DatabaseError, with_store};
use crate::settings::Settings;
use adapters_http::{AppState, Argon2Hasher, HashParams, HttpSettings, MetricsRenderer, TrustedProxies};
use application::Tracker;
use std::future::Future;
use std::net::SocketAddr;
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
    /// The first-run set-up failed.
    #[error("first-run set-up failed: {0}")]
    Bootstrap(String),
}

type Server = Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>>;

/// A built server, bound to its port and ready to run.
pub struct Application {
    port: u16,
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
    /// the profile allows, and binds the listener.
    pub async fn build(settings: &Settings, metrics: Option<MetricsRenderer>) -> Result<Self, StartError> {
        let database = Database::connect(&settings.database).await?;
        if settings.database.migrate_on_start {
            database.migrate().await?;
        }
        let address = settings.bind_address();
        let listener = TcpListener::bind(&address).await.map_err(|e| StartError::Bind(address.clone(), e))?;
        let port = listener.local_addr().map_err(|e| StartError::Bind(address, e))?.port();
        let hasher = Argon2Hasher::new(HashParams::OWASP)?;
        let http = Arc::new(HttpSettings {
            request_timeout: Duration::from_secs(settings.server.request_timeout_secs),
            body_limit: settings.server.body_limit_bytes,
            ready_timeout: Duration::from_millis(settings.database.ready_timeout_ms),
            requests_per_minute: settings.security.requests_per_minute,
            trusted_proxies: TrustedProxies::parse(&settings.server.trusted_proxies)?,
        });
        let (stop, stopped) = watch::channel(false);
        let server: Server = with_store!(database.clone(), store => {
            let tracker = Arc::new(Tracker::new(store, hasher, SystemClock));
            bootstrap::first_run(&tracker, settings.profile).await.map_err(StartError::Bootstrap)?;
            let router = adapters_http::router(AppState { tracker, settings: http, metrics });
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            Box::pin(async move { axum::serve(listener, service).with_graceful_shutdown(wait_for(stopped)).await })
        });
        tracing::info!(port, database = database.kind(), profile = settings.profile.as_str(), "server ready");
        Ok(Self {
            port,
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
