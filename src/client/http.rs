//! The HTTP client for the `jitd` API: timeouts, safe retries, proxies, TLS, and typed calls.
//!
//! Retries happen only where repeating a call cannot act twice: `GET`s, and `POST`s that carry
//! an `Idempotency-Key`, which is generated once per call and reused on every retry so the
//! server recognises the repeat.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::{ClientError, Environment};
use crate::api::{self, Problem, routes};

/// Receives one line per HTTP call for `-v`. Never given a token.
pub type Logger = Arc<dyn Fn(&str) + Send + Sync>;

/// How to reach the server.
#[derive(Clone)]
pub struct HttpSettings {
    /// Base URL, e.g. `https://jit.example.org`; the API prefix is added here.
    pub server: String,
    /// Bound on each attempt of a call, from connecting to the last byte of the answer.
    pub timeout: Duration,
    /// Extra root certificate (PEM) for a private certificate authority.
    pub ca_cert: Option<std::path::PathBuf>,
    /// Attempts for a call that is safe to retry, the first included.
    pub attempts: u32,
    pub log: Option<Logger>,
}

impl std::fmt::Debug for HttpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpSettings")
            .field("server", &self.server)
            .field("timeout", &self.timeout)
            .field("ca_cert", &self.ca_cert)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// A client for one server, optionally signed in with a bearer token.
pub struct ApiClient {
    http: reqwest::Client,
    base: String,
    server: String,
    token: Option<String>,
    timeout: Duration,
    attempts: u32,
    log: Option<Logger>,
    /// Server clock minus local clock, from the last `Date` header seen.
    clock_offset: Mutex<Option<TimeDelta>>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("server", &self.server)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

/// Longest wait a `Retry-After` may impose before the client gives up instead.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

impl ApiClient {
    pub fn new(settings: HttpSettings, env: &Environment) -> Result<ApiClient, ClientError> {
        let server = normalize_server(&settings.server)?;
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("jit/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .timeout(settings.timeout)
            .no_proxy();
        for proxy in proxies(env)? {
            builder = builder.proxy(proxy);
        }
        if let Some(path) = &settings.ca_cert {
            let pem = std::fs::read(path)
                .map_err(|e| ClientError::CaCert { path: path.clone(), source: Box::new(e) })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| ClientError::CaCert { path: path.clone(), source: Box::new(e) })?;
            if certs.is_empty() {
                return Err(ClientError::CaCert {
                    path: path.clone(),
                    source: "the file holds no PEM certificate".into(),
                });
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder.build().map_err(ClientError::Setup)?;
        Ok(ApiClient {
            http,
            base: format!("{server}{}", api::API_PREFIX),
            server,
            token: None,
            timeout: settings.timeout,
            attempts: settings.attempts.max(1),
            log: settings.log,
            clock_offset: Mutex::new(None),
        })
    }

    pub fn with_token(mut self, token: String) -> ApiClient {
        self.token = Some(token);
        self
    }

    /// The server's base URL, normalized.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Now, by the server's clock as its last answer gave it, so that "time left" does not
    /// depend on the local clock being right.
    pub fn server_now(&self) -> DateTime<Utc> {
        let offset = self.clock_offset.lock().ok().and_then(|o| *o).unwrap_or_default();
        Utc::now() + offset
    }

    /// Like [`ApiClient::server_now`], but asks the server first when no answer has told the
    /// client its clock yet, for a time that is sent (`approve --for`) rather than shown.
    pub async fn synced_now(&self) -> Result<DateTime<Utc>, ClientError> {
        let known = self.clock_offset.lock().ok().and_then(|o| *o).is_some();
        if !known {
            self.me().await?;
        }
        Ok(self.server_now())
    }

    /// Records the server's own statement of now (`server_time` in a body), which is more
    /// precise than the whole seconds of the `Date` header.
    pub fn note_server_time(&self, server_time: DateTime<Utc>) {
        if let Ok(mut o) = self.clock_offset.lock() {
            *o = Some(server_time - Utc::now());
        }
    }

    // ----- typed calls, one per route -----

    pub async fn login(&self, body: &api::LoginRequest) -> Result<api::TokenIssued, ClientError> {
        self.call(Method::POST, routes::LOGIN, &[], Some(body), false).await
    }

    pub async fn logout(&self) -> Result<(), ClientError> {
        self.call_empty(Method::POST, routes::LOGOUT).await
    }

    pub async fn me(&self) -> Result<api::User, ClientError> {
        self.get(routes::ME, &[]).await
    }

    pub async fn status(&self, device: Option<&str>) -> Result<api::Status, ClientError> {
        let query: Vec<(&str, String)> =
            device.map(|d| ("device", d.to_string())).into_iter().collect();
        let status: api::Status = self.get(routes::STATUS, &query).await?;
        self.note_server_time(status.server_time);
        Ok(status)
    }

    pub async fn create_request(
        &self,
        body: &api::NewAccessRequest,
    ) -> Result<api::RequestCreated, ClientError> {
        self.call(Method::POST, routes::REQUESTS, &[], Some(body), true).await
    }

    /// Every page of requests matching `query`.
    pub async fn list_requests(
        &self,
        query: &[(&str, String)],
    ) -> Result<Vec<api::AccessRequest>, ClientError> {
        self.get_all(routes::REQUESTS, query).await
    }

    pub async fn decide(
        &self,
        body: &api::DecisionBatch,
    ) -> Result<api::BatchResult<api::AccessRequest>, ClientError> {
        self.call(Method::POST, routes::DECISIONS, &[], Some(body), true).await
    }

    pub async fn activate(
        &self,
        body: &api::NewActivation,
    ) -> Result<api::ActivationCreated, ClientError> {
        self.call(Method::POST, routes::ACTIVATIONS, &[], Some(body), true).await
    }

    /// The caller's activations on a device, live ones only when `live`.
    pub async fn activations(
        &self,
        device: &str,
        live: bool,
    ) -> Result<Vec<api::Activation>, ClientError> {
        let mut query = vec![("device", device.to_string())];
        if live {
            query.push(("live", "true".to_string()));
        }
        self.get_all(routes::ACTIVATIONS, &query).await
    }

    pub async fn deactivate(&self, id: Uuid) -> Result<api::Activation, ClientError> {
        let path = routes::with_id(routes::DEACTIVATE, id);
        self.call(Method::POST, &path, &[], None::<&()>, true).await
    }

    pub async fn list_reimage_fixes(
        &self,
        query: &[(&str, String)],
    ) -> Result<Vec<api::ReimageFix>, ClientError> {
        self.get_all(routes::REIMAGE_FIXES, query).await
    }

    /// Files, applies or rejects fix requests: `route` is one of the reimage-fix routes.
    pub async fn reimage_fixes(
        &self,
        route: &str,
        body: &api::ReimageFixBatch,
    ) -> Result<api::BatchResult<api::ReimageFix>, ClientError> {
        self.call(Method::POST, route, &[], Some(body), true).await
    }

    // ----- plumbing -----

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, ClientError> {
        self.call(Method::GET, path, query, None::<&()>, false).await
    }

    async fn get_all<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<T>, ClientError> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut q = query.to_vec();
            if let Some(c) = cursor.take() {
                q.push(("cursor", c));
            }
            let page: api::Page<T> = self.get(path, &q).await?;
            items.extend(page.items);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(items),
            }
        }
    }

