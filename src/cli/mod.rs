//! The `jit` command line: argument definitions, dispatch and output, one module per command.
//!
//! [`run`] executes one invocation in-process: arguments, environment, standard streams and
//! the token store all come in through [`Invocation`], so a demo or a test can drive the real
//! command line without a subprocess. `src/bin/jit.rs` only builds the invocation of the
//! running process.

pub mod batch;
mod capture;
mod commands;
mod context;
pub mod error;
mod prompt;
pub mod time;
pub mod ui;

use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use capture::Captured;
pub use error::{CommandError, ErrorKind, ExitCode};

use crate::client::Environment;
use crate::client::config::{OutputFormat, Timeout, parse_timeout};
use crate::client::token::TokenStore;
use context::Context;
use ui::{Ui, UiSettings};

/// Just-in-time admin rights on managed devices.
///
/// Request admin rights on a device, have your responsible person approve them, complete the
/// training, then activate them for a few hours whenever you need them.
#[derive(Debug, Parser)]
#[command(name = "jit", version, after_help = error::EXIT_CODES_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Base URL of the jitd server [env: JIT_SERVER]
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,

    /// Named profile from the config file [env: JIT_PROFILE]
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Output format for data [default: table]
    #[arg(short, long, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputArg>,

    /// Never colour the output (also when NO_COLOR is set)
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Print data and errors only, no progress or status messages
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Show each HTTP call and its timing on stderr (never the token)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Time limit for each call to the server, e.g. 30s or 2m [default: 30s]
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_timeout)]
    pub timeout: Option<Timeout>,

    /// PEM file of a private certificate authority that signed the server's certificate
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,

    /// Show times in UTC instead of local time
    #[arg(long, global = true)]
    pub utc: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    Table,
    Json,
    Csv,
}

impl From<OutputArg> for OutputFormat {
    fn from(o: OutputArg) -> OutputFormat {
        match o {
            OutputArg::Table => OutputFormat::Table,
            OutputArg::Json => OutputFormat::Json,
            OutputArg::Csv => OutputFormat::Csv,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Login(commands::login::LoginArgs),
    Logout(commands::logout::LogoutArgs),
    Whoami(commands::whoami::WhoamiArgs),
    Request(commands::request::RequestArgs),
    Requests(commands::requests::RequestsArgs),
    Status(commands::status::StatusArgs),
    Activate(commands::activate::ActivateArgs),
    Deactivate(commands::deactivate::DeactivateArgs),
    Approve(commands::approve::ApproveArgs),
    Deny(commands::deny::DenyArgs),
    #[command(subcommand)]
    ReimageFix(commands::reimage_fix::ReimageFixCommand),
    #[command(subcommand)]
    Config(commands::config::ConfigCommand),
    Completions(commands::completions::CompletionsArgs),
}

/// Everything one run of `jit` needs from the outside world.
pub struct Invocation {
    /// The arguments, the program name first.
    pub args: Vec<OsString>,
    pub env: Environment,
    pub stdin: Box<dyn Read + Send>,
    pub stdin_is_terminal: bool,
    pub stdout: Box<dyn Write + Send>,
    pub stdout_is_terminal: bool,
    pub stderr: Box<dyn Write + Send>,
    pub stderr_is_terminal: bool,
    /// Columns of the terminal, for fitting tables; `None` when unknown.
    pub terminal_width: Option<u16>,
    /// Where tokens are kept; `None` means the OS keyring.
    pub token_store: Option<Arc<dyn TokenStore>>,
}

impl std::fmt::Debug for Invocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invocation")
            .field("args", &self.args)
            .field("stdin_is_terminal", &self.stdin_is_terminal)
            .field("stdout_is_terminal", &self.stdout_is_terminal)
            .finish_non_exhaustive()
    }
}

