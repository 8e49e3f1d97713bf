//! Evidence per control (issue 16 item 1, REGISTER.md §5): the warnings
//! `evidence-missing` and `evidence-stale`, positive and negative on small
//! hand-made registers with the boundary days and the precise rules
//! (Implemented only, applicable Annex A controls and own controls linked
//! by an in-scope risk, "newest" by `on`); `check` in text and JSON; the
//! workbench adding, editing and removing evidence, each one undoable step,
//! the Evidence column, the link key; and the Controls view of northwind.
//!
//! The registers have a 3×3 method, one asset in scope (`A-01`), one out of
//! scope (`A-02`, its factor off), one threat; each test adds the risks,
//! control states, decisions and own controls its case needs. The day is
//! 2026-12-01 throughout.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::{TODAY, keys, p, riskbench_in, run_command, today};
use riskbench::app::{App, Effect, Modal};
use riskbench::domain::{Analysis, Catalog, Register, Severity};
use serde_json::Value;

/// A test register: `evidence_days` as RON (`None`, `Some(365)`), then the
/// risks, control states, decisions and own controls, each a RON list body.
struct Reg<'a> {
    evidence_days: &'a str,
    risks: &'a str,
    controls: &'a str,
    decisions: &'a str,
    own: &'a str,
}

impl Default for Reg<'_> {
    fn default() -> Self {
        Reg {
            evidence_days: "Some(365)",
            risks: "",
            controls: "",
            decisions: "",
            own: "",
        }
    }
}

impl Reg<'_> {
    fn text(&self) -> String {
        format!(
            r#"Register(
    schema: 2,
    name: "Evidence check",
    method: (
        likelihood: ["Low", "Medium", "High"],
        impact: ["Low", "Medium", "High"],
        levels: [
            (name: "Low", up_to: 2, review_days: 365),
            (name: "Medium", up_to: 4, review_days: 180),
            (name: "High", up_to: 9, review_days: 90),
        ],
        matrix: None,
        appetite: 9,
        evidence_days: {days},
    ),
    own_controls: [{own}],
    factors: [(id: "legacy", label: "Legacy site still running", on: false, requires: [])],
    assets: [
        (id: "A-01", name: "Customer database", kind: Information, owner: "Head of Data"),
        (id: "A-02", name: "Legacy file server", kind: Hardware, owner: "IT", factor: Some("legacy")),
    ],
    threats: [(id: "T-01", name: "Ransomware")],
    risks: [{risks}],
    controls: [{controls}],
    decisions: [{decisions}],
)
"#,
            days = self.evidence_days,
            own = self.own,
            risks = self.risks,
            controls = self.controls,
            decisions = self.decisions,
        )
    }

    fn register(&self) -> Register {
        riskbench::store::parse_str("evidence.ron", &self.text())
            .unwrap_or_else(|e| panic!("{e:?}\n{}", self.text()))
            .register
    }

    /// The `(code, at)` of every evidence warning, in `check`'s order; the
    /// register must have no errors.
    fn evidence(&self) -> Vec<(String, String)> {
        let reg = self.register();
        let analysis = Analysis::new(&reg, today());
        let errors: Vec<_> = analysis.errors().collect();
        assert!(errors.is_empty(), "{errors:?}\n{}", self.text());
        analysis
            .findings
            .iter()
            .filter(|f| f.code.starts_with("evidence-"))
            .inspect(|f| assert_eq!(f.severity, Severity::Warning))
            .map(|f| (f.code.to_string(), f.at.clone()))
            .collect()
    }
}

/// A risk on the in-scope asset linking `controls` (a RON list).
fn risk(id: &str, controls: &str) -> String {
    format!(
        r#"(id: "{id}", title: "Risk {id}", asset: "A-01", threat: "T-01", likelihood: 2, impact: 2,
           treatment: Modify, controls: {controls}, owner: "CTO", reviewed: Some("2026-11-01")),"#
    )
}

/// The same on the out-of-scope asset.
fn out_of_scope_risk(id: &str, controls: &str) -> String {
    risk(id, controls).replace("\"A-01\"", "\"A-02\"")
}

