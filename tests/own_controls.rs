//! Own controls (issue 16 item 2, REGISTER.md §5 "Own controls in scoring
//! and the SoA"): an own control scores by its `types` exactly as an Annex A
//! control scores by its 27002 type, with its `controls[]` state; it has no
//! SoA row, but an Annex A control it maps to counts the risks linking it;
//! where own ids may and may not appear; and the workbench: the Controls
//! view's own section, its form, the picker that links one to a risk.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::{
    app_with, bare_spec_register as bare, control_state as state, keys, northwind_app, screen,
    today,
};
use proptest::prelude::*;
use riskbench::app::Modal;
use riskbench::app::table::View;
use riskbench::domain::*;

fn own(id: &str, types: &[ControlType], maps_to: &[&str]) -> OwnControl {
    OwnControl {
        id: id.into(),
        title: format!("{id} title"),
        types: types.to_vec(),
        maps_to: maps_to.iter().map(|&m| Id::from(m)).collect(),
    }
}

use ControlType::{Corrective as C, Detective as D, Preventive as P};

/// (residual L, I, score), (target L, I, score) of R-001.
fn scores(reg: &Register) -> ((u32, u32, u32), (u32, u32, u32)) {
    let a = Analysis::new(reg, today());
    let e = a.eval.risks[0].as_ref().unwrap();
    (
        (e.residual.likelihood, e.residual.impact, e.residual.score),
        (e.target.likelihood, e.target.impact, e.target.score),
    )
}

// ------------------------------------------------------------------ scoring

#[test]
fn an_own_control_of_each_type_combination_scores_by_its_types() {
    // L0 = 4, I0 = 5. ORG-1 Implemented at 80: s = 0.8.
    // Acting on likelihood: L1 = round(1 + 3 × 0.2) = round(1.6) = 2.
    // Acting on impact:     I1 = round(1 + 4 × 0.2) = round(1.8) = 2.
    // Detective and corrective together still act once on impact.
    let cases: [(&[ControlType], (u32, u32)); 7] = [
        (&[P], (2, 5)),
        (&[D], (4, 2)),
        (&[C], (4, 2)),
        (&[P, D], (2, 2)),
        (&[P, C], (2, 2)),
        (&[D, C], (4, 2)),
        (&[P, D, C], (2, 2)),
    ];
    for (types, (l, i)) in cases {
        let mut reg = bare();
        reg.own_controls.push(own("ORG-1", types, &[]));
        reg.controls
            .push(state("ORG-1", ControlStatus::Implemented, 80));
        reg.risks[0].controls.push("ORG-1".into());
        assert!(
            !Analysis::new(&reg, today()).has_errors(),
            "{types:?}: {:?}",
            Analysis::new(&reg, today()).errors().collect::<Vec<_>>()
        );
        let (residual, target) = scores(&reg);
        assert_eq!(residual, (l, i, l * i), "{types:?}");
        assert_eq!(target, (l, i, l * i), "{types:?}");
    }
}

#[test]
fn an_own_controls_state_is_its_controls_entry_with_the_same_defaults() {
    // Partial at 60: s = 0.3 now, 0.6 at full.
    // Now:    L1 = round(1 + 3 × 0.7) = round(3.1) = 3; I1 = round(1 + 4 × 0.7) = round(3.8) = 4.
    // Target: L1 = round(1 + 3 × 0.4) = round(2.2) = 2; I1 = round(1 + 4 × 0.4) = round(2.6) = 3.
    let mut reg = bare();
    reg.own_controls.push(own("ORG-1", &[P, D], &[]));
    reg.controls
        .push(state("ORG-1", ControlStatus::Partial, 60));
    reg.risks[0].controls.push("ORG-1".into());
    assert_eq!(scores(&reg), ((3, 4, 12), (2, 3, 6)));

    // No entry: NotStarted, 50. Nothing now; at full s = 0.5:
    // L1 = round(2.5) = 3, I1 = round(3.0) = 3.
    reg.controls.clear();
    assert_eq!(scores(&reg), ((4, 5, 20), (3, 3, 9)));
}

