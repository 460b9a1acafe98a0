//! Limits on what one client can make the server hold: request heads, bodies however they are
//! framed, JSON depth, and time. Slow clients are cut off on a deadline without delaying
//! anyone else.

mod common;

use std::time::{Duration, Instant};

use common::TestServer;
use jit::server::config::Config;
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The deadlines of the servers below: short, so the tests are quick, and far longer than a
/// normal request takes on a loaded machine.
const HEADER_SECONDS: u32 = 2;
const BODY_SECONDS: u32 = 2;

fn server_with(config: Config) -> TestServer {
    TestServer::start_with(config.settings().unwrap())
}

fn strict_server() -> TestServer {
    server_with(Config {
        header_read_timeout_seconds: HEADER_SECONDS,
        body_read_timeout_seconds: BODY_SECONDS,
        ..Config::default()
    })
}

fn addr(server: &TestServer) -> String {
    server.url.trim_start_matches("http://").to_owned()
}

/// Sends `bytes` on a new connection and reads until the server closes it (or 10 s pass).
async fn exchange(addr: &str, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    // The server may answer and close before taking it all: that is the point of a limit.
    let _ = stream.write_all(bytes).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// What a slow client does after connecting.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slow {
    /// Connects and sends nothing.
    Silent,
    /// Sends half a request head and stops.
    HalfHead,
    /// Sends the head one byte every 200 ms, never finishing.
    DribbledHead,
    /// Sends a head announcing 1000 bytes of body, then 10 of them.
    HalfBody,
    /// Sends a chunked body one small chunk every 200 ms, never finishing.
    DribbledBody,
}

/// How one slow connection ended: when the server closed it, and what it answered.
#[derive(Debug)]
struct Ended {
    kind: Slow,
    after: Option<Duration>,
    answer: String,
}

