//! Property: whatever sequence of edits a user makes through the keyboard,
//! undoing them all gives back the original register exactly (and a clean
//! dirty marker), and redoing them all gives back the edited register.
//!
//! Every operation is fed as keys through the real default keymap, the way a
//! person would type it, including refused input (values outside the scale,
//! empty titles, out-of-range numbers, queries that match nothing), undos and
//! redos in the middle of the sequence, and edits made on a filtered table.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use proptest::prelude::*;

use common::{northwind_register as northwind, today};
use riskbench::app::{App, MessageKind, Modal, Stats, View};
use riskbench::domain::Analysis;
use riskbench::keymap::{KeyPress, Keymap};

fn keys(app: &mut App, keys: &str) {
    for k in keys.split_whitespace() {
        let effects = app
            .handle_keys(k)
            .unwrap_or_else(|e| panic!("bad key {k:?}: {e}"));
        assert!(effects.is_empty(), "{k}: unexpected effects {effects:?}");
    }
}

fn type_keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let effects = app.handle_key(KeyPress::char(c));
        assert!(
            effects.is_empty(),
            "typing {c:?}: unexpected effects {effects:?}"
        );
    }
}

/// Selects row `row % len` of the current view with `g g` and `j`; false
/// when the view has no rows.
fn select_row(app: &mut App, row: usize) -> bool {
    let n = app.current_table().rows.len();
    if n == 0 {
        return false;
    }
    keys(app, "g g");
    for _ in 0..row % n {
        keys(app, "j");
    }
    assert_eq!(app.current_table().selected, row % n);
    true
}

fn focus(app: &mut App, label: &str) {
    for _ in 0..30 {
        match app.modals.last() {
            Some(Modal::Form(f)) if f.focused().map(|f| f.label) == Some(label) => return,
            Some(Modal::Form(_)) => keys(app, "tab"),
            _ => return,
        }
    }
    panic!("no field {label}");
}

/// Closes whatever an operation left open (a refused form, a picker with no
/// match, an unanswered confirmation). Esc on a form with typed changes
/// asks first: yes, discard them.
fn close_modals(app: &mut App) {
    for _ in 0..6 {
        if app.modals.is_empty() {
            break;
        }
        keys(app, "esc");
        if matches!(
            app.modals.last(),
            Some(Modal::Confirm(c)) if c.on_yes == riskbench::app::OnConfirm::DiscardForm
        ) {
            keys(app, "y");
        }
    }
    assert!(app.modals.is_empty(), "a modal would not close");
    assert!(app.pending.is_empty());
}