#[test]
fn own_and_annex_a_controls_multiply_together() {
    // 8.13 (Corrective) Implemented 80 → pI = 0.2; ORG-1 (Preventive)
    // Implemented 50 → pL = 0.5; ORG-2 (Detective) Partial 100 → pI × 0.5.
    // L1 = round(1 + 3 × 0.5) = round(2.5) = 3; I1 = round(1 + 4 × 0.1) = round(1.4) = 1.
    let mut reg = bare();
    reg.own_controls.push(own("ORG-1", &[P], &[]));
    reg.own_controls.push(own("ORG-2", &[D], &[]));
    reg.controls
        .push(state("8.13", ControlStatus::Implemented, 80));
    reg.controls
        .push(state("ORG-1", ControlStatus::Implemented, 50));
    reg.controls
        .push(state("ORG-2", ControlStatus::Partial, 100));
    reg.risks[0].controls = vec!["8.13".into(), "ORG-1".into(), "ORG-2".into()];
    let ((l, i, s), _) = scores(&reg);
    assert_eq!((l, i, s), (3, 1, 3));
    // The explanation lists the own controls, marked, with their types.
    let a = Analysis::new(&reg, today());
    let effects = riskbench::domain::eval::control_effects(&reg, &a.eval.lookups, &reg.risks[0]);
    let own: Vec<(&str, bool, String)> = effects
        .iter()
        .map(|e| (e.id.as_str(), e.own, e.control_type.short()))
        .collect();
    assert_eq!(
        own,
        [
            ("8.13", false, "C".to_string()),
            ("ORG-1", true, "P".to_string()),
            ("ORG-2", true, "D".to_string())
        ]
    );
}

// ---------------------------------------------------------------------- SoA

fn soa_entry<'a>(a: &'a Analysis, id: &str) -> &'a riskbench::domain::soa::SoaEntry {
    let c = Catalog::annex_a().index_of(id).unwrap();
    &a.soa.entries[c]
}

/// Two more risks on the §2 register, in an order that is not by id.
fn three_risks() -> Register {
    let mut reg = bare();
    let mut r3 = reg.risks[0].clone();
    r3.id = "R-003".into();
    let mut r2 = reg.risks[0].clone();
    r2.id = "R-002".into();
    reg.risks.insert(0, r3);
    reg.risks.push(r2);
    reg
}

#[test]
fn an_annex_a_control_reached_only_through_maps_to_becomes_applicable() {
    for ordered in [false, true] {
        let mut reg = three_risks();
        if ordered {
            reg.risks.sort_by(|a, b| a.id.cmp(&b.id));
        }
        reg.own_controls
            .push(own("ORG-1", &[P, D], &["5.3", "5.3"]));
        reg.own_controls.push(own("ORG-2", &[C], &["5.3"]));
        reg.controls
            .push(state("ORG-1", ControlStatus::Implemented, 80));
        let a = Analysis::new(&reg, today());
        assert_eq!(soa_entry(&a, "5.3").applicable, Applicable::Undecided);

        // R-003 links ORG-1 and ORG-2, R-001 links ORG-1 and 5.3 itself:
        // each is listed once, by id.
        for r in reg.risks.iter_mut() {
            match r.id.as_str() {
                "R-003" => r.controls = vec!["ORG-1".into(), "ORG-2".into()],
                "R-001" => r.controls = vec!["5.3".into(), "ORG-1".into()],
                _ => {}
            }
        }
        let a = Analysis::new(&reg, today());
        assert!(!a.has_errors(), "{:?}", a.errors().collect::<Vec<_>>());
        let e = soa_entry(&a, "5.3");
        assert_eq!(e.applicable, Applicable::Yes);
        assert_eq!(
            e.justification(&reg),
            "Risks: R-001, R-003",
            "ordered {ordered}"
        );
        // An own control never changes the status of what it maps to.
        assert_eq!(e.status, ControlStatus::NotStarted);
        // It has no SoA row of its own: 93 rows.
        assert_eq!(a.soa.entries.len(), 93);

        // Only through ORG-2: still applicable, R-003 alone.
        for r in reg.risks.iter_mut() {
            r.controls.retain(|c| c == "ORG-2");
        }
        let a = Analysis::new(&reg, today());
        assert_eq!(soa_entry(&a, "5.3").justification(&reg), "Risks: R-003");

        // An out-of-scope risk does not count.
        reg.factors.push(Factor {
            id: "off".into(),
            label: "Off".into(),
            on: false,
            requires: Vec::new(),
        });
        for r in reg.risks.iter_mut() {
            r.factor = Some("off".into());
        }
        let a = Analysis::new(&reg, today());
        assert_eq!(soa_entry(&a, "5.3").applicable, Applicable::Undecided);
    }
}

