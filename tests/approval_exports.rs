//! Documents say whether they are approved (REGISTER.md §5): every SoA
//! export (text, md, html, xlsx) states `Approved: version N, DATE, by
//! NAME`, `Draft: K changes since version N (DATE, NAME)` or `Draft: no
//! approved version`; the plan's documents state the plan's approval; and
//! the html and xlsx documents of both carry the method (the SoA workbook
//! on its "Method" sheet since issue 16) — the scales with
//! their criteria, the levels with their score ranges, review interval and
//! who may accept them, the appetite.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use riskbench::domain::Catalog;

mod common;
use common::{Run, TODAY, p, riskbench_in, run_command};

/// Every control decided, nothing wrong; likelihood criteria written down,
/// impact criteria not; High accepted by the CEO or the CFO only.
fn register_text() -> String {
    let decisions: Vec<String> = Catalog::annex_a()
        .controls()
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| *id != "8.13")
        .map(|id| format!(r#"        (control: "{id}", applicable: true, reason: "Policy"),"#))
        .collect();
    format!(
        r#"Register(
    schema: 2,
    name: "Export fixture",
    method: (
        likelihood: ["Rare", "Possible", "Frequent"],
        likelihood_criteria: ["Less than once in 10 years", "Once in 1-10 years", "Every year"],
        impact: ["Minor", "Serious", "Severe"],
        levels: [
            (name: "Low", up_to: 4, review_days: 365),
            (name: "High", up_to: 9, review_days: 90, accept_by: ["CEO", "CFO"]),
        ],
        matrix: None,
        appetite: 4,
    ),
    factors: [],
    assets: [(id: "A-01", name: "Customer database", kind: Information, owner: "Head of Data")],
    threats: [(id: "T-01", name: "Ransomware")],
    risks: [
        (id: "R-001", title: "Ransomware encrypts the database", asset: "A-01", threat: "T-01",
         likelihood: 3, impact: 3, treatment: Modify, controls: ["8.13"], owner: "CTO",
         reviewed: Some("2026-11-01")),
    ],
    controls: [
        (id: "8.13", status: Partial, effectiveness: 50, owner: "SRE lead", note: ""),
    ],
    decisions: [
{}
    ],
    actions: [
        (id: "ACT-01", title: "Offline backups", risks: ["R-001"], controls: ["8.13"],
         owner: "SRE lead", due: Some("2027-01-31"), status: Open),
    ],
    history: [],
)
"#,
        decisions.join("\n")
    )
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_command(riskbench_in(dir), &[args, &["--today", TODAY]].concat())
}

