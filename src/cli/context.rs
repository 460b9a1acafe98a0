//! What a command runs with: the UI, the settings resolved by precedence (flag, environment,
//! config file, default), stdin, and a client signed in with the stored token.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::GlobalArgs;
use super::error::{CommandError, ErrorKind};
use super::ui::Ui;
use crate::client::config::{Config, OutputFormat, TokenStoreKind};
use crate::client::http::{ApiClient, HttpSettings};
use crate::client::paths::{Paths, expand_tilde};
use crate::client::token::{KeyringStore, Sessions, TokenStore};
use crate::client::{ClientError, Environment};

/// Time allowed for one keyring call before it is abandoned.
const KEYRING_DEADLINE: Duration = Duration::from_secs(10);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Where a setting's value came from, for `jit config show`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env(&'static str),
    Config,
    Default,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag => f.write_str("flag"),
            Source::Env(name) => write!(f, "env {name}"),
            Source::Config => f.write_str("config"),
            Source::Default => f.write_str("default"),
        }
    }
}

/// The settings in force, each with where it came from.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub profile: Option<(String, Source)>,
    pub server: Option<(String, Source)>,
    pub username: Option<(String, Source)>,
    pub timeout: (Duration, Source),
    pub ca_cert: Option<(PathBuf, Source)>,
    pub output: (OutputFormat, Source),
    pub utc: (bool, Source),
    pub token_store: (TokenStoreKind, Source),
}

/// Where the token of a call came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    Env,
    Store { username: String },
}

/// A client signed in to a server.
#[derive(Debug)]
pub struct Session {
    pub client: ApiClient,
    pub server: String,
    pub source: TokenSource,
}

pub struct Context {
    pub ui: Ui,
    pub env: Environment,
    pub global: GlobalArgs,
    pub paths: Paths,
    pub stdin_is_terminal: bool,
    stdin: Option<Box<dyn Read + Send>>,
    token_store: Option<Arc<dyn TokenStore>>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context").field("paths", &self.paths).finish_non_exhaustive()
    }
}

impl Context {
    pub fn new(
        ui: Ui,
        env: Environment,
        global: GlobalArgs,
        stdin: Box<dyn Read + Send>,
        stdin_is_terminal: bool,
        token_store: Option<Arc<dyn TokenStore>>,
    ) -> Context {
        let paths = Paths::resolve(&env);
        Context { ui, env, global, paths, stdin_is_terminal, stdin: Some(stdin), token_store }
    }

    /// Applies the config file's `output`, `utc` and `color` unless flags said otherwise.
    /// A broken config file is reported later, by the commands that need it, so that
    /// `jit config path` still works to find it.
    pub fn apply_config_output(&mut self) -> Result<(), CommandError> {
        let Ok(resolved) = self.resolve() else { return Ok(()) };
        self.ui.settings.format = resolved.output.0;
        self.ui.settings.utc = resolved.utc.0;
        if let Ok(config) = Config::load(&self.paths.config_file) {
            let profile = resolved.profile.as_ref().map(|(p, _)| p.as_str());
            let settings = config.settings(profile, &self.paths.config_file);
            if settings.is_ok_and(|s| s.color == Some(false)) {
                self.ui.settings.color = false;
                self.ui.settings.color_stderr = false;
            }
        }
        Ok(())
    }

    pub fn config(&self) -> Result<Config, CommandError> {
        Ok(Config::load(&self.paths.config_file)?)
    }

