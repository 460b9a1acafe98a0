//! How fast `jitd` answers the calls that matter, measured against a real server.
//!
//! ```text
//! cargo bench --bench api            # prints one line per scenario
//! JIT_BENCH_SCALE=5 cargo bench --bench api
//! ```
//!
//! A server starts in this process on a loopback port, on a fresh SQLite file with the
//! sample hospital, and real HTTP clients drive it:
//!
//! - agent check-ins: every managed device polls its policy, so this is the hottest path;
//! - `jit status`: what power users run all day;
//! - filing requests, one batch decision over all of them, and activations;
//! - the `jit` binary's start-up, which every command pays.
//!
//! Numbers are wall-clock on whatever machine runs it: compare runs on one machine, not
//! across machines.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::Utc;
use futures::{StreamExt, TryStreamExt};
use jit::api::{
    API_PREFIX, AgentCheckIn, DecisionBatch, DecisionItem, NewAccessRequest, NewActivation,
    TrainingCompletion, TrainingCompletionBatch,
};
use jit::server::cli::dev_server::{DevInstance, start_dev};
use jit::server::config::Settings;
use serde_json::Value;

const PASSWORD: &str = "jit-demo-2026";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `cargo test --benches` runs bench targets with `--bench` absent; stay quick then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("api bench: run with `cargo bench --bench api`");
        return Ok(());
    }
    let scale: usize =
        std::env::var("JIT_BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1);

    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
    let store = jit::server::open_store(&url).await?;
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let setup = Instant::now();
    let instance =
        start_dev(store, Settings::default(), "127.0.0.1:0", Some(&sample), Utc::now()).await?;
    println!("setup: fresh database with the sample imported in {:.1?}", setup.elapsed());

    let bench = Bench::new(&instance)?;
    let devices = bench.devices("CARD-PC", 20);

    bench.check_ins(&devices, 2000 * scale, 16).await?;
    let alice = bench.login("alice").await?;
    let carol = bench.login("carol").await?;
    bench.status(&alice, 1000 * scale, 8).await?;
    let ids = bench.file_requests(&alice, &devices).await?;
    bench.decide_batch(&carol, &ids).await?;
    bench.complete_training("alice").await?;
    bench.activate(&alice, &devices).await?;
    cli_start_up(20)?;

    instance.server.stop().await
}

struct Bench {
    base: String,
    http: reqwest::Client,
    agent_token: String,
    lms_token: String,
}

impl Bench {
    fn new(instance: &DevInstance) -> anyhow::Result<Bench> {
        Ok(Bench {
            base: format!("http://{}{API_PREFIX}", instance.server.addr),
            http: reqwest::Client::builder().pool_max_idle_per_host(64).build()?,
            agent_token: instance.agent_token.clone(),
            lms_token: instance.learning_system_token.clone(),
        })
    }

    fn devices(&self, prefix: &str, count: usize) -> Vec<String> {
        (1..=count).map(|n| format!("{prefix}{n:03}")).collect()
    }

