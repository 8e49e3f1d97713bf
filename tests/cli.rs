//! The command-line contract (REGISTER.md §4): every command and format, the
//! JSON shapes, sorting, exit codes and error reporting.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{Run, TODAY, p, riskbench_in, root, run_command};

/// Runs riskbench from the crate root.
fn run(args: &[&str]) -> Run {
    run_command(riskbench_in(&root()), args)
}

fn spec_example() -> PathBuf {
    root().join("tests/fixtures/spec-example.ron")
}

fn check_fixture(name: &str) -> PathBuf {
    root().join(format!("tests/fixtures/check/{name}.ron"))
}

fn malformed_fixture(name: &str) -> PathBuf {
    root().join(format!("tests/fixtures/malformed/{name}.ron"))
}

/// `riskbench CMD FILE --today TODAY EXTRA…`, expecting exit 0.
fn ok(cmd: &str, file: &Path, extra: &[&str]) -> String {
    let mut args = vec![cmd, p(file), "--today", TODAY];
    args.extend_from_slice(extra);
    let r = run(&args);
    assert_eq!(
        r.code, 0,
        "riskbench {args:?} exited {}:\n{}",
        r.code, r.stderr
    );
    r.stdout
}

fn json(cmd: &str, file: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = ok(cmd, file, &args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

fn csv_records(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .expect("a CSV header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a CSV record").iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

/// Splits a Markdown table row into cells, honouring `\|` escapes.
fn md_cells(row: &str) -> Vec<String> {
    let inner = row
        .trim()
        .strip_prefix('|')
        .and_then(|r| r.strip_suffix('|'))
        .unwrap_or_else(|| panic!("not a table row: {row:?}"));
    let mut cells = vec![String::new()];
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next().expect("escape at end of row");
                cells.last_mut().unwrap().push(next);
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

/// The risks' ids from `risks --format json`, in output order.
fn risk_order(file: &Path, extra: &[&str]) -> Vec<String> {
    json("risks", file, extra)["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// A register exercising sorting, scope, justifications and escaping. R-005
/// is out of scope (its asset needs the `premises` factor, which is off).
///
/// | risk  | inherent | residual | target | next review |
/// |-------|----------|----------|--------|-------------|
/// | R-001 | 4×5=20   | 2×1=2    | 2×1=2  | 2027-09-01  |
/// | R-002 | 3×3=9    | 3×3=9    | 3×3=9  | 2027-03-30  |
/// | R-003 | 5×4=20   | 5×3=15   | 5×2=10 | never       |
/// | R-004 | 2×2=4    | 2×1=2    | 2×1=2  | 2027-11-15  |
const REGISTER: &str = r#"Register(
    schema: 1,
    name: "CLI fixture",
    method: (
        likelihood: ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
        impact: ["Negligible", "Minor", "Moderate", "Major", "Severe"],
        levels: [
            (name: "Low", up_to: 4, review_days: 365),
            (name: "Medium", up_to: 9, review_days: 180),
            (name: "High", up_to: 16, review_days: 90),
            (name: "Critical", up_to: 25, review_days: 30),
        ],
        appetite: 9,
    ),
    factors: [
        (id: "remote", label: "Remote work", on: true, requires: ["6.7", "5.23"]),
        (id: "cloud", label: "Uses cloud services", on: true, requires: ["5.23", "8.13"]),
        (id: "premises", label: "Operates its own premises", on: false, requires: ["7.1"]),
    ],
    assets: [
        (id: "A-01", name: "Customer database", kind: Information, owner: "Head of Data"),
        (id: "A-02", name: "Head office", kind: Site, owner: "COO", factor: Some("premises")),
    ],
    threats: [
        (id: "T-01", name: "Ransomware"),
        (id: "T-02", name: "Theft"),
    ],
    risks: [
        (
            id: "R-004",
            title: "Backup job silently fails",
            asset: "A-01",
            threat: "T-01",
            likelihood: 2,
            impact: 2,
            treatment: Modify,
            controls: ["8.13"],
            owner: "CTO",
            reviewed: Some("2026-11-15"),
        ),
        (
            id: "R-001",
            title: "Ransomware encrypts the customer database",
            asset: "A-01",
            threat: "T-01",
            likelihood: 4,
            impact: 5,
            treatment: Modify,
            controls: ["8.7", "8.13", "5.30"],
            owner: "CTO",
            reviewed: Some("2026-09-01"),
        ),
        (
            id: "R-003",
            title: "Recovery takes longer than customers tolerate",
            asset: "A-01",
            threat: "T-01",
            likelihood: 5,
            impact: 4,
            treatment: Modify,
            controls: ["5.30"],
            owner: "CISO",
        ),
        (
            id: "R-002",
            title: "Laptop \"lost\", not stolen | or was it?",
            asset: "A-01",
            threat: "T-02",
            likelihood: 3,
            impact: 3,
            treatment: Retain,
            owner: "COO",
            reviewed: Some("2026-10-01"),
        ),
        (
            id: "R-005",
            title: "Burglary at head office",
            asset: "A-02",
            threat: "T-02",
            likelihood: 5,
            impact: 5,
            treatment: Modify,
            controls: ["7.1", "8.7"],
            owner: "COO",
            reviewed: Some("2026-11-01"),
        ),
    ],
    controls: [
        (id: "8.7", status: Implemented, effectiveness: 80, owner: "IT lead"),
        (id: "8.13", status: Implemented, effectiveness: 80, owner: "SRE lead"),
        (id: "5.30", status: Partial, effectiveness: 60, owner: "COO"),
        (id: "6.7", status: Implemented, effectiveness: 70, owner: "HR lead"),
    ],
    decisions: [
        (control: "7.4", applicable: false, reason: "No own premises; shared office"),
        (control: "5.31", applicable: true, reason: "Legal: UK GDPR | \"DPA 2018\", contracts"),
        (control: "8.7", applicable: true, reason: "Contract: customer MSA"),
    ],
)
"#;

const R002_TITLE: &str = "Laptop \"lost\", not stolen | or was it?";
const R531_REASON: &str = "Legal: UK GDPR | \"DPA 2018\", contracts";

/// Writes `text` to a fresh temporary file; keep the guard alive.
fn temp_register(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.ron");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn control<'a>(soa: &'a Value, id: &str) -> &'a Value {
    soa["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no control {id} in the SoA"))
}

fn risk<'a>(risks: &'a Value, id: &str) -> &'a Value {
    risks["risks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no risk {id}"))
}

// ------------------------------------------------------------------ check

#[test]
fn check_text_lists_findings_and_a_summary() {
    let file = spec_example();
    let out = ok("check", &file, &[]);
    let lines: Vec<&str> = out.lines().collect();
    let (summary, findings) = lines.split_last().unwrap();
    // 87 controls undecided, and the SoA never approved (the example has
    // no baseline): `soa-unapproved`, about the SoA as a whole, placed at
    // the file's `baseline: None`; its two Implemented controls have no
    // evidence (`evidence-missing`, at their entries).
    assert!(
        summary.contains("0 errors, 90 warnings"),
        "summary: {summary}"
    );
    assert_eq!(findings.len(), 90);
    let (evidence, findings): (Vec<&str>, Vec<&str>) = findings
        .iter()
        .partition(|l| l.contains("warning[evidence-missing]"));
    assert_eq!(evidence.len(), 2, "{evidence:?}");
    assert!(evidence[0].contains(":48:10: warning[evidence-missing] 8.7: "));
    assert!(evidence[1].contains(":49:10: warning[evidence-missing] 8.13: "));
    let (soa, findings): (Vec<&str>, Vec<&str>) = findings
        .iter()
        .partition(|l| l.contains("warning[soa-unapproved]"));
    assert_eq!(
        soa,
        [format!(
            "{}:56:5: warning[soa-unapproved] soa: the SoA has never been approved: approve it once its decisions are made",
            p(&file)
        )]
    );
    for line in findings {
        // FILE:LINE:COL: warning[undecided-control] 5.1: …
        let rest = line.strip_prefix(&format!("{}:", p(&file))).unwrap();
        let (pos, rest) = rest.split_once(": ").unwrap();
        let (l, c) = pos.split_once(':').unwrap();
        assert!(
            l.parse::<u32>().is_ok() && c.parse::<u32>().is_ok(),
            "{line}"
        );
        assert!(rest.starts_with("warning[undecided-control] "), "{line}");
    }
}

#[test]
fn check_strict_fails_on_warnings() {
    let file = spec_example();
    let r = run(&["check", p(&file), "--strict", "--today", TODAY]);
    assert_eq!(r.code, 1);
}

#[test]
fn check_json_of_the_spec_example() {
    let doc = json("check", &spec_example(), &[]);
    assert_eq!(doc["errors"], serde_json::json!([]));
    let all = doc["warnings"].as_array().unwrap();
    // Besides the undecided controls: the SoA was never approved.
    let (soa, warnings): (Vec<&Value>, Vec<&Value>) =
        all.iter().partition(|w| w["code"] == "soa-unapproved");
    // And its two Implemented controls have no evidence.
    let (evidence, warnings): (Vec<&Value>, Vec<&Value>) = warnings
        .into_iter()
        .partition(|w| w["code"] == "evidence-missing");
    let evidence: Vec<&str> = evidence.iter().map(|w| w["at"].as_str().unwrap()).collect();
    assert_eq!(evidence, ["8.7", "8.13"]);
    assert_eq!(soa.len(), 1, "{all:#?}");
    assert_eq!(soa[0]["at"], "soa");
    assert!(warnings.iter().all(|w| w["code"] == "undecided-control"));
    let mut at: Vec<&str> = warnings.iter().map(|w| w["at"].as_str().unwrap()).collect();
    at.sort();
    let decided = ["5.23", "5.30", "5.31", "7.4", "8.13", "8.7"];
    assert_eq!(at.len(), 93 - decided.len());
    for id in decided {
        assert!(!at.contains(&id), "{id} is decided");
    }
    for w in warnings {
        assert!(w["message"].as_str().is_some_and(|m| !m.is_empty()), "{w}");
    }
}

#[test]
fn check_json_with_errors_exits_1() {
    let file = check_fixture("unknown-asset");
    let r = run(&["check", p(&file), "--format", "json", "--today", TODAY]);
    assert_eq!(r.code, 1);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["errors"][0]["code"], "unknown-asset");
    assert_eq!(doc["errors"][0]["at"], "R-002");
}

