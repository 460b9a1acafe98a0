//! The `jitd` configuration file: TOML, every key optional, unknown keys refused.
//!
//! Durations carry their unit in the key name (`_minutes`, `_days`) so that a file reads
//! without a reference at hand.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{Duration, NaiveTime};
use chrono_tz::Tz;
use serde::Deserialize;

/// Settings of one `jitd` instance. See `docs/jitd.md` for every key.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on, e.g. `127.0.0.1:8443`.
    pub listen: Option<String>,
    /// sqlx database URL, e.g. `sqlite:///var/lib/jitd/jitd.db`. May carry a password.
    pub database_url: Option<String>,
    /// The organisation's time zone: good-through dates end at midnight there, and the
    /// overnight training job runs on its clock.
    pub time_zone: String,
    /// Longest activation, and the default when a user does not ask for less.
    pub activation_max_minutes: u32,
    /// How long an endpoint agent is expected to take to pick a grant up.
    pub pickup_expected_minutes: u32,
    /// Approval expiration when the approver does not choose one.
    pub approval_default_days: u32,
    /// Latest approval expiration an approver may choose.
    pub approval_max_days: u32,
    /// Days a request may stay undecided before it lapses.
    pub lapse_days: u32,
    /// Local time of day (`HH:MM`) at which the overnight training assignment runs.
    pub training_job_time: String,
    /// Lifetime of a token issued by `POST /auth/login`.
    pub login_token_hours: u32,
    /// Longest lifetime of a scoped API token.
    pub api_token_max_days: u32,
    /// Failed logins for one username allowed within `login_lockout_minutes`.
    pub login_max_failures: u32,
    pub login_lockout_minutes: u32,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// PEM certificate chain (server certificate first) to serve HTTPS directly. Set with
    /// `tls_key`, or leave both out for plain HTTP behind a proxy.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1) of the certificate in `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// Time a client gets to finish the TLS handshake, and then each request's headers; an
    /// idle keep-alive connection is closed after it too.
    pub header_read_timeout_seconds: u32,
    /// Time a client gets to send a whole request body once its headers are in.
    pub body_read_timeout_seconds: u32,
    /// Connections served at once; more wait in the listen backlog until one closes.
    pub max_connections: u32,
    /// How long `SIGTERM` waits for requests in flight before it drops them.
    pub shutdown_grace_seconds: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: None,
            database_url: None,
            time_zone: "UTC".to_owned(),
            activation_max_minutes: 240,
            pickup_expected_minutes: 5,
            approval_default_days: 365,
            approval_max_days: 365,
            lapse_days: 30,
            training_job_time: "02:00".to_owned(),
            login_token_hours: 12,
            api_token_max_days: 365,
            login_max_failures: 5,
            login_lockout_minutes: 15,
            max_body_bytes: 64 * 1024,
            tls_cert: None,
            tls_key: None,
            header_read_timeout_seconds: 10,
            body_read_timeout_seconds: 30,
            max_connections: 512,
            shutdown_grace_seconds: 30,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("database_url", &self.database_url.as_ref().map(|_| "<redacted>"))
            .field("time_zone", &self.time_zone)
            .field("activation_max_minutes", &self.activation_max_minutes)
            .field("pickup_expected_minutes", &self.pickup_expected_minutes)
            .field("approval_default_days", &self.approval_default_days)
            .field("approval_max_days", &self.approval_max_days)
            .field("lapse_days", &self.lapse_days)
            .field("training_job_time", &self.training_job_time)
            .field("login_token_hours", &self.login_token_hours)
            .field("api_token_max_days", &self.api_token_max_days)
            .field("login_max_failures", &self.login_max_failures)
            .field("login_lockout_minutes", &self.login_lockout_minutes)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("tls_cert", &self.tls_cert)
            .field("tls_key", &self.tls_key)
            .field("header_read_timeout_seconds", &self.header_read_timeout_seconds)
            .field("body_read_timeout_seconds", &self.body_read_timeout_seconds)
            .field("max_connections", &self.max_connections)
            .field("shutdown_grace_seconds", &self.shutdown_grace_seconds)
            .finish()
    }
}

