//! The README's key table is checked against `keymaps/default.ron`, so the
//! documentation cannot drift from the keys that actually work.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use riskbench::app::Action;
use riskbench::keymap::{Context, Keymap, Lookup, parse_keys};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

fn context(name: &str) -> Context {
    Context::ALL
        .into_iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("unknown context {name:?} in README"))
}

/// `` `L 3` `` → "L 3"; "`j` / `k`" → ["j", "k"].
fn code_spans(cell: &str) -> Vec<String> {
    cell.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

#[test]
fn readme_key_table_matches_the_default_keymap() {
    let text = readme();
    let start = text.find("<!-- keys:start -->").expect("keys:start marker");
    let end = text.find("<!-- keys:end -->").expect("keys:end marker");
    let keymap = Keymap::default_keymap();
    let mut rows = 0;
    for line in text[start..end].lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (keys, ctx, actions) = (
            code_spans(cells[1]),
            context(cells[2]),
            code_spans(cells[3]),
        );
        assert_eq!(
            keys.len(),
            actions.len(),
            "row {line:?}: keys and actions pair up"
        );
        for (k, a) in keys.iter().zip(&actions) {
            let action: Action =
                ron::from_str(a).unwrap_or_else(|e| panic!("row {line:?}: action {a}: {e}"));
            let presses = parse_keys(k).unwrap_or_else(|e| panic!("row {line:?}: {e}"));
            assert_eq!(
                keymap.lookup(ctx, &presses),
                Lookup::Action(action),
                "README says {k:?} in {ctx:?} is {a}"
            );
            rows += 1;
        }
    }
    assert!(rows >= 20, "only {rows} documented bindings");
}

#[test]
fn readme_view_keys_match_the_default_keymap() {
    let keymap = Keymap::default_keymap();
    let text = readme();
    for (key, action) in [
        ("1", Action::ShowDashboard),
        ("2", Action::ShowRisks),
        ("3", Action::ShowAssets),
        ("4", Action::ShowThreats),
        ("5", Action::ShowControls),
        ("6", Action::ShowSoa),
        ("7", Action::ShowEnvironment),
    ] {
        assert!(
            text.contains(&format!("| `{key}` |")),
            "README lists view key {key}"
        );
        assert_eq!(
            keymap.lookup(Context::Table, &parse_keys(key).unwrap()),
            Lookup::Action(action)
        );
    }
}

#[test]
fn readme_names_the_commands_ci_runs() {
    let text = readme();
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(text.contains("cargo run --release"));
    assert!(text.contains("cargo test --locked"));
    assert!(ci.contains("cargo test --locked"));
}
