//! `jit deactivate`: end a live activation early.

use clap::Args;

use crate::api::ActivationState;
use crate::cli::context::Context;
use crate::cli::error::{CommandError, ErrorKind};
use crate::client::config::OutputFormat;

use super::enum_word;

/// End your live activation on a device before it expires
#[derive(Debug, Args)]
pub struct DeactivateArgs {
    /// The device's name
    pub device: String,
}

impl DeactivateArgs {
    pub async fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        let session = ctx.session()?;
        let activations = session.client.activations(&self.device, true).await?;
        let live = activations
            .iter()
            .find(|a| matches!(a.state, ActivationState::Pending | ActivationState::Active));
        let Some(live) = live else {
            return Err(CommandError::new(
                ErrorKind::NotFound,
                anyhow::anyhow!("you have no live activation on {}", self.device),
            )
            .hint("`jit status` lists your activations"));
        };
        let ended = session.client.deactivate(live.id).await?;
        if ctx.ui.format() == OutputFormat::Json {
            ctx.ui.json(&ended)?;
        } else {
            ctx.ui.fields(&[
                ("device", ended.device.clone()),
                ("state", enum_word(&ended.state)),
                ("ended", ctx.ui.time(ended.ended_at, session.client.server_now())),
            ])?;
        }
        ctx.ui.status(&format!("Admin rights on {} ended.", ended.device));
        Ok(())
    }
}
