//! Token storage for real: a gnome-keyring daemon on a private D-Bus session, and kernel
//! keyutils in a session keyring of its own. Each proves that a second `jit` process finds the
//! token `jit login` stored, and that `jit logout` removes it from the store.

mod cli_support;

use std::path::Path;
use std::process::Command;

use cli_support::{Jitd, PASSWORD, write};

/// Exit status a script uses to say its keyring could not be started.
const CANNOT_START: i32 = 77;

fn available(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The steps both stores go through, as a shell script. `$COUNT` prints how many entries
/// of this server the store holds.
const LIFECYCLE: &str = r#"
set -u
printf '%s\n' "$PW" | "$J" login --username alice --password-stdin 2> login.err || exit 11
"$J" -o json whoami > whoami.json 2> whoami.err || exit 12
eval "$COUNT" > before.txt
"$J" logout 2> logout.err || exit 13
eval "$COUNT" > after.txt
"$J" whoami > /dev/null 2> final.err; echo $? > final.txt
"#;

/// Runs the lifecycle under `wrapper` in `home`, and checks what each step left behind.
fn prove_store(
    server: &Jitd,
    home: &Path,
    store: &str,
    wrapper: &[&str],
    count: Option<&str>,
    setup: &str,
) {
    // `username` in the config makes the last `whoami` ask the store itself, so its failure
    // proves the entry is gone, not just forgotten.
    let config =
        write(home, "config.toml", &format!("token_store = \"{store}\"\nusername = \"alice\"\n"));
    let status = Command::new(wrapper[0])
        .args(&wrapper[1..])
        .args(["sh", "-c", &format!("{setup}\n{LIFECYCLE}")])
        .current_dir(home)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("JIT_CONFIG", &config)
        .env("JIT_SERVER", &server.url)
        .env("J", env!("CARGO_BIN_EXE_jit"))
        .env("PW", PASSWORD)
        .env("URL", &server.url)
        .env("COUNT", count.unwrap_or("echo -"))
        .status()
        .expect("the wrapper runs");
    let read = |name: &str| std::fs::read_to_string(home.join(name)).unwrap_or_default();
    if status.code() == Some(CANNOT_START) {
        cli_support::skip_or_fail(&format!("the {store} store could not be started here"));
        return;
    }
    assert!(
        status.success(),
        "{store}: step failed with {status}\nlogin: {}\nwhoami: {}\nlogout: {}",
        read("login.err"),
        read("whoami.err"),
        read("logout.err")
    );
    assert!(read("login.err").contains("Token stored in"), "{}", read("login.err"));
    let whoami: serde_json::Value = serde_json::from_str(&read("whoami.json")).unwrap();
    assert_eq!(whoami["username"], "alice");
    if count.is_some() {
        assert!(read("before.txt").trim().parse::<u32>().unwrap() >= 1, "no entry after login");
        assert_eq!(read("after.txt").trim(), "0", "logout left the entry in the store");
    }
    assert_eq!(read("final.txt").trim(), "3", "{}", read("final.err"));
    assert!(read("final.err").contains("not logged in"), "{}", read("final.err"));
}

#[test]
fn kernel_keyutils_keeps_the_token_for_a_second_process_and_logout_removes_it() {
    if !available("keyctl") {
        cli_support::skip_or_fail("keyctl is not installed (Debian package keyutils)");
        return;
    }
    let server = Jitd::start();
    let home = tempfile::tempdir().unwrap();
    let setup = format!("keyctl show @s > /dev/null 2>&1 || exit {CANNOT_START}");
    let count = r#"keyctl show @s | grep -c "jit:$URL" || true"#;
    prove_store(&server, home.path(), "keyutils", &["keyctl", "session", "-"], Some(count), &setup);
}

#[test]
fn the_secret_service_keeps_the_token_for_a_second_process_and_logout_removes_it() {
    if !available("dbus-run-session") || !available("gnome-keyring-daemon") {
        cli_support::skip_or_fail("dbus-run-session or gnome-keyring-daemon is not installed");
        return;
    }
    let server = Jitd::start();
    let home = tempfile::tempdir().unwrap();
    // An empty password unlocks (and creates) the login collection of a fresh daemon; the
    // collection appears a moment after the daemon answers, so wait for it (at most 10 s).
    let setup = format!(
        "printf '\\n' | gnome-keyring-daemon --unlock --components=secrets > /dev/null 2>&1 \
         || exit {CANNOT_START}\n\
         for _ in $(seq 50); do\n\
           dbus-send --session --print-reply --dest=org.freedesktop.secrets \
           /org/freedesktop/secrets org.freedesktop.DBus.Properties.Get \
           string:org.freedesktop.Secret.Service string:Collections 2>/dev/null \
           | grep -q collection/login && break\n\
           sleep 0.2\n\
         done\n\
         dbus-send --session --print-reply --dest=org.freedesktop.secrets \
         /org/freedesktop/secrets org.freedesktop.DBus.Properties.Get \
         string:org.freedesktop.Secret.Service string:Collections 2>/dev/null \
         | grep -q collection/login || exit {CANNOT_START}"
    );
    // Without secret-tool, the last `whoami` asking the store alone proves the entry is gone.
    let count = available("secret-tool").then_some(
        r#"secret-tool search --all service "jit:$URL" 2>&1 | grep -c '^secret' || true"#,
    );
    prove_store(&server, home.path(), "secret-service", &["dbus-run-session", "--"], count, &setup);
}

#[test]
fn auto_without_a_session_bus_falls_back_to_kernel_keyutils() {
    if !available("keyctl") {
        cli_support::skip_or_fail("keyctl is not installed (Debian package keyutils)");
        return;
    }
    let server = Jitd::start();
    let home = tempfile::tempdir().unwrap();
    let setup = format!("keyctl show @s > /dev/null 2>&1 || exit {CANNOT_START}");
    let count = r#"keyctl show @s | grep -c "jit:$URL" || true"#;
    prove_store(&server, home.path(), "auto", &["keyctl", "session", "-"], Some(count), &setup);
    let login = std::fs::read_to_string(home.path().join("login.err")).unwrap_or_default();
    assert!(login.contains("keyutils"), "{login}");
}