    async fn call_empty(&self, method: Method, path: &str) -> Result<(), ClientError> {
        let (_, _) = self.send(method, path, &[], None, false).await?;
        Ok(())
    }

    async fn call<T: DeserializeOwned, B: Serialize>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&B>,
        idempotent: bool,
    ) -> Result<T, ClientError> {
        let body = body.map(|b| serde_json::to_value(b).expect("wire types serialize"));
        let (url, bytes) = self.send(method, path, query, body, idempotent).await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::BadResponse {
            url,
            status: 200,
            detail: format!("the JSON does not have the expected shape ({e})"),
            request_id: None,
        })
    }

    /// Sends a call, retrying when that is safe, and answers the URL and the body.
    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<serde_json::Value>,
        idempotent: bool,
    ) -> Result<(String, Vec<u8>), ClientError> {
        let url = format!("{}{path}", self.base);
        let key = (idempotent && method == Method::POST).then(Uuid::new_v4);
        let retriable = method == Method::GET || key.is_some();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let failure = match self.attempt(&method, &url, query, body.as_ref(), key).await {
                Ok(bytes) => return Ok((url, bytes)),
                Err(failure) => failure,
            };
            let wait = match &failure {
                Attempt::Transport(_) => backoff(attempt),
                Attempt::Status { status, retry_after, .. } => match *status {
                    StatusCode::TOO_MANY_REQUESTS => {
                        retry_after.unwrap_or_else(|| backoff(attempt))
                    }
                    StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT => backoff(attempt),
                    _ => Duration::MAX,
                },
            };
            if !retriable || attempt >= self.attempts || wait > MAX_RETRY_AFTER {
                return Err(self.classify(&method, &url, failure));
            }
            self.log_line(&format!("retrying {method} {url} in {} ms", wait.as_millis()));
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(
        &self,
        method: &Method,
        url: &str,
        query: &[(&str, String)],
        body: Option<&serde_json::Value>,
        key: Option<Uuid>,
    ) -> Result<Vec<u8>, Attempt> {
        let mut request = self.http.request(method.clone(), url).query(query);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(key) = key {
            request = request.header(api::IDEMPOTENCY_KEY_HEADER, key.to_string());
        }
        if let Some(body) = body {
            request = request.json(body);
        }

        let started = Instant::now();
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                self.log_line(&format!("{method} {url} failed after {:?}: {e}", started.elapsed()));
                return Err(Attempt::Transport(e));
            }
        };
        let status = response.status();
        let request_id = header(&response, api::REQUEST_ID_HEADER);
        let retry_after = header(&response, "retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let content_type = header(&response, "content-type").unwrap_or_default();
        self.note_server_date(header(&response, "date").as_deref());
        let bytes = response.bytes().await.map_err(Attempt::Transport)?;
        self.log_line(&format!(
            "{method} {url} -> {} in {} ms{}",
            status.as_u16(),
            started.elapsed().as_millis(),
            request_id.as_ref().map(|id| format!(" (request id {id})")).unwrap_or_default(),
        ));
        if status.is_success() {
            return Ok(bytes.to_vec());
        }
        Err(Attempt::Status { status, retry_after, request_id, content_type, body: bytes.to_vec() })
    }

    fn classify(&self, method: &Method, url: &str, failure: Attempt) -> ClientError {
        let url = url.to_string();
        match failure {
            Attempt::Transport(e) if e.is_timeout() => {
                ClientError::Timeout { url, timeout: self.timeout }
            }
            Attempt::Transport(e) => match tls_problem(&e) {
                Some(detail) => ClientError::Tls { url, detail, source: e },
                None => ClientError::Unreachable { url, source: e },
            },
            Attempt::Status { status, request_id, content_type, body, .. } => {
                match serde_json::from_slice::<Problem>(&body) {
                    Ok(mut problem) => {
                        if problem.request_id.is_none() {
                            problem.request_id = request_id;
                        }
                        ClientError::Api {
                            method: method.to_string(),
                            url,
                            problem: Box::new(problem),
                        }
                    }
                    Err(_) => ClientError::BadResponse {
                        url,
                        status: status.as_u16(),
                        detail: describe_unexpected(&content_type, &body),
                        request_id,
                    },
                }
            }
        }
    }

    fn note_server_date(&self, date: Option<&str>) {
        let Some(date) = date.and_then(|d| DateTime::parse_from_rfc2822(d).ok()) else {
            return;
        };
        // The header has whole seconds: ignore differences below that.
        let offset = date.with_timezone(&Utc) - Utc::now();
        let offset = if offset.num_seconds().abs() < 2 { TimeDelta::zero() } else { offset };
        if let Ok(mut o) = self.clock_offset.lock() {
            *o = Some(offset);
        }
    }

    fn log_line(&self, line: &str) {
        if let Some(log) = &self.log {
            log(line);
        }
    }
}

