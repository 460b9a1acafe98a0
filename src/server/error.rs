//! The one error type of the HTTP layer, rendered as an RFC 9457 problem.
//!
//! Refusals by the rules are [`Problem`]s and go to the client as they are. Anything else
//! is internal: the client gets a body that says nothing about the inside, and the detail
//! goes to the log under the request id that both carry.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api::{ErrorCode, Problem};
use crate::server::storage::StoreError;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

#[derive(Debug)]
pub enum AppError {
    /// A refusal the client can act on.
    Problem(Box<Problem>),
    /// A failure inside the server.
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: ErrorCode, title: &str, detail: impl Into<String>) -> AppError {
        AppError::Problem(Box::new(Problem::new(code, title, detail)))
    }

    pub fn forbidden(detail: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::Forbidden, "Forbidden", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::NotFound, "Not found", detail)
    }

    pub fn invalid(detail: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::InvalidInput, "Invalid input", detail)
    }

    /// The problem a client sees for this error.
    pub fn to_problem(&self) -> Problem {
        match self {
            AppError::Problem(problem) => (**problem).clone(),
            AppError::Internal(_) => internal_problem(),
        }
    }
}

pub fn internal_problem() -> Problem {
    Problem::new(
        ErrorCode::Internal,
        "Internal error",
        "Something failed inside the server. The administrator can find the cause in the \
         server log under this request id.",
    )
}

impl From<Problem> for AppError {
    fn from(problem: Problem) -> Self {
        AppError::Problem(Box::new(problem))
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        AppError::Internal(error)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(error) = &self {
            tracing::error!(error = format!("{error:#}"), "internal error");
        }
        problem_response(&self.to_problem())
    }
}

/// Renders a problem with its status, content type and, when rate limited, `Retry-After`.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
    if let Some(seconds) = problem.retry_after_seconds {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_say_nothing_about_the_inside() {
        let error = AppError::Internal(anyhow::anyhow!("table users is locked"));
        let problem = error.to_problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.contains("users"));
    }

    #[test]
    fn each_code_maps_to_its_status() {
        let cases = [
            (ErrorCode::InvalidInput, 400),
            (ErrorCode::SessionExpired, 401),
            (ErrorCode::OwnRequest, 403),
            (ErrorCode::UnknownDevice, 404),
            (ErrorCode::AlreadyDecided, 409),
            (ErrorCode::PayloadTooLarge, 413),
            (ErrorCode::TrainingExpired, 422),
            (ErrorCode::RateLimited, 429),
            (ErrorCode::Unavailable, 503),
        ];
        for (code, status) in cases {
            let response = AppError::new(code, "t", "d").into_response();
            assert_eq!(response.status().as_u16(), status, "{code}");
        }
    }
}
