//! Forms, popups and undo messages (issue 12, items 4, 7 and 9), driven
//! headless through the real default keymap:
//!
//! - a choice field cycles through the options starting with a typed
//!   letter or digit; the arrows go in the declared order;
//! - the first key typed into a number or date field that is untouched
//!   since the focus arrived replaces its value (a spreadsheet cell);
//! - a form opens on the first field to fill, not on the id;
//! - esc on a form with changes asks before throwing them away;
//! - any item of a list field (a risk's controls) can be removed;
//! - every popup says how to close it, and ctrl-s does not save under one;
//! - undo and redo say what they undid or redid.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::path::PathBuf;

use chrono::NaiveDate;
use common::{keys, northwind_app as app, northwind_register as northwind, render, text, today};
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use riskbench::app::{App, Effect, MessageKind, Modal, OnConfirm, View};
use riskbench::domain::{Catalog, ControlStatus};
use riskbench::keymap::{KeyPress, Keymap};

// ---------------------------------------------------------------- helpers

/// Types text key by key through the keymap, as a user types it.
fn type_keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let effects = app.handle_key(KeyPress::char(c));
        assert!(effects.is_empty(), "typing {c:?} produced {effects:?}");
    }
}

fn describe(m: &Modal) -> String {
    match m {
        Modal::Form(f) => format!("form {:?} (error {:?})", f.title, f.error),
        Modal::Confirm(c) => format!("confirm {:?}", c.message),
        Modal::Picker(p) | Modal::Palette(p) => format!("picker {:?}", p.title),
        Modal::Prompt(p) => format!("prompt {:?}", p.title),
        Modal::Help { .. } => "help".into(),
        Modal::Info { title, .. } => format!("info {title:?}"),
        Modal::Conflicts { selected } => format!("conflicts at {selected}"),
    }
}

fn top_form(app: &App) -> &riskbench::app::form::Form {
    match app.modals.last() {
        Some(Modal::Form(f)) => f,
        other => panic!("expected a form, got {:?}", other.map(describe)),
    }
}

fn focused_label(app: &App) -> &'static str {
    top_form(app).focused().map(|f| f.label).unwrap_or("")
}

fn focused_value(app: &App) -> String {
    top_form(app)
        .focused()
        .map(|f| f.display())
        .unwrap_or_default()
}

/// Tabs forward to the field `label`.
fn tab_to(app: &mut App, label: &str) {
    for _ in 0..40 {
        if focused_label(app) == label {
            return;
        }
        keys(app, "tab");
    }
    panic!("no field {label}");
}

/// Shows `view_key`'s view and selects the item with this id.
fn select(app: &mut App, view_key: &str, id: &str) -> usize {
    keys(app, view_key);
    let item = match app.view {
        View::Risks | View::Dashboard | View::Focus | View::Queue => {
            app.doc.register().risks.iter().position(|r| r.id == id)
        }
        View::Assets => app.doc.register().assets.iter().position(|a| a.id == id),
        View::Threats => app.doc.register().threats.iter().position(|t| t.id == id),
        View::Environment => app.doc.register().factors.iter().position(|f| f.id == id),
        View::Controls | View::Soa => Catalog::annex_a().index_of(id),
        View::Plan => app.doc.register().actions.iter().position(|a| a.id == id),
        View::Changes | View::Findings => None,
    }
    .unwrap_or_else(|| panic!("no {id}"));
    keys(app, "g g");
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

fn message(app: &App) -> String {
    app.message.clone().map(|(m, _)| m).unwrap_or_default()
}

/// Where `needle` starts on the screen: (column, row), in cells.
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let w = buf.area.width;
    for y in 0..buf.area.height {
        let row: Vec<&str> = (0..w).map(|x| buf[(x, y)].symbol()).collect();
        let chars: Vec<char> = needle.chars().collect();
        for x in 0..w as usize {
            if x + chars.len() <= row.len()
                && chars
                    .iter()
                    .enumerate()
                    .all(|(i, c)| row[x + i] == c.to_string())
            {
                return Some((x as u16, y));
            }
        }
    }
    None
}

// ---------------------------------------------------------------- item 4: choices

