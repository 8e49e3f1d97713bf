//! Spreadsheets in, spreadsheets back (issue 13): importing registers kept
//! without a title column, reading xlsx workbooks, and the round trip
//! `risks --format csv|xlsx` → a colleague edits cells → `import --into`,
//! which must change exactly the edited fields and keep everything else.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::collections::BTreeSet;
use std::io::Cursor;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use chrono::NaiveDate;
use riskbench::domain::Register;
use riskbench::domain::fields::{EntityChangeKind, entity_changes};
use rust_xlsxwriter::{Format, Workbook};

mod common;
use common::{Run, p, root, run_today as run};

fn fixture(name: &str) -> String {
    format!("tests/fixtures/import/{name}")
}

fn load(path: &Path) -> Register {
    riskbench::store::load_file(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .register
}

fn date(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

fn asset_name<'r>(reg: &'r Register, id: &str) -> &'r str {
    &reg.assets.iter().find(|a| a.id == id).unwrap().name
}

fn threat_name<'r>(reg: &'r Register, id: &str) -> &'r str {
    &reg.threats.iter().find(|t| t.id == id).unwrap().name
}

/// `riskbench import ARGS -o DIR/out.ron`; insists on success.
fn import_new(args: &[&str]) -> (tempfile::TempDir, Run, Register) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.ron");
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend(["-o", p(&out)]);
    let r = run(&all);
    assert_eq!(r.code, 0, "import {args:?} failed:\n{}", r.stderr);
    let check = run(&["check", p(&out)]);
    assert_eq!(
        check.code, 0,
        "the import must pass check:\n{}",
        check.stdout
    );
    let reg = load(&out);
    (dir, r, reg)
}

// ------------------------------------------------------ no title column

#[test]
fn a_register_without_a_title_column_gets_titles_from_asset_threat_and_vulnerability() {
    // Semicolons, a byte-order mark, a title row and blank lines above the
    // header, empty columns after it, day-first dates written two ways.
    let (_d, r, reg) = import_new(&[&fixture("no-title-semicolon.csv")]);
    let titles: Vec<&str> = reg.risks.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Ransomware against Customer database through flat network",
            "Insider misuse against Payroll records",
            "Burglary against Office building through no alarm system",
            "Phishing against Mail server through MFA not enforced",
        ]
    );
    let first = &reg.risks[0];
    assert_eq!(asset_name(&reg, &first.asset), "Customer database");
    assert_eq!(threat_name(&reg, &first.threat), "Ransomware");
    assert_eq!(first.vulnerability, "Flat network");
    assert_eq!((first.likelihood, first.impact), (4, 5));
    assert_eq!(first.reviewed, date("2027-01-31"));
    assert_eq!(first.due, date("2027-02-28"));
    assert_eq!(reg.risks[1].reviewed, date("2027-02-01"));
    assert_eq!(reg.risks[2].due, date("2027-03-31"));
    assert_eq!(reg.risks[3].reviewed, date("2027-01-31"));
    assert_eq!((reg.risks[2].likelihood, reg.risks[2].impact), (2, 3));
    let e = &r.stderr;
    assert!(e.contains("semicolon-separated"), "{e}");
    assert!(e.contains("header on line 4"), "{e}");
    assert!(
        e.contains("no title column: titles built from threat, asset and vulnerability"),
        "the built titles are an assumption of the report:\n{e}"
    );
    assert!(e.contains("above the header skipped"), "{e}");
    // A note beside the table, in an otherwise empty row, is no risk.
    assert!(
        e.contains("line 10 skipped: nothing in the columns riskbench reads"),
        "{e}"
    );
    assert!(!e.contains("cannot be imported"), "{e}");
}

