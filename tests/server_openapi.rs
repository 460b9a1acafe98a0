//! The committed `openapi.json` is the one the code generates, and the one jitd serves.
//! Regenerate it with `UPDATE_OPENAPI=1 cargo test --test server_openapi`.

mod common;

use std::path::Path;

use common::TestServer;

fn generated() -> String {
    let document = jit::server::openapi::document();
    format!("{}\n", serde_json::to_string_pretty(&document).unwrap())
}

#[test]
fn the_committed_openapi_document_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let generated = generated();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test --test server_openapi`"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn jitd_serves_the_generated_document() {
    let server = TestServer::start();
    let served: serde_json::Value =
        server.http.get(server.api("/openapi.json")).send().await.unwrap().json().await.unwrap();
    let generated: serde_json::Value = serde_json::from_str(&generated()).unwrap();
    assert_eq!(served, generated);
    assert!(served["paths"]["/api/v1/decisions"]["post"].is_object());
}

/// Every error response is documented as a problem, and every parameter is where the server
/// reads it: a handler annotated without these would otherwise go unnoticed until a client
/// or schemathesis trips on it.
#[test]
fn every_error_is_a_problem_and_every_parameter_is_where_the_server_reads_it() {
    let document: serde_json::Value = serde_json::from_str(&generated()).unwrap();
    let mut faults = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            if path.starts_with("/api/v1") && !responses.contains_key("5XX") {
                faults.push(format!("{method} {path}: no 5XX response"));
            }
            for (status, response) in responses {
                let is_error = status.starts_with('4') || status.starts_with('5');
                let content = response["content"].as_object();
                let types: Vec<&String> = content.map(|c| c.keys().collect()).unwrap_or_default();
                if is_error && types != ["application/problem+json"] {
                    faults.push(format!("{method} {path} {status}: content types {types:?}"));
                }
            }
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap();
                let placed = parameter["in"].as_str().unwrap();
                let in_template = path.contains(&format!("{{{name}}}"));
                if (placed == "path") != in_template {
                    faults.push(format!("{method} {path}: parameter {name} is in {placed}"));
                }
                if placed != "path" && parameter["required"] == true {
                    faults.push(format!("{method} {path}: optional {name} marked required"));
                }
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}
