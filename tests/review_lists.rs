//! Every list one key away (issue 12): the Findings view, the Risks table's
//! review filters and Accepted column, and the dashboard's drill-down, all
//! driven through the real default keymap. Expected rows are computed here
//! from the register and `app.doc.analysis()` directly, not through the filters
//! under test; render snapshots at 120×40 at the end.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::time::Duration;

use chrono::NaiveDate;
use common::{app_with as open, keys, northwind_register as northwind, screen as render, today};
use riskbench::app::{App, Modal, View};
use riskbench::domain::{
    Acceptance, Catalog, ControlState, Decision, Register, Risk, RiskEval, Severity, Treatment,
};
use riskbench::keymap::Keymap;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn risk(reg: &Register, id: &str) -> usize {
    reg.risks
        .iter()
        .position(|r| r.id == id)
        .unwrap_or_else(|| panic!("no risk {id}"))
}

fn accept(reg: &mut Register, id: &str, on: &str, until: &str, score: Option<u32>) {
    let i = risk(reg, id);
    reg.risks[i].acceptance = Some(Box::new(Acceptance {
        reason: String::new(),
        by: "CFO".into(),
        on: date(on),
        until: date(until),
        accepted_score: score,
        accepted_controls: None,
    }));
}

/// Northwind with an acceptance in every state (R-006 valid as shipped,
/// R-001 expired, R-013 stale, R-002 not yet in force) and two risks
/// overdue for review.
fn reviewed() -> Register {
    let mut reg = northwind();
    accept(&mut reg, "R-001", "2025-06-01", "2026-06-30", None);
    // Accepted at inherent 4; R-013's inherent is 3×3=9 now.
    accept(&mut reg, "R-013", "2026-10-01", "2027-09-30", Some(4));
    accept(&mut reg, "R-002", "2027-01-01", "2027-12-31", None);
    for id in ["R-005", "R-031"] {
        let i = risk(&reg, id);
        reg.risks[i].reviewed = Some(date("2024-01-01"));
    }
    reg
}

/// Northwind with findings in every section enter can go to: unknown
/// controls on two risks (errors), an impossible effectiveness (a
/// control), a decision without a reason, an asset on an undefined factor,
/// a factor requiring a control that does not exist, and the acceptance
/// warnings of [`reviewed`].
fn with_findings() -> Register {
    let mut reg = reviewed();
    for (id, control) in [("R-009", "A.8.13"), ("R-020", "9.99")] {
        let i = risk(&reg, id);
        reg.risks[i].controls.push(control.into());
    }
    reg.controls.push(ControlState {
        evidence: Vec::new(),
        id: "5.9".into(),
        status: Default::default(),
        effectiveness: 150,
        owner: String::new(),
        note: String::new(),
    });
    reg.decisions.push(Decision {
        control: "5.10".into(),
        applicable: true,
        reason: "  ".into(),
    });
    reg.assets[2].factor = Some("no-such-factor".into());
    reg.factors[0].requires.push("9.1".into());
    reg
}

/// The Risks table's rows with no filter at all: the order every filtered
/// list keeps.
fn all_rows(reg: &Register) -> Vec<usize> {
    let mut app = open(reg.clone());
    keys(&mut app, "2");
    assert_eq!(app.current_table().rows.len(), reg.risks.len());
    app.current_table().rows.clone()
}

/// The rows of `all_rows` that `keep` admits, judged from the register and
/// the analysis.
fn expected(app: &App, keep: impl Fn(usize, &Risk, Option<&RiskEval>) -> bool) -> Vec<usize> {
    all_rows(app.doc.register())
        .into_iter()
        .filter(|&i| {
            let e = app.doc.analysis().eval.risks[i].as_ref();
            keep(i, &app.doc.register().risks[i], e)
        })
        .collect()
}

fn rows(app: &App) -> Vec<usize> {
    assert_eq!(app.view, View::Risks);
    app.current_table().rows.clone()
}

