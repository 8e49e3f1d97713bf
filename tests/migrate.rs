//! `riskbench migrate`: ISO/IEC 27001:2013 → 2022 translation of a register
//! with the shipped mapping: one-to-many cases, merges of several 2013
//! controls into one 2022 control, ids that are not 2013 controls,
//! detection, and every control of the mapping.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::{Path, PathBuf};

use riskbench::domain::{
    Applicable, ControlStatus, Register, Risk, Threat, Treatment, canonical::to_canonical,
};

mod common;
use common::{Run, TODAY, p, root, run_today};

fn run(args: &[&str]) -> Run {
    let r = run_today(args);
    if args[0] == "migrate" {
        assert!(r.stdout.is_empty(), "the report goes to stderr");
    }
    r
}

const OLD: &str = "tests/fixtures/import/register-2013.ron";

fn load(path: &Path) -> Register {
    riskbench::store::load_file(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .register
}

fn controls<'r>(reg: &'r Register, risk: &str) -> Vec<&'r str> {
    reg.risks
        .iter()
        .find(|r| r.id == risk)
        .unwrap()
        .controls
        .iter()
        .map(|c| c.as_str())
        .collect()
}

#[test]
fn a_2013_register_is_detected_and_translated_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new.ron");
    let r = run(&["migrate", OLD, "-o", p(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let new = load(&out);
    let old = load(&root().join(OLD));

    // Risks: one-to-one, many-to-one (linked once) and one-to-many.
    assert_eq!(controls(&new, "R-001"), ["8.13", "5.29"]);
    assert_eq!(controls(&new, "R-002"), ["8.15", "8.5"]);
    assert_eq!(controls(&new, "R-003"), ["5.36", "8.8"]);
    assert_eq!(controls(&new, "R-004"), ["8.8"]);
    let acc = new.risks[2].acceptance.as_ref().unwrap();
    assert_eq!(
        acc.accepted_controls.as_deref(),
        Some(&["5.36".into(), "8.8".into()][..])
    );
    // Everything else about the risks is untouched.
    for (a, b) in old.risks.iter().zip(&new.risks) {
        assert_eq!(
            Risk {
                controls: vec![],
                acceptance: None,
                ..a.clone()
            },
            Risk {
                controls: vec![],
                acceptance: None,
                ..b.clone()
            }
        );
    }

    // Control states: merged with the weakest status and lowest
    // effectiveness; 18.2.3 lands on both 5.36 and 8.8.
    let states: Vec<(&str, ControlStatus, u32, &str)> = new
        .controls
        .iter()
        .map(|c| (c.id.as_str(), c.status, c.effectiveness, c.owner.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("8.13", ControlStatus::Implemented, 80, "Head of IT"),
            // 12.4.1 Implemented 80, 12.4.2 Partial 60, 12.4.3 Implemented 70
            ("8.15", ControlStatus::Partial, 60, "SOC lead"),
            ("5.36", ControlStatus::Implemented, 70, "CISO"),
            // 18.2.3 Implemented 70 + 12.6.1 Partial 50
            ("8.8", ControlStatus::Partial, 50, "CISO"),
        ]
    );
    assert_eq!(new.controls[1].note, "Logs not yet immutable");

    // Decisions: exclusions kept, conflicting ones become applicable.
    let decisions: Vec<(&str, bool, &str)> = new
        .decisions
        .iter()
        .map(|d| (d.control.as_str(), d.applicable, d.reason.as_str()))
        .collect();
    assert_eq!(
        decisions,
        [
            ("7.1", false, "No own premises; shared office"),
            (
                "7.2",
                false,
                "No own premises; shared office; No goods handled on site"
            ),
            ("7.10", true, "Archive boxes sent by courier"),
            ("5.31", true, "Legal: UK GDPR"),
        ]
    );
    assert_eq!(new.factors[0].requires, ["5.19", "5.20"]);
    let baseline: Vec<(&str, Applicable, ControlStatus)> = new
        .approved_baseline()
        .unwrap()
        .entries
        .iter()
        .map(|e| (e.control.as_str(), e.applicable, e.status))
        .collect();
    assert_eq!(
        baseline,
        [
            ("8.15", Applicable::Yes, ControlStatus::Partial),
            ("7.10", Applicable::Undecided, ControlStatus::NotStarted),
        ]
    );
    let last = new.history.last().unwrap();
    assert_eq!(last.by, "riskbench migrate");
    assert_eq!(last.on.to_string(), TODAY);

    // The report lists every translation and merge.
    let e = &r.stderr;
    for needle in [
        "26 of 26 control references are ISO/IEC 27001:2013 ids",
        "A.12.3.1 Information backup → 8.13  [risk R-001, controls[]]",
        "A.18.2.3 Technical compliance review → 5.36 + 8.8  [risk R-003, acceptance of R-003, controls[]]",
        "A.12.4.2 Protection of log information → 8.15  [controls[]]",
        "A.15.1.2 Addressing security within supplier agreements → 5.20  [factor suppliers]",
        "A.8.3.3 Physical media transfer → 7.10  [decisions, baseline]",
        "risk R-002: 12.4.1, 12.4.3 all become 8.15, linked once",
        "controls[] 8.15 ← 12.4.1 (Implemented, 80), 12.4.2 (Partial, 60), 12.4.3 (Implemented, 70): the weakest status Partial and the lowest effectiveness 60",
        "controls[] 8.8 ← 18.2.3 (Implemented, 70), 12.6.1 (Partial, 50): the weakest status Partial and the lowest effectiveness 50",
        "decision 7.10 ← 8.3.1 (excluded), 8.3.3 (applicable): they disagree; kept applicable",
        "baseline 8.15 ← 12.4.1 (Yes, Implemented), 12.4.3 (Yes, Partial)",
        "16 2013 controls translated into 12 2022 controls, 0 ids kept, 0 not recognised",
        "check: 0 errors",
    ] {
        assert!(e.contains(needle), "report lacks {needle:?}:\n{e}");
    }
    // The result is a valid 2022 register; the old file was not.
    assert_eq!(run(&["check", p(&out)]).code, 0);
    assert_eq!(run(&["check", OLD]).code, 1);
}

/// A register linking every 2013 control of the shipped mapping once.
fn every_2013_control() -> (Register, Vec<(String, Vec<String>)>) {
    let mut reader = csv::Reader::from_path(root().join("data/mapping-2013-2022.csv")).unwrap();
    let pairs: Vec<(String, Vec<String>)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].to_string(),
                r[2].split('|').map(str::to_string).collect(),
            )
        })
        .collect();
    let mut reg = load(&root().join(OLD));
    reg.factors.clear();
    reg.controls.clear();
    reg.decisions.clear();
    reg.baselines.clear();
    reg.threats = vec![Threat {
        source: String::new(),
        id: "T-01".into(),
        name: "Anything".into(),
        shift: 0,
    }];
    reg.risks = pairs
        .iter()
        .enumerate()
        .map(|(i, (old, _))| Risk {
            cia: Vec::new(),
            notes: Vec::new(),
            id: format!("R-{:03}", i + 1).into(),
            title: format!("Risk treated by A.{old}"),
            asset: "A-01".into(),
            threat: "T-01".into(),
            vulnerability: String::new(),
            likelihood: 3,
            impact: 3,
            treatment: Treatment::Modify,
            // Both spellings people use.
            controls: vec![if i % 2 == 0 {
                format!("A.{old}").into()
            } else {
                old.into()
            }],
            owner: "CISO".into(),
            reviewed: None,
            due: None,
            residual: None,
            acceptance: None,
            factor: None,
        })
        .collect();
    (reg, pairs)
}

