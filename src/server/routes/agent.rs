//! Devices, and the endpoint agents that check in for them.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use tracing::instrument;

use super::{Body, Order, Params, PathParam, audit_event, known_device, paginate};
use crate::api::{
    ActivationState, AgentCheckIn, AgentCheckInResponse, Device, DeviceState, Grant, Page, Problem,
    Scope,
};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::{AppError, AppResult};
use crate::server::rules;
use crate::server::storage::DeviceRecord;
use crate::server::views::{self, Names, snapshot};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeviceQuery {
    pub state: Option<DeviceState>,
    /// The `next_cursor` of the page before.
    #[param(pattern = r"^(k([0-9a-f]{2})*)?$")]
    pub cursor: Option<String>,
    /// Items per page [default: 50].
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// The device directory.
#[utoipa::path(get, path = "/api/v1/devices", tag = "devices", params(DeviceQuery),
    responses((status = 200, body = Page<Device>), (status = "4XX", body = Problem)))]
#[instrument(skip_all)]
pub async fn list_devices(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<DeviceQuery>,
) -> AppResult<Json<Page<Device>>> {
    caller.user()?;
    caller.require(&[Scope::Read, Scope::Requests, Scope::Decisions, Scope::ReimageFixes])?;
    let devices: Vec<Device> = state
        .store
        .devices()
        .await?
        .iter()
        .filter(|d| query.state.is_none_or(|s| d.state == s))
        .map(views::device)
        .collect();
    let key = |d: &Device| rules::device_key(&d.name);
    Ok(Json(paginate(devices, key, Order::Ascending, query.cursor.as_deref(), query.limit)?))
}

/// One device, matched by name exactly, ignoring case.
#[utoipa::path(get, path = "/api/v1/devices/{name}", tag = "devices",
    params(("name" = String, Path, description = "Device name")),
    responses((status = 200, body = Device), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(%name))]
pub async fn get_device(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(name): PathParam<String>,
) -> AppResult<Json<Device>> {
    caller.user()?;
    caller.require(&[Scope::Read, Scope::Requests, Scope::Decisions, Scope::ReimageFixes])?;
    Ok(Json(views::device(&known_device(&state, &name).await?)))
}

/// An endpoint agent reports in and fetches the grants for its device.
///
/// The first check-in binds the device to the agent's identity. A different identity marks
/// the device reimaged and is never trusted by itself: IAM must apply a fix. Fetching the
/// grants marks pending activations effective.
#[utoipa::path(post, path = "/api/v1/agent/check-in", tag = "agents", request_body = AgentCheckIn,
    responses((status = 200, body = AgentCheckInResponse), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(device = %check_in.device))]
pub async fn check_in(
    State(state): State<AppState>,
    caller: Caller,
    Body(check_in): Body<AgentCheckIn>,
) -> AppResult<Json<AgentCheckInResponse>> {
    caller.require(&[Scope::Agent])?;
    let agent_id = check_in.agent_id.trim().to_owned();
    if agent_id.is_empty() || agent_id.len() > 200 || agent_id.chars().any(char::is_control) {
        return Err(AppError::invalid("An agent id is 1 to 200 printable characters."));
    }
    // Read under the lock: a device read before it could be a re-binding that a fix
    // applied meanwhile, which this check-in would then write back.
    let _write = state.write_lock.lock().await;
    let device = known_device(&state, &check_in.device).await?;
    let now = state.clock.now();
    let actor = caller.actor();
    let (updated, action) = rules::check_in(&device, &agent_id, now);
    let audit = (updated.state != device.state
        || updated.agent_id != device.agent_id
        || updated.pending_agent_id != device.pending_agent_id)
        .then(|| {
            audit_event(
                now,
                &actor,
                action,
                format!("device:{}", device.name),
                snapshot(&views::device(&device)),
                snapshot(&views::device(&updated)),
            )
        });
    state.store.save_device(&updated, audit).await?;

    // A new identity is never trusted by itself: it gets no grants until IAM re-binds.
    let grants = match updated.state {
        DeviceState::Bound => pick_up_grants(&state, &updated, &actor, now).await?,
        _ => Vec::new(),
    };
    Ok(Json(AgentCheckInResponse { device: views::device(&updated), grants }))
}

/// The live grants of a device; the pending ones become active now that the agent has
/// fetched them. The caller holds the write lock.
async fn pick_up_grants(
    state: &AppState,
    device: &DeviceRecord,
    actor: &str,
    now: DateTime<Utc>,
) -> AppResult<Vec<Grant>> {
    let names = Names::load(state.store.as_ref()).await?;
    let mut grants = Vec::new();
    for activation in state.store.activations(None, Some(&device.key)).await? {
        if !rules::is_live_activation(&activation, now) {
            continue;
        }
        if activation.effective_at.is_none() {
            let mut effective = activation.clone();
            effective.effective_at = Some(now);
            effective.state = ActivationState::Active;
            let audit = audit_event(
                now,
                actor,
                "activation.effective",
                format!("activation:{}", activation.id),
                snapshot(&views::activation(&activation, &names, now)),
                snapshot(&views::activation(&effective, &names, now)),
            );
            state.store.save_activation(&effective, audit).await?;
        }
        grants.push(Grant {
            activation_id: activation.id,
            username: activation.username.clone(),
            expires_at: activation.expires_at,
        });
    }
    Ok(grants)
}
