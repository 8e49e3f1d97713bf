//! Headless tests of the workbench: key strings go through the real default
//! keymap into `App`, and the tests assert on the resulting state (register,
//! evaluation, heat maps, SoA, tables, modals, messages, effects).
//!
//! Nothing here touches a terminal. Keys are written as in keymap files
//! (`"L 3"`, `"g g"`, `"ctrl-s"`); text is typed key by key through
//! `App::handle_key`, so the keymap decides what is text and what is a
//! command, exactly as in the TUI.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::path::PathBuf;

use chrono::NaiveDate;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use common::{keys, northwind_app as app, northwind_register as northwind, select_item, today};
use riskbench::app::action::Action;
use riskbench::app::{App, Effect, MessageKind, Modal, OnConfirm, Stats, View};
use riskbench::domain::{Analysis, Applicability, Catalog, Register};
use riskbench::keymap::{Context, KeyCode, KeyPress, Keymap};

// ---------------------------------------------------------------- helpers

/// Types text key by key through the keymap (not `type_text`), so a key the
/// keymap claims in the active context would not become text.
fn type_keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let effects = app.handle_key(KeyPress::char(c));
        assert!(effects.is_empty(), "typing {c:?} produced {effects:?}");
    }
}

fn risk_index(app: &App, id: &str) -> usize {
    app.doc
        .register()
        .risks
        .iter()
        .position(|r| r.id == id)
        .unwrap_or_else(|| panic!("no risk {id}"))
}

fn select_risk(app: &mut App, id: &str) -> usize {
    keys(app, "2");
    let i = risk_index(app, id);
    select_item(app, i);
    i
}

fn select_by_id(app: &mut App, view_key: &str, id: &str) -> usize {
    keys(app, view_key);
    let i = match app.view {
        View::Assets => app.doc.register().assets.iter().position(|a| a.id == id),
        View::Threats => app.doc.register().threats.iter().position(|t| t.id == id),
        View::Environment => app.doc.register().factors.iter().position(|f| f.id == id),
        View::Controls | View::Soa => Catalog::annex_a().index_of(id),
        View::Risks | View::Dashboard | View::Focus | View::Queue => {
            app.doc.register().risks.iter().position(|r| r.id == id)
        }
        View::Changes => app
            .changes()
            .rows
            .iter()
            .position(|row| app.changes().cells(row)[1].starts_with(id)),
        View::Findings => app.doc.analysis().findings.iter().position(|f| f.at == id),
        View::Plan => app.doc.register().actions.iter().position(|a| a.id == id),
    }
    .unwrap_or_else(|| panic!("no {id} in {:?}", app.view));
    select_item(app, i);
    i
}

fn message(app: &App) -> (String, MessageKind) {
    app.message.clone().expect("a status message")
}

fn top_confirm(app: &App) -> &riskbench::app::Confirm {
    match app.modals.last() {
        Some(Modal::Confirm(c)) => c,
        other => panic!("expected a confirmation, got {:?}", other.map(modal_error)),
    }
}

fn top_form(app: &App) -> &riskbench::app::form::Form {
    match app.modals.last() {
        Some(Modal::Form(f)) => f,
        other => panic!("expected a form, got {:?}", other.map(modal_error)),
    }
}

/// A short description of a modal for assertion messages (a form's Debug
/// output includes every text area's internals).
fn modal_error(m: &Modal) -> String {
    match m {
        Modal::Form(f) => format!("form {:?}: error {:?}", f.title, f.error),
        Modal::Confirm(c) => format!("confirm {:?}", c.message),
        Modal::Picker(p) | Modal::Palette(p) => format!("picker {:?} query {:?}", p.title, p.query),
        Modal::Prompt(p) => format!("prompt {:?}", p.title),
        Modal::Help { .. } => "help".into(),
        Modal::Info { title, .. } => format!("info {title:?}"),
        Modal::Conflicts { selected } => format!("conflicts at {selected}"),
    }
}

fn soa_entry<'a>(app: &'a App, control: &str) -> &'a riskbench::domain::SoaEntry {
    let c = Catalog::annex_a().index_of(control).unwrap();
    &app.doc.analysis().soa.entries[c]
}

/// Everything derived is what a fresh computation from the register gives.
fn assert_derived_state_fresh(app: &App) {
    let fresh = Analysis::new(app.doc.register(), app.doc.today());
    assert_eq!(
        app.doc.analysis().eval.risks,
        fresh.eval.risks,
        "evaluation is stale"
    );
    assert_eq!(app.doc.analysis().soa, fresh.soa, "SoA is stale");
    assert_eq!(
        *app.doc.stats(),
        Stats::new(app.doc.register(), &fresh),
        "stats are stale"
    );
    // Findings may be in another order after an incremental update.
    let key = |f: &riskbench::domain::Finding| (f.code, f.at.clone(), f.message.clone(), f.risk);
    let mut now: Vec<_> = app.doc.analysis().findings.iter().map(key).collect();
    let mut want: Vec<_> = fresh.findings.iter().map(key).collect();
    now.sort();
    want.sort();
    assert_eq!(now, want, "findings are stale");
}

fn error_codes(reg: &Register) -> Vec<&'static str> {
    Analysis::new(reg, today())
        .errors()
        .map(|f| f.code)
        .collect()
}

// ---------------------------------------------------------------- scoring

#[test]
fn quick_scoring_updates_risk_evaluation_heat_map_and_soa_at_once() {
    let mut app = app();
    let i = select_risk(&mut app, "R-002");
    let before = app.doc.register().risks[i].clone();
    let (l0, i0) = (before.likelihood, before.impact);
    assert_eq!((l0, i0), (4, 4), "fixture changed");
    let old_eval = app.doc.analysis().eval.risks[i]
        .clone()
        .expect("R-002 in scope");
    let old_stats = app.doc.stats().clone();
    assert!(!app.is_dirty());

    keys(&mut app, "L 2");
    assert_eq!(app.doc.register().risks[i].likelihood, 2);
    // T-02 shifts likelihood by +1: inherent likelihood 3.
    let e = app.doc.analysis().eval.risks[i].clone().unwrap();
    assert_eq!((e.inherent.likelihood, e.inherent.impact), (3, 4));
    let (text, kind) = message(&app);
    assert_eq!(kind, MessageKind::Info);
    assert!(
        text.contains("R-002") && text.contains("likelihood 2"),
        "{text}"
    );
    // The cursor follows the risk even though the table is re-sorted.
    assert_eq!(app.selected_item(), Some(i));

    keys(&mut app, "I 3");
    let r = &app.doc.register().risks[i];
    assert_eq!((r.likelihood, r.impact), (2, 3));
    let e = app.doc.analysis().eval.risks[i].clone().unwrap();
    assert_eq!(
        (e.inherent.likelihood, e.inherent.impact, e.inherent.score),
        (3, 3, 9)
    );
    assert!(e.residual.score <= old_eval.residual.score);
    let (text, _) = message(&app);
    assert!(
        text.contains("R-002") && text.contains("impact 3"),
        "{text}"
    );

    // Heat map: one risk moved from the old inherent cell to the new one.
    let (ol, oi) = (
        old_eval.inherent.likelihood as usize - 1,
        old_eval.inherent.impact as usize - 1,
    );
    let mut expected = old_stats.inherent.clone();
    expected[ol][oi] -= 1;
    expected[2][2] += 1;
    assert_eq!(app.doc.stats().inherent, expected);
    assert_eq!(app.doc.stats().in_scope, old_stats.in_scope);

    assert_derived_state_fresh(&app);
    assert!(app.is_dirty());
    assert_eq!(app.doc.history().undo_len(), 2);
    // Everything else in the register is untouched.
    let mut expected_reg = northwind();
    expected_reg.risks[i].likelihood = 2;
    expected_reg.risks[i].impact = 3;
    assert_eq!(*app.doc.register(), expected_reg);
}

