//! The `jitd` administration commands, run as a real process, and what `serve` never has.

mod common;

use std::sync::Arc;

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

fn jitd(database: &std::path::Path) -> Command {
    let mut command = Command::cargo_bin("jitd").unwrap();
    command.env_clear().env("JITD_DATABASE_URL", format!("sqlite://{}", database.display()));
    command
}

#[test]
fn importing_the_same_directory_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jitd.db");
    jitd(&db).arg("migrate").assert().success().stdout(contains("up to date"));
    jitd(&db)
        .args(["import"])
        .arg(common::sample_dir())
        .assert()
        .success()
        .stdout(contains("551 created, 0 updated, 0 unchanged"));
    jitd(&db)
        .args(["import"])
        .arg(common::sample_dir())
        .assert()
        .success()
        .stdout(contains("0 created, 0 updated, 551 unchanged"));
    jitd(&db).args(["user", "list"]).assert().success().stdout(contains("carol\tCardiology"));
}

#[test]
fn training_import_records_completions_and_names_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jitd.db");
    jitd(&db).arg("import").arg(common::sample_dir().join("departments.csv")).assert().success();
    jitd(&db).arg("import").arg(common::sample_dir().join("users.csv")).assert().success();
    let csv = dir.path().join("training.csv");
    std::fs::write(&csv, "username,completed_on,good_through\nalice,2026-03-01,2027-03-01\n")
        .unwrap();
    jitd(&db)
        .args(["training", "import"])
        .arg(&csv)
        .assert()
        .success()
        .stdout(contains("1 recorded"));
    jitd(&db)
        .args(["training", "import"])
        .arg(&csv)
        .assert()
        .success()
        .stdout(contains("1 unchanged"));
    std::fs::write(&csv, "username,completed_on,good_through\nalice,yesterday,2027-03-01\n")
        .unwrap();
    jitd(&db).args(["training", "import"]).arg(&csv).assert().failure().stderr(contains("line 2"));
}

#[test]
fn credentials_are_created_listed_and_revoked_without_showing_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jitd.db");
    let created = jitd(&db).args(["token", "create", "--agent", "epm"]).assert().success();
    let secret = String::from_utf8(created.get_output().stdout.clone()).unwrap();
    assert!(secret.trim().starts_with("jit_"));
    let listed = jitd(&db).args(["token", "list"]).assert().success();
    let listed = String::from_utf8(listed.get_output().stdout.clone()).unwrap();
    assert!(listed.contains("agent\tepm"));
    assert!(!listed.contains(secret.trim()));
    let id = listed.split('\t').next().unwrap();
    jitd(&db).args(["token", "revoke", id]).assert().success();
    jitd(&db).args(["token", "list"]).assert().success().stdout(contains("revoked"));
}

#[test]
fn an_unknown_configuration_key_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("jitd.toml");
    std::fs::write(&config, "activation_max_minute = 60\n").unwrap();
    jitd(&dir.path().join("x.db"))
        .arg("--config")
        .arg(&config)
        .arg("migrate")
        .assert()
        .failure()
        .stderr(contains("activation_max_minute"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_production_server_has_no_controllable_clock() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("jitd.db").display());
    let store = jit::server::open_store(&url).await.unwrap();
    let state = jit::server::AppState::new(
        store,
        jit::server::config::Settings::default(),
        Arc::new(jit::server::clock::SystemClock),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = jit::server::start(listener, state).await.unwrap();
    let url = format!("http://{}/api/v1/_test/clock", server.addr);
    let response = reqwest::Client::new()
        .post(url)
        .json(&serde_json::json!({ "advance_seconds": 3600 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND);
    server.stop().await.unwrap();
}

#[test]
fn dev_server_is_hidden_from_help() {
    let dir = tempfile::tempdir().unwrap();
    jitd(&dir.path().join("x.db"))
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("serve"))
        .stdout(contains("dev-server").not());
}
