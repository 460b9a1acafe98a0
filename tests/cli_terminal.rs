//! Prompts in a real pseudo-terminal (through `script`): Ctrl-C restores the cursor, sends
//! nothing to the server, and exits with 130.

mod cli_support;

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs `jit ARGS` on a pseudo-terminal, types Ctrl-C after a second, and answers the exit
/// code and what the terminal showed; `None` when `script` is not available.
fn ctrl_c_in_prompt(server: &str, args: &str) -> Option<(i32, String)> {
    let home = tempfile::tempdir().unwrap();
    let jit = env!("CARGO_BIN_EXE_jit");
    let typing = "sleep 1; printf '\\003'; sleep 1";
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("({typing}) | script -qec '{jit} {args}' /dev/null"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("TERM", "xterm")
        .env("JIT_SERVER", server)
        .env("JIT_TOKEN", "t")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    if shown.contains("script: not found") || out.status.code().is_none_or(|c| c == 127) {
        return None;
    }
    Some((out.status.code().unwrap(), shown))
}

/// A server address that records whether anything connected.
fn silent_server() -> (String, TcpListener) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    (format!("http://{}", listener.local_addr().unwrap()), listener)
}

fn assert_nothing_sent(listener: &TcpListener) {
    std::thread::sleep(Duration::from_millis(100));
    assert!(listener.accept().is_err(), "jit connected to the server after Ctrl-C");
}

#[test]
fn ctrl_c_in_the_reason_prompt_sends_nothing_and_exits_130() {
    let (url, listener) = silent_server();
    let Some((code, shown)) = ctrl_c_in_prompt(&url, "request CARD-PC001") else {
        eprintln!("SKIPPED: `script` (util-linux) is not available");
        return;
    };
    assert_eq!(code, 130, "{shown}");
    assert!(shown.contains("Reason"), "{shown}");
    assert!(shown.contains("\x1b[?25h"), "the cursor was not shown again: {shown:?}");
    assert_nothing_sent(&listener);
}

#[test]
fn ctrl_c_in_the_password_prompt_sends_nothing_and_exits_130() {
    let (url, listener) = silent_server();
    let Some((code, shown)) = ctrl_c_in_prompt(&url, "login --username alice") else {
        eprintln!("SKIPPED: `script` (util-linux) is not available");
        return;
    };
    assert_eq!(code, 130, "{shown}");
    assert!(shown.contains("Password"), "{shown}");
    assert_nothing_sent(&listener);
}
