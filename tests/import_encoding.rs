//! Issue 11, items 9 (CSV side) and 15: `risks --format csv` neutralises
//! cells a spreadsheet would run as formulas and `import` takes the
//! neutralising `'` off again; a formula-looking cell on import is reported,
//! never evaluated; UTF-16 files are read, a file that is mostly UTF-8 with
//! a few bad lines reports those lines instead of turning into
//! Windows-1252; CR-only line endings give the right line numbers; a keymap
//! with a byte-order mark loads.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::{Path, PathBuf};

use riskbench::domain::{Asset, AssetKind, Register, Threat};

mod common;
use common::{Run, TODAY, p, riskbench_in, root, run_command};

fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_command(riskbench_in(dir), &[args, &["--today", TODAY]].concat())
}

fn load(path: &Path) -> Register {
    riskbench::store::load_file(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .register
}

fn asset_name<'r>(reg: &'r Register, id: &str) -> &'r str {
    &reg.assets.iter().find(|a| a.id == id).unwrap().name
}

fn threat_name<'r>(reg: &'r Register, id: &str) -> &'r str {
    &reg.threats.iter().find(|t| t.id == id).unwrap().name
}

/// Writes `bytes` as `name` in `dir` and imports it (`extra` options);
/// returns the run and the register when one was written.
fn import(dir: &Path, name: &str, bytes: &[u8], extra: &[&str]) -> (Run, Option<Register>) {
    std::fs::write(dir.join(name), bytes).unwrap();
    let out = dir.join(format!("{name}.ron"));
    let _ = std::fs::remove_file(&out);
    let mut args = vec!["import", name, "-o", p(&out)];
    args.extend_from_slice(extra);
    let r = run_in(dir, &args);
    let reg = out.exists().then(|| load(&out));
    (r, reg)
}

// ------------------------------------------------------ formula injection

/// The six characters OWASP lists as starting a formula (or hiding one).
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The spec example with one risk per trigger whose title, owner and
/// vulnerability start with it, on an asset and a threat whose names do.
fn formula_register() -> Register {
    let mut reg = load(&root().join("tests/fixtures/spec-example.ron"));
    let template = reg.risks[0].clone();
    reg.risks.clear();
    for (i, c) in TRIGGERS.iter().enumerate() {
        let n = i + 1;
        reg.assets.push(Asset {
            id: format!("A-1{n}").into(),
            name: format!("{c}asset {n}"),
            kind: AssetKind::Information,
            owner: format!("{c}asset owner"),
            factor: None,
        });
        reg.threats.push(Threat {
            source: String::new(),
            id: format!("T-1{n}").into(),
            name: format!("{c}threat {n}"),
            shift: 0,
        });
        let mut r = template.clone();
        r.id = format!("R-00{n}").into();
        r.title = format!("{c}title {n} =HYPERLINK(\"http://x\")");
        r.owner = format!("{c}owner {n}");
        r.vulnerability = format!("{c}vulnerability {n}");
        r.asset = format!("A-1{n}").into();
        r.threat = format!("T-1{n}").into();
        reg.risks.push(r);
    }
    reg
}

