//! `riskbench diff` names every field of every entity kind (issue 13,
//! REGISTER.md §5): table-driven, one field of northwind changed per case,
//! and exactly that field reported, in JSON (`fields`, `before`, `after`)
//! and in text (`field: before → after`), with `--exit-code` exiting 1.
//!
//! The table is checked against the model itself: every field a register,
//! its method or an entity serialises must have a case, so a field added
//! later cannot go unreported without this test failing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use common::{p, run_today};
use riskbench::domain::model::{
    Acceptance, Action, ActionStatus, AssetKind, Cia, ControlStatus, ControlType, Evidence,
    HistoryEntry, ManualResidual, Note, OwnControl, PlanApproval, Treatment,
};
use riskbench::domain::{Analysis, Register};
use serde_json::Value;

/// Northwind with one of each schema-2 entity and field set, so that each
/// can be changed alone.
fn northwind() -> Register {
    let mut reg = common::northwind_register();
    let m = &mut reg.method;
    m.likelihood_criteria = m.likelihood.iter().map(|l| format!("{l}: …")).collect();
    m.impact_criteria = m.impact.iter().map(|l| format!("{l}: …")).collect();
    if let Some(l) = m.levels.last_mut() {
        l.accept_by = vec!["CEO".into()];
    }
    // Northwind has its own ORG-1 since issue 16; the cases edit the first.
    if reg.own_controls.is_empty() {
        reg.own_controls.push(OwnControl {
            id: "ORG-1".into(),
            title: "Four-eyes approval of supplier payments".into(),
            types: vec![ControlType::Preventive, ControlType::Detective],
            maps_to: vec!["5.3".into()],
        });
    }
    // First, before northwind's own plan: the cases edit `actions[0]`.
    reg.actions.insert(
        0,
        Action {
            id: "ACT-01".into(),
            title: "Enforce MFA on all administrator accounts".into(),
            risks: vec!["R-001".into()],
            controls: vec!["8.5".into()],
            owner: "IT lead".into(),
            due: Some(day(2027, 1, 31)),
            status: ActionStatus::InProgress,
            done_on: None,
            effort_days: Some(5),
            cost: Some(2000),
            note: String::new(),
        },
    );
    reg.plan_approval = Some(PlanApproval {
        on: day(2026, 11, 20),
        by: "CEO".into(),
        note: "Budget agreed".into(),
    });
    if let Some(c) = reg.controls.iter_mut().find(|c| c.id == "8.7") {
        c.evidence.push(Evidence {
            what: "Restore test report Q3".into(),
            at: "wiki/backup/2026-q3".into(),
            on: day(2026, 10, 2),
            by: "SRE lead".into(),
        });
    }
    reg
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// One case: the JSON list the change appears in, the id it has there,
/// the field, and the edit.
struct Case {
    list: &'static str,
    id: &'static str,
    field: &'static str,
    edit: fn(&mut Register),
}

fn risk(reg: &mut Register, id: &str) -> usize {
    reg.risks.iter().position(|r| r.id == id).unwrap()
}

const R: &str = "R-001";

fn cases() -> Vec<Case> {
    macro_rules! case {
        ($list:expr, $id:expr, $field:expr, |$r:ident| $body:expr) => {
            Case {
                list: $list,
                id: $id,
                field: $field,
                edit: |$r: &mut Register| {
                    $body;
                },
            }
        };
    }
    vec![
        // The register's header.
        case!("register", "register", "name", |r| r.name =
            "Renamed ISMS".into()),
        case!("register", "register", "scope", |r| r.scope =
            "Leeds only".into()),
        // The method.
        case!("method", "method", "likelihood", |r| r.method.likelihood
            [0] =
            "Very rare".into()),
        case!("method", "method", "impact", |r| r.method.impact[4] =
            "Catastrophic".into()),
        case!("method", "method", "levels", |r| r.method.levels[0]
            .review_days = 300),
        case!("method", "method", "matrix", |r| {
            // The matrix the levels give anyway, written out: a change in
            // the file that changes no score.
            let levels = r.method.levels.clone();
            let name = |s: u32| levels.iter().find(|l| s <= l.up_to).unwrap().name.clone();
            r.method.matrix = Some(
                (1..=5u32)
                    .map(|l| (1..=5u32).map(|i| name(l * i)).collect())
                    .collect(),
            )
        }),
        case!("method", "method", "appetite", |r| r.method.appetite = 10),
        // Factors.
        case!("factors", "cards", "label", |r| r.factors[6].label =
            "Card data".into()),
        case!("factors", "cards", "on", |r| r.factors[6].on = true),
        case!("factors", "cards", "requires", |r| r.factors[6]
            .requires
            .push("7.5".into())),
        // Assets.
        case!("assets", "A-07", "name", |r| r.assets[6].name =
            "Laptops".into()),
        case!("assets", "A-07", "kind", |r| r.assets[6].kind =
            AssetKind::Network),
        case!("assets", "A-07", "owner", |r| r.assets[6].owner =
            "COO".into()),
        case!("assets", "A-07", "factor", |r| r.assets[6].factor =
            Some("remote".into())),
        // Threats.
        case!("threats", "T-01", "name", |r| r.threats[0].name =
            "Renamed threat".into()),
        case!("threats", "T-01", "shift", |r| r.threats[0].shift += 1),
        // Risks (in scope): own fields, before the evaluated ones.
        case!("risks", R, "title", |r| r.risks[0].title =
            "A new title".into()),
        case!("risks", R, "asset", |r| r.risks[0].asset = "A-02".into()),
        case!("risks", R, "threat", |r| {
            let other = r.threats[1].id.clone();
            r.risks[0].threat = other
        }),
        case!("risks", R, "vulnerability", |r| r.risks[0].vulnerability =
            "Flat network".into()),
        case!("risks", R, "likelihood", |r| {
            let i = risk(r, R);
            r.risks[i].likelihood = if r.risks[i].likelihood == 1 { 2 } else { 1 }
        }),
        case!("risks", R, "impact", |r| {
            let i = risk(r, R);
            r.risks[i].impact = if r.risks[i].impact == 1 { 2 } else { 1 }
        }),
        case!("risks", R, "treatment", |r| r.risks[0].treatment =
            Treatment::Share),
        case!("risks", R, "controls", |r| {
            let i = risk(r, R);
            let c = if r.risks[i].controls.iter().any(|c| c == "5.7") {
                "5.8"
            } else {
                "5.7"
            };
            r.risks[i].controls.push(c.into())
        }),
        case!("risks", R, "owner", |r| r.risks[0].owner = "COO".into()),
        case!("risks", R, "reviewed", |r| r.risks[0].reviewed =
            Some(day(2026, 11, 30))),
        case!("risks", R, "due", |r| r.risks[0].due =
            Some(day(2027, 3, 31))),
        case!("risks", R, "residual", |r| r.risks[0].residual =
            Some(Box::new(ManualResidual {
                likelihood: 1,
                impact: 1,
                note: "Assessed in the workshop".into(),
            }))),
        case!("risks", R, "acceptance", |r| r.risks[0].acceptance =
            Some(Box::new(Acceptance {
                reason: String::new(),
                by: "CTO".into(),
                on: day(2026, 10, 1),
                until: day(2027, 9, 30),
                accepted_score: None,
                accepted_controls: None,
            }))),
        case!("risks", R, "factor", |r| r.risks[0].factor =
            Some("cloud".into())),
        // Control states.
        case!("controls", "8.7", "status", |r| {
            let c = r.controls.iter_mut().find(|c| c.id == "8.7").unwrap();
            c.status = if c.status == ControlStatus::Implemented {
                ControlStatus::Partial
            } else {
                ControlStatus::Implemented
            }
        }),
        case!("controls", "8.7", "effectiveness", |r| {
            let c = r.controls.iter_mut().find(|c| c.id == "8.7").unwrap();
            c.effectiveness = if c.effectiveness == 90 { 80 } else { 90 }
        }),
        case!("controls", "8.7", "owner", |r| r
            .controls
            .iter_mut()
            .find(|c| c.id == "8.7")
            .unwrap()
            .owner =
            "New owner".into()),
        case!("controls", "8.7", "note", |r| r
            .controls
            .iter_mut()
            .find(|c| c.id == "8.7")
            .unwrap()
            .note =
            "Reviewed in Q4".into()),
        // Decisions (7.5 is excluded and nothing needs it).
        case!("decisions", "7.1", "reason", |r| r
            .decisions
            .iter_mut()
            .find(|d| d.control == "7.1")
            .unwrap()
            .reason =
            "Serviced office only".into()),
        case!("decisions", "5.6", "applicable", |r| r
            .decisions
            .iter_mut()
            .find(|d| d.control == "5.6")
            .unwrap()
            .applicable =
            false),
        // The baselines, by version (a version changed is another one).
        case!("baselines", "3", "by", |r| r.baselines[0].by =
            "Board".into()),
        case!("baselines", "3", "approved", |r| r.baselines[0].approved =
            day(2026, 6, 16)),
        case!("baselines", "3", "note", |r| r.baselines[0].note =
            "Board minutes 12".into()),
        case!("baselines", "3", "entries", |r| r.baselines[0]
            .entries
            .pop()),
        // Schema 2: the method written down.
        case!("method", "method", "likelihood_criteria", |r| r
            .method
            .likelihood_criteria[0] =
            "Never seen here".into()),
        case!("method", "method", "impact_criteria", |r| r
            .method
            .impact_criteria[0] =
            "No one notices".into()),
        case!("method", "method", "evidence_days", |r| r
            .method
            .evidence_days =
            Some(180)),
        case!("threats", "T-01", "source", |r| r.threats[0].source =
            "BSI G 0.23".into()),
        // Integrity switched (northwind's risks name their properties).
        case!("risks", R, "cia", |r| {
            let cia = &mut r.risks[0].cia;
            match cia.iter().position(|c| *c == Cia::Integrity) {
                Some(p) => {
                    cia.remove(p);
                }
                None => cia.push(Cia::Integrity),
            }
        }),
        case!("risks", R, "notes", |r| r.risks[0].notes.push(Note {
            on: day(2026, 12, 1),
            by: "CFO".into(),
            text: "Insurer asks for offline backups".into(),
        })),
        case!("controls", "8.7", "evidence", |r| r
            .controls
            .iter_mut()
            .find(|c| c.id == "8.7")
            .unwrap()
            .evidence
            .clear()),
        // Own controls.
        case!("own_controls", "ORG-1", "title", |r| r.own_controls[0]
            .title =
            "Dual control".into()),
        case!("own_controls", "ORG-1", "types", |r| r.own_controls[0]
            .types
            .pop()),
        case!("own_controls", "ORG-1", "maps_to", |r| r.own_controls[0]
            .maps_to
            .push("5.4".into())),
        // Actions.
        case!("actions", "ACT-01", "title", |r| r.actions[0].title =
            "Enforce MFA everywhere".into()),
        case!("actions", "ACT-01", "risks", |r| r.actions[0].risks =
            vec!["R-002".into()]),
        case!("actions", "ACT-01", "controls", |r| r.actions[0]
            .controls
            .push("8.2".into())),
        case!("actions", "ACT-01", "owner", |r| r.actions[0].owner =
            "CTO".into()),
        case!("actions", "ACT-01", "due", |r| r.actions[0].due =
            Some(day(2027, 2, 28))),
        case!("actions", "ACT-01", "status", |r| r.actions[0].status =
            ActionStatus::Done),
        case!("actions", "ACT-01", "done_on", |r| r.actions[0].done_on =
            Some(day(2026, 11, 30))),
        case!("actions", "ACT-01", "effort_days", |r| r.actions[0]
            .effort_days =
            Some(6)),
        case!("actions", "ACT-01", "cost", |r| r.actions[0].cost = None),
        case!("actions", "ACT-01", "note", |r| r.actions[0].note =
            "Vendor chosen".into()),
        // The plan's approval.
        case!("plan_approval", "plan_approval", "on", |r| r
            .plan_approval
            .as_mut()
            .unwrap()
            .on =
            day(2026, 11, 21)),
        case!("plan_approval", "plan_approval", "by", |r| r
            .plan_approval
            .as_mut()
            .unwrap()
            .by =
            "Board".into()),
        case!("plan_approval", "plan_approval", "note", |r| r
            .plan_approval
            .as_mut()
            .unwrap()
            .note =
            "".into()),
    ]
}

/// The evaluated names that may follow a risk's own field in `fields`.
const EVALUATED: [&str; 4] = ["inherent", "residual", "target", "above_appetite"];

fn write(dir: &std::path::Path, name: &str, reg: &Register) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, riskbench::domain::canonical::to_canonical(reg)).unwrap();
    path
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn every_field_of_every_entity_is_reported_alone_in_json_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let old = northwind();
    let old_file = write(dir.path(), "old.ron", &old);
    let lists = [
        "register",
        "method",
        "factors",
        "assets",
        "threats",
        "risks",
        "controls",
        "decisions",
        "own_controls",
        "actions",
        "plan_approval",
        "conflicts",
        "baselines",
        "history",
        "risks_out_of_scope",
    ];
    for case in cases() {
        let label = format!("{} {} {}", case.list, case.id, case.field);
        let mut new = old.clone();
        (case.edit)(&mut new);
        assert!(new != old, "{label}: the edit changes nothing");
        let errors: Vec<String> = Analysis::new(&new, common::today())
            .errors()
            .map(|f| f.message.clone())
            .collect();
        assert!(
            errors.is_empty(),
            "{label}: the edit is invalid: {errors:?}"
        );
        let new_file = write(dir.path(), "new.ron", &new);

        let r = run_today(&[
            "diff",
            p(&old_file),
            p(&new_file),
            "--format",
            "json",
            "--exit-code",
        ]);
        assert_eq!(r.code, 1, "{label}: --exit-code\n{}{}", r.stdout, r.stderr);
        let v = json(&r.stdout);
        // Exactly one item, in the expected list; besides it only risks
        // whose evaluation the edit changed (a threat's shift, a control's
        // status), none of their own fields.
        for list in lists {
            let items = v[list].as_array().unwrap();
            if list == case.list {
                assert_eq!(items.len(), 1, "{label}: {list}:\n{}", r.stdout);
            } else if list == "risks" {
                for item in items {
                    assert_eq!(item["change"], "changed", "{label}: {item}");
                    assert_eq!(item["changes"], serde_json::json!([]), "{label}: {item}");
                }
            } else {
                assert!(items.is_empty(), "{label}: {list}:\n{}", r.stdout);
            }
        }
        let item = &v[case.list][0];
        assert_eq!(item["id"], case.id, "{label}");
        assert_eq!(item["change"], "changed", "{label}");
        let fields: Vec<&str> = item["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert_eq!(fields.first(), Some(&case.field), "{label}: {fields:?}");
        if case.list == "risks" {
            // The risk's own field, then what it did to the evaluation.
            assert!(
                fields[1..].iter().all(|f| EVALUATED.contains(f)),
                "{label}: {fields:?}"
            );
        } else {
            assert_eq!(fields, [case.field], "{label}");
            assert_ne!(
                item["before"][case.field], item["after"][case.field],
                "{label}: before/after carry the entity"
            );
        }
        // The own fields with their values as text: exactly the one.
        let changes = item["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 1, "{label}: {changes:?}");
        assert_eq!(changes[0]["field"], case.field, "{label}");
        let (before, after) = (
            changes[0]["before"].as_str().unwrap(),
            changes[0]["after"].as_str().unwrap(),
        );
        assert_ne!(before, after, "{label}");

        // Text: the same field with before → after.
        let t = run_today(&["diff", p(&old_file), p(&new_file)]);
        assert_eq!(t.code, 0, "{label}: {}", t.stderr);
        let line = format!("{}: {before} → {after}", case.field);
        assert!(
            t.stdout.contains(&line),
            "{label}: no {line:?} in\n{}",
            t.stdout
        );
        assert!(!t.stdout.contains("No changes"), "{label}");
    }
}

#[test]
fn a_history_line_an_added_and_a_removed_entity_are_listed_with_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let old = northwind();
    let mut new = old.clone();
    new.history.push(HistoryEntry {
        on: day(2026, 12, 1),
        by: "CISO".into(),
        summary: "Workshop: owners reassigned".into(),
    });
    let gone = new.threats.pop().unwrap();
    let mut extra = new.assets[0].clone();
    extra.id = "A-99".into();
    extra.name = "Board papers".into();
    new.assets.push(extra);
    new.risks.retain(|r| r.threat != gone.id);
    // The plan no longer treats the removed risks (else `unknown-risk`).
    let ids: Vec<_> = new.risks.iter().map(|r| r.id.clone()).collect();
    for action in &mut new.actions {
        action.risks.retain(|r| ids.contains(r));
    }
    let (a, b) = (
        write(dir.path(), "a.ron", &old),
        write(dir.path(), "b.ron", &new),
    );
    let v = json(&run_today(&["diff", p(&a), p(&b), "--format", "json"]).stdout);
    assert_eq!(v["history"][0]["change"], "added");
    assert_eq!(
        v["history"][0]["after"]["summary"],
        "Workshop: owners reassigned"
    );
    assert_eq!(v["threats"][0]["id"], gone.id.as_str());
    assert_eq!(v["threats"][0]["change"], "removed");
    assert_eq!(v["threats"][0]["after"], Value::Null);
    assert_eq!(v["assets"][0]["id"], "A-99");
    assert_eq!(v["assets"][0]["change"], "added");
    let t = run_today(&["diff", p(&a), p(&b)]).stdout;
    for want in [
        "history 2026-12-01 CISO added: Workshop: owners reassigned".to_string(),
        format!("threat {} removed: {}", gone.id, gone.name),
        "asset A-99 added: Board papers".into(),
    ] {
        assert!(t.contains(&want), "no {want:?} in\n{t}");
    }
}

