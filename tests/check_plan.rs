//! The plan, acceptance and approval warnings of schema 2 (REGISTER.md §5):
//! `action-overdue`, `unplanned-treatment`, `target-above-appetite`,
//! `acceptance-authority`, `acceptance-reason`, `soa-unapproved` and
//! `plan-unapproved`, each positive and negative on a small hand-made
//! register, with the boundary days and the precise rules of §5.
//!
//! Every register here has a 3×3 method (Low ≤ 2, Medium ≤ 4, High ≤ 9),
//! one asset and one threat; each test adds the risks, actions and
//! approvals its case needs and looks only at the code it is about.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use serde_json::Value;

mod common;
use common::{TODAY, p, riskbench_in, run_command};

/// What a test register is made of, beyond the fixed method, asset and threat.
struct Reg<'a> {
    /// `accept_by` of the Low, Medium and High levels (RON lists).
    accept_by: [&'a str; 3],
    appetite: u32,
    risks: &'a str,
    /// Everything after `risks`: controls, actions, approvals, baselines.
    tail: &'a str,
    schema: u32,
}

impl Default for Reg<'_> {
    fn default() -> Self {
        Reg {
            accept_by: ["[]", "[]", "[]"],
            appetite: 4,
            risks: "",
            tail: "",
            schema: 2,
        }
    }
}

