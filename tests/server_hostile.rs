//! Hostile and broken input gets a 4xx problem, never a 500, and never reaches SQL as code.

mod common;

use common::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Sends raw bytes and checks the answer is a 4xx problem with a request id.
async fn assert_problem(
    server: &TestServer,
    method: Method,
    path: &str,
    token: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> serde_json::Value {
    let mut request = server.http.request(method.clone(), server.api(path)).bearer_auth(token);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.body(body).send().await.unwrap();
    let status = response.status();
    assert!(status.is_client_error(), "{method} {path}: {status}");
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["request_id"], id);
    assert_eq!(problem["status"], status.as_u16());
    problem
}

const JSON: Option<&str> = Some("application/json");

#[tokio::test(flavor = "multi_thread")]
async fn broken_bodies_are_refused_as_problems() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    // Three times the 64 KiB limit: small enough that the client has sent it all before the
    // server answers.
    let big = format!(r#"{{"device":"CARD-PC001","reason":"{}"}}"#, "x".repeat(200_000));
    let problem =
        assert_problem(&server, Method::POST, "/requests", &alice, JSON, big.into_bytes()).await;
    assert_eq!(problem["code"], "payload_too_large");

    // A huge body may be cut off mid-upload, but is never a 5xx.
    let huge = vec![b'x'; 16 << 20];
    let sent = server.http.post(server.api("/requests")).bearer_auth(&alice).body(huge);
    if let Ok(response) = sent.header("content-type", "application/json").send().await {
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    let deep = "[".repeat(10_000);
    let cases: Vec<(Option<&str>, &[u8])> = vec![
        (JSON, b"{\"device\": \"CARD-PC001\", "),
        (JSON, b"not json at all"),
        (JSON, br#"{"device": 123, "reason": ["a"]}"#),
        (JSON, br#"{"device": "CARD-PC001"}"#),
        (JSON, b"\xff\xfe\x00garbage"),
        (None, br#"{"device": "CARD-PC001", "reason": "x"}"#),
        (Some("text/plain"), br#"{"device": "CARD-PC001", "reason": "x"}"#),
        (JSON, deep.as_bytes()),
    ];
    for (content_type, body) in cases {
        let problem =
            assert_problem(&server, Method::POST, "/requests", &alice, content_type, body.to_vec())
                .await;
        assert_eq!(problem["code"], "invalid_input", "{problem}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sql_metacharacters_look_alikes_and_control_characters_are_just_data() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    for device in [
        "CARD-PC001'; DROP TABLE requests; --",
        "CARD-PC001\" OR \"1\"=\"1",
        "САRD-PC001", // Cyrillic С and А
        "CARD-PC0O1",
        "%",
        "CARD-PC00_",
    ] {
        let body = json!({ "device": device, "reason": "x" });
        let (status, problem) = server.post("/requests", &alice, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{device}");
        assert_eq!(problem["code"], "unknown_device");
    }
    for device in ["CARD-PC001\u{0}", "CARD\u{7}PC001", "\n", ""] {
        let body = json!({ "device": device, "reason": "x" });
        let (status, problem) = server.post("/requests", &alice, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{device:?}");
        assert_eq!(problem["code"], "invalid_input");
    }
    let (status, list) = server.get("/requests?requester=%27%20OR%201%3D1%20--", &alice).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"], json!([]));
    let (status, _) = server.get("/devices/CARD-PC001", &alice).await;
    assert_eq!(status, StatusCode::OK, "the tables are still there");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_paths_queries_and_headers_are_problems_too() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    for (method, path) in [
        (Method::GET, "/requests/not-a-uuid"),
        (Method::GET, "/requests?state=nonsense"),
        (Method::GET, "/requests?limit=-1"),
        (Method::GET, "/requests?bogus=1"),
        (Method::GET, "/requests?cursor=zzz"),
        (Method::GET, "/audit?cursor=1%3B%20DROP"),
        (Method::DELETE, "/requests"),
        (Method::GET, "/no/such/endpoint"),
    ] {
        let problem = assert_problem(&server, method.clone(), path, &alice, None, vec![]).await;
        assert!(problem["code"].is_string(), "{method} {path}: {problem}");
    }
    let response = server
        .http
        .post(server.api("/requests"))
        .bearer_auth(&alice)
        .header("Idempotency-Key", "k".repeat(300))
        .json(&json!({ "device": "CARD-PC001", "reason": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = server
        .http
        .get(server.api("/me"))
        .header("authorization", "Basic YWxpY2U6cGFzcw==")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread")]
async fn health_and_readiness_answer_without_a_token() {
    let server = TestServer::start();
    for path in ["/healthz", "/readyz"] {
        let response = server.http.get(format!("{}{path}", server.url)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().contains_key("x-request-id"));
    }
}
