//! Unit tests of the scoring and SoA rules (REGISTER.md §2, §3) on small
//! registers built in code.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use chrono::NaiveDate;
use common::{
    bare_spec_register as bare, control_state as state, spec_example_register as spec_example,
};
use riskbench::domain::eval::round_half_up;
use riskbench::domain::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn worked_example_matches_the_spec() {
    let reg = spec_example();
    let a = Analysis::new(&reg, day("2026-12-01"));
    let e = a.eval.risks[0].as_ref().unwrap();
    assert_eq!(
        (e.inherent.likelihood, e.inherent.impact, e.inherent.score),
        (4, 5, 20)
    );
    assert_eq!(e.inherent.level_name(&reg.method), "Critical");
    let p = riskbench::domain::eval::products(&reg, &a.eval.lookups, &reg.risks[0]);
    assert!((p.likelihood - 0.2).abs() < 1e-12);
    assert!((p.impact - 0.028).abs() < 1e-12);
    assert_eq!(
        (e.residual.likelihood, e.residual.impact, e.residual.score),
        (2, 1, 2)
    );
    assert_eq!(e.residual.level_name(&reg.method), "Low");
    assert!((p.target_impact - 0.016).abs() < 1e-12);
    assert_eq!(
        (e.target.likelihood, e.target.impact, e.target.score),
        (2, 1, 2)
    );
    assert!(!e.manual && !e.above_appetite);
    assert_eq!(e.next_review, Some(day("2027-09-01")));
    assert!(!e.overdue);
}

#[test]
fn rounding_is_half_up_with_tolerance() {
    assert_eq!(round_half_up(2.5), 3);
    assert_eq!(round_half_up(3.5), 4);
    assert_eq!(round_half_up(2.4999999999), 3);
    assert_eq!(round_half_up(2.49), 2);
    assert_eq!(round_half_up(1.0), 1);
}

#[test]
fn exact_half_rounds_up_in_scoring() {
    // 8.5 is Preventive only. Partial at 100% → s = 0.5; L0 = 4 →
    // 1 + 3 × 0.5 = 2.5 → 3.
    let mut reg = bare();
    reg.risks[0].controls = vec!["8.5".into()];
    reg.controls = vec![state("8.5", ControlStatus::Partial, 100)];
    let e = Analysis::new(&reg, day("2026-12-01")).eval.risks[0]
        .clone()
        .unwrap();
    assert_eq!(e.residual.likelihood, 3);
    assert_eq!(e.residual.impact, 5);
    // Target: fully implemented → 1 + 3 × 0 = 1.
    assert_eq!(e.target.likelihood, 1);

    // 75% Partial → s = 0.375, pL = 0.625; L0 = 5 (likelihood 4 + shift 1):
    // 1 + 4 × 0.625 = 3.5 → 4.
    reg.threats[0].shift = 1;
    reg.controls = vec![state("8.5", ControlStatus::Partial, 75)];
    let e = Analysis::new(&reg, day("2026-12-01")).eval.risks[0]
        .clone()
        .unwrap();
    assert_eq!(e.inherent.likelihood, 5);
    assert_eq!(e.residual.likelihood, 4);
}

#[test]
fn shift_is_clamped_to_the_scale() {
    let mut reg = bare();
    reg.threats[0].shift = 3;
    let a = Analysis::new(&reg, day("2026-12-01"));
    assert_eq!(a.eval.risks[0].as_ref().unwrap().inherent.likelihood, 5);
    reg.threats[0].shift = -9;
    let a = Analysis::new(&reg, day("2026-12-01"));
    assert_eq!(a.eval.risks[0].as_ref().unwrap().inherent.likelihood, 1);
}

#[test]
fn manual_residual_replaces_current_but_not_target() {
    let mut reg = spec_example();
    reg.threats[0].shift = 1; // must not apply to the manual residual
    reg.risks[0].residual = Some(Box::new(ManualResidual {
        likelihood: 3,
        impact: 4,
        note: "workshop".into(),
    }));
    let a = Analysis::new(&reg, day("2026-12-01"));
    let e = a.eval.risks[0].as_ref().unwrap();
    assert!(e.manual);
    assert_eq!(
        (e.residual.likelihood, e.residual.impact, e.residual.score),
        (3, 4, 12)
    );
    assert!(e.above_appetite);
    assert_eq!(e.residual.level_name(&reg.method), "High");
    // High reviews every 90 days.
    assert_eq!(e.next_review, Some(day("2026-11-30")));
    assert!(e.overdue);
    assert_eq!(e.target.score, 2);
}

