//! `riskbench plan FILE`: the risk treatment plan (REGISTER.md §5) as JSON,
//! CSV, text, Markdown, HTML and xlsx, checked against a hand-made schema-2
//! register whose summary was worked out by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::{Value, json};

mod common;
use common::{Run, p, riskbench_in, run_command};

/// The day of every run: ACT-02 is due on it (not overdue), ACT-01 the day
/// before (overdue).
const TODAY: &str = "2026-12-01";

/// Actions in every status. Worked out by hand:
/// - open: ACT-01, ACT-05; in progress: ACT-02; done: ACT-03; cancelled:
///   ACT-04; overdue: ACT-01 only (ACT-02 is due today, ACT-03 is done,
///   ACT-04 cancelled though long past due).
/// - effort_days: 3 (ACT-01) + 0 (ACT-02, none) + 2 (ACT-03) + 0 (ACT-05)
///   = 5; ACT-04's 10 is cancelled. cost: 1000 + 500 + 0 + 0 = 1500;
///   ACT-04's 9999 is cancelled.
/// - risks (in-scope Modify, by id): R-001 [ACT-01, ACT-02], R-002
///   [ACT-02, ACT-03], R-003 [ACT-04] (listed only by a cancelled action),
///   R-005 [] — not R-004 (Retain) nor R-006 (out of scope).
const PLAN: &str = r#"Register(
    schema: 2,
    name: "Plan fixture",
    method: (
        likelihood: ["Low", "Medium", "High"],
        impact: ["Low", "Medium", "High"],
        levels: [
            (name: "Low", up_to: 2, review_days: 365),
            (name: "Medium", up_to: 4, review_days: 180),
            (name: "High", up_to: 9, review_days: 90),
        ],
        matrix: None,
        appetite: 4,
    ),
    factors: [
        (id: "lab", label: "Runs a research lab", on: false, requires: []),
    ],
    assets: [
        (id: "A-01", name: "Customer database", kind: Information, owner: "Head of Data"),
        (id: "A-02", name: "Lab servers", kind: Hardware, owner: "Lab lead", factor: Some("lab")),
    ],
    threats: [
        (id: "T-01", name: "Ransomware"),
    ],
    risks: [
        (id: "R-002", title: "Laptop theft", asset: "A-01", threat: "T-01",
         likelihood: 2, impact: 2, treatment: Modify, controls: [], owner: "CFO"),
        (id: "R-001", title: "Ransomware encrypts the database", asset: "A-01", threat: "T-01",
         likelihood: 3, impact: 3, treatment: Modify, controls: ["8.13"], owner: "CTO"),
        (id: "R-003", title: "Supplier breach", asset: "A-01", threat: "T-01",
         likelihood: 3, impact: 2, treatment: Modify, controls: ["5.19"], owner: "COO"),
        (id: "R-004", title: "Accepted risk", asset: "A-01", threat: "T-01",
         likelihood: 1, impact: 1, treatment: Retain, controls: [], owner: "CTO"),
        (id: "R-005", title: "Unplanned risk", asset: "A-01", threat: "T-01",
         likelihood: 2, impact: 3, treatment: Modify, controls: ["8.7"], owner: "CTO"),
        (id: "R-006", title: "Lab risk", asset: "A-02", threat: "T-01",
         likelihood: 3, impact: 3, treatment: Modify, controls: [], owner: "Lab lead"),
    ],
    controls: [
        (id: "8.13", status: Partial, effectiveness: 50, owner: "SRE lead", note: ""),
    ],
    actions: [
        (id: "ACT-01", title: "Offline backups", risks: ["R-001"], controls: ["8.13", "8.7"],
         owner: "SRE lead", due: Some("2026-11-30"), status: Open,
         effort_days: Some(3), cost: Some(1000), note: "Quote from vendor"),
        (id: "ACT-02", title: "Disk encryption", risks: ["R-001", "R-002"], controls: ["8.1"],
         owner: "IT lead", due: Some("2026-12-01"), status: InProgress, cost: Some(500)),
        (id: "ACT-03", title: "Asset inventory", risks: ["R-002"], owner: "IT lead",
         due: Some("2026-11-01"), status: Done, done_on: Some("2026-11-15"), effort_days: Some(2)),
        (id: "ACT-04", title: "Supplier audit", risks: ["R-003"], controls: ["5.19"],
         owner: "COO", due: Some("2026-10-01"), status: Cancelled,
         effort_days: Some(10), cost: Some(9999)),
        (id: "ACT-05", title: "Awareness session", owner: "=HYPERLINK(1)", status: Open),
    ],
    APPROVAL
    history: [],
)
"#;

