//! `jitd serve` speaks HTTPS itself from a PEM certificate and key; `jit` reaches it through a
//! private certificate authority given with `--ca-cert`, and refuses it without one.

mod serve_support;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use serve_support::{Database, PASSWORD, Served, jitd, write};

/// PEM files of a private CA and of a server certificate it signed for 127.0.0.1/localhost.
struct Pki {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

fn private_ca(dir: &Path) -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "Hospital test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate().unwrap();
    let names = vec!["127.0.0.1".to_owned(), "localhost".to_owned()];
    let cert = CertificateParams::new(names).unwrap().signed_by(&key, &issuer).unwrap();
    Pki {
        ca: write(dir, "ca.pem", &ca_cert.pem()),
        // The chain as an operator installs it: server certificate first, then the CA's.
        cert: write(dir, "cert.pem", &format!("{}{}", cert.pem(), ca_cert.pem())),
        key: write(dir, "key.pem", &key.serialize_pem()),
    }
}

fn serve_tls(database: &Database, pki: &Pki) -> Served {
    let cert = pki.cert.to_str().unwrap();
    let key = pki.key.to_str().unwrap();
    Served::start(&database.url, &["--tls-cert", cert, "--tls-key", key])
}

/// `jit` with a cleared environment and a temporary HOME.
fn jit(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jit"));
    command
        .env_clear()
        .env("HOME", home)
        .env("TZ", "UTC")
        .timeout(std::time::Duration::from_secs(60));
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn login(home: &Path, server: &str, ca: &Path) -> Output {
    jit(home)
        .args(["--server", server, "--ca-cert"])
        .arg(ca)
        .args(["login", "--username", "alice", "--password-stdin", "--print-token"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap()
}

#[test]
fn jit_reaches_jitd_over_https_through_a_private_ca() {
    let database = Database::new();
    let pki = private_ca(database.dir.path());
    let served = serve_tls(&database, &pki);
    let server = format!("https://{}", served.addr);
    let home = tempfile::tempdir().unwrap();

    let out = login(home.path(), &server, &pki.ca);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout).trim().to_owned();
    assert!(token.starts_with("jit_"), "{token}");

    let out = jit(home.path())
        .env("JIT_TOKEN", &token)
        .args(["--server", &server, "--ca-cert"])
        .arg(&pki.ca)
        .args(["-o", "json", "whoami"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let me: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(me["username"], "alice");
}

#[test]
fn jit_refuses_a_certificate_it_cannot_trust_and_says_what_to_do() {
    let database = Database::new();
    let pki = private_ca(database.dir.path());
    let served = serve_tls(&database, &pki);
    let home = tempfile::tempdir().unwrap();

    let out = jit(home.path())
        .env("JIT_TOKEN", "jit_0000")
        .args(["--server", &format!("https://{}", served.addr), "whoami"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    assert!(stderr.contains("authority this computer does not trust"), "{stderr}");
    assert!(stderr.contains("--ca-cert"), "{stderr}");
}

#[test]
fn plain_http_to_the_https_port_gets_no_answer_from_the_api() {
    let database = Database::new();
    let pki = private_ca(database.dir.path());
    let served = serve_tls(&database, &pki);
    let home = tempfile::tempdir().unwrap();

    let out = jit(home.path())
        .env("JIT_TOKEN", "jit_0000")
        .args(["--server", &format!("http://{}", served.addr), "whoami"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
}

#[test]
fn a_bad_certificate_or_key_file_stops_serve_with_the_file_named() {
    let database = Database::new();
    let dir = database.dir.path();
    let pki = private_ca(dir);
    let garbage = write(dir, "garbage.pem", "hello\n");
    let other_key = write(dir, "other-key.pem", &KeyPair::generate().unwrap().serialize_pem());
    let missing = dir.join("missing.pem");
    // (certificate, key, what the error says, the file it names)
    let cases = [
        (&missing, &pki.key, "cannot read the TLS certificate file", &missing),
        (&garbage, &pki.key, "holds no certificate", &garbage),
        (&pki.cert, &garbage, "holds no private key", &garbage),
        (&pki.cert, &other_key, "is it the key of that certificate", &other_key),
    ];
    for (cert, key, expected, named) in cases {
        let out = jitd(&database.url)
            .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
            .arg(cert)
            .arg("--tls-key")
            .arg(key)
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{stderr}");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert!(stderr.contains(named.to_str().unwrap()), "{stderr}");
    }
}

#[test]
fn a_certificate_without_a_key_is_a_usage_error() {
    let database = Database::new();
    let pki = private_ca(database.dir.path());
    let out = jitd(&database.url)
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&pki.cert)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--tls-key"), "{}", text(&out.stderr));

    let config = database.config(&format!("tls_cert = {:?}\n", pki.cert));
    let out = jitd(&database.url)
        .arg("--config")
        .arg(&config)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("tls_cert and tls_key go together"),
        "{}",
        text(&out.stderr)
    );
}
