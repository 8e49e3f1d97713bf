//! Many at once (issue 17 item 7): rows marked with `v` / `space` in the
//! Risks, Controls and SoA tables, and `B`, one edit to every marked row as
//! one undo step — SoA decisions with one reason, control status, risk owner
//! and treatment. Marks are kept by id (sorting and filtering keep them);
//! the Environment view's `space` still switches a factor, and a keymap
//! file written for the older `ToggleFactor` still loads and works.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::{app_with, bare_spec_register, keys, northwind_app, northwind_register, screen};
use riskbench::app::{App, MessageKind, Modal, View};
use riskbench::domain::{Applicability, Catalog, ControlStatus, Register, Treatment};
use riskbench::keymap::{KeyPress, Keymap};

/// Types text key by key through the keymap, as a user does.
fn type_keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let effects = app.handle_key(KeyPress::char(c));
        assert!(effects.is_empty(), "typing {c:?} produced {effects:?}");
    }
}

fn message(app: &App) -> (String, MessageKind) {
    app.message.clone().expect("a status message")
}

/// The title of the popup on top (the bulk menu or its prompt).
fn popup_title(app: &App) -> String {
    match app.modals.last() {
        Some(Modal::Picker(p)) => p.title.clone(),
        Some(Modal::Prompt(p)) => p.title.clone(),
        other => panic!("expected a picker or prompt, got {}", other.is_some()),
    }
}

/// The ids of the rows shown at positions `from..to` of the current view
/// (risk ids or control ids).
fn shown_ids(app: &App, from: usize, to: usize) -> Vec<String> {
    let reg = app.doc.register();
    app.current_table().rows[from..to]
        .iter()
        .map(|&i| match app.view {
            View::Risks | View::Dashboard => reg.risks[i].id.to_string(),
            _ => Catalog::annex_a().controls()[i].id.to_string(),
        })
        .collect()
}

fn risk<'a>(reg: &'a Register, id: &str) -> &'a riskbench::domain::Risk {
    reg.risks.iter().find(|r| r.id == id).unwrap()
}

const REASON: &str = "Not relevant to our cloud-only estate";

#[test]
fn thirty_soa_decisions_in_one_step_undone_and_redone_in_one_step() {
    // No decisions, no factors, no links: all 93 controls are Undecided.
    let original = bare_spec_register();
    let mut app = app_with(original.clone());
    keys(&mut app, "6");
    let ids = shown_ids(&app, 0, 30);
    for _ in 0..30 {
        keys(&mut app, "v");
    }
    assert_eq!(app.marked_count(View::Soa), 30);
    // The marker and the count are on screen.
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("30 marked"), "{shown}");
    assert!(shown.contains('●'), "{shown}");
    let depth = app.doc.history().undo_len();

    keys(&mut app, "B");
    assert!(
        popup_title(&app).contains("30 controls marked"),
        "{}",
        popup_title(&app)
    );
    type_keys(&mut app, "exclude");
    keys(&mut app, "enter");
    assert!(
        popup_title(&app).contains("30 controls"),
        "{}",
        popup_title(&app)
    );
    type_keys(&mut app, REASON);
    keys(&mut app, "enter");
    assert!(app.modals.is_empty());

    let reg = app.doc.register();
    assert_eq!(reg.decisions.len(), 30);
    for id in &ids {
        let d = reg.decisions.iter().find(|d| d.control == id.as_str());
        let d = d.unwrap_or_else(|| panic!("{id} decided"));
        assert!(!d.applicable, "{id} excluded");
        assert_eq!(d.reason, REASON);
        let c = Catalog::annex_a().index_of(id).unwrap();
        assert_eq!(
            app.doc.analysis().soa.entries[c].applicable,
            Applicability::No
        );
    }
    assert_eq!(app.doc.history().undo_len(), depth + 1, "one undo step");
    assert_eq!(
        message(&app),
        (format!("30 controls excluded: {REASON}"), MessageKind::Info)
    );
    assert_eq!(app.marked_count(View::Soa), 0, "marks cleared once applied");
    let decided = reg.clone();

    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), original, "one undo restores all 30");
    assert_eq!(
        message(&app).0,
        format!("Undone: 30 controls excluded: {REASON}")
    );
    keys(&mut app, "ctrl-r");
    assert_eq!(*app.doc.register(), decided, "redo decides all 30 again");
    assert!(message(&app).0.starts_with("Redone: 30 controls excluded"));
}

