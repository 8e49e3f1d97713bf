//! One fixture per `riskbench check` code (REGISTER.md §4), each triggering
//! exactly that code, with the finding's entity, position, exit code and text
//! rendering checked.
//!
//! The fixtures under `tests/fixtures/check/` share one shape: a 3×3 method
//! (appetite 4), a factor `baseline` that is on and requires every Annex A
//! control (so no control is left undecided and no `undecided-control` noise
//! hides other findings), one asset, one threat and a clean risk R-001. Each
//! fixture then adds just what its code needs. `clean.ron` is that base.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

mod common;
use common::{Run, TODAY, run_command};

fn run(args: &[&str]) -> Run {
    run_command(riskbench(), args)
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(format!("{name}.ron"))
}

fn riskbench() -> Command {
    Command::cargo_bin("riskbench").expect("the riskbench binary is built")
}

/// `check FILE --format json`, parsed; also returns the exit code.
fn check_json(name: &str, extra: &[&str]) -> (i32, Value) {
    let path = fixture(name);
    let path = path.to_str().unwrap();
    let mut args = vec!["check", path, "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    let r = run(&args);
    let doc: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("check --format json is not JSON ({e}):\n{}", r.stdout));
    (r.code, doc)
}

/// Every 1-based `(line, column)` where `needle` starts, outside `//` comment
/// lines. Columns count characters, like the tool's.
fn positions_of(text: &str, needle: &str) -> Vec<(u64, u64)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter_map(|(i, line)| {
            line.find(needle)
                .map(|b| (i as u64 + 1, line[..b].chars().count() as u64 + 1))
        })
        .collect()
}

fn position_of(text: &str, needle: &str) -> (u64, u64) {
    let all = positions_of(text, needle);
    assert!(!all.is_empty(), "fixture has no {needle:?}");
    all[0]
}

fn findings<'a>(doc: &'a Value, list: &str) -> &'a Vec<Value> {
    doc[list]
        .as_array()
        .unwrap_or_else(|| panic!("`{list}` is not an array in {doc:#}"))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sev {
    Error,
    Warning,
}

impl Sev {
    fn list(self) -> &'static str {
        match self {
            Sev::Error => "errors",
            Sev::Warning => "warnings",
        }
    }
    fn word(self) -> &'static str {
        match self {
            Sev::Error => "error",
            Sev::Warning => "warning",
        }
    }
}