#[test]
fn never_reviewed_is_overdue_and_has_no_next_review() {
    let mut reg = spec_example();
    reg.risks[0].reviewed = None;
    let a = Analysis::new(&reg, day("2020-01-01"));
    let e = a.eval.risks[0].as_ref().unwrap();
    assert_eq!(e.next_review, None);
    assert!(e.overdue);
}

#[test]
fn overdue_only_when_strictly_before_today() {
    let reg = spec_example();
    let on_the_day = Analysis::new(&reg, day("2027-09-01"));
    assert!(!on_the_day.eval.risks[0].as_ref().unwrap().overdue);
    let after = Analysis::new(&reg, day("2027-09-02"));
    assert!(after.eval.risks[0].as_ref().unwrap().overdue);
}

#[test]
fn matrix_decides_the_level() {
    let mut reg = bare();
    reg.method.levels = vec![
        Level {
            accept_by: Vec::new(),
            name: "Very Low".into(),
            up_to: 1,
            review_days: 365,
        },
        Level {
            accept_by: Vec::new(),
            name: "Low".into(),
            up_to: 4,
            review_days: 365,
        },
        Level {
            accept_by: Vec::new(),
            name: "Moderate".into(),
            up_to: 9,
            review_days: 180,
        },
        Level {
            accept_by: Vec::new(),
            name: "High".into(),
            up_to: 16,
            review_days: 90,
        },
        Level {
            accept_by: Vec::new(),
            name: "Very High".into(),
            up_to: 25,
            review_days: 30,
        },
    ];
    // NIST SP 800-30 Table I-2, likelihood Very Low first.
    let rows = [
        ["Very Low", "Very Low", "Very Low", "Low", "Low"],
        ["Very Low", "Low", "Low", "Low", "Moderate"],
        ["Very Low", "Low", "Moderate", "Moderate", "High"],
        ["Very Low", "Low", "Moderate", "High", "Very High"],
        ["Very Low", "Low", "Moderate", "High", "Very High"],
    ];
    reg.method.matrix = Some(
        rows.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect(),
    );
    // 5×1 = 5 is Very Low by the matrix though up_to would say Moderate;
    // 2×5 = 10 is Moderate by the matrix though up_to would say High.
    reg.risks[0].likelihood = 5;
    reg.risks[0].impact = 1;
    let a = Analysis::new(&reg, day("2026-12-01"));
    assert!(!a.has_errors(), "{:?}", a.errors().collect::<Vec<_>>());
    let e = a.eval.risks[0].as_ref().unwrap();
    assert_eq!(e.inherent.score, 5);
    assert_eq!(e.inherent.level_name(&reg.method), "Very Low");
    reg.risks[0].likelihood = 2;
    reg.risks[0].impact = 5;
    let a = Analysis::new(&reg, day("2026-12-01"));
    assert_eq!(
        a.eval.risks[0]
            .as_ref()
            .unwrap()
            .inherent
            .level_name(&reg.method),
        "Moderate"
    );
}

fn soa_entry<'a>(a: &'a Analysis, id: &str) -> &'a SoaEntry {
    let i = Catalog::annex_a().index_of(id).unwrap();
    &a.soa.entries[i]
}

#[test]
fn soa_rules() {
    let reg = spec_example();
    let a = Analysis::new(&reg, day("2026-12-01"));
    assert_eq!(a.soa.entries.len(), 93);
    let e = soa_entry(&a, "8.7");
    assert_eq!(e.applicable, Applicable::Yes);
    assert_eq!(e.justification(&reg), "Risks: R-001");
    assert_eq!(e.status, ControlStatus::Implemented);
    let e = soa_entry(&a, "5.23");
    assert_eq!(
        (e.applicable, e.justification(&reg).as_str()),
        (Applicable::Yes, "Factors: cloud")
    );
    let e = soa_entry(&a, "5.31");
    assert_eq!(
        (e.applicable, e.justification(&reg).as_str()),
        (Applicable::Yes, "Legal: UK GDPR")
    );
    let e = soa_entry(&a, "7.4");
    assert_eq!(e.applicable, Applicable::No);
    assert_eq!(e.justification(&reg), "No own premises; shared office");
    // premises is off: 7.1 is not required, nothing else → Undecided.
    let e = soa_entry(&a, "7.1");
    assert_eq!(
        (e.applicable, e.justification(&reg).as_str()),
        (Applicable::Undecided, "")
    );
    assert_eq!(e.status, ControlStatus::NotStarted);
    let s = a.soa.summary();
    assert_eq!((s.yes, s.no, s.undecided, s.implemented), (5, 1, 87, 2));
}