// -------------------------------------------------------------------- soa

const SOA_HEADERS: [&str; 6] = [
    "id",
    "theme",
    "title",
    "applicable",
    "status",
    "justification",
];

#[test]
fn soa_json_of_the_spec_example() {
    let soa = json("soa", &spec_example(), &[]);
    let controls = soa["controls"].as_array().unwrap();
    assert_eq!(controls.len(), 93);
    assert_eq!(controls[0]["id"], "5.1");
    assert_eq!(controls[92]["id"], "8.34");
    for c in controls {
        for key in [
            "id",
            "theme",
            "title",
            "applicable",
            "status",
            "justification",
        ] {
            assert!(c[key].is_string(), "{key} in {c}");
        }
        assert!(c["risks"].is_array() && c["factors"].is_array(), "{c}");
    }

    let expect = |id: &str, applicable: &str, status: &str, just: &str| {
        let c = control(&soa, id);
        assert_eq!(c["applicable"], applicable, "{id}: {c}");
        assert_eq!(c["status"], status, "{id}: {c}");
        assert_eq!(c["justification"], just, "{id}: {c}");
    };
    expect("8.7", "Yes", "Implemented", "Risks: R-001");
    expect("8.13", "Yes", "Implemented", "Risks: R-001");
    expect("5.30", "Yes", "Partial", "Risks: R-001");
    expect("5.23", "Yes", "NotStarted", "Factors: cloud");
    expect("5.31", "Yes", "NotStarted", "Legal: UK GDPR");
    expect("7.4", "No", "NotStarted", "No own premises; shared office");
    for id in ["8.7", "8.13", "5.30"] {
        assert_eq!(control(&soa, id)["risks"], serde_json::json!(["R-001"]));
        assert_eq!(control(&soa, id)["factors"], serde_json::json!([]));
    }
    assert_eq!(
        control(&soa, "5.23")["factors"],
        serde_json::json!(["cloud"])
    );
    // premises is off: 7.1–7.3 are not made applicable by it.
    for id in ["7.1", "7.2", "7.3"] {
        assert_eq!(control(&soa, id)["factors"], serde_json::json!([]));
    }

    let named = ["8.7", "8.13", "5.30", "5.23", "5.31", "7.4"];
    for c in controls {
        if !named.contains(&c["id"].as_str().unwrap()) {
            assert_eq!(c["applicable"], "Undecided", "{c}");
            assert_eq!(c["justification"], "", "{c}");
        }
    }
    assert_eq!(
        soa["summary"],
        serde_json::json!({"yes": 5, "no": 1, "undecided": 87, "implemented": 2})
    );

    let c = control(&soa, "8.13");
    assert_eq!(c["theme"], "Technological");
    assert_eq!(c["title"], "Information backup");
}

