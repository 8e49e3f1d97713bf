//! Schema 2 in and out (issue 15 item 1, REGISTER.md §5): the §5 example
//! loads and round-trips byte for byte, a schema-1 file saved changes only
//! its schema line and `baseline` → `baselines`, `baseline` in a schema-2
//! file is an unknown field with its position, the structural errors §5
//! added, and approvals that append a baseline.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::{app_with, keys, p, run_today, today};
use riskbench::domain::canonical::to_canonical;
use riskbench::domain::fields::entity_changes;
use riskbench::domain::*;
use riskbench::store::parse_str;

const EXAMPLE: &str = include_str!("fixtures/schema2/spec-example-2.ron");
const SCHEMA_1: &str = include_str!("fixtures/spec-example.ron");

fn load(text: &str) -> Register {
    parse_str("t.ron", text)
        .unwrap_or_else(|e| panic!("{e}"))
        .register
}

fn codes(reg: &Register) -> Vec<(String, String)> {
    Analysis::new(reg, today())
        .errors()
        .map(|f| (f.code.to_string(), f.at.clone()))
        .collect()
}

fn has(reg: &Register, code: &str, at: &str) -> bool {
    codes(reg).iter().any(|(c, a)| c == code && a == at)
}

#[test]
fn the_section_5_example_loads_with_every_field() {
    let reg = load(EXAMPLE);
    assert_eq!(reg.schema, 2);
    assert_eq!(reg.method.likelihood_criteria.len(), 5);
    assert!(reg.method.impact_criteria.is_empty());
    assert_eq!(reg.method.levels[3].accept_by, ["CEO"]);
    assert_eq!(reg.method.evidence_days, Some(365));
    assert_eq!(
        reg.own_controls[0].types,
        [ControlType::Preventive, ControlType::Detective]
    );
    assert_eq!(reg.threats[0].source, "BSI G 0.23");
    assert_eq!(reg.risks[0].cia, [Cia::Confidentiality, Cia::Availability]);
    assert_eq!(
        reg.risks[0].notes[0].text,
        "Insurer asks for offline backups"
    );
    let acc = reg.risks[0].acceptance.as_ref().unwrap();
    assert_eq!(
        acc.reason,
        "Residual within budgeted loss; revisit after migration"
    );
    assert_eq!(reg.controls[1].evidence[0].at, "wiki/backup/2026-q3");
    assert_eq!(reg.actions[0].status, ActionStatus::InProgress);
    assert_eq!(reg.actions[0].cost, Some(2000));
    // Only id, title and status are required.
    let a2 = &reg.actions[1];
    assert!(a2.risks.is_empty() && a2.owner.is_empty() && a2.due.is_none() && a2.cost.is_none());
    assert_eq!(reg.plan_approval.as_ref().unwrap().note, "Budget agreed");
    assert_eq!(reg.baselines.len(), 2);
    assert_eq!(reg.approved_baseline().unwrap().version, 2);
    assert_eq!(codes(&reg), Vec::<(String, String)>::new(), "no errors");
}

#[test]
fn canonical_schema_2_round_trips_byte_for_byte() {
    let reg = load(EXAMPLE);
    let text = to_canonical(&reg);
    assert_eq!(load(&text), reg, "{text}");
    assert_eq!(to_canonical(&load(&text)), text);
    // Every schema-2 field is written while it holds a value.
    for field in [
        "likelihood_criteria",
        "accept_by",
        "evidence_days",
        "own_controls",
        "source",
        "cia",
        "notes",
        "reason",
        "evidence",
        "actions",
        "plan_approval",
        "baselines",
    ] {
        assert!(
            text.contains(&format!("{field}: ")),
            "{field} missing:\n{text}"
        );
    }
    // ...and left out at its default.
    assert!(!text.contains("impact_criteria"), "{text}");
    assert!(!text.contains("conflicts"), "{text}");
}