async fn slow_client(addr: String, kind: Slow, token: String) -> Ended {
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    let started = Instant::now();
    let head = "POST /api/v1/requests HTTP/1.1\r\nHost: jitd\r\nContent-Type: application/json\r\n";
    let auth = format!("Authorization: Bearer {token}\r\n");
    let first: Vec<u8> = match kind {
        Slow::Silent => vec![],
        Slow::HalfHead | Slow::DribbledHead => head.as_bytes().to_vec(),
        Slow::HalfBody => format!("{head}{auth}Content-Length: 1000\r\n\r\n{{\"device\":").into(),
        Slow::DribbledBody => format!("{head}{auth}Transfer-Encoding: chunked\r\n\r\n").into(),
    };
    stream.write_all(&first).await.unwrap();

    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    let deadline = tokio::time::sleep(Duration::from_secs(10));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            read = stream.read(&mut buffer) => match read {
                Ok(0) | Err(_) => {
                    let answer = String::from_utf8_lossy(&answer).into_owned();
                    return Ended { kind, after: Some(started.elapsed()), answer };
                }
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            },
            _ = tick.tick() => {
                let more: &[u8] = match kind {
                    Slow::DribbledHead => b"X",
                    Slow::DribbledBody => b"1\r\n \r\n",
                    _ => b"",
                };
                if !more.is_empty() {
                    let _ = stream.write_all(more).await;
                }
            }
            () = &mut deadline => {
                let answer = String::from_utf8_lossy(&answer).into_owned();
                return Ended { kind, after: None, answer };
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_slow_clients_are_cut_off_on_time_while_others_are_served_at_once() {
    let server = strict_server();
    let alice = server.login("alice").await;
    let kinds =
        [Slow::Silent, Slow::HalfHead, Slow::DribbledHead, Slow::HalfBody, Slow::DribbledBody];
    let slow: Vec<_> = (0..50)
        .map(|i| tokio::spawn(slow_client(addr(&server), kinds[i % kinds.len()], alice.clone())))
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // While all fifty hang, a normal client is served as if they were not there.
    let started = Instant::now();
    let (status, me) = server.get("/me", &alice).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let body = json!({ "device": "CARD-PC001", "reason": "install the ECG viewer" });
    let (status, created) = server.post("/requests", &alice, body).await;
    assert!(status.is_success(), "{created}");
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1000), "a normal client waited {took:?}");

    let mut lateness = Vec::new();
    for task in slow {
        let ended = task.await.unwrap();
        let deadline = match ended.kind {
            Slow::HalfBody | Slow::DribbledBody => BODY_SECONDS,
            _ => HEADER_SECONDS,
        };
        let deadline = Duration::from_secs(deadline.into());
        let after = ended.after.unwrap_or_else(|| panic!("never closed: {ended:?}"));
        // Not before the deadline (so it is the deadline that acted), and soon after it.
        assert!(after >= deadline - Duration::from_millis(300), "{ended:?}");
        assert!(after <= deadline + Duration::from_millis(1500), "{ended:?}");
        lateness.push(after.as_secs_f64() - deadline.as_secs_f64());
        if matches!(ended.kind, Slow::HalfBody | Slow::DribbledBody) {
            // The head arrived, so the client learns why it was cut off.
            assert!(ended.answer.starts_with("HTTP/1.1 408"), "{ended:?}");
        }
    }

    let (earliest, latest) =
        lateness.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    eprintln!(
        "limits: a normal client answered in {} ms while 50 slow ones hung; they were closed \
         {earliest:+.2} s to {latest:+.2} s from their deadline",
        took.as_millis()
    );

    // Only the normal client's request was created.
    let (_, mine) = server.get("/requests?mine=true", &alice).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_over_the_cap_wait_for_a_free_place_instead_of_failing() {
    let server = server_with(Config {
        header_read_timeout_seconds: 1,
        max_connections: 4,
        ..Config::default()
    });
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(TcpStream::connect(addr(&server)).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;

    // The fifth client waits in the backlog until the header deadline frees a place.
    let started = Instant::now();
    // Bounded, so that a cap that never frees a place fails the test instead of hanging it.
    let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
    let response = http.get(format!("{}/healthz", server.url)).send().await.unwrap();
    let waited = started.elapsed();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(waited >= Duration::from_millis(700), "served before a place was free: {waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    drop(idle);
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_bodies_are_refused_however_they_are_framed() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let addr = addr(&server);
    let head = format!(
        "POST /api/v1/requests HTTP/1.1\r\nHost: jitd\r\nAuthorization: Bearer {alice}\r\n\
         Content-Type: application/json\r\n"
    );
    let big = format!(r#"{{"device":"CARD-PC001","reason":"{}"}}"#, "x".repeat(200_000));

    // Announced: Content-Length says it all up front.
    let announced = format!("{head}Content-Length: {}\r\n\r\n{big}", big.len());
    // Chunked, with no length anywhere: only counting the bytes finds it.
    let mut chunked = format!("{head}Transfer-Encoding: chunked\r\n\r\n");
    for piece in big.as_bytes().chunks(8192) {
        chunked.push_str(&format!("{:x}\r\n{}\r\n", piece.len(), String::from_utf8_lossy(piece)));
    }
    chunked.push_str("0\r\n\r\n");
    // A body where none is expected still counts.
    let on_a_get = format!(
        "GET /api/v1/me HTTP/1.1\r\nHost: jitd\r\nAuthorization: Bearer {alice}\r\n\
         Content-Length: {}\r\n\r\n{big}",
        big.len()
    );

    for (name, request) in [("announced", announced), ("chunked", chunked), ("get", on_a_get)] {
        let answer = exchange(&addr, request.as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{name}: {answer}");
        assert!(answer.contains("payload_too_large"), "{name}: {answer}");
    }
    let (_, mine) = server.get("/requests?mine=true", &alice).await;
    assert_eq!(mine["items"], json!([]), "nothing was created");
}

#[tokio::test(flavor = "multi_thread")]
async fn deeply_nested_json_is_refused_and_the_server_stays_up() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let rp = server.login("carol").await;
    // Far past serde_json's limit of 128 levels, and still under the body size limit.
    let depth = 5_000;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
    for (path, token, body) in [
        ("/requests", &alice, format!(r#"{{"device":"CARD-PC001","reason":{arrays}}}"#)),
        ("/requests", &alice, objects.clone()),
        ("/decisions", &rp, format!(r#"{{"items":[{objects}]}}"#)),
        ("/agent/check-in", &server.agent_token, arrays.clone()),
    ] {
        let response = server
            .http
            .post(server.api(path))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "invalid_input", "{path}: {problem}");
    }
    let (status, _) = server.get("/me", &alice).await;
    assert_eq!(status, StatusCode::OK, "the server is still up");
}

#[tokio::test(flavor = "multi_thread")]
async fn long_and_numerous_headers_are_refused_with_431() {
    let server = TestServer::start();
    let addr = addr(&server);
    let long =
        format!("GET /healthz HTTP/1.1\r\nHost: jitd\r\nX-Long: {}\r\n\r\n", "a".repeat(100_000));
    let many: String = (0..200).map(|i| format!("X-Header-{i}: {i}\r\n")).collect();
    let many = format!("GET /healthz HTTP/1.1\r\nHost: jitd\r\n{many}\r\n");
    let long_line = format!("GET /{} HTTP/1.1\r\nHost: jitd\r\n\r\n", "p".repeat(100_000));
    for (name, request) in [("long", long), ("many", many), ("long line", long_line)] {
        let answer = exchange(&addr, request.as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 431"), "{name}: {answer:.200}");
    }
    let ok =
        exchange(&addr, b"GET /healthz HTTP/1.1\r\nHost: jitd\r\nConnection: close\r\n\r\n").await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok:.200}");
}
