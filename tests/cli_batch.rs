//! Batch files through the `jit` binary against a real `jitd`: every line of a file is either
//! decided (with a result of its own from the server) or the whole file is refused with the
//! line that is wrong, before anything is sent. Never a line skipped silently.

mod cli_support;

use cli_support::{Jitd, json, pending_count, stderr, two_pending, write};
use serde_json::Value;

#[test]
fn bom_crlf_blank_lines_comments_and_trailing_spaces_are_read_and_every_line_gets_a_result() {
    let (server, carol, ids) = two_pending();
    let unknown = "00000000-0000-4000-8000-000000000000";
    let file = format!(
        "\u{feff}# decisions for this week\r\n\r\nid , decision , reason  \r\n\
         {} , approve ,   \r\n\r\n   \r\n{unknown},approve,\r\n\
         {},deny, \"not needed, sorry\"  \r\n",
        ids[0], ids[1]
    );
    let path = write(server.dir.path(), "decisions.csv", &file);
    let out = server
        .jit_with(&carol)
        .args(["-o", "json", "approve", "--yes", "--from-file"])
        .arg(&path)
        .output()
        .unwrap();

    // The unknown id is the server's to judge: a failed item of its own, exit code 8.
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    let results = json(&out)["results"].as_array().unwrap().clone();
    let summary: Vec<(String, bool)> = results
        .iter()
        .map(|r| (r["item"].as_str().unwrap().to_string(), r["ok"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        summary,
        [(ids[0].clone(), true), (unknown.to_string(), false), (ids[1].clone(), true)],
        "{results:?}"
    );
    assert_eq!(results[1]["error"]["code"], "not_found", "{results:?}");
    assert_eq!(results[2]["outcome"], "denied", "{results:?}");
    assert_eq!(pending_count(&server, &carol), 0);

    // The quoted reason kept its comma and lost only the outer spaces.
    let denied = server.get(&format!("/requests/{}", ids[1]), &carol);
    let text = denied.to_string();
    assert!(text.contains("not needed, sorry"), "{text}");
}

#[test]
fn a_wrong_file_is_refused_with_its_line_and_nothing_is_sent() {
    let (server, carol, ids) = two_pending();
    let (a, b) = (&ids[0], &ids[1]);
    let cases: Vec<(&str, String, &str, &str)> = vec![
        ("duplicate id", format!("{a}\r\n\r\n{b}\r\n{a}  \r\n"), "line 4", "line 1"),
        ("duplicate in CSV", format!("id,decision\n{a},approve\n{a},deny\n"), "line 3", "line 2"),
        ("unknown column", format!("\u{feff}id,decision,note\n{a},approve,x\n"), "line 1", "note"),
        ("missing id column", "decision,reason\napprove,ok\n".to_string(), "line 1", "`id`"),
        ("missing field", format!("id,decision,reason\n{a},approve,ok\n{b},deny\n"), "line 3", ""),
        ("extra field", format!("id,decision\n{a},approve,why\n"), "line 2", "fields"),
        ("bad id after blanks", format!("{a}\n\n\n  nope  \n"), "line 4", "nope"),
        ("unknown decision", format!("id,decision\n{a},maybe\n"), "line 2", "maybe"),
        ("comma without header", format!("{a},approve\n"), "line 1", "header"),
        ("only a header", "id,decision,reason\r\n".to_string(), "line 1", "only a header"),
        ("empty", "\u{feff}\r\n  \r\n".to_string(), "line 1", "no requests"),
    ];
    for (what, text, line, detail) in cases {
        let path = write(server.dir.path(), "decisions.csv", &text);
        let out = server
            .jit_with(&carol)
            .args(["approve", "--yes", "--from-file"])
            .arg(&path)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains(line) && err.contains(detail), "{what}: {err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
    }
    assert_eq!(pending_count(&server, &carol), 2, "a refused file decided something");
}

#[test]
fn device_files_are_read_the_same_way_and_duplicates_are_refused_by_line() {
    let server = Jitd::start();
    let ivan = server.login("ivan");
    let path = write(
        server.dir.path(),
        "devices.txt",
        "\u{feff}Device\r\n\r\nCARD-PC001  \r\n# ward 7\r\ncard-pc001\r\n",
    );
    let out = server
        .jit_with(&ivan)
        .args(["reimage-fix", "apply", "--from-file"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("line 5"), "{}", stderr(&out));
    let fixes: Value = server.get("/reimage-fixes", &ivan);
    assert_eq!(fixes["items"].as_array().unwrap().len(), 0, "{fixes}");
}
