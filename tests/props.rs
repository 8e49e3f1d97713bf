//! Property tests of the general rules: residuals never exceed inherent,
//! better controls never make a residual worse, and the canonical form
//! round-trips byte for byte.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use chrono::NaiveDate;
use common::today;
use proptest::prelude::*;
use riskbench::domain::canonical::to_canonical;
use riskbench::domain::*;
use riskbench::store::parse_str;

const IDS: [&str; 12] = [
    "5.1", "5.15", "5.23", "5.30", "6.3", "7.4", "8.5", "8.7", "8.13", "8.16", "8.24", "8.32",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ,.;:()-]{0,20}",
        // Quotes, backslashes, control characters, emoji, RTL, combining.
        "[\"\\\\\n\t\r\u{1b}é😀\u{202e}\u{301}a]{0,8}",
    ]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0u64..4000).prop_map(|d| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(d))
}

fn status() -> impl Strategy<Value = ControlStatus> {
    prop::sample::select(ControlStatus::ALL.to_vec())
}

fn risk(n_assets: usize, n_threats: usize) -> impl Strategy<Value = Risk> {
    (
        (
            text(),
            0..n_assets,
            0..n_threats,
            text(),
            1u32..=5,
            1u32..=5,
        ),
        (
            prop::sample::select(Treatment::ALL.to_vec()),
            prop::sample::subsequence(IDS.to_vec(), 0..5),
            text(),
            prop::option::of(date()),
            prop::option::of(date()),
        ),
        (
            prop::option::of((1u32..=5, 1u32..=5, text())),
            prop::option::of((
                text(),
                date(),
                date(),
                prop::option::of(1u32..=25),
                any::<bool>(),
            )),
            any::<bool>(),
        ),
        (
            prop::sample::subsequence(
                vec![Cia::Confidentiality, Cia::Integrity, Cia::Availability],
                0..=3,
            ),
            prop::collection::vec((date(), text(), text()), 0..3),
            text(),
        ),
    )
        .prop_map(
            |(
                (title, a, t, vulnerability, likelihood, impact),
                (treatment, controls, owner, reviewed, due),
                (manual, acc, scoped),
                (cia, notes, reason),
            )| {
                let controls: Vec<Id> = controls.into_iter().map(Id::from).collect();
                Risk {
                    id: Id::default(),
                    title,
                    asset: format!("A-{a:02}").into(),
                    threat: format!("T-{t:02}").into(),
                    vulnerability,
                    likelihood,
                    impact,
                    treatment,
                    owner,
                    reviewed,
                    due,
                    residual: manual.map(|(likelihood, impact, note)| {
                        Box::new(ManualResidual {
                            likelihood,
                            impact,
                            note,
                        })
                    }),
                    acceptance: acc.map(|(by, on, until, accepted_score, with_controls)| {
                        Box::new(Acceptance {
                            by,
                            on,
                            until,
                            accepted_score,
                            accepted_controls: with_controls.then(|| controls.clone()),
                            reason: reason.clone(),
                        })
                    }),
                    controls,
                    factor: scoped.then(|| "remote".into()),
                    cia,
                    notes: notes
                        .into_iter()
                        .map(|(on, by, text)| Note { on, by, text })
                        .collect(),
                }
            },
        )
}

