//! Keeps the layering of ARCHITECTURE.md honest:
//!
//! - `src/domain`, `src/app` and `src/keymap` know nothing of terminals: no
//!   `ratatui` and no `crossterm` in their code. The one exception is
//!   `src/app/text_field.rs`, which may use `ratatui_textarea` (editing state
//!   for form fields, fed with our own key type).
//! - `src/domain` is pure: no file system, I/O, network, processes or
//!   printing. It may write to a writer it is handed (`use std::io;` for
//!   `io::Write` and `io::Result`: streaming a generated register), never
//!   open one itself.
//!
//! Comments are stripped before checking, so module docs may still say
//! "nothing here depends on ratatui or crossterm"; string literals are kept
//! (a string naming `std::fs` in the domain is suspicious enough).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{root, rust_files};

/// The source without `//` and (nested) `/* */` comments; string, raw string
/// and char literals are kept intact. Line breaks are kept so positions in
/// the result still have the right line numbers.
fn strip_comments(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        match (c, next) {
            ('/', Some('/')) => {
                while i < b.len() && b[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if b[i] == '\n' {
                            out.push('\n');
                        }
                        i += 1;
                    }
                }
            }
            ('r', Some('"' | '#'))
                if !b
                    .get(i.wrapping_sub(1))
                    .is_some_and(|p| p.is_alphanumeric() || *p == '_') =>
            {
                // Raw string r"..." / r#"..."#.
                let start = i;
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&'"') {
                    out.push(c);
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= b.len() {
                        break;
                    }
                    if b[j] == '"' && (0..hashes).all(|h| b.get(j + 1 + h) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                out.extend(&b[start..j.min(b.len())]);
                i = j;
            }
            ('"', _) => {
                out.push('"');
                i += 1;
                while i < b.len() {
                    out.push(b[i]);
                    if b[i] == '\\' {
                        if let Some(&e) = b.get(i + 1) {
                            out.push(e);
                        }
                        i += 2;
                        continue;
                    }
                    i += 1;
                    if b[i - 1] == '"' {
                        break;
                    }
                }
            }
            ('\'', _) => {
                // A char literal ('x', '\n', '\'', '\u{..}') or a lifetime.
                let lit_end = if b.get(i + 1) == Some(&'\\') {
                    (i + 2..b.len().min(i + 12)).find(|&j| b[j] == '\'' && j > i + 2)
                } else if b.get(i + 2) == Some(&'\'') {
                    Some(i + 2)
                } else {
                    None
                };
                match lit_end {
                    Some(end) => {
                        out.extend(&b[i..=end]);
                        i = end + 1;
                    }
                    None => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Every occurrence of `needle` in the code of `file`, as "path:line: text".
fn find(file: &Path, code: &str, needle: &str) -> Vec<String> {
    code.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(n, l)| {
            format!(
                "{}:{}: {}",
                file.strip_prefix(root()).unwrap_or(file).display(),
                n + 1,
                l.trim()
            )
        })
        .collect()
}

/// Occurrences of the identifier `ratatui` (also as `::ratatui`,
/// `ratatui::`, `use ratatui as ...`) but not of `ratatui_textarea`.
fn find_ratatui(file: &Path, code: &str) -> Vec<String> {
    code.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.match_indices("ratatui").any(|(at, _)| {
                let before = l[..at].chars().next_back();
                let after = l[at + "ratatui".len()..].chars().next();
                let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !ident(before) && !ident(after)
            })
        })
        .map(|(n, l)| {
            format!(
                "{}:{}: {}",
                file.strip_prefix(root()).unwrap_or(file).display(),
                n + 1,
                l.trim()
            )
        })
        .collect()
}

fn layer_files(layer: &str) -> Vec<(PathBuf, String)> {
    let files = rust_files(&root().join("src").join(layer));
    assert!(!files.is_empty(), "no files under src/{layer}");
    files
        .into_iter()
        .map(|f| {
            let src = fs::read_to_string(&f).unwrap();
            (f, strip_comments(&src))
        })
        .collect()
}

#[test]
fn domain_app_and_keymap_know_no_terminal() {
    let text_field = root().join("src/app/text_field.rs");
    let mut found = Vec::new();
    let mut saw_text_field = false;
    for layer in ["domain", "app", "keymap"] {
        for (file, code) in layer_files(layer) {
            found.extend(find(&file, &code, "crossterm"));
            found.extend(find_ratatui(&file, &code));
            if file == text_field {
                saw_text_field = true;
            } else {
                found.extend(find(&file, &code, "ratatui_textarea"));
                found.extend(find(&file, &code, "ratatui-textarea"));
            }
        }
    }
    assert!(saw_text_field, "src/app/text_field.rs not found");
    assert!(
        found.is_empty(),
        "terminal crates used outside src/ui and src/tui.rs:\n{}",
        found.join("\n")
    );
}

#[test]
fn text_field_uses_only_ratatui_textarea() {
    let src = fs::read_to_string(root().join("src/app/text_field.rs")).unwrap();
    let code = strip_comments(&src);
    assert!(
        code.contains("ratatui_textarea"),
        "the exception is unused: drop it"
    );
    assert!(find_ratatui(Path::new("text_field.rs"), &code).is_empty());
    assert!(!code.contains("crossterm"));
}

#[test]
fn domain_does_no_io() {
    let forbidden = [
        "std::fs",
        "std::io::",
        "io::stdin",
        "io::stdout",
        "io::stderr",
        "File",
        "std::net",
        "std::process",
        "std::env",
        "println!",
        "eprintln!",
        "print!",
        "eprint!",
        "dbg!",
    ];
    let mut found = Vec::new();
    for (file, code) in layer_files("domain") {
        for needle in forbidden {
            found.extend(find(&file, &code, needle));
        }
        // `use std::io;` is the writer trait a caller hands in; any other
        // way of naming the module is refused.
        for (n, line) in code.lines().enumerate() {
            if line.contains("std::io") && !line.contains("use std::io;") {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
        // `use std::{fs, io}` spells the modules without `std::fs`.
        for (n, line) in code.lines().enumerate() {
            if let Some(at) = line.find("std::{") {
                let group = &line[at..];
                for m in ["fs", "io", "net", "process", "env"] {
                    if group
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .any(|w| w == m)
                    {
                        found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "I/O in the pure domain layer:\n{}",
        found.join("\n")
    );
}

#[test]
fn comment_stripping_keeps_code_and_strings() {
    let src = r####"
//! docs mention ratatui and crossterm
use a::b; // trailing crossterm
/* block crossterm /* nested */ still comment */ let x = 1;
let s = "// not a comment, crossterm in a string";
let r = r#"raw "// also" a string"#;
let c = '"'; let q = '\''; fn f<'a>(x: &'a str) {}
let after = ratatui::Frame;
"####;
    let code = strip_comments(src);
    assert!(!code.contains("docs mention"));
    assert!(!code.contains("trailing"));
    assert!(!code.contains("nested"));
    assert!(code.contains("let x = 1;"));
    assert!(code.contains("\"// not a comment, crossterm in a string\""));
    assert!(code.contains("r#\"raw \"// also\" a string\"#"));
    assert!(code.contains("fn f<'a>(x: &'a str) {}"));
    assert!(code.contains("let after = ratatui::Frame;"));
    assert_eq!(code.lines().count(), src.lines().count());
    assert_eq!(find_ratatui(Path::new("x.rs"), &code).len(), 1);
    assert!(find_ratatui(Path::new("x.rs"), "use ratatui_textarea::TextArea;").is_empty());
    assert_eq!(
        find_ratatui(Path::new("x.rs"), "use ratatui as rt;").len(),
        1
    );
}
