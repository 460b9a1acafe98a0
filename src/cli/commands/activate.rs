//! `jit activate`: turn admin rights on for a device, optionally waiting until the device's
//! agent has picked the grant up.

use std::time::{Duration, Instant};

use clap::Args;

use crate::api::{Activation, ActivationState, NewActivation};
use crate::cli::context::Context;
use crate::cli::error::{CommandError, ErrorKind};
use crate::cli::time::{format_span, parse_duration, relative};
use crate::client::config::{OutputFormat, Timeout, parse_timeout};
use crate::client::http::ApiClient;

use super::enum_word;

/// Activate admin rights on a device (at most the server's maximum, usually 4 hours)
///
/// The device's agent picks the grant up within about 5 minutes. Activating while an
/// activation is live shows that activation instead of making a second one.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  jit activate CARD-PC001                   grant the maximum (usually 4 hours)
  jit activate CARD-PC001 --for 90m --wait  wait until the device has picked it up

If the device cannot be found, open the endpoint agent's tray menu on the device, choose
\"Request Settings\", confirm, and try again.")]
pub struct ActivateArgs {
    /// The device's name
    pub device: String,

    /// How long, e.g. 2h or 90m [default: the server's maximum]
    #[arg(long = "for", value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<chrono::TimeDelta>,

    /// Wait until the device has picked the grant up, showing progress
    #[arg(long)]
    pub wait: bool,

    /// Give up waiting after this long
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
    pub wait_timeout: chrono::TimeDelta,

    /// First delay between checks while waiting; it doubles up to 30s
    #[arg(long, value_name = "DURATION", default_value = "2s", hide = true)]
    #[arg(value_parser = parse_timeout)]
    pub poll_interval: Timeout,
}

impl ActivateArgs {
    pub async fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        let duration_minutes = match self.duration {
            Some(d) if d.num_minutes() < 1 => {
                return Err(CommandError::usage("--for must be at least 1m"));
            }
            Some(d) => Some(u32::try_from(d.num_minutes()).unwrap_or(u32::MAX)),
            None => None,
        };
        let session = ctx.session()?;
        let body = NewActivation { device: self.device.clone(), duration_minutes };
        let created = session.client.activate(&body).await?;
        let mut activation = created.activation;
        // A new activation was requested at the server's "now", whatever the local clock says.
        let now =
            if created.existing { session.client.server_now() } else { activation.requested_at };
        if created.existing {
            ctx.ui.status(&format!(
                "An activation on {} was already live: showing it instead of a new one.",
                activation.device
            ));
        }

        if self.wait && activation.state == ActivationState::Pending {
            activation = self.wait_for_pickup(ctx, &session.client, activation).await?;
        }
        let now = match activation.effective_at {
            Some(picked_up) if self.wait => picked_up.max(now),
            _ => now,
        };

        if ctx.ui.format() == OutputFormat::Json {
            ctx.ui.json(&activation)?;
        } else {
            ctx.ui.fields(&[
                ("device", activation.device.clone()),
                ("state", enum_word(&activation.state)),
                ("expires", ctx.ui.time(Some(activation.expires_at), now)),
                ("picked_up", ctx.ui.time(activation.effective_at, now)),
                ("id", activation.id.to_string()),
            ])?;
        }
        match activation.state {
            ActivationState::Active => ctx.ui.status(&format!(
                "Admin rights on {} are in effect until {} ({}).",
                activation.device,
                crate::cli::time::format_time(activation.expires_at, ctx.ui.utc()),
                relative(activation.expires_at, now)
            )),
            ActivationState::Pending => ctx.ui.status(&format!(
                "Granted. The device's agent picks it up {} (usually within 5 minutes); \
                 `jit activate {} --wait` waits for it.",
                relative(activation.expected_effective_by, now),
                activation.device
            )),
            _ => {}
        }
        Ok(())
    }

    /// Polls the activation until the agent picks it up, with growing delays, within the
    /// wait timeout. `pending` is progress, not failure.
    async fn wait_for_pickup(
        &self,
        ctx: &mut Context,
        client: &ApiClient,
        mut activation: Activation,
    ) -> Result<Activation, CommandError> {
        let limit = self.wait_timeout.to_std().unwrap_or(Duration::from_secs(900));
        let deadline = Instant::now() + limit;
        let mut delay = self.poll_interval.0;
        let progress = Progress::new(ctx);
        loop {
            let now = client.server_now();
            progress.show(
                ctx,
                &format!(
                    "Waiting for {} to pick up the grant (expected {})",
                    activation.device,
                    relative(activation.expected_effective_by, now)
                ),
            );
            if Instant::now() + delay > deadline {
                progress.finish();
                return Err(CommandError::new(
                    ErrorKind::General,
                    anyhow::anyhow!(
                        "{} has not picked up the grant after {}",
                        activation.device,
                        format_span(chrono::TimeDelta::from_std(limit).unwrap_or_default())
                    ),
                )
                .hint(
                    "the grant stays valid; on the device, open the endpoint agent's tray menu, \
                     choose \"Request Settings\" and confirm, then check with `jit status`",
                ));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(30));
            let id = activation.id;
            activation = match client.activations(&activation.device, false).await {
                Ok(list) => list.into_iter().find(|a| a.id == id).unwrap_or(activation),
                Err(e) => {
                    progress.finish();
                    return Err(e.into());
                }
            };
            match activation.state {
                ActivationState::Pending => continue,
                ActivationState::Active => {
                    progress.finish();
                    return Ok(activation);
                }
                ActivationState::Expired | ActivationState::Deactivated => {
                    progress.finish();
                    return Err(CommandError::new(
                        ErrorKind::Refused,
                        anyhow::anyhow!(
                            "the activation on {} ended ({}) before the device picked it up",
                            activation.device,
                            enum_word(&activation.state)
                        ),
                    ));
                }
            }
        }
    }
}

/// A spinner on a terminal; elsewhere one line per change of message.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    last: std::sync::Mutex<String>,
}

impl Progress {
    fn new(ctx: &Context) -> Progress {
        let s = &ctx.ui.settings;
        let bar = (s.stderr_is_terminal && !s.quiet).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress { bar, last: std::sync::Mutex::new(String::new()) }
    }

    fn show(&self, ctx: &Context, message: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(message.to_string()),
            None => {
                // Only the part before the countdown decides whether it is news.
                let key = message.split(" (").next().unwrap_or(message).to_string();
                let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
                if *last != key {
                    ctx.ui.status(&format!("{message}..."));
                    *last = key;
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