/// The parts schema 2 added that scoring does not read: actions, the
/// plan's approval, own controls (linked by no risk), merge conflicts,
/// baselines, evidence, criteria and who may accept.
#[allow(clippy::type_complexity)]
fn schema2_parts() -> impl Strategy<
    Value = (
        Vec<(
            String,
            Vec<&'static str>,
            Option<NaiveDate>,
            usize,
            Option<u32>,
            Option<u64>,
            String,
        )>,
        Option<(NaiveDate, String, String)>,
        Vec<(String, usize, Vec<&'static str>)>,
        Vec<(String, String, String)>,
        Vec<(NaiveDate, String, String, usize)>,
        Vec<(String, String, NaiveDate, String)>,
        (bool, Option<u32>, Vec<String>, String),
    ),
> {
    (
        prop::collection::vec(
            (
                text(),
                prop::sample::subsequence(IDS.to_vec(), 0..3),
                prop::option::of(date()),
                0usize..4,
                prop::option::of(0u32..100),
                prop::option::of(0u64..1_000_000),
                text(),
            ),
            0..4,
        ),
        prop::option::of((date(), text(), text())),
        prop::collection::vec(
            (
                text(),
                1usize..8,
                prop::sample::subsequence(IDS.to_vec(), 0..3),
            ),
            0..3,
        ),
        prop::collection::vec((text(), text(), text()), 0..2),
        prop::collection::vec((date(), text(), text(), 0usize..4), 0..3),
        prop::collection::vec((text(), text(), date(), text()), 0..3),
        (
            any::<bool>(),
            prop::option::of(1u32..1000),
            prop::collection::vec(text(), 0..3),
            text(),
        ),
    )
}

prop_compose! {
    fn register()(
        name in text(),
        n_assets in 1usize..5,
        n_threats in 1usize..4,
    )(
        name in Just(name),
        assets in prop::collection::vec((text(), 0usize..9, text(), any::<bool>()), n_assets),
        shifts in prop::collection::vec(-2i32..=2, n_threats),
        risks in prop::collection::vec(risk(n_assets, n_threats), 0..8),
        states in prop::collection::vec((status(), 0u32..=100, text()), IDS.len()),
        remote_on in any::<bool>(),
        decision in prop::option::of((any::<bool>(), text())),
        history in prop::collection::vec((date(), text(), text()), 0..3),
        extra in schema2_parts(),
    ) -> Register {
        let mut reg = parse_str("t.ron", include_str!("fixtures/spec-example.ron")).unwrap().register;
        reg.name = name;
        reg.factors.push(Factor { id: "remote".into(), label: "Remote work".into(), on: remote_on, requires: vec!["6.7".into()] });
        reg.assets = assets.into_iter().enumerate().map(|(i, (name, k, owner, scoped))| Asset {
            id: format!("A-{i:02}").into(), name, kind: AssetKind::ALL[k], owner,
            factor: scoped.then(|| "premises".into()),
        }).collect();
        reg.threats = shifts.into_iter().enumerate().map(|(i, shift)| Threat { id: format!("T-{i:02}").into(), name: format!("threat {i}"), shift, source: String::new() }).collect();
        reg.risks = risks.into_iter().enumerate().map(|(i, mut r)| { r.id = format!("R-{i:03}").into(); r }).collect();
        reg.controls = states.into_iter().zip(IDS).map(|((status, effectiveness, owner), id)| ControlState {
            id: id.into(), status, effectiveness, owner, note: String::new(), evidence: Vec::new(),
        }).collect();
        let (actions, approval, own, conflicts, baselines, evidence, (criteria, evidence_days, accept_by, source)) = extra;
        let n_risks = reg.risks.len();
        reg.actions = actions.into_iter().enumerate().map(|(i, (title, controls, due, status, effort_days, cost, note))| Action {
            id: format!("ACT-{i:02}").into(), title,
            risks: reg.risks.iter().take(i.min(n_risks)).map(|r| r.id.clone()).collect(),
            controls: controls.into_iter().map(Id::from).collect(),
            owner: format!("owner {i}"), due, status: ActionStatus::ALL[status],
            done_on: due, effort_days, cost, note,
        }).collect();
        reg.plan_approval = approval.map(|(on, by, note)| PlanApproval { on, by, note });
        reg.own_controls = own.into_iter().enumerate().map(|(i, (title, types, maps_to))| OwnControl {
            id: format!("ORG-{i}").into(), title,
            types: [ControlType::Preventive, ControlType::Detective, ControlType::Corrective]
                .into_iter().enumerate().filter(|(k, _)| types & (1 << k) != 0).map(|(_, t)| t).collect(),
            maps_to: maps_to.into_iter().map(Id::from).collect(),
        }).collect();
        reg.conflicts = conflicts.into_iter().map(|(field, ours, theirs)| Conflict {
            entity: "risk".into(), id: "R-000".into(), field, base: String::new(), ours, theirs,
        }).collect();
        reg.baselines = baselines.into_iter().enumerate().map(|(i, (approved, by, note, n))| Baseline {
            version: i as u32 + 1, approved, by, note,
            entries: IDS.iter().take(n).map(|c| BaselineEntry {
                control: (*c).into(), applicable: Applicable::Yes, status: ControlStatus::Partial,
            }).collect(),
        }).collect();
        for (c, (what, at, on, by)) in reg.controls.iter_mut().zip(evidence) {
            c.evidence.push(Evidence { what, at, on, by });
        }
        if criteria {
            reg.method.likelihood_criteria = reg.method.likelihood.iter().map(|l| format!("{l} means…")).collect();
        }
        reg.method.evidence_days = evidence_days;
        if let Some(l) = reg.method.levels.last_mut() {
            l.accept_by = accept_by;
        }
        if let Some(t) = reg.threats.first_mut() {
            t.source = source;
        }
        reg.decisions = decision.into_iter().map(|(applicable, reason)| Decision { control: "5.1".into(), applicable, reason }).collect();
        reg.history = history.into_iter().map(|(on, by, summary)| HistoryEntry { on, by, summary }).collect();
        reg
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn residual_and_target_never_exceed_inherent(reg in register()) {
        let a = Analysis::new(&reg, today());
        for (_, r, e) in a.eval.in_scope(&reg) {
            prop_assert!(e.target.likelihood <= e.inherent.likelihood, "{}", r.id);
            prop_assert!(e.target.impact <= e.inherent.impact, "{}", r.id);
            if !e.manual {
                prop_assert!(e.residual.likelihood <= e.inherent.likelihood, "{}", r.id);
                prop_assert!(e.residual.impact <= e.inherent.impact, "{}", r.id);
                // The target assumes every control fully in place: it is
                // never worse than the current residual.
                prop_assert!(e.target.likelihood <= e.residual.likelihood);
                prop_assert!(e.target.impact <= e.residual.impact);
            }
        }
    }

    #[test]
    fn raising_a_control_status_never_raises_a_residual(reg in register(), which in 0..IDS.len()) {
        let before = Analysis::new(&reg, today());
        let mut better = reg.clone();
        let c = &mut better.controls[which];
        c.status = match c.status {
            ControlStatus::NotStarted => ControlStatus::Planned,
            ControlStatus::Planned => ControlStatus::Partial,
            _ => ControlStatus::Implemented,
        };
        let after = Analysis::new(&better, today());
        for (i, (b, a)) in before.eval.risks.iter().zip(&after.eval.risks).enumerate() {
            if let (Some(b), Some(a)) = (b, a) {
                prop_assert!(a.residual.likelihood <= b.residual.likelihood, "risk {i}");
                prop_assert!(a.residual.impact <= b.residual.impact, "risk {i}");
                prop_assert!(a.residual.score <= b.residual.score, "risk {i}");
                prop_assert_eq!(a.target, b.target);
            }
        }
    }

    /// The workbench re-evaluates after an environment change from the
    /// inputs it kept (`Analysis::reevaluate`); that must always equal
    /// evaluating the changed register from scratch.
    #[test]
    fn reevaluating_after_environment_changes_equals_a_fresh_evaluation(
        reg in register(),
        factors_on in prop::collection::vec(any::<bool>(), 3),
        shifts in prop::collection::vec(-3i32..=3, 4),
        asset_scoped in prop::collection::vec(prop::option::of(0usize..4), 5),
        states in prop::collection::vec((0usize..IDS.len(), status(), 0u32..=120), 0..6),
        appetite in 0u32..30,
        days_later in 0u64..800,
    ) {
        let mut an = Analysis::new(&reg, today());
        let mut changed = reg.clone();
        for (f, on) in changed.factors.iter_mut().zip(factors_on) {
            f.on = on;
        }
        for (t, shift) in changed.threats.iter_mut().zip(shifts) {
            t.shift = shift;
        }
        let factor_ids = ["premises", "remote", "cloud", "nowhere"];
        for (a, f) in changed.assets.iter_mut().zip(asset_scoped) {
            a.factor = f.map(|f| factor_ids[f].into());
        }
        for (c, status, effectiveness) in states {
            changed.controls[c].status = status;
            changed.controls[c].effectiveness = effectiveness;
        }
        changed.method.appetite = appetite;
        let later = today() + chrono::Days::new(days_later);
        an.reevaluate(&changed, later);
        let fresh = Analysis::new(&changed, later);
        prop_assert_eq!(&an.eval.risks, &fresh.eval.risks);
        prop_assert_eq!(&an.soa, &fresh.soa);
        prop_assert_eq!(&an.findings, &fresh.findings);
        // And the risks' own edits through `update_risk` keep it so.
        if !changed.risks.is_empty() {
            changed.risks[0].likelihood = 1 + changed.risks[0].likelihood % 5;
            changed.risks[0].residual = None;
            an.eval.update_risk(&changed, 0);
            prop_assert_eq!(&an.eval.risks, &Analysis::new(&changed, later).eval.risks);
        }
    }

    #[test]
    fn canonical_save_load_save_is_byte_identical(reg in register()) {
        let first = to_canonical(&reg);
        let loaded = parse_str("gen.ron", &first).map_err(|e| TestCaseError::fail(format!("{e}\n{first}")))?;
        prop_assert_eq!(&loaded.register, &reg);
        let second = to_canonical(&loaded.register);
        prop_assert_eq!(first, second);
    }
}

#[test]
fn canonical_fixture_round_trips() {
    let src = include_str!("fixtures/spec-example.ron");
    let reg = parse_str("spec-example.ron", src).unwrap().register;
    let out = to_canonical(&reg);
    assert_eq!(parse_str("x", &out).unwrap().register, reg);
    assert_eq!(to_canonical(&parse_str("x", &out).unwrap().register), out);
}