#[derive(Debug, Clone)]
enum Op {
    /// `L n` / `I n` on a risk row (n = 6 or 0 is outside the 5-point scale).
    Score {
        row: usize,
        likelihood: bool,
        value: u8,
    },
    /// `space` on a factor.
    ToggleFactor {
        row: usize,
    },
    /// `d` on a row of a view, then `y` or `n`.
    Delete {
        view: u8,
        row: usize,
        yes: bool,
    },
    /// `a` in Risks: a title, maybe a control typed into the Controls field.
    AddRisk {
        title: String,
        control: Option<String>,
        likelihood: u8,
    },
    /// `c` on a risk row, a query, `enter`.
    LinkControl {
        row: usize,
        query: String,
    },
    /// `e` on a control: status steps and an effectiveness (maybe > 100).
    EditControl {
        row: usize,
        status_steps: u8,
        effectiveness: u8,
    },
    /// `e` on an SoA row: decision steps and a reason (maybe empty).
    EditDecision {
        row: usize,
        steps: u8,
        reason: String,
    },
    /// `e` on a risk row: append to the title, cycle the treatment.
    EditRisk {
        row: usize,
        suffix: String,
        treatment_steps: u8,
    },
    /// `a` in Assets (3), Threats (4) or Environment (7): an id/name.
    AddItem {
        view: u8,
        name: String,
    },
    /// `/ text enter`, or clear the filter with `backspace`.
    Filter {
        view: u8,
        text: Option<String>,
    },
    Undo,
    Redo,
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("backup".to_string()),
        Just("8.24".to_string()),
        Just("5.1".to_string()),
        Just("crypto".to_string()),
        Just("logging".to_string()),
        Just("7.3".to_string()),
        Just("zzqx".to_string()),
        "[a-z0-9. ]{1,5}",
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<usize>(), any::<bool>(), 0u8..=6).prop_map(|(row, likelihood, value)| {
            Op::Score { row, likelihood, value }
        }),
        2 => any::<usize>().prop_map(|row| Op::ToggleFactor { row }),
        2 => (2u8..=7, any::<usize>(), prop::bool::weighted(0.8))
            .prop_map(|(view, row, yes)| Op::Delete { view, row, yes }),
        2 => ("[A-Za-z :?q]{0,10}", prop::option::of(query()), 1u8..=5).prop_map(
            |(title, control, likelihood)| Op::AddRisk { title, control, likelihood }
        ),
        2 => (any::<usize>(), query()).prop_map(|(row, query)| Op::LinkControl { row, query }),
        2 => (any::<usize>(), 0u8..4, 0u8..=110).prop_map(|(row, status_steps, effectiveness)| {
            Op::EditControl { row, status_steps, effectiveness }
        }),
        1 => (any::<usize>(), 0u8..3, "[a-z ]{0,8}")
            .prop_map(|(row, steps, reason)| Op::EditDecision { row, steps, reason }),
        2 => (any::<usize>(), "[a-z ]{0,4}", 0u8..4).prop_map(|(row, suffix, treatment_steps)| {
            Op::EditRisk { row, suffix, treatment_steps }
        }),
        1 => (prop::sample::select(vec![3u8, 4, 7]), "[a-z_]{0,6}")
            .prop_map(|(view, name)| Op::AddItem { view, name }),
        1 => (2u8..=7, prop::option::of("[a-z0-9]{1,3}"))
            .prop_map(|(view, text)| Op::Filter { view, text }),
        2 => Just(Op::Undo),
        1 => Just(Op::Redo),
    ]
}

fn run(app: &mut App, op: &Op) {
    match op {
        Op::Score {
            row,
            likelihood,
            value,
        } => {
            keys(app, "2");
            if select_row(app, *row) {
                let axis = if *likelihood { "L" } else { "I" };
                keys(app, &format!("{axis} {value}"));
                if *value == 0 || *value > 5 {
                    assert!(
                        matches!(app.message, Some((_, MessageKind::Error))),
                        "{op:?} not refused"
                    );
                }
            }
        }
        Op::ToggleFactor { row } => {
            keys(app, "7");
            if select_row(app, *row) {
                keys(app, "space");
            }
        }
        Op::Delete { view, row, yes } => {
            keys(app, &view.to_string());
            if select_row(app, *row) {
                keys(app, "d");
                keys(app, if *yes { "y" } else { "n" });
            }
        }
        Op::AddRisk {
            title,
            control,
            likelihood,
        } => {
            keys(app, "2 a");
            if !app.modals.is_empty() {
                type_keys(app, title);
                focus(app, "Likelihood");
                type_keys(app, &likelihood.to_string());
                if let Some(q) = control {
                    focus(app, "Controls");
                    type_keys(app, q);
                    keys(app, "enter");
                    if matches!(app.modals.last(), Some(Modal::Picker(_))) {
                        keys(app, "esc");
                    }
                }
                keys(app, "enter");
            }
        }
        Op::LinkControl { row, query } => {
            keys(app, "2");
            if select_row(app, *row) {
                keys(app, "c");
                type_keys(app, query);
                keys(app, "enter");
            }
        }
        Op::EditControl {
            row,
            status_steps,
            effectiveness,
        } => {
            keys(app, "5");
            if select_row(app, *row) {
                keys(app, "e");
                for _ in 0..*status_steps {
                    keys(app, "right");
                }
                focus(app, "Effectiveness");
                keys(app, "home ctrl-k");
                type_keys(app, &effectiveness.to_string());
                keys(app, "enter");
                if *effectiveness > 100 {
                    assert!(
                        matches!(app.modals.last(), Some(Modal::Form(f)) if f.error.is_some()),
                        "effectiveness {effectiveness} accepted"
                    );
                }
            }
        }
        Op::EditDecision { row, steps, reason } => {
            keys(app, "6");
            if select_row(app, *row) {
                keys(app, "e");
                for _ in 0..*steps {
                    keys(app, "right");
                }
                focus(app, "Reason");
                keys(app, "home ctrl-k");
                type_keys(app, reason);
                keys(app, "enter");
            }
        }
        Op::EditRisk {
            row,
            suffix,
            treatment_steps,
        } => {
            keys(app, "2");
            if select_row(app, *row) {
                keys(app, "e");
                focus(app, "Title");
                keys(app, "end");
                type_keys(app, suffix);
                focus(app, "Treatment");
                for _ in 0..*treatment_steps {
                    keys(app, "right");
                }
                keys(app, "enter");
            }
        }
        Op::AddItem { view, name } => {
            keys(app, &format!("{view} a"));
            // Assets and threats get a generated id and focus the name;
            // factors focus the id (no spaces allowed).
            type_keys(app, name);
            if *view == 7 {
                focus(app, "Label");
                type_keys(app, "label");
            }
            keys(app, "enter");
        }
        Op::Filter { view, text } => {
            keys(app, &view.to_string());
            match text {
                Some(t) => {
                    keys(app, "/");
                    type_keys(app, t);
                    keys(app, "enter");
                }
                None => keys(app, "backspace"),
            }
        }
        Op::Undo => keys(app, "u"),
        Op::Redo => keys(app, "ctrl-r"),
    }
    close_modals(app);
}

