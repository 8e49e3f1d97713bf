//! Filtering a large table on the worker thread, as the terminal runtime
//! does: typing is taken at once, the rows follow when the worker answers,
//! and what they show is exactly what matching on the spot shows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use riskbench::app::{App, View};
use riskbench::domain::Register;
use riskbench::domain::generate::generate;
use riskbench::keymap::Keymap;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// Large enough to be filtered on the worker.
fn register() -> Register {
    generate(riskbench::app::filter::BACKGROUND_MIN_ROWS + 2_000, 7)
}

fn keys(app: &mut App, keys: &str) {
    app.handle_keys(keys).unwrap();
}

/// The terminal runtime's set-up: keys held back until read, a worker.
fn worker_app(reg: Register) -> App {
    let mut app = App::new(reg, None, today(), Keymap::default_keymap());
    app.defer_filter = true;
    app.enable_background_filter();
    app
}

/// Waits (without asserting on time) until the worker's answer is applied.
fn settle(app: &mut App) {
    let give_up = Instant::now() + Duration::from_secs(60);
    while app.filter_pending {
        assert!(Instant::now() < give_up, "the filter worker never answered");
        app.poll_filter();
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Rows and selection of the Risks view when matching happens on the spot.
fn matched_here(reg: &Register, filter: &str) -> Vec<usize> {
    let mut app = App::new(reg.clone(), None, today(), Keymap::default_keymap());
    keys(&mut app, "2 /");
    app.type_text(filter);
    app.current_table().rows.clone()
}

#[test]
fn typing_is_taken_at_once_and_rows_follow_from_the_worker() {
    let reg = register();
    let mut app = worker_app(reg.clone());
    keys(&mut app, "2 /");
    let all = app.current_table().rows.clone();
    app.type_text("phish");
    app.flush_filter();
    // The keystrokes are in; the match is still on its way.
    assert_eq!(app.current_table().filter, "phish");
    assert!(app.filter_pending);
    assert_eq!(
        app.current_table().rows,
        all,
        "rows changed before the answer"
    );
    settle(&mut app);
    let rows = app.current_table().rows.clone();
    assert_eq!(rows, matched_here(&reg, "phish"));
    assert!(!rows.is_empty() && rows.len() < all.len(), "{}", rows.len());

    // An extending keystroke, then a shortening one.
    app.type_text("i");
    app.flush_filter();
    settle(&mut app);
    assert_eq!(app.current_table().rows, matched_here(&reg, "phishi"));
    keys(&mut app, "backspace backspace");
    app.flush_filter();
    settle(&mut app);
    assert_eq!(app.current_table().rows, matched_here(&reg, "phis"));
}

#[test]
fn only_the_newest_query_is_applied() {
    let reg = register();
    let mut app = worker_app(reg.clone());
    keys(&mut app, "2 /");
    for c in ["o", "u", "t", "a", "g", "e"] {
        app.type_text(c);
        app.flush_filter();
    }
    settle(&mut app);
    assert_eq!(app.current_table().filter, "outage");
    assert_eq!(app.current_table().rows, matched_here(&reg, "outage"));
    // Nothing older arrives afterwards.
    std::thread::sleep(Duration::from_millis(50));
    assert!(!app.poll_filter());
    assert_eq!(app.current_table().rows, matched_here(&reg, "outage"));
}

#[test]
fn an_edit_while_matching_drops_the_late_answer() {
    let reg = register();
    let mut app = worker_app(reg.clone());
    keys(&mut app, "2 /");
    app.type_text("power");
    app.flush_filter();
    assert!(app.filter_pending);
    // Keep the filter and quick-score the selected risk: the table is
    // rebuilt on the spot from the edited register.
    keys(&mut app, "enter");
    let item = app.selected_item().unwrap();
    keys(&mut app, "L 1");
    assert_eq!(app.register.risks[item].likelihood, 1);
    assert!(!app.filter_pending, "the edit answered the filter itself");
    let rows = app.current_table().rows.clone();
    std::thread::sleep(Duration::from_millis(200));
    app.poll_filter();
    assert_eq!(app.current_table().rows, rows, "a stale answer was applied");
    assert_eq!(
        app.current_table().rows,
        matched_here(&app.register, "power")
    );
}

#[test]
fn small_tables_and_an_empty_filter_match_on_the_spot() {
    let reg = register();
    let mut app = worker_app(reg);
    // Threats: 300 rows, below the worker's threshold.
    keys(&mut app, "4 /");
    app.type_text("ransomware");
    app.flush_filter();
    assert!(!app.filter_pending);
    assert!(app.current_table().rows.len() < app.ctx().item_count(View::Threats));
    // Clearing a large table's filter needs no matching at all.
    keys(&mut app, "esc 2 /");
    app.type_text("x");
    app.flush_filter();
    assert!(app.filter_pending);
    keys(&mut app, "backspace");
    app.flush_filter();
    assert!(!app.filter_pending);
    assert_eq!(
        app.current_table().rows.len(),
        app.ctx().item_count(View::Risks)
    );
}

#[test]
fn a_reload_from_disk_keeps_filtering_in_the_background() {
    let reg = register();
    let mut app = worker_app(reg.clone());
    app.reload(reg.clone());
    assert!(app.defer_filter);
    keys(&mut app, "2 /");
    app.type_text("outage");
    app.flush_filter();
    assert!(app.filter_pending, "the reloaded app matched on the spot");
    settle(&mut app);
    assert_eq!(app.current_table().rows, matched_here(&reg, "outage"));
}
