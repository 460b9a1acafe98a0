//! Where `jit` keeps its files: the config file and the session index.
//!
//! Computed from the [`Environment`] passed in (so tests and in-process runs choose them),
//! following each platform's conventions as the `directories` crate does.

use std::path::{Path, PathBuf};

use super::Environment;

/// Directory name under the platform's config and state directories.
const APP: &str = "jit";

/// The files `jit` reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The TOML config file; need not exist.
    pub config_file: PathBuf,
    /// Which user is signed in to which server (no secrets: tokens live in the keyring).
    pub session_file: PathBuf,
}

impl Paths {
    pub fn resolve(env: &Environment) -> Paths {
        let config_file = match env.get("JIT_CONFIG") {
            Some(path) => expand_tilde(path, env),
            None => config_dir(env).join("config.toml"),
        };
        Paths { config_file, session_file: state_dir(env).join("sessions.toml") }
    }
}

/// Replaces a leading `~` with the home directory.
pub fn expand_tilde(path: &str, env: &Environment) -> PathBuf {
    let home = home_dir(env);
    match (path.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home,
        (Some(rest), Some(home)) if rest.starts_with('/') || rest.starts_with('\\') => {
            home.join(&rest[1..])
        }
        _ => PathBuf::from(path),
    }
}

fn home_dir(env: &Environment) -> Option<PathBuf> {
    env.get("HOME")
        .or_else(|| env.get("USERPROFILE"))
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()))
}

fn config_dir(env: &Environment) -> PathBuf {
    if cfg!(all(unix, not(target_os = "macos"))) {
        if let Some(dir) = env.get("XDG_CONFIG_HOME").filter(|d| Path::new(d).is_absolute()) {
            return PathBuf::from(dir).join(APP);
        }
        if let Some(home) = env.get("HOME") {
            return PathBuf::from(home).join(".config").join(APP);
        }
    }
    if let (true, Some(home)) = (cfg!(target_os = "macos"), env.get("HOME")) {
        return PathBuf::from(home).join("Library/Application Support").join(APP);
    }
    project_dirs().map(|d| d.config_dir().to_path_buf()).unwrap_or_else(|| PathBuf::from("."))
}

fn state_dir(env: &Environment) -> PathBuf {
    if cfg!(all(unix, not(target_os = "macos"))) {
        if let Some(dir) = env.get("XDG_STATE_HOME").filter(|d| Path::new(d).is_absolute()) {
            return PathBuf::from(dir).join(APP);
        }
        if let Some(home) = env.get("HOME") {
            return PathBuf::from(home).join(".local/state").join(APP);
        }
    }
    if let (true, Some(home)) = (cfg!(target_os = "macos"), env.get("HOME")) {
        return PathBuf::from(home).join("Library/Application Support").join(APP);
    }
    project_dirs().map(|d| d.data_local_dir().to_path_buf()).unwrap_or_else(|| PathBuf::from("."))
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", APP)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Environment {
        vars.iter().copied().collect()
    }

    #[test]
    fn jit_config_overrides_the_platform_config_file() {
        let paths = Paths::resolve(&env(&[("JIT_CONFIG", "/etc/jit.toml"), ("HOME", "/h")]));
        assert_eq!(paths.config_file, PathBuf::from("/etc/jit.toml"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn config_file_follows_xdg_then_home() {
        let paths = Paths::resolve(&env(&[("HOME", "/h")]));
        assert_eq!(paths.config_file, PathBuf::from("/h/.config/jit/config.toml"));
        assert_eq!(paths.session_file, PathBuf::from("/h/.local/state/jit/sessions.toml"));
        let paths = Paths::resolve(&env(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "/x")]));
        assert_eq!(paths.config_file, PathBuf::from("/x/jit/config.toml"));
    }

    #[test]
    fn tilde_expands_to_home_only_at_the_start() {
        let e = env(&[("HOME", "/h")]);
        assert_eq!(expand_tilde("~/ca.pem", &e), PathBuf::from("/h/ca.pem"));
        assert_eq!(expand_tilde("~", &e), PathBuf::from("/h"));
        assert_eq!(expand_tilde("/a/~/b", &e), PathBuf::from("/a/~/b"));
        assert_eq!(expand_tilde("~bob/x", &e), PathBuf::from("~bob/x"));
    }
}
