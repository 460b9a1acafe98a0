//! `jit config`: show the settings in force and where each comes from, print the config
//! file's path, set a key.

use clap::{Args, Subcommand};

use crate::cli::context::Context;
use crate::cli::error::CommandError;
use crate::cli::ui::Cell;
use crate::client::config::{OutputFormat, SETTING_KEYS, set_value};

use super::enum_word;

/// Show or change the configuration
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Show the settings in force and where each comes from
    Show,
    /// Print the path of the config file
    Path,
    /// Set a key in the config file (in the --profile's table when one is given)
    Set(SetArgs),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// One of: default_profile, server, username, timeout, ca_cert, output, utc, color,
    /// token_store; or profiles.NAME.KEY
    pub key: String,
    pub value: String,
}

impl ConfigCommand {
    pub fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        match self {
            ConfigCommand::Path => {
                let path = ctx.paths.config_file.display().to_string();
                ctx.ui.data(&path)
            }
            ConfigCommand::Show => show(ctx),
            ConfigCommand::Set(args) => {
                let profile = ctx
                    .global
                    .profile
                    .clone()
                    .or_else(|| ctx.env.get("JIT_PROFILE").map(str::to_string));
                let key = args.key.trim();
                if key != "default_profile"
                    && !key.starts_with("profiles.")
                    && !SETTING_KEYS.contains(&key)
                {
                    return Err(CommandError::usage(format!("unknown config key `{key}`")).hint(
                        format!("the keys are: default_profile, {}", SETTING_KEYS.join(", ")),
                    ));
                }
                let profile = if key == "default_profile" { None } else { profile };
                set_value(&ctx.paths.config_file, profile.as_deref(), key, &args.value)?;
                ctx.ui.status(&format!(
                    "Set {}{key} in {}.",
                    profile.map(|p| format!("profiles.{p}.")).unwrap_or_default(),
                    ctx.paths.config_file.display()
                ));
                Ok(())
            }
        }
    }
}

fn show(ctx: &mut Context) -> Result<(), CommandError> {
    let r = ctx.resolve()?;
    let pair = |v: Option<(String, crate::cli::context::Source)>| match v {
        Some((v, s)) => (Some(v), s.to_string()),
        None => (None, "unset".to_string()),
    };
    let rows: Vec<(&str, (Option<String>, String))> = vec![
        (
            "config_file",
            (Some(ctx.paths.config_file.display().to_string()), "JIT_CONFIG or platform".into()),
        ),
        ("profile", pair(r.profile.clone())),
        ("server", pair(r.server.clone())),
        ("username", pair(r.username.clone())),
        ("timeout", (Some(format!("{}s", r.timeout.0.as_secs_f32())), r.timeout.1.to_string())),
        ("ca_cert", pair(r.ca_cert.clone().map(|(p, s)| (p.display().to_string(), s)))),
        ("output", (Some(enum_word(&r.output.0)), r.output.1.to_string())),
        ("utc", (Some(r.utc.0.to_string()), r.utc.1.to_string())),
        ("token_store", (Some(enum_word(&r.token_store.0)), r.token_store.1.to_string())),
        (
            "token",
            (
                None,
                if ctx.env.get("JIT_TOKEN").is_some() { "env JIT_TOKEN" } else { "keyring" }.into(),
            ),
        ),
    ];
    if ctx.ui.format() == OutputFormat::Json {
        let map: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(k, (v, s))| (k.to_string(), serde_json::json!({ "value": v, "source": s })))
            .collect();
        return ctx.ui.json(&map);
    }
    let rows: Vec<Vec<Cell>> = rows
        .into_iter()
        .map(|(k, (v, s))| vec![Cell::text(k), Cell::opt(v), Cell::text(s)])
        .collect();
    ctx.ui.rows(&["key", "value", "source"], &rows)
}
