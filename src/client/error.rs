//! What can go wrong talking to the server, classified so the command line can pick an exit
//! code and a hint without parsing messages.

use std::path::PathBuf;
use std::time::Duration;

use crate::api::Problem;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server understood the call and refused it with a problem document.
    #[error("{}", problem.detail)]
    Api { method: String, url: String, problem: Box<Problem> },

    #[error("cannot reach the jitd server at {url}")]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },

    #[error("the jitd server at {url} did not answer within {}s", timeout.as_secs_f32())]
    Timeout { url: String, timeout: Duration },

    #[error("cannot set up a secure connection to {url}: {detail}")]
    Tls {
        url: String,
        detail: String,
        #[source]
        source: reqwest::Error,
    },

    /// An answer that is not what `jitd` sends: malformed JSON, or an HTML page from a
    /// proxy or gateway in front of it.
    #[error("unexpected answer from {url} (HTTP {status}): {detail}")]
    BadResponse { url: String, status: u16, detail: String, request_id: Option<String> },

    #[error("invalid server URL `{url}`: {reason}")]
    InvalidUrl { url: String, reason: String },

    #[error("no server configured")]
    NoServer,

    #[error("cannot use the CA certificate file {}", path.display())]
    CaCert {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    #[error("invalid proxy setting `{value}`")]
    Proxy {
        value: String,
        #[source]
        source: reqwest::Error,
    },

    #[error("cannot set up the HTTP client")]
    Setup(#[source] reqwest::Error),
}

impl ClientError {
    /// The server's problem document, when the server refused the call.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ClientError::Api { problem, .. } => Some(problem),
            _ => None,
        }
    }

    /// The id the server gave the failed call, to match it to the server's log line.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ClientError::Api { problem, .. } => problem.request_id.as_deref(),
            ClientError::BadResponse { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}