#[test]
fn a_title_column_in_another_language_is_named_with_map() {
    // Without --map nothing names the likelihood and impact columns.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.ron");
    let bad = run(&["import", &fixture("beschreibung.csv"), "-o", p(&out)]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--map"), "{}", bad.stderr);
    assert!(!out.exists());

    let (_d, r, reg) = import_new(&[
        &fixture("beschreibung.csv"),
        "--map",
        "Beschreibung=title",
        "--map",
        "Objekt=asset",
        "--map",
        "Bedrohung=threat",
        "--map",
        "Eintrittswahrscheinlichkeit=likelihood",
        "--map",
        "Schadenshöhe=impact",
        "--map",
        "Verantwortlich=owner",
        "--map",
        "Überprüft am=reviewed",
    ]);
    let titles: Vec<&str> = reg.risks.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Ausfall des Rechenzentrums durch Stromausfall",
            "Schadsoftware auf Clients"
        ]
    );
    assert_eq!(reg.risks[0].id, "B-1");
    assert_eq!(reg.risks[0].owner, "IT-Leitung");
    assert_eq!(reg.risks[0].reviewed, date("2026-03-15"));
    assert_eq!(reg.risks[1].reviewed, date("2026-03-15"));
    assert!(
        r.stderr.contains("\"Beschreibung\"") && r.stderr.contains("→ title (--map)"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("titles built"), "{}", r.stderr);

    let (_d, r, reg) = import_new(&[
        &fixture("risque.csv"),
        "--map",
        "Risque=title",
        "--map",
        "Réf=id",
        "--map",
        "Actif=asset",
        "--map",
        "Menace=threat",
        "--map",
        "Vulnérabilité=vulnerability",
        "--map",
        "Vraisemblance=likelihood",
        "--map",
        "Propriétaire=owner",
    ]);
    assert_eq!(reg.risks[0].title, "Vol d'un portable non chiffré");
    assert_eq!(reg.risks[1].title, "Hameçonnage du service paie");
    assert_eq!(reg.risks[1].id, "FR-2");
    assert_eq!(asset_name(&reg, &reg.risks[1].asset), "Service paie");
    assert_eq!((reg.risks[0].likelihood, reg.risks[0].impact), (3, 4));
    assert!(!r.stderr.contains("titles built"), "{}", r.stderr);
}

#[test]
fn a_row_with_nothing_to_build_a_title_from_is_a_row_error() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bare.csv");
    std::fs::write(
        &csv,
        "Asset,Threat,Likelihood,Impact\nLaptops,Theft,3,3\n,,2,2\n",
    )
    .unwrap();
    let out = dir.path().join("bare.ron");
    let r = run(&["import", p(&csv), "-o", p(&out)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("bare.csv:3:"), "{}", r.stderr);
    assert!(r.stderr.contains("no title"), "{}", r.stderr);
    assert!(!out.exists());
}

// ------------------------------------------------------------------- xlsx

/// One sheet's cells as calamine reads them, with the sheet's name.
type Sheet = (String, Vec<Vec<Data>>);

fn read_workbook(path: &Path) -> Vec<Sheet> {
    let bytes = std::fs::read(path).unwrap();
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).unwrap();
            assert_eq!(range.start().unwrap_or((0, 0)), (0, 0));
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (n, rows)
        })
        .collect()
}

/// Writes sheets as a colleague's spreadsheet program would save them:
/// text as text, numbers as numbers, dates as dated numbers.
fn write_workbook(path: &Path, sheets: &[Sheet]) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Data::String(s) => drop(ws.write_string(r, c, s).unwrap()),
                    Data::Float(f) => drop(ws.write_number(r, c, *f).unwrap()),
                    Data::Int(i) => drop(ws.write_number(r, c, *i as f64).unwrap()),
                    Data::Bool(b) => drop(ws.write_boolean(r, c, *b).unwrap()),
                    Data::DateTime(d) => drop(
                        ws.write_number_with_format(r, c, d.as_f64(), &date)
                            .unwrap(),
                    ),
                    Data::Empty => {}
                    other => panic!("unexpected cell {other:?}"),
                }
            }
        }
    }
    wb.save(path).unwrap();
}

fn col(rows: &[Vec<Data>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| *h == Data::String(header.into()))
        .unwrap_or_else(|| panic!("no column {header:?}"))
}

fn row_of(rows: &[Vec<Data>], id: &str) -> usize {
    rows.iter()
        .position(|r| r[0] == Data::String(id.into()))
        .unwrap_or_else(|| panic!("no row {id}"))
}

