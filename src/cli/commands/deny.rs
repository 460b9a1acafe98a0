//! `jit deny`: deny requests as a responsible person, with a reason.

use std::path::PathBuf;

use clap::Args;

use crate::api::Decision;
use crate::cli::context::Context;
use crate::cli::error::CommandError;
use crate::cli::prompt;

use super::approve::{Plan, Selection, decide};

/// Deny requests awaiting your decision, with a reason the requester sees
#[derive(Debug, Args)]
pub struct DenyArgs {
    /// Ids of the requests to deny
    pub ids: Vec<String>,

    /// Why (asked for on a terminal when left out)
    #[arg(long, short = 'r', value_name = "TEXT")]
    pub reason: Option<String>,

    /// Read the ids from FILE, or from stdin with `-` (a CSV may give a reason per line)
    #[arg(long, value_name = "FILE", conflicts_with = "ids")]
    pub from_file: Option<PathBuf>,

    /// Show what would be denied and send nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
}

impl DenyArgs {
    pub async fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        let reason = match self.reason {
            Some(reason) => Some(reason),
            None if self.from_file.is_some() => None,
            None if ctx.stdin_is_terminal => Some(prompt::text("Reason for the denial")?),
            None => return Err(CommandError::needs_flag("a reason", "--reason TEXT")),
        };
        let selection = Selection {
            ids: self.ids,
            all: false,
            device: None,
            requester: None,
            from_file: self.from_file,
        };
        let plan = Plan {
            decision: Decision::Deny,
            reason,
            expires_at: None,
            expires_after: None,
            dry_run: self.dry_run,
            yes: self.yes,
        };
        decide(ctx, selection, plan).await
    }
}
