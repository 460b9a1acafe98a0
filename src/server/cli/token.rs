//! `jitd token`: credentials for endpoint agents, the learning system and scripts.

use anyhow::{Context, bail};
use clap::{ArgGroup, Subcommand};
use uuid::Uuid;

use super::Jitd;
use crate::api::Scope;
use crate::server::auth::issue_token;
use crate::server::routes::audit_event;
use crate::server::storage::{TokenKind, enum_text, parse_enum};

#[derive(Debug, Subcommand)]
pub enum Token {
    /// Create a credential and print its secret once.
    #[command(group(
        ArgGroup::new("owner").required(true).args(["agent", "learning_system", "user"])
    ))]
    Create {
        /// An endpoint agents' credential, named e.g. after the agent deployment.
        #[arg(long, value_name = "NAME")]
        agent: Option<String>,
        /// The learning system's credential, for reporting training completions.
        #[arg(long, value_name = "NAME")]
        learning_system: Option<String>,
        /// A scoped API token for this user's scripts.
        #[arg(long, value_name = "USERNAME")]
        user: Option<String>,
        /// Scope of a user token: read, requests, decisions, reimage_fixes. Repeatable.
        #[arg(long = "scope", value_name = "SCOPE")]
        scopes: Vec<String>,
        /// Name of a user token.
        #[arg(long, default_value = "script")]
        name: String,
        /// Days until the credential expires.
        #[arg(long, default_value_t = 365)]
        days: u32,
    },
    /// List credentials (never their secrets).
    List,
    /// Revoke a credential by id.
    Revoke { id: Uuid },
}

impl Token {
    pub async fn run(&self, jitd: &Jitd) -> anyhow::Result<()> {
        let store = jitd.store().await?;
        let now = chrono::Utc::now();
        match self {
            Token::Create { agent, learning_system, user, scopes, name, days } => {
                let lifetime = chrono::Duration::days((*days).max(1).into());
                let (kind, username, name, scopes) = match (agent, learning_system, user) {
                    (Some(agent), _, _) => (TokenKind::Agent, None, agent, vec![Scope::Agent]),
                    (_, Some(lms), _) => {
                        (TokenKind::LearningSystem, None, lms, vec![Scope::Training])
                    }
                    (_, _, Some(user)) => {
                        let record =
                            store.user(user).await?.with_context(|| format!("no user {user}"))?;
                        let scopes = scopes
                            .iter()
                            .map(|s| parse_enum::<Scope>(s))
                            .collect::<Result<Vec<_>, _>>()
                            .context("scopes are read, requests, decisions, reimage_fixes")?;
                        if scopes.is_empty() {
                            bail!("a user token needs at least one --scope");
                        }
                        for scope in &scopes {
                            if !crate::server::auth::scopes_allowed(&record, *scope) {
                                bail!("{user}'s roles do not allow the scope {}", enum_text(scope));
                            }
                        }
                        (TokenKind::Api, Some(user.clone()), name, scopes)
                    }
                    _ => bail!("name the owner: --agent, --learning-system or --user"),
                };
                let (secret, token) = issue_token(
                    store.as_ref(),
                    kind,
                    username,
                    name,
                    scopes,
                    lifetime,
                    "jitd-admin",
                    now,
                )
                .await?;
                eprintln!("Created token {} (expires {}). Its secret:", token.id, token.expires_at);
                println!("{secret}");
            }
            Token::List => {
                for token in store.tokens().await? {
                    let scopes: Vec<String> = token.scopes.iter().map(enum_text).collect();
                    let state = match token.revoked_at {
                        Some(_) => "revoked",
                        None if token.expires_at <= now => "expired",
                        None => "valid",
                    };
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        token.id,
                        token.kind.as_str(),
                        token.username.as_deref().unwrap_or(&token.name),
                        scopes.join(","),
                        token.expires_at.to_rfc3339(),
                        state
                    );
                }
            }
            Token::Revoke { id } => {
                let mut token =
                    store.token(*id).await?.with_context(|| format!("no token {id}"))?;
                if token.revoked_at.is_none() {
                    token.revoked_at = Some(now);
                    let audit =
                        audit_event(now, "jitd-admin", "token.revoke", id.to_string(), None, None);
                    store.save_token(&token, audit).await?;
                }
                println!("Revoked {id}.");
            }
        }
        Ok(())
    }
}