#[test]
fn soa_json_uses_in_scope_risks_factors_and_decisions() {
    let (_dir, file) = temp_register(REGISTER);
    let soa = json("soa", &file, &[]);
    let c = |id: &str| control(&soa, id).clone();
    // Factors sorted by id; risks sorted by id; the decision's reason last.
    assert_eq!(c("5.23")["factors"], serde_json::json!(["cloud", "remote"]));
    assert_eq!(c("5.23")["justification"], "Factors: cloud, remote");
    assert_eq!(c("8.13")["risks"], serde_json::json!(["R-001", "R-004"]));
    assert_eq!(
        c("8.13")["justification"],
        "Risks: R-001, R-004; Factors: cloud"
    );
    assert_eq!(c("5.30")["justification"], "Risks: R-001, R-003");
    assert_eq!(
        c("8.7")["justification"],
        "Risks: R-001; Contract: customer MSA"
    );
    assert_eq!(c("5.31")["justification"], R531_REASON);
    assert_eq!(c("6.7")["status"], "Implemented");
    // R-005 is out of scope: it neither makes 7.1 applicable nor shows in 8.7.
    assert_eq!(c("7.1")["applicable"], "Undecided");
    assert_eq!(c("7.1")["risks"], serde_json::json!([]));
    assert_eq!(c("8.7")["risks"], serde_json::json!(["R-001"]));
    assert_eq!(
        soa["summary"],
        serde_json::json!({"yes": 6, "no": 1, "undecided": 86, "implemented": 3})
    );
}

