//! `riskbench import` reads C/I/A (issue 16, item 4): the `cia` column
//! `risks --format csv` writes comes back, fresh and `--into`; the shapes
//! sheets keep it in (one column of names or letters under many headers,
//! or one yes/no column per property, CSV and xlsx) are understood; an
//! unreadable cell stops the import with its position; and a lone `I`
//! column never becomes Integrity.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::collections::BTreeSet;
use std::path::Path;

use riskbench::domain::fields::entity_changes;
use riskbench::domain::{Cia, Register};
use rust_xlsxwriter::Workbook;

mod common;
use common::{Run, northwind_copy, p, run_today as run};

use Cia::{Availability as A, Confidentiality as C, Integrity as I};

fn load(path: &Path) -> Register {
    riskbench::store::load_file(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .register
}

fn set(cia: &[Cia]) -> BTreeSet<Cia> {
    cia.iter().copied().collect()
}

/// `risks FILE --format csv` as rows of cells.
fn export_csv(register: &Path) -> Vec<Vec<String>> {
    let r = run(&["risks", p(register), "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
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

fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
    v.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// `import SHEET ARGS -o DIR/out.ron`: the run and the register, if written.
fn import_new(dir: &Path, sheet: &Path, args: &[&str]) -> (Run, Option<Register>) {
    let out = dir.join("out.ron");
    let _ = std::fs::remove_file(&out);
    let mut all = vec!["import", p(sheet)];
    all.extend_from_slice(args);
    all.extend(["-o", p(&out)]);
    let r = run(&all);
    let reg = out.exists().then(|| load(&out));
    (r, reg)
}

/// The cia of each imported risk, by title.
fn cia_by_title(reg: &Register) -> Vec<(String, Vec<Cia>)> {
    reg.risks
        .iter()
        .map(|r| (r.title.clone(), r.cia.clone()))
        .collect()
}

fn import_into(sheet: &Path, register: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["import", p(sheet), "--into", p(register)];
    args.extend_from_slice(extra);
    run(&args)
}

// ------------------------------------------------------------ round trip

#[test]
fn a_csv_export_imports_back_with_every_risks_cia() {
    let dir = tempfile::tempdir().unwrap();
    let original = load(&common::root().join("registers/northwind.ron"));
    let csv = dir.path().join("nw.csv");
    write_csv(
        &csv,
        &export_csv(&common::root().join("registers/northwind.ron")),
    );
    let (r, reg) = import_new(dir.path(), &csv, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reg = reg.unwrap();
    assert!(
        r.stderr.contains("\"cia\"") && r.stderr.contains("→ cia"),
        "the cia column is read:\n{}",
        r.stderr
    );
    assert!(reg.risks.len() > 30);
    let mut with_cia = 0;
    for risk in &reg.risks {
        let old = original.risks.iter().find(|o| o.id == risk.id).unwrap();
        assert_eq!(set(&risk.cia), set(&old.cia), "{}", risk.id);
        // Stored in C, I, A order, each once.
        let ordered: Vec<Cia> = Cia::ALL
            .into_iter()
            .filter(|c| risk.cia.contains(c))
            .collect();
        assert_eq!(risk.cia, ordered, "{}", risk.id);
        with_cia += usize::from(!risk.cia.is_empty());
    }
    assert!(with_cia > 20, "northwind's risks name their properties");
    assert_eq!(run(&["check", p(&dir.path().join("out.ron"))]).code, 0);
}

#[test]
fn importing_the_same_csv_into_the_register_changes_nothing() {
    let (dir, reg) = northwind_copy();
    // A risk whose file keeps its properties in another order: the same
    // set, so the same bytes.
    let text = std::fs::read_to_string(&reg).unwrap();
    let text = text.replacen(
        "cia: [Confidentiality, Integrity],",
        "cia: [Integrity, Confidentiality],",
        1,
    );
    assert!(text.contains("cia: [Integrity, Confidentiality],"));
    std::fs::write(&reg, &text).unwrap();
    let before = std::fs::read(&reg).unwrap();
    let csv = dir.path().join("same.csv");
    write_csv(&csv, &export_csv(&reg));

    let r = import_into(&csv, &reg, &["--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("→ cia"), "{}", r.stderr);
    assert!(!r.stdout.contains("cia"), "{}", r.stdout);
    let r = import_into(&csv, &reg, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("No changes"), "{}", r.stderr);
    assert_eq!(std::fs::read(&reg).unwrap(), before);
}

#[test]
fn a_changed_cia_cell_changes_exactly_that_risks_cia() {
    let (dir, reg) = northwind_copy();
    let old = load(&reg);
    let mut sheet = export_csv(&reg);
    let c = sheet[0].iter().position(|h| h == "cia").unwrap();
    // The first exported risk whose cia is not "Availability" alone.
    let r = (1..sheet.len())
        .find(|&r| sheet[r][c] != "Availability")
        .unwrap();
    let id = sheet[r][0].clone();
    sheet[r][c] = "Availability".into();
    let csv = dir.path().join("edited.csv");
    write_csv(&csv, &sheet);

    let dry = import_into(&csv, &reg, &["--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(dry.stdout.contains(&id), "{}", dry.stdout);
    let run_out = import_into(&csv, &reg, &[]);
    assert_eq!(run_out.code, 0, "{}", run_out.stderr);
    let new = load(&reg);
    let changes: Vec<(String, Vec<String>)> = entity_changes(&old, &new)
        .iter()
        .map(|c| {
            (
                format!("{} {}", c.entity, c.id),
                c.fields.iter().map(|f| f.field.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(changes, [(format!("risk {id}"), vec!["cia".to_string()])]);
    let risk = new.risks.iter().find(|x| x.id == id.as_str()).unwrap();
    assert_eq!(risk.cia, [A]);
}

// ------------------------------------------------------ shapes of values

/// Every header the one-column form goes by, with every value shape.
#[test]
fn one_column_under_any_usual_name_in_any_usual_shape() {
    let dir = tempfile::tempdir().unwrap();
    let values: [(&str, &[Cia]); 17] = [
        ("Confidentiality; Availability", &[C, A]),
        ("C, A", &[C, A]),
        ("CA", &[C, A]),
        ("C·A", &[C, A]),
        ("C/I/A", &[C, I, A]),
        ("c i", &[C, I]),
        ("availability; INTEGRITY", &[I, A]),
        ("Integrity", &[I]),
        ("Vertraulichkeit, Integrität, Verfügbarkeit", &[C, I, A]),
        ("Verfügbarkeit", &[A]),
        ("Confidentialité, Intégrité, Disponibilité", &[C, I, A]),
        ("disponibilité", &[A]),
        ("-", &[]),
        ("—", &[]),
        ("n/a", &[]),
        ("", &[]),
        ("CIA", &[C, I, A]),
    ];
    for header in [
        "cia",
        "C/I/A",
        "CIA",
        "CIA impact",
        "Security objectives",
        "Security objective",
        "Protection goals",
        "Protection goal",
        "Affected properties",
        "Schutzziele",
        "Schutzziel",
        "DIC",
    ] {
        let mut sheet = vec![vec![
            "Risk".to_string(),
            "Likelihood".into(),
            "Impact".into(),
            header.into(),
        ]];
        for (i, (v, _)) in values.iter().enumerate() {
            sheet.push(vec![
                format!("Risk {i}"),
                "3".into(),
                "3".into(),
                v.to_string(),
            ]);
        }
        let csv = dir.path().join("shapes.csv");
        write_csv(&csv, &sheet);
        let (r, reg) = import_new(dir.path(), &csv, &[]);
        assert_eq!(r.code, 0, "{header:?}:\n{}", r.stderr);
        assert!(r.stderr.contains("→ cia"), "{header:?}:\n{}", r.stderr);
        let got = cia_by_title(&reg.unwrap());
        let want: Vec<(String, Vec<Cia>)> = values
            .iter()
            .enumerate()
            .map(|(i, (_, c))| (format!("Risk {i}"), c.to_vec()))
            .collect();
        assert_eq!(got, want, "{header:?}");
    }
}

#[test]
fn three_yes_no_columns_in_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("flags.csv");
    write_csv(
        &csv,
        &rows(&[
            &[
                "Risk",
                "Likelihood",
                "Impact",
                "Confidentiality",
                "Integrity",
                "Availability",
            ],
            &["r1", "3", "3", "x", "", "yes"],
            &["r2", "3", "3", "1", "true", "✓"],
            &["r3", "3", "3", "no", "0", "-"],
            &["r4", "3", "3", "N", "Y", "false"],
        ]),
    );
    let (r, reg) = import_new(dir.path(), &csv, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for field in ["confidentiality", "integrity", "availability"] {
        assert!(r.stderr.contains(&format!("→ {field}")), "{}", r.stderr);
    }
    assert_eq!(
        cia_by_title(&reg.unwrap()),
        [
            ("r1".to_string(), vec![C, A]),
            ("r2".to_string(), vec![C, I, A]),
            ("r3".to_string(), vec![]),
            ("r4".to_string(), vec![I]),
        ]
    );

    // German and French headers and words.
    write_csv(
        &csv,
        &rows(&[
            &[
                "Risk",
                "Likelihood",
                "Impact",
                "Vertraulichkeit",
                "Integrität",
                "Verfügbarkeit",
            ],
            &["r1", "3", "3", "ja", "nein", "x"],
        ]),
    );
    let (r, reg) = import_new(dir.path(), &csv, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        cia_by_title(&reg.unwrap()),
        [("r1".to_string(), vec![C, A])]
    );
    write_csv(
        &csv,
        &rows(&[
            &[
                "Risk",
                "Likelihood",
                "Impact",
                "Confidentialité",
                "Intégrité",
                "Disponibilité",
            ],
            &["r1", "3", "3", "oui", "oui", "non"],
        ]),
    );
    let (r, reg) = import_new(dir.path(), &csv, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        cia_by_title(&reg.unwrap()),
        [("r1".to_string(), vec![C, I])]
    );
}

#[test]
fn three_letter_columns_in_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("flags.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Risk", "Likelihood", "Impact", "C", "I", "A"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // Crosses, booleans and numbers, as spreadsheets keep them.
    ws.write_string(1, 0, "r1").unwrap();
    ws.write_number(1, 1, 3.0).unwrap();
    ws.write_number(1, 2, 4.0).unwrap();
    ws.write_string(1, 3, "x").unwrap();
    ws.write_boolean(1, 4, false).unwrap();
    ws.write_number(1, 5, 1.0).unwrap();
    ws.write_string(2, 0, "r2").unwrap();
    ws.write_number(2, 1, 2.0).unwrap();
    ws.write_number(2, 2, 2.0).unwrap();
    ws.write_boolean(2, 4, true).unwrap();
    wb.save(&xlsx).unwrap();
    let (r, reg) = import_new(dir.path(), &xlsx, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reg = reg.unwrap();
    assert_eq!(
        cia_by_title(&reg),
        [("r1".to_string(), vec![C, A]), ("r2".to_string(), vec![I])]
    );
    assert_eq!(reg.risks[0].impact, 4, "Impact is still the impact");

    // One column of a workbook, names in another order.
    let xlsx = dir.path().join("one.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Risk", "Likelihood", "Impact", "Protection goals"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "r1").unwrap();
    ws.write_number(1, 1, 3.0).unwrap();
    ws.write_number(1, 2, 3.0).unwrap();
    ws.write_string(1, 3, "Availability, Confidentiality")
        .unwrap();
    wb.save(&xlsx).unwrap();
    let (r, reg) = import_new(dir.path(), &xlsx, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        cia_by_title(&reg.unwrap()),
        [("r1".to_string(), vec![C, A])]
    );
}

// ------------------------------------------------------------ bad cells

#[test]
fn an_unreadable_cia_cell_stops_the_import_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bad.csv");
    write_csv(
        &csv,
        &rows(&[
            &["Risk", "Likelihood", "Impact", "CIA"],
            &["r1", "3", "3", "C, A"],
            &["r2", "3", "3", "High"],
        ]),
    );
    let (r, reg) = import_new(dir.path(), &csv, &[]);
    assert!(reg.is_none(), "nothing may be written");
    // The same exit code as a bad likelihood.
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("bad.csv:3:4: cia \"High\""),
        "{}",
        r.stderr
    );

    write_csv(
        &csv,
        &rows(&[
            &[
                "Risk",
                "Likelihood",
                "Impact",
                "Confidentiality",
                "Integrity",
                "Availability",
            ],
            &["r1", "3", "3", "x", "maybe", ""],
        ]),
    );
    let (r, reg) = import_new(dir.path(), &csv, &[]);
    assert!(reg.is_none());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("bad.csv:2:5: integrity \"maybe\""),
        "{}",
        r.stderr
    );

    // `--into`: the register untouched, the cell named, as a bad likelihood.
    let (dir, reg) = northwind_copy();
    let before = std::fs::read(&reg).unwrap();
    let mut sheet = export_csv(&reg);
    let c = sheet[0].iter().position(|h| h == "cia").unwrap();
    sheet[3][c] = "Confidentiality; Secrecy".into();
    let csv = dir.path().join("bad.csv");
    write_csv(&csv, &sheet);
    let r = import_into(&csv, &reg, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("bad.csv:4:{}: cia", c + 1)),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("\"Secrecy\""), "{}", r.stderr);
    assert_eq!(std::fs::read(&reg).unwrap(), before);
}

// ---------------------------------------------- `I` is not always Integrity

#[test]
fn an_i_column_is_integrity_only_beside_c_and_a() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("letters.csv");
    // C, I and A side by side: the three properties.
    write_csv(
        &csv,
        &rows(&[
            &["Risk", "Likelihood", "Impact", "C", "I", "A"],
            &["r1", "2", "5", "", "x", "x"],
        ]),
    );
    let (r, reg) = import_new(dir.path(), &csv, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reg = reg.unwrap();
    assert_eq!(cia_by_title(&reg), [("r1".to_string(), vec![I, A])]);
    assert_eq!((reg.risks[0].likelihood, reg.risks[0].impact), (2, 5));

    // "L" and "I" mapped as likelihood and impact: I stays the impact, and
    // C and A beside it are not taken for a trio.
    write_csv(
        &csv,
        &rows(&[&["Risk", "L", "I", "C", "A"], &["r1", "2", "4", "x", "x"]]),
    );
    let (r, reg) = import_new(
        dir.path(),
        &csv,
        &["--map", "L=likelihood", "--map", "I=impact"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reg = reg.unwrap();
    assert_eq!((reg.risks[0].likelihood, reg.risks[0].impact), (2, 4));
    assert!(reg.risks[0].cia.is_empty());

    // A lone "I" beside the usual columns is not read as Integrity (its
    // "4" would be no yes/no): ignored as before.
    write_csv(
        &csv,
        &rows(&[
            &["Risk", "Likelihood", "Impact", "I"],
            &["r1", "2", "3", "4"],
        ]),
    );
    let (r, reg) = import_new(dir.path(), &csv, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reg = reg.unwrap();
    assert_eq!((reg.risks[0].likelihood, reg.risks[0].impact), (2, 3));
    assert!(reg.risks[0].cia.is_empty());
}

/// The workbook's risk register and the html page carry C/I/A too (issue
/// 16: "a column in the Risks table and exports"), and the workbook's
/// column comes back through `import` like the CSV's.
#[test]
fn the_workbook_and_the_html_page_carry_cia_and_the_workbook_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let nw = common::root().join("registers/northwind.ron");
    let original = load(&nw);
    let xlsx = dir.path().join("risks.xlsx");
    let r = run(&["risks", p(&nw), "--format", "xlsx", "-o", p(&xlsx)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (r, reg) = import_new(dir.path(), &xlsx, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("→ cia"), "{}", r.stderr);
    let reg = reg.unwrap();
    assert!(reg.risks.iter().any(|r| !r.cia.is_empty()));
    for risk in &reg.risks {
        let old = original.risks.iter().find(|o| o.id == risk.id).unwrap();
        assert_eq!(set(&risk.cia), set(&old.cia), "{}", risk.id);
    }

    let html = dir.path().join("risks.html");
    let r = run(&["risks", p(&nw), "--format", "html", "-o", p(&html)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<th>CIA</th>"), "the page has the column");
    let r006 = original.risks.iter().find(|r| r.id == "R-006").unwrap();
    let row = page
        .lines()
        .find(|l| l.starts_with("<tr id=\"risk-R-006\">"))
        .unwrap();
    assert!(
        // CIA, then (issue 17) the notes, last: R-006 has none.
        row.ends_with(&format!("<td>{}</td><td></td></tr>", Cia::names(&r006.cia))),
        "{row}"
    );
}
