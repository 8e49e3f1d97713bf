//! The fuzz targets' checks as ordinary tests, so CI needs no fuzzer: the
//! committed seed corpus (`fuzz/seeds/`), every register and keymap in the
//! repository, and every input a fuzzer ever crashed on, each run through
//! exactly the checks the fuzz targets apply (`fuzz/src/lib.rs`, included
//! below). A check fails on any panic inside riskbench or a broken round
//! trip; an input that does not load is fine (it must just say why).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

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
//
// Each input is the fuzzer's crash, minimised (`cargo fuzz tmin`), plus the
// realistic register or key presses that hit the same bug.

/// register, 2026-11-29: `normalize_reference` slices a control reference
/// at byte 5 and 7 (`s[..prefix.len()]`, looking for `annex`/`annex a`)
/// without checking for a character boundary: any control reference whose
/// 5th or 7th byte is inside a multi-byte character panics in `validate`.
const CRASH_NORMALIZE_REFERENCE: &[u8] = b"Register(schema:1,name:\"\",method: (likelihood:[],impact:[],levels:[],appetite:4),factors:[ (id:\"\",requires:[\"5.\x00{\xd2\x92\"])],assets:[],threats:[],risks:[ ])";

/// A register with a control reference written in Russian, as a user would.
fn register_with_control_reference(reference: &str) -> Vec<u8> {
    format!(
        r#"Register(
    schema: 1,
    name: "Non-ASCII control references",
    method: (
        likelihood: ["Low", "High"],
        impact: ["Low", "High"],
        levels: [(name: "Low", up_to: 4, review_days: 365)],
        appetite: 4,
    ),
    assets: [(id: "A-01", name: "База данных", kind: Information, owner: "ИТ")],
    threats: [(id: "T-01", name: "Шифровальщик")],
    risks: [
        (
            id: "R-001",
            title: "Шифровальщик",
            asset: "A-01",
            threat: "T-01",
            likelihood: 2,
            impact: 2,
            treatment: Modify,
            controls: [{reference:?}],
            owner: "ИТ",
        ),
    ],
)
"#
    )
    .into_bytes()
}

#[test]
fn fuzz_crash_control_reference_with_a_multibyte_char_at_byte_5_or_7() {
    checks::check_register(CRASH_NORMALIZE_REFERENCE);
    // The same through a realistic register: Cyrillic is two bytes a
    // character, so byte 7 falls inside one; CJK (three bytes) likewise.
    for reference in ["контроль доступа", "アクセス制御", "acc€ss"] {
        checks::check_register(&register_with_control_reference(reference));
        // It loads, and validation reports the unknown control.
        let reg =
            riskbench::store::load::parse_bytes("x", &register_with_control_reference(reference))
                .unwrap()
                .register;
        let analysis = riskbench::domain::Analysis::new(&reg, checks::today());
        assert!(
            analysis.errors().any(|f| f.message.contains(reference)),
            "{reference}: {:?}",
            analysis.findings
        );
    }
}

#[test]
fn typing_a_non_ascii_query_into_the_control_picker_does_not_panic() {
    // The same function filters the link-control picker as the user types.
    let reg = riskbench::store::load_file(&root().join("registers/northwind.ron"))
        .unwrap()
        .register;
    let mut app = riskbench::app::App::new(
        reg,
        None,
        checks::today(),
        riskbench::keymap::Keymap::default_keymap(),
    );
    app.handle_keys("2 c").unwrap();
    assert!(
        matches!(app.modals.last(), Some(riskbench::app::Modal::Picker(_))),
        "the control picker is open"
    );
    app.type_text("контроль");
}

#[test]
fn riskbench_check_reports_a_non_ascii_control_reference_instead_of_crashing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cyrillic.ron");
    std::fs::write(&path, register_with_control_reference("контроль доступа")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_riskbench"))
        .args(["check", "--today", "2026-12-01"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings, not a crash: {stderr}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("контроль доступа"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