/// A control state with `status` and evidence items dated `dates`, in
/// that order (what: "Report <date>").
fn control(id: &str, status: &str, dates: &[&str]) -> String {
    let items: Vec<String> = dates
        .iter()
        .map(|d| format!(r#"(what: "Report {d}", at: "wiki/{id}/{d}", on: "{d}", by: "Auditor")"#))
        .collect();
    format!(
        r#"(id: "{id}", status: {status}, effectiveness: 60, owner: "SRE", note: "", evidence: [{}]),"#,
        items.join(", ")
    )
}

fn w(code: &str, at: &str) -> (String, String) {
    (code.to_string(), at.to_string())
}

// ------------------------------------------------------ evidence-missing

#[test]
fn an_applicable_implemented_control_without_evidence_is_missing_evidence() {
    let risks = risk("R-1", r#"["8.13", "8.7"]"#);
    let controls =
        control("8.13", "Implemented", &[]) + &control("8.7", "Implemented", &["2026-10-01"]);
    let reg = Reg {
        risks: &risks,
        controls: &controls,
        ..Reg::default()
    };
    assert_eq!(reg.evidence(), vec![w("evidence-missing", "8.13")]);
}

#[test]
fn partial_planned_and_not_started_controls_need_no_evidence() {
    let risks = risk("R-1", r#"["8.13", "8.7", "8.8"]"#);
    let controls = control("8.13", "Partial", &[])
        + &control("8.7", "Planned", &[])
        // Stale evidence on a Partial control is not flagged either.
        + &control("8.8", "Partial", &["2019-01-01"]);
    let reg = Reg {
        risks: &risks,
        controls: &controls,
        ..Reg::default()
    };
    assert_eq!(reg.evidence(), vec![]);
}

#[test]
fn an_implemented_control_that_is_not_applicable_needs_no_evidence() {
    // 5.1 excluded by a decision, 5.2 undecided (nothing links it), 5.3
    // linked only by an out-of-scope risk: none is applicable (Yes).
    let risks = out_of_scope_risk("R-9", r#"["5.3"]"#);
    let controls = control("5.1", "Implemented", &[])
        + &control("5.2", "Implemented", &[])
        + &control("5.3", "Implemented", &["2019-01-01"]);
    let reg = Reg {
        risks: &risks,
        controls: &controls,
        decisions: r#"(control: "5.1", applicable: false, reason: "No such activity"),"#,
        ..Reg::default()
    };
    assert_eq!(reg.evidence(), vec![]);
    // Applicable by a decision alone: now it needs evidence.
    let reg = Reg {
        controls: &controls,
        decisions: r#"(control: "5.1", applicable: true, reason: "Policy requires it"),"#,
        ..Reg::default()
    };
    assert_eq!(reg.evidence(), vec![w("evidence-missing", "5.1")]);
}

// -------------------------------------------------------- evidence-stale

#[test]
fn evidence_on_plus_days_equal_to_today_is_not_stale_the_day_before_is() {
    // evidence_days 365; 2025-12-01 + 365 days = 2026-12-01 = today.
    let risks = risk("R-1", r#"["8.13", "8.7"]"#);
    let controls = control("8.13", "Implemented", &["2025-12-01"])
        + &control("8.7", "Implemented", &["2025-11-30"]);
    let reg = Reg {
        risks: &risks,
        controls: &controls,
        ..Reg::default()
    };
    assert_eq!(reg.evidence(), vec![w("evidence-stale", "8.7")]);
    // With 1 day: yesterday's evidence is fresh, the day before's is stale.
    let controls = control("8.13", "Implemented", &["2026-11-30"])
        + &control("8.7", "Implemented", &["2026-11-29"]);
    let reg = Reg {
        evidence_days: "Some(1)",
        risks: &risks,
        controls: &controls,
        ..Reg::default()
    };
    assert_eq!(reg.evidence(), vec![w("evidence-stale", "8.7")]);
}

#[test]
fn evidence_days_none_never_makes_evidence_stale() {
    let risks = risk("R-1", r#"["8.13"]"#);
    let controls = control("8.13", "Implemented", &["2001-01-01"]);
    let reg = Reg {
        evidence_days: "None",
        risks: &risks,
        controls: &controls,
        ..Reg::default()
    };
    assert_eq!(reg.evidence(), vec![]);
    // Missing evidence is still missing without an age limit.
    let controls = control("8.13", "Implemented", &[]);
    let reg = Reg {
        evidence_days: "None",
        risks: &risks,
        controls: &controls,
        ..Reg::default()
    };
    assert_eq!(reg.evidence(), vec![w("evidence-missing", "8.13")]);
}

#[test]
fn the_newest_evidence_is_the_latest_on_not_the_last_in_the_list() {
    let risks = risk("R-1", r#"["8.13", "8.7"]"#);
    // 8.13: a fresh report recorded first, an old one added after it;
    // 8.7: the other way round, and both old.
    let controls = control("8.13", "Implemented", &["2026-10-01", "2020-01-01"])
        + &control("8.7", "Implemented", &["2025-01-01", "2025-06-30"]);
    let reg = Reg {
        risks: &risks,
        controls: &controls,
        ..Reg::default()
    };
    assert_eq!(reg.evidence(), vec![w("evidence-stale", "8.7")]);
    let analysis = Analysis::new(&reg.register(), today());
    let stale = analysis
        .findings
        .iter()
        .find(|f| f.code == "evidence-stale")
        .unwrap();
    assert!(
        stale.message.contains("Report 2025-06-30") && stale.message.contains("519 days"),
        "{}",
        stale.message
    );
}

#[test]
fn the_domain_helper_gives_the_newest_item_and_its_age() {
    let risks = risk("R-1", r#"["8.13"]"#);
    let controls = control(
        "8.13",
        "Implemented",
        &["2026-10-01", "2020-01-01", "2026-10-01"],
    );
    let reg = Reg {
        risks: &risks,
        controls: &controls,
        ..Reg::default()
    }
    .register();
    let n = riskbench::domain::evidence::newest_evidence(reg.controls.first(), today()).unwrap();
    // Two items share the latest date: the one recorded last.
    assert_eq!((n.index, n.age_days), (2, 61));
    assert!(!n.is_stale(Some(61)) && n.is_stale(Some(60)) && !n.is_stale(None));
    assert!(riskbench::domain::evidence::newest_evidence(None, today()).is_none());
}

// ----------------------------------------------------------- own controls

const OWN: &str = r#"(id: "ORG-1", title: "Four-eyes approval of supplier payments", types: [Preventive], maps_to: ["5.3"]),
    (id: "ORG-2", title: "Weekly restore drill", types: [Corrective], maps_to: []),
    (id: "ORG-3", title: "Clean-desk walk", types: [Detective], maps_to: []),"#;

#[test]
fn an_own_control_linked_by_an_in_scope_risk_needs_evidence_one_that_is_not_linked_does_not() {
    // ORG-1 linked in scope, no evidence; ORG-2 linked in scope, stale;
    // ORG-3 linked only by an out-of-scope risk. All three Implemented.
    let risks = risk("R-1", r#"["ORG-1", "ORG-2"]"#) + &out_of_scope_risk("R-9", r#"["ORG-3"]"#);
    let controls = control("ORG-1", "Implemented", &[])
        + &control("ORG-2", "Implemented", &["2024-01-01"])
        + &control("ORG-3", "Implemented", &[])
        // 5.3, which ORG-1 maps to, is not itself recorded as Implemented.
        + &control("5.3", "Partial", &[]);
    let reg = Reg {
        risks: &risks,
        controls: &controls,
        own: OWN,
        ..Reg::default()
    };
    assert_eq!(
        reg.evidence(),
        vec![w("evidence-missing", "ORG-1"), w("evidence-stale", "ORG-2")]
    );
    // Unlinked, or only Partial: nothing.
    let controls = control("ORG-1", "Partial", &[]) + &control("ORG-3", "Implemented", &[]);
    let risks = risk("R-1", r#"["ORG-1"]"#);
    let reg = Reg {
        risks: &risks,
        controls: &controls,
        own: OWN,
        ..Reg::default()
    };
    assert_eq!(reg.evidence(), vec![]);
}

// ------------------------------------------------------------ the command

#[test]
fn check_reports_the_evidence_warnings_in_text_and_json() {
    let risks = risk("R-1", r#"["8.13", "8.7"]"#);
    let controls =
        control("8.13", "Implemented", &[]) + &control("8.7", "Implemented", &["2025-11-30"]);
    let text = Reg {
        risks: &risks,
        controls: &controls,
        ..Reg::default()
    }
    .text();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.ron");
    std::fs::write(&file, &text).unwrap();

    let r = run_command(
        riskbench_in(dir.path()),
        &["check", p(&file), "--format", "json", "--today", TODAY],
    );
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let mut warnings: Vec<(&str, &str)> = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["code"].as_str().unwrap(), w["at"].as_str().unwrap()))
        .filter(|(c, _)| c.starts_with("evidence-"))
        .collect();
    warnings.sort_unstable();
    assert_eq!(
        warnings,
        vec![("evidence-missing", "8.13"), ("evidence-stale", "8.7")]
    );

    let r = run_command(
        riskbench_in(dir.path()),
        &["check", p(&file), "--strict", "--today", TODAY],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let out = format!("{}{}", r.stdout, r.stderr);
    let line = |code: &str| {
        out.lines()
            .find(|l| l.contains(code))
            .unwrap_or_else(|| panic!("no {code} in:\n{out}"))
            .to_string()
    };
    // Each names its control and points at its entry in the file.
    let missing = line("evidence-missing");
    assert!(missing.contains("8.13"), "{missing}");
    let stale = line("evidence-stale");
    assert!(
        stale.contains("8.7") && stale.contains("366 days"),
        "{stale}"
    );
    let entry = text
        .lines()
        .position(|l| l.contains(r#"(id: "8.7""#))
        .unwrap()
        + 1;
    assert!(
        stale.contains(&format!(":{entry}:")),
        "{stale} (8.7 is on line {entry})"
    );
}

#[test]
fn northwind_has_evidence_for_every_implemented_applicable_control() {
    let r = run_command(
        riskbench_in(&common::root()),
        &[
            "check",
            "registers/northwind.ron",
            "--format",
            "json",
            "--today",
            TODAY,
        ],
    );
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let evidence: Vec<&Value> = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"].as_str().unwrap().starts_with("evidence-"))
        .collect();
    assert_eq!(evidence, Vec::<&Value>::new());
    let reg = common::northwind_register();
    assert_eq!(reg.method.evidence_days, Some(365));
    // Realistic: the evidence is not all of one day, and some of it is
    // getting old (over 300 days) without being stale.
    let analysis = Analysis::new(&reg, today());
    let mut ages: Vec<i64> = reg
        .controls
        .iter()
        .filter_map(|c| riskbench::domain::evidence::newest_evidence(Some(c), today()))
        .map(|n| n.age_days)
        .collect();
    ages.sort_unstable();
    ages.dedup();
    assert!(ages.len() > 10, "{ages:?}");
    assert!(ages.iter().any(|&a| (300..=365).contains(&a)), "{ages:?}");
    assert!(!analysis.has_errors());
}

// -------------------------------------------------------------- workbench

use riskbench::app::table::{Column, ControlColumn, SoaColumn};
use riskbench::keymap::KeyPress;

/// Types text key by key through the keymap (as a user types it).
fn type_keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let effects = app.handle_key(KeyPress::char(c));
        assert!(effects.is_empty(), "typing {c:?} produced {effects:?}");
    }
}

/// Northwind, changed by `change`, in the workbench's Controls view with
/// control `id` selected.
fn controls_app(change: impl FnOnce(&mut Register), id: &str) -> (App, usize) {
    let mut reg = common::northwind_register();
    change(&mut reg);
    let mut app = common::app_with(reg);
    keys(&mut app, "5 g g");
    let row = Catalog::annex_a().index_of(id).unwrap();
    for _ in 0..row {
        keys(&mut app, "j");
    }
    assert_eq!(app.selected_item(), Some(row));
    (app, row)
}

fn evidence_cell(app: &App, row: usize) -> String {
    app.ctx()
        .cell_of(Column::Control(ControlColumn::Evidence), row)
}

fn evidence_of<'a>(app: &'a App, id: &str) -> Vec<&'a str> {
    app.doc
        .register()
        .controls
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.evidence.iter().map(|e| e.what.as_str()).collect())
        .unwrap_or_default()
}

/// The workbench's findings, kept up to date incrementally, are exactly
/// what `check` finds in the register now.
fn assert_findings_fresh(app: &App) {
    let key = |f: &riskbench::domain::Finding| (f.code, f.at.clone(), f.message.clone());
    let mut kept: Vec<_> = app.doc.analysis().findings.iter().map(key).collect();
    let mut fresh: Vec<_> = Analysis::new(app.doc.register(), today())
        .findings
        .iter()
        .map(key)
        .collect();
    kept.sort();
    fresh.sort();
    assert_eq!(kept, fresh);
}

fn clear_evidence(reg: &mut Register, id: &str) {
    reg.controls
        .iter_mut()
        .find(|c| c.id == id)
        .unwrap()
        .evidence
        .clear();
}

#[test]
fn adding_evidence_in_the_controls_view_changes_the_column_and_undoes_in_one_step() {
    let (mut app, row) = controls_app(|r| clear_evidence(r, "8.13"), "8.13");
    let before = app.doc.register().clone();
    assert_eq!(evidence_cell(&app, row), "none !");
    assert_eq!(app.doc.stats().findings_with("evidence-missing"), 1);

    // No evidence yet: the key opens the form for a new item at once,
    // dated today and by the control's owner.
    keys(&mut app, "V");
    let Some(Modal::Form(form)) = app.modals.last() else {
        panic!("no form: {:?}", app.modals);
    };
    assert_eq!(form.values(), ["", "", "2026-12-01", "SRE Lead"]);
    type_keys(&mut app, "Restore test report Q4");
    keys(&mut app, "tab");
    type_keys(&mut app, "wiki/backup/2026-q4");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty(), "{:?}", app.modals);
    assert_eq!(
        app.message.as_ref().unwrap().0,
        "8.13: evidence added (Restore test report Q4)"
    );
    assert_eq!(evidence_of(&app, "8.13"), ["Restore test report Q4"]);
    assert_eq!(evidence_cell(&app, row), "0d");
    assert_eq!(app.doc.stats().findings_with("evidence-missing"), 0);
    assert_findings_fresh(&app);

    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), before);
    assert_eq!(evidence_cell(&app, row), "none !");
    assert_findings_fresh(&app);
}

#[test]
fn a_control_without_a_state_entry_gets_one_with_its_evidence() {
    // 7.3 (physical entry) has no controls[] entry in northwind.
    let (mut app, row) = controls_app(|_| {}, "7.3");
    let n = app.doc.register().controls.len();
    assert_eq!(evidence_cell(&app, row), "—");
    keys(&mut app, "V");
    type_keys(&mut app, "Badge log review");
    keys(&mut app, "enter");
    let reg = app.doc.register();
    assert_eq!(reg.controls.len(), n + 1);
    let entry = reg.controls.last().unwrap();
    assert_eq!(entry.id, "7.3");
    assert_eq!(entry.status, riskbench::domain::ControlStatus::NotStarted);
    assert_eq!(evidence_of(&app, "7.3"), ["Badge log review"]);
    assert_eq!(evidence_cell(&app, row), "0d");
    keys(&mut app, "u");
    assert_eq!(app.doc.register().controls.len(), n);
    assert_eq!(evidence_cell(&app, row), "—");
}

#[test]
fn editing_an_item_from_the_list_makes_it_stale_and_undo_takes_it_back() {
    // 8.13 has two items: Q2 (2026-07-01), then Q3 (2026-10-02).
    let (mut app, row) = controls_app(|_| {}, "8.13");
    let before = app.doc.register().clone();
    assert_eq!(evidence_cell(&app, row), "60d");
    keys(&mut app, "V");
    let Some(Modal::Picker(p)) = app.modals.last() else {
        panic!("no list: {:?}", app.modals);
    };
    // A new item first, then the items newest first.
    let labels: Vec<&str> = p.choices.iter().map(|c| c.label.as_str()).collect();
    assert!(labels[0].contains("New evidence"), "{labels:?}");
    assert!(
        labels[1].starts_with("2026-10-02 Restore test report Q3"),
        "{labels:?}"
    );
    assert!(
        labels[2].starts_with("2026-07-01 Restore test report Q2"),
        "{labels:?}"
    );

    // Both items dated back beyond a year: the column and check say stale.
    keys(&mut app, "down enter");
    let Some(Modal::Form(form)) = app.modals.last() else {
        panic!("no form: {:?}", app.modals);
    };
    assert!(form.title.contains("Evidence 2 of 2"), "{}", form.title);
    keys(&mut app, "tab tab");
    type_keys(&mut app, "2025-11-29");
    keys(&mut app, "enter");
    assert_eq!(
        app.message.as_ref().unwrap().0,
        "8.13: evidence updated (Restore test report Q3)"
    );
    // Q2 is now the newest.
    assert_eq!(evidence_cell(&app, row), "153d");
    keys(&mut app, "V down enter tab tab");
    type_keys(&mut app, "2025-11-30");
    keys(&mut app, "enter");
    assert_eq!(evidence_cell(&app, row), "366d !");
    let stale: Vec<&str> = app
        .doc
        .analysis()
        .findings
        .iter()
        .filter(|f| f.code == "evidence-stale")
        .map(|f| f.at.as_str())
        .collect();
    assert_eq!(stale, ["8.13"]);
    assert_findings_fresh(&app);
    // The SoA shows the same.
    assert_eq!(
        app.ctx().cell_of(Column::Soa(SoaColumn::Evidence), row),
        "366d !"
    );

    keys(&mut app, "u u");
    assert_eq!(*app.doc.register(), before);
    assert_eq!(evidence_cell(&app, row), "60d");
    assert_findings_fresh(&app);
}

#[test]
fn removing_an_item_is_one_undoable_edit() {
    let (mut app, row) = controls_app(|_| {}, "8.13");
    let before = app.doc.register().clone();
    // The newest item (first after "new"), its Remove field set to yes.
    keys(&mut app, "V down enter tab tab tab tab");
    let Some(Modal::Form(form)) = app.modals.last() else {
        panic!("no form: {:?}", app.modals);
    };
    assert_eq!(form.fields[form.focus].label, "Remove");
    type_keys(&mut app, "y");
    keys(&mut app, "enter");
    assert_eq!(
        app.message.as_ref().unwrap().0,
        "8.13: evidence removed (Restore test report Q3)"
    );
    assert_eq!(evidence_of(&app, "8.13"), ["Restore test report Q2"]);
    assert_eq!(evidence_cell(&app, row), "153d");
    // The last one too: the control is Implemented and applicable.
    keys(&mut app, "V down enter tab tab tab tab");
    type_keys(&mut app, "y");
    keys(&mut app, "enter");
    assert_eq!(evidence_of(&app, "8.13"), Vec::<&str>::new());
    assert_eq!(evidence_cell(&app, row), "none !");
    assert_findings_fresh(&app);
    keys(&mut app, "1");
    let screen = common::screen(&app, 120, 40);
    assert!(
        screen.contains("Evidence        1 missing · 0 stale"),
        "{screen}"
    );
    keys(&mut app, "5");

    keys(&mut app, "u");
    assert_eq!(evidence_of(&app, "8.13"), ["Restore test report Q2"]);
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), before);
    assert_findings_fresh(&app);
}

#[test]
fn the_link_key_shows_and_copies_where_the_evidence_is() {
    let (mut app, _) = controls_app(|_| {}, "8.13");
    // On the table: the newest item's link.
    let effects = keys(&mut app, "o");
    assert_eq!(
        effects,
        [Effect::CopyToClipboard("wiki/backup/2026-q3".into())]
    );
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .0
            .contains("wiki/backup/2026-q3")
    );
    // In the list: the highlighted item's (the list stays open).
    let effects = keys(&mut app, "V down down ctrl-o");
    assert_eq!(
        effects,
        [Effect::CopyToClipboard("wiki/backup/2026-q2".into())]
    );
    assert!(matches!(app.modals.last(), Some(Modal::Picker(_))));
    keys(&mut app, "esc");

    // A control without evidence: nothing to copy, and a word on why.
    let (mut app, _) = controls_app(|_| {}, "7.3");
    assert_eq!(keys(&mut app, "o"), []);
    assert!(app.message.as_ref().unwrap().0.contains("no evidence"));
    // Outside the Controls and SoA views it says where evidence lives.
    keys(&mut app, "2");
    assert_eq!(keys(&mut app, "o V"), []);
    assert!(app.modals.is_empty());
    assert!(app.message.as_ref().unwrap().0.contains("Controls"));
}

#[test]
fn the_dashboard_counts_implemented_controls_without_current_evidence() {
    let app = common::app_with({
        let mut reg = common::northwind_register();
        clear_evidence(&mut reg, "8.13");
        clear_evidence(&mut reg, "8.7");
        let c = reg.controls.iter_mut().find(|c| c.id == "5.1").unwrap();
        c.evidence[0].on = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        reg
    });
    let screen = common::screen(&app, 120, 40);
    assert!(
        screen.contains("Evidence        2 missing · 1 stale"),
        "{screen}"
    );
    let app = common::northwind_app();
    let screen = common::screen(&app, 120, 40);
    assert!(screen.contains("Evidence        all current"), "{screen}");
}

#[test]
fn controls_view_with_evidence_ages() {
    let mut app = common::northwind_app();
    // The Evidence column, oldest first; 8.13 (two items) in the pane.
    keys(&mut app, "5 <");
    assert_eq!(app.current_table().sort, 8);
    let at = app
        .current_table()
        .rows
        .iter()
        .position(|&r| r == Catalog::annex_a().index_of("6.2").unwrap())
        .unwrap();
    assert_eq!(at, 0, "the oldest evidence first");
    let to = |id: &str| {
        let row = Catalog::annex_a().index_of(id).unwrap();
        app.current_table()
            .rows
            .iter()
            .position(|&r| r == row)
            .unwrap()
    };
    let n = to("8.13");
    keys(&mut app, "g g");
    for _ in 0..n {
        keys(&mut app, "j");
    }
    insta::assert_snapshot!(common::screen(&app, 120, 40));
}
