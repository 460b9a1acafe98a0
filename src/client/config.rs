//! The config file: TOML in the platform config directory, with named profiles.
//!
//! Top-level keys apply to every profile; a `[profiles.NAME]` table overrides them for one
//! server. Unknown keys and bad values are refused with the key and the line, because a typo
//! silently ignored is a setting the user believes in and does not have.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

/// How `jit` prints data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    #[default]
    Table,
    Json,
    Csv,
}

impl std::str::FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "table" => Ok(OutputFormat::Table),
            "json" => Ok(OutputFormat::Json),
            "csv" => Ok(OutputFormat::Csv),
            other => Err(format!("unknown output format `{other}`: use table, json or csv")),
        }
    }
}

/// Where the token is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenStoreKind {
    /// The platform's keyring: macOS Keychain, Windows Credential Manager; on Linux the
    /// Secret Service, then kernel keyutils.
    #[default]
    Auto,
    /// Only the Secret Service (GNOME Keyring, KWallet) over D-Bus.
    SecretService,
    /// Only the kernel keyutils session keyring (Linux).
    Keyutils,
}

impl std::str::FromStr for TokenStoreKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(TokenStoreKind::Auto),
            "secret-service" => Ok(TokenStoreKind::SecretService),
            "keyutils" => Ok(TokenStoreKind::Keyutils),
            other => {
                Err(format!("unknown token store `{other}`: use auto, secret-service or keyutils"))
            }
        }
    }
}

/// A timeout written as whole seconds (`30`) or with a unit (`30s`, `2m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Timeout(#[serde(serialize_with = "serialize_secs")] pub Duration);

fn serialize_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{}s", d.as_secs()))
}

impl<'de> Deserialize<'de> for Timeout {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timeout;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of seconds or a duration like \"30s\" or \"2m\"")
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Timeout, E> {
                match u64::try_from(v) {
                    Ok(secs) if secs > 0 => Ok(Timeout(Duration::from_secs(secs))),
                    _ => Err(E::custom(format!("timeout must be positive, not {v}"))),
                }
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timeout, E> {
                parse_timeout(v).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Parses a timeout: `30`, `30s`, `2m`, `500ms`.
pub fn parse_timeout(text: &str) -> Result<Timeout, String> {
    let text = text.trim();
    let (number, unit) =
        text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: u64 = number
        .parse()
        .map_err(|_| format!("invalid timeout `{text}`: write e.g. `30s` or `2m`"))?;
    let d = match unit {
        "" | "s" => Duration::from_secs(n),
        "ms" => Duration::from_millis(n),
        "m" => Duration::from_secs(n * 60),
        _ => return Err(format!("invalid timeout `{text}`: the unit must be ms, s or m")),
    };
    if d.is_zero() {
        return Err(format!("invalid timeout `{text}`: it must be more than zero"));
    }
    Ok(Timeout(d))
}

/// Settings that the top level and each profile may set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Base URL of the `jitd` server, e.g. `https://jit.example.org`.
    pub server: Option<String>,
    /// Username to sign in as; `jit login` asks when it is not set.
    pub username: Option<String>,
    pub timeout: Option<Timeout>,
    /// PEM file of a private certificate authority to trust; `~` is expanded.
    pub ca_cert: Option<String>,
    pub output: Option<OutputFormat>,
    pub utc: Option<bool>,
    pub color: Option<bool>,
    pub token_store: Option<TokenStoreKind>,
}

/// The whole config file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Profile used when neither `--profile` nor `JIT_PROFILE` names one.
    pub default_profile: Option<String>,
    pub server: Option<String>,
    pub username: Option<String>,
    pub timeout: Option<Timeout>,
    pub ca_cert: Option<String>,
    pub output: Option<OutputFormat>,
    pub utc: Option<bool>,
    pub color: Option<bool>,
    pub token_store: Option<TokenStoreKind>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub profiles: BTreeMap<String, Settings>,
}

/// Keys `jit config set` accepts, at the top level or in a profile.
pub const SETTING_KEYS: &[&str] =
    &["server", "username", "timeout", "ca_cert", "output", "utc", "color", "token_store"];