fn ids(app: &App, rows: &[usize]) -> Vec<String> {
    rows.iter()
        .map(|&i| app.doc.register().risks[i].id.to_string())
        .collect()
}

/// Whether `check` calls risk `i`'s acceptance stale.
fn stale_warning(app: &App, i: usize) -> bool {
    app.doc
        .analysis()
        .findings
        .iter()
        .any(|f| f.code == "acceptance-stale" && f.risk == Some(i))
}

// ------------------------------------------------------------ review filters

#[test]
fn each_review_filter_shows_exactly_its_risks_and_toggles_off() {
    let mut app = open(reviewed());
    let all = all_rows(app.doc.register());
    let today = today();

    keys(&mut app, "r a");
    let above = expected(&app, |_, _, e| e.is_some_and(|e| e.above_appetite));
    assert_eq!(rows(&app), above);
    assert_eq!(above.len(), app.doc.stats().above_appetite);
    assert!(!above.is_empty());
    keys(&mut app, "r a");
    assert_eq!(rows(&app), all, "r a again turns it off");

    keys(&mut app, "r o");
    let overdue = expected(&app, |_, _, e| e.is_some_and(|e| e.overdue));
    assert_eq!(ids(&app, &rows(&app)), ids(&app, &overdue));
    assert_eq!(overdue.len(), 2);
    keys(&mut app, "r o");

    keys(&mut app, "r s");
    let out = expected(&app, |_, _, e| e.is_none());
    assert_eq!(rows(&app), out);
    assert_eq!(out.len(), app.doc.stats().out_of_scope);
    assert!(!out.is_empty());
    keys(&mut app, "r s");
    assert_eq!(rows(&app), all);

    // Accepted: valid → expired → stale → off.
    keys(&mut app, "r x");
    let valid = expected(&app, |i, r, e| {
        e.is_some()
            && r.acceptance
                .as_ref()
                .is_some_and(|a| a.on <= today && today <= a.until)
            && !stale_warning(&app, i)
    });
    assert_eq!(ids(&app, &rows(&app)), ids(&app, &valid));
    assert_eq!(ids(&app, &valid), ["R-006"]);
    keys(&mut app, "r x");
    let expired = expected(&app, |_, r, e| {
        e.is_some() && r.acceptance.as_ref().is_some_and(|a| a.until < today)
    });
    assert_eq!(ids(&app, &rows(&app)), ["R-001"]);
    assert_eq!(rows(&app), expired);
    assert_eq!(expired.len(), app.doc.stats().expired_acceptances);
    keys(&mut app, "r x");
    assert_eq!(ids(&app, &rows(&app)), ["R-013"]);
    assert!(stale_warning(&app, risk(app.doc.register(), "R-013")));
    keys(&mut app, "r x");
    assert_eq!(rows(&app), all, "the accepted filter cycles back to off");

    // Level: each level of the method in turn, then off.
    let levels = app.doc.register().method.levels.len();
    for l in 0..levels {
        keys(&mut app, "r l");
        let want = expected(&app, |_, _, e| {
            e.is_some_and(|e| e.residual.level_index() == Some(l))
        });
        assert_eq!(rows(&app), want, "level {l}");
    }
    keys(&mut app, "r l");
    assert_eq!(rows(&app), all);

    // Treatment: each treatment in turn, then off.
    for t in Treatment::ALL {
        keys(&mut app, "r t");
        let want = expected(&app, |_, r, e| e.is_some() && r.treatment == t);
        assert_eq!(rows(&app), want, "{t:?}");
    }
    keys(&mut app, "r t");
    assert_eq!(rows(&app), all);

    // Owner: a picker of owners.
    keys(&mut app, "r w");
    let Some(Modal::Picker(p)) = app.modals.last() else {
        panic!("r w opens the owner picker");
    };
    assert!(p.choices.iter().any(|c| c.label == "CFO"));
    app.type_text("CFO");
    keys(&mut app, "enter");
    let cfo = expected(&app, |_, r, e| e.is_some() && r.owner == "CFO");
    assert_eq!(rows(&app), cfo);
    assert!(cfo.len() >= 3, "{}", cfo.len());
    // Any owner again (the picker opens on the current owner).
    keys(&mut app, "r w");
    app.type_text("any owner");
    keys(&mut app, "enter");
    assert_eq!(rows(&app), all, "the picker's first choice is any owner");

    keys(&mut app, "r a r w");
    app.type_text("COO");
    keys(&mut app, "enter");
    assert_eq!(ids(&app, &rows(&app)), ["R-006"]);
    keys(&mut app, "r r");
    assert_eq!(rows(&app), all, "r r clears every review filter");
    assert!(!app.review.is_active());
}

