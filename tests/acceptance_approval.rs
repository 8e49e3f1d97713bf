//! Issue 15 in the workbench: acceptances with authority and a reason
//! (the acceptance form says who may accept at the risk's current level,
//! asks before recording one `acceptance-authority` would flag; the
//! settings editor edits `levels[].accept_by`), approvals that keep every
//! version (the SoA refused while controls are Undecided, offering them;
//! the plan approved with `P`), the SoA view's title saying whether it is
//! approved, and the dashboard's treatment-plan panel.
//!
//! Everything is driven key by key through the default keymap, headless.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::{app_with, keys, northwind_register as northwind, screen, today};
use riskbench::app::{App, MessageKind, Modal, View};
use riskbench::domain::schema2::PlanApproval;
use riskbench::domain::{Applicable, ManualResidual, Register};

// ---------------------------------------------------------------- helpers

/// Shows the Risks view and selects risk `id` through the filter (an
/// exact id comes first); returns its index.
fn select_risk(app: &mut App, id: &str) -> usize {
    keys(app, "2 /");
    app.type_text(id);
    keys(app, "enter");
    let i = app
        .doc
        .register()
        .risks
        .iter()
        .position(|r| r.id == id)
        .unwrap();
    assert_eq!(app.selected_item(), Some(i), "{id} selected");
    i
}

fn modal_name(app: &App) -> String {
    match app.modals.last() {
        None => "none".into(),
        Some(Modal::Form(f)) => format!("form {:?} error {:?}", f.title, f.error),
        Some(Modal::Confirm(c)) => format!("confirm {:?}", c.message),
        Some(Modal::Prompt(p)) => format!("prompt {:?}", p.title),
        Some(_) => "another popup".into(),
    }
}

/// The value shown in field `label` of the form on top.
fn field(app: &App, label: &str) -> String {
    let Some(Modal::Form(f)) = app.modals.last() else {
        panic!("expected a form, got {}", modal_name(app));
    };
    f.fields
        .iter()
        .find(|x| x.label == label)
        .unwrap_or_else(|| panic!("no field {label:?} in {:?}", f.title))
        .display()
}

/// Focuses field `label` of the form on top and empties it.
fn clear_field(app: &mut App, label: &str) {
    let n = field(app, label).chars().count();
    let Some(Modal::Form(f)) = app.modals.last_mut() else {
        unreachable!()
    };
    assert!(f.focus_label(label));
    keys(app, "end");
    for _ in 0..n {
        keys(app, "backspace");
    }
    assert_eq!(field(app, label), "");
}

fn message(app: &App) -> (String, MessageKind) {
    app.message.clone().expect("a status message")
}

fn warnings_at(app: &App, code: &str) -> Vec<String> {
    app.doc
        .analysis()
        .warnings()
        .filter(|f| f.code == code)
        .map(|f| f.at.clone())
        .collect()
}

/// Northwind with R-003 (owner Head of Engineering, no acceptance) given a
/// manual residual of 5×5: Critical, which only the CEO may accept.
fn critical_r003() -> Register {
    let mut reg = northwind();
    let r = reg.risks.iter_mut().find(|r| r.id == "R-003").unwrap();
    assert!(r.acceptance.is_none());
    r.residual = Some(Box::new(ManualResidual {
        likelihood: 5,
        impact: 5,
        note: "Exploit code is public".into(),
    }));
    reg
}

const ACME: &str = include_str!("../registers/acme.ron");

fn acme() -> Register {
    riskbench::store::parse_str("acme.ron", ACME)
        .expect("acme loads")
        .register
}

// --------------------------------------------------- item 5: acceptances

