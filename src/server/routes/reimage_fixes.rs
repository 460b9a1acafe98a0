//! "Reimaged device fix requests": anyone affected files one, IAM applies or rejects it.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use tracing::instrument;
use uuid::Uuid;

use super::{Body, Order, Params, audit_event, item_problem, known_device, paginate, time_key};
use crate::api::{
    BatchItemResult, BatchResult, DeviceState, ErrorCode, Page, Problem, ReimageFix,
    ReimageFixBatch, ReimageFixState, RequestState, Role, Scope,
};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::{AppError, AppResult};
use crate::server::rules;
use crate::server::storage::{DeviceRecord, ReimageFixRecord, RequestFilter, UserRecord};
use crate::server::views::{self, Names, snapshot};

const MAX_BATCH: usize = 1000;

fn check_batch(batch: &ReimageFixBatch) -> AppResult<()> {
    if batch.devices.is_empty() || batch.devices.len() > MAX_BATCH {
        return Err(AppError::invalid(format!("A batch names 1 to {MAX_BATCH} devices.")));
    }
    Ok(())
}

fn not_reimaged(device: &DeviceRecord) -> AppError {
    AppError::Problem(Box::new(
        Problem::new(
            ErrorCode::DeviceNotReimaged,
            "Device not reimaged",
            format!("{} is not marked reimaged: there is nothing to fix.", device.name),
        )
        .with_hint("A device is marked reimaged when its agent checks in with a new identity."),
    ))
}

type ItemOutcome = AppResult<(&'static str, ReimageFix)>;

fn batch_result(device: &str, outcome: ItemOutcome) -> BatchItemResult<ReimageFix> {
    match outcome {
        Ok((word, fix)) => BatchItemResult {
            item: device.to_owned(),
            ok: true,
            outcome: word.to_owned(),
            value: Some(fix),
            error: None,
        },
        Err(error) => BatchItemResult {
            item: device.to_owned(),
            ok: false,
            outcome: "refused".to_owned(),
            value: None,
            error: Some(item_problem(error)),
        },
    }
}

/// File fix requests for reimaged devices: IAM, or anyone with an approval on the device.
#[utoipa::path(post, path = "/api/v1/reimage-fixes", tag = "reimage-fixes",
    request_body = ReimageFixBatch,
    responses((status = 200, body = BatchResult<ReimageFix>), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(devices = batch.devices.len()))]
pub async fn file_reimage_fixes(
    State(state): State<AppState>,
    caller: Caller,
    Body(batch): Body<ReimageFixBatch>,
) -> AppResult<Json<BatchResult<ReimageFix>>> {
    let user = caller.user()?;
    caller.require(&[Scope::ReimageFixes, Scope::Requests])?;
    check_batch(&batch)?;
    let _write = state.write_lock.lock().await;
    let names = Names::load(state.store.as_ref()).await?;
    let mut results = Vec::new();
    for name in &batch.devices {
        results.push(batch_result(name, file_one(&state, user, name, &names).await));
    }
    Ok(Json(BatchResult { results }))
}

async fn file_one(state: &AppState, user: &UserRecord, name: &str, names: &Names) -> ItemOutcome {
    let now = state.clock.now();
    let device = known_device(state, name).await?;
    if !(user.has_role(Role::Iam) || user.has_role(Role::Admin)) {
        let filter = RequestFilter {
            requester: Some(user.username.clone()),
            device_key: Some(device.key.clone()),
            departments: None,
        };
        let approved = state
            .store
            .requests(&filter)
            .await?
            .iter()
            .any(|r| rules::request_state(r, now) == RequestState::Approved);
        if !approved {
            return Err(AppError::forbidden(format!(
                "Only IAM or someone with an approval on {} files its fix request.",
                device.name
            )));
        }
    }
    if device.state != DeviceState::Reimaged {
        return Err(not_reimaged(&device));
    }
    let fixes = state.store.reimage_fixes(Some(&device.key)).await?;
    if let Some(open) = fixes.iter().find(|f| f.state == ReimageFixState::Open) {
        return Ok(("existing", views::reimage_fix(open, names)));
    }
    let fix = ReimageFixRecord {
        id: Uuid::now_v7(),
        device_key: device.key.clone(),
        old_agent_id: device.agent_id.clone(),
        new_agent_id: device.pending_agent_id.clone(),
        filed_by: user.username.clone(),
        filed_at: now,
        state: ReimageFixState::Open,
        resolved_by: None,
        resolved_at: None,
        resolution_reason: None,
    };
    let view = views::reimage_fix(&fix, names);
    let audit = audit_event(
        now,
        &user.username,
        "reimage_fix.file",
        format!("device:{}", device.name),
        None,
        snapshot(&view),
    );
    state.store.save_reimage_fix(&fix, audit).await?;
    Ok(("filed", view))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReimageFixQuery {
    pub state: Option<ReimageFixState>,
    pub device: Option<String>,
    /// The `next_cursor` of the page before.
    #[param(pattern = r"^(k([0-9a-f]{2})*)?$")]
    pub cursor: Option<String>,
    /// Items per page [default: 50].
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// Fix requests, newest first: all of them for IAM, one's own otherwise.
#[utoipa::path(get, path = "/api/v1/reimage-fixes", tag = "reimage-fixes",
    params(ReimageFixQuery),
    responses((status = 200, body = Page<ReimageFix>), (status = "4XX", body = Problem)))]
