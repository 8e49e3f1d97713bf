//! SoA changes: between two snapshots, or against the approved baseline.

use std::collections::HashMap;

use super::{Snapshot, SoaChange, SoaState};
use crate::domain::analysis::Analysis;
use crate::domain::catalog::Catalog;
use crate::domain::model::{Applicable, Baseline, ControlStatus, Register};

/// SoA differences between two snapshots, in catalog order, with
/// justification changes.
pub fn soa_changes(old: &Snapshot, new: &Snapshot) -> Vec<SoaChange> {
    let catalog = Catalog::annex_a();
    old.soa
        .iter()
        .zip(&new.soa)
        .enumerate()
        .filter_map(|(c, ((before, jb), (after, ja)))| {
            let justification = (jb != ja).then(|| (jb.clone(), ja.clone()));
            (before != after || justification.is_some()).then(|| SoaChange {
                control: c,
                id: catalog.controls()[c].id.clone(),
                before: *before,
                after: *after,
                justification,
            })
        })
        .collect()
}

/// The current SoA against the register's approved baseline. A control the
/// baseline does not list (or a register without a baseline) counts as
/// Undecided / NotStarted before.
pub fn baseline_changes(reg: &Register, an: &Analysis) -> Vec<SoaChange> {
    baseline_changes_from(reg.approved_baseline(), an)
}

/// The current SoA against `baseline` (any approved version, for `diff
/// FILE --since N`; `None`: nothing approved). A control the baseline does
/// not list counts as Undecided / NotStarted before.
pub fn baseline_changes_from(baseline: Option<&Baseline>, an: &Analysis) -> Vec<SoaChange> {
    let catalog = Catalog::annex_a();
    let approved: HashMap<&str, SoaState> = baseline
        .into_iter()
        .flat_map(|b| &b.entries)
        .map(|e| {
            (
                e.control.as_str(),
                SoaState {
                    applicable: e.applicable,
                    status: e.status,
                },
            )
        })
        .collect();
    an.soa
        .entries
        .iter()
        .filter_map(|e| {
            let id = &catalog.controls()[e.control].id;
            let before = approved.get(id.as_str()).copied().unwrap_or(SoaState {
                applicable: Applicable::Undecided,
                status: ControlStatus::NotStarted,
            });
            let after = SoaState {
                applicable: e.applicable,
                status: e.status,
            };
            (before != after).then(|| SoaChange {
                control: e.control,
                id: id.clone(),
                before,
                after,
                justification: None,
            })
        })
        .collect()
}