const APPROVED: &str =
    r#"plan_approval: Some((on: "2026-11-20", by: "CEO", note: "Budget agreed")),"#;

/// Writes the plan fixture (approved or not) into `dir`.
fn register(dir: &Path, approved: bool) -> PathBuf {
    let path = dir.join("plan.ron");
    let text = PLAN.replace("APPROVAL", if approved { APPROVED } else { "" });
    std::fs::write(&path, text).unwrap();
    path
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_command(riskbench_in(dir), &[args, &["--today", TODAY]].concat())
}

fn plan_json(dir: &Path, approved: bool) -> Value {
    let reg = register(dir, approved);
    let r = run(dir, &["plan", p(&reg), "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn json_summary_matches_the_hand_count() {
    let dir = tempfile::tempdir().unwrap();
    let v = plan_json(dir.path(), true);
    assert_eq!(
        v["summary"],
        json!({"open": 2, "in_progress": 1, "done": 1, "cancelled": 1, "overdue": 1,
               "effort_days": 5, "cost": 1500})
    );
}

#[test]
fn json_actions_are_in_file_order_with_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let v = plan_json(dir.path(), true);
    let actions = v["actions"].as_array().unwrap();
    let ids: Vec<&str> = actions.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ACT-01", "ACT-02", "ACT-03", "ACT-04", "ACT-05"]);
    assert_eq!(
        actions[0],
        json!({"id": "ACT-01", "title": "Offline backups", "risks": ["R-001"],
               "controls": ["8.13", "8.7"], "owner": "SRE lead", "due": "2026-11-30",
               "status": "Open", "done_on": null, "effort_days": 3, "cost": 1000,
               "overdue": true})
    );
    // Due today is not overdue.
    assert_eq!(actions[1]["due"], "2026-12-01");
    assert_eq!(actions[1]["overdue"], false);
    assert_eq!(actions[1]["effort_days"], Value::Null);
    assert_eq!(actions[2]["done_on"], "2026-11-15");
    assert_eq!(actions[2]["overdue"], false);
    // Cancelled long past due: not overdue.
    assert_eq!(actions[3]["status"], "Cancelled");
    assert_eq!(actions[3]["overdue"], false);
    assert_eq!(actions[4]["due"], Value::Null);
    assert_eq!(actions[4]["overdue"], false);
    // JSON is exact: no formula neutralising there.
    assert_eq!(actions[4]["owner"], "=HYPERLINK(1)");
}

#[test]
fn json_risks_are_the_in_scope_modify_risks_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let v = plan_json(dir.path(), true);
    let risks = v["risks"].as_array().unwrap();
    let got: Vec<(&str, Vec<&str>)> = risks
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("R-001", vec!["ACT-01", "ACT-02"]),
            ("R-002", vec!["ACT-02", "ACT-03"]),
            // Listed only by a cancelled action: still shown.
            ("R-003", vec!["ACT-04"]),
            ("R-005", vec![]),
        ]
    );
    assert_eq!(risks[0]["title"], "Ransomware encrypts the database");
    assert_eq!(risks[0]["owner"], "CTO");
    assert_eq!(risks[0]["treatment"], "Modify");
    // residual and target have the shape (and values) of the risks JSON.
    let reg = dir.path().join("plan.ron");
    let r = run(dir.path(), &["risks", p(&reg), "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let all: Value = serde_json::from_str(&r.stdout).unwrap();
    for risk in risks {
        let same = all["risks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == risk["id"])
            .unwrap();
        assert_eq!(risk["residual"], same["residual"], "{}", risk["id"]);
        assert_eq!(risk["target"], same["target"], "{}", risk["id"]);
        assert!(risk["residual"]["manual"].is_boolean());
    }
}

#[test]
fn json_approval_is_null_without_one_and_the_object_with_one() {
    let dir = tempfile::tempdir().unwrap();
    let v = plan_json(dir.path(), true);
    assert_eq!(
        v["approval"],
        json!({"on": "2026-11-20", "by": "CEO", "note": "Budget agreed"})
    );
    let v = plan_json(dir.path(), false);
    assert!(v["approval"].is_null(), "{}", v["approval"]);
    assert!(v.as_object().unwrap().contains_key("approval"));
}

#[test]
fn csv_has_one_row_per_action_with_joined_lists() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path(), true);
    let r = run(dir.path(), &["plan", p(&reg), "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    let headers: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "id",
            "title",
            "risks",
            "controls",
            "owner",
            "due",
            "status",
            "done_on",
            "effort_days",
            "cost",
            "overdue"
        ]
    );
    let rows: Vec<Vec<String>> = rd
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(
        rows[0],
        [
            "ACT-01",
            "Offline backups",
            "R-001",
            "8.13; 8.7",
            "SRE lead",
            "2026-11-30",
            "Open",
            "",
            "3",
            "1000",
            "true"
        ]
    );
    assert_eq!(rows[1][2], "R-001; R-002");
    assert_eq!(rows[1][8], "");
    assert_eq!(rows[2][7], "2026-11-15");
    // A cell a spreadsheet would run as a formula is neutralised.
    assert_eq!(rows[4][4], "'=HYPERLINK(1)");
}

