//! A real `jitd` for tests: a fresh SQLite database in a temp dir, the sample directory,
//! a controllable clock, on a loopback port. The `jit` CLI tests reuse it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use jit::server::cli::dev_server::start_dev_server;
use jit::server::clock::ManualClock;
use jit::server::config::Settings;
use jit::server::storage::sqlite::SqliteStore;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// The password of every demo account in `sample/users.csv`.
pub const DEMO_PASSWORD: &str = "jit-demo-2026";

/// Where every test server's clock starts: a Monday morning.
pub const START: &str = "2026-03-02T09:00:00Z";

pub fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(START).unwrap().with_timezone(&Utc)
}

pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample")
}

/// A database with the sample imported, made once per test binary and copied per server,
/// because hashing the demo passwords and a few hundred fsynced writes take seconds.
fn template() -> &'static PathBuf {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let path = dir.join("template.db");
        let url = format!("sqlite://{}", dir.join("import.db").display());
        let template = path.clone();
        off_runtime(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let store = SqliteStore::open(&url).await.unwrap();
                use jit::server::storage::Store;
                store.migrate().await.unwrap();
                jit::server::import::import_directory(&store, &sample_dir(), start_time())
                    .await
                    .unwrap();
                // A standalone copy: the file the import wrote may still lean on its WAL.
                store.copy_to(&template).await.unwrap();
                store.close().await;
            });
        });
        path
    })
}

/// Runs `f` on a thread of its own, outside any async runtime the caller may be in.
fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f).join().unwrap()
}

/// A running server. Dropping it stops the server and removes its database.
pub struct TestServer {
    pub url: String,
    pub clock: Arc<ManualClock>,
    pub agent_token: String,
    pub learning_system_token: String,
    pub database: PathBuf,
    pub http: reqwest::Client,
    _server: jit::server::RunningServer,
    runtime: Option<tokio::runtime::Runtime>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server with default settings on its own runtime, so that both async and
    /// blocking tests can use it.
    pub fn start() -> TestServer {
        TestServer::start_with(Settings::default())
    }

    pub fn start_with(settings: Settings) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("jitd.db");
        std::fs::copy(template(), &database).unwrap();
        let url = format!("sqlite://{}", database.display());
        let (runtime, instance) = off_runtime(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            let instance = runtime.block_on(async {
                let store = jit::server::open_store(&url).await.unwrap();
                start_dev_server(store, settings, "127.0.0.1:0", None, start_time()).await.unwrap()
            });
            (runtime, instance)
        });
        TestServer {
            url: format!("http://{}", instance.server.addr),
            clock: instance.clock,
            agent_token: instance.agent_token,
            learning_system_token: instance.learning_system_token,
            database,
            http: reqwest::Client::new(),
            _server: instance.server,
            runtime: Some(runtime),
            _dir: dir,
        }
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{}", self.url, path)
    }

    /// Sends a request and returns the status and the JSON body (`Null` when empty).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, self.api(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let bytes = response.bytes().await.unwrap();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        (status, value)
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// Logs a demo account in and returns its token.
    pub async fn login(&self, username: &str) -> String {
        let body = serde_json::json!({ "username": username, "password": DEMO_PASSWORD });
        let (status, value) = self.call(Method::POST, "/auth/login", None, Some(body)).await;
        assert_eq!(status, StatusCode::OK, "login {username}: {value}");
        value["token"].as_str().unwrap().to_owned()
    }

    /// Moves the server's clock forward (and lets it record what expired).
    pub async fn advance(&self, seconds: i64) {
        let body = serde_json::json!({ "advance_seconds": seconds });
        let (status, value) = self.call(Method::POST, "/_test/clock", None, Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{value}");
    }

    pub async fn request_access(&self, token: &str, device: &str) -> Value {
        let body = serde_json::json!({ "device": device, "reason": "install a device driver" });
        let (status, value) = self.post("/requests", token, body).await;
        assert!(status.is_success(), "request {device}: {status} {value}");
        value["request"].clone()
    }

    pub async fn approve(&self, token: &str, request_id: &str) -> Value {
        let (status, value) = self
            .post(&format!("/requests/{request_id}/approve"), token, serde_json::json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "approve: {value}");
        value
    }

    /// Records a completion through the learning system's credential.
    pub async fn complete_training(&self, username: &str, good_through: &str) {
        let body = serde_json::json!({ "items": [{
            "username": username, "completed_on": "2026-03-02", "good_through": good_through,
        }]});
        let (status, value) =
            self.post("/training/completions", &self.learning_system_token, body).await;
        assert_eq!(status, StatusCode::OK, "{value}");
        assert_eq!(value["results"][0]["ok"], true, "{value}");
    }

    pub async fn check_in(&self, device: &str, agent_id: &str) -> (StatusCode, Value) {
        let body = serde_json::json!({ "device": device, "agent_id": agent_id });
        self.post("/agent/check-in", &self.agent_token, body).await
    }

    /// A requester with an approved request for `device`, current training, and a bound
    /// device: ready to activate. Returns the requester's token.
    pub async fn ready_to_activate(&self, requester: &str, rp: &str, device: &str) -> String {
        let token = self.login(requester).await;
        let rp_token = self.login(rp).await;
        let request = self.request_access(&token, device).await;
        self.approve(&rp_token, request["id"].as_str().unwrap()).await;
        self.complete_training(requester, "2027-03-01").await;
        let (status, value) = self.check_in(device, &format!("agent-{device}")).await;
        assert_eq!(status, StatusCode::OK, "{value}");
        token
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