#[test]
fn a_letter_in_a_choice_field_cycles_through_the_options_starting_with_it() {
    let mut app = app();
    // 7.3 has no recorded state: its form shows NotStarted.
    select(&mut app, "5", "7.3");
    keys(&mut app, "e");
    assert_eq!(focused_label(&app), "Status");
    assert_eq!(focused_value(&app), "NotStarted");
    type_keys(&mut app, "p");
    assert_eq!(focused_value(&app), "Planned");
    type_keys(&mut app, "p");
    assert_eq!(focused_value(&app), "Partial", "p again: the next p-option");
    type_keys(&mut app, "p");
    assert_eq!(focused_value(&app), "Planned", "and round again");
    type_keys(&mut app, "I");
    assert_eq!(focused_value(&app), "Implemented", "case does not matter");
    // The arrows go in the declared order, wrapping at the ends.
    keys(&mut app, "right");
    assert_eq!(focused_value(&app), "NotStarted");
    keys(&mut app, "left");
    assert_eq!(focused_value(&app), "Implemented");
    keys(&mut app, "left");
    assert_eq!(focused_value(&app), "Partial");
    // A letter no option starts with changes nothing and says so.
    type_keys(&mut app, "z");
    assert_eq!(focused_value(&app), "Partial");
    assert!(
        message(&app).contains("No option starts with"),
        "{:?}",
        app.message
    );
    keys(&mut app, "enter");
    let state = app
        .doc
        .register()
        .controls
        .iter()
        .find(|c| c.id == "7.3")
        .unwrap();
    assert_eq!(state.status, ControlStatus::Partial);
}

#[test]
fn a_digit_picks_a_numbered_option_and_cycles_like_a_letter() {
    let mut app = app();
    select(&mut app, "2", "R-003");
    keys(&mut app, "e");
    tab_to(&mut app, "Likelihood");
    assert!(
        focused_value(&app).starts_with("4 "),
        "{}",
        focused_value(&app)
    );
    type_keys(&mut app, "2");
    assert!(
        focused_value(&app).starts_with("2 "),
        "{}",
        focused_value(&app)
    );
    // "Manual residual L" has "— computed" then "1 …" to "5 …".
    tab_to(&mut app, "Manual residual L");
    assert_eq!(focused_value(&app), "— computed");
    type_keys(&mut app, "3");
    assert!(
        focused_value(&app).starts_with("3 "),
        "{}",
        focused_value(&app)
    );
    type_keys(&mut app, "3");
    assert!(
        focused_value(&app).starts_with("3 "),
        "one option with 3: it stays"
    );
}

/// On a ten-point scale "1 …" and "10 …" both start with 1: typing 1 goes
/// from one to the other and back.
#[test]
fn on_a_ten_point_scale_1_alternates_between_1_and_10() {
    let mut reg = northwind();
    reg.method.likelihood = (1..=10).map(|n| format!("L{n}")).collect();
    let mut app = App::new(reg, None, today(), Keymap::default_keymap());
    select(&mut app, "2", "R-003");
    keys(&mut app, "e");
    tab_to(&mut app, "Likelihood");
    assert_eq!(focused_value(&app), "4 L4");
    type_keys(&mut app, "1");
    assert_eq!(focused_value(&app), "10 L10", "the next 1-option after 4");
    type_keys(&mut app, "1");
    assert_eq!(focused_value(&app), "1 L1");
    type_keys(&mut app, "1");
    assert_eq!(focused_value(&app), "10 L10");
}

// ---------------------------------------------------------------- item 4: numbers and dates

