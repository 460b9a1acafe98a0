//! The whole lifecycle over HTTP: request, decision, training, check-in, activation, grant
//! pickup, a reimaged device and its fix.

mod common;

use common::TestServer;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn a_request_goes_from_pending_to_a_picked_up_activation_and_a_fixed_reimage() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;

    let request = server.request_access(&alice, " card-pc014 ").await;
    assert_eq!(request["state"], "pending");
    assert_eq!(request["device"], "CARD-PC014");

    let (status, list) = server.get("/requests?awaiting_decision=true", &carol).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"][0]["id"], request["id"]);

    let approved = server.approve(&carol, request["id"].as_str().unwrap()).await;
    assert_eq!(approved["state"], "approved");
    assert_eq!(approved["decided_by"], "carol");

    // Approved at 09:00, the overnight job assigns the course at 02:00 the next night.
    let (_, status_body) = server.get("/status", &alice).await;
    assert_eq!(status_body["training"]["state"], "not_assigned");
    assert_eq!(status_body["training"]["next_assignment_run_at"], "2026-03-03T02:00:00Z");
    server.advance(18 * 3600).await;
    // The login token lasts 12 hours.
    let (status, expired) = server.get("/status", &alice).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired["code"], "session_expired");
    let alice = server.login("alice").await;
    let ivan = server.login("ivan").await;
    let (_, status_body) = server.get("/status", &alice).await;
    assert_eq!(status_body["training"]["state"], "assigned");
    assert_eq!(status_body["blockers"][0]["code"], "training_required");

    server.complete_training("alice", "2027-03-01").await;
    let (status, refused) =
        server.post("/activations", &alice, json!({ "device": "CARD-PC014" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["code"], "device_not_found");
    assert_eq!(refused["remedy"].as_array().unwrap().len(), 4);

    let (status, _) = server.check_in("CARD-PC014", "agent-1").await;
    assert_eq!(status, StatusCode::OK);
    let (status, created) =
        server.post("/activations", &alice, json!({ "device": "CARD-PC014" })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["activation"]["state"], "pending");

    let (_, checked_in) = server.check_in("CARD-PC014", "agent-1").await;
    assert_eq!(checked_in["grants"][0]["username"], "alice");
    let (_, status_body) = server.get("/status?device=CARD-PC014", &alice).await;
    assert_eq!(status_body["activations"][0]["state"], "active");

    server.advance(4 * 3600).await;
    let (_, status_body) = server.get("/status", &alice).await;
    assert_eq!(status_body["activations"], json!([]));

    let (_, reimaged) = server.check_in("CARD-PC014", "agent-2").await;
    assert_eq!(reimaged["device"]["state"], "reimaged");
    assert_eq!(reimaged["grants"], json!([]));
    let (status, refused) =
        server.post("/activations", &alice, json!({ "device": "CARD-PC014" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["code"], "device_reimaged");

    let (_, filed) =
        server.post("/reimage-fixes", &alice, json!({ "devices": ["CARD-PC014"] })).await;
    assert_eq!(filed["results"][0]["outcome"], "filed", "{filed}");
    let (_, applied) =
        server.post("/reimage-fixes/apply", &ivan, json!({ "devices": ["CARD-PC014"] })).await;
    assert_eq!(applied["results"][0]["outcome"], "fixed", "{applied}");
    let (_, again) =
        server.post("/reimage-fixes/apply", &ivan, json!({ "devices": ["CARD-PC014"] })).await;
    assert_eq!(again["results"][0]["ok"], true);
    assert_eq!(again["results"][0]["outcome"], "already_fixed");

    let (status, created) =
        server.post("/activations", &alice, json!({ "device": "CARD-PC014" })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
}
