//! One module per command, each with its arguments and a `run`; this module only dispatches
//! and holds what several commands print the same way.

pub mod activate;
pub mod approve;
pub mod completions;
pub mod config;
pub mod deactivate;
pub mod deny;
pub mod login;
pub mod logout;
pub mod reimage_fix;
pub mod request;
pub mod requests;
pub mod status;
pub mod whoami;

use chrono::{DateTime, Utc};

use super::Command;
use super::context::Context;
use super::error::{CommandError, ErrorKind};
use super::ui::Cell;
use crate::api::{AccessRequest, BatchResult};
use crate::client::config::OutputFormat;

pub async fn dispatch(command: Command, ctx: &mut Context) -> Result<(), CommandError> {
    match command {
        Command::Login(args) => args.run(ctx).await,
        Command::Logout(args) => args.run(ctx).await,
        Command::Whoami(args) => args.run(ctx).await,
        Command::Request(args) => args.run(ctx).await,
        Command::Requests(args) => args.run(ctx).await,
        Command::Status(args) => args.run(ctx).await,
        Command::Activate(args) => args.run(ctx).await,
        Command::Deactivate(args) => args.run(ctx).await,
        Command::Approve(args) => args.run(ctx).await,
        Command::Deny(args) => args.run(ctx).await,
        Command::ReimageFix(cmd) => cmd.run(ctx).await,
        Command::Config(cmd) => cmd.run(ctx),
        Command::Completions(args) => args.run(ctx),
    }
}

/// Rows for a list of requests.
pub fn request_rows(
    ctx: &Context,
    requests: &[AccessRequest],
    now: DateTime<Utc>,
) -> Vec<Vec<Cell>> {
    requests
        .iter()
        .map(|r| {
            vec![
                Cell::text(r.id.to_string()),
                Cell {
                    human: format!("{} ({})", r.requester_display_name, r.requester),
                    raw: r.requester.clone(),
                },
                Cell::text(r.device.clone()),
                Cell::text(r.reason.clone()),
                Cell::text(enum_word(&r.state)),
                ctx.ui.cell_time(Some(r.created_at), now),
                ctx.ui.cell_time(r.approval_expires_at, now),
            ]
        })
        .collect()
}

pub const REQUEST_HEADER: [&str; 7] =
    ["id", "requester", "device", "reason", "state", "filed", "approval_expires"];

/// The `snake_case` word serde gives an enum value.
pub fn enum_word<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Prints a result per item and fails when any item failed: with the item's own exit code
/// for a single item, with the partial-batch code for several.
pub fn finish_batch<T: serde::Serialize>(
    ctx: &mut Context,
    result: &BatchResult<T>,
) -> Result<(), CommandError> {
    if ctx.ui.format() == OutputFormat::Json {
        ctx.ui.json(result)?;
    } else {
        let rows: Vec<Vec<Cell>> = result
            .results
            .iter()
            .map(|r| {
                let detail = r.error.as_ref().map(|p| format!("{} ({})", p.detail, p.code));
                vec![
                    Cell::text(r.item.clone()),
                    Cell::text(if r.ok { "ok" } else { "failed" }),
                    Cell::text(r.outcome.clone()),
                    Cell::opt(detail),
                ]
            })
            .collect();
        ctx.ui.rows(&["item", "result", "outcome", "detail"], &rows)?;
    }

    let failed = result.failed();
    if failed == 0 {
        return Ok(());
    }
    if result.results.len() == 1 {
        let problem = result.results[0].error.clone();
        let kind =
            problem.as_ref().map(|p| ErrorKind::of_code(p.code)).unwrap_or(ErrorKind::General);
        let message = problem.map(|p| format!("{} ({})", p.detail, p.code));
        return Err(CommandError::new(
            kind,
            anyhow::anyhow!(message.unwrap_or_else(|| "the item failed".to_string())),
        ));
    }
    Err(CommandError::new(
        ErrorKind::PartialBatch,
        anyhow::anyhow!("{failed} of {} items failed", result.results.len()),
    )
    .hint("the other items succeeded; the table says what happened to each"))
}
