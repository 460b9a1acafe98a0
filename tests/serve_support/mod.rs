//! Real `jitd serve` processes for the operations tests (TLS, crash safety, shutdown): a small
//! directory imported into a fresh database with the `jitd` command line, then `jitd serve`
//! on a loopback port chosen by the OS, found in its JSON log.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The password of every account in the directory below.
pub const PASSWORD: &str = "ops-test-password-1";

/// Requesters in Cardiology; `carol` is its responsible person, `ada` an admin and IAM.
pub const REQUESTERS: [&str; 3] = ["alice", "bob", "erin"];

/// Devices CARD-PC001 to CARD-PC030.
pub fn device(n: usize) -> String {
    format!("CARD-PC{n:03}")
}

/// A database with the directory imported, and credentials for the agent and the learning
/// system.
pub struct Database {
    pub dir: tempfile::TempDir,
    pub url: String,
    pub agent_token: String,
    pub lms_token: String,
}

impl Database {
    pub fn new() -> Database {
        let dir = tempfile::tempdir().unwrap();
        let sample = dir.path().join("directory");
        std::fs::create_dir_all(&sample).unwrap();
        std::fs::write(sample.join("departments.csv"), "name\nCardiology\nIAM\n").unwrap();
        let mut users =
            "username,display_name,email,department,roles,rp_of,initial_password\n".to_string();
        for (name, roles, rp_of, department) in [
            ("alice", "requester", "", "Cardiology"),
            ("bob", "requester", "", "Cardiology"),
            ("erin", "requester", "", "Cardiology"),
            ("carol", "requester;rp", "Cardiology", "Cardiology"),
            ("ada", "admin;iam", "", "IAM"),
        ] {
            users.push_str(&format!(
                "{name},{name} Test,{name}@hospital.example,{department},{roles},{rp_of},\
                 {PASSWORD}\n"
            ));
        }
        std::fs::write(sample.join("users.csv"), users).unwrap();
        let devices: String = (1..=30).map(|n| format!("{}\n", device(n))).collect();
        std::fs::write(sample.join("devices.csv"), format!("name\n{devices}")).unwrap();

        let url = format!("sqlite://{}?mode=rwc", dir.path().join("jitd.db").display());
        let import = jitd(&url).arg("import").arg(&sample).output().unwrap();
        assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
        let agent_token = credential(&url, "--agent");
        let lms_token = credential(&url, "--learning-system");
        Database { dir, url, agent_token, lms_token }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("jitd.db")
    }

    /// Writes a `jitd` configuration file and answers its path.
    pub fn config(&self, text: &str) -> PathBuf {
        let path = self.dir.path().join("jitd.toml");
        std::fs::write(&path, text).unwrap();
        path
    }
}

/// A new credential made with `jitd token create KIND ops-test`.
fn credential(database: &str, kind: &str) -> String {
    let out = jitd(database).args(["token", "create", kind, "ops-test"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// `jitd` with a cleared environment on `database`.
pub fn jitd(database: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jitd"));
    command.env_clear().env("JITD_DATABASE_URL", database).env("RUST_LOG", "info,sqlx=warn");
    command
}

/// A running `jitd serve`, killed when dropped.
pub struct Served {
    pub child: Child,
    /// `host:port` it listens on.
    pub addr: String,
    /// Its log lines after the "listening" one, read on a thread of their own.
    pub log: std::sync::mpsc::Receiver<String>,
}

impl Served {
    /// Runs `jitd serve` with `args` on `database` and waits until it listens.
    pub fn start(database: &str, args: &[&str]) -> Served {
        let mut child = jitd(database)
            .env("JITD_LOG_FORMAT", "json")
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = loop {
            let Some(Ok(line)) = lines.next() else {
                let status = child.wait().unwrap();
                panic!("jitd serve ended ({status}) before it listened");
            };
            let Ok(event) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
            let fields = &event["fields"];
            if fields["message"].as_str().is_some_and(|m| m.starts_with("jitd listening")) {
                break fields["addr"].as_str().unwrap().to_owned();
            }
        };
        let (send, log) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Served { child, addr, log }
    }

    /// Sends SIGKILL and reaps the process.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let status =
            Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
    }

    /// Waits up to `limit` for the process to end by itself.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = std::time::Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes `text` into `dir/name` and answers the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}