#[test]
fn soa_text() {
    let out = ok("soa", &spec_example(), &[]);
    let mut lines = out.lines();
    // The document says whether it is the approved SoA, then the table.
    assert!(lines.next().unwrap().starts_with("Draft: "), "{out}");
    assert_eq!(lines.next(), Some(""));
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, SOA_HEADERS);
    assert!(lines.next().unwrap().starts_with("----"));
    let row = out
        .lines()
        .find(|l| l.starts_with("8.13 "))
        .expect("a row for 8.13");
    for part in [
        "Technological",
        "Information backup",
        "Yes",
        "Implemented",
        "Risks: R-001",
    ] {
        assert!(row.contains(part), "{part} in {row:?}");
    }
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with(['5', '6', '7', '8']))
            .count(),
        93
    );
    assert!(
        out.contains("93 controls: 5 applicable (2 implemented), 1 excluded, 87 undecided"),
        "{out}"
    );
}

#[test]
fn soa_markdown() {
    let (_dir, file) = temp_register(REGISTER);
    let out = ok("soa", &file, &["--format", "md"]);
    let lines: Vec<&str> = out.lines().collect();
    // The approval line, a blank line, then the table.
    assert!(
        lines[0].starts_with("**") && lines[0].ends_with("**"),
        "{out}"
    );
    assert_eq!(lines[1], "");
    let lines = &lines[2..];
    assert_eq!(md_cells(lines[0]), SOA_HEADERS);
    assert_eq!(lines[1], "| --- | --- | --- | --- | --- | --- |");
    assert_eq!(lines.len(), 2 + 93, "{out}");
    for line in &lines[2..] {
        assert_eq!(md_cells(line).len(), 6, "{line}");
    }
    let row = lines
        .iter()
        .find(|l| l.starts_with("| 5.31 |"))
        .expect("a row for 5.31");
    assert!(row.contains(r"UK GDPR \| "), "`|` is escaped: {row}");
    let cells = md_cells(row);
    assert_eq!(cells[5], R531_REASON);
    assert_eq!(
        cells[2],
        "Legal, statutory, regulatory and contractual requirements"
    );
}

#[test]
fn soa_csv() {
    let (_dir, file) = temp_register(REGISTER);
    let out = ok("soa", &file, &["--format", "csv"]);
    let (headers, rows) = csv_records(&out);
    assert_eq!(headers, SOA_HEADERS);
    assert_eq!(rows.len(), 93);
    let row = rows.iter().find(|r| r[0] == "5.31").unwrap();
    assert_eq!(
        row[1..],
        [
            "Organizational",
            "Legal, statutory, regulatory and contractual requirements",
            "Yes",
            "NotStarted",
            R531_REASON,
        ]
    );
    let row = rows.iter().find(|r| r[0] == "7.4").unwrap();
    assert_eq!(row[3], "No");
    assert_eq!(row[5], "No own premises; shared office");
    let row = rows.iter().find(|r| r[0] == "5.1").unwrap();
    assert_eq!((row[3].as_str(), row[5].as_str()), ("Undecided", ""));
}