#[test]
fn text_and_markdown_say_approved_or_draft() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["text", "md"] {
        let reg = register(dir.path(), true);
        let r = run(dir.path(), &["plan", p(&reg), "--format", format]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains("Approved: 2026-11-20 by CEO"),
            "{format}:\n{}",
            r.stdout
        );
        assert!(!r.stdout.contains("Draft"), "{format}");
        for id in ["ACT-01", "ACT-05", "R-003"] {
            assert!(r.stdout.contains(id), "{format} lacks {id}:\n{}", r.stdout);
        }
        let reg = register(dir.path(), false);
        let r = run(dir.path(), &["plan", p(&reg), "--format", format]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains("Draft: not approved"),
            "{format}:\n{}",
            r.stdout
        );
        assert!(!r.stdout.contains("Approved:"), "{format}");
    }
    // The text header is the first line after the title.
    let reg = register(dir.path(), true);
    let r = run(dir.path(), &["plan", p(&reg)]);
    let head: Vec<&str> = r.stdout.lines().take(3).collect();
    assert!(
        head.iter()
            .any(|l| l.contains("Approved: 2026-11-20 by CEO")),
        "{head:?}"
    );
    assert!(r.stdout.contains("Overdue"), "{}", r.stdout);
}

#[test]
fn html_holds_the_actions_says_approved_and_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path(), true);
    let out = dir.path().join("plan.html");
    let r = run(
        dir.path(),
        &["plan", p(&reg), "--format", "html", "-o", p(&out)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let page = std::fs::read_to_string(&out).unwrap();
    for id in [
        "ACT-01", "ACT-02", "ACT-03", "ACT-04", "ACT-05", "R-001", "R-003",
    ] {
        assert!(page.contains(id), "the page lacks {id}");
    }
    assert!(page.contains("Approved: 2026-11-20 by CEO"));
    assert!(page.contains("=HYPERLINK(1)"));
    let lower = page.to_lowercase();
    for banned in [
        "http", "<script", "src=", "href=", "<link", "@import", "url(", "<img", "<iframe",
    ] {
        assert!(!lower.contains(banned), "the page contains {banned:?}");
    }
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));

    let reg = register(dir.path(), false);
    let r = run(
        dir.path(),
        &[
            "plan",
            p(&reg),
            "--format",
            "html",
            "-o",
            p(&out),
            "--force",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.contains("Draft: not approved"));
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

#[test]
fn xlsx_is_written_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path(), true);
    let out = dir.path().join("plan.xlsx");
    let r = run(
        dir.path(),
        &["plan", p(&reg), "--format", "xlsx", "-o", p(&out)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["Plan", "Risks", "Method"]);
    let plan = wb.worksheet_range("Plan").unwrap();
    // Row 0: title; row 1: approval; row 3: headers; actions from row 4.
    assert!(cell(&plan, 1, 0).contains("Approved: 2026-11-20 by CEO"));
    assert_eq!(cell(&plan, 3, 0), "ID");
    let ids: Vec<String> = (4..9).map(|r| cell(&plan, r, 0)).collect();
    assert_eq!(ids, ["ACT-01", "ACT-02", "ACT-03", "ACT-04", "ACT-05"]);
    assert_eq!(cell(&plan, 4, 2), "R-001");
    assert_eq!(cell(&plan, 5, 2), "R-001; R-002");
    assert_eq!(cell(&plan, 8, 4), "=HYPERLINK(1)");
    let risks = wb.worksheet_range("Risks").unwrap();
    assert_eq!(cell(&risks, 0, 0), "ID");
    assert_eq!(cell(&risks, 3, 0), "R-003");
    assert_eq!(cell(&risks, 3, cell_col(&risks, "Actions")), "ACT-04");

    let reg = register(dir.path(), false);
    let r = run(
        dir.path(),
        &[
            "plan",
            p(&reg),
            "--format",
            "xlsx",
            "-o",
            p(&out),
            "--force",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let plan = wb.worksheet_range("Plan").unwrap();
    assert!(cell(&plan, 1, 0).contains("Draft: not approved"));
}

fn cell_col(range: &calamine::Range<Data>, header: &str) -> u32 {
    (0..range.width() as u32)
        .find(|&c| cell(range, 0, c) == header)
        .unwrap_or_else(|| panic!("no column {header}"))
}

#[test]
fn documents_need_an_output_file_and_never_replace_a_register() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path(), true);
    for format in ["xlsx", "html"] {
        let r = run(dir.path(), &["plan", p(&reg), "--format", format]);
        assert_eq!(r.code, 2, "{format}");
        assert!(
            r.stderr.contains(&format!(
                "--format {format}: a document is written to a file; give it with -o FILE"
            )),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
    // -o on a register: refused, even with --force; the register untouched.
    let before = std::fs::read(&reg).unwrap();
    for format in ["json", "html"] {
        let r = run(
            dir.path(),
            &[
                "plan",
                p(&reg),
                "--format",
                format,
                "-o",
                p(&reg),
                "--force",
            ],
        );
        assert_eq!(r.code, 2, "{format}: {}", r.stderr);
        assert_eq!(std::fs::read(&reg).unwrap(), before);
    }
    // An existing file is replaced only with --force.
    let out = dir.path().join("plan.csv");
    std::fs::write(&out, "keep").unwrap();
    let r = run(
        dir.path(),
        &["plan", p(&reg), "--format", "csv", "-o", p(&out)],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep");
    let r = run(
        dir.path(),
        &["plan", p(&reg), "--format", "csv", "-o", p(&out), "--force"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The file holds what stdout would have.
    let printed = run(dir.path(), &["plan", p(&reg), "--format", "csv"]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), printed.stdout);
}

#[test]
fn a_register_with_errors_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    let text = PLAN.replace("APPROVAL", "").replace(
        r#"risks: ["R-003"], controls: ["5.19"]"#,
        r#"risks: ["R-404"], controls: ["5.19"]"#,
    );
    std::fs::write(&path, text).unwrap();
    let out = dir.path().join("plan.html");
    for (format, o) in [("json", None), ("html", Some(&out))] {
        let mut args = vec!["plan", p(&path), "--format", format];
        if let Some(o) = o {
            args.extend(["-o", p(o)]);
        }
        let r = run(dir.path(), &args);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(r.stdout.is_empty());
        assert!(
            r.stderr
                .contains("bad.ron:50:10: error[unknown-risk] ACT-04"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("has errors"), "{}", r.stderr);
    }
    assert!(!out.exists());
}

#[test]
fn malformed_input_and_bad_usage_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, "Register(schema: 2, name: ").unwrap();
    let r = run(dir.path(), &["plan", p(&path)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("broken.ron:1:26:"), "{}", r.stderr);
    let reg = register(dir.path(), true);
    let r = run(dir.path(), &["plan", p(&reg), "--format", "pdf"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(dir.path(), &["plan", p(&dir.path().join("missing.ron"))]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