#[test]
fn quick_scoring_outside_the_scale_is_refused() {
    let mut app = app();
    let i = select_risk(&mut app, "R-005");
    let before = app.doc.register().clone();
    keys(&mut app, "L 9");
    let (text, kind) = message(&app);
    assert_eq!(kind, MessageKind::Error);
    assert!(text.contains("1 to 5"), "{text}");
    keys(&mut app, "I 0"); // I 0 means 10
    assert_eq!(message(&app).1, MessageKind::Error);
    assert_eq!(*app.doc.register(), before);
    assert!(!app.is_dirty());
    assert!(!app.doc.history().can_undo());
    assert_eq!(app.selected_item(), Some(i));
    assert!(app.pending.is_empty());
}

#[test]
fn quick_scoring_with_the_same_value_records_nothing() {
    let mut app = app();
    let i = select_risk(&mut app, "R-005");
    let l = app.doc.register().risks[i].likelihood;
    keys(&mut app, &format!("L {l}"));
    assert!(!app.doc.history().can_undo());
    assert!(!app.is_dirty());
}

#[test]
fn quick_scoring_outside_a_risk_view_does_nothing() {
    let mut app = app();
    keys(&mut app, "3 L 2");
    assert_eq!(*app.doc.register(), northwind());
    assert!(message(&app).0.contains("risk row"), "{:?}", app.message);
}

// ---------------------------------------------------------------- adding

/// From the focused field of an open form, tabs to the field `label`.
fn tab_to(app: &mut App, label: &str) {
    for _ in 0..40 {
        if top_form(app).focused().map(|f| f.label) == Some(label) {
            return;
        }
        keys(app, "tab");
    }
    panic!("no field {label}");
}

#[test]
fn add_a_risk_with_a_fuzzy_picked_control() {
    let mut app = app();
    keys(&mut app, "2 a");
    let form = top_form(&app);
    assert_eq!(form.focused().unwrap().label, "Title");
    assert_eq!(form.fields[0].display(), "R-041");

    type_keys(&mut app, "Backups quietly fail");
    tab_to(&mut app, "Controls");
    // Typing on a link field opens the picker with the typed text.
    type_keys(&mut app, "backup");
    let Some(Modal::Picker(p)) = app.modals.last() else {
        panic!(
            "expected the picker, got {:?}",
            app.modals.last().map(modal_error)
        );
    };
    assert_eq!(p.query, "backup");
    assert_eq!(p.chosen().unwrap().value, "8.13", "{:?}", p.chosen());
    keys(&mut app, "enter");
    let form = top_form(&app);
    assert_eq!(form.focused().unwrap().label, "Controls");
    assert_eq!(form.focused().unwrap().display(), "8.13");
    assert!(app.doc.register().risks.iter().all(|r| r.id != "R-041"));

    keys(&mut app, "enter");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(modal_error)
    );
    let i = risk_index(&app, "R-041");
    let r = &app.doc.register().risks[i];
    assert_eq!(r.title, "Backups quietly fail");
    assert_eq!(r.controls, vec!["8.13".to_string()]);
    assert_eq!(app.doc.register().risks.len(), 41);
    assert_eq!(app.selected_item(), Some(i), "the new risk is selected");
    assert!(app.doc.analysis().eval.risks[i].is_some());
    let soa = soa_entry(&app, "8.13");
    assert_eq!(soa.applicable, Applicability::Yes);
    let j = soa.justification(app.doc.register());
    assert!(j.contains("R-041"), "{j}");
    assert!(soa.risks.contains(&i));
    assert!(app.is_dirty());
    assert!(error_codes(app.doc.register()).is_empty());
    assert_derived_state_fresh(&app);

    // One undo removes it again.
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), northwind());
}

#[test]
fn a_bad_date_is_refused_with_the_field_named() {
    let mut app = app();
    keys(&mut app, "2 a");
    type_keys(&mut app, "Something");
    tab_to(&mut app, "Reviewed");
    type_keys(&mut app, "2026-13-45");
    keys(&mut app, "enter");
    let form = top_form(&app);
    let err = form.error.clone().expect("form error");
    assert!(err.starts_with("Reviewed"), "{err}");
    assert_eq!(*app.doc.register(), northwind());
    assert!(!app.is_dirty());

    // Typing clears the error; a good date is then accepted.
    keys(&mut app, "backspace backspace");
    assert!(top_form(&app).error.is_none());
    type_keys(&mut app, "3"); // 2026-13-3 is still not a date
    keys(&mut app, "enter");
    assert!(
        top_form(&app)
            .error
            .as_deref()
            .unwrap()
            .starts_with("Reviewed")
    );
    for _ in 0..20 {
        keys(&mut app, "backspace");
    }
    type_keys(&mut app, "2026-11-30");
    keys(&mut app, "enter");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(modal_error)
    );
    let r = &app.doc.register().risks[risk_index(&app, "R-041")];
    assert_eq!(r.reviewed, NaiveDate::from_ymd_opt(2026, 11, 30));
}

#[test]
fn a_form_without_a_title_is_refused_and_esc_abandons_it() {
    let mut app = app();
    keys(&mut app, "2 a enter");
    assert_eq!(top_form(&app).error.as_deref(), Some("Title: required"));
    keys(&mut app, "esc");
    assert!(app.modals.is_empty());
    assert_eq!(*app.doc.register(), northwind());
    assert!(!app.is_dirty());
}

#[test]
fn c_on_a_risk_row_links_a_control_through_the_picker() {
    let mut app = app();
    let i = select_risk(&mut app, "R-005");
    assert!(
        !app.doc.register().risks[i]
            .controls
            .iter()
            .any(|c| c == "8.24")
    );
    keys(&mut app, "c");
    assert!(matches!(app.modals.last(), Some(Modal::Picker(_))));
    assert_eq!(app.context(), Context::Picker);
    type_keys(&mut app, "8.24");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty());
    assert_eq!(app.doc.register().risks[i].controls.last().unwrap(), "8.24");
    let soa = soa_entry(&app, "8.24");
    assert!(soa.risks.contains(&i));
    let j = soa.justification(app.doc.register());
    assert!(j.contains("R-005"), "{j}");
    assert!(message(&app).0.contains("8.24"));
    assert_derived_state_fresh(&app);

    // Linking it again changes nothing.
    keys(&mut app, "c");
    type_keys(&mut app, "8.24");
    keys(&mut app, "enter");
    assert_eq!(app.doc.history().undo_len(), 1);
    assert!(message(&app).0.contains("already"), "{:?}", app.message);
}

#[test]
fn picker_with_no_match_stays_open_and_esc_closes_it() {
    let mut app = app();
    select_risk(&mut app, "R-005");
    keys(&mut app, "c");
    type_keys(&mut app, "zzzzqqq");
    keys(&mut app, "enter");
    assert!(matches!(app.modals.last(), Some(Modal::Picker(_))));
    keys(&mut app, "esc");
    assert!(app.modals.is_empty());
    assert_eq!(*app.doc.register(), northwind());
}

// ---------------------------------------------------------------- deleting

