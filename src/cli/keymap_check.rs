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
            crate::outln!("{}", summary(&keymap));
            0
        }
        Err(e) => {
            crate::ewarn!("{e}");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_and_summary() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.ron");
        std::fs::write(
            &good,
            r#"(version: 1, contexts: { global: { "q": Quit }, table: { "j": MoveDown, "x": NoOp } })"#,
        )
        .unwrap();
        assert_eq!(run(good.to_str().unwrap()), 0);
        let keymap = Keymap::from_path(&good).unwrap();
        assert_eq!(summary(&keymap), "OK: 2 bindings in 2 contexts");

        let bad = dir.path().join("bad.ron");
        std::fs::write(&bad, r#"(version: 1, contexts: { table: { "j": Nope } })"#).unwrap();
        assert_eq!(run(bad.to_str().unwrap()), 2);
        assert_eq!(run(dir.path().join("missing.ron").to_str().unwrap()), 2);
        // A built-in name is not a path here.
        assert_eq!(run("default"), 2);

        let one = Keymap::parse(
            "x",
            r#"(version: 1, contexts: { table: { "j": MoveDown } })"#,
        )
        .unwrap();
        assert_eq!(summary(&one), "OK: 1 binding in 1 context");
    }
}
