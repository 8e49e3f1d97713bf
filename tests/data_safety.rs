//! Data safety (issue 5), simulated in-process through the terminal-free
//! session API: failed saves, a file changed on disk between load and save,
//! a second instance against a locked file, a recovery file at start-up and
//! autosave. In every case the original file's bytes are unchanged unless
//! the user chose otherwise, unsaved edits stay in memory after a failure,
//! and the user is told why.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::path::{Path, PathBuf};

use common::{northwind_copy as northwind, open_session as open, press, press_effects};
use riskbench::app::{App, Effect, MessageKind, Modal};
use riskbench::domain::Register;
use riskbench::domain::canonical::to_canonical;
use riskbench::store::{self, recovery};
use riskbench::tui::Session;

/// The quick-score edit `2 L n` on the risk the Risks view selects first:
/// (its index, its id, the new likelihood).
fn quick_edit(app: &mut App) -> (usize, String, u32) {
    app.handle_keys("2").unwrap();
    let i = app.selected_item().expect("a risk is selected");
    let before = app.doc.register().risks[i].likelihood;
    let new = if before == 1 { 2 } else { 1 };
    app.handle_keys(&format!("L {new}")).unwrap();
    assert_eq!(
        app.doc.register().risks[i].likelihood,
        new,
        "the edit applied"
    );
    assert!(app.is_dirty());
    (i, app.doc.register().risks[i].id.to_string(), new)
}

/// The message shown, insisting it is an error.
fn error_message(app: &App) -> String {
    match &app.message {
        Some((text, MessageKind::Error)) => text.clone(),
        other => panic!("expected an error message, got {other:?}"),
    }
}

/// The edit is still in memory and unsaved.
fn assert_edit_kept(app: &App, i: usize, likelihood: u32) {
    assert!(
        app.is_dirty(),
        "the unsaved edit is no longer marked unsaved"
    );
    assert_eq!(
        app.doc.register().risks[i].likelihood,
        likelihood,
        "the unsaved edit was lost"
    );
}

fn load(path: &Path) -> Register {
    store::load_file(path).unwrap().register
}

fn top_modal(app: &App) -> &Modal {
    app.modals.last().expect("a dialog is open")
}

fn confirm_message(app: &App) -> String {
    match top_modal(app) {
        Modal::Confirm(c) => c.message.clone(),
        other => panic!("expected a confirmation, got {other:?}"),
    }
}

// ------------------------------------------------------------ failed saves

#[test]
fn a_save_that_cannot_create_its_temporary_file_keeps_the_original_and_the_edits() {
    let (dir, file) = northwind();
    let original = std::fs::read(&file).unwrap();
    let mut s = open(&file);
    let (i, _, new) = quick_edit(&mut s.app);

    // The tests run as root, so permissions cannot stop the write; block
    // the temporary file's exact path instead (save_atomic creates
    // FILE.tmp-<pid> with create_new).
    let tmp = dir
        .path()
        .join(format!("northwind.ron.tmp-{}", std::process::id()));
    std::fs::create_dir(&tmp).unwrap();

    let (effects, end) = press_effects(&mut s, "ctrl-s");
    assert_eq!(effects, vec![Effect::Save(file.clone())]);
    assert!(!end);
    let msg = error_message(&s.app);
    assert!(msg.contains("Not saved"), "{msg}");
    assert!(msg.contains("temporary file"), "{msg}");
    assert_eq!(std::fs::read(&file).unwrap(), original, "original changed");
    assert!(!dir.path().join("northwind.ron.bak").exists());
    assert_edit_kept(&s.app, i, new);

    // Once the obstacle is gone the same edits save.
    std::fs::remove_dir(&tmp).unwrap();
    press(&mut s, "ctrl-s");
    assert!(!s.app.is_dirty(), "{:?}", s.app.message);
    assert_eq!(load(&file).risks[i].likelihood, new);
    assert_eq!(
        std::fs::read(dir.path().join("northwind.ron.bak")).unwrap(),
        original
    );
}