/// One failed attempt, before deciding whether to retry.
enum Attempt {
    Transport(reqwest::Error),
    Status {
        status: StatusCode,
        retry_after: Option<Duration>,
        request_id: Option<String>,
        content_type: String,
        body: Vec<u8>,
    },
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// Exponential backoff with jitter: about 0.25 s, 0.5 s, 1 s, ...
fn backoff(attempt: u32) -> Duration {
    let base = 250u64 << attempt.saturating_sub(1).min(5);
    let jitter = rand::random::<u64>() % (base / 2 + 1);
    Duration::from_millis(base + jitter)
}

/// Checks and trims a server URL: it needs a scheme and a host, and loses a trailing slash.
pub fn normalize_server(server: &str) -> Result<String, ClientError> {
    let server = server.trim().trim_end_matches('/');
    let invalid = |reason: &str| ClientError::InvalidUrl {
        url: server.to_string(),
        reason: reason.to_string(),
    };
    let url = reqwest::Url::parse(server).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be https:// (or http:// for a local server)"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it names no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not carry a query or a fragment"));
    }
    Ok(server.to_string())
}

/// Proxies from `HTTPS_PROXY`, `HTTP_PROXY` and `ALL_PROXY` (either case), with `NO_PROXY`.
fn proxies(env: &Environment) -> Result<Vec<reqwest::Proxy>, ClientError> {
    let no_proxy = env.get_any_case("no_proxy").and_then(reqwest::NoProxy::from_string);
    let mut list = Vec::new();
    let mk = |value: &str, f: fn(&str) -> reqwest::Result<reqwest::Proxy>| {
        f(value).map_err(|source| ClientError::Proxy { value: value.to_string(), source })
    };
    if let Some(v) = env.get_any_case("https_proxy") {
        list.push(mk(v, |v| reqwest::Proxy::https(v))?.no_proxy(no_proxy.clone()));
    }
    if let Some(v) = env.get("http_proxy").or_else(|| env.get("HTTP_PROXY")) {
        // Lower case first: CGI servers set HTTP_PROXY from a request header.
        list.push(mk(v, |v| reqwest::Proxy::http(v))?.no_proxy(no_proxy.clone()));
    }
    if let Some(v) = env.get_any_case("all_proxy") {
        list.push(mk(v, |v| reqwest::Proxy::all(v))?.no_proxy(no_proxy.clone()));
    }
    Ok(list)
}