#[test]
fn excluding_a_control_an_own_control_maps_to_is_excluded_but_needed() {
    let mut reg = bare();
    reg.own_controls.push(own("ORG-1", &[P], &["5.3"]));
    reg.risks[0].controls = vec!["ORG-1".into()];
    reg.decisions.push(Decision {
        control: "5.3".into(),
        applicable: false,
        reason: "Not relevant".into(),
    });
    let a = Analysis::new(&reg, today());
    let e = soa_entry(&a, "5.3");
    assert_eq!(e.applicable, Applicable::No);
    assert!(e.conflict);
    let f = a
        .errors()
        .find(|f| f.code == "excluded-but-needed")
        .expect("excluded-but-needed");
    assert_eq!(f.at, "5.3");
    assert!(f.message.contains("R-001"), "{}", f.message);
}

// ------------------------------------------------- where own ids may appear

fn errors(reg: &Register) -> Vec<(String, String)> {
    Analysis::new(reg, today())
        .errors()
        .map(|f| (f.code.to_string(), f.at.clone()))
        .collect()
}

fn has(reg: &Register, code: &str, at: &str) -> bool {
    errors(reg).iter().any(|(c, a)| c == code && a == at)
}

#[test]
fn own_ids_are_allowed_in_links_states_actions_and_acceptances_only() {
    let mut reg = bare();
    reg.own_controls.push(own("ORG-1", &[P], &["5.3"]));
    reg.risks[0].controls = vec!["ORG-1".into()];
    reg.controls
        .push(state("ORG-1", ControlStatus::Partial, 70));
    reg.risks[0].acceptance = Some(Box::new(Acceptance {
        by: "CTO".into(),
        on: today(),
        until: today(),
        accepted_score: None,
        accepted_controls: Some(vec!["ORG-1".into()]),
        reason: "Within budget".into(),
    }));
    assert!(errors(&reg).is_empty(), "{:?}", errors(&reg));
    // The id defined nowhere is unknown where an own id is allowed.
    reg.risks[0].controls.push("ORG-9".into());
    assert!(has(&reg, "unknown-control", "R-001"));
    reg.risks[0].controls.pop();

    // Anywhere else, an own id is `unknown-control`.
    let mut f = reg.clone();
    f.factors.push(Factor {
        id: "cloud".into(),
        label: "Cloud".into(),
        on: true,
        requires: vec!["ORG-1".into()],
    });
    assert!(has(&f, "unknown-control", "cloud"));
    let mut b = reg.clone();
    b.baselines.push(Baseline {
        version: 1,
        approved: today(),
        by: "CEO".into(),
        note: String::new(),
        entries: vec![BaselineEntry {
            control: "ORG-1".into(),
            applicable: Applicable::Yes,
            status: ControlStatus::Partial,
        }],
    });
    assert!(has(&b, "unknown-control", "ORG-1"));
    let mut m = reg.clone();
    m.own_controls.push(own("ORG-2", &[D], &["ORG-1"]));
    assert!(has(&m, "unknown-control", "ORG-2"));
    m.own_controls[1].maps_to = vec!["5.25".into()];
    assert!(!has(&m, "unknown-control", "ORG-2"));
}

#[test]
fn own_control_id_and_types_are_reported_at_the_own_control() {
    let mut reg = bare();
    reg.own_controls.push(own("5.99", &[P], &[]));
    reg.own_controls.push(own("ORG-2", &[], &[]));
    assert!(has(&reg, "own-control-id", "5.99"));
    assert!(has(&reg, "own-control-types", "ORG-2"));
    assert!(!has(&reg, "own-control-id", "ORG-2"));
    assert!(!has(&reg, "own-control-types", "5.99"));
}

// ------------------------------------------------------------------- oracle

/// Annex A controls a generated risk may link besides own controls; never
/// chosen as an own control's twin.
const LINKABLE: [&str; 3] = ["5.15", "8.8", "8.24"];

fn status(i: usize) -> ControlStatus {
    ControlStatus::ALL[i % ControlStatus::ALL.len()]
}

type OwnSpec = (u8, Option<(usize, u32)>);
type RiskSpec = (u32, u32, u8, u8, bool);

