//! The command palette as a new user drives it: everyday words put the
//! obvious action first, enter on an untouched palette (or on `risk`) never
//! quits, quitting from the palette asks like `q`, and vim's `:w`, `:q`,
//! `:wq`, `:x` and `:q!` do what vim does.
//!
//! Everything goes through the real default keymap: `:` opens the palette,
//! the query is typed into it, enter takes it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::path::PathBuf;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use common::{keys, northwind_register as northwind, today};
use riskbench::app::{App, Effect, Modal, OnConfirm, PromptPurpose, View};
use riskbench::keymap::{Context, Keymap};

/// Northwind as if opened from `path` (nothing is written by these tests
/// unless a test performs the effects through a session).
fn app_at(path: Option<PathBuf>) -> App {
    App::new(northwind(), path, today(), Keymap::default_keymap())
}

fn app() -> App {
    app_at(Some(PathBuf::from("northwind.ron")))
}

/// Opens the palette with `:` and types `query` into it.
fn palette(app: &mut App, query: &str) {
    keys(app, ":");
    assert_eq!(app.context(), Context::Palette, "`:` opens the palette");
    app.type_text(query);
}

/// The palette's first match, as the action's name (`"ShowRisks"`).
fn first_match(app: &App) -> String {
    let Some(Modal::Palette(p)) = app.modals.last() else {
        panic!("palette not open");
    };
    p.matches
        .first()
        .and_then(|(i, _)| p.choices.get(*i))
        .map_or_else(|| "<no match>".to_string(), |c| c.value.clone())
}

/// Makes one unsaved edit: R-001's likelihood through `L 1`.
fn dirty(app: &mut App) {
    keys(app, "2 g g");
    keys(app, "L 1");
    if !app.is_dirty() {
        keys(app, "L 2");
    }
    assert!(app.is_dirty());
}

fn is_quit_question(app: &App) -> bool {
    matches!(
        app.modals.last(),
        Some(Modal::Confirm(c)) if c.title == "Unsaved changes" && c.answers.len() == 4
    )
}

// ------------------------------------------------------------- ranking

/// Everyday words from a workshop, each with the action a person means.
const EVERYDAY: &[(&str, &str)] = &[
    ("", "ShowDashboard"),
    ("risks", "ShowRisks"),
    ("risk", "ShowRisks"),
    ("Risks", "ShowRisks"),
    ("soa", "ShowSoa"),
    ("score", "ShowRisks"),
    ("open", "Edit"),
    ("review", "FilterOverdue"),
    ("notes", "Edit"),
    ("heat", "ShowDashboard"),
    ("heat map", "ShowDashboard"),
    ("diff", "ShowChanges"),
    ("overdue", "FilterOverdue"),
    ("appetite", "FilterAboveAppetite"),
    ("treatment", "FilterTreatment"),
    ("findings", "ShowFindings"),
    ("errors", "ShowFindings"),
    ("warnings", "ShowFindings"),
    ("accepted", "FilterAccepted"),
    ("owner", "FilterOwner"),
    ("out of scope", "FilterOutOfScope"),
    ("settings", "EditSettings"),
    ("what if", "WhatIf"),
    ("save as", "SaveAs"),
    ("reload", "Reload"),
    ("quit", "Quit"),
    ("exit", "Quit"),
    ("save", "Save"),
    ("write", "Save"),
    ("undo", "Undo"),
    ("redo", "Redo"),
    ("help", "ToggleHelp"),
    ("keys", "ToggleHelp"),
    ("controls", "ShowControls"),
    ("annex", "ShowControls"),
    ("assets", "ShowAssets"),
    ("threats", "ShowThreats"),
    ("factors", "ShowEnvironment"),
    ("environment", "ShowEnvironment"),
    ("cloud", "ShowEnvironment"),
    ("changes", "ShowChanges"),
    ("baseline", "ShowChanges"),
    ("approve", "ApproveSoa"),
    ("accept", "AcceptRisk"),
    ("export", "ExportSoa"),
    ("excel", "ExportSoa"),
    ("xlsx", "ExportSoa"),
    ("filter", "StartFilter"),
    ("search", "StartFilter"),
    ("find", "StartFilter"),
    ("sort", "SortNext"),
    ("link", "LinkControl"),
    ("control", "LinkControl"),
    ("add", "Add"),
    ("new", "Add"),
    ("delete", "Delete"),
    ("remove", "Delete"),
    ("edit", "Edit"),
    ("likelihood 3", "SetLikelihood(3)"),
    ("l3", "SetLikelihood(3)"),
    ("impact 4", "SetImpact(4)"),
    ("i2", "SetImpact(2)"),
    ("detail", "ToggleDetail"),
    ("messages", "ShowMessages"),
    ("log", "ShowMessages"),
    // Prefixes and descriptions still work.
    ("dash", "ShowDashboard"),
    ("thr", "ShowThreats"),
    ("show assets", "ShowAssets"),
    // Typos.
    ("dashbord", "ShowDashboard"),
    ("riks", "ShowRisks"),
    ("set likelihood to 1", "SetLikelihood(1)"),
];

