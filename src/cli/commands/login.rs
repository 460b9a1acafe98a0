//! `jit login`: exchange a username and password for a token and keep it in the keyring.

use clap::Args;

use crate::api::LoginRequest;
use crate::cli::context::Context;
use crate::cli::error::CommandError;
use crate::cli::prompt;
use crate::client::config::OutputFormat;

/// Sign in to the server and keep the token in the OS keyring
///
/// The token is stored under one keyring entry per server and user. Nothing is ever written
/// in plain text: when no keyring is usable, login says so; use --print-token and JIT_TOKEN
/// instead.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Username to sign in as [default: `username` from the config file, else asked]
    #[arg(long, short = 'u', value_name = "NAME")]
    pub username: Option<String>,

    /// Read the password from the first line of stdin instead of asking
    #[arg(long)]
    pub password_stdin: bool,

    /// Print the token to stdout instead of storing it, for JIT_TOKEN in scripts and CI
    #[arg(long)]
    pub print_token: bool,
}

impl LoginArgs {
    pub async fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        let (client, resolved) = ctx.anonymous_client()?;
        let server = client.server().to_string();
        let username = self.username(ctx, &resolved)?;
        let password = self.password(ctx)?;

        let issued = client.login(&LoginRequest { username: username.clone(), password }).await?;
        // The answer's `Date` told the client the server's now; the expiry is relative to it.
        let expires = ctx.ui.time(Some(issued.expires_at), client.server_now());

        if self.print_token {
            ctx.ui.data(&issued.token)?;
            ctx.ui.status(&format!(
                "Logged in to {server} as {}; the token expires {}. It was not stored.",
                issued.user.username, expires
            ));
            return Ok(());
        }

        let store = ctx.token_store(&resolved);
        let stored_in = match store.set(&server, &issued.user.username, &issued.token) {
            Ok(place) => place,
            Err(e) => {
                // A token nobody can use again should not stay valid on the server.
                let _ = client.with_token(issued.token.clone()).logout().await;
                return Err(CommandError::from(e).context("logged in, but cannot keep the token"));
            }
        };
        let mut sessions = ctx.sessions();
        sessions.sessions.insert(server.clone(), issued.user.username.clone());
        if let Err(e) = sessions.save(&ctx.paths.session_file) {
            ctx.ui.warn(&format!("cannot remember the username for {server}: {e}"));
        }

        if ctx.ui.format() == OutputFormat::Json {
            ctx.ui.json(&serde_json::json!({
                "server": server,
                "user": issued.user,
                "expires_at": issued.expires_at,
                "stored_in": stored_in,
            }))?;
        }
        ctx.ui.status(&format!(
            "Logged in to {server} as {} ({}). Token stored in {stored_in}; it expires {}.",
            issued.user.username, issued.user.display_name, expires
        ));
        Ok(())
    }

    fn username(
        &self,
        ctx: &Context,
        resolved: &crate::cli::context::Resolved,
    ) -> Result<String, CommandError> {
        if let Some(name) = self.username.clone().or(resolved.username.clone().map(|(u, _)| u)) {
            return Ok(name.trim().to_string());
        }
        if !ctx.stdin_is_terminal || self.password_stdin {
            return Err(CommandError::needs_flag("a username", "--username NAME"));
        }
        prompt::text("Username")
    }

    fn password(&self, ctx: &mut Context) -> Result<String, CommandError> {
        if self.password_stdin {
            let text = ctx.read_stdin()?;
            let password = text.lines().next().unwrap_or_default().to_string();
            if password.is_empty() {
                return Err(CommandError::usage("--password-stdin read an empty password"));
            }
            return Ok(password);
        }
        if !ctx.stdin_is_terminal {
            return Err(CommandError::needs_flag("a password", "--password-stdin"));
        }
        prompt::secret("Password")
    }
}