/// The register: own controls `ORG-k` with types (a non-empty bit set)
/// and an optional state; risks with scores, a set of own controls and of
/// [`LINKABLE`] controls, and whether they have a manual residual.
fn generated(own_specs: &[OwnSpec], risks: &[RiskSpec]) -> Register {
    let mut reg = bare();
    reg.controls.push(state("8.8", ControlStatus::Partial, 70));
    reg.controls
        .push(state("5.15", ControlStatus::Implemented, 40));
    for (k, (types, st)) in own_specs.iter().enumerate() {
        let types: Vec<ControlType> = [P, D, C]
            .into_iter()
            .enumerate()
            .filter(|(b, _)| types & (1 << b) != 0)
            .map(|(_, t)| t)
            .collect();
        let id = format!("ORG-{k}");
        reg.own_controls.push(own(&id, &types, &["5.1"]));
        if let Some((s, eff)) = st {
            reg.controls.push(state(&id, status(*s), *eff));
        }
    }
    let template = reg.risks[0].clone();
    reg.risks = risks
        .iter()
        .enumerate()
        .map(|(n, &(l, i, owns, annex, manual))| {
            let mut r = template.clone();
            r.id = format!("R-{n:03}").into();
            r.likelihood = l;
            r.impact = i;
            r.controls = (0..own_specs.len())
                .filter(|k| owns & (1 << k) != 0)
                .map(|k| Id::from(format!("ORG-{k}")))
                .chain(
                    LINKABLE
                        .iter()
                        .enumerate()
                        .filter(|(b, _)| annex & (1 << b) != 0)
                        .map(|(_, &c)| Id::from(c)),
                )
                .collect();
            r.residual = manual.then(|| {
                Box::new(ManualResidual {
                    likelihood: 2,
                    impact: 2,
                    note: String::new(),
                })
            });
            r
        })
        .collect();
    reg
}

/// `reg` with each own control replaced by an Annex A control of the same
/// types (none of [`LINKABLE`], each used once) and the same state;
/// `None` when the catalog has too few controls of some type (8.16 is the
/// only Detective and Corrective one).
fn with_twins(reg: &Register) -> Option<Register> {
    let catalog = Catalog::annex_a();
    let mut used: Vec<&str> = Vec::new();
    let mut out = reg.clone();
    out.own_controls.clear();
    for o in &reg.own_controls {
        let twin = catalog
            .controls()
            .iter()
            .find(|c| {
                c.control_type.names() == o.types.iter().map(|t| t.as_str()).collect::<Vec<_>>()
                    && !LINKABLE.contains(&c.id.as_str())
                    && !used.contains(&c.id.as_str())
            })?
            .id
            .as_str();
        used.push(twin);
        for r in &mut out.risks {
            for c in &mut r.controls {
                if *c == o.id {
                    *c = twin.into();
                }
            }
        }
        for s in &mut out.controls {
            if s.id == o.id {
                s.id = twin.into();
            }
        }
    }
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The oracle: own controls score exactly as Annex A controls of the
    /// same types and states would.
    #[test]
    fn own_controls_score_as_annex_a_controls_of_the_same_types_and_states(
        own_specs in prop::collection::vec(
            (1u8..8, prop::option::of((0usize..4, 0u32..=100))), 1..=3),
        risks in prop::collection::vec(
            (1u32..=5, 1u32..=5, any::<u8>(), 0u8..8, prop::bool::weighted(0.1)), 1..6),
    ) {
        let reg = generated(&own_specs, &risks);
        let twin = with_twins(&reg);
        prop_assume!(twin.is_some());
        let twin = twin.unwrap();
        let a = Analysis::new(&reg, today());
        let b = Analysis::new(&twin, today());
        prop_assert!(!a.has_errors(), "{:?}", a.errors().collect::<Vec<_>>());
        prop_assert!(!b.has_errors(), "{:?}", b.errors().collect::<Vec<_>>());
        prop_assert_eq!(&a.eval.risks, &b.eval.risks);
    }
}

// ------------------------------------------------------------ the workbench

fn type_keys(app: &mut riskbench::app::App, text: &str) {
    for c in text.chars() {
        let effects = app.handle_key(riskbench::keymap::KeyPress::char(c));
        assert!(effects.is_empty(), "typing {c:?} produced {effects:?}");
    }
}