fn delete_referenced(view_key: &str, id: &str, missing_code: &str) {
    let mut app = app();
    let original = app.doc.register().clone();
    select_by_id(&mut app, view_key, id);

    keys(&mut app, "d");
    let c = top_confirm(&app);
    assert!(c.message.contains(id), "{}", c.message);
    assert!(c.message.contains(" risks refer to"), "{}", c.message);
    keys(&mut app, "n");
    assert!(app.modals.is_empty());
    assert_eq!(*app.doc.register(), original);
    assert!(!app.is_dirty());

    keys(&mut app, "d y");
    assert!(app.modals.is_empty());
    assert!(app.is_dirty());
    assert_eq!(app.doc.history().undo_len(), 1, "one undoable step");
    let reg = &app.doc.register();
    assert!(reg.assets.iter().all(|a| a.id != id));
    assert!(reg.threats.iter().all(|t| t.id != id));
    assert!(reg.risks.iter().all(|r| r.asset != id && r.threat != id));
    assert!(reg.risks.len() < original.risks.len());
    let codes = error_codes(reg);
    assert!(!codes.contains(&missing_code), "{codes:?}");
    // The deleted risks are also taken out of the plan's actions.
    assert!(codes.is_empty(), "{codes:?}");
    assert!(message(&app).0.contains(id));
    assert_derived_state_fresh(&app);

    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), original);
    assert!(!app.is_dirty());
    assert_derived_state_fresh(&app);
}

#[test]
fn deleting_a_referenced_asset_asks_and_takes_its_risks_along() {
    assert!(error_codes(&northwind()).is_empty(), "fixture has errors");
    delete_referenced("3", "A-01", "unknown-asset");
}

#[test]
fn deleting_a_referenced_threat_asks_and_takes_its_risks_along() {
    delete_referenced("4", "T-01", "unknown-threat");
}

#[test]
fn deleting_a_factor_clears_references_instead_of_deleting_items() {
    let mut app = app();
    let original = app.doc.register().clone();
    select_by_id(&mut app, "7", "premises");
    keys(&mut app, "d");
    let c = top_confirm(&app);
    assert!(c.message.contains("premises"), "{}", c.message);
    keys(&mut app, "n");
    assert_eq!(*app.doc.register(), original);

    keys(&mut app, "d y");
    let reg = &app.doc.register();
    assert!(reg.factors.iter().all(|f| f.id != "premises"));
    assert_eq!(reg.assets.len(), original.assets.len());
    assert_eq!(reg.risks.len(), original.risks.len());
    assert!(
        reg.assets
            .iter()
            .all(|a| a.factor.as_deref() != Some("premises"))
    );
    assert!(
        reg.risks
            .iter()
            .all(|r| r.factor.as_deref() != Some("premises"))
    );
    let a15 = reg.assets.iter().find(|a| a.id == "A-15").unwrap();
    assert_eq!(a15.factor, None);
    let codes = error_codes(reg);
    assert!(!codes.contains(&"unknown-factor"), "{codes:?}");
    // The office risk is now always in scope.
    let r39 = risk_index(&app, "R-039");
    assert!(app.doc.analysis().eval.risks[r39].is_some());

    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), original);
    assert!(!app.is_dirty());
}

#[test]
fn deleting_an_unreferenced_item_asks_plainly() {
    let mut app = app();
    // No risk in northwind uses T-11? Find a threat nobody refers to, or add one.
    keys(&mut app, "4 a");
    type_keys(&mut app, "Meteor strike");
    keys(&mut app, "enter");
    let t = app.doc.register().threats.len() - 1;
    assert_eq!(app.doc.register().threats[t].name, "Meteor strike");
    select_item(&mut app, t);
    keys(&mut app, "d");
    let c = top_confirm(&app);
    assert!(!c.message.contains("refer"), "{}", c.message);
    assert!(matches!(&c.on_yes, OnConfirm::Apply(..)));
    keys(&mut app, "y");
    assert_eq!(*app.doc.register(), northwind());
    assert!(app.is_dirty(), "two edits on the stack");
    keys(&mut app, "u u");
    assert!(!app.is_dirty());
}

// ---------------------------------------------------------------- undo/redo

#[test]
fn undo_all_restores_the_register_and_redo_all_gives_it_back() {
    let mut app = app();
    let original = app.doc.register().clone();
    select_risk(&mut app, "R-003");
    keys(&mut app, "L 1 I 2");
    select_risk(&mut app, "R-010");
    keys(&mut app, "c");
    type_keys(&mut app, "8.24");
    keys(&mut app, "enter");
    select_by_id(&mut app, "7", "cards");
    keys(&mut app, "space");
    select_by_id(&mut app, "3", "A-12");
    keys(&mut app, "d y");
    select_by_id(&mut app, "5", "8.13");
    keys(&mut app, "e right tab");
    // Effectiveness: clear and type 90.
    keys(&mut app, "backspace backspace backspace");
    type_keys(&mut app, "90");
    keys(&mut app, "enter");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(modal_error)
    );

    let n = app.doc.history().undo_len();
    assert_eq!(n, 6);
    let edited = app.doc.register().clone();
    assert_ne!(edited, original);
    assert!(app.is_dirty());

    for _ in 0..n {
        keys(&mut app, "u");
    }
    assert!(!app.doc.history().can_undo());
    assert_eq!(*app.doc.register(), original);
    assert!(!app.is_dirty());
    assert_derived_state_fresh(&app);
    keys(&mut app, "u");
    assert!(message(&app).0.contains("Nothing to undo"));

    for _ in 0..n {
        keys(&mut app, "ctrl-r");
    }
    assert!(!app.doc.history().can_redo());
    assert_eq!(*app.doc.register(), edited);
    assert!(app.is_dirty());
    assert_derived_state_fresh(&app);

    // A new edit after an undo clears the redo stack.
    keys(&mut app, "u");
    assert!(app.doc.history().can_redo());
    select_risk(&mut app, "R-001");
    keys(&mut app, "I 1");
    assert!(!app.doc.history().can_redo());
}

#[test]
fn save_returns_an_effect_and_clears_dirty_on_success() {
    let path = PathBuf::from("/tmp/riskbench-test/northwind.ron");
    let mut app = App::new(
        northwind(),
        Some(path.clone()),
        today(),
        Keymap::default_keymap(),
    );
    assert_eq!(keys(&mut app, "ctrl-s"), vec![Effect::Save(path.clone())]);
    select_risk(&mut app, "R-001");
    keys(&mut app, "L 1");
    assert!(app.is_dirty());
    let effects = keys(&mut app, "ctrl-s");
    assert_eq!(effects, vec![Effect::Save(path.clone())]);
    assert!(app.is_dirty(), "dirty until the runtime reports success");

    app.on_saved(path.clone(), Err("disk full".into()));
    assert!(app.is_dirty());
    assert_eq!(message(&app).1, MessageKind::Error);

    app.on_saved(path.clone(), Ok(()));
    assert!(!app.is_dirty());
    // Undo past the save point is a change relative to the file.
    keys(&mut app, "u");
    assert!(app.is_dirty());
    keys(&mut app, "ctrl-r");
    assert!(!app.is_dirty());
    // Quit after saving does not ask.
    assert_eq!(keys(&mut app, "q"), vec![Effect::Quit]);
}

#[test]
fn saving_the_bundled_example_asks_for_a_path() {
    let mut app = app();
    assert!(keys(&mut app, "ctrl-s").is_empty());
    assert!(matches!(app.modals.last(), Some(Modal::Prompt(_))));
    assert_eq!(app.context(), Context::Form);
    // Replace the suggested path.
    for _ in 0..60 {
        keys(&mut app, "backspace");
    }
    type_keys(&mut app, "/tmp/x.ron");
    let effects = keys(&mut app, "enter");
    assert_eq!(effects, vec![Effect::Save(PathBuf::from("/tmp/x.ron"))]);
    app.on_saved(PathBuf::from("/tmp/x.ron"), Ok(()));
    assert_eq!(app.path, Some(PathBuf::from("/tmp/x.ron")));
}