#[test]
fn an_xlsx_workbook_imports_with_dates_numbers_and_a_title_row() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("colleague.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Risks 2027").unwrap();
    let day_first = Format::new().set_num_format("dd.mm.yyyy");
    ws.write_string(0, 0, "Information security risks – Werk Süd")
        .unwrap();
    for (c, h) in [
        "Asset",
        "Threat",
        "Vulnerability",
        "Likelihood",
        "Impact",
        "Review date",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_string(3, 0, "Customer database").unwrap();
    ws.write_string(3, 1, "Ransomware").unwrap();
    ws.write_string(3, 2, "Flat network").unwrap();
    ws.write_number(3, 3, 3.0).unwrap();
    ws.write_number(3, 4, 5.0).unwrap();
    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2027, 1, 31).unwrap();
    ws.write_datetime_with_format(3, 5, &d, &day_first).unwrap();
    // A stray cell in the sheet's last cell: read as one more short row,
    // not as a grid of 17 billion cells.
    ws.write_string(1_048_575, 16_383, "stray").unwrap();
    wb.add_worksheet().set_name("Notes").unwrap();
    wb.save(&xlsx).unwrap();

    let (_d, r, reg) = import_new(&[p(&xlsx)]);
    assert!(
        r.stderr
            .contains("line 1048576 skipped: nothing in the columns riskbench reads"),
        "{}",
        r.stderr
    );
    assert_eq!(reg.risks.len(), 1);
    let risk = &reg.risks[0];
    assert_eq!(
        risk.title,
        "Ransomware against Customer database through flat network"
    );
    assert_eq!((risk.likelihood, risk.impact), (3, 5));
    assert_eq!(risk.reviewed, date("2027-01-31"));
    assert!(r.stderr.contains("sheet \"Risks 2027\""), "{}", r.stderr);
    assert!(r.stderr.contains("header on row 3"), "{}", r.stderr);

    // An unknown sheet: exit 2, the sheets named.
    let out = dir.path().join("x.ron");
    let bad = run(&["import", p(&xlsx), "--sheet", "Risks", "-o", p(&out)]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("\"Risks 2027\"") && bad.stderr.contains("\"Notes\""),
        "{}",
        bad.stderr
    );
    assert!(!out.exists());
}

#[test]
fn the_workbook_export_imports_as_a_new_register_with_the_same_risks() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("nw.xlsx");
    let ex = run(&[
        "risks",
        "registers/northwind.ron",
        "--format",
        "xlsx",
        "-o",
        p(&xlsx),
    ]);
    assert_eq!(ex.code, 0, "{}", ex.stderr);
    // The workbook's first sheet is the SoA: the risk register sheet is
    // the one read.
    let (_d, r, reg) = import_new(&[p(&xlsx)]);
    assert!(r.stderr.contains("sheet \"Risk register\""), "{}", r.stderr);
    let nw = load(&root().join("registers/northwind.ron"));
    assert_eq!(reg.risks.len(), 38);
    for got in &reg.risks {
        let want = nw.risks.iter().find(|w| w.id == got.id).unwrap();
        assert_eq!(got.title, want.title);
        assert_eq!(got.vulnerability, want.vulnerability, "{}", got.id);
        // A new register has no own controls (issue 16): their links are
        // left out, and the report says so.
        let annex_a: Vec<_> = want
            .controls
            .iter()
            .filter(|c| !nw.own_controls.iter().any(|o| o.id == **c))
            .cloned()
            .collect();
        assert_eq!(got.controls, annex_a, "{}", got.id);
        assert_eq!(got.reviewed, want.reviewed, "{}", got.id);
        assert_eq!(got.due, want.due, "{}", got.id);
        assert_eq!(
            (got.likelihood, got.impact, got.treatment),
            (want.likelihood, want.impact, want.treatment)
        );
        assert_eq!(asset_name(&reg, &got.asset), asset_name(&nw, &want.asset));
    }
}

// ------------------------------------------------------------ round trip

/// A temporary copy of northwind, mode 0640 (to see that it is kept).
fn northwind_copy() -> (tempfile::TempDir, PathBuf) {
    let (dir, file) = common::northwind_copy();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    (dir, file)
}

