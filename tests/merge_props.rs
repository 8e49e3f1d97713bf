//! Properties of the three-way merge (issue 18): for random edits A and B
//! of a base register that touch disjoint entities, merge(base, A, B)
//! equals applying both edit sets, without conflicts; merge(base, X, X) =
//! X; merge(base, base, X) = X and merge(base, X, base) = X.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;

use riskbench::domain::generate::{generate, with_plan};
use riskbench::domain::merge::merge;
use riskbench::domain::model::{ControlStatus, Evidence, Note, dates};
use riskbench::domain::{Catalog, Register};

/// One edit, aimed at the n-th entity of its side's half of the register.
#[derive(Debug, Clone)]
enum Edit {
    Title(usize, String),
    Likelihood(usize, u32),
    Link(usize, usize),
    UnlinkFirst(usize),
    Note(usize, u32),
    DeleteRisk(usize),
    AddRisk(String),
    AssetOwner(usize, String),
    Status(usize, usize),
    Evidence(usize, u32),
    ActionOwner(usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), "[A-Za-z ]{1,12}").prop_map(|(i, s)| Edit::Title(i, s)),
        (any::<usize>(), 1u32..=5).prop_map(|(i, l)| Edit::Likelihood(i, l)),
        (any::<usize>(), any::<usize>()).prop_map(|(i, c)| Edit::Link(i, c)),
        any::<usize>().prop_map(Edit::UnlinkFirst),
        (any::<usize>(), 0u32..60).prop_map(|(i, d)| Edit::Note(i, d)),
        any::<usize>().prop_map(Edit::DeleteRisk),
        "[a-z]{1,6}".prop_map(Edit::AddRisk),
        (any::<usize>(), "[A-Za-z]{1,8}").prop_map(|(i, s)| Edit::AssetOwner(i, s)),
        (any::<usize>(), 0usize..4).prop_map(|(i, s)| Edit::Status(i, s)),
        (any::<usize>(), 0u32..60).prop_map(|(i, d)| Edit::Evidence(i, d)),
        (any::<usize>(), "[A-Za-z]{1,8}").prop_map(|(i, s)| Edit::ActionOwner(i, s)),
    ]
}

/// The id of the `n`-th entity of `side`'s half (even or odd positions
/// of `ids`): the two sides never touch the same entity.
fn pick(ids: &[String], side: usize, n: usize) -> Option<String> {
    let half: Vec<&String> = ids.iter().skip(side).step_by(2).collect();
    (!half.is_empty()).then(|| half[n % half.len()].clone())
}

fn day(d: u32) -> chrono::NaiveDate {
    dates::parse("2026-10-01").unwrap() + chrono::Days::new(u64::from(d))
}

