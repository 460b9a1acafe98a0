//! Talking to the `jitd` REST API: HTTP, configuration and token storage.
//!
//! Nothing here prints or decides an exit code: failures come back as [`ClientError`] and
//! the command line turns them into messages and exit codes.

pub mod config;
mod error;
pub mod http;
pub mod paths;
pub mod token;

pub use error::ClientError;

use std::collections::BTreeMap;

/// The environment variables a command sees.
///
/// Passed in rather than read from the process so that the command line can run in-process
/// with an environment of the caller's choosing (a demo, a test).
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
}

impl Environment {
    /// The environment of the running process.
    pub fn from_process() -> Self {
        Environment { vars: std::env::vars().collect() }
    }

    /// A variable's value; an empty value counts as unset.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// Reads a variable under either spelling, upper case first (`HTTPS_PROXY`, `https_proxy`).
    pub fn get_any_case(&self, name: &str) -> Option<&str> {
        self.get(&name.to_uppercase()).or_else(|| self.get(&name.to_lowercase()))
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.vars.insert(name.into(), value.into());
    }

    pub fn remove(&mut self, name: &str) {
        self.vars.remove(name);
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Environment {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Environment { vars: iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }
}
