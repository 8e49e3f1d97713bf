//! The focus view (issue 17, item 1): one risk filling the screen from
//! 80×24 to 200×60 (snapshots, tests/snapshots/focus_view__*.snap), the
//! full title however long, every risk action working on the risk shown,
//! the `focus` keymap context (`n`/`p` over the table's keys), `F`/esc in
//! and out, and `riskbench FILE --present`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use clap::Parser;
use common::{app_with, keys, northwind_app, northwind_register, screen, select_item};
use riskbench::app::action::Action;
use riskbench::app::{App, Modal, View};
use riskbench::keymap::{Context, Keymap, Lookup, parse_keys};

/// Northwind opened as `riskbench northwind.ron --present` opens it.
fn presented() -> App {
    let mut app = northwind_app();
    app.present();
    app
}

fn position(app: &App, id: &str) -> usize {
    app.doc
        .register()
        .risks
        .iter()
        .position(|r| r.id == id)
        .unwrap()
}

#[test]
fn focus_view_80x24() {
    let app = presented();
    let s = screen(&app, 80, 24);
    // The whole title and the grid with its legend, even here.
    let risk = &app.doc.register().risks[app.selected_item().unwrap()];
    assert!(s.contains(risk.title.as_str()), "{s}");
    assert!(s.contains("Likelihood × impact"), "{s}");
    assert!(s.contains("C  current"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn focus_view_120x40() {
    insta::assert_snapshot!(screen(&presented(), 120, 40));
}

#[test]
fn focus_view_200x60() {
    insta::assert_snapshot!(screen(&presented(), 200, 60));
}

#[test]
fn focus_view_of_an_accepted_risk_120x40() {
    // R-006: accepted by the CFO, with a reason.
    let mut app = northwind_app();
    keys(&mut app, "2");
    let r = position(&app, "R-006");
    select_item(&mut app, r);
    keys(&mut app, "F");
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("Acceptance: valid, by CFO until 2027-09-30"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn review_queue_list_120x40() {
    let mut app = northwind_app();
    keys(&mut app, "Q");
    insta::assert_snapshot!(screen(&app, 120, 40));
}

#[test]
fn a_long_title_and_vulnerability_wrap_and_are_never_cut() {
    let mut reg = northwind_register();
    let title = "Ransomware operators encrypt the customer analytics warehouse, \
                 its nightly snapshots and the backup vault in one night, after \
                 phishing a finance assistant whose laptop still had the old VPN";
    let vulnerability = "Backups share credentials with production; no immutable copy; \
                         MFA is not enforced on the VPN for contractors";
    reg.risks[0].title = title.into();
    reg.risks[0].vulnerability = vulnerability.into();
    let mut app = app_with(reg);
    keys(&mut app, "2");
    select_item(&mut app, 0);
    keys(&mut app, "F");
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let s = screen(&app, w, h);
        let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(title), "{w}×{h}:\n{s}");
        assert!(flat.contains(vulnerability), "{w}×{h}:\n{s}");
        assert!(s.contains("Likelihood × impact"), "{w}×{h}:\n{s}");
        assert!(
            !s.contains('…') || s.contains("more lines"),
            "{w}×{h}:\n{s}"
        );
    }
}

#[test]
fn f_opens_the_selected_risk_and_f_or_esc_return_to_where_it_came_from() {
    let mut app = northwind_app();
    keys(&mut app, "2");
    let r = position(&app, "R-010");
    select_item(&mut app, r);
    keys(&mut app, "F");
    assert_eq!(app.view, View::Focus);
    assert_eq!(app.context(), Context::Focus);
    assert_eq!(app.selected_item(), Some(r));
    assert!(screen(&app, 120, 40).contains(" R-010 "));
    keys(&mut app, "F");
    assert_eq!(app.view, View::Risks);
    assert_eq!(app.selected_item(), Some(r));
    keys(&mut app, "F esc");
    assert_eq!(app.view, View::Risks);
    // j/k move through the Risks table the focus view shows.
    keys(&mut app, "F j");
    assert_eq!(app.view, View::Focus);
    assert_ne!(app.selected_item(), Some(r));
    assert_eq!(app.selected_item(), app.table(View::Risks).selected_item());
}

#[test]
fn risk_actions_work_on_the_risk_the_focus_view_shows() {
    let mut app = northwind_app();
    keys(&mut app, "2");
    let r = position(&app, "R-010");
    select_item(&mut app, r);
    keys(&mut app, "F");
    let id = "R-010";
    // Quick scoring.
    keys(&mut app, "L 1 I 1");
    let risk = &app.doc.register().risks[r];
    assert_eq!((risk.likelihood, risk.impact), (1, 1));
    // Edit (treatment and the rest of the risk), accept, link a control,
    // plan an action: each opens on this risk.
    let top_title = |app: &App| match app.modals.last() {
        Some(Modal::Form(f)) => f.title.clone(),
        Some(Modal::Picker(p)) => p.title.clone(),
        other => panic!("no form or picker: {other:?}"),
    };
    for (k, expect) in [
        ("e", id),
        ("x", "Accept risk R-010"),
        ("c", "Link a control to R-010"),
        ("T", id),
    ] {
        keys(&mut app, k);
        let t = top_title(&app);
        assert!(t.contains(expect), "{k}: {t}");
        keys(&mut app, "esc");
        assert!(app.modals.is_empty() || matches!(app.modals.last(), Some(Modal::Confirm(_))));
        app.modals.clear();
        assert_eq!(app.view, View::Focus);
    }
}

#[test]
fn the_focus_context_binds_n_and_p_over_the_table_keys() {
    for name in ["default", "vim"] {
        let map = Keymap::named_or_path(name).unwrap();
        let look = |ctx, s: &str| map.lookup(ctx, &parse_keys(s).unwrap());
        assert_eq!(
            look(Context::Focus, "n"),
            Lookup::Action(Action::NextInQueue)
        );
        assert_eq!(
            look(Context::Focus, "p"),
            Lookup::Action(Action::PrevInQueue)
        );
        // The table's own `p` is unchanged; its other keys reach the focus
        // view, and so do the global ones.
        assert_eq!(
            look(Context::Table, "p"),
            Lookup::Action(Action::AdvanceAction)
        );
        assert_eq!(
            look(Context::Focus, "L 3"),
            Lookup::Action(Action::SetLikelihood(3))
        );
        assert_eq!(
            look(Context::Focus, "m"),
            Lookup::Action(Action::MarkReviewed)
        );
        assert_eq!(look(Context::Focus, "F"), Lookup::Action(Action::ShowFocus));
        assert_eq!(look(Context::Focus, "q"), Lookup::Action(Action::Quit));
        assert!(matches!(look(Context::Focus, "L"), Lookup::Pending(_)));
    }
}

#[test]
fn a_user_keymap_may_rebind_the_focus_context_and_keymap_check_knows_it() {
    let src =
        r#"(version: 1, contexts: { focus: { "j": NextInQueue, "k": PrevInQueue, "n": NoOp } })"#;
    let user = Keymap::parse("user.ron", src).unwrap();
    let mut map = Keymap::default_keymap();
    map.merge_over(user);
    let look = |ctx, s: &str| map.lookup(ctx, &parse_keys(s).unwrap());
    assert_eq!(
        look(Context::Focus, "j"),
        Lookup::Action(Action::NextInQueue)
    );
    assert_eq!(look(Context::Focus, "n"), Lookup::Unbound);
    assert_eq!(look(Context::Table, "j"), Lookup::Action(Action::MoveDown));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keymap.ron");
    std::fs::write(&file, src).unwrap();
    let run = common::run_today(&["keymap", "check", common::p(&file)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("OK: 2 bindings in 1 context"),
        "{}",
        run.stdout
    );
    // A misspelt context is refused with the valid names, focus among them.
    std::fs::write(
        &file,
        r#"(version: 1, contexts: { focs: { "n": NextInQueue } })"#,
    )
    .unwrap();
    let run = common::run_today(&["keymap", "check", common::p(&file)]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("focus"), "{}", run.stderr);
}

#[test]
fn present_is_a_flag_of_the_workbench_command_line() {
    let cli =
        riskbench::cli::Cli::try_parse_from(["riskbench", "northwind.ron", "--present"]).unwrap();
    assert!(cli.present);
    assert_eq!(
        cli.file.as_deref(),
        Some(std::path::Path::new("northwind.ron"))
    );
    let cli = riskbench::cli::Cli::try_parse_from(["riskbench", "northwind.ron"]).unwrap();
    assert!(!cli.present);
    // Not a flag of the commands.
    assert!(
        riskbench::cli::Cli::try_parse_from(["riskbench", "check", "x.ron", "--present"]).is_err()
    );
}

#[test]
fn present_opens_the_focus_view_on_the_first_risk_of_the_queue_and_esc_shows_the_queue() {
    let mut app = presented();
    assert_eq!(app.view, View::Focus);
    let first = app.queue().get(0).unwrap().risk;
    assert_eq!(app.selected_item(), Some(first));
    let len = app.queue().len();
    let s = screen(&app, 80, 24);
    assert!(s.contains(&format!("queue 1 of {len}")), "{s}");
    keys(&mut app, "esc");
    assert_eq!(app.view, View::Queue);
    assert_eq!(app.selected_item(), Some(first));
}

#[test]
fn the_focus_view_and_the_queue_stay_out_of_the_tab_bar() {
    let mut app = northwind_app();
    keys(&mut app, "2");
    for _ in 0..12 {
        keys(&mut app, "tab");
        assert!(!matches!(app.view, View::Focus | View::Queue));
    }
}

#[test]
fn deleting_the_shown_risk_an_out_of_scope_risk_an_empty_register_and_a_ten_point_scale_draw() {
    // Deleting the risk on screen: another is shown, undo brings it back.
    let mut app = presented();
    let shown = app.selected_item().unwrap();
    let id = app.doc.register().risks[shown].id.clone();
    keys(&mut app, "d y");
    assert!(app.doc.register().risks.iter().all(|r| r.id != id));
    assert_eq!(app.view, View::Focus);
    for (w, h) in [(80, 24), (200, 60)] {
        let s = screen(&app, w, h);
        assert!(s.contains("FOCUS"), "{s}");
    }
    keys(&mut app, "u");
    assert!(app.doc.register().risks.iter().any(|r| r.id == id));
    let _ = screen(&app, 80, 24);

    // An out-of-scope risk: said instead of a grid.
    let mut reg = northwind_register();
    reg.risks[0].factor = Some("premises".into());
    let mut app = app_with(reg);
    keys(&mut app, "2");
    select_item(&mut app, 0);
    keys(&mut app, "F");
    let s = screen(&app, 80, 24);
    assert!(s.contains("Out of scope: not scored"), "{s}");
    assert!(s.contains("out of scope"), "{s}");

    // No risks at all: --present says the queue is empty, the view says
    // there is nothing to show.
    let mut reg = northwind_register();
    reg.risks.clear();
    reg.actions.clear();
    let mut app = app_with(reg);
    app.present();
    assert_eq!(app.view, View::Focus);
    assert!(screen(&app, 80, 24).contains("No risk to show"));
    keys(&mut app, "n p m L 3");
    let _ = screen(&app, 80, 24);

    // Ten-point scales on the smallest screen: the grid still fits.
    let mut reg = northwind_register();
    reg.method.likelihood = (1..=10).map(|n| format!("L{n}")).collect();
    reg.method.impact = (1..=10).map(|n| format!("I{n}")).collect();
    reg.method.levels.last_mut().unwrap().up_to = 100;
    let mut app = app_with(reg);
    app.present();
    let s = screen(&app, 80, 24);
    assert!(s.contains("Likelihood × impact"), "{s}");
    assert!(s.contains("C  current"), "{s}");
}

/// `riskbench FILE --present` in a pseudo-terminal at 80×24: the binary
/// opens straight into the focus view on the queue's first risk.
#[test]
fn riskbench_file_present_opens_the_focus_view_in_a_real_terminal() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    let (dir, _file) = common::northwind_copy();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_riskbench"));
    cmd.args(["northwind.ron", "--present", "--today", common::TODAY]);
    cmd.cwd(dir.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CONFIG_HOME", dir.path().join("no-config"));
    cmd.env("XDG_STATE_HOME", dir.path().join("state"));
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let screen = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(24).unwrap(),
        std::num::NonZeroU16::new(80).unwrap(),
        0,
    )));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let sink = Arc::clone(&screen);
    let reading = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().process(&buf[..n]);
        }
    });
    let contents = || screen.lock().unwrap().screen().contents();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !(contents().contains("FOCUS") && contents().contains("Likelihood × impact"))
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    let shown = contents();
    let mut writer = pair.master.take_writer().unwrap();
    writer.write_all(b"q").unwrap();
    let status = child.wait().unwrap();
    drop(writer);
    drop(pair.master);
    let _ = reading.join();
    assert!(shown.contains("FOCUS"), "{shown}");
    assert!(shown.contains("R-003"), "{shown}");
    assert!(shown.contains("queue 1 of 38"), "{shown}");
    assert!(
        shown.contains("Unpatched web framework exploited in the SaaS platform"),
        "{shown}"
    );
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_note_added_in_the_focus_view_shows_there_at_once_newest_first() {
    let mut app = northwind_app();
    keys(&mut app, "2");
    let r = position(&app, "R-010");
    select_item(&mut app, r);
    keys(&mut app, "F");
    assert!(!screen(&app, 120, 40).contains("Notes ("));
    for text in [
        "Insurer asks for offline backups",
        "Restore drill booked for January",
    ] {
        keys(&mut app, "N");
        // The first note asks who; the second starts on its text, the
        // author remembered.
        if text.starts_with("Insurer") {
            app.paste("Ana Lopez");
            keys(&mut app, "tab");
        }
        app.paste(text);
        keys(&mut app, "enter");
        assert!(app.modals.is_empty(), "{:?}", app.message);
    }
    assert_eq!(app.view, View::Focus);
    let s = screen(&app, 120, 40);
    assert!(s.contains("Notes (2)"), "{s}");
    let newest = s.find("Restore drill booked").expect("the newest note");
    let oldest = s.find("Insurer asks for").expect("the older note");
    assert!(newest < oldest, "newest first:\n{s}");
    assert!(
        s.contains("Ana Lopez: Restore drill booked for January"),
        "{s}"
    );
}