/// Applies `side`'s edits to `reg`, choosing targets among `base`'s ids.
fn apply(base: &Register, reg: &mut Register, side: usize, edits: &[Edit]) {
    let risk_ids: Vec<String> = base.risks.iter().map(|r| r.id.to_string()).collect();
    let asset_ids: Vec<String> = base.assets.iter().map(|a| a.id.to_string()).collect();
    let control_ids: Vec<String> = base.controls.iter().map(|c| c.id.to_string()).collect();
    let action_ids: Vec<String> = base.actions.iter().map(|a| a.id.to_string()).collect();
    let catalog = Catalog::annex_a().controls();
    for (k, e) in edits.iter().enumerate() {
        let risk = |reg: &mut Register, n: usize| {
            let id = pick(&risk_ids, side, n)?;
            reg.risks.iter().position(|r| r.id == id.as_str())
        };
        match e {
            Edit::Title(n, s) => {
                if let Some(i) = risk(reg, *n) {
                    reg.risks[i].title = s.clone();
                }
            }
            Edit::Likelihood(n, l) => {
                if let Some(i) = risk(reg, *n) {
                    reg.risks[i].likelihood = *l;
                }
            }
            Edit::Link(n, c) => {
                if let Some(i) = risk(reg, *n) {
                    let id = catalog[c % catalog.len()].id.clone();
                    if !reg.risks[i].controls.contains(&id) {
                        reg.risks[i].controls.push(id);
                    }
                }
            }
            Edit::UnlinkFirst(n) => {
                if let Some(i) = risk(reg, *n)
                    && !reg.risks[i].controls.is_empty()
                {
                    reg.risks[i].controls.remove(0);
                }
            }
            Edit::Note(n, d) => {
                if let Some(i) = risk(reg, *n) {
                    reg.risks[i].notes.push(Note {
                        on: day(*d),
                        by: format!("side {side}"),
                        text: format!("note {k}"),
                    });
                }
            }
            Edit::DeleteRisk(n) => {
                if let Some(i) = risk(reg, *n) {
                    reg.risks.remove(i);
                }
            }
            Edit::AddRisk(s) => {
                let mut r = base.risks[0].clone();
                r.id = format!("R-NEW-{side}-{k}").into();
                r.title = s.clone();
                reg.risks.push(r);
            }
            Edit::AssetOwner(n, s) => {
                if let Some(id) = pick(&asset_ids, side, *n)
                    && let Some(a) = reg.assets.iter_mut().find(|a| a.id == id.as_str())
                {
                    a.owner = s.clone();
                }
            }
            Edit::Status(n, s) => {
                if let Some(id) = pick(&control_ids, side, *n)
                    && let Some(c) = reg.controls.iter_mut().find(|c| c.id == id.as_str())
                {
                    c.status = ControlStatus::ALL[*s];
                }
            }
            Edit::Evidence(n, d) => {
                if let Some(id) = pick(&control_ids, side, *n)
                    && let Some(c) = reg.controls.iter_mut().find(|c| c.id == id.as_str())
                {
                    c.evidence.push(Evidence {
                        what: format!("report {k}"),
                        at: String::new(),
                        on: day(*d),
                        by: String::new(),
                    });
                }
            }
            Edit::ActionOwner(n, s) => {
                if let Some(id) = pick(&action_ids, side, *n)
                    && let Some(a) = reg.actions.iter_mut().find(|a| a.id == id.as_str())
                {
                    a.owner = s.clone();
                }
            }
        }
    }
}

fn base(risks: usize, seed: u64) -> Register {
    let mut reg = generate(risks, seed);
    with_plan(&mut reg, risks / 2, seed);
    reg
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn disjoint_edits_merge_into_both_applied(
        risks in 4usize..24,
        seed in 1u64..1000,
        a in prop::collection::vec(edit(), 0..10),
        b in prop::collection::vec(edit(), 0..10),
    ) {
        let base = base(risks, seed);
        let mut ours = base.clone();
        apply(&base, &mut ours, 0, &a);
        let mut theirs = base.clone();
        apply(&base, &mut theirs, 1, &b);
        let mut both = ours.clone();
        apply(&base, &mut both, 1, &b);
        let merged = merge(&base, &ours, &theirs);
        prop_assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
        prop_assert_eq!(merged.register, both);
    }

    #[test]
    fn a_side_that_changed_nothing_or_the_same_takes_the_other(
        risks in 4usize..24,
        seed in 1u64..1000,
        a in prop::collection::vec(edit(), 0..10),
    ) {
        let base = base(risks, seed);
        let mut x = base.clone();
        apply(&base, &mut x, (seed % 2) as usize, &a);
        prop_assert_eq!(&merge(&base, &x, &x).register, &x);
        prop_assert_eq!(&merge(&base, &base, &x).register, &x);
        prop_assert_eq!(&merge(&base, &x, &base).register, &x);
        prop_assert!(merge(&base, &base, &x).conflicts.is_empty());
    }
}

