//! The Changes view, the crash-recovery prompt and the "file changed on
//! disk" overwrite preview say exactly what `riskbench diff` says (issue
//! 13): random edits to northwind, made through the workbench, then each
//! of the three compared with the comparison `diff` prints.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::path::Path;

use common::{northwind_register, today};
use proptest::prelude::*;
use riskbench::app::edit::{Edit, Item};
use riskbench::app::picker::PickerPurpose;
use riskbench::app::{App, Modal, View};
use riskbench::domain::diff::{Diff, compare};
use riskbench::domain::model::{ControlStatus, Treatment};
use riskbench::domain::{Analysis, Register};
use riskbench::keymap::Keymap;
use riskbench::store::recovery;
use riskbench::tui::Session;

/// One random edit: which list, which item (modulo its length), which
/// field, and a number to derive the new value from.
#[derive(Debug, Clone)]
struct Change {
    list: u8,
    at: usize,
    field: u8,
    value: u32,
}

fn change() -> impl Strategy<Value = Change> {
    (0u8..6, 0usize..200, 0u8..8, 0u32..1000).prop_map(|(list, at, field, value)| Change {
        list,
        at,
        field,
        value,
    })
}

/// The edit `c` makes to `reg`, as the workbench's forms make them: one
/// item replaced by a copy with one field changed.
fn edit(reg: &Register, c: &Change) -> Option<Edit> {
    let text = |what: &str| format!("{what} {}", c.value);
    let pick = |n: usize| (n > 0).then(|| c.at % n);
    let (at, before, after) = match c.list {
        0 => {
            let at = pick(reg.risks.len())?;
            let mut r = reg.risks[at].clone();
            match c.field {
                0 => r.title = text("Title"),
                1 => r.owner = text("Owner"),
                2 => r.likelihood = 1 + c.value % 5,
                3 => r.impact = 1 + c.value % 5,
                4 => r.treatment = Treatment::ALL[c.value as usize % 4],
                5 => r.vulnerability = text("Weakness"),
                6 => {
                    if r.controls.pop().is_none() {
                        r.controls.push("5.7".into());
                    }
                }
                _ => r.reviewed = chrono::NaiveDate::from_ymd_opt(2026, 1 + c.value % 12, 1),
            }
            (at, Item::Risk(reg.risks[at].clone()), Item::Risk(r))
        }
        1 => {
            let at = pick(reg.assets.len())?;
            let mut a = reg.assets[at].clone();
            match c.field % 2 {
                0 => a.owner = text("Owner"),
                _ => a.name = text("Asset"),
            }
            (at, Item::Asset(reg.assets[at].clone()), Item::Asset(a))
        }
        2 => {
            let at = pick(reg.threats.len())?;
            let mut t = reg.threats[at].clone();
            match c.field % 2 {
                0 => t.shift = (c.value % 5) as i32 - 2,
                _ => t.name = text("Threat"),
            }
            (at, Item::Threat(reg.threats[at].clone()), Item::Threat(t))
        }
        3 => {
            let at = pick(reg.controls.len())?;
            let mut s = reg.controls[at].clone();
            match c.field % 4 {
                0 => s.status = ControlStatus::ALL[c.value as usize % 4],
                1 => s.effectiveness = c.value % 101,
                2 => s.owner = text("Owner"),
                _ => s.note = text("Note"),
            }
            (
                at,
                Item::Control(reg.controls[at].clone()),
                Item::Control(s),
            )
        }
        4 => {
            let at = pick(reg.factors.len())?;
            let mut f = reg.factors[at].clone();
            match c.field % 2 {
                0 => f.on = !f.on,
                _ => f.label = text("Factor"),
            }
            (at, Item::Factor(reg.factors[at].clone()), Item::Factor(f))
        }
        _ => {
            let at = pick(reg.decisions.len())?;
            let mut d = reg.decisions[at].clone();
            d.reason = text("Reason");
            (
                at,
                Item::Decision(reg.decisions[at].clone()),
                Item::Decision(d),
            )
        }
    };
    (before != after).then_some(Edit::Replace { at, before, after })
}

