//! Connections: the accept loop, TLS, and the limits that keep one slow or hostile client
//! from hurting the others.
//!
//! Every connection, plain or TLS, has `header_read_timeout` to finish its TLS handshake and
//! then each request's headers (an idle keep-alive connection is closed after it too); request
//! bodies get their own deadline in the body middleware. At most `max_connections` are served
//! at once: the accept loop waits for a free slot, so further clients queue in the kernel's
//! listen backlog rather than taking memory and file descriptors. On shutdown the loop stops
//! accepting, connections finish the request they are in, and whatever is left after
//! `shutdown_grace` is dropped.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;

use crate::server::config::Settings;

/// Largest request head (request line and headers): generous for bearer tokens and proxies'
/// headers, small enough that a client cannot make the server hold megabytes per connection.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// Most header fields in one request.
pub const MAX_HEADERS: usize = 64;

/// How connections are served.
#[derive(Debug, Clone)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub max_connections: usize,
    pub shutdown_grace: Duration,
}

impl Limits {
    pub fn from_settings(settings: &Settings) -> Limits {
        Limits {
            header_read_timeout: settings.header_read_timeout,
            max_connections: settings.max_connections,
            shutdown_grace: settings.shutdown_grace,
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then drains the connections.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let tls = tls.map(TlsAcceptor::from);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_header_size(MAX_HEADER_BYTES)
        .max_headers(MAX_HEADERS);
    tokio::pin!(shutdown);

    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    // Out of file descriptors, or the peer gave up before the accept: pause
                    // briefly instead of spinning, and keep serving the others.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection = Connection {
            http: http.clone(),
            app: app.clone(),
            tls: tls.clone(),
            handshake_timeout: limits.header_read_timeout,
            watcher: graceful.watcher(),
            _slot: slot,
        };
        tokio::spawn(connection.run(stream));
    }

    // New clients are refused from here on rather than left waiting in the backlog.
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {
            tracing::warn!(
                grace_seconds = limits.shutdown_grace.as_secs(),
                "requests still in flight after the shutdown grace period are dropped"
            );
        }
    }
    Ok(())
}

/// One accepted connection and what it needs until it closes.
struct Connection {
    http: http1::Builder,
    app: Router,
    tls: Option<TlsAcceptor>,
    handshake_timeout: Duration,
    watcher: Watcher,
    /// Frees a place under `max_connections` when the connection ends.
    _slot: OwnedSemaphorePermit,
}

impl Connection {
    async fn run(self, stream: TcpStream) {
        // Responses are small and written whole: waiting to coalesce them only adds latency.
        let _ = stream.set_nodelay(true);
        let Some(acceptor) = self.tls.clone() else {
            return self.http_on(stream).await;
        };
        match tokio::time::timeout(self.handshake_timeout, acceptor.accept(stream)).await {
            Ok(Ok(stream)) => self.http_on(stream).await,
            // Scanners and clients that distrust the certificate end here; not worth a warning.
            Ok(Err(error)) => tracing::debug!(%error, "TLS handshake failed"),
            Err(_) => tracing::debug!("TLS handshake not finished in time; connection closed"),
        }
    }

    async fn http_on<S>(self, stream: S)
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let service = TowerToHyperService::new(self.app);
        let connection = self.http.serve_connection(TokioIo::new(stream), service);
        if let Err(error) = self.watcher.watch(connection).await {
            // Header timeouts, oversized heads and clients that vanish: the client's problem.
            tracing::debug!(%error, "connection ended with an error");
        }
    }
}