#[test]
fn soa_applicable_and_back_to_undecided_for_marked_rows() {
    let original = bare_spec_register();
    let mut app = app_with(original.clone());
    keys(&mut app, "6 v v v");
    keys(&mut app, "B");
    type_keys(&mut app, "applicable");
    keys(&mut app, "enter");
    // A decision needs its reason: an empty one is refused, the prompt stays.
    keys(&mut app, "enter");
    assert!(matches!(app.modals.last(), Some(Modal::Prompt(_))));
    assert_eq!(message(&app).1, MessageKind::Error);
    type_keys(&mut app, "Contract with Globex");
    keys(&mut app, "enter");
    let reg = app.doc.register();
    assert_eq!(reg.decisions.len(), 3);
    assert!(reg.decisions.iter().all(|d| d.applicable));
    assert_eq!(
        message(&app).0,
        "3 controls applicable: Contract with Globex"
    );

    // Back to Undecided: the three decisions removed, again in one step.
    keys(&mut app, "g g v v v B");
    type_keys(&mut app, "undecided");
    keys(&mut app, "enter");
    assert_eq!(*app.doc.register(), original);
    assert_eq!(message(&app).0, "3 controls back to Undecided");
    // Undoing the removals puts each decision back where it was.
    keys(&mut app, "u");
    assert_eq!(app.doc.register().decisions.len(), 3);
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), original);
}

/// Northwind's first SoA rows: some have a decision (replaced), some are
/// Yes through their risks only (a decision added), and two of those are
/// needed by risks — said, as `check` says it.
#[test]
fn excluding_decided_and_undecided_rows_together_undoes_exactly() {
    let original = northwind_register();
    let mut app = northwind_app();
    keys(&mut app, "6 v v v v v B enter");
    type_keys(&mut app, REASON);
    keys(&mut app, "enter");
    let reg = app.doc.register();
    let excluded = reg
        .decisions
        .iter()
        .filter(|d| !d.applicable && d.reason == REASON)
        .count();
    assert_eq!(excluded, 5);
    assert_eq!(reg.decisions.len(), original.decisions.len() + 2);
    let (text, kind) = message(&app);
    assert_eq!(kind, MessageKind::Error, "{text}");
    assert!(
        text.starts_with(&format!("5 controls excluded: {REASON} — 2 needed")),
        "{text}"
    );
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), original);
}

#[test]
fn owner_and_treatment_on_marked_risks() {
    let original = northwind_register();
    let mut app = northwind_app();
    keys(&mut app, "2");
    // Rows 0, 2 and 4: `v` marks and moves down, `j` skips one.
    let ids: Vec<String> = shown_ids(&app, 0, 5).into_iter().step_by(2).collect();
    keys(&mut app, "v j v j v");
    assert_eq!(app.marked_count(View::Risks), 3);
    keys(&mut app, "B");
    assert!(popup_title(&app).contains("3 risks marked"));
    type_keys(&mut app, "owner");
    keys(&mut app, "enter");
    type_keys(&mut app, "CISO");
    keys(&mut app, "enter");
    let mut expected = original.clone();
    for r in &mut expected.risks {
        if ids.contains(&r.id.to_string()) {
            r.owner = "CISO".into();
        }
    }
    assert_eq!(*app.doc.register(), expected);
    assert_eq!(message(&app).0, "3 risks now owned by CISO");

    // Treatment, on two other rows (the marks went with the last edit).
    assert_eq!(app.marked_count(View::Risks), 0);
    keys(&mut app, "g g j v v");
    let two = shown_ids(&app, 1, 3);
    keys(&mut app, "B");
    type_keys(&mut app, "avoid");
    keys(&mut app, "enter");
    for id in &two {
        assert_eq!(risk(app.doc.register(), id).treatment, Treatment::Avoid);
    }
    assert_eq!(message(&app).0, "2 risks now treated: Avoid");
    keys(&mut app, "u u");
    assert_eq!(
        *app.doc.register(),
        original,
        "two bulk edits, two undo steps"
    );
}

