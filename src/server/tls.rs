//! HTTPS served by `jitd` itself: the certificate chain and key come from PEM files and are
//! checked when the server starts, so that a bad file stops `jitd serve` with a message that
//! names the file and what is wrong with it, instead of failing every handshake later.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use rustls::ServerConfig;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// A TLS configuration serving the chain in `cert` (server certificate first) with `key`.
pub fn server_config(cert: &Path, key: &Path) -> anyhow::Result<Arc<ServerConfig>> {
    let chain = read_chain(cert)?;
    let private_key = read_key(key)?;

    // An explicit provider: with both of rustls' providers compiled in (reqwest brings one),
    // rustls cannot pick a process default by itself.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("the TLS library refused its default protocol versions")?
        .with_no_client_auth()
        .with_single_cert(chain, private_key)
        .with_context(|| {
            format!(
                "cannot use the TLS key {} with the certificate {}: is it the key of that \
                 certificate?",
                key.display(),
                cert.display()
            )
        })?;
    // jitd speaks HTTP/1.1 only: its header deadline and connection limits are HTTP/1.1's.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn read_chain(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the TLS certificate file {}", path.display()))?;
    let chain =
        CertificateDer::pem_slice_iter(&bytes).collect::<Result<Vec<_>, _>>().map_err(|e| {
            anyhow::anyhow!("the TLS certificate file {} is not valid PEM: {e}", path.display())
        })?;
    if chain.is_empty() {
        anyhow::bail!(
            "the TLS certificate file {} holds no certificate: expected PEM blocks starting \
             with -----BEGIN CERTIFICATE-----",
            path.display()
        );
    }
    Ok(chain)
}

fn read_key(path: &Path) -> anyhow::Result<PrivateKeyDer<'static>> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the TLS key file {}", path.display()))?;
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| match e {
        pem::Error::NoItemsFound => anyhow::anyhow!(
            "the TLS key file {} holds no private key: expected a PEM block starting with \
             -----BEGIN PRIVATE KEY----- (or RSA PRIVATE KEY, EC PRIVATE KEY)",
            path.display()
        ),
        e => anyhow::anyhow!("the TLS key file {} is not valid PEM: {e}", path.display()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_certificate_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("nowhere.pem");
        let key = dir.path().join("key.pem");
        let error = format!("{:#}", server_config(&cert, &key).unwrap_err());
        assert!(error.contains("cannot read the TLS certificate file"), "{error}");
        assert!(error.contains("nowhere.pem"), "{error}");
    }

    #[test]
    fn a_file_without_a_certificate_says_what_it_expected() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("cert.pem");
        std::fs::write(&cert, "not a certificate\n").unwrap();
        let error = server_config(&cert, &cert).unwrap_err().to_string();
        assert!(error.contains("holds no certificate"), "{error}");
        assert!(error.contains("BEGIN CERTIFICATE"), "{error}");
    }
}
