//! `soa` and `risks` write every format to a file with `-o` (issue 13,
//! "Small command-line gaps"): the table formats (text, md, csv, json) hold
//! exactly the bytes stdout would have printed, through the same atomic
//! writer and the same refusals as the documents; `risks --format html`
//! and `--format xlsx` write the risk register, not the SoA document.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

mod common;
use common::{Run, TODAY, riskbench_in, root, run_command};

const TABLE_FORMATS: [&str; 4] = ["text", "md", "csv", "json"];
const COMMANDS: [&str; 2] = ["soa", "risks"];

/// The title given to R-001 in the hostile copy: a spreadsheet formula, an
/// HTML element, an ANSI escape and a bidi override, each of which one
/// output format or another has to make safe.
const HOSTILE_TITLE: &str = "=cmd|x <script>alert(1)</script> \u{1b}[31mred \u{202e}rtl";
const HOSTILE_TITLE_RON: &str = "=cmd|x <script>alert(1)</script> \\u{1b}[31mred \\u{202e}rtl";
const R001_TITLE: &str = "Ransomware encrypts the customer analytics warehouse";

/// `riskbench ARGS --today TODAY`, run in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_command(riskbench_in(dir), &[args, &["--today", TODAY]].concat())
}

/// A copy of northwind in `dir`, R-001's title replaced by `title` (a RON
/// string body) when one is given.
fn northwind_in(dir: &Path, name: &str, title: Option<&str>) -> PathBuf {
    let text = std::fs::read_to_string(root().join("registers/northwind.ron")).unwrap();
    let text = match title {
        Some(t) => {
            let old = format!("title: \"{R001_TITLE}\"");
            assert!(text.contains(&old), "northwind's R-001 title moved");
            text.replacen(&old, &format!("title: \"{t}\""), 1)
        }
        None => text,
    };
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Runs `args` once to stdout and once with `-o OUT`, and insists that the
/// file holds exactly the bytes stdout got.
fn assert_file_equals_stdout(dir: &Path, args: &[&str], out: &str) -> Vec<u8> {
    let printed = run_command(riskbench_in(dir), &[args, &["--today", TODAY]].concat());
    assert_eq!(printed.code, 0, "{args:?}: {}", printed.stderr);
    assert!(!printed.stdout.is_empty(), "{args:?} printed nothing");
    let written = run_in(dir, &[args, &["-o", out]].concat());
    assert_eq!(written.code, 0, "{args:?} -o: {}", written.stderr);
    assert!(written.stdout.is_empty(), "{args:?} -o: {}", written.stdout);
    assert!(
        written.stderr.starts_with(&format!("wrote {out}: ")),
        "{args:?} -o: {}",
        written.stderr
    );
    let bytes = std::fs::read(dir.join(out)).unwrap();
    assert!(
        bytes == printed.stdout.as_bytes(),
        "{args:?}: the file differs from stdout\n--- stdout\n{}\n--- file\n{}",
        printed.stdout,
        String::from_utf8_lossy(&bytes)
    );
    bytes
}

#[test]
fn every_table_format_of_both_commands_goes_to_a_file_as_stdout_has_it() {
    let dir = tempfile::tempdir().unwrap();
    northwind_in(dir.path(), "nw.ron", None);
    for cmd in COMMANDS {
        for format in TABLE_FORMATS {
            let out = format!("{cmd}-out.{format}");
            assert_file_equals_stdout(dir.path(), &[cmd, "nw.ron", "--format", format], &out);
        }
    }
    // The sort options shape the file as they shape stdout.
    for format in TABLE_FORMATS {
        let out = format!("sorted.{format}");
        let bytes = assert_file_equals_stdout(
            dir.path(),
            &[
                "risks",
                "nw.ron",
                "--format",
                format,
                "--sort",
                "residual",
                "--reverse",
            ],
            &out,
        );
        let by_id = std::fs::read(dir.path().join(format!("risks-out.{format}"))).unwrap();
        assert_ne!(bytes, by_id, "{format}: --sort changed nothing");
    }
    // Written in place atomically: nothing but the outputs beside the register.
    let left = names(dir.path());
    assert!(left.iter().all(|n| !n.contains(".tmp")), "{left:?}");
    assert_eq!(left.len(), 1 + 2 * 4 + 4, "{left:?}");
}

#[test]
fn hostile_text_reaches_the_file_as_it_reaches_stdout() {
    let dir = tempfile::tempdir().unwrap();
    northwind_in(dir.path(), "h.ron", Some(HOSTILE_TITLE_RON));
    let file = |cmd: &str, format: &str| {
        let out = format!("{cmd}.{format}");
        let bytes =
            assert_file_equals_stdout(dir.path(), &[cmd, "h.ron", "--format", format], &out);
        String::from_utf8(bytes).unwrap()
    };
    // Text: escaped for a reader (the same bytes whether stdout is a
    // terminal or not), so `cat FILE` cannot drive the terminal either.
    let text = file("risks", "text");
    assert!(text.contains("\\x1b[31mred \\u{202e}rtl"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
    // Markdown: HTML is text, controls escaped.
    let md = file("risks", "md");
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    assert!(!md.contains("<script>") && !md.contains('\u{1b}'));
    // CSV: the data exactly, with the formula neutralised as on stdout.
    let csv = file("risks", "csv");
    assert!(csv.contains(&format!("'{HOSTILE_TITLE}")), "{csv}");
    // JSON: the data exactly.
    let json: Value = serde_json::from_str(&file("risks", "json")).unwrap();
    let r001 = json["risks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "R-001")
        .unwrap();
    assert_eq!(r001["title"], HOSTILE_TITLE);
}

#[test]
fn a_table_file_replaces_another_file_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    northwind_in(dir.path(), "nw.ron", None);
    let out = dir.path().join("notes.txt");
    for cmd in COMMANDS {
        for format in TABLE_FORMATS {
            std::fs::write(&out, "my notes").unwrap();
            let args = [cmd, "nw.ron", "--format", format, "-o", "notes.txt"];
            let r = run_in(dir.path(), &args);
            assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
            assert!(
                r.stderr
                    .contains("notes.txt: already exists; pass --force to replace it"),
                "{args:?}: {}",
                r.stderr
            );
            assert!(r.stdout.is_empty(), "{args:?}");
            assert_eq!(std::fs::read_to_string(&out).unwrap(), "my notes");

            let r = run_in(dir.path(), &[&args[..], &["--force"]].concat());
            assert_eq!(r.code, 0, "{args:?} --force: {}", r.stderr);
            let printed = run_in(dir.path(), &args[..4]);
            assert_eq!(
                std::fs::read_to_string(&out).unwrap(),
                printed.stdout,
                "{args:?} --force"
            );
        }
    }
    // No backup of a replaced export (it can be written again), no leftovers.
    assert_eq!(names(dir.path()), ["notes.txt", "nw.ron"]);
}

#[test]
fn a_table_file_never_replaces_a_register_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let reg = northwind_in(dir.path(), "X.ron", None);
    let other = northwind_in(dir.path(), "other.ron", None);
    let original = std::fs::read(&reg).unwrap();
    for cmd in COMMANDS {
        for format in TABLE_FORMATS {
            for target in ["X.ron", "other.ron"] {
                for force in [false, true] {
                    let mut args = vec![cmd, "X.ron", "--format", format, "-o", target];
                    if force {
                        args.push("--force");
                    }
                    let r = run_in(dir.path(), &args);
                    assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
                    assert!(
                        r.stderr.contains(&format!(
                            "{target} is a risk register; riskbench will not overwrite a register"
                        )),
                        "{args:?}: {}",
                        r.stderr
                    );
                    assert!(r.stdout.is_empty(), "{args:?}");
                }
            }
        }
    }
    assert_eq!(std::fs::read(&reg).unwrap(), original);
    assert_eq!(std::fs::read(&other).unwrap(), original);
    assert_eq!(names(dir.path()), ["X.ron", "other.ron"]);
}

#[test]
fn a_document_format_still_needs_a_file() {
    for cmd in COMMANDS {
        for format in ["xlsx", "html"] {
            let r = run_in(
                &root(),
                &[cmd, "registers/northwind.ron", "--format", format],
            );
            assert_eq!(r.code, 2, "{cmd} {format}");
            assert!(r.stderr.contains("give it with -o FILE"), "{}", r.stderr);
        }
    }
}

/// `s` as the HTML export escapes text content.
fn html_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn risks_json(dir: &Path, reg: &str, extra: &[&str]) -> Vec<Value> {
    let r = run_in(dir, &[&["risks", reg, "--format", "json"], extra].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    v["risks"].as_array().unwrap().clone()
}

fn write_document(dir: &Path, args: &[&str], out: &str) -> Vec<u8> {
    let r = run_in(dir, &[args, &["-o", out]].concat());
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    assert!(r.stdout.is_empty());
    std::fs::read(dir.join(out)).unwrap()
}

#[test]
fn risks_html_is_the_risk_register_document() {
    let dir = tempfile::tempdir().unwrap();
    northwind_in(dir.path(), "nw.ron", None);
    let risks_page = write_document(
        dir.path(),
        &["risks", "nw.ron", "--format", "html"],
        "risks.html",
    );
    let soa_page = write_document(
        dir.path(),
        &["soa", "nw.ron", "--format", "html"],
        "soa.html",
    );
    assert_ne!(risks_page, soa_page, "risks html is the SoA document");
    let page = String::from_utf8(risks_page).unwrap();
    let soa_page = String::from_utf8(soa_page).unwrap();
    assert!(soa_page.contains("<h2>Statement of Applicability</h2>"));
    assert!(!page.contains("Statement of Applicability"), "{page}");
    assert!(
        !page.contains("<tr id=\"c5.1\">"),
        "SoA rows in the register"
    );

    // A page of its own: self-contained like the SoA document.
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
    assert!(page.contains("<style>") && page.contains("@media print"));
    let lower = page.to_lowercase();
    for banned in [
        "http", "<script", "src=", "href=", "<link", "@import", "url(", "<img", "<iframe",
    ] {
        assert!(!lower.contains(banned), "the page contains {banned:?}");
    }
    let reg = common::northwind_register();
    assert!(page.contains(&format!("<h1>{}</h1>", html_text(&reg.name))));
    assert!(page.contains(&format!(
        "<title>{} — Risk register ({TODAY})</title>",
        html_text(&reg.name)
    )));
    assert!(page.contains(&format!("as of {TODAY}")));

    // Every in-scope risk, with the columns of the csv/xlsx register.
    for h in [
        "ID",
        "Title",
        "Asset",
        "Threat",
        "Vulnerability",
        "L",
        "I",
        "Inherent",
        "Treatment",
        "Controls",
        "Residual",
        "Target",
        "Owner",
        "Next review",
        "Overdue",
        "Above appetite",
    ] {
        assert!(page.contains(&format!("<th>{h}</th>")), "no column {h}");
    }
    let risks = risks_json(dir.path(), "nw.ron", &[]);
    assert!(risks.len() > 30);
    for r in &risks {
        let id = r["id"].as_str().unwrap();
        let row_start = page
            .find(&format!("<tr id=\"risk-{id}\">"))
            .unwrap_or_else(|| panic!("no row for {id}"));
        let row = &page[row_start..row_start + page[row_start..].find("</tr>").unwrap()];
        assert!(
            row.contains(&html_text(r["title"].as_str().unwrap())),
            "{id}: {row}"
        );
        assert!(
            row.contains(&html_text(r["owner"].as_str().unwrap())),
            "{row}"
        );
        let risk = reg.risks.iter().find(|x| x.id.as_str() == id).unwrap();
        assert!(row.contains(&html_text(&risk.vulnerability)), "{row}");
        for key in ["inherent", "residual", "target"] {
            let s = &r[key];
            let cell = format!(
                "{}×{} = {} {}",
                s["likelihood"],
                s["impact"],
                s["score"],
                s["level"].as_str().unwrap()
            );
            assert!(row.contains(&cell), "{id} {key}: {row}");
        }
    }
    assert_eq!(page.matches("<tr id=\"risk-").count(), risks.len());

    // The library function gives the same page, from the command's order.
    let reg_analysis = riskbench::domain::Analysis::new(&reg, common::today());
    let order = riskbench::cli::risks::sorted(
        &reg,
        &reg_analysis.eval,
        riskbench::cli::risks::SortField::Id,
        false,
    );
    assert_eq!(
        riskbench::export::risks_html(&reg, &reg_analysis, &order),
        page
    );
}

/// The risk ids in the order the page's rows have them.
fn row_ids(page: &str) -> Vec<String> {
    page.split("<tr id=\"risk-")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn risks_html_honours_the_sort() {
    let dir = tempfile::tempdir().unwrap();
    northwind_in(dir.path(), "nw.ron", None);
    for sort in [
        &["--sort", "residual"][..],
        &["--sort", "owner", "--reverse"][..],
    ] {
        let page = write_document(
            dir.path(),
            &[&["risks", "nw.ron", "--format", "html"], sort, &["--force"]].concat(),
            "sorted.html",
        );
        let want: Vec<String> = risks_json(dir.path(), "nw.ron", sort)
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect();
        let got = row_ids(&String::from_utf8(page).unwrap());
        assert_eq!(got, want, "{sort:?}");
        let mut by_id = want.clone();
        by_id.sort();
        assert_ne!(got, by_id, "{sort:?} is the id order");
    }
}

#[test]
fn risks_html_escapes_a_title_with_a_script() {
    let dir = tempfile::tempdir().unwrap();
    northwind_in(
        dir.path(),
        "x.ron",
        Some("<script>alert(\\\"owned\\\")</script> & 'quotes'"),
    );
    let page = write_document(
        dir.path(),
        &["risks", "x.ron", "--format", "html"],
        "x.html",
    );
    let page = String::from_utf8(page).unwrap();
    let row_start = page
        .find("<tr id=\"risk-R-001\">")
        .expect("a row for R-001");
    let row = &page[row_start..row_start + page[row_start..].find("</tr>").unwrap()];
    assert!(
        row.contains(
            "<td>&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</td>"
        ),
        "{row}"
    );
    assert!(!page.to_lowercase().contains("<script"));
}

#[test]
fn risks_xlsx_is_the_risk_register_workbook() {
    let dir = tempfile::tempdir().unwrap();
    northwind_in(dir.path(), "nw.ron", None);
    let risks_book = write_document(
        dir.path(),
        &["risks", "nw.ron", "--format", "xlsx", "--sort", "residual"],
        "risks.xlsx",
    );
    let soa_book = write_document(
        dir.path(),
        &["soa", "nw.ron", "--format", "xlsx"],
        "soa.xlsx",
    );
    assert_ne!(risks_book, soa_book);
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("risks.xlsx")).unwrap();
    // The register is the first sheet: what `import` reads by default.
    assert_eq!(wb.sheet_names(), ["Risk register", "Heat maps"]);
    let sheet = wb.worksheet_range("Risk register").unwrap();
    let ids: Vec<String> = (1..sheet.height() as u32)
        .map(|row| match sheet.get_value((row, 0)) {
            Some(Data::String(s)) => s.clone(),
            other => panic!("row {row}: {other:?}"),
        })
        .collect();
    let want: Vec<String> = risks_json(dir.path(), "nw.ron", &["--sort", "residual"])
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, want);
    // The SoA workbook is as it was: SoA, register, heat maps, About, and
    // (issue 16) the method and the own controls on sheets of their own.
    let wb: Xlsx<_> = open_workbook(dir.path().join("soa.xlsx")).unwrap();
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
}
