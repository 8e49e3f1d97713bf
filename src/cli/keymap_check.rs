//! `riskbench keymap check FILE`: validate a keymap file.
//!
//! Exit codes follow the other commands: 0 valid, 2 unreadable or malformed
//! (the `FILE:LINE:COL: message` error on stderr).

use std::path::Path;

use crate::keymap::Keymap;

/// Loads the keymap file at `path` (a path, never a built-in name), prints
/// `OK: N bindings in M contexts` on success and returns the exit code.
pub fn run(path: &str) -> i32 {
    match Keymap::from_path(Path::new(path)) {
        Ok(keymap) => {
            println!("{}", summary(&keymap));
            0
        }
        Err(e) => {
            eprintln!("{e}");
            2
        }
    }
}

/// `OK: N binding(s) in M context(s)`.
pub fn summary(keymap: &Keymap) -> String {
    let n = keymap.binding_count();
    let m = keymap.context_count();
    format!(
        "OK: {n} binding{} in {m} context{}",
        if n == 1 { "" } else { "s" },
        if m == 1 { "" } else { "s" }
    )
}