// ------------------------------------------------------------------ risks

#[test]
fn risks_json_of_the_spec_example() {
    let doc = json("risks", &spec_example(), &[]);
    assert_eq!(doc["risks"].as_array().unwrap().len(), 1);
    let r = risk(&doc, "R-001");
    assert_eq!(r["title"], "Ransomware encrypts the customer database");
    assert_eq!(r["asset"], "A-01");
    assert_eq!(r["threat"], "T-01");
    assert_eq!(r["treatment"], "Modify");
    assert_eq!(r["owner"], "CTO");
    assert_eq!(
        r["inherent"],
        serde_json::json!({"likelihood": 4, "impact": 5, "score": 20, "level": "Critical"})
    );
    assert_eq!(
        r["residual"],
        serde_json::json!({"likelihood": 2, "impact": 1, "score": 2, "level": "Low", "manual": false})
    );
    assert_eq!(
        r["target"],
        serde_json::json!({"likelihood": 2, "impact": 1, "score": 2, "level": "Low"})
    );
    assert_eq!(r["above_appetite"], false);
    // reviewed 2026-09-01 + 365 days (Low).
    assert_eq!(r["next_review"], "2027-09-01");
    assert_eq!(r["overdue"], false);
}

#[test]
fn risks_overdue_follows_today() {
    let file = spec_example();
    for (today, overdue) in [("2027-09-01", false), ("2027-09-02", true)] {
        let r = run(&["risks", p(&file), "--format", "json", "--today", today]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(risk(&doc, "R-001")["overdue"], overdue, "--today {today}");
    }
}

#[test]
fn risks_json_never_reviewed_above_appetite_and_out_of_scope() {
    let (_dir, file) = temp_register(REGISTER);
    let doc = json("risks", &file, &[]);
    let ids: Vec<&str> = doc["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["R-001", "R-002", "R-003", "R-004"],
        "R-005 is out of scope"
    );

    let r3 = risk(&doc, "R-003");
    assert_eq!(r3["next_review"], Value::Null);
    assert_eq!(r3["overdue"], true);
    assert_eq!(r3["above_appetite"], true);
    assert_eq!(
        r3["residual"],
        serde_json::json!({"likelihood": 5, "impact": 3, "score": 15, "level": "High", "manual": false})
    );
    assert_eq!(
        r3["target"],
        serde_json::json!({"likelihood": 5, "impact": 2, "score": 10, "level": "High"})
    );
    let r2 = risk(&doc, "R-002");
    assert_eq!(r2["title"], R002_TITLE);
    assert_eq!(r2["treatment"], "Retain");
    assert_eq!(
        r2["above_appetite"], false,
        "9 is not above an appetite of 9"
    );
    assert_eq!(r2["next_review"], "2027-03-30");
}

#[test]
fn risks_json_marks_a_manual_residual() {
    let text = std::fs::read_to_string(spec_example()).unwrap();
    let text = text.replace(
        "residual: None",
        r#"residual: Some((likelihood: 3, impact: 2, note: "After the pen test"))"#,
    );
    let (_dir, file) = temp_register(&text);
    let doc = json("risks", &file, &[]);
    let r = risk(&doc, "R-001");
    assert_eq!(
        r["residual"],
        serde_json::json!({"likelihood": 3, "impact": 2, "score": 6, "level": "Medium", "manual": true})
    );
    assert_eq!(r["target"]["score"], 2, "the target is always computed");
    // Medium reviews every 180 days: 2026-09-01 + 180.
    assert_eq!(r["next_review"], "2027-02-28");
}

#[test]
fn risks_text() {
    let (_dir, file) = temp_register(REGISTER);
    let out = ok("risks", &file, &[]);
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header[0], "id");
    assert!(header.contains(&"residual") && header.contains(&"next_review"));
    let row = |id: &str| {
        out.lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("no row {id}"))
    };
    assert!(row("R-001").contains("4×5=20 Critical"), "{}", row("R-001"));
    assert!(row("R-001").contains("2027-09-01"));
    assert!(row("R-003").contains("never"), "{}", row("R-003"));
    assert!(row("R-003").contains("overdue"), "{}", row("R-003"));
    assert!(row("R-002").contains(R002_TITLE));
    assert!(!out.contains("R-005"), "R-005 is out of scope");
}

