//! Benchmarks on generated registers of 1,000, 10,000 and 100,000 risks
//! (`riskbench generate`). Run with `cargo bench --bench workbench`; the
//! figures and targets are in BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use riskbench::app::edit::{Edit, Item};
use riskbench::app::{Action, App};
use riskbench::domain::canonical::to_canonical;
use riskbench::domain::eval::Evaluation;
use riskbench::domain::generate::generate;
use riskbench::domain::{Analysis, ControlStatus, Register, Soa};
use riskbench::keymap::Keymap;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
}

/// A generated register, its canonical text and JSON, and a file holding
/// the text, per size (built once).
struct Fixture {
    register: Register,
    text: String,
    json: String,
    file: PathBuf,
}

fn fixture(n: usize) -> &'static Fixture {
    static CACHE: OnceLock<Vec<(usize, &'static Fixture)>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("riskbench-bench-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        SIZES
            .iter()
            .map(|&n| {
                let register = generate(n, 1);
                let text = to_canonical(&register);
                let json = serde_json::to_string(&register).unwrap_or_default();
                let file = dir.join(format!("generated-{n}.ron"));
                let _ = std::fs::write(&file, &text);
                let f: &'static Fixture = Box::leak(Box::new(Fixture {
                    register,
                    text,
                    json,
                    file,
                }));
                (n, f)
            })
            .collect()
    });
    all.iter()
        .find(|(k, _)| *k == n)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| all[0].1)
}

/// Replaces control `id`'s state, switching Implemented ↔ Partial.
fn control_replace(reg: &Register, id: &str, implemented: bool) -> Edit {
    let at = reg.controls.iter().position(|c| c.id == id).unwrap_or(0);
    let before = reg.controls[at].clone();
    let mut after = before.clone();
    after.status = if implemented {
        ControlStatus::Implemented
    } else {
        ControlStatus::Partial
    };
    Edit::Replace {
        at,
        before: Item::Control(before),
        after: Item::Control(after),
    }
}

fn app(n: usize) -> App {
    let mut app = App::new(
        fixture(n).register.clone(),
        None,
        today(),
        Keymap::default_keymap(),
    );
    let _ = app.handle_keys("2");
    app
}

mod load {
    use super::*;

    /// Read + parse + validate + evaluate + SoA: what opening a file costs.
    #[divan::bench(args = SIZES, sample_count = 10)]
    fn riskbench_load(n: usize) -> Analysis {
        let f = fixture(n);
        let loaded = riskbench::store::load_file(&f.file).unwrap_or_else(|e| panic!("{e}"));
        Analysis::new(&loaded.register, today())
    }

    /// The format's own parser into the same structs, for the ratio.
    #[divan::bench(args = SIZES, sample_count = 10)]
    fn bare_ron_from_str(n: usize) -> Register {
        ron::from_str(&fixture(n).text).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The fastest common format, for the ratio.
    #[divan::bench(args = SIZES, sample_count = 10)]
    fn bare_json_from_str(n: usize) -> Register {
        serde_json::from_str(&fixture(n).json).unwrap_or_else(|e| panic!("{e}"))
    }
}

mod evaluate {
    use super::*;

    /// Full re-evaluation of every risk and the SoA, as the workbench does
    /// after a change to the environment (a factor switched, a threat's
    /// shift, an asset's scope): from the inputs the evaluation keeps.
    #[divan::bench(args = SIZES, sample_count = 20)]
    fn full_reevaluation(bencher: Bencher, n: usize) {
        let reg = &fixture(n).register;
        let mut eval = Evaluation::new(reg, today());
        bencher.bench_local(|| {
            eval.reevaluate(reg, today());
            Soa::build(reg, &eval)
        });
    }

    /// Evaluation of every risk and the SoA from the register alone, as on
    /// opening a file (references looked up by id).
    #[divan::bench(args = SIZES, sample_count = 20)]
    fn evaluation_from_scratch(n: usize) -> Soa {
        let reg = &fixture(n).register;
        let eval = Evaluation::new(reg, today());
        Soa::build(reg, &eval)
    }

    /// One quick-score edit (`L n` on the selected risk) with its
    /// incremental re-evaluation, dashboard figures and table update.
    #[divan::bench(args = SIZES, sample_count = 50)]
    fn quick_score_edit(bencher: Bencher, n: usize) {
        let mut app = app(n);
        let mut k = 0u8;
        bencher.bench_local(|| {
            k = k % 5 + 1;
            app.update(Action::SetLikelihood(k))
        });
    }

    /// One control status change affecting every risk that links it.
    #[divan::bench(args = SIZES, sample_count = 50)]
    fn control_status_change(bencher: Bencher, n: usize) {
        let mut app = app(n);
        let _ = app.handle_keys("5");
        let mut flip = false;
        bencher.bench_local(|| {
            flip = !flip;
            let edit = control_replace(app.doc.register(), "8.7", flip);
            app.apply_edit(edit, "bench");
        });
    }
}

mod draw {
    use super::*;

    /// One frame at 200×60 after `keys` (a view, or keys that lead to one).
    pub(super) fn frame(bencher: Bencher, n: usize, keys: &str) {
        let mut app = app(n);
        let _ = app.handle_keys(keys);
        let mut terminal =
            Terminal::new(TestBackend::new(200, 60)).unwrap_or_else(|e| panic!("{e}"));
        bencher.bench_local(|| {
            terminal
                .draw(|f| riskbench::ui::draw(f, &app))
                .map(|_| ())
                .unwrap_or_default()
        });
    }

