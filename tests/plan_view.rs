//! The treatment plan in the workbench (issue 15, items 2 and 3): actions
//! planned from a risk row, added, edited, advanced, cancelled and deleted
//! as undoable edits; the Plan view's table, summary line, detail pane and
//! approval title; findings about actions leading to their row; the Risks
//! detail pane listing a risk's actions. Headless, on northwind, through the
//! default keymap, today 2026-12-01.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use chrono::NaiveDate;
use common::{app_with, keys, northwind_app, northwind_register, screen, today};
use riskbench::app::form::{ActionField, Form};
use riskbench::app::{App, Modal, View};
use riskbench::domain::model::{ActionStatus, ControlStatus};
use riskbench::domain::plan::PlanSummary;
use riskbench::keymap::KeyPress;

// ---------------------------------------------------------------- helpers

fn type_keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let effects = app.handle_key(KeyPress::char(c));
        assert!(effects.is_empty(), "typing {c:?} produced {effects:?}");
    }
}

fn top_form(app: &App) -> &Form {
    match app.modals.last() {
        Some(Modal::Form(f)) => f,
        other => panic!("expected a form, got {other:?}"),
    }
}

fn value(app: &App, field: ActionField) -> String {
    top_form(app)
        .field(field)
        .map(|f| f.display())
        .unwrap_or_else(|| panic!("no field {field:?}"))
}

/// Tabs to `field` of the open form.
fn tab_to(app: &mut App, field: ActionField) {
    for _ in 0..20 {
        if top_form(app).focused().map(|f| f.id) == Some(field.into()) {
            return;
        }
        keys(app, "tab");
    }
    panic!("no field {field:?}");
}

/// Shows `view_key`'s view and selects the row of `item` (moving the
/// cursor as a user would).
fn select(app: &mut App, view_key: &str, item: usize) {
    keys(app, view_key);
    common::select_item(app, item);
}

fn risk(app: &App, id: &str) -> usize {
    app.doc
        .register()
        .risks
        .iter()
        .position(|r| r.id == id)
        .unwrap_or_else(|| panic!("no risk {id}"))
}

fn action(app: &App, id: &str) -> usize {
    app.doc
        .register()
        .actions
        .iter()
        .position(|a| a.id == id)
        .unwrap_or_else(|| panic!("no action {id}"))
}

/// The Plan view's summary line as drawn.
fn summary_line(app: &App) -> String {
    screen(app, 120, 40)
        .lines()
        .find(|l| l.trim_start().starts_with("Plan:"))
        .unwrap_or_else(|| panic!("no summary line:\n{}", screen(app, 120, 40)))
        .to_string()
}

/// The count before `word` in the summary line ("2 done" → 2).
fn count(line: &str, word: &str) -> usize {
    let at = line
        .find(&format!(" {word}"))
        .unwrap_or_else(|| panic!("no {word:?} in {line:?}"));
    line[..at]
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count before {word:?} in {line:?}"))
}

fn message(app: &App) -> String {
    app.message.clone().map(|(m, _)| m).unwrap_or_default()
}

/// A northwind risk linking both implemented and not implemented
/// controls: the pre-filled form must leave the implemented ones out.
fn mixed_risk(app: &App) -> (String, Vec<String>) {
    let reg = app.doc.register();
    let implemented = |c: &str| {
        reg.controls
            .iter()
            .any(|s| s.id == c && s.status == ControlStatus::Implemented)
    };
    reg.risks
        .iter()
        .find(|r| {
            r.controls.iter().any(|c| implemented(c)) && r.controls.iter().any(|c| !implemented(c))
        })
        .map(|r| {
            (
                r.id.to_string(),
                r.controls
                    .iter()
                    .filter(|c| !implemented(c))
                    .map(|c| c.to_string())
                    .collect(),
            )
        })
        .expect("northwind has a risk with implemented and open controls")
}

// ---------------------------------------------------------------- tests

