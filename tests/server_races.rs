//! Writes that race: exactly one outcome each, a per-item result that says what happened,
//! and an audit trail that matches the rows it leaves behind.

mod common;

use std::collections::HashMap;

use common::TestServer;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Every audit event, oldest first, read page by page as an admin.
async fn audit_trail(server: &TestServer) -> Vec<Value> {
    let admin = server.login("ada").await;
    let mut events = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/audit?limit=1000&cursor={c}"),
            None => "/audit?limit=1000".to_owned(),
        };
        let (status, page) = server.get(&path, &admin).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        events.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    events.reverse();
    events
}

fn events_about<'a>(events: &'a [Value], subject: &str, action: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["subject"] == subject && e["action"] == action).collect()
}

async fn reimaged_device(server: &TestServer, device: &str) -> String {
    let (status, body) = server.check_in(device, &format!("old-{device}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let new_agent = format!("new-{device}");
    let (_, body) = server.check_in(device, &new_agent).await;
    assert_eq!(body["device"]["state"], "reimaged", "{body}");
    new_agent
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fix_applied_while_the_device_checks_in_again_rebinds_it_once() {
    let server = TestServer::start();
    let ivan = server.login("ivan").await;
    let devices: Vec<String> = (1..=8).map(|n| format!("ED-PC{n:03}")).collect();
    for device in &devices {
        reimaged_device(&server, device).await;
    }

    let mut calls = tokio::task::JoinSet::new();
    for device in &devices {
        for round in 0..5 {
            let (http, url) = (server.http.clone(), server.api(""));
            let (device, ivan) = (device.clone(), ivan.clone());
            let agent = server.agent_token.clone();
            calls.spawn(async move {
                let (token, path, body) = if round == 2 {
                    (ivan, "/reimage-fixes/apply", json!({ "devices": [device] }))
                } else {
                    let body = json!({ "device": device, "agent_id": format!("new-{device}") });
                    (agent, "/agent/check-in", body)
                };
                let response =
                    http.post(format!("{url}{path}")).bearer_auth(token).json(&body).send().await;
                let response = response.unwrap();
                (path, response.status(), response.json::<Value>().await.unwrap())
            });
        }
    }
    let results = calls.join_all().await;
    for (path, status, body) in &results {
        assert_eq!(*status, StatusCode::OK, "{path}: {body}");
        if *path == "/reimage-fixes/apply" {
            assert_eq!(body["results"][0]["outcome"], "fixed", "{body}");
        }
    }

    let events = audit_trail(&server).await;
    for device in &devices {
        let (_, row) = server.get(&format!("/devices/{device}"), &ivan).await;
        assert_eq!(row["state"], "bound", "{device}: {row}");
        assert_eq!(row["agent_id"], format!("new-{device}"), "{row}");
        assert_eq!(row["pending_agent_id"], Value::Null, "{row}");
        let subject = format!("device:{device}");
        assert_eq!(events_about(&events, &subject, "reimage_fix.apply").len(), 1, "{device}");
        assert_eq!(events_about(&events, &subject, "device.rebind").len(), 1, "{device}");
        let last_change = events
            .iter()
            .rfind(|e| {
                e["subject"] == subject && e["action"].as_str().unwrap().starts_with("device.")
            })
            .unwrap();
        assert_eq!(last_change["action"], "device.rebind", "{device}: {last_change}");
        for field in ["state", "agent_id", "pending_agent_id"] {
            assert_eq!(last_change["after"][field], row[field], "{device} {field}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_applies_of_the_same_fixes_fix_each_device_once() {
    let server = TestServer::start();
    let (ivan, ada) = (server.login("ivan").await, server.login("ada").await);
    let devices: Vec<String> = (1..=6).map(|n| format!("IAM-PC{n:03}")).collect();
    for device in &devices {
        reimaged_device(&server, device).await;
    }
    let mut reversed = devices.clone();
    reversed.reverse();

    let (first, second) = tokio::join!(
        server.post("/reimage-fixes/apply", &ivan, json!({ "devices": devices })),
        server.post("/reimage-fixes/apply", &ada, json!({ "devices": reversed })),
    );
    assert_eq!((first.0, second.0), (StatusCode::OK, StatusCode::OK));
    let mut outcomes: HashMap<String, Vec<String>> = HashMap::new();
    for body in [&first.1, &second.1] {
        for result in body["results"].as_array().unwrap() {
            assert_eq!(result["ok"], true, "{result}");
            let device = result["item"].as_str().unwrap().to_owned();
            outcomes.entry(device).or_default().push(result["outcome"].to_string());
        }
    }

    let events = audit_trail(&server).await;
    for device in &devices {
        let mut seen = outcomes[device].clone();
        seen.sort();
        assert_eq!(seen, ["\"already_fixed\"", "\"fixed\""], "{device}");
        let subject = format!("device:{device}");
        let applied = events_about(&events, &subject, "reimage_fix.apply");
        assert_eq!(applied.len(), 1, "{device}");
        let (_, fixes) = server.get(&format!("/reimage-fixes?device={device}"), &ivan).await;
        let fixes = fixes["items"].as_array().unwrap();
        assert_eq!(fixes.len(), 1, "{device}: {fixes:?}");
        assert_eq!(fixes[0]["state"], "resolved");
        assert_eq!(applied[0]["actor"], fixes[0]["resolved_by"], "{device}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_overlapping_decision_batches_decide_each_request_once() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let (carol, ravi) = (server.login("carol").await, server.login("ravi").await);
    let mut ids = Vec::new();
    for n in 1..=12 {
        let request = server.request_access(&alice, &format!("CARD-PC{n:03}")).await;
        ids.push(request["id"].as_str().unwrap().to_owned());
    }
    let approvals: Vec<Value> =
        ids[..8].iter().map(|id| json!({ "request_id": id, "decision": "approve" })).collect();
    let denials: Vec<Value> = ids[4..]
        .iter()
        .map(|id| json!({ "request_id": id, "decision": "deny", "reason": "not needed" }))
        .collect();

    let (approved, denied) = tokio::join!(
        server.post("/decisions", &carol, json!({ "items": approvals })),
        server.post("/decisions", &ravi, json!({ "items": denials })),
    );
    assert_eq!((approved.0, denied.0), (StatusCode::OK, StatusCode::OK));
    let mut items: HashMap<String, Vec<Value>> = HashMap::new();
    for body in [&approved.1, &denied.1] {
        for result in body["results"].as_array().unwrap() {
            items
                .entry(result["item"].as_str().unwrap().to_owned())
                .or_default()
                .push(result.clone());
        }
    }

    let events = audit_trail(&server).await;
    for id in &ids {
        let (_, row) = server.get(&format!("/requests/{id}"), &carol).await;
        let results = &items[id];
        let winners: Vec<&Value> = results.iter().filter(|r| r["ok"] == true).collect();
        assert_eq!(winners.len(), 1, "{id}: {results:?}");
        assert_eq!(winners[0]["outcome"], row["state"], "{id}");
        for loser in results.iter().filter(|r| r["ok"] == false) {
            assert_eq!(loser["outcome"], "refused");
            assert_eq!(loser["error"]["code"], "already_decided", "{loser}");
            assert_eq!(loser["error"]["decided_by"], row["decided_by"], "{loser}");
        }
        let subject = format!("request:{id}");
        let decisions: Vec<&Value> = events
            .iter()
            .filter(|e| e["subject"] == subject)
            .filter(|e| e["action"] == "request.approve" || e["action"] == "request.deny")
            .collect();
        assert_eq!(decisions.len(), 1, "{id}: {decisions:?}");
        assert_eq!(decisions[0]["actor"], row["decided_by"], "{id}");
        assert_eq!(decisions[0]["after"]["state"], row["state"], "{id}");
    }
}

/// Sets the test server's clock to an instant.
async fn set_clock(server: &TestServer, at: &str) {
    let (status, body) =
        server.call(reqwest::Method::POST, "/_test/clock", None, Some(json!({ "set": at }))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_activation_at_the_instant_the_approval_expires_is_refused() {
    let server = TestServer::start();
    let expires = "2026-03-05T12:00:00Z";
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;
    let request = server.request_access(&alice, "CARD-PC007").await;
    let approve = format!("/requests/{}/approve", request["id"].as_str().unwrap());
    let (status, body) =
        server.post(&approve, &carol, json!({ "approval_expires_at": expires })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.complete_training("alice", "2027-03-01").await;
    server.check_in("CARD-PC007", "agent-7").await;

    set_clock(&server, "2026-03-05T11:59:59Z").await;
    // Login tokens last 12 hours: log in again on the day.
    let alice = server.login("alice").await;
    let (status, body) =
        server.post("/activations", &alice, json!({ "device": "CARD-PC007" })).await;
    assert_eq!(status, StatusCode::CREATED, "a second before: {body}");
    let deactivate =
        format!("/activations/{}/deactivate", body["activation"]["id"].as_str().unwrap());
    server.post(&deactivate, &alice, json!({})).await;

    set_clock(&server, expires).await;
    let (status, body) =
        server.post("/activations", &alice, json!({ "device": "CARD-PC007" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "at the instant: {body}");
    assert_eq!(body["code"], "approval_expired");
}

#[tokio::test(flavor = "multi_thread")]
async fn activations_racing_the_approvals_expiry_each_get_one_consistent_outcome() {
    let server = TestServer::start();
    let expires = "2026-03-05T12:00:00Z";
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;
    let devices: Vec<String> = (1..=10).map(|n| format!("CARD-PC{n:03}")).collect();
    for device in &devices {
        let request = server.request_access(&alice, device).await;
        let approve = format!("/requests/{}/approve", request["id"].as_str().unwrap());
        server.post(&approve, &carol, json!({ "approval_expires_at": expires })).await;
        server.check_in(device, &format!("agent-{device}")).await;
    }
    server.complete_training("alice", "2027-03-01").await;
    set_clock(&server, "2026-03-05T11:59:59.990Z").await;
    let alice = server.login("alice").await;

    let mut calls = tokio::task::JoinSet::new();
    for device in &devices {
        let request = server
            .http
            .post(server.api("/activations"))
            .bearer_auth(&alice)
            .json(&json!({ "device": device }));
        calls.spawn(async move {
            let response = request.send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        });
    }
    // The clock crosses the expiry while the activations are being handled.
    server.advance(1).await;
    let results = calls.join_all().await;

    let cutoff = chrono::DateTime::parse_from_rfc3339(expires).unwrap();
    let mut created = 0;
    for (status, body) in &results {
        match *status {
            StatusCode::CREATED => {
                created += 1;
                let at = body["activation"]["requested_at"].as_str().unwrap();
                assert!(chrono::DateTime::parse_from_rfc3339(at).unwrap() < cutoff, "{body}");
            }
            StatusCode::UNPROCESSABLE_ENTITY => assert_eq!(body["code"], "approval_expired"),
            _ => panic!("unexpected {status}: {body}"),
        }
    }
    let events = audit_trail(&server).await;
    let made: Vec<&Value> = events.iter().filter(|e| e["action"] == "activation.create").collect();
    assert_eq!(made.len(), created, "one audit event per activation made");
    for event in made {
        let at = chrono::DateTime::parse_from_rfc3339(event["at"].as_str().unwrap()).unwrap();
        assert!(at < cutoff, "{event}");
    }
    let (_, list) = server.get("/activations?limit=500", &alice).await;
    assert_eq!(list["items"].as_array().unwrap().len(), created);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_decision_batch_judges_every_item_at_one_instant_while_the_requests_lapse() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let mut items = Vec::new();
    for n in 1..=20 {
        let request = server.request_access(&alice, &format!("CARD-PC{n:03}")).await;
        items.push(json!({ "request_id": request["id"], "decision": "approve" }));
    }
    // The requests lapse 30 days after they were made, at 2026-04-01T09:00:00Z.
    set_clock(&server, "2026-04-01T08:59:59.995Z").await;
    let carol = server.login("carol").await;

    let (batch, _) = tokio::join!(
        server.post("/decisions", &carol, json!({ "items": items })),
        server.advance(1),
    );
    assert_eq!(batch.0, StatusCode::OK, "{}", batch.1);
    let results = batch.1["results"].as_array().unwrap();
    let approved = results.iter().filter(|r| r["ok"] == true).count();
    assert!(approved == 0 || approved == results.len(), "a batch split by the clock: {results:?}");
    let decided_at: std::collections::HashSet<String> = results
        .iter()
        .filter(|r| r["ok"] == true)
        .map(|r| r["value"]["decided_at"].to_string())
        .collect();
    assert!(decided_at.len() <= 1, "{decided_at:?}");

    let events = audit_trail(&server).await;
    let approvals = events.iter().filter(|e| e["action"] == "request.approve").count();
    assert_eq!(approvals, approved, "one audit event per approval");
}