#[test]
fn a_save_into_a_read_only_directory_fails_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, file) = northwind();
    let original = std::fs::read(&file).unwrap();
    let mut s = open(&file);
    let (i, _, new) = quick_edit(&mut s.app);

    let set_mode =
        |mode| std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(mode));
    set_mode(0o555).unwrap();
    // Root (CAP_DAC_OVERRIDE) writes into a read-only directory anyway, and
    // these tests usually run as root. Find out by trying: where the probe
    // succeeds, a read-only directory proves nothing, so the test asserts
    // the same guarantees for a save that fails for another reason (its
    // parent is a regular file) and still always asserts something.
    let probe = dir.path().join("probe");
    let is_root = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(&probe);

    if !is_root {
        press(&mut s, "ctrl-s");
        set_mode(0o755).unwrap();
        let msg = error_message(&s.app);
        assert!(msg.contains("Not saved"), "{msg}");
        assert!(msg.contains("ermission denied"), "{msg}");
        assert_eq!(std::fs::read(&file).unwrap(), original, "original changed");
        assert_edit_kept(&s.app, i, new);
    } else {
        set_mode(0o755).unwrap();
        let not_a_dir = dir.path().join("not-a-directory");
        std::fs::write(&not_a_dir, b"a regular file").unwrap();
        let target = not_a_dir.join("northwind.ron");
        s.perform(vec![Effect::Save(target.clone())]);
        let msg = error_message(&s.app);
        assert!(msg.contains("Not saved"), "{msg}");
        assert!(msg.contains("ot a directory"), "{msg}");
        assert!(!target.exists());
        assert_eq!(std::fs::read(&not_a_dir).unwrap(), b"a regular file");
        assert_eq!(std::fs::read(&file).unwrap(), original, "original changed");
        assert_edit_kept(&s.app, i, new);
        assert_eq!(s.app.path.as_deref(), Some(file.as_path()));
    }
}

// ----------------------------------------------- changed on disk meanwhile

/// Opens northwind, makes the quick-score edit, then changes the file
/// behind the session's back (another risk's impact) and presses ctrl-s.
struct Changed {
    dir: tempfile::TempDir,
    file: PathBuf,
    s: Session,
    /// The edited risk: index, id, new likelihood.
    ours: (usize, String, u32),
    /// The id of the risk changed on disk.
    theirs: String,
    disk_bytes: Vec<u8>,
    disk: Register,
}

fn changed_on_disk() -> Changed {
    let (dir, file) = northwind();
    let mut s = open(&file);
    let ours = quick_edit(&mut s.app);

    let mut disk = load(&file);
    let j = (0..disk.risks.len())
        .find(|&j| j != ours.0)
        .expect("a second risk");
    let scale = disk.method.impact.len() as u32;
    disk.risks[j].impact = if disk.risks[j].impact == scale {
        1
    } else {
        scale
    };
    let theirs = disk.risks[j].id.to_string();
    let disk_bytes = to_canonical(&disk).into_bytes();
    std::fs::write(&file, &disk_bytes).unwrap();

    let (effects, end) = press_effects(&mut s, "ctrl-s");
    assert_eq!(effects, vec![Effect::Save(file.clone())]);
    assert!(!end);
    assert_eq!(std::fs::read(&file).unwrap(), disk_bytes, "overwritten");
    let msg = error_message(&s.app);
    assert!(msg.contains("changed on disk"), "{msg}");
    assert_edit_kept(&s.app, ours.0, ours.2);
    match top_modal(&s.app) {
        Modal::Picker(p) => {
            let values: Vec<&str> = p.choices.iter().map(|c| c.value.as_str()).collect();
            assert_eq!(values, ["reload", "saveas", "overwrite"]);
        }
        other => panic!("expected the what-now picker, got {other:?}"),
    }
    Changed {
        dir,
        file,
        s,
        ours,
        theirs,
        disk_bytes,
        disk,
    }
}