#[test]
fn the_acceptance_form_says_who_may_accept_at_the_current_level() {
    // residual 3×4 = 12 High, whose accept_by is CFO and CEO.
    let mut app = app_with(northwind());
    select_risk(&mut app, "R-006");
    keys(&mut app, "x");
    assert_eq!(field(&app, "Reason"), {
        let r = &app.doc.register().risks;
        r.iter()
            .find(|r| r.id == "R-006")
            .unwrap()
            .acceptance
            .as_ref()
            .unwrap()
            .reason
            .clone()
    });
    let text = screen(&app, 120, 40);
    assert!(text.contains("May accept at High: CFO, CEO"), "{text}");

    // A Low risk: the level names nobody, so its owner accepts.
    let reg = northwind();
    let an = app.doc.analysis().clone();
    let (low, owner) = reg
        .risks
        .iter()
        .enumerate()
        .find(|(i, r)| {
            an.eval.risks[*i]
                .as_ref()
                .is_some_and(|e| e.residual.level_index() == Some(0))
                && !r.owner.is_empty()
        })
        .map(|(_, r)| (r.id.to_string(), r.owner.clone()))
        .expect("northwind has a Low risk with an owner");
    let mut app = app_with(reg);
    select_risk(&mut app, &low);
    keys(&mut app, "x");
    let text = screen(&app, 120, 40);
    assert!(
        text.contains(&format!("May accept at Low: the risk owner ({owner})")),
        "{text}"
    );
}

#[test]
fn an_acceptance_beyond_authority_is_asked_first_no_keeps_the_form_yes_records_it() {
    let mut app = app_with(critical_r003());
    let i = select_risk(&mut app, "R-003");
    let before = app.doc.register().clone();
    keys(&mut app, "x");
    app.type_text("CFO");
    clear_field(&mut app, "Reason");
    app.type_text("Patch window agreed with the customers");
    keys(&mut app, "enter");
    let Some(Modal::Confirm(c)) = app.modals.last() else {
        panic!("expected a question, got {}", modal_name(&app));
    };
    assert_eq!(
        c.message,
        "CFO may not accept a Critical risk (only CEO). Record it anyway?"
    );

    // No: back to the form as typed, nothing recorded.
    keys(&mut app, "n");
    assert!(matches!(app.modals.last(), Some(Modal::Form(_))));
    assert_eq!(field(&app, "Accepted by"), "CFO");
    assert_eq!(
        field(&app, "Reason"),
        "Patch window agreed with the customers"
    );
    assert_eq!(*app.doc.register(), before);

    // Yes: recorded with its reason, and check flags it.
    keys(&mut app, "enter y");
    assert!(app.modals.is_empty(), "{}", modal_name(&app));
    let acc = app.doc.register().risks[i].acceptance.clone().unwrap();
    assert_eq!(acc.by, "CFO");
    assert_eq!(acc.reason, "Patch window agreed with the customers");
    assert_eq!(acc.on, today());
    assert_eq!(warnings_at(&app, "acceptance-authority"), ["R-003"]);
    assert!(warnings_at(&app, "acceptance-reason").is_empty());
}

#[test]
fn an_empty_reason_is_said_in_the_same_question() {
    let mut app = app_with(critical_r003());
    select_risk(&mut app, "R-003");
    keys(&mut app, "x");
    app.type_text("Intern");
    keys(&mut app, "enter");
    let Some(Modal::Confirm(c)) = app.modals.last() else {
        panic!("expected a question, got {}", modal_name(&app));
    };
    assert_eq!(
        c.message,
        "Intern may not accept a Critical risk (only CEO), and no reason is given. Record it anyway?"
    );
}

#[test]
fn an_allowed_name_in_another_case_and_spacing_records_without_asking() {
    let mut app = app_with(critical_r003());
    let i = select_risk(&mut app, "R-003");
    keys(&mut app, "x");
    app.type_text("  ceo ");
    clear_field(&mut app, "Reason");
    app.type_text("Board accepts until the rewrite ships");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty(), "{}", modal_name(&app));
    let acc = app.doc.register().risks[i].acceptance.clone().unwrap();
    assert_eq!(acc.by, "ceo");
    assert_eq!(acc.reason, "Board accepts until the rewrite ships");
    assert!(warnings_at(&app, "acceptance-authority").is_empty());

    // Without a reason it is recorded too; the message says what check
    // will say.
    let mut app = app_with(critical_r003());
    select_risk(&mut app, "R-003");
    keys(&mut app, "x");
    app.type_text("CEO");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty(), "{}", modal_name(&app));
    let (text, kind) = message(&app);
    assert_eq!(kind, MessageKind::Info);
    assert!(
        text.contains("no reason given (acceptance-reason)"),
        "{text}"
    );
    assert_eq!(warnings_at(&app, "acceptance-reason"), ["R-003"]);
}

