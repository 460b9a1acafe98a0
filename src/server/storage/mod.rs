//! Storage of the JIT records behind the [`Store`] trait.
//!
//! The rules never see SQL: handlers load records through this trait, let
//! [`crate::server::rules`] decide, and save the outcome together with its audit event in
//! one transaction. [`sqlite::SqliteStore`] is the embedded default; a PostgreSQL store
//! implements the same trait with its own migrations.
//!
//! The trait returns boxed futures so the application state can hold `Arc<dyn Store>`.

pub mod sqlite;

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::api::{ActivationState, AuditEvent, DeviceState, ReimageFixState, RequestState};
use crate::api::{Role, Scope};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("a stored row cannot be read: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = StoreResult<T>> + Send + 'a>>;

#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub department: String,
    pub roles: Vec<Role>,
    pub rp_of: Vec<String>,
    pub password_hash: Option<String>,
}

impl UserRecord {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeviceRecord {
    /// The name trimmed and lower-cased: how devices are matched.
    pub key: String,
    /// The name as the directory spells it.
    pub name: String,
    pub state: DeviceState,
    pub agent_id: Option<String>,
    pub pending_agent_id: Option<String>,
    pub last_check_in_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    pub id: Uuid,
    pub requester: String,
    pub department: String,
    pub device_key: String,
    pub reason: String,
    pub ticket: Option<String>,
    /// The state last written. Lapse and expiry are time-based: read the effective state
    /// through `rules::request_state`.
    pub state: RequestState,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    pub approval_expires_at: Option<DateTime<Utc>>,
    pub lapses_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrainingRecord {
    pub username: String,
    pub completed_on: NaiveDate,
    pub good_through: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivationRecord {
    pub id: Uuid,
    pub username: String,
    pub device_key: String,
    /// The state last written; read the effective one through `rules::activation_state`.
    pub state: ActivationState,
    pub requested_at: DateTime<Utc>,
    pub effective_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    pub expected_effective_by: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReimageFixRecord {
    pub id: Uuid,
    pub device_key: String,
    pub old_agent_id: Option<String>,
    pub new_agent_id: Option<String>,
    pub filed_by: String,
    pub filed_at: DateTime<Utc>,
    pub state: ReimageFixState,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolution_reason: Option<String>,
}

/// Who a token belongs to and how it came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Issued by `POST /auth/login`.
    Login,
    /// A scoped token for a user's scripts.
    Api,
    /// An endpoint agent's credential.
    Agent,
    /// The learning system's credential.
    LearningSystem,
}

impl TokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Login => "login",
            TokenKind::Api => "api",
            TokenKind::Agent => "agent",
            TokenKind::LearningSystem => "learning_system",
        }
    }

    pub fn parse(s: &str) -> Option<TokenKind> {
        Some(match s {
            "login" => TokenKind::Login,
            "api" => TokenKind::Api,
            "agent" => TokenKind::Agent,
            "learning_system" => TokenKind::LearningSystem,
            _ => return None,
        })
    }
}

#[derive(Clone, PartialEq)]
pub struct TokenRecord {
    pub id: Uuid,
    /// SHA-256 of the secret, hex.
    pub hash: String,
    pub kind: TokenKind,
    pub username: Option<String>,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for TokenRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRecord")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("username", &self.username)
            .field("name", &self.name)
            .field("expires_at", &self.expires_at)
            .field("revoked_at", &self.revoked_at)
            .finish_non_exhaustive()
    }
}

/// One state change, written in the same transaction as the change itself.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// A response kept so that a retried `POST` with the same idempotency key replays it.
#[derive(Debug, Clone)]
pub struct IdempotentResponse {
    pub principal: String,
    pub key: String,
    pub request_hash: String,
    pub status: u16,
    pub body: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

/// Narrows `Store::requests`. Every set field must match.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub requester: Option<String>,
    pub device_key: Option<String>,
    pub departments: Option<Vec<String>>,
}

pub trait Store: Send + Sync + std::fmt::Debug {
    /// Brings the schema up to date.
    fn migrate(&self) -> BoxFuture<'_, ()>;
    /// Proves the database answers, for `/readyz`.
    fn ping(&self) -> BoxFuture<'_, ()>;

    fn departments(&self) -> BoxFuture<'_, Vec<String>>;
    fn save_department<'a>(&'a self, name: &'a str, audit: AuditRecord) -> BoxFuture<'a, ()>;

