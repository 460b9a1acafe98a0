//! `jit approve`: decide requests as a responsible person, singly, picked on the terminal,
//! all matching a filter, or from a file; always in one batch call with a result per item.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, TimeDelta, Utc};
use clap::Args;
use uuid::Uuid;

use crate::api::{AccessRequest, Decision, DecisionBatch, DecisionItem};
use crate::cli::batch;
use crate::cli::context::{Context, Session};
use crate::cli::error::CommandError;
use crate::cli::prompt;
use crate::cli::time::{format_span, parse_duration, parse_until};
use crate::cli::ui::Cell;
use crate::client::config::OutputFormat;

use super::{enum_word, finish_batch};

/// Approve requests awaiting your decision
///
/// With no ids on a terminal, pick from the pending requests of your departments. Scripts
/// name ids, use --all with filters, or --from-file with ids (one per line) or a CSV with
/// the header `id,decision,reason`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  jit approve                                     pick on the terminal, then confirm
  jit approve 0b6a7c43-6f36-4a57-9d1e-8d3a4a4f2d10 --for 90d
  jit approve --all --device CARD-PC001 --until 2027-03-31 --yes
  jit approve --from-file decisions.csv --dry-run
  printf 'id\\n%s\\n' \"$ID\" | jit approve --from-file - --yes")]
pub struct ApproveArgs {
    /// Ids of the requests to approve
    pub ids: Vec<String>,

    /// Approve every pending request awaiting your decision (narrow with --device, --requester)
    #[arg(long, conflicts_with_all = ["ids", "from_file"])]
    pub all: bool,

    /// With --all or when picking: only requests for this device
    #[arg(long, value_name = "DEVICE")]
    pub device: Option<String>,

    /// With --all or when picking: only requests by this user
    #[arg(long, value_name = "USERNAME")]
    pub requester: Option<String>,

    /// Read the decisions from FILE, or from stdin with `-`
    #[arg(long, value_name = "FILE", conflicts_with = "ids")]
    pub from_file: Option<PathBuf>,

    /// Approval expiration: a date (end of that day, local time) or an RFC 3339 time
    /// [default: the server's default, e.g. a year]
    #[arg(long, value_name = "DATE", conflicts_with = "for_duration")]
    pub until: Option<String>,

    /// Approval expiration as a duration from now, e.g. 90d or 12w
    #[arg(long = "for", id = "for_duration", value_name = "DURATION")]
    #[arg(value_parser = parse_duration)]
    pub for_duration: Option<chrono::TimeDelta>,

    /// A note recorded with each approval
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Show what would be decided and send nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
}

impl ApproveArgs {
    pub async fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        let expires_at = self.expiration(ctx)?;
        let selection = Selection {
            ids: self.ids.clone(),
            all: self.all,
            device: self.device.clone(),
            requester: self.requester.clone(),
            from_file: self.from_file.clone(),
        };
        let plan = Plan {
            decision: Decision::Approve,
            reason: self.reason.clone(),
            expires_at,
            expires_after: self.for_duration,
            dry_run: self.dry_run,
            yes: self.yes,
        };
        decide(ctx, selection, plan).await
    }

    fn expiration(&self, ctx: &Context) -> Result<Option<DateTime<Utc>>, CommandError> {
        if let Some(until) = &self.until {
            let parsed =
                if ctx.ui.utc() { parse_until(until, &Utc) } else { parse_until(until, &Local) };
            return parsed.map(Some).map_err(|m| CommandError::usage(format!("--until: {m}")));
        }
        Ok(None)
    }
}

/// Which requests to decide.
#[derive(Debug)]
pub struct Selection {
    pub ids: Vec<String>,
    pub all: bool,
    pub device: Option<String>,
    pub requester: Option<String>,
    pub from_file: Option<PathBuf>,
}

/// How to decide them.
#[derive(Debug)]
pub struct Plan {
    pub decision: Decision,
    pub reason: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// `--for`: counted from the server's now once connected, since the local clock may be
    /// off by hours and the server judges the expiration by its own.
    pub expires_after: Option<TimeDelta>,
    pub dry_run: bool,
    pub yes: bool,
}

