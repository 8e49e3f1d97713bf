//! Starting and setting up (issue 12): `riskbench new`, the offer to create
//! a register that does not exist, the register's own settings edited in
//! the workbench, and the empty dashboard saying what to do first.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use riskbench::app::form::FieldKind;
use riskbench::app::{App, Modal};
use riskbench::domain::Register;
use riskbench::domain::canonical::to_canonical;
use riskbench::keymap::Keymap;

use common::{TODAY, keys, p, riskbench_in, root, run_command, screen, today};

// ---------------------------------------------------------------- helpers

fn load(path: &Path) -> Register {
    riskbench::store::load_file(path)
        .unwrap_or_else(|e| panic!("{} loads: {e}", path.display()))
        .register
}

fn repo_register(name: &str) -> Register {
    load(&root().join("registers").join(name))
}

/// `riskbench ARGS --today TODAY` run in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> common::Run {
    run_command(riskbench_in(dir), &[args, &["--today", TODAY]].concat())
}

fn app_with(reg: Register, keymap: Keymap) -> App {
    App::new(reg, None, today(), keymap)
}

fn form_error(app: &App) -> Option<String> {
    match app.modals.last() {
        Some(Modal::Form(f)) => f.error.clone(),
        _ => None,
    }
}

fn form_open(app: &App) -> bool {
    matches!(app.modals.last(), Some(Modal::Form(_)))
}

/// The text of the open form's field `label`.
fn field_text(app: &App, label: &str) -> String {
    let Some(Modal::Form(form)) = app.modals.last() else {
        panic!("no form open");
    };
    form.fields
        .iter()
        .find(|f| f.label == label)
        .unwrap_or_else(|| panic!("no field {label:?}"))
        .display()
}

/// Replaces the text of the open form's field `label`.
fn set_field(app: &mut App, label: &str, text: &str) {
    let Some(Modal::Form(form)) = app.modals.last_mut() else {
        panic!("no form open");
    };
    assert!(form.focus_label(label), "no field {label:?}");
    form.focused_mut()
        .and_then(|f| f.text_field_mut())
        .unwrap_or_else(|| panic!("{label:?} is not typed"))
        .set_text(text);
}

/// Picks the option of the open form's choice field `label` that starts
/// with `prefix`.
fn choose(app: &mut App, label: &str, prefix: &str) {
    let Some(Modal::Form(form)) = app.modals.last_mut() else {
        panic!("no form open");
    };
    assert!(form.focus_label(label), "no field {label:?}");
    let Some(FieldKind::Choice { options, selected }) = form.focused_mut().map(|f| &mut f.kind)
    else {
        panic!("{label:?} is not a choice");
    };
    *selected = options
        .iter()
        .position(|o| o.starts_with(prefix))
        .unwrap_or_else(|| panic!("{label:?} has no option {prefix:?}: {options:?}"));
}

// ---------------------------------------------------------- riskbench new