#[test]
fn soa_justification_joins_all_three_parts() {
    let mut reg = spec_example();
    reg.decisions.push(Decision {
        control: "8.7".into(),
        applicable: true,
        reason: "Contract: MSA".into(),
    });
    reg.factors[0].requires.push("8.7".into());
    let a = Analysis::new(&reg, day("2026-12-01"));
    assert_eq!(
        soa_entry(&a, "8.7").justification(&reg),
        "Risks: R-001; Factors: cloud; Contract: MSA"
    );
}

#[test]
fn excluded_but_needed_is_a_conflict_that_still_shows_no() {
    let mut reg = spec_example();
    reg.decisions.push(Decision {
        control: "8.13".into(),
        applicable: false,
        reason: "We do not back up".into(),
    });
    let a = Analysis::new(&reg, day("2026-12-01"));
    let e = soa_entry(&a, "8.13");
    assert_eq!(e.applicable, Applicable::No);
    assert!(e.conflict);
    let f = a
        .errors()
        .find(|f| f.code == "excluded-but-needed")
        .unwrap();
    assert_eq!(f.at, "8.13");
    assert!(f.message.contains("R-001"), "{}", f.message);
}

#[test]
fn out_of_scope_risk_does_not_count_for_the_soa() {
    let mut reg = spec_example();
    reg.assets[0].factor = Some("premises".into()); // premises is off
    let a = Analysis::new(&reg, day("2026-12-01"));
    assert!(a.eval.risks[0].is_none());
    let e = soa_entry(&a, "8.13");
    assert_eq!(e.applicable, Applicable::Undecided);
    assert!(e.risks.is_empty());
    // Turning the factor on brings the asset, its risk and 7.1–7.4 in.
    reg.factors[1].on = true;
    let a = Analysis::new(&reg, day("2026-12-01"));
    assert!(a.eval.risks[0].is_some());
    assert_eq!(soa_entry(&a, "8.13").applicable, Applicable::Yes);
    assert_eq!(
        soa_entry(&a, "7.1").justification(&reg),
        "Factors: premises"
    );
    // 7.4 is excluded by decision but now required: conflict.
    assert!(soa_entry(&a, "7.4").conflict);
}

#[test]
fn risk_factor_controls_scope_too() {
    let mut reg = spec_example();
    reg.risks[0].factor = Some("premises".into());
    let a = Analysis::new(&reg, day("2026-12-01"));
    assert!(a.eval.risks[0].is_none());
}

#[test]
fn soa_risks_are_sorted_by_id() {
    let mut reg = spec_example();
    let mut r2 = reg.risks[0].clone();
    r2.id = "R-000".into();
    reg.risks.push(r2);
    let a = Analysis::new(&reg, day("2026-12-01"));
    assert_eq!(
        soa_entry(&a, "8.13").justification(&reg),
        "Risks: R-000, R-001"
    );
}

/// The SoA view cuts a justification listing thousands of risks short for
/// drawing; the justification itself (exports, JSON) stays whole.
#[test]
fn display_justifications_are_cut_short_but_the_real_one_is_whole() {
    let reg = riskbench::domain::generate::generate(3_000, 2);
    let a = Analysis::new(&reg, day("2026-12-01"));
    let (long, short) = {
        let mut by_len: Vec<_> = a
            .soa
            .entries
            .iter()
            .filter(|e| !e.risks.is_empty())
            .collect();
        by_len.sort_by_key(|e| e.risks.len());
        (*by_len.last().unwrap(), *by_len.first().unwrap())
    };
    let full = long.justification(&reg);
    assert!(full.len() > 600, "{}", full.len());
    let cut = long.justification_within(&reg, 600);
    assert!(cut.len() < 700, "{}", cut.len());
    let shown = cut.matches("R-").count();
    assert!(
        cut.contains(&format!("… +{} more", long.risks.len() - shown)),
        "{cut}"
    );
    // The start is the same, and whatever follows the risks is kept.
    let head = cut.split(", …").next().unwrap();
    assert!(full.starts_with(head));
    if let Some(rest) = full.split_once("; ").map(|(_, r)| r) {
        assert!(cut.ends_with(rest), "{cut}");
    }
    // A short one is not touched.
    assert_eq!(
        short.justification_within(&reg, 10_000),
        short.justification(&reg)
    );
}
