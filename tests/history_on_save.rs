//! The history line on save (issue 13): `history` gains nothing by itself;
//! a user who switches the offer on (`H`, remembered per register) is
//! offered a one-line summary of what changed since the last save at each
//! `ctrl-s`, which enter appends (undoably) before the file is written.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test
#![allow(unsafe_code)] // set_var before any thread starts

mod common;

use std::path::{Path, PathBuf};

use common::{keys, northwind_copy, northwind_register, today};
use riskbench::app::{App, Effect, Modal};
use riskbench::keymap::Keymap;

/// A workbench on northwind that believes it was loaded from `path`.
fn app_at(path: &Path) -> App {
    App::new(
        northwind_register(),
        Some(path.to_path_buf()),
        today(),
        Keymap::default_keymap(),
    )
}

/// The open prompt's title and text.
fn prompt(app: &App) -> Option<(String, String)> {
    match app.modals.last() {
        Some(Modal::Prompt(p)) => Some((p.title.clone(), p.field.text())),
        _ => None,
    }
}

/// Changes the owner of the risk in the Risks table's first row through
/// its form, and returns its id.
fn change_first_owner(app: &mut App, owner: &str) -> String {
    keys(app, "2 g g");
    let i = app.selected_item().expect("a risk is selected");
    let id = app.doc.register().risks[i].id.to_string();
    let mut r = app.doc.register().risks[i].clone();
    r.owner = owner.into();
    app.apply_edit(
        riskbench::app::edit::Edit::Replace {
            at: i,
            before: riskbench::app::edit::Item::Risk(app.doc.register().risks[i].clone()),
            after: riskbench::app::edit::Item::Risk(r),
        },
        "owner changed",
    );
    id
}

fn path() -> PathBuf {
    PathBuf::from("/nonexistent/northwind.ron")
}

#[test]
fn off_by_default_a_save_adds_nothing_to_history() {
    let mut app = app_at(&path());
    let before = app.doc.register().history.clone();
    change_first_owner(&mut app, "COO");
    assert_eq!(keys(&mut app, "ctrl-s"), vec![Effect::Save(path())]);
    assert!(prompt(&app).is_none());
    assert_eq!(app.doc.register().history, before);
}

#[test]
fn switched_on_a_save_offers_the_summary_and_enter_appends_it() {
    let mut app = app_at(&path());
    // H asks for the name, suggesting the last history line's author.
    assert!(keys(&mut app, "H").is_empty());
    let (title, suggested) = prompt(&app).expect("the name prompt");
    assert!(title.contains("your name"), "{title}");
    assert_eq!(suggested, app.doc.register().history.last().unwrap().by);
    // Typing replaces the suggestion (shown selected).
    app.type_text("Workshop lead");
    assert_eq!(
        keys(&mut app, "enter"),
        vec![Effect::RememberHistoryOnSave(Some("Workshop lead".into()))]
    );
    assert_eq!(app.history_on_save.as_deref(), Some("Workshop lead"));

    // Nothing changed yet: a save is a save.
    assert_eq!(keys(&mut app, "ctrl-s"), vec![Effect::Save(path())]);

    let id = change_first_owner(&mut app, "COO");
    assert!(keys(&mut app, "ctrl-s").is_empty(), "the offer comes first");
    let (title, line) = prompt(&app).expect("the history line prompt");
    assert!(title.contains("History line"), "{title}");
    assert_eq!(line, format!("{id} changed (owner)"));
    let before = app.doc.register().history.len();
    assert_eq!(keys(&mut app, "enter"), vec![Effect::Save(path())]);
    assert_eq!(app.doc.register().history.len(), before + 1);
    let entry = app.doc.register().history.last().unwrap();
    assert_eq!(
        (entry.on, entry.by.as_str(), entry.summary.as_str()),
        (today(), "Workshop lead", line.as_str())
    );
    // One undoable edit.
    keys(&mut app, "u");
    assert_eq!(app.doc.register().history.len(), before);
}

#[test]
fn an_emptied_line_saves_without_one_and_esc_does_not_save() {
    let mut app = app_at(&path());
    app.history_on_save = Some("CISO".into());
    change_first_owner(&mut app, "COO");
    let before = app.doc.register().history.clone();
    assert!(keys(&mut app, "ctrl-s").is_empty());
    assert!(keys(&mut app, "esc").is_empty(), "esc cancels the save");
    assert!(prompt(&app).is_none());
    assert!(keys(&mut app, "ctrl-s").is_empty());
    let (_, line) = prompt(&app).unwrap();
    for _ in 0..line.chars().count() {
        keys(&mut app, "backspace");
    }
    assert_eq!(keys(&mut app, "enter"), vec![Effect::Save(path())]);
    assert_eq!(app.doc.register().history, before);
}

#[test]
fn the_next_line_covers_only_what_changed_since_the_last_save() {
    let mut app = app_at(&path());
    app.history_on_save = Some("CISO".into());
    change_first_owner(&mut app, "COO");
    keys(&mut app, "ctrl-s");
    keys(&mut app, "enter");
    app.on_saved(path(), Ok(()));
    // Another edit: a control's status.
    let at = app
        .doc
        .register()
        .controls
        .iter()
        .position(|c| c.id == "8.23")
        .unwrap();
    let mut c = app.doc.register().controls[at].clone();
    c.status = riskbench::domain::ControlStatus::Implemented;
    app.apply_edit(
        riskbench::app::edit::Edit::Replace {
            at,
            before: riskbench::app::edit::Item::Control(app.doc.register().controls[at].clone()),
            after: riskbench::app::edit::Item::Control(c),
        },
        "status",
    );
    let line = app.summary_since_save();
    assert!(line.starts_with("control 8.23 (status)"), "{line}");
    assert!(!line.contains("owner"), "{line}");
    // Switching it off forgets the name, and saves plainly again.
    assert_eq!(
        keys(&mut app, "H"),
        vec![Effect::RememberHistoryOnSave(None)]
    );
    assert_eq!(keys(&mut app, "ctrl-s"), vec![Effect::Save(path())]);
}

/// Through the session: the choice is written to the user's state
/// directory and read back for the same register only. (The only test in
/// this file that sets `XDG_STATE_HOME`; the others never read it.)
#[test]
fn the_choice_is_remembered_per_register() {
    let state = tempfile::tempdir().unwrap();
    // SAFETY: no other test in this binary reads the environment.
    unsafe { std::env::set_var("XDG_STATE_HOME", state.path()) };
    let (_dir, file) = northwind_copy();
    let (_dir2, other) = northwind_copy();
    let mut s = common::open_session(&file);
    assert_eq!(s.app.history_on_save, None);
    let effects = keys(&mut s.app, "H");
    s.perform(effects);
    s.app.type_text("Risk manager");
    let effects = keys(&mut s.app, "enter");
    s.perform(effects);
    drop(s);
    let saved = state.path().join("riskbench/history-on-save.ron");
    assert!(saved.is_file());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let again = common::open_session(&file);
    assert_eq!(again.app.history_on_save.as_deref(), Some("Risk manager"));
    drop(again);
    let elsewhere = common::open_session(&other);
    assert_eq!(elsewhere.app.history_on_save, None);
}