#[test]
fn a_review_filter_from_another_view_shows_the_risks_with_the_first_row_selected() {
    let mut app = open(reviewed());
    keys(&mut app, "5 G");
    keys(&mut app, "r a");
    assert_eq!(app.view, View::Risks);
    assert_eq!(app.current_table().selected, 0);
    assert_eq!(app.selected_item(), rows(&app).first().copied());
}

#[test]
fn review_filters_and_the_text_filter_both_apply_in_either_order() {
    let reg = reviewed();
    // What the text filter alone shows.
    let mut text_only = open(reg.clone());
    keys(&mut text_only, "2 /");
    text_only.type_text("data");
    keys(&mut text_only, "enter");
    let matched = rows(&text_only);
    assert!(matched.len() > 4 && matched.len() < reg.risks.len());

    // Medium residual (levels: Low, Medium, …) and "data".
    let medium = 1;
    let mut app = open(reg.clone());
    keys(&mut app, "r l r l /");
    app.type_text("data");
    keys(&mut app, "enter");
    let both: Vec<usize> = matched
        .iter()
        .copied()
        .filter(|&i| {
            app.doc.analysis().eval.risks[i]
                .as_ref()
                .is_some_and(|e| e.residual.level_index() == Some(medium))
        })
        .collect();
    assert!(!both.is_empty() && both.len() < matched.len());
    assert_eq!(rows(&app), both);

    // The other way round: text first, then the review filter.
    let mut app = open(reg);
    keys(&mut app, "2 /");
    app.type_text("data");
    keys(&mut app, "enter r l r l");
    assert_eq!(rows(&app), both);
    assert_eq!(app.current_table().filter, "data", "the text filter stays");
    // Clearing the review filters leaves the text filter's rows.
    keys(&mut app, "r r");
    assert_eq!(rows(&app), matched);
}

#[test]
fn review_filters_hold_when_the_text_filter_runs_on_the_worker() {
    use riskbench::domain::generate::generate;
    // Large enough that the risks treated by Modify alone (about 70%)
    // still go to the worker.
    let min = riskbench::app::filter::BACKGROUND_MIN_ROWS;
    let reg = generate(min * 8 / 5, 7);
    // On the spot.
    let mut here = App::new(reg.clone(), None, today(), Keymap::default_keymap());
    keys(&mut here, "r t");
    let modify = here.current_table().rows.clone();
    assert!(modify.len() >= min, "{}", modify.len());
    keys(&mut here, "/");
    here.type_text("phish");
    let want = here.current_table().rows.clone();
    assert!(!want.is_empty() && want.len() < modify.len());
    assert!(want.iter().all(|&i| {
        here.doc.analysis().eval.risks[i].is_some()
            && here.doc.register().risks[i].treatment == Treatment::Modify
    }));

    // As the terminal runtime does it: a worker and deferred matching.
    let mut app = App::new(reg, None, today(), Keymap::default_keymap());
    app.defer_filter = true;
    app.enable_background_filter();
    keys(&mut app, "r t /");
    app.type_text("phish");
    app.flush_filter();
    assert!(app.filter_pending, "a large table is matched on the worker");
    // Wait on the worker itself (60 s only guards against a hang).
    assert!(
        app.sync_filter_worker(Duration::from_secs(60)),
        "the worker never answered"
    );
    app.poll_filter();
    assert!(!app.filter_pending, "the worker's answer did not arrive");
    assert_eq!(app.current_table().rows, want);
}