/// A config file that could not be read or understood.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the config file {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}{}: {message}", path.display(), at_line(*line))]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        /// The key at fault, when the parser could tell.
        key: Option<String>,
        message: String,
    },
    #[error("unknown profile `{name}` in {}", path.display())]
    UnknownProfile { path: PathBuf, name: String, known: Vec<String> },
    #[error("unknown config key `{key}`")]
    UnknownKey { key: String },
    #[error("bad value for `{key}`: {message}")]
    BadValue { key: String, message: String },
}

impl Config {
    /// Reads the config file; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(source) => Err(ConfigError::Read { path: path.to_path_buf(), source }),
        }
    }

    /// Parses config text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| text[..span.start].matches('\n').count() + 1);
            let key = e.span().and_then(|span| key_at(text, span.start));
            let message = e.message().trim().to_string();
            let message = match &key {
                Some(key) if !message.contains(key.as_str()) => format!("`{key}`: {message}"),
                _ => message,
            };
            ConfigError::Invalid { path: path.to_path_buf(), line, key, message }
        })
    }

    /// The settings of a profile; `None` means the top-level settings alone.
    pub fn settings(&self, profile: Option<&str>, path: &Path) -> Result<Settings, ConfigError> {
        let top = Settings {
            server: self.server.clone(),
            username: self.username.clone(),
            timeout: self.timeout,
            ca_cert: self.ca_cert.clone(),
            output: self.output,
            utc: self.utc,
            color: self.color,
            token_store: self.token_store,
        };
        let Some(name) = profile else { return Ok(top) };
        let Some(p) = self.profiles.get(name) else {
            return Err(ConfigError::UnknownProfile {
                path: path.to_path_buf(),
                name: name.to_string(),
                known: self.profiles.keys().cloned().collect(),
            });
        };
        Ok(Settings {
            server: p.server.clone().or(top.server),
            username: p.username.clone().or(top.username),
            timeout: p.timeout.or(top.timeout),
            ca_cert: p.ca_cert.clone().or(top.ca_cert),
            output: p.output.or(top.output),
            utc: p.utc.or(top.utc),
            color: p.color.or(top.color),
            token_store: p.token_store.or(top.token_store),
        })
    }
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(", line {l}")).unwrap_or_default()
}

/// The key on the line holding byte `offset`, for naming it in an error.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let start = text[..offset.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty()).then(|| key.to_string())
}

/// Sets `key` to `value` in the config file at `path`, in `profile` if given, and checks the
/// result parses before writing it.
///
/// The file is rewritten from its parsed form, so comments are lost: `toml` keeps no
/// comments, and a format-preserving editor is not among the chosen dependencies.
pub fn set_value(
    path: &Path,
    profile: Option<&str>,
    key: &str,
    value: &str,
) -> Result<(), ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => return Err(ConfigError::Read { path: path.to_path_buf(), source }),
    };
    Config::parse(&text, path)?;
    let mut table: toml::Table =
        toml::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: None,
            key: None,
            message: e.message().to_string(),
        })?;

    let (profile, key) = match key.strip_prefix("profiles.").and_then(|r| r.split_once('.')) {
        Some((p, k)) => (Some(p), k),
        None => (profile, key),
    };
    let value = typed_value(key, value)?;
    let target = match profile {
        None => &mut table,
        Some(name) => {
            let profiles = table
                .entry("profiles")
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .ok_or_else(|| bad("profiles", "must be a table"))?;
            profiles
                .entry(name)
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .ok_or_else(|| bad(name, "a profile must be a table"))?
        }
    };
    target.insert(key.to_string(), value);

    let new_text = toml::to_string_pretty(&table).map_err(|e| bad(key, &e.to_string()))?;
    Config::parse(&new_text, path)?;
    write_atomically(path, &new_text)
}

fn bad(key: &str, message: &str) -> ConfigError {
    ConfigError::BadValue { key: key.to_string(), message: message.to_string() }
}

/// Converts the text of `jit config set` into the TOML type the key takes.
fn typed_value(key: &str, value: &str) -> Result<toml::Value, ConfigError> {
    match key {
        "utc" | "color" => match value {
            "true" => Ok(toml::Value::Boolean(true)),
            "false" => Ok(toml::Value::Boolean(false)),
            _ => Err(bad(key, "use true or false")),
        },
        "timeout" => {
            parse_timeout(value).map_err(|m| bad(key, &m))?;
            Ok(toml::Value::String(value.to_string()))
        }
        "output" => {
            value.parse::<OutputFormat>().map_err(|m| bad(key, &m))?;
            Ok(toml::Value::String(value.to_string()))
        }
        "token_store" => {
            value.parse::<TokenStoreKind>().map_err(|m| bad(key, &m))?;
            Ok(toml::Value::String(value.to_string()))
        }
        "default_profile" | "server" | "username" | "ca_cert" => {
            Ok(toml::Value::String(value.to_string()))
        }
        _ => Err(ConfigError::UnknownKey { key: key.to_string() }),
    }
}

