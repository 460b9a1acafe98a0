//! The network rules against a scripted HTTP server: which calls are retried (GETs, and POSTs
//! carrying an idempotency key, which is reused), `Retry-After`, and proxies from the
//! environment in either case with `NO_PROXY`.

mod cli_support;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use cli_support::{hermetic_jit, stderr};

/// One request as the scripted server saw it.
#[derive(Debug, Clone)]
struct Seen {
    request_line: String,
    headers: Vec<(String, String)>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A server answering each connection with the next scripted response.
struct Scripted {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

fn response(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
}

fn problem(status: u16, code: &str) -> String {
    serde_json::json!({
        "type": format!("urn:jit:error:{code}"),
        "title": "t",
        "status": status,
        "detail": format!("scripted {code}"),
        "code": code,
    })
    .to_string()
}

impl Scripted {
    fn start(responses: Vec<String>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let mut queue: VecDeque<String> = responses.into();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                reader.read_line(&mut request_line).unwrap();
                let mut headers = Vec::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    let (k, v) = line.split_once(':').unwrap();
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap();
                    }
                    headers.push((k.to_string(), v.trim().to_string()));
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                log.lock()
                    .unwrap()
                    .push(Seen { request_line: request_line.trim().into(), headers });
                let answer = queue.pop_front().unwrap_or_else(|| response("500 Oops", "{}"));
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        Scripted { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

const USER: &str = r#"{
    "username": "alice", "display_name": "Alice Martin", "email": "a@h.example",
    "department": "Cardiology", "roles": ["requester"], "rp_of": []
}"#;

const CREATED: &str = r#"{"existing": false, "request": {
    "id": "d0ce131f-7431-4eae-b6cd-24a7ace59773", "requester": "alice",
    "requester_display_name": "Alice Martin", "department": "Cardiology",
    "device": "CARD-PC001", "reason": "r", "ticket": null, "state": "pending",
    "created_at": "2026-12-01T09:00:00Z", "decided_by": null, "decided_at": null,
    "decision_reason": null, "approval_expires_at": null, "lapses_at": null
}}"#;

#[test]
fn a_creating_post_is_retried_with_the_same_idempotency_key() {
    let server = Scripted::start(vec![
        response("503 Service Unavailable", &problem(503, "unavailable")),
        response("200 OK", CREATED),
    ]);
    let home = tempfile::tempdir().unwrap();
    let out = hermetic_jit(home.path())
        .env("JIT_SERVER", &server.url)
        .env("JIT_TOKEN", "t")
        .args(["request", "CARD-PC001", "--reason", "r"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let key = seen[0].header("idempotency-key").expect("an idempotency key");
    assert_eq!(seen[1].header("idempotency-key"), Some(key));
}

#[test]
fn a_post_without_an_idempotency_key_is_never_retried() {
    let server =
        Scripted::start(vec![response("503 Service Unavailable", &problem(503, "unavailable"))]);
    let home = tempfile::tempdir().unwrap();
    hermetic_jit(home.path())
        .env("JIT_SERVER", &server.url)
        .args(["login", "--username", "alice", "--password-stdin", "--print-token"])
        .write_stdin("pw\n")
        .assert()
        .code(7);
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn a_get_waits_for_retry_after_on_429() {
    let limited = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n\
                   Retry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        .to_string();
    let server = Scripted::start(vec![limited, response("200 OK", USER)]);
    let home = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    hermetic_jit(home.path())
        .env("JIT_SERVER", &server.url)
        .env("JIT_TOKEN", "t")
        .arg("whoami")
        .assert()
        .success();
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    assert_eq!(server.seen().len(), 2);
}

#[test]
fn the_token_travels_only_in_the_authorization_header() {
    let server = Scripted::start(vec![response("200 OK", USER)]);
    let home = tempfile::tempdir().unwrap();
    hermetic_jit(home.path())
        .env("JIT_SERVER", &server.url)
        .env("JIT_TOKEN", "secret-token-1")
        .arg("whoami")
        .assert()
        .success();
    let seen = &server.seen()[0];
    assert_eq!(seen.header("authorization"), Some("Bearer secret-token-1"));
    assert!(!seen.request_line.contains("secret-token-1"));
}

#[test]
fn proxies_come_from_the_environment_in_either_case() {
    for var in ["http_proxy", "HTTP_PROXY", "ALL_PROXY"] {
        let proxy = Scripted::start(vec![response("200 OK", USER)]);
        let home = tempfile::tempdir().unwrap();
        hermetic_jit(home.path())
            .env("JIT_SERVER", "http://jit.invalid")
            .env("JIT_TOKEN", "t")
            .env(var, &proxy.url)
            .arg("whoami")
            .assert()
            .success();
        let seen = proxy.seen();
        assert_eq!(seen[0].request_line, "GET http://jit.invalid/api/v1/me HTTP/1.1", "{var}");
    }
}

#[test]
fn no_proxy_bypasses_the_proxy() {
    let proxy = Scripted::start(vec![response("200 OK", USER)]);
    let server = Scripted::start(vec![response("200 OK", USER)]);
    let home = tempfile::tempdir().unwrap();
    hermetic_jit(home.path())
        .env("JIT_SERVER", &server.url)
        .env("JIT_TOKEN", "t")
        .env("HTTP_PROXY", &proxy.url)
        .env("no_proxy", "127.0.0.1")
        .arg("whoami")
        .assert()
        .success();
    assert_eq!(proxy.seen().len(), 0);
    assert_eq!(server.seen().len(), 1);
}