// ---------------------------------------------------------------- filter

/// The fields a risk filter looks at: id, title, asset (id and name),
/// threat (id and name), owner.
fn risk_fields(app: &App, i: usize) -> Vec<String> {
    let r = &app.doc.register().risks[i];
    let asset = app
        .doc
        .register()
        .assets
        .iter()
        .find(|a| a.id == r.asset)
        .map_or("", |a| a.name.as_str());
    let threat = app
        .doc
        .register()
        .threats
        .iter()
        .find(|t| t.id == r.threat)
        .map_or("", |t| t.name.as_str());
    vec![
        r.id.to_string(),
        r.title.clone(),
        format!("{} {asset}", r.asset),
        format!("{} {threat}", r.threat),
        r.owner.clone(),
    ]
}

/// Every shown row fuzzy-matches the query in one of its fields, and every
/// risk with the query as a plain substring of a field is shown. (The
/// filter may drop weak, scattered subsequence matches.)
fn assert_filter_rows(app: &App, query: &str) {
    let m = SkimMatcherV2::default().ignore_case();
    let rows = sorted_rows(app);
    for &i in &rows {
        assert!(
            risk_fields(app, i)
                .iter()
                .any(|f| m.fuzzy_match(f, query).is_some()),
            "{} shown for {query:?} but does not match",
            app.doc.register().risks[i].id
        );
    }
    let q = query.to_lowercase();
    for i in 0..app.doc.register().risks.len() {
        if risk_fields(app, i)
            .iter()
            .any(|f| f.to_lowercase().contains(&q))
        {
            assert!(
                rows.contains(&i),
                "{} contains {query:?} but is not shown",
                app.doc.register().risks[i].id
            );
        }
    }
}

fn sorted_rows(app: &App) -> Vec<usize> {
    let mut v = app.current_table().rows.clone();
    v.sort();
    v
}

#[test]
fn filter_keeps_only_fuzzy_matches_and_clears() {
    let mut app = app();
    keys(&mut app, "2 /");
    assert!(app.filtering);
    assert_eq!(app.context(), Context::Filter);
    type_keys(&mut app, "ransom");
    let rows = sorted_rows(&app);
    assert_filter_rows(&app, "ransom");
    assert!(!rows.is_empty() && rows.len() < 20, "{}", rows.len());
    assert!(rows.contains(&risk_index(&app, "R-001")));
    // Every risk with the Ransomware threat is shown.
    for (i, r) in app.doc.register().risks.iter().enumerate() {
        if r.threat == "T-01" {
            assert!(rows.contains(&i), "{} missing", r.id);
        }
    }

    // An extending keystroke keeps a subset.
    type_keys(&mut app, "w");
    let narrower = sorted_rows(&app);
    assert!(narrower.iter().all(|r| rows.contains(r)));
    assert_filter_rows(&app, "ransomw");
    // Backspace while typing widens again.
    keys(&mut app, "backspace");
    assert_eq!(sorted_rows(&app), rows);

    // Esc while typing clears the filter.
    keys(&mut app, "esc");
    assert!(!app.filtering);
    assert_eq!(app.current_table().filter, "");
    assert_eq!(app.current_table().rows.len(), 40);

    // Enter keeps the filter; backspace in the table clears it.
    keys(&mut app, "/");
    type_keys(&mut app, "ransom");
    keys(&mut app, "enter");
    assert!(!app.filtering);
    assert_eq!(app.context(), Context::Table);
    assert_eq!(sorted_rows(&app), rows);
    // Table keys work again (j moves, it is not typed).
    keys(&mut app, "j");
    assert_eq!(app.current_table().filter, "ransom");
    keys(&mut app, "backspace");
    assert_eq!(app.current_table().filter, "");
    assert_eq!(app.current_table().rows.len(), 40);
}

/// The same filter text must show the same rows however it was typed. The
/// filter narrows incrementally (an extending keystroke only re-checks the
/// rows already shown), which is only right when matching is monotone; with a
/// minimum score per query character it is not: adding a well-matching letter
/// can lift an item over the threshold that the shorter query rejected.
#[test]
fn filter_rows_do_not_depend_on_how_the_query_was_typed() {
    for query in ["suppod", "dea", "otcr", "encn", "ransom", "backup"] {
        let mut app = app();
        keys(&mut app, "2 /");
        type_keys(&mut app, query);
        let typed = sorted_rows(&app);
        // Re-sorting (s, then < back) rebuilds the rows from scratch.
        keys(&mut app, "enter s <");
        assert_eq!(app.current_table().filter, query);
        assert_eq!(typed, sorted_rows(&app), "filter {query:?}");
    }
}

#[test]
fn filter_typing_does_not_trigger_table_or_global_keys() {
    let mut app = app();
    keys(&mut app, "2 /");
    // q, d, u, L, 3, :, ? and space would all be commands in the table.
    type_keys(&mut app, "q d u L 3 : ?");
    assert_eq!(app.current_table().filter, "q d u L 3 : ?");
    assert!(app.modals.is_empty());
    assert_eq!(*app.doc.register(), northwind());
}

#[test]
fn filter_survives_an_edit_and_matches_new_data() {
    let mut app = app();
    keys(&mut app, "2 /");
    type_keys(&mut app, "ransom");
    keys(&mut app, "enter");
    let rows = sorted_rows(&app);
    // Quick-score a filtered row: the filter still applies after the refresh.
    keys(&mut app, "g g L 1");
    assert!(app.is_dirty());
    assert_eq!(app.current_table().filter, "ransom");
    assert_eq!(sorted_rows(&app), rows);
}

// ---------------------------------------------------------------- sort

fn risk_ids(app: &App) -> Vec<String> {
    app.current_table()
        .rows
        .iter()
        .map(|&i| app.doc.register().risks[i].id.to_string())
        .collect()
}

#[test]
fn sort_cycles_columns_and_reverses() {
    let mut app = app();
    keys(&mut app, "2");
    let t = app.current_table();
    assert_eq!((t.sort, t.descending), (5, true), "residual, highest first");
    let residuals: Vec<u32> = t
        .rows
        .iter()
        .map(|&i| {
            app.doc.analysis().eval.risks[i]
                .as_ref()
                .map_or(0, |e| e.residual.score)
        })
        .collect();
    assert!(residuals.windows(2).all(|w| w[0] >= w[1]), "{residuals:?}");

    // Cycle to column 0 (ID): 11 columns, so 6 steps from 5.
    let cols = View::Risks.columns().len();
    for _ in 0..(cols - 5) {
        keys(&mut app, "s");
    }
    assert_eq!(app.current_table().sort, 0);
    // A new column starts in its natural direction: ids A→Z.
    assert!(!app.current_table().descending);
    let ids = risk_ids(&app);
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "ascending by id");
    keys(&mut app, "S");
    sorted.reverse();
    assert_eq!(risk_ids(&app), sorted, "descending by id");

    // `<` goes back one column, `>` forward.
    keys(&mut app, "<");
    assert_eq!(app.current_table().sort, cols - 1);
    keys(&mut app, "> s s s s");
    assert_eq!(app.current_table().sort, 4);
    keys(&mut app, "S");
    let inherent: Vec<u32> = app
        .current_table()
        .rows
        .iter()
        .map(|&i| {
            app.doc.analysis().eval.risks[i]
                .as_ref()
                .map_or(0, |e| e.inherent.score)
        })
        .collect();
    assert!(inherent.windows(2).all(|w| w[0] <= w[1]), "{inherent:?}");
}

