//! Who is calling: passwords, bearer tokens, scopes and the failed-login limit.
//!
//! Token secrets are 256 random bits, shown once and stored only as their SHA-256. A
//! presented token is found by its hash and the hash compared again in constant time.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, PasswordHash};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::api::{ErrorCode, Problem, Role, Scope};
use crate::server::AppState;
use crate::server::error::{AppError, AppResult};
use crate::server::storage::{TokenKind, TokenRecord, UserRecord};

/// Prefix of every secret, so that a leaked token is recognisable in a scan.
const TOKEN_PREFIX: &str = "jit_";

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let salt = SaltString::encode_b64(&bytes)
        .map_err(|e| anyhow::anyhow!("cannot encode a password salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash no password matches, verified against when the username is unknown.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let (secret, _) = new_secret();
        hash_password(&secret).unwrap_or_default()
    })
}

/// A new secret and the hash under which it is stored.
pub fn new_secret() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
    let hash = hash_secret(&secret);
    (secret, hash)
}

pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The scopes a user's roles allow a token to carry.
pub fn scopes_allowed(user: &UserRecord, scope: Scope) -> bool {
    match scope {
        Scope::All | Scope::Read => true,
        Scope::Requests => user.has_role(Role::Requester),
        Scope::Decisions => user.has_role(Role::Rp) || user.has_role(Role::Admin),
        Scope::ReimageFixes => {
            user.has_role(Role::Iam) || user.has_role(Role::Admin) || user.has_role(Role::Requester)
        }
        Scope::Training | Scope::Agent => false,
    }
}

/// Who is behind a token.
#[derive(Debug, Clone)]
pub enum Principal {
    User(UserRecord),
    Agent(String),
    LearningSystem(String),
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: TokenRecord,
    pub principal: Principal,
}

impl Caller {
    /// The name recorded as actor in audit events.
    pub fn actor(&self) -> String {
        match &self.principal {
            Principal::User(user) => user.username.clone(),
            Principal::Agent(name) => format!("agent:{name}"),
            Principal::LearningSystem(name) => format!("learning-system:{name}"),
        }
    }

    /// The user behind the token, refusing agent and learning-system credentials.
    pub fn user(&self) -> AppResult<&UserRecord> {
        match &self.principal {
            Principal::User(user) => Ok(user),
            _ => Err(AppError::forbidden("This endpoint is for users, not for this credential.")),
        }
    }

    pub fn has_scope(&self, scope: Scope) -> bool {
        let machine = matches!(scope, Scope::Agent | Scope::Training);
        self.token.scopes.contains(&scope) || (!machine && self.token.scopes.contains(&Scope::All))
    }

    /// Refuses unless the token carries one of `scopes`.
    pub fn require(&self, scopes: &[Scope]) -> AppResult<()> {
        if scopes.iter().any(|s| self.has_scope(*s)) {
            return Ok(());
        }
        Err(AppError::forbidden(format!(
            "This token's scopes do not allow this; it needs one of: {}.",
            scopes.iter().map(crate::server::storage::enum_text).collect::<Vec<_>>().join(", ")
        )))
    }