#[test]
fn risks_markdown() {
    let (_dir, file) = temp_register(REGISTER);
    let out = ok("risks", &file, &["--format", "md"]);
    let lines: Vec<&str> = out.lines().collect();
    let headers = md_cells(lines[0]);
    assert_eq!(headers[0], "id");
    assert_eq!(
        lines[1],
        format!("|{}", " --- |".repeat(headers.len())),
        "separator row"
    );
    assert_eq!(lines.len(), 2 + 4);
    for line in &lines[2..] {
        assert_eq!(md_cells(line).len(), headers.len(), "{line}");
    }
    let row = lines.iter().find(|l| l.starts_with("| R-002 |")).unwrap();
    assert!(row.contains(r"not stolen \| or"), "{row}");
    let title = headers.iter().position(|h| h == "title").unwrap();
    assert_eq!(md_cells(row)[title], R002_TITLE);
}

#[test]
fn risks_csv() {
    let (_dir, file) = temp_register(REGISTER);
    let out = ok("risks", &file, &["--format", "csv"]);
    let (headers, rows) = csv_records(&out);
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {headers:?}"))
    };
    assert_eq!(headers[0], "id");
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["R-001", "R-002", "R-003", "R-004"]);
    let r2 = &rows[1];
    assert_eq!(r2[col("title")], R002_TITLE);
    assert_eq!(r2[col("treatment")], "Retain");
    let r1 = &rows[0];
    assert_eq!(r1[col("inherent_score")], "20");
    assert_eq!(r1[col("inherent_level")], "Critical");
    assert_eq!(r1[col("residual_score")], "2");
    assert_eq!(r1[col("residual_level")], "Low");
    assert_eq!(r1[col("target_score")], "2");
    assert_eq!(r1[col("next_review")], "2027-09-01");
    assert_eq!(rows[2][col("next_review")], "", "never reviewed");
}

#[test]
fn risks_sort_orders() {
    let (_dir, file) = temp_register(REGISTER);
    let order = |field: &str| risk_order(&file, &["--sort", field]);
    assert_eq!(risk_order(&file, &[]), ["R-001", "R-002", "R-003", "R-004"]);
    assert_eq!(order("id"), ["R-001", "R-002", "R-003", "R-004"]);
    // Scores highest first, ties by id.
    assert_eq!(order("inherent"), ["R-001", "R-003", "R-002", "R-004"]);
    assert_eq!(order("residual"), ["R-003", "R-002", "R-001", "R-004"]);
    assert_eq!(order("target"), ["R-003", "R-002", "R-001", "R-004"]);
    // Never reviewed first, then the earliest date.
    assert_eq!(order("next-review"), ["R-003", "R-002", "R-001", "R-004"]);
}

#[test]
fn risks_sort_accepts_the_field_name_next_review() {
    let (_dir, file) = temp_register(REGISTER);
    assert_eq!(
        risk_order(&file, &["--sort", "next_review"]),
        ["R-003", "R-002", "R-001", "R-004"]
    );
}

#[test]
fn risks_sort_applies_to_every_format() {
    let (_dir, file) = temp_register(REGISTER);
    let want = ["R-003", "R-002", "R-001", "R-004"];
    let csv = ok("risks", &file, &["--sort", "residual", "--format", "csv"]);
    let (_, rows) = csv_records(&csv);
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, want);
    let text = ok("risks", &file, &["--sort", "residual"]);
    let ids: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("R-"))
        .map(|l| &l[..5])
        .collect();
    assert_eq!(ids, want);
    let md = ok("risks", &file, &["--sort", "residual", "--format", "md"]);
    let ids: Vec<String> = md.lines().skip(2).map(|l| md_cells(l)[0].clone()).collect();
    assert_eq!(ids, want);
}

#[test]
fn risks_reverse() {
    let (_dir, file) = temp_register(REGISTER);
    for field in ["id", "inherent", "residual", "target", "next-review"] {
        let mut forward = risk_order(&file, &["--sort", field]);
        forward.reverse();
        assert_eq!(
            risk_order(&file, &["--sort", field, "--reverse"]),
            forward,
            "--sort {field} --reverse"
        );
    }
    assert_eq!(
        risk_order(&file, &["--reverse"]),
        ["R-004", "R-003", "R-002", "R-001"]
    );
}

// --------------------------------------------------------------- refusals

