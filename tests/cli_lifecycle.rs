//! The whole lifecycle through the `jit` binary against a real `jitd`, as a requester
//! (alice), her responsible person (carol) and an IAM analyst (ivan).

mod cli_support;

use cli_support::{Jitd, json, stderr, write};

#[test]
fn request_approve_train_activate_and_fix_a_reimaged_device() {
    let server = Jitd::start();
    let alice = server.login("alice");
    let carol = server.login("carol");
    let ivan = server.login("ivan");

    // alice asks for admin rights; asking again returns the same request.
    let out = server
        .jit_with(&alice)
        .args(["-o", "json", "request", "CARD-PC001", "--reason", "install the ECG viewer"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let created = json(&out);
    assert_eq!(created["existing"], false);
    assert_eq!(created["request"]["state"], "pending");
    let id = created["request"]["id"].as_str().unwrap().to_string();
    assert!(stderr(&out).contains("responsible person"), "{}", stderr(&out));
    let again = server
        .jit_with(&alice)
        .args(["-o", "json", "request", "CARD-PC001", "--reason", "again"])
        .output()
        .unwrap();
    assert_eq!(json(&again)["existing"], true);

    // Without an approval, activation is refused by a rule.
    server.jit_with(&alice).args(["activate", "CARD-PC001"]).assert().code(6);

    // carol sees it awaiting her decision and approves it for 90 days.
    let out = server.jit_with(&carol).args(["-o", "json", "requests"]).output().unwrap();
    let waiting = json(&out);
    assert!(waiting.as_array().unwrap().iter().any(|r| r["id"] == id.as_str()), "{waiting}");
    let out = server
        .jit_with(&carol)
        .args(["-o", "json", "approve", &id, "--for", "90d"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let result = json(&out);
    assert_eq!(result["results"][0]["ok"], true, "{result}");

    // Approved, but the training is not done yet.
    let out = server.jit_with(&alice).args(["activate", "CARD-PC001"]).output().unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    server.complete_training("alice", "2027-11-30");

    // The device's agent has never checked in: the remedy is printed.
    let out = server.jit_with(&alice).args(["activate", "CARD-PC001"]).output().unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(stderr(&out).contains("device_not_found"), "{}", stderr(&out));
    assert!(stderr(&out).contains("Request Settings"), "{}", stderr(&out));

    // After the remedy the agent checks in; activation waits until the grant is picked up.
    server.check_in("CARD-PC001", "agent-A");
    let pickup = {
        let url = server.url.clone();
        let token = server.agent_token.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(800));
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                reqwest::Client::new()
                    .post(format!("{url}/api/v1/agent/check-in"))
                    .bearer_auth(token)
                    .json(&serde_json::json!({"device": "CARD-PC001", "agent_id": "agent-A"}))
                    .send()
                    .await
                    .unwrap();
            });
        })
    };
    let out = server
        .jit_with(&alice)
        .args(["-o", "json", "activate", "CARD-PC001", "--wait", "--poll-interval", "200ms"])
        .output()
        .unwrap();
    pickup.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let activation = json(&out);
    assert_eq!(activation["state"], "active", "{activation}");
    assert!(stderr(&out).contains("Waiting for CARD-PC001"), "{}", stderr(&out));

    // Status shows the live activation; deactivate ends it.
    let status = json(&server.jit_with(&alice).args(["-o", "json", "status"]).output().unwrap());
    assert_eq!(status["activations"][0]["state"], "active", "{status}");
    server.jit_with(&alice).args(["deactivate", "CARD-PC001"]).assert().success();

    // CARD-PC001 and CARD-PC002 are reimaged: new agent identities check in.
    server.check_in("CARD-PC002", "agent-old");
    server.check_in("CARD-PC001", "agent-B");
    server.check_in("CARD-PC002", "agent-new");
    let out = server.jit_with(&alice).args(["activate", "CARD-PC001"]).output().unwrap();
    assert_eq!(out.status.code(), Some(6));
    assert!(stderr(&out).contains("jit reimage-fix request"), "{}", stderr(&out));

    // alice files a fix for her device; ivan files the other and fixes both from a file.
    server.jit_with(&alice).args(["reimage-fix", "request", "CARD-PC001"]).assert().success();
    server.jit_with(&ivan).args(["reimage-fix", "request", "CARD-PC002"]).assert().success();
    let open = json(
        &server
            .jit_with(&ivan)
            .args(["-o", "json", "reimage-fix", "list", "--state", "open"])
            .output()
            .unwrap(),
    );
    assert_eq!(open.as_array().unwrap().len(), 2, "{open}");
    let file = write(
        server.dir.path(),
        "fixes.txt",
        "\u{feff}device\r\nCARD-PC001\r\n\r\nCARD-PC002 \r\n",
    );
    let out = server
        .jit_with(&ivan)
        .args(["-o", "json", "reimage-fix", "apply", "--from-file"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let applied = json(&out);
    assert!(applied["results"].as_array().unwrap().iter().all(|r| r["ok"] == true), "{applied}");

    // Applying again is a success that says so.
    let again = json(
        &server
            .jit_with(&ivan)
            .args(["-o", "json", "reimage-fix", "apply", "CARD-PC001"])
            .output()
            .unwrap(),
    );
    assert_eq!(again["results"][0]["ok"], true, "{again}");

    // The device works again for alice.
    server.jit_with(&alice).args(["activate", "CARD-PC001"]).assert().success();
}

#[test]
fn an_rp_approves_a_batch_from_stdin_and_a_bad_item_makes_it_partial() {
    let server = Jitd::start();
    let (alice, bob, carol) = (server.login("alice"), server.login("bob"), server.login("carol"));
    let mut ids = Vec::new();
    for (token, device) in [(&alice, "CARD-PC003"), (&bob, "CARD-PC004")] {
        let out = server
            .jit_with(token)
            .args(["-o", "json", "request", device, "--reason", "vendor update"])
            .output()
            .unwrap();
        ids.push(json(&out)["request"]["id"].as_str().unwrap().to_string());
    }

    // A dry run sends nothing.
    server
        .jit_with(&carol)
        .args(["approve", "--all", "--dry-run"])
        .assert()
        .success()
        .stderr(predicates::str::contains("Dry run"));
    let waiting = json(&server.jit_with(&carol).args(["-o", "json", "requests"]).output().unwrap());
    assert_eq!(waiting.as_array().unwrap().len(), 2);

    // Without a terminal, a batch from stdin needs --yes.
    let csv = format!(
        "id,decision,reason\r\n{},approve,\r\n{},deny,\"use the software catalogue, please\"\r\n",
        ids[0], ids[1]
    );
    server
        .jit_with(&carol)
        .args(["approve", "--from-file", "-"])
        .write_stdin(csv.clone())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--yes"));
    let out = server
        .jit_with(&carol)
        .args(["-o", "json", "approve", "--from-file", "-", "--yes"])
        .write_stdin(csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let result = json(&out);
    assert_eq!(result["results"][0]["outcome"], "approved", "{result}");
    assert_eq!(result["results"][1]["ok"], true, "{result}");

    // Deciding one again fails and an unknown id fails: a batch of several items with a
    // failure exits with 8, after a result per item.
    let unknown = "00000000-0000-4000-8000-000000000000";
    let out = server
        .jit_with(&carol)
        .args(["deny", &ids[0], unknown, "--reason", "changed my mind"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));

    // alice cannot decide anything: forbidden for a single item.
    let out = server.jit_with(&alice).args(["approve", &ids[1]]).output().unwrap();
    assert!(matches!(out.status.code(), Some(4) | Some(6)), "{}", stderr(&out));
}

#[test]
fn status_puts_what_blocks_activation_first_then_each_part_of_the_lifecycle() {
    let server = Jitd::start();
    let (alice, carol) = (server.login("alice"), server.login("carol"));
    let out = server
        .jit_with(&alice)
        .args(["-o", "json", "request", "CARD-PC007", "--reason", "firmware tool"])
        .output()
        .unwrap();
    let id = json(&out)["request"]["id"].as_str().unwrap().to_string();
    server
        .jit_with(&carol)
        .args(["approve", &id, "--until", "2027-03-31", "--utc"])
        .assert()
        .success();

    let status = json(&server.jit_with(&alice).args(["-o", "json", "status"]).output().unwrap());
    let blocker = &status["blockers"][0];
    assert_eq!(blocker["code"], "training_required", "{status}");

    let out = server.jit_with(&alice).args(["--utc", "status"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let (blocking, rest) = text.split_once("\n\n").unwrap();
    assert!(blocking.starts_with("Blocking activation\nDEVICE"), "{text}");
    assert!(blocking.contains(blocker["message"].as_str().unwrap()), "{text}");
    assert_eq!(
        rest,
        "Activations\n  none live\n\
         \n\
         Approvals\n\
         DEVICE      STATE     APPROVAL EXPIRES      LEFT\n\
         CARD-PC007  approved  2027-03-31 23:59 UTC  120 days left\n\
         \n\
         Training\n  not assigned yet: the overnight assignment runs 2026-12-02 02:00 UTC (in 17h)\n"
    );
}