    /// Resolves every setting: flag, then environment, then config file, then default.
    pub fn resolve(&self) -> Result<Resolved, CommandError> {
        let config = self.config()?;
        let g = &self.global;
        let profile = g
            .profile
            .clone()
            .map(|p| (p, Source::Flag))
            .or_else(|| {
                self.env.get("JIT_PROFILE").map(|p| (p.to_string(), Source::Env("JIT_PROFILE")))
            })
            .or_else(|| config.default_profile.clone().map(|p| (p, Source::Config)));
        let settings =
            config.settings(profile.as_ref().map(|(p, _)| p.as_str()), &self.paths.config_file)?;

        let server = g
            .server
            .clone()
            .map(|s| (s, Source::Flag))
            .or_else(|| {
                self.env.get("JIT_SERVER").map(|s| (s.to_string(), Source::Env("JIT_SERVER")))
            })
            .or_else(|| settings.server.clone().map(|s| (s, Source::Config)));
        let timeout = g
            .timeout
            .map(|t| (t.0, Source::Flag))
            .or_else(|| settings.timeout.map(|t| (t.0, Source::Config)))
            .unwrap_or((DEFAULT_TIMEOUT, Source::Default));
        let ca_cert = g
            .ca_cert
            .clone()
            .map(|p| (expand_tilde(&p.to_string_lossy(), &self.env), Source::Flag))
            .or_else(|| {
                settings.ca_cert.as_ref().map(|p| (expand_tilde(p, &self.env), Source::Config))
            });
        let output = g
            .output
            .map(|o| (o.into(), Source::Flag))
            .or_else(|| settings.output.map(|o| (o, Source::Config)))
            .unwrap_or((OutputFormat::Table, Source::Default));
        let utc = if g.utc {
            (true, Source::Flag)
        } else {
            settings.utc.map(|u| (u, Source::Config)).unwrap_or((false, Source::Default))
        };
        let token_store = settings
            .token_store
            .map(|t| (t, Source::Config))
            .unwrap_or((TokenStoreKind::Auto, Source::Default));
        Ok(Resolved {
            profile,
            server,
            username: settings.username.map(|u| (u, Source::Config)),
            timeout,
            ca_cert,
            output,
            utc,
            token_store,
        })
    }

    /// A client for the configured server, not signed in.
    pub fn anonymous_client(&self) -> Result<(ApiClient, Resolved), CommandError> {
        let resolved = self.resolve()?;
        let Some((server, _)) = &resolved.server else {
            return Err(ClientError::NoServer.into());
        };
        let settings = HttpSettings {
            server: server.clone(),
            timeout: resolved.timeout.0,
            ca_cert: resolved.ca_cert.as_ref().map(|(p, _)| p.clone()),
            attempts: 3,
            log: self.ui.logger(),
        };
        let client = ApiClient::new(settings, &self.env)?;
        Ok((client, resolved))
    }

    pub fn token_store(&self, resolved: &Resolved) -> Arc<dyn TokenStore> {
        match &self.token_store {
            Some(store) => store.clone(),
            None => Arc::new(KeyringStore::new(resolved.token_store.0, KEYRING_DEADLINE)),
        }
    }

    /// The session index: which user is signed in to which server.
    pub fn sessions(&self) -> Sessions {
        Sessions::load(&self.paths.session_file)
    }

    /// The user whose token to use on `server`: the config's `username`, else the last login.
    pub fn username_for(&self, resolved: &Resolved, server: &str) -> Option<String> {
        resolved
            .username
            .as_ref()
            .map(|(u, _)| u.clone())
            .or_else(|| self.sessions().username(server).map(str::to_string))
    }

    /// A client signed in with `JIT_TOKEN` or the stored token.
    pub fn session(&self) -> Result<Session, CommandError> {
        let (client, resolved) = self.anonymous_client()?;
        let server = client.server().to_string();
        if let Some(token) = self.env.get("JIT_TOKEN") {
            let client = client.with_token(token.trim().to_string());
            return Ok(Session { client, server, source: TokenSource::Env });
        }
        let not_logged_in = || {
            CommandError::new(ErrorKind::Auth, anyhow::anyhow!("not logged in to {server}"))
                .hint("run `jit login` (or set JIT_TOKEN for scripts)")
        };
        let Some(username) = self.username_for(&resolved, &server) else {
            return Err(not_logged_in());
        };
        let store = self.token_store(&resolved);
        match store.get(&server, &username)? {
            Some(token) => Ok(Session {
                client: client.with_token(token),
                server,
                source: TokenSource::Store { username },
            }),
            None => Err(not_logged_in()),
        }
    }

    /// Reads all of stdin, once.
    pub fn read_stdin(&mut self) -> Result<String, CommandError> {
        let Some(mut stdin) = self.stdin.take() else {
            return Err(CommandError::usage("stdin was already read by another option"));
        };
        let mut text = String::new();
        stdin
            .read_to_string(&mut text)
            .map_err(|e| CommandError::new(ErrorKind::General, e).context("cannot read stdin"))?;
        Ok(text)
    }

    /// Reads a `--from-file` argument: a path, or `-` for stdin.
    pub fn read_input_file(&mut self, path: &std::path::Path) -> Result<String, CommandError> {
        if path.as_os_str() == "-" {
            return self.read_stdin();
        }
        std::fs::read_to_string(path).map_err(|e| {
            let kind = if e.kind() == std::io::ErrorKind::NotFound {
                ErrorKind::Usage
            } else {
                ErrorKind::General
            };
            CommandError::new(kind, e).context(format!("cannot read {}", path.display()))
        })
    }
}