#[test]
fn soa_and_risks_refuse_a_register_with_errors() {
    let file = check_fixture("unknown-asset");
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("id: \"R-002\""))
        .unwrap()
        + 1;
    let col = text.lines().nth(line - 1).unwrap().find("id:").unwrap() + 1;
    let want = format!("{}:{line}:{col}: error[unknown-asset] R-002: ", p(&file));
    for cmd in ["soa", "risks"] {
        for format in ["text", "md", "csv", "json"] {
            let r = run(&[cmd, p(&file), "--format", format, "--today", TODAY]);
            assert_eq!(r.code, 1, "{cmd} --format {format}");
            assert!(r.stdout.is_empty(), "{cmd}: stdout {:?}", r.stdout);
            assert!(
                r.stderr.lines().any(|l| l.starts_with(&want)),
                "{cmd}: want {want:?} in stderr:\n{}",
                r.stderr
            );
        }
    }
}

#[test]
fn warnings_never_stop_soa_or_risks() {
    // The spec example has 87 undecided-control warnings.
    let file = spec_example();
    for cmd in ["soa", "risks"] {
        let r = run(&[cmd, p(&file), "--today", TODAY]);
        assert_eq!(r.code, 0, "{cmd}: {}", r.stderr);
    }
}

#[test]
fn malformed_input_exits_2_with_a_position() {
    let file = malformed_fixture("unknown-field");
    let want = format!("{}:30:13: ", p(&file));
    for cmd in ["check", "soa", "risks"] {
        let r = run(&[cmd, p(&file), "--today", TODAY]);
        assert_eq!(r.code, 2, "{cmd}");
        assert!(r.stderr.starts_with(&want), "{cmd}: {}", r.stderr);
        assert!(r.stderr.contains("vulnerabilty"), "{cmd}: {}", r.stderr);
    }
}

