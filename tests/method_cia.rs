//! The method written down and C/I/A (issue 16, items 3 and 4): the
//! `criteria` and duplicate-`cia` errors, the settings editor's criteria
//! and evidence age, the criteria in the `L`/`I` hints and the help, a
//! risk's C/I/A in its form, the Risks table and the review filters, and
//! the `cia` column of `riskbench risks`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::{app_with, keys, northwind_app, northwind_register, root, run_today, screen};
use riskbench::app::{App, Modal, View};
use riskbench::domain::{Cia, Finding, Register, Severity};

// ---------------------------------------------------------------- helpers

fn findings(reg: Register) -> Vec<Finding> {
    app_with(reg).doc.analysis().findings.clone()
}

fn with_code<'a>(all: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    all.iter().filter(|f| f.code == code).collect()
}

fn form(app: &App) -> &riskbench::app::form::Form {
    match app.modals.last() {
        Some(Modal::Form(f)) => f,
        other => panic!("no form open: {other:?}"),
    }
}

fn form_open(app: &App) -> bool {
    matches!(app.modals.last(), Some(Modal::Form(_)))
}

fn field_text(app: &App, label: &str) -> String {
    form(app)
        .fields
        .iter()
        .find(|f| f.label == label)
        .unwrap_or_else(|| panic!("no field {label:?}"))
        .display()
}

/// Replaces the text of the open form's typed field `label`.
fn set_field(app: &mut App, label: &str, text: &str) {
    let Some(Modal::Form(form)) = app.modals.last_mut() else {
        panic!("no form open");
    };
    assert!(form.focus_label(label), "no field {label:?}");
    form.focused_mut()
        .and_then(|f| f.text_field_mut())
        .unwrap_or_else(|| panic!("{label:?} is not typed"))
        .set_text(text);
}

/// Tabs forward to the field `label`.
fn tab_to(app: &mut App, label: &str) {
    for _ in 0..40 {
        if form(app).focused().map(|f| f.label) == Some(label) {
            return;
        }
        keys(app, "tab");
    }
    panic!("no field {label:?}");
}

