//! The review queue (issue 17, item 2): its order and reasons on a register
//! built by hand with one risk per reason, and a workshop walking it in the
//! focus view — `n` to the next risk, `L`/`I` to score, `m` to mark it
//! reviewed today — the queue shrinking, and undo putting it back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use chrono::NaiveDate;
use common::{app_with, keys, northwind_app, northwind_register, today};
use riskbench::app::View;
use riskbench::domain::review_queue::{ReviewQueue, Section};
use riskbench::domain::{Acceptance, Analysis, Register, Risk};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A risk on northwind's A-03 / T-03 (threat shift 0), no controls, so its
/// current residual is its inherent score.
fn risk(id: &str, l: u32, i: u32, reviewed: Option<&str>) -> Risk {
    let mut r = northwind_register().risks[2].clone();
    assert_eq!((r.asset.as_str(), r.threat.as_str()), ("A-03", "T-03"));
    r.id = id.into();
    r.title = format!("risk {id}");
    r.likelihood = l;
    r.impact = i;
    r.reviewed = reviewed.map(day);
    r.controls.clear();
    r.residual = None;
    r.acceptance = None;
    r.factor = None;
    r
}

fn acceptance(until: &str, score: Option<u32>) -> Option<Box<Acceptance>> {
    Some(Box::new(Acceptance {
        by: "CEO".into(),
        on: day("2026-01-01"),
        until: day(until),
        accepted_score: score,
        accepted_controls: Some(Vec::new()),
        reason: "agreed".into(),
    }))
}

/// Northwind's method, assets and threats (appetite 9; Low reviewed
/// yearly, High every 90 days) with one risk per reason, in a register
/// order unlike the queue's.
fn one_per_reason() -> Register {
    let mut reg = northwind_register();
    reg.actions.clear();
    let mut rest = risk("R-F", 2, 2, Some("2026-11-20"));
    rest.title = "nothing urgent".into();
    let mut expired = risk("R-D", 2, 2, Some("2026-11-20"));
    expired.acceptance = acceptance("2026-06-30", Some(4));
    // Accepted at 9, now 4: the acceptance no longer describes it.
    let mut stale = risk("R-E", 2, 2, Some("2026-11-20"));
    stale.acceptance = acceptance("2027-06-30", Some(9));
    // Above appetite, but accepted as it is: decided, so only confirmed.
    let mut accepted = risk("R-ACC", 4, 4, Some("2026-11-01"));
    accepted.acceptance = acceptance("2027-06-30", Some(16));
    let mut out_of_scope = risk("R-OUT", 1, 1, None);
    out_of_scope.factor = Some("premises".into());
    reg.risks = vec![
        rest,
        risk("R-B", 2, 2, Some("2020-01-01")),
        stale,
        risk("R-C", 4, 4, Some("2026-11-01")),
        risk("R-TODAY", 1, 1, Some("2026-12-01")),
        expired,
        accepted,
        risk("R-A", 1, 1, None),
        out_of_scope,
        risk("R-B2", 2, 2, None),
    ];
    reg
}

fn queue_of(reg: &Register) -> ReviewQueue {
    let analysis = Analysis::new(reg, today());
    assert!(!analysis.has_errors(), "{:?}", analysis.findings);
    ReviewQueue::build(reg, &analysis.eval, today())
}

