//! The embedded SQLite store: one file, WAL journal, `synchronous = FULL` so that every
//! write the API acknowledged survives a crash or power loss.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Row, Sqlite, Transaction};
use uuid::Uuid;

use super::*;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at a `sqlite:` URL.
    pub async fn open(url: &str) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        Ok(SqliteStore { pool })
    }

    /// Closes every connection, checkpointing the WAL into the database file.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Writes a consistent copy of the whole database to `path` while it stays in use.
    ///
    /// Copying the file itself is not enough: recent writes may still sit in the WAL beside
    /// it. `path` must not exist yet.
    pub async fn copy_to(&self, path: &std::path::Path) -> StoreResult<()> {
        sqlx::query("VACUUM INTO ?")
            .bind(path.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

async fn append_audit(tx: &mut Transaction<'_, Sqlite>, audit: &AuditRecord) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit (at, actor, action, subject, before, after)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(timestamp_text(audit.at))
    .bind(&audit.actor)
    .bind(&audit.action)
    .bind(&audit.subject)
    .bind(audit.before.as_ref().map(|v| v.to_string()))
    .bind(audit.after.as_ref().map(|v| v.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn write_device(tx: &mut Transaction<'_, Sqlite>, device: &DeviceRecord) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO devices (name_key, name, state, agent_id, pending_agent_id,
                              last_check_in_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name_key) DO UPDATE SET
            name = excluded.name, state = excluded.state,
            agent_id = excluded.agent_id, pending_agent_id = excluded.pending_agent_id,
            last_check_in_at = excluded.last_check_in_at",
    )
    .bind(&device.key)
    .bind(&device.name)
    .bind(enum_text(&device.state))
    .bind(&device.agent_id)
    .bind(&device.pending_agent_id)
    .bind(ts(device.last_check_in_at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn write_reimage_fix(
    tx: &mut Transaction<'_, Sqlite>,
    fix: &ReimageFixRecord,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO reimage_fixes (id, device_key, old_agent_id, new_agent_id,
            filed_by, filed_at, state, resolved_by, resolved_at, resolution_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
            new_agent_id = excluded.new_agent_id, state = excluded.state,
            resolved_by = excluded.resolved_by, resolved_at = excluded.resolved_at,
            resolution_reason = excluded.resolution_reason",
    )
    .bind(fix.id.to_string())
    .bind(&fix.device_key)
    .bind(&fix.old_agent_id)
    .bind(&fix.new_agent_id)
    .bind(&fix.filed_by)
    .bind(timestamp_text(fix.filed_at))
    .bind(enum_text(&fix.state))
    .bind(&fix.resolved_by)
    .bind(ts(fix.resolved_at))
    .bind(&fix.resolution_reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn ts(at: Option<DateTime<Utc>>) -> Option<String> {
    at.map(timestamp_text)
}

fn opt_ts(row: &SqliteRow, column: &str) -> StoreResult<Option<DateTime<Utc>>> {
    let text: Option<String> = row.try_get(column)?;
    text.as_deref().map(parse_timestamp).transpose()
}

fn req_ts(row: &SqliteRow, column: &str) -> StoreResult<DateTime<Utc>> {
    let text: String = row.try_get(column)?;
    parse_timestamp(&text)
}

fn uuid(row: &SqliteRow, column: &str) -> StoreResult<Uuid> {
    let text: String = row.try_get(column)?;
    Uuid::parse_str(&text).map_err(|e| StoreError::Corrupt(format!("id `{text}`: {e}")))
}

fn date(row: &SqliteRow, column: &str) -> StoreResult<NaiveDate> {
    let text: String = row.try_get(column)?;
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("date `{text}`: {e}")))
}

fn user_from(row: &SqliteRow) -> StoreResult<UserRecord> {
    let roles: String = row.try_get("roles")?;
    let rp_of: String = row.try_get("rp_of")?;
    Ok(UserRecord {
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        email: row.try_get("email")?,
        department: row.try_get("department")?,
        roles: parse_list(&roles)?,
        rp_of: rp_of.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        password_hash: row.try_get("password_hash")?,
    })
}

fn device_from(row: &SqliteRow) -> StoreResult<DeviceRecord> {
    let state: String = row.try_get("state")?;
    Ok(DeviceRecord {
        key: row.try_get("name_key")?,
        name: row.try_get("name")?,
        state: parse_enum(&state)?,
        agent_id: row.try_get("agent_id")?,
        pending_agent_id: row.try_get("pending_agent_id")?,
        last_check_in_at: opt_ts(row, "last_check_in_at")?,
    })
}

fn request_from(row: &SqliteRow) -> StoreResult<RequestRecord> {
    let state: String = row.try_get("state")?;
    Ok(RequestRecord {
        id: uuid(row, "id")?,
        requester: row.try_get("requester")?,
        department: row.try_get("department")?,
        device_key: row.try_get("device_key")?,
        reason: row.try_get("reason")?,
        ticket: row.try_get("ticket")?,
        state: parse_enum(&state)?,
        created_at: req_ts(row, "created_at")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: opt_ts(row, "decided_at")?,
        decision_reason: row.try_get("decision_reason")?,
        approval_expires_at: opt_ts(row, "approval_expires_at")?,
        lapses_at: req_ts(row, "lapses_at")?,
    })
}

fn training_from(row: &SqliteRow) -> StoreResult<TrainingRecord> {
    Ok(TrainingRecord {
        username: row.try_get("username")?,
        completed_on: date(row, "completed_on")?,
        good_through: date(row, "good_through")?,
        recorded_at: req_ts(row, "recorded_at")?,
    })
}

fn activation_from(row: &SqliteRow) -> StoreResult<ActivationRecord> {
    let state: String = row.try_get("state")?;
    Ok(ActivationRecord {
        id: uuid(row, "id")?,
        username: row.try_get("username")?,
        device_key: row.try_get("device_key")?,
        state: parse_enum(&state)?,
        requested_at: req_ts(row, "requested_at")?,
        effective_at: opt_ts(row, "effective_at")?,
        expires_at: req_ts(row, "expires_at")?,
        expected_effective_by: req_ts(row, "expected_effective_by")?,
        ended_at: opt_ts(row, "ended_at")?,
    })
}

fn fix_from(row: &SqliteRow) -> StoreResult<ReimageFixRecord> {
    let state: String = row.try_get("state")?;
    Ok(ReimageFixRecord {
        id: uuid(row, "id")?,
        device_key: row.try_get("device_key")?,
        old_agent_id: row.try_get("old_agent_id")?,
        new_agent_id: row.try_get("new_agent_id")?,
        filed_by: row.try_get("filed_by")?,
        filed_at: req_ts(row, "filed_at")?,
        state: parse_enum(&state)?,
        resolved_by: row.try_get("resolved_by")?,
        resolved_at: opt_ts(row, "resolved_at")?,
        resolution_reason: row.try_get("resolution_reason")?,
    })
}

fn token_from(row: &SqliteRow) -> StoreResult<TokenRecord> {
    let kind: String = row.try_get("kind")?;
    let scopes: String = row.try_get("scopes")?;
    Ok(TokenRecord {
        id: uuid(row, "id")?,
        hash: row.try_get("hash")?,
        kind: TokenKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("token kind `{kind}`")))?,
        username: row.try_get("username")?,
        name: row.try_get("name")?,
        scopes: parse_list(&scopes)?,
        created_at: req_ts(row, "created_at")?,
        expires_at: req_ts(row, "expires_at")?,
        revoked_at: opt_ts(row, "revoked_at")?,
    })
}

fn audit_from(row: &SqliteRow) -> StoreResult<AuditEvent> {
    let json = |column: &str| -> StoreResult<Option<serde_json::Value>> {
        let text: Option<String> = row.try_get(column)?;
        text.map(|t| {
            serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("audit json: {e}")))
        })
        .transpose()
    };
    Ok(AuditEvent {
        id: row.try_get("id")?,
        at: req_ts(row, "at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        subject: row.try_get("subject")?,
        before: json("before")?,
        after: json("after")?,
    })
}

impl Store for SqliteStore {
    fn migrate(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            sqlx::migrate!("./migrations/sqlite").run(&self.pool).await?;
            Ok(())
        })
    }

    fn ping(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            Ok(())
        })
    }

    fn departments(&self) -> BoxFuture<'_, Vec<String>> {
        Box::pin(async move {
            let rows = sqlx::query("SELECT name FROM departments ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
            rows.iter().map(|r| Ok(r.try_get("name")?)).collect()
        })
    }

    fn save_department<'a>(&'a self, name: &'a str, audit: AuditRecord) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            sqlx::query("INSERT INTO departments (name) VALUES (?) ON CONFLICT DO NOTHING")
                .bind(name)
                .execute(&mut *tx)
                .await?;
            append_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    fn user<'a>(&'a self, username: &'a str) -> BoxFuture<'a, Option<UserRecord>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT * FROM users WHERE username = ?")
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
            row.as_ref().map(user_from).transpose()
        })
    }

    fn users(&self) -> BoxFuture<'_, Vec<UserRecord>> {
        Box::pin(async move {
            let rows =
                sqlx::query("SELECT * FROM users ORDER BY username").fetch_all(&self.pool).await?;
            rows.iter().map(user_from).collect()
        })
    }

    fn save_user<'a>(&'a self, user: &'a UserRecord, audit: AuditRecord) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO users (username, display_name, email, department, roles, rp_of,
                                    password_hash, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (username) DO UPDATE SET
                    display_name = excluded.display_name, email = excluded.email,
                    department = excluded.department, roles = excluded.roles,
                    rp_of = excluded.rp_of, password_hash = excluded.password_hash",
            )
            .bind(&user.username)
            .bind(&user.display_name)
            .bind(&user.email)
            .bind(&user.department)
            .bind(list_text(&user.roles))
            .bind(user.rp_of.join(","))
            .bind(&user.password_hash)
            .bind(timestamp_text(audit.at))
            .execute(&mut *tx)
            .await?;
            append_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    fn device<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<DeviceRecord>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT * FROM devices WHERE name_key = ?")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
            row.as_ref().map(device_from).transpose()
        })
    }

    fn devices(&self) -> BoxFuture<'_, Vec<DeviceRecord>> {
        Box::pin(async move {
            let rows = sqlx::query("SELECT * FROM devices ORDER BY name_key")
                .fetch_all(&self.pool)
                .await?;
            rows.iter().map(device_from).collect()
        })
    }

    fn save_device<'a>(
        &'a self,
        device: &'a DeviceRecord,
        audit: Option<AuditRecord>,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            write_device(&mut tx, device).await?;
            if let Some(audit) = &audit {
                append_audit(&mut tx, audit).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    fn request(&self, id: Uuid) -> BoxFuture<'_, Option<RequestRecord>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT * FROM requests WHERE id = ?")
                .bind(id.to_string())
                .fetch_optional(&self.pool)
                .await?;
            row.as_ref().map(request_from).transpose()
        })
    }

    fn requests<'a>(&'a self, filter: &'a RequestFilter) -> BoxFuture<'a, Vec<RequestRecord>> {
        Box::pin(async move {
            let mut sql = sqlx::QueryBuilder::<Sqlite>::new("SELECT * FROM requests WHERE 1 = 1");
            if let Some(requester) = &filter.requester {
                sql.push(" AND requester = ").push_bind(requester);
            }
            if let Some(device_key) = &filter.device_key {
                sql.push(" AND device_key = ").push_bind(device_key);
            }
            if let Some(departments) = &filter.departments {
                if departments.is_empty() {
                    return Ok(Vec::new());
                }
                sql.push(" AND department IN (");
                let mut list = sql.separated(", ");
                for department in departments {
                    list.push_bind(department);
                }
                sql.push(")");
            }
            sql.push(" ORDER BY created_at DESC, rowid DESC");
            let rows = sql.build().fetch_all(&self.pool).await?;
            rows.iter().map(request_from).collect()
        })
    }

    fn save_request<'a>(
        &'a self,
        request: &'a RequestRecord,
        audit: AuditRecord,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO requests (id, requester, department, device_key, reason, ticket,
                    state, created_at, decided_by, decided_at, decision_reason,
                    approval_expires_at, lapses_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET
                    state = excluded.state, decided_by = excluded.decided_by,
                    decided_at = excluded.decided_at,
                    decision_reason = excluded.decision_reason,
                    approval_expires_at = excluded.approval_expires_at",
            )
            .bind(request.id.to_string())
            .bind(&request.requester)
            .bind(&request.department)
            .bind(&request.device_key)
            .bind(&request.reason)
            .bind(&request.ticket)
            .bind(enum_text(&request.state))
            .bind(timestamp_text(request.created_at))
            .bind(&request.decided_by)
            .bind(ts(request.decided_at))
            .bind(&request.decision_reason)
            .bind(ts(request.approval_expires_at))
            .bind(timestamp_text(request.lapses_at))
            .execute(&mut *tx)
            .await?;
            append_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    fn training<'a>(&'a self, username: &'a str) -> BoxFuture<'a, Option<TrainingRecord>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT * FROM training WHERE username = ?")
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
            row.as_ref().map(training_from).transpose()
        })
    }

    fn save_training<'a>(
        &'a self,
        training: &'a TrainingRecord,
        audit: AuditRecord,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO training (username, completed_on, good_through, recorded_at)
                 VALUES (?, ?, ?, ?)
                 ON CONFLICT (username) DO UPDATE SET
                    completed_on = excluded.completed_on,
                    good_through = excluded.good_through, recorded_at = excluded.recorded_at",
            )
            .bind(&training.username)
            .bind(training.completed_on.to_string())
            .bind(training.good_through.to_string())
            .bind(timestamp_text(training.recorded_at))
            .execute(&mut *tx)
            .await?;
            append_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    fn activation(&self, id: Uuid) -> BoxFuture<'_, Option<ActivationRecord>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT * FROM activations WHERE id = ?")
                .bind(id.to_string())
                .fetch_optional(&self.pool)
                .await?;
            row.as_ref().map(activation_from).transpose()
        })
    }

    fn activations<'a>(
        &'a self,
        username: Option<&'a str>,
        device_key: Option<&'a str>,
    ) -> BoxFuture<'a, Vec<ActivationRecord>> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT * FROM activations
                 WHERE (?1 IS NULL OR username = ?1) AND (?2 IS NULL OR device_key = ?2)
                 ORDER BY requested_at DESC, rowid DESC",
            )
            .bind(username)
            .bind(device_key)
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(activation_from).collect()
        })
    }

    fn save_activation<'a>(
        &'a self,
        activation: &'a ActivationRecord,
        audit: AuditRecord,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO activations (id, username, device_key, state, requested_at,
                    effective_at, expires_at, expected_effective_by, ended_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET
                    state = excluded.state, effective_at = excluded.effective_at,
                    ended_at = excluded.ended_at",
            )
            .bind(activation.id.to_string())
            .bind(&activation.username)
            .bind(&activation.device_key)
            .bind(enum_text(&activation.state))
            .bind(timestamp_text(activation.requested_at))
            .bind(ts(activation.effective_at))
            .bind(timestamp_text(activation.expires_at))
            .bind(timestamp_text(activation.expected_effective_by))
            .bind(ts(activation.ended_at))
            .execute(&mut *tx)
            .await?;
            append_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    fn reimage_fixes<'a>(
        &'a self,
        device_key: Option<&'a str>,
    ) -> BoxFuture<'a, Vec<ReimageFixRecord>> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT * FROM reimage_fixes WHERE (?1 IS NULL OR device_key = ?1)
                 ORDER BY filed_at DESC, rowid DESC",
            )
            .bind(device_key)
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(fix_from).collect()
        })
    }

    fn save_reimage_fix<'a>(
        &'a self,
        fix: &'a ReimageFixRecord,
        audit: AuditRecord,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            write_reimage_fix(&mut tx, fix).await?;
            append_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    fn apply_reimage_fix<'a>(
        &'a self,
        fix: &'a ReimageFixRecord,
        fix_audit: AuditRecord,
        device: &'a DeviceRecord,
        device_audit: AuditRecord,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            write_reimage_fix(&mut tx, fix).await?;
            append_audit(&mut tx, &fix_audit).await?;
            write_device(&mut tx, device).await?;
            append_audit(&mut tx, &device_audit).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    fn token_by_hash<'a>(&'a self, hash: &'a str) -> BoxFuture<'a, Option<TokenRecord>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT * FROM tokens WHERE hash = ?")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?;
            row.as_ref().map(token_from).transpose()
        })
    }

    fn token(&self, id: Uuid) -> BoxFuture<'_, Option<TokenRecord>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT * FROM tokens WHERE id = ?")
                .bind(id.to_string())
                .fetch_optional(&self.pool)
                .await?;
            row.as_ref().map(token_from).transpose()
        })
    }

    fn tokens(&self) -> BoxFuture<'_, Vec<TokenRecord>> {
        Box::pin(async move {
            let rows = sqlx::query("SELECT * FROM tokens ORDER BY created_at, rowid")
                .fetch_all(&self.pool)
                .await?;
            rows.iter().map(token_from).collect()
        })
    }

    fn save_token<'a>(&'a self, token: &'a TokenRecord, audit: AuditRecord) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO tokens (id, hash, kind, username, name, scopes, created_at,
                    expires_at, revoked_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET revoked_at = excluded.revoked_at",
            )
            .bind(token.id.to_string())
            .bind(&token.hash)
            .bind(token.kind.as_str())
            .bind(&token.username)
            .bind(&token.name)
            .bind(list_text(&token.scopes))
            .bind(timestamp_text(token.created_at))
            .bind(timestamp_text(token.expires_at))
            .bind(ts(token.revoked_at))
            .execute(&mut *tx)
            .await?;
            append_audit(&mut tx, &audit).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    fn audit_events<'a>(
        &'a self,
        actor: Option<&'a str>,
        before_id: Option<i64>,
        limit: u32,
    ) -> BoxFuture<'a, Vec<AuditEvent>> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT * FROM audit
                 WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR id < ?2)
                 ORDER BY id DESC LIMIT ?3",
            )
            .bind(actor)
            .bind(before_id)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(audit_from).collect()
        })
    }

    fn idempotent_response<'a>(
        &'a self,
        principal: &'a str,
        key: &'a str,
    ) -> BoxFuture<'a, Option<IdempotentResponse>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT * FROM idempotency WHERE principal = ? AND key = ?")
                .bind(principal)
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
            let Some(row) = row else { return Ok(None) };
            let status: i64 = row.try_get("status")?;
            Ok(Some(IdempotentResponse {
                principal: row.try_get("principal")?,
                key: row.try_get("key")?,
                request_hash: row.try_get("request_hash")?,
                status: u16::try_from(status)
                    .map_err(|_| StoreError::Corrupt(format!("status {status}")))?,
                body: row.try_get("body")?,
                created_at: req_ts(&row, "created_at")?,
            }))
        })
    }

    fn save_idempotent_response<'a>(
        &'a self,
        response: &'a IdempotentResponse,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            sqlx::query(
                "INSERT INTO idempotency (principal, key, request_hash, status, body, created_at)
                 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            )
            .bind(&response.principal)
            .bind(&response.key)
            .bind(&response.request_hash)
            .bind(i64::from(response.status))
            .bind(&response.body)
            .bind(timestamp_text(response.created_at))
            .execute(&self.pool)
            .await?;
            Ok(())
        })
    }
}
