//! Where the bearer token is kept between commands: the OS keyring, one entry per server and
//! user, behind the [`TokenStore`] trait so tests and in-process runs can use memory instead.
//!
//! Every keyring call runs on its own thread with a deadline: a Secret Service that was
//! auto-started locked can block forever waiting for an unlock prompt nobody sees. When no
//! keyring is usable the store says so; it never falls back to writing the token in a file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Mutex, mpsc};
use std::time::Duration;

use super::config::TokenStoreKind;

/// Keyring service name for a server's entries; the keyring user is the username.
pub fn service_name(server: &str) -> String {
    format!("jit:{server}")
}

#[derive(Debug, thiserror::Error)]
pub enum TokenStoreError {
    #[error("no keyring is usable to keep the token: {}", reasons.join("; "))]
    Unavailable { reasons: Vec<String> },
    #[error("{store} failed: {message}")]
    Failed { store: String, message: String },
}

/// Keeps bearer tokens, one per server and user.
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// The token for `username` on `server`, if one is stored.
    fn get(&self, server: &str, username: &str) -> Result<Option<String>, TokenStoreError>;
    /// Stores the token and answers where it went, in words for the user.
    fn set(&self, server: &str, username: &str, token: &str) -> Result<String, TokenStoreError>;
    /// Removes the token; answers whether there was one.
    fn delete(&self, server: &str, username: &str) -> Result<bool, TokenStoreError>;
}

/// Tokens in memory, for tests and in-process demos; gone when the process ends.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<HashMap<(String, String), String>>,
}

impl MemoryTokenStore {
    pub fn new() -> MemoryTokenStore {
        MemoryTokenStore::default()
    }
}

impl TokenStore for MemoryTokenStore {
    fn get(&self, server: &str, username: &str) -> Result<Option<String>, TokenStoreError> {
        let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        Ok(tokens.get(&(server.to_string(), username.to_string())).cloned())
    }

    fn set(&self, server: &str, username: &str, token: &str) -> Result<String, TokenStoreError> {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.insert((server.to_string(), username.to_string()), token.to_string());
        Ok("memory (this process only)".to_string())
    }

    fn delete(&self, server: &str, username: &str) -> Result<bool, TokenStoreError> {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        Ok(tokens.remove(&(server.to_string(), username.to_string())).is_some())
    }
}

/// One kind of OS credential store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    /// The Secret Service over D-Bus (GNOME Keyring, KWallet).
    #[cfg(target_os = "linux")]
    SecretService,
    /// The kernel's keyutils session keyring.
    #[cfg(target_os = "linux")]
    Keyutils,
    /// macOS Keychain or Windows Credential Manager: the keyring crate's default.
    #[cfg(not(target_os = "linux"))]
    Native,
}

impl Backend {
    fn describe(self) -> &'static str {
        match self {
            #[cfg(target_os = "linux")]
            Backend::SecretService => "the Secret Service keyring",
            #[cfg(target_os = "linux")]
            Backend::Keyutils => "the kernel keyutils keyring (kept until this login session ends)",
            #[cfg(not(target_os = "linux"))]
            Backend::Native => {
                if cfg!(target_os = "macos") {
                    "the macOS Keychain"
                } else if cfg!(windows) {
                    "the Windows Credential Manager"
                } else {
                    "the system keyring"
                }
            }
        }
    }

    fn entry(self, service: &str, user: &str) -> keyring::Result<keyring::Entry> {
        match self {
            #[cfg(target_os = "linux")]
            Backend::SecretService => {
                let cred =
                    keyring::secret_service::SsCredential::new_with_target(None, service, user)?;
                Ok(keyring::Entry::new_with_credential(Box::new(cred)))
            }
            #[cfg(target_os = "linux")]
            Backend::Keyutils => {
                let cred =
                    keyring::keyutils::KeyutilsCredential::new_with_target(None, service, user)?;
                Ok(keyring::Entry::new_with_credential(Box::new(cred)))
            }
            #[cfg(not(target_os = "linux"))]
            Backend::Native => keyring::Entry::new(service, user),
        }
    }
}

/// The OS keyring, tried in a fixed order, each call bounded in time.
#[derive(Debug)]
pub struct KeyringStore {
    backends: Vec<Backend>,
    deadline: Duration,
}

impl KeyringStore {
    pub fn new(kind: TokenStoreKind, deadline: Duration) -> KeyringStore {
        #[cfg(target_os = "linux")]
        let backends = match kind {
            TokenStoreKind::Auto => vec![Backend::SecretService, Backend::Keyutils],
            TokenStoreKind::SecretService => vec![Backend::SecretService],
            TokenStoreKind::Keyutils => vec![Backend::Keyutils],
        };
        #[cfg(not(target_os = "linux"))]
        let backends = {
            let _ = kind;
            vec![Backend::Native]
        };
        KeyringStore { backends, deadline }
    }

