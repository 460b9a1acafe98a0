//! Activations: admin rights on one approved device for up to the configured maximum.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use tracing::instrument;
use uuid::Uuid;

use super::{Body, Order, Params, PathParam, audit_event, known_device, paginate, time_key};
use crate::api::{
    Activation, ActivationCreated, ActivationState, ErrorCode, NewActivation, Page, Problem,
    RequestState, Role, Scope, Training,
};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::{AppError, AppResult};
use crate::server::rules;
use crate::server::storage::{ActivationRecord, DeviceRecord, RequestFilter, UserRecord};
use crate::server::views::{self, Names, snapshot};

/// A user's training at `now`, from their record and their approvals.
pub async fn user_training(
    state: &AppState,
    user: &UserRecord,
    now: DateTime<Utc>,
) -> AppResult<Training> {
    let record = state.store.training(&user.username).await?;
    let filter = RequestFilter { requester: Some(user.username.clone()), ..Default::default() };
    let requests = state.store.requests(&filter).await?;
    let approvals: Vec<_> = requests
        .iter()
        .filter(|r| rules::request_state(r, now) == RequestState::Approved)
        .collect();
    Ok(rules::training(&state.settings, record.as_ref(), &approvals, now))
}

/// Why `user` may not activate on `device` now, if anything stops them.
pub async fn activation_refusal(
    state: &AppState,
    user: &UserRecord,
    device: &DeviceRecord,
    now: DateTime<Utc>,
) -> AppResult<Option<Problem>> {
    let filter = RequestFilter {
        requester: Some(user.username.clone()),
        device_key: Some(device.key.clone()),
        departments: None,
    };
    let requests = state.store.requests(&filter).await?;
    let requests: Vec<_> = requests.iter().collect();
    let training = user_training(state, user, now).await?;
    Ok(rules::may_activate(&state.settings, device, &requests, &training, now).err())
}

/// Activate admin rights on a device. A live activation is returned instead of a second.
#[utoipa::path(post, path = "/api/v1/activations", tag = "activations",
    request_body = NewActivation,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = ActivationCreated), (status = 200, body = ActivationCreated),
        (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(device = %new.device))]
pub async fn create_activation(
    State(state): State<AppState>,
    caller: Caller,
    Body(new): Body<NewActivation>,
) -> AppResult<(StatusCode, Json<ActivationCreated>)> {
    let user = caller.user_with(&[Role::Requester], &[Scope::Requests])?;
    let duration = rules::activation_duration(&state.settings, new.duration_minutes)?;
    // Read under the lock, so that a device reimaged meanwhile is refused.
    let _write = state.write_lock.lock().await;
    let device = known_device(&state, &new.device).await?;
    let now = state.clock.now();
    let names = Names::load(state.store.as_ref()).await?;
    let mine = state.store.activations(Some(&user.username), Some(&device.key)).await?;
    if let Some(live) = mine.iter().find(|a| rules::is_live_activation(a, now)) {
        let activation = views::activation(live, &names, now);
        return Ok((StatusCode::OK, Json(ActivationCreated { activation, existing: true })));
    }
    if let Some(refusal) = activation_refusal(&state, user, &device, now).await? {
        return Err(refusal.into());
    }

    let record = ActivationRecord {
        id: Uuid::now_v7(),
        username: user.username.clone(),
        device_key: device.key.clone(),
        state: ActivationState::Pending,
        requested_at: now,
        effective_at: None,
        expires_at: now + duration,
        expected_effective_by: now + state.settings.pickup_expected,
        ended_at: None,
    };
    let activation = views::activation(&record, &names, now);
    let audit = audit_event(
        now,
        &user.username,
        "activation.create",
        format!("activation:{}", record.id),
        None,
        snapshot(&activation),
    );
    state.store.save_activation(&record, audit).await?;
    Ok((StatusCode::CREATED, Json(ActivationCreated { activation, existing: false })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActivationQuery {
    pub device: Option<String>,
    /// Only pending and active ones.
    pub live: Option<bool>,
    /// Everyone's (admin only).
    pub all: Option<bool>,
    /// The `next_cursor` of the page before.
    #[param(pattern = r"^(k([0-9a-f]{2})*)?$")]
    pub cursor: Option<String>,
    /// Items per page [default: 50].
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// The caller's activations, newest first.
#[utoipa::path(get, path = "/api/v1/activations", tag = "activations", params(ActivationQuery),
    responses((status = 200, body = Page<Activation>), (status = "4XX", body = Problem)))]
#[instrument(skip_all)]
pub async fn list_activations(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<ActivationQuery>,
) -> AppResult<Json<Page<Activation>>> {
    let user = caller.user()?;
    caller.require(&[Scope::Read, Scope::Requests])?;
    let everyone = query.all == Some(true);
    if everyone && !user.has_role(Role::Admin) {
        return Err(AppError::forbidden("Only an admin lists everyone's activations."));
    }
    let now = state.clock.now();
    let device_key = query.device.as_deref().map(rules::device_key);
    let username = (!everyone).then_some(user.username.as_str());
    let records = state.store.activations(username, device_key.as_deref()).await?;
    let names = Names::load(state.store.as_ref()).await?;
    let items: Vec<Activation> = records
        .iter()
        .filter(|a| query.live != Some(true) || rules::is_live_activation(a, now))
        .map(|a| views::activation(a, &names, now))
        .collect();
    let key = |a: &Activation| time_key(a.requested_at, a.id);
    Ok(Json(paginate(items, key, Order::NewestFirst, query.cursor.as_deref(), query.limit)?))
}

/// End one's own live activation early.
#[utoipa::path(post, path = "/api/v1/activations/{id}/deactivate", tag = "activations",
    params(("id" = Uuid, Path, description = "Activation id")),
    responses((status = 200, body = Activation), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(%id))]
pub async fn deactivate(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> AppResult<Json<Activation>> {
    let user = caller.user_with(&[Role::Requester, Role::Admin], &[Scope::Requests])?;
    let _write = state.write_lock.lock().await;
    let now = state.clock.now();
    let record = state
        .store
        .activation(id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("There is no activation {id}.")))?;
    if record.username != user.username && !user.has_role(Role::Admin) {
        return Err(AppError::forbidden("This activation belongs to someone else."));
    }
    let names = Names::load(state.store.as_ref()).await?;
    if !rules::is_live_activation(&record, now) {
        let state_now = views::activation(&record, &names, now).state;
        return Err(AppError::new(
            ErrorCode::ActivationNotLive,
            "Activation not live",
            format!(
                "The activation has already ended ({}).",
                crate::server::storage::enum_text(&state_now)
            ),
        ));
    }
    let mut ended = record.clone();
    ended.state = ActivationState::Deactivated;
    ended.ended_at = Some(now);
    let audit = audit_event(
        now,
        &user.username,
        "activation.deactivate",
        format!("activation:{id}"),
        snapshot(&views::activation(&record, &names, now)),
        snapshot(&views::activation(&ended, &names, now)),
    );
    state.store.save_activation(&ended, audit).await?;
    Ok(Json(views::activation(&ended, &names, now)))
}