/// The fast paths aside: one risk edited in different fields on both
/// sides goes through the field-by-field merge, sets and records included.
#[test]
fn one_risk_edited_in_different_fields_on_both_sides_merges_by_field() {
    let base = base(6, 7);
    let mut ours = base.clone();
    let mut theirs = base.clone();
    let free: Vec<_> = Catalog::annex_a()
        .controls()
        .iter()
        .map(|c| c.id.clone())
        .filter(|id| !base.risks[0].controls.contains(id))
        .take(2)
        .collect();
    ours.risks[0].title = "Ours".into();
    ours.risks[0].controls.push(free[0].clone());
    ours.risks[0].notes.push(Note {
        on: dates::parse("2030-01-30").unwrap(),
        by: "o".into(),
        text: "later".into(),
    });
    theirs.risks[0].likelihood = 1;
    theirs.risks[0].controls.push(free[1].clone());
    theirs.risks[0].notes.push(Note {
        on: dates::parse("2030-01-10").unwrap(),
        by: "t".into(),
        text: "earlier".into(),
    });
    let m = merge(&base, &ours, &theirs);
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    let r = &m.register.risks[0];
    assert_eq!((r.title.as_str(), r.likelihood), ("Ours", 1));
    let n = r.controls.len();
    assert_eq!(&r.controls[n - 2..], &free[..]);
    let texts: Vec<&str> = r.notes.iter().map(|n| n.text.as_str()).collect();
    let n = texts.len();
    assert_eq!(&texts[n - 2..], ["earlier", "later"]);
}

/// Resolving: theirs of a method field is parsed into its type, theirs of
/// an entity ours changed and theirs deleted deletes it, ours only drops
/// the entry; anything else is refused with the register unchanged.
#[test]
fn taking_theirs_puts_their_value_in_its_type_and_ours_drops_the_entry() {
    use riskbench::domain::merge::{take_ours, take_theirs};
    let base = base(6, 3);
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.method.appetite = 8;
    theirs.method.appetite = 12;
    ours.risks[1].title = "Changed here".into();
    theirs.risks.remove(1);
    let m = merge(&base, &ours, &theirs);
    assert_eq!(m.conflicts.len(), 2, "{:?}", m.conflicts);
    let reg = m.register;
    let appetite = take_theirs(&reg, 0).unwrap();
    assert_eq!(appetite.method.appetite, 12);
    assert_eq!(appetite.conflicts.len(), 1);
    let deleted = take_theirs(&reg, 1).unwrap();
    assert!(deleted.risks.iter().all(|r| r.id != base.risks[1].id));
    let kept = take_ours(&reg, 1).unwrap();
    assert_eq!(kept.risks, reg.risks);
    assert_eq!(kept.conflicts.len(), 1);
    let mut broken = reg.clone();
    broken.conflicts[0].theirs = "\"twelve\"".into();
    assert!(take_theirs(&broken, 0).unwrap_err().contains("appetite"));
    assert!(take_ours(&reg, 9).is_none());
}

/// A deleted asset that the other branch's new risk is raised against: no
/// field conflicts, but a new error neither side had (a merge finding);
/// errors a side already had are that side's, not the merge's.
#[test]
fn an_asset_deleted_here_and_used_there_is_a_merge_finding() {
    use riskbench::domain::merge::merge_checked;
    let base = base(6, 5);
    let mut spare = base.assets[0].clone();
    spare.id = "A-SPARE".into();
    let mut base = base;
    base.assets.push(spare);
    let mut ours = base.clone();
    ours.assets.retain(|a| a.id != "A-SPARE");
    let mut theirs = base.clone();
    let mut r = base.risks[0].clone();
    r.id = "R-NEW".into();
    r.asset = "A-SPARE".into();
    theirs.risks.push(r);
    let today = dates::parse("2026-12-01").unwrap();
    let m = merge_checked(&base, &ours, &theirs, today);
    assert!(m.conflicts.is_empty());
    let found: Vec<(&str, &str)> = m.findings.iter().map(|f| (f.code, f.at.as_str())).collect();
    assert_eq!(found, [("unknown-asset", "R-NEW")]);
    // The same error on one side already is not the merge's.
    let mut broken = theirs.clone();
    broken.assets.retain(|a| a.id != "A-SPARE");
    assert!(
        merge_checked(&base, &ours, &broken, today)
            .findings
            .is_empty()
    );
}