#[test]
fn changed_on_disk_then_reload_takes_the_disk_version() {
    let mut c = changed_on_disk();
    // First choice: reload; it asks first, since the edits will be lost.
    press(&mut c.s, "enter");
    let msg = confirm_message(&c.s.app);
    assert!(msg.contains("lose"), "{msg}");
    // "n" keeps everything as it was.
    press(&mut c.s, "n");
    assert_edit_kept(&c.s.app, c.ours.0, c.ours.2);
    assert_eq!(std::fs::read(&c.file).unwrap(), c.disk_bytes);

    press(&mut c.s, "ctrl-s");
    press(&mut c.s, "enter");
    let (effects, _) = press_effects(&mut c.s, "y");
    assert_eq!(effects, vec![Effect::Reload]);
    assert_eq!(*c.s.app.doc.register(), c.disk);
    assert!(!c.s.app.is_dirty());
    assert_eq!(std::fs::read(&c.file).unwrap(), c.disk_bytes);
    // And the session is in step with the disk again: saving works.
    quick_edit(&mut c.s.app);
    press(&mut c.s, "ctrl-s");
    assert!(!c.s.app.is_dirty(), "{:?}", c.s.app.message);
    assert!(c.s.app.modals.is_empty());
}

#[test]
fn changed_on_disk_then_save_as_writes_elsewhere() {
    let mut c = changed_on_disk();
    press(&mut c.s, "down enter");
    let suggested = match top_modal(&c.s.app) {
        Modal::Prompt(p) => p.field.text(),
        other => panic!("expected the save-as prompt, got {other:?}"),
    };
    assert!(suggested.ends_with(".mine.ron"), "{suggested}");
    // Type another path over the suggestion.
    for _ in 0..suggested.chars().count() {
        press(&mut c.s, "backspace");
    }
    let mine = c.dir.path().join("ours.ron");
    c.s.app.type_text(&mine.display().to_string());
    let (effects, _) = press_effects(&mut c.s, "enter");
    assert_eq!(effects, vec![Effect::Save(mine.clone())]);

    assert_eq!(std::fs::read(&c.file).unwrap(), c.disk_bytes, "original");
    let saved = load(&mine);
    assert_eq!(saved, *c.s.app.doc.register());
    assert_eq!(saved.risks[c.ours.0].likelihood, c.ours.2);
    assert!(!c.s.app.is_dirty());
    assert_eq!(c.s.app.path.as_deref(), Some(mine.as_path()));
    assert!(!c.dir.path().join("northwind.ron.bak").exists());
}

#[test]
fn save_as_refuses_to_replace_an_existing_file() {
    let mut c = changed_on_disk();
    press(&mut c.s, "down enter");
    for _ in 0..200 {
        press(&mut c.s, "backspace");
    }
    let other = c.dir.path().join("someone-elses.ron");
    std::fs::write(&other, b"not mine").unwrap();
    c.s.app.type_text(&other.display().to_string());
    press(&mut c.s, "enter");
    let msg = error_message(&c.s.app);
    assert!(msg.contains("already exists"), "{msg}");
    assert_eq!(std::fs::read(&other).unwrap(), b"not mine");
    assert_eq!(std::fs::read(&c.file).unwrap(), c.disk_bytes);
    assert_edit_kept(&c.s.app, c.ours.0, c.ours.2);
}

#[test]
fn changed_on_disk_then_overwrite_after_seeing_the_diff() {
    let mut c = changed_on_disk();
    press(&mut c.s, "down down enter");
    let msg = confirm_message(&c.s.app);
    // The summary of what overwriting changes on disk names both risks:
    // ours (its likelihood) and theirs (its impact, reverted).
    assert!(msg.contains(&c.ours.1), "{msg}");
    assert!(msg.contains(&c.theirs), "{msg}");
    assert_eq!(std::fs::read(&c.file).unwrap(), c.disk_bytes, "too early");

    let (effects, _) = press_effects(&mut c.s, "y");
    assert_eq!(effects, vec![Effect::ForceSave(c.file.clone())]);
    assert!(!c.s.app.is_dirty(), "{:?}", c.s.app.message);
    assert_eq!(load(&c.file), *c.s.app.doc.register());
    assert_eq!(load(&c.file).risks[c.ours.0].likelihood, c.ours.2);
    // The version it replaced is kept.
    assert_eq!(
        std::fs::read(c.dir.path().join("northwind.ron.bak")).unwrap(),
        c.disk_bytes
    );
}

