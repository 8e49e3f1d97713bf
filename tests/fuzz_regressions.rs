//! The fuzz targets' checks as ordinary tests, so CI needs no fuzzer: the
//! committed seed corpus (`fuzz/seeds/`), every register and keymap in the
//! repository, and every input a fuzzer ever crashed on, each run through
//! exactly the checks the fuzz targets apply (`fuzz/src/lib.rs`, included
//! below). A check fails on any panic inside riskbench or a broken round
//! trip; an input that does not load is fine (it must just say why).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../fuzz/src/lib.rs"]
mod checks;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files under `dir` (recursively) whose name ends with `suffix`.
fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Runs `check` on each file; fails with the names of all that broke.
fn run_all(paths: &[PathBuf], check: fn(&[u8])) {
    assert!(!paths.is_empty());
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).unwrap();
            catch_unwind(AssertUnwindSafe(|| check(&bytes)))
                .err()
                .map(|e| format!("{}: {}", p.display(), panic_text(&e)))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

fn panic_text(e: &Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(non-text panic)".into())
}

#[test]
fn the_register_seed_corpus_passes_the_fuzz_checks() {
    let seeds = files(&root().join("fuzz/seeds/register"), "");
    assert!(seeds.len() >= 40, "only {} register seeds", seeds.len());
    assert!(
        seeds.len() <= 80,
        "{} register seeds: keep it small",
        seeds.len()
    );
    run_all(&seeds, checks::check_register);
}

#[test]
fn the_keymap_seed_corpus_passes_the_fuzz_checks() {
    let seeds = files(&root().join("fuzz/seeds/keymap"), "");
    assert!(seeds.len() >= 20, "only {} keymap seeds", seeds.len());
    assert!(
        seeds.len() <= 80,
        "{} keymap seeds: keep it small",
        seeds.len()
    );
    run_all(&seeds, checks::check_keymap);
}

#[test]
fn every_register_in_the_repository_passes_the_fuzz_checks() {
    let mut all = files(&root().join("registers"), ".ron");
    all.extend(files(&root().join("tests/fixtures"), ".ron"));
    run_all(&all, checks::check_register);
}

#[test]
fn every_keymap_in_the_repository_passes_the_fuzz_checks() {
    let mut all = files(&root().join("keymaps"), ".ron");
    all.extend(files(&root().join("tests/fixtures/keymaps"), ".ron"));
    run_all(&all, checks::check_keymap);
}

/// The shipped registers really exercise the round trip (they load).
#[test]
fn the_shipped_registers_load_and_round_trip() {
    for p in files(&root().join("registers"), ".ron") {
        let bytes = std::fs::read(&p).unwrap();
        assert!(
            riskbench::store::load::parse_bytes("x", &bytes).is_ok(),
            "{}",
            p.display()
        );
        checks::check_register(&bytes);
    }
}

// ------------------------------------------------- inputs the fuzzers found