#[test]
fn a_schema_1_file_saved_changes_only_its_schema_line_and_baseline() {
    // The spec's example in canonical schema-1 form, with a baseline.
    let mut reg = load(SCHEMA_1);
    reg.baselines = vec![Baseline {
        version: 3,
        approved: chrono::NaiveDate::from_ymd_opt(2026, 6, 15).unwrap(),
        by: "CEO".into(),
        note: String::new(),
        entries: vec![BaselineEntry {
            control: "5.1".into(),
            applicable: Applicable::Yes,
            status: ControlStatus::Implemented,
        }],
    }];
    let v2 = to_canonical(&reg);
    // What schema 1 wrote for the same register.
    let v1 = v2
        .replace("    schema: 2,\n", "    schema: 1,\n")
        .replace(
            "    baselines: [\n        (\n            version: 3,\n            approved: \"2026-06-15\",\n            by: \"CEO\",\n            note: \"\",\n            entries: [\n                (control: \"5.1\", applicable: Yes, status: Implemented),\n            ],\n        ),\n    ],\n",
            "    baseline: Some((\n        version: 3,\n        approved: \"2026-06-15\",\n        by: \"CEO\",\n        entries: [\n            (control: \"5.1\", applicable: Yes, status: Implemented),\n        ],\n    )),\n",
        );
    assert_ne!(v1, v2);
    assert!(v1.contains("baseline: Some(("), "{v1}");
    let saved = to_canonical(&load(&v1));
    assert_eq!(saved, v2);
    // The lines that differ are the schema line and the baseline's.
    let old: Vec<&str> = v1.lines().collect();
    let new: Vec<&str> = saved.lines().collect();
    let removed: Vec<&&str> = old.iter().filter(|l| !new.contains(l)).collect();
    assert!(
        removed.iter().all(|l| l.contains("schema: 1")
            || l.contains("baseline: Some((")
            || l.starts_with("        ")
            || l.trim() == ")),"),
        "{removed:?}"
    );
    // `baselines: [` + `(` for `baseline: Some((`, the note, `),` + `],`.
    assert_eq!(old.len() + 3, new.len());

    // baseline: None becomes nothing.
    let none = v2.replace("    schema: 2,\n", "    schema: 1,\n").replace(
        &v2[v2.find("    baselines: [").unwrap()..v2.find("    history:").unwrap()],
        "    baseline: None,\n",
    );
    let saved = to_canonical(&load(&none));
    assert!(!saved.contains("baseline"), "{saved}");
    assert_eq!(
        saved,
        none.replace("    schema: 1,\n", "    schema: 2,\n")
            .replace("    baseline: None,\n", "")
    );
}

#[test]
fn the_shipped_schema_1_fixture_still_loads_and_saves_as_schema_2() {
    assert!(SCHEMA_1.contains("schema: 1,"));
    let saved = to_canonical(&load(SCHEMA_1));
    assert!(saved.contains("schema: 2,"));
    assert!(!saved.contains("baseline"));
}

#[test]
fn schema_2_fields_in_a_schema_1_file_are_read() {
    let text = EXAMPLE.replace("schema: 2,", "schema: 1,");
    let reg = load(&text);
    assert_eq!(reg.actions.len(), 2);
    assert_eq!(to_canonical(&reg), to_canonical(&load(EXAMPLE)));
}

