//! Nothing is lost by answering a question (issue 11, items 1 and 2):
//! declining the restore offer keeps the recovery file aside, deleting it
//! takes a second confirmation, the offer says what the file holds down to a
//! title edit, and the quit question offers save / save as… / discard /
//! cancel. Driven in-process through the terminal-free session API.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::path::{Path, PathBuf};

use common::{northwind_copy as northwind, open_session as open, press_effects as press};
use riskbench::app::{Effect, Modal};
use riskbench::domain::Register;
use riskbench::store::{self, recovery};
use riskbench::tui::Session;

fn load(path: &Path) -> Register {
    store::load_file(path).unwrap().register
}

/// The open question: its message and its answers' labels.
fn question(s: &Session) -> (String, Vec<String>) {
    match s.app.modals.last() {
        Some(Modal::Confirm(c)) => (
            c.message.clone(),
            c.answers.iter().map(|a| a.label.clone()).collect(),
        ),
        other => panic!("expected a question, got {other:?}"),
    }
}

/// Recovery files kept aside for `file` (`NAME.recover-STAMP.ron`).
fn kept_aside(file: &Path) -> Vec<PathBuf> {
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let mut found: Vec<PathBuf> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            n.starts_with(&format!("{name}.recover-")) && n.ends_with(".ron")
        })
        .collect();
    found.sort();
    found
}

/// A register whose recovery file holds only a title edit of the first
/// risk: no score, level or SoA entry changes.
fn with_title_edit() -> (tempfile::TempDir, PathBuf, Register, Vec<u8>) {
    let (dir, file) = northwind();
    let original = std::fs::read(&file).unwrap();
    let mut recovered = load(&file);
    recovered.risks[0].title = "Ransomware encrypts the warehouse AND its backups".into();
    recovery::write(&file, &recovered).unwrap();
    (dir, file, recovered, original)
}

#[test]
fn the_offer_shows_a_title_edit_with_before_and_after() {
    let (_dir, file, recovered, _) = with_title_edit();
    let s = open(&file);
    let (message, answers) = question(&s);
    assert!(!message.contains("No changes"), "{message}");
    let id = recovered.risks[0].id.as_str();
    // The same words `riskbench diff` uses: the risk, then the field with
    // its value before and after.
    assert!(message.contains(&format!("{id}  ")), "{message}");
    assert!(
        message.contains(
            "title: Ransomware encrypts the customer analytics warehouse → \
             Ransomware encrypts the warehouse AND its backups"
        ),
        "{message}"
    );
    assert!(!message.contains("0 changes"), "{message}");
    assert!(
        answers.iter().any(|a| a.starts_with("Restore")),
        "{answers:?}"
    );
}

#[test]
fn declining_with_n_or_esc_keeps_the_file_aside_and_quitting_keeps_it() {
    for decline in ["n", "esc", "k"] {
        let (_dir, file, recovered, original) = with_title_edit();
        let mut s = open(&file);
        press(&mut s, decline);
        assert!(s.app.modals.is_empty(), "{decline}: the offer is closed");
        assert_eq!(
            *s.app.doc.register(),
            load(&file),
            "{decline}: nothing restored"
        );
        // Not offered again at the next start …
        assert!(!recovery::recovery_path(&file).exists(), "{decline}");
        // … but kept, whole, under a timestamped name, and the user is told.
        let kept = kept_aside(&file);
        assert_eq!(kept.len(), 1, "{decline}: {kept:?}");
        assert_eq!(load(&kept[0]), recovered, "{decline}");
        let (msg, _) = s.app.message.clone().expect("told where it went");
        assert!(
            msg.contains(&kept[0].file_name().unwrap().to_string_lossy().to_string()),
            "{decline}: {msg}"
        );

        // Quitting (nothing unsaved: no question) leaves it in place.
        let (effects, end) = press(&mut s, "q");
        assert_eq!(effects, vec![Effect::Quit]);
        assert!(end);
        assert_eq!(kept_aside(&file), kept, "{decline}: quitting removed it");
        assert_eq!(std::fs::read(&file).unwrap(), original);

        // The next start opens the file as saved, without an offer.
        let next = open(&file);
        assert!(next.app.modals.is_empty(), "{decline}: offered again");
    }
}

#[test]
fn deleting_the_recovery_file_takes_a_second_yes() {
    let (_dir, file, _, _) = with_title_edit();
    let mut s = open(&file);
    press(&mut s, "d");
    let (message, _) = question(&s);
    assert!(message.contains("for good"), "{message}");
    assert!(recovery::recovery_path(&file).exists());

    // "No" (and esc) goes back to the offer; the file stays.
    for back in ["n", "esc"] {
        press(&mut s, back);
        let (_, answers) = question(&s);
        assert!(answers.iter().any(|a| a.starts_with("Restore")), "{back}");
        assert!(recovery::recovery_path(&file).exists(), "{back}");
        press(&mut s, "d");
    }
    press(&mut s, "y");
    assert!(s.app.modals.is_empty());
    assert!(!recovery::recovery_path(&file).exists());
    assert!(kept_aside(&file).is_empty());
}

