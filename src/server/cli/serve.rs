//! `jitd serve`: the production server, on the system clock.

use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use super::{Jitd, init_logging};
use crate::server::clock::SystemClock;
use crate::server::{AppState, open_store, start};

/// Serve the API until Ctrl-C or SIGTERM.
#[derive(Debug, Args)]
pub struct Serve {
    /// Address to listen on [default: the config's `listen`, else 127.0.0.1:8080]
    #[arg(long, env = "JITD_LISTEN", value_name = "ADDR")]
    pub listen: Option<String>,
}

impl Serve {
    pub async fn run(&self, jitd: &Jitd) -> anyhow::Result<()> {
        init_logging();
        let config = jitd.load_config()?;
        let settings = config.settings()?;
        let store = open_store(&jitd.database_url(&config)?).await?;
        let listen = self
            .listen
            .clone()
            .or_else(|| config.listen.clone())
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let state = AppState::new(store, settings, Arc::new(SystemClock));
        let server = start(listener, state).await?;
        tracing::info!(addr = %server.addr, "jitd listening");
        shutdown_signal().await?;
        tracing::info!("shutting down");
        server.stop().await
    }
}

/// Waits for Ctrl-C, or SIGTERM on Unix (what systemd sends).
pub async fn shutdown_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result?,
            _ = term.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await?;
        Ok(())
    }
}
