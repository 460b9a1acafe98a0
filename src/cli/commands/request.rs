//! `jit request`: ask for admin rights on a device.

use clap::Args;

use crate::api::NewAccessRequest;
use crate::cli::context::Context;
use crate::cli::error::CommandError;
use crate::cli::prompt;
use crate::client::config::OutputFormat;

use super::enum_word;

/// Ask for admin rights on a device
///
/// The request goes to the responsible persons (RPs) of your department. Once approved, the
/// learning system assigns a training course overnight; after completing it you can activate.
#[derive(Debug, Args)]
#[command(after_long_help = "Example:
  jit request CARD-PC001 --reason \"install the ECG viewer\" --ticket INC0012345")]
pub struct RequestArgs {
    /// The device's name, e.g. LAB-PC1
    pub device: String,

    /// Why you need admin rights (asked for on a terminal when left out)
    #[arg(long, short = 'r', value_name = "TEXT")]
    pub reason: Option<String>,

    /// A ticket reference to attach, e.g. INC0012345
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,
}

impl RequestArgs {
    pub async fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        let reason = match self.reason {
            Some(reason) => reason,
            None if ctx.stdin_is_terminal => prompt::text("Reason for admin rights")?,
            None => return Err(CommandError::needs_flag("a reason", "--reason TEXT")),
        };
        let session = ctx.session()?;
        let body = NewAccessRequest { device: self.device, reason, ticket: self.ticket };
        let created = session.client.create_request(&body).await?;
        let r = &created.request;
        // A new request was filed at the server's "now", whatever the local clock says.
        let now = if created.existing { session.client.server_now() } else { r.created_at };

        if ctx.ui.format() == OutputFormat::Json {
            ctx.ui.json(&created)?;
        } else {
            ctx.ui.fields(&[
                ("id", r.id.to_string()),
                ("device", r.device.clone()),
                ("state", enum_word(&r.state)),
                ("reason", r.reason.clone()),
                ("ticket", r.ticket.clone().unwrap_or_default()),
                ("filed", ctx.ui.time(Some(r.created_at), now)),
                ("lapses", ctx.ui.time(r.lapses_at, now)),
            ])?;
        }

        if created.existing {
            ctx.ui.status(&format!(
                "You already had a {} request for {}: nothing new was filed.",
                enum_word(&r.state),
                r.device
            ));
        } else {
            ctx.ui.status(&format!(
                "Request filed. Next: a responsible person of {} approves or denies it, and you \
                 get an e-mail. After approval the learning system assigns a training course \
                 overnight, so expect its e-mail the day after. Follow along with `jit status {}`.",
                r.department, r.device
            ));
        }
        Ok(())
    }
}