#[test]
fn baseline_in_a_schema_2_file_is_an_unknown_field_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let text = EXAMPLE.replace("    history: [],", "    baseline: None,\n    history: [],");
    let line = text
        .lines()
        .position(|l| l.contains("baseline: None"))
        .unwrap()
        + 1;
    let file = dir.path().join("r.ron");
    std::fs::write(&file, &text).unwrap();
    for args in [vec!["check", p(&file)], vec!["fmt", p(&file)]] {
        let r = run_today(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        let want = format!("{}:{line}:5: ", p(&file));
        assert!(r.stderr.contains(&want), "{want} not in {}", r.stderr);
        assert!(r.stderr.contains("`baseline`"), "{}", r.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "the file is untouched"
    );
    // In a schema-1 file the same field is read.
    assert!(parse_str("t.ron", &text.replace("schema: 2,", "schema: 1,")).is_ok());
}

#[test]
fn schema_check_accepts_1_and_2_only() {
    let mut reg = load(EXAMPLE);
    for (schema, ok) in [(1, true), (2, true), (3, false), (0, false)] {
        reg.schema = schema;
        assert_eq!(!has(&reg, "schema", "schema"), ok, "schema {schema}");
    }
}

#[test]
fn unknown_risk_in_an_action() {
    let mut reg = load(EXAMPLE);
    assert!(!has(&reg, "unknown-risk", "ACT-01"));
    reg.actions[0].risks.push("R-404".into());
    assert!(has(&reg, "unknown-risk", "ACT-01"), "{:?}", codes(&reg));
}

#[test]
fn baselines_must_ascend_strictly() {
    let mut reg = load(EXAMPLE);
    assert!(!has(&reg, "baselines", "baselines"));
    reg.baselines[1].version = 1;
    assert!(has(&reg, "baselines", "baselines"));
    reg.baselines[1].version = 0;
    assert!(has(&reg, "baselines", "baselines"));
}

#[test]
fn duplicate_ids_of_actions_own_controls_and_cia() {
    let mut reg = load(EXAMPLE);
    assert!(!has(&reg, "duplicate-id", "ACT-01"));
    assert!(!has(&reg, "duplicate-id", "ORG-1"));
    assert!(!has(&reg, "duplicate-id", "R-001"));
    let a = reg.actions[0].clone();
    reg.actions.push(a);
    let c = reg.own_controls[0].clone();
    reg.own_controls.push(c);
    reg.risks[0].cia.push(Cia::Availability);
    assert!(has(&reg, "duplicate-id", "ACT-01"));
    assert!(has(&reg, "duplicate-id", "ORG-1"));
    assert!(has(&reg, "duplicate-id", "R-001"), "{:?}", codes(&reg));
}

#[test]
fn empty_text_for_an_action_title_and_an_evidence_what() {
    let mut reg = load(EXAMPLE);
    assert!(!has(&reg, "empty-text", "ACT-02"));
    assert!(!has(&reg, "empty-text", "8.13"));
    reg.actions[1].title = "  ".into();
    reg.controls[1].evidence[0].what = String::new();
    assert!(has(&reg, "empty-text", "ACT-02"));
    assert!(has(&reg, "empty-text", "8.13"));
}

#[test]
fn criteria_are_none_or_one_per_label() {
    let mut reg = load(EXAMPLE);
    assert!(!has(&reg, "criteria", "method"));
    reg.method.impact_criteria = vec!["only one".into()];
    assert!(has(&reg, "criteria", "method"));
    reg.method.impact_criteria = reg.method.impact.clone();
    reg.method.likelihood_criteria.pop();
    assert!(has(&reg, "criteria", "method"));
}

#[test]
fn evidence_days_zero_is_an_error() {
    let mut reg = load(EXAMPLE);
    reg.method.evidence_days = Some(1);
    assert!(!has(&reg, "evidence-days", "method"));
    reg.method.evidence_days = None;
    assert!(!has(&reg, "evidence-days", "method"));
    reg.method.evidence_days = Some(0);
    assert!(has(&reg, "evidence-days", "method"));
}

#[test]
fn own_control_ids_and_types() {
    let mut reg = load(EXAMPLE);
    assert!(!has(&reg, "own-control-id", "ORG-1"));
    assert!(!has(&reg, "own-control-types", "ORG-1"));
    reg.own_controls[0].types.clear();
    assert!(has(&reg, "own-control-types", "ORG-1"));
    let mut reg = load(EXAMPLE);
    reg.own_controls[0].id = "12.3".into();
    assert!(has(&reg, "own-control-id", "12.3"));
    reg.own_controls[0].id = "ORG.1".into();
    assert!(!has(&reg, "own-control-id", "ORG.1"));
}

#[test]
fn unknown_control_in_actions_and_maps_to_own_ids_where_allowed() {
    let mut reg = load(EXAMPLE);
    // ORG-1 is linked by R-001 and has a controls[] entry: allowed.
    assert!(!has(&reg, "unknown-control", "R-001"));
    assert!(!has(&reg, "unknown-control", "ORG-1"));
    reg.actions[0].controls.push("ORG-1".into());
    assert!(!has(&reg, "unknown-control", "ACT-01"));
    reg.actions[0].controls.push("9.99".into());
    assert!(has(&reg, "unknown-control", "ACT-01"));
    // maps_to takes Annex A ids only: an own id there is unknown.
    reg.own_controls.push(OwnControl {
        id: "ORG-2".into(),
        title: "Second".into(),
        types: vec![ControlType::Corrective],
        maps_to: vec!["ORG-1".into()],
    });
    assert!(has(&reg, "unknown-control", "ORG-2"));
    // Outside the own controls, ORG-1 in a decision is unknown.
    let mut reg = load(EXAMPLE);
    reg.decisions.push(Decision {
        control: "ORG-1".into(),
        applicable: true,
        reason: "x".into(),
    });
    assert!(has(&reg, "unknown-control", "ORG-1"));
}

#[test]
fn each_merge_conflict_is_an_error_and_a_change() {
    let mut reg = load(EXAMPLE);
    assert!(!has(&reg, "merge-conflict", "R-001"));
    let old = reg.clone();
    reg.conflicts.push(Conflict {
        entity: "risk".into(),
        id: "R-001".into(),
        field: "owner".into(),
        base: "CTO".into(),
        ours: "CIO".into(),
        theirs: "CFO".into(),
    });
    assert!(has(&reg, "merge-conflict", "R-001"));
    let text = to_canonical(&reg);
    assert_eq!(load(&text), reg);
    let changes = entity_changes(&old, &reg);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].entity, "conflict");
}