#[test]
fn restoring_takes_the_edits_and_the_file_stays_until_saved() {
    let (_dir, file, recovered, original) = with_title_edit();
    let mut s = open(&file);
    // Enter takes the highlighted answer, which is "restore".
    press(&mut s, "enter");
    assert_eq!(*s.app.doc.register(), recovered);
    assert!(s.app.is_dirty());
    assert_eq!(std::fs::read(&file).unwrap(), original);
    assert!(recovery::recovery_path(&file).exists());
}

#[test]
fn a_recovery_file_equal_to_the_register_is_not_offered() {
    let (_dir, file) = northwind();
    recovery::write(&file, &load(&file)).unwrap();
    let s = open(&file);
    assert!(s.app.modals.is_empty());
    assert!(!recovery::recovery_path(&file).exists());
}

// ------------------------------------------------------------ quitting

/// An open session with one unsaved quick-score edit.
fn edited() -> (tempfile::TempDir, PathBuf, Session) {
    let (dir, file) = northwind();
    let mut s = open(&file);
    press(&mut s, "2");
    let i = s.app.selected_item().expect("a risk is selected");
    let new = if s.app.doc.register().risks[i].likelihood == 1 {
        2
    } else {
        1
    };
    press(&mut s, &format!("L {new}"));
    assert!(s.app.is_dirty());
    (dir, file, s)
}

#[test]
fn the_quit_question_offers_save_save_as_discard_and_cancel() {
    let (_dir, _file, mut s) = edited();
    let (effects, end) = press(&mut s, "q");
    assert!(effects.is_empty() && !end);
    let (message, answers) = question(&s);
    assert!(message.contains("Quit without saving?"), "{message}");
    let starts: Vec<&str> = answers
        .iter()
        .map(|a| a.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(
        starts,
        ["Save", "Save", "Discard", "Cancel:"],
        "{answers:?}"
    );
    assert!(answers[1].contains("Save as"), "{answers:?}");
}

#[test]
fn quit_then_s_saves_and_quits() {
    let (_dir, file, mut s) = edited();
    let edited = s.app.doc.register().clone();
    press(&mut s, "q");
    let (effects, end) = press(&mut s, "s");
    assert_eq!(effects, vec![Effect::SaveThenQuit(file.clone())]);
    assert!(end, "saved, so it quits");
    assert_eq!(load(&file), edited);
}

#[test]
fn quit_then_enter_saves_never_discards() {
    let (_dir, file, mut s) = edited();
    let edited = s.app.doc.register().clone();
    press(&mut s, "q");
    let (_, end) = press(&mut s, "enter");
    assert!(end);
    assert_eq!(load(&file), edited, "enter must not throw the edits away");
}

#[test]
fn quit_then_save_as_writes_another_file_and_quits() {
    let (dir, file, mut s) = edited();
    let original = std::fs::read(&file).unwrap();
    let edited = s.app.doc.register().clone();
    press(&mut s, "q");
    let (effects, end) = press(&mut s, "a");
    assert!(effects.is_empty() && !end, "asks for the name first");
    let suggested = match s.app.modals.last() {
        Some(Modal::Prompt(p)) => p.field.text(),
        other => panic!("expected the file name prompt, got {other:?}"),
    };
    assert_ne!(
        Path::new(&suggested),
        file,
        "the suggestion would replace the register"
    );
    let copy = dir.path().join("copy.ron");
    if let Some(Modal::Prompt(p)) = s.app.modals.last_mut() {
        p.field.set_text(&copy.display().to_string());
    }
    let (_, end) = press(&mut s, "enter");
    assert!(end);
    assert_eq!(load(&copy), edited);
    assert_eq!(std::fs::read(&file).unwrap(), original);
}

#[test]
fn quit_then_d_or_y_discards_and_c_n_q_esc_stay() {
    for stay in ["c", "n", "q", "esc"] {
        let (_dir, _file, mut s) = edited();
        press(&mut s, "q");
        let (effects, end) = press(&mut s, stay);
        assert!(effects.is_empty() && !end, "{stay}");
        assert!(s.app.modals.is_empty(), "{stay}");
        assert!(s.app.is_dirty(), "{stay}");
    }
    for discard in ["d", "y"] {
        let (_dir, file, mut s) = edited();
        let original = std::fs::read(&file).unwrap();
        press(&mut s, "q");
        let (effects, end) = press(&mut s, discard);
        assert_eq!(effects, vec![Effect::Quit], "{discard}");
        assert!(end);
        assert_eq!(std::fs::read(&file).unwrap(), original);
    }
}

#[test]
fn a_save_refused_at_quit_keeps_the_workbench_open() {
    let (_dir, file, mut s) = edited();
    // Someone else changes the file meanwhile.
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\n// edited elsewhere\n");
    std::fs::write(&file, &text).unwrap();
    press(&mut s, "q");
    let (_, end) = press(&mut s, "s");
    assert!(!end, "quit although nothing was saved");
    assert!(s.app.is_dirty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}