    /// Runs one keyring operation on a thread and gives up after the deadline.
    fn bounded<T: Send + 'static>(
        &self,
        backend: Backend,
        op: impl FnOnce() -> keyring::Result<T> + Send + 'static,
    ) -> Result<T, String> {
        match with_deadline(self.deadline, op) {
            Some(Ok(value)) => Ok(value),
            Some(Err(e)) => Err(format!("{}: {}", backend.describe(), one_line(&e))),
            None => Err(format!(
                "{} did not answer within {}s (is it locked, waiting for a password?)",
                backend.describe(),
                self.deadline.as_secs()
            )),
        }
    }
}

/// Runs `op` on its own thread and answers `None` if it has not finished by the deadline.
/// The thread is left behind: a call blocked inside D-Bus cannot be cancelled, and it ends
/// with the process.
fn with_deadline<T: Send + 'static>(
    deadline: Duration,
    op: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("jit-keyring".into())
        .spawn(move || {
            let _ = tx.send(op());
        })
        .ok()?;
    rx.recv_timeout(deadline).ok()
}

fn one_line(e: &keyring::Error) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}

impl TokenStore for KeyringStore {
    fn get(&self, server: &str, username: &str) -> Result<Option<String>, TokenStoreError> {
        let mut reasons = Vec::new();
        let mut any_answered = false;
        for &backend in &self.backends {
            let (service, user) = (service_name(server), username.to_string());
            let found = self.bounded(backend, move || {
                match backend.entry(&service, &user)?.get_password() {
                    Ok(token) => Ok(Some(token)),
                    Err(keyring::Error::NoEntry) => Ok(None),
                    Err(e) => Err(e),
                }
            });
            match found {
                Ok(Some(token)) => return Ok(Some(token)),
                Ok(None) => any_answered = true,
                Err(reason) => reasons.push(reason),
            }
        }
        if any_answered { Ok(None) } else { Err(TokenStoreError::Unavailable { reasons }) }
    }

    fn set(&self, server: &str, username: &str, token: &str) -> Result<String, TokenStoreError> {
        let mut reasons = Vec::new();
        for &backend in &self.backends {
            let (service, user, secret) =
                (service_name(server), username.to_string(), token.to_string());
            let stored = self
                .bounded(backend, move || backend.entry(&service, &user)?.set_password(&secret));
            match stored {
                Ok(()) => return Ok(backend.describe().to_string()),
                Err(reason) => reasons.push(reason),
            }
        }
        Err(TokenStoreError::Unavailable { reasons })
    }

    fn delete(&self, server: &str, username: &str) -> Result<bool, TokenStoreError> {
        let mut reasons = Vec::new();
        let mut deleted = false;
        let mut any_answered = false;
        for &backend in &self.backends {
            let (service, user) = (service_name(server), username.to_string());
            let outcome = self.bounded(backend, move || {
                match backend.entry(&service, &user)?.delete_credential() {
                    Ok(()) => Ok(true),
                    Err(keyring::Error::NoEntry) => Ok(false),
                    Err(e) => Err(e),
                }
            });
            match outcome {
                Ok(d) => {
                    deleted |= d;
                    any_answered = true;
                }
                Err(reason) => reasons.push(reason),
            }
        }
        if any_answered { Ok(deleted) } else { Err(TokenStoreError::Unavailable { reasons }) }
    }
}

/// Which user is signed in to which server, so a command knows whose keyring entry to read.
/// Holds no secrets.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Sessions {
    #[serde(default)]
    pub sessions: BTreeMap<String, String>,
}

impl Sessions {
    /// Reads the session index; a missing or unreadable file is an empty index, since it only
    /// remembers usernames and `jit login` rebuilds it.
    pub fn load(path: &Path) -> Sessions {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| toml::from_str(&text).ok())
            .unwrap_or_default()
    }

    pub fn username(&self, server: &str) -> Option<&str> {
        self.sessions.get(server).map(String::as_str)
    }

    pub fn save(&self, path: &Path) -> Result<(), super::config::ConfigError> {
        let text = toml::to_string(self).unwrap_or_default();
        super::config::write_atomically(path, &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_store_keeps_one_token_per_server_and_user() {
        let store = MemoryTokenStore::new();
        store.set("https://a", "alice", "t1").unwrap();
        store.set("https://b", "alice", "t2").unwrap();
        assert_eq!(store.get("https://a", "alice").unwrap().as_deref(), Some("t1"));
        assert_eq!(store.get("https://a", "bob").unwrap(), None);
        assert!(store.delete("https://a", "alice").unwrap());
        assert!(!store.delete("https://a", "alice").unwrap());
        assert_eq!(store.get("https://b", "alice").unwrap().as_deref(), Some("t2"));
    }

    #[test]
    fn a_call_that_hangs_is_abandoned_at_the_deadline() {
        let started = std::time::Instant::now();
        let hung = with_deadline(Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(30));
        });
        assert!(hung.is_none());
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(with_deadline(Duration::from_secs(5), || 7), Some(7));
    }

    #[test]
    fn sessions_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s/sessions.toml");
        let mut s = Sessions::load(&path);
        s.sessions.insert("https://a".into(), "alice".into());
        s.save(&path).unwrap();
        assert_eq!(Sessions::load(&path).username("https://a"), Some("alice"));
    }
}