#[test]
fn the_first_key_in_an_untouched_number_field_replaces_its_value() {
    let mut app = app();
    select(&mut app, "5", "7.3");
    keys(&mut app, "e tab");
    assert_eq!(focused_label(&app), "Effectiveness");
    assert_eq!(focused_value(&app), "50");
    type_keys(&mut app, "80");
    assert_eq!(focused_value(&app), "80", "not 5080");
    // Editing keys keep the value; typing then appends.
    keys(&mut app, "backspace");
    type_keys(&mut app, "5");
    assert_eq!(focused_value(&app), "85");
    keys(&mut app, "left");
    type_keys(&mut app, "1");
    assert_eq!(focused_value(&app), "815");
    keys(&mut app, "backspace");
    assert_eq!(focused_value(&app), "85");
    // Leaving the field and coming back makes it untouched again.
    keys(&mut app, "tab backtab");
    assert_eq!(focused_label(&app), "Effectiveness");
    type_keys(&mut app, "7");
    assert_eq!(focused_value(&app), "7");
    type_keys(&mut app, "0");
    keys(&mut app, "enter");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(describe)
    );
    let state = app
        .doc
        .register()
        .controls
        .iter()
        .find(|c| c.id == "7.3")
        .unwrap();
    assert_eq!(state.effectiveness, 70);
}

#[test]
fn a_paste_into_an_untouched_number_field_replaces_its_value() {
    let mut app = app();
    select(&mut app, "5", "7.3");
    keys(&mut app, "e tab");
    app.paste("90");
    assert_eq!(focused_value(&app), "90");
}

#[test]
fn a_filled_in_date_is_replaced_by_typing_and_kept_by_editing_keys() {
    let mut app = app();
    let i = select(&mut app, "2", "R-003");
    // Accepting fills in today and a year from today.
    keys(&mut app, "x");
    assert_eq!(focused_label(&app), "Accepted by");
    type_keys(&mut app, "CTO");
    keys(&mut app, "tab");
    assert_eq!(focused_label(&app), "Accepted on");
    assert_eq!(focused_value(&app), "2026-12-01");
    type_keys(&mut app, "2026-12-05");
    assert_eq!(focused_value(&app), "2026-12-05");
    keys(&mut app, "tab");
    assert_eq!(focused_value(&app), "2027-12-01");
    // Backspace keeps the date: change the day only.
    keys(&mut app, "backspace backspace");
    type_keys(&mut app, "15");
    assert_eq!(focused_value(&app), "2027-12-15");
    // The CTO may not accept a High risk: asked first, yes.
    keys(&mut app, "enter y");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(describe)
    );
    let a = app.doc.register().risks[i].acceptance.clone().unwrap();
    assert_eq!(a.on, NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
    assert_eq!(a.until, NaiveDate::from_ymd_opt(2027, 12, 15).unwrap());
}

#[test]
fn text_fields_are_never_replaced_by_the_first_key() {
    let mut app = app();
    select(&mut app, "2", "R-003");
    keys(&mut app, "e");
    let title = focused_value(&app);
    type_keys(&mut app, "!");
    assert_eq!(focused_value(&app), format!("{title}!"));
}

// ---------------------------------------------------------------- item 4: where a form opens

#[test]
fn a_form_opens_on_the_first_field_to_fill_not_on_the_id() {
    let mut app = app();
    // Edit forms: the id stays editable (one backtab away) but the title or
    // name is where editing starts.
    select(&mut app, "2", "R-003");
    keys(&mut app, "e");
    assert_eq!(focused_label(&app), "Title");
    keys(&mut app, "backtab");
    assert_eq!(focused_label(&app), "ID");
    keys(&mut app, "esc");
    assert!(app.modals.is_empty());
    for (view, id, label) in [
        ("3", "A-01", "Name"),
        ("4", "T-03", "Name"),
        ("7", "cloud", "Label"),
        ("5", "8.8", "Status"),
        ("6", "5.7", "Decision"),
    ] {
        select(&mut app, view, id);
        keys(&mut app, "e");
        assert_eq!(focused_label(&app), label, "editing {id}");
        keys(&mut app, "esc");
        assert!(
            app.modals.is_empty(),
            "{:?}",
            app.modals.last().map(describe)
        );
    }
    // New items: the id is filled in with the next free one, so the name
    // comes first; a new factor's id is empty and must be typed.
    for (view, label, id) in [
        ("2", "Title", "R-041"),
        ("3", "Name", "A-19"),
        ("4", "Name", "T-"),
        ("7", "ID", ""),
    ] {
        keys(&mut app, &format!("{view} a"));
        assert_eq!(focused_label(&app), label, "adding in view {view}");
        assert!(top_form(&app).fields[0].display().starts_with(id));
        keys(&mut app, "esc");
        assert!(app.modals.is_empty());
    }
}