#[test]
fn dashboard_top_risks_share_the_risk_tables_marks() {
    let mut app = northwind_app();
    keys(&mut app, "2 v");
    let top = app.current_table().rows[0];
    // The dashboard's list (tab twice: heat map → summary → top risks)
    // lists the same top risk first: it shows as marked there, and `v` on
    // the next one marks a second.
    keys(&mut app, "1 tab tab");
    assert_eq!(app.selected_item(), Some(top));
    assert!(app.is_marked(View::Dashboard, top));
    keys(&mut app, "j v");
    assert_eq!(app.marked_count(View::Dashboard), 2);
    assert_eq!(app.marked_count(View::Risks), 2);
    keys(&mut app, "B");
    assert!(popup_title(&app).contains("2 risks marked"));
}

#[test]
fn control_status_and_effectiveness_on_marked_controls() {
    let original = bare_spec_register();
    let mut app = app_with(original.clone());
    keys(&mut app, "5");
    // 5.1 … 5.4: none has a state entry yet (the spec example records 8.7,
    // 8.13 and 5.30).
    let ids = shown_ids(&app, 0, 4);
    keys(&mut app, "v v v v B");
    type_keys(&mut app, "implemented");
    keys(&mut app, "enter");
    let reg = app.doc.register();
    for id in &ids {
        let s = reg.controls.iter().find(|s| s.id == id.as_str()).unwrap();
        assert_eq!(s.status, ControlStatus::Implemented, "{id}");
        assert_eq!(s.effectiveness, 50, "{id}: the default kept");
    }
    assert_eq!(message(&app).0, "4 controls now Implemented");

    keys(&mut app, "g g v v B");
    type_keys(&mut app, "effectiveness");
    keys(&mut app, "enter");
    type_keys(&mut app, "101");
    keys(&mut app, "enter");
    assert_eq!(message(&app).1, MessageKind::Error, "101 is refused");
    keys(&mut app, "backspace backspace backspace");
    type_keys(&mut app, "80");
    keys(&mut app, "enter");
    let reg = app.doc.register();
    for id in &ids[..2] {
        let s = reg.controls.iter().find(|s| s.id == id.as_str()).unwrap();
        assert_eq!(s.effectiveness, 80, "{id}");
    }
    keys(&mut app, "u u");
    assert_eq!(*app.doc.register(), original);
}

