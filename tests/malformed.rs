//! Malformed and unreadable input (REGISTER.md §4): exit code 2, never a
//! panic or a signal, and `FILE:LINE:COL: message` on stderr.
//!
//! Each `tests/fixtures/malformed/NAME.ron` has a companion `NAME.expected`:
//!
//! ```text
//! LINE:COL message substring
//! ```
//!
//! The position is the right answer, checked against the fixture by eye when
//! it was written: it points at the offending token, not at whitespace.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const TODAY: &str = "2026-12-01";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs riskbench and insists it exited normally (a code, not a signal) and
/// did not panic.
fn run(args: &[&str]) -> Run {
    let out = Command::cargo_bin("riskbench")
        .expect("the riskbench binary is built")
        .args(args)
        .output()
        .expect("riskbench runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "riskbench {args:?} panicked:\n{stderr}"
    );
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("riskbench {args:?} was killed by a signal:\n{stderr}"));
    Run {
        code,
        stdout,
        stderr,
    }
}

fn check(path: &Path) -> Run {
    run(&["check", path.to_str().unwrap(), "--today", TODAY])
}

struct Expected {
    line: usize,
    col: usize,
    message: String,
}

fn expected(ron: &Path) -> Expected {
    let path = ron.with_extension("expected");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (every fixture needs one)", path.display()));
    let mut lines = text.lines();
    let first = lines.next().expect(".expected is empty");
    let (pos, message) = first.split_once(' ').expect("LINE:COL message");
    let (line, col) = pos.split_once(':').expect("LINE:COL");
    Expected {
        line: line.parse().expect("LINE"),
        col: col.parse().expect("COL"),
        message: message.to_string(),
    }
}

fn fixtures() -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    all.sort();
    all
}

/// `FILE:LINE:COL: message` → (line, col, message), for the given FILE.
fn parse_error<'a>(file: &str, stderr: &'a str) -> Option<(usize, usize, &'a str)> {
    let rest = stderr
        .lines()
        .next()?
        .strip_prefix(file)?
        .strip_prefix(':')?;
    let (line, rest) = rest.split_once(':')?;
    let (col, message) = rest.split_once(": ")?;
    Some((line.parse().ok()?, col.parse().ok()?, message))
}

/// Checks one fixture; returns what is wrong, if anything.
fn verify(ron: &Path) -> Result<(), String> {
    let exp = expected(ron);
    let r = check(ron);
    let file = ron.to_str().unwrap();
    let name = ron.file_name().unwrap().to_string_lossy();
    if r.code != 2 {
        return Err(format!(
            "{name}: exit {} (want 2); stderr: {}",
            r.code, r.stderr
        ));
    }
    if !r.stdout.is_empty() {
        return Err(format!("{name}: unexpected stdout: {}", r.stdout));
    }
    let Some((line, col, message)) = parse_error(file, &r.stderr) else {
        return Err(format!(
            "{name}: stderr does not start with FILE:LINE:COL: — {}",
            r.stderr
        ));
    };
    if (line, col) != (exp.line, exp.col) {
        return Err(format!(
            "{name}: at {line}:{col}, expected {}:{} — {message}",
            exp.line, exp.col
        ));
    }
    if !message.contains(&exp.message) {
        return Err(format!(
            "{name}: message {message:?} lacks {:?}",
            exp.message
        ));
    }
    Ok(())
}

#[test]
fn every_malformed_fixture_exits_2_with_its_position() {
    let all = fixtures();
    assert!(all.len() >= 20, "only {} malformed fixtures", all.len());
    let failures: Vec<String> = all.iter().filter_map(|f| verify(f).err()).collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_fixture_has_an_expectation_and_vice_versa() {
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("ron") => assert!(path.with_extension("expected").exists(), "{path:?}"),
            Some("expected") => assert!(path.with_extension("ron").exists(), "{path:?}"),
            _ => panic!("unexpected file {path:?}"),
        }
    }
}

#[test]
fn malformed_input_exits_2_for_soa_and_risks_too() {
    for ron in fixtures() {
        let file = ron.to_str().unwrap();
        for cmd in ["soa", "risks"] {
            let r = run(&[cmd, file, "--today", TODAY]);
            assert_eq!(r.code, 2, "{cmd} {file}: {}", r.stderr);
            assert!(
                parse_error(file, &r.stderr).is_some(),
                "{cmd} {file}: {}",
                r.stderr
            );
        }
    }
}

// ---------------------------------------------- files written by the tests