#[test]
fn the_risks_title_names_the_review_filters() {
    let mut app = open(reviewed());
    keys(&mut app, "r a r w");
    app.type_text("COO");
    keys(&mut app, "enter");
    let screen = render(&app, 120, 40);
    let title = screen.lines().nth(2).unwrap();
    assert!(
        title.contains(" Risks 1 of 40 · above appetite · owner COO "),
        "{title}"
    );
    keys(&mut app, "r r");
    let screen = render(&app, 120, 40);
    let title = screen.lines().nth(2).unwrap();
    assert!(title.contains(" Risks 40 "), "{title}");
    assert!(!title.contains("above appetite"), "{title}");
}

#[test]
fn the_accepted_column_says_valid_expired_stale_or_nothing() {
    let app = open(reviewed());
    let col = View::Risks
        .columns()
        .iter()
        .position(|c| *c == "Accepted")
        .expect("an Accepted column");
    let ctx = app.ctx();
    for (id, want) in [
        ("R-006", "yes"),
        ("R-001", "expired"),
        ("R-013", "stale"),
        ("R-002", "future"),
        ("R-010", ""),
    ] {
        assert_eq!(
            ctx.cell(View::Risks, risk(app.doc.register(), id), col),
            want,
            "{id}"
        );
    }
    // Drawn at 120 columns, next to the risk.
    let mut app = open(reviewed());
    keys(&mut app, "r x r x");
    let screen = render(&app, 120, 40);
    assert!(
        screen.lines().nth(3).unwrap().contains("Accepted"),
        "{screen}"
    );
    let row = screen.lines().find(|l| l.contains("R-001")).unwrap();
    assert!(
        row.trim_end_matches('│').trim_end().ends_with("expired"),
        "{row}"
    );
}

// ------------------------------------------------------------------ findings

#[test]
fn the_findings_view_lists_every_finding_errors_first_grouped_by_code() {
    let mut app = open(with_findings());
    keys(&mut app, "9");
    assert_eq!(app.view, View::Findings);
    let findings = app.doc.analysis().findings.clone();
    let rows = app.current_table().rows.clone();
    assert_eq!(rows.len(), findings.len());
    let mut sorted = rows.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..findings.len()).collect::<Vec<_>>());
    assert!(findings.iter().any(|f| f.severity == Severity::Error));
    assert!(findings.iter().any(|f| f.severity == Severity::Warning));
    // Errors, then warnings.
    let severities: Vec<Severity> = rows.iter().map(|&i| findings[i].severity).collect();
    assert!(
        severities.windows(2).all(|w| w[0] <= w[1]),
        "{severities:?}"
    );
    // Each code's findings together, in check's order.
    let codes: Vec<&str> = rows.iter().map(|&i| findings[i].code).collect();
    for code in &codes {
        let at: Vec<usize> = (0..codes.len()).filter(|&k| codes[k] == *code).collect();
        assert_eq!(at.last().unwrap() - at[0] + 1, at.len(), "{code} split");
        assert!(at.windows(2).all(|w| rows[w[0]] < rows[w[1]]));
    }
    // The Code column counts the group.
    let unknown = rows
        .iter()
        .copied()
        .find(|&i| findings[i].code == "unknown-control")
        .unwrap();
    let n = findings
        .iter()
        .filter(|f| f.code == "unknown-control")
        .count();
    assert!(n >= 3, "{n}");
    assert_eq!(
        app.ctx().cell(View::Findings, unknown, 1),
        format!("unknown-control ({n})")
    );
}

