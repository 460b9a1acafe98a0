//! `GET /status`: everything `jit status` shows, in one call.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use tracing::instrument;

use super::{Params, activation_refusal, known_device, user_training};
use crate::api::{Blocker, ErrorCode, Problem, ReimageFixState, RequestState, Scope, Status};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::AppResult;
use crate::server::rules;
use crate::server::storage::RequestFilter;
use crate::server::views::{self, Names};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatusQuery {
    /// Narrow everything to one device, and say what blocks activating on it.
    pub device: Option<String>,
}

/// The caller's approvals, pending requests, training, live activations, open fix requests,
/// and what blocks activation with the next step.
#[utoipa::path(get, path = "/api/v1/status", tag = "status", params(StatusQuery),
    responses((status = 200, body = Status), (status = "4XX", body = Problem)))]
#[instrument(skip_all)]
pub async fn status(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<StatusQuery>,
) -> AppResult<Json<Status>> {
    let user = caller.user()?;
    caller.require(&[Scope::Read, Scope::Requests])?;
    let now = state.clock.now();
    let names = Names::load(state.store.as_ref()).await?;
    let device = match &query.device {
        Some(name) => Some(known_device(&state, name).await?),
        None => None,
    };
    let filter = RequestFilter {
        requester: Some(user.username.clone()),
        device_key: device.as_ref().map(|d| d.key.clone()),
        departments: None,
    };
    let requests = state.store.requests(&filter).await?;
    let with_state = |wanted: RequestState| {
        requests.iter().filter(move |r| rules::request_state(r, now) == wanted)
    };
    let approvals: Vec<_> = with_state(RequestState::Approved).collect();
    let pending: Vec<_> = with_state(RequestState::Pending).collect();

    let requested_keys: BTreeSet<String> =
        approvals.iter().chain(&pending).map(|r| r.device_key.clone()).collect();
    let mut device_keys = requested_keys.clone();
    device_keys.extend(device.as_ref().map(|d| d.key.clone()));

    let activations = state.store.activations(Some(&user.username), filter.device_key.as_deref());
    let activations: Vec<_> = activations
        .await?
        .iter()
        .filter(|a| rules::is_live_activation(a, now))
        .map(|a| views::activation(a, &names, now))
        .collect();

    let mut fixes = Vec::new();
    for fix in state.store.reimage_fixes(filter.device_key.as_deref()).await? {
        // Not the asked-for device: naming a device must not show who else filed a fix for it.
        let concerns_me = fix.filed_by == user.username || requested_keys.contains(&fix.device_key);
        if fix.state == ReimageFixState::Open && concerns_me {
            fixes.push(views::reimage_fix(&fix, &names));
        }
    }

    let mut devices = Vec::new();
    for key in &device_keys {
        if let Some(record) = state.store.device(key).await? {
            devices.push(record);
        }
    }
    let approved_keys: BTreeSet<&String> = approvals.iter().map(|r| &r.device_key).collect();
    let asked_for = device.as_ref().map(|d| &d.key);
    let mut blockers = Vec::new();
    for record in &devices {
        if approved_keys.contains(&record.key) || asked_for == Some(&record.key) {
            let refusal = activation_refusal(&state, user, record, now).await?;
            blockers.extend(refusal.map(|p| blocker(Some(record.name.clone()), &p)));
        }
    }
    if device_keys.is_empty() {
        blockers.push(Blocker {
            device: None,
            code: ErrorCode::NoApproval,
            message: "You have no approval and no pending request.".to_owned(),
            next_step: "Request access: jit request DEVICE --reason TEXT".to_owned(),
        });
    }

    Ok(Json(Status {
        server_time: now,
        user: views::user(user),
        approvals: approvals.iter().map(|r| views::request(r, &names, now)).collect(),
        pending_requests: pending.iter().map(|r| views::request(r, &names, now)).collect(),
        training: user_training(&state, user, now).await?,
        activations,
        reimage_fixes: fixes,
        devices: devices.iter().map(views::device).collect(),
        blockers,
    }))
}

fn blocker(device: Option<String>, problem: &Problem) -> Blocker {
    let next_step = match (&problem.remedy, &problem.hint) {
        (Some(steps), _) => steps.join(" "),
        (None, Some(hint)) => hint.clone(),
        (None, None) => String::new(),
    };
    Blocker { device, code: problem.code, message: problem.detail.clone(), next_step }
}
