//! Batch files: any bytes either parse into items that keep the parser's promises or are
//! refused with a line that exists; never a panic.

#![no_main]

use std::collections::HashSet;

use jit::cli::batch::{parse_decisions, parse_devices};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = text.split('\n').count();

    match parse_decisions(text) {
        Ok(items) => {
            assert!(!items.is_empty(), "an accepted file names at least one request");
            let mut seen = HashSet::new();
            for item in &items {
                assert!(item.line >= 1 && item.line <= lines, "line {} of {lines}", item.line);
                assert!(seen.insert(item.id), "duplicate id {} accepted", item.id);
            }
            assert!(items.windows(2).all(|w| w[0].line < w[1].line), "items out of order");
        }
        Err(e) => assert!(e.line >= 1 && e.line <= lines, "refusal names line {}", e.line),
    }

    match parse_devices(text) {
        Ok(items) => {
            assert!(!items.is_empty());
            let mut seen = HashSet::new();
            for item in &items {
                assert!(item.line >= 1 && item.line <= lines);
                assert!(!item.device.is_empty() && !item.device.contains(','));
                assert_eq!(item.device, item.device.trim(), "outer spaces kept");
                assert!(seen.insert(item.device.to_lowercase()), "duplicate device accepted");
            }
        }
        Err(e) => assert!(e.line >= 1 && e.line <= lines, "refusal names line {}", e.line),
    }
});
