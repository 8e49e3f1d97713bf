//! `riskbench diff` (REGISTER.md §3 and §4, issue 4): two registers, a
//! register against its approved SoA baseline, and a register against its
//! version at a git revision; text and JSON; `--exit-code`; refusal of
//! registers with errors and of malformed files.
//!
//! The two small fixtures (tests/fixtures/diff/small-*.ron) differ in every
//! kind of change at once: `cloud` on (5.23 Undecided → Yes), `lab` off
//! (A-02 and R-002 out of scope, 7.8 back to Undecided, 8.7 keeps only its
//! in-scope risks), T-01 shift +1 (R-001 and R-003 up, R-003 above
//! appetite) and a new asset A-03 with R-004 (added; 8.13 becomes Yes).
//! The numbers are worked out by hand in tests/changes.rs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

mod common;
use common::{Run, TODAY, p, riskbench_in, root, run_command};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/diff").join(name)
}

fn northwind() -> PathBuf {
    root().join("registers/northwind.ron")
}

fn northwind_text() -> String {
    std::fs::read_to_string(northwind()).unwrap()
}

/// Replaces `from` (which must occur exactly once) by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `riskbench ARGS --today TODAY` in `dir`.
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = riskbench_in(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_command(cmd, &[args, &["--today", TODAY]].concat())
}

fn run(args: &[&str]) -> Run {
    run_in(&root(), args, &[])
}

fn ok_json(r: &Run) -> Value {
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", r.stdout))
}

fn score(likelihood: u32, impact: u32, level: &str) -> Value {
    json!({"likelihood": likelihood, "impact": impact, "score": likelihood * impact, "level": level})
}

fn state(title: &str, inherent: Value, residual: Value, target: Value, above: bool) -> Value {
    let mut residual = residual;
    residual["manual"] = json!(false);
    json!({
        "title": title,
        "inherent": inherent,
        "residual": residual,
        "target": target,
        "above_appetite": above,
    })
}

fn soa_state(applicable: &str, status: &str) -> Value {
    json!({"applicable": applicable, "status": status})
}

// ------------------------------------------------------------ diff OLD NEW

