//! Every endpoint against every kind of caller, with the status each must get.
//!
//! Bodies are chosen so that an allowed call changes nothing another row depends on: a
//! denial without a reason, a batch naming an unknown request, a device nobody can fix.

mod common;

use common::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const CALLERS: [&str; 13] = [
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
    "learning system",
    "read-only token",
    "fixes-only token",
];

const NIL: &str = "00000000-0000-0000-0000-000000000000";

/// One route, named as the OpenAPI document names it, called on `path` with `body`, and the
/// status each caller of [`CALLERS`] must get, in that order.
struct Row {
    method: Method,
    route: &'static str,
    path: String,
    body: Option<Value>,
    expected: [u16; 13],
}

fn row(
    method: Method,
    route: &'static str,
    path: impl Into<String>,
    body: Option<Value>,
    expected: [u16; 13],
) -> Row {
    Row { method, route, path: path.into(), body, expected }
}

/// Served but deliberately left out of the OpenAPI document.
const UNDOCUMENTED: [(&str, &str); 1] = [("GET", "/api/v1/openapi.json")];

/// Sends a request to a path under the server's root (not under `/api/v1`).
async fn call(
    server: &TestServer,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = server.http.request(method, format!("{}{path}", server.url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let bytes = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// A scoped API token made by `token`'s user.
async fn scoped_token(server: &TestServer, token: &str, scope: &str) -> String {
    let body = json!({ "name": format!("only {scope}"), "scopes": [scope], "expires_in_days": 1 });
    let (status, value) = server.post("/tokens", token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{value}");
    value["token"].as_str().unwrap().to_owned()
}

/// The matrix, one row per documented route; logout comes last because it revokes the token
/// that calls it.
fn rows(pending_id: &str, approved_id: &str) -> Vec<Row> {
    let (get, post) = (Method::GET, Method::POST);
    let fixes = json!({ "devices": ["CARD-PC001"], "reason": "not verified" });
    let login = json!({ "username": "lara", "password": common::DEMO_PASSWORD });
    #[rustfmt::skip]
    let rows = vec![
        //   anon exp  rev  alice bob  dave carol ivan ada  agent lms  read fixes
        row(get.clone(), "/healthz", "/healthz", None,
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(get.clone(), "/readyz", "/readyz", None,
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(get.clone(), "/api/v1/openapi.json", "/api/v1/openapi.json", None,
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(post.clone(), "/api/v1/auth/login", "/api/v1/auth/login", Some(login),
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(get.clone(), "/api/v1/me", "/api/v1/me", None,
            [401, 401, 401, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200]),
        row(get.clone(), "/api/v1/status", "/api/v1/status", None,
            [401, 401, 401, 200, 200, 200, 200, 200, 200, 403, 403, 200, 403]),
        row(post.clone(), "/api/v1/tokens", "/api/v1/tokens",
            Some(json!({ "name": "t", "scopes": ["read"], "expires_in_days": 1 })),
            [401, 401, 401, 201, 201, 201, 201, 201, 201, 403, 403, 403, 403]),
        row(post.clone(), "/api/v1/requests", "/api/v1/requests",
            Some(json!({ "device": "CARD-PC002", "reason": "driver" })),
            [401, 401, 401, 201, 201, 201, 201, 403, 403, 403, 403, 403, 403]),
        row(get.clone(), "/api/v1/requests", "/api/v1/requests", None,
            [401, 401, 401, 200, 200, 200, 200, 200, 200, 403, 403, 200, 403]),
        row(get.clone(), "/api/v1/requests/{id}", format!("/api/v1/requests/{pending_id}"), None,
            [401, 401, 401, 200, 403, 403, 200, 200, 200, 403, 403, 200, 403]),
        row(post.clone(), "/api/v1/requests/{id}/cancel",
            format!("/api/v1/requests/{approved_id}/cancel"), Some(json!({})),
            [401, 401, 401, 409, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
        row(post.clone(), "/api/v1/requests/{id}/deny",
            format!("/api/v1/requests/{pending_id}/deny"), Some(json!({})),
            [401, 401, 401, 403, 403, 403, 400, 403, 400, 403, 403, 403, 403]),
        row(post.clone(), "/api/v1/requests/{id}/approve",
            format!("/api/v1/requests/{pending_id}/approve"),
            Some(json!({ "approval_expires_at": "2020-01-01T00:00:00Z" })),
            [401, 401, 401, 403, 403, 403, 400, 403, 400, 403, 403, 403, 403]),
        row(post.clone(), "/api/v1/decisions", "/api/v1/decisions",
            Some(json!({ "items": [{ "request_id": NIL, "decision": "approve" }] })),
            [401, 401, 401, 403, 403, 200, 200, 403, 200, 403, 403, 403, 403]),
        row(post.clone(), "/api/v1/activations", "/api/v1/activations",
            Some(json!({ "device": "CARD-PC001" })),
            [401, 401, 401, 422, 422, 422, 422, 403, 403, 403, 403, 403, 403]),
        row(get.clone(), "/api/v1/activations", "/api/v1/activations", None,
            [401, 401, 401, 200, 200, 200, 200, 200, 200, 403, 403, 200, 403]),
        row(post.clone(), "/api/v1/activations/{id}/deactivate",
            format!("/api/v1/activations/{NIL}/deactivate"), Some(json!({})),
            [401, 401, 401, 404, 404, 404, 404, 403, 404, 403, 403, 403, 403]),
        row(get.clone(), "/api/v1/devices", "/api/v1/devices", None,
            [401, 401, 401, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200]),
        row(get.clone(), "/api/v1/devices/{name}", "/api/v1/devices/CARD-PC001", None,
            [401, 401, 401, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200]),
        row(post.clone(), "/api/v1/agent/check-in", "/api/v1/agent/check-in",
            Some(json!({ "device": "CARD-PC009", "agent_id": "agent-9" })),
            [401, 401, 401, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403]),
        row(post.clone(), "/api/v1/training/completions", "/api/v1/training/completions",
            Some(json!({ "items": [] })),
            [401, 401, 401, 403, 403, 403, 403, 403, 200, 403, 200, 403, 403]),
        row(post.clone(), "/api/v1/reimage-fixes", "/api/v1/reimage-fixes", Some(fixes.clone()),
            [401, 401, 401, 200, 200, 200, 200, 200, 200, 403, 403, 403, 200]),
        row(get.clone(), "/api/v1/reimage-fixes", "/api/v1/reimage-fixes", None,
            [401, 401, 401, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200]),
        row(post.clone(), "/api/v1/reimage-fixes/apply", "/api/v1/reimage-fixes/apply",
            Some(fixes.clone()),
            [401, 401, 401, 403, 403, 403, 403, 200, 200, 403, 403, 403, 200]),
        row(post.clone(), "/api/v1/reimage-fixes/reject", "/api/v1/reimage-fixes/reject",
            Some(fixes.clone()),
            [401, 401, 401, 403, 403, 403, 403, 200, 200, 403, 403, 403, 200]),
        row(get.clone(), "/api/v1/audit", "/api/v1/audit", None,
            [401, 401, 401, 200, 200, 200, 200, 200, 200, 403, 403, 200, 403]),
        row(post.clone(), "/api/v1/auth/logout", "/api/v1/auth/logout", Some(json!({})),
            [401, 401, 401, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204]),
    ];
    rows
}

/// The routes of the OpenAPI document the code generates, as `(METHOD, path)`.
fn documented_routes() -> std::collections::BTreeSet<(String, String)> {
    let document = serde_json::to_value(jit::server::openapi::document()).unwrap();
    let mut routes = std::collections::BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.insert((method.to_uppercase(), path.clone()));
        }
    }
    routes
}

#[test]
fn the_matrix_has_a_row_for_every_route() {
    let in_matrix: std::collections::BTreeSet<(String, String)> =
        rows(NIL, NIL).iter().map(|r| (r.method.to_string(), r.route.to_owned())).collect();
    let mut expected = documented_routes();
    for (method, path) in UNDOCUMENTED {
        expected.insert((method.to_owned(), path.to_owned()));
    }
    let missing: Vec<_> = expected.difference(&in_matrix).collect();
    let stale: Vec<_> = in_matrix.difference(&expected).collect();
    assert!(missing.is_empty(), "routes without a row in the matrix: {missing:?}");
    assert!(stale.is_empty(), "matrix rows for routes that do not exist: {stale:?}");
}

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
    let read_only = scoped_token(&server, &alice, "read").await;
    let fixes_only = scoped_token(&server, &ivan, "reimage_fixes").await;

    let pending = server.request_access(&alice, "CARD-PC001").await;
    let approved = server.request_access(&alice, "CARD-PC003").await;
    let approved_id = approved["id"].as_str().unwrap().to_owned();
    server.approve(&carol, &approved_id).await;
    let pending_id = pending["id"].as_str().unwrap().to_owned();

    let tokens: [Option<&str>; 13] = [
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
        Some(&server.learning_system_token),
        Some(&read_only),
        Some(&fixes_only),
    ];

    let rows = rows(&pending_id, &approved_id);
    let mut failures = Vec::new();
    let mut actual_table = Vec::new();
    for row in &rows {
        let mut actual = Vec::new();
        for (index, token) in tokens.iter().enumerate() {
            let expected = row.expected[index];
            let (status, answer) =
                call(&server, row.method.clone(), &row.path, *token, row.body.clone()).await;
            actual.push(status.as_u16().to_string());
            if status.as_u16() != expected {
                failures.push(format!(
                    "{} {} as {}: expected {expected}, got {status}: {answer}",
                    row.method, row.path, CALLERS[index]
                ));
            }
            // An expired or revoked token is refused as such on every route, not as unknown.
            if (index == 1 || index == 2) && expected == 401 {
                assert_eq!(answer["code"], "session_expired", "{} {}", row.method, row.path);
            }
            if !status.is_success() {
                assert_eq!(
                    answer["status"],
                    status.as_u16(),
                    "{} {}: {answer}",
                    row.method,
                    row.path
                );
                assert!(answer["request_id"].is_string(), "{} {}: {answer}", row.method, row.path);
            }
        }
        actual_table.push(format!("{} {}: [{}]", row.method, row.route, actual.join(", ")));
    }
    let cells = rows.len() * tokens.len();
    eprintln!(
        "authorization matrix: {} routes x {} callers = {cells} cells",
        rows.len(),
        tokens.len()
    );
    assert!(
        failures.is_empty(),
        "{}\n\nactual statuses:\n{}",
        failures.join("\n"),
        actual_table.join("\n")
    );

    for (index, token) in tokens.iter().enumerate().take(3) {
        let (_, answer) = server.call(Method::GET, "/me", *token, None).await;
        let code = ["unauthenticated", "session_expired", "session_expired"][index];
        assert_eq!(answer["code"], code, "{}", CALLERS[index]);
    }
    let (status, _) = server.call(Method::GET, "/me", Some("jit_not-a-token"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Everything alice has made: her request, activation, training and audit trail, and the
/// reimage fix she filed. No other requester, nor an RP of another department, finds any of
/// it by listing, filtering or naming its id.
#[tokio::test(flavor = "multi_thread")]
async fn no_one_reads_another_users_records() {
    let server = TestServer::start();
    let alice = server.ready_to_activate("alice", "carol", "CARD-PC005").await;
    let (status, activation) =
        server.post("/activations", &alice, json!({ "device": "CARD-PC005" })).await;
    assert_eq!(status, StatusCode::CREATED, "{activation}");
    let activation_id = activation["activation"]["id"].as_str().unwrap().to_owned();
    let (_, requests) = server.get("/requests?mine=true", &alice).await;
    let request_id = requests["items"][0]["id"].as_str().unwrap().to_owned();
    server.check_in("CARD-PC005", "agent-reimaged").await;
    let fix = json!({ "devices": ["CARD-PC005"] });
    let (status, filed) = server.post("/reimage-fixes", &alice, fix).await;
    assert_eq!(filed["results"][0]["ok"], true, "{status} {filed}");
    let fix_id = filed["results"][0]["value"]["id"].as_str().unwrap().to_owned();
    let secrets = [request_id.as_str(), activation_id.as_str(), fix_id.as_str(), "\"alice\""];

    for (caller, username) in [("other requester", "bob"), ("rp elsewhere", "dave")] {
        let token = server.login(username).await;
        let reads = [
            "/requests".to_owned(),
            "/requests?requester=alice".to_owned(),
            "/requests?device=CARD-PC005".to_owned(),
            "/activations".to_owned(),
            "/activations?all=true".to_owned(),
            "/activations?device=CARD-PC005".to_owned(),
            "/status".to_owned(),
            "/status?device=CARD-PC005".to_owned(),
            "/reimage-fixes".to_owned(),
            "/reimage-fixes?device=CARD-PC005".to_owned(),
            "/audit".to_owned(),
            "/audit?actor=alice".to_owned(),
            "/audit?limit=1000".to_owned(),
        ];
        for path in &reads {
            let (status, body) = server.get(path, &token).await;
            let text = body.to_string();
            for secret in secrets {
                assert!(
                    !text.contains(secret),
                    "{caller} reads {secret} through GET {path} ({status}): {text}"
                );
            }
        }
        let (status, body) = server.get(&format!("/requests/{request_id}"), &token).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{caller} reads the request by id: {body}");
        let deactivate = format!("/activations/{activation_id}/deactivate");
        let (status, body) = server.post(&deactivate, &token, json!({})).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "{caller} deactivates alice's activation: {status} {body}"
        );
        let cancel = format!("/requests/{request_id}/cancel");
        let (status, body) = server.post(&cancel, &token, json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{caller} cancels alice's request: {body}");
    }
}