#[test]
fn sort_keeps_the_selected_item() {
    let mut app = app();
    let i = select_risk(&mut app, "R-017");
    keys(&mut app, "s S s");
    assert_eq!(app.selected_item(), Some(i));
}

#[test]
fn assets_sort_by_risk_count_numerically() {
    let mut app = app();
    keys(&mut app, "3");
    while app.current_table().sort != 6 {
        keys(&mut app, "s");
    }
    let count = |a: usize| {
        let id = &app.doc.register().assets[a].id;
        app.doc
            .register()
            .risks
            .iter()
            .filter(|r| r.asset == *id)
            .count()
    };
    let counts: Vec<usize> = app.current_table().rows.iter().map(|&a| count(a)).collect();
    let mut sorted = counts.clone();
    sorted.sort();
    if app.current_table().descending {
        sorted.reverse();
    }
    assert_eq!(counts, sorted);
}

// ---------------------------------------------------------------- quit

#[test]
fn quit_with_unsaved_changes_asks_first() {
    let mut app = app();
    assert_eq!(
        keys(&mut app, "q"),
        vec![Effect::Quit],
        "clean: quits at once"
    );

    let mut app = self::app();
    select_risk(&mut app, "R-001");
    keys(&mut app, "L 1");
    assert!(keys(&mut app, "q").is_empty());
    let c = top_confirm(&app);
    assert_eq!(c.on_yes, OnConfirm::Quit);
    assert!(keys(&mut app, "n").is_empty());
    assert!(app.modals.is_empty());
    // q inside the confirmation means "no" too.
    assert!(keys(&mut app, "q q").is_empty());
    assert!(app.modals.is_empty());
    assert_eq!(keys(&mut app, "q y"), vec![Effect::Quit]);
}

#[test]
fn q_is_text_in_a_form_not_quit() {
    let mut app = app();
    keys(&mut app, "2 a");
    type_keys(&mut app, "quit");
    assert_eq!(top_form(&app).focused().unwrap().display(), "quit");
}

// ---------------------------------------------------------------- factors

#[test]
fn toggling_a_factor_changes_scope_and_the_soa() {
    let mut app = app();
    let c71 = soa_entry(&app, "7.1").clone();
    assert_eq!(c71.applicable, Applicability::No);
    assert!(!c71.conflict);
    let r39 = risk_index(&app, "R-039");
    assert!(
        app.doc.analysis().eval.risks[r39].is_none(),
        "office risk out of scope"
    );
    let in_scope = app.doc.stats().in_scope;

    let f = select_by_id(&mut app, "7", "premises");
    keys(&mut app, "space");
    assert!(app.doc.register().factors[f].on);
    assert!(message(&app).0.contains("premises is now on"));
    // The explicit exclusion of 7.1 now conflicts with the factor and with R-039.
    let c71 = soa_entry(&app, "7.1");
    assert_eq!(c71.applicable, Applicability::No);
    assert!(c71.conflict);
    assert!(c71.risks.contains(&r39));
    assert!(app.doc.analysis().eval.risks[r39].is_some());
    assert_eq!(app.doc.stats().in_scope, in_scope + 1);
    // 7.3 has no risk but the factor requires it.
    let c73 = soa_entry(&app, "7.3");
    assert!(c73.conflict);
    assert_eq!(c73.factors, vec![f]);
    assert_derived_state_fresh(&app);

    keys(&mut app, "space");
    assert_eq!(*app.doc.register(), northwind());
    assert!(!soa_entry(&app, "7.1").conflict);
    assert!(app.is_dirty(), "two edits recorded");
}

#[test]
fn toggling_a_factor_that_requires_undecided_controls_makes_them_applicable() {
    let mut app = app();
    let c = Catalog::annex_a();
    let outsourced = app
        .doc
        .register()
        .factors
        .iter()
        .find(|f| f.id == "outsourced_dev")
        .unwrap()
        .clone();
    let f = select_by_id(&mut app, "7", "outsourced_dev");
    keys(&mut app, "space");
    assert!(app.doc.register().factors[f].on);
    for id in &outsourced.requires {
        let e = &app.doc.analysis().soa.entries[c.index_of(id).unwrap()];
        if e.decision.is_none() {
            assert_eq!(e.applicable, Applicability::Yes, "{id}");
            let j = e.justification(app.doc.register());
            assert!(j.contains("outsourced_dev"), "{id}: {j}");
        }
    }
}

#[test]
fn space_outside_environment_does_not_toggle() {
    let mut app = app();
    keys(&mut app, "2 space");
    assert_eq!(*app.doc.register(), northwind());
    // Space marks the row there (tests/bulk_edit.rs).
    assert_eq!(app.marked_count(View::Risks), 1);
}

// ---------------------------------------------------------------- moving

#[test]
fn gg_and_g_move_to_top_and_bottom_with_a_pending_prefix() {
    let mut app = app();
    keys(&mut app, "2");
    let n = app.current_table().rows.len();
    keys(&mut app, "G");
    assert_eq!(app.current_table().selected, n - 1);
    keys(&mut app, "g");
    assert!(!app.pending.is_empty(), "g waits for more");
    assert_eq!(app.current_table().selected, n - 1);
    keys(&mut app, "g");
    assert!(app.pending.is_empty());
    assert_eq!(app.current_table().selected, 0);
    // j / k / pgdown / end / home.
    keys(&mut app, "j j k");
    assert_eq!(app.current_table().selected, 1);
    keys(&mut app, "pgdown");
    assert_eq!(app.current_table().selected, 21);
    keys(&mut app, "end");
    assert_eq!(app.current_table().selected, n - 1);
    keys(&mut app, "j");
    assert_eq!(app.current_table().selected, n - 1, "clamped at the bottom");
    keys(&mut app, "home k");
    assert_eq!(app.current_table().selected, 0);

    // An unbound continuation abandons the prefix without acting.
    keys(&mut app, "G g x");
    assert!(app.pending.is_empty());
    assert_eq!(app.current_table().selected, n - 1);
    // L waits for a digit too.
    keys(&mut app, "L");
    assert_eq!(app.pending.len(), 1);
    keys(&mut app, "esc");
    assert!(app.pending.is_empty());
    assert_eq!(*app.doc.register(), northwind());
}

#[test]
fn view_keys_switch_views() {
    let mut app = app();
    assert_eq!(app.view, View::Dashboard);
    for (k, v) in [
        ("2", View::Risks),
        ("3", View::Assets),
        ("4", View::Threats),
        ("5", View::Controls),
        ("6", View::Soa),
        ("7", View::Environment),
        ("1", View::Dashboard),
        // On the dashboard tab first walks its panes (heat map, summary,
        // top risks), then goes on to the next view.
        ("tab tab tab", View::Risks),
        ("backtab", View::Dashboard),
        ("left", View::Plan),
        ("right", View::Dashboard),
    ] {
        keys(&mut app, k);
        assert_eq!(app.view, v, "after {k}");
    }
    keys(&mut app, "5");
    // The 93 Annex A controls, then Northwind's three own controls.
    assert_eq!(app.current_table().rows.len(), 93 + 3);
    keys(&mut app, "6");
    assert_eq!(app.current_table().rows.len(), 93);
}

#[test]
fn soa_filter_cycles_and_filters_rows() {
    let mut app = app();
    keys(&mut app, "6 f");
    let yes = app.current_table().rows.clone();
    assert!(!yes.is_empty());
    assert!(
        yes.iter()
            .all(|&c| app.doc.analysis().soa.entries[c].applicable == Applicability::Yes)
    );
    keys(&mut app, "f");
    assert!(
        app.current_table()
            .rows
            .iter()
            .all(|&c| app.doc.analysis().soa.entries[c].applicable == Applicability::No)
    );
    keys(&mut app, "f f");
    assert_eq!(app.current_table().rows.len(), 93);
}

