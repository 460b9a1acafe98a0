//! `jit` and the terminal. In a real pseudo-terminal (through `script`): Ctrl-C in each prompt
//! shows the cursor again, sends nothing to the server and exits with 130, and a terminal that
//! reports a width of 0 still gets its table. Without a terminal (stdin from /dev/null or a
//! pipe): every command that would ask fails at once naming the flag, exit 2, nothing sent.

mod cli_support;

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Duration;

use cli_support::{pending_count, skip_or_fail, two_pending, write};

/// Runs `sh -c SHELL` on a pseudo-terminal, typing `keys` (printf syntax) after `wait`
/// seconds, and answers the exit code and everything the terminal showed; `None` (after
/// [`skip_or_fail`]) when `script` is not available.
fn on_pty(shell: &str, env: &[(&str, &str)], wait: u32, keys: &str) -> Option<(i32, String)> {
    let home = tempfile::tempdir().unwrap();
    let typing = format!("sleep {wait}; printf '{keys}'; sleep 1");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("({typing}) | script -qec \"$JIT_SHELL\" /dev/null"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("TERM", "xterm")
        .env("TZ", "UTC")
        .env("JIT_SHELL", shell)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    if shown.contains("script: not found") || out.status.code().is_none_or(|c| c == 127) {
        skip_or_fail("`script` (util-linux) is not available");
        return None;
    }
    Some((out.status.code().unwrap(), shown))
}

/// `jit ARGS` on a pseudo-terminal with Ctrl-C typed after `wait` seconds.
fn ctrl_c_in_prompt(env: &[(&str, &str)], args: &str, wait: u32) -> Option<(i32, String)> {
    on_pty(&format!("{} {args}", env!("CARGO_BIN_EXE_jit")), env, wait, "\\003")
}

/// The cursor is visible at the end: every hide (`ESC[?25l`) is followed by a show.
fn assert_cursor_shown(shown: &str) {
    if let Some(hidden) = shown.rfind("\x1b[?25l") {
        assert!(shown[hidden..].contains("\x1b[?25h"), "the cursor was left hidden: {shown:?}");
    }
}

/// A server address that records whether anything connected.
fn silent_server() -> (String, TcpListener) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    (format!("http://{}", listener.local_addr().unwrap()), listener)
}

fn assert_nothing_sent(listener: &TcpListener) {
    std::thread::sleep(Duration::from_millis(100));
    assert!(listener.accept().is_err(), "jit connected to the server");
}

#[test]
fn ctrl_c_in_the_reason_prompt_sends_nothing_and_exits_130() {
    let (url, listener) = silent_server();
    let env = [("JIT_SERVER", url.as_str()), ("JIT_TOKEN", "t")];
    let Some((code, shown)) = ctrl_c_in_prompt(&env, "request CARD-PC001", 1) else { return };
    assert_eq!(code, 130, "{shown}");
    assert!(shown.contains("Reason"), "{shown}");
    assert!(shown.contains("\x1b[?25h"), "the cursor was not shown again: {shown:?}");
    assert_nothing_sent(&listener);
}

#[test]
fn ctrl_c_in_the_password_prompt_sends_nothing_and_exits_130() {
    let (url, listener) = silent_server();
    let env = [("JIT_SERVER", url.as_str()), ("JIT_TOKEN", "t")];
    let Some((code, shown)) = ctrl_c_in_prompt(&env, "login --username alice", 1) else { return };
    assert_eq!(code, 130, "{shown}");
    assert!(shown.contains("Password"), "{shown}");
    assert_nothing_sent(&listener);
}

#[test]
fn ctrl_c_in_the_multi_select_decides_nothing_and_exits_130() {
    let (server, carol, _) = two_pending();
    let env = [("JIT_SERVER", server.url.as_str()), ("JIT_TOKEN", carol.as_str())];
    // Space selects the first request before the interrupt: a selection is not a decision.
    let jit = env!("CARGO_BIN_EXE_jit");
    let Some((code, shown)) = on_pty(&format!("{jit} approve"), &env, 2, " \\003") else {
        return;
    };
    assert_eq!(code, 130, "{shown}");
    assert!(shown.contains("Requests to approve"), "{shown}");
    assert!(shown.contains("CARD-PC003"), "{shown}");
    assert_cursor_shown(&shown);
    assert_eq!(pending_count(&server, &carol), 2, "a request was decided");
}

