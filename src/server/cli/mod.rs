//! The `jitd` command line: one module per subcommand, each with its arguments and `run`.
//!
//! [`Jitd`] is public so that man pages can be generated from it.

pub mod dev_server;
mod import;
mod migrate;
mod serve;
mod token;
mod training;
mod user;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::server::config::Config;

/// jitd: the backend of `jit`, just-in-time elevated privileged access.
///
/// It owns the whole lifecycle (request, approval, training, activation, device check-in,
/// reimaged-device fixes) and enforces every rule behind a REST API under /api/v1.
#[derive(Debug, Parser)]
#[command(name = "jitd", version, propagate_version = true)]
pub struct Jitd {
    /// Configuration file (TOML). Every key is optional; see docs/jitd.md.
    #[arg(long, global = true, env = "JITD_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Database URL, e.g. sqlite:///var/lib/jitd/jitd.db [default: jitd.db in the platform
    /// data directory]
    #[arg(long, global = true, env = "JITD_DATABASE_URL", value_name = "URL")]
    pub database: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Serve(serve::Serve),
    Migrate(migrate::Migrate),
    Import(import::Import),
    #[command(subcommand)]
    Training(training::Training),
    #[command(subcommand)]
    User(user::User),
    #[command(subcommand)]
    Token(token::Token),
    #[command(hide = true)]
    DevServer(dev_server::DevServer),
}

impl Jitd {
    /// The configuration file, or the defaults when none is given.
    pub fn load_config(&self) -> anyhow::Result<Config> {
        match &self.config {
            Some(path) => Config::load(path),
            None => Ok(Config::default()),
        }
    }

    /// The database URL: flag or environment, then the config file, then the default.
    pub fn database_url(&self, config: &Config) -> anyhow::Result<String> {
        if let Some(url) = self.database.clone().or_else(|| config.database_url.clone()) {
            return Ok(url);
        }
        let dirs = directories::ProjectDirs::from("", "", "jitd")
            .context("cannot find the platform data directory; pass --database URL")?;
        let dir = dirs.data_dir();
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        Ok(format!("sqlite://{}", dir.join("jitd.db").display()))
    }

    /// Opens the store named by the flags and configuration.
    pub async fn store(&self) -> anyhow::Result<std::sync::Arc<dyn crate::server::storage::Store>> {
        let config = self.load_config()?;
        crate::server::open_store(&self.database_url(&config)?).await
    }
}

/// Structured logs to stderr; `RUST_LOG` narrows them, `JITD_LOG_FORMAT=json` for JSON.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let result = if std::env::var("JITD_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    // A second initialisation (tests, the demo) keeps the first subscriber.
    drop(result);
}

/// Runs `jitd` with the process arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Jitd::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("Error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli.run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

impl Jitd {
    pub async fn run(&self) -> anyhow::Result<()> {
        match &self.command {
            Command::Serve(cmd) => cmd.run(self).await,
            Command::Migrate(cmd) => cmd.run(self).await,
            Command::Import(cmd) => cmd.run(self).await,
            Command::Training(cmd) => cmd.run(self).await,
            Command::User(cmd) => cmd.run(self).await,
            Command::Token(cmd) => cmd.run(self).await,
            Command::DevServer(cmd) => cmd.run(self).await,
        }
    }
}