#[test]
fn actions_plan_approval_and_baselines_are_changes_like_any_entity() {
    let old = load(EXAMPLE);
    let mut new = old.clone();
    new.actions[1].status = ActionStatus::Done;
    new.plan_approval = None;
    new.baselines[1].note = "Board".into();
    new.own_controls[0].title = "Dual control".into();
    let changes = entity_changes(&old, &new);
    let got: Vec<(&str, String, String)> = changes
        .iter()
        .map(|c| (c.entity, c.id.clone(), c.kind.as_str().to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("own_control", "ORG-1".to_string(), "changed".to_string()),
            ("action", "ACT-02".into(), "changed".into()),
            ("plan_approval", String::new(), "removed".into()),
            ("baseline", "2".into(), "changed".into()),
        ]
    );
}

#[test]
fn approval_appends_a_baseline_and_undo_removes_exactly_it() {
    let mut app = app_with(common::northwind_register());
    let before = app.doc.register().clone();
    let versions = |app: &riskbench::app::App| -> Vec<u32> {
        app.doc
            .register()
            .baselines
            .iter()
            .map(|b| b.version)
            .collect()
    };
    let first = versions(&app);
    assert!(!first.is_empty());
    let last = *first.last().unwrap();
    keys(&mut app, "A");
    app.type_text("CEO");
    keys(&mut app, "enter");
    keys(&mut app, "A");
    app.type_text("CISO");
    keys(&mut app, "enter");
    let mut want = first.clone();
    want.extend([last + 1, last + 2]);
    assert_eq!(versions(&app), want);
    // Nothing earlier was touched.
    assert_eq!(
        app.doc.register().baselines[..first.len()],
        before.baselines[..]
    );
    assert_eq!(app.doc.register().approved_baseline().unwrap().by, "CISO");
    assert_eq!(app.doc.register().approved_baseline().unwrap().note, "");
    keys(&mut app, "u");
    let mut want = first.clone();
    want.push(last + 1);
    assert_eq!(versions(&app), want);
    assert_eq!(app.doc.register().approved_baseline().unwrap().by, "CEO");
    keys(&mut app, "u");
    assert_eq!(*app.doc.register(), before);
}

/// The forms do not edit the schema-2 fields yet; submitting one keeps
/// them as they were (a form that rebuilt the entity would drop them).
#[test]
fn editing_with_a_form_keeps_the_schema_2_fields_it_does_not_show() {
    use riskbench::app::Modal;
    use riskbench::keymap::KeyPress;
    let before = load(EXAMPLE);
    let mut app = app_with(before.clone());
    let focused = |app: &riskbench::app::App| match app.modals.last() {
        Some(Modal::Form(f)) => f.focused().map(|f| f.label).unwrap_or(""),
        _ => panic!("expected a form"),
    };
    // The only risk: change its treatment.
    keys(&mut app, "2");
    keys(&mut app, "e");
    for _ in 0..40 {
        if focused(&app) == "Treatment" {
            break;
        }
        keys(&mut app, "tab");
    }
    assert_eq!(focused(&app), "Treatment");
    app.handle_key(KeyPress::char('R'));
    keys(&mut app, "enter");
    assert!(app.modals.is_empty());
    let r = &app.doc.register().risks[0];
    assert_eq!(r.treatment, Treatment::Retain);
    assert_eq!(r.cia, before.risks[0].cia);
    assert_eq!(r.notes, before.risks[0].notes);
    assert_eq!(r.acceptance, before.risks[0].acceptance);

    // The only threat: change its shift.
    keys(&mut app, "4");
    keys(&mut app, "e");
    for _ in 0..40 {
        if focused(&app) == "Shift" {
            break;
        }
        keys(&mut app, "tab");
    }
    assert_eq!(focused(&app), "Shift");
    app.handle_key(KeyPress::char('1'));
    keys(&mut app, "enter");
    assert!(app.modals.is_empty());
    let t = &app.doc.register().threats[0];
    assert_ne!(t.shift, before.threats[0].shift);
    assert_eq!(t.source, "BSI G 0.23");

    // Control 8.13 (the only one with evidence): change its status.
    keys(&mut app, "5");
    let item = Catalog::annex_a().index_of("8.13").unwrap();
    keys(&mut app, "g g");
    while app.selected_item() != Some(item) {
        keys(&mut app, "j");
    }
    keys(&mut app, "e");
    assert_eq!(focused(&app), "Status");
    app.handle_key(KeyPress::char('P'));
    keys(&mut app, "enter");
    assert!(app.modals.is_empty());
    let c = app
        .doc
        .register()
        .controls
        .iter()
        .find(|c| c.id == "8.13")
        .unwrap();
    assert_ne!(c.status, ControlStatus::Implemented);
    assert_eq!(c.evidence, before.controls[1].evidence);
}