#[test]
fn a_missing_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("missing.ron");
    for cmd in ["check", "soa", "risks"] {
        let r = run(&[cmd, p(&file), "--today", TODAY]);
        assert_eq!(r.code, 2, "{cmd}");
        assert!(r.stderr.contains(p(&file)), "{cmd}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
}

#[test]
fn a_bad_today_exits_2() {
    let file = spec_example();
    for today in ["2026-13-01", "01/12/2026", "2026-2-3", "tomorrow", ""] {
        for cmd in ["check", "soa", "risks"] {
            let r = run(&[cmd, p(&file), "--today", today]);
            assert_eq!(r.code, 2, "{cmd} --today {today:?}");
            assert!(!r.stderr.is_empty());
        }
        let r = run(&["catalog", "backup", "--today", today]);
        assert_eq!(r.code, 2, "catalog --today {today:?}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let file = spec_example();
    for args in [
        vec!["check", p(&file), "--format", "md"],
        vec!["soa", p(&file), "--format", "yaml"],
        vec!["risks", p(&file), "--sort", "colour"],
        vec!["check"],
        vec!["check", p(&file), "--no-such-flag"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }
}

// ---------------------------------------------------------------- catalog

fn catalog_ids(query: &str) -> Vec<String> {
    let r = run(&["catalog", query, "--format", "json"]);
    assert_eq!(r.code, 0, "catalog {query}: {}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    doc["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn catalog_text_backup_finds_8_13_first() {
    let r = run(&["catalog", "backup"]);
    assert_eq!(r.code, 0);
    let first_row = r.stdout.lines().nth(2).expect("a result row");
    assert!(first_row.starts_with("8.13 "), "{}", r.stdout);
    assert!(first_row.contains("Information backup"));
}

#[test]
fn catalog_resolves_control_numbers() {
    for q in ["backup", "8.13", "813", "A.8.13"] {
        assert_eq!(
            catalog_ids(q).first().map(String::as_str),
            Some("8.13"),
            "{q}"
        );
    }
    for q in ["813", "A.8.13"] {
        let r = run(&["catalog", q]);
        assert_eq!(r.code, 0);
        assert!(
            r.stdout.lines().nth(2).unwrap().starts_with("8.13 "),
            "{q}: {}",
            r.stdout
        );
    }
}

#[test]
fn catalog_json_lists_all_93_controls() {
    let r = run(&["catalog", "--format", "json"]);
    assert_eq!(r.code, 0);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let controls = doc["controls"].as_array().unwrap();
    assert_eq!(controls.len(), 93);
    let mut themes = std::collections::BTreeMap::new();
    for c in controls {
        assert!(c["id"].is_string() && c["title"].is_string(), "{c}");
        assert!(c["new_in_2022"].is_boolean(), "{c}");
        let types = c["control_type"]
            .as_array()
            .expect("control_type is a list");
        assert!(!types.is_empty(), "{c}");
        for t in types {
            assert!(
                ["Preventive", "Detective", "Corrective"].contains(&t.as_str().unwrap()),
                "{c}"
            );
        }
        *themes
            .entry(c["theme"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    let themes: Vec<(String, i32)> = themes.into_iter().collect();
    assert_eq!(
        themes,
        [
            ("Organizational".to_string(), 37),
            ("People".to_string(), 8),
            ("Physical".to_string(), 14),
            ("Technological".to_string(), 34),
        ]
    );
    let new: Vec<&str> = controls
        .iter()
        .filter(|c| c["new_in_2022"] == true)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        new.len(),
        11,
        "ISO/IEC 27001:2022 added 11 controls: {new:?}"
    );
    for id in ["5.7", "5.23", "8.28"] {
        assert!(new.contains(&id), "{id}");
    }
    // The worked example's control types (REGISTER.md §2).
    let types = |id: &str| controls.iter().find(|c| c["id"] == id).unwrap()["control_type"].clone();
    assert_eq!(
        types("8.7"),
        serde_json::json!(["Preventive", "Detective", "Corrective"])
    );
    assert_eq!(types("8.13"), serde_json::json!(["Corrective"]));
    assert_eq!(types("5.30"), serde_json::json!(["Corrective"]));
}

#[test]
fn catalog_query_matching_nothing_exits_1() {
    for format in ["text", "json"] {
        let r = run(&["catalog", "zzqxjv", "--format", format]);
        assert_eq!(r.code, 1, "--format {format}");
    }
}

// -------------------------------------------------------------- northwind

#[test]
fn northwind_soa_lists_93_controls() {
    let file = root().join("registers/northwind.ron");
    let soa = json("soa", &file, &[]);
    assert_eq!(soa["controls"].as_array().unwrap().len(), 93);
    let s = &soa["summary"];
    let total = ["yes", "no", "undecided"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(total, 93, "{s}");
}

/// Northwind keeps three SoA changes waiting for approval and one overdue
/// action on purpose (the `diff`, plan and dashboard examples show them), so
/// `--strict` fails on exactly two warnings, `action-overdue` on ACT-112 and
/// `soa-unapproved`, as the README explains; nothing else.
#[test]
fn northwind_strict_check_reports_only_the_overdue_action_and_the_waiting_soa_changes() {
    let file = root().join("registers/northwind.ron");
    let r = run(&["check", p(&file), "--strict", "--today", TODAY]);
    assert_eq!(r.code, 1, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    let doc = json("check", &file, &[]);
    assert_eq!(doc["errors"], serde_json::json!([]));
    let warnings = doc["warnings"].as_array().unwrap();
    let found: Vec<(&str, &str)> = warnings
        .iter()
        .map(|w| (w["code"].as_str().unwrap(), w["at"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [("action-overdue", "ACT-112"), ("soa-unapproved", "soa")],
        "{warnings:#?}"
    );
}

// ------------------------------------------------------------ broken pipe

// `riskbench soa FILE | head -1` must not panic (it did: "failed printing to
// stdout: Broken pipe", exit 101).

#[test]
fn a_closed_stdout_is_not_a_panic() {
    use std::process::Stdio;
    let file = spec_example();
    for args in [
        vec!["soa", p(&file), "--today", TODAY],
        vec!["check", p(&file), "--today", TODAY],
        vec!["catalog"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("riskbench"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before riskbench writes anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}:\n{stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}:\n{stderr}");
    }
}

/// `soa`, `risks` and `plan` refuse a register with errors and place each
/// error exactly as `check` does, although a valid register's text is let
/// go before evaluation (the errors are placed from a second reading).
#[test]
fn refusing_commands_place_errors_like_check() {
    let file = root().join("tests/fixtures/check/effectiveness.ron");
    let check = run(&["check", p(&file), "--today", TODAY]);
    let error = check
        .stdout
        .lines()
        .find(|l| l.contains("error[effectiveness]"))
        .unwrap_or_else(|| panic!("{}", check.stdout))
        .to_string();
    assert!(error.starts_with(&format!("{}:", p(&file))), "{error}");
    for command in ["soa", "risks", "plan"] {
        let r = run(&[command, p(&file), "--today", TODAY]);
        assert_eq!(r.code, 1, "{command}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{command}: {}", r.stdout);
        assert!(
            r.stderr.lines().any(|l| l == error),
            "{command}: {error:?} not in\n{}",
            r.stderr
        );
    }
}
