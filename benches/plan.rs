//! Benchmarks of the treatment plan at scale: a generated register of
//! 100,000 risks with a plan of 20,000 actions (`riskbench generate --risks
//! 100000 --actions 20000`). Run with `cargo bench --bench plan`; the
//! figures and targets are in BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use riskbench::domain::canonical::to_canonical;
use riskbench::domain::generate::{generate, with_plan};
use riskbench::domain::{Analysis, Register};

fn main() {
    divan::main();
    // The fixture file is tens of megabytes: not left behind.
    let _ = std::fs::remove_dir_all(dir());
}

fn dir() -> PathBuf {
    std::env::temp_dir().join(format!("riskbench-plan-bench-{}", std::process::id()))
}

const RISKS: usize = 100_000;
const ACTIONS: usize = 20_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
}

/// The register with its plan, its canonical text, its analysis and a file
/// holding the text (built once).
struct Fixture {
    register: Register,
    analysis: Analysis,
    text: String,
    file: PathBuf,
}

fn fixture() -> &'static Fixture {
    static CACHE: OnceLock<Fixture> = OnceLock::new();
    CACHE.get_or_init(|| {
        let mut register = generate(RISKS, 1);
        with_plan(&mut register, ACTIONS, 1);
        let text = to_canonical(&register);
        let _ = std::fs::create_dir_all(dir());
        let file = dir().join(format!("generated-{RISKS}-{ACTIONS}.ron"));
        std::fs::write(&file, &text).unwrap();
        let analysis = Analysis::new(&register, today());
        Fixture {
            register,
            analysis,
            text,
            file,
        }
    })
}

/// Read + parse + validate + evaluate + SoA: what opening the file costs,
/// plan included.
#[divan::bench(sample_count = 10)]
fn load() -> Analysis {
    let f = fixture();
    let loaded = riskbench::store::load_file(&f.file).unwrap_or_else(|e| panic!("{e}"));
    Analysis::new(&loaded.register, today())
}

/// The format's own parser into the same structs, for the ratio.
#[divan::bench(sample_count = 10)]
fn bare_ron_from_str() -> Register {
    ron::from_str(&fixture().text).unwrap_or_else(|e| panic!("{e}"))
}

/// `riskbench plan --format json`'s output, as the command builds it.
#[divan::bench(sample_count = 10)]
fn plan_json() -> Vec<u8> {
    let f = fixture();
    let mut out = Vec::with_capacity(16 << 20);
    riskbench::cli::plan::write_json(&f.register, &f.analysis, &mut out).unwrap();
    out
}

/// The workbench on the register with its plan, on the Plan view.
fn plan_app() -> riskbench::app::App {
    let mut app = riskbench::app::App::new(
        fixture().register.clone(),
        None,
        today(),
        riskbench::keymap::Keymap::default_keymap(),
    );
    let _ = app.handle_keys("0");
    app
}

/// One frame of a view, 200×60: only the visible rows are drawn, each
/// action's cells built from the cached plan index.
fn frame(bencher: divan::Bencher, keys: &str) {
    let mut app = plan_app();
    let _ = app.handle_keys(keys);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 60))
        .unwrap_or_else(|e| panic!("{e}"));
    bencher.bench_local(|| {
        terminal
            .draw(|f| riskbench::ui::draw(f, &app))
            .map(|_| ())
            .unwrap_or_default()
    });
}

/// The Plan view (table, detail pane with the action's risks, summary).
#[divan::bench(sample_count = 30)]
fn plan_view_frame(bencher: divan::Bencher) {
    frame(bencher, "0");
}

/// The dashboard with its treatment-plan panel (counts, next due actions,
/// approvals).
#[divan::bench(sample_count = 30)]
fn dashboard_frame(bencher: divan::Bencher) {
    frame(bencher, "1");
}

/// `p` on the selected action: one status change as an undoable edit, the
/// plan's checks, index and summary brought up to date (risks are not
/// re-scored).
#[divan::bench(sample_count = 20)]
fn advance_action(bencher: divan::Bencher) {
    let mut app = plan_app();
    bencher.bench_local(|| app.handle_keys("p"));
}