#[test]
fn an_unchanged_file_saves_without_questions() {
    let (dir, file) = northwind();
    let original = std::fs::read(&file).unwrap();
    let mut s = open(&file);
    let (i, _, new) = quick_edit(&mut s.app);
    // Touching the file (same bytes, new mtime) is not a change.
    std::fs::write(&file, &original).unwrap();
    press(&mut s, "ctrl-s");
    assert!(s.app.modals.is_empty());
    assert!(!s.app.is_dirty(), "{:?}", s.app.message);
    assert_eq!(load(&file).risks[i].likelihood, new);
    assert_eq!(
        std::fs::read(dir.path().join("northwind.ron.bak")).unwrap(),
        original
    );
}

// --------------------------------------------------------- one writer only

#[test]
fn a_second_instance_is_read_only_until_the_first_closes() {
    let (_dir, file) = northwind();
    let original = std::fs::read(&file).unwrap();
    let first = open(&file);
    assert!(!first.app.read_only);
    assert!(first.lock.is_some());

    let mut second = open(&file);
    assert!(second.app.read_only);
    assert!(second.lock.is_none());
    let before = second.app.doc.register().clone();
    second.app.handle_keys("2").unwrap();
    second.app.handle_keys("L 1 I 1").unwrap();
    assert_eq!(*second.app.doc.register(), before, "an edit got through");
    assert!(!second.app.is_dirty());
    assert!(error_message(&second.app).contains("Read-only"));

    let (effects, _) = press_effects(&mut second, "ctrl-s");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(error_message(&second.app).contains("Read-only"));
    // Even a save requested directly is refused.
    second.perform(vec![Effect::ForceSave(file.clone())]);
    assert!(error_message(&second.app).contains("Read-only"));
    assert_eq!(std::fs::read(&file).unwrap(), original);
    assert_eq!(second.write_recovery(), Ok(None));
    assert!(!recovery::recovery_path(&file).exists());

    drop(first);
    let mut third = open(&file);
    assert!(!third.app.read_only, "the lock was not released");
    let (i, _, new) = quick_edit(&mut third.app);
    press(&mut third, "ctrl-s");
    assert!(!third.app.is_dirty(), "{:?}", third.app.message);
    assert_eq!(load(&file).risks[i].likelihood, new);
}

// ------------------------------------------------------------ recovery file

/// Northwind with a recovery file holding an edit of its first risk.
fn with_recovery() -> (tempfile::TempDir, PathBuf, Register, Vec<u8>) {
    let (dir, file) = northwind();
    let original = std::fs::read(&file).unwrap();
    let mut recovered = load(&file);
    let r = &mut recovered.risks[0];
    r.likelihood = if r.likelihood == 1 { 2 } else { 1 };
    recovery::write(&file, &recovered).unwrap();
    (dir, file, recovered, original)
}

#[test]
fn a_recovery_file_is_offered_with_its_diff_and_restored_on_yes() {
    let (_dir, file, recovered, original) = with_recovery();
    let mut s = open(&file);
    let msg = confirm_message(&s.app);
    assert!(msg.contains(recovered.risks[0].id.as_str()), "{msg}");
    match top_modal(&s.app) {
        Modal::Confirm(c) => assert!(c.answers[0].label.starts_with("Restore"), "{c:?}"),
        other => panic!("expected the offer, got {other:?}"),
    }
    assert_eq!(
        *s.app.doc.register(),
        load(&file),
        "restored without asking"
    );

    press(&mut s, "y");
    assert_eq!(*s.app.doc.register(), recovered);
    assert!(s.app.is_dirty());
    assert_eq!(std::fs::read(&file).unwrap(), original, "written already");
    assert!(recovery::recovery_path(&file).exists());

    // Saving writes them and removes the recovery file.
    press(&mut s, "ctrl-s");
    assert!(!s.app.is_dirty(), "{:?}", s.app.message);
    assert_eq!(load(&file), recovered);
    assert!(!recovery::recovery_path(&file).exists());
}

