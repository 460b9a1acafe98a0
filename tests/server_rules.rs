//! Each rule of issue 3, and each error code, over HTTP against a real jitd.

mod common;

use common::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn id(request: &Value) -> String {
    request["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_needs_a_known_device_and_a_clean_reason() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let (status, body) =
        server.post("/requests", &alice, json!({ "device": "NOPE-PC1", "reason": "x" })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("unknown_device")));
    let (status, body) =
        server.post("/requests", &alice, json!({ "device": "CARD-PC001", "reason": "  " })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("reason_required")));
    let long = "x".repeat(501);
    let (status, body) =
        server.post("/requests", &alice, json!({ "device": "CARD-PC001", "reason": long })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")));
    let (status, body) = server
        .post("/requests", &alice, json!({ "device": "CARD-PC001", "reason": "a\u{1b}[31m" }))
        .await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_request_for_the_same_device_returns_the_live_one() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let body = json!({ "device": "CARD-PC002", "reason": "driver", "ticket": "INC-1" });
    let (first_status, first) = server.post("/requests", &alice, body.clone()).await;
    let (second_status, second) = server.post("/requests", &alice, body).await;
    assert_eq!(first_status, StatusCode::CREATED);
    assert_eq!(second_status, StatusCode::OK);
    assert_eq!(second["existing"], true);
    assert_eq!(first["request"]["id"], second["request"]["id"]);
    assert_eq!(first["request"]["ticket"], "INC-1");
}

#[tokio::test(flavor = "multi_thread")]
async fn lab_pc1_is_never_lab_pc10() {
    let server = TestServer::start();
    let lara = server.login("lara").await;
    let one = server.request_access(&lara, "lab-pc1").await;
    let ten = server.request_access(&lara, "LAB-PC10").await;
    assert_ne!(one["id"], ten["id"]);
    assert_eq!(one["device"], "LAB-PC1");
    assert_eq!(ten["device"], "LAB-PC10");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_undecided_request_lapses_after_thirty_days_and_says_so() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let request = server.request_access(&alice, "CARD-PC003").await;
    assert_eq!(request["lapses_at"], "2026-04-01T09:00:00Z");
    server.advance(30 * 86400).await;
    let carol = server.login("carol").await;
    let (status, body) =
        server.post(&format!("/requests/{}/approve", id(&request)), &carol, json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("request_not_pending"))
    );
    assert!(body["detail"].as_str().unwrap().contains("lapsed"));
    let (_, fetched) = server.get(&format!("/requests/{}", id(&request)), &carol).await;
    assert_eq!(fetched["state"], "lapsed");
}

#[tokio::test(flavor = "multi_thread")]
async fn only_an_rp_of_the_department_decides_and_never_their_own_request() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;
    let dave = server.login("dave").await;
    let ada = server.login("ada").await;
    let request = server.request_access(&alice, "CARD-PC004").await;
    let path = format!("/requests/{}/approve", id(&request));

    let (status, body) = server.post(&path, &dave, json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_responsible_person"))
    );
    let (status, body) = server.post(&path, &alice, json!({})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));

    let own = server.request_access(&carol, "CARD-PC005").await;
    let (status, body) =
        server.post(&format!("/requests/{}/approve", id(&own)), &carol, json!({})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("own_request")));

    let (status, body) = server.post(&path, &ada, json!({})).await;
    assert_eq!(status, StatusCode::OK, "an admin decides any request: {body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approval_expires_by_default_after_365_days_and_never_later_than_the_maximum() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;
    let first = server.request_access(&alice, "CARD-PC006").await;
    let approved = server.approve(&carol, &id(&first)).await;
    assert_eq!(approved["approval_expires_at"], "2027-03-02T09:00:00Z");

    let second = server.request_access(&alice, "CARD-PC007").await;
    let path = format!("/requests/{}/approve", id(&second));
    let too_late = json!({ "approval_expires_at": "2027-03-03T09:00:00Z" });
    let (status, body) = server.post(&path, &carol, too_late).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_approval_expiration"))
    );
    let shorter = json!({ "approval_expires_at": "2026-06-30T00:00:00Z" });
    let (status, body) = server.post(&path, &carol, shorter).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["approval_expires_at"], "2026-06-30T00:00:00Z");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_denial_needs_a_reason_and_a_decided_request_names_who_decided_it() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;
    let ravi = server.login("ravi").await;
    let request = server.request_access(&alice, "CARD-PC008").await;
    let deny = format!("/requests/{}/deny", id(&request));
    let (status, body) = server.post(&deny, &carol, json!({})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("reason_required")));
    let (status, _) = server.post(&deny, &carol, json!({ "reason": "use the lab PC" })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) =
        server.post(&format!("/requests/{}/approve", id(&request)), &ravi, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "already_decided");
    assert_eq!(body["decided_by"], "carol");
    assert_eq!(body["decided_at"], "2026-03-02T09:00:00Z");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_of_decisions_gives_a_result_per_item_and_one_bad_item_stops_nothing() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let bob = server.login("bob").await;
    let carol = server.login("carol").await;
    let a = server.request_access(&alice, "CARD-PC009").await;
    let b = server.request_access(&bob, "CARD-PC010").await;
    let own = server.request_access(&carol, "CARD-PC011").await;
    let batch = json!({ "items": [
        { "request_id": id(&a), "decision": "approve" },
        { "request_id": "00000000-0000-0000-0000-000000000000", "decision": "approve" },
        { "request_id": id(&own), "decision": "approve" },
        { "request_id": id(&b), "decision": "deny" },
        { "request_id": id(&b), "decision": "deny", "reason": "not needed" },
    ]});
    let (status, body) = server.post("/decisions", &carol, batch).await;
    assert_eq!(status, StatusCode::OK);
    let results = body["results"].as_array().unwrap();
    let codes: Vec<Value> = results.iter().map(|r| r["error"]["code"].clone()).collect();
    assert_eq!(
        codes,
        vec![
            Value::Null,
            json!("not_found"),
            json!("own_request"),
            json!("reason_required"),
            Value::Null
        ]
    );
    assert_eq!(results[0]["outcome"], "approved");
    assert_eq!(results[4]["value"]["state"], "denied");
}

