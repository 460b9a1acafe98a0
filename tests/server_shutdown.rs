//! `SIGTERM` (what systemd sends) stops `jitd serve` gracefully: no new connections, requests
//! in flight finish and are kept, and a request that outlasts the grace period does not keep
//! the server from stopping.

mod serve_support;

use std::time::{Duration, Instant};

use serde_json::json;
use serve_support::{Database, PASSWORD, Served};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn serve(database: &Database, config: &str) -> Served {
    let config = database.config(config);
    let url = database.url.clone();
    let args = ["--config".to_owned(), config.to_str().unwrap().to_owned()];
    tokio::task::spawn_blocking(move || {
        Served::start(&url, &args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap()
}

async fn login(served: &Served) -> String {
    let body = json!({ "username": "alice", "password": PASSWORD });
    let url = format!("http://{}/api/v1/auth/login", served.addr);
    let response = reqwest::Client::new().post(url).json(&body).send().await.unwrap();
    let value: serde_json::Value = response.json().await.unwrap();
    value["token"].as_str().unwrap().to_owned()
}

/// Opens a connection and sends a request's head and the first `sent` bytes of its body.
async fn start_request(served: &Served, token: &str, body: &str, sent: usize) -> TcpStream {
    let mut stream = TcpStream::connect(&served.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/requests HTTP/1.1\r\nHost: jitd\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..sent]).await.unwrap();
    // Let the server read the head, so the request is in flight when the signal comes.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stream
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_lets_a_request_in_flight_finish_and_keeps_its_write() {
    let database = Database::new();
    let mut served = serve(&database, "shutdown_grace_seconds = 10\n").await;
    let token = login(&served).await;
    let body = json!({ "device": "CARD-PC007", "reason": "sent across a SIGTERM" }).to_string();
    let mut stream = start_request(&served, &token, &body, 10).await;

    served.terminate();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(TcpStream::connect(&served.addr).await.is_err(), "new connections are refused");
    assert!(served.child.try_wait().unwrap().is_none(), "it waits for the request in flight");

    stream.write_all(&body.as_bytes()[10..]).await.unwrap();
    let mut answer = String::new();
    let read = stream.read_to_string(&mut answer);
    tokio::time::timeout(Duration::from_secs(10), read).await.expect("an answer").unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(answer.contains("sent across a SIGTERM"), "{answer}");

    let status = served.wait_exit(Duration::from_secs(5)).expect("jitd stops once it is done");
    assert!(status.success(), "{status}");

    let pool = sqlx::SqlitePool::connect(&database.url).await.unwrap();
    let kept: (i64,) =
        sqlx::query_as("SELECT count(*) FROM requests WHERE reason = 'sent across a SIGTERM'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(kept.0, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_that_outlasts_the_grace_period_does_not_hold_the_shutdown() {
    let database = Database::new();
    let config = "shutdown_grace_seconds = 1\nbody_read_timeout_seconds = 60\n";
    let mut served = serve(&database, config).await;
    let token = login(&served).await;
    let body = json!({ "device": "CARD-PC008", "reason": "never finished" }).to_string();
    let _stream = start_request(&served, &token, &body, 10).await;

    let started = Instant::now();
    served.terminate();
    let status = served.wait_exit(Duration::from_secs(10)).expect("jitd stops");
    let took = started.elapsed();
    assert!(status.success(), "{status}");
    assert!(took >= Duration::from_millis(900), "it gave the request its grace: {took:?}");
    assert!(took < Duration::from_millis(2500), "{took:?}");
}
