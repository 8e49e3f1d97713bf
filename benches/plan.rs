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