#[test]
fn an_action_planned_from_a_risk_row_is_done_today_and_undone_with_the_summary() {
    let mut app = northwind_app();
    let (rid, open_controls) = mixed_risk(&app);
    let ri = risk(&app, &rid);
    select(&mut app, "2", ri);
    keys(&mut app, "T");

    // Pre-filled: the next free id, the risk, its owner, its controls
    // that are not implemented yet; open.
    let owner = app.doc.register().risks[ri].owner.clone();
    assert_eq!(value(&app, ActionField::Id), "ACT-119");
    assert_eq!(value(&app, ActionField::Risks), rid);
    assert_eq!(value(&app, ActionField::Owner), owner);
    assert_eq!(value(&app, ActionField::Controls), open_controls.join(", "));
    assert_eq!(value(&app, ActionField::Status), "Open");
    assert_eq!(
        top_form(&app).focused().map(|f| f.id),
        Some(ActionField::Title.into()),
        "the form opens on the title"
    );
    type_keys(&mut app, "Close the gaps");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty(), "{:?}", app.modals.last());
    let added = app.doc.register().actions.last().unwrap().clone();
    assert_eq!(added.id, "ACT-119");
    assert_eq!(added.title, "Close the gaps");
    assert_eq!(added.status, ActionStatus::Open);
    assert_eq!(added.owner, owner);
    assert_eq!(added.risks.len(), 1);
    assert_eq!(added.risks[0], rid.as_str());
    assert_eq!(added.done_on, None);
    assert_eq!(app.view, View::Risks, "the risk row stays where it was");
    assert_eq!(app.selected_item(), Some(ri));

    // The Plan view: move it on to done.
    let ai = action(&app, "ACT-119");
    select(&mut app, "0", ai);
    let before = summary_line(&app);
    let done_before = count(&before, "done");
    keys(&mut app, "p");
    assert_eq!(
        app.doc.register().actions[ai].status,
        ActionStatus::InProgress
    );
    keys(&mut app, "p");
    let a = &app.doc.register().actions[ai];
    assert_eq!(a.status, ActionStatus::Done);
    assert_eq!(a.done_on, Some(today()));
    let after = summary_line(&app);
    assert_eq!(count(&after, "done"), done_before + 1, "{after}");
    assert_eq!(
        app.doc.plan().summary(),
        PlanSummary::of(&app.doc.register().actions, today())
    );

    // Undo: in progress again, no done day, the summary follows.
    keys(&mut app, "u");
    let a = &app.doc.register().actions[ai];
    assert_eq!(a.status, ActionStatus::InProgress);
    assert_eq!(a.done_on, None);
    let undone = summary_line(&app);
    assert_eq!(count(&undone, "done"), done_before, "{undone}");
    assert_eq!(
        count(&undone, "in progress"),
        count(&before, "in progress") + 1
    );
    assert!(
        message(&app).starts_with("Undone: ACT-119"),
        "{}",
        message(&app)
    );
}

#[test]
fn leaving_done_clears_the_done_day_and_cancelled_costs_nothing() {
    let mut app = northwind_app();
    let ai = action(&app, "ACT-117");
    assert_eq!(app.doc.register().actions[ai].status, ActionStatus::Done);
    select(&mut app, "0", ai);
    keys(&mut app, "p");
    let a = &app.doc.register().actions[ai];
    assert_eq!(a.status, ActionStatus::Open, "a done action opens again");
    assert_eq!(a.done_on, None);

    // Cancelled through the form: effort and cost leave the summary.
    let effort = app.doc.plan().summary().effort_days;
    let cancelled = app.doc.plan().summary().cancelled;
    let own = u64::from(app.doc.register().actions[ai].effort_days.unwrap_or(0));
    assert!(own > 0);
    keys(&mut app, "e");
    tab_to(&mut app, ActionField::Status);
    type_keys(&mut app, "c");
    assert_eq!(value(&app, ActionField::Status), "Cancelled");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty());
    assert_eq!(
        app.doc.register().actions[ai].status,
        ActionStatus::Cancelled
    );
    assert_eq!(app.doc.plan().summary().effort_days, effort - own);
    assert_eq!(app.doc.plan().summary().cancelled, cancelled + 1);
    assert!(
        summary_line(&app).contains(&format!("{} cancelled", cancelled + 1)),
        "{}",
        summary_line(&app)
    );
}