/// Selects the first finding with `code` about `at` and presses enter.
fn enter_on(app: &mut App, code: &str, at: &str) {
    keys(app, "9 g g");
    let rows = app.current_table().rows.clone();
    let pos = rows
        .iter()
        .position(|&i| {
            let f = &app.doc.analysis().findings[i];
            f.code == code && f.at == at
        })
        .unwrap_or_else(|| panic!("no finding {code} at {at}"));
    for _ in 0..pos {
        keys(app, "j");
    }
    keys(app, "enter");
}

#[test]
fn enter_on_a_finding_goes_to_its_item_in_its_view() {
    let mut app = open(with_findings());
    let reg = app.doc.register().clone();
    let catalog = Catalog::annex_a();

    enter_on(&mut app, "unknown-control", "R-009");
    assert_eq!(app.view, View::Risks);
    assert_eq!(app.selected_item(), Some(risk(&reg, "R-009")));

    enter_on(&mut app, "acceptance-expired", "R-001");
    assert_eq!(app.view, View::Risks);
    assert_eq!(app.selected_item(), Some(risk(&reg, "R-001")));

    enter_on(&mut app, "effectiveness", "5.9");
    assert_eq!(app.view, View::Controls);
    assert_eq!(app.selected_item(), catalog.index_of("5.9"));

    enter_on(&mut app, "empty-reason", "5.10");
    assert_eq!(app.view, View::Soa);
    assert_eq!(app.selected_item(), catalog.index_of("5.10"));

    let asset = reg.assets[2].id.to_string();
    enter_on(&mut app, "unknown-factor", &asset);
    assert_eq!(app.view, View::Assets);
    assert_eq!(app.selected_item(), Some(2));

    let factor = reg.factors[0].id.to_string();
    enter_on(&mut app, "unknown-control", &factor);
    assert_eq!(app.view, View::Environment);
    assert_eq!(app.selected_item(), Some(0));
}

#[test]
fn a_finding_hidden_by_filters_is_shown_by_clearing_them() {
    let mut app = open(with_findings());
    // R-009 is neither above appetite nor matches "zzz".
    keys(&mut app, "r a /");
    app.type_text("ransom");
    keys(&mut app, "enter");
    let r009 = risk(app.doc.register(), "R-009");
    assert!(!app.current_table().rows.contains(&r009));
    enter_on(&mut app, "unknown-control", "R-009");
    assert_eq!(app.view, View::Risks);
    assert_eq!(app.selected_item(), Some(r009));
    assert!(!app.review.is_active());
    assert!(app.current_table().filter.is_empty());
    let (msg, _) = app.message.clone().unwrap();
    assert!(msg.contains("filters cleared"), "{msg}");
}

#[test]
fn a_finding_about_the_method_stays_and_says_so() {
    let mut reg = northwind();
    // The last level must reach the highest score (25).
    let last = reg.method.levels.len() - 1;
    reg.method.levels[last].up_to = 20;
    let mut app = open(reg);
    keys(&mut app, "9");
    let row = app
        .current_table()
        .rows
        .iter()
        .position(|&i| app.doc.analysis().findings[i].at == "method")
        .expect("a method finding");
    keys(&mut app, "g g");
    for _ in 0..row {
        keys(&mut app, "j");
    }
    keys(&mut app, "enter");
    assert_eq!(app.view, View::Findings);
    assert!(app.modals.is_empty());
    let (msg, _) = app.message.clone().unwrap();
    assert!(
        msg.contains("method") && msg.contains("fix it in the file"),
        "{msg}"
    );
}

