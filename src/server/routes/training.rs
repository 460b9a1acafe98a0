//! Training completions reported by the learning system.

use axum::Json;
use axum::extract::State;
use tracing::instrument;

use super::{Body, audit_event};
use crate::api::{
    BatchItemResult, BatchResult, ErrorCode, Problem, Role, Scope, TrainingCompletion,
    TrainingCompletionBatch,
};
use crate::server::AppState;
use crate::server::auth::{Caller, Principal};
use crate::server::error::{AppError, AppResult};
use crate::server::storage::{Store, TrainingRecord};
use crate::server::views::snapshot;

/// Record training completions: the learning system's credential, or an admin.
#[utoipa::path(post, path = "/api/v1/training/completions", tag = "training",
    request_body = TrainingCompletionBatch,
    responses((status = 200, body = BatchResult<TrainingCompletion>),
        (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(items = batch.items.len()))]
pub async fn record_completions(
    State(state): State<AppState>,
    caller: Caller,
    Body(batch): Body<TrainingCompletionBatch>,
) -> AppResult<Json<BatchResult<TrainingCompletion>>> {
    let admin = matches!(&caller.principal, Principal::User(u) if u.has_role(Role::Admin));
    if !caller.has_scope(Scope::Training) && !admin {
        return Err(AppError::forbidden(
            "Only the learning system's credential (or an admin) records training.",
        ));
    }
    if batch.items.len() > 10_000 {
        return Err(AppError::invalid("A batch holds at most 10000 completions."));
    }
    let _write = state.write_lock.lock().await;
    let now = state.clock.now();
    let mut results = Vec::with_capacity(batch.items.len());
    for item in batch.items {
        let outcome = record_completion(state.store.as_ref(), &caller.actor(), &item, now).await;
        results.push(match outcome {
            Ok(outcome) => BatchItemResult {
                item: item.username.clone(),
                ok: true,
                outcome: outcome.to_owned(),
                value: Some(item),
                error: None,
            },
            Err(error) => BatchItemResult {
                item: item.username.clone(),
                ok: false,
                outcome: "refused".to_owned(),
                value: None,
                error: Some(super::item_problem(error)),
            },
        });
    }
    Ok(Json(BatchResult { results }))
}

/// Stores one completion unless the same or a later one is on record. The caller holds
/// the write lock (or is the only writer, as `jitd training import` is).
pub async fn record_completion(
    store: &dyn Store,
    actor: &str,
    item: &TrainingCompletion,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<&'static str> {
    let username = item.username.trim();
    if item.good_through < item.completed_on {
        return Err(AppError::invalid(format!(
            "{username}: the good-through date is before the completion date."
        )));
    }
    if store.user(username).await?.is_none() {
        return Err(AppError::new(
            ErrorCode::UnknownUser,
            "Unknown user",
            format!("There is no user named `{username}`."),
        ));
    }
    let existing = store.training(username).await?;
    if let Some(existing) = &existing
        && existing.good_through >= item.good_through
    {
        return Ok("unchanged");
    }
    let record = TrainingRecord {
        username: username.to_owned(),
        completed_on: item.completed_on,
        good_through: item.good_through,
        recorded_at: now,
    };
    let before = existing.map(
        |e| serde_json::json!({ "completed_on": e.completed_on, "good_through": e.good_through }),
    );
    let audit = audit_event(
        now,
        actor,
        "training.complete",
        format!("user:{username}"),
        before,
        snapshot(item),
    );
    store.save_training(&record, audit).await?;
    Ok("recorded")
}
