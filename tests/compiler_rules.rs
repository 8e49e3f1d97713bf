//! The rules of issue 14 that the source itself must keep, checked on the
//! source text: the compiler holds the lints (a `[lints]` table), `unsafe`
//! stays in the two modules that need libc, every declared dependency is
//! used, the runtime does not reach into the CLI, files are written one way
//! only, and no file in `src/` grows past 800 lines (`src/app/update.rs`, the
//! dispatcher, past 400).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::fs;
use std::path::Path;

use common::{root, rust_files};

/// The path relative to the crate root, with `/` separators.
fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// The lines of a source file that are code: comment lines left out, and
/// everything from the first `#[cfg(test)]` on (unit tests may write files
/// and unwrap).
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = fs::read_to_string(path).unwrap();
    text.lines()
        .enumerate()
        .take_while(|(_, l)| l.trim() != "#[cfg(test)]")
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(n, l)| (n + 1, l.to_string()))
        .collect()
}

/// The `key = value` lines of one `[section]` of Cargo.toml.
fn toml_section(section: &str) -> Vec<(String, String)> {
    let text = fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == format!("[{section}]");
            continue;
        }
        if inside && let Some((k, v)) = line.split_once('=') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

#[test]
fn the_lint_table_denies_unwrap_expect_panic_and_unsafe_code() {
    let clippy = toml_section("lints.clippy");
    for lint in ["unwrap_used", "expect_used", "panic"] {
        assert!(
            clippy.contains(&(lint.to_string(), "\"deny\"".to_string())),
            "[lints.clippy] must deny {lint}: {clippy:?}"
        );
    }
    let rust = toml_section("lints.rust");
    assert!(
        rust.iter()
            .any(|(k, v)| k == "unsafe_code" && (v == "\"deny\"" || v == "\"forbid\"")),
        "[lints.rust] must deny unsafe_code: {rust:?}"
    );
    let domain = fs::read_to_string(root().join("src/domain/mod.rs")).unwrap();
    assert!(
        domain.contains("#![deny(missing_docs)]"),
        "src/domain/mod.rs must deny missing docs"
    );
}

#[test]
fn unsafe_code_is_only_in_the_terminal_runtime_and_the_writers_access_check() {
    let mut found = Vec::new();
    let mut in_writer = 0;
    for file in rust_files(&root().join("src")) {
        let name = rel(&file);
        for (n, line) in code_lines(&file) {
            if !line.contains("unsafe {") && !line.contains("unsafe fn") {
                continue;
            }
            match name.as_str() {
                "src/tui.rs" => {}
                "src/store/write.rs" => in_writer += 1,
                _ => found.push(format!("{name}:{n}: {}", line.trim())),
            }
        }
    }
    assert!(
        found.is_empty(),
        "unsafe outside its two modules:\n{}",
        found.join("\n")
    );
    // fchown and fchmod have safe forms in std; faccessat(AT_EACCESS) has not.
    assert_eq!(
        in_writer, 1,
        "src/store/write.rs: one unsafe block (faccessat)"
    );
}

#[test]
fn every_declared_dependency_is_used() {
    let sources: String = rust_files(&root().join("src"))
        .iter()
        .map(|f| fs::read_to_string(f).unwrap())
        .collect();
    let unused: Vec<String> = toml_section("dependencies")
        .into_iter()
        .map(|(name, _)| name.replace('-', "_"))
        .filter(|name| {
            !sources.contains(&format!("{name}::")) && !sources.contains(&format!("use {name}"))
        })
        .collect();
    assert!(unused.is_empty(), "declared and unused: {unused:?}");
}

#[test]
fn the_runtime_does_not_call_into_the_cli() {
    let file = root().join("src/tui.rs");
    let calls: Vec<String> = code_lines(&file)
        .into_iter()
        .filter(|(_, l)| l.contains("cli::"))
        .map(|(n, l)| format!("src/tui.rs:{n}: {}", l.trim()))
        .collect();
    assert!(
        calls.is_empty(),
        "the runtime calls the CLI:\n{}",
        calls.join("\n")
    );
}

#[test]
fn files_are_written_only_through_the_store_writer() {
    // What writes or replaces a file. The writer itself may; the recovery
    // module renames an old recovery file aside (no content written) and
    // the lock module creates the empty lock file it locks.
    let writes = [
        "fs::write(",
        "File::create(",
        ".create(true)",
        "fs::copy(",
        "fs::rename(",
    ];
    let allowed = [
        ("src/store/recovery.rs", "fs::rename("),
        ("src/store/lock.rs", ".create(true)"),
    ];
    let mut found = Vec::new();
    for file in rust_files(&root().join("src")) {
        let name = rel(&file);
        if name == "src/store/write.rs" {
            continue;
        }
        let code = code_lines(&file);
        // A workbook writes itself with `save(path)`, around the writer
        // (no directory sync): exports build bytes (`save_to_buffer`).
        let workbook = code.iter().any(|(_, l)| l.contains("rust_xlsxwriter"));
        for (n, line) in code {
            for w in writes {
                if line.contains(w) && !allowed.contains(&(name.as_str(), w)) {
                    found.push(format!("{name}:{n}: {}", line.trim()));
                }
            }
            if workbook && line.contains(".save(") {
                found.push(format!("{name}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "files written around store::write_atomic:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_source_file_is_over_800_lines_and_the_dispatcher_stays_thin() {
    let lines_of = |name: &str| {
        fs::read_to_string(root().join(name))
            .unwrap()
            .lines()
            .count()
    };
    let long: Vec<String> = rust_files(&root().join("src"))
        .into_iter()
        .map(|f| rel(&f))
        .filter_map(|name| {
            let lines = lines_of(&name);
            (lines > 800).then(|| format!("{name}: {lines} lines"))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these by concern:\n{}",
        long.join("\n")
    );
    // Key routing and dispatch only: features live in files of their own.
    let update = lines_of("src/app/update.rs");
    assert!(update < 400, "src/app/update.rs: {update} lines");
}
