//! `jitd dev-server` as a real process: it prints where it listens, and logs one line per
//! request with its id, and never a secret.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

#[tokio::test(flavor = "multi_thread")]
async fn each_request_is_one_log_line_with_its_id_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jitd"))
        .env_clear()
        .env("JITD_DATABASE_URL", format!("sqlite://{}", dir.path().join("db").display()))
        .args(["dev-server", "--start-time", common::START, "--sample"])
        .arg(common::sample_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
    let ready: serde_json::Value = serde_json::from_str(&first_line).unwrap();
    let url = ready["url"].as_str().unwrap();

    let http = reqwest::Client::new();
    let login = serde_json::json!({ "username": "alice", "password": common::DEMO_PASSWORD });
    let response = http.post(format!("{url}/api/v1/auth/login")).json(&login).send().await;
    let response = response.unwrap();
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let token: serde_json::Value = response.json().await.unwrap();
    let token = token["token"].as_str().unwrap().to_owned();
    let me = http.get(format!("{url}/api/v1/me?x=1")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(me.status(), 200);

    child.kill().unwrap();
    let mut logs = String::new();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    child.wait().unwrap();

    let line = logs.lines().find(|l| l.contains(&request_id)).expect("a line for the login");
    for field in ["method=POST", "path=\"/api/v1/auth/login\"", "status=200", "duration_ms="] {
        assert!(line.contains(field), "{field} missing from {line}");
    }
    assert_eq!(logs.lines().filter(|l| l.contains("path=\"/api/v1/me\"")).count(), 1);
    assert!(!logs.contains(&token), "the log shows a token");
    assert!(!logs.contains(common::DEMO_PASSWORD), "the log shows a password");
    assert!(!logs.contains("$argon2"), "the log shows a password hash");
    assert!(!logs.contains('\u{1b}'), "colour codes in a log that is not a terminal");
}