/// The issue's own example, in the spec's words: `owner: CFO → COO` and
/// `acceptance: none → CTO until 2027-09-30`.
#[test]
fn owner_and_acceptance_read_as_a_person_says_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut old = northwind();
    let i = risk(&mut old, "R-002");
    old.risks[i].owner = "CFO".into();
    old.risks[i].acceptance = None;
    let mut new = old.clone();
    new.risks[i].owner = "COO".into();
    new.risks[i].acceptance = Some(Box::new(Acceptance {
        reason: String::new(),
        by: "CTO".into(),
        on: day(2026, 10, 1),
        until: day(2027, 9, 30),
        accepted_score: None,
        accepted_controls: None,
    }));
    let (a, b) = (
        write(dir.path(), "a.ron", &old),
        write(dir.path(), "b.ron", &new),
    );
    let t = run_today(&["diff", p(&a), p(&b)]).stdout;
    assert!(t.contains("owner: CFO → COO"), "{t}");
    assert!(t.contains("acceptance: none → CTO until 2027-09-30"), "{t}");
    let v = json(&run_today(&["diff", p(&a), p(&b), "--format", "json"]).stdout);
    assert_eq!(v["risks"][0]["id"], "R-002");
    assert_eq!(
        v["risks"][0]["fields"],
        serde_json::json!(["owner", "acceptance"])
    );
}