#[test]
fn the_queue_orders_one_risk_per_reason_and_says_why() {
    let reg = one_per_reason();
    let analysis = Analysis::new(&reg, today());
    let q = queue_of(&reg);
    let rows: Vec<(&str, Section, String)> = q
        .entries()
        .iter()
        .map(|e| {
            let r = &reg.risks[e.risk];
            let ev = analysis.eval.risks[e.risk].as_ref().unwrap();
            (
                r.id.as_str(),
                e.section,
                riskbench::domain::review_queue::reason(&reg, r, ev, today()),
            )
        })
        .collect();
    let expected: Vec<(&str, Section, String)> = vec![
        (
            "R-A",
            Section::NeverScored,
            "never scored; never reviewed".into(),
        ),
        ("R-B2", Section::OverdueReview, "never reviewed".into()),
        (
            "R-B",
            Section::OverdueReview,
            "review overdue (due 2020-12-31)".into(),
        ),
        (
            "R-C",
            Section::AboveAppetite,
            "above appetite (16 > 9)".into(),
        ),
        (
            "R-D",
            Section::Acceptance,
            "acceptance expired 2026-06-30".into(),
        ),
        (
            "R-E",
            Section::Acceptance,
            "acceptance stale (the risk changed)".into(),
        ),
        (
            "R-ACC",
            Section::Rest,
            "confirm (next review 2027-01-30)".into(),
        ),
        (
            "R-F",
            Section::Rest,
            "confirm (next review 2027-11-20)".into(),
        ),
    ];
    assert_eq!(rows, expected);
    // Reviewed today, and out of scope: not in the queue at all.
    let at = |id: &str| reg.risks.iter().position(|r| r.id == id).unwrap();
    assert_eq!(q.rank(at("R-TODAY")), None);
    assert_eq!(q.rank(at("R-OUT")), None);
    assert_eq!(q.rank(at("R-A")), Some(0));
    assert_eq!(
        q.section_counts(),
        vec![
            (Section::NeverScored, 1),
            (Section::OverdueReview, 2),
            (Section::AboveAppetite, 1),
            (Section::Acceptance, 2),
            (Section::Rest, 2),
        ]
    );
}

#[test]
fn a_risk_reviewed_today_leaves_the_queue_whatever_else_holds() {
    let mut reg = one_per_reason();
    let before = queue_of(&reg).len();
    // Above appetite, expired acceptance, never scored: each one reviewed.
    for id in ["R-C", "R-D", "R-A"] {
        let r = reg.risks.iter_mut().find(|r| r.id == id).unwrap();
        r.reviewed = Some(today());
    }
    let q = queue_of(&reg);
    assert_eq!(q.len(), before - 3);
    let ids: Vec<&str> = q
        .entries()
        .iter()
        .map(|e| reg.risks[e.risk].id.as_str())
        .collect();
    assert_eq!(ids, ["R-B2", "R-B", "R-E", "R-ACC", "R-F"]);
}

#[test]
fn the_queue_view_lists_rank_id_title_and_reason_and_enter_opens_the_focus_view() {
    let mut app = app_with(one_per_reason());
    keys(&mut app, "Q");
    assert_eq!(app.view, View::Queue);
    let rows: Vec<usize> = app.current_table().rows.clone();
    let ids: Vec<&str> = rows
        .iter()
        .map(|&i| app.doc.register().risks[i].id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["R-A", "R-B2", "R-B", "R-C", "R-D", "R-E", "R-ACC", "R-F"]
    );
    let screen = common::screen(&app, 120, 30);
    assert!(screen.contains("Review queue"), "{screen}");
    let line = screen.lines().find(|l| l.contains("risk R-C")).unwrap();
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert!(cells.contains(&"4") && cells.contains(&"R-C"), "{line}");
    assert!(line.contains("above appetite (16 > 9)"), "{line}");
    // Enter on the fourth row: R-C in the focus view; esc back to the list.
    keys(&mut app, "j j j enter");
    assert_eq!(app.view, View::Focus);
    let c = app.doc.register().risks.iter().position(|r| r.id == "R-C");
    assert_eq!(app.selected_item(), c);
    keys(&mut app, "esc");
    assert_eq!(app.view, View::Queue);
    assert_eq!(app.selected_item(), c);
}

