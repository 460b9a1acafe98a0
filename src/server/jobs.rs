//! Background work: writing down the time-based transitions.
//!
//! The answer to "is this request lapsed, this approval or activation expired" is computed
//! from stored facts at read time (see `rules`), so nothing waits for a job to be right.
//! The sweep here only records those transitions as states and audit events, so that the
//! database and its audit trail say what happened. Training assignment is computed the same
//! way: the overnight run after an approval (see `rules::training`).

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::api::{ActivationState, RequestState};
use crate::server::AppState;
use crate::server::error::AppResult;
use crate::server::routes::audit_event;
use crate::server::rules;
use crate::server::storage::RequestFilter;

/// How often the sweep runs in a running server.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

const ACTOR: &str = "jitd";

/// Runs [`sweep`] periodically until aborted.
pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(SWEEP_EVERY);
        loop {
            interval.tick().await;
            if let Err(error) = sweep(&state).await {
                tracing::error!(error = ?error, "the sweep failed");
            }
        }
    })
}

/// Records lapsed requests, expired approvals and expired activations.
pub async fn sweep(state: &AppState) -> AppResult<()> {
    let _write = state.write_lock.lock().await;
    let now = state.clock.now();
    for request in state.store.requests(&RequestFilter::default()).await? {
        let effective = rules::request_state(&request, now);
        if effective == request.state {
            continue;
        }
        let (action, mut changed) = match effective {
            RequestState::Lapsed => ("request.lapse", request.clone()),
            RequestState::Expired => ("request.expire", request.clone()),
            _ => continue,
        };
        changed.state = effective;
        let audit = audit_event(
            now,
            ACTOR,
            action,
            format!("request:{}", request.id),
            Some(serde_json::json!({ "state": request.state })),
            Some(serde_json::json!({ "state": effective })),
        );
        state.store.save_request(&changed, audit).await?;
    }
    for activation in state.store.activations(None, None).await? {
        let effective = rules::activation_state(&activation, now);
        if effective != ActivationState::Expired || activation.state == effective {
            continue;
        }
        let mut expired = activation.clone();
        expired.state = ActivationState::Expired;
        let audit = audit_event(
            now,
            ACTOR,
            "activation.expire",
            format!("activation:{}", activation.id),
            Some(serde_json::json!({ "state": activation.state })),
            Some(serde_json::json!({ "state": effective })),
        );
        state.store.save_activation(&expired, audit).await?;
    }
    Ok(())
}
