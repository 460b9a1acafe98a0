//! Crash safety: a real `jitd serve` is killed with SIGKILL in the middle of a stream of writes
//! from several clients at once, five times over, and restarted on the same database each
//! time. Every write it acknowledged (a 2xx received) must be there afterwards, and nothing
//! may be half-written: no decided request without its decider, no state change without its
//! audit event, no audit event about something that does not exist, no device whose state
//! contradicts its fix requests.

mod serve_support;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use serve_support::{Database, PASSWORD, REQUESTERS, Served, device};
use sqlx::Row;
use sqlx::sqlite::SqlitePool;

const KILLS: usize = 5;

/// Devices the requesters ask for and activate on; their agents keep one identity.
const STEADY_DEVICES: std::ops::RangeInclusive<usize> = 1..=20;
/// Devices whose agents come back with a new identity every round (a reimage), which IAM
/// then fixes.
const REIMAGED_DEVICES: std::ops::RangeInclusive<usize> = 21..=25;

/// Every write the server acknowledged, by kind.
#[derive(Debug, Default, Clone)]
struct Acknowledged {
    /// Request ids created.
    requests: Vec<String>,
    /// (request id, "approved" or "denied") decided.
    decisions: Vec<(String, String)>,
    /// Activation ids created.
    activations: Vec<String>,
    /// Activation ids deactivated.
    deactivations: Vec<String>,
    /// (device, agent identity) check-ins.
    check_ins: Vec<(String, String)>,
    /// Fix ids filed.
    fixes_filed: Vec<String>,
    /// (fix id, device, new agent identity) applied.
    fixes_applied: Vec<(String, String, String)>,
}

impl Acknowledged {
    fn total(&self) -> usize {
        self.requests.len()
            + self.decisions.len()
            + self.activations.len()
            + self.deactivations.len()
            + self.check_ins.len()
            + self.fixes_filed.len()
            + self.fixes_applied.len()
    }
}

type Ledger = Arc<Mutex<Acknowledged>>;

/// One client's view of the server: a base URL, a token and a shared stop flag.
#[derive(Clone)]
struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
    stop: Arc<AtomicBool>,
    /// Calls the kill cut off: sent, and never answered.
    cut_off: Arc<AtomicUsize>,
}

impl Client {
    /// POSTs `body`; the JSON answer when the server acknowledged it with a 2xx, `Ok(None)`
    /// for a refusal, `Err` once the server is gone.
    async fn post(&self, path: &str, body: Value) -> Result<Option<Value>, ()> {
        let sent = self.http.post(format!("{}{path}", self.base)).bearer_auth(&self.token);
        let response = sent.json(&body).send().await.map_err(|_| self.cut())?;
        let ok = response.status().is_success();
        // The acknowledgement is the whole answer: a 2xx cut off mid-body is not one.
        let value: Value = response.json().await.map_err(|_| self.cut())?;
        Ok(ok.then_some(value))
    }

    async fn get(&self, path: &str) -> Result<Value, ()> {
        let sent = self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.token);
        let response = sent.send().await.map_err(|_| ())?;
        response.json().await.map_err(|_| ())
    }

    fn cut(&self) {
        self.cut_off.fetch_add(1, Ordering::Relaxed);
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

async fn login(http: &reqwest::Client, base: &str, username: &str) -> String {
    let body = json!({ "username": username, "password": PASSWORD });
    let response = http.post(format!("{base}/auth/login")).json(&body).send().await.unwrap();
    let value: Value = response.json().await.unwrap();
    value["token"].as_str().unwrap_or_else(|| panic!("login {username}: {value}")).to_owned()
}

/// A requester: asks for devices, activates where it can, and deactivates again.
async fn requester(client: Client, ledger: Ledger) {
    for n in STEADY_DEVICES.cycle() {
        if client.stopped() {
            return;
        }
        let device = device(n);
        let body = json!({ "device": device, "reason": "crash test" });
        let Ok(created) = client.post("/requests", body).await else { return };
        if let Some(created) = created.filter(|c| c["existing"] == false) {
            let id = created["request"]["id"].as_str().unwrap().to_owned();
            ledger.lock().unwrap().requests.push(id);
        }
        let Ok(activated) = client.post("/activations", json!({ "device": device })).await else {
            return;
        };
        let Some(activated) = activated else { continue };
        let id = activated["activation"]["id"].as_str().unwrap().to_owned();
        if activated["existing"] == false {
            ledger.lock().unwrap().activations.push(id.clone());
        }
        let Ok(ended) = client.post(&format!("/activations/{id}/deactivate"), json!({})).await
        else {
            return;
        };
        if ended.is_some() {
            ledger.lock().unwrap().deactivations.push(id);
        }
    }
}

/// The responsible person: approves or denies whatever awaits a decision, in batches.
async fn responsible_person(client: Client, ledger: Ledger) {
    let mut approve = true;
    while !client.stopped() {
        let Ok(page) = client.get("/requests?awaiting_decision=true&limit=20").await else {
            return;
        };
        let items: Vec<Value> = page["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|r| {
                        approve = !approve;
                        let decision = if approve { "approve" } else { "deny" };
                        json!({ "request_id": r["id"], "decision": decision, "reason": "test" })
                    })
                    .collect()
            })
            .unwrap_or_default();
        if items.is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        }
        let Ok(Some(batch)) = client.post("/decisions", json!({ "items": items })).await else {
            return;
        };
        let mut ledger = ledger.lock().unwrap();
        for result in batch["results"].as_array().unwrap() {
            if result["ok"] == true {
                let value = &result["value"];
                let state = value["state"].as_str().unwrap().to_owned();
                ledger.decisions.push((value["id"].as_str().unwrap().to_owned(), state));
            }
        }
    }
}

