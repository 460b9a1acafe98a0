//! The audit trail: admins and IAM read all of it, everyone else their own actions.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use tracing::instrument;

use super::{Params, cursor_for, parse_cursor};
use crate::api::{AuditEvent, Page, Problem, Role, Scope};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::{AppError, AppResult};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only events by this actor (admins and IAM).
    pub actor: Option<String>,
    /// The `next_cursor` of the page before.
    #[param(pattern = r"^(k(3[0-9])+)?$")]
    pub cursor: Option<String>,
    /// Events per page [default: 100].
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// Audit events, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Page<AuditEvent>), (status = "4XX", body = Problem)))]
#[instrument(skip_all)]
pub async fn list_audit(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<AuditQuery>,
) -> AppResult<Json<Page<AuditEvent>>> {
    let user = caller.user()?;
    caller.require(&[Scope::Read])?;
    let sees_all = user.has_role(Role::Admin) || user.has_role(Role::Iam);
    let actor = if sees_all { query.actor.clone() } else { Some(user.username.clone()) };
    // Events only ever append, under ids that only grow: the id is the keyset.
    let before_id = match parse_cursor(query.cursor.as_deref())? {
        None => None,
        Some(key) => Some(
            std::str::from_utf8(&key)
                .ok()
                .and_then(|digits| digits.parse::<i64>().ok())
                .ok_or_else(|| AppError::invalid("The cursor is not one this server gave out."))?,
        ),
    };
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(AppError::invalid("`limit` is 1 to 1000 for audit events."));
    }
    let items = state.store.audit_events(actor.as_deref(), before_id, limit).await?;
    let next_cursor = (items.len() == limit as usize)
        .then(|| items.last().map(|e| cursor_for(&e.id.to_string())));
    let next_cursor = next_cursor.flatten();
    Ok(Json(Page { items, next_cursor }))
}
