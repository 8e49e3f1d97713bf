//! Benchmarks of the SoA documents at scale: a generated register of
//! 100,000 risks (`riskbench generate --risks 100000`), its SoA workbook
//! (constant-memory sheets) and html page written to a temporary file.
//! Run with `cargo bench --bench export`; the figures and targets are in
//! BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use riskbench::domain::generate::generate;
use riskbench::domain::{Analysis, Register};

fn main() {
    divan::main();
    // The documents are tens of megabytes: not left behind.
    let _ = std::fs::remove_dir_all(dir());
}

fn dir() -> PathBuf {
    std::env::temp_dir().join(format!("riskbench-export-bench-{}", std::process::id()))
}

const RISKS: usize = 100_000;

/// The register and its analysis (built once).
fn fixture() -> &'static (Register, Analysis) {
    static CACHE: OnceLock<(Register, Analysis)> = OnceLock::new();
    CACHE.get_or_init(|| {
        let register = generate(RISKS, 1);
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let analysis = Analysis::new(&register, today);
        let _ = std::fs::create_dir_all(dir());
        (register, analysis)
    })
}

/// `riskbench soa --format xlsx -o FILE` after loading: the six sheets,
/// the zip, the atomic write.
#[divan::bench(sample_count = 5)]
fn soa_workbook() {
    let (reg, analysis) = fixture();
    let path = dir().join("soa.xlsx");
    let _ = std::fs::remove_file(&path);
    riskbench::export::write_xlsx(reg, analysis, &path).unwrap();
}

/// `riskbench soa --format html` after loading, into memory.
#[divan::bench(sample_count = 5)]
fn soa_html() -> String {
    let (reg, analysis) = fixture();
    riskbench::export::html(reg, analysis)
}
