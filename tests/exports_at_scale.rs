//! Issue 16, items 3 and 5 (the documents' half): the SoA workbook and
//! html page carry the method as a sheet / section of its own, each
//! control's newest evidence (what, where, when) after the SoA's own
//! columns, and the own controls (6.1.3 b) in a sheet / section of their
//! own; the workbook's two large sheets are written in constant-memory
//! mode (inline strings, row by row) and still hold exactly the data the
//! commands print.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use riskbench::domain::Catalog;
use serde_json::Value;

mod common;
use common::{TODAY, p, riskbench_in, run_command};

const NORTHWIND: &str = "registers/northwind.ron";

/// Every control decided; criteria for both scales; High accepted by the
/// CEO or the CFO; evidence stale after 180 days. 8.13 is implemented with
/// three evidence items, the newest (by date) not the last in the file;
/// 5.15 is implemented without evidence; two own controls, ORG-1 with a
/// state and evidence, ORG-2 without a state entry.
fn register_text() -> String {
    let decisions: Vec<String> = Catalog::annex_a()
        .controls()
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| !["8.13", "5.15"].contains(id))
        .map(|id| format!(r#"        (control: "{id}", applicable: true, reason: "Policy"),"#))
        .collect();
    format!(
        r#"Register(
    schema: 2,
    name: "Evidence fixture",
    method: (
        likelihood: ["Rare", "Possible", "Frequent"],
        likelihood_criteria: ["Less than once in 10 years", "Once in 1-10 years", "Every year"],
        impact: ["Minor", "Serious", "Severe"],
        impact_criteria: ["Under 10k EUR", "10k-250k EUR", "Over 250k EUR"],
        levels: [
            (name: "Low", up_to: 4, review_days: 365),
            (name: "High", up_to: 9, review_days: 90, accept_by: ["CEO", "CFO"]),
        ],
        matrix: None,
        appetite: 4,
        evidence_days: Some(180),
    ),
    own_controls: [
        (id: "ORG-1", title: "Four-eyes approval of supplier payments",
         types: [Preventive, Detective], maps_to: ["5.3"]),
        (id: "ORG-2", title: "Quarterly access recertification by HR",
         types: [Corrective], maps_to: ["5.18", "8.2"]),
    ],
    factors: [],
    assets: [(id: "A-01", name: "Customer database", kind: Information, owner: "Head of Data")],
    threats: [(id: "T-01", name: "Ransomware")],
    risks: [
        (id: "R-001", title: "Ransomware encrypts the database", asset: "A-01", threat: "T-01",
         likelihood: 3, impact: 3, treatment: Modify, controls: ["8.13", "5.15"], owner: "CTO",
         reviewed: Some("2026-11-01")),
    ],
    controls: [
        (id: "8.13", status: Implemented, effectiveness: 80, owner: "SRE lead", note: "",
         evidence: [
            (what: "Restore test report Q1", at: "wiki/backup/2026-q1", on: "2026-04-02", by: "SRE lead"),
            (what: "Restore test report Q3", at: "https://wiki.example/backup/2026-q3", on: "2026-10-02", by: "SRE lead"),
            (what: "Backup policy review", at: "", on: "2026-06-15", by: "CISO"),
         ]),
        (id: "5.15", status: Implemented, effectiveness: 60, owner: "IT lead", note: ""),
        (id: "ORG-1", status: Implemented, effectiveness: 70, owner: "CFO", note: "",
         evidence: [(what: "Payment run sample, 25 of 25 with two approvals", at: "erp/audit/2026-11",
                     on: "2026-11-20", by: "Internal audit")]),
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

/// The fixture in a temporary directory, and its SoA written as `format`.
fn fixture(format: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reg.ron");
    std::fs::write(&file, register_text()).unwrap();
    let out = dir.path().join(format!("soa.{format}"));
    let r = run(
        dir.path(),
        &["soa", p(&file), "--format", format, "-o", p(&out)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    (dir, out)
}

fn run(dir: &Path, args: &[&str]) -> common::Run {
    run_command(riskbench_in(dir), &[args, &["--today", TODAY]].concat())
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The Excel serial number of a day (what a date cell holds).
fn serial(day: &str) -> f64 {
    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    (d - epoch).num_days() as f64
}

/// A date cell's day as its serial number (panics on anything else).
fn date_cell(cell: Option<&Data>) -> f64 {
    match cell {
        Some(Data::DateTime(d)) => d.as_f64(),
        other => panic!("not a date cell: {other:?}"),
    }
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

fn rows(range: &Range<Data>) -> Vec<Vec<String>> {
    range
        .rows()
        .map(|r| r.iter().map(|c| text(Some(c))).collect())
        .collect()
}

#[test]
fn the_soa_workbook_has_a_method_sheet_and_an_own_controls_sheet() {
    let (_dir, path) = fixture("xlsx");
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
    // The method moved out of "About": it keeps the title and the approval line.
    let about = rows(&sheet(&path, "About"));
    assert_eq!(about[1][0], "Draft: no approved version");
    assert!(
        !about.iter().flatten().any(|c| c == "Definition"),
        "{about:?}"
    );
}

#[test]
fn the_method_sheet_has_the_criteria_who_accepts_and_evidence_days() {
    let (_dir, path) = fixture("xlsx");
    let method = rows(&sheet(&path, "Method"));
    assert_eq!(method[0], ["Item", "Definition"], "a table from A1");
    let pairs: Vec<(&str, &str)> = method[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    for want in [
        ("Likelihood", "1 Rare — Less than once in 10 years"),
        ("Likelihood", "3 Frequent — Every year"),
        ("Impact", "2 Serious — 10k-250k EUR"),
        (
            "Level Low",
            "scores 1–4; review every 365 days; accepted by the risk owner",
        ),
        (
            "Level High",
            "scores 5–9; review every 90 days; accepted by CEO, CFO",
        ),
        (
            "Evidence",
            "stale when the newest evidence of an implemented control is older than 180 days",
        ),
    ] {
        assert!(pairs.contains(&want), "{want:?} in {pairs:?}");
    }
    assert!(
        pairs
            .iter()
            .any(|(k, v)| *k == "Appetite" && v.starts_with("residual score up to 4")),
        "{pairs:?}"
    );
}

#[test]
fn soa_rows_carry_the_newest_evidence_and_its_date_after_their_columns() {
    let (_dir, path) = fixture("xlsx");
    let soa = sheet(&path, "SoA");
    let header: Vec<String> = (0..10).map(|c| text(soa.get_value((0, c)))).collect();
    assert_eq!(
        header,
        [
            "Control",
            "Theme",
            "Title",
            "Applicable",
            "Justification",
            "Status",
            "Linked risks",
            "Newest evidence",
            "Evidence at",
            "Evidence date"
        ]
    );
    let row_of = |id: &str| Catalog::annex_a().index_of(id).unwrap() as u32 + 1;
    let r = row_of("8.13");
    assert_eq!(text(soa.get_value((r, 0))), "8.13");
    assert_eq!(text(soa.get_value((r, 5))), "Implemented");
    assert_eq!(text(soa.get_value((r, 6))), "R-001");
    // The latest day wins, not the last item in the file.
    assert_eq!(text(soa.get_value((r, 7))), "Restore test report Q3");
    assert_eq!(
        text(soa.get_value((r, 8))),
        "https://wiki.example/backup/2026-q3"
    );
    assert_eq!(date_cell(soa.get_value((r, 9))), serial("2026-10-02"));
    // An implemented control without evidence: empty cells.
    let r = row_of("5.15");
    assert_eq!(text(soa.get_value((r, 5))), "Implemented");
    for c in 7..10 {
        assert_eq!(text(soa.get_value((r, c))), "", "column {c}");
    }
}

#[test]
fn the_own_controls_sheet_lists_them_with_state_and_evidence() {
    let (_dir, path) = fixture("xlsx");
    let own = sheet(&path, "Own controls");
    let all = rows(&own);
    assert_eq!(
        all[0],
        [
            "ID",
            "Title",
            "Types",
            "Maps to",
            "Status",
            "Effectiveness",
            "Newest evidence",
            "Evidence at",
            "Evidence date"
        ]
    );
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(
        all[1][..7],
        [
            "ORG-1",
            "Four-eyes approval of supplier payments",
            "Preventive, Detective",
            "5.3",
            "Implemented",
            "70",
            "Payment run sample, 25 of 25 with two approvals"
        ]
    );
    assert_eq!(all[1][7], "erp/audit/2026-11");
    assert_eq!(date_cell(own.get_value((1, 8))), serial("2026-11-20"));
    // No state entry: NotStarted at the default effectiveness, no evidence.
    assert_eq!(
        all[2],
        [
            "ORG-2",
            "Quarterly access recertification by HR",
            "Corrective",
            "5.18, 8.2",
            "NotStarted",
            "50",
            "",
            "",
            ""
        ]
    );
}

#[test]
fn the_html_page_carries_the_method_evidence_and_own_controls() {
    let (_dir, path) = fixture("html");
    let html = std::fs::read_to_string(path).unwrap();
    let section = |id: &str| {
        let start = html
            .find(&format!("<section id=\"{id}\">"))
            .unwrap_or_else(|| panic!("no section {id}"));
        let end = start + html[start..].find("</section>").unwrap();
        html[start..end].to_string()
    };
    let method = section("method");
    assert!(method.contains("<h2>Method</h2>"), "{method}");
    assert!(method.contains("1 Rare — Less than once in 10 years"));
    assert!(method.contains("accepted by CEO, CFO"));
    assert!(method.contains("older than 180 days"), "{method}");

    let soa = section("soa");
    assert!(
        soa.contains("<th>Linked risks</th><th>Newest evidence</th><th>Evidence at</th><th>Evidence date</th></tr>"),
        "{soa}"
    );
    let row = |id: &str| {
        let start = soa.find(&format!("<tr id=\"c{id}\">")).unwrap();
        let end = start + soa[start..].find("</tr>").unwrap();
        soa[start..end].to_string()
    };
    assert!(
        row("8.13").ends_with(
            "<td>R-001</td><td>Restore test report Q3</td><td>https://wiki.example/backup/2026-q3</td><td>2026-10-02</td>"
        ),
        "{}",
        row("8.13")
    );
    assert!(row("5.15").ends_with("<td>R-001</td><td></td><td></td><td></td>"));

    let own = section("own-controls");
    assert!(own.contains("<h2>Own controls</h2>"), "{own}");
    assert!(
        own.contains("<tr id=\"own-ORG-1\"><td>ORG-1</td><td>Four-eyes approval of supplier payments</td><td>Preventive, Detective</td><td>5.3</td><td>Implemented</td><td class=\"num\">70</td><td>Payment run sample, 25 of 25 with two approvals</td><td>erp/audit/2026-11</td><td>2026-11-20</td></tr>"),
        "{own}"
    );
    assert!(own.contains("<td>ORG-2</td>") && own.contains("<td>NotStarted</td>"));
}

/// The SoA's JSON and CSV stay exactly as §4 says: no evidence there.
#[test]
fn soa_json_and_csv_keep_their_shape() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reg.ron");
    std::fs::write(&file, register_text()).unwrap();
    let r = run(dir.path(), &["soa", p(&file), "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let keys: Vec<&String> = v["controls"][0].as_object().unwrap().keys().collect();
    assert!(!keys.iter().any(|k| k.contains("evidence")), "{keys:?}");
    let r = run(dir.path(), &["soa", p(&file), "--format", "csv"]);
    let header = r.stdout.lines().next().unwrap();
    assert!(!header.to_lowercase().contains("evidence"), "{header}");
}

/// Northwind's workbook, written in constant-memory mode, holds cell by
/// cell what `soa --format json` and `risks --format json` print (the
/// data the in-memory writer wrote), and its two large sheets keep their
/// text inline (the constant-memory mode's mark).
#[test]
fn the_constant_memory_workbook_holds_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    let out = dir.path().join("nw.xlsx");
    let nw = root.join(NORTHWIND);
    let r = run(&root, &["soa", p(&nw), "--format", "xlsx", "-o", p(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json = |args: &[&str]| -> Value {
        let r = run(&root, args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    };

    let soa = sheet(&out, "SoA");
    let controls = json(&["soa", p(&nw), "--format", "json"]);
    let controls = controls["controls"].as_array().unwrap();
    assert_eq!(soa.height(), controls.len() + 1);
    for (i, c) in controls.iter().enumerate() {
        let row = i as u32 + 1;
        let risks: Vec<&str> = c["risks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        let want = [
            c["id"].as_str().unwrap().to_string(),
            c["theme"].as_str().unwrap().to_string(),
            c["title"].as_str().unwrap().to_string(),
            c["applicable"].as_str().unwrap().to_string(),
            c["justification"].as_str().unwrap().to_string(),
            c["status"].as_str().unwrap().to_string(),
            risks.join(", "),
        ];
        let got: Vec<String> = (0..7).map(|k| text(soa.get_value((row, k)))).collect();
        assert_eq!(got, want, "row {row}");
    }

    let reg = riskbench::store::load_file(&nw).unwrap().register;
    let sheet_risks = sheet(&out, "Risk register");
    let risks = json(&["risks", p(&nw), "--format", "json"]);
    let risks = risks["risks"].as_array().unwrap();
    assert_eq!(sheet_risks.height(), risks.len() + 1);
    let num = |v: &Value| v.as_u64().unwrap().to_string();
    let yes_no = |v: &Value| if v.as_bool().unwrap() { "Yes" } else { "No" }.to_string();
    for (i, r) in risks.iter().enumerate() {
        let row = i as u32 + 1;
        let cell = |c: u32| text(sheet_risks.get_value((row, c)));
        let id = r["id"].as_str().unwrap();
        let risk = reg.risks.iter().find(|x| x.id == id).unwrap();
        assert_eq!(cell(0), id);
        assert_eq!(cell(1), r["title"].as_str().unwrap());
        assert_eq!(cell(2), r["asset"].as_str().unwrap());
        assert_eq!(cell(4), r["threat"].as_str().unwrap());
        assert_eq!(cell(6), risk.vulnerability);
        assert_eq!(cell(7), risk.likelihood.to_string());
        assert_eq!(cell(8), risk.impact.to_string());
        assert_eq!(cell(9), r["treatment"].as_str().unwrap());
        assert_eq!(cell(10), risk.controls.join(", "));
        assert_eq!(cell(11), r["owner"].as_str().unwrap());
        for (col, key) in [(14, "inherent"), (18, "residual"), (23, "target")] {
            let s = &r[key];
            assert_eq!(cell(col), num(&s["likelihood"]), "{id} {key}");
            assert_eq!(cell(col + 1), num(&s["impact"]), "{id} {key}");
            assert_eq!(cell(col + 2), num(&s["score"]), "{id} {key}");
            assert_eq!(cell(col + 3), s["level"].as_str().unwrap(), "{id} {key}");
        }
        assert_eq!(cell(22), yes_no(&r["residual"]["manual"]));
        assert_eq!(cell(27), yes_no(&r["above_appetite"]));
        match r["next_review"].as_str() {
            Some(d) => assert_eq!(date_cell(sheet_risks.get_value((row, 28))), serial(d)),
            None => assert_eq!(cell(28), ""),
        }
        assert_eq!(cell(29), yes_no(&r["overdue"]));
    }

    // Constant-memory sheets write their text inline, not in the
    // shared-string table.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    for n in 1..=2 {
        let mut xml = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(xml.contains("t=\"inlineStr\""), "sheet{n}");
        assert!(!xml.contains("t=\"s\""), "sheet{n}");
    }
}