/// The three states of the SoA, each in its own directory: never approved,
/// approved as it is, approved then two controls changed.
fn registers() -> (tempfile::TempDir, [(PathBuf, &'static str); 3]) {
    let dir = tempfile::tempdir().unwrap();
    let make = |name: &str| {
        let d = dir.path().join(name);
        std::fs::create_dir(&d).unwrap();
        let f = d.join("reg.ron");
        std::fs::write(&f, register_text()).unwrap();
        f
    };
    let never = make("never");
    let approved = make("approved");
    let r = run(
        &dir.path().join("approved"),
        &["approve", p(&approved), "--by", "CEO"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let draft = make("draft");
    let r = run(
        &dir.path().join("draft"),
        &["approve", p(&draft), "--by", "CEO"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // 8.13 implemented (a status change) and 5.1 excluded.
    let text = std::fs::read_to_string(&draft)
        .unwrap()
        .replacen("status: Partial", "status: Implemented", 1)
        .replacen(
            r#"(control: "5.1", applicable: true"#,
            r#"(control: "5.1", applicable: false"#,
            1,
        );
    std::fs::write(&draft, text).unwrap();
    (
        dir,
        [
            (never, "Draft: no approved version"),
            (approved, "Approved: version 1, 2026-12-01, by CEO"),
            (draft, "Draft: 2 changes since version 1 (2026-12-01, CEO)"),
        ],
    )
}

fn stdout(file: &Path, args: &[&str]) -> String {
    let dir = file.parent().unwrap();
    let r = run(dir, &[&[args[0], p(file)], &args[1..]].concat());
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.stdout
}

/// Writes a document with `-o` and returns its path.
fn document(file: &Path, command: &str, format: &str) -> PathBuf {
    let dir = file.parent().unwrap();
    let out = dir.join(format!("{command}-out.{format}"));
    let r = run(
        dir,
        &[
            command,
            p(file),
            "--format",
            format,
            "-o",
            p(&out),
            "--force",
        ],
    );
    assert_eq!(r.code, 0, "{command} {format}: {}", r.stderr);
    out
}

fn cell_text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Every cell of a sheet, row by row, as text.
fn sheet_rows(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| cell_text(Some(c))).collect())
        .collect()
}

#[test]
fn soa_text_and_markdown_start_with_the_approval_line() {
    let (_dir, cases) = registers();
    for (file, line) in &cases {
        let text = stdout(file, &["soa"]);
        assert_eq!(text.lines().next(), Some(*line), "{text}");
        let md = stdout(file, &["soa", "--format", "md"]);
        assert_eq!(
            md.lines().next(),
            Some(format!("**{line}**").as_str()),
            "{md}"
        );
        // JSON keeps the shape of §4: no approval key.
        let json: serde_json::Value =
            serde_json::from_str(&stdout(file, &["soa", "--format", "json"])).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["controls", "summary"]);
    }
}

#[test]
fn soa_html_states_the_approval_instead_of_the_last_version() {
    let (_dir, cases) = registers();
    for (file, line) in &cases {
        let html = std::fs::read_to_string(document(file, "soa", "html")).unwrap();
        assert!(
            html.contains(&format!("<p id=\"approval\"><strong>{line}</strong></p>")),
            "{line}"
        );
        assert!(!html.contains("Last approved SoA"), "the old line is gone");
    }
}

#[test]
fn soa_workbook_states_the_approval_on_its_about_sheet_and_keeps_the_table_in_place() {
    let (_dir, cases) = registers();
    for (file, line) in &cases {
        let path = document(file, "soa", "xlsx");
        let wb: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(
            wb.sheet_names(),
            [
                "SoA",
                "Risk register",
                "Heat maps",
                "About",
                "Method",
                "Own controls"
            ]
        );
        let about = sheet_rows(&path, "About");
        assert_eq!(about[1][0], *line);
        assert!(about[0][0].contains("Export fixture"), "{:?}", about[0]);
        let soa = sheet_rows(&path, "SoA");
        assert_eq!(soa[0][0], "Control", "the table starts at A1");
        assert_eq!(soa.len(), 94);
    }
}

/// The method's lines every html and xlsx document carries, as
/// (item, definition).
fn method_expected() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Likelihood", "1 Rare — Less than once in 10 years"),
        ("Likelihood", "3 Frequent — Every year"),
        // No impact criteria written down: the labels alone.
        ("Impact", "1 Minor"),
        ("Impact", "3 Severe"),
        (
            "Level Low",
            "scores 1–4; review every 365 days; accepted by the risk owner",
        ),
        (
            "Level High",
            "scores 5–9; review every 90 days; accepted by CEO, CFO",
        ),
    ]
}

#[test]
fn html_documents_carry_the_method() {
    let (_dir, cases) = registers();
    let file = &cases[1].0;
    for command in ["soa", "plan"] {
        let html = std::fs::read_to_string(document(file, command, "html")).unwrap();
        let start = html
            .find("<section id=\"method\">")
            .unwrap_or_else(|| panic!("{command}: no method section"));
        let method = &html[start..];
        for (item, definition) in method_expected() {
            assert!(method.contains(definition), "{command}: {definition}");
            assert!(
                method.contains(&format!("<th>{item}</th>")),
                "{command}: {item}"
            );
        }
        assert!(method.contains("Impact</th><td>1 Minor<br>2 Serious<br>3 Severe</td>"));
        assert!(method.contains("residual score up to 4"), "{command}");
    }
}

#[test]
fn workbooks_carry_the_method() {
    let (_dir, cases) = registers();
    let file = &cases[1].0;
    for (command, sheet) in [("soa", "Method"), ("plan", "Method")] {
        let path = document(file, command, "xlsx");
        let rows = sheet_rows(&path, sheet);
        let pairs: Vec<(String, String)> = rows
            .iter()
            .filter(|r| r.len() >= 2)
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
        for (item, definition) in method_expected() {
            assert!(
                pairs.contains(&(item.to_string(), definition.to_string())),
                "{command}: ({item}, {definition}) in {pairs:?}"
            );
        }
        assert!(
            pairs
                .iter()
                .any(|(k, v)| k == "Appetite" && v.starts_with("residual score up to 4")),
            "{command}: {pairs:?}"
        );
    }
}

#[test]
fn every_plan_document_states_the_plans_approval() {
    let (_dir, cases) = registers();
    let file = &cases[0].0;
    for (approved, line) in [
        (false, "Draft: not approved"),
        (true, "Approved: 2026-12-01 by CEO"),
    ] {
        if approved {
            let r = run(
                file.parent().unwrap(),
                &["approve", p(file), "--plan", "--by", "CEO"],
            );
            assert_eq!(r.code, 0, "{}", r.stderr);
        }
        assert!(stdout(file, &["plan"]).contains(line), "text: {line}");
        assert!(
            stdout(file, &["plan", "--format", "md"]).contains(&format!("**{line}**")),
            "md: {line}"
        );
        let html = std::fs::read_to_string(document(file, "plan", "html")).unwrap();
        assert!(html.contains(line), "html: {line}");
        let rows = sheet_rows(&document(file, "plan", "xlsx"), "Plan");
        assert!(rows[1][0].starts_with(line), "xlsx: {:?}", rows[1]);
    }
}