    #[divan::bench(args = SIZES, sample_count = 50)]
    fn risks_view_frame(bencher: Bencher, n: usize) {
        frame(bencher, n, "2");
    }

    #[divan::bench(args = SIZES, sample_count = 50)]
    fn dashboard_frame(bencher: Bencher, n: usize) {
        frame(bencher, n, "1");
    }

    /// Every other view at 100,000 risks (keys to reach it): Assets,
    /// Threats, Controls, SoA (justifications of thousands of risk ids per
    /// row), Environment, and Changes after switching a factor on (about
    /// 4,000 rows).
    #[divan::bench(
        args = ["3", "4", "5", "6", "7", "7 j j space 8"],
        sample_count = 30
    )]
    fn other_view_frame_100000(bencher: Bencher, keys: &str) {
        frame(bencher, 100_000, keys);
    }
}

mod filter {
    use super::*;

    /// The first filter keystroke over all risk titles.
    #[divan::bench(args = SIZES, sample_count = 10)]
    fn first_keystroke(bencher: Bencher, n: usize) {
        bencher
            .with_inputs(|| {
                let mut app = app(n);
                let _ = app.handle_keys("/");
                app
            })
            .bench_local_values(|mut app| {
                app.type_text("r");
                app
            });
    }

    /// An extending keystroke: re-matches only the previous matches.
    #[divan::bench(args = SIZES, sample_count = 10)]
    fn extending_keystroke(bencher: Bencher, n: usize) {
        bencher
            .with_inputs(|| {
                let mut app = app(n);
                let _ = app.handle_keys("/");
                app.type_text("ra");
                app
            })
            .bench_local_values(|mut app| {
                app.type_text("n");
                app
            });
    }
    /// The terminal runtime's `/` on a large table: the UI copies the rows'
    /// text for the filter worker (once per change of the data or order).
    #[divan::bench(args = SIZES, sample_count = 10)]
    fn worker_start_filter(bencher: Bencher, n: usize) {
        bencher
            .with_inputs(|| {
                let mut app = app(n);
                app.defer_filter = true;
                app.enable_background_filter();
                app
            })
            .bench_local_values(|mut app| {
                let _ = app.handle_keys("/");
                app
            });
    }

    /// The terminal runtime's first keystroke on a large table: how long
    /// the UI is busy (handing the query to the filter worker) before it
    /// takes the next key.
    #[divan::bench(args = SIZES, sample_count = 10)]
    fn worker_first_keystroke_ui_busy(bencher: Bencher, n: usize) {
        bencher
            .with_inputs(|| worker_app(n))
            .bench_local_values(|mut app| {
                app.type_text("r");
                app.flush_filter();
                app
            });
    }

    /// The same keystroke until the worker's rows are shown.
    #[divan::bench(args = SIZES, sample_count = 10)]
    fn worker_first_keystroke_until_shown(bencher: Bencher, n: usize) {
        bencher
            .with_inputs(|| worker_app(n))
            .bench_local_values(|mut app| {
                app.type_text("r");
                app.flush_filter();
                while app.filter_pending {
                    app.poll_filter();
                    std::thread::yield_now();
                }
                app
            });
    }

    /// An app filtering the way the terminal runtime does, `/` typed.
    fn worker_app(n: usize) -> App {
        let mut app = app(n);
        app.defer_filter = true;
        app.enable_background_filter();
        let _ = app.handle_keys("/");
        app
    }
}

mod save {
    use super::*;

    /// Canonical save: serialise and write atomically (temp file, fsync,
    /// rename, `.bak`).
    #[divan::bench(args = SIZES, sample_count = 10)]
    fn canonical_save(n: usize) {
        let f = fixture(n);
        let out = f.file.with_extension("saved.ron");
        let text = to_canonical(&f.register);
        riskbench::store::save_atomic(&out, &text).unwrap_or_else(|e| panic!("{e}"));
    }

    /// ron's own serialisation alone, for the ratio.
    #[divan::bench(args = SIZES, sample_count = 10)]
    fn bare_ron_to_string(n: usize) -> String {
        ron::to_string(&fixture(n).register).unwrap_or_default()
    }
}

mod workshop {
    use super::*;
    use riskbench::domain::review_queue::ReviewQueue;

    /// The review queue from the evaluation: one pass and one sort, done
    /// once per change to the register, never per frame.
    #[divan::bench(args = SIZES, sample_count = 20)]
    fn review_queue_build(n: usize) -> ReviewQueue {
        let reg = &fixture(n).register;
        static EVALS: OnceLock<Vec<(usize, Evaluation)>> = OnceLock::new();
        let evals = EVALS.get_or_init(|| {
            SIZES
                .iter()
                .map(|&k| (k, Evaluation::new(&fixture(k).register, today())))
                .collect()
        });
        let eval = evals
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, e)| e)
            .unwrap_or_else(|| panic!("no evaluation for {n}"));
        ReviewQueue::build(reg, eval, today())
    }

    /// One frame of the focus view (the Risks table's selected risk).
    #[divan::bench(args = SIZES, sample_count = 50)]
    fn focus_view_frame(bencher: Bencher, n: usize) {
        super::draw::frame(bencher, n, "F");
    }

    /// One quick-score edit in the focus view: the edit, its incremental
    /// re-evaluation and the queue rebuilt for the header.
    #[divan::bench(args = SIZES, sample_count = 30)]
    fn quick_score_in_focus_view(bencher: Bencher, n: usize) {
        let mut app = app(n);
        let _ = app.handle_keys("F");
        let mut k = 0u8;
        bencher.bench_local(|| {
            k = k % 5 + 1;
            app.update(Action::SetLikelihood(k))
        });
    }
}
