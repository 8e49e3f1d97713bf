//! The part of an evaluated register a comparison needs, kept small enough
//! that the workbench can hold the register as loaded.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{NamedScore, RiskState, SoaState};
use crate::domain::analysis::Analysis;
use crate::domain::eval::Score;
use crate::domain::model::{Id, Register};

/// The level names of a register's method, shared.
fn level_names(reg: &Register) -> Vec<Arc<str>> {
    reg.method
        .levels
        .iter()
        .map(|l| Arc::from(l.name.as_str()))
        .collect()
}

/// What a comparison needs of one evaluated register, and no more: a
/// 100,000-risk register's snapshot is a fraction of its full evaluation,
/// so the workbench can keep the register as loaded to compare against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// The level names of the register's method.
    levels: Vec<Arc<str>>,
    /// In-scope risks, sorted by id (one per id).
    pub(super) risks: Vec<StoredRisk>,
    /// Per catalog control: state and justification.
    pub soa: Vec<(SoaState, String)>,
    /// Scope of every asset by id (in or out).
    pub asset_scope: HashMap<Id, bool>,
    /// Risks that are out of scope (the in-scope ones are in `risks`).
    pub out_of_scope: HashSet<Id>,
}

/// One in-scope risk as a snapshot keeps it: scores with their level as an
/// index into the snapshot's level names (about 100 bytes and its title,
/// against about 190 for a [`RiskState`] in a map).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct StoredRisk {
    pub(super) id: Id,
    title: Box<str>,
    inherent: Score,
    residual: Score,
    target: Score,
    manual: bool,
    above_appetite: bool,
}

impl Snapshot {
    /// The in-scope risk `id` as this snapshot saw it.
    pub fn risk(&self, id: &str) -> Option<RiskState> {
        self.find(id).map(|r| self.state(r))
    }

    /// The number of in-scope risks.
    pub fn risk_count(&self) -> usize {
        self.risks.len()
    }

    pub(super) fn find(&self, id: &str) -> Option<&StoredRisk> {
        let at = self.risks.partition_point(|r| r.id.as_str() < id);
        self.risks.get(at).filter(|r| r.id == id)
    }

    pub(super) fn state(&self, r: &StoredRisk) -> RiskState {
        RiskState {
            title: r.title.to_string(),
            inherent: NamedScore::new(&self.levels, &r.inherent),
            residual: NamedScore::new(&self.levels, &r.residual),
            manual: r.manual,
            target: NamedScore::new(&self.levels, &r.target),
            above_appetite: r.above_appetite,
        }
    }

    fn level_name(&self, s: &Score) -> &str {
        s.level_index()
            .and_then(|l| self.levels.get(l))
            .map_or("?", |n| n)
    }

    /// Whether a risk's evaluated scores are the same in both snapshots
    /// (level by name: the two registers may use different methods).
    pub(super) fn same_scores(&self, b: &StoredRisk, new: &Snapshot, a: &StoredRisk) -> bool {
        let same = |x: &Score, y: &Score| {
            (x.likelihood, x.impact, x.score) == (y.likelihood, y.impact, y.score)
                && self.level_name(x) == new.level_name(y)
        };
        same(&b.inherent, &a.inherent)
            && same(&b.residual, &a.residual)
            && same(&b.target, &a.target)
            && b.above_appetite == a.above_appetite
    }

    /// Whether the risk exists, and if so whether it is in scope.
    pub(super) fn risk_in_scope(&self, id: &str) -> Option<bool> {
        if self.find(id).is_some() {
            Some(true)
        } else {
            self.out_of_scope.contains(id).then_some(false)
        }
    }

    /// What `reg` and its analysis say that a comparison needs.
    pub fn new(reg: &Register, an: &Analysis) -> Snapshot {
        let mut risks: Vec<StoredRisk> = an
            .eval
            .in_scope(reg)
            .map(|(_, r, e)| StoredRisk {
                id: r.id.clone(),
                title: r.title.as_str().into(),
                inherent: e.inherent,
                residual: e.residual,
                target: e.target,
                manual: e.manual,
                above_appetite: e.above_appetite,
            })
            .collect();
        if !an.eval.ids_in_order {
            risks.sort_by(|a, b| a.id.cmp(&b.id));
        }
        risks.dedup_by(|later, first| later.id == first.id);
        let soa = an
            .soa
            .entries
            .iter()
            .map(|e| {
                (
                    SoaState {
                        applicable: e.applicable,
                        status: e.status,
                    },
                    e.justification(reg),
                )
            })
            .collect();
        let asset_scope = reg
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), an.eval.lookups.asset_in_scope(i)))
            .collect();
        let out_of_scope = reg
            .risks
            .iter()
            .enumerate()
            .filter(|(i, _)| an.eval.risks.get(*i).is_some_and(Option::is_none))
            .map(|(_, r)| r.id.clone())
            .collect();
        Snapshot {
            levels: level_names(reg),
            risks,
            soa,
            asset_scope,
            out_of_scope,
        }
    }
}