impl Invocation {
    /// An invocation with no terminal: empty stdin, output discarded, the given environment.
    /// Replace the streams and the token store to capture output or keep tokens in memory.
    pub fn new<I, S>(args: I, env: Environment) -> Invocation
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        Invocation {
            args: args.into_iter().map(Into::into).collect(),
            env,
            stdin: Box::new(std::io::empty()),
            stdin_is_terminal: false,
            stdout: Box::new(std::io::sink()),
            stdout_is_terminal: false,
            stderr: Box::new(std::io::sink()),
            stderr_is_terminal: false,
            terminal_width: None,
            token_store: None,
        }
    }

    /// The invocation of the running process.
    pub fn from_process() -> Invocation {
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let terminal_width =
            if stdout_is_terminal { terminal_width().filter(|w| *w > 0) } else { None };
        Invocation {
            args: std::env::args_os().collect(),
            env: Environment::from_process(),
            stdin: Box::new(std::io::stdin()),
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stdout: Box::new(std::io::stdout()),
            stdout_is_terminal,
            stderr: Box::new(std::io::stderr()),
            stderr_is_terminal: std::io::stderr().is_terminal(),
            terminal_width,
            token_store: None,
        }
    }
}

fn terminal_width() -> Option<u16> {
    dialoguer::console::Term::stdout().size_checked().map(|(_, cols)| cols)
}

/// Runs one invocation to completion and answers its exit code.
///
/// Builds its own single-threaded Tokio runtime; from inside an async context call
/// [`run_async`] instead (or call this from `tokio::task::spawn_blocking`).
pub fn run(invocation: Invocation) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            let mut stderr = invocation.stderr;
            let _ = writeln!(stderr, "Error: cannot start the async runtime: {e}");
            return ExitCode::GENERAL;
        }
    };
    runtime.block_on(run_async(invocation))
}

/// Runs one invocation on the caller's Tokio runtime and answers its exit code.
pub async fn run_async(invocation: Invocation) -> ExitCode {
    let Invocation {
        args,
        env,
        stdin,
        stdin_is_terminal,
        stdout,
        stdout_is_terminal,
        mut stderr,
        stderr_is_terminal,
        terminal_width,
        token_store,
    } = invocation;

    let no_color_env = env.get("NO_COLOR").is_some() || env.get("TERM") == Some("dumb");
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let colors = (stdout_is_terminal && !no_color_env, stderr_is_terminal && !no_color_env);
            return report_usage(e, stdout, &mut stderr, colors);
        }
    };

    let color_allowed = !cli.global.no_color && !no_color_env;
    let settings = UiSettings {
        format: cli.global.output.map(Into::into).unwrap_or_default(),
        color: color_allowed && stdout_is_terminal,
        color_stderr: color_allowed && stderr_is_terminal,
        quiet: cli.global.quiet,
        verbose: cli.global.verbose,
        utc: cli.global.utc,
        width: terminal_width.filter(|w| *w > 0 && stdout_is_terminal),
        stderr_is_terminal,
    };
    let ui = Ui::new(stdout, stderr, settings);
    let mut ctx = Context::new(ui, env, cli.global.clone(), stdin, stdin_is_terminal, token_store);
    let result = match ctx.apply_config_output() {
        Ok(()) => commands::dispatch(cli.command, &mut ctx).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe has nobody to tell; after Ctrl-C the user knows.
            if !matches!(err.kind, ErrorKind::BrokenPipe | ErrorKind::Interrupted) {
                ctx.ui.error(&err);
            }
            err.exit_code()
        }
    }
}

/// Prints clap's verdict: help and version to stdout with success, mistakes to stderr.
fn report_usage(
    e: clap::Error,
    mut stdout: Box<dyn Write + Send>,
    stderr: &mut Box<dyn Write + Send>,
    (color_out, color_err): (bool, bool),
) -> ExitCode {
    use clap::error::ErrorKind as K;
    let rendered = e.render();
    let styled =
        |color: bool| if color { rendered.ansi().to_string() } else { rendered.to_string() };
    // `jit` alone shows help too, but as a usage error on stderr.
    match e.kind() {
        K::DisplayHelp | K::DisplayVersion => {
            let text = styled(color_out);
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
            ExitCode::SUCCESS
        }
        _ => {
            let text = styled(color_err);
            let _ = stderr.write_all(text.as_bytes());
            let _ = stderr.flush();
            ExitCode::USAGE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_argument_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    /// A demo inside a server may `tokio::spawn` an invocation: its future must be `Send`.
    #[test]
    fn an_invocation_can_run_on_another_task() {
        fn is_send<T: Send>(_: &T) {}
        let future = run_async(Invocation::new(["jit", "--version"], Environment::default()));
        is_send(&future);
    }
}