    /// The user, who must hold one of `roles` and whose token must carry one of `scopes`.
    pub fn user_with(&self, roles: &[Role], scopes: &[Scope]) -> AppResult<&UserRecord> {
        let user = self.user()?;
        if !roles.iter().any(|r| user.has_role(*r)) {
            return Err(AppError::forbidden(format!(
                "This needs one of the roles: {}.",
                roles.iter().map(crate::server::storage::enum_text).collect::<Vec<_>>().join(", ")
            )));
        }
        self.require(scopes)?;
        Ok(user)
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Looks a presented secret up and checks that it is still good at `now`.
pub async fn authenticate(state: &AppState, secret: &str) -> AppResult<Caller> {
    let unknown = || {
        AppError::new(ErrorCode::Unauthenticated, "Not authenticated", "The token is not known.")
    };
    let hash = hash_secret(secret);
    let token = state.store.token_by_hash(&hash).await?.ok_or_else(unknown)?;
    if !bool::from(token.hash.as_bytes().ct_eq(hash.as_bytes())) {
        return Err(unknown());
    }
    let now = state.clock.now();
    if token.revoked_at.is_some() || now >= token.expires_at {
        return Err(AppError::Problem(Box::new(
            Problem::new(
                ErrorCode::SessionExpired,
                "Session expired",
                if token.revoked_at.is_some() {
                    "The token was revoked."
                } else {
                    "The token has expired."
                },
            )
            .with_hint("Log in again: jit login"),
        )));
    }
    let principal = match token.kind {
        TokenKind::Login | TokenKind::Api => {
            let username = token.username.as_deref().unwrap_or_default();
            let user = state.store.user(username).await?.ok_or_else(unknown)?;
            Principal::User(user)
        }
        TokenKind::Agent => Principal::Agent(token.name.clone()),
        TokenKind::LearningSystem => Principal::LearningSystem(token.name.clone()),
    };
    Ok(Caller { token, principal })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Caller> {
        let Some(secret) = bearer(parts) else {
            return Err(AppError::Problem(Box::new(
                Problem::new(
                    ErrorCode::Unauthenticated,
                    "Not authenticated",
                    "This needs a bearer token in the Authorization header.",
                )
                .with_hint("Log in first: jit login"),
            )));
        };
        authenticate(state, secret).await
    }
}

/// The principal idempotency keys are scoped to, from the `Authorization` header alone.
pub async fn idempotency_principal(state: &AppState, parts: &Parts) -> Option<String> {
    let caller = authenticate(state, bearer(parts)?).await.ok()?;
    Some(caller.actor())
}

const MAX_TRACKED_USERNAMES: usize = 10_000;

/// Counts failed logins per username and refuses more once the limit is reached.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
}

impl LoginLimiter {
    /// Counts an attempt for `username` before its password is checked, or refuses it with
    /// the seconds to wait. Counting first keeps the limit under a burst: attempts that
    /// arrive together would otherwise all pass the check before any failure was recorded.
    /// A successful login then clears the count through [`LoginLimiter::succeeded`].
    pub fn begin_attempt(
        &self,
        username: &str,
        limit: u32,
        window: Duration,
        now: DateTime<Utc>,
    ) -> Result<(), u64> {
        let mut attempts = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        // Guessed usernames must not grow the map without bound: forget stale entries.
        if attempts.len() >= MAX_TRACKED_USERNAMES {
            attempts.retain(|_, times| times.iter().any(|t| now - *t < window));
        }
        let times = attempts.entry(username.to_owned()).or_default();
        times.retain(|t| now - *t < window);
        if times.len() < limit as usize {
            times.push(now);
            return Ok(());
        }
        let oldest = times.iter().min().copied().unwrap_or(now);
        let wait = (oldest + window - now).num_seconds().max(1);
        Err(u64::try_from(wait).unwrap_or(1))
    }

    pub fn succeeded(&self, username: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(username);
    }
}

/// Issues a token and stores it; the secret is returned once and never stored.
#[allow(clippy::too_many_arguments)]
pub async fn issue_token(
    store: &dyn crate::server::storage::Store,
    kind: TokenKind,
    username: Option<String>,
    name: &str,
    scopes: Vec<Scope>,
    lifetime: Duration,
    actor: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<(String, TokenRecord)> {
    let (secret, hash) = new_secret();
    let token = TokenRecord {
        id: uuid::Uuid::new_v4(),
        hash,
        kind,
        username,
        name: name.to_owned(),
        scopes,
        created_at: now,
        expires_at: now + lifetime,
        revoked_at: None,
    };
    let after = serde_json::json!({ "kind": kind.as_str(), "name": name, "scopes": token.scopes });
    let audit = crate::server::storage::AuditRecord {
        at: now,
        actor: actor.to_owned(),
        action: "token.create".to_owned(),
        subject: token.id.to_string(),
        before: None,
        after: Some(after),
    };
    store.save_token(&token, audit).await?;
    Ok((secret, token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_carry_256_bits_and_are_stored_hashed() {
        let (secret, hash) = new_secret();
        assert_eq!(secret.len(), TOKEN_PREFIX.len() + 64);
        assert_eq!(hash, hash_secret(&secret));
        assert!(!hash.contains(&secret));
    }

    #[test]
    fn the_login_limit_locks_then_releases() {
        let limiter = LoginLimiter::default();
        let now = Utc::now();
        let window = Duration::minutes(15);
        for _ in 0..3 {
            assert!(limiter.begin_attempt("bob", 3, window, now).is_ok());
        }
        assert!(limiter.begin_attempt("bob", 3, window, now).is_err());
        assert!(limiter.begin_attempt("bob", 3, window, now + Duration::minutes(16)).is_ok());
    }
}
