//! What the integration tests that run the `riskbench` binary share: the
//! fixed day, the crate root, and running the binary with the checks every
//! such test wants (UTF-8 output, no panic, a normal exit).

// Each test crate uses the part it needs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The day every command is run on, so results are reproducible.
pub const TODAY: &str = "2026-12-01";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, sorted (for the tests that read the
/// source itself).
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The binary, to be run in `dir`.
pub fn riskbench_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("riskbench").expect("the riskbench binary is built");
    cmd.current_dir(dir);
    cmd
}

/// Runs `cmd` with `args`; insists on UTF-8 output, no panic and a normal
/// exit (not killed by a signal).
pub fn run_command(mut cmd: Command, args: &[&str]) -> Run {
    let out = cmd.args(args).output().expect("riskbench runs");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(
        !stderr.contains("panicked"),
        "riskbench {args:?} panicked:\n{stderr}"
    );
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("riskbench {args:?} was killed by a signal:\n{stderr}"));
    Run {
        code,
        stdout,
        stderr,
    }
}

/// `riskbench ARGS --today TODAY` from the crate root.
pub fn run_today(args: &[&str]) -> Run {
    run_command(riskbench_in(&root()), &[args, &["--today", TODAY]].concat())
}

// ------------------------------------------------ the workbench, in-process

use chrono::NaiveDate;
use riskbench::app::{App, Effect};
use riskbench::domain::Register;
use riskbench::keymap::Keymap;
use riskbench::tui::Session;

/// [`TODAY`] as a date, for the in-process workbench.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).expect("a valid date")
}

/// `registers/northwind.ron`, parsed (once per test binary: each caller
/// gets its own copy).
pub fn northwind_register() -> Register {
    static NORTHWIND: std::sync::OnceLock<Register> = std::sync::OnceLock::new();
    NORTHWIND
        .get_or_init(|| {
            riskbench::store::parse_str(
                "northwind.ron",
                include_str!("../../registers/northwind.ron"),
            )
            .expect("northwind loads")
            .register
        })
        .clone()
}

/// The register of REGISTER.md's own example
/// (`tests/fixtures/spec-example.ron`), parsed.
pub fn spec_example_register() -> Register {
    riskbench::store::parse_str(
        "spec-example.ron",
        include_str!("../fixtures/spec-example.ron"),
    )
    .expect("the spec example loads")
    .register
}

/// The spec example with no factors, decisions, control states or links:
/// R-001 is 4×5 = 20 and in scope, for scoring one control at a time.
pub fn bare_spec_register() -> Register {
    let mut r = spec_example_register();
    r.factors.clear();
    r.decisions.clear();
    r.controls.clear();
    r.risks[0].controls.clear();
    r
}

/// A control's state entry (owner "x", no note, no evidence).
pub fn control_state(
    id: &str,
    status: riskbench::domain::ControlStatus,
    effectiveness: u32,
) -> riskbench::domain::ControlState {
    riskbench::domain::ControlState {
        evidence: Vec::new(),
        id: id.into(),
        status,
        effectiveness,
        owner: "x".into(),
        note: String::new(),
    }
}

/// A workbench on northwind (no file) with the default keymap.
pub fn northwind_app() -> App {
    app_with(northwind_register())
}

/// A workbench on `register` (no file) with the default keymap.
pub fn app_with(register: Register) -> App {
    App::new(register, None, today(), Keymap::default_keymap())
}

/// Moves the selection of the current view to `item` with `g g` and `j`
/// (as a user would); fails when the view does not show it.
pub fn select_item(app: &mut App, item: usize) {
    keys(app, "g g");
    let pos = app
        .current_table()
        .rows
        .iter()
        .position(|&r| r == item)
        .unwrap_or_else(|| panic!("item {item} is not shown in {:?}", app.view));
    for _ in 0..pos {
        keys(app, "j");
    }
    assert_eq!(app.selected_item(), Some(item));
}

/// Feeds keys (keymap syntax, space separated) one at a time through the
/// keymap, so sequences of any length work; returns the effects (not
/// performed). A key name that does not parse fails the test.
pub fn keys(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for k in keys.split_whitespace() {
        out.extend(
            app.handle_keys(k)
                .unwrap_or_else(|e| panic!("bad key {k:?}: {e}")),
        );
    }
    out
}

/// Feeds keys to a session's workbench and performs the effects; true
/// when the session should end.
pub fn press(s: &mut Session, keys: &str) -> bool {
    press_effects(s, keys).1
}

/// Like [`press`], returning the effects too (and performing them).
pub fn press_effects(s: &mut Session, keys: &str) -> (Vec<Effect>, bool) {
    let effects = s.app.handle_keys(keys).expect("valid key names");
    let end = s.perform(effects.clone());
    (effects, end)
}

/// The workbench drawn at `w`×`h`, as text, one line per row.
pub fn screen_text(app: &App, w: u16, h: u16) -> String {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
    term.draw(|f| riskbench::ui::draw(f, app)).expect("drawn");
    let buf = term.backend().buffer().clone();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The workbench drawn at `w`×`h` by the real `ui::draw`.
pub fn render(app: &App, w: u16, h: u16) -> ratatui::buffer::Buffer {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
    term.draw(|f| riskbench::ui::draw(f, app)).expect("drawn");
    term.backend().buffer().clone()
}

/// The buffer as text, one line per row (each ending in a newline),
/// trailing spaces removed; cells hidden behind a wide character are
/// skipped, so the text reads as the terminal shows it.
pub fn text(buf: &ratatui::buffer::Buffer) -> String {
    let w = buf.area.width as usize;
    let mut out = String::new();
    for row in buf.content.chunks(w.max(1)) {
        let mut line = String::new();
        let mut skip = 0usize;
        for cell in row {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = cell.symbol();
            line.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The workbench drawn at `w`×`h`, as [`text`].
pub fn screen(app: &App, w: u16, h: u16) -> String {
    text(&render(app, w, h))
}

/// A temporary copy of `registers/northwind.ron`: the directory and the file.
pub fn northwind_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("northwind.ron");
    std::fs::copy(root().join("registers/northwind.ron"), &file).expect("copied");
    (dir, file)
}

/// A workbench session on `path`, without the machine's keymap override.
pub fn open_session(path: &Path) -> Session {
    Session::open(Some(path), None, today(), None).expect("the register opens")
}