#[instrument(skip_all)]
pub async fn list_reimage_fixes(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<ReimageFixQuery>,
) -> AppResult<Json<Page<ReimageFix>>> {
    let user = caller.user()?;
    caller.require(&[Scope::Read, Scope::ReimageFixes, Scope::Requests])?;
    let sees_all = user.has_role(Role::Iam) || user.has_role(Role::Admin);
    let device_key = query.device.as_deref().map(rules::device_key);
    let names = Names::load(state.store.as_ref()).await?;
    let fixes: Vec<ReimageFix> = state
        .store
        .reimage_fixes(device_key.as_deref())
        .await?
        .iter()
        .filter(|f| sees_all || f.filed_by == user.username)
        .filter(|f| query.state.is_none_or(|s| f.state == s))
        .map(|f| views::reimage_fix(f, &names))
        .collect();
    let key = |f: &ReimageFix| time_key(f.filed_at, f.id);
    Ok(Json(paginate(fixes, key, Order::NewestFirst, query.cursor.as_deref(), query.limit)?))
}

fn iam(caller: &Caller) -> AppResult<&UserRecord> {
    caller.user_with(&[Role::Iam, Role::Admin], &[Scope::ReimageFixes])
}

/// Re-bind reimaged devices to their new agent identity, keeping their approvals.
/// Applying a fix twice succeeds with the outcome `already_fixed`.
#[utoipa::path(post, path = "/api/v1/reimage-fixes/apply", tag = "reimage-fixes",
    request_body = ReimageFixBatch,
    responses((status = 200, body = BatchResult<ReimageFix>), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(devices = batch.devices.len()))]
pub async fn apply_reimage_fixes(
    State(state): State<AppState>,
    caller: Caller,
    Body(batch): Body<ReimageFixBatch>,
) -> AppResult<Json<BatchResult<ReimageFix>>> {
    let user = iam(&caller)?;
    check_batch(&batch)?;
    let _write = state.write_lock.lock().await;
    let names = Names::load(state.store.as_ref()).await?;
    let mut results = Vec::new();
    for name in &batch.devices {
        let reason = batch.reason.as_deref();
        results.push(batch_result(name, apply_one(&state, user, name, reason, &names).await));
    }
    Ok(Json(BatchResult { results }))
}

