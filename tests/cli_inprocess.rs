//! The command line run in-process through `jit::cli::run`, as the `jitd demo` does: an
//! in-memory token store, captured output, a closed stdout pipe, and a keyring that fails.

mod cli_support;

use std::io::Write;
use std::sync::Arc;

use cli_support::{Jitd, PASSWORD};
use jit::cli::{Captured, ExitCode, Invocation, run};
use jit::client::Environment;
use jit::client::token::{MemoryTokenStore, TokenStore, TokenStoreError};

struct Outcome {
    code: ExitCode,
    stdout: String,
    stderr: String,
}

fn jit(
    home: &std::path::Path,
    server: &str,
    store: Arc<dyn TokenStore>,
    args: &[&str],
    stdin: &str,
) -> Outcome {
    let env: Environment =
        [("HOME", home.to_str().unwrap()), ("JIT_SERVER", server)].into_iter().collect();
    let (out, err) = (Captured::default(), Captured::default());
    let mut inv = Invocation::new(std::iter::once("jit").chain(args.iter().copied()), env);
    inv.stdin = Box::new(std::io::Cursor::new(stdin.to_string().into_bytes()));
    inv.stdout = Box::new(out.clone());
    inv.stderr = Box::new(err.clone());
    inv.token_store = Some(store);
    let code = run(inv);
    Outcome { code, stdout: out.text(), stderr: err.text() }
}

#[test]
fn login_whoami_logout_with_an_in_memory_token_store() {
    let server = Jitd::start();
    let home = tempfile::tempdir().unwrap();
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let login = jit(
        home.path(),
        &server.url,
        store.clone(),
        &["login", "--username", "carol", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(login.code, ExitCode::SUCCESS, "{}", login.stderr);
    assert!(login.stderr.contains("memory"), "{}", login.stderr);
    assert!(store.get(&server.url, "carol").unwrap().is_some());

    let whoami = jit(home.path(), &server.url, store.clone(), &["-o", "json", "whoami"], "");
    assert_eq!(whoami.code, ExitCode::SUCCESS, "{}", whoami.stderr);
    let user: serde_json::Value = serde_json::from_str(&whoami.stdout).unwrap();
    assert_eq!(user["rp_of"][0], "Cardiology");

    let logout = jit(home.path(), &server.url, store.clone(), &["logout"], "");
    assert_eq!(logout.code, ExitCode::SUCCESS, "{}", logout.stderr);
    assert!(store.get(&server.url, "carol").unwrap().is_none());
    let after = jit(home.path(), &server.url, store, &["whoami"], "");
    assert_eq!(after.code, ExitCode::AUTH, "{}", after.stderr);
}

/// A keyring that is there but refuses everything, like a locked Secret Service.
#[derive(Debug)]
struct BrokenKeyring;

impl TokenStore for BrokenKeyring {
    fn get(&self, _: &str, _: &str) -> Result<Option<String>, TokenStoreError> {
        Err(TokenStoreError::Unavailable { reasons: vec!["locked".into()] })
    }
    fn set(&self, _: &str, _: &str, _: &str) -> Result<String, TokenStoreError> {
        Err(TokenStoreError::Unavailable { reasons: vec!["locked".into()] })
    }
    fn delete(&self, _: &str, _: &str) -> Result<bool, TokenStoreError> {
        Err(TokenStoreError::Unavailable { reasons: vec!["locked".into()] })
    }
}

#[test]
fn with_no_usable_keyring_login_says_so_and_writes_no_token_anywhere() {
    let server = Jitd::start();
    let home = tempfile::tempdir().unwrap();
    let login = jit(
        home.path(),
        &server.url,
        Arc::new(BrokenKeyring),
        &["login", "--username", "alice", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(login.code, ExitCode::GENERAL, "{}", login.stderr);
    assert!(login.stderr.contains("no keyring is usable"), "{}", login.stderr);
    assert!(login.stderr.contains("JIT_TOKEN"), "{}", login.stderr);
    assert_eq!(login.stdout, "");
    // Nothing under HOME holds anything token-like.
    for entry in walk(home.path()) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(!text.contains("jit_"), "{} holds a token: {text}", entry.display());
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

/// A stdout whose reader has gone away, as with `jit ... | head -1`.
struct ClosedPipe;

impl Write for ClosedPipe {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
}

#[test]
fn a_closed_stdout_pipe_ends_quietly() {
    let err = Captured::default();
    let mut inv = Invocation::new(["jit", "completions", "bash"], Environment::default());
    inv.stdout = Box::new(ClosedPipe);
    inv.stderr = Box::new(err.clone());
    assert_eq!(run(inv), ExitCode::SUCCESS);
    assert_eq!(err.text(), "");
}

fn colored(env: &[(&str, &str)], args: &[&str]) -> String {
    let out = Captured::default();
    let mut inv = Invocation::new(args.iter().copied(), env.iter().copied().collect());
    inv.stdout = Box::new(out.clone());
    inv.stdout_is_terminal = true;
    inv.terminal_width = Some(80);
    run(inv);
    out.text()
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path().to_str().unwrap();
    let args = ["jit", "config", "show"];
    assert!(colored(&[("HOME", home)], &args).contains("\x1b["));
    assert!(!colored(&[("HOME", home), ("NO_COLOR", "1")], &args).contains("\x1b["));
    assert!(
        !colored(&[("HOME", home)], &["jit", "--no-color", "config", "show"]).contains("\x1b[")
    );
}