#[test]
fn the_settings_editor_round_trips_accept_by_and_rejects_a_malformed_one() {
    let mut app = app_with(northwind());
    keys(&mut app, ",");
    assert_eq!(
        field(&app, "Levels"),
        "Low ≤4 365d, Medium ≤9 180d, High ≤16 90d by CFO/CEO, Critical ≤25 30d by CEO"
    );
    let typed = "Low ≤4 365d, Medium ≤9 180d by COO, High ≤16 90d by CFO/CEO, Critical ≤25 30d by CEO/Board";
    clear_field(&mut app, "Levels");
    app.type_text(typed);
    keys(&mut app, "enter");
    assert!(app.modals.is_empty(), "{}", modal_name(&app));
    let by: Vec<Vec<String>> = app
        .doc
        .register()
        .method
        .levels
        .iter()
        .map(|l| l.accept_by.clone())
        .collect();
    assert_eq!(
        by,
        [
            vec![],
            vec!["COO".to_string()],
            vec!["CFO".to_string(), "CEO".to_string()],
            vec!["CEO".to_string(), "Board".to_string()],
        ]
    );
    assert_eq!(message(&app).0, "Settings changed: who may accept");
    // Shown again exactly as typed.
    keys(&mut app, ",");
    assert_eq!(field(&app, "Levels"), typed);
    keys(&mut app, "esc");

    // `by` without names is refused with a message, nothing changed.
    let before = app.doc.register().clone();
    keys(&mut app, ",");
    clear_field(&mut app, "Levels");
    app.type_text("Low ≤4 365d, Medium ≤9 180d, High ≤16 90d by CFO//CEO, Critical ≤25 30d");
    keys(&mut app, "enter");
    let Some(Modal::Form(f)) = app.modals.last() else {
        panic!("the form stays open, got {}", modal_name(&app));
    };
    let e = f.error.clone().unwrap_or_default();
    assert!(
        e.contains("name who may accept a High risk after by"),
        "{e}"
    );
    assert_eq!(*app.doc.register(), before);
}

// ------------------------------------------------------ item 6: approvals

#[test]
fn approving_with_undecided_controls_is_refused_and_offers_them() {
    let mut app = app_with(acme());
    let undecided = app.doc.analysis().soa.summary().undecided;
    assert!(undecided > 0);
    let before = app.doc.register().clone();
    keys(&mut app, "A");
    let (text, kind) = message(&app);
    assert_eq!(kind, MessageKind::Error);
    assert!(
        text.starts_with(&format!("Not approved: {undecided} controls Undecided")),
        "{text}"
    );
    let Some(Modal::Confirm(c)) = app.modals.last() else {
        panic!("expected the offer, got {}", modal_name(&app));
    };
    assert!(
        c.message
            .contains(&format!("Show the {undecided} Undecided controls")),
        "{}",
        c.message
    );
    // The full list is in the message log.
    let log = app.message_log_lines().join("\n");
    assert!(log.contains("5.1: Undecided"), "{log}");

    keys(&mut app, "y");
    assert!(app.modals.is_empty(), "{}", modal_name(&app));
    assert_eq!(app.view, View::Soa);
    assert_eq!(app.current_table().rows.len(), undecided);
    let soa = &app.doc.analysis().soa;
    assert!(
        app.current_table()
            .rows
            .iter()
            .all(|&c| soa.entries[c].applicable == Applicable::Undecided)
    );
    let text = screen(&app, 120, 40);
    assert!(text.contains("filter: Undecided"), "{text}");
    assert_eq!(*app.doc.register(), before);
    assert!(!app.doc.history().can_undo());
}

