//! The properties the fuzz targets check, shared with the main crate's
//! `tests/fuzz_regressions.rs` (which includes this file with `#[path]`), so
//! the seed corpus and every past crash run as ordinary tests in
//! `cargo test` with exactly the checks the fuzzer applies.
//!
//! Each check returns normally for any input: an error from the loader is a
//! fine answer. It panics only when riskbench itself breaks a promise (a
//! panic inside riskbench, or a round trip that does not hold), which is
//! what libFuzzer reports as a crash.

use chrono::NaiveDate;
use riskbench::domain::Analysis;
use riskbench::domain::canonical::to_canonical;
use riskbench::keymap::{Keymap, Lookup, format_keys, parse_keys};
use riskbench::store::load::parse_bytes;

/// The day registers are evaluated on (fixed, so runs are reproducible).
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).expect("a valid date")
}

/// Register loading, validation and evaluation, then the canonical round
/// trip: any bytes either fail to load with an error, or load into a
/// register that
/// - evaluates and validates without panicking,
/// - writes canonically to text that loads back to the same register,
/// - and writes again to exactly the same bytes.
pub fn check_register(data: &[u8]) {
    let Ok(loaded) = parse_bytes("fuzz.ron", data) else {
        return;
    };
    let reg = loaded.register;
    // Evaluation, the SoA and validation (Analysis::new runs `validate`).
    let analysis = Analysis::new(&reg, today());
    let _ = analysis.has_errors();
    check_changes(&reg, &analysis);
    let text = to_canonical(&reg);
    let again = match parse_bytes("canonical.ron", text.as_bytes()) {
        Ok(l) => l.register,
        Err(e) => panic!("the canonical form does not load: {e}\n--- canonical ---\n{text}"),
    };
    assert!(
        again == reg,
        "the canonical form loads as a different register\n--- canonical ---\n{text}\n\
         --- original ---\n{reg:#?}\n--- reloaded ---\n{again:#?}"
    );
    let text2 = to_canonical(&again);
    assert!(
        text2 == text,
        "canonical form is not stable\n--- first ---\n{text}\n--- second ---\n{text2}"
    );
}

/// What the workbench derives when the environment changes: switching
/// every factor and shifting every threat, re-evaluating from the kept
/// inputs must equal evaluating from scratch; comparing the two states
/// works, and a register compared with itself has no changes.
fn check_changes(reg: &riskbench::domain::Register, analysis: &Analysis) {
    use riskbench::domain::diff::{Snapshot, diff, explain_risk};
    let mut changed = reg.clone();
    for f in &mut changed.factors {
        f.on = !f.on;
    }
    for t in &mut changed.threats {
        t.shift = t.shift.saturating_add(1);
    }
    let mut again = analysis.clone();
    again.reevaluate(&changed, today());
    let fresh = Analysis::new(&changed, today());
    assert!(
        again.eval.risks == fresh.eval.risks,
        "re-evaluation differs from a fresh one"
    );
    assert!(
        again.soa == fresh.soa,
        "re-evaluated SoA differs from a fresh one"
    );
    let before = Snapshot::new(reg, analysis);
    let d = diff(reg, &before, &changed, &Snapshot::new(&changed, &fresh));
    for r in d.risks.iter().take(8) {
        let _ = explain_risk(reg, &changed, &r.id);
    }
    let same = diff(reg, &before, reg, &before);
    assert!(same.is_empty(), "a register differs from itself: {same:?}");
}

/// Keymap loading: any text either fails with an error, or gives a keymap
/// in which every binding's canonical key text parses back to the same
/// keys, formats the same, and looks up to its action in its context.
pub fn check_keymap(data: &[u8]) {
    // Keymap files are read as UTF-8 (the loader refuses anything else
    // before parsing); fuzz the parser with text.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(keymap) = Keymap::parse("fuzz.ron", text) else {
        return;
    };
    for (ctx, keys, action) in keymap.bindings() {
        let parsed = match parse_keys(&keys) {
            Ok(p) => p,
            Err(e) => panic!("binding {keys:?} in {ctx:?} does not re-parse: {e}"),
        };
        assert_eq!(
            format_keys(&parsed),
            keys,
            "binding {keys:?} in {ctx:?} formats differently after re-parsing"
        );
        assert_eq!(
            keymap.lookup(ctx, &parsed),
            Lookup::Action(action),
            "binding {keys:?} in {ctx:?} does not look up to {action:?}"
        );
    }
}