// ---------------------------------------------------------------- palette

#[test]
fn palette_runs_undo() {
    let mut app = app();
    select_risk(&mut app, "R-001");
    keys(&mut app, "L 1");
    assert!(app.is_dirty());
    keys(&mut app, ":");
    assert_eq!(app.context(), Context::Palette);
    type_keys(&mut app, "undo");
    let Some(Modal::Palette(p)) = app.modals.last() else {
        panic!("palette not open");
    };
    assert_eq!(p.chosen().unwrap().value, "Undo");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty());
    assert_eq!(*app.doc.register(), northwind());
    assert!(!app.is_dirty());
}

#[test]
fn palette_by_description_and_ctrl_p() {
    let mut app = app();
    keys(&mut app, "ctrl-p");
    assert_eq!(app.context(), Context::Palette);
    type_keys(&mut app, "show assets");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty());
    assert_eq!(app.view, View::Assets);

    // The palette can score a risk too.
    select_risk(&mut app, "R-001");
    keys(&mut app, ":");
    type_keys(&mut app, "set likelihood to 1");
    keys(&mut app, "enter");
    assert_eq!(
        app.doc.register().risks[risk_index(&app, "R-001")].likelihood,
        1
    );
}

#[test]
fn palette_lists_every_palette_action_with_its_keys() {
    let mut app = app();
    keys(&mut app, ":");
    let Some(Modal::Palette(p)) = app.modals.last() else {
        panic!("palette not open");
    };
    let values: Vec<&str> = p.choices.iter().map(|c| c.value.as_str()).collect();
    let expected: Vec<String> = Action::palette().iter().map(Action::name).collect();
    assert_eq!(values, expected);
    let undo = p.choices.iter().find(|c| c.value == "Undo").unwrap();
    assert!(
        undo.hint.contains('u') && undo.hint.contains("ctrl-z"),
        "{}",
        undo.hint
    );
    assert_eq!(undo.label, Action::Undo.describe());
    keys(&mut app, "esc");
    assert!(app.modals.is_empty());
}

#[test]
fn help_opens_and_closes() {
    let mut app = app();
    keys(&mut app, "?");
    assert_eq!(app.context(), Context::Help);
    keys(&mut app, "j j");
    assert!(matches!(app.modals.last(), Some(Modal::Help { scroll: 2 })));
    keys(&mut app, "q");
    assert!(app.modals.is_empty(), "q closes help, it does not quit");
    keys(&mut app, "f1 esc");
    assert!(app.modals.is_empty());
}

// ---------------------------------------------------------------- keymap

#[test]
fn every_action_is_bound_or_in_the_palette() {
    let km = Keymap::default_keymap();
    let palette = Action::palette();
    for a in Action::all() {
        let bound = !km.keys_for(a).is_empty();
        assert!(
            bound || palette.contains(&a),
            "{a} is neither bound nor in the palette"
        );
        if !palette.contains(&a) {
            assert!(bound, "{a} is only usable by key but is not bound");
        }
    }
    // And in fact every palette action has a key in the default keymap.
    for a in palette {
        assert!(!km.keys_for(a).is_empty(), "{a} has no key");
    }
}

#[test]
fn a_user_override_changes_one_key_only() {
    let default = Keymap::default_keymap();
    let mut merged = Keymap::default_keymap();
    let user = Keymap::parse(
        "user.ron",
        r#"(version: 1, contexts: { table: { "b": Delete, "d": NoOp } })"#,
    )
    .unwrap();
    merged.merge_over(user);

    let before = default.bindings();
    let after = merged.bindings();
    let added: Vec<_> = after.iter().filter(|b| !before.contains(b)).collect();
    let removed: Vec<_> = before.iter().filter(|b| !after.contains(b)).collect();
    assert_eq!(
        added,
        vec![&(Context::Table, "b".to_string(), Action::Delete)]
    );
    assert_eq!(
        removed,
        vec![&(Context::Table, "d".to_string(), Action::Delete)]
    );

    // Through the app: b deletes, d does nothing, the rest is unchanged.
    let mut app = App::new(northwind(), None, today(), merged);
    select_risk(&mut app, "R-001");
    keys(&mut app, "d");
    assert!(app.modals.is_empty(), "d is unbound");
    keys(&mut app, "b");
    assert!(matches!(app.modals.last(), Some(Modal::Confirm(_))));
    keys(&mut app, "y");
    assert_eq!(app.doc.register().risks.len(), 39);
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), northwind());
}

#[test]
fn a_vim_keymap_also_drives_the_app() {
    let vim = Keymap::builtin("vim").expect("vim keymap").unwrap();
    let mut app = App::new(northwind(), None, today(), vim);
    // Whatever the vim map binds for Undo, it must undo a quick score.
    let undo_keys = app.keymap.keys_for(Action::Undo);
    let (_, undo) = undo_keys
        .iter()
        .find(|(c, _)| *c == Context::Table || *c == Context::Global)
        .expect("vim binds Undo")
        .clone();
    let score_keys = app.keymap.keys_for(Action::SetLikelihood(1));
    let (_, score) = score_keys
        .first()
        .expect("vim binds SetLikelihood(1)")
        .clone();
    let risks_keys = app.keymap.keys_for(Action::ShowRisks);
    let (_, risks) = risks_keys.first().expect("vim binds ShowRisks").clone();
    keys(&mut app, &risks);
    assert_eq!(app.view, View::Risks);
    let i = app.selected_item().unwrap();
    let l = app.doc.register().risks[i].likelihood;
    keys(&mut app, &score);
    assert_eq!(app.doc.register().risks[i].likelihood, 1);
    assert_eq!(app.is_dirty(), l != 1);
    keys(&mut app, &undo);
    assert_eq!(*app.doc.register(), northwind());
}

#[test]
fn keys_unknown_to_every_context_do_nothing() {
    let mut app = app();
    keys(&mut app, "2");
    for k in ["z", "ctrl-x", "f9", "insert", "%"] {
        keys(&mut app, k);
        assert!(app.pending.is_empty());
        assert!(app.modals.is_empty());
    }
    assert_eq!(*app.doc.register(), northwind());
}

// ---------------------------------------------------------------- edits via forms

#[test]
fn editing_a_control_state_re_evaluates_linked_risks() {
    let mut app = app();
    let r1 = risk_index(&app, "R-001");
    let before = riskbench::domain::eval::products(
        app.doc.register(),
        &app.doc.analysis().eval.lookups,
        &app.doc.register().risks[r1],
    );
    select_by_id(&mut app, "5", "8.13");
    keys(&mut app, "e");
    assert_eq!(top_form(&app).focused().unwrap().label, "Status");
    keys(&mut app, "tab backspace backspace");
    type_keys(&mut app, "100");
    keys(&mut app, "enter");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(modal_error)
    );
    let state = app
        .doc
        .register()
        .controls
        .iter()
        .find(|c| c.id == "8.13")
        .unwrap();
    assert_eq!(state.effectiveness, 100);
    let after = riskbench::domain::eval::products(
        app.doc.register(),
        &app.doc.analysis().eval.lookups,
        &app.doc.register().risks[r1],
    );
    let effects = riskbench::domain::eval::control_effects(
        app.doc.register(),
        &app.doc.analysis().eval.lookups,
        &app.doc.register().risks[r1],
    );
    let eff = effects.iter().find(|e| e.id == "8.13").unwrap();
    assert_eq!(eff.effectiveness, 100);
    assert!(after.likelihood <= before.likelihood);
    assert!(after.impact <= before.impact);
    assert!(
        after.impact < before.impact,
        "8.13 is corrective: pI must fall"
    );
    assert_derived_state_fresh(&app);

    // Out-of-range effectiveness is refused with the field named.
    keys(&mut app, "e tab backspace backspace backspace");
    type_keys(&mut app, "101");
    keys(&mut app, "enter");
    let err = top_form(&app).error.clone().unwrap();
    assert!(err.starts_with("Effectiveness"), "{err}");
    keys(&mut app, "esc");
    assert_eq!(app.doc.history().undo_len(), 1);
}

