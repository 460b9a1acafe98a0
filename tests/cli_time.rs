//! Time as `jit` shows it: relative times count from the server's clock (never the local one,
//! which may be hours off), date-only good-through dates end at midnight in the
//! organisation's time zone whatever the client's zone, `--until` dates survive a
//! daylight-saving change, and absent times show as "—".

mod cli_support;

use chrono::{DurationRound, TimeDelta, Utc};
use cli_support::{Jitd, json, stderr, stdout};

/// alice with an approved request for `device`, current training and a bound device.
fn ready(server: &Jitd, device: &str, good_through: &str) -> String {
    let (alice, carol) = (server.login("alice"), server.login("carol"));
    let out = server
        .jit_with(&alice)
        .args(["-o", "json", "request", device, "--reason", "driver"])
        .output()
        .unwrap();
    let id = json(&out)["request"]["id"].as_str().unwrap().to_string();
    server.jit_with(&carol).args(["approve", &id]).assert().success();
    server.complete_training("alice", good_through);
    server.check_in(device, &format!("agent-{device}"));
    alice
}

#[test]
fn time_left_comes_from_the_server_when_the_local_clock_is_two_hours_behind() {
    // The server's clock runs two hours ahead of this machine's: the local clock is "off".
    let start = (Utc::now() + TimeDelta::hours(2)).duration_trunc(TimeDelta::minutes(1)).unwrap();
    let server = Jitd::start_at("login_token_hours = 12\n", &start.to_rfc3339());

    let out = server
        .jit()
        .args(["login", "--username", "alice", "--password-stdin", "--print-token"])
        .write_stdin(format!("{}\n", cli_support::PASSWORD))
        .output()
        .unwrap();
    assert!(stderr(&out).contains("(in 12h)"), "{}", stderr(&out));

    let alice = ready(&server, "CARD-PC001", "2027-06-30");
    let out = server.jit_with(&alice).args(["activate", "CARD-PC001"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("(in 4h)"), "{}", stdout(&out));

    // An hour later by the server's clock, the lists count from the server's now too.
    server.advance(3600);
    let out = server.jit_with(&alice).args(["requests", "--mine"]).output().unwrap();
    assert!(stdout(&out).contains("(1h ago)"), "{}", stdout(&out));
    let out = server.jit_with(&alice).args(["status"]).output().unwrap();
    assert!(stdout(&out).contains("in 3h"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("in 5h"), "{}", stdout(&out));
}

/// The training line of `jit status` for alice, with the client in time zone `tz`.
fn training_line(server: &Jitd, alice: &str, tz: &str) -> String {
    let out = server.jit_with(alice).env("TZ", tz).args(["status"]).output().unwrap();
    let text = stdout(&out);
    let (_, training) =
        text.split_once("Training\n").unwrap_or_else(|| panic!("{text}{}", stderr(&out)));
    training.trim().to_string()
}

#[test]
fn a_good_through_date_ends_at_midnight_west_of_utc_whatever_the_clients_zone() {
    // New York is UTC-5 in December: 2026-12-01 ends at 2026-12-02 05:00 UTC. The server's
    // clock starts at 2026-12-01 09:00 UTC, 04:00 in New York.
    let server =
        Jitd::start_with_config("time_zone = \"America/New_York\"\nlogin_token_hours = 48\n");
    let alice = ready(&server, "CARD-PC001", "2026-12-01");
    // Tokyo is already on 2 December: the date must still read as the organisation's.
    assert_eq!(
        training_line(&server, &alice, "Asia/Tokyo"),
        "current, good through 2026-12-01 (ends in 20h)"
    );
    server.advance(20 * 3600 - 60);
    assert_eq!(
        training_line(&server, &alice, "Asia/Tokyo"),
        "current, good through 2026-12-01 (ends in 1m)"
    );
    server.jit_with(&alice).args(["activate", "CARD-PC001"]).assert().success();
    server.advance(120);
    assert!(training_line(&server, &alice, "UTC").starts_with("expired on 2026-12-01"));
    server.jit_with(&alice).args(["deactivate", "CARD-PC001"]).assert().success();
    server.jit_with(&alice).args(["activate", "CARD-PC001"]).assert().code(6);
}

#[test]
fn a_good_through_date_ends_at_midnight_east_of_utc_whatever_the_clients_zone() {
    // Tokyo is UTC+9: 2026-12-01 ends at 2026-12-01 15:00 UTC, six hours after the start.
    let server = Jitd::start_with_config("time_zone = \"Asia/Tokyo\"\n");
    let alice = ready(&server, "CARD-PC001", "2026-12-01");
    // Los Angeles is still on 1 December at that instant; the day is the organisation's.
    assert_eq!(
        training_line(&server, &alice, "America/Los_Angeles"),
        "current, good through 2026-12-01 (ends in 6h)"
    );
    server.advance(6 * 3600 - 60);
    server.jit_with(&alice).args(["activate", "CARD-PC001", "--for", "30m"]).assert().success();
    server.jit_with(&alice).args(["deactivate", "CARD-PC001"]).assert().success();
    server.advance(120);
    assert!(training_line(&server, &alice, "America/Los_Angeles").starts_with("expired on"));
    server.jit_with(&alice).args(["activate", "CARD-PC001"]).assert().code(6);
}

#[test]
fn an_until_date_after_a_daylight_saving_change_ends_at_local_midnight_of_that_day() {
    // Berlin is UTC+1 on 1 December and UTC+2 from 28 March 2027: the end of 15 April is
    // 21:59:59 UTC, not the 22:59:59 that today's offset would give.
    let server = Jitd::start();
    let (alice, carol) = (server.login("alice"), server.login("carol"));
    let out = server
        .jit_with(&alice)
        .args(["-o", "json", "request", "CARD-PC002", "--reason", "driver"])
        .output()
        .unwrap();
    let id = json(&out)["request"]["id"].as_str().unwrap().to_string();
    let out = server
        .jit_with(&carol)
        .env("TZ", "Europe/Berlin")
        .args(["-o", "json", "approve", &id, "--until", "2027-04-15"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let request = server.get(&format!("/requests/{id}"), &carol);
    let expires = request["approval_expires_at"].as_str().unwrap_or_else(|| panic!("{request}"));
    assert!(expires.starts_with("2027-04-15T21:59:59"), "{request}");

    let out = server.jit_with(&alice).env("TZ", "Europe/Berlin").arg("status").output().unwrap();
    assert!(stdout(&out).contains("2027-04-15 23:59 +02:00"), "{}", stdout(&out));
    let out = server.jit_with(&alice).env("TZ", "America/New_York").arg("status").output().unwrap();
    assert!(stdout(&out).contains("2027-04-15 17:59 -04:00"), "{}", stdout(&out));
}

#[test]
fn absent_times_show_as_a_dash() {
    let server = Jitd::start();
    let alice = server.login("alice");
    server
        .jit_with(&alice)
        .args(["request", "CARD-PC005", "--reason", "driver"])
        .assert()
        .success();
    let out = server.jit_with(&alice).args(["requests", "--mine"]).output().unwrap();
    let row = stdout(&out).lines().nth(1).unwrap_or_default().to_string();
    assert!(row.contains("CARD-PC005") && row.trim_end().ends_with('—'), "{}", stdout(&out));
    let out = server.jit_with(&alice).args(["-o", "csv", "requests", "--mine"]).output().unwrap();
    assert!(!stdout(&out).contains('—'), "CSV leaves absent times empty: {}", stdout(&out));
}

#[test]
fn approve_for_counts_from_the_servers_now_not_the_local_clock() {
    let start = (Utc::now() + TimeDelta::hours(2)).duration_trunc(TimeDelta::minutes(1)).unwrap();
    let server = Jitd::start_at("", &start.to_rfc3339());
    let (alice, carol) = (server.login("alice"), server.login("carol"));
    let out = server
        .jit_with(&alice)
        .args(["-o", "json", "request", "CARD-PC002", "--reason", "driver"])
        .output()
        .unwrap();
    let id = json(&out)["request"]["id"].as_str().unwrap().to_string();
    server.jit_with(&carol).args(["approve", &id, "--for", "1d"]).assert().success();

    let request = server.get(&format!("/requests/{id}"), &carol);
    let expires = request["approval_expires_at"].as_str().unwrap_or_else(|| panic!("{request}"));
    let expires = chrono::DateTime::parse_from_rfc3339(expires).unwrap().with_timezone(&Utc);
    let off = (expires - (start + TimeDelta::days(1))).num_seconds().abs();
    assert!(off <= 5, "the expiration is {off} s from a day after the server's now");
}

#[test]
fn jitd_stamps_the_date_header_from_its_own_clock() {
    let server = Jitd::start();
    server.advance(90 * 60);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let date = rt.block_on(async {
        let response = reqwest::get(format!("{}/healthz", server.url)).await.unwrap();
        response.headers()["date"].to_str().unwrap().to_string()
    });
    // The clock started at 2026-12-01 09:00 UTC and was moved 90 minutes on.
    assert_eq!(date, "Tue, 01 Dec 2026 10:30:00 GMT");
}
