//! Test support for the `jit` tests: a real `jitd dev-server` on a loopback port with a fresh
//! database and the sample directory, and `jit` commands run hermetically against it (cleared
//! environment, temporary HOME, tokens through JIT_TOKEN).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};

use assert_cmd::Command;
use serde_json::Value;

/// The password of the sample directory's demo accounts (see `sample/README.md`).
pub const PASSWORD: &str = "jit-demo-2026";

/// A running `jitd dev-server`, stopped when dropped.
pub struct Jitd {
    child: Child,
    pub url: String,
    pub agent_token: String,
    pub lms_token: String,
    pub dir: tempfile::TempDir,
}

impl Jitd {
    /// Starts a server on a fresh database with the sample directory (`sample/`), its clock
    /// at 2026-12-01 09:00 UTC. Its demo accounts include requesters alice and bob, their
    /// responsible person carol (Cardiology) and the IAM analyst ivan.
    pub fn start() -> Jitd {
        Jitd::start_with_config("")
    }

    /// Like [`Jitd::start`], with a `jitd` configuration file holding `config` (TOML).
    pub fn start_with_config(config: &str) -> Jitd {
        Jitd::start_at(config, "2026-12-01T09:00:00Z")
    }

    /// Like [`Jitd::start_with_config`], with the server's clock starting at `start`.
    pub fn start_at(config: &str, start: &str) -> Jitd {
        let dir = tempfile::tempdir().unwrap();
        let config_file = write(dir.path(), "jitd.toml", config);
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
        let db = format!("sqlite://{}?mode=rwc", dir.path().join("jit.db").display());
        let mut child = StdCommand::new(env!("CARGO_BIN_EXE_jitd"))
            .env_clear()
            .env("HOME", dir.path())
            .env("RUST_LOG", "warn")
            .arg("--config")
            .arg(&config_file)
            .args(["--database", &db, "dev-server", "--listen", "127.0.0.1:0"])
            .arg("--sample")
            .arg(&sample)
            .args(["--start-time", start])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("jitd starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let ready: Value = serde_json::from_str(&line).unwrap_or_else(|e| {
            panic!("jitd dev-server did not print its address ({e}): {line:?}")
        });
        Jitd {
            child,
            url: ready["url"].as_str().unwrap().to_string(),
            agent_token: ready["agent_token"].as_str().unwrap().to_string(),
            lms_token: ready["learning_system_token"].as_str().unwrap().to_string(),
            dir,
        }
    }

    /// `jit` with a cleared environment, a temporary HOME and this server.
    pub fn jit(&self) -> Command {
        let mut cmd = hermetic_jit(self.dir.path());
        cmd.env("JIT_SERVER", &self.url);
        cmd
    }

    /// `jit` signed in with a token.
    pub fn jit_with(&self, token: &str) -> Command {
        let mut cmd = self.jit();
        cmd.env("JIT_TOKEN", token);
        cmd
    }

    /// Logs `user` in through `jit login --print-token` and answers the token.
    pub fn login(&self, user: &str) -> String {
        let out = self
            .jit()
            .args(["login", "--username", user, "--password-stdin", "--print-token"])
            .write_stdin(format!("{PASSWORD}\n"))
            .output()
            .unwrap();
        assert!(out.status.success(), "login {user}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// A raw API call, as the agent, the learning system or the test clock make them.
    pub fn call(&self, path: &str, token: Option<&str>, body: Value) -> Value {
        let url = format!("{}/api/v1{path}", self.url);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let mut req = reqwest::Client::new().post(&url).json(&body);
            if let Some(token) = token {
                req = req.bearer_auth(token);
            }
            let resp = req.send().await.unwrap();
            let status = resp.status();
            let text = resp.text().await.unwrap();
            assert!(status.is_success(), "POST {path}: {status} {text}");
            serde_json::from_str(&text).unwrap_or(Value::Null)
        })
    }

    /// The device's endpoint agent checks in (binding, picking up grants, or reimaged).
    pub fn check_in(&self, device: &str, agent_id: &str) -> Value {
        let body = serde_json::json!({ "device": device, "agent_id": agent_id });
        self.call("/agent/check-in", Some(&self.agent_token.clone()), body)
    }

    /// The learning system reports a completed course.
    pub fn complete_training(&self, user: &str, good_through: &str) {
        let body = serde_json::json!({ "items": [
            { "username": user, "completed_on": "2026-12-01", "good_through": good_through }
        ]});
        self.call("/training/completions", Some(&self.lms_token.clone()), body);
    }

    /// A raw GET, to read the server's state behind the command line's back.
    pub fn get(&self, path: &str, token: &str) -> Value {
        let url = format!("{}/api/v1{path}", self.url);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let resp = reqwest::Client::new().get(&url).bearer_auth(token).send().await.unwrap();
            let status = resp.status();
            let text = resp.text().await.unwrap();
            assert!(status.is_success(), "GET {path}: {status} {text}");
            serde_json::from_str(&text).unwrap()
        })
    }

    /// Moves the server's clock forward.
    pub fn advance(&self, seconds: i64) {
        self.call("/_test/clock", None, serde_json::json!({ "advance_seconds": seconds }));
    }
}

impl Drop for Jitd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `jit` with nothing from the test's environment: HOME in `home`, no terminal.
pub fn hermetic_jit(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jit"));
    cmd.env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TZ", "UTC")
        .timeout(std::time::Duration::from_secs(60));
    cmd
}

/// Parses a command's stdout as JSON.
pub fn json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes a file in `dir` and answers its path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A test that cannot run here says so and passes, except under CI (`CI` set), where a
/// missing tool fails the test: CI must never pass by skipping.
pub fn skip_or_fail(why: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("CI is set, so this test may not be skipped: {why}");
    }
    eprintln!("SKIPPED: {why}");
}

/// Files requests for alice and bob and answers the server, carol's token and the two ids.
pub fn two_pending() -> (Jitd, String, Vec<String>) {
    let server = Jitd::start();
    let (alice, bob, carol) = (server.login("alice"), server.login("bob"), server.login("carol"));
    let mut ids = Vec::new();
    for (token, device) in [(&alice, "CARD-PC003"), (&bob, "CARD-PC004")] {
        let out = server
            .jit_with(token)
            .args(["-o", "json", "request", device, "--reason", "vendor update"])
            .output()
            .unwrap();
        ids.push(json(&out)["request"]["id"].as_str().unwrap().to_string());
    }
    (server, carol, ids)
}

/// How many requests await carol's decision, by the server's own record.
pub fn pending_count(server: &Jitd, carol: &str) -> usize {
    let page = server.get("/requests?awaiting_decision=true&state=pending", carol);
    page["items"].as_array().unwrap().len()
}
