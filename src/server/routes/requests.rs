//! Access requests and the responsible persons' decisions on them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use tracing::instrument;
use uuid::Uuid;

use super::{Body, OptionalBody, Order, Params, PathParam, audit_event, paginate, time_key};
use crate::api::{
    AccessRequest, BatchItemResult, BatchResult, Decision, DecisionBatch, DecisionItem, ErrorCode,
    NewAccessRequest, Page, Problem, RequestCreated, RequestState, Role, Scope,
};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::{AppError, AppResult};
use crate::server::rules;
use crate::server::storage::{RequestFilter, RequestRecord, UserRecord};
use crate::server::views::{self, Names, snapshot};

/// Request admin rights on a device. A live request for the same device is returned
/// instead of a second one.
#[utoipa::path(post, path = "/api/v1/requests", tag = "requests", request_body = NewAccessRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = RequestCreated), (status = 200, body = RequestCreated),
        (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(device = %new.device))]
pub async fn create_request(
    State(state): State<AppState>,
    caller: Caller,
    Body(new): Body<NewAccessRequest>,
) -> AppResult<(StatusCode, Json<RequestCreated>)> {
    let user = caller.user_with(&[Role::Requester], &[Scope::Requests])?;
    let reason = rules::reason(&new.reason, "A request")?;
    let ticket = rules::ticket(new.ticket.as_deref())?;
    let device = known_device(&state, &new.device).await?;

    let _write = state.write_lock.lock().await;
    let now = state.clock.now();
    let names = Names::load(state.store.as_ref()).await?;
    let filter = RequestFilter {
        requester: Some(user.username.clone()),
        device_key: Some(device.key.clone()),
        departments: None,
    };
    let existing = state.store.requests(&filter).await?;
    if let Some(live) = existing.iter().find(|r| rules::is_live_request(r, now)) {
        let request = views::request(live, &names, now);
        return Ok((StatusCode::OK, Json(RequestCreated { request, existing: true })));
    }

    let record = RequestRecord {
        id: Uuid::now_v7(),
        requester: user.username.clone(),
        department: user.department.clone(),
        device_key: device.key.clone(),
        reason,
        ticket,
        state: RequestState::Pending,
        created_at: now,
        decided_by: None,
        decided_at: None,
        decision_reason: None,
        approval_expires_at: None,
        lapses_at: now + state.settings.lapse_after,
    };
    let request = views::request(&record, &names, now);
    let audit = audit_event(
        now,
        &user.username,
        "request.create",
        format!("request:{}", record.id),
        None,
        snapshot(&request),
    );
    state.store.save_request(&record, audit).await?;
    Ok((StatusCode::CREATED, Json(RequestCreated { request, existing: false })))
}

