//! `riskbench approve FILE --by NAME [--note TEXT] [--plan]` and `riskbench
//! diff FILE --since N` (REGISTER.md §5 "Approving the SoA"): refused while
//! the register has errors or Undecided controls, the file untouched;
//! otherwise a new baseline (versions ascending, nothing ever removed) and
//! a history line; the plan's approval replaced, each one logged.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::{Path, PathBuf};

use riskbench::domain::Catalog;
use serde_json::Value;

mod common;
use common::{Run, TODAY, p, riskbench_in, run_command};

/// A small register in which every control is decided (by a decision or a
/// linked risk) and nothing is wrong. `extra_risk` is added to its risks;
/// the controls in `undecided` get no decision.
fn register_text(undecided: &[&str], extra_risk: &str) -> String {
    let decisions: Vec<String> = Catalog::annex_a()
        .controls()
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| !undecided.contains(id))
        .filter(|id| !["8.13", "8.7"].contains(id))
        .map(|id| {
            if id == "7.4" {
                format!(r#"        (control: "{id}", applicable: false, reason: "No premises"),"#)
            } else {
                format!(r#"        (control: "{id}", applicable: true, reason: "Policy"),"#)
            }
        })
        .collect();
    format!(
        r#"Register(
    schema: 2,
    name: "Approval fixture",
    method: (
        likelihood: ["Low", "Medium", "High"],
        impact: ["Low", "Medium", "High"],
        levels: [
            (name: "Low", up_to: 4, review_days: 365),
            (name: "High", up_to: 9, review_days: 90),
        ],
        matrix: None,
        appetite: 4,
    ),
    factors: [],
    assets: [(id: "A-01", name: "Customer database", kind: Information, owner: "Head of Data")],
    threats: [(id: "T-01", name: "Ransomware")],
    risks: [
        (id: "R-001", title: "Ransomware encrypts the database", asset: "A-01", threat: "T-01",
         likelihood: 3, impact: 3, treatment: Modify, controls: ["8.13", "8.7"], owner: "CTO",
         reviewed: Some("2026-11-01")),
{extra_risk}
    ],
    controls: [
        (id: "8.13", status: Partial, effectiveness: 50, owner: "SRE lead", note: ""),
        (id: "8.7", status: Planned, effectiveness: 50, owner: "SRE lead", note: ""),
    ],
    decisions: [
{}
    ],
    history: [],
)
"#,
        decisions.join("\n")
    )
}

/// A risk whose asset does not exist: error `unknown-asset`.
const BAD_RISK: &str = r#"        (id: "R-002", title: "Broken", asset: "A-99", threat: "T-01",
         likelihood: 1, impact: 1, treatment: Modify, controls: ["8.13"], owner: "CTO",
         reviewed: Some("2026-11-01")),"#;

fn write(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("reg.ron");
    std::fs::write(&path, text).unwrap();
    path
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_command(riskbench_in(dir), &[args, &["--today", TODAY]].concat())
}

fn approve(dir: &Path, file: &Path, more: &[&str]) -> Run {
    run(dir, &[&["approve", p(file)], more].concat())
}

/// The register as riskbench reads it.
fn load(file: &Path) -> riskbench::domain::Register {
    riskbench::store::load_file(file)
        .unwrap_or_else(|e| panic!("{e}"))
        .register
}

/// The text of baseline `version` in a canonical file: from its `(` line
/// to the line before the next baseline (or the end of the list).
fn baseline_block(text: &str, version: u32) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == format!("version: {version},"))
        .unwrap_or_else(|| panic!("no baseline {version} in\n{text}"));
    let start = at - 1;
    let end = (at..lines.len())
        .find(|&i| lines[i] == "        ),")
        .unwrap_or_else(|| panic!("baseline {version} does not end"));
    lines[start..=end].join("\n")
}