// ---------------------------------------------------------------- item 4: esc

#[test]
fn esc_on_an_untouched_form_closes_it_at_once() {
    let mut app = app();
    select(&mut app, "2", "R-003");
    keys(&mut app, "e esc");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(describe)
    );
    // Typing and taking it back again leaves nothing to lose.
    keys(&mut app, "e");
    type_keys(&mut app, "x");
    keys(&mut app, "backspace tab right left esc");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(describe)
    );
}

#[test]
fn esc_on_a_changed_form_asks_and_n_or_esc_return_to_it_as_typed() {
    let mut app = app();
    let i = select(&mut app, "2", "R-003");
    let title = app.doc.register().risks[i].title.clone();
    keys(&mut app, "e");
    type_keys(&mut app, " (draft)");
    tab_to(&mut app, "Impact");
    type_keys(&mut app, "2");
    keys(&mut app, "esc");
    // The question sits on the form, which stays underneath.
    assert_eq!(
        app.modals.len(),
        2,
        "{:?}",
        app.modals.iter().map(describe).collect::<Vec<_>>()
    );
    assert!(matches!(app.modals[0], Modal::Form(_)));
    let Some(Modal::Confirm(c)) = app.modals.last() else {
        panic!(
            "expected the question, got {:?}",
            app.modals.last().map(describe)
        );
    };
    assert_eq!(c.on_yes, OnConfirm::DiscardForm);
    assert!(c.message.contains("Discard your changes"), "{}", c.message);

    // n: back to the form, everything as typed, the focus where it was.
    keys(&mut app, "n");
    assert_eq!(app.modals.len(), 1);
    assert_eq!(focused_label(&app), "Impact");
    assert!(focused_value(&app).starts_with("2 "));
    assert_eq!(
        top_form(&app).fields[1].display(),
        format!("{title} (draft)")
    );

    // esc on the question: the same.
    keys(&mut app, "esc");
    assert!(matches!(app.modals.last(), Some(Modal::Confirm(_))));
    keys(&mut app, "esc");
    assert_eq!(app.modals.len(), 1);
    assert_eq!(
        top_form(&app).fields[1].display(),
        format!("{title} (draft)")
    );

    // y: the form is gone and nothing changed.
    keys(&mut app, "esc y");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(describe)
    );
    assert_eq!(*app.doc.register(), northwind());
    assert!(!app.is_dirty());
    assert!(message(&app).contains("discarded"), "{:?}", app.message);
}

#[test]
fn a_picked_value_counts_as_a_change_and_esc_asks() {
    let mut app = app();
    select(&mut app, "2", "R-003");
    keys(&mut app, "e");
    tab_to(&mut app, "Controls");
    keys(&mut app, "ctrl-l");
    type_keys(&mut app, "5.15");
    keys(&mut app, "enter");
    assert!(focused_value(&app).contains("5.15"));
    keys(&mut app, "esc");
    assert!(matches!(app.modals.last(), Some(Modal::Confirm(_))));
    keys(&mut app, "y");
    assert!(app.modals.is_empty());
    assert_eq!(*app.doc.register(), northwind());
}

// ---------------------------------------------------------------- item 4: list fields

#[test]
fn any_item_of_a_list_field_can_be_removed() {
    let mut app = app();
    let i = select(&mut app, "2", "R-003");
    assert_eq!(
        app.doc.register().risks[i].controls,
        ["8.8", "8.29", "8.16"]
    );
    keys(&mut app, "e");
    tab_to(&mut app, "Controls");
    // The last item is highlighted at first: backspace keeps removing
    // from the end as before. Left moves the highlight to 8.29.
    keys(&mut app, "left");
    let Some(riskbench::app::form::FieldKind::Links {
        values, selected, ..
    }) = top_form(&app).focused().map(|f| &f.kind)
    else {
        panic!("not a list field");
    };
    assert_eq!(values[*selected], "8.29");
    keys(&mut app, "backspace");
    assert_eq!(focused_value(&app), "8.8, 8.16");
    // The highlight moves on to the item that took its place; home and
    // delete remove the first.
    keys(&mut app, "home delete");
    assert_eq!(focused_value(&app), "8.16");
    // Right stops at the end; backspace empties the list.
    keys(&mut app, "right right backspace backspace");
    assert_eq!(focused_value(&app), "");
    // A picked control is added at the end and highlighted.
    keys(&mut app, "ctrl-l");
    type_keys(&mut app, "5.15");
    keys(&mut app, "enter");
    assert_eq!(focused_value(&app), "5.15");
    keys(&mut app, "enter");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(describe)
    );
    assert_eq!(app.doc.register().risks[i].controls, ["5.15"]);
}