#[test]
fn risks_csv_neutralises_formula_cells_and_import_takes_the_prefix_off() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let reg = formula_register();
    let file = d.join("formulas.ron");
    std::fs::write(&file, riskbench::domain::canonical::to_canonical(&reg)).unwrap();
    let export = run_in(d, &["risks", "formulas.ron", "--format", "csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let csv = &export.stdout;

    // Every cell that starts with a trigger is written with a leading '.
    let mut rdr = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let mut cells = 0;
    for row in rdr.records() {
        for (h, cell) in headers.iter().zip(row.unwrap().iter()) {
            assert!(
                !cell.starts_with(TRIGGERS),
                "{h}: {cell:?} is not neutralised"
            );
            if cell.starts_with('\'') {
                cells += 1;
            }
        }
    }
    // title, vulnerability, owner, asset_name and threat_name in each row.
    assert_eq!(cells, 5 * TRIGGERS.len(), "{csv}");

    // Back through import: the same values, without the '.
    std::fs::write(d.join("formulas.csv"), csv).unwrap();
    let out = d.join("back.ron");
    let r = run_in(d, &["import", "formulas.csv", "-o", p(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Neutralised cells are text by construction: nothing to report.
    assert!(!r.stderr.contains("spreadsheet formula"), "{}", r.stderr);
    let back = load(&out);
    assert_eq!(back.risks.len(), TRIGGERS.len());
    for (orig, got) in reg.risks.iter().zip(&back.risks) {
        // Import trims white space around every cell (as from any CSV): a
        // value that starts with TAB or CR comes back without it.
        let want = |s: &str| s.trim().to_string();
        assert_eq!(got.id, orig.id);
        assert_eq!(got.title, want(&orig.title), "{}", got.id);
        assert_eq!(got.owner, want(&orig.owner), "{}", got.id);
        assert_eq!(got.vulnerability, want(&orig.vulnerability), "{}", got.id);
        assert_eq!(
            asset_name(&back, &got.asset),
            want(asset_name(&reg, &orig.asset))
        );
        assert_eq!(
            threat_name(&back, &got.threat),
            want(threat_name(&reg, &orig.threat))
        );
    }
    // The four that are not white space come back exactly.
    for (orig, got) in reg.risks.iter().zip(&back.risks).take(4) {
        assert_eq!(got.title, orig.title);
        assert!(got.title.starts_with(['=', '+', '-', '@']), "{}", got.title);
    }
}

#[test]
fn formula_cells_on_import_are_reported_and_never_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = "Title,Likelihood,Impact,Owner,Treatment,Controls,Review date\n\
               =HYPERLINK(\"http://evil\"),3,4,=cmd|' /C calc'!A0,Mitigate,A.8.13,2026-01-01\n\
               Number as a formula,=2,4,x,Mitigate,A.8.13,2026-01-01\n\
               Sum as a formula,3,=SUM(A1:A2),x,Mitigate,A.8.13,2026-01-01\n\
               Neutralised number,'=2,4,x,Mitigate,A.8.13,2026-01-01\n\
               Treatment formula,3,4,x,=\"Accept\",A.8.13,2026-01-01\n\
               Date formula,3,4,x,Mitigate,A.8.13,=DATE(2026;1;1)\n\
               Controls formula,3,4,x,Mitigate,=A.8.13,2026-01-01\n\
               Negative likelihood,-3,4,x,Mitigate,A.8.13,2026-01-01\n\
               '=Text that was neutralised,3,4,x,Mitigate,A.8.13,2026-01-01\n";
    let (r, reg) = import(d, "formulas.csv", csv.as_bytes(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(reg.is_none());
    let e = &r.stderr;
    // Number, treatment, date and control cells: the row cannot be
    // imported, at the cell's position.
    for (line, col) in [(3, 2), (4, 3), (5, 2), (6, 5), (7, 7), (8, 6), (9, 2)] {
        let at = format!("formulas.csv:{line}:{col}: ");
        let msg = e
            .lines()
            .find(|l| l.trim_start().starts_with(&at))
            .unwrap_or_else(|| panic!("no {at}:\n{e}"));
        if line != 9 {
            assert!(msg.contains("formula"), "{msg}");
        }
    }
    // Text cells that look like formulas are kept as text and reported.
    assert!(
        e.contains("formulas.csv:2:1: title \"=HYPERLINK(\\\"http://evil\\\")\""),
        "{e}"
    );
    assert!(e.contains("formulas.csv:2:4: owner \"=cmd|"), "{e}");
    assert!(!e.contains("formulas.csv:10:1:"), "{e}");

    let (r, reg) = import(d, "formulas.csv", csv.as_bytes(), &["--skip-bad-rows"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reg = reg.unwrap();
    let titles: Vec<&str> = reg.risks.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        ["=HYPERLINK(\"http://evil\")", "=Text that was neutralised"]
    );
    assert_eq!(reg.risks[0].owner, "=cmd|' /C calc'!A0");
}

// -------------------------------------------------------------- encodings

/// What Excel's "Unicode Text" writes: UTF-16 with a byte-order mark,
/// tab-separated, CRLF.
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let b = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        bytes.extend_from_slice(&b);
    }
    bytes
}

const UNICODE_TEXT: &str = "Risk ID\tTitle\tAsset\tLikelihood\tImpact\tOwner\r\n\
    R-1\tGefährdung der Verfügbarkeit\tServer 日本\t3\t4\tJosé\r\n\
    R-2\t\"Two\r\nlines 🔥\"\tLaptop\t2\t5\tZoë\r\n";

#[test]
fn utf16_files_with_a_byte_order_mark_are_read() {
    let dir = tempfile::tempdir().unwrap();
    for (big, name) in [(false, "le.txt"), (true, "be.txt")] {
        let (r, reg) = import(dir.path(), name, &utf16(UNICODE_TEXT, big), &[]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let want = if big { "UTF-16 BE" } else { "UTF-16 LE" };
        assert!(r.stderr.contains(want), "{name}: {}", r.stderr);
        assert!(r.stderr.contains("tab-separated"), "{}", r.stderr);
        let reg = reg.unwrap();
        assert_eq!(reg.risks.len(), 2);
        assert_eq!(reg.risks[0].title, "Gefährdung der Verfügbarkeit");
        assert_eq!(reg.risks[0].owner, "José");
        assert_eq!(asset_name(&reg, &reg.risks[0].asset), "Server 日本");
        assert_eq!(reg.risks[1].title, "Two lines 🔥");
        assert_eq!(reg.risks[1].owner, "Zoë");
    }

    // An unpaired surrogate on line 3: that row is reported, the other read.
    let mut bytes = utf16(UNICODE_TEXT, false);
    let text: Vec<u16> = UNICODE_TEXT.encode_utf16().collect();
    let at = text.iter().position(|&u| u == u16::from(b'Z')).unwrap();
    bytes[2 + 2 * at..4 + 2 * at].copy_from_slice(&0xD800u16.to_le_bytes());
    let (r, _) = import(dir.path(), "lone.txt", &bytes, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("lone.txt:4:6: "), "{}", r.stderr);
    assert!(r.stderr.contains("UTF-16"), "{}", r.stderr);
}

#[test]
fn utf16_without_a_byte_order_mark_is_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = utf16(UNICODE_TEXT, false);
    let (r, reg) = import(dir.path(), "nobom.txt", &bytes[2..], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("UTF-16 LE"), "{}", r.stderr);
    assert_eq!(reg.unwrap().risks[0].owner, "José");
}

#[test]
fn a_mostly_utf8_file_reports_its_bad_lines_instead_of_turning_into_windows_1252() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "Title,Likelihood,Impact,Owner\n\
                     Café outage,3,4,José\n\
                     Plain,2,2,Bob\n"
        .as_bytes()
        .to_vec();
    // Line 4 in Latin-1: "Zoë" with ë as the single byte 0xEB.
    bytes.extend_from_slice(b"Pasted from elsewhere,2,3,Zo\xEB\n");
    bytes.extend_from_slice("Last,1,1,Ærø\n".as_bytes());
    let (r, reg) = import(dir.path(), "mixed.csv", &bytes, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(reg.is_none());
    assert!(r.stderr.contains("mixed.csv:4:4: "), "{}", r.stderr);
    assert!(r.stderr.contains("not valid UTF-8"), "{}", r.stderr);
    assert!(!r.stderr.contains("Windows-1252"), "{}", r.stderr);

    let (r, reg) = import(dir.path(), "mixed.csv", &bytes, &["--skip-bad-rows"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reg = reg.unwrap();
    let owners: Vec<&str> = reg.risks.iter().map(|r| r.owner.as_str()).collect();
    assert_eq!(owners, ["José", "Bob", "Ærø"], "not read as Windows-1252");

    // A file with no UTF-8 at all is still read as Windows-1252, and the
    // report says so and from which line.
    let latin = b"Title,Likelihood,Impact,Owner\nPlain,2,2,Bob\nCaf\xE9,3,4,Jos\xE9\n";
    let (r, reg) = import(dir.path(), "latin.csv", latin, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Windows-1252"), "{}", r.stderr);
    assert!(r.stderr.contains("line 3"), "{}", r.stderr);
    assert_eq!(reg.unwrap().risks[1].owner, "José");
}

#[test]
fn a_bad_byte_in_the_header_is_a_malformed_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = b"Title,Likelihood,Impact,Own\xE9r \xE2\x9C\x93\nA,1,1,x\n";
    let (r, reg) = import(dir.path(), "header.csv", bytes, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(reg.is_none());
    assert!(r.stderr.contains("header.csv:1:28: "), "{}", r.stderr);
}

#[test]
fn cr_only_line_endings_give_the_right_lines() {
    let dir = tempfile::tempdir().unwrap();
    // Old Mac Excel: CR only, a sep= line, and a cell over two lines.
    let text = "sep=;\r\
                Title;Likelihood;Impact;Vulnerability\r\
                First;3;4;\"Two\rlines\"\r\
                Second;huge;4;x\r\
                Third;2;2;y\r";
    let (r, _) = import(dir.path(), "mac.csv", text.as_bytes(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("sep= line"), "{}", r.stderr);
    assert!(r.stderr.contains("header on line 2"), "{}", r.stderr);
    assert!(
        r.stderr.contains("mac.csv:5:2: likelihood \"huge\""),
        "{}",
        r.stderr
    );
    let (r, reg) = import(dir.path(), "mac.csv", text.as_bytes(), &["--skip-bad-rows"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reg = reg.unwrap();
    assert_eq!(reg.risks.len(), 2);
    assert_eq!(reg.risks[0].vulnerability, "Two\nlines");

    // A malformed CR-only file: the unclosed quote's line.
    let bad = "Title,Likelihood,Impact\rA,1,1\rB,2,2\r\"C,3,3\r";
    let (r, _) = import(dir.path(), "open.csv", bad.as_bytes(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("open.csv:4:1: "), "{}", r.stderr);

    // A bad byte on a CR-only line.
    let mut bytes = "Title,Likelihood,Impact,Owner\r\"Caf\u{e9}\r\",1,1,x\r"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"B,2,2,Zo\xEB\r");
    let (r, _) = import(dir.path(), "badcr.csv", &bytes, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("badcr.csv:4:4: "), "{}", r.stderr);
}

#[test]
fn a_keymap_with_a_byte_order_mark_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("bom.ron");
    std::fs::write(
        &path,
        "\u{feff}(version: 1, contexts: { table: { \"j\": MoveDown } })",
    )
    .unwrap();
    let r = run_in(dir.path(), &["keymap", "check", "bom.ron"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "OK: 1 binding in 1 context\n");
}
