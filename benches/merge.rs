//! Benchmarks of `riskbench merge` at scale (issue 18): two branches of a
//! generated 100,000-risk register, each with 1,000 changes (titles,
//! scores, linked controls, notes, control states, new risks; 250 of the
//! risks edited on both branches in different fields, so the
//! field-by-field merge runs too), against one `check` of the register.
//! Target: a merge takes no more than 3 × one check. Run with `cargo bench
//! --bench merge`; the figures are in BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use riskbench::domain::canonical::to_canonical;
use riskbench::domain::generate::generate;
use riskbench::domain::merge::{merge, merge_checked};
use riskbench::domain::model::{ControlStatus, Note};
use riskbench::domain::{Analysis, Register};

fn main() {
    divan::main();
    // The fixture files are tens of megabytes each: not left behind.
    let _ = std::fs::remove_dir_all(dir());
}

fn dir() -> PathBuf {
    std::env::temp_dir().join(format!("riskbench-merge-bench-{}", std::process::id()))
}

const RISKS: usize = 100_000;
const CHANGES: usize = 1_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
}

struct Fixture {
    base: Register,
    ours: Register,
    theirs: Register,
    files: [PathBuf; 3],
}

/// `CHANGES` edits of `base`: `side` 0 edits risks 0, 97, 194, …, side 1
/// the risks 48 after those, except every fourth edit, which lands on a
/// risk the other side edits too (in another field).
fn branch(base: &Register, side: usize) -> Register {
    let mut reg = base.clone();
    let note = Note {
        on: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default(),
        by: format!("side {side}"),
        text: "Discussed in the workshop".into(),
    };
    for k in 0..CHANGES {
        let shared = k % 4 == 0;
        let i = (k * 97 + if side == 1 && !shared { 48 } else { 0 }) % RISKS;
        let r = &mut reg.risks[i];
        match (k % 5, side, shared) {
            (_, 0, true) => r.title = format!("{} (reworded)", r.title),
            (_, 1, true) => r.notes.push(note.clone()),
            (0, ..) => r.likelihood = r.likelihood % 5 + 1,
            (1, ..) => r.owner = format!("Owner {side}"),
            (2, ..) => r.controls.push("5.37".into()),
            (3, ..) => r.notes.push(note.clone()),
            _ => {
                let n = reg.controls.len();
                let c = &mut reg.controls[(k + side * 40) % n];
                c.status = ControlStatus::Implemented;
            }
        }
    }
    // Every side adds a few risks of its own too.
    for k in 0..10 {
        let mut r = reg.risks[k].clone();
        r.id = format!("R-NEW-{side}-{k}").into();
        reg.risks.push(r);
    }
    reg
}

fn fixture() -> &'static Fixture {
    static CACHE: OnceLock<Fixture> = OnceLock::new();
    CACHE.get_or_init(|| {
        let base = generate(RISKS, 1);
        let ours = branch(&base, 0);
        let theirs = branch(&base, 1);
        let _ = std::fs::create_dir_all(dir());
        let files = ["base", "ours", "theirs"].map(|n| dir().join(format!("{n}.ron")));
        for (f, r) in files.iter().zip([&base, &ours, &theirs]) {
            std::fs::write(f, to_canonical(r)).unwrap();
        }
        let m = merge(&base, &ours, &theirs);
        assert!(m.conflicts.is_empty(), "{:?}", &m.conflicts[..3]);
        Fixture {
            base,
            ours,
            theirs,
            files,
        }
    })
}

/// What `riskbench check FILE` costs: read, parse, validate, evaluate.
#[divan::bench(sample_count = 10)]
fn check() -> Analysis {
    let f = fixture();
    let loaded = riskbench::store::load_file(&f.files[0]).unwrap_or_else(|e| panic!("{e}"));
    Analysis::new(&loaded.register, today())
}

/// The three-way merge alone, on registers in memory.
#[divan::bench(sample_count = 10)]
fn merge_in_memory() -> usize {
    let f = fixture();
    merge(&f.base, &f.ours, &f.theirs).register.risks.len()
}

/// The merge and the checks after it (the sides and the result
/// evaluated, new errors found).
#[divan::bench(sample_count = 10)]
fn merge_and_check_in_memory() -> usize {
    let f = fixture();
    merge_checked(&f.base, &f.ours, &f.theirs, today())
        .findings
        .len()
}

/// The whole command as git runs it: the three files read and parsed
/// (side by side), merged, checked, written canonical to a file.
#[divan::bench(sample_count = 10)]
fn merge_command() -> usize {
    let f = fixture();
    let loaded: Vec<Register> = std::thread::scope(|s| {
        let jobs: Vec<_> = f
            .files
            .iter()
            .map(|p| s.spawn(move || riskbench::store::load_file(p).unwrap().register))
            .collect();
        jobs.into_iter().map(|j| j.join().unwrap()).collect()
    });
    let result = merge_checked(&loaded[0], &loaded[1], &loaded[2], today());
    let text = to_canonical(&result.register);
    let out = dir().join("merged.ron");
    std::fs::write(&out, &text).unwrap();
    text.len()
}
