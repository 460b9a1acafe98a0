//! `jit reimage-fix`: file, list, apply and reject "Reimaged device fix requests".
//!
//! A reimaged device has a new agent identity and refuses activations until IAM re-binds it.
//! Anyone with an approval on the device files a fix; IAM applies or rejects them, usually in
//! batches from a file. Applying twice is a success that says "already fixed".

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::api::{ReimageFixBatch, routes};
use crate::cli::batch;
use crate::cli::context::Context;
use crate::cli::error::CommandError;
use crate::cli::ui::Cell;
use crate::client::config::OutputFormat;

use super::{enum_word, finish_batch};

/// File, list, apply and reject reimaged-device fix requests
#[derive(Debug, Subcommand)]
#[command(after_long_help = "Examples:
  jit reimage-fix request CARD-PC001
  jit -o json reimage-fix list --state open
  jit reimage-fix apply --from-file devices.txt        one device per line
  jit reimage-fix reject CARD-PC002 --reason \"identity not verified\"")]
pub enum ReimageFixCommand {
    /// File a fix request for a reimaged device
    Request(DevicesArgs),
    /// List fix requests
    List(ListArgs),
    /// Re-bind devices to their new agent identity (IAM)
    Apply(DevicesArgs),
    /// Reject the fix requests of devices (IAM)
    Reject(RejectArgs),
}

/// Devices named on the command line or in a file.
#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// Device names
    #[arg(required_unless_present = "from_file")]
    pub devices: Vec<String>,

    /// Read device names from FILE (one per line, optional header `device`), `-` for stdin
    #[arg(long, value_name = "FILE", conflicts_with = "devices")]
    pub from_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RejectArgs {
    #[command(flatten)]
    pub devices: DevicesArgs,

    /// Why the fixes are rejected
    #[arg(long, short = 'r', value_name = "TEXT")]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only fix requests in this state: open, resolved, rejected
    #[arg(long, value_name = "STATE")]
    pub state: Option<String>,
}

impl ReimageFixCommand {
    pub async fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        match self {
            ReimageFixCommand::Request(args) => {
                let devices = args.devices(ctx)?;
                send(ctx, routes::REIMAGE_FIXES, ReimageFixBatch { devices, reason: None }).await
            }
            ReimageFixCommand::Apply(args) => {
                let devices = args.devices(ctx)?;
                send(ctx, routes::REIMAGE_FIXES_APPLY, ReimageFixBatch { devices, reason: None })
                    .await
            }
            ReimageFixCommand::Reject(args) => {
                let devices = args.devices.devices(ctx)?;
                let batch = ReimageFixBatch { devices, reason: Some(args.reason) };
                send(ctx, routes::REIMAGE_FIXES_REJECT, batch).await
            }
            ReimageFixCommand::List(args) => list(ctx, args).await,
        }
    }
}

impl DevicesArgs {
    fn devices(&self, ctx: &mut Context) -> Result<Vec<String>, CommandError> {
        let Some(path) = &self.from_file else {
            let mut seen = std::collections::HashSet::new();
            for d in &self.devices {
                if !seen.insert(d.trim().to_lowercase()) {
                    return Err(CommandError::usage(format!("device `{d}` is named twice")));
                }
            }
            return Ok(self.devices.clone());
        };
        let text = ctx.read_input_file(path)?;
        let lines = batch::parse_devices(&text).map_err(|e| {
            CommandError::usage(format!("{}: {e}", path.display()))
                .hint("write one device name per line, under an optional header `device`")
        })?;
        Ok(lines.into_iter().map(|l| l.device).collect())
    }
}

async fn send(ctx: &mut Context, route: &str, batch: ReimageFixBatch) -> Result<(), CommandError> {
    let session = ctx.session()?;
    let result = session.client.reimage_fixes(route, &batch).await?;
    finish_batch(ctx, &result)
}

async fn list(ctx: &mut Context, args: ListArgs) -> Result<(), CommandError> {
    let session = ctx.session()?;
    let query: Vec<(&str, String)> = args.state.map(|s| ("state", s)).into_iter().collect();
    let fixes = session.client.list_reimage_fixes(&query).await?;
    let now = session.client.server_now();
    if ctx.ui.format() == OutputFormat::Json {
        return ctx.ui.json(&fixes);
    }
    let rows: Vec<Vec<Cell>> = fixes
        .iter()
        .map(|f| {
            vec![
                Cell::text(f.device.clone()),
                Cell::text(enum_word(&f.state)),
                Cell::text(f.filed_by.clone()),
                ctx.ui.cell_time(Some(f.filed_at), now),
                Cell::opt(f.old_agent_id.clone()),
                Cell::opt(f.new_agent_id.clone()),
                Cell::opt(f.resolved_by.clone()),
            ]
        })
        .collect();
    ctx.ui.rows(
        &["device", "state", "filed_by", "filed", "old_agent", "new_agent", "resolved_by"],
        &rows,
    )?;
    if fixes.is_empty() {
        ctx.ui.status("No fix requests.");
    }
    Ok(())
}
