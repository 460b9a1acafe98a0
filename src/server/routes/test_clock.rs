//! `/api/v1/_test/clock`: reads, sets and advances the controllable clock.
//!
//! Mounted only when the state carries a [`ManualClock`](crate::server::clock::ManualClock):
//! `jitd dev-server`, the tests and the demo. `jitd serve` never mounts it.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::Body;
use crate::server::AppState;
use crate::server::error::{AppError, AppResult};

#[derive(Debug, Serialize, Deserialize)]
pub struct ClockChange {
    /// Set the clock to this instant.
    pub set: Option<DateTime<Utc>>,
    /// Then move it forward by this many seconds.
    pub advance_seconds: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ClockNow {
    pub now: DateTime<Utc>,
}

pub async fn get_clock(State(state): State<AppState>) -> Json<ClockNow> {
    Json(ClockNow { now: state.clock.now() })
}

pub async fn set_clock(
    State(state): State<AppState>,
    Body(change): Body<ClockChange>,
) -> AppResult<Json<ClockNow>> {
    let Some(clock) = &state.test_clock else {
        return Err(AppError::not_found("There is no controllable clock."));
    };
    if let Some(at) = change.set {
        clock.set(at);
    }
    if let Some(seconds) = change.advance_seconds {
        clock.advance(Duration::seconds(seconds));
    }
    crate::server::jobs::sweep(&state).await?;
    Ok(Json(ClockNow { now: state.clock.now() }))
}