/// A device by name, or `unknown_device`.
pub async fn known_device(
    state: &AppState,
    name: &str,
) -> AppResult<crate::server::storage::DeviceRecord> {
    let key = rules::device_key(name);
    if key.is_empty() || key.chars().any(char::is_control) || key.len() > 200 {
        return Err(AppError::invalid("A device name is 1 to 200 printable characters."));
    }
    state.store.device(&key).await?.ok_or_else(|| {
        AppError::Problem(Box::new(
            Problem::new(
                ErrorCode::UnknownDevice,
                "Unknown device",
                format!("There is no device named `{}` in the directory.", name.trim()),
            )
            .with_hint("Check the name on the device's label (names match exactly, any case)."),
        ))
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RequestQuery {
    /// Only the caller's own requests.
    pub mine: Option<bool>,
    /// Only pending requests the caller may decide.
    pub awaiting_decision: Option<bool>,
    pub state: Option<RequestState>,
    pub device: Option<String>,
    pub requester: Option<String>,
    /// The `next_cursor` of the page before.
    #[param(pattern = r"^(k([0-9a-f]{2})*)?$")]
    pub cursor: Option<String>,
    /// Items per page [default: 50].
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// List the requests the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests", params(RequestQuery),
    responses((status = 200, body = Page<AccessRequest>), (status = "4XX", body = Problem)))]
#[instrument(skip_all)]
pub async fn list_requests(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<RequestQuery>,
) -> AppResult<Json<Page<AccessRequest>>> {
    let user = caller.user()?;
    caller.require(&[Scope::Read, Scope::Requests, Scope::Decisions])?;
    let now = state.clock.now();
    let sees_all = user.has_role(Role::Admin) || user.has_role(Role::Iam);
    let mut filter = RequestFilter {
        requester: query.requester.as_deref().map(|r| r.trim().to_owned()),
        device_key: query.device.as_deref().map(rules::device_key),
        departments: None,
    };
    if query.mine == Some(true) {
        filter.requester = Some(user.username.clone());
    }
    let awaiting = query.awaiting_decision == Some(true);
    let records = state.store.requests(&filter).await?;
    let names = Names::load(state.store.as_ref()).await?;
    let visible: Vec<AccessRequest> = records
        .iter()
        .filter(|r| {
            if awaiting {
                return r.requester != user.username
                    && rules::decides_for(user, &r.department)
                    && rules::request_state(r, now) == RequestState::Pending;
            }
            sees_all || r.requester == user.username || rules::decides_for(user, &r.department)
        })
        .filter(|r| query.state.is_none_or(|s| rules::request_state(r, now) == s))
        .map(|r| views::request(r, &names, now))
        .collect();
    let key = |r: &AccessRequest| time_key(r.created_at, r.id);
    Ok(Json(paginate(visible, key, Order::NewestFirst, query.cursor.as_deref(), query.limit)?))
}

/// A request the caller may see, or why not.
async fn visible_request(
    state: &AppState,
    user: &UserRecord,
    id: Uuid,
) -> AppResult<RequestRecord> {
    let record = state
        .store
        .request(id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("There is no request {id}.")))?;
    let sees = record.requester == user.username
        || rules::decides_for(user, &record.department)
        || user.has_role(Role::Iam);
    if !sees {
        return Err(AppError::forbidden("This request belongs to someone else."));
    }
    Ok(record)
}

/// One request.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests",
    params(("id" = Uuid, Path, description = "Request id")),
    responses((status = 200, body = AccessRequest), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(%id))]
pub async fn get_request(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> AppResult<Json<AccessRequest>> {
    let user = caller.user()?;
    caller.require(&[Scope::Read, Scope::Requests, Scope::Decisions])?;
    let record = visible_request(&state, user, id).await?;
    let names = Names::load(state.store.as_ref()).await?;
    Ok(Json(views::request(&record, &names, state.clock.now())))
}

/// Withdraw one's own pending request.
#[utoipa::path(post, path = "/api/v1/requests/{id}/cancel", tag = "requests",
    params(("id" = Uuid, Path, description = "Request id")),
    responses((status = 200, body = AccessRequest), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(%id))]
pub async fn cancel_request(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> AppResult<Json<AccessRequest>> {
    let user = caller.user_with(&[Role::Requester], &[Scope::Requests])?;
    let _write = state.write_lock.lock().await;
    let now = state.clock.now();
    let record = visible_request(&state, user, id).await?;
    if record.requester != user.username {
        return Err(AppError::forbidden("Only the requester cancels a request."));
    }
    let current = rules::request_state(&record, now);
    if current != RequestState::Pending {
        return Err(AppError::new(
            ErrorCode::RequestNotPending,
            "Request not pending",
            format!(
                "The request is {}: only a pending request is cancelled.",
                rules::state_word(current)
            ),
        ));
    }
    let names = Names::load(state.store.as_ref()).await?;
    let mut cancelled = record.clone();
    cancelled.state = RequestState::Cancelled;
    let audit = audit_event(
        now,
        &user.username,
        "request.cancel",
        format!("request:{id}"),
        snapshot(&views::request(&record, &names, now)),
        snapshot(&views::request(&cancelled, &names, now)),
    );
    state.store.save_request(&cancelled, audit).await?;
    Ok(Json(views::request(&cancelled, &names, now)))
}

/// Decide many requests in one call. Each item has its own result; one refused item never
/// stops the others.
#[utoipa::path(post, path = "/api/v1/decisions", tag = "requests", request_body = DecisionBatch,
    responses((status = 200, body = BatchResult<AccessRequest>), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(items = batch.items.len()))]