#[test]
fn approving_with_errors_is_refused() {
    let mut reg = northwind();
    reg.risks[0].asset = "A-99".into();
    let mut app = app_with(reg);
    let before = app.doc.register().clone();
    keys(&mut app, "A");
    assert!(app.modals.is_empty(), "{}", modal_name(&app));
    let (text, kind) = message(&app);
    assert_eq!(kind, MessageKind::Error);
    assert!(text.contains("the register has 1 error"), "{text}");
    assert_eq!(*app.doc.register(), before);

    // The plan too.
    keys(&mut app, "P");
    assert!(app.modals.is_empty(), "{}", modal_name(&app));
    let (text, kind) = message(&app);
    assert_eq!(kind, MessageKind::Error);
    assert!(text.contains("Plan not approved"), "{text}");
    assert_eq!(*app.doc.register(), before);
}

#[test]
fn once_every_control_is_decided_an_approval_appends_the_next_version_and_keeps_the_earlier_ones() {
    // acme: v1 approved, controls Undecided. The way the refusal offers:
    // the Undecided controls, each decided with `a`, then `A` again.
    let mut app = app_with(acme());
    let before = app.doc.register().clone();
    keys(&mut app, "A");
    assert!(
        matches!(app.modals.last(), Some(Modal::Confirm(_))),
        "{}",
        modal_name(&app)
    );
    keys(&mut app, "y");
    let mut rounds = 0;
    while app.doc.analysis().soa.summary().undecided > 0 {
        rounds += 1;
        assert!(rounds <= 93, "deciding does not converge");
        let c = app.selected_item().expect("an Undecided control selected");
        assert_eq!(
            app.doc.analysis().soa.entries[c].applicable,
            Applicable::Undecided
        );
        keys(&mut app, "a e tab");
        app.type_text("Not in the scope of a widget workshop");
        keys(&mut app, "enter");
        assert!(app.modals.is_empty(), "{}", modal_name(&app));
    }
    let decided = app.doc.register().clone();
    let last = before.baselines.last().unwrap().version;
    keys(&mut app, "A");
    let Some(Modal::Prompt(p)) = app.modals.last() else {
        panic!("expected the approver prompt, got {}", modal_name(&app));
    };
    assert!(p.title.contains(&format!("v{}", last + 1)), "{}", p.title);
    app.type_text("Managing director");
    keys(&mut app, "enter");
    let reg = app.doc.register();
    assert_eq!(reg.baselines.len(), before.baselines.len() + 1);
    assert_eq!(
        reg.baselines[..before.baselines.len()],
        before.baselines[..]
    );
    let b = reg.baselines.last().unwrap();
    assert_eq!(
        (b.version, b.approved, b.by.as_str()),
        (last + 1, today(), "Managing director")
    );
    assert!(
        b.entries
            .iter()
            .all(|e| e.applicable != Applicable::Undecided)
    );
    assert!(warnings_at(&app, "soa-unapproved").is_empty());

    // Undo takes back the new version only.
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), decided);
}

