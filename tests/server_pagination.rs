//! List cursors are keysets: records added while a client pages through a list neither
//! repeat an item nor make one go missing.

mod common;

use std::collections::HashSet;

use common::TestServer;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// One page of `path` (which has a query already) after `cursor`.
async fn page(server: &TestServer, token: &str, path: &str, cursor: Option<&str>) -> Value {
    let path = match cursor {
        Some(c) => format!("{path}&cursor={c}"),
        None => path.to_owned(),
    };
    let (status, page) = server.get(&path, token).await;
    assert_eq!(status, StatusCode::OK, "{path}: {page}");
    page
}

fn ids(page: &Value, field: &str) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|item| item[field].to_string()).collect()
}

/// Reads the first page, lets `insert` add records, reads the rest; then checks that every
/// record present from the start was seen exactly once.
async fn walk_while_inserting<F, Fut>(
    server: &TestServer,
    token: &str,
    path: &str,
    field: &str,
    insert: F,
) where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let everything = page(server, token, &format!("{path}&limit=500"), None).await;
    let before: Vec<String> = ids(&everything, field);
    assert!(before.len() >= 4, "too few records to page through: {everything}");

    let first = page(server, token, &format!("{path}&limit=2"), None).await;
    let mut seen = ids(&first, field);
    insert().await;
    let mut cursor = first["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let next = page(server, token, &format!("{path}&limit=2"), Some(&c)).await;
        seen.extend(ids(&next, field));
        cursor = next["next_cursor"].as_str().map(str::to_owned);
    }

    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "{path}: an item repeated: {seen:?}");
    for id in &before {
        assert!(unique.contains(id), "{path}: {id} skipped; seen {seen:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_page_without_repeats_or_gaps_while_new_ones_arrive() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let ada = server.login("ada").await;
    for n in 1..=6 {
        server.request_access(&alice, &format!("CARD-PC{n:03}")).await;
    }
    walk_while_inserting(&server, &ada, "/requests?mine=false", "id", || async {
        for n in 7..=9 {
            server.request_access(&alice, &format!("CARD-PC{n:03}")).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn activations_page_without_repeats_or_gaps_while_new_ones_arrive() {
    let server = TestServer::start();
    let alice = server.login("alice").await;
    let carol = server.login("carol").await;
    let devices: Vec<String> = (1..=7).map(|n| format!("CARD-PC{n:03}")).collect();
    for device in &devices {
        let request = server.request_access(&alice, device).await;
        server.approve(&carol, request["id"].as_str().unwrap()).await;
        server.check_in(device, &format!("agent-{device}")).await;
    }
    server.complete_training("alice", "2027-03-01").await;
    let activate = |device: String| {
        let alice = alice.clone();
        let server = &server;
        async move {
            let (status, body) =
                server.post("/activations", &alice, json!({ "device": device })).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
    };
    for device in &devices[..4] {
        activate(device.clone()).await;
    }
    walk_while_inserting(&server, &alice, "/activations?live=false", "id", || async {
        for device in &devices[4..] {
            activate(device.clone()).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reimage_fixes_page_without_repeats_or_gaps_while_new_ones_arrive() {
    let server = TestServer::start();
    let ivan = server.login("ivan").await;
    let devices: Vec<String> = (1..=6).map(|n| format!("ED-PC{n:03}")).collect();
    for device in &devices {
        server.check_in(device, "old").await;
        server.check_in(device, "new").await;
    }
    let file = |names: &[String]| {
        let body = json!({ "devices": names });
        let (ivan, server) = (ivan.clone(), &server);
        async move {
            let (status, body) = server.post("/reimage-fixes", &ivan, body).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
    };
    file(&devices[..4]).await;
    walk_while_inserting(&server, &ivan, "/reimage-fixes?state=open", "id", || file(&devices[4..]))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_events_page_without_repeats_or_gaps_while_new_ones_arrive() {
    let server = TestServer::start();
    let ada = server.login("ada").await;
    for _ in 0..4 {
        server.login("ada").await;
    }
    walk_while_inserting(&server, &ada, "/audit?actor=ada", "id", || async {
        for _ in 0..3 {
            server.login("ada").await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cursor_is_opaque_and_a_forged_one_is_refused() {
    let server = TestServer::start();
    let ada = server.login("ada").await;
    let first = page(&server, &ada, "/devices?limit=2", None).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    assert!(!cursor.contains("CARD"), "{cursor}");
    for forged in ["o2", "kzz", "12"] {
        let (status, problem) = server.get(&format!("/devices?cursor={forged}"), &ada).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{forged}: {problem}");
        assert_eq!(problem["code"], "invalid_input");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_limit_outside_its_bounds_is_refused_rather_than_cut() {
    let server = TestServer::start();
    let ada = server.login("ada").await;
    for path in ["/requests?limit=0", "/devices?limit=501", "/audit?limit=1001"] {
        let (status, problem) = server.get(path, &ada).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {problem}");
    }
    let (status, _) = server.get("/audit?limit=1000", &ada).await;
    assert_eq!(status, StatusCode::OK);
}
