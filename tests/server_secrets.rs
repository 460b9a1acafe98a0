//! Tokens and passwords appear nowhere they could leak from: not in the most verbose log of
//! a real `jitd` process, not in any response (but the one that issues a token), not in any
//! byte of the database. And the failed-login limit holds when guesses arrive together.
//!
//! That expired, revoked and wrong-scope tokens are refused on every route is proven by the
//! authorization matrix (tests/server_matrix.rs), whose callers include all three.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use common::{DEMO_PASSWORD, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A `jitd dev-server` process logging at `trace`, its stderr kept for the scan.
struct Jitd {
    child: Child,
    /// Drains stderr as the server writes it, so a full pipe never stalls the server.
    log: std::thread::JoinHandle<String>,
    url: String,
    agent_token: String,
    learning_system_token: String,
    _dir: tempfile::TempDir,
    database: std::path::PathBuf,
}

impl Jitd {
    fn start() -> Jitd {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("jitd.db");
        let mut child = Command::new(env!("CARGO_BIN_EXE_jitd"))
            .args(["dev-server", "--listen", "127.0.0.1:0", "--start-time", common::START])
            .arg("--sample")
            .arg(common::sample_dir())
            .arg("--database")
            .arg(format!("sqlite://{}", database.display()))
            .env("RUST_LOG", "trace")
            .env_remove("JITD_CONFIG")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let log = std::thread::spawn(move || {
            let mut log = String::new();
            stderr.read_to_string(&mut log).unwrap();
            log
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let ready: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        Jitd {
            child,
            log,
            url: ready["url"].as_str().unwrap().to_owned(),
            agent_token: ready["agent_token"].as_str().unwrap().to_owned(),
            learning_system_token: ready["learning_system_token"].as_str().unwrap().to_owned(),
            _dir: dir,
            database,
        }
    }

    /// Stops the process and returns everything it logged.
    fn stop(self) -> (String, Vec<u8>) {
        let mut child = self.child;
        child.kill().unwrap();
        child.wait().unwrap();
        let log = self.log.join().unwrap();
        let mut database = Vec::new();
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let path = format!("{}{suffix}", self.database.display());
            database.extend(std::fs::read(path).unwrap_or_default());
        }
        (log, database)
    }
}

/// Every response of the lifecycle: headers and body as text, and the token it issued.
#[derive(Default)]
struct Transcript {
    http: reqwest::Client,
    base: String,
    responses: Vec<(String, String)>,
    tokens: Vec<String>,
}

impl Transcript {
    async fn call(&mut self, method: Method, path: &str, token: &str, body: Value) -> Value {
        let mut request = self.http.request(method.clone(), format!("{}/api/v1{path}", self.base));
        if !token.is_empty() {
            request = request.bearer_auth(token);
        }
        let response = request.json(&body).send().await.unwrap();
        let status = response.status();
        let headers = format!("{:?}", response.headers());
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let issued = value["token"].as_str().map(str::to_owned);
        let label = format!("{method} {path}");
        // A response that issues a token must carry it, once: blank exactly that out.
        let text = match &issued {
            Some(secret) => {
                self.tokens.push(secret.clone());
                text.replacen(secret.as_str(), "<issued>", 1)
            }
            None => text,
        };
        self.responses.push((label, format!("{headers}\n{text}")));
        value
    }

