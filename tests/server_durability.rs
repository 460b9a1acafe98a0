//! What the API acknowledged survives a crash, and a broken database is a 503 or a 500
//! that says nothing about the inside.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use serde_json::json;

fn dev_server(database: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jitd"))
        .env_clear()
        .env("JITD_DATABASE_URL", format!("sqlite://{}", database.display()))
        .args(["dev-server", "--start-time", common::START, "--sample"])
        .arg(common::sample_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let ready: serde_json::Value = serde_json::from_str(&line).unwrap();
    (child, ready["url"].as_str().unwrap().to_owned())
}

async fn login(http: &reqwest::Client, url: &str) -> String {
    let body = json!({ "username": "alice", "password": common::DEMO_PASSWORD });
    let response = http.post(format!("{url}/api/v1/auth/login")).json(&body).send().await;
    let value: serde_json::Value = response.unwrap().json().await.unwrap();
    value["token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_acknowledged_request_survives_the_server_being_killed() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("jitd.db");
    let http = reqwest::Client::new();

    let (mut first, url) = dev_server(&database);
    let alice = login(&http, &url).await;
    let body = json!({ "device": "CARD-PC014", "reason": "driver" });
    let created = http.post(format!("{url}/api/v1/requests")).bearer_auth(&alice).json(&body);
    let created: serde_json::Value = created.send().await.unwrap().json().await.unwrap();
    first.kill().unwrap();
    first.wait().unwrap();

    let (mut second, url) = dev_server(&database);
    let alice = login(&http, &url).await;
    let mine = http.get(format!("{url}/api/v1/requests?mine=true")).bearer_auth(&alice);
    let mine: serde_json::Value = mine.send().await.unwrap().json().await.unwrap();
    second.kill().unwrap();
    second.wait().unwrap();
    assert_eq!(mine["items"][0]["id"], created["request"]["id"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_that_stops_answering_is_unready_and_errors_say_nothing_inside() {
    use jit::server::storage::sqlite::SqliteStore;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("jitd.db").display());
    let store = SqliteStore::open(&url).await.unwrap();
    store.close().await;
    let state = jit::server::AppState::new(
        Arc::new(store),
        jit::server::config::Settings::default(),
        Arc::new(jit::server::clock::SystemClock),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = jit::server::start(listener, state).await.unwrap();
    let base = format!("http://{}", server.addr);
    let http = reqwest::Client::new();

    let ready = http.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let problem: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(problem["code"], "unavailable");

    let body = json!({ "username": "alice", "password": "whatever" });
    let login = http.post(format!("{base}/api/v1/auth/login")).json(&body).send().await.unwrap();
    assert_eq!(login.status(), 500);
    let problem: serde_json::Value = login.json().await.unwrap();
    assert_eq!(problem["code"], "internal");
    let text = problem.to_string().to_lowercase();
    assert!(!text.contains("sqlite") && !text.contains("pool"), "{text}");
    assert!(problem["request_id"].is_string());
    server.stop().await.unwrap();
}
