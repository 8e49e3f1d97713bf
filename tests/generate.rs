//! `riskbench generate`: deterministic, valid at scale.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use assert_cmd::Command;
use riskbench::domain::Analysis;
use riskbench::domain::canonical::to_canonical;
use riskbench::domain::generate::generate;

#[test]
fn a_100000_risk_register_is_valid_and_reproducible() {
    let reg = generate(100_000, 42);
    assert_eq!(reg.risks.len(), 100_000);
    assert_eq!(reg.assets.len(), 5_000);
    assert_eq!(reg.threats.len(), 300);
    let a = Analysis::new(&reg, common::today());
    let errors: Vec<_> = a.errors().take(5).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // Realistic proportions: 0–5 controls per risk, mixed statuses.
    assert!(reg.risks.iter().all(|r| r.controls.len() <= 5));
    assert!(reg.risks.iter().any(|r| r.controls.is_empty()));
    assert!(reg.risks.iter().any(|r| r.controls.len() == 5));
    let text = to_canonical(&reg);
    assert_eq!(
        text,
        to_canonical(&generate(100_000, 42)),
        "same seed, same bytes"
    );
    assert_ne!(
        text,
        to_canonical(&generate(100_000, 43)),
        "another seed differs"
    );
}

#[test]
fn the_command_writes_identical_files_for_the_same_seed_and_they_pass_check() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.ron"), dir.path().join("b.ron"));
    for out in [&a, &b] {
        Command::cargo_bin("riskbench")
            .unwrap()
            .args(["generate", "--risks", "2000", "--seed", "9", "-o"])
            .arg(out)
            .assert()
            .success();
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    Command::cargo_bin("riskbench")
        .unwrap()
        .args(["check", "--today", "2026-12-01"])
        .arg(&a)
        .assert()
        .code(0);
}
