//! What every request passes through: a request id and one log line, problem bodies for
//! every error (including the ones axum and tower produce), the body's size and time limits,
//! and idempotency keys.

use std::pin::Pin;
use std::time::Instant;

use axum::body::{Body, HttpBody, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::api::{ErrorCode, IDEMPOTENCY_KEY_HEADER, Problem, REQUEST_ID_HEADER};
use crate::server::AppState;
use crate::server::auth;
use crate::server::error::{PROBLEM_CONTENT_TYPE, internal_problem, problem_response};
use crate::server::storage::IdempotentResponse;

/// Largest error body the middleware reads back to stamp the request id into it.
const MAX_PROBLEM_BYTES: usize = 64 * 1024;

/// Gives the request an id, stamps it on the response and its problem, and logs one line.
pub async fn observe(request: Request, next: Next) -> Response {
    let request_id = Uuid::new_v4().simple().to_string();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();

    let response = next.run(request).await;
    let mut response = stamp_problem(response, &request_id).await;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }

    let status = response.status().as_u16();
    let duration_ms = started.elapsed().as_millis() as u64;
    if status >= 500 {
        tracing::error!(request_id, %method, path, status, duration_ms, "request");
    } else {
        tracing::info!(request_id, %method, path, status, duration_ms, "request");
    }
    response
}

/// Makes every error response a problem carrying the request id.
async fn stamp_problem(response: Response, request_id: &str) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_CONTENT_TYPE.as_bytes());
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_PROBLEM_BYTES).await.unwrap_or_default();
    let mut problem = match serde_json::from_slice::<Problem>(&bytes) {
        Ok(problem) if is_problem => problem,
        _ => problem_for_status(status),
    };
    problem.request_id = Some(request_id.to_owned());
    let mut stamped = problem_response(&problem);
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            stamped.headers_mut().insert(name.clone(), value.clone());
        }
    }
    stamped
}

/// A problem for an error response that was not written as one (axum's own 405, a layer's
/// 413, a panic).
fn problem_for_status(status: StatusCode) -> Problem {
    let mut problem = match status.as_u16() {
        413 => Problem::new(
            ErrorCode::PayloadTooLarge,
            "Payload too large",
            "The request body is larger than the server accepts.",
        ),
        404 => Problem::new(ErrorCode::NotFound, "Not found", "There is no such resource."),
        401 => Problem::new(ErrorCode::Unauthenticated, "Not authenticated", "Log in first."),
        403 => Problem::new(ErrorCode::Forbidden, "Forbidden", "This is not allowed."),
        s if s >= 500 => internal_problem(),
        _ => Problem::new(
            ErrorCode::InvalidInput,
            "Invalid request",
            format!("The server cannot handle this request ({status})."),
        ),
    };
    problem.status = status.as_u16();
    problem
}

/// Reads the whole request body before any handler runs, within `max_body_bytes` and
/// `body_read_timeout`, so that a client sending slowly or without end (chunked, with no
/// length) is cut off with a 408 or 413 instead of holding a handler, the write lock and a
/// connection. The deadline covers the whole body, not each piece of it, so dribbling one
/// byte at a time does not extend it.
pub async fn read_body(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let limit = state.settings.max_body_bytes;
    let deadline = state.settings.body_read_timeout;
    let bytes = match tokio::time::timeout(deadline, collect(body, limit)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(BodyError::TooLarge)) => {
            return closing(problem_for_status(StatusCode::PAYLOAD_TOO_LARGE));
        }
        Ok(Err(BodyError::Broken)) => {
            return closing(Problem::new(
                ErrorCode::InvalidInput,
                "Invalid request",
                "The request body was cut off or malformed.",
            ));
        }
        Err(_) => {
            let problem = Problem::new(
                ErrorCode::RequestTimeout,
                "Request timeout",
                format!("The request body did not arrive within {} seconds.", deadline.as_secs()),
            )
            .with_hint("Send the whole body at once, or check the network path to the server.");
            return closing(problem);
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

enum BodyError {
    TooLarge,
    Broken,
}

/// The body's bytes, stopping as soon as they pass `limit` whatever the request announced.
async fn collect(mut body: Body, limit: usize) -> Result<Vec<u8>, BodyError> {
    let mut bytes = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|_| BodyError::Broken)?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > limit {
                return Err(BodyError::TooLarge);
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes)
}

/// A problem response that also closes the connection: the rest of the body is still on
/// the wire, and the client is not worth reading further.
fn closing(problem: Problem) -> Response {
    let mut response = problem_response(&problem);
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    tracing::error!(panic = detail, "handler panicked");
    problem_response(&internal_problem())
}

/// Replays the stored response of a `POST` retried with the same idempotency key, refuses
/// the key when the body differs, and stores the first successful response.
pub async fn idempotency(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(IDEMPOTENCY_KEY_HEADER).cloned() else {
        return next.run(request).await;
    };
    let key = match key.to_str() {
        Ok(k) if !k.trim().is_empty() && k.len() <= 200 => k.trim().to_owned(),
        _ => {
            return problem_response(&Problem::new(
                ErrorCode::InvalidInput,
                "Invalid idempotency key",
                "The Idempotency-Key header must be 1 to 200 visible ASCII characters.",
            ));
        }
    };
    let (parts, body) = request.into_parts();
    // An unauthenticated request goes on, and the handler refuses it.
    let Some(principal) = auth::idempotency_principal(&state, &parts).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let Ok(bytes) = to_bytes(body, state.settings.max_body_bytes).await else {
        return problem_response(&problem_for_status(StatusCode::PAYLOAD_TOO_LARGE));
    };
    let mut hasher = Sha256::new();
    hasher.update(parts.uri.path().as_bytes());
    hasher.update([0]);
    hasher.update(&bytes);
    let request_hash = hex::encode(hasher.finalize());

    let _guard = state.idempotency_lock.lock().await;
    match state.store.idempotent_response(&principal, &key).await {
        Ok(Some(stored)) if stored.request_hash == request_hash => return replay(stored),
        Ok(Some(_)) => {
            return problem_response(
                &Problem::new(
                    ErrorCode::IdempotencyKeyReused,
                    "Idempotency key reused",
                    "This idempotency key was used earlier with a different request.",
                )
                .with_hint("Use a new key for a new request."),
            );
        }
        Ok(None) => {}
        Err(error) => {
            tracing::error!(error = %error, "cannot read the idempotency store");
            return problem_response(&internal_problem());
        }
    }

    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    if !response.status().is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, usize::MAX).await else {
        return problem_response(&internal_problem());
    };
    let stored = IdempotentResponse {
        principal,
        key,
        request_hash,
        status: parts.status.as_u16(),
        body: body.to_vec(),
        created_at: state.clock.now(),
    };
    if let Err(error) = state.store.save_idempotent_response(&stored).await {
        tracing::error!(error = %error, "cannot store the idempotent response");
    }
    Response::from_parts(parts, Body::from(body))
}

fn replay(stored: IdempotentResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

/// Sets the `Date` header from the application clock, so that a client computing "time
/// left" against the server's notion of now (`jit` does) sees the same clock the rules use,
/// including the controllable clock of `jitd dev-server`. Without this hyper would stamp the
/// host's real time.
pub async fn date_from_clock(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let date = state.clock.now().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    if let Ok(value) = HeaderValue::from_str(&date) {
        response.headers_mut().insert(header::DATE, value);
    }
    response
}
