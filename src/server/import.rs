//! Importing the directory (departments, users with roles, responsible persons, devices)
//! and training completions from CSV files, as an HR or directory export produces them.
//!
//! Importing is idempotent: a row equal to what is stored changes nothing and writes no
//! audit event. An initial password is set only for a user who has none yet.

use std::path::Path;

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use crate::api::{DeviceState, Role, TrainingCompletion};
use crate::server::auth;
use crate::server::routes::{audit_event, record_completion};
use crate::server::rules;
use crate::server::storage::{DeviceRecord, Store, UserRecord, parse_enum};

const ACTOR: &str = "jitd-import";

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} unchanged",
            self.created, self.updated, self.unchanged
        )
    }
}

impl ImportReport {
    fn count(&mut self, before_existed: bool, changed: bool) {
        match (before_existed, changed) {
            (false, _) => self.created += 1,
            (true, true) => self.updated += 1,
            (true, false) => self.unchanged += 1,
        }
    }

    fn add(&mut self, other: &ImportReport) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentRow {
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserRow {
    username: String,
    display_name: String,
    email: String,
    department: String,
    /// `;`-separated roles, e.g. `requester;rp`.
    roles: String,
    /// `;`-separated departments this user decides for.
    #[serde(default)]
    rp_of: String,
    /// Set only when the user has no password yet.
    #[serde(default)]
    initial_password: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeviceRow {
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrainingRow {
    username: String,
    completed_on: NaiveDate,
    good_through: NaiveDate,
}

fn read_rows<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<Vec<T>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut rows = Vec::new();
    for (index, row) in reader.deserialize().enumerate() {
        // Line 1 is the header.
        let row = row.with_context(|| format!("{}: line {}", path.display(), index + 2))?;
        rows.push(row);
    }
    Ok(rows)
}

fn split(list: &str) -> Vec<String> {
    list.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Imports a directory holding `departments.csv`, `users.csv` and `devices.csv` (any may
/// be missing), or one such file, named by its stem.
pub async fn import_directory(
    store: &dyn Store,
    path: &Path,
    now: DateTime<Utc>,
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    if path.is_dir() {
        let mut found = false;
        for name in ["departments", "users", "devices"] {
            let file = path.join(format!("{name}.csv"));
            if file.exists() {
                found = true;
                report.add(&import_file(store, &file, now).await?);
            }
        }
        if !found {
            bail!("{} holds none of departments.csv, users.csv, devices.csv", path.display());
        }
        return Ok(report);
    }
    import_file(store, path, now).await
}

async fn import_file(
    store: &dyn Store,
    path: &Path,
    now: DateTime<Utc>,
) -> anyhow::Result<ImportReport> {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    match stem {
        "departments" => import_departments(store, read_rows(path)?, now).await,
        "users" => import_users(store, read_rows(path)?, now)
            .await
            .with_context(|| format!("importing {}", path.display())),
        "devices" => import_devices(store, read_rows(path)?, now).await,
        _ => bail!(
            "{}: the file name says what it holds: departments.csv, users.csv or devices.csv",
            path.display()
        ),
    }
}

async fn import_departments(
    store: &dyn Store,
    rows: Vec<DepartmentRow>,
    now: DateTime<Utc>,
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let known = store.departments().await?;
    for row in rows {
        if row.name.is_empty() {
            bail!("a department has an empty name");
        }
        if known.contains(&row.name) {
            report.count(true, false);
            continue;
        }
        let audit = audit_event(now, ACTOR, "department.create", &row.name, None, None);
        store.save_department(&row.name, audit).await?;
        report.count(false, true);
    }
    Ok(report)
}

async fn import_users(
    store: &dyn Store,
    rows: Vec<UserRow>,
    now: DateTime<Utc>,
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let departments = store.departments().await?;
    for row in rows {
        let roles = split(&row.roles)
            .iter()
            .map(|r| parse_enum::<Role>(r))
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| {
                format!("user {}: roles are requester, rp, iam, admin", row.username)
            })?;
        let rp_of = split(&row.rp_of);
        for department in rp_of.iter().chain(std::iter::once(&row.department)) {
            if !departments.contains(department) {
                bail!("user {}: unknown department `{department}`", row.username);
            }
        }
        let existing = store.user(&row.username).await?;
        let password_hash = match existing.as_ref().and_then(|u| u.password_hash.clone()) {
            Some(hash) => Some(hash),
            None if !row.initial_password.is_empty() => {
                Some(auth::hash_password(&row.initial_password)?)
            }
            None => None,
        };
        let user = UserRecord {
            username: row.username.clone(),
            display_name: row.display_name,
            email: row.email,
            department: row.department,
            roles,
            rp_of,
            password_hash,
        };
        let changed = existing.as_ref() != Some(&user);
        report.count(existing.is_some(), changed);
        if changed {
            let after = serde_json::json!({
                "department": user.department, "roles": user.roles, "rp_of": user.rp_of,
            });
            let action = if existing.is_some() { "user.update" } else { "user.create" };
            let audit = audit_event(now, ACTOR, action, &user.username, None, Some(after));
            store.save_user(&user, audit).await?;
        }
    }
    Ok(report)
}

async fn import_devices(
    store: &dyn Store,
    rows: Vec<DeviceRow>,
    now: DateTime<Utc>,
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    for row in rows {
        let key = rules::device_key(&row.name);
        if key.is_empty() {
            bail!("a device has an empty name");
        }
        let existing = store.device(&key).await?;
        let device = match &existing {
            Some(d) => DeviceRecord { name: row.name.trim().to_owned(), ..d.clone() },
            None => DeviceRecord {
                key: key.clone(),
                name: row.name.trim().to_owned(),
                state: DeviceState::Unbound,
                agent_id: None,
                pending_agent_id: None,
                last_check_in_at: None,
            },
        };
        let changed = existing.as_ref() != Some(&device);
        report.count(existing.is_some(), changed);
        if changed {
            let audit = audit_event(now, ACTOR, "device.import", &device.name, None, None);
            store.save_device(&device, Some(audit)).await?;
        }
    }
    Ok(report)
}

/// Imports training completions from a CSV file with the header
/// `username,completed_on,good_through`.
pub async fn import_training(
    store: &dyn Store,
    path: &Path,
    now: DateTime<Utc>,
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    for row in read_rows::<TrainingRow>(path)? {
        let item = TrainingCompletion {
            username: row.username,
            completed_on: row.completed_on,
            good_through: row.good_through,
        };
        let outcome = record_completion(store, ACTOR, &item, now)
            .await
            .map_err(|e| anyhow::anyhow!("{}: {}", item.username, e.to_problem().detail))?;
        report.count(true, outcome == "recorded");
    }
    Ok(report)
}