#[test]
fn the_status_bar_count_shows_the_key_that_lists_the_findings() {
    let app = open(with_findings());
    let screen = render(&app, 120, 40);
    let status = screen.lines().last().unwrap();
    let s = &app.doc.stats();
    assert!(
        status.ends_with(&format!(
            "{} errors · {} warnings (9)",
            s.errors, s.warnings
        )),
        "{status}"
    );
    // A clean register has nothing to list: no key. (Northwind has its
    // `soa-unapproved` warning; the NIST example is clean.)
    let nist = riskbench::store::parse_str(
        "nist-800-30.ron",
        include_str!("../registers/nist-800-30.ron"),
    )
    .unwrap()
    .register;
    let clean = open(nist);
    let screen = render(&clean, 120, 40);
    assert!(!screen.lines().last().unwrap().contains("(9)"));
}

// ---------------------------------------------------------------- drill-down

#[test]
fn arrows_move_a_cell_on_the_residual_map_and_enter_lists_its_risks() {
    let mut app = open(reviewed());
    let m = app.doc.register().method.clone();
    let (nl, ni) = (m.likelihood.len() as u32, m.impact.len() as u32);
    // The cursor starts on the top risk's cell.
    let top = app.table(View::Dashboard).rows[0];
    let e = app.doc.analysis().eval.risks[top].clone().unwrap();
    assert_eq!(
        app.dashboard.cell,
        (e.residual.likelihood, e.residual.impact)
    );

    // Edges hold: never off the map, never another view.
    keys(
        &mut app,
        "up up up up up up up right right right right right right",
    );
    assert_eq!(app.view, View::Dashboard);
    assert_eq!(app.dashboard.cell, (nl, ni));
    keys(&mut app, "g g");
    assert_eq!(app.dashboard.cell, (nl, ni));
    keys(&mut app, "G left left left left left left left");
    assert_eq!(app.dashboard.cell, (1, 1));
    assert_eq!(app.view, View::Dashboard);

    // L2 × I3.
    keys(&mut app, "up right right enter");
    assert_eq!(app.view, View::Risks);
    let want = expected(&app, |_, _, e| {
        e.is_some_and(|e| e.residual.likelihood == 2 && e.residual.impact == 3)
    });
    assert_eq!(rows(&app), want);
    assert_eq!(want.len(), app.doc.stats().residual[1][2]);
    assert!(want.len() >= 2);
    assert_eq!(app.review.label(app.doc.register()), "cell L2×I3");
    assert_eq!(app.selected_item(), want.first().copied());
    keys(&mut app, "r r");
    assert_eq!(rows(&app).len(), 40);
}

#[test]
fn drilling_down_replaces_the_filters_so_the_rows_match_the_dashboard() {
    let mut app = open(reviewed());
    keys(&mut app, "2 /");
    app.type_text("ransom");
    keys(&mut app, "enter r o 1 enter");
    let (l, i) = app.dashboard.cell;
    assert_eq!(app.view, View::Risks);
    assert!(app.current_table().filter.is_empty());
    assert_eq!(
        rows(&app).len(),
        app.doc.stats().residual[l as usize - 1][i as usize - 1]
    );
    assert!(!app.review.overdue);
}

#[test]
fn enter_on_a_summary_line_lists_its_risks() {
    let mut app = open(reviewed());
    let today = today();
    // tab: the summary, on "Above appetite".
    keys(&mut app, "tab enter");
    let above = expected(&app, |_, _, e| e.is_some_and(|e| e.above_appetite));
    assert_eq!(rows(&app), above);
    assert_eq!(above.len(), app.doc.stats().above_appetite);

    keys(&mut app, "1 j enter");
    let overdue = expected(&app, |_, _, e| e.is_some_and(|e| e.overdue));
    assert_eq!(rows(&app), overdue);
    assert_eq!(overdue.len(), app.doc.stats().overdue);
    assert_eq!(app.review.label(app.doc.register()), "overdue review");

    keys(&mut app, "1 j enter");
    let expired = expected(&app, |_, r, e| {
        e.is_some() && r.acceptance.as_ref().is_some_and(|a| a.until < today)
    });
    assert_eq!(rows(&app), expired);
    assert_eq!(expired.len(), app.doc.stats().expired_acceptances);
    assert_eq!(expired.len(), 1);

    // The cursor stops at the last line.
    keys(&mut app, "1 j j j");
    assert_eq!(app.dashboard.line, 2);
}

