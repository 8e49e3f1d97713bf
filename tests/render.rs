//! Render tests: the real `ui::draw` into ratatui's `TestBackend`, driven by
//! key strings through the real default keymap, with "today" fixed so the
//! snapshots (tests/snapshots/render__*.snap) are stable. Plus a size sweep
//! and hostile register text, which must never panic or leak control
//! characters to the terminal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::PathBuf;

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use riskbench::app::App;
use riskbench::keymap::Keymap;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn northwind() -> App {
    open("registers/northwind.ron")
}

fn open(file: &str) -> App {
    let path = PathBuf::from(file);
    let loaded = riskbench::store::load_file(&path).expect("northwind loads");
    App::new(
        loaded.register,
        Some(path),
        today(),
        Keymap::default_keymap(),
    )
}

fn keys(app: &mut App, keys: &str) {
    app.handle_keys(keys).expect("keys parse");
}

fn render(app: &App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| riskbench::ui::draw(f, app)).unwrap();
    term.backend().buffer().clone()
}

/// The buffer as text, one line per row, trailing spaces removed; cells
/// hidden behind a wide character are skipped.
fn text(buf: &Buffer) -> String {
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

fn snap(app: &App, w: u16, h: u16) -> String {
    text(&render(app, w, h))
}

#[test]
fn dashboard() {
    let app = northwind();
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn risks_with_detail() {
    let mut app = northwind();
    keys(&mut app, "2");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn risks_wide_detail_on_the_right() {
    let mut app = northwind();
    keys(&mut app, "2 j");
    insta::assert_snapshot!(snap(&app, 180, 45));
}

#[test]
fn risks_filtered() {
    let mut app = northwind();
    keys(&mut app, "2 /");
    app.type_text("ransom");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn assets() {
    let mut app = northwind();
    keys(&mut app, "3");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn threats() {
    let mut app = northwind();
    keys(&mut app, "4");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn controls() {
    let mut app = northwind();
    keys(&mut app, "5");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn soa() {
    let mut app = northwind();
    keys(&mut app, "6");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn soa_filtered_excluded() {
    let mut app = northwind();
    keys(&mut app, "6 f f");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn environment() {
    let mut app = northwind();
    keys(&mut app, "7");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn help_popup() {
    let mut app = northwind();
    keys(&mut app, "?");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn palette() {
    let mut app = northwind();
    keys(&mut app, ":");
    app.type_text("sav");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn risk_form() {
    let mut app = northwind();
    keys(&mut app, "2 e");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn control_picker() {
    let mut app = northwind();
    keys(&mut app, "2 c");
    app.type_text("backup");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn which_key_after_l() {
    let mut app = northwind();
    keys(&mut app, "2 L");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn confirm_delete() {
    let mut app = northwind();
    keys(&mut app, "2 d");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn quick_score_marks_dirty() {
    let mut app = northwind();
    keys(&mut app, "2 L 1");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn too_small() {
    let app = northwind();
    insta::assert_snapshot!(snap(&app, 60, 20));
}

#[test]
fn minimum_size() {
    let mut app = northwind();
    keys(&mut app, "2");
    insta::assert_snapshot!(snap(&app, 80, 24));
}

/// Every width 1..=200 at a few heights and every height 1..=60 at a few
/// widths (plus zero sizes), one terminal resized through all of them like
/// a user dragging the window: no panic, ever.
fn sweep(states: &[&str]) {
    let mut sizes = Vec::new();
    for h in [1u16, 2, 12, 24, 40, 60] {
        for w in 1u16..=200 {
            sizes.push((w, h));
        }
    }
    for w in [1u16, 3, 79, 80, 81, 120, 200] {
        for h in 1u16..=60 {
            sizes.push((w, h));
        }
    }
    sizes.extend([(0, 0), (0, 30), (100, 0)]);
    for k in states {
        let mut app = northwind();
        keys(&mut app, k);
        let mut term = Terminal::new(TestBackend::new(1, 1)).unwrap();
        for &(w, h) in &sizes {
            term.backend_mut().resize(w, h);
            term.draw(|f| riskbench::ui::draw(f, &app)).unwrap();
        }
    }
}

// Split so the test harness runs them in parallel.
#[test]
fn sweep_dashboard_and_risks() {
    sweep(&["1", "2", "2 v"]);
}

#[test]
fn sweep_other_views() {
    sweep(&["3", "4", "5"]);
}

#[test]
fn sweep_soa_environment_help() {
    sweep(&["6", "7", "?"]);
}

#[test]
fn sweep_popups() {
    sweep(&[":", "2 e", "2 c"]);
}

/// Every size from 1×1 to 200×60, each drawn once, states taking turns
/// (the Risks view with its detail pane, the dashboard, a form, the
/// Changes view): 12,000 frames.
#[test]
fn every_size_from_1x1_to_200x60() {
    let states = ["2", "1", "2 e", "8"];
    let mut apps: Vec<_> = states
        .iter()
        .map(|k| {
            let mut app = northwind();
            keys(&mut app, k);
            app
        })
        .collect();
    let mut term = Terminal::new(TestBackend::new(1, 1)).unwrap();
    let mut n = 0usize;
    for w in 1u16..=200 {
        for h in 1u16..=60 {
            let app = &mut apps[n % states.len()];
            term.backend_mut().resize(w, h);
            term.draw(|f| riskbench::ui::draw(f, app)).unwrap();
            let buffer = term.backend().buffer();
            assert_eq!((buffer.area.width, buffer.area.height), (w, h));
            n += 1;
        }
    }
    assert_eq!(n, 12_000);
}

#[test]
fn sweep_which_key_and_confirm() {
    sweep(&["2 L", "2 d", "3 e"]);
}

/// Register text with a 500-character title, emoji, right-to-left text, a
/// tab, newlines and ANSI escapes: drawn without panics, and no cell ever
/// holds a control character.
#[test]
fn hostile_text_is_neutralised() {
    let mut app = northwind();
    let evil = "\u{1b}[31mred\u{1b}[0m\ttab\nnewline \u{202E}evil\u{202C} שלום עולם مرحبا 👨‍👩‍👧‍👦🔥 \u{7}bell \r";
    let long: String = "A very long title ".repeat(28);
    {
        let reg = &mut app.register;
        reg.name = format!("{evil} register");
        reg.risks[0].title = format!("{long}{evil}");
        reg.risks[0].owner = evil.to_string();
        reg.risks[0].vulnerability = evil.repeat(3);
        reg.assets[0].name = evil.to_string();
        reg.threats[0].name = evil.to_string();
        reg.factors[0].label = evil.to_string();
        reg.factors[0].requires.push(evil.into());
        reg.method.likelihood[4] = evil.to_string();
        reg.method.impact[4] = format!("{evil}{long}");
        reg.method.levels[3].name = evil.to_string();
    }
    app.refresh();
    app.info(evil);
    let mut screens = Vec::new();
    for k in [
        "1", "2", "3", "4", "5", "6", "7", "?", "esc :", "esc 2 e", "tab", "esc 2 c", "esc 2 L",
        "esc 2 d",
    ] {
        keys(&mut app, k);
        if k == "esc :" {
            app.type_text(evil);
        }
        for (w, h) in [(120, 40), (80, 24), (200, 60), (81, 25), (97, 33)] {
            let buf = render(&app, w, h);
            for cell in &buf.content {
                assert!(
                    !cell.symbol().chars().any(|c| c.is_control()),
                    "control character in a cell after {k:?} at {w}×{h}: {:?}",
                    cell.symbol()
                );
            }
            screens.push(text(&buf));
        }
    }
    assert!(screens.iter().all(|s| !s.contains('\u{1b}')));
    // The escape shows as a replacement character, the text after it stays.
    assert!(screens[0].contains("�[31mred"), "{}", screens[0]);
}

/// Only the visible rows are built: a 100,000-risk register draws quickly
/// and keeps the selection on screen after jumping to the end.
#[test]
fn big_register_keeps_selection_visible() {
    let mut app = northwind();
    let template = app.register.risks[0].clone();
    for n in 0..100_000 {
        let mut r = template.clone();
        r.id = format!("R-X{n:06}").into();
        app.register.risks.push(r);
    }
    app.refresh();
    keys(&mut app, "2 G");
    let start = std::time::Instant::now();
    let screen = snap(&app, 120, 40);
    let elapsed = start.elapsed();
    let last_id = app.register.risks[app.selected_item().unwrap()].id.clone();
    assert!(screen.contains(last_id.as_str()), "{screen}");
    assert!(screen.contains('▶'));
    // Generous for a debug build on a loaded machine; the point is O(visible).
    assert!(elapsed.as_millis() < 2_000, "{elapsed:?}");
}

#[test]
fn form_shows_refusal() {
    let mut app = northwind();
    keys(&mut app, "2 e");
    if let Some(riskbench::app::Modal::Form(f)) = app.modals.last_mut() {
        assert!(f.focus_label("Due"));
    }
    for _ in 0..10 {
        keys(&mut app, "backspace");
    }
    app.type_text("2027-02-30");
    keys(&mut app, "enter");
    let screen = snap(&app, 120, 40);
    assert!(screen.contains("2027-02-30"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn form_field_picker() {
    let mut app = northwind();
    keys(&mut app, "2 e");
    if let Some(riskbench::app::Modal::Form(f)) = app.modals.last_mut() {
        assert!(f.focus_label("Controls"));
    }
    // Typing on a link field opens its picker with the typed text.
    app.type_text("5.1");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn help_scrolled_to_the_end() {
    let mut app = northwind();
    keys(&mut app, "? G");
    insta::assert_snapshot!(snap(&app, 100, 30));
}

#[test]
fn read_only_banner_and_dirty_marker() {
    let mut app = northwind();
    app.read_only = true;
    let top = snap(&app, 120, 40);
    assert!(top.lines().next().unwrap().contains("READ-ONLY"), "{top}");
    let mut app = northwind();
    keys(&mut app, "2 I 1");
    let top = snap(&app, 120, 40);
    assert!(top.lines().next().unwrap().contains("● modified"), "{top}");
}

#[test]
fn matrix_method_dashboard() {
    let app = open("registers/nist-800-30.ron");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn matrix_method_risks() {
    let mut app = open("registers/nist-800-30.ron");
    keys(&mut app, "2");
    insta::assert_snapshot!(snap(&app, 120, 40));
}

#[test]
fn empty_register() {
    let mut app = open("registers/template.ron");
    let dash = snap(&app, 100, 30);
    keys(&mut app, "2");
    let risks = snap(&app, 100, 30);
    insta::assert_snapshot!(format!("{dash}\n{risks}"));
}

/// Only the 16 basic ANSI colours are used, so the screen degrades cleanly
/// on a 16-colour terminal; and the heat map uses the level ramp.
#[test]
fn sixteen_colours_only() {
    use ratatui::style::Color;
    let basic = |c: Color| !matches!(c, Color::Rgb(..) | Color::Indexed(_));
    for file in ["registers/northwind.ron", "registers/nist-800-30.ron"] {
        for k in [
            "1", "2", "3", "4", "5", "6", "7", "?", ":", "2 e", "2 c", "2 L", "2 d",
        ] {
            let mut app = open(file);
            keys(&mut app, k);
            let buf = render(&app, 120, 40);
            for cell in &buf.content {
                assert!(basic(cell.fg) && basic(cell.bg), "{file} {k}: {cell:?}");
            }
        }
    }
    // Northwind's 4 levels: green, yellow, light red, red backgrounds.
    let buf = render(&northwind(), 120, 40);
    for c in [Color::Green, Color::Yellow, Color::LightRed, Color::Red] {
        assert!(buf.content.iter().any(|cell| cell.bg == c), "{c:?}");
    }
    // NIST's 5 levels reach magenta for "Very High".
    let buf = render(&open("registers/nist-800-30.ron"), 120, 40);
    assert!(buf.content.iter().any(|cell| cell.bg == Color::Magenta));
}

/// Filtering highlights the matched characters of the title in the visible
/// rows.
#[test]
fn filter_highlights_title_matches() {
    use ratatui::style::Modifier;
    let mut app = northwind();
    keys(&mut app, "2 /");
    app.type_text("ransomware");
    let buf = render(&app, 120, 40);
    let screen = text(&buf);
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("R-001"))
        .expect("R-001 is listed");
    let x = line.chars().take_while(|_| true).collect::<String>();
    let col = x
        .find("Ransomware")
        .map(|b| x[..b].chars().count())
        .unwrap();
    for dx in 0..10 {
        let cell = &buf[(col as u16 + dx, y as u16)];
        assert!(
            cell.modifier.contains(Modifier::UNDERLINED),
            "char {dx} of Ransomware not highlighted: {cell:?}"
        );
    }
}

#[test]
fn dashboard_minimum_size() {
    let app = northwind();
    insta::assert_snapshot!(snap(&app, 80, 24));
}

#[test]
fn changes_view_after_factor_toggle() {
    let mut app = northwind();
    keys(&mut app, "7 g g");
    let premises = app
        .register
        .factors
        .iter()
        .position(|f| f.id == "premises")
        .expect("northwind has a premises factor");
    let row = app
        .current_table()
        .rows
        .iter()
        .position(|&r| r == premises)
        .expect("premises is listed");
    for _ in 0..row {
        keys(&mut app, "j");
    }
    assert_eq!(app.selected_item(), Some(premises));
    keys(&mut app, "space 8");
    assert!(app.register.factors[premises].on);
    insta::assert_snapshot!(snap(&app, 120, 40));
}