#[test]
fn walking_the_queue_scoring_and_marking_reviewed_shrinks_it_and_undo_restores_it() {
    let mut app = northwind_app();
    app.present();
    assert_eq!(app.view, View::Focus);
    let start = app.queue().len();
    assert!(start > 3);
    let first = app.queue().get(0).unwrap().risk;
    let second = app.queue().get(1).unwrap().risk;
    let third = app.queue().get(2).unwrap().risk;
    assert_eq!(app.selected_item(), Some(first));
    // n: the second risk of the queue, shown and selected in the Risks table.
    keys(&mut app, "n");
    assert_eq!(app.selected_item(), Some(second));
    assert_eq!(app.table(View::Risks).selected_item(), Some(second));
    // The room scores it: L and I work in the focus view.
    keys(&mut app, "L 2 I 3");
    let r = &app.doc.register().risks[second];
    assert_eq!((r.likelihood, r.impact), (2, 3));
    let was = r.reviewed;
    assert_ne!(was, Some(today()));
    // m: reviewed today, and out of the queue.
    keys(&mut app, "m");
    assert_eq!(
        app.doc.register().risks[second].reviewed,
        Some(today()),
        "{:?}",
        app.message
    );
    assert_eq!(app.queue().len(), start - 1);
    assert_eq!(app.queue().rank(second), None);
    let screen = common::screen(&app, 80, 24);
    assert!(
        screen.contains(&format!("reviewed today · {} left", start - 1)),
        "{screen}"
    );
    // n goes on with the risk that took its place.
    keys(&mut app, "n");
    assert_eq!(app.selected_item(), Some(third));
    // p goes back to the first (the reviewed one is no longer in the queue).
    keys(&mut app, "p");
    assert_eq!(app.selected_item(), Some(first));
    keys(&mut app, "p");
    assert_eq!(app.selected_item(), Some(first));
    assert!(
        app.message
            .as_ref()
            .is_some_and(|(m, _)| m.contains("Start of the review queue"))
    );
    // One undo takes the review back, and the queue has it again.
    keys(&mut app, "u");
    assert_eq!(app.doc.register().risks[second].reviewed, was);
    assert_eq!(app.queue().len(), start);
    assert!(app.queue().rank(second).is_some());
    // Two more take back the scores: the risk is second again.
    keys(&mut app, "u u");
    assert_eq!(app.queue().rank(second), Some(1));
    let original = &northwind_register().risks[second];
    let r = &app.doc.register().risks[second];
    assert_eq!(
        (r.likelihood, r.impact),
        (original.likelihood, original.impact)
    );
    assert!(!app.is_dirty());
}

#[test]
fn marking_reviewed_works_from_the_risks_table_and_says_when_it_already_is() {
    let mut app = app_with(one_per_reason());
    keys(&mut app, "2");
    let a = app
        .doc
        .register()
        .risks
        .iter()
        .position(|r| r.id == "R-A")
        .unwrap();
    common::select_item(&mut app, a);
    let before = app.queue().len();
    keys(&mut app, "m");
    assert_eq!(app.doc.register().risks[a].reviewed, Some(today()));
    assert_eq!(app.queue().len(), before - 1);
    keys(&mut app, "m");
    assert!(
        app.message
            .as_ref()
            .is_some_and(|(m, _)| m.contains("already marked reviewed today")),
        "{:?}",
        app.message
    );
    assert_eq!(app.doc.history().undo_len(), 1);
}

#[test]
fn the_queue_is_built_once_per_change_not_per_frame() {
    let mut app = northwind_app();
    keys(&mut app, "Q");
    let built = app.workshop.queue.clone();
    // Drawing does not rebuild it (it only borrows the app), and nothing
    // changed: the same queue.
    let _ = common::screen(&app, 120, 40);
    assert_eq!(app.workshop.queue, built);
    // A change to a risk rebuilds it while the queue is shown.
    let top = built.get(0).unwrap().risk;
    keys(&mut app, "m");
    assert_eq!(app.doc.register().risks[top].reviewed, Some(today()));
    assert_eq!(app.workshop.queue.rank(top), None);
    assert_eq!(app.current_table().rows.len(), built.len() - 1);
}
