//! Tokens never leak from `jit`: at the most verbose level (`-vvv`) no command prints one,
//! and a login with no usable keyring leaves no token in any file it could write.

mod cli_support;

use std::path::{Path, PathBuf};

use cli_support::{Jitd, PASSWORD, json, stderr, write};

/// Every command of `jit`, in an order that makes each do real work.
fn every_command(request_id: &str, ids_file: &Path, devices_file: &Path) -> Vec<Vec<String>> {
    let ids = ids_file.display().to_string();
    let devices = devices_file.display().to_string();
    [
        vec!["whoami"],
        vec!["status"],
        vec!["status", "CARD-PC001"],
        vec!["-o", "json", "status"],
        vec!["request", "CARD-PC001", "--reason", "driver", "--ticket", "INC1"],
        vec!["requests"],
        vec!["requests", "--mine"],
        vec!["-o", "csv", "requests", "--mine"],
        vec!["approve", "--all", "--dry-run"],
        vec!["approve", request_id, "--for", "30d"],
        vec!["deny", "--reason", "no", "--from-file", &ids, "--yes"],
        vec!["activate", "CARD-PC001", "--for", "1h"],
        vec!["deactivate", "CARD-PC001"],
        vec!["reimage-fix", "request", "CARD-PC001"],
        vec!["reimage-fix", "list"],
        vec!["reimage-fix", "apply", "--from-file", &devices],
        vec!["reimage-fix", "reject", "CARD-PC002", "--reason", "no"],
        vec!["config", "show"],
        vec!["config", "path"],
        vec!["completions", "bash"],
        vec!["logout"],
    ]
    .into_iter()
    .map(|c| c.into_iter().map(String::from).collect())
    .collect()
}

#[test]
fn no_command_prints_the_token_even_at_the_most_verbose_level() {
    let server = Jitd::start();
    let alice = server.login("alice");
    let out = server
        .jit_with(&alice)
        .args(["-o", "json", "request", "CARD-PC003", "--reason", "driver"])
        .output()
        .unwrap();
    let request_id = json(&out)["request"]["id"].as_str().unwrap().to_string();
    let ids = write(server.dir.path(), "ids.txt", "0b6a7c43-6f36-4a57-9d1e-8d3a4a4f2d10\n");
    let devices = write(server.dir.path(), "devices.txt", "device\nCARD-PC001\n");

    // carol decides and does everything else too: her token is the one that must not show.
    let carol = server.login("carol");
    let mut driven = 0;
    let mut calls = 0;
    for args in every_command(&request_id, &ids, &devices) {
        let out = server.jit_with(&carol).arg("-vvv").args(&args).output().unwrap();
        let (out_text, err_text) = (cli_support::stdout(&out), stderr(&out));
        assert!(!err_text.contains("panicked"), "{args:?}: {err_text}");
        for (what, text) in [("stdout", &out_text), ("stderr", &err_text)] {
            assert!(!text.contains(&carol), "{args:?} printed the token on {what}");
            assert!(!text.contains(&carol[carol.len() - 12..]), "{args:?}: part of the token");
        }
        calls += err_text.matches(" -> ").count();
        driven += 1;
    }
    assert_eq!(driven, 21);
    // The verbose log really was on: it logs each call's status.
    assert!(calls >= 15, "only {calls} calls were logged");

    // login itself: the token it receives is not in its verbose log.
    let out = server
        .jit()
        .args(["-vvv", "login", "--username", "bob", "--password-stdin", "--print-token"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap();
    let token = cli_support::stdout(&out).trim().to_string();
    assert!(token.len() > 20, "{}", stderr(&out));
    assert!(!stderr(&out).contains(&token), "login logged its token");
    assert!(!stderr(&out).contains(PASSWORD), "login logged the password");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

#[test]
fn with_no_usable_keyring_a_login_writes_the_token_nowhere() {
    let server = Jitd::start();
    // A token the same server issues, to learn what one looks like.
    let sample = server.login("bob");
    let prefix: String = sample.chars().take_while(|c| *c != '_').collect();
    assert!(!prefix.is_empty() && prefix.len() < sample.len(), "tokens carry a prefix: {sample}");
    let marker = format!("{prefix}_");

    let root = tempfile::tempdir().unwrap();
    let dirs = ["home", "config", "data", "cache", "state", "runtime", "tmp"];
    for d in dirs {
        std::fs::create_dir(root.path().join(d)).unwrap();
    }
    let home = root.path().join("home");
    // Only the Secret Service, and no session bus: no keyring is usable.
    let config = write(&home, "config.toml", "token_store = \"secret-service\"\n");
    let out = server
        .jit()
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", root.path().join("config"))
        .env("XDG_DATA_HOME", root.path().join("data"))
        .env("XDG_CACHE_HOME", root.path().join("cache"))
        .env("XDG_STATE_HOME", root.path().join("state"))
        .env("XDG_RUNTIME_DIR", root.path().join("runtime"))
        .env("TMPDIR", root.path().join("tmp"))
        .env("JIT_CONFIG", &config)
        .args(["-vvv", "login", "--username", "alice", "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("JIT_TOKEN"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(&marker), "{}", stderr(&out));
    assert_eq!(cli_support::stdout(&out), "");

    let files = walk(root.path());
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&marker), "{} holds a token", file.display());
    }
}
