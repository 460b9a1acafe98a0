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