/// A sentence saying why a TLS handshake failed, when that is what happened.
fn tls_problem(e: &reqwest::Error) -> Option<String> {
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = source {
        chain.push_str(&format!("{err} | {err:?} | "));
        source = err.source();
    }
    let lower = chain.to_lowercase();
    if lower.contains("unknownissuer") || lower.contains("unknown issuer") {
        Some(
            "the server's certificate is signed by an authority this computer does not trust"
                .into(),
        )
    } else if lower.contains("expired") && lower.contains("certificate") {
        Some("the server's certificate has expired (or this computer's clock is wrong)".into())
    } else if lower.contains("notvalidforname") || lower.contains("not valid for name") {
        Some("the server's certificate is not valid for this host name".into())
    } else if lower.contains("invalidcertificate") || lower.contains("certificate") {
        Some("the server's certificate was refused".into())
    } else if lower.contains("invalidcontenttype")
        || lower.contains("corrupt message")
        || lower.contains("tls handshake")
    {
        Some("the TLS handshake failed; is the server speaking plain HTTP on this port?".into())
    } else {
        None
    }
}

/// Says what came back when it was not a problem document.
fn describe_unexpected(content_type: &str, body: &[u8]) -> String {
    if content_type.contains("html") {
        return "an HTML page, not an answer from jitd; a proxy or gateway may stand between \
                you and the server"
            .into();
    }
    let text = String::from_utf8_lossy(body);
    let snippet: String = text.chars().filter(|c| !c.is_control()).take(120).collect();
    if snippet.trim().is_empty() {
        "an empty body".into()
    } else {
        format!("a body jit does not understand: {snippet}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_url_needs_a_scheme_and_a_host() {
        assert_eq!(
            normalize_server("https://jit.example.org/").unwrap(),
            "https://jit.example.org"
        );
        assert!(normalize_server("jit.example.org").is_err());
        assert!(normalize_server("ftp://jit.example.org").is_err());
        assert!(normalize_server("https://jit.example.org/?x=1").is_err());
    }

    #[test]
    fn backoff_grows() {
        assert!(backoff(1) < Duration::from_millis(400));
        assert!(backoff(3) >= Duration::from_millis(1000));
    }

    #[test]
    fn an_html_error_page_is_blamed_on_a_proxy() {
        let d = describe_unexpected("text/html; charset=utf-8", b"<html>502</html>");
        assert!(d.contains("proxy"), "{d}");
    }

    #[test]
    fn proxies_come_from_either_case_and_bad_ones_are_refused() {
        let env: Environment = [("https_proxy", "http://proxy:3128")].into_iter().collect();
        assert_eq!(proxies(&env).unwrap().len(), 1);
        let env: Environment = [("HTTPS_PROXY", "::not a url::")].into_iter().collect();
        assert!(proxies(&env).is_err());
    }
}
