//! Documents for auditors: `soa`/`risks --format xlsx|html -o FILE`. The
//! workbook is read back with calamine; the HTML page is checked to be
//! self-contained and complete.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use riskbench::app::stats::Stats;
use riskbench::domain::{Analysis, Catalog, Register};
use serde_json::Value;

mod common;
use common::{Run, TODAY, p, root, run_today as run};

const NORTHWIND: &str = "registers/northwind.ron";

fn analysed(path: &str) -> (Register, Analysis) {
    let reg = riskbench::store::load_file(&root().join(path))
        .unwrap()
        .register;
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let analysis = Analysis::new(&reg, today);
    (reg, analysis)
}

fn json(args: &[&str]) -> Value {
    let r = run(args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn number(cell: Option<&Data>) -> f64 {
    match cell {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn xlsx(dir: &Path, command: &str) -> (PathBuf, Run) {
    let out = dir.join(format!("{command}.xlsx"));
    let r = run(&[command, NORTHWIND, "--format", "xlsx", "-o", p(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    (out, r)
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(name).unwrap()
}

#[test]
fn workbook_has_the_three_sheets_and_every_control() {
    let dir = tempfile::tempdir().unwrap();
    let (path, r) = xlsx(dir.path(), "soa");
    assert!(r.stderr.contains("wrote "), "{}", r.stderr);
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

    let soa = sheet(&path, "SoA");
    assert_eq!(soa.start(), Some((0, 0)));
    assert_eq!(soa.height(), 94, "93 controls + the header row");
    let header: Vec<String> = (0..7).map(|c| text(soa.get_value((0, c)))).collect();
    assert_eq!(
        header,
        [
            "Control",
            "Theme",
            "Title",
            "Applicable",
            "Justification",
            "Status",
            "Linked risks"
        ]
    );
    // Every control, in catalog order, with the catalog's theme and title.
    for (i, c) in Catalog::annex_a().controls().iter().enumerate() {
        let row = i as u32 + 1;
        assert_eq!(text(soa.get_value((row, 0))), c.id);
        assert_eq!(text(soa.get_value((row, 1))), c.theme);
        assert_eq!(text(soa.get_value((row, 2))), c.title);
    }
    assert_eq!(text(soa.get_value((1, 0))), "5.1");
    assert_eq!(
        text(soa.get_value((1, 2))),
        "Policies for information security"
    );

    // The same applicability, status, justification and risks as `soa`.
    let want = json(&["soa", NORTHWIND, "--format", "json"]);
    for (i, c) in want["controls"].as_array().unwrap().iter().enumerate() {
        let row = i as u32 + 1;
        let id = c["id"].as_str().unwrap();
        assert_eq!(text(soa.get_value((row, 3))), c["applicable"], "{id}");
        assert_eq!(text(soa.get_value((row, 4))), c["justification"], "{id}");
        assert_eq!(text(soa.get_value((row, 5))), c["status"], "{id}");
        let risks: Vec<&str> = c["risks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        assert_eq!(text(soa.get_value((row, 6))), risks.join(", "), "{id}");
    }
    // A few cells spelled out: an excluded control, a linked one.
    let (reg, an) = analysed(NORTHWIND);
    let row_of = |id: &str| Catalog::annex_a().index_of(id).unwrap() as u32 + 1;
    let excluded = reg.decisions.iter().find(|d| !d.applicable).unwrap();
    assert_eq!(text(soa.get_value((row_of(&excluded.control), 3))), "No");
    let linked = an.soa.entries.iter().find(|e| e.risks.len() >= 2).unwrap();
    let cell = text(soa.get_value((linked.control as u32 + 1, 6)));
    assert!(cell.contains(", "), "{cell}");
    assert!(cell.starts_with("R-"), "{cell}");
}

#[test]
fn register_sheet_matches_risks() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = xlsx(dir.path(), "risks");
    let sheet = sheet(&path, "Risk register");
    let want = json(&["risks", NORTHWIND, "--format", "json"]);
    let risks = want["risks"].as_array().unwrap();
    assert_eq!(sheet.height(), risks.len() + 1);
    let col = |name: &str| {
        (0..sheet.width() as u32)
            .find(|&c| text(sheet.get_value((0, c))) == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (reg, _) = analysed(NORTHWIND);
    for (i, r) in risks.iter().enumerate() {
        let row = i as u32 + 1;
        let id = r["id"].as_str().unwrap();
        assert_eq!(text(sheet.get_value((row, col("ID")))), id);
        assert_eq!(text(sheet.get_value((row, col("Title")))), r["title"]);
        assert_eq!(text(sheet.get_value((row, col("Asset ID")))), r["asset"]);
        let asset = reg
            .assets
            .iter()
            .find(|a| a.id.as_str() == r["asset"])
            .unwrap();
        assert_eq!(text(sheet.get_value((row, col("Asset")))), asset.name);
        for (key, prefix) in [
            ("inherent", "Inherent"),
            ("residual", "Residual"),
            ("target", "Target"),
        ] {
            assert_eq!(
                number(sheet.get_value((row, col(&format!("{prefix} score"))))),
                r[key]["score"].as_f64().unwrap(),
                "{id} {key}"
            );
            assert_eq!(
                text(sheet.get_value((row, col(&format!("{prefix} level"))))),
                r[key]["level"],
                "{id} {key}"
            );
        }
        let above = if r["above_appetite"].as_bool().unwrap() {
            "Yes"
        } else {
            "No"
        };
        assert_eq!(text(sheet.get_value((row, col("Above appetite")))), above);
    }
    // Dates are real dates.
    let reviewed = col("Reviewed");
    assert!(
        (1..sheet.height() as u32)
            .any(|row| matches!(sheet.get_value((row, reviewed)), Some(Data::DateTime(_)))),
        "reviewed dates are Excel dates"
    );
}

#[test]
fn heat_map_counts_equal_the_dashboard_stats() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = xlsx(dir.path(), "soa");
    let heat = sheet(&path, "Heat maps");
    let (reg, an) = analysed(NORTHWIND);
    let stats = Stats::new(&reg, &an);
    let find = |title: &str| {
        (0..heat.height() as u32)
            .find(|&r| text(heat.get_value((r, 0))) == title)
            .unwrap_or_else(|| panic!("no {title:?} block"))
    };
    let (nl, ni) = (reg.method.likelihood.len(), reg.method.impact.len());
    for (title, grid) in [
        ("Inherent risk (before controls)", &stats.inherent),
        (
            "Current residual risk (controls as implemented today)",
            &stats.residual,
        ),
    ] {
        let top = find(title);
        assert_eq!(text(heat.get_value((top + 1, 0))), "Likelihood \\ Impact");
        assert_eq!(text(heat.get_value((top + 1, 1))), "1 Negligible");
        let mut total = 0.0;
        // Highest likelihood first.
        for (k, l) in (1..=nl).rev().enumerate() {
            let row = top + 2 + k as u32;
            assert_eq!(
                text(heat.get_value((row, 0))),
                format!("{l} {}", reg.method.likelihood[l - 1])
            );
            for i in 1..=ni {
                let n = number(heat.get_value((row, i as u32)));
                assert_eq!(n, grid[l - 1][i - 1] as f64, "{title} L{l} I{i}");
                total += n;
            }
        }
        assert_eq!(total, stats.in_scope as f64);
    }
    assert!(stats.inherent.iter().flatten().any(|&n| n > 1));
}

#[test]
fn soa_writes_a_deterministic_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = xlsx(dir.path(), "soa");
    let again = dir.path().join("again.xlsx");
    let r = run(&["soa", NORTHWIND, "--format", "xlsx", "-o", p(&again)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&again).unwrap());
    // `risks` writes the register's own workbook (tests/cli_output_files.rs).
    let (b, _) = xlsx(dir.path(), "risks");
    assert_ne!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // The library function the workbench calls gives the same bytes.
    let (reg, an) = analysed(NORTHWIND);
    let c = dir.path().join("lib.xlsx");
    riskbench::export::write_xlsx(&reg, &an, &c).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
}

#[test]
fn documents_need_an_output_file() {
    for command in ["soa", "risks"] {
        for format in ["xlsx", "html"] {
            let r = run(&[command, NORTHWIND, "--format", format]);
            assert_eq!(r.code, 2, "{command} {format}");
            assert!(
                r.stderr.contains(&format!(
                    "--format {format}: a document is written to a file; give it with -o FILE"
                )),
                "{}",
                r.stderr
            );
            assert!(r.stdout.is_empty());
        }
        // The table formats take `-o` too (tests/cli_output_files.rs).
    }
}

#[test]
fn a_register_with_errors_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.xlsx");
    let r = run(&[
        "soa",
        "tests/fixtures/import/register-2013.ron",
        "--format",
        "xlsx",
        "-o",
        p(&out),
    ]);
    assert_eq!(r.code, 1);
    assert!(!out.exists());
}

fn html_page(dir: &Path) -> String {
    let out = dir.join("soa.html");
    let r = run(&["soa", NORTHWIND, "--format", "html", "-o", p(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn html_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let page = html_page(dir.path());
    let lower = page.to_lowercase();
    for banned in [
        "http", "<script", "src=", "href=", "<link", "@import", "url(", "<img", "<iframe",
    ] {
        assert!(!lower.contains(banned), "the page contains {banned:?}");
    }
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<style>"));
    assert!(page.contains("@media print"));
    assert!(page.contains("thead { display: table-header-group; }"));
    assert!(page.trim_end().ends_with("</html>"));
}

#[test]
fn html_holds_the_soa_heat_maps_and_register() {
    let dir = tempfile::tempdir().unwrap();
    let page = html_page(dir.path());
    let (reg, an) = analysed(NORTHWIND);
    assert!(page.contains(&format!("<h1>{}</h1>", reg.name)));
    assert!(page.contains(&format!("as of {TODAY}")));
    for c in Catalog::annex_a().controls() {
        assert!(
            page.contains(&format!("<tr id=\"c{0}\"><td>{0}</td>", c.id)),
            "control {} missing",
            c.id
        );
    }
    assert_eq!(page.matches("<tr id=\"c").count(), 93);
    let s = an.soa.summary();
    assert!(page.contains(&format!(
        "<tr><th>Applicable</th><td>{} ({} implemented)</td></tr>",
        s.yes, s.implemented
    )));
    // Heat maps: every cell's count equals the dashboard's.
    let stats = Stats::new(&reg, &an);
    for (name, grid) in [("inherent", &stats.inherent), ("residual", &stats.residual)] {
        let start = page.find(&format!("id=\"heat-{name}\"")).unwrap();
        let table = &page[start..start + page[start..].find("</table>").unwrap()];
        for (l, row) in grid.iter().enumerate() {
            for (i, n) in row.iter().enumerate() {
                let cell = format!("data-l=\"{}\" data-i=\"{}\">{n}</td>", l + 1, i + 1);
                assert!(table.contains(&cell), "{name}: {cell}");
            }
        }
        assert!(table.contains("background:#"), "cells are coloured");
    }
    // The register: every in-scope risk.
    for (_, r, _) in an.eval.in_scope(&reg) {
        assert!(page.contains(&format!("<tr><td>{}</td>", r.id)), "{}", r.id);
    }
    // The library function gives the same page.
    assert_eq!(riskbench::export::html(&reg, &an), page);
}

#[test]
fn html_escapes_register_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(NORTHWIND)).unwrap();
    let name_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("name:"))
        .unwrap();
    let patched = text.replacen(name_line, "    name: \"<b>Acme</b> & \\\"Sons\\\"\",", 1);
    let reg_path = dir.path().join("x.ron");
    std::fs::write(&reg_path, patched).unwrap();
    let out = dir.path().join("x.html");
    let r = run(&["risks", p(&reg_path), "--format", "html", "-o", p(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(out).unwrap();
    assert!(page.contains("<h1>&lt;b&gt;Acme&lt;/b&gt; &amp; &quot;Sons&quot;</h1>"));
    assert!(!page.contains("<b>Acme"));
}