/// Writes through a temporary file and a rename, so a crash never leaves half a file.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), ConfigError> {
    let err = |source| ConfigError::Write { path: path.to_path_buf(), source };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, text).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("config.toml"))
    }

    #[test]
    fn a_profile_overrides_the_top_level() {
        let config =
            parse("server = \"https://a\"\ntimeout = 5\n[profiles.b]\nserver = \"https://b\"\n")
                .unwrap();
        let path = Path::new("c");
        let b = config.settings(Some("b"), path).unwrap();
        assert_eq!(b.server.as_deref(), Some("https://b"));
        assert_eq!(b.timeout, Some(Timeout(Duration::from_secs(5))));
        assert_eq!(config.settings(None, path).unwrap().server.as_deref(), Some("https://a"));
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_name_and_line() {
        let err = parse("server = \"https://a\"\n\ntiemout = 5\n").unwrap_err();
        let ConfigError::Invalid { line, key, message, .. } = &err else { panic!("{err:?}") };
        assert_eq!(*line, Some(3));
        assert_eq!(key.as_deref(), Some("tiemout"));
        assert!(message.contains("tiemout"), "{message}");
        assert!(err.to_string().starts_with("config.toml, line 3: "), "{err}");
    }

    #[test]
    fn an_unknown_key_in_a_profile_is_refused_with_its_line() {
        let err = parse("[profiles.x]\nserver = \"s\"\nfoo = 1\n").unwrap_err();
        let ConfigError::Invalid { line, .. } = &err else { panic!("{err:?}") };
        assert_eq!(*line, Some(3));
    }

    #[test]
    fn a_bad_value_is_refused_with_its_key_and_line() {
        let err = parse("server = \"s\"\ntimeout = \"soon\"\n").unwrap_err();
        let ConfigError::Invalid { line, key, message, .. } = &err else { panic!("{err:?}") };
        assert_eq!(*line, Some(2));
        assert_eq!(key.as_deref(), Some("timeout"));
        assert!(message.contains("soon"), "{message}");

        let err = parse("output = \"yaml\"\n").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
        let err = parse("utc = \"yes\"\n").unwrap_err();
        assert!(err.to_string().contains("utc"), "{err}");
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        assert!(parse("\u{feff}server = \"https://a\"\n").is_ok());
    }

    #[test]
    fn timeouts_take_seconds_or_a_unit() {
        assert_eq!(parse_timeout("30").unwrap().0, Duration::from_secs(30));
        assert_eq!(parse_timeout("2m").unwrap().0, Duration::from_secs(120));
        assert_eq!(parse_timeout("250ms").unwrap().0, Duration::from_millis(250));
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("1h").is_err());
        assert!(parse_timeout("").is_err());
    }

    #[test]
    fn an_unknown_profile_names_the_known_ones() {
        let config = parse("[profiles.prod]\nserver = \"s\"\n").unwrap();
        let err = config.settings(Some("test"), Path::new("c")).unwrap_err();
        let ConfigError::UnknownProfile { known, .. } = err else { panic!() };
        assert_eq!(known, vec!["prod".to_string()]);
    }

    #[test]
    fn set_value_writes_a_file_that_parses_and_refuses_bad_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        set_value(&path, None, "server", "https://a").unwrap();
        set_value(&path, Some("b"), "timeout", "10s").unwrap();
        set_value(&path, None, "profiles.b.utc", "true").unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(config.server.as_deref(), Some("https://a"));
        assert_eq!(config.profiles["b"].utc, Some(true));
        assert!(matches!(
            set_value(&path, None, "colour", "true"),
            Err(ConfigError::UnknownKey { .. })
        ));
        assert!(matches!(set_value(&path, None, "utc", "yes"), Err(ConfigError::BadValue { .. })));
    }
}