    async fn post(
        &self,
        token: &str,
        route: &str,
        body: &impl serde::Serialize,
    ) -> anyhow::Result<Value> {
        let response = self
            .http
            .post(format!("{}{route}", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("POST {route} answered {status}: {body}");
        }
        Ok(body)
    }

    async fn login(&self, user: &str) -> anyhow::Result<String> {
        let body = serde_json::json!({ "username": user, "password": PASSWORD });
        let issued = self.post("", "/auth/login", &body).await?;
        issued["token"].as_str().map(str::to_owned).context("no token in the login answer")
    }

    /// Agents of `devices` checking in, `total` times in all, `concurrency` at once.
    async fn check_ins(
        &self,
        devices: &[String],
        total: usize,
        concurrency: usize,
    ) -> anyhow::Result<()> {
        let calls = (0..total).map(|n| {
            let device = devices[n % devices.len()].clone();
            let agent_id = format!("epm-bench-{device}");
            async move {
                let check_in = AgentCheckIn { device, agent_id };
                self.post(&self.agent_token, "/agent/check-in", &check_in).await.map(drop)
            }
        });
        let timings = run_concurrently(calls, concurrency).await?;
        report("agent check-in", concurrency, &timings);
        Ok(())
    }

    async fn status(&self, token: &str, total: usize, concurrency: usize) -> anyhow::Result<()> {
        let calls = (0..total).map(|_| async move {
            let response =
                self.http.get(format!("{}/status", self.base)).bearer_auth(token).send().await?;
            if !response.status().is_success() {
                bail!("GET /status answered {}", response.status());
            }
            response.bytes().await?;
            Ok(())
        });
        let timings = run_concurrently(calls, concurrency).await?;
        report("GET /status", concurrency, &timings);
        Ok(())
    }

    async fn file_requests(&self, token: &str, devices: &[String]) -> anyhow::Result<Vec<String>> {
        let mut ids = Vec::new();
        let mut timings = Vec::new();
        for device in devices {
            let new = NewAccessRequest {
                device: device.clone(),
                reason: "benchmark".to_owned(),
                ticket: None,
            };
            let started = Instant::now();
            let created = self.post(token, "/requests", &new).await?;
            timings.push(started.elapsed());
            let id = created["request"]["id"].as_str().context("no request id")?;
            ids.push(id.to_owned());
        }
        let wall = timings.iter().sum();
        report("POST /requests", 1, &Timings { calls: timings, wall });
        Ok(ids)
    }

    async fn decide_batch(&self, token: &str, ids: &[String]) -> anyhow::Result<()> {
        let items = ids
            .iter()
            .map(|id| {
                Ok(DecisionItem {
                    request_id: id.parse()?,
                    decision: jit::api::Decision::Approve,
                    reason: None,
                    approval_expires_at: None,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let started = Instant::now();
        self.post(token, "/decisions", &DecisionBatch { items }).await?;
        let wall = started.elapsed();
        let timings = Timings { calls: vec![wall], wall };
        report(&format!("POST /decisions ({} items)", ids.len()), 1, &timings);
        Ok(())
    }

    async fn complete_training(&self, user: &str) -> anyhow::Result<()> {
        let today = Utc::now().date_naive();
        let items = vec![TrainingCompletion {
            username: user.to_owned(),
            completed_on: today,
            good_through: today + chrono::Duration::days(365),
        }];
        self.post(&self.lms_token, "/training/completions", &TrainingCompletionBatch { items })
            .await
            .map(drop)
    }

    async fn activate(&self, token: &str, devices: &[String]) -> anyhow::Result<()> {
        let calls = devices.iter().map(|device| async move {
            let new = NewActivation { device: device.clone(), duration_minutes: None };
            self.post(token, "/activations", &new).await.map(drop)
        });
        let timings = run_concurrently(calls, 8).await?;
        report("POST /activations", 8, &timings);
        Ok(())
    }
}

/// Durations of single calls, and the wall time of the whole run.
struct Timings {
    calls: Vec<Duration>,
    wall: Duration,
}

/// Runs the calls with at most `concurrency` in flight.
async fn run_concurrently<F>(
    calls: impl Iterator<Item = F>,
    concurrency: usize,
) -> anyhow::Result<Timings>
where
    F: std::future::Future<Output = anyhow::Result<()>>,
{
    let started = Instant::now();
    let timed = calls.map(|call| async move {
        let began = Instant::now();
        call.await?;
        anyhow::Ok(began.elapsed())
    });
    let calls = futures::stream::iter(timed).buffer_unordered(concurrency).try_collect().await?;
    Ok(Timings { calls, wall: started.elapsed() })
}

/// One line per scenario: calls, throughput, and latency percentiles.
fn report(name: &str, concurrency: usize, timings: &Timings) {
    let wall = timings.wall;
    let mut sorted = timings.calls.clone();
    sorted.sort();
    let at = |p: f64| sorted[((sorted.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{name:<32} {:>6} calls  x{concurrency:<3} {:>8.0} calls/s  p50 {:>8.2?}  p99 {:>8.2?}",
        sorted.len(),
        sorted.len() as f64 / wall.as_secs_f64(),
        at(0.5),
        at(0.99),
    );
}

/// Wall time of `jit --version`, the floor under every command.
fn cli_start_up(runs: usize) -> anyhow::Result<()> {
    let mut timings = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_jit"))
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .status()?;
        if !status.success() {
            bail!("jit --version failed");
        }
        timings.push(started.elapsed());
    }
    let wall = timings.iter().sum();
    report("jit --version (process start)", 1, &Timings { calls: timings, wall });
    Ok(())
}
