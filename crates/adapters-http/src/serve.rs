//! The server loop: accepts TCP connections and serves a router on each with
//! hyper-util's HTTP/1 and HTTP/2 connection builder, in place of `axum::serve`, which
//! has no header-read timeout.
//!
//! Invariants: a client that sends a request head too slowly, or nothing at all, is cut
//! off after the header-read timeout; a connection silent in both directions for the
//! keep-alive timeout is closed; every request carries `ConnectInfo<SocketAddr>` (the
//! rate limits key on it); after the shutdown signal no connection is accepted and the
//! loop returns once every open connection has finished its in-flight requests.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tower::Layer;

/// How connections are timed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeSettings {
    /// The longest a client may take to send a whole request head, from its first byte
    /// (hyper's HTTP/1 `header_read_timeout`, which also times the wait for the next
    /// request on a kept-alive HTTP/1 connection), and to send its first byte at all.
    pub header_read_timeout: Duration,
    /// A connection with no byte read or written for this long is closed gracefully
    /// (HTTP/2 connections included, which have no header timeout).
    pub keep_alive_timeout: Duration,
}

impl Default for ServeSettings {
    fn default() -> Self {
        Self { header_read_timeout: Duration::from_secs(10), keep_alive_timeout: Duration::from_secs(60) }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting and
/// returns when the open connections have finished (each is told to close after its
/// in-flight requests). Dropping the returned future aborts every connection.
/// # Errors
/// None so far: failed accepts are logged and retried, failed connections logged.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: ServeSettings,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(settings.header_read_timeout).keep_alive(true);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    let (stop, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let service = axum::Extension(ConnectInfo(peer)).layer(router.clone());
                    let task = connection(Arc::clone(&builder), stream, service, settings, stopped.clone());
                    connections.spawn(task);
                }
                Err(e) => accept_failed(&e).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stop.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// A failed accept: a connection that died before it was accepted is nobody's problem;
/// anything else (out of file descriptors, typically) is logged and waited out, so the
/// loop does not spin.
async fn accept_failed(e: &io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(e.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        tracing::error!(error = %e, "accepting a connection failed; retrying in a second");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

type Service = axum::middleware::AddExtension<Router, ConnectInfo<SocketAddr>>;

/// Serves one connection until it ends, the client falls silent, or the server stops.
async fn connection(
    builder: Arc<Builder<TokioExecutor>>,
    stream: TcpStream,
    service: Service,
    settings: ServeSettings,
    mut stopped: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched { inner: stream, activity: Arc::clone(&activity) });
    let conn = builder.serve_connection_with_upgrades(io, TowerToHyperService::new(service));
    let mut conn = pin!(conn);
    let mut closing = false;
    loop {
        let deadline = activity.last() + silence_allowed(&activity, settings, closing);
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            _ = stopped.wait_for(|stop| *stop), if !closing => {
                conn.as_mut().graceful_shutdown();
                closing = true;
                activity.touch();
            }
            () = tokio::time::sleep_until(deadline) => {
                // Recomputed: the limit changes while asleep when the first byte arrives.
                let limit = silence_allowed(&activity, settings, closing);
                if activity.last() + limit > Instant::now() {
                    continue;
                }
                if closing {
                    tracing::debug!("dropping a connection silent since it was told to close");
                    return;
                }
                tracing::debug!(idle_secs = limit.as_secs(), "closing a silent connection");
                conn.as_mut().graceful_shutdown();
                closing = true;
                activity.touch();
            }
        }
    }
}

/// How long the connection may stay silent. Before its first byte a client gets the
/// header timeout; afterwards, the idle one. Once told to close, a client that falls
/// silent (an HTTP/2 client that never answers the closing PING, for which hyper would
/// wait for ever) gets the header timeout, then is dropped.
fn silence_allowed(activity: &Activity, settings: ServeSettings, closing: bool) -> Duration {
    if closing || !activity.has_read() { settings.header_read_timeout } else { settings.keep_alive_timeout }
}

/// When a connection last moved a byte, and whether it ever received one.
#[derive(Debug)]
struct Activity {
    opened: Instant,
    last_millis: AtomicU64,
    read_any: AtomicBool,
}

impl Activity {
    fn new() -> Self {
        Self { opened: Instant::now(), last_millis: AtomicU64::new(0), read_any: AtomicBool::new(false) }
    }

    fn touch(&self) {
        let millis = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_millis.store(millis, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.opened + Duration::from_millis(self.last_millis.load(Ordering::Relaxed))
    }

    fn has_read(&self) -> bool {
        self.read_any.load(Ordering::Relaxed)
    }
}

/// The TCP stream, noting each byte moved in its `Activity`.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read_any.store(true, Ordering::Relaxed);
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.wrote(&polled);
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.wrote(&polled);
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl Watched {
    fn wrote(&self, polled: &Poll<io::Result<usize>>) {
        if matches!(polled, Poll::Ready(Ok(n)) if *n > 0) {
            self.activity.touch();
        }
    }
}
