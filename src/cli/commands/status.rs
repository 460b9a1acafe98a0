//! `jit status`: everything a requester needs on one screen, and what blocks activation.

use chrono::{DateTime, Utc};
use clap::Args;

use crate::api::{ActivationState, Status, TrainingState};
use crate::cli::context::Context;
use crate::cli::error::CommandError;
use crate::cli::time::{days_left, format_time, relative};
use crate::cli::ui::Cell;
use crate::client::config::OutputFormat;

use super::enum_word;

/// Show your approvals, requests, training, activations and fixes, and what blocks activation
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only this device
    pub device: Option<String>,
}

impl StatusArgs {
    pub async fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        let session = ctx.session()?;
        let status = session.client.status(self.device.as_deref()).await?;
        match ctx.ui.format() {
            OutputFormat::Json => ctx.ui.json(&status),
            OutputFormat::Csv => csv(ctx, &status),
            OutputFormat::Table => screen(ctx, &status),
        }
    }
}

/// The human screen: blockers first, then each part of the lifecycle, training last.
fn screen(ctx: &mut Context, s: &Status) -> Result<(), CommandError> {
    let now = s.server_time;
    if !s.blockers.is_empty() {
        let rows = blocker_rows(s);
        section(ctx, "Blocking activation", &["device", "problem", "next step"], &rows, "")?;
    }
    let rows = activation_rows(ctx, s, now);
    let header = ["device", "state", "expires", "picked up by device"];
    section(ctx, "Activations", &header, &rows, "none live")?;
    let rows = approval_rows(ctx, s, now);
    section(ctx, "Approvals", &["device", "state", "approval expires", "left"], &rows, "none")?;
    if !s.pending_requests.is_empty() {
        let rows = pending_rows(ctx, s, now);
        section(ctx, "Pending requests", &["id", "device", "filed", "lapses"], &rows, "")?;
    }
    if !s.reimage_fixes.is_empty() {
        let rows = fix_rows(ctx, s, now);
        section(ctx, "Reimaged device fix requests", &["device", "state", "filed"], &rows, "")?;
    }
    ctx.ui.heading("Training")?;
    let training = training_line(ctx, s, now);
    ctx.ui.data(&format!("  {training}"))
}

/// A titled table, or `empty` under the title when there are no rows; then a blank line.
fn section(
    ctx: &mut Context,
    title: &str,
    header: &[&str],
    rows: &[Vec<Cell>],
    empty: &str,
) -> Result<(), CommandError> {
    ctx.ui.heading(title)?;
    if rows.is_empty() {
        ctx.ui.data(&format!("  {empty}"))?;
    } else {
        ctx.ui.rows(header, rows)?;
    }
    ctx.ui.data("")
}

fn blocker_rows(s: &Status) -> Vec<Vec<Cell>> {
    s.blockers
        .iter()
        .map(|b| {
            vec![
                Cell::opt(b.device.clone()),
                Cell::text(b.message.clone()),
                Cell::text(b.next_step.clone()),
            ]
        })
        .collect()
}

fn activation_rows(ctx: &Context, s: &Status, now: DateTime<Utc>) -> Vec<Vec<Cell>> {
    s.activations
        .iter()
        .map(|a| {
            let picked_up = match (a.state, a.effective_at) {
                (_, Some(t)) => format!("yes, {}", relative(t, now)),
                (ActivationState::Pending, None) => {
                    format!("not yet (expected {})", relative(a.expected_effective_by, now))
                }
                _ => "no".to_string(),
            };
            vec![
                Cell::text(a.device.clone()),
                Cell::text(enum_word(&a.state)),
                ctx.ui.cell_time(Some(a.expires_at), now),
                Cell::text(picked_up),
            ]
        })
        .collect()
}

fn approval_rows(ctx: &Context, s: &Status, now: DateTime<Utc>) -> Vec<Vec<Cell>> {
    s.approvals
        .iter()
        .map(|r| {
            vec![
                Cell::text(r.device.clone()),
                Cell::text(enum_word(&r.state)),
                Cell::opt(r.approval_expires_at.map(|t| format_time(t, ctx.ui.utc()))),
                Cell::opt(r.approval_expires_at.map(|t| days_left(t, now))),
            ]
        })
        .collect()
}

fn pending_rows(ctx: &Context, s: &Status, now: DateTime<Utc>) -> Vec<Vec<Cell>> {
    s.pending_requests
        .iter()
        .map(|r| {
            vec![
                Cell::text(r.id.to_string()),
                Cell::text(r.device.clone()),
                ctx.ui.cell_time(Some(r.created_at), now),
                ctx.ui.cell_time(r.lapses_at, now),
            ]
        })
        .collect()
}

fn fix_rows(ctx: &Context, s: &Status, now: DateTime<Utc>) -> Vec<Vec<Cell>> {
    s.reimage_fixes
        .iter()
        .map(|f| {
            vec![
                Cell::text(f.device.clone()),
                Cell::text(enum_word(&f.state)),
                ctx.ui.cell_time(Some(f.filed_at), now),
            ]
        })
        .collect()
}

fn training_line(ctx: &Context, s: &Status, now: DateTime<Utc>) -> String {
    let t = &s.training;
    match t.state {
        TrainingState::Current => format!(
            "current, good through {}{}",
            t.good_through.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            t.good_until.map(|u| format!(" ({})", days_left(u, now))).unwrap_or_default()
        ),
        TrainingState::Expired => format!(
            "expired on {}: retake the course in the learning system",
            t.good_through.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
        ),
        TrainingState::Assigned => format!(
            "assigned {}, not completed yet: complete the course in the learning system",
            ctx.ui.time(t.assigned_at, now)
        ),
        TrainingState::NotAssigned => match t.next_assignment_run_at {
            Some(at) => format!(
                "not assigned yet: the overnight assignment runs {}",
                ctx.ui.time(Some(at), now)
            ),
            None => "not assigned: it is assigned overnight after an approval".to_string(),
        },
    }
}

/// One row per item, so scripts can filter by kind.
fn csv(ctx: &mut Context, s: &Status) -> Result<(), CommandError> {
    let now = s.server_time;
    let mut rows = Vec::new();
    for a in &s.activations {
        rows.push(vec![
            Cell::text("activation"),
            Cell::text(a.device.clone()),
            Cell::text(enum_word(&a.state)),
            ctx.ui.cell_time(Some(a.expires_at), now),
        ]);
    }
    for r in s.approvals.iter().chain(&s.pending_requests) {
        rows.push(vec![
            Cell::text("request"),
            Cell::text(r.device.clone()),
            Cell::text(enum_word(&r.state)),
            ctx.ui.cell_time(r.approval_expires_at.or(r.lapses_at), now),
        ]);
    }
    rows.push(vec![
        Cell::text("training"),
        Cell::opt(None::<String>),
        Cell::text(enum_word(&s.training.state)),
        ctx.ui.cell_time(s.training.good_until, now),
    ]);
    for f in &s.reimage_fixes {
        rows.push(vec![
            Cell::text("reimage_fix"),
            Cell::text(f.device.clone()),
            Cell::text(enum_word(&f.state)),
            ctx.ui.cell_time(Some(f.filed_at), now),
        ]);
    }
    for b in &s.blockers {
        rows.push(vec![
            Cell::text("blocker"),
            Cell::opt(b.device.clone()),
            Cell::text(b.code.to_string()),
            Cell::opt(None::<String>),
        ]);
    }
    ctx.ui.rows(&["kind", "device", "state", "until"], &rows)
}