#[test]
fn approving_is_refused_while_the_register_has_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), &register_text(&[], BAD_RISK));
    let before = std::fs::read(&file).unwrap();
    let r = approve(dir.path(), &file, &["--by", "CEO"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The error as `check` prints it: FILE:LINE:COL, code, entity.
    assert!(
        r.stderr.contains("reg.ron:") && r.stderr.contains("error[unknown-asset] R-002"),
        "{}",
        r.stderr
    );
    let line = r
        .stderr
        .lines()
        .find(|l| l.contains("unknown-asset"))
        .unwrap();
    let pos: Vec<&str> = line.splitn(4, ':').collect();
    assert!(
        pos[1].parse::<u32>().is_ok() && pos[2].parse::<u32>().is_ok(),
        "FILE:LINE:COL: {line}"
    );
    assert!(
        r.stderr.contains("SoA not approved: 1 error"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is untouched"
    );
    assert!(!dir.path().join("reg.ron.bak").exists());

    // The plan is refused too.
    let r = approve(dir.path(), &file, &["--plan", "--by", "CEO"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("error[unknown-asset] R-002"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("plan not approved"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is untouched"
    );
}

#[test]
fn approving_is_refused_while_controls_are_undecided_and_names_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), &register_text(&["5.4", "6.3", "8.28"], ""));
    let before = std::fs::read(&file).unwrap();
    let r = approve(dir.path(), &file, &["--by", "CEO"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("3 controls Undecided: 5.4, 6.3, 8.28"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("SoA not approved: 3 controls Undecided"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is untouched"
    );

    // Undecided controls do not hold up the plan.
    let r = approve(dir.path(), &file, &["--plan", "--by", "CEO"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn approving_appends_version_one_with_today_the_approver_the_note_and_a_history_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), &register_text(&[], ""));
    let r = approve(
        dir.path(),
        &file,
        &["--by", " CEO ", "--note", "Management review"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("SoA v1 approved by CEO on 2026-12-01: "),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(dir.path().join("reg.ron.bak").exists(), "the old file kept");
    let reg = load(&file);
    assert_eq!(reg.baselines.len(), 1);
    let b = &reg.baselines[0];
    assert_eq!(b.version, 1);
    assert_eq!(b.approved.to_string(), TODAY);
    assert_eq!(b.by, "CEO");
    assert_eq!(b.note, "Management review");
    assert_eq!(b.entries.len(), 93, "every control");
    let e813 = b.entries.iter().find(|e| e.control == "8.13").unwrap();
    assert_eq!(e813.status.as_str(), "Partial");
    let last = reg.history.last().unwrap();
    assert_eq!(last.on.to_string(), TODAY);
    assert_eq!(last.by, "CEO");
    assert!(
        last.summary.starts_with("SoA v1 approved by CEO"),
        "{last:?}"
    );
    // Written in canonical schema 2, and now approved.
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("    schema: 2,"), "{text}");
    assert_eq!(
        text,
        riskbench::domain::canonical::to_canonical(&reg),
        "canonical"
    );
    let soa = run(dir.path(), &["soa", p(&file)]);
    assert!(
        soa.stdout
            .starts_with("Approved: version 1, 2026-12-01, by CEO"),
        "{}",
        soa.stdout
    );
}

#[test]
fn approving_twice_keeps_both_versions_ascending_and_the_first_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), &register_text(&[], ""));
    assert_eq!(approve(dir.path(), &file, &["--by", "CEO"]).code, 0);
    let first = std::fs::read_to_string(&file).unwrap();
    let v1 = baseline_block(&first, 1);
    // Backups are implemented, then the SoA is approved again.
    let text = first.replacen("status: Partial", "status: Implemented", 1);
    assert_ne!(text, first);
    std::fs::write(&file, &text).unwrap();
    let r = approve(dir.path(), &file, &["--by", "CISO", "--note", "Q4"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("SoA v2 approved by CISO on 2026-12-01: 1 status change"),
        "{}",
        r.stdout
    );
    let second = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        baseline_block(&second, 1),
        v1,
        "version 1 is kept as it was"
    );
    let reg = load(&file);
    let versions: Vec<u32> = reg.baselines.iter().map(|b| b.version).collect();
    assert_eq!(versions, [1, 2]);
    assert_eq!(reg.baselines[1].by, "CISO");
    assert_eq!(reg.baselines[1].note, "Q4");
    let status = |v: usize| {
        reg.baselines[v]
            .entries
            .iter()
            .find(|e| e.control == "8.13")
            .unwrap()
            .status
            .as_str()
    };
    assert_eq!((status(0), status(1)), ("Partial", "Implemented"));
    let lines: Vec<&str> = reg
        .history
        .iter()
        .map(|h| h.summary.as_str())
        .filter(|s| s.starts_with("SoA v"))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].starts_with("SoA v2 approved by CISO"), "{lines:?}");
}

#[test]
fn approve_plan_records_one_plan_approval_and_logs_each() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), &register_text(&[], ""));
    let r = approve(
        dir.path(),
        &file,
        &["--plan", "--by", "CEO", "--note", "Budget agreed"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("Plan approved by CEO on 2026-12-01"),
        "{}",
        r.stdout
    );
    let reg = load(&file);
    let a = reg.plan_approval.as_ref().unwrap();
    assert_eq!(
        (a.on.to_string().as_str(), a.by.as_str(), a.note.as_str()),
        (TODAY, "CEO", "Budget agreed")
    );
    assert!(
        reg.baselines.is_empty(),
        "the SoA is not approved by --plan"
    );
    assert_eq!(
        reg.history.last().unwrap().summary,
        "Plan approved by CEO: Budget agreed"
    );
    // A later approval replaces it; the history keeps both.
    let r = run_command(
        riskbench_in(dir.path()),
        &[
            "approve",
            p(&file),
            "--plan",
            "--by",
            "CFO",
            "--today",
            "2026-12-05",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reg = load(&file);
    let a = reg.plan_approval.as_ref().unwrap();
    assert_eq!(
        (a.on.to_string().as_str(), a.by.as_str()),
        ("2026-12-05", "CFO")
    );
    let logged: Vec<&str> = reg.history.iter().map(|h| h.summary.as_str()).collect();
    assert_eq!(
        logged,
        [
            "Plan approved by CEO: Budget agreed",
            "Plan approved by CFO"
        ]
    );
    let plan = run(dir.path(), &["plan", p(&file), "--format", "json"]);
    let v: Value = serde_json::from_str(&plan.stdout).unwrap();
    assert_eq!(v["approval"]["by"], "CFO");
}

#[test]
fn approve_needs_a_name_a_register_and_no_open_workbench() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), &register_text(&[], ""));
    let before = std::fs::read(&file).unwrap();
    for by in ["", "   "] {
        let r = approve(dir.path(), &file, &["--by", by]);
        assert_eq!(r.code, 2, "--by {by:?}: {}", r.stderr);
        assert!(r.stderr.contains("--by"), "{}", r.stderr);
    }
    // Not a register: exit 2 with the position, nothing written.
    let other = dir.path().join("notes.ron");
    std::fs::write(&other, "Just some notes\n").unwrap();
    let r = approve(dir.path(), &other, &["--by", "CEO"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("notes.ron:1:"), "{}", r.stderr);
    assert_eq!(std::fs::read(&other).unwrap(), b"Just some notes\n");
    // A workbench holds the lock: exit 2, nothing written.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join(".reg.ron.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    for more in [&["--by", "CEO"][..], &["--plan", "--by", "CEO"]] {
        let r = approve(dir.path(), &file, more);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("open in the riskbench workbench"),
            "{}",
            r.stderr
        );
    }
    drop(lock);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is untouched"
    );
    assert!(!dir.path().join("reg.ron.bak").exists());
}