#[test]
fn two_files_json_has_the_exact_shape() {
    let old = fixture("small-old.ron");
    let new = fixture("small-new.ron");
    let r = run(&["diff", p(&old), p(&new), "--format", "json"]);
    let v = ok_json(&r);
    let r1 = "Ransomware encrypts the customer database";
    let r3 = "Ransomware reaches the backups";
    let expected = json!({
        "risks": [
            {
                "id": "R-001",
                "change": "changed",
                "fields": ["inherent", "residual", "target"],
                "changes": [],
                "before": state(r1, score(4, 5, "Critical"), score(3, 4, "High"), score(2, 3, "Medium"), true),
                "after": state(r1, score(5, 5, "Critical"), score(4, 4, "High"), score(3, 3, "Medium"), true),
            },
            {
                "id": "R-002",
                "change": "removed",
                "fields": [],
                "changes": [],
                "before": state("A lab server fails", score(3, 3, "Medium"), score(2, 2, "Low"), score(1, 2, "Low"), false),
                "after": null,
            },
            {
                "id": "R-003",
                "change": "changed",
                "fields": ["inherent", "residual", "target", "above_appetite"],
                "changes": [],
                "before": state(r3, score(2, 4, "Medium"), score(2, 4, "Medium"), score(2, 4, "Medium"), false),
                "after": state(r3, score(3, 4, "High"), score(3, 4, "High"), score(3, 4, "High"), true),
            },
            {
                "id": "R-004",
                "change": "added",
                "fields": [],
                "changes": [],
                "before": null,
                "after": state("Payroll fraud", score(2, 3, "Medium"), score(2, 2, "Low"), score(1, 1, "Low"), false),
            },
        ],
        "soa": [
            {
                "id": "5.23",
                "before": soa_state("Undecided", "NotStarted"),
                "after": soa_state("Yes", "NotStarted"),
                "justification": {"before": "", "after": "Factors: cloud"},
            },
            {
                "id": "7.8",
                "before": soa_state("Yes", "Implemented"),
                "after": soa_state("Undecided", "Implemented"),
                "justification": {"before": "Risks: R-002", "after": ""},
            },
            {
                // Justification only: listed too, before == after.
                "id": "8.7",
                "before": soa_state("Yes", "Partial"),
                "after": soa_state("Yes", "Partial"),
                "justification": {"before": "Risks: R-001, R-002", "after": "Risks: R-001, R-004"},
            },
            {
                "id": "8.13",
                "before": soa_state("Undecided", "NotStarted"),
                "after": soa_state("Yes", "NotStarted"),
                "justification": {"before": "", "after": "Risks: R-004"},
            },
        ],
        "scope": [
            {"kind": "asset", "id": "A-02", "name": "Test lab servers", "change": "out-of-scope", "factor": "lab"},
            {"kind": "risk", "id": "R-002", "name": "A lab server fails", "change": "out-of-scope", "factor": "lab"},
        ],
    });
    // Everything else the register says (REGISTER.md §5): `{id, change,
    // fields, before, after}` per entity kind, every list present.
    let entity = |id: &str, change: &str, fields: &[&str]| {
        (
            id.to_string(),
            change.to_string(),
            fields.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
        )
    };
    let listed = |key: &str| -> Vec<(String, String, Vec<String>)> {
        v[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} is not a list"))
            .iter()
            .map(|e| {
                (
                    e["id"].as_str().unwrap().to_string(),
                    e["change"].as_str().unwrap().to_string(),
                    e["fields"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| f.as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect()
    };
    assert_eq!(
        listed("factors"),
        [
            entity("cloud", "changed", &["on"]),
            entity("lab", "changed", &["on"])
        ]
    );
    assert_eq!(listed("assets"), [entity("A-03", "added", &[])]);
    assert_eq!(listed("threats"), [entity("T-01", "changed", &["shift"])]);
    for key in [
        "register",
        "method",
        "controls",
        "decisions",
        "own_controls",
        "actions",
        "plan_approval",
        "conflicts",
        "baselines",
        "history",
        "risks_out_of_scope",
    ] {
        assert_eq!(listed(key), [], "{key}");
    }
    assert_eq!(v["threats"][0]["before"]["shift"], 0);
    assert_eq!(v["threats"][0]["after"]["shift"], 1);
    assert_eq!(v["assets"][0]["before"], Value::Null);
    assert_eq!(v["assets"][0]["after"]["name"], "Payroll system");
    let evaluated: serde_json::Map<String, Value> = v
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| ["risks", "soa", "scope"].contains(&k.as_str()))
        .map(|(k, x)| (k.clone(), x.clone()))
        .collect();
    assert_eq!(Value::Object(evaluated), expected, "{}", r.stdout);

    // Reversed: added ↔ removed, before ↔ after.
    let back = ok_json(&run(&["diff", p(&new), p(&old), "--format", "json"]));
    let changes: Vec<(&str, &str)> = back["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["change"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changes,
        [
            ("R-001", "changed"),
            ("R-002", "added"),
            ("R-003", "changed"),
            ("R-004", "removed")
        ]
    );
    assert_eq!(back["risks"][1]["before"], Value::Null);
    assert_eq!(back["risks"][1]["after"], expected["risks"][1]["before"]);
    assert_eq!(back["soa"][0]["before"], expected["soa"][0]["after"]);
    assert_eq!(back["scope"][0]["change"], "into-scope");
}

#[test]
fn two_files_text_reads_like_a_change_note() {
    let old = fixture("small-old.ron");
    let new = fixture("small-new.ron");
    let r = run(&["diff", p(&old), p(&new)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = &r.stdout;
    for want in [
        "Statement of Applicability: 3 changes",
        "(2 controls added, 1 control removed)",
        "5.23  Information security for use of cloud services: Undecided → Yes",
        "7.8   Equipment siting and protection: Yes → Undecided",
        "8.13  Information backup: Undecided → Yes",
        "Justification changes only: 1",
        "8.7   \"Risks: R-001, R-002\" → \"Risks: R-001, R-004\"",
        "Risks: 1 added, 1 removed, 2 changed",
        "R-001  Ransomware encrypts the customer database: inherent 4×5=20 Critical → 5×5=25 Critical; residual 3×4=12 High → 4×4=16 High",
        "R-002  A lab server fails: removed · was residual 2×2=4 Low",
        "R-003  Ransomware reaches the backups: inherent 2×4=8 Medium → 3×4=12 High",
        "now ABOVE appetite",
        "R-004  Payroll fraud: added · inherent 2×3=6 Medium",
        "Scope changed: tell the certification body",
        "A-02 Test lab servers: asset went out of scope (factor lab)",
        "R-002 A lab server fails: risk went out of scope (factor lab)",
    ] {
        assert!(t.contains(want), "missing {want:?} in:\n{t}");
    }
    // The sections come in a readable order.
    let at = |s: &str| t.find(s).unwrap();
    assert!(at("Statement of Applicability") < at("Justification changes only"));
    assert!(at("Justification changes only") < at("Risks:"));
    assert!(at("Risks:") < at("Scope changed"));
    assert!(t.starts_with("Changes from "), "{t}");
    assert!(!t.contains("\u{1b}"), "no terminal escapes in a pipe");
}

#[test]
fn identical_files_have_no_changes_and_exit_0_even_with_exit_code() {
    let old = fixture("small-old.ron");
    let r = run(&["diff", p(&old), p(&old), "--exit-code"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("No changes"), "{}", r.stdout);
    let v = ok_json(&run(&[
        "diff",
        p(&old),
        p(&old),
        "--format",
        "json",
        "--exit-code",
    ]));
    let lists: Vec<(&String, usize)> = v
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, x)| (k, x.as_array().map_or(usize::MAX, Vec::len)))
        .collect();
    assert!(lists.len() >= 13, "{v}");
    assert!(lists.iter().all(|(_, n)| *n == 0), "{v}");

    // Formatting alone is no change either.
    let dir = tempfile::tempdir().unwrap();
    let canon = riskbench::domain::canonical::to_canonical(
        &riskbench::store::load_file(&old).unwrap().register,
    );
    let copy = write(dir.path(), "canonical.ron", &canon);
    let r = run(&["diff", p(&old), p(&copy), "--exit-code"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn exit_code_is_1_only_when_asked_and_something_is_listed() {
    let old = fixture("small-old.ron");
    let new = fixture("small-new.ron");
    assert_eq!(run(&["diff", p(&old), p(&new)]).code, 0);
    assert_eq!(run(&["diff", p(&old), p(&new), "--exit-code"]).code, 1);
    let r = run(&["diff", p(&old), p(&new), "--format", "json", "--exit-code"]);
    assert_eq!(r.code, 1);
    // The output is still printed.
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["risks"].as_array().unwrap().len(), 4);

    // A justification-only change counts: it is listed.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(&old).unwrap();
    let linked = edit(
        &text,
        r#"likelihood: 2, impact: 4, treatment: Retain, owner: "CFO","#,
        r#"likelihood: 2, impact: 4, treatment: Retain, controls: ["8.7"], owner: "CFO","#,
    );
    let linked = write(dir.path(), "linked.ron", &linked);
    let r = run(&[
        "diff",
        p(&old),
        p(&linked),
        "--format",
        "json",
        "--exit-code",
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["soa"],
        json!([{
            "id": "8.7",
            "before": soa_state("Yes", "Partial"),
            "after": soa_state("Yes", "Partial"),
            "justification": {"before": "Risks: R-001, R-002", "after": "Risks: R-001, R-002, R-003"},
        }])
    );
    // Linking an 8.7 Partial to R-003 lowers its residual: 2×4 → 2×3.
    assert_eq!(v["risks"][0]["id"], "R-003");
    assert_eq!(v["risks"][0]["after"]["residual"]["score"], 6);
}

#[test]
fn a_threat_shift_on_northwind_changes_the_levels_of_its_risks() {
    // T-06 (R-006, R-034) shift 0 → +1. (No single +1 shift in northwind
    // crosses the appetite; the crossing is R-003 in the small fixtures.)
    let dir = tempfile::tempdir().unwrap();
    let text = edit(
        &northwind_text(),
        r#"(id: "T-06", name: "Cloud or SaaS service outage", shift: 0),"#,
        r#"(id: "T-06", name: "Cloud or SaaS service outage", shift: 1),"#,
    );
    let new = write(dir.path(), "shifted.ron", &text);
    let v = ok_json(&run(&[
        "diff",
        p(&northwind()),
        p(&new),
        "--format",
        "json",
    ]));
    let ids: Vec<&str> = v["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["R-006", "R-034"]);
    for r in v["risks"].as_array().unwrap() {
        assert_eq!(r["change"], "changed");
        let (b, a) = (&r["before"]["inherent"], &r["after"]["inherent"]);
        assert_eq!(
            a["likelihood"].as_u64().unwrap(),
            (b["likelihood"].as_u64().unwrap() + 1).min(5),
            "{r}"
        );
        assert_eq!(a["impact"], b["impact"]);
    }
    assert_eq!(v["soa"], json!([]));
    assert_eq!(v["scope"], json!([]));
    // R-006 stays above appetite; R-034 (Retain, no controls) goes from Low
    // to Medium.
    let (r6, r34) = (&v["risks"][0], &v["risks"][1]);
    assert_eq!(r6["before"]["above_appetite"], true);
    assert_eq!(r6["after"]["above_appetite"], true);
    assert_eq!(r34["before"]["residual"]["level"], "Low");
    assert_eq!(r34["after"]["residual"]["level"], "Medium");
    assert_eq!(r34["after"]["above_appetite"], false);
    let t = run(&["diff", p(&northwind()), p(&new)]).stdout;
    let line = t.lines().find(|l| l.contains("R-034")).unwrap();
    assert!(line.contains("→") && line.contains("Medium"), "{line}");
    assert!(!t.contains("appetite"), "no crossing:\n{t}");
}

// ------------------------------------------------------- diff FILE (baseline)

#[test]
fn one_file_compares_the_soa_with_its_baseline() {
    let r = run(&["diff", p(&northwind())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = &r.stdout;
    assert!(
        t.starts_with("Changes from SoA v3 approved 2026-06-15 by CEO to "),
        "{t}"
    );
    for want in [
        "Statement of Applicability: 3 changes",
        "(2 controls added, 1 status change)",
        "5.23  Information security for use of cloud services: Undecided → Yes; status NotStarted → Partial",
        "8.11  Data masking: No → Yes; status NotStarted → Partial",
        "8.12  Data leakage prevention: status Planned → Partial",
    ] {
        assert!(t.contains(want), "missing {want:?} in:\n{t}");
    }
    assert!(
        !t.contains("Risks:"),
        "no risk section against a baseline:\n{t}"
    );

    let mut v = ok_json(&run(&["diff", p(&northwind()), "--format", "json"]));
    // Against the baseline only the SoA is compared: every other list is
    // there, and empty.
    let obj = v.as_object_mut().unwrap();
    obj.retain(|k, x| ["risks", "soa", "scope"].contains(&k.as_str()) || x != &json!([]));
    assert_eq!(
        v,
        json!({
            "risks": [],
            "soa": [
                {"id": "5.23", "before": soa_state("Undecided", "NotStarted"), "after": soa_state("Yes", "Partial")},
                {"id": "8.11", "before": soa_state("No", "NotStarted"), "after": soa_state("Yes", "Partial")},
                {"id": "8.12", "before": soa_state("Yes", "Planned"), "after": soa_state("Yes", "Partial")},
            ],
            "scope": [],
        })
    );
    assert_eq!(run(&["diff", p(&northwind()), "--exit-code"]).code, 1);
}

#[test]
fn one_file_without_a_baseline_counts_every_applicable_control_as_new() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("small-old.ron")).unwrap();
    let start = text.find("    baselines: [").unwrap();
    let end = text.rfind(")\n").unwrap();
    let no_baseline = format!("{}{}", &text[..start], &text[end..]);
    let file = write(dir.path(), "none.ron", &no_baseline);
    let r = run(&["diff", p(&file)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("no approved SoA (no baseline yet)"),
        "{}",
        r.stdout
    );
    let v = ok_json(&run(&["diff", p(&file), "--format", "json"]));
    let ids: Vec<&str> = v["soa"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["7.8", "8.7"]);

    // The small register with its baseline: nothing.
    let r = run(&["diff", p(&fixture("small-old.ron")), "--exit-code"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("No changes"), "{}", r.stdout);
}

// --------------------------------------------------------- refusals

/// Northwind with `premises` on: 7.1–7.4 are excluded but needed (errors).
fn conflicting(dir: &Path) -> PathBuf {
    let text = edit(
        &northwind_text(),
        r#"(id: "premises", label: "Operates its own premises", on: false,"#,
        r#"(id: "premises", label: "Operates its own premises", on: true,"#,
    );
    write(dir, "conflict.ron", &text)
}

#[test]
fn a_register_with_errors_is_refused_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = conflicting(dir.path());
    for args in [
        vec!["diff", p(&northwind()), p(&bad)],
        vec!["diff", p(&bad), p(&northwind())],
        vec!["diff", p(&bad)],
        vec!["diff", p(&bad), "--format", "json", "--exit-code"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 1, "{args:?}:\n{}{}", r.stdout, r.stderr);
        assert!(r.stdout.is_empty(), "{args:?} printed:\n{}", r.stdout);
        assert!(
            r.stderr.contains("excluded-but-needed"),
            "{args:?}:\n{}",
            r.stderr
        );
        assert!(r.stderr.contains("conflict.ron:"), "{}", r.stderr);
        assert!(r.stderr.contains("has errors"), "{}", r.stderr);
    }
}

#[test]
fn an_error_names_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = edit(
        &northwind_text(),
        r#"asset: "A-03",
            threat: "T-03","#,
        r#"asset: "A-99",
            threat: "T-03","#,
    );
    let bad = write(dir.path(), "unknown.ron", &text);
    let r = run(&["diff", p(&northwind()), p(&bad)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line = r
        .stderr
        .lines()
        .find(|l| l.contains("unknown-asset"))
        .unwrap_or_else(|| panic!("{}", r.stderr));
    // FILE:LINE:COLUMN: …
    let rest = line.split("unknown.ron:").nth(1).unwrap();
    let mut parts = rest.splitn(3, ':');
    let (l, c) = (parts.next().unwrap(), parts.next().unwrap());
    assert!(
        l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok(),
        "{line}"
    );
    assert!(line.contains("A-99"), "{line}");
}

#[test]
fn a_malformed_file_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let text = edit(
        &std::fs::read_to_string(fixture("small-old.ron")).unwrap(),
        r#"(id: "T-02", name: "Hardware failure"),"#,
        r#"(id: "T-02", name: "Hardware failure", shfit: 1),"#,
    );
    let bad = write(dir.path(), "malformed.ron", &text);
    for args in [
        vec!["diff", p(&fixture("small-old.ron")), p(&bad)],
        vec!["diff", p(&bad), p(&fixture("small-old.ron"))],
        vec!["diff", p(&bad), "--exit-code"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}:\n{}{}", r.stdout, r.stderr);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        assert!(r.stderr.contains("malformed.ron:"), "{}", r.stderr);
        assert!(r.stderr.contains("shfit"), "{}", r.stderr);
    }
    // A file that does not exist, and no file at all.
    let r = run(&["diff", p(&dir.path().join("missing.ron"))]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("missing.ron"), "{}", r.stderr);
    assert_eq!(run(&["diff"]).code, 2);
}

#[test]
fn new_and_git_together_is_a_usage_error() {
    let r = run(&["diff", p(&northwind()), p(&northwind()), "--git", "HEAD"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--git"), "{}", r.stderr);
}

// --------------------------------------------------------------------- --git

/// Runs git in `dir` with a configuration of its own (no user or system
/// settings) and asserts success.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A repository with northwind committed as `isms/register.ron`, then
/// edited in the working tree (8.12 Partial → Implemented).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    git(d, &["config", "user.name", "Test User"]);
    git(d, &["config", "user.email", "test@example.com"]);
    git(d, &["config", "commit.gpgsign", "false"]);
    std::fs::create_dir(d.join("isms")).unwrap();
    write(&d.join("isms"), "register.ron", &northwind_text());
    git(d, &["add", "isms/register.ron"]);
    git(d, &["commit", "-q", "-m", "SoA v3"]);
    let edited = edit(
        &northwind_text(),
        r#"(id: "8.12", status: Partial,"#,
        r#"(id: "8.12", status: Implemented,"#,
    );
    write(&d.join("isms"), "register.ron", &edited);
    dir
}

fn git_env(dir: &Path) -> Vec<(&'static str, String)> {
    vec![
        (
            "GIT_CEILING_DIRECTORIES",
            dir.parent().unwrap().to_str().unwrap().to_string(),
        ),
        ("GIT_CONFIG_NOSYSTEM", "1".into()),
        ("GIT_CONFIG_GLOBAL", "/dev/null".into()),
    ]
}

/// Runs riskbench in `cwd` with git confined to `top` and below.
fn run_git(top: &Path, cwd: &Path, args: &[&str]) -> Run {
    let env = git_env(top);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run_in(cwd, args, &env)
}

#[test]
fn git_compares_with_the_committed_version() {
    let repo = repo();
    let d = repo.path();
    let r = run_git(d, d, &["diff", "isms/register.ron", "--git", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = &r.stdout;
    assert!(
        t.starts_with("Changes from isms/register.ron@HEAD to isms/register.ron"),
        "{t}"
    );
    assert!(t.contains("Statement of Applicability: 1 change"), "{t}");
    assert!(
        t.contains("8.12  Data leakage prevention: status Partial → Implemented"),
        "{t}"
    );
    // R-005, R-016 and R-033 link 8.12: their residual falls.
    assert!(t.contains("Risks: 0 added, 0 removed, "), "{t}");

    let r = run_git(
        d,
        d,
        &[
            "diff",
            "isms/register.ron",
            "--git",
            "HEAD",
            "--format",
            "json",
            "--exit-code",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["soa"],
        json!([{"id": "8.12", "before": soa_state("Yes", "Partial"), "after": soa_state("Yes", "Implemented")}])
    );
    assert!(!v["risks"].as_array().unwrap().is_empty());
    for r in v["risks"].as_array().unwrap() {
        assert_eq!(r["change"], "changed");
        assert!(
            r["after"]["residual"]["score"].as_u64() <= r["before"]["residual"]["score"].as_u64(),
            "{r}"
        );
    }

    // From inside the directory with a path relative to it, and from
    // outside the repository with an absolute path.
    let r = run_git(
        d,
        &d.join("isms"),
        &["diff", "register.ron", "--git", "HEAD"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("8.12"), "{}", r.stdout);
    let abs = d.join("isms/register.ron");
    let r = run_git(
        d,
        d.parent().unwrap(),
        &["diff", p(&abs), "--git", "HEAD", "--exit-code"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("8.12"), "{}", r.stdout);

    // Committed: no difference any more.
    git(d, &["commit", "-q", "-am", "8.12 implemented"]);
    let r = run_git(
        d,
        d,
        &["diff", "isms/register.ron", "--git", "HEAD", "--exit-code"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("No changes"), "{}", r.stdout);
    let r = run_git(
        d,
        d,
        &[
            "diff",
            "isms/register.ron",
            "--git",
            "HEAD~1",
            "--exit-code",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("8.12"), "{}", r.stdout);
}

#[test]
fn git_with_a_bad_revision_is_exit_2_with_a_clear_message() {
    let repo = repo();
    let d = repo.path();
    let r = run_git(d, d, &["diff", "isms/register.ron", "--git", "no-such-rev"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("isms/register.ron"), "{}", r.stderr);
    assert!(r.stderr.contains("no-such-rev"), "{}", r.stderr);
    assert!(r.stderr.contains("revision"), "{}", r.stderr);

    // A file that was never committed.
    write(&d.join("isms"), "other.ron", &northwind_text());
    let r = run_git(d, d, &["diff", "isms/other.ron", "--git", "HEAD"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("other.ron"), "{}", r.stderr);
}

#[test]
fn git_with_a_committed_register_that_has_errors_is_exit_1() {
    let repo = repo();
    let d = repo.path();
    let bad = conflicting(&d.join("isms"));
    std::fs::rename(&bad, d.join("isms/register.ron")).unwrap();
    git(d, &["commit", "-q", "-am", "premises on"]);
    std::fs::write(d.join("isms/register.ron"), northwind_text()).unwrap();
    let r = run_git(d, d, &["diff", "isms/register.ron", "--git", "HEAD"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("register.ron@HEAD"), "{}", r.stderr);
    assert!(r.stderr.contains("excluded-but-needed"), "{}", r.stderr);
}

#[test]
fn git_outside_a_repository_is_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = write(d, "register.ron", &northwind_text());
    assert!(!d.join(".git").exists());
    let r = run_git(d, d, &["diff", "register.ron", "--git", "HEAD"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("register.ron"), "{}", r.stderr);
    assert!(
        r.stderr.to_lowercase().contains("not a git repository"),
        "{}",
        r.stderr
    );
    let r = run_git(d, d.parent().unwrap(), &["diff", p(&file), "--git", "HEAD"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
}
