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

/// A TCP relay in front of a real `jitd` that lets the server answer the first POST, then
/// closes the client's connection without passing the answer on: the server acted, the
/// client never heard. Everything else is relayed. Answers the relay's URL and the raw
/// requests it saw, one string per connection.
fn losing_relay(upstream: &str) -> (String, Arc<Mutex<Vec<String>>>) {
    use std::net::{Shutdown, TcpStream};
    let upstream = upstream.trim_start_matches("http://").to_string();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        let mut lost_one = false;
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            let mut server = TcpStream::connect(&upstream).unwrap();
            let index = {
                let mut log = log.lock().unwrap();
                log.push(String::new());
                log.len() - 1
            };
            // Client to server, recording what passes before it is forwarded.
            let (mut from_client, mut to_server) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            let requests = log.clone();
            std::thread::spawn(move || {
                let mut buf = [0; 16384];
                while let Ok(n @ 1..) = from_client.read(&mut buf) {
                    requests.lock().unwrap()[index].push_str(&String::from_utf8_lossy(&buf[..n]));
                    if to_server.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = to_server.shutdown(Shutdown::Write);
            });
            // Server to client, except the first answer to a POST, which is lost.
            let drop_this = !lost_one;
            let requests = log.clone();
            let mut buf = [0; 16384];
            let handle = std::thread::spawn(move || {
                let mut lost = false;
                while let Ok(n @ 1..) = server.read(&mut buf) {
                    let posted = requests.lock().unwrap()[index].contains("POST ");
                    if drop_this && posted {
                        lost = true;
                        let _ = client.shutdown(Shutdown::Both);
                        break;
                    }
                    if client.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                lost
            });
            if drop_this {
                lost_one = handle.join().unwrap();
            }
        }
    });
    (url, seen)
}

#[test]
fn a_decision_whose_answer_was_lost_is_retried_with_its_key_and_not_made_twice() {
    let server = cli_support::Jitd::start();
    let (alice, carol) = (server.login("alice"), server.login("carol"));
    let out = server
        .jit_with(&alice)
        .args(["-o", "json", "request", "CARD-PC001", "--reason", "driver"])
        .output()
        .unwrap();
    let id = cli_support::json(&out)["request"]["id"].as_str().unwrap().to_string();
    let (relay, seen) = losing_relay(&server.url);

    let out = server
        .jit_with(&carol)
        .env("JIT_SERVER", &relay)
        .args(["-o", "json", "-v", "approve", &id])
        .output()
        .unwrap();

    // Had the retry acted again, the item would fail with already_decided and exit with 8.
    assert!(out.status.success(), "{}", stderr(&out));
    let result = cli_support::json(&out);
    assert_eq!(result["results"][0]["outcome"], "approved", "{result}");
    assert!(stderr(&out).contains("retrying POST"), "{}", stderr(&out));

    // The server holds one approval, recorded once in its audit trail.
    let request = server.get(&format!("/requests/{id}"), &carol);
    assert_eq!(request["state"], "approved", "{request}");
    let audit = server.get("/audit", &carol);
    let approvals = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject"].as_str().is_some_and(|s| s.contains(&id)))
        .filter(|e| e["action"].as_str().is_some_and(|a| a.contains("approve")))
        .count();
    assert_eq!(approvals, 1, "{audit}");

    // Both attempts carried the same key.
    let keys: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|raw| raw.starts_with("POST "))
        .filter_map(|raw| {
            raw.lines()
                .find(|l| l.to_ascii_lowercase().starts_with("idempotency-key:"))
                .map(|l| l.split_once(':').unwrap().1.trim().to_string())
        })
        .collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert_eq!(keys[0], keys[1]);
}

#[test]
fn https_proxy_in_either_case_tunnels_and_no_proxy_in_either_case_bypasses_it() {
    for (proxy_var, no_proxy_var) in [("HTTPS_PROXY", "NO_PROXY"), ("https_proxy", "no_proxy")] {
        let proxy = Scripted::start(vec![response("403 Forbidden", "{}")]);
        let home = tempfile::tempdir().unwrap();
        let jit = || {
            let mut cmd = hermetic_jit(home.path());
            cmd.env("JIT_SERVER", "https://jit.invalid").env("JIT_TOKEN", "t");
            cmd.env(proxy_var, &proxy.url);
            cmd
        };
        // The proxy refuses the tunnel: the call fails, but it went through the proxy.
        let out = jit().arg("whoami").output().unwrap();
        assert!(!out.status.success());
        // A GET whose tunnel is refused is retried, each attempt through the proxy.
        let seen = proxy.seen();
        assert!(!seen.is_empty(), "{proxy_var}: the proxy saw nothing");
        for s in &seen {
            assert_eq!(s.request_line, "CONNECT jit.invalid:443 HTTP/1.1", "{proxy_var}");
        }
        assert!(
            seen.iter().all(|s| s.header("authorization").is_none()),
            "the token went to the proxy"
        );

        // Bypassed: jit goes straight to the (unresolvable) host; the proxy sees nothing.
        let out = jit().env(no_proxy_var, ".invalid").arg("whoami").output().unwrap();
        assert_eq!(out.status.code(), Some(7), "{no_proxy_var}: {}", stderr(&out));
        assert_eq!(proxy.seen().len(), seen.len(), "{no_proxy_var} did not bypass the proxy");
    }
}