fn residual(app: &riskbench::app::App, risk: usize) -> (u32, u32) {
    let e = app.doc.analysis().eval.risks[risk].as_ref().unwrap();
    (e.residual.likelihood, e.residual.impact)
}

/// The §2 register with an own Preventive control ORG-1, Implemented 80,
/// that R-001 does not link yet.
fn with_org1() -> Register {
    let mut reg = bare();
    reg.own_controls.push(own("ORG-1", &[P], &["5.3"]));
    reg.controls
        .push(state("ORG-1", ControlStatus::Implemented, 80));
    reg
}

#[test]
fn the_picker_links_an_own_control_to_a_risk_and_undo_takes_it_back() {
    let reg = with_org1();
    let mut app = app_with(reg.clone());
    keys(&mut app, "2");
    assert_eq!(residual(&app, 0), (4, 5));
    keys(&mut app, "c");
    type_keys(&mut app, "ORG");
    let Some(Modal::Picker(p)) = app.modals.last() else {
        panic!("expected the control picker");
    };
    let chosen = p.chosen().unwrap();
    assert_eq!(chosen.value, "ORG-1");
    // Marked as own, with its types and state.
    assert_eq!(chosen.hint, "own · P · Implemented");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty());
    assert_eq!(app.doc.register().risks[0].controls, ["ORG-1"]);
    // L1 = round(1 + 3 × 0.2) = 2.
    assert_eq!(residual(&app, 0), (2, 5));
    // 5.3 is applicable through ORG-1's maps_to.
    let c = Catalog::annex_a().index_of("5.3").unwrap();
    assert_eq!(
        app.doc.analysis().soa.entries[c].applicable,
        Applicable::Yes
    );
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), reg);
    assert_eq!(residual(&app, 0), (4, 5));
    assert_eq!(
        app.doc.analysis().soa.entries[c].applicable,
        Applicable::Undecided
    );
}

#[test]
fn a_risk_form_picks_own_controls_and_a_factor_form_does_not() {
    let mut app = app_with(with_org1());
    keys(&mut app, "2 e");
    let Some(Modal::Form(f)) = app.modals.last_mut() else {
        panic!("expected the risk form");
    };
    assert!(f.focus_label("Controls"));
    keys(&mut app, "ctrl-l");
    type_keys(&mut app, "ORG-1");
    let Some(Modal::Picker(p)) = app.modals.last() else {
        panic!("expected the picker");
    };
    assert_eq!(p.chosen().unwrap().value, "ORG-1");
    keys(&mut app, "esc esc");
    if let Some(Modal::Confirm(_)) = app.modals.last() {
        keys(&mut app, "y");
    }
    // An action's controls too.
    keys(&mut app, "0 a");
    let Some(Modal::Form(f)) = app.modals.last_mut() else {
        panic!("expected the action form");
    };
    assert!(f.focus_label("Controls"));
    keys(&mut app, "ctrl-l");
    type_keys(&mut app, "ORG-1");
    let Some(Modal::Picker(p)) = app.modals.last() else {
        panic!("expected the picker");
    };
    assert_eq!(p.chosen().unwrap().value, "ORG-1");
    assert!(p.chosen().unwrap().hint.starts_with("own"));
    keys(&mut app, "esc esc");
    if let Some(Modal::Confirm(_)) = app.modals.last() {
        keys(&mut app, "y");
    }
    // A factor requires Annex A controls only.
    keys(&mut app, "7 a");
    let Some(Modal::Form(f)) = app.modals.last_mut() else {
        panic!("expected the factor form");
    };
    assert!(f.focus_label("Requires"));
    keys(&mut app, "ctrl-l");
    type_keys(&mut app, "ORG-1");
    let Some(Modal::Picker(p)) = app.modals.last() else {
        panic!("expected the picker");
    };
    assert!(p.choices.iter().all(|c| c.value != "ORG-1"));
}