#[test]
fn the_action_form_refuses_bad_values_and_stays_open() {
    let mut app = northwind_app();
    keys(&mut app, "0 a");
    assert_eq!(value(&app, ActionField::Id), "ACT-119");
    let n = app.doc.register().actions.len();
    // No title.
    keys(&mut app, "enter");
    assert!(matches!(app.modals.last(), Some(Modal::Form(_))));
    assert!(
        top_form(&app)
            .error
            .as_deref()
            .unwrap_or("")
            .starts_with("Title"),
        "{:?}",
        top_form(&app).error
    );
    type_keys(&mut app, "Rotate keys");
    for (field, bad, name) in [
        (ActionField::Effort, "-2", "Effort (days)"),
        (ActionField::Cost, "lots", "Cost"),
        (ActionField::Due, "2026-13-01", "Due"),
    ] {
        tab_to(&mut app, field);
        type_keys(&mut app, bad);
        keys(&mut app, "enter");
        let error = top_form(&app).error.clone().unwrap_or_default();
        assert!(error.starts_with(name), "{bad}: {error}");
        assert_eq!(app.doc.register().actions.len(), n);
        // Clear it again.
        for _ in 0..bad.chars().count() {
            keys(&mut app, "backspace");
        }
    }
    tab_to(&mut app, ActionField::Effort);
    type_keys(&mut app, "3");
    tab_to(&mut app, ActionField::Cost);
    type_keys(&mut app, "1200");
    tab_to(&mut app, ActionField::Due);
    type_keys(&mut app, "2027-02-01");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty(), "{:?}", app.modals.last());
    let a = app.doc.register().actions.last().unwrap();
    assert_eq!(
        (a.effort_days, a.cost, a.due),
        (Some(3), Some(1200), NaiveDate::from_ymd_opt(2027, 2, 1))
    );
    // Added from the Plan view: selected there.
    assert_eq!(app.selected_item(), Some(n));
}

#[test]
fn deleting_an_action_asks_first_and_undo_puts_it_back() {
    let mut app = northwind_app();
    let ai = action(&app, "ACT-105");
    let was = app.doc.register().actions.clone();
    select(&mut app, "0", ai);
    keys(&mut app, "d");
    match app.modals.last() {
        Some(Modal::Confirm(c)) => assert!(c.message.contains("ACT-105"), "{}", c.message),
        other => panic!("expected a question, got {other:?}"),
    }
    keys(&mut app, "n");
    assert_eq!(app.doc.register().actions, was, "no deletes nothing");
    keys(&mut app, "d y");
    assert!(!app.doc.register().actions.iter().any(|a| a.id == "ACT-105"));
    assert_eq!(app.doc.register().actions.len(), was.len() - 1);
    keys(&mut app, "u");
    assert_eq!(app.doc.register().actions, was);
}

#[test]
fn the_plan_view_filters_and_sorts_like_the_risks_table() {
    let mut app = northwind_app();
    keys(&mut app, "0");
    assert_eq!(app.view, View::Plan);
    assert_eq!(
        app.current_table().rows.len(),
        app.doc.register().actions.len()
    );
    // An exact id comes first.
    keys(&mut app, "/");
    type_keys(&mut app, "ACT-110");
    keys(&mut app, "enter");
    let first = app.current_table().rows[0];
    assert_eq!(app.doc.register().actions[first].id, "ACT-110");
    assert_eq!(app.selected_item(), Some(first));
    keys(&mut app, "esc");
    // By owner.
    keys(&mut app, "/");
    type_keys(&mut app, "CFO");
    keys(&mut app, "enter");
    // Fuzzy, as on the Risks table, in the table's order: every action the
    // CFO owns is there (titles with "c…fo" may be too), and others are not.
    let rows = app.current_table().rows.clone();
    let actions = &app.doc.register().actions;
    assert!(rows.len() < actions.len(), "{rows:?}");
    for (i, a) in actions.iter().enumerate().filter(|(_, a)| a.owner == "CFO") {
        assert!(rows.contains(&i), "{} missing from {rows:?}", a.id);
    }
    keys(&mut app, "esc");
    assert_eq!(
        app.current_table().rows.len(),
        app.doc.register().actions.len()
    );

    // Sorted by Due (the fifth column), soonest first; S reverses.
    keys(&mut app, "s s s s");
    let dues = |app: &App| -> Vec<Option<NaiveDate>> {
        app.current_table()
            .rows
            .iter()
            .map(|&i| app.doc.register().actions[i].due)
            .collect()
    };
    let d = dues(&app);
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    assert!(screen(&app, 120, 40).contains("sorted by Due ▲"));
    keys(&mut app, "S");
    let d = dues(&app);
    assert!(d.windows(2).all(|w| w[0] >= w[1]), "{d:?}");
    // Cost starts highest first.
    keys(&mut app, "s s s s");
    let costs: Vec<Option<u64>> = app
        .current_table()
        .rows
        .iter()
        .map(|&i| app.doc.register().actions[i].cost)
        .collect();
    assert!(costs.windows(2).all(|w| w[0] >= w[1]), "{costs:?}");
    assert!(screen(&app, 120, 40).contains("sorted by Cost ▼"));
    // Tab reaches the view too: the last one, before the dashboard again.
    keys(&mut app, "9 tab");
    assert_eq!(app.view, View::Plan);
}