async fn apply_one(
    state: &AppState,
    user: &UserRecord,
    name: &str,
    note: Option<&str>,
    names: &Names,
) -> ItemOutcome {
    let now = state.clock.now();
    let device = known_device(state, name).await?;
    let fixes = state.store.reimage_fixes(Some(&device.key)).await?;
    let latest = fixes.first();
    if device.state != DeviceState::Reimaged {
        return match latest {
            Some(fix) if fix.state == ReimageFixState::Resolved => {
                Ok(("already_fixed", views::reimage_fix(fix, names)))
            }
            _ => Err(not_reimaged(&device)),
        };
    }
    let open = fixes.iter().find(|f| f.state == ReimageFixState::Open).cloned();
    let fix = match (open, latest) {
        (Some(open), _) => open,
        (None, Some(latest)) if latest.state == ReimageFixState::Rejected => {
            return Err(AppError::new(
                ErrorCode::FixNotOpen,
                "Fix request not open",
                format!(
                    "The fix request for {} was rejected by {}; file a new one to fix it.",
                    device.name,
                    latest.resolved_by.as_deref().unwrap_or("IAM")
                ),
            ));
        }
        // IAM may fix a reimaged device nobody filed a request for yet.
        _ => ReimageFixRecord {
            id: Uuid::now_v7(),
            device_key: device.key.clone(),
            old_agent_id: device.agent_id.clone(),
            new_agent_id: device.pending_agent_id.clone(),
            filed_by: user.username.clone(),
            filed_at: now,
            state: ReimageFixState::Open,
            resolved_by: None,
            resolved_at: None,
            resolution_reason: None,
        },
    };
    let note = note.map(|n| rules::reason(n, "A fix note").map_err(AppError::from));
    let note = note.transpose()?;
    let mut resolved = fix.clone();
    resolved.new_agent_id = device.pending_agent_id.clone();
    resolved.state = ReimageFixState::Resolved;
    resolved.resolved_by = Some(user.username.clone());
    resolved.resolved_at = Some(now);
    resolved.resolution_reason = note;

    let mut rebound = device.clone();
    rebound.agent_id = device.pending_agent_id.clone();
    rebound.pending_agent_id = None;
    rebound.state = DeviceState::Bound;
    let view = views::reimage_fix(&resolved, names);
    let fix_audit = audit_event(
        now,
        &user.username,
        "reimage_fix.apply",
        format!("device:{}", device.name),
        snapshot(&views::reimage_fix(&fix, names)),
        snapshot(&view),
    );
    let device_audit = audit_event(
        now,
        &user.username,
        "device.rebind",
        format!("device:{}", device.name),
        snapshot(&views::device(&device)),
        snapshot(&views::device(&rebound)),
    );
    state.store.apply_reimage_fix(&resolved, fix_audit, &rebound, device_audit).await?;
    Ok(("fixed", view))
}

/// Reject fix requests, with a reason. The devices stay reimaged.
#[utoipa::path(post, path = "/api/v1/reimage-fixes/reject", tag = "reimage-fixes",
    request_body = ReimageFixBatch,
    responses((status = 200, body = BatchResult<ReimageFix>), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(devices = batch.devices.len()))]
pub async fn reject_reimage_fixes(
    State(state): State<AppState>,
    caller: Caller,
    Body(batch): Body<ReimageFixBatch>,
) -> AppResult<Json<BatchResult<ReimageFix>>> {
    let user = iam(&caller)?;
    check_batch(&batch)?;
    let reason = rules::reason(batch.reason.as_deref().unwrap_or_default(), "A rejection")?;
    let _write = state.write_lock.lock().await;
    let names = Names::load(state.store.as_ref()).await?;
    let mut results = Vec::new();
    for name in &batch.devices {
        let now = state.clock.now();
        let outcome = reject_one(&state, user, name, &reason, now, &names).await;
        results.push(batch_result(name, outcome));
    }
    Ok(Json(BatchResult { results }))
}

async fn reject_one(
    state: &AppState,
    user: &UserRecord,
    name: &str,
    reason: &str,
    now: DateTime<Utc>,
    names: &Names,
) -> ItemOutcome {
    let device = known_device(state, name).await?;
    let fixes = state.store.reimage_fixes(Some(&device.key)).await?;
    let Some(open) = fixes.iter().find(|f| f.state == ReimageFixState::Open) else {
        return match fixes.first() {
            Some(latest) if latest.state == ReimageFixState::Rejected => {
                Ok(("already_rejected", views::reimage_fix(latest, names)))
            }
            _ if device.state != DeviceState::Reimaged => Err(not_reimaged(&device)),
            _ => Err(AppError::new(
                ErrorCode::FixNotOpen,
                "No open fix request",
                format!("There is no open fix request for {}.", device.name),
            )),
        };
    };
    let mut rejected = open.clone();
    rejected.state = ReimageFixState::Rejected;
    rejected.resolved_by = Some(user.username.clone());
    rejected.resolved_at = Some(now);
    rejected.resolution_reason = Some(reason.to_owned());
    let view = views::reimage_fix(&rejected, names);
    let audit = audit_event(
        now,
        &user.username,
        "reimage_fix.reject",
        format!("device:{}", device.name),
        snapshot(&views::reimage_fix(open, names)),
        snapshot(&view),
    );
    state.store.save_reimage_fix(&rejected, audit).await?;
    Ok(("rejected", view))
}
