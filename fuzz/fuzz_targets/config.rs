//! The config file: any text either parses or is refused with a line inside the file; the
//! settings of every profile it names can then be read; never a panic.

#![no_main]

use std::path::Path;

use jit::client::config::{Config, ConfigError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("fuzz.toml");
    match Config::parse(text, path) {
        Ok(config) => {
            config.settings(None, path).expect("the top-level settings always exist");
            for name in config.profiles.keys() {
                config.settings(Some(name), path).expect("a named profile exists");
            }
            assert!(config.settings(Some("\u{0}no such profile"), path).is_err());
        }
        Err(ConfigError::Invalid { line: Some(line), .. }) => {
            assert!(line >= 1 && line <= text.split('\n').count(), "line {line}");
        }
        Err(_) => {}
    }
});
