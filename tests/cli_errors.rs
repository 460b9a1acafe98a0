//! How `jit` fails: usage errors without a terminal, sessions that expired, servers that are
//! down or never answer or are not jitd, bad batch files and config files. Each with its
//! documented exit code and a message that says what to do.

mod cli_support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use cli_support::{Jitd, hermetic_jit, stderr, write};
use predicates::prelude::*;

#[test]
fn help_lists_the_exit_codes_and_works_without_a_server() {
    let home = tempfile::tempdir().unwrap();
    hermetic_jit(home.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:").and(predicate::str::contains("130")));
    hermetic_jit(home.path()).arg("--version").assert().success();
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    hermetic_jit(home.path()).args(["status", "--frobnicate"]).assert().code(2);
}

#[test]
fn without_a_terminal_a_missing_answer_names_the_flag_instead_of_prompting() {
    let home = tempfile::tempdir().unwrap();
    let jit = || {
        let mut cmd = hermetic_jit(home.path());
        cmd.env("JIT_SERVER", "http://127.0.0.1:9").env("JIT_TOKEN", "t");
        cmd
    };
    jit()
        .args(["request", "CARD-PC001"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--reason"));
    jit()
        .args(["login", "--username", "alice"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--password-stdin"));
    jit().args(["login"]).assert().code(2).stderr(predicate::str::contains("--username"));
    jit().args(["approve"]).assert().code(2).stderr(predicate::str::contains("--from-file"));
    jit()
        .args(["deny", "00000000-0000-4000-8000-000000000000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--reason"));
}

#[test]
fn no_server_configured_says_how_to_set_one() {
    let home = tempfile::tempdir().unwrap();
    hermetic_jit(home.path())
        .arg("status")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("JIT_SERVER"));
}

#[test]
fn not_logged_in_exits_with_the_auth_code() {
    let server = Jitd::start();
    server.jit().arg("status").assert().code(3).stderr(predicate::str::contains("jit login"));
}

#[test]
fn an_expired_session_says_to_log_in_again() {
    let server = Jitd::start();
    let token = server.login("alice");
    server.advance(400 * 24 * 3600);
    let out = server.jit_with(&token).arg("whoami").output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("session expired: run `jit login`"), "{}", stderr(&out));
    // login still works.
    server.login("alice");
}

#[test]
fn a_revoked_token_says_to_log_in_again() {
    let server = Jitd::start();
    let token = server.login("alice");
    server
        .jit_with(&token)
        .arg("logout")
        .assert()
        .success()
        .stderr(predicate::str::contains("Revoked the token in JIT_TOKEN"));
    server
        .jit_with(&token)
        .arg("status")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("session expired: run `jit login`"));
}

#[test]
fn verbose_output_shows_calls_but_never_the_token() {
    let server = Jitd::start();
    let token = server.login("alice");
    let out = server.jit_with(&token).args(["-vv", "whoami"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("GET "), "{}", stderr(&out));
    let all = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
    assert!(!all.contains(&token));
}

#[test]
fn a_server_that_is_down_is_unreachable() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let home = tempfile::tempdir().unwrap();
    hermetic_jit(home.path())
        .env("JIT_SERVER", format!("http://127.0.0.1:{port}"))
        .env("JIT_TOKEN", "t")
        .arg("status")
        .assert()
        .code(7)
        .stderr(predicate::str::contains("cannot reach the jitd server"));
}

#[test]
fn a_server_that_accepts_and_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // Accept connections and hold them open without a word.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let home = tempfile::tempdir().unwrap();
    let started = Instant::now();
    hermetic_jit(home.path())
        .env("JIT_SERVER", url)
        .env("JIT_TOKEN", "t")
        .args(["--timeout", "1s", "status"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("did not answer within 1s"));
    assert!(started.elapsed() < Duration::from_secs(15), "{:?}", started.elapsed());
}

/// A one-shot HTTP server that answers every connection with `response`.
fn canned(response: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(response.as_bytes());
        }
    });
    url
}

#[test]
fn an_html_page_from_a_proxy_is_explained() {
    let url = canned(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: 20\r\n\
         Connection: close\r\n\r\n<html>denied</html>\n",
    );
    let home = tempfile::tempdir().unwrap();
    hermetic_jit(home.path())
        .env("JIT_SERVER", url)
        .env("JIT_TOKEN", "t")
        .arg("status")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("proxy"));
}

#[test]
fn malformed_json_is_a_general_error_not_a_panic() {
    let url = canned(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\
         Connection: close\r\n\r\n{\"users\":",
    );
    let home = tempfile::tempdir().unwrap();
    hermetic_jit(home.path())
        .env("JIT_SERVER", url)
        .env("JIT_TOKEN", "t")
        .arg("whoami")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Error:").and(predicate::str::contains("panicked").not()));
}

#[test]
fn a_bad_batch_file_is_refused_with_its_line_before_anything_is_sent() {
    let home = tempfile::tempdir().unwrap();
    let file = write(
        home.path(),
        "decisions.csv",
        "id,decision,note\n00000000-0000-4000-8000-000000000000,approve,x\n",
    );
    hermetic_jit(home.path())
        .env("JIT_SERVER", "http://127.0.0.1:9")
        .env("JIT_TOKEN", "t")
        .args(["approve", "--yes", "--from-file"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 1").and(predicate::str::contains("note")));
}

#[test]
fn a_config_file_with_an_unknown_key_names_the_key_and_line() {
    let home = tempfile::tempdir().unwrap();
    let config = write(home.path(), "config.toml", "server = \"http://x\"\ntiemout = 5\n");
    hermetic_jit(home.path())
        .env("JIT_CONFIG", &config)
        .arg("status")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line 2").and(predicate::str::contains("tiemout")));
    // `config path` still works, to find the file.
    hermetic_jit(home.path())
        .env("JIT_CONFIG", &config)
        .args(["config", "path"])
        .assert()
        .success()
        .stdout(predicate::str::contains("config.toml"));
}

#[test]
fn config_set_then_show_reports_each_source() {
    let home = tempfile::tempdir().unwrap();
    hermetic_jit(home.path())
        .args(["config", "set", "server", "https://jit.example.org"])
        .assert()
        .success();
    hermetic_jit(home.path())
        .args(["--profile", "test", "config", "set", "server", "https://jit-test.example.org"])
        .assert()
        .success();
    let out = hermetic_jit(home.path())
        .args(["-o", "json", "--profile", "test", "config", "show"])
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["server"]["value"], "https://jit-test.example.org");
    assert_eq!(shown["server"]["source"], "config");
    let out = hermetic_jit(home.path())
        .env("JIT_SERVER", "https://env.example.org")
        .args(["-o", "json", "config", "show"])
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["server"]["source"], "env JIT_SERVER");
    let out = hermetic_jit(home.path())
        .env("JIT_SERVER", "https://env.example.org")
        .args(["-o", "json", "--server", "https://flag.example.org", "config", "show"])
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["server"]["value"], "https://flag.example.org");
    assert_eq!(shown["server"]["source"], "flag");
    hermetic_jit(home.path())
        .args(["config", "set", "colour", "true"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("colour"));
}

#[test]
fn completions_are_generated() {
    let home = tempfile::tempdir().unwrap();
    hermetic_jit(home.path())
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("reimage-fix"));
}
