//! The error shape of the API: RFC 9457 problem details carrying a stable `code`.
//!
//! The `code` is the contract. Titles and details are for people and may change; scripts
//! and the `jit` client branch on the code alone.

use serde::{Deserialize, Serialize};

/// Stable machine-readable error codes. Serialized as `snake_case` strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // Input.
    /// The request body or a parameter is malformed or out of range.
    InvalidInput,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// The same idempotency key was sent earlier with a different body.
    IdempotencyKeyReused,
    /// The request body did not arrive in time; sending it again usually works.
    RequestTimeout,

    // Authentication and authorization.
    /// No credential, or one the server does not know.
    Unauthenticated,
    /// The token has expired or was revoked: log in again.
    SessionExpired,
    /// Wrong username or password.
    InvalidCredentials,
    /// Too many attempts; retry after the `Retry-After` delay.
    RateLimited,
    /// The caller's roles or token scopes do not allow this.
    Forbidden,
    /// Only a responsible person of the requester's department (or an admin) decides.
    NotResponsiblePerson,
    /// Nobody decides their own request.
    OwnRequest,

    // Lookup.
    NotFound,
    /// The device name is not in the directory.
    UnknownDevice,
    UnknownUser,

    // Requests and decisions.
    /// The request was already decided; the problem names who decided it and when.
    AlreadyDecided,
    /// The request is no longer pending (cancelled, lapsed or expired).
    RequestNotPending,
    /// A denial or rejection needs a reason.
    ReasonRequired,
    /// The approval expiration asked for is past the configured maximum or in the past.
    InvalidApprovalExpiration,

    // Activation.
    /// No approval for this user and device.
    NoApproval,
    /// The approval for this device has expired: request again.
    ApprovalExpired,
    /// No training completion on record (assigned, or not yet assigned).
    TrainingRequired,
    /// The training good-through date has passed: retake the course.
    TrainingExpired,
    /// The device's agent has never checked in: the remedy is on the device.
    DeviceNotFound,
    /// The device's agent identity changed: it needs a reimaged-device fix.
    DeviceReimaged,
    /// The duration asked for is zero or longer than the maximum.
    InvalidDuration,
    /// The activation has already ended.
    ActivationNotLive,

    // Reimage fixes.
    /// The device is not marked reimaged, so there is nothing to fix.
    DeviceNotReimaged,
    /// The fix request was rejected and cannot be applied.
    FixNotOpen,

    // Agents.
    /// The agent identity does not match the one the device is bound to.
    AgentMismatch,

    // Server.
    /// The server is not ready (database unreachable).
    Unavailable,
    /// Something failed inside the server; the log line with the request id says what.
    Internal,
}

impl ErrorCode {
    /// The HTTP status the server answers with for this code.
    pub fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            InvalidInput | ReasonRequired | InvalidApprovalExpiration | InvalidDuration => 400,
            Unauthenticated | SessionExpired | InvalidCredentials => 401,
            Forbidden | NotResponsiblePerson | OwnRequest | AgentMismatch => 403,
            NotFound | UnknownDevice | UnknownUser => 404,
            AlreadyDecided | RequestNotPending | ActivationNotLive | FixNotOpen => 409,
            RequestTimeout => 408,
            PayloadTooLarge => 413,
            IdempotencyKeyReused => 422,
            NoApproval | ApprovalExpired | TrainingRequired | TrainingExpired | DeviceNotFound
            | DeviceReimaged | DeviceNotReimaged => 422,
            RateLimited => 429,
            Internal => 500,
            Unavailable => 503,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(s)) => f.write_str(&s),
            _ => write!(f, "{self:?}"),
        }
    }
}

/// An RFC 9457 problem details object, extended with the stable `code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:jit:error:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ErrorCode,
    /// The server's id for the HTTP request, also in the log line that records it.
    pub request_id: Option<String>,
    /// What to do next, as a sentence.
    pub hint: Option<String>,
    /// Steps to take, in order, when the fix is a procedure (e.g. on the device).
    pub remedy: Option<Vec<String>>,
    /// For `already_decided`: who decided the request, and when.
    pub decided_by: Option<String>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    /// For `rate_limited`: seconds to wait.
    pub retry_after_seconds: Option<u64>,
}

