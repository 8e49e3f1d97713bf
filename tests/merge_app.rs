//! The workbench on a register merged with conflicts (issue 18): the
//! status line says so on opening, `C` lists the conflicts, `o` keeps
//! ours, `t` takes theirs, `e` opens the entity's form, each one undoable
//! edit, and the last resolution removes `conflicts` from the saved file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{app_with, keys, northwind_register, open_session, press, screen};
use riskbench::app::{App, Modal, View};
use riskbench::domain::Register;
use riskbench::domain::canonical::to_canonical;
use riskbench::domain::merge::merge;

/// Northwind merged from two branches that both changed R-001's
/// likelihood (ours 2, theirs 5) and R-002's title, and both added R-100.
fn conflicted() -> Register {
    let base = northwind_register();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.risks[0].likelihood = 2;
    theirs.risks[0].likelihood = 5;
    ours.risks[1].title = "Ours title".into();
    theirs.risks[1].title = "Theirs title".into();
    let mut r = base.risks[0].clone();
    r.id = "R-100".into();
    r.title = "Ours new risk".into();
    ours.risks.push(r.clone());
    r.title = "Theirs new risk".into();
    theirs.risks.push(r);
    let m = merge(&base, &ours, &theirs);
    assert_eq!(m.conflicts.len(), 3, "{:?}", m.conflicts);
    m.register
}

fn risk<'a>(app: &'a App, id: &str) -> &'a riskbench::domain::Risk {
    app.doc
        .register()
        .risks
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{id}"))
}

#[test]
fn opening_a_register_with_conflicts_says_so_and_names_the_key() {
    let app = app_with(conflicted());
    let (text, _) = app.message.clone().expect("a status message");
    assert!(text.contains("3 merge conflicts"), "{text}");
    assert!(text.contains("press C to resolve"), "{text}");
    assert!(app_with(northwind_register()).message.is_none());
}

#[test]
fn the_list_shows_each_conflict_with_ours_and_theirs() {
    let mut app = app_with(conflicted());
    keys(&mut app, "C");
    assert!(matches!(
        app.modals.last(),
        Some(Modal::Conflicts { selected: 0 })
    ));
    let s = screen(&app, 140, 40);
    assert!(s.contains("Merge conflicts: 3"), "{s}");
    assert!(s.contains("risk R-001 — likelihood"), "{s}");
    assert!(s.contains("ours:   2") && s.contains("theirs: 5"), "{s}");
    assert!(s.contains("risk R-100 — the whole entity"), "{s}");
    assert!(s.contains("o keep ours · t take theirs · e edit"), "{s}");
}

#[test]
fn theirs_ours_and_undo_are_one_edit_each() {
    let mut app = app_with(conflicted());
    keys(&mut app, "C t");
    assert_eq!(risk(&app, "R-001").likelihood, 5, "theirs taken");
    assert_eq!(app.doc.register().conflicts.len(), 2);
    keys(&mut app, "o");
    assert_eq!(risk(&app, "R-002").title, "Ours title", "ours kept");
    assert_eq!(app.doc.register().conflicts.len(), 1);
    // Theirs of a whole entity replaces ours' entity; the last one closes
    // the list.
    keys(&mut app, "t");
    assert_eq!(risk(&app, "R-100").title, "Theirs new risk");
    assert!(app.doc.register().conflicts.is_empty());
    assert!(app.modals.is_empty());
    assert!(!to_canonical(app.doc.register()).contains("conflicts:"));
    keys(&mut app, "u");
    assert_eq!(risk(&app, "R-100").title, "Ours new risk");
    assert_eq!(app.doc.register().conflicts.len(), 1);
    keys(&mut app, "u");
    assert_eq!(app.doc.register().conflicts.len(), 2);
    keys(&mut app, "u");
    assert_eq!(risk(&app, "R-001").likelihood, 2, "undo restores ours");
    assert_eq!(app.doc.register(), &conflicted());
}

#[test]
fn edit_opens_the_entitys_form_in_its_view() {
    let mut app = app_with(conflicted());
    keys(&mut app, "C j e");
    assert_eq!(app.view, View::Risks);
    assert!(
        matches!(app.modals.last(), Some(Modal::Form(_))),
        "{:?}",
        app.modals
    );
    let sel = app.selected_item().unwrap();
    assert_eq!(app.doc.register().risks[sel].id, "R-002");
    assert_eq!(
        app.doc.register().conflicts.len(),
        3,
        "editing resolves nothing yet"
    );
}

#[test]
fn the_changes_view_shows_merge_conflicts_first() {
    let mut app = app_with(conflicted());
    keys(&mut app, "8");
    use riskbench::app::changes::ChangeRow;
    assert_eq!(
        app.changes().rows[..3],
        [
            ChangeRow::MergeConflict(0),
            ChangeRow::MergeConflict(1),
            ChangeRow::MergeConflict(2)
        ]
    );
    let s = screen(&app, 160, 40);
    let first = s
        .lines()
        .position(|l| l.contains("Merge") && l.contains("risk R-001"))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(
        s.lines()
            .skip(first + 1)
            .any(|l| l.contains("conflict: risk R-100")),
        "{s}"
    );
}

#[test]
fn saving_after_the_last_resolution_writes_no_conflicts_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("merged.ron");
    std::fs::write(&file, to_canonical(&conflicted())).unwrap();
    let mut s = open_session(&file);
    press(&mut s, "C");
    press(&mut s, "o");
    press(&mut s, "o");
    press(&mut s, "o");
    press(&mut s, "ctrl-s");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("conflicts"), "{text}");
    assert!(text.contains("Ours title"));
}