#[test]
fn the_controls_view_lists_own_controls_after_the_93_however_sorted() {
    let mut app = northwind_app();
    keys(&mut app, "5");
    let n = Catalog::annex_a().len();
    let own = app.doc.register().own_controls.len();
    assert_eq!(own, 3);
    let rows = app.current_table().rows.clone();
    assert_eq!(rows.len(), n + own);
    assert_eq!(&rows[n..], &[n, n + 1, n + 2]);
    // Sorted by any column, the own controls stay a section at the end.
    for _ in 0..View::Controls.columns().len() {
        keys(&mut app, "s");
        let rows = &app.current_table().rows;
        assert!(rows[..n].iter().all(|&r| r < n), "{rows:?}");
        assert!(rows[n..].iter().all(|&r| r >= n), "{rows:?}");
    }
    // The filter finds them by id and by the "own" mark.
    keys(&mut app, "/");
    type_keys(&mut app, "ORG-2");
    keys(&mut app, "enter");
    assert_eq!(app.selected_item(), Some(n + 1));
    let text = screen(&app, 120, 40);
    assert!(text.contains("ORG-2") && text.contains("own DC"), "{text}");
    assert!(text.contains("Maps to     5.18 Access rights"), "{text}");
}

#[test]
fn snapshot_controls_view_own_controls() {
    let mut app = northwind_app();
    keys(&mut app, "5 G");
    insta::assert_snapshot!(screen(&app, 120, 40));
}

#[test]
fn the_form_adds_and_edits_an_own_control_and_its_state() {
    let mut app = northwind_app();
    let before = app.doc.register().clone();
    keys(&mut app, "5 a");
    let form = match app.modals.last() {
        Some(Modal::Form(f)) => f,
        _ => panic!("expected the own control form"),
    };
    assert_eq!(form.title, "New own control");
    assert_eq!(form.fields[0].display(), "ORG-4");
    type_keys(&mut app, "Supplier security questionnaire");
    // Types: the third choice is Corrective; maps to 5.19.
    keys(&mut app, "tab right right tab ctrl-l");
    type_keys(&mut app, "5.19");
    keys(&mut app, "enter enter");
    assert!(app.modals.is_empty(), "{:?}", app.message);
    let reg = app.doc.register();
    let added = reg.own_controls.last().unwrap();
    assert_eq!(added.id, "ORG-4");
    assert_eq!(added.types, [C]);
    assert_eq!(added.maps_to, ["5.19"]);
    // The defaults record no state; the new row is selected.
    assert!(reg.controls.iter().all(|c| c.id != "ORG-4"));
    assert_eq!(app.selected_item(), Some(Catalog::annex_a().len() + 3));
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), before);

    // Editing ORG-2's state alone: the Replace the control form makes,
    // re-evaluating R-022 alone, as a full evaluation would.
    keys(&mut app, "5 G k e");
    let Some(Modal::Form(f)) = app.modals.last_mut() else {
        panic!("expected the own control form");
    };
    assert!(f.title.starts_with("Own control ORG-2"), "{}", f.title);
    assert!(f.focus_label("Status"));
    keys(&mut app, "right enter");
    let reg = app.doc.register().clone();
    let state = reg.controls.iter().find(|c| c.id == "ORG-2").unwrap();
    assert_eq!(state.status, ControlStatus::Implemented);
    let fresh = Analysis::new(&reg, today());
    assert_eq!(app.doc.analysis().eval.risks, fresh.eval.risks);
    assert_eq!(app.doc.analysis().soa, fresh.soa);
    let mut a: Vec<String> = app
        .doc
        .analysis()
        .findings
        .iter()
        .map(|f| format!("{f:?}"))
        .collect();
    let mut b: Vec<String> = fresh.findings.iter().map(|f| format!("{f:?}")).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // 5.18 Partial 55, 6.5 Implemented 55 on L; ORG-2 (DC) now
    // Implemented 50: I1 = round(1 + 2 × 0.5) = 2.
    let r = reg.risks.iter().position(|r| r.id == "R-022").unwrap();
    assert_eq!(residual(&app, r), (2, 2));
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), before);

    // A linked own control cannot be renamed; an Annex A-shaped id is refused.
    keys(&mut app, "e");
    let Some(Modal::Form(f)) = app.modals.last_mut() else {
        panic!("expected the own control form");
    };
    assert!(f.focus_label("ID"));
    keys(
        &mut app,
        "backspace backspace backspace backspace backspace",
    );
    type_keys(&mut app, "ORG-9");
    keys(&mut app, "enter");
    let Some(Modal::Form(f)) = app.modals.last() else {
        panic!("the form stays");
    };
    assert!(
        f.error
            .as_deref()
            .unwrap_or("")
            .contains("cannot be renamed"),
        "{:?}",
        f.error
    );
    keys(&mut app, "esc y");
    keys(&mut app, "a");
    keys(
        &mut app,
        "backtab backspace backspace backspace backspace backspace",
    );
    type_keys(&mut app, "9.1");
    keys(&mut app, "tab");
    type_keys(&mut app, "x");
    keys(&mut app, "enter");
    let Some(Modal::Form(f)) = app.modals.last() else {
        panic!("the form stays");
    };
    assert!(
        f.error.as_deref().unwrap_or("").contains("Annex A id"),
        "{:?}",
        f.error
    );
    keys(&mut app, "esc y");
    assert_eq!(*app.doc.register(), before);
}

