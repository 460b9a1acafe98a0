//! `jitd serve`: the production server, on the system clock.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use super::{Jitd, init_logging};
use crate::server::clock::SystemClock;
use crate::server::config::Config;
use crate::server::{AppState, open_store, start, start_tls, tls};

/// Serve the API until Ctrl-C or SIGTERM.
#[derive(Debug, Args)]
pub struct Serve {
    /// Address to listen on [default: the config's `listen`, else 127.0.0.1:8080]
    #[arg(long, env = "JITD_LISTEN", value_name = "ADDR")]
    pub listen: Option<String>,

    /// Serve HTTPS with this PEM certificate chain, server certificate first (with
    /// --tls-key) [default: the config's `tls_cert`, else plain HTTP]
    #[arg(long, env = "JITD_TLS_CERT", value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The PEM private key of the --tls-cert certificate
    #[arg(long, env = "JITD_TLS_KEY", value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

impl Serve {
    pub async fn run(&self, jitd: &Jitd) -> anyhow::Result<()> {
        init_logging();
        let config = jitd.load_config()?;
        let settings = config.settings()?;
        // Certificate problems stop the start before anything else happens.
        let tls = match self.tls_files(&config) {
            Some((cert, key)) => Some(tls::server_config(&cert, &key)?),
            None => None,
        };
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
        let scheme = if tls.is_some() { "HTTPS" } else { "plain HTTP" };
        let server = match tls {
            Some(tls) => start_tls(listener, state, tls).await?,
            None => start(listener, state).await?,
        };
        tracing::info!(addr = %server.addr, "jitd listening ({scheme})");
        shutdown_signal().await?;
        tracing::info!("shutting down");
        server.stop().await
    }
}

impl Serve {
    /// The certificate and key: both flags, else both config keys (the config checks that
    /// it names both or neither; clap does the same for the flags).
    fn tls_files(&self, config: &Config) -> Option<(PathBuf, PathBuf)> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
            _ => config.tls_cert.clone().zip(config.tls_key.clone()),
        }
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