impl Problem {
    pub fn new(code: ErrorCode, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Problem {
            kind: format!("urn:jit:error:{code}"),
            title: title.into(),
            status: code.http_status(),
            detail: detail.into(),
            code,
            request_id: None,
            hint: None,
            remedy: None,
            decided_by: None,
            decided_at: None,
            retry_after_seconds: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_remedy(mut self, steps: Vec<String>) -> Self {
        self.remedy = Some(steps);
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.detail, self.code)
    }
}

impl std::error::Error for Problem {}

#[cfg(test)]
mod tests {
    use super::ErrorCode::{self, *};

    /// Every code with its wire spelling and HTTP status. Scripts depend on both, so a change
    /// here is a breaking change and must be deliberate.
    const CONTRACT: &[(ErrorCode, &str, u16)] = &[
        (InvalidInput, "invalid_input", 400),
        (PayloadTooLarge, "payload_too_large", 413),
        (IdempotencyKeyReused, "idempotency_key_reused", 422),
        (RequestTimeout, "request_timeout", 408),
        (Unauthenticated, "unauthenticated", 401),
        (SessionExpired, "session_expired", 401),
        (InvalidCredentials, "invalid_credentials", 401),
        (RateLimited, "rate_limited", 429),
        (Forbidden, "forbidden", 403),
        (NotResponsiblePerson, "not_responsible_person", 403),
        (OwnRequest, "own_request", 403),
        (NotFound, "not_found", 404),
        (UnknownDevice, "unknown_device", 404),
        (UnknownUser, "unknown_user", 404),
        (AlreadyDecided, "already_decided", 409),
        (RequestNotPending, "request_not_pending", 409),
        (ReasonRequired, "reason_required", 400),
        (InvalidApprovalExpiration, "invalid_approval_expiration", 400),
        (NoApproval, "no_approval", 422),
        (ApprovalExpired, "approval_expired", 422),
        (TrainingRequired, "training_required", 422),
        (TrainingExpired, "training_expired", 422),
        (DeviceNotFound, "device_not_found", 422),
        (DeviceReimaged, "device_reimaged", 422),
        (InvalidDuration, "invalid_duration", 400),
        (ActivationNotLive, "activation_not_live", 409),
        (DeviceNotReimaged, "device_not_reimaged", 422),
        (FixNotOpen, "fix_not_open", 409),
        (AgentMismatch, "agent_mismatch", 403),
        (Unavailable, "unavailable", 503),
        (Internal, "internal", 500),
    ];

    /// Fails to compile when a code is added, pointing here to add its row to [`CONTRACT`].
    fn listed(code: ErrorCode) -> bool {
        match code {
            InvalidInput
            | PayloadTooLarge
            | IdempotencyKeyReused
            | RequestTimeout
            | Unauthenticated
            | SessionExpired
            | InvalidCredentials
            | RateLimited
            | Forbidden
            | NotResponsiblePerson
            | OwnRequest
            | NotFound
            | UnknownDevice
            | UnknownUser
            | AlreadyDecided
            | RequestNotPending
            | ReasonRequired
            | InvalidApprovalExpiration
            | NoApproval
            | ApprovalExpired
            | TrainingRequired
            | TrainingExpired
            | DeviceNotFound
            | DeviceReimaged
            | InvalidDuration
            | ActivationNotLive
            | DeviceNotReimaged
            | FixNotOpen
            | AgentMismatch
            | Unavailable
            | Internal => CONTRACT.iter().any(|(listed, _, _)| *listed == code),
        }
    }

    #[test]
    fn every_code_keeps_its_wire_name_and_status() {
        for &(code, wire, status) in CONTRACT {
            assert!(listed(code));
            assert_eq!(code.to_string(), wire);
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(wire));
            assert_eq!(code.http_status(), status, "{wire}");
        }
    }

    #[test]
    fn a_problem_names_its_code_in_its_type() {
        let problem = super::Problem::new(TrainingExpired, "Training expired", "Retake it.");
        assert_eq!(problem.kind, "urn:jit:error:training_expired");
        assert_eq!(problem.status, 422);
    }
}