#[test]
fn a_recovery_file_declined_leaves_the_register_as_in_the_file() {
    let (_dir, file, _recovered, original) = with_recovery();
    let mut s = open(&file);
    confirm_message(&s.app);
    press(&mut s, "n");
    assert!(s.app.modals.is_empty());
    assert_eq!(*s.app.doc.register(), load(&file));
    assert!(!s.app.is_dirty());
    assert_eq!(std::fs::read(&file).unwrap(), original);
}

#[test]
fn quitting_removes_the_recovery_file() {
    // Declined (kept aside), then quit: nothing to ask, and the file kept
    // aside is not the recovery file quitting removes.
    let (_dir, file, _recovered, original) = with_recovery();
    let mut s = open(&file);
    press(&mut s, "n");
    let (effects, end) = press_effects(&mut s, "q");
    assert_eq!(effects, vec![Effect::Quit]);
    assert!(end);
    assert!(!recovery::recovery_path(&file).exists());
    assert_eq!(std::fs::read(&file).unwrap(), original);

    // Restored, then quit without saving: asked first, then removed.
    let (_dir, file, _recovered, original) = with_recovery();
    let mut s = open(&file);
    press(&mut s, "y");
    assert!(
        !press(&mut s, "q"),
        "quit with unsaved edits without asking"
    );
    assert!(confirm_message(&s.app).contains("without saving"));
    assert!(recovery::recovery_path(&file).exists());
    let (effects, end) = press_effects(&mut s, "y");
    assert_eq!(effects, vec![Effect::Quit]);
    assert!(end);
    assert!(!recovery::recovery_path(&file).exists());
    assert_eq!(std::fs::read(&file).unwrap(), original);
}

#[test]
fn a_read_only_instance_neither_offers_nor_removes_anothers_recovery_file() {
    let (_dir, file) = northwind();
    let original = std::fs::read(&file).unwrap();
    let mut first = open(&file);
    quick_edit(&mut first.app);
    let written = first
        .write_recovery()
        .ok()
        .flatten()
        .expect("autosave writes");
    let bytes = std::fs::read(&written).unwrap();

    let mut second = open(&file);
    assert!(second.app.read_only);
    assert!(second.app.modals.is_empty(), "offered another's edits");
    assert_eq!(*second.app.doc.register(), load(&file));
    let (effects, end) = press_effects(&mut second, "q");
    assert_eq!(effects, vec![Effect::Quit]);
    assert!(end);
    drop(second);
    assert_eq!(
        std::fs::read(&written).unwrap(),
        bytes,
        "recovery file gone"
    );
    assert_eq!(std::fs::read(&file).unwrap(), original);
    drop(first);
}

#[test]
fn an_unreadable_recovery_file_is_reported_and_kept() {
    let (_dir, file) = northwind();
    let path = recovery::recovery_path(&file);
    std::fs::write(&path, b"Register(schema: ").unwrap();
    let s = open(&file);
    let msg = error_message(&s.app);
    assert!(msg.contains("Recovery file unreadable"), "{msg}");
    assert!(s.app.modals.is_empty());
    assert_eq!(std::fs::read(&path).unwrap(), b"Register(schema: ");
}

// ---------------------------------------------------------------- autosave

#[test]
fn autosave_writes_the_recovery_file_only_when_there_are_edits() {
    let (_dir, file) = northwind();
    let original = std::fs::read(&file).unwrap();
    let mut s = open(&file);
    assert_eq!(s.write_recovery(), Ok(None));
    assert!(!recovery::recovery_path(&file).exists());

    let (i, _, new) = quick_edit(&mut s.app);
    let written = s
        .write_recovery()
        .ok()
        .flatten()
        .expect("written while dirty");
    assert_eq!(written, recovery::recovery_path(&file));
    let recovered = load(&written);
    assert_eq!(recovered, *s.app.doc.register());
    assert_eq!(recovered.risks[i].likelihood, new);
    assert_eq!(std::fs::read(&file).unwrap(), original);

    // Undoing back to the file is clean again: nothing more is written.
    press(&mut s, "u");
    assert!(!s.app.is_dirty());
    std::fs::remove_file(&written).unwrap();
    assert_eq!(s.write_recovery(), Ok(None));
    assert!(!written.exists());
}
