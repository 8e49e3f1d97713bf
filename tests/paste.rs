//! Pasting and long text (issue 11, item 11): a paste is one edit cut to
//! the field's limit with a message, typing stops at the limit, a paste
//! outside a text input is never taken as commands, and a long field is
//! drawn showing the text around the cursor.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::{keys, northwind_app as app, screen_text as screen};
use riskbench::app::text_field::{MAX_FIELD_CHARS, MAX_NOTE_CHARS, TextField};
use riskbench::app::{App, MAX_QUERY_CHARS, MessageKind, Modal};
use riskbench::keymap::KeyPress;

/// The focused form field's text.
fn focused_text(app: &App) -> String {
    match app.modals.last() {
        Some(Modal::Form(f)) => f.focused().map(|f| f.display()).unwrap_or_default(),
        other => panic!("expected a form, got {other:?}"),
    }
}

fn error(app: &App) -> String {
    match &app.message {
        Some((m, MessageKind::Error)) => m.clone(),
        other => panic!("expected an error message, got {other:?}"),
    }
}

/// The risk form, focused on the title (where an edit form opens).
fn title_form() -> App {
    let mut app = app();
    keys(&mut app, "2 e");
    assert!(focused_text(&app).len() > 5, "not on the title");
    app
}

#[test]
fn a_long_paste_into_a_title_is_cut_to_the_limit_with_a_message() {
    let mut app = title_form();
    let before = focused_text(&app);
    app.paste(&"x".repeat(100_000));
    let after = focused_text(&app);
    assert_eq!(after.chars().count(), MAX_FIELD_CHARS);
    assert!(after.starts_with(&before));
    assert!(error(&app).contains(&MAX_FIELD_CHARS.to_string()));
    // A further typed character is refused, with the same reason.
    app.message = None;
    app.handle_key(KeyPress::char('y'));
    assert_eq!(focused_text(&app), after);
    assert!(error(&app).contains("at most"));
    // Deleting makes room again.
    keys(&mut app, "backspace");
    app.handle_key(KeyPress::char('y'));
    assert!(focused_text(&app).ends_with('y'));
    assert_eq!(focused_text(&app).chars().count(), MAX_FIELD_CHARS);
}

#[test]
fn a_paste_is_one_line() {
    let mut app = title_form();
    let before = focused_text(&app);
    app.paste(" pasted\nacross\tlines");
    assert_eq!(focused_text(&app), format!("{before} pasted across lines"));
    assert!(app.message.is_none(), "{:?}", app.message);
}

#[test]
fn notes_take_more_than_titles() {
    let mut f = TextField::with_limit("", MAX_NOTE_CHARS);
    assert_eq!(f.paste(&"n".repeat(MAX_NOTE_CHARS + 5)), 5);
    assert_eq!(f.text().chars().count(), MAX_NOTE_CHARS);
    const { assert!(MAX_NOTE_CHARS > MAX_FIELD_CHARS) };
}

#[test]
fn a_paste_into_the_filter_is_one_query_cut_to_the_limit() {
    let mut app = app();
    keys(&mut app, "2 /");
    app.paste("ransomware");
    assert_eq!(app.current_table().filter, "ransomware");
    assert!(!app.current_table().rows.is_empty());
    app.paste(&"z".repeat(10_000));
    assert_eq!(app.current_table().filter.chars().count(), MAX_QUERY_CHARS);
    assert!(error(&app).contains("at most"));
}

#[test]
fn a_paste_outside_a_text_input_is_not_taken_as_keys() {
    let mut app = app();
    keys(&mut app, "2");
    let register = app.doc.register().clone();
    // As keys, "q", "d", "L 1" would quit, delete and score.
    app.paste("qdL1x");
    assert_eq!(*app.doc.register(), register);
    assert!(app.modals.is_empty());
    assert!(!app.is_dirty());
}

#[test]
fn a_long_field_is_drawn_around_the_cursor() {
    let mut app = title_form();
    // Loaded text may be longer than the typing limit (it is never cut);
    // the field shows its end, where the cursor is.
    let long = format!("{}THE-END", "ab".repeat(50_000));
    if let Some(Modal::Form(f)) = app.modals.last_mut()
        && let Some(t) = f.focused_mut().and_then(|f| f.text_field_mut())
    {
        *t = TextField::new(&long);
    }
    let text = screen(&app, 120, 40);
    assert!(text.contains("ababTHE-END"), "{text}");
}