/// Runs the whole battery for one fixture: JSON list and entity, position,
/// nothing but this code anywhere, exit codes with and without `--strict`,
/// and the text rendering.
///
/// `needles` are the texts one of which the position must point at (several
/// only when the entity legitimately occurs more than once).
fn assert_code(name: &str, code: &str, sev: Sev, at: &str, needles: &[&str]) {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    let (exit, doc) = check_json(name, &[]);

    let other = match sev {
        Sev::Error => Sev::Warning,
        Sev::Warning => Sev::Error,
    };
    let mine = findings(&doc, sev.list());
    assert!(
        findings(&doc, other.list()).is_empty(),
        "{name}: unexpected {}: {doc:#}",
        other.list()
    );
    assert!(
        mine.iter().all(|f| f["code"] == code),
        "{name}: only `{code}` findings were expected: {doc:#}"
    );
    let f = mine
        .iter()
        .find(|f| f["at"] == at)
        .unwrap_or_else(|| panic!("{name}: no `{code}` at {at:?}: {doc:#}"));
    assert!(
        f["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{name}: finding without a message: {f:#}"
    );

    let expected: Vec<(u64, u64)> = needles
        .iter()
        .flat_map(|n| positions_of(&text, n))
        .collect();
    assert!(!expected.is_empty(), "{name}: fixture lacks {needles:?}");
    let line = f["line"]
        .as_u64()
        .unwrap_or_else(|| panic!("{name}: finding has no line: {f:#}"));
    let column = f["column"]
        .as_u64()
        .unwrap_or_else(|| panic!("{name}: finding has no column: {f:#}"));
    assert!(
        expected.contains(&(line, column)),
        "{name}: `{code}` at {line}:{column}, expected one of {expected:?} ({needles:?})"
    );

    // Exit codes: errors always fail; warnings only with --strict.
    let (strict_exit, _) = check_json(name, &["--strict"]);
    match sev {
        Sev::Error => {
            assert_eq!(exit, 1, "{name}: errors must exit 1");
            assert_eq!(strict_exit, 1, "{name}: errors must exit 1 with --strict");
        }
        Sev::Warning => {
            assert_eq!(exit, 0, "{name}: warnings alone must exit 0");
            assert_eq!(strict_exit, 1, "{name}: warnings must exit 1 with --strict");
        }
    }

    // Text: FILE:LINE:COL: severity[code] AT: message
    let path = fixture(name);
    let path = path.to_str().unwrap();
    let r = run(&["check", path, "--today", TODAY]);
    assert_eq!(r.code, exit, "{name}: text and JSON exit codes differ");
    let prefix = format!("{path}:{line}:{column}: {}[{code}] {at}: ", sev.word());
    assert!(
        r.stdout.lines().any(|l| l.starts_with(&prefix)),
        "{name}: no line starting with {prefix:?} in:\n{}",
        r.stdout
    );
}

fn id(s: &str) -> String {
    format!("id: \"{s}\"")
}

fn control(s: &str) -> String {
    format!("control: \"{s}\"")
}

// ---------------------------------------------------------------- errors

#[test]
fn schema() {
    assert_code("schema", "schema", Sev::Error, "schema", &["schema:"]);
}

#[test]
fn duplicate_id() {
    // Both `id: "R-002"` lines are the entity; which one is reported is the
    // implementation's choice (today: the first).
    assert_code(
        "duplicate-id",
        "duplicate-id",
        Sev::Error,
        "R-002",
        &[&id("R-002")],
    );
}

#[test]
fn duplicate_id_in_linked_controls() {
    assert_code(
        "duplicate-id-linked",
        "duplicate-id",
        Sev::Error,
        "R-002",
        &[&id("R-002")],
    );
}

#[test]
fn duplicate_id_in_linked_controls_is_an_error() {
    // The part of the above that holds today: it is a duplicate-id error.
    let (exit, doc) = check_json("duplicate-id-linked", &[]);
    assert_eq!(exit, 1);
    let errors = findings(&doc, "errors");
    assert_eq!(errors.len(), 1, "{doc:#}");
    assert_eq!(errors[0]["code"], "duplicate-id");
    assert!(findings(&doc, "warnings").is_empty(), "{doc:#}");
}

#[test]
fn unknown_asset() {
    assert_code(
        "unknown-asset",
        "unknown-asset",
        Sev::Error,
        "R-002",
        &[&id("R-002")],
    );
}

#[test]
fn unknown_threat() {
    assert_code(
        "unknown-threat",
        "unknown-threat",
        Sev::Error,
        "R-002",
        &[&id("R-002")],
    );
}

#[test]
fn unknown_control() {
    assert_code(
        "unknown-control",
        "unknown-control",
        Sev::Error,
        "5.38",
        &[&id("5.38")],
    );
}

#[test]
fn unknown_factor() {
    assert_code(
        "unknown-factor",
        "unknown-factor",
        Sev::Error,
        "A-03",
        &[&id("A-03")],
    );
}

#[test]
fn scale() {
    assert_code("scale", "scale", Sev::Error, "R-002", &[&id("R-002")]);
}

#[test]
fn scale_of_the_method() {
    // A one-label scale is a method error; R-001's likelihood 2 then falls
    // outside it too, so two `scale` errors and nothing else.
    assert_code("scale-method", "scale", Sev::Error, "method", &["method:"]);
    let (_, doc) = check_json("scale-method", &[]);
    let ats: Vec<&str> = findings(&doc, "errors")
        .iter()
        .map(|f| f["at"].as_str().unwrap())
        .collect();
    assert_eq!(ats, ["method", "R-001"], "{doc:#}");
}

#[test]
fn levels() {
    assert_code("levels", "levels", Sev::Error, "method", &["method:"]);
}

#[test]
fn matrix() {
    assert_code("matrix", "matrix", Sev::Error, "method", &["method:"]);
}

#[test]
fn excluded_but_needed() {
    assert_code(
        "excluded-but-needed",
        "excluded-but-needed",
        Sev::Error,
        "8.13",
        &[&control("8.13")],
    );
    let (_, doc) = check_json("excluded-but-needed", &[]);
    let msg = doc["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("R-001"), "the message names the risk: {msg}");
}

#[test]
fn excluded_but_needed_by_a_factor() {
    assert_code(
        "excluded-but-needed-factor",
        "excluded-but-needed",
        Sev::Error,
        "5.23",
        &[&control("5.23")],
    );
    let (_, doc) = check_json("excluded-but-needed-factor", &[]);
    let msg = doc["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("cloud"), "the message names the factor: {msg}");
}

#[test]
fn excluded_but_needed_still_shows_as_no() {
    // SoA §3: the control still shows as No — but soa refuses a register
    // with errors, so this is only visible through check's exit code and
    // the summary line (92 applicable: 8.13 is not counted).
    let path = fixture("excluded-but-needed");
    let r = run(&["check", path.to_str().unwrap(), "--today", TODAY]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("92 controls applicable"),
        "summary: {}",
        r.stdout
    );
}

#[test]
fn empty_reason() {
    assert_code(
        "empty-reason",
        "empty-reason",
        Sev::Error,
        "5.31",
        &[&control("5.31")],
    );
}

#[test]
fn effectiveness() {
    assert_code(
        "effectiveness",
        "effectiveness",
        Sev::Error,
        "8.13",
        &[&id("8.13")],
    );
}

#[test]
fn acceptance_dates() {
    assert_code(
        "acceptance-dates",
        "acceptance-dates",
        Sev::Error,
        "R-002",
        &[&id("R-002")],
    );
}

// -------------------------------------------------------------- warnings

#[test]
fn undecided_control() {
    // 5.7 has a controls[] entry (so the finding can point at it) but no
    // risk, factor or decision.
    assert_code(
        "undecided-control",
        "undecided-control",
        Sev::Warning,
        "5.7",
        &[&id("5.7")],
    );
    let (_, doc) = check_json("undecided-control", &[]);
    assert_eq!(findings(&doc, "warnings").len(), 1, "{doc:#}");
}

#[test]
fn above_appetite_untreated() {
    assert_code(
        "above-appetite-untreated",
        "above-appetite-untreated",
        Sev::Warning,
        "R-002",
        &[&id("R-002")],
    );
}

#[test]
fn modify_without_controls() {
    assert_code(
        "modify-without-controls",
        "modify-without-controls",
        Sev::Warning,
        "R-002",
        &[&id("R-002")],
    );
}

#[test]
fn overdue_review() {
    assert_code(
        "overdue-review",
        "overdue-review",
        Sev::Warning,
        "R-002",
        &[&id("R-002")],
    );
}

#[test]
fn overdue_review_is_strictly_after_the_review_date() {
    // R-002 was reviewed 2025-01-15, Medium (180 days): due 2025-07-14.
    let path = fixture("overdue-review");
    let path = path.to_str().unwrap();
    for (today, overdue) in [("2025-07-14", false), ("2025-07-15", true)] {
        let r = run(&["check", path, "--format", "json", "--today", today]);
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        let has = findings(&doc, "warnings")
            .iter()
            .any(|f| f["code"] == "overdue-review" && f["at"] == "R-002");
        assert_eq!(has, overdue, "--today {today}: {doc:#}");
    }
}

#[test]
fn acceptance_expired() {
    assert_code(
        "acceptance-expired",
        "acceptance-expired",
        Sev::Warning,
        "R-002",
        &[&id("R-002")],
    );
}

#[test]
fn acceptance_expires_after_its_last_day() {
    // until: 2026-06-30 — still valid on that day.
    let path = fixture("acceptance-expired");
    let path = path.to_str().unwrap();
    for (today, expired) in [("2026-06-30", false), ("2026-07-01", true)] {
        let r = run(&["check", path, "--format", "json", "--today", today]);
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        let has = findings(&doc, "warnings")
            .iter()
            .any(|f| f["code"] == "acceptance-expired");
        assert_eq!(has, expired, "--today {today}: {doc:#}");
    }
}

#[test]
fn acceptance_stale() {
    assert_code(
        "acceptance-stale",
        "acceptance-stale",
        Sev::Warning,
        "R-002",
        &[&id("R-002")],
    );
}

#[test]
fn missing_owner() {
    assert_code(
        "missing-owner",
        "missing-owner",
        Sev::Warning,
        "R-002",
        &[&id("R-002")],
    );
}

#[test]
fn key_person() {
    // `at` is the owner; the position is that owner's first `owner:` entry.
    assert_code(
        "key-person",
        "key-person",
        Sev::Warning,
        "CTO",
        &["owner: \"CTO\""],
    );
    let text = std::fs::read_to_string(fixture("key-person")).unwrap();
    let (_, doc) = check_json("key-person", &[]);
    let f = &doc["warnings"][0];
    assert_eq!(
        (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()),
        position_of(&text, "owner: \"CTO\"")
    );
}

#[test]
fn treatment_overdue() {
    assert_code(
        "treatment-overdue",
        "treatment-overdue",
        Sev::Warning,
        "R-002",
        &[&id("R-002")],
    );
}

// ------------------------------------------------------------ clean ones

fn assert_clean(name: &str) {
    let (exit, doc) = check_json(name, &["--strict"]);
    assert!(findings(&doc, "errors").is_empty(), "{name}: {doc:#}");
    assert!(findings(&doc, "warnings").is_empty(), "{name}: {doc:#}");
    assert_eq!(exit, 0, "{name}: a clean register passes --strict");
}

#[test]
fn clean_register_passes_strict() {
    assert_clean("clean");
    let path = fixture("clean");
    let r = run(&[
        "check",
        path.to_str().unwrap(),
        "--strict",
        "--today",
        TODAY,
    ]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.is_empty(), "stderr: {}", r.stderr);
    assert!(
        r.stdout.contains("0 errors, 0 warnings"),
        "summary line: {}",
        r.stdout
    );
}

#[test]
fn retained_above_appetite_with_valid_acceptance_is_clean() {
    assert_clean("clean-accepted");
}

#[test]
fn owner_of_exactly_half_is_not_a_key_person() {
    assert_clean("clean-half-owner");
}

#[test]
fn every_fixture_is_exercised() {
    // Guards against a fixture added without a test (or a typo in a name).
    let known = [
        "clean",
        "clean-accepted",
        "clean-half-owner",
        "schema",
        "duplicate-id",
        "duplicate-id-linked",
        "unknown-asset",
        "unknown-threat",
        "unknown-control",
        "unknown-factor",
        "scale",
        "scale-method",
        "levels",
        "matrix",
        "excluded-but-needed",
        "excluded-but-needed-factor",
        "empty-reason",
        "effectiveness",
        "acceptance-dates",
        "undecided-control",
        "above-appetite-untreated",
        "modify-without-controls",
        "overdue-review",
        "acceptance-expired",
        "acceptance-stale",
        "missing-owner",
        "key-person",
        "treatment-overdue",
    ];
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut known: Vec<String> = known.iter().map(|s| s.to_string()).collect();
    known.sort();
    assert_eq!(found, known);
}