#[test]
fn soa_decision_form_needs_a_reason() {
    let mut app = app();
    let c = select_by_id(&mut app, "6", "5.7");
    let had = app.doc.analysis().soa.entries[c].decision;
    keys(&mut app, "e");
    // Choose "excluded" (third option) and leave the reason empty.
    keys(&mut app, "right right");
    if had.is_some() {
        // clear the existing reason
        keys(&mut app, "tab");
        for _ in 0..200 {
            keys(&mut app, "backspace");
        }
    }
    keys(&mut app, "enter");
    let form = top_form(&app);
    assert!(form.error.is_some(), "a reason is required");
    keys(&mut app, "esc");
    assert_eq!(*app.doc.register(), northwind());
}

#[test]
fn opening_and_submitting_an_unchanged_form_changes_nothing() {
    let mut app = app();
    for view_key in ["2", "3", "4", "5", "6", "7"] {
        keys(&mut app, view_key);
        keys(&mut app, "g g");
        let n = app.current_table().rows.len();
        for row in 0..n {
            let item = app.selected_item().unwrap();
            let id = &Catalog::annex_a().controls()[item.min(92)].id;
            if app.view == View::Controls && app.doc.register().controls.iter().all(|c| c.id != *id)
            {
                // See the ignored test below.
                keys(&mut app, "j");
                continue;
            }
            keys(&mut app, "e");
            let title = top_form(&app).title.clone();
            keys(&mut app, "enter");
            assert!(
                app.modals.is_empty(),
                "{view_key}/{row}: {:?}",
                app.modals.last().map(modal_error)
            );
            assert!(
                !app.doc.history().can_undo(),
                "{title}: submitting the unchanged form recorded an edit: {:?}",
                app.message
            );
            assert_eq!(app.selected_item(), Some(item));
            keys(&mut app, "j");
        }
    }
    assert_eq!(*app.doc.register(), northwind());
}

#[test]
fn risk_form_picks_asset_and_threat_and_refuses_a_duplicate_id() {
    let mut app = app();
    keys(&mut app, "2 a");
    type_keys(&mut app, "Laptop left on a train");
    tab_to(&mut app, "Asset");
    type_keys(&mut app, "laptops");
    keys(&mut app, "enter");
    assert_eq!(top_form(&app).focused().unwrap().display(), "A-07");
    tab_to(&mut app, "Threat");
    type_keys(&mut app, "theft of equip");
    keys(&mut app, "enter");
    assert_eq!(top_form(&app).focused().unwrap().display(), "T-09");
    tab_to(&mut app, "Likelihood");
    type_keys(&mut app, "3");
    tab_to(&mut app, "Impact");
    type_keys(&mut app, "4");
    // A duplicate id is refused.
    tab_to(&mut app, "ID");
    for _ in 0..10 {
        keys(&mut app, "backspace");
    }
    type_keys(&mut app, "R-001");
    keys(&mut app, "enter");
    let err = top_form(&app).error.clone().unwrap();
    assert!(err.starts_with("ID"), "{err}");
    for _ in 0..10 {
        keys(&mut app, "backspace");
    }
    type_keys(&mut app, "R-100");
    keys(&mut app, "enter");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(modal_error)
    );
    let r = &app.doc.register().risks[risk_index(&app, "R-100")];
    assert_eq!((r.asset.as_str(), r.threat.as_str()), ("A-07", "T-09"));
    assert_eq!((r.likelihood, r.impact), (3, 4));
}

#[test]
fn renaming_a_referenced_asset_is_refused() {
    let mut app = app();
    select_by_id(&mut app, "3", "A-01");
    // An edit form opens on the name; the id is one backtab away.
    keys(&mut app, "e backtab");
    assert_eq!(top_form(&app).focused().unwrap().label, "ID");
    type_keys(&mut app, "x");
    keys(&mut app, "enter");
    let err = top_form(&app).error.clone().unwrap();
    assert!(err.contains("cannot be renamed"), "{err}");
    keys(&mut app, "esc");
    assert_eq!(*app.doc.register(), northwind());
}

#[test]
fn terminal_style_shifted_keys_work() {
    use riskbench::keymap::Mods;
    let mut app = app();
    keys(&mut app, "2");
    // crossterm reports `G` as Char('G') with SHIFT; some terminals send 'g'.
    app.handle_key(KeyPress::new(KeyCode::Char('G'), Mods::SHIFT));
    let n = app.current_table().rows.len();
    assert_eq!(app.current_table().selected, n - 1);
    keys(&mut app, "g g");
    app.handle_key(KeyPress::new(KeyCode::Char('g'), Mods::SHIFT));
    assert_eq!(app.current_table().selected, n - 1);
    let i = app.selected_item().unwrap();
    app.handle_key(KeyPress::new(KeyCode::Char('L'), Mods::SHIFT));
    app.handle_key(KeyPress::char('1'));
    assert_eq!(app.doc.register().risks[i].likelihood, 1);
    // shift-tab is backtab.
    app.handle_key(KeyPress::new(KeyCode::Tab, Mods::SHIFT));
    assert_eq!(app.view, View::Dashboard);
}

#[test]
fn form_text_fields_edit_like_a_line_editor() {
    let mut app = app();
    select_by_id(&mut app, "3", "A-01");
    keys(&mut app, "e");
    tab_to(&mut app, "Name");
    // home, then ctrl-k deletes to the end of the line.
    keys(&mut app, "home ctrl-k");
    assert_eq!(top_form(&app).focused().unwrap().display(), "");
    type_keys(&mut app, "Warehouse");
    keys(&mut app, "left left left left ctrl-k");
    assert_eq!(top_form(&app).focused().unwrap().display(), "Wareh");
    keys(&mut app, "enter");
    assert_eq!(app.doc.register().assets[0].name, "Wareh");
}

// ---------------------------------------------------------------- regressions

/// `ctrl-p` is a global binding, inherited in the form context: it must not
/// open the palette over an edit form (an action run from there could change
/// the register under the form). And should the register change under an
/// open form anyway, submitting it must not overwrite the item that moved
/// into its slot: the form replaces exactly the item it was opened on.
#[test]
fn a_stale_edit_form_cannot_overwrite_another_risk() {
    let mut app = app();
    let i = select_risk(&mut app, "R-005");
    keys(&mut app, "e");
    assert_eq!(app.context(), Context::Form);
    keys(&mut app, "ctrl-p");
    assert_eq!(app.context(), Context::Form, "palette opened over the form");
    // Register-changing keys are refused while the form is open.
    keys(&mut app, "ctrl-z");
    assert_eq!(*app.doc.register(), northwind());

    // Change the register under the form through the API.
    let r005 = app.doc.register().risks[i].clone();
    app.apply_edit(
        riskbench::app::edit::Edit::Remove {
            at: i,
            item: riskbench::app::edit::Item::Risk(r005),
        },
        "deleted behind the form",
    );
    let next = app.doc.register().risks[i].clone();
    assert_eq!(next.id, "R-006");
    assert!(matches!(app.modals.last(), Some(Modal::Form(_))));
    keys(&mut app, "enter");
    assert!(
        app.doc.register().risks.iter().any(|r| r == &next),
        "R-006 was overwritten by the stale R-005 form"
    );
    assert!(app.doc.register().risks.iter().all(|r| r.id != "R-005"));
}

