//! The HTTP surface: the router, the extractors whose rejections are problems, and the
//! middleware every request passes (request id and log line, body limit, idempotency).

mod activations;
mod agent;
mod audit;
mod health;
mod middleware;
mod reimage_fixes;
mod requests;
mod sessions;
mod status;
mod test_clock;
mod training;

pub use activations::*;
pub use agent::*;
pub use audit::*;
pub use health::*;
pub use reimage_fixes::*;
pub use requests::*;
pub use sessions::*;
pub use status::*;
pub use test_clock::*;
pub use training::*;

use axum::Router;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};

use crate::api::{API_PREFIX, ErrorCode};
use crate::server::AppState;
use crate::server::error::AppError;
use crate::server::storage::AuditRecord;

pub fn router(state: AppState) -> Router {
    let mut api = Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
        .route("/tokens", post(create_token))
        .route("/status", get(status))
        .route("/requests", post(create_request).get(list_requests))
        .route("/requests/{id}", get(get_request))
        .route("/requests/{id}/cancel", post(cancel_request))
        .route("/requests/{id}/approve", post(approve_request))
        .route("/requests/{id}/deny", post(deny_request))
        .route("/decisions", post(decide_batch))
        .route("/activations", post(create_activation).get(list_activations))
        .route("/activations/{id}/deactivate", post(deactivate))
        .route("/devices", get(list_devices))
        .route("/devices/{name}", get(get_device))
        .route("/agent/check-in", post(check_in))
        .route("/training/completions", post(record_completions))
        .route("/reimage-fixes", post(file_reimage_fixes).get(list_reimage_fixes))
        .route("/reimage-fixes/apply", post(apply_reimage_fixes))
        .route("/reimage-fixes/reject", post(reject_reimage_fixes))
        .route("/audit", get(list_audit))
        .route("/openapi.json", get(openapi_document));
    if state.test_clock.is_some() {
        api = api.route("/_test/clock", get(get_clock).post(set_clock));
    }
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .nest(API_PREFIX, api)
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::idempotency))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::read_body))
        .layer(DefaultBodyLimit::max(state.settings.max_body_bytes))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn(middleware::observe))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::date_from_clock))
        .with_state(state)
}

async fn fallback() -> AppError {
    AppError::not_found("There is no such endpoint. The API is described at /api/v1/openapi.json.")
}

/// A JSON body whose rejection is a problem.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Body<T>(pub T);

/// A JSON body that may be left out entirely, meaning `T::default()`.
#[derive(Debug)]
pub struct OptionalBody<T>(pub T);

impl<T, S> FromRequest<S> for OptionalBody<T>
where
    T: serde::de::DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let bytes = axum::body::Bytes::from_request(request, state).await.map_err(|e| {
            if e.status().as_u16() == 413 {
                AppError::new(
                    ErrorCode::PayloadTooLarge,
                    "Payload too large",
                    "The request body is larger than the server accepts.",
                )
            } else {
                AppError::invalid(e.body_text())
            }
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalBody(T::default()));
        }
        serde_json::from_slice(&bytes)
            .map(OptionalBody)
            .map_err(|e| AppError::invalid(format!("The JSON body is invalid: {e}")))
    }
}

/// Query parameters whose rejection is a problem.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Params<T>(pub T);

/// Path parameters whose rejection is a problem.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct PathParam<T>(pub T);

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status().as_u16() == 413 {
            return AppError::new(
                ErrorCode::PayloadTooLarge,
                "Payload too large",
                "The request body is larger than the server accepts.",
            );
        }
        AppError::invalid(rejection.body_text())
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::invalid(rejection.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::invalid(rejection.body_text())
    }
}

/// An audit event for a state change made now by `actor`.
pub fn audit_event(
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    subject: impl Into<String>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditRecord {
    AuditRecord {
        at,
        actor: actor.to_owned(),
        action: action.to_owned(),
        subject: subject.into(),
        before,
        after,
    }
}

/// A cursor: the sort key of the last item a page showed, hex-encoded so that clients treat
/// it as opaque. A keyset rather than an offset, so that items added or removed while a
/// client pages through a list neither repeat nor go missing.
pub fn cursor_for(key: &str) -> String {
    format!("k{}", hex::encode(key))
}

/// The sort key a cursor from [`cursor_for`] carries, as bytes; `None` for the first page.
/// Any well-formed cursor is a position in the list (keys compare as bytes), so a made-up
/// one only chooses where a page starts, among the items the caller may see anyway.
pub fn parse_cursor(cursor: Option<&str>) -> Result<Option<Vec<u8>>, AppError> {
    match cursor {
        None | Some("") => Ok(None),
        Some(text) => text
            .strip_prefix('k')
            .and_then(|h| hex::decode(h).ok())
            .map(Some)
            .ok_or_else(|| AppError::invalid("The cursor is not one this server gave out.")),
    }
}

/// The sort key of a record listed newest first: its time, then its id to break ties.
/// Requests, activations and fixes get version 7 ids, which this process issues in
/// increasing order, so records saved at the same instant keep the order they were saved in.
pub fn time_key(at: DateTime<Utc>, id: uuid::Uuid) -> String {
    format!("{}|{id}", crate::server::storage::timestamp_text(at))
}

/// Which way a list runs through its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    NewestFirst,
    Ascending,
}

/// One page of `items` after `cursor` in `order` of `key`, `limit` long (default 50, at
/// most 500; a larger one is refused rather than cut, so a script learns the bound).
pub fn paginate<T>(
    mut items: Vec<T>,
    key: impl Fn(&T) -> String,
    order: Order,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<crate::api::Page<T>, AppError> {
    let after = parse_cursor(cursor)?;
    let limit = limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(AppError::invalid("`limit` is 1 to 500."));
    }
    let limit = limit as usize;
    match order {
        Order::NewestFirst => items.sort_by_cached_key(|item| std::cmp::Reverse(key(item))),
        Order::Ascending => items.sort_by_cached_key(|item| key(item)),
    }
    let follows = |k: &String| match (&after, order) {
        (None, _) => true,
        (Some(after), Order::NewestFirst) => k.as_bytes() < after.as_slice(),
        (Some(after), Order::Ascending) => k.as_bytes() > after.as_slice(),
    };
    let mut rest = items.into_iter().filter(|item| follows(&key(item)));
    let page: Vec<T> = rest.by_ref().take(limit).collect();
    let more = rest.next().is_some();
    let next_cursor = page.last().filter(|_| more).map(|last| cursor_for(&key(last)));
    Ok(crate::api::Page { items: page, next_cursor })
}