/// Shows the Risks view with the risk `id` selected.
fn select_risk(app: &mut App, id: &str) -> usize {
    keys(app, "2 g g");
    let item = app
        .doc
        .register()
        .risks
        .iter()
        .position(|r| r.id == id)
        .unwrap_or_else(|| panic!("no {id}"));
    let pos = app
        .current_table()
        .rows
        .iter()
        .position(|&r| r == item)
        .unwrap_or_else(|| panic!("{id} is not shown"));
    for _ in 0..pos {
        keys(app, "j");
    }
    assert_eq!(app.selected_item(), Some(item));
    item
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// --------------------------------------------------- the check codes

/// `criteria` (REGISTER.md §5): empty or exactly one per label; the
/// message names both counts, at `method`.
#[test]
fn criteria_error_names_the_counts_and_empty_or_one_per_label_is_fine() {
    let mut reg = northwind_register();
    reg.method.likelihood_criteria = strings(&["Rare", "Sometimes", "Often", "Always"]);
    reg.method.impact_criteria = Vec::new();
    let all = findings(reg.clone());
    let found = with_code(&all, "criteria");
    assert_eq!(found.len(), 1, "{all:?}");
    assert_eq!(found[0].at, "method");
    assert_eq!(found[0].severity, Severity::Error);
    assert!(
        found[0]
            .message
            .contains("likelihood_criteria has 4 entries for 5 labels"),
        "{}",
        found[0].message
    );

    reg.method.likelihood_criteria.push("Every week".into());
    reg.method.impact_criteria = strings(&["a", "b", "c", "d", "e"]);
    assert!(with_code(&findings(reg), "criteria").is_empty());
}

/// A `cia` value twice is `duplicate-id`, at the risk's id.
#[test]
fn a_cia_value_twice_is_a_duplicate_id_error_at_the_risk() {
    let mut reg = northwind_register();
    reg.risks[3].cia = vec![Cia::Availability, Cia::Integrity, Cia::Availability];
    let id = reg.risks[3].id.to_string();
    let all = findings(reg.clone());
    let found = with_code(&all, "duplicate-id");
    assert_eq!(found.len(), 1, "{all:?}");
    assert_eq!(found[0].at, id);
    assert_eq!(found[0].severity, Severity::Error);
    assert!(
        found[0].message.contains("Availability"),
        "{}",
        found[0].message
    );

    reg.risks[3].cia = vec![Cia::Availability, Cia::Integrity];
    assert!(with_code(&findings(reg), "duplicate-id").is_empty());
}

// ------------------------------------------------- the settings editor

/// The criteria and the evidence age are fields of the settings form:
/// shown as they are, typed back, one undoable edit; a form submitted as
/// it opened changes nothing.
#[test]
fn settings_round_trip_criteria_and_evidence_days() {
    let mut reg = northwind_register();
    assert_eq!(reg.method.likelihood_criteria.len(), 5);
    // Starts from "never stale" to show the field going from empty to set.
    reg.method.evidence_days = None;
    let mut app = app_with(reg.clone());
    keys(&mut app, ",");
    assert_eq!(
        field_text(&app, "Likelihood criteria"),
        reg.method.likelihood_criteria.join("; ")
    );
    assert_eq!(
        field_text(&app, "Impact criteria"),
        reg.method.impact_criteria.join("; ")
    );
    assert_eq!(field_text(&app, "Evidence days"), "");
    // Nothing typed: nothing changes.
    let depth = app.doc.history().undo_len();
    keys(&mut app, "enter");
    assert!(!form_open(&app));
    assert_eq!(app.doc.history().undo_len(), depth, "no edit");

    keys(&mut app, ",");
    set_field(
        &mut app,
        "Likelihood criteria",
        "Never seen, not expected; Once a decade ;Every few years; Yearly; Monthly;",
    );
    set_field(&mut app, "Impact criteria", "");
    set_field(&mut app, "Evidence days", "365");
    keys(&mut app, "enter");
    assert!(!form_open(&app), "{:?}", form(&app).error);
    assert_eq!(app.doc.history().undo_len(), depth + 1, "one edit");
    let m = &app.doc.register().method;
    assert_eq!(
        m.likelihood_criteria,
        strings(&[
            "Never seen, not expected",
            "Once a decade",
            "Every few years",
            "Yearly",
            "Monthly"
        ])
    );
    assert!(m.impact_criteria.is_empty());
    assert_eq!(m.evidence_days, Some(365));
    let msg = app.message.clone().unwrap().0;
    assert!(
        msg.contains("likelihood criteria")
            && msg.contains("impact criteria")
            && msg.contains("evidence days never stale → 365d"),
        "{msg}"
    );
    assert_eq!(app.doc.register().risks, reg.risks);

    // Shown again as typed; a criterion holding a semicolon uses `|`.
    keys(&mut app, ",");
    assert_eq!(
        field_text(&app, "Likelihood criteria"),
        "Never seen, not expected; Once a decade; Every few years; Yearly; Monthly"
    );
    assert_eq!(field_text(&app, "Evidence days"), "365");
    set_field(&mut app, "Impact criteria", "a; b | c | d | e | f");
    set_field(&mut app, "Evidence days", "");
    keys(&mut app, "enter");
    assert!(!form_open(&app), "{:?}", form(&app).error);
    let m = &app.doc.register().method;
    assert_eq!(m.impact_criteria, strings(&["a; b", "c", "d", "e", "f"]));
    assert_eq!(m.evidence_days, None);
    keys(&mut app, ",");
    assert_eq!(field_text(&app, "Impact criteria"), "a; b | c | d | e | f");
    keys(&mut app, "esc");

    keys(&mut app, "u u");
    assert_eq!(*app.doc.register(), reg, "undo restores the method exactly");
}

/// Criteria that are not one per label, an empty criterion, and an
/// evidence age that is not a whole number from 1 are refused with a
/// message naming what is wrong; nothing changes.
#[test]
fn settings_refuse_bad_criteria_and_evidence_days() {
    let reg = northwind_register();
    let mut app = app_with(reg.clone());
    keys(&mut app, ",");
    let refused = |app: &mut App| -> String {
        keys(app, "enter");
        assert!(form_open(app), "refused: the form stays open");
        assert_eq!(*app.doc.register(), reg, "nothing changed");
        form(app).error.clone().expect("a refusal")
    };

    set_field(&mut app, "Likelihood criteria", "Rarely; Sometimes; Often");
    let e = refused(&mut app);
    assert!(
        e.contains("Likelihood criteria: 3 criteria for 5 labels"),
        "{e}"
    );

    set_field(&mut app, "Likelihood criteria", "");
    set_field(&mut app, "Impact criteria", "a; ; c; d; e");
    let e = refused(&mut app);
    assert!(e.contains("Impact criteria: criterion 2 is empty"), "{e}");

    set_field(&mut app, "Impact criteria", "a; b; c; d; e");
    for bad in ["0", "-3", "a year", "1.5"] {
        set_field(&mut app, "Evidence days", bad);
        let e = refused(&mut app);
        assert!(
            e.contains("Evidence days:") && e.contains("from 1"),
            "{bad}: {e}"
        );
    }

    // A scale that shrinks under criteria left as they were: they no
    // longer fit, and the form says so rather than write a `criteria`
    // error into the file.
    keys(&mut app, "esc y");
    keys(&mut app, ",");
    set_field(
        &mut app,
        "Impact labels",
        "Negligible, Minor, Moderate, Major, Severe, Existential",
    );
    set_field(
        &mut app,
        "Levels",
        "Low ≤4 365d, Medium ≤9 180d, High ≤16 90d by CFO/CEO, Critical ≤30 30d by CEO",
    );
    let e = refused(&mut app);
    assert!(
        e.contains("Impact criteria: 5 criteria for 6 labels"),
        "{e}"
    );
}

// ------------------------------------------- the criteria in the hints

/// After `L` the hint names each value's label and what it means; after
/// `I` the impact's. On a narrow screen a long row ends in "…" inside
/// the popup.
#[test]
fn which_key_hints_show_the_criteria_and_fit_the_screen() {
    let mut app = northwind_app();
    keys(&mut app, "2 L");
    let shown = screen(&app, 120, 40);
    assert!(
        shown.contains("3  Set likelihood to 3 · Possible — Once in 1-3 years"),
        "{shown}"
    );
    keys(&mut app, "esc I");
    let shown = screen(&app, 120, 40);
    assert!(
        shown.contains("Set impact to 1 · Negligible — Under £10k"),
        "{shown}"
    );
    let narrow = screen(&app, 80, 24);
    let row = narrow
        .lines()
        .find(|l| l.contains("Set impact to 5"))
        .unwrap_or_else(|| panic!("{narrow}"));
    assert!(row.contains('…'), "cut with …: {row}");
    assert!(row.chars().count() <= 80, "{row}");
}

/// The help lists each scale under its scoring keys, with the criteria.
#[test]
fn the_help_lists_the_scales_with_their_criteria() {
    let mut app = northwind_app();
    keys(&mut app, "?");
    let shown = screen(&app, 120, 90);
    assert!(shown.contains("Possible — Once in 1-3 years"), "{shown}");
    assert!(shown.contains("Severe — Over £1M"), "{shown}");
}

#[test]
fn snapshot_which_key_l_with_criteria() {
    let mut app = northwind_app();
    keys(&mut app, "2 L");
    insta::assert_snapshot!(screen(&app, 120, 40));
}

// --------------------------------------------------------- C/I/A

/// In the risk form, c, i and a switch the properties; saving records
/// them, the CIA column shows them, and undo restores the risk.
#[test]
fn toggle_cia_in_the_risk_form_then_save_show_and_undo() {
    let reg = northwind_register();
    let mut app = app_with(reg.clone());
    let i = select_risk(&mut app, "R-010");
    assert_eq!(reg.risks[i].cia, [Cia::Availability]);
    keys(&mut app, "e");
    tab_to(&mut app, "C/I/A");
    assert_eq!(field_text(&app, "C/I/A"), "A");
    // The hint says how.
    let shown = screen(&app, 120, 40);
    assert!(
        shown.contains("c, i, a switch Confidentiality, Integrity, Availability · ←/→ highlight"),
        "{shown}"
    );
    keys(&mut app, "c");
    assert_eq!(field_text(&app, "C/I/A"), "C·A");
    keys(&mut app, "a i");
    assert_eq!(field_text(&app, "C/I/A"), "C·I");
    // Left/right and space do the same for the highlighted one.
    keys(&mut app, "right space space");
    assert_eq!(field_text(&app, "C/I/A"), "C·I");
    let depth = app.doc.history().undo_len();
    keys(&mut app, "enter");
    assert!(!form_open(&app), "{:?}", form(&app).error);
    assert_eq!(app.doc.history().undo_len(), depth + 1);
    assert_eq!(
        app.doc.register().risks[i].cia,
        [Cia::Confidentiality, Cia::Integrity]
    );
    let mut reg_after = reg.clone();
    reg_after.risks[i].cia = vec![Cia::Confidentiality, Cia::Integrity];
    assert_eq!(*app.doc.register(), reg_after, "only the cia changed");

    // The CIA column (shown on a wide screen, the detail pane hidden)
    // says it.
    keys(&mut app, "z");
    let row = |app: &App| {
        let shown = screen(app, 200, 60);
        assert!(shown.contains(" CIA"), "{shown}");
        shown
            .lines()
            .find(|l| l.contains("R-010"))
            .unwrap_or_else(|| panic!("{shown}"))
            .to_string()
    };
    assert!(
        row(&app).trim_end_matches(['│', '┃', ' ']).ends_with("C·I"),
        "{}",
        row(&app)
    );

    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), reg, "undo restores the risk");
    assert!(
        row(&app).trim_end_matches(['│', '┃', ' ']).ends_with(" A"),
        "{}",
        row(&app)
    );

    // Switching every property off leaves the risk without `cia`.
    keys(&mut app, "e");
    tab_to(&mut app, "C/I/A");
    keys(&mut app, "a");
    assert_eq!(field_text(&app, "C/I/A"), "—");
    keys(&mut app, "enter");
    assert!(app.doc.register().risks[i].cia.is_empty());
}