/// The endpoint agents: steady devices keep their identity, reimaged ones take the round's.
async fn agents(client: Client, ledger: Ledger, round: usize) {
    let devices = STEADY_DEVICES.chain(REIMAGED_DEVICES);
    for n in devices.cycle() {
        if client.stopped() {
            return;
        }
        let identity = if REIMAGED_DEVICES.contains(&n) {
            format!("agent-{n}-round-{round}")
        } else {
            format!("agent-{n}")
        };
        let body = json!({ "device": device(n), "agent_id": identity });
        let Ok(answer) = client.post("/agent/check-in", body).await else { return };
        if answer.is_some() {
            ledger.lock().unwrap().check_ins.push((device(n), identity));
        }
    }
}

/// IAM: files a fix for every reimaged device and applies it.
async fn iam(client: Client, ledger: Ledger) {
    while !client.stopped() {
        let Ok(page) = client.get("/devices?state=reimaged").await else { return };
        let devices: Vec<Value> = page["items"]
            .as_array()
            .map(|items| items.iter().map(|d| d["name"].clone()).collect())
            .unwrap_or_default();
        if devices.is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        }
        let body = json!({ "devices": devices });
        let Ok(filed) = client.post("/reimage-fixes", body.clone()).await else { return };
        for result in filed.iter().flat_map(|b| b["results"].as_array().unwrap()) {
            if result["ok"] == true && result["outcome"] == "filed" {
                let id = result["value"]["id"].as_str().unwrap().to_owned();
                ledger.lock().unwrap().fixes_filed.push(id);
            }
        }
        let Ok(applied) = client.post("/reimage-fixes/apply", body).await else { return };
        for result in applied.iter().flat_map(|b| b["results"].as_array().unwrap()) {
            if result["ok"] == true && result["outcome"] == "fixed" {
                let fix = &result["value"];
                let entry = (
                    fix["id"].as_str().unwrap().to_owned(),
                    fix["device"].as_str().unwrap().to_owned(),
                    fix["new_agent_id"].as_str().unwrap().to_owned(),
                );
                ledger.lock().unwrap().fixes_applied.push(entry);
            }
        }
    }
}

/// Drives every client against `served` until it is killed after `run_for`.
async fn round(
    served: Served,
    database: &Database,
    ledger: &Ledger,
    cut_off: &Arc<AtomicUsize>,
    round: usize,
    run_for: u64,
) {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
    let base = format!("http://{}/api/v1", served.addr);
    let stop = Arc::new(AtomicBool::new(false));
    let client = |token: String| Client {
        http: http.clone(),
        base: base.clone(),
        token,
        stop: stop.clone(),
        cut_off: cut_off.clone(),
    };
    let mut tasks = Vec::new();
    for name in REQUESTERS {
        let token = login(&http, &base, name).await;
        tasks.push(tokio::spawn(requester(client(token), ledger.clone())));
    }
    let carol = login(&http, &base, "carol").await;
    tasks.push(tokio::spawn(responsible_person(client(carol), ledger.clone())));
    let ada = login(&http, &base, "ada").await;
    tasks.push(tokio::spawn(iam(client(ada), ledger.clone())));
    let agent = client(database.agent_token.clone());
    tasks.push(tokio::spawn(agents(agent, ledger.clone(), round)));

    tokio::time::sleep(Duration::from_millis(run_for)).await;
    // Off the runtime: reaping the process blocks.
    tokio::task::spawn_blocking(move || served.kill()).await.unwrap();
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.unwrap();
    }
}

