//! Wire types of the REST API under `/api/v1`, shared by the `jit` client and the `jitd`
//! server.
//!
//! Everything here is plain data with a stable JSON shape: timestamps are RFC 3339 UTC,
//! enums are `snake_case` strings, and absent values are `null`. Changing a field name
//! here is a breaking change for scripts that read `jit -o json`.

mod error;
pub mod routes;

pub use error::{ErrorCode, Problem};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Path prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";

/// Header that carries the id the server gave a request, for matching an error to a log line.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Header a client sets on a creating `POST` so that a retry never acts twice.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// Longest reason accepted for a request, a denial or a rejection, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// What a user may do. A user holds any number of roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// May request admin rights and activate them.
    Requester,
    /// Responsible person: decides the requests of their departments.
    Rp,
    /// Identity and access management: applies reimaged-device fixes.
    Iam,
    /// Administers the whole system, and may decide any request.
    Admin,
}

/// What an API token may be used for. A login token has every scope its user's roles allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Everything the user's roles allow.
    All,
    /// Read-only access to what the user may see.
    Read,
    /// Request, activate and deactivate admin rights.
    Requests,
    /// Approve and deny requests.
    Decisions,
    /// File, apply and reject reimaged-device fixes.
    ReimageFixes,
    /// Report training completions (the learning system's credential).
    Training,
    /// Check in as an endpoint agent and fetch grants (an agent's credential).
    Agent,
}

/// The signed-in user, as `jit whoami` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct User {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub department: String,
    pub roles: Vec<Role>,
    /// Departments whose requests this user decides as a responsible person.
    pub rp_of: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// A bearer token. The secret appears only in this response and is stored hashed.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TokenIssued {
    pub token: String,
    pub token_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub scopes: Vec<Scope>,
    pub user: User,
}

impl std::fmt::Debug for TokenIssued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenIssued")
            .field("token", &"<redacted>")
            .field("token_id", &self.token_id)
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .field("user", &self.user.username)
            .finish()
    }
}

/// Asks for a scoped API token for scripts, limited to what the caller's roles allow.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewApiToken {
    pub name: String,
    pub scopes: Vec<Scope>,
    /// Days until the token expires; the server caps it at its configured maximum.
    pub expires_in_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    /// In the directory, but its agent has never checked in.
    Unbound,
    /// Bound to the agent identity that checked in.
    Bound,
    /// An agent with a different identity checked in: the device was probably reimaged
    /// and needs an IAM fix before activations work again.
    Reimaged,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Device {
    pub name: String,
    pub state: DeviceState,
    pub agent_id: Option<String>,
    /// The identity that checked in while the device is `reimaged`.
    pub pending_agent_id: Option<String>,
    pub last_check_in_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Pending,
    Approved,
    Denied,
    Cancelled,
    /// Left undecided longer than the server allows.
    Lapsed,
    /// Approved, and the approval expiration date has passed.
    Expired,
}

/// A request for admin rights on one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AccessRequest {
    pub id: Uuid,
    pub requester: String,
    pub requester_display_name: String,
    pub department: String,
    pub device: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub state: RequestState,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    /// Approval expiration: until then the requester may activate any number of times.
    pub approval_expires_at: Option<DateTime<Utc>>,
    /// When a still-pending request lapses if nobody decides it.
    pub lapses_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewAccessRequest {
    pub device: String,
    pub reason: String,
    pub ticket: Option<String>,
}

/// The answer to a new request: either the one just made or the live one it duplicates.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RequestCreated {
    pub request: AccessRequest,
    /// True when an earlier pending or approved request for the same device was returned.
    pub existing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Deny,
}

/// One decision in a batch.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DecisionItem {
    pub request_id: Uuid,
    pub decision: Decision,
    /// Required for a denial; optional note for an approval.
    pub reason: Option<String>,
    /// Approval expiration; defaults to the configured default and may not pass the maximum.
    pub approval_expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DecisionBatch {
    #[cfg_attr(feature = "server", schema(max_items = 1000))]
    pub items: Vec<DecisionItem>,
}

