//! The `jitd` backend: HTTP routes, the JIT rules, storage and background jobs.
//!
//! [`app`] builds the router from an [`AppState`]; [`start`] (plain HTTP) and [`start_tls`]
//! serve it on a listener inside the current process, which is how `jitd serve`,
//! `jitd dev-server`, the tests and the demo all run it.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod error;
pub mod import;
pub mod jobs;
pub mod openapi;
pub mod routes;
pub mod rules;
pub mod storage;
pub mod tls;
pub mod transport;
pub mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{Mutex, oneshot};
use tokio::task::JoinHandle;

use crate::server::auth::LoginLimiter;
use crate::server::clock::{Clock, ManualClock};
use crate::server::config::Settings;
use crate::server::storage::Store;
use crate::server::storage::sqlite::SqliteStore;

/// Everything a handler needs. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    /// Held by every handler that changes state, from its first read to its last write, so
    /// that two concurrent decisions or activations see each other's outcome: exactly one
    /// wins. SQLite allows one writer at a time anyway.
    pub write_lock: Arc<Mutex<()>>,
    /// Held while a request carrying an idempotency key runs, so that two retries of the
    /// same `POST` cannot both miss the stored response.
    pub idempotency_lock: Arc<Mutex<()>>,
    pub login_limiter: Arc<LoginLimiter>,
    /// The controllable clock, exposed under `/api/v1/_test/clock`. Only `jitd dev-server`,
    /// the tests and the demo set it; `jitd serve` has no way to.
    pub test_clock: Option<Arc<ManualClock>>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, settings: Settings, clock: Arc<dyn Clock>) -> AppState {
        AppState {
            store,
            clock,
            settings: Arc::new(settings),
            write_lock: Arc::new(Mutex::new(())),
            idempotency_lock: Arc::new(Mutex::new(())),
            login_limiter: Arc::new(LoginLimiter::default()),
            test_clock: None,
        }
    }

    /// A state whose time is `clock`, which `/api/v1/_test/clock` sets and advances.
    pub fn with_test_clock(
        store: Arc<dyn Store>,
        settings: Settings,
        clock: Arc<ManualClock>,
    ) -> AppState {
        let mut state = AppState::new(store, settings, clock.clone());
        state.test_clock = Some(clock);
        state
    }
}

/// Opens the store a database URL names and brings its schema up to date.
pub async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        let store = SqliteStore::open(url)
            .await
            .with_context(|| format!("cannot open the SQLite database {url}"))?;
        store.migrate().await.context("cannot bring the database schema up to date")?;
        return Ok(Arc::new(store));
    }
    // TODO(issue 3): a PostgreSQL store. The `Store` trait and the rules are ready for it;
    // what is missing is `storage::postgres` with its own migrations.
    anyhow::bail!("unsupported database URL {url}: jitd supports `sqlite:` URLs for now")
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}

/// A server running inside this process.
#[derive(Debug)]
pub struct RunningServer {
    /// Where it listens, with the port the OS chose for port 0.
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Stops accepting connections, lets requests in flight finish, and waits.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        (&mut self.task).await.context("the server task panicked")?.context("server failed")
    }

    /// Waits until the server ends by itself (it only does on error).
    pub async fn wait(mut self) -> anyhow::Result<()> {
        (&mut self.task).await.context("the server task panicked")?.context("server failed")
    }

    /// A sender that stops the server when sent to or dropped.
    pub fn shutdown_handle(&mut self) -> Option<oneshot::Sender<()>> {
        self.shutdown.take()
    }
}

/// Serves [`app`] over plain HTTP on `listener` in a background task, with the periodic
/// jobs.
pub async fn start(listener: TcpListener, state: AppState) -> anyhow::Result<RunningServer> {
    start_with(listener, state, None).await
}

/// Serves [`app`] over HTTPS with `tls` (see [`tls::server_config`]).
pub async fn start_tls(
    listener: TcpListener,
    state: AppState,
    tls: Arc<rustls::ServerConfig>,
) -> anyhow::Result<RunningServer> {
    start_with(listener, state, Some(tls)).await
}

async fn start_with(
    listener: TcpListener,
    state: AppState,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> anyhow::Result<RunningServer> {
    let addr = listener.local_addr().context("the listener has no local address")?;
    let (shutdown, signal) = oneshot::channel::<()>();
    let limits = transport::Limits::from_settings(&state.settings);
    let jobs = jobs::spawn(state.clone());
    let app = app(state);
    let task = tokio::spawn(async move {
        let stopped = async move {
            let _ = signal.await;
        };
        let result = transport::serve(listener, app, limits, tls, stopped).await;
        jobs.abort();
        result
    });
    Ok(RunningServer { addr, shutdown: Some(shutdown), task })
}