#[test]
fn a_list_field_draws_its_highlighted_item_and_says_how_to_remove_it() {
    let mut app = app();
    select(&mut app, "2", "R-003");
    keys(&mut app, "e");
    tab_to(&mut app, "Controls");
    keys(&mut app, "left");
    let buf = render(&app, 100, 32);
    let screen = text(&buf);
    assert!(screen.contains("backspace remove"), "{screen}");
    // 8.29 is drawn highlighted, 8.8 and 8.16 are not.
    let (x, y) = find(&buf, "8.29").expect("8.29 on screen");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::REVERSED),
        "8.29 not highlighted"
    );
    let (x, y) = find(&buf, "8.16").expect("8.16 on screen");
    assert!(
        !buf[(x, y)].modifier.contains(Modifier::REVERSED),
        "8.16 highlighted"
    );
    insta::assert_snapshot!(screen);
}

// ---------------------------------------------------------------- item 7: popups

/// The Changes view's "why" popup for the first row after a factor is
/// switched off.
fn with_explanation(path: Option<PathBuf>) -> App {
    let mut app = App::new(northwind(), path, today(), Keymap::default_keymap());
    select(&mut app, "7", "cloud");
    keys(&mut app, "space 8 g g enter");
    assert!(
        matches!(app.modals.last(), Some(Modal::Info { .. })),
        "{:?}",
        app.modals.last().map(describe)
    );
    app
}