/// `new` writes a register that loads, is canonical, passes `check`, and
/// takes its name from the file: from a directory without the repository's
/// registers, so the sources are built into the binary.
#[test]
fn new_writes_a_canonical_register_that_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["new", "acme-isms.ron", "--no-open"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = dir.path().join("acme-isms.ron");
    let reg = load(&file);
    assert_eq!(reg.name, "acme-isms", "the template takes the file's name");
    let template = repo_register("template.ron");
    assert_eq!(reg.method, template.method);
    assert_eq!(reg.factors, template.factors);
    assert!(reg.assets.is_empty() && reg.risks.is_empty());
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text, to_canonical(&reg), "written in canonical form");
    assert!(run.stderr.contains("acme-isms.ron"), "{}", run.stderr);

    let check = run_in(dir.path(), &["check", "acme-isms.ron"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let fmt = run_in(dir.path(), &["fmt", "--check", "acme-isms.ron"]);
    assert_eq!(fmt.code, 0, "{}{}", fmt.stdout, fmt.stderr);
}

/// Each source gives its register: the template (named after the file),
/// the Northwind example and the NIST SP 800-30 example (their own names:
/// their content is about those organisations).
#[test]
fn new_from_each_source() {
    let dir = tempfile::tempdir().unwrap();
    for (from, repo, name) in [
        ("template", "template.ron", None),
        (
            "northwind",
            "northwind.ron",
            Some("Northwind Analytics ISMS"),
        ),
        ("nist", "nist-800-30.ron", None),
    ] {
        let file = format!("{from}-copy.ron");
        let run = run_in(dir.path(), &["new", &file, "--from", from, "--no-open"]);
        assert_eq!(run.code, 0, "--from {from}: {}", run.stderr);
        let reg = load(&dir.path().join(&file));
        let source = repo_register(repo);
        let expected_name = match (from, name) {
            ("template", _) => format!("{from}-copy"),
            (_, Some(n)) => n.to_string(),
            _ => source.name.clone(),
        };
        assert_eq!(reg.name, expected_name, "--from {from}");
        let mut renamed = source.clone();
        renamed.name = expected_name;
        // The template starts with the BSI elementary threats (issue 17).
        if from == "template" {
            use riskbench::domain::threat_library::{Starter, ThreatLibrary};
            ThreatLibrary::get().add_starter(&mut renamed, Starter::Bsi);
        }
        assert_eq!(reg, renamed, "--from {from}: the source's content");
        let check = run_in(dir.path(), &["check", &file]);
        assert_eq!(check.code, 0, "--from {from}: {}", check.stdout);
    }
}

/// An existing file is never replaced: not a register, not anything else,
/// not through a symbolic link; exit 2, bytes unchanged.
#[test]
fn new_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.ron");
    std::fs::write(&notes, b"my notes, not a register\n").unwrap();
    let register = dir.path().join("northwind.ron");
    std::fs::copy(root().join("registers/northwind.ron"), &register).unwrap();
    for (file, before) in [
        (&notes, std::fs::read(&notes).unwrap()),
        (&register, std::fs::read(&register).unwrap()),
    ] {
        for from in ["template", "northwind"] {
            let run = run_in(dir.path(), &["new", p(file), "--from", from, "--no-open"]);
            assert_eq!(run.code, 2, "{}", run.stderr);
            assert!(run.stderr.contains("already exists"), "{}", run.stderr);
            assert_eq!(
                std::fs::read(file).unwrap(),
                before,
                "{} unchanged",
                p(file)
            );
        }
    }
    // A dangling symbolic link is not followed, not replaced.
    let link = dir.path().join("link.ron");
    std::os::unix::fs::symlink(dir.path().join("elsewhere.ron"), &link).unwrap();
    let run = run_in(dir.path(), &["new", "link.ron", "--no-open"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(!dir.path().join("elsewhere.ron").exists());
    // No temporary files left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("tmp")), "{names:?}");
}

/// Missing folders are created, and the message says so.
#[test]
fn new_creates_missing_folders() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["new", "registers/2027/acme.ron", "--no-open"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = dir.path().join("registers/2027/acme.ron");
    assert_eq!(load(&file).name, "acme");
    assert!(
        run.stderr.contains("created the folder registers/2027"),
        "{}",
        run.stderr
    );
    // A folder that exists is not announced.
    let run = run_in(
        dir.path(),
        &["new", "registers/2027/other.ron", "--no-open"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("folder"), "{}", run.stderr);
    // A file where a folder should be: a message, exit 2.
    std::fs::write(dir.path().join("plain"), "x").unwrap();
    let run = run_in(dir.path(), &["new", "plain/acme.ron", "--no-open"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("plain"), "{}", run.stderr);
}

/// Opening a file that does not exist, without a terminal to ask on:
/// exit 2, nothing written, and the way to create it.
#[test]
fn a_missing_file_without_a_terminal_suggests_new() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["plans/missing.ron"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("riskbench new plans/missing.ron"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("plans").exists());
}

// ------------------------------------------------- in a real terminal

/// The binary in a pseudo-terminal, its output read through a terminal
/// emulator.
struct Pty {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Pty {
    fn start(args: &[&str], cwd: &Path) -> Pty {
        use portable_pty::{CommandBuilder, PtySize, native_pty_system};
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_riskbench"));
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CONFIG_HOME", cwd.join("no-config"));
        cmd.env("XDG_STATE_HOME", cwd.join("state"));
        let child = pair.slave.spawn_command(cmd).expect("spawn riskbench");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(40).unwrap(),
            std::num::NonZeroU16::new(120).unwrap(),
            0,
        )));
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        Pty {
            screen,
            writer,
            child,
            _master: pair.master,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until `text` is on the screen (what a test waits for before
    /// its next keys, never a fixed pause); the 20 s only guard against a
    /// hang.
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!(
            "timed out waiting for {text:?}; screen:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("riskbench still running; screen:\n{}", self.contents());
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// At a terminal, opening a missing file asks first; `y` creates it from
/// the template (its folder too) and opens it in the workbench.
#[test]
fn a_missing_file_at_a_terminal_is_offered_and_created_on_yes() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = Pty::start(&["plans/acme.ron", "--today", TODAY], dir.path());
    pty.wait_for("[y/N]");
    assert!(pty.contents().contains("plans/acme.ron does not exist"));
    assert!(
        !dir.path().join("plans").exists(),
        "nothing before the answer"
    );
    pty.send(b"y\r");
    pty.wait_for("1 Dashboard");
    pty.wait_for("acme");
    pty.send(b"q");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.contents());
    let reg = load(&dir.path().join("plans/acme.ron"));
    assert_eq!(reg.name, "acme");
}

/// Any other answer creates nothing and ends with exit 2.
#[test]
fn a_missing_file_at_a_terminal_is_left_alone_on_no() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = Pty::start(&["acme.ron", "--today", TODAY], dir.path());
    pty.wait_for("[y/N]");
    pty.send(b"\r");
    assert_eq!(pty.wait_exit(), 2, "{}", pty.contents());
    // The last output may still be on its way to the emulator.
    pty.wait_for("riskbench new acme.ron");
    assert!(!dir.path().join("acme.ron").exists());
}

/// Without `--no-open`, `new` opens the new register in the workbench.
#[test]
fn new_opens_the_register_in_the_workbench() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = Pty::start(&["new", "acme.ron", "--today", TODAY], dir.path());
    pty.wait_for("1 Dashboard");
    pty.wait_for("No assets yet");
    pty.send(b"q");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.contents());
    assert_eq!(load(&dir.path().join("acme.ron")).name, "acme");
}

// ------------------------------------------------------ the settings form

/// `,` opens the settings form on the register's own settings; submitting
/// applies one undoable edit, which undo takes back exactly.
#[test]
fn settings_form_applies_one_undoable_edit() {
    let reg = repo_register("northwind.ron");
    let mut app = app_with(reg.clone(), Keymap::default_keymap());
    keys(&mut app, ",");
    assert!(form_open(&app), "',' opens the settings form");
    assert_eq!(field_text(&app, "Name"), reg.name);
    assert_eq!(
        field_text(&app, "Likelihood labels"),
        "Rare, Unlikely, Possible, Likely, Almost certain"
    );
    // Who may accept each level is shown (and edited) after `by`.
    assert_eq!(
        field_text(&app, "Levels"),
        "Low ≤4 365d, Medium ≤9 180d, High ≤16 90d by CFO/CEO, Critical ≤25 30d by CEO"
    );
    let above_before = app.doc.stats().above_appetite;
    set_field(&mut app, "Name", "Northwind ISMS 2027");
    set_field(&mut app, "Scope", "All of Northwind");
    set_field(&mut app, "Appetite", "4");
    set_field(
        &mut app,
        "Levels",
        "Low <=4 365, Medium ≤9 120d, High ≤16 60d, Critical ≤25 14d",
    );
    set_field(
        &mut app,
        "Impact labels",
        "Negligible, Minor, Moderate, Major, Catastrophic",
    );
    let depth = app.doc.history().undo_len();
    keys(&mut app, "enter");
    assert!(!form_open(&app), "submitted: {:?}", form_error(&app));
    assert_eq!(app.doc.history().undo_len(), depth + 1, "one edit");
    let m = &app.doc.register().method;
    assert_eq!(app.doc.register().name, "Northwind ISMS 2027");
    assert_eq!(app.doc.register().scope, "All of Northwind");
    assert_eq!(m.appetite, 4);
    assert_eq!(m.impact[4], "Catastrophic");
    assert_eq!(
        m.levels.iter().map(|l| l.review_days).collect::<Vec<_>>(),
        [365, 120, 60, 14]
    );
    // Re-evaluated: more risks above a lower appetite.
    assert!(app.doc.stats().above_appetite > above_before);
    assert_eq!(
        app.doc.register().risks,
        reg.risks,
        "only the settings changed"
    );

    keys(&mut app, "u");
    assert_eq!(
        *app.doc.register(),
        reg,
        "undo restores the settings exactly"
    );
    assert_eq!(app.doc.stats().above_appetite, above_before);
    keys(&mut app, "ctrl-r");
    assert_eq!(app.doc.register().method.appetite, 4);
}

/// Shrinking a scale below scores in use is refused, naming every risk
/// that would be out of range (its own score or its manual residual);
/// nothing changes.
#[test]
fn settings_refuse_a_scale_shrink_with_the_risks_out_of_range() {
    let mut reg = repo_register("northwind.ron");
    // One risk with impact 5 only in its manual residual.
    let manual = reg
        .risks
        .iter()
        .position(|r| r.impact < 5 && r.likelihood < 5)
        .unwrap();
    reg.risks[manual].residual = Some(Box::new(riskbench::domain::ManualResidual {
        likelihood: 2,
        impact: 5,
        note: "insurer's view".into(),
    }));
    // Northwind's likelihoods go up to 4, its impacts to 5.
    let top_l = reg.risks.iter().map(|r| r.likelihood).max().unwrap();
    let at_top_l: Vec<String> = reg
        .risks
        .iter()
        .filter(|r| r.likelihood == top_l)
        .map(|r| r.id.to_string())
        .collect();
    let impact5: Vec<String> = reg
        .risks
        .iter()
        .filter(|r| r.impact == 5 || r.residual.as_ref().is_some_and(|m| m.impact == 5))
        .map(|r| r.id.to_string())
        .collect();
    assert!(!at_top_l.is_empty() && impact5.len() > 1);
    let mut app = app_with(reg.clone(), Keymap::default_keymap());

    keys(&mut app, ",");
    let shorter = ["Rare", "Unlikely", "Possible", "Likely"][..top_l as usize - 1].join(", ");
    set_field(&mut app, "Likelihood labels", &shorter);
    keys(&mut app, "enter");
    assert!(form_open(&app), "refused: the form stays open");
    let err = form_error(&app).expect("a refusal");
    for id in &at_top_l {
        assert!(err.contains(id.as_str()), "{id} named in {err:?}");
    }
    assert!(err.contains("likelihood"), "{err}");
    assert_eq!(*app.doc.register(), reg, "nothing changed");

    set_field(
        &mut app,
        "Likelihood labels",
        "Rare, Unlikely, Possible, Likely, Almost certain",
    );
    set_field(
        &mut app,
        "Impact labels",
        "Negligible, Minor, Moderate, Major",
    );
    keys(&mut app, "enter");
    let err = form_error(&app).expect("a refusal");
    for id in &impact5 {
        assert!(err.contains(id.as_str()), "{id} named in {err:?}");
    }
    assert!(
        err.contains(reg.risks[manual].id.as_str()),
        "the manual residual's risk is named: {err}"
    );
    assert_eq!(*app.doc.register(), reg);
    // The form shows the whole refusal, wrapped, not cut at one line.
    let shown = screen(&app, 120, 40);
    for id in &impact5 {
        assert!(shown.contains(id.as_str()), "{id} shown:\n{shown}");
    }
    insta::assert_snapshot!("settings_scale_shrink_refused", shown);

    // Growing a scale is fine once the levels cover the new top score
    // (and the impact criteria, one per label, are cleared or extended).
    set_field(&mut app, "Impact labels", "1, 2, 3, 4, 5, 6");
    set_field(&mut app, "Impact criteria", "");
    set_field(
        &mut app,
        "Levels",
        "Low ≤4 365d, Medium ≤9 180d, High ≤16 90d, Critical ≤30 30d",
    );
    keys(&mut app, "enter");
    assert!(!form_open(&app), "{:?}", form_error(&app));
    assert_eq!(app.doc.register().method.impact.len(), 6);
}

/// The levels and labels are checked by the same rules as `check`
/// (validate.rs), with its messages; a malformed level says how to write
/// one.
#[test]
fn settings_validate_levels_and_labels() {
    let reg = repo_register("northwind.ron");
    let mut app = app_with(reg.clone(), Keymap::default_keymap());
    keys(&mut app, ",");
    for (label, text, expected) in [
        (
            "Levels",
            "Low ≤4 365d, Medium ≤9 180d, High ≤16 90d",
            "scores go up to 25",
        ),
        (
            "Levels",
            "Low ≤9 365d, Medium ≤4 180d, High ≤16 90d, Critical ≤25 30d",
            "must be above the previous level's 9",
        ),
        (
            "Levels",
            "Low ≤4 365d, Low ≤9 180d, High ≤16 90d, Critical ≤25 30d",
            "used twice",
        ),
        ("Levels", "Low ≤4 365d, Medium 9", "Medium 9"),
        ("Levels", "", "at least one level"),
        ("Likelihood labels", "Only one", "needs 2 to 10"),
        (
            "Impact labels",
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11",
            "needs 2 to 10",
        ),
        ("Impact labels", "Low, , High", "empty"),
        ("Name", "  ", "Name"),
    ] {
        set_field(&mut app, label, text);
        keys(&mut app, "enter");
        let err = form_error(&app).unwrap_or_else(|| panic!("{label} {text:?} refused"));
        assert!(err.contains(expected), "{label} {text:?}: {err}");
        assert_eq!(*app.doc.register(), reg);
        // Put the field back for the next case.
        keys(&mut app, "esc ,");
    }
}

/// Turning the matrix on builds one from the levels' `up_to` rule (the
/// same levels as before for every cell); off sets it to None. A kept
/// matrix follows a level renamed in place.
#[test]
fn settings_switch_the_matrix() {
    let reg = repo_register("northwind.ron");
    assert!(reg.method.matrix.is_none());
    let mut app = app_with(reg.clone(), Keymap::default_keymap());
    let before: Vec<_> = app
        .doc
        .analysis()
        .eval
        .risks
        .iter()
        .map(|r| r.as_ref().map(|e| e.residual.level))
        .collect();
    keys(&mut app, ",");
    choose(&mut app, "Matrix", "on");
    keys(&mut app, "enter");
    assert!(!form_open(&app), "{:?}", form_error(&app));
    let matrix = app.doc.register().method.matrix.clone().expect("a matrix");
    assert_eq!(matrix.len(), 5);
    assert_eq!(matrix[0], ["Low", "Low", "Low", "Low", "Medium"]);
    assert_eq!(
        matrix[4],
        ["Medium", "High", "High", "Critical", "Critical"]
    );
    let after: Vec<_> = app
        .doc
        .analysis()
        .eval
        .risks
        .iter()
        .map(|r| r.as_ref().map(|e| e.residual.level))
        .collect();
    assert_eq!(before, after, "the same levels, now from the matrix");

    keys(&mut app, ",");
    set_field(
        &mut app,
        "Levels",
        "Low ≤4 365d, Moderate ≤9 180d, High ≤16 90d, Critical ≤25 30d",
    );
    keys(&mut app, "enter");
    assert!(!form_open(&app), "{:?}", form_error(&app));
    let renamed = app
        .doc
        .register()
        .method
        .matrix
        .clone()
        .expect("still a matrix");
    assert_eq!(renamed[0], ["Low", "Low", "Low", "Low", "Moderate"]);

    keys(&mut app, ",");
    choose(&mut app, "Matrix", "off");
    keys(&mut app, "enter");
    assert_eq!(app.doc.register().method.matrix, None);
    assert_eq!(app.doc.history().undo_len(), 3);
}

/// The settings key is bound in the vim keymap too, and the palette lists
/// the action.
#[test]
fn settings_reachable_from_vim_keys_and_the_palette() {
    let reg = repo_register("northwind.ron");
    let vim = Keymap::builtin("vim").unwrap().unwrap();
    let mut app = app_with(reg.clone(), vim);
    keys(&mut app, ",");
    assert!(form_open(&app));
    let mut app = app_with(reg, Keymap::default_keymap());
    keys(&mut app, ":");
    app.type_text("settings");
    keys(&mut app, "enter");
    assert!(form_open(&app), "the palette finds the settings");
}

// ------------------------------------------------------- the empty dashboard

/// A new register's dashboard says what to do first, with the keys of the
/// keymap in force, each missing thing in order.
#[test]
fn empty_dashboard_says_what_to_do_first() {
    let app = app_with(repo_register("template.ron"), Keymap::default_keymap());
    let text = screen(&app, 120, 40);
    let assets = text.find("No assets yet: press 3 then a").expect(&text);
    let threats = text.find("No threats yet: press 4 then a").expect(&text);
    let risks = text.find("No risks yet: press 2 then a").expect(&text);
    let controls = text.find("No controls yet: press 2 then c").expect(&text);
    assert!(assets < threats && threats < risks && risks < controls);
    insta::assert_snapshot!(text);

    // Vim keys: `o` adds.
    let vim = Keymap::builtin("vim").unwrap().unwrap();
    let app = app_with(repo_register("template.ron"), vim);
    let text = screen(&app, 120, 40);
    assert!(text.contains("No assets yet: press 3 then o"), "{text}");

    // What is done is no longer listed.
    let mut reg = repo_register("template.ron");
    let nw = repo_register("northwind.ron");
    reg.assets = nw.assets.clone();
    let app = app_with(reg, Keymap::default_keymap());
    let text = screen(&app, 120, 40);
    assert!(!text.contains("No assets yet"), "{text}");
    assert!(text.contains("No threats yet: press 4 then a"), "{text}");

    // A register with everything shows its top risks, no guide.
    let app = app_with(nw, Keymap::default_keymap());
    let text = screen(&app, 120, 40);
    assert!(!text.contains(" yet: press "), "{text}");
}

/// The guide fits a small terminal without breaking the layout.
#[test]
fn empty_dashboard_at_80x24() {
    let app = app_with(repo_register("template.ron"), Keymap::default_keymap());
    let text = screen(&app, 80, 24);
    assert!(text.contains("No assets yet"), "{text}");
}