/// Records training for every requester through the learning system's credential.
async fn complete_training(served: &Served, database: &Database) {
    let items: Vec<Value> = REQUESTERS
        .iter()
        .map(|u| {
            json!({ "username": u, "completed_on": "2026-01-05", "good_through": "2099-12-31" })
        })
        .collect();
    let response = reqwest::Client::new()
        .post(format!("http://{}/api/v1/training/completions", served.addr))
        .bearer_auth(&database.lms_token)
        .json(&json!({ "items": items }))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
}

async fn strings(pool: &SqlitePool, sql: &str) -> Vec<Vec<Option<String>>> {
    let rows = sqlx::query(sql).fetch_all(pool).await.unwrap();
    rows.iter()
        .map(|row| (0..row.len()).map(|i| row.get::<Option<String>, _>(i)).collect())
        .collect()
}

/// Every acknowledged write is in the database as acknowledged.
async fn check_acknowledged(pool: &SqlitePool, acked: &Acknowledged) {
    let requests: HashMap<String, (String, Option<String>)> =
        strings(pool, "SELECT id, state, decided_by FROM requests")
            .await
            .into_iter()
            .map(|r| (r[0].clone().unwrap(), (r[1].clone().unwrap(), r[2].clone())))
            .collect();
    for id in &acked.requests {
        assert!(requests.contains_key(id), "acknowledged request {id} is lost");
    }
    for (id, state) in &acked.decisions {
        let (now, decided_by) = &requests[id];
        assert_eq!(now, state, "acknowledged decision on {id} is lost");
        assert_eq!(decided_by.as_deref(), Some("carol"), "{id}");
    }

    let activations: HashMap<String, String> = strings(pool, "SELECT id, state FROM activations")
        .await
        .into_iter()
        .map(|r| (r[0].clone().unwrap(), r[1].clone().unwrap()))
        .collect();
    for id in &acked.activations {
        assert!(activations.contains_key(id), "acknowledged activation {id} is lost");
    }
    for id in &acked.deactivations {
        assert_eq!(activations[id], "deactivated", "acknowledged deactivation of {id} is lost");
    }

    let checked_in: HashSet<String> =
        strings(pool, "SELECT name FROM devices WHERE last_check_in_at IS NOT NULL")
            .await
            .into_iter()
            .map(|r| r[0].clone().unwrap())
            .collect();
    for (device, identity) in &acked.check_ins {
        assert!(checked_in.contains(device), "check-in of {device} as {identity} is lost");
    }

    let fixes: HashMap<String, (String, Option<String>)> =
        strings(pool, "SELECT id, state, new_agent_id FROM reimage_fixes")
            .await
            .into_iter()
            .map(|r| (r[0].clone().unwrap(), (r[1].clone().unwrap(), r[2].clone())))
            .collect();
    for id in &acked.fixes_filed {
        assert!(fixes.contains_key(id), "acknowledged fix request {id} is lost");
    }
    for (id, device, identity) in &acked.fixes_applied {
        let (state, new_agent_id) = &fixes[id];
        assert_eq!(state, "resolved", "acknowledged fix of {device} is lost");
        assert_eq!(new_agent_id.as_deref(), Some(identity.as_str()));
    }
}