/// The SoA ids `diff --format json` lists.
fn diff_ids(dir: &Path, file: &Path, more: &[&str]) -> Vec<String> {
    let r = run(
        dir,
        &[&["diff", p(file), "--format", "json"], more].concat(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    v["soa"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn diff_since_compares_with_the_chosen_version() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), &register_text(&[], ""));
    assert_eq!(approve(dir.path(), &file, &["--by", "CEO"]).code, 0);
    // v2: 8.13 implemented.
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "status: Partial",
        "status: Implemented",
        1,
    );
    std::fs::write(&file, text).unwrap();
    let r = run_command(
        riskbench_in(dir.path()),
        &["approve", p(&file), "--by", "CISO", "--today", "2026-12-02"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Since v2: 8.7 goes from Planned to Partial.
    let text =
        std::fs::read_to_string(&file)
            .unwrap()
            .replacen("status: Planned", "status: Partial", 1);
    std::fs::write(&file, text).unwrap();

    assert_eq!(
        diff_ids(dir.path(), &file, &["--since", "1"]),
        ["8.7", "8.13"]
    );
    assert_eq!(diff_ids(dir.path(), &file, &["--since", "2"]), ["8.7"]);
    assert_eq!(diff_ids(dir.path(), &file, &[]), ["8.7"], "the last one");
    let r = run(dir.path(), &["diff", p(&file), "--since", "1"]);
    assert!(
        r.stdout
            .starts_with("Changes from SoA v1 approved 2026-12-01 by CEO"),
        "{}",
        r.stdout
    );
    let r = run(dir.path(), &["diff", p(&file), "--since", "2"]);
    assert!(
        r.stdout
            .starts_with("Changes from SoA v2 approved 2026-12-02 by CISO"),
        "{}",
        r.stdout
    );
}

#[test]
fn diff_since_an_unknown_version_or_with_two_files_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), &register_text(&[], ""));
    let r = run(dir.path(), &["diff", p(&file), "--since", "1"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("never been approved"), "{}", r.stderr);
    assert_eq!(approve(dir.path(), &file, &["--by", "CEO"]).code, 0);
    assert_eq!(approve(dir.path(), &file, &["--by", "CEO"]).code, 0);
    let r = run(dir.path(), &["diff", p(&file), "--since", "7"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("no SoA version 7; the approved versions are 1, 2"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    let r = run(dir.path(), &["diff", p(&file), p(&file), "--since", "1"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--since"), "{}", r.stderr);
}