fn clean_register() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/clean.ron");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn non_utf8_bytes_are_reported_at_their_position() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("latin1.ron");
    // "café" in Latin-1 on line 3, column 13.
    let mut bytes = b"Register(\n    schema: 1,\n    name: \"caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\",\n)\n");
    std::fs::write(&path, bytes).unwrap();
    let r = check(&path);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let (line, col, message) =
        parse_error(path.to_str().unwrap(), &r.stderr).expect("FILE:LINE:COL:");
    assert_eq!((line, col), (3, 15), "{}", r.stderr);
    assert!(message.contains("UTF-8"), "{message}");
}

#[test]
fn invalid_utf8_on_the_first_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("binary.ron");
    std::fs::write(&path, [0xFF, 0xFE, 0x00, 0x52]).unwrap();
    let r = check(&path);
    assert_eq!(r.code, 2);
    let (line, col, _) = parse_error(path.to_str().unwrap(), &r.stderr).expect("FILE:LINE:COL:");
    assert_eq!((line, col), (1, 1));
}

#[test]
fn a_bom_prefixed_register_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bom.ron");
    std::fs::write(&path, format!("\u{feff}{}", clean_register())).unwrap();
    let r = run(&[
        "check",
        path.to_str().unwrap(),
        "--strict",
        "--today",
        TODAY,
    ]);
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
}

#[test]
fn a_bom_does_not_shift_positions() {
    let tmp = tempfile::tempdir().unwrap();
    // A load error on line 1 …
    let path = tmp.path().join("bom-bad.ron");
    std::fs::write(&path, "\u{feff}Registry(schema: 1)\n").unwrap();
    let r = check(&path);
    assert_eq!(r.code, 2);
    let (line, col, _) = parse_error(path.to_str().unwrap(), &r.stderr).expect("FILE:LINE:COL:");
    assert_eq!((line, col), (1, 1), "{}", r.stderr);

    // … and a check finding further down.
    let plain =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/unknown-asset.ron");
    let text = std::fs::read_to_string(&plain).unwrap();
    let bom = tmp.path().join("bom-unknown-asset.ron");
    std::fs::write(&bom, format!("\u{feff}{text}")).unwrap();
    let position = |p: &Path| {
        let r = run(&[
            "check",
            p.to_str().unwrap(),
            "--format",
            "json",
            "--today",
            TODAY,
        ]);
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        (
            doc["errors"][0]["line"].clone(),
            doc["errors"][0]["column"].clone(),
        )
    };
    assert_eq!(position(&bom), position(&plain));
}

#[test]
fn a_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let r = check(tmp.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
    let file = tmp.path().to_str().unwrap();
    assert!(r.stderr.starts_with(&format!("{file}: ")), "{}", r.stderr);
    assert!(r.stderr.contains("directory"), "{}", r.stderr);
}

#[test]
fn a_missing_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("nope.ron");
    let r = check(&path);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.starts_with(path.to_str().unwrap()), "{}", r.stderr);
}

#[test]
fn nesting_10000_deep_is_refused_without_crashing() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 10_000;
    let cases = [
        ("brackets", format!("{}{}", "[".repeat(n), "]".repeat(n))),
        ("unclosed", "[".repeat(n)),
        ("parens", format!("{}{}", "(".repeat(n), ")".repeat(n))),
        ("braces", "{".repeat(n)),
        (
            "in-a-register",
            format!(
                "Register(\n    schema: 1,\n    history: {}\n",
                "[".repeat(n)
            ),
        ),
        ("mixed", "[(Some(".repeat(n / 3) + &")]".repeat(n / 3)),
    ];
    for (name, text) in cases {
        let path = tmp.path().join(format!("{name}.ron"));
        std::fs::write(&path, text).unwrap();
        for cmd in ["check", "soa", "risks"] {
            let r = run(&[cmd, path.to_str().unwrap(), "--today", TODAY]);
            assert_eq!(r.code, 2, "{cmd} {name}: {}", r.stderr);
            let (_, _, message) =
                parse_error(path.to_str().unwrap(), &r.stderr).expect("FILE:LINE:COL:");
            assert!(message.contains("nesting"), "{name}: {message}");
        }
    }
}

#[test]
fn a_million_open_brackets_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("huge.ron");
    std::fs::write(&path, "[".repeat(1_000_000)).unwrap();
    // (How quickly is not asserted: a time limit in a debug build measures
    // the machine's load. A parser that recursed per bracket would
    // overflow its stack and be killed, which `check` fails on.)
    let r = check(&path);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