/// The outcome of one item of a batch: exactly one of `value` and `error` is set.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BatchItemResult<T> {
    /// What the item named: a request id or a device name.
    pub item: String,
    pub ok: bool,
    /// A human-readable word for what happened, e.g. `approved`, `already_fixed`.
    pub outcome: String,
    pub value: Option<T>,
    pub error: Option<Problem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BatchResult<T> {
    pub results: Vec<BatchItemResult<T>>,
}

impl<T> BatchResult<T> {
    pub fn failed(&self) -> usize {
        self.results.iter().filter(|r| !r.ok).count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TrainingState {
    /// No course assigned yet; the overnight job assigns it after an approval.
    NotAssigned,
    /// Assigned and not completed.
    Assigned,
    /// Completed and good through `good_through`.
    Current,
    /// The good-through date has passed.
    Expired,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Training {
    pub state: TrainingState,
    pub assigned_at: Option<DateTime<Utc>>,
    pub completed_on: Option<NaiveDate>,
    /// Valid through the end of this day in the organisation's time zone.
    pub good_through: Option<NaiveDate>,
    /// The instant `good_through` ends.
    pub good_until: Option<DateTime<Utc>>,
    /// When the overnight job will next run, for a user still waiting for an assignment.
    pub next_assignment_run_at: Option<DateTime<Utc>>,
}

/// One training completion, from the learning system or a CSV import.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TrainingCompletion {
    pub username: String,
    pub completed_on: NaiveDate,
    pub good_through: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TrainingCompletionBatch {
    #[cfg_attr(feature = "server", schema(max_items = 10000))]
    pub items: Vec<TrainingCompletion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivationState {
    /// Granted, waiting for the device's agent to pick it up.
    Pending,
    /// The agent picked it up; admin rights are in effect.
    Active,
    Expired,
    /// Ended early by the user.
    Deactivated,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Activation {
    pub id: Uuid,
    pub username: String,
    pub device: String,
    pub state: ActivationState,
    pub requested_at: DateTime<Utc>,
    /// When the agent picked the grant up.
    pub effective_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    /// When the agent is expected to have picked the grant up.
    pub expected_effective_by: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewActivation {
    pub device: String,
    /// Minutes of admin rights; defaults to, and may not exceed, the configured maximum.
    pub duration_minutes: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActivationCreated {
    pub activation: Activation,
    /// True when a live activation already existed and was returned instead.
    pub existing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReimageFixState {
    Open,
    Resolved,
    Rejected,
}

/// A "Reimaged device fix request": re-bind a device to its new agent identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReimageFix {
    pub id: Uuid,
    pub title: String,
    pub device: String,
    pub old_agent_id: Option<String>,
    pub new_agent_id: Option<String>,
    pub filed_by: String,
    pub filed_at: DateTime<Utc>,
    pub state: ReimageFixState,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolution_reason: Option<String>,
}

/// Title every reimage fix request carries.
pub const REIMAGE_FIX_TITLE: &str = "Reimaged device fix request";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReimageFixBatch {
    #[cfg_attr(feature = "server", schema(min_items = 1, max_items = 1000))]
    pub devices: Vec<String>,
    /// Required when rejecting.
    pub reason: Option<String>,
}

/// An endpoint agent reporting in. Authenticated with an agent credential.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AgentCheckIn {
    pub device: String,
    pub agent_id: String,
}

/// A grant of admin rights the agent must enforce until `expires_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Grant {
    pub activation_id: Uuid,
    pub username: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AgentCheckInResponse {
    pub device: Device,
    /// Grants to enforce now; empty unless the agent's identity is the bound one.
    pub grants: Vec<Grant>,
}

/// Something that stops the user activating on a device, and the next step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Blocker {
    pub device: Option<String>,
    pub code: ErrorCode,
    pub message: String,
    pub next_step: String,
}

/// Everything `jit status` shows, in one call.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Status {
    /// The server's clock: time left is computed from it, not from the client's.
    pub server_time: DateTime<Utc>,
    pub user: User,
    pub approvals: Vec<AccessRequest>,
    pub pending_requests: Vec<AccessRequest>,
    pub training: Training,
    pub activations: Vec<Activation>,
    pub reimage_fixes: Vec<ReimageFix>,
    pub devices: Vec<Device>,
    pub blockers: Vec<Blocker>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// One page of a list. Pass `next_cursor` back as `cursor` for the next page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// `GET /healthz` and `/readyz`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
}