fn export_csv(dir: &Path) -> Vec<Vec<String>> {
    let r = run(&["risks", "registers/northwind.ron", "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let _ = dir;
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(r.stdout.as_bytes())
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

fn write_csv(path: &Path, rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

fn set_csv(rows: &mut [Vec<String>], id: &str, column: &str, value: &str) {
    let c = rows[0].iter().position(|h| h == column).unwrap();
    let r = rows.iter().position(|r| r[0] == id).unwrap();
    rows[r][c] = value.into();
}

fn import_into(sheet: &Path, register: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["import", p(sheet), "--into", p(register)];
    args.extend_from_slice(extra);
    run(&args)
}

/// The three edits every round trip makes.
const EDITED: [(&str, &str); 3] = [
    ("R-002", "owner"),
    ("R-003", "likelihood"),
    ("R-005", "title"),
];
const NEW_OWNER: &str = "Chief Information Security Officer";
const NEW_TITLE: &str = "Unsecured S3 bucket exposes customer exports (edited)";

/// Findings of `check --format json` as (code, at, message), without the
/// ones about the edited risks.
fn findings_apart_from_edits(path: &Path) -> BTreeSet<(String, String, String)> {
    let r = run(&["check", p(path), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut out = BTreeSet::new();
    for kind in ["errors", "warnings"] {
        for f in v[kind].as_array().unwrap() {
            let at = f["at"].as_str().unwrap_or("").to_string();
            let message = f["message"].as_str().unwrap_or("").to_string();
            if EDITED
                .iter()
                .any(|(id, _)| at == *id || message.contains(id))
            {
                continue;
            }
            out.insert((f["code"].to_string(), at, message));
        }
    }
    out
}

/// What a round trip must leave: exactly the three edited fields changed
/// (in-process and through `riskbench diff`), everything the sheet cannot
/// carry as it was, check findings as they were, the mode kept and the
/// previous version as `.bak`.
fn assert_exactly_the_three_edits(original: &Path, updated: &Path, run_out: &Run) {
    assert_eq!(run_out.code, 0, "{}", run_out.stderr);
    let old = load(original);
    let new = load(updated);
    let changes = entity_changes(&old, &new);
    let got: Vec<(String, String, Vec<String>)> = changes
        .iter()
        .map(|c| {
            (
                format!("{} {}", c.entity, c.id),
                c.kind.as_str().to_string(),
                c.fields.iter().map(|f| f.field.clone()).collect(),
            )
        })
        .collect();
    let want: Vec<(String, String, Vec<String>)> = EDITED
        .iter()
        .map(|(id, f)| (format!("risk {id}"), "changed".into(), vec![f.to_string()]))
        .collect();
    assert_eq!(got, want, "{}", run_out.stderr);
    let risk = |reg: &Register, id: &str| reg.risks.iter().find(|r| r.id == id).unwrap().clone();
    assert_eq!(risk(&new, "R-002").owner, NEW_OWNER);
    assert_eq!(risk(&new, "R-003").likelihood, 2);
    assert_eq!(risk(&new, "R-005").title, NEW_TITLE);
    // What the sheet cannot carry is as it was.
    assert_eq!(new.controls, old.controls);
    assert_eq!(new.decisions, old.decisions);
    assert_eq!(new.baselines, old.baselines);
    assert_eq!(new.history, old.history);
    assert_eq!(new.factors, old.factors);
    assert_eq!(new.method, old.method);
    assert!(risk(&new, "R-006").acceptance.is_some());
    assert_eq!(risk(&new, "R-006"), risk(&old, "R-006"));
    assert!(risk(&new, "R-018").residual.is_some());
    assert_eq!(risk(&new, "R-018"), risk(&old, "R-018"));
    // Out of scope, so in no export: kept.
    assert_eq!(risk(&new, "R-039"), risk(&old, "R-039"));
    assert_eq!(risk(&new, "R-040"), risk(&old, "R-040"));

    // `riskbench diff` sees the same: exactly the three edited risks, each
    // naming its own field (`fields`, REGISTER.md §5).
    let d = run(&["diff", p(original), p(updated), "--format", "json"]);
    assert_eq!(d.code, 0, "{}", d.stderr);
    let v: serde_json::Value = serde_json::from_str(&d.stdout).unwrap();
    let listed: Vec<&str> = v["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in &listed {
        assert!(EDITED.iter().any(|(e, _)| e == id), "diff lists {id}");
    }
    assert!(listed.contains(&"R-003"), "{listed:?}");
    assert_eq!(listed, ["R-002", "R-003", "R-005"]);
    // Nothing else the register says changed.
    for key in [
        "register",
        "method",
        "factors",
        "assets",
        "threats",
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
        assert_eq!(v[key], serde_json::json!([]), "{key}");
    }
    for item in v["risks"].as_array().unwrap() {
        let fields = item["fields"].as_array().expect("fields is a list");
        // The risk's own fields (evaluated values may be named too;
        // "residual" is left out, as it names both the manual residual and
        // the evaluated one: entity_changes above covers it).
        const OWN: [&str; 14] = [
            "id",
            "title",
            "asset",
            "threat",
            "vulnerability",
            "likelihood",
            "impact",
            "treatment",
            "controls",
            "owner",
            "reviewed",
            "due",
            "acceptance",
            "factor",
        ];
        let names: Vec<&str> = fields
            .iter()
            .filter_map(|f| f.as_str())
            .filter(|n| OWN.contains(n))
            .collect();
        let id = item["id"].as_str().unwrap();
        let want = EDITED.iter().find(|(e, _)| *e == id).unwrap().1;
        assert_eq!(names, [want], "{id}");
    }
    // The diff was printed before writing, every edit in it.
    for (id, field) in EDITED {
        assert!(run_out.stdout.contains(id), "{id}: {}", run_out.stdout);
        assert!(
            run_out.stdout.contains(&format!("{field}: ")),
            "{field}: {}",
            run_out.stdout
        );
    }

    assert_eq!(
        findings_apart_from_edits(original),
        findings_apart_from_edits(updated)
    );
    let mode = std::fs::metadata(updated).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the register's mode is kept");
    let bak = updated.with_file_name("northwind.ron.bak");
    assert_eq!(
        std::fs::read(bak).unwrap(),
        std::fs::read(original).unwrap()
    );
}

#[test]
fn csv_round_trip_changes_exactly_the_edited_cells() {
    let (dir, reg) = northwind_copy();
    let mut rows = export_csv(dir.path());
    set_csv(&mut rows, "R-002", "owner", NEW_OWNER);
    set_csv(&mut rows, "R-003", "likelihood", "2");
    set_csv(&mut rows, "R-005", "title", NEW_TITLE);
    let csv = dir.path().join("edited.csv");
    write_csv(&csv, &rows);
    let r = import_into(&csv, &reg, &[]);
    assert_exactly_the_three_edits(&root().join("registers/northwind.ron"), &reg, &r);
    // Out-of-scope risks are not in the sheet and are listed as such.
    assert!(
        r.stderr.contains("R-039") && r.stderr.contains("R-040"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("out of scope"), "{}", r.stderr);
}

#[test]
fn xlsx_round_trip_changes_exactly_the_edited_cells() {
    let (dir, reg) = northwind_copy();
    let exported = dir.path().join("nw.xlsx");
    let ex = run(&["risks", p(&reg), "--format", "xlsx", "-o", p(&exported)]);
    assert_eq!(ex.code, 0, "{}", ex.stderr);
    let mut sheets = read_workbook(&exported);
    let rr = sheets
        .iter()
        .position(|(n, _)| n == "Risk register")
        .unwrap();
    {
        let rows = &mut sheets[rr].1;
        let (o, l, t) = (
            col(rows, "Owner"),
            col(rows, "Likelihood"),
            col(rows, "Title"),
        );
        let r2 = row_of(rows, "R-002");
        rows[r2][o] = Data::String(NEW_OWNER.into());
        let r3 = row_of(rows, "R-003");
        rows[r3][l] = Data::Float(2.0);
        let r5 = row_of(rows, "R-005");
        rows[r5][t] = Data::String(NEW_TITLE.into());
    }
    let edited = dir.path().join("edited.xlsx");
    write_workbook(&edited, &sheets);
    let r = import_into(&edited, &reg, &[]);
    assert!(r.stderr.contains("sheet \"Risk register\""), "{}", r.stderr);
    assert_exactly_the_three_edits(&root().join("registers/northwind.ron"), &reg, &r);
}

#[test]
fn an_unchanged_export_changes_nothing_and_writes_nothing() {
    let (dir, reg) = northwind_copy();
    let before = std::fs::read(&reg).unwrap();
    let csv = dir.path().join("same.csv");
    write_csv(&csv, &export_csv(dir.path()));
    let r = import_into(&csv, &reg, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("No changes"), "{}", r.stderr);
    assert_eq!(std::fs::read(&reg).unwrap(), before);
    assert!(!dir.path().join("northwind.ron.bak").exists());

    let xlsx = dir.path().join("same.xlsx");
    let ex = run(&["risks", p(&reg), "--format", "xlsx", "-o", p(&xlsx)]);
    assert_eq!(ex.code, 0, "{}", ex.stderr);
    let r = import_into(&xlsx, &reg, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("No changes"), "{}", r.stderr);
    assert_eq!(std::fs::read(&reg).unwrap(), before);
    assert!(!dir.path().join("northwind.ron.bak").exists());
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let (dir, reg) = northwind_copy();
    let before = std::fs::read(&reg).unwrap();
    let mut rows = export_csv(dir.path());
    set_csv(&mut rows, "R-003", "likelihood", "2");
    let csv = dir.path().join("edited.csv");
    write_csv(&csv, &rows);
    let r = import_into(&csv, &reg, &["--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("R-003"), "{}", r.stdout);
    assert!(r.stderr.contains("dry run"), "{}", r.stderr);
    assert_eq!(std::fs::read(&reg).unwrap(), before);
    assert!(!dir.path().join("northwind.ron.bak").exists());
}

#[test]
fn risks_missing_from_the_sheet_are_kept_unless_remove_missing() {
    let (dir, reg) = northwind_copy();
    let before = std::fs::read(&reg).unwrap();
    let mut rows = export_csv(dir.path());
    rows.retain(|r| r[0] != "R-004" && r[0] != "R-006");
    let csv = dir.path().join("fewer.csv");
    write_csv(&csv, &rows);

    let r = import_into(&csv, &reg, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("R-004") && r.stderr.contains("R-006"),
        "the missing risks are listed:\n{}",
        r.stderr
    );
    assert!(r.stderr.contains("--remove-missing"), "{}", r.stderr);
    assert!(r.stderr.contains("No changes"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(&reg).unwrap(),
        before,
        "kept: nothing to write"
    );

    let r = import_into(&csv, &reg, &["--remove-missing"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let old = load(&root().join("registers/northwind.ron"));
    let new = load(&reg);
    let changes = entity_changes(&old, &new);
    let removed: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| (c.id.as_str(), c.kind.as_str()))
        .collect();
    assert_eq!(removed, [("R-004", "removed"), ("R-006", "removed")]);
    assert!(changes.iter().all(|c| c.kind == EntityChangeKind::Removed));
    // Out-of-scope risks are in no export: never removed as missing.
    assert!(new.risks.iter().any(|r| r.id == "R-039"));
    assert!(new.risks.iter().any(|r| r.id == "R-040"));
    assert!(dir.path().join("northwind.ron.bak").exists());
}

#[test]
fn a_new_id_adds_a_risk_resolving_or_creating_its_asset_and_threat() {
    let (dir, reg) = northwind_copy();
    let mut rows = export_csv(dir.path());
    let header = rows[0].clone();
    let mut row = vec![String::new(); header.len()];
    let mut set = |name: &str, v: &str| {
        let c = header.iter().position(|h| h == name).unwrap();
        row[c] = v.into();
    };
    set("id", "R-100");
    set("title", "Laptop left on a train");
    set("asset_name", "staff laptops");
    set("threat_name", "Loss on public transport");
    set("likelihood", "3");
    set("impact", "Major");
    set("treatment", "Modify");
    set("controls", "A.8.1");
    set("owner", "COO");
    set("due", "31/03/2027");
    rows.push(row);
    let csv = dir.path().join("added.csv");
    write_csv(&csv, &rows);
    let r = import_into(&csv, &reg, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let old = load(&root().join("registers/northwind.ron"));
    let new = load(&reg);
    let added = new.risks.iter().find(|r| r.id == "R-100").unwrap();
    assert_eq!(added.asset, "A-07", "the asset is found by name");
    assert_eq!(threat_name(&new, &added.threat), "Loss on public transport");
    assert_eq!((added.likelihood, added.impact), (3, 4));
    assert_eq!(added.controls, ["8.1"]);
    assert_eq!(added.due, date("2027-03-31"));
    let changes: Vec<(&str, String, &str)> = entity_changes(&old, &new)
        .iter()
        .map(|c| (c.entity, c.id.clone(), c.kind.as_str()))
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        changes,
        [
            ("threat", added.threat.to_string(), "added"),
            ("risk", "R-100".to_string(), "added")
        ]
    );
    assert!(
        r.stderr.contains("Loss on public transport"),
        "{}",
        r.stderr
    );
    assert_eq!(run(&["check", p(&reg)]).code, 0);
}

#[test]
fn bad_cells_stop_the_update_with_their_position() {
    let (dir, reg) = northwind_copy();
    let before = std::fs::read(&reg).unwrap();
    let mut rows = export_csv(dir.path());
    set_csv(&mut rows, "R-003", "likelihood", "9");
    let csv = dir.path().join("bad.csv");
    write_csv(&csv, &rows);
    let r = import_into(&csv, &reg, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("bad.csv:4:6:"), "{}", r.stderr);
    assert_eq!(std::fs::read(&reg).unwrap(), before);

    // The same in a workbook: the cell named as SHEET!CELL.
    let xlsx = dir.path().join("bad.xlsx");
    let ex = run(&["risks", p(&reg), "--format", "xlsx", "-o", p(&xlsx)]);
    assert_eq!(ex.code, 0, "{}", ex.stderr);
    let mut sheets = read_workbook(&xlsx);
    let rr = sheets
        .iter()
        .position(|(n, _)| n == "Risk register")
        .unwrap();
    let rows = &mut sheets[rr].1;
    let (l, r3) = (col(rows, "Likelihood"), row_of(rows, "R-003"));
    rows[r3][l] = Data::Float(9.0);
    write_workbook(&xlsx, &sheets);
    let r = import_into(&xlsx, &reg, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("bad.xlsx:Risk register!H4:"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read(&reg).unwrap(), before);
}

#[test]
fn malformed_input_and_conflicting_options_are_exit_2() {
    let (dir, reg) = northwind_copy();
    let before = std::fs::read(&reg).unwrap();
    let r = import_into(Path::new(&fixture("malformed.csv")), &reg, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("malformed.csv:"), "{}", r.stderr);
    assert_eq!(std::fs::read(&reg).unwrap(), before);

    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "Register(\n  schema: 1,\n  name: \"x\",\n  oops\n").unwrap();
    let csv = dir.path().join("ok.csv");
    write_csv(&csv, &export_csv(dir.path()));
    let r = import_into(&csv, &broken, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("broken.ron:4:"), "{}", r.stderr);

    let out = dir.path().join("new.ron");
    let r = run(&["import", p(&csv), "--into", p(&reg), "-o", p(&out)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!out.exists());
    assert_eq!(std::fs::read(&reg).unwrap(), before);

    // --remove-missing only means something with --into.
    let r = run(&["import", p(&csv), "-o", p(&out), "--remove-missing"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--remove-missing"), "{}", r.stderr);
    assert!(!out.exists());

    // A sheet without an id column cannot be matched to risks.
    let noid = dir.path().join("noid.csv");
    std::fs::write(&noid, "title,likelihood,impact\nSomething,2,2\n").unwrap();
    let r = import_into(&noid, &reg, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("id"), "{}", r.stderr);
    assert_eq!(std::fs::read(&reg).unwrap(), before);
}

#[test]
fn awkward_text_comes_back_exactly_through_csv_and_xlsx() {
    // Text a spreadsheet would run, white space the importer joins, a line
    // break as Windows writes it, a text longer than an Excel cell holds:
    // an unchanged export keeps every byte, and an edit elsewhere in the
    // row changes only the edited field.
    let (dir, file) = northwind_copy();
    let mut reg = load(&file);
    let set = |reg: &mut Register, id: &str, f: &dyn Fn(&mut riskbench::domain::Risk)| {
        f(reg.risks.iter_mut().find(|r| r.id == id).unwrap())
    };
    set(&mut reg, "R-001", &|r| {
        r.title = "=HYPERLINK(\"http://x\")".into()
    });
    set(&mut reg, "R-002", &|r| r.title = "-  spaced  title ".into());
    set(&mut reg, "R-003", &|r| {
        r.vulnerability = "line one\r\nline two\n  indented ".into()
    });
    set(&mut reg, "R-004", &|r| r.owner = "  CTO  ".into());
    set(&mut reg, "R-007", &|r| r.title = "'quoted".into());
    set(&mut reg, "R-008", &|r| r.title = "tab\there".into());
    set(&mut reg, "R-009", &|r| {
        r.vulnerability = "long text ".repeat(4000)
    });
    set(&mut reg, "R-010", &|r| r.owner = "@owner".into());
    std::fs::write(&file, riskbench::domain::canonical::to_canonical(&reg)).unwrap();
    let before = std::fs::read(&file).unwrap();

    let export = run(&["risks", p(&file), "--format", "csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let csv = dir.path().join("awkward.csv");
    std::fs::write(&csv, &export.stdout).unwrap();
    let xlsx = dir.path().join("awkward.xlsx");
    let ex = run(&["risks", p(&file), "--format", "xlsx", "-o", p(&xlsx)]);
    assert_eq!(ex.code, 0, "{}", ex.stderr);
    for sheet in [&csv, &xlsx] {
        let r = import_into(sheet, &file, &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("No changes"), "{}", r.stderr);
        assert_eq!(std::fs::read(&file).unwrap(), before);
    }

    // One edit per awkward row, in another field: only that field changes.
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(export.stdout.as_bytes())
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    for id in ["R-001", "R-002", "R-003", "R-009"] {
        set_csv(&mut rows, id, "owner", "New owner");
    }
    set_csv(&mut rows, "R-004", "impact", "1");
    write_csv(&csv, &rows);
    let r = import_into(&csv, &file, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let changes: Vec<(String, Vec<String>)> = entity_changes(&reg, &load(&file))
        .iter()
        .map(|c| {
            (
                c.id.clone(),
                c.fields.iter().map(|f| f.field.clone()).collect(),
            )
        })
        .collect();
    let want: Vec<(String, Vec<String>)> = [
        ("R-001", "owner"),
        ("R-002", "owner"),
        ("R-003", "owner"),
        ("R-004", "impact"),
        ("R-009", "owner"),
    ]
    .iter()
    .map(|(id, f)| (id.to_string(), vec![f.to_string()]))
    .collect();
    assert_eq!(changes, want);
}

#[test]
fn skip_bad_rows_applies_the_good_rows_and_keeps_the_bad_rows_risks() {
    let (dir, reg) = northwind_copy();
    let old = load(&reg);
    let mut rows = export_csv(dir.path());
    set_csv(&mut rows, "R-003", "likelihood", "9");
    set_csv(&mut rows, "R-002", "owner", NEW_OWNER);
    let csv = dir.path().join("partly.csv");
    write_csv(&csv, &rows);
    let r = import_into(&csv, &reg, &["--skip-bad-rows", "--remove-missing"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("partly.csv:4:6:"), "{}", r.stderr);
    let changes: Vec<(String, Vec<String>)> = entity_changes(&old, &load(&reg))
        .iter()
        .map(|c| {
            (
                c.id.clone(),
                c.fields.iter().map(|f| f.field.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [("R-002".to_string(), vec!["owner".to_string()])],
        "R-003's row could not be read: the risk is kept, not removed as missing"
    );
}

#[test]
fn a_sheet_with_some_columns_updates_only_those_fields() {
    // Semicolons and day-first dates, as a colleague's own sheet: only
    // owners and review dates, by id.
    let (dir, reg) = northwind_copy();
    let old = load(&reg);
    let sheet = dir.path().join("owners.csv");
    std::fs::write(
        &sheet,
        "Risk ID;Risk owner;Last reviewed\nR-001;CTO;12.11.2026\nR-002;COO;01/12/2026\n",
    )
    .unwrap();
    let r = import_into(&sheet, &reg, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let got: Vec<(String, Vec<String>)> = entity_changes(&old, &load(&reg))
        .iter()
        .map(|c| {
            (
                c.id.clone(),
                c.fields.iter().map(|f| f.field.clone()).collect(),
            )
        })
        .collect();
    // R-001 already says CTO and 2026-11-12: unchanged.
    assert_eq!(
        got,
        [(
            "R-002".to_string(),
            vec!["owner".to_string(), "reviewed".to_string()]
        )]
    );
    let new = load(&reg);
    assert_eq!(new.risks[1].reviewed, date("2026-12-01"));
    // The risks the sheet does not list are kept and named.
    assert!(
        r.stderr.contains("not in the sheet, kept: R-003"),
        "{}",
        r.stderr
    );

    // A new id in such a sheet cannot make a risk: no likelihood, no impact.
    std::fs::write(&sheet, "Risk ID;Risk owner\nR-200;COO\n").unwrap();
    let before = std::fs::read(&reg).unwrap();
    let r = import_into(&sheet, &reg, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("owners.csv:2:1: a new risk needs"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("a likelihood"), "{}", r.stderr);
    assert_eq!(std::fs::read(&reg).unwrap(), before);
}

#[test]
fn an_asset_changed_by_name_points_the_risk_at_that_asset() {
    let (dir, reg) = northwind_copy();
    let old = load(&reg);
    let mut rows = export_csv(dir.path());
    // An existing asset, named in other capitals; and a new one.
    set_csv(&mut rows, "R-002", "asset_name", "STAFF LAPTOPS");
    set_csv(&mut rows, "R-003", "asset_name", "Marketing website");
    let csv = dir.path().join("assets.csv");
    write_csv(&csv, &rows);
    let r = import_into(&csv, &reg, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let new = load(&reg);
    let risk = |id: &str| new.risks.iter().find(|r| r.id == id).unwrap();
    assert_eq!(risk("R-002").asset, "A-07");
    assert_eq!(asset_name(&new, &risk("R-003").asset), "Marketing website");
    assert_eq!(risk("R-003").asset, "A-19");
    let got: Vec<(&str, String, &str)> = entity_changes(&old, &new)
        .iter()
        .map(|c| (c.entity, c.id.clone(), c.kind.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("asset", "A-19".to_string(), "added"),
            ("risk", "R-002".to_string(), "changed"),
            ("risk", "R-003".to_string(), "changed"),
        ]
    );
    assert!(
        r.stderr
            .contains("created: asset A-19 \"Marketing website\""),
        "{}",
        r.stderr
    );
}
