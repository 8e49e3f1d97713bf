//! The table traps of issue 12 (items 3 and 8, and stable rows while
//! scoring), through the real keymap: after a filter change the first match
//! is selected and is what `e`, `d`, `L` act on; a scored row stays where
//! it is until the user sorts again; a new sort column starts in its
//! natural direction.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::{keys, northwind_app as app, screen_text as screen};
use riskbench::app::{App, Modal, View};
use riskbench::domain::Catalog;
use riskbench::keymap::KeyPress;

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle_key(KeyPress::char(c));
    }
}

fn risk_id(app: &App, i: usize) -> String {
    app.doc.register().risks[i].id.to_string()
}

/// The form's title (`Edit risk R-003`).
fn form_title(app: &App) -> String {
    match app.modals.last() {
        Some(Modal::Form(f)) => f.title.clone(),
        other => panic!("expected a form, got {other:?}"),
    }
}

#[test]
fn after_g_and_a_filter_the_first_match_is_selected_and_edited() {
    let mut app = app();
    keys(&mut app, "2 G /");
    type_text(&mut app, "ransomware");
    keys(&mut app, "enter");
    let t = app.current_table();
    assert!(t.rows.len() >= 2, "the test needs several matches");
    assert_eq!(t.selected, 0, "▶ is not on the first match");
    let first = t.rows[0];
    keys(&mut app, "e");
    assert_eq!(
        form_title(&app),
        format!("Edit risk {}", risk_id(&app, first))
    );
}

#[test]
fn each_filter_keystroke_selects_the_first_match_again() {
    let mut app = app();
    keys(&mut app, "2 /");
    type_text(&mut app, "r");
    keys(&mut app, "down down");
    assert_eq!(app.current_table().selected, 2);
    type_text(&mut app, "a");
    assert_eq!(app.current_table().selected, 0);
    keys(&mut app, "backspace");
    assert_eq!(app.current_table().selected, 0);
}

#[test]
fn an_exact_control_id_comes_first_in_controls() {
    let mut app = app();
    keys(&mut app, "5 G /");
    type_text(&mut app, "8.7");
    keys(&mut app, "enter");
    let first = app.selected_item().expect("a row");
    assert_eq!(
        Catalog::annex_a().controls()[first].id.as_ref() as &str,
        "8.7"
    );
    assert_eq!(app.current_table().selected, 0);
}

#[test]
fn quick_scoring_after_a_filter_scores_the_row_shown_selected() {
    let mut app = app();
    keys(&mut app, "2 G /");
    type_text(&mut app, "phishing");
    keys(&mut app, "enter");
    let shown = app.current_table().rows[0];
    let before = app.doc.register().clone();
    keys(&mut app, "L 1");
    for (i, (a, b)) in before
        .risks
        .iter()
        .zip(&app.doc.register().risks)
        .enumerate()
    {
        if i == shown {
            assert_eq!(b.likelihood, 1);
        } else {
            assert_eq!(a, b, "{} changed instead", a.id);
        }
    }
}

#[test]
fn a_scored_row_stays_in_place_until_sorted_again() {
    let mut app = app();
    keys(&mut app, "2");
    let rows = app.current_table().rows.clone();
    let top = rows[0];
    // Residual, highest first: scoring the top risk down would move it.
    keys(&mut app, "L 1");
    let t = app.current_table();
    assert_eq!(t.rows, rows, "rows moved while scoring");
    assert_eq!(app.selected_item(), Some(top));
    assert!(t.order_changed);
    // `s` sorts again by the same column; the selection follows the risk.
    keys(&mut app, "s");
    let t = app.current_table();
    assert!(!t.order_changed);
    assert_eq!(t.sort, 5, "s re-sorted instead of changing column");
    assert_ne!(t.rows[0], top);
    assert_eq!(app.selected_item(), Some(top));
    // Then `s` changes column as usual.
    keys(&mut app, "s");
    assert_eq!(app.current_table().sort, 6);
}

#[test]
fn a_new_sort_column_starts_in_its_natural_direction() {
    let mut app = app();
    keys(&mut app, "2");
    let cols = View::Risks.columns();
    let mut seen = Vec::new();
    for _ in 0..cols.len() {
        keys(&mut app, "s");
        let t = app.current_table();
        seen.push((cols[t.sort], t.descending));
    }
    for (name, descending) in seen {
        let expected = matches!(name, "Inherent" | "Residual" | "Target" | "Level");
        assert_eq!(descending, expected, "{name}");
    }
}

/// How many columns the Risks table gives the title: from the `Title`
/// header to the next header.
fn title_width(screen: &str) -> usize {
    let header = screen
        .lines()
        .find(|l| l.contains("ID") && l.contains("Title"))
        .expect("the header row");
    let chars: Vec<char> = header.chars().collect();
    let at = header[..header.find("Title").unwrap()].chars().count();
    let mut end = at + "Title".len();
    while end < chars.len() && chars[end] == ' ' {
        end += 1;
    }
    end - at - 1
}

/// The Risks table at the three sizes a workshop uses: the title column
/// gets at least 40 columns (the least important columns go first).
#[test]
fn the_title_column_gets_the_room_at_80_120_and_200_columns() {
    let mut app = app();
    keys(&mut app, "2");
    for (w, h) in [(80u16, 24u16), (120, 40), (200, 60)] {
        let text = screen(&app, w, h);
        let title = title_width(&text);
        assert!(title >= 40, "{w}×{h}: title {title} wide\n{text}");
        insta::assert_snapshot!(format!("risks_{w}x{h}"), text);
    }
}