    fn user<'a>(&'a self, username: &'a str) -> BoxFuture<'a, Option<UserRecord>>;
    fn users(&self) -> BoxFuture<'_, Vec<UserRecord>>;
    fn save_user<'a>(&'a self, user: &'a UserRecord, audit: AuditRecord) -> BoxFuture<'a, ()>;

    fn device<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<DeviceRecord>>;
    fn devices(&self) -> BoxFuture<'_, Vec<DeviceRecord>>;
    /// Saves a device; `audit` is `None` only for a check-in that changed nothing but its
    /// time, which agents do every few minutes.
    fn save_device<'a>(
        &'a self,
        device: &'a DeviceRecord,
        audit: Option<AuditRecord>,
    ) -> BoxFuture<'a, ()>;

    fn request(&self, id: Uuid) -> BoxFuture<'_, Option<RequestRecord>>;
    /// Newest first; records made at the same instant in the reverse order of saving.
    fn requests<'a>(&'a self, filter: &'a RequestFilter) -> BoxFuture<'a, Vec<RequestRecord>>;
    fn save_request<'a>(
        &'a self,
        request: &'a RequestRecord,
        audit: AuditRecord,
    ) -> BoxFuture<'a, ()>;

    fn training<'a>(&'a self, username: &'a str) -> BoxFuture<'a, Option<TrainingRecord>>;
    fn save_training<'a>(
        &'a self,
        training: &'a TrainingRecord,
        audit: AuditRecord,
    ) -> BoxFuture<'a, ()>;

    fn activation(&self, id: Uuid) -> BoxFuture<'_, Option<ActivationRecord>>;
    /// Newest first, narrowed to a user and/or a device.
    fn activations<'a>(
        &'a self,
        username: Option<&'a str>,
        device_key: Option<&'a str>,
    ) -> BoxFuture<'a, Vec<ActivationRecord>>;
    fn save_activation<'a>(
        &'a self,
        activation: &'a ActivationRecord,
        audit: AuditRecord,
    ) -> BoxFuture<'a, ()>;

    /// Newest first, narrowed to a device.
    fn reimage_fixes<'a>(
        &'a self,
        device_key: Option<&'a str>,
    ) -> BoxFuture<'a, Vec<ReimageFixRecord>>;
    fn save_reimage_fix<'a>(
        &'a self,
        fix: &'a ReimageFixRecord,
        audit: AuditRecord,
    ) -> BoxFuture<'a, ()>;

    /// Resolves a fix and re-binds its device in one transaction, so that no reader and no
    /// crash ever sees a resolved fix on a device still reimaged, or the reverse.
    fn apply_reimage_fix<'a>(
        &'a self,
        fix: &'a ReimageFixRecord,
        fix_audit: AuditRecord,
        device: &'a DeviceRecord,
        device_audit: AuditRecord,
    ) -> BoxFuture<'a, ()>;

    fn token_by_hash<'a>(&'a self, hash: &'a str) -> BoxFuture<'a, Option<TokenRecord>>;
    fn token(&self, id: Uuid) -> BoxFuture<'_, Option<TokenRecord>>;
    fn tokens(&self) -> BoxFuture<'_, Vec<TokenRecord>>;
    fn save_token<'a>(&'a self, token: &'a TokenRecord, audit: AuditRecord) -> BoxFuture<'a, ()>;

    /// Newest first: at most `limit` events with an id below `before_id`.
    fn audit_events<'a>(
        &'a self,
        actor: Option<&'a str>,
        before_id: Option<i64>,
        limit: u32,
    ) -> BoxFuture<'a, Vec<AuditEvent>>;

    fn idempotent_response<'a>(
        &'a self,
        principal: &'a str,
        key: &'a str,
    ) -> BoxFuture<'a, Option<IdempotentResponse>>;
    fn save_idempotent_response<'a>(
        &'a self,
        response: &'a IdempotentResponse,
    ) -> BoxFuture<'a, ()>;
}

/// The fixed-width text form timestamps are stored in, so that text order is time order.
pub fn timestamp_text(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn parse_timestamp(text: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("timestamp `{text}`: {e}")))
}

/// Serializes a unit enum of the API to its `snake_case` name.
pub fn enum_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

pub fn parse_enum<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| StoreError::Corrupt(format!("unknown value `{text}`")))
}

pub fn list_text<T: serde::Serialize>(values: &[T]) -> String {
    values.iter().map(enum_text).collect::<Vec<_>>().join(",")
}

pub fn parse_list<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<Vec<T>> {
    text.split(',').filter(|s| !s.is_empty()).map(parse_enum).collect()
}