/// Makes `changes` in `app` through its edit path (incremental
/// re-evaluation included).
fn make(app: &mut App, changes: &[Change]) {
    for c in changes {
        if let Some(e) = edit(app.doc.register(), c) {
            app.apply_edit(e, "edited");
        }
    }
}

fn diff_of(old: &Register, new: &Register) -> Diff {
    compare(
        old,
        &Analysis::new(old, today()),
        new,
        &Analysis::new(new, today()),
    )
}

/// The lines of `riskbench diff`'s text under its heading line.
fn diff_text_lines(d: &Diff) -> Vec<String> {
    riskbench::cli::diff::diff_text(d, "the file as loaded", "the other version")
        .lines()
        .skip(2)
        .map(str::to_string)
        .collect()
}

fn write(path: &Path, reg: &Register) {
    std::fs::write(path, riskbench::domain::canonical::to_canonical(reg)).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_changes_view_recovery_prompt_and_overwrite_preview_agree_with_diff(
        changes in proptest::collection::vec(change(), 1..6),
    ) {
        let old = northwind_register();

        // The Changes view, after the edits were made in the workbench.
        let mut app = App::new(old.clone(), None, today(), Keymap::default_keymap());
        make(&mut app, &changes);
        let new = app.doc.register().clone();
        let d = diff_of(&old, &new);
        app.show_view(View::Changes);
        let mut expected_entities = d.entities.clone();
        expected_entities.extend(d.unscoped.iter().cloned());
        prop_assert_eq!(&app.changes().risks, &d.risks);
        prop_assert_eq!(&app.changes().scope, &d.scope);
        prop_assert_eq!(&app.changes().entities, &expected_entities);
        // Every listed change has its row.
        let rows = app.changes().rows.len();
        prop_assert!(rows >= d.risks.len() + d.scope.len() + expected_entities.len());
        prop_assert_eq!(new == old, d.is_empty());

        let dir = tempfile::tempdir().unwrap();

        // The recovery prompt: a recovery file holding `new` next to `old`.
        let file = dir.path().join("reg.ron");
        write(&file, &old);
        if new != old {
            recovery::write(&file, &new).unwrap();
            let s = Session::open(Some(&file), None, today(), None).unwrap();
            let message = match s.app.modals.last() {
                Some(Modal::Confirm(c)) => c.message.clone(),
                other => panic!("expected the recovery question, got {other:?}"),
            };
            let shown: Vec<&str> = message.lines().skip(2).collect();
            let want = diff_text_lines(&d);
            let head: Vec<&str> = want.iter().take(12).map(String::as_str).collect();
            prop_assert_eq!(&shown[..head.len()], &head[..], "{}", message);
            if want.len() > 12 {
                let more = format!("… and {} more lines", want.len() - 12);
                prop_assert_eq!(shown.get(12).copied(), Some(more.as_str()));
            }
            drop(s);
            recovery::discard(&file);
        }

        // The overwrite preview: the same edits in a session, while the
        // file on disk was changed behind its back (renamed, here).
        let other = dir.path().join("other.ron");
        write(&other, &old);
        let mut s = Session::open(Some(&other), None, today(), None).unwrap();
        make(&mut s.app, &changes);
        prop_assume!(s.app.is_dirty());
        let mut disk = old.clone();
        disk.name = "Changed by a colleague".into();
        write(&other, &disk);
        let effects = s.app.handle_keys("ctrl-s").unwrap();
        s.perform(effects);
        let summary = match s.app.modals.last() {
            Some(Modal::Picker(p)) => match &p.purpose {
                PickerPurpose::ExternalChange { summary, .. } => summary.clone(),
                other => panic!("expected the external-change choice, got {other:?}"),
            },
            other => panic!("expected the external-change choice, got {other:?}"),
        };
        prop_assert_eq!(summary, diff_text_lines(&diff_of(&disk, s.app.doc.register())));
    }
}