fn assert_fresh(app: &App) {
    let fresh = Analysis::new(app.doc.register(), app.doc.today());
    assert_eq!(app.doc.analysis().eval.risks, fresh.eval.risks);
    assert_eq!(app.doc.analysis().soa, fresh.soa);
    assert_eq!(*app.doc.stats(), Stats::new(app.doc.register(), &fresh));
    // Findings may be in another order after an incremental update.
    let key = |f: &riskbench::domain::Finding| (f.code, f.at.clone(), f.message.clone(), f.risk);
    let mut now: Vec<_> = app.doc.analysis().findings.iter().map(key).collect();
    let mut want: Vec<_> = fresh.findings.iter().map(key).collect();
    now.sort();
    want.sort();
    assert_eq!(now, want, "findings are stale");
}

proptest! {
    // 64 cases by default (fast); PROPTEST_CASES=N runs more.
    #![proptest_config(ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            ProptestConfig::default().cases
        } else {
            64
        },
        ..ProptestConfig::default()
    })]

    #[test]
    fn undo_all_restores_the_original_and_redo_all_the_edited(
        ops in prop::collection::vec(op(), 1..30)
    ) {
        let original = northwind();
        let mut app = App::new(original.clone(), None, today(), Keymap::default_keymap());
        for op in &ops {
            run(&mut app, op);
        }
        assert_fresh(&app);
        let after = app.doc.register().clone();
        let dirty_after = app.is_dirty();
        prop_assert_eq!(dirty_after, app.doc.history().can_undo());

        // Redo what the sequence itself undid, then undo exactly that much:
        // back to `after`.
        let mut redone = 0;
        while app.doc.history().can_redo() {
            keys(&mut app, "ctrl-r");
            prop_assert!(matches!(app.message, Some((_, MessageKind::Info))), "{:?}", app.message);
            redone += 1;
            prop_assert!(redone <= 100);
        }
        let top = app.doc.register().clone();
        for _ in 0..redone {
            keys(&mut app, "u");
        }
        prop_assert_eq!(app.doc.register(), &after);

        // Undo everything.
        let mut undone = 0;
        while app.doc.history().can_undo() {
            keys(&mut app, "u");
            prop_assert!(
                matches!(app.message, Some((ref m, MessageKind::Info)) if m.starts_with("Undone: ")),
                "{:?}", app.message
            );
            undone += 1;
            prop_assert!(undone <= 100);
        }
        prop_assert_eq!(app.doc.register(), &original);
        prop_assert!(!app.is_dirty());
        assert_fresh(&app);

        // Redo everything.
        while app.doc.history().can_redo() {
            keys(&mut app, "ctrl-r");
            prop_assert!(matches!(app.message, Some((ref m, MessageKind::Info)) if m.starts_with("Redone: ")));
        }
        prop_assert_eq!(app.doc.register(), &top);
        prop_assert_eq!(app.is_dirty(), app.doc.history().can_undo());
        assert_fresh(&app);
        // The tables still show valid rows in every view.
        for v in ["1", "2", "3", "4", "5", "6", "7", "8"] {
            keys(&mut app, v);
            let t = app.current_table();
            prop_assert!(t.rows.is_empty() || t.selected < t.rows.len());
            let n = match app.view {
                View::Dashboard | View::Risks | View::Focus | View::Queue => {
                    app.doc.register().risks.len()
                }
                View::Assets => app.doc.register().assets.len(),
                View::Threats => app.doc.register().threats.len(),
                // The own controls follow the 93 Annex A ones.
                View::Controls => 93 + app.doc.register().own_controls.len(),
                View::Soa => 93,
                View::Environment => app.doc.register().factors.len(),
                View::Changes => app.changes().rows.len(),
                View::Findings => app.doc.analysis().findings.len(),
                View::Plan => app.doc.register().actions.len(),
            };
            prop_assert!(t.rows.iter().all(|&r| r < n));
        }
    }
}

