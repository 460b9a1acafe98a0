//! `jit whoami`: the signed-in user, their roles and departments.

use clap::Args;

use crate::cli::context::Context;
use crate::cli::error::CommandError;
use crate::client::config::OutputFormat;

use super::enum_word;

/// Show who you are signed in as, with your roles and departments
#[derive(Debug, Args)]
pub struct WhoamiArgs {}

impl WhoamiArgs {
    pub async fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        let session = ctx.session()?;
        let user = session.client.me().await?;
        if ctx.ui.format() == OutputFormat::Json {
            return ctx.ui.json(&user);
        }
        let roles: Vec<String> = user.roles.iter().map(enum_word).collect();
        ctx.ui.fields(&[
            ("username", user.username.clone()),
            ("name", user.display_name.clone()),
            ("email", user.email.clone()),
            ("department", user.department.clone()),
            ("roles", roles.join(", ")),
            ("rp_of", user.rp_of.join(", ")),
            ("server", session.server.clone()),
        ])
    }
}