/// The control form of a control without an implementation state shows the
/// defaults (NotStarted, 50 %); pressing enter without changing anything
/// inserts that default state into the register: an undoable edit, the dirty
/// marker, and a new line in the saved file, for "no change".
#[test]
fn unchanged_control_form_without_state_records_nothing() {
    let mut app = app();
    assert!(app.doc.register().controls.iter().all(|c| c.id != "7.3"));
    select_by_id(&mut app, "5", "7.3");
    keys(&mut app, "e enter");
    assert!(app.modals.is_empty());
    assert!(!app.doc.history().can_undo(), "{:?}", app.message);
    assert_eq!(*app.doc.register(), northwind());
}

/// `handle_keys` is documented as "a sequence of keys written as in keymap
/// files" for tests and scripted sessions, but it parses the whole string as
/// one *binding*, which is limited to 8 keys: a script of nine `j`s fails.
#[test]
fn handle_keys_accepts_long_scripts() {
    let mut app = app();
    app.handle_keys("2 j j j j j j j j j").expect("nine keys");
    assert_eq!(app.current_table().selected, 9);
}

/// PageDown in a picker moves by `delta.clamp(-n, n)` with wrap-around, so
/// with 20 matches or fewer it moves by exactly n and lands where it started
/// (nothing happens), and with more it wraps to the top instead of stopping
/// at the last match.
#[test]
fn pgdown_in_a_short_picker_goes_to_the_last_match() {
    let mut app = app();
    select_risk(&mut app, "R-005");
    keys(&mut app, "c");
    type_keys(&mut app, "8.1");
    let Some(Modal::Picker(p)) = app.modals.last() else {
        panic!("picker not open");
    };
    let n = p.matches.len();
    assert!(n > 1 && n <= 20, "{n} matches");
    keys(&mut app, "pgdown");
    let Some(Modal::Picker(p)) = app.modals.last() else {
        panic!("picker not open");
    };
    assert_eq!(p.selected, n - 1);
}

/// The palette's key hints come from every context, so they repeat keys and
/// show keys that do something else where the palette is used (MoveUp shows
/// "k, up, ctrl-p, up, ctrl-p, up, k, up", and ctrl-p opens the palette in a
/// table; ToggleHelp shows "?, f1, ?, esc, q").
#[test]
fn palette_hints_list_each_key_once() {
    let mut app = app();
    keys(&mut app, ":");
    let Some(Modal::Palette(p)) = app.modals.last() else {
        panic!("palette not open");
    };
    for c in &p.choices {
        let ks: Vec<&str> = c.hint.split(", ").filter(|k| !k.is_empty()).collect();
        let mut uniq = ks.clone();
        uniq.sort();
        uniq.dedup();
        assert_eq!(ks.len(), uniq.len(), "{}: {}", c.value, c.hint);
    }
}

#[test]
fn export_writes_the_soa_workbook_next_to_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("northwind.ron");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/registers/northwind.ron"),
        &file,
    )
    .unwrap();
    let mut session =
        riskbench::tui::Session::open(Some(&file), None, today(), None).expect("open");
    let effects = session.app.handle_keys("E").unwrap();
    let expected = dir.path().join("northwind-soa.xlsx");
    assert_eq!(
        effects,
        vec![riskbench::app::Effect::ExportSoa(expected.clone())]
    );
    assert!(!session.perform(effects));
    let (text, kind) = message(&session.app);
    assert_eq!(kind, MessageKind::Info, "{text}");
    assert!(text.contains("northwind-soa.xlsx"), "{text}");
    let bytes = std::fs::read(&expected).unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip file");
    // The register itself is untouched and not dirty.
    assert!(!session.app.is_dirty());
}

/// Threat shifts and an asset's scope factor are environment edits: the
/// workbench re-evaluates from the inputs it keeps instead of from scratch.
/// Each, and its undo, must leave the same state as a fresh computation.
#[test]
fn environment_edits_re_evaluate_like_a_fresh_computation() {
    use riskbench::app::edit::{Edit, Item};
    let mut app = app();
    let t = 0;
    let mut threat = app.doc.register().threats[t].clone();
    threat.shift += 2;
    let edit = Edit::Replace {
        at: t,
        before: Item::Threat(app.doc.register().threats[t].clone()),
        after: Item::Threat(threat),
    };
    assert!(edit.keeps_structure());
    let inherent = |app: &App| -> Vec<_> {
        let evals = app.doc.analysis().eval.risks.iter();
        evals.map(|e| e.as_ref().map(|e| e.inherent)).collect()
    };
    let before = inherent(&app);
    app.apply_edit(edit, "shift");
    assert_derived_state_fresh(&app);
    assert_ne!(before, inherent(&app), "the shift moved no risk");

    // An asset brought under a factor that is off leaves scope with its risks.
    let a = (0..app.doc.register().assets.len())
        .find(|&a| {
            app.doc.register().assets[a].factor.is_none()
                && app.doc.analysis().eval.by_asset[a]
                    .iter()
                    .any(|&r| app.doc.analysis().eval.risks[r].is_some())
        })
        .unwrap();
    let off = app
        .doc
        .register()
        .factors
        .iter()
        .find(|f| !f.on)
        .map(|f| f.id.clone())
        .unwrap();
    let mut asset = app.doc.register().assets[a].clone();
    asset.factor = Some(off);
    let edit = Edit::Replace {
        at: a,
        before: Item::Asset(app.doc.register().assets[a].clone()),
        after: Item::Asset(asset),
    };
    assert!(edit.keeps_structure());
    let in_scope = |app: &App| app.doc.analysis().eval.risks.iter().flatten().count();
    let before = in_scope(&app);
    app.apply_edit(edit, "scope");
    assert_derived_state_fresh(&app);
    assert!(in_scope(&app) < before, "no risk left scope");
    keys(&mut app, "u");
    assert_derived_state_fresh(&app);
    assert_eq!(in_scope(&app), before);
    keys(&mut app, "u");
    assert_derived_state_fresh(&app);
    assert_eq!(*app.doc.register(), northwind());

    // Renaming an id is not an environment edit.
    let mut renamed = app.doc.register().threats[t].clone();
    renamed.id = "T-99".into();
    let edit = Edit::Replace {
        at: t,
        before: Item::Threat(app.doc.register().threats[t].clone()),
        after: Item::Threat(renamed),
    };
    assert!(!edit.keeps_structure());
}

/// Deleting a risk that the treatment plan lists takes it out of the
/// actions too (never leaving `unknown-risk`), as one undoable step.
#[test]
fn deleting_a_planned_risk_takes_it_out_of_its_actions_and_undo_puts_it_back() {
    let mut app = app();
    let original = app.doc.register().clone();
    let listed =
        |reg: &Register, id: &str| reg.actions.iter().any(|a| a.risks.iter().any(|r| r == id));
    assert!(listed(&original, "R-001"));
    keys(&mut app, "2 / R - 0 0 1 enter d y");
    let reg = app.doc.register();
    assert!(reg.risks.iter().all(|r| r.id != "R-001"), "R-001 deleted");
    assert!(!listed(reg, "R-001"));
    assert!(error_codes(reg).is_empty(), "{:?}", error_codes(reg));
    assert_derived_state_fresh(&app);
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), original);
}
