//! Liveness, readiness and the OpenAPI document.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::api::{ErrorCode, Health};
use crate::server::AppState;
use crate::server::error::{AppError, AppResult};

fn health(status: &str) -> Health {
    Health { status: status.to_owned(), version: env!("CARGO_PKG_VERSION").to_owned() }
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", security(()),
    responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(health("ok"))
}

/// The process is up and its database answers.
#[utoipa::path(get, path = "/readyz", tag = "health", security(()),
    responses((status = 200, body = Health), (status = 503, body = crate::api::Problem)))]
pub async fn readyz(State(state): State<AppState>) -> AppResult<(StatusCode, Json<Health>)> {
    match state.store.ping().await {
        Ok(()) => Ok((StatusCode::OK, Json(health("ready")))),
        Err(error) => {
            tracing::warn!(error = %error, "the database does not answer");
            Err(AppError::new(
                ErrorCode::Unavailable,
                "Unavailable",
                "The database does not answer.",
            ))
        }
    }
}

/// This API's OpenAPI 3 document.
pub async fn openapi_document() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::server::openapi::document())
}
