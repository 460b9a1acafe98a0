//! `jit completions`: shell completion scripts, generated from the argument definitions.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::cli::context::Context;
use crate::cli::error::CommandError;

/// Print a shell completion script, e.g. `jit completions bash > /etc/bash_completion.d/jit`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish
    pub shell: Shell,
}

impl CompletionsArgs {
    pub fn run(self, ctx: &mut Context) -> Result<(), CommandError> {
        let mut buf = Vec::new();
        clap_complete::generate(self.shell, &mut Cli::command(), "jit", &mut buf);
        ctx.ui.data(&String::from_utf8_lossy(&buf))
    }
}