pub async fn decide_batch(
    State(state): State<AppState>,
    caller: Caller,
    Body(batch): Body<DecisionBatch>,
) -> AppResult<Json<BatchResult<AccessRequest>>> {
    let user = caller.user_with(&[Role::Rp, Role::Admin], &[Scope::Decisions])?;
    if batch.items.len() > 1000 {
        return Err(AppError::invalid("A batch holds at most 1000 decisions."));
    }
    let _write = state.write_lock.lock().await;
    // One instant for the whole batch: an approval or a lapse falling due while the batch
    // runs must not judge its items by different clocks.
    let now = state.clock.now();
    let names = Names::load(state.store.as_ref()).await?;
    let mut results = Vec::with_capacity(batch.items.len());
    for item in &batch.items {
        let result = match decide_one(&state, user, item, &names, now).await {
            Ok(request) => BatchItemResult {
                item: item.request_id.to_string(),
                ok: true,
                outcome: rules::state_word(request.state).to_owned(),
                value: Some(request),
                error: None,
            },
            Err(error) => BatchItemResult {
                item: item.request_id.to_string(),
                ok: false,
                outcome: "refused".to_owned(),
                value: None,
                error: Some(item_problem(error)),
            },
        };
        results.push(result);
    }
    Ok(Json(BatchResult { results }))
}

/// The problem of a failed batch item; an internal failure is logged, not shown.
pub fn item_problem(error: AppError) -> Problem {
    if let AppError::Internal(e) = &error {
        tracing::error!(error = format!("{e:#}"), "batch item failed");
    }
    error.to_problem()
}

/// Decides one request at `now`. The caller holds the write lock.
async fn decide_one(
    state: &AppState,
    user: &UserRecord,
    item: &DecisionItem,
    names: &Names,
    now: DateTime<Utc>,
) -> AppResult<AccessRequest> {
    let record =
        state.store.request(item.request_id).await?.ok_or_else(|| {
            AppError::not_found(format!("There is no request {}.", item.request_id))
        })?;
    let input = rules::DecisionInput {
        decision: item.decision,
        reason: item.reason.as_deref(),
        approval_expires_at: item.approval_expires_at,
    };
    let decided = rules::decide(&state.settings, user, &record, &input, now)?;
    let action = match item.decision {
        Decision::Approve => "request.approve",
        Decision::Deny => "request.deny",
    };
    let after = views::request(&decided, names, now);
    let audit = audit_event(
        now,
        &user.username,
        action,
        format!("request:{}", record.id),
        snapshot(&views::request(&record, names, now)),
        snapshot(&after),
    );
    state.store.save_request(&decided, audit).await?;
    Ok(after)
}

/// The body of the single-request decision routes.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionNote {
    /// Required to deny; an optional note to approve.
    pub reason: Option<String>,
    /// Approval expiration; defaults to the configured default.
    pub approval_expires_at: Option<DateTime<Utc>>,
}

async fn decide_single(
    state: AppState,
    caller: Caller,
    id: Uuid,
    decision: Decision,
    note: DecisionNote,
) -> AppResult<Json<AccessRequest>> {
    let user = caller.user_with(&[Role::Rp, Role::Admin], &[Scope::Decisions])?;
    let item = DecisionItem {
        request_id: id,
        decision,
        reason: note.reason,
        approval_expires_at: note.approval_expires_at,
    };
    let _write = state.write_lock.lock().await;
    let names = Names::load(state.store.as_ref()).await?;
    Ok(Json(decide_one(&state, user, &item, &names, state.clock.now()).await?))
}

/// Approve one request.
#[utoipa::path(post, path = "/api/v1/requests/{id}/approve", tag = "requests",
    params(("id" = Uuid, Path, description = "Request id")), request_body = DecisionNote,
    responses((status = 200, body = AccessRequest), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(%id))]
pub async fn approve_request(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
    OptionalBody(note): OptionalBody<DecisionNote>,
) -> AppResult<Json<AccessRequest>> {
    decide_single(state, caller, id, Decision::Approve, note).await
}

/// Deny one request, with a reason.
#[utoipa::path(post, path = "/api/v1/requests/{id}/deny", tag = "requests",
    params(("id" = Uuid, Path, description = "Request id")), request_body = DecisionNote,
    responses((status = 200, body = AccessRequest), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(%id))]
pub async fn deny_request(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
    OptionalBody(note): OptionalBody<DecisionNote>,
) -> AppResult<Json<AccessRequest>> {
    decide_single(state, caller, id, Decision::Deny, note).await
}