#[test]
fn every_control_of_the_mapping_translates_to_its_targets() {
    let (reg, pairs) = every_2013_control();
    assert_eq!(pairs.len(), 114);
    let one_to_many: Vec<&(String, Vec<String>)> =
        pairs.iter().filter(|(_, t)| t.len() > 1).collect();
    assert_eq!(
        one_to_many,
        [&(
            "18.2.3".to_string(),
            vec!["5.36".to_string(), "8.8".to_string()]
        )],
        "the mapping's one-to-many cases"
    );
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("all-2013.ron");
    std::fs::write(&old, to_canonical(&reg)).unwrap();
    let out = dir.path().join("all-2022.ron");
    let r = run(&["migrate", p(&old), "-o", p(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let new = load(&out);
    for ((old_id, targets), risk) in pairs.iter().zip(&new.risks) {
        assert_eq!(&risk.controls, targets, "{old_id}");
        assert!(
            r.stderr.contains(&format!("A.{old_id} ")),
            "translation of {old_id} not reported"
        );
    }
    assert!(
        r.stderr.contains(
            "114 2013 controls translated into 82 2022 controls, 0 ids kept, 0 not recognised"
        ),
        "{}",
        r.stderr
    );
    // 82 distinct targets: 93 controls minus the 11 new in 2022.
    let mut all: Vec<&str> = new
        .risks
        .iter()
        .flat_map(|r| r.controls.iter().map(|c| c.as_str()))
        .collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 82);
    assert_eq!(run(&["check", p(&out)]).code, 0);
}

/// The fixture with two references that are not 2013 controls: `A.99.1`
/// in R-004 and `A.19.1.1` (shaped like one, but no such control) as a
/// decision.
fn with_unknown(dir: &Path) -> (PathBuf, String) {
    let text = std::fs::read_to_string(root().join(OLD))
        .unwrap()
        .replace(
            "controls: [\"A.12.6.1\"],",
            "controls: [\"A.12.6.1\", \"A.99.1\"],",
        )
        .replace(
            "        (control: \"A.18.1.1\",",
            "        (control: \"A.19.1.1\", applicable: true, reason: \"Typo\"),\n        (control: \"A.18.1.1\",",
        );
    assert!(text.contains("A.99.1") && text.contains("A.19.1.1"));
    let path = dir.join("old-with-unknown.ron");
    std::fs::write(&path, &text).unwrap();
    (path, text)
}

/// `LINE:COL` of the first `"id"` in `text`.
fn position(text: &str, id: &str) -> String {
    let at = text.find(&format!("\"{id}\"")).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{line}:{col}")
}

#[test]
fn ids_that_are_not_2013_controls_are_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (old, text) = with_unknown(dir.path());
    let out = dir.path().join("new.ron");
    let r = run(&["migrate", p(&old), "-o", p(&out)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!out.exists(), "nothing may be written");
    let e = &r.stderr;
    for needle in [
        format!(
            "{}:{}: \"A.99.1\" in risk R-004 is neither an ISO/IEC 27001:2013 nor a 2022 Annex A control",
            p(&old),
            position(&text, "A.99.1")
        ),
        format!(
            "{}:{}: \"A.19.1.1\" in decisions is neither an ISO/IEC 27001:2013 nor a 2022 Annex A control",
            p(&old),
            position(&text, "A.19.1.1")
        ),
        "2 not recognised".to_string(),
        "nothing written: 2 references are not ISO/IEC 27001:2013 controls".to_string(),
        "--skip-unknown".to_string(),
    ] {
        assert!(e.contains(&needle), "report lacks {needle:?}:\n{e}");
    }

    // With --skip-unknown: written, still reported, the ids left out.
    let r = run(&["migrate", p(&old), "-o", p(&out), "--skip-unknown"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("\"A.99.1\" in risk R-004 is neither"));
    assert!(
        r.stderr.contains(
            "left out (--skip-unknown): 2 references are not ISO/IEC 27001:2013 controls"
        )
    );
    let new = load(&out);
    assert_eq!(controls(&new, "R-004"), ["8.8"]);
    assert!(new.decisions.iter().all(|d| d.reason != "Typo"));
    assert_eq!(run(&["check", p(&out)]).code, 0);
}

#[test]
fn a_2022_register_needs_from_2013_and_then_keeps_its_ids() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("n.ron");
    let r = run(&["migrate", "registers/northwind.ron", "-o", p(&out)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not a 2013 register"), "{}", r.stderr);
    assert!(r.stderr.contains("--from 2013"));
    assert!(!out.exists());

    let r = run(&[
        "migrate",
        "registers/northwind.ron",
        "-o",
        p(&out),
        "--from",
        "2013",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("0 of "), "{}", r.stderr);
    assert!(r.stderr.contains("kept (already ISO/IEC 27001:2022 ids):"));
    let mut new = load(&out);
    let old = load(&root().join("registers/northwind.ron"));
    assert_eq!(new.history.len(), old.history.len() + 1);
    new.history.pop();
    assert_eq!(new, old, "2022 ids are kept as they are");

    let bad = run(&[
        "migrate",
        "registers/northwind.ron",
        "-o",
        p(&out),
        "--from",
        "2005",
    ]);
    assert_eq!(bad.code, 2);
}

#[test]
fn mostly_2022_with_a_few_2013_ids_is_not_detected_but_can_be_forced() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("registers/northwind.ron")).unwrap();
    let first = text.find("controls: [\"").unwrap() + "controls: [".len();
    let mixed = format!("{}\"A.12.3.1\", {}", &text[..first], &text[first..]);
    let old = dir.path().join("mixed.ron");
    std::fs::write(&old, mixed).unwrap();
    let out = dir.path().join("new.ron");
    assert_eq!(run(&["migrate", p(&old), "-o", p(&out)]).code, 2);
    let r = run(&["migrate", p(&old), "-o", p(&out), "--from", "2013"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("A.12.3.1 Information backup → 8.13  [risk R-001]")
    );
    assert!(load(&out).risks[0].controls.iter().any(|c| c == "8.13"));
}

#[test]
fn malformed_register_and_existing_output() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "Register(schema: 1, name: \"x\",").unwrap();
    let out = dir.path().join("out.ron");
    let r = run(&["migrate", p(&bad), "-o", p(&out)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(&format!("{}:", p(&bad))), "{}", r.stderr);
    assert!(!out.exists());

    std::fs::write(&out, "keep").unwrap();
    let r = run(&["migrate", OLD, "-o", p(&out)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already exists; pass --force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep");
    assert_eq!(run(&["migrate", OLD, "-o", p(&out), "--force"]).code, 0);
    assert_eq!(load(&out).name, "Harbour Freight ISMS (2013 controls)");
}

#[test]
fn dry_run_reports_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new.ron");
    let r = run(&["migrate", OLD, "-o", p(&out), "--dry-run"]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("dry run: nothing written"));
    assert!(!out.exists());
}
