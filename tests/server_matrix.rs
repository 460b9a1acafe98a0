//! Every endpoint against every kind of caller, with the status each must get.
//!
//! Bodies are chosen so that an allowed call changes nothing another row depends on: a
//! denial without a reason, a batch naming an unknown request, a device nobody can fix.

mod common;

use common::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const CALLERS: [&str; 10] = [
    "anonymous",
    "expired",
    "revoked",
    "requester",
    "other requester",
    "rp elsewhere",
    "rp here",
    "iam",
    "admin",
    "agent",
];

const NIL: &str = "00000000-0000-0000-0000-000000000000";

#[tokio::test(flavor = "multi_thread")]
async fn each_endpoint_answers_each_kind_of_caller_as_expected() {
    let server = TestServer::start();
    let expired = server.login("lara").await;
    server.advance(13 * 3600).await;
    let alice = server.login("alice").await;
    let bob = server.login("bob").await;
    let revoked = server.login("bob").await;
    server.post("/auth/logout", &revoked, json!({})).await;
    let dave = server.login("dave").await;
    let carol = server.login("carol").await;
    let ivan = server.login("ivan").await;
    let ada = server.login("ada").await;

    let pending = server.request_access(&alice, "CARD-PC001").await;
    let approved = server.request_access(&alice, "CARD-PC003").await;
    let approved_id = approved["id"].as_str().unwrap().to_owned();
    server.approve(&carol, &approved_id).await;
    let pending_id = pending["id"].as_str().unwrap().to_owned();

    let tokens: [Option<&str>; 10] = [
        None,
        Some(&expired),
        Some(&revoked),
        Some(&alice),
        Some(&bob),
        Some(&dave),
        Some(&carol),
        Some(&ivan),
        Some(&ada),
        Some(&server.agent_token),
    ];

    let get = Method::GET;
    let post = Method::POST;
    let fixes = json!({ "devices": ["CARD-PC001"], "reason": "not verified" });
    #[rustfmt::skip]
    let rows: Vec<(Method, String, Option<Value>, [u16; 7])> = vec![
        //                                          alice bob  dave carol ivan ada  agent
        (get.clone(), "/me".into(), None,           [200, 200, 200, 200, 200, 200, 403]),
        (get.clone(), "/status".into(), None,       [200, 200, 200, 200, 200, 200, 403]),
        (post.clone(), "/tokens".into(),
            Some(json!({ "name": "t", "scopes": ["read"], "expires_in_days": 1 })),
                                                    [201, 201, 201, 201, 201, 201, 403]),
        (post.clone(), "/requests".into(),
            Some(json!({ "device": "CARD-PC002", "reason": "driver" })),
                                                    [201, 201, 201, 201, 403, 403, 403]),
        (get.clone(), "/requests".into(), None,     [200, 200, 200, 200, 200, 200, 403]),
        (get.clone(), format!("/requests/{pending_id}"), None,
                                                    [200, 403, 403, 200, 200, 200, 403]),
        (post.clone(), format!("/requests/{approved_id}/cancel"), Some(json!({})),
                                                    [409, 403, 403, 403, 403, 403, 403]),
        (post.clone(), format!("/requests/{pending_id}/deny"), Some(json!({})),
                                                    [403, 403, 403, 400, 403, 400, 403]),
        (post.clone(), format!("/requests/{pending_id}/approve"),
            Some(json!({ "approval_expires_at": "2020-01-01T00:00:00Z" })),
                                                    [403, 403, 403, 400, 403, 400, 403]),
        (post.clone(), "/decisions".into(),
            Some(json!({ "items": [{ "request_id": NIL, "decision": "approve" }] })),
                                                    [403, 403, 200, 200, 403, 200, 403]),
        (post.clone(), "/activations".into(), Some(json!({ "device": "CARD-PC001" })),
                                                    [422, 422, 422, 422, 403, 403, 403]),
        (get.clone(), "/activations".into(), None,  [200, 200, 200, 200, 200, 200, 403]),
        (post.clone(), format!("/activations/{NIL}/deactivate"), Some(json!({})),
                                                    [404, 404, 404, 404, 403, 404, 403]),
        (get.clone(), "/devices".into(), None,      [200, 200, 200, 200, 200, 200, 403]),
        (get.clone(), "/devices/CARD-PC001".into(), None,
                                                    [200, 200, 200, 200, 200, 200, 403]),
        (post.clone(), "/agent/check-in".into(),
            Some(json!({ "device": "CARD-PC009", "agent_id": "agent-9" })),
                                                    [403, 403, 403, 403, 403, 403, 200]),
        (post.clone(), "/training/completions".into(), Some(json!({ "items": [] })),
                                                    [403, 403, 403, 403, 403, 200, 403]),
        (post.clone(), "/reimage-fixes".into(), Some(fixes.clone()),
                                                    [200, 200, 200, 200, 200, 200, 403]),
        (get.clone(), "/reimage-fixes".into(), None,
                                                    [200, 200, 200, 200, 200, 200, 403]),
        (post.clone(), "/reimage-fixes/apply".into(), Some(fixes.clone()),
                                                    [403, 403, 403, 403, 200, 200, 403]),
        (post.clone(), "/reimage-fixes/reject".into(), Some(fixes.clone()),
                                                    [403, 403, 403, 403, 200, 200, 403]),
        (get.clone(), "/audit".into(), None,        [200, 200, 200, 200, 200, 200, 403]),
    ];

    let mut failures = Vec::new();
    for (method, path, body, expected_users) in &rows {
        for (index, token) in tokens.iter().enumerate() {
            let expected = if index < 3 { 401 } else { expected_users[index - 3] };
            let (status, answer) = server.call(method.clone(), path, *token, body.clone()).await;
            if status.as_u16() != expected {
                failures.push(format!(
                    "{method} {path} as {}: expected {expected}, got {status}: {answer}",
                    CALLERS[index]
                ));
            }
            if !status.is_success() {
                assert_eq!(answer["status"], status.as_u16(), "{method} {path}: {answer}");
                assert!(answer["request_id"].is_string(), "{method} {path}: {answer}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    for (index, token) in tokens.iter().enumerate().take(3) {
        let (_, answer) = server.call(Method::GET, "/me", *token, None).await;
        let code = ["unauthenticated", "session_expired", "session_expired"][index];
        assert_eq!(answer["code"], code, "{}", CALLERS[index]);
    }
    let (status, _) = server.call(Method::GET, "/me", Some("jit_not-a-token"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