/// Guards the generator: each kind of operation, with ordinary arguments,
/// really changes the register (so the property is not vacuous).
#[test]
fn every_operation_kind_edits_the_register() {
    let edits = [
        Op::Score {
            row: 3,
            likelihood: true,
            value: 1,
        },
        Op::Score {
            row: 3,
            likelihood: false,
            value: 1,
        },
        Op::ToggleFactor { row: 0 },
        Op::Delete {
            view: 3,
            row: 0,
            yes: true,
        },
        Op::Delete {
            view: 2,
            row: 0,
            yes: true,
        },
        Op::AddRisk {
            title: "New q:?".into(),
            control: Some("backup".into()),
            likelihood: 4,
        },
        Op::LinkControl {
            row: 1,
            query: "7.3".into(),
        },
        Op::EditControl {
            row: 10,
            status_steps: 1,
            effectiveness: 77,
        },
        Op::EditDecision {
            row: 20,
            steps: 2,
            reason: "not needed".into(),
        },
        Op::EditRisk {
            row: 5,
            suffix: " x".into(),
            treatment_steps: 1,
        },
        Op::AddItem {
            view: 3,
            name: "laptop pool".into(),
        },
        Op::AddItem {
            view: 4,
            name: "meteor".into(),
        },
        Op::AddItem {
            view: 7,
            name: "offshore".into(),
        },
    ];
    let mut app = App::new(northwind(), None, today(), Keymap::default_keymap());
    for (n, op) in edits.iter().enumerate() {
        let before = app.doc.register().clone();
        run(&mut app, op);
        assert_ne!(
            *app.doc.register(),
            before,
            "{op:?} changed nothing: {:?}",
            app.message
        );
        assert_eq!(app.doc.history().undo_len(), n + 1, "{op:?}");
    }
    let added = app.doc.register().risks.last().unwrap();
    assert_eq!(added.title, "New q:?");
    assert_eq!(added.likelihood, 4);
    assert_eq!(added.controls, vec!["8.13".to_string()]);

    // Refused input changes nothing.
    let before = app.doc.register().clone();
    for op in [
        Op::Score {
            row: 0,
            likelihood: true,
            value: 6,
        },
        Op::Score {
            row: 0,
            likelihood: false,
            value: 0,
        },
        Op::AddRisk {
            title: String::new(),
            control: None,
            likelihood: 1,
        },
        Op::LinkControl {
            row: 0,
            query: "zzqx".into(),
        },
        Op::EditControl {
            row: 0,
            status_steps: 0,
            effectiveness: 101,
        },
        Op::EditDecision {
            row: 0,
            steps: 1,
            reason: String::new(),
        },
        Op::Delete {
            view: 2,
            row: 0,
            yes: false,
        },
    ] {
        run(&mut app, &op);
        assert_eq!(*app.doc.register(), before, "{op:?}");
    }
}
