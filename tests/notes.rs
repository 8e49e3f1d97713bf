//! Issue 17 item 3: notes on risks (`risks[].notes`: on, by, text). `N`
//! adds one in a small form (the author remembered for the session) as one
//! undoable edit; the detail pane lists them newest first; the Risks
//! table's text filter finds a risk by what was said; the risk exports
//! carry them in a last column (and `import` still reads such a sheet);
//! `diff` reports the change as field `notes`, with the added note's text.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use chrono::NaiveDate;
use common::*;
use riskbench::app::{Modal, View};
use riskbench::domain::Register;
use riskbench::domain::schema2::Note;

fn note(by: &str, text: &str) -> Note {
    Note {
        on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        by: by.into(),
        text: text.into(),
    }
}

/// The note form's fields as shown: (label, value).
fn form_fields(app: &riskbench::app::App) -> Vec<(String, String)> {
    match app.modals.last() {
        Some(Modal::Form(f)) => f
            .fields
            .iter()
            .map(|x| (x.label.to_string(), x.display()))
            .collect(),
        other => panic!("expected the note form, got {other:?}"),
    }
}

#[test]
fn n_adds_a_note_the_author_is_remembered_and_undo_removes_it() {
    let mut app = northwind_app();
    keys(&mut app, "2");
    select_item(&mut app, 4);
    let id = app.doc.register().risks[4].id.clone();
    keys(&mut app, "N");
    assert_eq!(
        form_fields(&app),
        [("By".into(), String::new()), ("Note".into(), String::new())]
    );
    app.paste("Ana Lopez");
    keys(&mut app, "tab");
    app.paste("Insurer asks for offline backups");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty(), "{:?}", app.message);
    let notes = app.doc.register().risks[4].notes.clone();
    assert_eq!(
        notes,
        [Note {
            on: today(),
            by: "Ana Lopez".into(),
            text: "Insurer asks for offline backups".into()
        }]
    );
    assert_eq!(
        app.message.clone().unwrap().0,
        format!("{id}: note added (Ana Lopez)")
    );
    // The second note starts with the author, the focus on the text.
    keys(&mut app, "N");
    assert_eq!(
        form_fields(&app),
        [
            ("By".into(), "Ana Lopez".into()),
            ("Note".into(), String::new())
        ]
    );
    app.paste("Restore drill booked for January");
    keys(&mut app, "enter");
    let notes = &app.doc.register().risks[4].notes;
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[1].by, "Ana Lopez");
    assert_eq!(notes[1].text, "Restore drill booked for January");
    // One undo step per note.
    keys(&mut app, "u");
    assert_eq!(app.doc.register().risks[4].notes.len(), 1);
    keys(&mut app, "u");
    assert!(app.doc.register().risks[4].notes.is_empty());
    assert_eq!(*app.doc.register(), northwind_register());
}

#[test]
fn a_note_needs_its_text_and_n_needs_a_risk() {
    let mut app = northwind_app();
    keys(&mut app, "2");
    select_item(&mut app, 0);
    keys(&mut app, "N");
    app.paste("Ana");
    keys(&mut app, "enter");
    match app.modals.last() {
        Some(Modal::Form(f)) => assert_eq!(f.error.as_deref(), Some("Note: required")),
        other => panic!("the form stays open with its error, got {other:?}"),
    }
    keys(&mut app, "esc");
    keys(&mut app, "y");
    assert!(app.modals.is_empty());
    assert!(app.doc.register().risks[0].notes.is_empty());
    keys(&mut app, "3");
    keys(&mut app, "N");
    assert!(app.modals.is_empty());
    assert!(app.message.clone().unwrap().0.contains("risk row"));
}

#[test]
fn the_detail_pane_lists_notes_newest_first() {
    let mut reg = northwind_register();
    reg.risks[0].notes = vec![
        note("Ana", "oldest remark about backups"),
        note("Ben", "middle remark about EDR"),
        note("Chen", "newest remark about patching"),
    ];
    let mut app = app_with(reg);
    keys(&mut app, "2");
    select_item(&mut app, 0);
    let screen = screen(&app, 200, 60);
    let at = |s: &str| {
        screen
            .find(s)
            .unwrap_or_else(|| panic!("{s:?} not shown:\n{screen}"))
    };
    assert!(at("2026-11-30 Chen: newest remark") < at("2026-11-30 Ben: middle remark"));
    assert!(at("2026-11-30 Ben: middle remark") < at("2026-11-30 Ana: oldest remark"));
    assert!(screen.contains("Notes"), "{screen}");
}

#[test]
fn the_text_filter_finds_a_risk_by_what_was_said() {
    let mut reg = northwind_register();
    reg.risks[7]
        .notes
        .push(note("Ana", "Auditor wants the quarantine procedure"));
    let id = reg.risks[7].id.clone();
    let mut app = app_with(reg);
    keys(&mut app, "2");
    keys(&mut app, "/");
    app.paste("quarantine procedure");
    assert!(app.sync_filter_worker(std::time::Duration::from_secs(10)));
    app.poll_filter();
    let shown: Vec<String> = app
        .current_table()
        .rows
        .iter()
        .map(|&i| app.doc.register().risks[i].id.to_string())
        .collect();
    assert_eq!(shown, [id.to_string()]);
    assert_eq!(app.view, View::Risks);
}

/// Northwind with two notes on R-001 (one with a comma, a quote and a
/// line-breaking character a CSV must keep in its cell).
fn noted() -> Register {
    let mut reg = northwind_register();
    let r = reg.risks.iter().position(|r| r.id == "R-001").unwrap();
    reg.risks[r].notes = vec![
        note("Ana", "Insurer asks for \"offline\" backups, soon"),
        note("Ben", "Restore <drill> booked"),
    ];
    reg
}