#[test]
fn tab_walks_the_dashboard_panes_then_the_views() {
    use riskbench::app::review::DashFocus;
    let mut app = open(reviewed());
    assert_eq!(app.dashboard.focus, DashFocus::HeatMap);
    // Nothing is selected on the map: quick scoring touches no hidden row.
    keys(&mut app, "L 1");
    assert_eq!(*app.doc.register(), reviewed());
    let (msg, _) = app.message.clone().unwrap();
    assert!(msg.starts_with("No risk selected here: tab"), "{msg}");
    keys(&mut app, "e");
    assert_eq!(app.view, View::Risks, "e on the map lists the cell");
    keys(&mut app, "1");
    assert_eq!(app.dashboard.focus, DashFocus::HeatMap);
    keys(&mut app, "tab");
    assert_eq!(
        (app.view, app.dashboard.focus),
        (View::Dashboard, DashFocus::Summary)
    );
    keys(&mut app, "tab");
    assert_eq!(app.dashboard.focus, DashFocus::TopRisks);
    // The top-risks list edits as before.
    keys(&mut app, "enter");
    assert!(matches!(app.modals.last(), Some(Modal::Form(_))));
    keys(&mut app, "esc tab");
    assert_eq!(app.view, View::Risks);
    keys(&mut app, "backtab");
    assert_eq!(
        (app.view, app.dashboard.focus),
        (View::Dashboard, DashFocus::TopRisks)
    );
    // Off the map, left and right switch views as they always did.
    keys(&mut app, "left");
    assert_eq!(app.view, View::Plan);
    keys(&mut app, "right");
    assert_eq!(
        (app.view, app.dashboard.focus),
        (View::Dashboard, DashFocus::HeatMap)
    );
    keys(&mut app, "backtab");
    assert_eq!(app.view, View::Plan);
}

// ----------------------------------------------------------------- snapshots

#[test]
fn snapshot_findings_view() {
    let mut app = open(with_findings());
    keys(&mut app, "9 j");
    insta::assert_snapshot!(render(&app, 120, 40));
}

#[test]
fn snapshot_risks_with_review_filters() {
    let mut app = open(reviewed());
    keys(&mut app, "r l r l r t");
    insta::assert_snapshot!(render(&app, 120, 40));
}

#[test]
fn snapshot_heat_map_cell_and_its_drill_down() {
    let mut app = open(reviewed());
    keys(&mut app, "down left");
    insta::assert_snapshot!("heat_map_cursor", render(&app, 120, 40));
    keys(&mut app, "enter");
    insta::assert_snapshot!("drilled_down_cell", render(&app, 120, 40));
}

#[test]
fn the_findings_view_follows_an_undo_made_from_it() {
    let mut app = open(reviewed());
    // R-034 is retained at residual 4: likelihood 5 puts it above appetite
    // without an acceptance, a warning of its own.
    let i = risk(app.doc.register(), "R-034");
    keys(&mut app, "2 g g");
    while app.selected_item() != Some(i) {
        keys(&mut app, "j");
    }
    keys(&mut app, "L 5");
    let untreated = |app: &App| {
        app.current_table()
            .rows
            .iter()
            .filter(|&&r| {
                let f = &app.doc.analysis().findings[r];
                f.code == "above-appetite-untreated" && f.at == "R-034"
            })
            .count()
    };
    keys(&mut app, "9");
    assert_eq!(untreated(&app), 1);
    // Undo from the Findings view: the rows are the findings of now.
    keys(&mut app, "u");
    assert_eq!(app.view, View::Findings);
    let mut rows = app.current_table().rows.clone();
    rows.sort_unstable();
    assert_eq!(
        rows,
        (0..app.doc.analysis().findings.len()).collect::<Vec<_>>()
    );
    assert_eq!(untreated(&app), 0);
}
