//! `jit logout`: revoke the token on the server and remove it from the keyring.

use clap::Args;

use crate::cli::context::{Context, TokenSource};
use crate::cli::error::CommandError;

/// Revoke the token on the server and remove it from the keyring
#[derive(Debug, Args)]
pub struct LogoutArgs {}

impl LogoutArgs {
    pub async fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        let session = match ctx.session() {
            Ok(session) => session,
            Err(e) if e.kind == crate::cli::ErrorKind::Auth => {
                ctx.ui.status("Not logged in: nothing to do.");
                return Ok(());
            }
            Err(e) => return Err(e),
        };

        // An expired or revoked token is as good as logged out: carry on removing it.
        let revoked = match session.client.logout().await {
            Ok(()) => true,
            Err(e) if e.problem().is_some_and(|p| p.status == 401) => false,
            Err(e) => {
                let e = CommandError::from(e);
                ctx.ui.warn(&format!("could not revoke the token on the server: {}", e.error));
                false
            }
        };

        match &session.source {
            TokenSource::Env => {
                ctx.ui.status(&format!(
                    "{} the token in JIT_TOKEN on {}; unset JIT_TOKEN.",
                    if revoked { "Revoked" } else { "Did not revoke" },
                    session.server
                ));
            }
            TokenSource::Store { username } => {
                let resolved = ctx.resolve()?;
                let store = ctx.token_store(&resolved);
                store.delete(&session.server, username)?;
                let mut sessions = ctx.sessions();
                if sessions.sessions.remove(&session.server).is_some() {
                    sessions.save(&ctx.paths.session_file)?;
                }
                ctx.ui.status(&format!(
                    "Logged out of {} as {username}{}; the token was removed from the keyring.",
                    session.server,
                    if revoked { "" } else { " (the server already considered it ended)" }
                ));
            }
        }
        Ok(())
    }
}
