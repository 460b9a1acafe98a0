//! Logging in and out, who am I, and scoped API tokens for scripts.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tracing::instrument;
use uuid::Uuid;

use super::{Body, audit_event};
use crate::api::{ErrorCode, LoginRequest, NewApiToken, Problem, Scope, TokenIssued, User};
use crate::server::AppState;
use crate::server::auth::{self, Caller};
use crate::server::error::{AppError, AppResult};
use crate::server::storage::{TokenKind, TokenRecord};
use crate::server::views;

/// Exchange a username and password for a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "sessions", request_body = LoginRequest,
    security(()),
    responses((status = 200, body = TokenIssued), (status = "4XX", body = Problem)))]
#[instrument(skip_all, fields(username = %login.username))]
pub async fn login(
    State(state): State<AppState>,
    Body(login): Body<LoginRequest>,
) -> AppResult<Json<TokenIssued>> {
    let now = state.clock.now();
    let settings = &state.settings;
    let username = login.username.trim().to_owned();
    if let Err(wait) = state.login_limiter.begin_attempt(
        &username,
        settings.login_max_failures,
        settings.login_lockout,
        now,
    ) {
        let mut problem = Problem::new(
            ErrorCode::RateLimited,
            "Too many failed logins",
            format!("Too many failed logins for {username}. Wait {wait} seconds and retry."),
        );
        problem.retry_after_seconds = Some(wait);
        return Err(problem.into());
    }

    let user = state.store.user(&username).await?;
    // An unknown user costs the same hash as a known one, so timing tells nothing.
    let known_hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let password = login.password.clone();
    let verified = tokio::task::spawn_blocking(move || match known_hash {
        Some(hash) => auth::verify_password(&password, &hash),
        None => {
            auth::verify_password(&password, auth::decoy_hash());
            false
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?;
    let Some(user) = user.filter(|_| verified) else {
        return Err(AppError::new(
            ErrorCode::InvalidCredentials,
            "Invalid credentials",
            "The username or password is wrong.",
        ));
    };
    state.login_limiter.succeeded(&username);

    let (secret, hash) = auth::new_secret();
    let token = TokenRecord {
        id: Uuid::new_v4(),
        hash,
        kind: TokenKind::Login,
        username: Some(user.username.clone()),
        name: "login".to_owned(),
        scopes: vec![Scope::All],
        created_at: now,
        expires_at: now + settings.login_token_lifetime,
        revoked_at: None,
    };
    let audit = audit_event(now, &user.username, "token.login", token.id.to_string(), None, None);
    state.store.save_token(&token, audit).await?;
    Ok(Json(TokenIssued {
        token: secret,
        token_id: token.id,
        expires_at: token.expires_at,
        scopes: token.scopes,
        user: views::user(&user),
    }))
}

/// Revoke the token this request carries.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "sessions",
    responses((status = 204), (status = "4XX", body = Problem)))]
#[instrument(skip_all)]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let mut token = caller.token.clone();
    token.revoked_at = Some(now);
    let audit = audit_event(now, &caller.actor(), "token.revoke", token.id.to_string(), None, None);
    state.store.save_token(&token, audit).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "sessions",
    responses((status = 200, body = User), (status = "4XX", body = Problem)))]
#[instrument(skip_all)]
pub async fn me(caller: Caller) -> AppResult<Json<User>> {
    Ok(Json(views::user(caller.user()?)))
}

/// Create a scoped API token for scripts, limited to what the caller's roles allow.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "sessions", request_body = NewApiToken,
    responses((status = 201, body = TokenIssued), (status = "4XX", body = Problem)))]
#[instrument(skip_all)]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Body(new): Body<NewApiToken>,
) -> AppResult<(StatusCode, Json<TokenIssued>)> {
    let user = caller.user()?;
    caller.require(&[Scope::All])?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(AppError::invalid("A token name is 1 to 100 printable characters."));
    }
    if new.scopes.is_empty() {
        return Err(AppError::invalid("A token needs at least one scope."));
    }
    if let Some(scope) = new.scopes.iter().find(|s| !auth::scopes_allowed(user, **s)) {
        return Err(AppError::forbidden(format!(
            "Your roles do not allow a token with the scope `{}`.",
            crate::server::storage::enum_text(scope)
        )));
    }
    let now = state.clock.now();
    let days = chrono::Duration::days(new.expires_in_days.max(1).into());
    let lifetime = days.min(state.settings.api_token_max);
    let (secret, hash) = auth::new_secret();
    let token = TokenRecord {
        id: Uuid::new_v4(),
        hash,
        kind: TokenKind::Api,
        username: Some(user.username.clone()),
        name: name.to_owned(),
        scopes: new.scopes.clone(),
        created_at: now,
        expires_at: now + lifetime,
        revoked_at: None,
    };
    let after = serde_json::json!({ "name": token.name, "scopes": token.scopes });
    let audit =
        audit_event(now, &user.username, "token.create", token.id.to_string(), None, Some(after));
    state.store.save_token(&token, audit).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenIssued {
            token: secret,
            token_id: token.id,
            expires_at: token.expires_at,
            scopes: token.scopes,
            user: views::user(user),
        }),
    ))
}