#[test]
fn an_explanation_says_how_to_close_it() {
    let app = with_explanation(None);
    let screen = text(&render(&app, 100, 30));
    assert!(screen.contains("esc close"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn ctrl_s_does_not_save_under_an_explanation() {
    let mut app = with_explanation(Some(PathBuf::from("northwind.ron")));
    assert!(app.is_dirty());
    let effects = keys(&mut app, "ctrl-s");
    assert!(effects.is_empty(), "saved under the popup: {effects:?}");
    assert!(matches!(app.modals.last(), Some(Modal::Info { .. })));
    let (m, _) = app.message.clone().unwrap();
    assert!(m.contains("esc"), "{m}");
    // Closed, ctrl-s saves.
    keys(&mut app, "esc");
    assert!(app.modals.is_empty());
    assert_eq!(
        keys(&mut app, "ctrl-s"),
        vec![Effect::Save(PathBuf::from("northwind.ron"))]
    );
}

#[test]
fn ctrl_s_does_not_save_under_help_a_picker_or_a_question() {
    for (open, what) in [("?", "help"), ("2 c", "picker"), ("2 d", "question")] {
        let mut app = App::new(
            northwind(),
            Some(PathBuf::from("northwind.ron")),
            today(),
            Keymap::default_keymap(),
        );
        select(&mut app, "2", "R-003");
        keys(&mut app, "L 1");
        keys(&mut app, open);
        let before = app.modals.len();
        assert!(before > 0, "{what} did not open");
        let effects = keys(&mut app, "ctrl-s");
        assert!(effects.is_empty(), "saved under the {what}: {effects:?}");
        assert_eq!(app.modals.len(), before, "{what} closed");
        assert!(message(&app).contains("esc"), "{what}: {:?}", app.message);
    }
}

#[test]
fn a_key_an_explanation_does_not_use_says_how_to_close_it() {
    let mut app = with_explanation(None);
    let undo_len = app.doc.history().undo_len();
    keys(&mut app, "u");
    assert!(matches!(app.modals.last(), Some(Modal::Info { .. })));
    assert_eq!(
        app.doc.history().undo_len(),
        undo_len,
        "undone under the popup"
    );
    assert!(message(&app).contains("esc closes"), "{:?}", app.message);
    // The palette replaces it, as it replaces help.
    keys(&mut app, ":");
    assert!(matches!(app.modals.last(), Some(Modal::Palette(_))));
    assert_eq!(app.modals.len(), 1);
}

/// Every kind of popup shows its close key in its frame.
#[test]
fn every_popup_shows_how_to_close_it() {
    let cases: [(&str, &str); 6] = [
        ("?", "esc close"),
        (":", "esc close"),
        ("2 c", "esc close"),
        ("2 e", "esc cancel"),
        ("2 d", "esc cancel"),
        ("A", "esc cancel"),
    ];
    for (open, hint) in cases {
        let mut app = app();
        keys(&mut app, open);
        assert!(!app.modals.is_empty(), "{open} opened nothing");
        let screen = text(&render(&app, 100, 30));
        assert!(screen.contains(hint), "{open}: no {hint:?}\n{screen}");
    }
    let app = with_explanation(None);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("esc close"), "{screen}");
}

// ---------------------------------------------------------------- item 9: undo says what

#[test]
fn undo_and_redo_say_what_they_undid_and_redid() {
    let mut app = app();
    select(&mut app, "2", "R-003");
    keys(&mut app, "L 3");
    keys(&mut app, "u");
    assert_eq!(message(&app), "Undone: R-003 likelihood 4 → 3");
    assert_eq!(app.message.as_ref().map(|m| m.1), Some(MessageKind::Info));
    keys(&mut app, "ctrl-r");
    assert_eq!(message(&app), "Redone: R-003 likelihood 4 → 3");

    // An added asset.
    keys(&mut app, "3 a");
    type_keys(&mut app, "Office printers");
    keys(&mut app, "enter");
    keys(&mut app, "u");
    assert_eq!(message(&app), "Undone: added A-19");
    keys(&mut app, "ctrl-r");
    assert_eq!(message(&app), "Redone: added A-19");

    // A deleted risk.
    select(&mut app, "2", "R-012");
    keys(&mut app, "d y u");
    assert_eq!(message(&app), "Undone: deleted R-012");

    // A control's status through its form.
    select(&mut app, "5", "8.8");
    keys(&mut app, "e");
    type_keys(&mut app, "i");
    keys(&mut app, "enter u");
    assert_eq!(message(&app), "Undone: 8.8 status Partial → Implemented");

    // Several fields of one risk at once: each named, kept short.
    select(&mut app, "2", "R-003");
    keys(&mut app, "e");
    type_keys(&mut app, "!");
    tab_to(&mut app, "Impact");
    type_keys(&mut app, "2");
    keys(&mut app, "enter u");
    let m = message(&app);
    assert!(m.starts_with("Undone: R-003 "), "{m}");
    assert!(m.contains("title") && m.contains("impact 5 → 2"), "{m}");
    assert!(m.chars().count() <= 100, "too long for the status bar: {m}");
}

#[test]
fn undoing_a_deletion_that_took_risks_along_names_both() {
    let mut app = app();
    // A-12 is referenced by risks: deleting it takes them along.
    select(&mut app, "3", "A-12");
    let n = app
        .doc
        .register()
        .risks
        .iter()
        .filter(|r| r.asset == "A-12")
        .count();
    assert!(n > 0);
    keys(&mut app, "d y u");
    let m = message(&app);
    let risks = if n == 1 { "risk" } else { "risks" };
    assert_eq!(m, format!("Undone: deleted A-12 and {n} {risks}"));
}

#[test]
fn undoing_an_approval_names_the_soa_version() {
    let mut app = app();
    keys(&mut app, "A");
    type_keys(&mut app, "CISO");
    keys(&mut app, "enter");
    assert!(
        app.modals.is_empty(),
        "{:?}",
        app.modals.last().map(describe)
    );
    keys(&mut app, "u");
    assert_eq!(message(&app), "Undone: approved SoA v4");
}