/// A risk out of scope on both sides changes no score; its edit is still
/// listed (and still makes `--exit-code` exit 1).
#[test]
fn an_edit_to_a_risk_out_of_scope_is_listed_apart() {
    let dir = tempfile::tempdir().unwrap();
    let old = northwind();
    let an = Analysis::new(&old, common::today());
    let out = (0..old.risks.len())
        .find(|&i| an.eval.risks[i].is_none())
        .expect("northwind has a risk out of scope");
    let mut new = old.clone();
    new.risks[out].owner = "Somebody new".into();
    let (a, b) = (
        write(dir.path(), "a.ron", &old),
        write(dir.path(), "b.ron", &new),
    );
    let r = run_today(&["diff", p(&a), p(&b), "--format", "json", "--exit-code"]);
    assert_eq!(r.code, 1);
    let v = json(&r.stdout);
    assert_eq!(v["risks"], serde_json::json!([]));
    assert_eq!(v["risks_out_of_scope"][0]["id"], new.risks[out].id.as_str());
    assert_eq!(
        v["risks_out_of_scope"][0]["fields"],
        serde_json::json!(["owner"])
    );
    let t = run_today(&["diff", p(&a), p(&b)]).stdout;
    assert!(t.contains("Risks out of scope: 1 change"), "{t}");
    assert!(t.contains("owner: "), "{t}");
}

