//! TLS from the client's side, against `openssl s_server` with a private certificate
//! authority: an untrusted certificate is refused with an explanation and a hint, and
//! `--ca-cert` makes it trusted.

mod cli_support;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cli_support::hermetic_jit;
use predicates::prelude::*;

fn openssl(dir: &Path, args: &[&str]) {
    let status = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "openssl {args:?}");
}

/// A private CA and a certificate it signed for `localhost`, in `dir`.
fn private_ca(d: &Path) {
    openssl(
        d,
        &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key"]
            .into_iter()
            .chain(["-out", "ca.pem", "-days", "2", "-subj", "/CN=Test Hospital CA"])
            .collect::<Vec<_>>(),
    );
    openssl(
        d,
        &["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key"]
            .into_iter()
            .chain(["-out", "leaf.csr", "-subj", "/CN=localhost"])
            .collect::<Vec<_>>(),
    );
    std::fs::write(
        d.join("ext.cnf"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        d,
        &["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key"]
            .into_iter()
            .chain(["-CAcreateserial", "-out", "leaf.pem", "-days", "2", "-extfile", "ext.cnf"])
            .collect::<Vec<_>>(),
    );
}

struct TlsServer {
    child: Child,
    url: String,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_tls_server(dir: &Path) -> TlsServer {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-cert", "leaf.pem", "-key", "leaf.key"])
        .args(["-accept", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "openssl s_server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    TlsServer { child, url: format!("https://localhost:{port}") }
}

#[test]
fn an_untrusted_certificate_is_explained_and_ca_cert_trusts_it() {
    if Command::new("openssl").arg("version").output().is_err() {
        cli_support::skip_or_fail("openssl is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    private_ca(d);
    let server = start_tls_server(d);

    hermetic_jit(d)
        .env("JIT_SERVER", &server.url)
        .env("JIT_TOKEN", "t")
        .arg("status")
        .assert()
        .code(7)
        .stderr(
            predicate::str::contains("does not trust").and(predicate::str::contains("--ca-cert")),
        );

    // Trusted now: the handshake succeeds and the (non-jitd) answer is what fails.
    hermetic_jit(d)
        .env("JIT_SERVER", &server.url)
        .env("JIT_TOKEN", "t")
        .arg("--ca-cert")
        .arg(d.join("ca.pem"))
        .arg("status")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("secure connection").not());
}

#[test]
fn a_ca_cert_file_without_a_certificate_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty.pem");
    std::fs::write(&file, "not a certificate\n").unwrap();
    hermetic_jit(dir.path())
        .env("JIT_SERVER", "https://localhost:9")
        .env("JIT_TOKEN", "t")
        .arg("--ca-cert")
        .arg(&file)
        .arg("status")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty.pem"));
}