/// Northwind with ACT-105 the only overdue action (northwind's own overdue
/// ACT-112 is given a later date) and R-003's only action cancelled.
fn with_an_overdue_action_and_an_unplanned_risk() -> App {
    let mut reg = northwind_register();
    for a in &mut reg.actions {
        if a.id == "ACT-112" {
            a.due = NaiveDate::from_ymd_opt(2027, 1, 31);
        }
        if a.id == "ACT-105" {
            a.status = ActionStatus::Open;
            a.due = NaiveDate::from_ymd_opt(2026, 11, 15);
        }
        if a.id == "ACT-103" {
            a.status = ActionStatus::Cancelled;
        }
    }
    app_with(reg)
}

#[test]
fn an_overdue_action_is_marked_and_its_finding_leads_to_it_in_the_plan_view() {
    let mut app = with_an_overdue_action_and_an_unplanned_risk();
    let ai = action(&app, "ACT-105");
    keys(&mut app, "0");
    let screen_text = screen(&app, 120, 40);
    assert!(screen_text.contains("2026-11-15 !"), "{screen_text}");
    assert!(summary_line(&app).contains("1 overdue"));

    let finding = |app: &App, code: &str| {
        app.doc
            .analysis()
            .findings
            .iter()
            .position(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code} finding"))
    };
    let f = finding(&app, "action-overdue");
    assert_eq!(app.doc.analysis().findings[f].at, "ACT-105");
    select(&mut app, "9", f);
    keys(&mut app, "enter");
    assert_eq!(app.view, View::Plan);
    assert_eq!(app.selected_item(), Some(ai));

    // Even when a filter hides it.
    keys(&mut app, "/");
    type_keys(&mut app, "ACT-110");
    keys(&mut app, "enter");
    select(&mut app, "9", f);
    keys(&mut app, "enter");
    assert_eq!((app.view, app.selected_item()), (View::Plan, Some(ai)));

    // A risk without a live action stays a risk's finding.
    let u = finding(&app, "unplanned-treatment");
    let at = app.doc.analysis().findings[u].at.clone();
    assert_eq!(at, "R-003");
    select(&mut app, "9", u);
    keys(&mut app, "enter");
    assert_eq!(app.view, View::Risks);
    assert_eq!(app.selected_item(), Some(risk(&app, "R-003")));
}

#[test]
fn an_action_naming_a_missing_risk_leads_to_the_action() {
    let mut reg = northwind_register();
    reg.actions[3].risks.push("R-999".into());
    let mut app = app_with(reg);
    let f = app
        .doc
        .analysis()
        .findings
        .iter()
        .position(|f| f.code == "unknown-risk")
        .expect("unknown-risk");
    select(&mut app, "9", f);
    keys(&mut app, "enter");
    assert_eq!((app.view, app.selected_item()), (View::Plan, Some(3)));
    // The detail pane says so.
    assert!(screen(&app, 120, 40).contains("no such risk"));
}

#[test]
fn advancing_an_action_refreshes_the_plan_findings() {
    let mut app = with_an_overdue_action_and_an_unplanned_risk();
    let has = |app: &App, code: &str| app.doc.analysis().findings.iter().any(|f| f.code == code);
    assert!(has(&app, "action-overdue"));
    let ai = action(&app, "ACT-105");
    select(&mut app, "0", ai);
    keys(&mut app, "p p");
    assert!(!has(&app, "action-overdue"), "a done action is not overdue");
    keys(&mut app, "u u");
    assert!(has(&app, "action-overdue"));
}