/// Selects the requests, confirms, and sends the decisions in one batch.
pub async fn decide(ctx: &mut Context, sel: Selection, mut plan: Plan) -> Result<(), CommandError> {
    let file = match &sel.from_file {
        Some(path) => Some((path.clone(), ctx.read_input_file(path)?)),
        None => None,
    };
    if sel.ids.is_empty() && !sel.all && file.is_none() && !ctx.stdin_is_terminal {
        return Err(CommandError::usage(format!(
            "name the requests to {}: stdin is not a terminal to pick them",
            verb(&plan).0
        ))
        .hint("pass request ids, --all (with --device or --requester), or --from-file FILE"));
    }
    let session = ctx.session()?;
    if let Some(after) = plan.expires_after {
        plan.expires_at = Some(session.client.synced_now().await? + after);
    }

    let (items, needs_confirmation) = match file {
        Some((path, text)) => (items_from_file(&plan, &path, &text)?, true),
        None if !sel.ids.is_empty() => (items_from_ids(&plan, &sel.ids)?, false),
        None => match pick_pending(ctx, &session, &sel, &plan).await? {
            Some(items) => (items, true),
            None => return Ok(()),
        },
    };

    if plan.dry_run {
        return show_plan(ctx, &items, session.client.server_now());
    }
    if needs_confirmation && !plan.yes && !confirmed(ctx, &sel, &items)? {
        ctx.ui.status("Nothing was sent.");
        return Ok(());
    }
    let result = session.client.decide(&DecisionBatch { items }).await?;
    finish_batch(ctx, &result)
}

/// The verb and its past tense, for messages.
fn verb(plan: &Plan) -> (&'static str, &'static str) {
    match plan.decision {
        Decision::Approve => ("approve", "approved"),
        Decision::Deny => ("deny", "denied"),
    }
}

fn items_from_file(
    plan: &Plan,
    path: &Path,
    text: &str,
) -> Result<Vec<DecisionItem>, CommandError> {
    let lines = batch::parse_decisions(text).map_err(|e| {
        CommandError::usage(format!("{}: {e}", path.display()))
            .hint("write one request id per line, or a CSV with the header id,decision,reason")
    })?;
    Ok(lines.into_iter().map(|l| item(plan, l.id, l.decision, l.reason)).collect())
}

fn items_from_ids(plan: &Plan, ids: &[String]) -> Result<Vec<DecisionItem>, CommandError> {
    let mut items: Vec<DecisionItem> = Vec::new();
    for id in ids {
        let id = Uuid::parse_str(id.trim()).map_err(|_| {
            CommandError::usage(format!("`{id}` is not a request id"))
                .hint("`jit requests` lists the ids")
        })?;
        if items.iter().any(|i| i.request_id == id) {
            return Err(CommandError::usage(format!("request {id} is named twice")));
        }
        items.push(item(plan, id, None, None));
    }
    Ok(items)
}

/// The pending requests awaiting the caller: all of them with `--all`, else those picked on
/// the terminal. `None` when there is nothing to decide, after saying so.
async fn pick_pending(
    ctx: &mut Context,
    session: &Session,
    sel: &Selection,
    plan: &Plan,
) -> Result<Option<Vec<DecisionItem>>, CommandError> {
    let pending = pending(session, sel).await?;
    if pending.is_empty() {
        ctx.ui.status("Nothing awaits your decision: nothing was decided.");
        return Ok(None);
    }
    let (verb, done) = verb(plan);
    let chosen = if sel.all {
        pending
    } else {
        let now = session.client.server_now();
        let labels: Vec<String> = pending.iter().map(|r| label(r, now)).collect();
        let prompt = format!("Requests to {verb} (space selects, enter confirms)");
        let picked = prompt::pick(&prompt, &labels)?;
        picked.into_iter().map(|i| pending[i].clone()).collect()
    };
    if chosen.is_empty() {
        ctx.ui.status(&format!("Nothing selected: nothing was {done}."));
        return Ok(None);
    }
    Ok(Some(chosen.iter().map(|r| item(plan, r.id, None, None)).collect()))
}

/// Asks on the terminal; without one (or when stdin carried the file), `--yes` must say it.
fn confirmed(ctx: &Context, sel: &Selection, items: &[DecisionItem]) -> Result<bool, CommandError> {
    let question = confirmation(items);
    let stdin_used = sel.from_file.as_deref().is_some_and(|p| p.as_os_str() == "-");
    if !ctx.stdin_is_terminal || stdin_used {
        let what = question.trim_end_matches('?').to_lowercase();
        return Err(CommandError::usage(format!(
            "a confirmation to {what} is needed and stdin is not a terminal to ask for it"
        ))
        .hint("pass --yes"));
    }
    prompt::confirm(&question)
}