#[test]
fn deleting_an_own_control_takes_its_links_and_state_along_and_undoes() {
    let mut app = northwind_app();
    let before = app.doc.register().clone();
    keys(&mut app, "5 G k d");
    let Some(Modal::Confirm(c)) = app.modals.last() else {
        panic!("expected a confirmation");
    };
    assert!(
        c.message.contains("ORG-2") && c.message.contains("1 risk"),
        "{}",
        c.message
    );
    keys(&mut app, "y");
    let reg = app.doc.register();
    assert!(reg.own_controls.iter().all(|c| c.id != "ORG-2"));
    assert!(reg.controls.iter().all(|c| c.id != "ORG-2"));
    assert!(
        reg.risks
            .iter()
            .all(|r| !r.controls.iter().any(|c| c == "ORG-2"))
    );
    assert!(!app.doc.analysis().has_errors());
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), before);
}

#[test]
fn the_risk_detail_explains_an_own_control_with_its_types() {
    let mut app = northwind_app();
    keys(&mut app, "2 /");
    type_keys(&mut app, "R-022");
    keys(&mut app, "enter");
    let text = screen(&app, 120, 40);
    if !text.contains("residual explained") {
        keys(&mut app, "z");
    }
    let text = screen(&app, 120, 40);
    let line = text
        .lines()
        .find(|l| l.contains("ORG-2"))
        .unwrap_or_else(|| panic!("ORG-2 explained:\n{text}"));
    // Own, its title, its types (Detective, Corrective: acts on impact).
    assert!(line.contains("ORG-2 own · Monthly"), "{line}");
    assert!(
        line.contains(" DC ") && line.contains("Partial") && line.ends_with("I   │"),
        "{line}"
    );
}

// ------------------------------------------- import --into and migrate

#[test]
fn a_sheet_imported_into_a_register_keeps_its_own_control_links() {
    let reg = with_org1();
    let csv = "id,title,asset,threat,likelihood,impact,treatment,controls\n\
               R-001,Ransomware encrypts the customer database,A-01,T-01,4,5,Modify,\"8.13, ORG-1\"\n";
    let opts = riskbench::import::ImportOptions {
        source: "sheet.csv".into(),
        name: None,
        maps: Vec::new(),
        delimiter: None,
        sheet: None,
        today: today(),
    };
    let up = riskbench::import::update::update(&reg, csv.as_bytes(), &opts, false).unwrap();
    assert_eq!(up.register.risks[0].controls, ["8.13", "ORG-1"]);
    assert!(!Analysis::new(&up.register, today()).has_errors());
}

#[test]
fn migrating_from_2013_keeps_own_control_ids_where_they_may_stand() {
    let mut reg = with_org1();
    reg.risks[0].controls = vec!["A.12.3.1".into(), "ORG-1".into()];
    let m = riskbench::import::migrate::migrate(&reg, today());
    assert!(m.report.unknown.is_empty(), "{:?}", m.report.unknown);
    assert_eq!(m.register.risks[0].controls, ["8.13", "ORG-1"]);
    assert!(m.register.controls.iter().any(|c| c.id == "ORG-1"));
}

#[test]
fn enter_on_an_own_controls_finding_selects_its_row() {
    let mut reg = with_org1();
    reg.own_controls[0].types.clear();
    let mut app = app_with(reg);
    keys(&mut app, "9");
    let at = app
        .doc
        .analysis()
        .findings
        .iter()
        .position(|f| f.code == "own-control-types")
        .expect("own-control-types");
    assert!(app.table_mut(View::Findings).select_item(at));
    keys(&mut app, "enter");
    assert_eq!(app.view, View::Controls);
    assert_eq!(app.selected_item(), Some(Catalog::annex_a().len()));
}