#[test]
fn marks_survive_sorting_and_filtering_and_esc_clears_them() {
    let mut app = northwind_app();
    keys(&mut app, "2");
    let ids = shown_ids(&app, 0, 3);
    keys(&mut app, "v v v");
    let marked = |app: &App| -> Vec<String> {
        let reg = app.doc.register();
        let mut v: Vec<String> = (0..reg.risks.len())
            .filter(|&i| app.is_marked(View::Risks, i))
            .map(|i| reg.risks[i].id.to_string())
            .collect();
        v.sort();
        v
    };
    let mut sorted_ids = ids.clone();
    sorted_ids.sort();
    assert_eq!(marked(&app), sorted_ids);
    // Sort by another column, then reverse: the same risks stay marked,
    // wherever their rows went.
    keys(&mut app, "s s S");
    assert_eq!(marked(&app), sorted_ids);
    assert_eq!(app.marked_count(View::Risks), 3);
    // A filter that hides two of them: they stay marked, and the bulk menu
    // says it will change all three.
    keys(&mut app, "/");
    type_keys(&mut app, &ids[0]);
    keys(&mut app, "enter");
    assert_eq!(app.current_table().rows.len(), 1);
    keys(&mut app, "B");
    let title = popup_title(&app);
    assert!(title.contains("3 risks marked (2 not shown"), "{title}");
    keys(&mut app, "esc");
    // Esc clears the filter first, then the marks.
    keys(&mut app, "esc");
    assert!(app.current_table().filter.is_empty());
    assert_eq!(app.marked_count(View::Risks), 3);
    keys(&mut app, "esc");
    assert_eq!(app.marked_count(View::Risks), 0);
    assert_eq!(message(&app).0, "Unmarked 3 risks");
    // Marks are per view: the SoA's are its own.
    keys(&mut app, "6 v 2");
    assert_eq!(app.marked_count(View::Risks), 0);
    assert_eq!(app.marked_count(View::Soa), 1);
}

#[test]
fn with_nothing_marked_the_bulk_edit_is_the_selected_rows() {
    let original = northwind_register();
    let mut app = northwind_app();
    keys(&mut app, "2 j");
    let id = shown_ids(&app, 1, 2).remove(0);
    keys(&mut app, "B");
    assert!(popup_title(&app).contains(&format!("{id} only")));
    type_keys(&mut app, "share");
    keys(&mut app, "enter");
    let mut expected = original;
    expected
        .risks
        .iter_mut()
        .find(|r| r.id == id.as_str())
        .unwrap()
        .treatment = Treatment::Share;
    assert_eq!(*app.doc.register(), expected);
}

#[test]
fn environment_space_still_switches_the_factor() {
    let mut app = northwind_app();
    keys(&mut app, "7");
    let f = app.selected_item().unwrap();
    let on = app.doc.register().factors[f].on;
    keys(&mut app, "space");
    assert_eq!(app.doc.register().factors[f].on, !on);
    assert_eq!(app.selected_item(), Some(f), "the selection stays");
    assert_eq!(app.marked_count(View::Environment), 0);
    keys(&mut app, "space");
    assert_eq!(*app.doc.register(), northwind_register());
    // Space marks in the other tables.
    keys(&mut app, "2 space");
    assert_eq!(app.marked_count(View::Risks), 1);
    assert_eq!(*app.doc.register(), northwind_register());
}

#[test]
fn toggle_detail_moved_to_z() {
    let mut app = northwind_app();
    keys(&mut app, "2");
    assert!(app.show_detail);
    keys(&mut app, "z");
    assert!(!app.show_detail);
    keys(&mut app, "v");
    assert!(!app.show_detail, "v marks now");
    assert_eq!(app.marked_count(View::Risks), 1);
}

