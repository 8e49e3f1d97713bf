//! Issue 12 item 6: saving into a folder that does not exist asks to create
//! it (or to choose another name), and `E` never silently replaces an
//! existing workbook: it asks, and can write a new name instead.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::path::Path;

use common::{northwind_copy as northwind, open_session as open, press};
use riskbench::app::Modal;
use riskbench::tui::Session;

/// The open question's message.
fn question(s: &Session) -> String {
    match s.app.modals.last() {
        Some(Modal::Confirm(c)) => c.message.clone(),
        other => panic!("expected a question, got {other:?}"),
    }
}

/// Makes an edit and opens the save-as prompt of the quit question with
/// `target` typed in.
fn save_as_into(s: &mut Session, target: &Path) {
    press(s, "2 L 1 q");
    press(s, "a");
    match s.app.modals.last_mut() {
        Some(Modal::Prompt(p)) => p.field.set_text(&target.display().to_string()),
        other => panic!("expected the file name prompt, got {other:?}"),
    }
}

#[test]
fn saving_into_a_missing_folder_asks_and_creates_it() {
    let (dir, file) = northwind();
    let mut s = open(&file);
    let target = dir.path().join("new/sub/copy.ron");
    save_as_into(&mut s, &target);
    assert!(!press(&mut s, "enter"), "quit without saving");
    assert!(question(&s).contains("does not exist"), "{}", question(&s));
    assert!(!target.exists());
    assert!(press(&mut s, "y"), "saved, so the quit goes on");
    assert!(riskbench::store::load_file(&target).is_ok());
}

#[test]
fn declining_the_folder_asks_for_another_name() {
    let (dir, file) = northwind();
    let mut s = open(&file);
    let target = dir.path().join("missing/copy.ron");
    save_as_into(&mut s, &target);
    press(&mut s, "enter");
    assert!(!press(&mut s, "n"));
    assert!(matches!(s.app.modals.last(), Some(Modal::Prompt(_))));
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn export_asks_before_replacing_and_can_write_a_new_name() {
    let (dir, file) = northwind();
    let mut s = open(&file);
    let workbook = riskbench::export::export_path(&file, "xlsx");
    press(&mut s, "E");
    let first = std::fs::read(&workbook).expect("the first export is written");
    // Mark the file, so a replacement would show.
    std::fs::write(&workbook, [first.as_slice(), b"mark"].concat()).unwrap();
    press(&mut s, "E");
    assert!(question(&s).contains("exists already"), "{}", question(&s));
    press(&mut s, "n");
    assert!(std::fs::read(&workbook).unwrap().ends_with(b"mark"));
    let second = dir.path().join("northwind-soa-2.xlsx");
    assert!(std::fs::read(&second).unwrap().starts_with(b"PK"));
    // Replacing is a choice of its own.
    press(&mut s, "E");
    press(&mut s, "r");
    assert!(
        !std::fs::read(&workbook).unwrap().ends_with(b"mark"),
        "{:?} {:?}",
        s.app.message,
        s.app.modals.last()
    );
    // Cancel writes nothing.
    let third = dir.path().join("northwind-soa-3.xlsx");
    press(&mut s, "E");
    press(&mut s, "c");
    assert!(!third.exists());
}