#[test]
fn approving_the_plan_records_it_with_a_history_line_and_undo_restores_none() {
    let mut reg = northwind();
    reg.plan_approval = None;
    let mut app = app_with(reg);
    let before = app.doc.register().clone();
    assert_eq!(warnings_at(&app, "plan-unapproved"), ["plan"]);
    keys(&mut app, "P");
    let Some(Modal::Prompt(p)) = app.modals.last() else {
        panic!("expected the approver prompt, got {}", modal_name(&app));
    };
    assert!(p.title.contains("approver's name"), "{}", p.title);
    app.type_text("CEO");
    keys(&mut app, "enter");
    let Some(Modal::Prompt(p)) = app.modals.last() else {
        panic!("expected the note prompt, got {}", modal_name(&app));
    };
    assert!(p.title.contains("note"), "{}", p.title);
    app.type_text("Budget agreed at the management review");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty(), "{}", modal_name(&app));
    let reg = app.doc.register();
    assert_eq!(
        reg.plan_approval,
        Some(PlanApproval {
            on: today(),
            by: "CEO".into(),
            note: "Budget agreed at the management review".into(),
        })
    );
    let h = reg.history.last().unwrap();
    assert_eq!((h.on, h.by.as_str()), (today(), "CEO"));
    // The same line `riskbench approve --plan` writes.
    assert_eq!(
        h.summary,
        "Plan approved by CEO: Budget agreed at the management review"
    );
    assert_eq!(reg.history.len(), before.history.len() + 1);
    assert!(warnings_at(&app, "plan-unapproved").is_empty());

    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), before);
    assert_eq!(app.doc.register().plan_approval, None);
    assert_eq!(warnings_at(&app, "plan-unapproved"), ["plan"]);
}

#[test]
fn approving_an_empty_plan_is_refused() {
    let mut reg = northwind();
    reg.actions.clear();
    reg.plan_approval = None;
    let mut app = app_with(reg);
    keys(&mut app, "P");
    assert!(app.modals.is_empty(), "{}", modal_name(&app));
    let (text, kind) = message(&app);
    assert_eq!(kind, MessageKind::Error);
    assert!(text.contains("no actions"), "{text}");
    assert!(!app.doc.history().can_undo());
}

// ------------------------------------------- item 7: the SoA view's title

#[test]
fn the_soa_title_says_whether_it_is_approved() {
    let mut app = app_with(northwind());
    keys(&mut app, "6");
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("SoA 93 · Draft: 3 changes since version 3 (2026-06-15, CEO)"),
        "{text}"
    );
    keys(&mut app, "A");
    app.type_text("CEO");
    keys(&mut app, "enter");
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("SoA 93 · Approved: version 4, 2026-12-01, by CEO"),
        "{text}"
    );

    let mut reg = northwind();
    reg.baselines.clear();
    let mut app = app_with(reg);
    keys(&mut app, "6");
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("SoA 93 · Draft: no approved version"),
        "{text}"
    );
}

// ---------------------------------------------------- item 10: dashboard

#[test]
fn dashboard_with_the_plan_panel() {
    let app = app_with(northwind());
    let text = screen(&app, 120, 40);
    assert!(text.contains("Treatment plan"), "{text}");
    assert!(
        text.contains("SoA v3 approved 2026-06-15 · 3 changes waiting"),
        "{text}"
    );
    assert!(text.contains("Plan approved 2026-11-20 by CEO"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn the_plan_panel_counts_marks_overdue_and_says_what_is_not_approved() {
    let mut reg = northwind();
    reg.plan_approval = None;
    reg.baselines.clear();
    let overdue_before = riskbench::domain::plan::PlanSummary::of(&reg.actions, today()).overdue;
    // One more live action falls due before today, earlier than any other.
    let late = reg
        .actions
        .iter_mut()
        .find(|a| {
            matches!(
                a.status,
                riskbench::domain::schema2::ActionStatus::Open
                    | riskbench::domain::schema2::ActionStatus::InProgress
            )
        })
        .unwrap();
    late.due = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
    let late_id = late.id.clone();
    let s = riskbench::domain::plan::PlanSummary::of(&reg.actions, today());
    assert_eq!(s.overdue, overdue_before + 1);
    let app = app_with(reg);
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&app, w, h);
        assert!(text.contains("Plan: draft, not approved"), "{text}");
        assert!(text.contains("SoA: no approved version"), "{text}");
        assert!(text.contains(&format!("{} open", s.open)), "{text}");
        assert!(text.contains(&format!("{} overdue", s.overdue)), "{text}");
        // The overdue action comes first, marked.
        assert!(
            text.contains(&format!("{late_id} 2026-11-02 overdue")),
            "{text}"
        );
    }
}