impl Reg<'_> {
    fn text(&self) -> String {
        let [low, medium, high] = self.accept_by;
        format!(
            r#"Register(
    schema: {schema},
    name: "Plan check",
    method: (
        likelihood: ["Low", "Medium", "High"],
        impact: ["Low", "Medium", "High"],
        levels: [
            (name: "Low", up_to: 2, review_days: 365, accept_by: {low}),
            (name: "Medium", up_to: 4, review_days: 180, accept_by: {medium}),
            (name: "High", up_to: 9, review_days: 90, accept_by: {high}),
        ],
        matrix: None,
        appetite: {appetite},
    ),
    factors: [(id: "legacy", label: "Legacy site still running", on: false, requires: [])],
    assets: [(id: "A-01", name: "Customer database", kind: Information, owner: "Head of Data")],
    threats: [(id: "T-01", name: "Ransomware")],
    risks: [{risks}],
    {tail}
)
"#,
            schema = self.schema,
            appetite = self.appetite,
            risks = self.risks,
            tail = self.tail,
        )
    }

    /// `check --format json` on this register: the warnings' `(code, at)`.
    fn warnings(&self) -> Vec<(String, String)> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.ron");
        std::fs::write(&file, self.text()).unwrap();
        let r = run_command(
            riskbench_in(dir.path()),
            &["check", p(&file), "--format", "json", "--today", TODAY],
        );
        let doc: Value = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", r.stdout, r.stderr));
        assert_eq!(
            doc["errors"],
            serde_json::json!([]),
            "the test register must be valid:\n{}",
            self.text()
        );
        doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| {
                (
                    w["code"].as_str().unwrap().to_string(),
                    w["at"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// The `at` of every warning with `code`.
    fn at(&self, code: &str) -> Vec<String> {
        self.warnings()
            .into_iter()
            .filter(|(c, _)| c == code)
            .map(|(_, at)| at)
            .collect()
    }
}

/// A risk; `extra` adds fields (`residual`, `acceptance`, `factor`).
fn risk(id: &str, l: u32, i: u32, treatment: &str, controls: &str, extra: &str) -> String {
    format!(
        r#"(id: "{id}", title: "Risk {id}", asset: "A-01", threat: "T-01", likelihood: {l}, impact: {i},
           treatment: {treatment}, controls: {controls}, owner: "CTO", reviewed: Some("2026-11-01"), {extra}),"#
    )
}

fn action(id: &str, risks: &str, status: &str, due: &str) -> String {
    format!(
        r#"(id: "{id}", title: "Do {id}", risks: {risks}, owner: "IT lead", due: {due}, status: {status}),"#
    )
}

fn actions(list: &[String]) -> String {
    format!(
        "actions: [{}],\n    plan_approval: Some((on: \"2026-11-01\", by: \"CEO\", note: \"\")),",
        list.concat()
    )
}

fn acceptance(by: &str, on: &str, until: &str, reason: &str) -> String {
    format!(r#"acceptance: Some((by: "{by}", on: "{on}", until: "{until}", reason: "{reason}")),"#)
}

// ------------------------------------------------------------ action-overdue

#[test]
fn an_open_or_in_progress_action_due_before_today_is_overdue() {
    let tail = actions(&[
        action("ACT-01", "[]", "Open", r#"Some("2026-11-30")"#),
        action("ACT-02", "[]", "InProgress", r#"Some("2026-01-15")"#),
    ]);
    let reg = Reg {
        tail: &tail,
        ..Reg::default()
    };
    assert_eq!(reg.at("action-overdue"), ["ACT-01", "ACT-02"]);
}

#[test]
fn due_today_later_none_done_or_cancelled_is_not_overdue() {
    let tail = actions(&[
        action("ACT-01", "[]", "Open", r#"Some("2026-12-01")"#), // today
        action("ACT-02", "[]", "InProgress", r#"Some("2027-01-01")"#),
        action("ACT-03", "[]", "Open", "None"),
        action("ACT-04", "[]", "Done", r#"Some("2026-01-01")"#),
        action("ACT-05", "[]", "Cancelled", r#"Some("2026-01-01")"#),
    ]);
    let reg = Reg {
        tail: &tail,
        ..Reg::default()
    };
    assert_eq!(reg.at("action-overdue"), Vec::<String>::new());
}

// ------------------------------------------------------------ unplanned-treatment

/// R-001: Modify, 3×3 with 8.13 not started: its residual is not its target.
fn modify_risk(extra: &str) -> String {
    risk("R-001", 3, 3, "Modify", r#"["8.13"]"#, extra)
}

#[test]
fn a_modify_risk_short_of_its_target_without_a_live_action_is_unplanned() {
    let risks = modify_risk("");
    // Done and cancelled actions plan nothing more; the other action treats
    // another risk.
    let tail = actions(&[
        action("ACT-01", r#"["R-001"]"#, "Done", "None"),
        action("ACT-02", r#"["R-001"]"#, "Cancelled", "None"),
        action("ACT-03", r#"["R-002"]"#, "Open", "None"),
    ]);
    let risks = format!("{risks}{}", risk("R-002", 1, 1, "Retain", "[]", ""));
    let reg = Reg {
        risks: &risks,
        tail: &tail,
        ..Reg::default()
    };
    assert_eq!(reg.at("unplanned-treatment"), ["R-001"]);
    // Without any plan at all, too.
    let bare = modify_risk("");
    let reg = Reg {
        risks: &bare,
        ..Reg::default()
    };
    assert_eq!(reg.at("unplanned-treatment"), ["R-001"]);
}

#[test]
fn an_open_or_in_progress_action_plans_the_treatment() {
    let risks = modify_risk("");
    for status in ["Open", "InProgress"] {
        let tail = actions(&[action("ACT-01", r#"["R-001"]"#, status, "None")]);
        let reg = Reg {
            risks: &risks,
            tail: &tail,
            ..Reg::default()
        };
        assert_eq!(
            reg.at("unplanned-treatment"),
            Vec::<String>::new(),
            "{status}"
        );
    }
}

#[test]
fn a_reached_target_another_treatment_or_out_of_scope_needs_no_plan() {
    let risks = [
        // Residual = target: every linked control implemented.
        risk("R-001", 3, 3, "Modify", r#"["8.13"]"#, ""),
        // Retained: not treated by controls.
        risk("R-002", 3, 3, "Retain", r#"["8.13"]"#, ""),
        // Out of scope (factor off).
        risk(
            "R-003",
            3,
            3,
            "Modify",
            r#"["8.7"]"#,
            r#"factor: Some("legacy"),"#,
        ),
    ]
    .concat();
    let tail = r#"controls: [(id: "8.13", status: Implemented, effectiveness: 100)],"#;
    let reg = Reg {
        risks: &risks,
        tail,
        ..Reg::default()
    };
    assert_eq!(reg.at("unplanned-treatment"), Vec::<String>::new());
}

#[test]
fn a_valid_acceptance_silences_unplanned_treatment_and_target_above_appetite() {
    // Valid until today (the last day counts), from today, and the
    // negative: expired yesterday, not yet started.
    for (on, until, silenced) in [
        ("2026-06-01", "2026-12-01", true),
        ("2026-12-01", "2027-06-01", true),
        ("2026-06-01", "2026-11-30", false),
        ("2026-12-02", "2027-06-01", false),
    ] {
        let risks = risk(
            "R-001",
            3,
            3,
            "Modify",
            "[]",
            // 8.7 alone barely moves a 3×3 risk: target stays above appetite 1.
            &acceptance("CTO", on, until, "Budget next year"),
        )
        .replace("controls: []", r#"controls: ["8.13"]"#);
        let reg = Reg {
            risks: &risks,
            appetite: 1,
            ..Reg::default()
        };
        let want: Vec<String> = if silenced {
            vec![]
        } else {
            vec!["R-001".into()]
        };
        assert_eq!(reg.at("unplanned-treatment"), want, "{on}..{until}");
        assert_eq!(reg.at("target-above-appetite"), want, "{on}..{until}");
    }
}

// ------------------------------------------------------------ target-above-appetite

#[test]
fn a_modify_risk_whose_target_is_above_appetite_is_flagged() {
    let risks = modify_risk("");
    let tail = actions(&[action("ACT-01", r#"["R-001"]"#, "Open", "None")]);
    let reg = Reg {
        risks: &risks,
        tail: &tail,
        appetite: 1,
        ..Reg::default()
    };
    assert_eq!(reg.at("target-above-appetite"), ["R-001"]);
}

#[test]
fn a_target_within_appetite_or_a_retained_or_out_of_scope_risk_is_not() {
    let within = modify_risk("");
    let reg = Reg {
        risks: &within,
        appetite: 9,
        ..Reg::default()
    };
    assert_eq!(reg.at("target-above-appetite"), Vec::<String>::new());
    let others = [
        risk("R-002", 3, 3, "Retain", r#"["8.13"]"#, ""),
        risk(
            "R-003",
            3,
            3,
            "Modify",
            r#"["8.13"]"#,
            r#"factor: Some("legacy"),"#,
        ),
    ]
    .concat();
    let reg = Reg {
        risks: &others,
        appetite: 1,
        ..Reg::default()
    };
    assert_eq!(reg.at("target-above-appetite"), Vec::<String>::new());
}

// ------------------------------------------------------------ acceptance-authority

/// A retained High (3×3) risk owned by the CTO, accepted by `by`.
fn accepted_high(id: &str, by: &str, extra: &str) -> String {
    risk(
        id,
        3,
        3,
        "Retain",
        "[]",
        &format!(
            "{}{extra}",
            acceptance(by, "2026-07-01", "2027-06-30", "Insured")
        ),
    )
}

#[test]
fn without_accept_by_only_the_owner_may_accept_trimmed_and_case_insensitive() {
    let risks = [
        accepted_high("R-001", "  cto ", ""),
        accepted_high("R-002", "CFO", ""),
    ]
    .concat()
    .replace(r#"owner: "CTO""#, r#"owner: " Cto""#);
    let reg = Reg {
        risks: &risks,
        ..Reg::default()
    };
    assert_eq!(reg.at("acceptance-authority"), ["R-002"]);
}

#[test]
fn with_accept_by_only_the_listed_names_may_accept_not_the_owner() {
    let risks = [
        accepted_high("R-001", "ceo", ""),
        accepted_high("R-002", " Board  ", ""),
        accepted_high("R-003", "CTO", ""), // the owner, not listed
    ]
    .concat();
    let reg = Reg {
        risks: &risks,
        accept_by: ["[]", "[]", r#"["CEO ", "board"]"#],
        ..Reg::default()
    };
    assert_eq!(reg.at("acceptance-authority"), ["R-003"]);
    // The owner listed among others may.
    let reg = Reg {
        risks: &risks,
        accept_by: ["[]", "[]", r#"["CEO", "Board", "cto"]"#],
        ..Reg::default()
    };
    assert_eq!(reg.at("acceptance-authority"), Vec::<String>::new());
}

#[test]
fn authority_follows_the_manual_residual_level() {
    // 3×3 is High (CEO only); the manual residual 1×1 is Low (the owner).
    let manual = "residual: Some((likelihood: 1, impact: 1, note: \"Compensating process\")),";
    let by_owner = accepted_high("R-001", "CTO", manual);
    let reg = Reg {
        risks: &by_owner,
        accept_by: ["[]", "[]", r#"["CEO"]"#],
        ..Reg::default()
    };
    assert_eq!(reg.at("acceptance-authority"), Vec::<String>::new());
    let by_ceo = accepted_high("R-001", "CEO", manual);
    let reg = Reg {
        risks: &by_ceo,
        accept_by: ["[]", "[]", r#"["CEO"]"#],
        ..Reg::default()
    };
    assert_eq!(reg.at("acceptance-authority"), ["R-001"]);
}

#[test]
fn authority_looks_at_expired_and_future_acceptances_too() {
    let risks = [
        risk(
            "R-001",
            3,
            3,
            "Retain",
            "[]",
            &acceptance("CFO", "2025-01-01", "2025-12-31", "Old"),
        ),
        risk(
            "R-002",
            3,
            3,
            "Retain",
            "[]",
            &acceptance("CFO", "2027-01-01", "2027-12-31", "Next year"),
        ),
    ]
    .concat();
    let reg = Reg {
        risks: &risks,
        ..Reg::default()
    };
    assert_eq!(reg.at("acceptance-authority"), ["R-001", "R-002"]);
}

#[test]
fn an_acceptance_on_an_out_of_scope_risk_is_not_flagged() {
    let risks = risk(
        "R-001",
        3,
        3,
        "Retain",
        "[]",
        &format!(
            r#"{}factor: Some("legacy"),"#,
            acceptance("Intern", "2026-01-01", "2030-12-31", "")
        ),
    );
    let reg = Reg {
        risks: &risks,
        ..Reg::default()
    };
    assert_eq!(reg.at("acceptance-authority"), Vec::<String>::new());
    assert_eq!(reg.at("acceptance-reason"), Vec::<String>::new());
}

// ------------------------------------------------------------ acceptance-reason

#[test]
fn an_acceptance_without_a_reason_is_flagged_and_one_with_a_reason_is_not() {
    let risks = [
        risk(
            "R-001",
            3,
            3,
            "Retain",
            "[]",
            &acceptance("CTO", "2026-07-01", "2027-06-30", ""),
        ),
        risk(
            "R-002",
            3,
            3,
            "Retain",
            "[]",
            &acceptance("CTO", "2026-07-01", "2027-06-30", "   "),
        ),
        risk(
            "R-003",
            3,
            3,
            "Retain",
            "[]",
            &acceptance("CTO", "2026-07-01", "2027-06-30", "Insured"),
        ),
        // No `reason` field at all: it defaults to empty.
        risk(
            "R-004",
            3,
            3,
            "Retain",
            "[]",
            r#"acceptance: Some((by: "CTO", on: "2026-07-01", until: "2027-06-30")),"#,
        ),
    ]
    .concat();
    let reg = Reg {
        risks: &risks,
        ..Reg::default()
    };
    assert_eq!(reg.at("acceptance-reason"), ["R-001", "R-002", "R-004"]);
}

// ------------------------------------------------------------ soa-unapproved

/// A baseline listing every Annex A control as not applicable and not
/// started, except what `overrides` says (`(id, applicable, status)`), and
/// leaving out the ids in `missing`.
fn baseline(version: u32, overrides: &[(&str, &str, &str)], missing: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_riskbench"))
        .args(["catalog", "--format", "json"])
        .output()
        .unwrap();
    let catalog: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("catalog --format json: {e}"));
    let mut entries = String::new();
    for c in catalog["controls"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        if missing.contains(&id) {
            continue;
        }
        let (a, s) = overrides
            .iter()
            .find(|o| o.0 == id)
            .map_or(("No", "NotStarted"), |o| (o.1, o.2));
        entries.push_str(&format!(
            r#"(control: "{id}", applicable: {a}, status: {s}),"#
        ));
    }
    format!(
        r#"(version: {version}, approved: "2026-06-01", by: "CEO", note: "", entries: [{entries}]),"#
    )
}

/// Every control decided not applicable (so the SoA is decided), 8.13
/// applicable through R-001 and Implemented.
fn decided_register_tail(baselines: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_riskbench"))
        .args(["catalog", "--format", "json"])
        .output()
        .unwrap();
    let catalog: Value = serde_json::from_slice(&out.stdout).unwrap();
    let decisions: String = catalog["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .filter(|id| *id != "8.13")
        .map(|id| format!(r#"(control: "{id}", applicable: false, reason: "Out of scope"),"#))
        .collect();
    format!(
        // With evidence: an Implemented control without is `evidence-missing`.
        r#"controls: [(id: "8.13", status: Implemented, effectiveness: 100,
        evidence: [(what: "Restore test report", on: "2026-11-01")])],
    decisions: [{decisions}],
    baselines: [{baselines}],"#
    )
}

fn approved_risk() -> String {
    risk("R-001", 1, 1, "Modify", r#"["8.13"]"#, "")
}

#[test]
fn a_register_without_a_baseline_has_an_unapproved_soa() {
    for schema in [1, 2] {
        let risks = approved_risk();
        let reg = Reg {
            risks: &risks,
            schema,
            ..Reg::default()
        };
        assert_eq!(reg.at("soa-unapproved"), ["soa"], "schema {schema}");
    }
}

#[test]
fn an_soa_equal_to_the_last_baseline_is_approved() {
    let current = baseline(2, &[("8.13", "Yes", "Implemented")], &[]);
    // An older, different baseline first: only the last one counts.
    let tail = decided_register_tail(&format!("{}{current}", baseline(1, &[], &[])));
    let risks = approved_risk();
    let reg = Reg {
        risks: &risks,
        tail: &tail,
        ..Reg::default()
    };
    assert_eq!(reg.warnings(), Vec::<(String, String)>::new());
}

#[test]
fn an_soa_that_differs_from_the_last_baseline_is_unapproved() {
    let risks = approved_risk();
    for (what, last) in [
        // The status approved was Planned.
        ("status", baseline(2, &[("8.13", "Yes", "Planned")], &[])),
        // Approved as not applicable.
        ("applicability", baseline(2, &[], &[])),
        // Missing from the baseline's entries.
        (
            "missing",
            baseline(2, &[("8.13", "Yes", "Implemented")], &["5.1"]),
        ),
    ] {
        // The first baseline matches; the last one does not.
        let tail = decided_register_tail(&format!(
            "{}{last}",
            baseline(1, &[("8.13", "Yes", "Implemented")], &[])
        ));
        let reg = Reg {
            risks: &risks,
            tail: &tail,
            ..Reg::default()
        };
        assert_eq!(reg.at("soa-unapproved"), ["soa"], "{what}");
    }
}

// ------------------------------------------------------------ plan-unapproved

#[test]
fn a_plan_without_approval_is_unapproved() {
    for schema in [1, 2] {
        let tail = format!(
            "actions: [{}],",
            action("ACT-01", "[]", "Done", r#"Some("2026-01-01")"#)
        );
        let reg = Reg {
            tail: &tail,
            schema,
            ..Reg::default()
        };
        assert_eq!(reg.at("plan-unapproved"), ["plan"], "schema {schema}");
    }
}

#[test]
fn an_approved_plan_or_no_plan_is_not_flagged() {
    let tail = actions(&[action("ACT-01", "[]", "Open", "None")]);
    let reg = Reg {
        tail: &tail,
        ..Reg::default()
    };
    assert_eq!(reg.at("plan-unapproved"), Vec::<String>::new());
    // No actions and no approval: there is no plan to approve.
    let reg = Reg::default();
    assert_eq!(reg.at("plan-unapproved"), Vec::<String>::new());
}

// ------------------------------------------------------------ text output

#[test]
fn text_output_names_the_new_codes_with_their_entities() {
    let tail = format!(
        "actions: [{}],",
        action("ACT-07", "[]", "Open", r#"Some("2026-11-30")"#)
    );
    let reg = Reg {
        tail: &tail,
        ..Reg::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.ron");
    std::fs::write(&file, reg.text()).unwrap();
    let r = run_command(
        riskbench_in(dir.path()),
        &["check", p(&file), "--strict", "--today", TODAY],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    for needle in [
        "warning[action-overdue] ACT-07: ",
        "warning[plan-unapproved] plan: ",
        "warning[soa-unapproved] soa: ",
    ] {
        assert!(r.stdout.contains(needle), "{needle} in:\n{}", r.stdout);
    }
}

// ------------------------------------------------------------ the workbench

mod workbench {
    use super::common::{app_with, keys, northwind_app, today};
    use riskbench::app::View;
    use riskbench::app::edit::{Edit, Item};
    use riskbench::domain::Analysis;
    use riskbench::domain::model::ControlStatus;

    fn nist() -> riskbench::domain::Register {
        riskbench::store::parse_str(
            "nist-800-30.ron",
            include_str!("../registers/nist-800-30.ron"),
        )
        .expect("nist loads")
        .register
    }

    fn codes(app: &riskbench::app::App, code: &str) -> usize {
        app.doc
            .analysis()
            .findings
            .iter()
            .filter(|f| f.code == code)
            .count()
    }

    /// A control's status is part of the SoA: changing it (the quick path
    /// that re-checks only the risks linking it) must bring
    /// `soa-unapproved` up, and undo must take it away, exactly as a full
    /// validation would.
    #[test]
    fn a_status_change_unapproves_the_soa_and_undo_approves_it_again() {
        let mut app = app_with(nist());
        assert_eq!(codes(&app, "soa-unapproved"), 0);
        let at = app
            .doc
            .register()
            .controls
            .iter()
            .position(|c| c.status != ControlStatus::Implemented && c.id.contains('.'))
            .expect("a control not implemented yet");
        let before = app.doc.register().controls[at].clone();
        let mut after = before.clone();
        after.status = ControlStatus::Implemented;
        app.apply_edit(
            Edit::Replace {
                at,
                before: Item::Control(before),
                after: Item::Control(after),
            },
            "implemented",
        );
        assert_eq!(codes(&app, "soa-unapproved"), 1);
        let full = Analysis::new(app.doc.register(), today());
        assert_eq!(
            full.findings
                .iter()
                .filter(|f| f.code == "soa-unapproved")
                .count(),
            1
        );
        keys(&mut app, "ctrl-z");
        assert_eq!(codes(&app, "soa-unapproved"), 0);
    }

    /// Enter on `soa-unapproved` in the Findings view shows the SoA.
    #[test]
    fn enter_on_soa_unapproved_shows_the_soa() {
        let mut app = northwind_app();
        keys(&mut app, "9");
        assert_eq!(app.view, View::Findings);
        let i = app
            .doc
            .analysis()
            .findings
            .iter()
            .position(|f| f.code == "soa-unapproved")
            .expect("northwind's SoA waits for approval");
        keys(&mut app, "g g");
        let pos = app
            .current_table()
            .rows
            .iter()
            .position(|&r| r == i)
            .expect("the finding is listed");
        for _ in 0..pos {
            keys(&mut app, "j");
        }
        keys(&mut app, "enter");
        assert_eq!(app.view, View::Soa);
        let (text, _) = app.message.clone().expect("a message");
        assert!(text.contains("soa-unapproved"), "{text}");
    }
}