/// The form keeps the file's order of the properties when the same ones
/// are on (no edit for a form saved as it opened).
#[test]
fn a_risk_form_saved_unchanged_keeps_cia_as_written() {
    let mut reg = northwind_register();
    reg.risks[0].cia = vec![Cia::Availability, Cia::Confidentiality];
    let mut app = app_with(reg.clone());
    select_risk(&mut app, reg.risks[0].id.as_str());
    let depth = app.doc.history().undo_len();
    keys(&mut app, "e enter");
    assert!(!form_open(&app));
    assert_eq!(app.doc.history().undo_len(), depth, "no edit");
    assert_eq!(*app.doc.register(), reg);
}

/// `r c` cycles the risks to confidentiality, integrity, availability,
/// then off; each lists exactly the in-scope risks whose `cia` names it.
#[test]
fn review_filter_lists_exactly_the_risks_to_availability() {
    let mut app = northwind_app();
    let expect = |app: &App, c: Cia| -> Vec<usize> {
        let reg = app.doc.register();
        let mut v: Vec<usize> = (0..reg.risks.len())
            .filter(|&i| app.doc.analysis().eval.risks[i].is_some())
            .filter(|&i| reg.risks[i].cia.contains(&c))
            .collect();
        v.sort_unstable();
        v
    };
    let rows = |app: &App| {
        let mut v = app.table(View::Risks).rows.clone();
        v.sort_unstable();
        v
    };
    for (press, c, word) in [
        (1, Cia::Confidentiality, "confidentiality"),
        (2, Cia::Integrity, "integrity"),
        (3, Cia::Availability, "availability"),
    ] {
        let mut app = northwind_app();
        for _ in 0..press {
            keys(&mut app, "r c");
        }
        assert_eq!(app.view, View::Risks);
        let want = expect(&app, c);
        assert!(!want.is_empty());
        assert_eq!(rows(&app), want, "{word}");
        let msg = app.message.clone().unwrap().0;
        assert!(
            msg.contains(&format!("risks to {word} — {} of 40 risks", want.len())),
            "{msg}"
        );
    }
    let availability = expect(&app, Cia::Availability);
    let ids: Vec<String> = availability
        .iter()
        .map(|&i| app.doc.register().risks[i].id.to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "R-001", "R-003", "R-006", "R-010", "R-011", "R-012", "R-019", "R-020", "R-021",
            "R-024", "R-034", "R-035", "R-036"
        ],
    );
    keys(&mut app, "r c r c r c r c");
    assert_eq!(rows(&app).len(), 40, "the fourth press turns it off");
}