fn write_noted(dir: &std::path::Path) -> std::path::PathBuf {
    let file = dir.join("noted.ron");
    std::fs::write(&file, riskbench::domain::canonical::to_canonical(&noted())).unwrap();
    file
}

#[test]
fn risk_exports_carry_the_notes_in_a_last_column() {
    let dir = tempfile::tempdir().unwrap();
    write_noted(dir.path());
    let run = |args: &[&str]| {
        let r = run_command(
            riskbench_in(dir.path()),
            &[&["risks", "noted.ron", "--today", TODAY][..], args].concat(),
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let both = "2026-11-30 Ana: Insurer asks for \"offline\" backups, soon";
    // CSV: the last column, one line per note; the reader gets it back.
    let csv = run(&["--format", "csv"]);
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    let headers = rd.headers().unwrap().clone();
    assert_eq!(headers.iter().next_back(), Some("notes"));
    assert_eq!(headers.get(headers.len() - 2), Some("cia"));
    let row = rd
        .records()
        .map(Result::unwrap)
        .find(|r| r.get(0) == Some("R-001"))
        .unwrap();
    assert_eq!(
        row.get(headers.len() - 1),
        Some(format!("{both}\n2026-11-30 Ben: Restore <drill> booked").as_str())
    );
    // JSON: an extra field (REGISTER.md §4 fixes the names it lists and
    // allows extra ones), the record as the register holds it.
    let json: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let r1 = &json["risks"][0];
    assert_eq!(r1["id"], "R-001");
    assert_eq!(
        r1["notes"],
        serde_json::json!([
            {"on": "2026-11-30", "by": "Ana", "text": "Insurer asks for \"offline\" backups, soon"},
            {"on": "2026-11-30", "by": "Ben", "text": "Restore <drill> booked"},
        ])
    );
    assert_eq!(json["risks"][1]["notes"], serde_json::json!([]));
    // Markdown: a line break in the cell, HTML escaped.
    let md = run(&["--format", "md"]);
    assert!(
        md.lines().next().unwrap().ends_with("| cia | notes |"),
        "{md}"
    );
    assert!(
        md.contains(&format!(
            "{both}<br>2026-11-30 Ben: Restore &lt;drill&gt; booked |"
        )),
        "{md}"
    );
    // Text: one line per risk.
    let text = run(&[]);
    assert!(
        text.contains(&format!("{both} · 2026-11-30 Ben: Restore <drill> booked")),
        "{text}"
    );
    // HTML and the workbook: a Notes column, last.
    run(&["--format", "html", "-o", "risks.html"]);
    let html = std::fs::read_to_string(dir.path().join("risks.html")).unwrap();
    assert!(html.contains("<th>CIA</th><th>Notes</th>"), "{html}");
    assert!(
        html.contains("2026-11-30 Ana: Insurer asks for &quot;offline&quot; backups, soon<br>2026-11-30 Ben: Restore &lt;drill&gt; booked</td></tr>"),
        "{html}"
    );
    run(&["--format", "xlsx", "-o", "risks.xlsx"]);
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("risks.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Risk register").unwrap();
    let last = sheet.width() as u32 - 1;
    assert_eq!(
        sheet.get_value((0, last)),
        Some(&Data::String("Notes".into()))
    );
    assert_eq!(
        sheet.get_value((1, last)),
        Some(&Data::String(format!(
            "{both}\n2026-11-30 Ben: Restore <drill> booked"
        )))
    );
}

#[test]
fn import_reads_a_sheet_with_the_notes_column() {
    let dir = tempfile::tempdir().unwrap();
    write_noted(dir.path());
    for (format, file) in [("csv", "risks.csv"), ("xlsx", "risks.xlsx")] {
        let r = run_command(
            riskbench_in(dir.path()),
            &[
                "risks",
                "noted.ron",
                "--format",
                format,
                "-o",
                file,
                "--today",
                TODAY,
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let out = format!("back-{format}.ron");
        let r = run_command(
            riskbench_in(dir.path()),
            &["import", file, "-o", &out, "--today", TODAY],
        );
        assert_eq!(r.code, 0, "import {file}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("ignored (notes are recorded in riskbench itself"),
            "{}",
            r.stderr
        );
        let back = riskbench::store::load_file(&dir.path().join(&out))
            .unwrap()
            .register;
        // The export lists the in-scope risks: every one comes back.
        assert_eq!(back.risks.len(), 38);
        assert!(back.risks.iter().any(|r| r.title.starts_with("Ransomware")));
    }
}

#[test]
fn diff_reports_notes_as_a_changed_field_with_the_added_text() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.ron");
    let mut reg = northwind_register();
    reg.risks[0].notes.push(note("Ana", "first remark"));
    std::fs::write(&old, riskbench::domain::canonical::to_canonical(&reg)).unwrap();
    reg.risks[0].notes.push(note(
        "Ben",
        "Restore drill booked for January with the whole SRE team present",
    ));
    let new = dir.path().join("new.ron");
    std::fs::write(&new, riskbench::domain::canonical::to_canonical(&reg)).unwrap();
    let run = run_today(&["diff", p(&old), p(&new), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let risks = json["risks"].as_array().unwrap();
    assert_eq!(risks.len(), 1, "{json:#}");
    assert_eq!(risks[0]["id"], "R-001");
    assert_eq!(risks[0]["change"], "changed");
    assert_eq!(risks[0]["fields"], serde_json::json!(["notes"]));
    let run = run_today(&["diff", p(&old), p(&new)]);
    assert!(
        run.stdout.contains(
            "notes: 1 note → 2 notes: + 2026-11-30 Ben: Restore drill booked for January with the whole SRE team present"
        ),
        "{}",
        run.stdout
    );
}