#[test]
fn the_risks_detail_pane_lists_the_risks_actions() {
    let mut app = northwind_app();
    // ACT-105 (open) and ACT-117 (done).
    let r7 = risk(&app, "R-007");
    select(&mut app, "2", r7);
    let s = screen(&app, 120, 40);
    let line = |id: &str| {
        s.lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id} not in the detail pane:\n{s}"))
            .to_string()
    };
    assert!(line("ACT-105").contains("Open"), "{}", line("ACT-105"));
    assert!(line("ACT-117").contains("Done"), "{}", line("ACT-117"));
    // A risk no action lists.
    let lonely = app
        .doc
        .register()
        .risks
        .iter()
        .position(|r| {
            !app.doc
                .register()
                .actions
                .iter()
                .any(|a| a.risks.contains(&r.id))
        })
        .expect("a risk without actions");
    select(&mut app, "2", lonely);
    assert!(screen(&app, 120, 40).contains("no actions"));
    // The index follows a new action at once.
    let new_index = app.doc.register().actions.len();
    keys(&mut app, "T");
    type_keys(&mut app, "Something");
    keys(&mut app, "enter");
    let s = screen(&app, 120, 40);
    assert!(s.contains("ACT-119 Open"), "{s}");
    assert_eq!(app.doc.plan().actions_of(lonely), [new_index]);
}

#[test]
fn the_plan_detail_pane_shows_residual_and_target_of_each_risk() {
    let mut app = northwind_app();
    let ai = action(&app, "ACT-103");
    select(&mut app, "0", ai);
    let r = risk(&app, "R-003");
    let e = app.doc.analysis().eval.risks[r].clone().unwrap();
    let m = &app.doc.register().method;
    let expected = format!(
        "R-003    {} {} → {} {}",
        e.residual.score,
        e.residual.level_name(m),
        e.target.score,
        e.target.level_name(m)
    );
    let s = screen(&app, 120, 40);
    assert!(s.contains(&expected), "{expected:?} not in\n{s}");
    assert!(s.contains("Approved: 2026-11-20 by CEO"), "{s}");
}

#[test]
fn a_plan_without_approval_says_draft_in_the_title() {
    let mut reg = northwind_register();
    reg.plan_approval = None;
    let mut app = app_with(reg);
    keys(&mut app, "0");
    let s = screen(&app, 120, 40);
    let title = s.lines().nth(2).unwrap();
    assert!(title.contains("Draft: not approved"), "{title}");
}

#[test]
fn snapshot_plan_view() {
    let mut app = northwind_app();
    keys(&mut app, "0");
    insta::assert_snapshot!(screen(&app, 120, 40));
}

#[test]
fn an_actions_risks_and_controls_are_linked_with_the_pickers() {
    let mut app = northwind_app();
    let ai = action(&app, "ACT-101");
    select(&mut app, "0", ai);
    keys(&mut app, "e");
    tab_to(&mut app, ActionField::Risks);
    keys(&mut app, "ctrl-l");
    match app.modals.last() {
        Some(Modal::Picker(p)) => assert!(p.choices.iter().any(|c| c.value == "R-002")),
        other => panic!("expected the risk picker, got {other:?}"),
    }
    type_keys(&mut app, "R-002");
    keys(&mut app, "enter");
    assert_eq!(value(&app, ActionField::Risks), "R-001, R-002");
    // From the title, ctrl-l adds a control (not a risk).
    tab_to(&mut app, ActionField::Title);
    keys(&mut app, "ctrl-l");
    type_keys(&mut app, "5.1");
    keys(&mut app, "enter");
    assert!(
        value(&app, ActionField::Controls).ends_with(", 5.1"),
        "{}",
        value(&app, ActionField::Controls)
    );
    keys(&mut app, "enter");
    let a = &app.doc.register().actions[ai];
    assert_eq!(a.risks.len(), 2);
    assert!(a.controls.iter().any(|c| *c == "5.1"));
    // One undo takes the whole form's change back.
    keys(&mut app, "u");
    assert_eq!(
        app.doc.register().actions[ai],
        northwind_register().actions[ai]
    );
}
