//! Exactly one outcome when requests race, and retries that never double anything.

mod common;

use common::TestServer;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn two_rps_deciding_the_same_request_at_once_exactly_one_wins() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;
    let ravi = server.login("ravi").await;
    for device in ["CARD-PC001", "CARD-PC002", "CARD-PC003", "CARD-PC004", "CARD-PC005"] {
        let request = server.request_access(&alice, device).await;
        let id = request["id"].as_str().unwrap();
        let approve = format!("/requests/{id}/approve");
        let deny = format!("/requests/{id}/deny");
        let (first, second) = tokio::join!(
            server.post(&approve, &carol, json!({})),
            server.post(&deny, &ravi, json!({ "reason": "no" })),
        );
        let statuses = [first.0, second.0];
        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
        let loser = if first.0 == StatusCode::OK { &second.1 } else { &first.1 };
        assert_eq!(loser["code"], "already_decided");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_concurrent_activations_of_one_device_make_exactly_one() {
    let server = TestServer::start();
    let alice = server.ready_to_activate("alice", "carol", "CARD-PC014").await;
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let request = server
            .http
            .post(server.api("/activations"))
            .bearer_auth(&alice)
            .json(&json!({ "device": "CARD-PC014" }));
        calls.spawn(async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            (status, response.json::<serde_json::Value>().await.unwrap())
        });
    }
    let results = calls.join_all().await;
    let created = results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
    let existing = results.iter().filter(|(s, b)| *s == StatusCode::OK && b["existing"] == true);
    assert_eq!(created, 1);
    assert_eq!(existing.count(), 49);
    let ids: std::collections::HashSet<String> =
        results.iter().map(|(_, b)| b["activation"]["id"].to_string()).collect();
    assert_eq!(ids.len(), 1);
    let (_, list) = server.get("/activations", &alice).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retried_post_with_the_same_idempotency_key_acts_once() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let send = |body: serde_json::Value, key: &'static str| {
        server
            .http
            .post(server.api("/requests"))
            .bearer_auth(&alice)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let body = json!({ "device": "CARD-PC020", "reason": "driver" });
    let first = send(body.clone(), "key-1").await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: serde_json::Value = first.json().await.unwrap();

    let retry = send(body.clone(), "key-1").await.unwrap();
    assert_eq!(retry.status(), StatusCode::CREATED, "the stored response is replayed");
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let retry: serde_json::Value = retry.json().await.unwrap();
    assert_eq!(retry, first);

    let other = send(json!({ "device": "CARD-PC019", "reason": "x" }), "key-1").await.unwrap();
    assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let other: serde_json::Value = other.json().await.unwrap();
    assert_eq!(other["code"], "idempotency_key_reused");

    let (_, mine) = server.get("/requests?mine=true", &alice).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retried_activation_with_the_same_key_replays_the_first_answer() {
    let server = TestServer::start();
    let alice = server.ready_to_activate("alice", "carol", "CARD-PC011").await;
    let send = || {
        server
            .http
            .post(server.api("/activations"))
            .bearer_auth(&alice)
            .header("Idempotency-Key", "activate-1")
            .json(&json!({ "device": "CARD-PC011", "duration_minutes": 60 }))
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: serde_json::Value = first.json().await.unwrap();
    let retry = send().await.unwrap();
    assert_eq!(retry.status(), StatusCode::CREATED);
    let retry: serde_json::Value = retry.json().await.unwrap();
    assert_eq!(retry, first);
    assert_eq!(retry["existing"], false, "the replay is the first answer, not a lookup");
}
