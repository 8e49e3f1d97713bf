//! The shipped example registers: canonical, valid, and `fmt` behaves.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use assert_cmd::Command;

const TODAY: &str = "2026-12-01";

fn riskbench() -> Command {
    Command::cargo_bin("riskbench").unwrap()
}

fn shipped() -> Vec<std::path::PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/registers");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_shipped_register_is_canonical_and_has_no_errors() {
    let all = shipped();
    assert!(all.len() >= 4, "{all:?}");
    for path in all {
        riskbench()
            .arg("fmt")
            .arg("--check")
            .arg(&path)
            .assert()
            .code(0);
        riskbench()
            .args(["check", "--today", TODAY])
            .arg(&path)
            .assert()
            .code(0);
    }
}

/// Northwind's strict check fails only on its SoA changes waiting for
/// approval (tests/cli.rs checks that it is exactly that warning).
#[test]
fn nist_passes_strict_and_northwind_only_waits_for_soa_approval_and_one_overdue_action() {
    let out = riskbench()
        .args(["check", "--strict", "--today", TODAY])
        .arg(format!(
            "{}/registers/northwind.ron",
            env!("CARGO_MANIFEST_DIR")
        ))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("warning[soa-unapproved] soa: 3 controls changed since SoA version 3"),
        "{out}"
    );
    assert!(
        out.contains("warning[action-overdue] ACT-112: ACT-112 is Open and was due on 2026-11-15"),
        "{out}"
    );
    assert!(out.contains(": 0 errors, 2 warnings ("), "{out}");
    riskbench()
        .args(["check", "--strict", "--today", TODAY])
        .arg(format!(
            "{}/registers/nist-800-30.ron",
            env!("CARGO_MANIFEST_DIR")
        ))
        .assert()
        .code(0);
}

#[test]
fn fmt_rewrites_a_hand_edited_file_and_check_mode_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.ron");
    let canonical = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/spec-example.ron"
    ))
    .unwrap();
    // The spec's example omits the optional `factor` of its risk: not canonical.
    std::fs::write(&file, &canonical).unwrap();
    riskbench()
        .arg("fmt")
        .arg("--check")
        .arg(&file)
        .assert()
        .code(1);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        canonical,
        "--check changed the file"
    );
    riskbench().arg("fmt").arg(&file).assert().code(0);
    let rewritten = std::fs::read_to_string(&file).unwrap();
    assert_ne!(rewritten, canonical);
    assert!(rewritten.contains("            factor: None,\n"));
    riskbench()
        .arg("fmt")
        .arg("--check")
        .arg(&file)
        .assert()
        .code(0);
    // Same register, only the form changed.
    let a = riskbench::store::parse_str("a", &canonical)
        .unwrap()
        .register;
    let b = riskbench::store::parse_str("b", &rewritten)
        .unwrap()
        .register;
    assert_eq!(a, b);
}

#[test]
fn fmt_refuses_a_malformed_file_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.ron");
    std::fs::write(&file, "Register(schema: 1,, )").unwrap();
    let out = riskbench().arg("fmt").arg(&file).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("bad.ron:1:"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "Register(schema: 1,, )"
    );
}