#[test]
fn ctrl_c_in_the_confirmation_sends_nothing_and_exits_130() {
    let (url, listener) = silent_server();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "ids.txt", "0b6a7c43-6f36-4a57-9d1e-8d3a4a4f2d10\n");
    let env = [("JIT_SERVER", url.as_str()), ("JIT_TOKEN", "t")];
    let args = format!("deny --reason no --from-file {}", file.display());
    let Some((code, shown)) = ctrl_c_in_prompt(&env, &args, 1) else { return };
    assert_eq!(code, 130, "{shown}");
    assert!(shown.contains("Deny 1 request?"), "{shown}");
    assert_cursor_shown(&shown);
    assert_nothing_sent(&listener);
}

#[test]
fn a_terminal_that_reports_a_width_of_zero_still_gets_the_whole_table() {
    let (server, carol, ids) = two_pending();
    let env = [("JIT_SERVER", server.url.as_str()), ("JIT_TOKEN", carol.as_str())];
    let shell = format!("stty cols 0 rows 0; {} requests", env!("CARGO_BIN_EXE_jit"));
    let Some((code, shown)) = on_pty(&shell, &env, 0, "") else { return };
    assert_eq!(code, 0, "{shown}");
    assert!(!shown.contains("panicked"), "{shown}");
    for id in &ids {
        assert!(shown.contains(id.as_str()), "a row is missing or cut: {shown}");
    }
}

/// `jit` as `hermetic_jit` runs it, as a plain process whose stdin the test chooses.
fn std_jit(home: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jit"));
    cmd.env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TZ", "UTC");
    cmd
}

/// How stdin is not a terminal.
#[derive(Debug, Clone, Copy)]
enum NoTerminal {
    DevNull,
    EmptyPipe,
}

#[test]
fn without_a_terminal_every_question_is_a_usage_error_naming_its_flag_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "ids.txt", "0b6a7c43-6f36-4a57-9d1e-8d3a4a4f2d10\n");
    let file = file.display().to_string();
    let id = "0b6a7c43-6f36-4a57-9d1e-8d3a4a4f2d10";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["login"], "--username"),
        (vec!["login", "--username", "alice"], "--password-stdin"),
        (vec!["request", "CARD-PC001"], "--reason"),
        (vec!["approve"], "--from-file"),
        (vec!["deny", "--reason", "no"], "--from-file"),
        (vec!["deny", id], "--reason"),
        (vec!["approve", "--from-file", &file], "--yes"),
        (vec!["deny", "--reason", "no", "--from-file", &file], "--yes"),
    ];
    for how in [NoTerminal::DevNull, NoTerminal::EmptyPipe] {
        for (args, flag) in &cases {
            let (url, listener) = silent_server();
            let mut cmd = std_jit(dir.path());
            cmd.env("JIT_SERVER", &url).env("JIT_TOKEN", "t").args(args);
            cmd.stdin(match how {
                NoTerminal::DevNull => Stdio::null(),
                NoTerminal::EmptyPipe => Stdio::piped(),
            });
            let started = std::time::Instant::now();
            // A piped stdin stays open and empty: jit must not wait for it.
            let out = cmd.output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{how:?} {args:?}: {err}");
            assert!(err.contains(flag), "{how:?} {args:?} does not name {flag}: {err}");
            assert!(started.elapsed() < Duration::from_secs(5), "{how:?} {args:?} waited");
            assert_nothing_sent(&listener);
        }
    }
}

#[test]
fn without_a_terminal_approve_all_needs_yes_and_decides_nothing() {
    let (server, carol, _) = two_pending();
    for stdin in [Stdio::null(), Stdio::piped()] {
        let mut cmd = std_jit(server.dir.path());
        cmd.env("JIT_SERVER", &server.url).env("JIT_TOKEN", &carol);
        let out = cmd.args(["approve", "--all"]).stdin(stdin).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", cli_support::stderr(&out));
        assert!(cli_support::stderr(&out).contains("--yes"), "{}", cli_support::stderr(&out));
    }
    assert_eq!(pending_count(&server, &carol), 2);
}
