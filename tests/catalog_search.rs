//! Annex A search by the words people use (issue 17, item 5): one matcher
//! ranks exact ids, then curated keywords, then title words, then fuzzy
//! matches, for both `riskbench catalog QUERY` and the control picker.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::{app_with, keys, northwind_app, northwind_register, run_today};
use riskbench::app::{App, Modal};
use riskbench::domain::{ControlType, OwnControl};
use riskbench::keymap::KeyPress;

/// The ids `riskbench catalog QUERY --format json` lists, in order.
fn catalog_ids(query: &str) -> Vec<String> {
    let run = run_today(&["catalog", query, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("catalog {query:?}: not JSON ({e}): {}", run.stdout));
    v["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// Everyday queries and the Annex A control a practitioner expects among
/// the first three results.
const EVERYDAY: &[(&str, &str)] = &[
    ("mfa", "8.5"),
    ("MFA", "8.5"),
    ("2fa", "8.5"),
    ("multi-factor", "8.5"),
    ("multi factor", "8.5"),
    ("multifactor", "8.5"),
    ("two-factor authentication", "8.5"),
    ("phishing", "6.3"),
    ("phishing", "8.23"),
    ("encryption", "8.24"),
    ("TLS", "8.24"),
    ("password", "5.17"),
    ("passwords", "5.17"),
    ("ransomware", "8.7"),
    ("malware", "8.7"),
    ("antivirus", "8.7"),
    ("EDR", "8.7"),
    ("patch", "8.8"),
    ("patching", "8.8"),
    ("vulnerability scanning", "8.8"),
    ("SIEM", "8.16"),
    ("logging", "8.15"),
    ("network segmentation", "8.22"),
    ("firewall", "8.20"),
    ("VPN", "6.7"),
    ("backups", "8.13"),
    ("disaster recovery", "5.30"),
    ("DR", "5.30"),
    ("BYOD", "8.1"),
    ("remote work", "6.7"),
    ("working from home", "6.7"),
    ("cloud", "5.23"),
    ("SaaS", "5.23"),
    ("supplier", "5.19"),
    ("vendor", "5.19"),
    ("NDA", "6.6"),
    ("onboarding", "5.16"),
    ("offboarding", "6.5"),
    ("leavers", "6.5"),
    ("CCTV", "7.4"),
    ("clean desk", "7.7"),
    ("DLP", "8.12"),
    ("code review", "8.28"),
    ("pentest", "8.29"),
    ("penetration test", "8.8"),
    ("change management", "8.32"),
    ("asset inventory", "5.9"),
    ("access review", "5.18"),
    ("least privilege", "8.2"),
    ("PAM", "8.2"),
    ("secure SDLC", "8.25"),
    ("threat intel", "5.7"),
    ("data masking", "8.11"),
    ("web filtering", "8.23"),
    ("USB", "7.10"),
    ("NTP", "8.17"),
    ("GDPR", "5.34"),
    ("incident response", "5.26"),
    ("forensics", "5.28"),
    ("UPS", "7.11"),
    ("background check", "6.1"),
    ("shredding", "7.14"),
    ("hardening", "8.9"),
    ("awareness training", "6.3"),
    ("lessons learned", "5.27"),
];

#[test]
fn everyday_queries_find_the_expected_control_in_the_first_three() {
    assert!(EVERYDAY.len() >= 40);
    let mut failures = Vec::new();
    for &(query, want) in EVERYDAY {
        let ids = catalog_ids(query);
        if !ids.iter().take(3).any(|id| id == want) {
            failures.push(format!(
                "{query:?}: want {want} in first three, got {:?}",
                &ids[..ids.len().min(5)]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_exact_id_comes_first_in_any_spelling() {
    for q in ["8.5", "A.8.5", "Annex A 8.5", "85"] {
        assert_eq!(catalog_ids(q)[0], "8.5", "{q}");
    }
    assert_eq!(catalog_ids("5.1")[0], "5.1");
}

#[test]
fn patch_finds_vulnerability_management_first() {
    assert_eq!(catalog_ids("patch")[0], "8.8");
    assert_eq!(catalog_ids("mfa")[0], "8.5");
}

#[test]
fn a_query_with_no_match_lists_nothing() {
    let run = run_today(&["catalog", "zzzzqqq", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["controls"].as_array().unwrap().len(), 0);
    assert_eq!(run.code, 1, "a query that matches nothing is a finding");
}

#[test]
fn title_words_still_find_controls() {
    assert_eq!(catalog_ids("backup")[0], "8.13");
    assert_eq!(catalog_ids("clock synchronization")[0], "8.17");
}

/// The first `n` choice values the open picker shows.
fn picker_values(app: &App, n: usize) -> Vec<String> {
    let Some(Modal::Picker(p)) = app.modals.last() else {
        panic!(
            "no picker open: {:?}",
            app.modals.last().map(|_| "other modal")
        );
    };
    p.matches
        .iter()
        .take(n)
        .map(|(i, _)| p.choices[*i].value.clone())
        .collect()
}

/// Opens the link-a-control picker on the first risk and types `query`.
fn picker_after(mut app: App, query: &str) -> App {
    keys(&mut app, "2"); // the Risks view
    keys(&mut app, "c");
    for c in query.chars() {
        let effects = app.handle_key(KeyPress::char(c));
        assert!(effects.is_empty(), "typing {c:?} produced {effects:?}");
    }
    app
}

#[test]
fn the_control_picker_ranks_with_the_same_matcher() {
    let app = picker_after(northwind_app(), "mfa");
    let top = picker_values(&app, 3);
    assert!(top.iter().any(|v| v == "8.5"), "{top:?}");
    for query in ["patch", "multi-factor", "ransomware"] {
        let app = picker_after(northwind_app(), query);
        assert_eq!(
            picker_values(&app, 1),
            catalog_ids(query)[..1],
            "picker and catalog agree on {query:?}"
        );
    }
}

#[test]
fn the_risk_forms_control_picker_ranks_with_the_same_matcher() {
    let mut app = northwind_app();
    keys(&mut app, "2"); // the Risks view
    keys(&mut app, "e"); // the risk form
    keys(&mut app, "ctrl-l"); // pick for its Controls field
    for c in "phishing".chars() {
        let effects = app.handle_key(KeyPress::char(c));
        assert!(effects.is_empty(), "typing {c:?} produced {effects:?}");
    }
    let top = picker_values(&app, 3);
    assert!(top.iter().any(|v| v == "6.3"), "{top:?}");
}

#[test]
fn a_word_half_typed_in_the_picker_already_finds_its_control() {
    for (partial, want) in [("ransom", "8.7"), ("patc", "8.8"), ("multi-fac", "8.5")] {
        let app = picker_after(northwind_app(), partial);
        let top = picker_values(&app, 3);
        assert!(top.iter().any(|v| v == want), "{partial:?}: {top:?}");
    }
}

#[test]
fn the_control_picker_still_finds_own_controls_by_id_and_title() {
    let mut reg = northwind_register();
    reg.own_controls.push(OwnControl {
        id: "ORG-1".into(),
        title: "Quarterly tabletop exercise".into(),
        types: vec![ControlType::Preventive],
        maps_to: Vec::new(),
    });
    let app = picker_after(app_with(reg.clone()), "ORG-1");
    assert_eq!(picker_values(&app, 1), ["ORG-1"]);
    let app = picker_after(app_with(reg), "tabletop");
    assert_eq!(picker_values(&app, 1), ["ORG-1"]);
}
