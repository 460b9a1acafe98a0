//! Property-based testing of the API with schemathesis (`st`, from PyPI) against the
//! OpenAPI document a real `jitd` serves, once per kind of caller.
//!
//! Each run checks that no response is a 5xx, and that every status, content type and body
//! is one the document declares. The number of examples per operation is bounded so the
//! whole test stays within a few minutes on two cores; `JIT_SCHEMATHESIS_EXAMPLES` raises it.

mod common;

use std::process::Command;

use common::TestServer;

const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance";

/// A fixed seed, so that a failure in CI is reproduced by running the test again.
const SEED: &str = "20260302";

struct Run<'a> {
    caller: &'a str,
    token: String,
    /// `--include-path-regex`, or every operation but logout.
    only: Option<&'a str>,
}

fn examples() -> String {
    std::env::var("JIT_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "8".to_owned())
}

/// Runs `st` for one caller and returns how many test cases it generated.
fn run_schemathesis(server: &TestServer, run: &Run<'_>) -> u64 {
    let schema = server.api("/openapi.json");
    // st keeps caches (.schemathesis, .hypothesis) in its working directory: not the repo's.
    let workdir = tempfile::tempdir().unwrap();
    let mut command = Command::new("st");
    command
        .current_dir(workdir.path())
        .arg("run")
        .arg(&schema)
        .args(["--checks", CHECKS])
        .args(["--max-examples", &examples()])
        .args(["--seed", SEED])
        .args(["--phases", "examples,coverage,fuzzing"])
        // One worker: st 4.32 intermittently crashes in its own code generation with two.
        .args(["--workers", "1"])
        .args(["--suppress-health-check", "all"])
        .arg("--no-color")
        .arg("--header")
        .arg(format!("Authorization: Bearer {}", run.token))
        .env("SCHEMATHESIS_TELEMETRY", "false");
    match run.only {
        Some(regex) => command.args(["--include-path-regex", regex]),
        // Logging out would revoke the token the rest of the run depends on.
        None => command.args(["--exclude-path", "/api/v1/auth/logout"]),
    };
    let output = command.output().unwrap_or_else(|e| {
        panic!(
            "cannot run schemathesis (`st`): {e}. Install it with \
             `pip install schemathesis==4.32.5`."
        )
    });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "schemathesis found faults as {}:\n{stdout}\n{stderr}",
        run.caller
    );
    let generated = generated_cases(&stdout);
    eprintln!("schemathesis as {}: {generated} cases, all passed", run.caller);
    generated
}

/// The figure from st's summary line `N generated, ...`.
fn generated_cases(summary: &str) -> u64 {
    summary
        .lines()
        .filter_map(|line| line.trim().split_once(" generated"))
        .filter_map(|(count, _)| count.trim().parse().ok())
        .next_back()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_keeps_its_documented_contract_for_every_kind_of_caller() {
    let server = TestServer::start();
    let mut runs = Vec::new();
    for (caller, username) in
        [("requester", "alice"), ("rp", "carol"), ("iam", "ivan"), ("admin", "ada")]
    {
        runs.push(Run { caller, token: server.login(username).await, only: None });
    }
    runs.push(Run {
        caller: "agent",
        token: server.agent_token.clone(),
        only: Some("^/api/v1/agent/"),
    });
    runs.push(Run {
        caller: "learning system",
        token: server.learning_system_token.clone(),
        only: Some("^/api/v1/training/"),
    });
    // Logout gets a token of its own, which the run revokes.
    runs.push(Run {
        caller: "logout",
        token: server.login("bob").await,
        only: Some("^/api/v1/auth/logout$"),
    });

    let total: u64 =
        tokio::task::block_in_place(|| runs.iter().map(|run| run_schemathesis(&server, run)).sum());
    eprintln!("schemathesis: {total} cases over {} callers, all passed", runs.len());
    assert!(total > 0, "schemathesis generated no test cases");
}
