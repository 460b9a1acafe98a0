//! `jitd dev-server` (hidden): a server on a controllable clock, for tests and demos.
//!
//! It mounts `/api/v1/_test/clock`, which `jitd serve` never does.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Args;

use super::serve::shutdown_signal;
use super::{Jitd, init_logging};
use crate::api::Scope;
use crate::server::auth::issue_token;
use crate::server::clock::ManualClock;
use crate::server::config::Settings;
use crate::server::import::import_directory;
use crate::server::storage::{Store, TokenKind};
use crate::server::{AppState, RunningServer, open_store, start};

/// Serve on a controllable clock (POST /api/v1/_test/clock). Never for production.
#[derive(Debug, Args)]
pub struct DevServer {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: String,
    /// Import this directory (e.g. sample/) before serving.
    #[arg(long, value_name = "DIR")]
    pub sample: Option<PathBuf>,
    /// The clock's starting instant (RFC 3339) [default: now]
    #[arg(long, value_name = "TIME")]
    pub start_time: Option<DateTime<Utc>>,
}

/// A development server and the machine credentials it created.
#[derive(Debug)]
pub struct DevInstance {
    pub server: RunningServer,
    pub clock: Arc<ManualClock>,
    pub store: Arc<dyn Store>,
    /// Secret of an endpoint agents' credential.
    pub agent_token: String,
    /// Secret of the learning system's credential.
    pub learning_system_token: String,
}

/// Starts a server on a manual clock over `store`, importing `sample` first: what
/// `dev-server`, the tests and the demo share.
pub async fn start_dev(
    store: Arc<dyn Store>,
    settings: Settings,
    listen: &str,
    sample: Option<&std::path::Path>,
    start_time: DateTime<Utc>,
) -> anyhow::Result<DevInstance> {
    let clock = Arc::new(ManualClock::new(start_time));
    if let Some(sample) = sample {
        import_directory(store.as_ref(), sample, start_time).await?;
    }
    let year = chrono::Duration::days(365 * 10);
    let (agent_token, _) = issue_token(
        store.as_ref(),
        TokenKind::Agent,
        None,
        "dev-agents",
        vec![Scope::Agent],
        year,
        "jitd-dev",
        start_time,
    )
    .await?;
    let (learning_system_token, _) = issue_token(
        store.as_ref(),
        TokenKind::LearningSystem,
        None,
        "dev-lms",
        vec![Scope::Training],
        year,
        "jitd-dev",
        start_time,
    )
    .await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let state = AppState::with_test_clock(store.clone(), settings, clock.clone());
    let server = start(listener, state).await?;
    Ok(DevInstance { server, clock, store, agent_token, learning_system_token })
}

impl DevServer {
    pub async fn run(&self, jitd: &Jitd) -> anyhow::Result<()> {
        init_logging();
        let config = jitd.load_config()?;
        let store = open_store(&jitd.database_url(&config)?).await?;
        let start_time = self.start_time.unwrap_or_else(Utc::now);
        let instance =
            start_dev(store, config.settings()?, &self.listen, self.sample.as_deref(), start_time)
                .await?;
        let ready = serde_json::json!({
            "url": format!("http://{}", instance.server.addr),
            "agent_token": instance.agent_token,
            "learning_system_token": instance.learning_system_token,
        });
        println!("{ready}");
        shutdown_signal().await?;
        instance.server.stop().await
    }
}

pub use start_dev as start_dev_server;