fn item(plan: &Plan, id: Uuid, decision: Option<Decision>, reason: Option<String>) -> DecisionItem {
    let decision = decision.unwrap_or(plan.decision);
    DecisionItem {
        request_id: id,
        decision,
        reason: reason.or_else(|| plan.reason.clone()),
        approval_expires_at: if decision == Decision::Approve { plan.expires_at } else { None },
    }
}

async fn pending(session: &Session, sel: &Selection) -> Result<Vec<AccessRequest>, CommandError> {
    let mut query =
        vec![("awaiting_decision", "true".to_string()), ("state", "pending".to_string())];
    query.extend(sel.device.clone().map(|d| ("device", d)));
    query.extend(sel.requester.clone().map(|r| ("requester", r)));
    let requests = session.client.list_requests(&query).await?;
    // Filter here too, so a server that ignores a filter cannot widen the selection.
    Ok(requests
        .into_iter()
        .filter(|r| sel.device.as_ref().is_none_or(|d| r.device.eq_ignore_ascii_case(d.trim())))
        .filter(|r| {
            sel.requester.as_ref().is_none_or(|u| r.requester.eq_ignore_ascii_case(u.trim()))
        })
        .collect())
}

fn label(r: &AccessRequest, now: DateTime<Utc>) -> String {
    format!(
        "{} ({}) · {} · {} · {} old",
        r.requester_display_name,
        r.requester,
        r.device,
        r.reason,
        format_span(now - r.created_at)
    )
}

fn confirmation(items: &[DecisionItem]) -> String {
    let approvals = items.iter().filter(|i| i.decision == Decision::Approve).count();
    let denials = items.len() - approvals;
    let plural = |n: usize| if n == 1 { "request" } else { "requests" };
    match (approvals, denials) {
        (n, 0) => format!("Approve {n} {}?", plural(n)),
        (0, n) => format!("Deny {n} {}?", plural(n)),
        (a, d) => format!("Decide {} {}: approve {a}, deny {d}?", a + d, plural(a + d)),
    }
}

fn show_plan(
    ctx: &mut Context,
    items: &[DecisionItem],
    now: DateTime<Utc>,
) -> Result<(), CommandError> {
    if ctx.ui.format() == OutputFormat::Json {
        ctx.ui.json(&DecisionBatch { items: items.to_vec() })?;
    } else {
        let rows: Vec<Vec<Cell>> = items
            .iter()
            .map(|i| {
                vec![
                    Cell::text(i.request_id.to_string()),
                    Cell::text(enum_word(&i.decision)),
                    ctx.ui.cell_time(i.approval_expires_at, now),
                    Cell::opt(i.reason.clone()),
                ]
            })
            .collect();
        ctx.ui.rows(&["id", "decision", "approval_expires", "reason"], &rows)?;
    }
    ctx.ui.status(&format!(
        "Dry run: {} nothing was sent.",
        confirmation(items).trim_end_matches('?')
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_confirmation_names_the_count() {
        let plan = Plan {
            decision: Decision::Approve,
            reason: None,
            expires_at: None,
            expires_after: None,
            dry_run: false,
            yes: false,
        };
        let items =
            vec![item(&plan, Uuid::new_v4(), None, None), item(&plan, Uuid::new_v4(), None, None)];
        assert_eq!(confirmation(&items), "Approve 2 requests?");
        let mixed = vec![item(&plan, Uuid::new_v4(), Some(Decision::Deny), None), items[0].clone()];
        assert_eq!(confirmation(&mixed), "Decide 2 requests: approve 1, deny 1?");
    }

    #[test]
    fn a_denial_carries_no_expiration() {
        let plan = Plan {
            decision: Decision::Approve,
            reason: None,
            expires_at: Some(Utc::now()),
            expires_after: None,
            dry_run: false,
            yes: false,
        };
        assert!(
            item(&plan, Uuid::new_v4(), Some(Decision::Deny), None).approval_expires_at.is_none()
        );
    }
}