/// Every field the model serialises has a case above (ids excepted: an
/// entity with another id is another entity).
#[test]
fn the_table_covers_every_field_of_the_model() {
    let reg = northwind();
    let keys = |v: Value| -> BTreeSet<String> {
        v.as_object()
            .unwrap()
            .keys()
            // A baseline's id is its version.
            .filter(|k| !["id", "control", "version"].contains(&k.as_str()))
            .cloned()
            .collect()
    };
    let to = |v: &dyn erased::Ser| v.value();
    let covered = |list: &str| -> BTreeSet<String> {
        cases()
            .iter()
            .filter(|c| c.list == list)
            .map(|c| c.field.to_string())
            .collect()
    };
    let header: BTreeSet<String> = ["name", "scope"].map(String::from).into();
    assert_eq!(covered("register"), header);
    let expect = [
        ("method", to(&reg.method)),
        ("factors", to(&reg.factors[0])),
        ("assets", to(&reg.assets[0])),
        ("threats", to(&reg.threats[0])),
        ("risks", to(&reg.risks[0])),
        ("controls", to(&reg.controls[0])),
        ("decisions", to(&reg.decisions[0])),
        ("baselines", to(reg.approved_baseline().unwrap())),
        ("own_controls", to(&reg.own_controls[0])),
        ("actions", to(&reg.actions[0])),
        ("plan_approval", to(reg.plan_approval.as_ref().unwrap())),
    ];
    for (list, value) in expect {
        assert_eq!(covered(list), keys(value), "{list}");
    }
    // The register's own fields: each is one of the lists above, the
    // header, or the schema (which diff does not compare: it is the
    // file's version, not what the register says).
    let top = keys(to(&reg));
    let known: BTreeSet<String> = [
        "schema",
        "name",
        "scope",
        "method",
        "factors",
        "assets",
        "threats",
        "risks",
        "controls",
        "decisions",
        "own_controls",
        "actions",
        "plan_approval",
        // A merge conflict is an error, so no diff shows one changed: its
        // reporting is checked in tests/schema2.rs.
        "conflicts",
        "baselines",
        "history",
    ]
    .map(String::from)
    .into();
    assert_eq!(top, known);
}

/// Serialising a value of any of the model's types to JSON, behind one
/// object-safe trait so the table above can list them together.
mod erased {
    pub trait Ser {
        fn value(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn value(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap()
        }
    }
}
