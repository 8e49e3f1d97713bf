//! Filtering a large table on the worker thread, as the terminal runtime
//! does: typing is taken at once, the rows follow when the worker answers,
//! and what they show is exactly what matching on the spot shows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::sync::OnceLock;
use std::time::Duration;

use common::{keys, today};
use riskbench::app::{App, View};
use riskbench::domain::Register;
use riskbench::domain::generate::generate;
use riskbench::keymap::Keymap;

/// Large enough to be filtered on the worker (generated once: every test
/// gets a copy).
fn register() -> Register {
    static REGISTER: OnceLock<Register> = OnceLock::new();
    REGISTER
        .get_or_init(|| generate(riskbench::app::filter::BACKGROUND_MIN_ROWS + 2_000, 7))
        .clone()
}

/// How long the worker may take to answer before a test fails: only a
/// guard against a hang, never reached by a working worker.
const HANG: Duration = Duration::from_secs(60);

/// The terminal runtime's set-up: keys held back until read, a worker.
fn worker_app(reg: Register) -> App {
    let mut app = App::new(reg, None, today(), Keymap::default_keymap());
    app.defer_filter = true;
    app.enable_background_filter();
    app
}

/// Waits until the worker has handled every query sent, then applies its
/// answer: one poll must then take it.
fn settle(app: &mut App) {
    assert!(
        app.sync_filter_worker(HANG),
        "the filter worker never answered"
    );
    app.poll_filter();
    assert!(!app.filter_pending, "the worker's answer did not arrive");
}

/// Rows and selection of the Risks view when matching happens on the spot.
fn matched_here(reg: &Register, filter: &str) -> Vec<usize> {
    let mut app = App::new(reg.clone(), None, today(), Keymap::default_keymap());
    keys(&mut app, "2 /");
    app.type_text(filter);
    app.current_table().rows.clone()
}

/// [`matched_here`] for "outage" on [`register`], which two tests compare
/// with (matched once).
fn outage_here() -> &'static [usize] {
    static ROWS: OnceLock<Vec<usize>> = OnceLock::new();
    ROWS.get_or_init(|| matched_here(&register(), "outage"))
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
    // The same keystrokes, matched on the spot as they are typed.
    let mut here = App::new(reg, None, today(), Keymap::default_keymap());
    keys(&mut here, "2 /");
    here.type_text("phish");
    assert_eq!(here.current_table().filter, "phish");
    assert_eq!(rows, here.current_table().rows);
    assert!(!rows.is_empty() && rows.len() < all.len(), "{}", rows.len());

    // An extending keystroke, then a shortening one.
    app.type_text("i");
    app.flush_filter();
    settle(&mut app);
    here.type_text("i");
    assert_eq!(app.current_table().rows, here.current_table().rows);
    keys(&mut app, "backspace backspace");
    app.flush_filter();
    settle(&mut app);
    keys(&mut here, "backspace backspace");
    assert_eq!(here.current_table().filter, "phis");
    assert_eq!(app.current_table().rows, here.current_table().rows);
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
    let outage = outage_here();
    assert_eq!(app.current_table().rows, outage);
    // Nothing older arrives afterwards: every query sent is handled, and
    // polling applies nothing.
    assert!(app.sync_filter_worker(HANG));
    assert!(!app.poll_filter());
    assert_eq!(app.current_table().rows, outage);
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
    assert_eq!(app.doc.register().risks[item].likelihood, 1);
    assert!(!app.filter_pending, "the edit answered the filter itself");
    let rows = app.current_table().rows.clone();
    // Once the worker has handled the query, its late answer is waiting.
    assert!(app.sync_filter_worker(HANG));
    app.poll_filter();
    assert_eq!(app.current_table().rows, rows, "a stale answer was applied");
    assert_eq!(
        app.current_table().rows,
        matched_here(app.doc.register(), "power")
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
    assert_eq!(app.current_table().rows, outage_here());
}