/// The configuration after validation, in the types the rules work with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub time_zone: Tz,
    pub activation_max: Duration,
    pub pickup_expected: Duration,
    pub approval_default: Duration,
    pub approval_max: Duration,
    pub lapse_after: Duration,
    pub training_job_time: NaiveTime,
    pub login_token_lifetime: Duration,
    pub api_token_max: Duration,
    pub login_max_failures: u32,
    pub login_lockout: Duration,
    pub max_body_bytes: usize,
    pub header_read_timeout: std::time::Duration,
    pub body_read_timeout: std::time::Duration,
    pub max_connections: usize,
    pub shutdown_grace: std::time::Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Config::default().settings().expect("the default configuration is valid")
    }
}

impl Config {
    /// Reads and validates a configuration file, naming the file and key on error.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        let config: Config = toml::from_str(&text)
            .with_context(|| format!("invalid configuration file {}", path.display()))?;
        config.settings().with_context(|| format!("invalid value in {}", path.display()))?;
        Ok(config)
    }

    /// Checks every value and converts it for the rules.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let time_zone: Tz = self.time_zone.parse().map_err(|_| {
            anyhow::anyhow!(
                "time_zone: `{}` is not an IANA time zone name such as `Europe/Zurich`",
                self.time_zone
            )
        })?;
        let training_job_time = NaiveTime::parse_from_str(&self.training_job_time, "%H:%M")
            .with_context(|| {
                format!("training_job_time: `{}` is not a time HH:MM", self.training_job_time)
            })?;
        positive("activation_max_minutes", self.activation_max_minutes)?;
        positive("approval_default_days", self.approval_default_days)?;
        positive("lapse_days", self.lapse_days)?;
        positive("login_token_hours", self.login_token_hours)?;
        positive("login_max_failures", self.login_max_failures)?;
        if self.approval_default_days > self.approval_max_days {
            anyhow::bail!("approval_default_days must not exceed approval_max_days");
        }
        if self.max_body_bytes < 1024 {
            anyhow::bail!("max_body_bytes must be at least 1024");
        }
        positive("header_read_timeout_seconds", self.header_read_timeout_seconds)?;
        positive("body_read_timeout_seconds", self.body_read_timeout_seconds)?;
        positive("max_connections", self.max_connections)?;
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            anyhow::bail!(
                "tls_cert and tls_key go together: set both to serve HTTPS, or neither to \
                 serve plain HTTP behind a TLS proxy"
            );
        }
        Ok(Settings {
            time_zone,
            activation_max: Duration::minutes(self.activation_max_minutes.into()),
            pickup_expected: Duration::minutes(self.pickup_expected_minutes.into()),
            approval_default: Duration::days(self.approval_default_days.into()),
            approval_max: Duration::days(self.approval_max_days.into()),
            lapse_after: Duration::days(self.lapse_days.into()),
            training_job_time,
            login_token_lifetime: Duration::hours(self.login_token_hours.into()),
            api_token_max: Duration::days(self.api_token_max_days.into()),
            login_max_failures: self.login_max_failures,
            login_lockout: Duration::minutes(self.login_lockout_minutes.into()),
            max_body_bytes: self.max_body_bytes,
            header_read_timeout: seconds(self.header_read_timeout_seconds),
            body_read_timeout: seconds(self.body_read_timeout_seconds),
            max_connections: self.max_connections as usize,
            shutdown_grace: seconds(self.shutdown_grace_seconds),
        })
    }
}

fn seconds(value: u32) -> std::time::Duration {
    std::time::Duration::from_secs(value.into())
}

fn positive(key: &str, value: u32) -> anyhow::Result<()> {
    if value == 0 {
        anyhow::bail!("{key} must be greater than zero");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_refused() {
        let err = toml::from_str::<Config>("activation_max_minute = 10").unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
    }

    #[test]
    fn debug_hides_the_database_url() {
        let config = Config {
            database_url: Some("postgres://jitd:secret@db/jitd".into()),
            ..Config::default()
        };
        assert!(!format!("{config:?}").contains("secret"));
    }

    #[test]
    fn a_certificate_without_its_key_is_refused() {
        let config = Config { tls_cert: Some("cert.pem".into()), ..Config::default() };
        let error = config.settings().unwrap_err().to_string();
        assert!(error.contains("tls_cert and tls_key go together"), "{error}");
    }

    #[test]
    fn a_bad_time_zone_is_named() {
        let config = Config { time_zone: "Mars/Olympus".into(), ..Config::default() };
        assert!(config.settings().unwrap_err().to_string().contains("Mars/Olympus"));
    }
}
