//! `jit requests`: what awaits your decision, or with `--mine` your own requests.

use clap::Args;

use crate::cli::context::Context;
use crate::cli::error::CommandError;
use crate::client::config::OutputFormat;

use super::{REQUEST_HEADER, request_rows};

/// List the requests awaiting your decision (or your own, with --mine)
#[derive(Debug, Args)]
pub struct RequestsArgs {
    /// List your own requests instead
    #[arg(long)]
    pub mine: bool,

    /// Only requests in this state: pending, approved, denied, cancelled, lapsed, expired
    #[arg(long, value_name = "STATE")]
    pub state: Option<String>,

    /// Only requests for this device
    #[arg(long, value_name = "DEVICE")]
    pub device: Option<String>,

    /// Only requests by this user
    #[arg(long, value_name = "USERNAME")]
    pub requester: Option<String>,
}

impl RequestsArgs {
    pub async fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        let session = ctx.session()?;
        let view = if self.mine { "mine" } else { "awaiting_decision" };
        let mut query = vec![(view, "true".to_string())];
        let state = self.state.or_else(|| (!self.mine).then(|| "pending".to_string()));
        query.extend(state.map(|s| ("state", s)));
        query.extend(self.device.map(|d| ("device", d)));
        query.extend(self.requester.map(|r| ("requester", r)));
        let requests = session.client.list_requests(&query).await?;
        let now = session.client.server_now();

        if ctx.ui.format() == OutputFormat::Json {
            return ctx.ui.json(&requests);
        }
        let rows = request_rows(ctx, &requests, now);
        ctx.ui.rows(&REQUEST_HEADER, &rows)?;
        if requests.is_empty() {
            ctx.ui.status(if self.mine {
                "You have no requests."
            } else {
                "Nothing awaits your decision."
            });
        }
        Ok(())
    }
}