/// A keymap file written before marking existed binds `space` to
/// `ToggleFactor`: it still loads (the keymap check says OK) and still
/// switches factors.
#[test]
fn an_old_keymap_with_toggle_factor_still_loads_and_works() {
    let old = r#"(version: 1, contexts: { table: { "space": ToggleFactor, "v": ToggleDetail } })"#;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keymap.ron");
    std::fs::write(&file, old).unwrap();
    let run = common::run_today(&["keymap", "check", common::p(&file)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("OK: 2 bindings"), "{}", run.stdout);

    let mut keymap = Keymap::default_keymap();
    keymap.merge_over(Keymap::from_path(&file).unwrap());
    let mut app = App::new(northwind_register(), None, common::today(), keymap);
    keys(&mut app, "7");
    let f = app.selected_item().unwrap();
    let on = app.doc.register().factors[f].on;
    keys(&mut app, "space");
    assert_eq!(app.doc.register().factors[f].on, !on);
    // Elsewhere it does what it always did: nothing, with a word on where.
    keys(&mut app, "2 space");
    assert!(message(&app).0.contains("Environment"));
    assert_eq!(app.marked_count(View::Risks), 0);
    keys(&mut app, "v");
    assert!(!app.show_detail, "the old v still hides the detail pane");
}

#[test]
fn ten_thousand_marked_risks_change_owner_with_one_recalculation() {
    let reg = riskbench::domain::generate::generate(10_000, 3);
    let mut app = app_with(reg);
    keys(&mut app, "2");
    for _ in 0..10_000 {
        keys(&mut app, "v");
    }
    assert_eq!(app.marked_count(View::Risks), 10_000);
    keys(&mut app, "B");
    type_keys(&mut app, "owner");
    keys(&mut app, "enter");
    type_keys(&mut app, "Risk committee");
    // Evaluating the register once per changed risk would take minutes
    // (10,000 evaluations of 10,000 risks); one recalculation well under
    // a second, even in a debug build.
    let start = std::time::Instant::now();
    keys(&mut app, "enter");
    let took = start.elapsed();
    assert!(
        app.doc
            .register()
            .risks
            .iter()
            .all(|r| r.owner == "Risk committee")
    );
    assert_eq!(message(&app).0, "10000 risks now owned by Risk committee");
    assert!(took.as_secs() < 10, "bulk edit took {took:?}");
    let start = std::time::Instant::now();
    keys(&mut app, "u");
    assert!(
        start.elapsed().as_secs() < 10,
        "undo took {:?}",
        start.elapsed()
    );
    assert!(
        app.doc
            .register()
            .risks
            .iter()
            .all(|r| r.owner != "Risk committee")
    );
}

#[test]
fn snapshot_of_marked_soa_rows() {
    let mut app = app_with(bare_spec_register());
    keys(&mut app, "6 v v j v");
    insta::assert_snapshot!(screen(&app, 120, 30));
}

#[test]
fn snapshot_of_the_bulk_edit_menu() {
    let mut app = app_with(bare_spec_register());
    keys(&mut app, "6 v v j v B");
    insta::assert_snapshot!(screen(&app, 120, 30));
}

#[test]
fn snapshot_of_the_risk_bulk_edit_menu() {
    let mut app = northwind_app();
    keys(&mut app, "2 v v B");
    insta::assert_snapshot!(screen(&app, 120, 30));
}

#[test]
fn a_deleted_marked_risk_is_no_longer_counted() {
    let mut app = northwind_app();
    keys(&mut app, "2 v v k");
    assert_eq!(app.marked_count(View::Risks), 2);
    keys(&mut app, "d y");
    assert_eq!(app.doc.register().risks.len(), 39);
    assert_eq!(app.marked_count(View::Risks), 1);
    keys(&mut app, "u");
    assert_eq!(
        app.marked_count(View::Risks),
        1,
        "undo brings the risk, not its mark"
    );
}

#[test]
fn reloading_the_register_clears_the_marks() {
    let mut app = northwind_app();
    keys(&mut app, "2 v v 6 v");
    assert_eq!(app.marked_count(View::Risks), 2);
    assert_eq!(app.marked_count(View::Soa), 1);
    app.reload(northwind_register());
    assert_eq!(app.marked_count(View::Risks), 0);
    assert_eq!(app.marked_count(View::Soa), 0);
}

#[test]
fn marks_survive_an_edit_of_the_marked_row() {
    let mut app = northwind_app();
    keys(&mut app, "2");
    let id = shown_ids(&app, 0, 1).remove(0);
    keys(&mut app, "v k L 1");
    let i = app
        .doc
        .register()
        .risks
        .iter()
        .position(|r| r.id == id.as_str())
        .unwrap();
    assert_eq!(app.doc.register().risks[i].likelihood, 1);
    assert!(app.is_marked(View::Risks, i));
}