#[test]
fn everyday_words_put_the_obvious_action_first() {
    assert!(EVERYDAY.len() >= 30);
    let mut wrong = Vec::new();
    for (query, expected) in EVERYDAY {
        let mut app = app();
        palette(&mut app, query);
        let got = first_match(&app);
        if got != *expected {
            wrong.push(format!("{query:?}: expected {expected}, got {got}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "wrong first matches:\n{}",
        wrong.join("\n")
    );
}

/// "risk" must not reach Quit through a scattered subsequence of "Quit
/// riskbench", and Quit is last of the untouched palette.
#[test]
fn quit_is_last_and_never_matched_by_everyday_words() {
    let mut app = app();
    palette(&mut app, "");
    let Some(Modal::Palette(p)) = app.modals.last() else {
        panic!("palette not open");
    };
    let order: Vec<&str> = p
        .matches
        .iter()
        .map(|(i, _)| p.choices[*i].value.as_str())
        .collect();
    assert_eq!(order.last(), Some(&"Quit"), "{order:?}");
    assert_eq!(order.first(), Some(&"ShowDashboard"), "{order:?}");
    for word in ["risk", "bench", "riskbench", "register", "r", "it", "ui"] {
        let mut app = self::app();
        palette(&mut app, word);
        assert_ne!(first_match(&app), "Quit", "{word:?} puts Quit first");
    }
}

// ------------------------------------------------------- never a trap

#[test]
fn enter_on_an_untouched_palette_does_not_quit() {
    let mut app = app();
    keys(&mut app, "2");
    let effects = keys(&mut app, ": enter");
    assert!(!effects.contains(&Effect::Quit), "{effects:?}");
    assert!(app.modals.is_empty());
    assert_eq!(
        app.view,
        View::Dashboard,
        "the first entry is the dashboard"
    );
}

#[test]
fn enter_on_risk_shows_the_risks_and_does_not_quit() {
    let mut app = app();
    palette(&mut app, "risk");
    let effects = keys(&mut app, "enter");
    assert!(!effects.contains(&Effect::Quit), "{effects:?}");
    assert_eq!(app.view, View::Risks);
}

#[test]
fn quit_from_the_palette_asks_like_q_when_there_are_unsaved_edits() {
    let mut by_key = app();
    dirty(&mut by_key);
    assert!(keys(&mut by_key, "q").is_empty());
    assert!(is_quit_question(&by_key));

    let mut app = app();
    dirty(&mut app);
    palette(&mut app, "quit");
    let effects = keys(&mut app, "enter");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(is_quit_question(&app), "palette quit must ask like q");
    // Cancel keeps working, edits intact.
    keys(&mut app, "esc");
    assert!(app.modals.is_empty());
    assert!(app.is_dirty());
}

// ------------------------------------------------------- vim commands

#[test]
fn colon_w_saves() {
    let mut app = app();
    dirty(&mut app);
    palette(&mut app, "w");
    let effects = keys(&mut app, "enter");
    assert_eq!(effects, vec![Effect::Save(PathBuf::from("northwind.ron"))]);
    assert!(app.modals.is_empty());
}

#[test]
fn colon_q_quits_when_clean_and_asks_when_dirty() {
    let mut app = app();
    palette(&mut app, "q");
    assert_eq!(keys(&mut app, "enter"), vec![Effect::Quit]);

    let mut app = self::app();
    dirty(&mut app);
    palette(&mut app, "q");
    assert!(keys(&mut app, "enter").is_empty());
    assert!(is_quit_question(&app));
}

#[test]
fn colon_wq_and_x_save_then_quit() {
    let file = PathBuf::from("northwind.ron");
    for cmd in ["wq", "x"] {
        let mut app = app();
        dirty(&mut app);
        palette(&mut app, cmd);
        assert_eq!(
            keys(&mut app, "enter"),
            vec![Effect::SaveThenQuit(file.clone())],
            ":{cmd}"
        );
    }
    // With nothing to write, :x just quits; :wq writes anyway, as in vim.
    let mut app = app();
    palette(&mut app, "x");
    assert_eq!(keys(&mut app, "enter"), vec![Effect::Quit]);
    let mut app = self::app();
    palette(&mut app, "wq");
    assert_eq!(keys(&mut app, "enter"), vec![Effect::SaveThenQuit(file)]);

    // The bundled example has no file: it asks where, then quits.
    let mut app = app_at(None);
    dirty(&mut app);
    palette(&mut app, "wq");
    assert!(keys(&mut app, "enter").is_empty());
    assert!(
        matches!(app.modals.last(), Some(Modal::Prompt(p)) if p.purpose == PromptPurpose::SaveAsThenQuit),
        "expected the save-as-then-quit prompt"
    );
}

#[test]
fn colon_q_bang_quits_without_asking() {
    let mut app = app();
    dirty(&mut app);
    palette(&mut app, "q!");
    assert_eq!(keys(&mut app, "enter"), vec![Effect::Quit]);
}

#[test]
fn colon_wq_in_a_read_only_workbench_refuses_and_stays() {
    let mut app = app();
    dirty(&mut app);
    app.read_only = true;
    palette(&mut app, "wq");
    assert!(keys(&mut app, "enter").is_empty());
    assert!(app.modals.is_empty());
    let (msg, _) = app.message.clone().expect("a refusal");
    assert!(msg.contains("Read-only"), "{msg}");
}

#[test]
fn the_palette_shows_what_a_vim_command_does() {
    let mut app = app();
    palette(&mut app, "wq");
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| riskbench::ui::draw(f, &app)).unwrap();
    let screen: String = term
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains(":wq — save, then quit"), "{screen}");
}

// ------------------------------------------------- save as and reload

#[test]
fn save_as_opens_the_save_as_prompt_with_a_new_name() {
    for how in ["palette", "key"] {
        let mut app = app();
        if how == "palette" {
            palette(&mut app, "save as");
            keys(&mut app, "enter");
        } else {
            keys(&mut app, "alt-s");
        }
        let Some(Modal::Prompt(p)) = app.modals.last() else {
            panic!("{how}: expected the save-as prompt");
        };
        assert_eq!(p.purpose, PromptPurpose::SaveAs, "{how}");
        let suggested = p.field.text();
        assert_ne!(
            suggested.trim(),
            "northwind.ron",
            "{how}: never the register itself"
        );
        let effects = keys(&mut app, "enter");
        assert_eq!(effects, vec![Effect::Save(PathBuf::from(suggested.trim()))]);
    }
}

#[test]
fn reload_reads_the_file_again_and_asks_before_dropping_edits() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("northwind.ron");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/registers/northwind.ron"),
        &file,
    )
    .unwrap();
    let mut session =
        riskbench::tui::Session::open(Some(&file), None, today(), None).expect("open");
    let app = &mut session.app;
    dirty(app);
    palette(app, "reload");
    assert!(keys(app, "enter").is_empty(), "asks first");
    let Some(Modal::Confirm(c)) = app.modals.last() else {
        panic!("expected the reload question");
    };
    assert_eq!(c.on_yes, OnConfirm::Reload);
    assert!(c.message.contains("1 unsaved edit?"), "{}", c.message);
    let effects = keys(app, "y");
    assert_eq!(effects, vec![Effect::Reload]);
    assert!(!session.perform(effects));
    assert!(!session.app.is_dirty());
    assert_eq!(*session.app.doc.register(), northwind());

    // Clean: R reloads at once.
    assert_eq!(keys(&mut session.app, "R"), vec![Effect::Reload]);
}