    async fn login(&mut self, username: &str) -> String {
        let body = json!({ "username": username, "password": DEMO_PASSWORD });
        let value = self.call(Method::POST, "/auth/login", "", body).await;
        value["token"].as_str().unwrap().to_owned()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_token_or_password_appears_in_logs_responses_or_the_database() {
    let jitd = Jitd::start();
    let mut t = Transcript { base: jitd.url.clone(), ..Transcript::default() };
    let (agent, lms) = (jitd.agent_token.clone(), jitd.learning_system_token.clone());
    let post = Method::POST;

    let alice = t.login("alice").await;
    let carol = t.login("carol").await;
    let ivan = t.login("ivan").await;
    let body = json!({ "name": "script", "scopes": ["read", "requests"], "expires_in_days": 7 });
    let script = t.call(post.clone(), "/tokens", &alice, body).await["token"].to_string();
    let script = script.trim_matches('"').to_owned();
    let body = json!({ "device": "CARD-PC004", "reason": "install a driver" });
    let request = t.call(post.clone(), "/requests", &script, body).await;
    let id = request["request"]["id"].as_str().unwrap().to_owned();
    t.call(Method::GET, "/requests?awaiting_decision=true", &carol, json!(null)).await;
    t.call(post.clone(), &format!("/requests/{id}/approve"), &carol, json!({})).await;
    let completion = json!({ "items": [{ "username": "alice", "completed_on": "2026-03-02",
        "good_through": "2027-03-01" }] });
    t.call(post.clone(), "/training/completions", &lms, completion).await;
    let check_in = json!({ "device": "CARD-PC004", "agent_id": "agent-4" });
    t.call(post.clone(), "/agent/check-in", &agent, check_in.clone()).await;
    let activation =
        t.call(post.clone(), "/activations", &alice, json!({ "device": "CARD-PC004" })).await;
    t.call(post.clone(), "/agent/check-in", &agent, check_in).await;
    t.call(Method::GET, "/status", &alice, json!(null)).await;
    let deactivate =
        format!("/activations/{}/deactivate", activation["activation"]["id"].as_str().unwrap());
    t.call(post.clone(), &deactivate, &alice, json!({})).await;
    let reimaged = json!({ "device": "CARD-PC004", "agent_id": "agent-4-reimaged" });
    t.call(post.clone(), "/agent/check-in", &agent, reimaged).await;
    let fix = json!({ "devices": ["CARD-PC004"] });
    t.call(post.clone(), "/reimage-fixes", &alice, fix.clone()).await;
    t.call(post.clone(), "/reimage-fixes/apply", &ivan, fix).await;
    t.call(Method::GET, "/audit?limit=1000", &ivan, json!(null)).await;
    t.call(post.clone(), "/auth/logout", &alice, json!({})).await;

    let (log, database) = jitd.stop();
    let mut secrets = t.tokens.clone();
    secrets.extend([agent, lms, DEMO_PASSWORD.to_owned()]);
    assert!(log.lines().count() > 20, "the trace log is nearly empty:\n{log}");
    let mut leaks = Vec::new();
    for secret in &secrets {
        for (number, line) in log.lines().enumerate() {
            if line.contains(secret.as_str()) {
                leaks.push(format!("log line {}: {line}", number + 1));
            }
        }
        for (label, response) in &t.responses {
            if response.contains(secret.as_str()) {
                leaks.push(format!("response to {label}: {response}"));
            }
        }
        if contains(&database, secret.as_bytes()) {
            leaks.push(format!("the database files hold a secret starting {}", &secret[..8]));
        }
    }
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));

    // What is stored instead: the SHA-256 of each token and an argon2id hash per password.
    for token in &t.tokens {
        let hash = jit::server::auth::hash_secret(token);
        assert!(contains(&database, hash.as_bytes()), "no hash stored for a token");
    }
    assert!(contains(&database, b"$argon2id$"), "passwords are not argon2id hashes");
    eprintln!(
        "secrets: {} secrets against {} log lines, {} responses, {} database bytes: none found",
        secrets.len(),
        log.lines().count(),
        t.responses.len(),
        database.len()
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_failed_login_limit_holds_under_a_burst_of_guesses() {
    let server = TestServer::start();
    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..40 {
        let request = server
            .http
            .post(server.api("/auth/login"))
            .json(&json!({ "username": "bob", "password": format!("guess-{n}") }));
        guesses.spawn(async move { request.send().await.unwrap().status() });
    }
    let statuses = guesses.join_all().await;
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let limited = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(checked, 5, "passwords checked in a burst of 40: {statuses:?}");
    assert_eq!(limited, 35);

    // Locked out now, even with the right password.
    let body = json!({ "username": "bob", "password": DEMO_PASSWORD });
    let (status, problem) = server.call(Method::POST, "/auth/login", None, Some(body)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{problem}");
    assert!(problem["retry_after_seconds"].as_u64().unwrap() > 0);
    server.login("alice").await;
}