#[test]
fn snapshot_risk_form_with_the_cia_field() {
    let mut app = northwind_app();
    select_risk(&mut app, "R-001");
    keys(&mut app, "e");
    tab_to(&mut app, "C/I/A");
    keys(&mut app, "right");
    insta::assert_snapshot!(screen(&app, 120, 40));
}

// ------------------------------------------------ riskbench risks

/// The risk register's CSV, md and JSON carry `cia` (CSV: names joined by
/// `; `; md: letters; JSON: an extra field, which §4 allows); the §4
/// JSON fields are unchanged.
#[test]
fn risks_outputs_carry_cia() {
    let file = root().join("registers/northwind.ron");
    let file = file.to_str().unwrap();
    let csv = run_today(&["risks", file, "--format", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let mut lines = csv.stdout.lines();
    let header = lines.next().unwrap();
    // `notes` (issue 17) comes after it, last.
    assert!(
        header.ends_with(",asset_name,threat_name,cia,notes"),
        "{header}"
    );
    let r001 = csv
        .stdout
        .lines()
        .find(|l| l.starts_with("R-001,"))
        .unwrap();
    assert!(
        r001.ends_with(",Confidentiality; Integrity; Availability,"),
        "{r001}"
    );

    let md = run_today(&["risks", file, "--format", "md"]);
    let r006 = md.stdout.lines().find(|l| l.contains("R-006")).unwrap();
    assert!(r006.trim_end().ends_with("| A |  |"), "{r006}");

    let json = run_today(&["risks", file, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let risks = doc["risks"].as_array().unwrap();
    let r002 = risks.iter().find(|r| r["id"] == "R-002").unwrap();
    assert_eq!(
        r002["cia"],
        serde_json::json!(["Confidentiality", "Integrity"])
    );
    for key in [
        "id",
        "title",
        "inherent",
        "residual",
        "target",
        "above_appetite",
        "overdue",
    ] {
        assert!(r002.get(key).is_some(), "{key}");
    }
}