#[tokio::test(flavor = "multi_thread")]
async fn activation_names_what_is_missing_in_order() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;
    let activate = |device: &'static str| {
        let alice = alice.clone();
        let server = &server;
        async move {
            let (status, body) =
                server.post("/activations", &alice, json!({ "device": device })).await;
            (status, body["code"].as_str().unwrap_or_default().to_owned())
        }
    };
    assert_eq!(
        activate("CARD-PC012").await,
        (StatusCode::UNPROCESSABLE_ENTITY, "no_approval".into())
    );
    let request = server.request_access(&alice, "CARD-PC012").await;
    let short = json!({ "approval_expires_at": "2026-03-20T00:00:00Z" });
    let (status, _) =
        server.post(&format!("/requests/{}/approve", id(&request)), &carol, short).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(activate("CARD-PC012").await.1, "training_required");
    server.complete_training("alice", "2026-03-10").await;
    assert_eq!(activate("CARD-PC012").await.1, "device_not_found");
    server.check_in("CARD-PC012", "agent-a").await;
    let (status, body) = server
        .post("/activations", &alice, json!({ "device": "CARD-PC012", "duration_minutes": 241 }))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_duration"))
    );

    // Good through 10 March: valid to the end of that day, not a second longer.
    server.advance(8 * 86400 + 14 * 3600 + 59 * 60).await;
    let alice = server.login("alice").await;
    let (status, body) = server
        .post("/activations", &alice, json!({ "device": "CARD-PC012", "duration_minutes": 1 }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    server.advance(60).await;
    let (_, status_body) = server.get("/status", &alice).await;
    assert_eq!(status_body["training"]["state"], "expired");
    let (status, body) =
        server.post("/activations", &alice, json!({ "device": "CARD-PC012" })).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("training_expired"))
    );

    server.complete_training("alice", "2027-03-01").await;
    server.advance(10 * 86400).await;
    let alice = server.login("alice").await;
    let (status, body) =
        server.post("/activations", &alice, json!({ "device": "CARD-PC012" })).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("approval_expired"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_activation_lasts_four_hours_and_may_be_ended_early() {
    let server = TestServer::start();
    let alice = server.ready_to_activate("alice", "carol", "CARD-PC013").await;
    let (_, created) = server.post("/activations", &alice, json!({ "device": "CARD-PC013" })).await;
    let activation = &created["activation"];
    assert_eq!(activation["expires_at"], "2026-03-02T13:00:00Z");
    assert_eq!(activation["expected_effective_by"], "2026-03-02T09:05:00Z");

    let path = format!("/activations/{}/deactivate", activation["id"].as_str().unwrap());
    let (status, ended) = server.post(&path, &alice, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ended["state"], "deactivated");
    let (status, body) = server.post(&path, &alice, json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("activation_not_live"))
    );

    let (status, again) =
        server.post("/activations", &alice, json!({ "device": "CARD-PC013" })).await;
    assert_eq!(status, StatusCode::CREATED);
    server.advance(4 * 3600).await;
    let (_, list) = server.get("/activations", &alice).await;
    assert_eq!(list["items"][0]["id"], again["activation"]["id"]);
    assert_eq!(list["items"][0]["state"], "expired");
    let (status, _) = server.post("/activations", &alice, json!({ "device": "CARD-PC013" })).await;
    assert_eq!(status, StatusCode::CREATED, "after expiry the user may activate again");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_agent_identity_marks_the_device_reimaged_and_is_never_trusted_by_itself() {
    let server = TestServer::start();
    let alice = server.ready_to_activate("alice", "carol", "CARD-PC015").await;
    let ivan = server.login("ivan").await;
    let bob = server.login("bob").await;
    let (_, body) = server.check_in("CARD-PC015", "agent-new").await;
    assert_eq!(body["device"]["state"], "reimaged");
    assert_eq!(body["device"]["pending_agent_id"], "agent-new");

    let (_, body) = server.post("/reimage-fixes", &bob, json!({ "devices": ["CARD-PC015"] })).await;
    assert_eq!(body["results"][0]["error"]["code"], "forbidden", "bob has no approval there");
    let (_, body) =
        server.post("/reimage-fixes/apply", &alice, json!({ "devices": ["CARD-PC015"] })).await;
    assert_eq!(body["code"], "forbidden", "only IAM applies fixes");

    let (_, filed) =
        server.post("/reimage-fixes", &alice, json!({ "devices": ["CARD-PC015"] })).await;
    assert_eq!(filed["results"][0]["value"]["title"], "Reimaged device fix request");
    let reject =
        json!({ "devices": ["CARD-PC015", "CARD-PC016"], "reason": "identity not verified" });
    let (_, body) = server.post("/reimage-fixes/reject", &ivan, reject).await;
    assert_eq!(body["results"][0]["outcome"], "rejected");
    assert_eq!(body["results"][1]["error"]["code"], "device_not_reimaged");
    let (_, body) =
        server.post("/reimage-fixes/apply", &ivan, json!({ "devices": ["CARD-PC015"] })).await;
    assert_eq!(body["results"][0]["error"]["code"], "fix_not_open");

    server.post("/reimage-fixes", &alice, json!({ "devices": ["CARD-PC015"] })).await;
    let (_, body) = server.get("/reimage-fixes?state=open", &ivan).await;
    assert_eq!(body["items"].as_array().unwrap().len(), 1);
    let (_, body) =
        server.post("/reimage-fixes/apply", &ivan, json!({ "devices": ["CARD-PC015"] })).await;
    assert_eq!(body["results"][0]["outcome"], "fixed");
    let (_, device) = server.get("/devices/card-pc015", &alice).await;
    assert_eq!(device["state"], "bound");
    assert_eq!(device["agent_id"], "agent-new");
    let (status, _) = server.post("/activations", &alice, json!({ "device": "CARD-PC015" })).await;
    assert_eq!(status, StatusCode::CREATED, "the approval survived the fix");
}

#[tokio::test(flavor = "multi_thread")]
async fn training_completions_come_only_from_the_learning_system_or_an_admin() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let body = json!({ "items": [
        { "username": "alice", "completed_on": "2026-03-01", "good_through": "2027-03-01" },
        { "username": "nobody", "completed_on": "2026-03-01", "good_through": "2027-03-01" },
    ]});
    let (status, refused) = server.post("/training/completions", &alice, body.clone()).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    let (status, result) =
        server.post("/training/completions", &server.learning_system_token, body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(result["results"][0]["outcome"], "recorded");
    assert_eq!(result["results"][1]["error"]["code"], "unknown_user");
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_logins_are_rate_limited() {
    let server = TestServer::start();
    let wrong = json!({ "username": "bob", "password": "wrong" });
    for _ in 0..5 {
        let (status, body) =
            server.call(Method::POST, "/auth/login", None, Some(wrong.clone())).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("invalid_credentials"))
        );
    }
    let right = json!({ "username": "bob", "password": common::DEMO_PASSWORD });
    let (status, body) = server.call(Method::POST, "/auth/login", None, Some(right)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited"))
    );
    assert!(body["retry_after_seconds"].as_u64().unwrap() > 0);
    server.advance(15 * 60).await;
    server.login("bob").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_revokes_the_token() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let (status, _) = server.post("/auth/logout", &alice, json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = server.get("/me", &alice).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("session_expired"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scoped_token_does_only_what_its_scopes_allow() {
    let server = TestServer::start();
    let ivan = server.login("ivan").await;
    let new = json!({ "name": "fix script", "scopes": ["reimage_fixes"], "expires_in_days": 30 });
    let (status, token) = server.post("/tokens", &ivan, new).await;
    assert_eq!(status, StatusCode::CREATED, "{token}");
    let script = token["token"].as_str().unwrap();
    let (status, _) = server.get("/reimage-fixes", script).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = server.get("/audit", script).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    let alice = server.login("alice").await;
    let (status, _) = server
        .post(
            "/tokens",
            &alice,
            json!({ "name": "x", "scopes": ["decisions"], "expires_in_days": 1 }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a requester cannot mint a decisions token");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_state_change_leaves_an_audit_event_and_users_see_only_their_own() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;
    let ada = server.login("ada").await;
    let request = server.request_access(&alice, "CARD-PC017").await;
    server.approve(&carol, &id(&request)).await;
    let (_, mine) = server.get("/audit", &alice).await;
    let actions: Vec<&str> =
        mine["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"request.create"));
    assert!(!actions.contains(&"request.approve"), "alice sees only her own actions");
    let (_, all) = server.get("/audit?actor=carol", &ada).await;
    let event = &all["items"][0];
    assert_eq!(event["action"], "request.approve");
    assert_eq!(event["before"]["state"], "pending");
    assert_eq!(event["after"]["state"], "approved");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_single_decision_routes_take_an_empty_body() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;
    let request = server.request_access(&alice, "CARD-PC018").await;
    let response = server
        .http
        .post(server.api(&format!("/requests/{}/approve", id(&request))))
        .bearer_auth(&carol)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn status_says_what_blocks_activation_and_the_next_step() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let (_, status) = server.get("/status", &alice).await;
    assert_eq!(status["blockers"][0]["code"], "no_approval");
    assert!(status["blockers"][0]["next_step"].as_str().unwrap().contains("jit request"));

    let (_, status) = server.get("/status?device=card-pc019", &alice).await;
    assert_eq!(status["blockers"][0]["device"], "CARD-PC019");
    assert_eq!(status["blockers"][0]["code"], "no_approval");

    let alice = server.ready_to_activate("alice", "carol", "CARD-PC019").await;
    let (_, status) = server.get("/status", &alice).await;
    assert_eq!(status["blockers"], json!([]));
    assert_eq!(status["approvals"][0]["device"], "CARD-PC019");
    assert_eq!(status["training"]["state"], "current");
    assert_eq!(status["devices"][0]["state"], "bound");
    server.check_in("CARD-PC019", "agent-other").await;
    let (_, status) = server.get("/status", &alice).await;
    assert_eq!(status["blockers"][0]["code"], "device_reimaged");
    assert!(status["blockers"][0]["next_step"].as_str().unwrap().contains("reimage-fix"));
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_page_with_a_cursor() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/devices?limit=100&cursor={c}"),
            None => "/devices?limit=100".to_owned(),
        };
        let (status, page) = server.get(&path, &alice).await;
        assert_eq!(status, StatusCode::OK);
        names.extend(page["items"].as_array().unwrap().iter().map(|d| d["name"].clone()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(names.len(), 260);
    let unique: std::collections::HashSet<String> = names.iter().map(|n| n.to_string()).collect();
    assert_eq!(unique.len(), 260);
}

#[tokio::test(flavor = "multi_thread")]
async fn time_based_transitions_are_written_to_the_audit_trail() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let request = server.request_access(&alice, "CARD-PC020").await;
    server.advance(31 * 86400).await;
    let ada = server.login("ada").await;
    let (_, events) = server.get("/audit?actor=jitd", &ada).await;
    let event = &events["items"][0];
    assert_eq!(event["action"], "request.lapse");
    assert_eq!(event["subject"], format!("request:{}", id(&request)));
    assert_eq!(event["after"]["state"], "lapsed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_good_through_date_ends_at_midnight_in_the_organisation_time_zone() {
    let config =
        jit::server::config::Config { time_zone: "Pacific/Auckland".into(), ..Default::default() };
    let server = TestServer::start_with(config.settings().unwrap());
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;
    let request = server.request_access(&alice, "CARD-PC016").await;
    server.approve(&carol, &id(&request)).await;
    server.check_in("CARD-PC016", "agent-16").await;
    server.complete_training("alice", "2026-03-02").await;
    let (_, status) = server.get("/status", &alice).await;
    // Auckland is UTC+13 in March: 3 March 00:00 there is 2 March 11:00 UTC.
    assert_eq!(status["training"]["good_until"], "2026-03-02T11:00:00Z");
    assert_eq!(status["training"]["state"], "current");
    server.advance(2 * 3600).await;
    let (status, body) =
        server.post("/activations", &alice, json!({ "device": "CARD-PC016" })).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("training_expired"))
    );
}
