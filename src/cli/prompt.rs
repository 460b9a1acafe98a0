//! Questions on the terminal. Callers ask only when stdin is a terminal; otherwise they fail
//! with a usage error naming the flag that answers the question.
//!
//! Ctrl-C in a prompt must leave the terminal as it was and send nothing: the prompts read
//! keys in raw mode (restored before the interrupt is raised), and the interrupt handler shows
//! the cursor again and exits with 130 before any call is made.

use std::sync::Once;

use dialoguer::console::{Key, Term};
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect};

use super::error::CommandError;

/// Installs the process-wide Ctrl-C handler, once.
fn on_interrupt_exit() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Failing to install leaves the default behaviour: the process dies on Ctrl-C, which
        // still sends nothing.
        let _ = ctrlc::set_handler(|| {
            let term = Term::stderr();
            let _ = term.show_cursor();
            let _ = term.write_line("");
            std::process::exit(130);
        });
    });
}

fn failed(e: impl Into<anyhow::Error>) -> CommandError {
    let e: anyhow::Error = e.into();
    let interrupted = e
        .downcast_ref::<dialoguer::Error>()
        .is_some_and(|dialoguer::Error::IO(io)| io.kind() == std::io::ErrorKind::Interrupted)
        || e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::Interrupted);
    let _ = Term::stderr().show_cursor();
    if interrupted {
        CommandError::interrupted()
    } else {
        CommandError::new(super::ErrorKind::General, e.context("cannot read from the terminal"))
    }
}

pub fn text(prompt: &str) -> Result<String, CommandError> {
    on_interrupt_exit();
    Input::<String>::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .interact_text()
        .map_err(failed)
}

/// Reads a secret without echoing it, key by key.
pub fn secret(prompt: &str) -> Result<String, CommandError> {
    on_interrupt_exit();
    let term = Term::stderr();
    term.write_str(&format!("{prompt}: ")).map_err(failed)?;
    let mut secret = String::new();
    loop {
        match term.read_key().map_err(failed)? {
            Key::Enter => break,
            Key::Backspace => {
                secret.pop();
            }
            Key::Char(c) if !c.is_control() => secret.push(c),
            _ => {}
        }
    }
    term.write_line("").map_err(failed)?;
    Ok(secret)
}

pub fn confirm(prompt: &str) -> Result<bool, CommandError> {
    on_interrupt_exit();
    let answer = Confirm::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .default(false)
        .interact_opt()
        .map_err(failed)?;
    Ok(answer.unwrap_or(false))
}

/// Lets the user pick any of `items`; answers the chosen indexes.
pub fn pick(prompt: &str, items: &[String]) -> Result<Vec<usize>, CommandError> {
    on_interrupt_exit();
    let chosen = MultiSelect::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .items(items)
        .interact_opt()
        .map_err(failed)?;
    Ok(chosen.unwrap_or_default())
}