/// Nothing is half-written, whatever was acknowledged.
async fn check_consistent(pool: &SqlitePool) {
    let integrity = strings(pool, "PRAGMA integrity_check").await;
    assert_eq!(integrity[0][0].as_deref(), Some("ok"), "{integrity:?}");

    let violations = [
        // A decision is recorded whole: state, who and when together.
        "SELECT id FROM requests WHERE state IN ('approved', 'denied', 'expired')
            AND (decided_by IS NULL OR decided_at IS NULL)",
        "SELECT id FROM requests WHERE state = 'approved' AND approval_expires_at IS NULL",
        "SELECT id FROM requests WHERE state = 'pending' AND decided_by IS NOT NULL",
        // Every request was created with its audit event, every decision made with one.
        "SELECT id FROM requests r WHERE NOT EXISTS (SELECT 1 FROM audit a
            WHERE a.subject = 'request:' || r.id AND a.action = 'request.create')",
        "SELECT id FROM requests r WHERE decided_by IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM audit a WHERE a.subject = 'request:' || r.id
            AND a.actor = r.decided_by AND a.action <> 'request.create')",
        "SELECT id FROM activations v WHERE NOT EXISTS (SELECT 1 FROM audit a
            WHERE a.subject = 'activation:' || v.id AND a.action = 'activation.create')",
        // Every audit event is about something that exists.
        "SELECT subject FROM audit WHERE subject LIKE 'request:%'
            AND substr(subject, 9) NOT IN (SELECT id FROM requests)",
        "SELECT subject FROM audit WHERE subject LIKE 'activation:%'
            AND substr(subject, 12) NOT IN (SELECT id FROM activations)",
        "SELECT subject FROM audit WHERE subject LIKE 'device:%'
            AND substr(subject, 8) NOT IN (SELECT name FROM devices)",
        // An activation needs an approval: none exists without one.
        "SELECT id FROM activations v WHERE NOT EXISTS (SELECT 1 FROM requests r
            WHERE r.requester = v.username AND r.device_key = v.device_key
            AND r.state IN ('approved', 'expired'))",
        "SELECT id FROM activations WHERE state = 'deactivated' AND ended_at IS NULL",
        "SELECT id FROM activations WHERE state = 'active' AND effective_at IS NULL",
        // Devices agree with their fix requests.
        "SELECT name FROM devices WHERE state = 'bound' AND agent_id IS NULL",
        "SELECT id FROM reimage_fixes WHERE state = 'resolved'
            AND (resolved_by IS NULL OR resolved_at IS NULL)",
        "SELECT f.id FROM reimage_fixes f JOIN devices d ON d.name_key = f.device_key
            WHERE f.state = 'open' AND d.state <> 'reimaged'",
        // The latest resolved fix of a device bound it to the fix's new identity, unless
        // the device was reimaged again after it.
        "SELECT f.id FROM reimage_fixes f JOIN devices d ON d.name_key = f.device_key
            WHERE f.state = 'resolved' AND d.state = 'bound'
            AND f.resolved_at = (SELECT max(resolved_at) FROM reimage_fixes g
                WHERE g.device_key = f.device_key AND g.state = 'resolved')
            AND d.agent_id IS NOT f.new_agent_id",
    ];
    for sql in violations {
        let rows = strings(pool, sql).await;
        assert!(rows.is_empty(), "half-written state: {sql}\n{rows:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_repeated_sigkills_and_nothing_is_half_written() {
    let started = Instant::now();
    let database = tokio::task::spawn_blocking(Database::new).await.unwrap();
    let ledger: Ledger = Arc::default();
    let cut_off = Arc::new(AtomicUsize::new(0));
    let url = database.url.clone();

    let first = tokio::task::spawn_blocking(move || Served::start(&url, &[])).await.unwrap();
    complete_training(&first, &database).await;
    let mut served = first;
    for kill in 0..KILLS {
        // Kill points spread over the stream: early, late and in between.
        let run_for = 600 + 350 * kill as u64;
        round(served, &database, &ledger, &cut_off, kill, run_for).await;

        let url = database.url.clone();
        served = tokio::task::spawn_blocking(move || Served::start(&url, &[])).await.unwrap();
        let ready = reqwest::get(format!("http://{}/readyz", served.addr)).await.unwrap();
        assert!(ready.status().is_success(), "jitd is not ready after kill {kill}");

        let pool = SqlitePool::connect(&database.url).await.unwrap();
        let acked = ledger.lock().unwrap().clone();
        check_acknowledged(&pool, &acked).await;
        check_consistent(&pool).await;
        pool.close().await;
    }
    tokio::task::spawn_blocking(move || served.kill()).await.unwrap();

    let acked = ledger.lock().unwrap().clone();
    eprintln!(
        "crash safety: {KILLS} SIGKILLs, {} acknowledged writes ({} requests, {} decisions, \
         {} activations, {} deactivations, {} check-ins, {} fixes filed, {} applied), \
         {} writes cut off in flight, none lost, in {:?}",
        acked.total(),
        acked.requests.len(),
        acked.decisions.len(),
        acked.activations.len(),
        acked.deactivations.len(),
        acked.check_ins.len(),
        acked.fixes_filed.len(),
        acked.fixes_applied.len(),
        cut_off.load(Ordering::Relaxed),
        started.elapsed(),
    );
    // The test means something only if the stream really wrote, of every kind.
    assert!(acked.total() >= 200, "only {} writes were acknowledged", acked.total());
    assert!(!acked.decisions.is_empty() && !acked.activations.is_empty());
    assert!(!acked.fixes_applied.is_empty() && !acked.deactivations.is_empty());
    assert!(cut_off.load(Ordering::Relaxed) >= KILLS, "the kills hit no write in flight");
}
