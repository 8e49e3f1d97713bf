//! The document: the register being edited and everything derived from
//! it — the undo history, the evaluation, the dashboard figures, the
//! register as loaded (what the Changes view compares against) — kept in
//! step by one entry point, [`Document::apply`] (and its undo and redo).
//!
//! Nothing outside this module can write the register or a derived value:
//! they are private, read through accessors. So an edit can never leave the
//! evaluation, the figures or the pending-SoA count behind. The session
//! ([`super::App`]: views, tables, popups, messages) holds one document and
//! replaces it whole on reload. Modelled on helix, whose `Document` holds
//! a file's text, history and derived syntax while the `Editor` holds the
//! views.
//!
//! Recalculation is incremental where it can be (quick scoring on a
//! 100,000-risk register must not recompute everything): see
//! [`Document::apply`].

use chrono::NaiveDate;

use super::edit::{Edit, EditError, History, Item};
use super::plan::PlanIndex;
use super::stats::Stats;
use crate::domain::diff::{Snapshot, baseline_changes};
use crate::domain::{Analysis, Catalog, ControlStatus, Register, Risk, evidence};

/// The register, its history and what is derived from it.
///
/// Everything is read through accessors:
///
/// ```
/// # use riskbench::app::Document;
/// fn pending(doc: &Document) -> usize {
///     doc.pending_soa() + doc.register().risks.len()
/// }
/// ```
///
/// and nothing is written from outside, neither a derived value nor the
/// register itself (only [`Document::apply`] and its kin change them):
///
/// ```compile_fail
/// # use riskbench::app::Document;
/// fn poke(doc: &mut Document) {
///     doc.pending_soa = 0;
/// }
/// ```
///
/// ```compile_fail
/// # use riskbench::app::Document;
/// fn poke(doc: &mut Document) {
///     doc.register.risks.clear();
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Document {
    register: Register,
    history: History,
    analysis: Analysis,
    stats: Stats,
    today: NaiveDate,
    /// The register as loaded, in full, and its snapshot: what the Changes
    /// view compares against. In full because the view shows every field
    /// that changed (a title, an owner, an acceptance), as `riskbench diff`
    /// does; at 100,000 risks that is some tens of megabytes, the price of
    /// never hiding an edit.
    loaded: Register,
    loaded_snapshot: Snapshot,
    /// SoA entries whose applicability or status differ from the approved
    /// baseline: the count the status bar always shows.
    pending_soa: usize,
    /// Per factor: assets and risks (directly or through their asset)
    /// whose scope depends on it.
    factor_scope: Vec<(usize, usize)>,
    /// The treatment plan per risk and its summary: rebuilt when actions
    /// or risks change, so no frame scans the actions per drawn row.
    plan: PlanIndex,
}

/// What a change recalculated, so the session redraws no more than it must.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touched {
    /// One risk's evaluation, findings and figures (index into the risks).
    Risk(usize),
    /// Anything else: every view is out of date.
    Everything,
}

/// A change made to the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub touched: Touched,
    /// Every list kept its items at their indices: tables may keep their
    /// row order (see [`Edit::keeps_items`]).
    pub keeps_items: bool,
}

impl Change {
    /// Everything recalculated; no row order to keep.
    pub const EVERYTHING: Change = Change {
        touched: Touched::Everything,
        keeps_items: false,
    };
}

impl Document {
    /// The register as loaded (or restored), evaluated as of `today`.
    pub fn new(register: Register, today: NaiveDate) -> Document {
        let analysis = Analysis::new(&register, today);
        let stats = Stats::new(&register, &analysis);
        let loaded_snapshot = Snapshot::new(&register, &analysis);
        let mut doc = Document {
            loaded: register.clone(),
            register,
            history: History::default(),
            analysis,
            stats,
            today,
            loaded_snapshot,
            pending_soa: 0,
            factor_scope: Vec::new(),
            plan: PlanIndex::default(),
        };
        doc.derive();
        doc.plan = PlanIndex::new(&doc.register, today);
        doc
    }

    pub fn register(&self) -> &Register {
        &self.register
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The day the register is evaluated on.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// The register as loaded (what the Changes view compares against).
    pub fn loaded(&self) -> &Register {
        &self.loaded
    }

    /// The snapshot of the register as loaded.
    pub fn loaded_snapshot(&self) -> &Snapshot {
        &self.loaded_snapshot
    }

    /// SoA entries that differ from the approved baseline.
    pub fn pending_soa(&self) -> usize {
        self.pending_soa
    }

    /// Per factor: (assets, risks) whose scope depends on it.
    pub fn factor_scope(&self) -> &[(usize, usize)] {
        &self.factor_scope
    }

    /// The treatment plan's index: each risk's actions, the summary.
    pub fn plan(&self) -> &PlanIndex {
        &self.plan
    }

    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// The register was written: it is no longer dirty.
    pub fn mark_saved(&mut self) {
        self.history.mark_saved();
    }

    /// Applies a new edit, records it for undo, and recalculates. A risk
    /// edit that keeps the risk's id, links, scope and owner re-evaluates
    /// that risk alone; a change to one control's state re-evaluates the
    /// risks linking it; other changes to the environment re-evaluate every
    /// risk from its kept inputs; any other edit recalculates everything.
    pub fn apply(&mut self, edit: Edit) -> Result<Change, EditError> {
        let applied = edit.clone();
        self.history.apply(&mut self.register, edit)?;
        Ok(self.recalculate(&applied))
    }

    /// Undoes the last edit: `None` when there is none, else the inverse
    /// that was applied and what it changed.
    pub fn undo(&mut self) -> Option<Result<(Edit, Change), EditError>> {
        Some(self.history.undo(&mut self.register)?.map(|inverse| {
            let change = self.recalculate(&inverse);
            (inverse, change)
        }))
    }

    /// Redoes the last undone edit: `None` when there is none.
    pub fn redo(&mut self) -> Option<Result<(Edit, Change), EditError>> {
        Some(self.history.redo(&mut self.register)?.map(|edit| {
            let change = self.recalculate(&edit);
            (edit, change)
        }))
    }

    /// Makes the edits above `depth` one undoable step (keeping a what-if).
    /// False when there were none.
    pub fn squash_from(&mut self, depth: usize) -> bool {
        self.history.squash_from(depth)
    }

    /// Takes back every edit above `depth` for good (discarding a what-if):
    /// they cannot be redone. Should an undo fail, the register becomes
    /// `base` exactly (the state at `depth`) and the error is returned.
    pub fn discard_from(&mut self, depth: usize, base: &Register) -> Result<Change, EditError> {
        let had_edits = self.history.undo_len() > depth;
        let mut failed = None;
        while self.history.undo_len() > depth {
            if let Some(Err(e)) = self.history.undo(&mut self.register) {
                failed = Some(e);
                break;
            }
        }
        if had_edits {
            self.history.clear_redo();
        }
        if failed.is_some() {
            self.register = base.clone();
        }
        let change = self.recompute();
        match failed {
            Some(e) => Err(e),
            None => Ok(change),
        }
    }

    /// Recalculates everything from the register.
    pub fn recompute(&mut self) -> Change {
        self.analysis = Analysis::new(&self.register, self.today);
        self.derive();
        self.plan = PlanIndex::new(&self.register, self.today);
        Change::EVERYTHING
    }

    fn recalculate(&mut self, edit: &Edit) -> Change {
        let touched = self.recalculate_after(edit);
        Change {
            touched,
            keeps_items: edit.keeps_items(),
        }
    }

    fn recalculate_after(&mut self, edit: &Edit) -> Touched {
        if let Edit::Replace {
            at,
            before: Item::Risk(b),
            after: Item::Risk(a),
        } = edit
            && b.id == a.id
            && b.asset == a.asset
            && b.threat == a.threat
            && b.controls == a.controls
            && b.factor == a.factor
            && b.owner == a.owner
        {
            return self.recalculate_risk(*at, b);
        }
        if let Edit::Replace {
            before: Item::Control(b),
            after: Item::Control(a),
            ..
        } = edit
            && b.id == a.id
            && b.owner == a.owner
            && b.effectiveness <= 100
            && a.effectiveness <= 100
            && let Some(c) = self.analysis.eval.lookups.control_index(&a.id)
        {
            self.recalculate_control(c);
        } else if edit.only_actions() {
            // The plan changed, nothing that is scored: the findings (the
            // plan's warnings and errors) and the plan's index again.
            self.analysis.findings = crate::domain::validate::validate(
                &self.register,
                &self.analysis.eval,
                &self.analysis.soa,
            );
            self.derive();
            self.plan = PlanIndex::new(&self.register, self.today);
        } else if edit.keeps_structure() {
            // A change to the environment: every risk again, from the
            // inputs the evaluation keeps, without reading the risks.
            self.analysis.reevaluate(&self.register, self.today);
            self.derive();
            if touches_actions(edit) {
                self.plan = PlanIndex::new(&self.register, self.today);
            }
        } else {
            self.recompute();
        }
        Touched::Everything
    }

    /// Everything derived from the analysis: figures, factor scope counts
    /// and the pending SoA count.
    fn derive(&mut self) {
        self.stats = Stats::new(&self.register, &self.analysis);
        let reg = &self.register;
        let factor_of: std::collections::HashMap<&str, usize> = reg
            .factors
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.as_str(), i))
            .collect();
        self.factor_scope = vec![(0, 0); reg.factors.len()];
        for a in &reg.assets {
            if let Some(&f) = a.factor.as_deref().and_then(|f| factor_of.get(f)) {
                self.factor_scope[f].0 += 1;
            }
        }
        for r in &reg.risks {
            let asset = self
                .analysis
                .eval
                .lookups
                .asset_index
                .get(&r.asset)
                .copied();
            let via_asset = asset.and_then(|a| reg.assets.get(a)?.factor.as_deref());
            let mut counted = None;
            for f in [r.factor.as_deref(), via_asset].into_iter().flatten() {
                if let Some(&i) = factor_of.get(f)
                    && counted != Some(i)
                {
                    self.factor_scope[i].1 += 1;
                    counted = Some(i);
                }
            }
        }
        self.pending_soa = baseline_changes(&self.register, &self.analysis).len();
    }

    /// After a change to one control's status, effectiveness or note (an
    /// Annex A or an own control, `c` its control index): re-evaluates
    /// only the risks that link it (the `by_control` index),
    /// updates its SoA status, the dashboard figures and those risks'
    /// findings. Applicability cannot change: links and scope are the same.
    fn recalculate_control(&mut self, c: usize) {
        let linking = self
            .analysis
            .eval
            .by_control
            .get(c)
            .cloned()
            .unwrap_or_default();
        let mut touched = vec![false; self.register.risks.len()];
        for &i in &linking {
            let Some(old) = self.analysis.eval.risks.get(i).cloned().flatten() else {
                continue;
            };
            let Some(risk) = self.register.risks.get(i) else {
                continue;
            };
            let new = crate::domain::eval::evaluate_risk(
                &self.register,
                &self.analysis.eval.lookups,
                risk,
                self.today,
            );
            self.stats.remove_risk(risk, Some(&old), self.today);
            self.stats.add_risk(risk, Some(&new), self.today);
            self.analysis.eval.risks[i] = Some(new);
            touched[i] = true;
        }
        self.analysis
            .findings
            .retain(|f| f.risk.is_none_or(|r| !touched[r]));
        for (i, t) in touched.iter().enumerate() {
            if *t {
                let own =
                    crate::domain::validate::risk_findings(&self.register, &self.analysis.eval, i);
                self.analysis.findings.extend(own);
            }
        }
        // An own control has no SoA row, and never changes the status of
        // the Annex A controls it maps to (REGISTER.md §5).
        if let Some(info) = Catalog::annex_a().controls().get(c)
            && let Some(entry) = self.analysis.soa.entries.get_mut(c)
        {
            entry.status = self
                .analysis
                .eval
                .lookups
                .control_state
                .get(&info.id)
                .and_then(|&s| self.register.controls.get(s))
                .map_or(ControlStatus::NotStarted, |s| s.status);
        }
        // The status is in the SoA: whether it still matches the approved
        // baseline may have changed.
        self.analysis
            .findings
            .retain(|f| f.code != "soa-unapproved");
        let soa = crate::domain::validate::soa_findings(&self.register, &self.analysis.soa);
        self.analysis.findings.extend(soa);
        // So are its status and evidence, which the evidence warnings read.
        self.analysis
            .findings
            .retain(|f| f.code != evidence::MISSING && f.code != evidence::STALE);
        let a = &self.analysis;
        let fresh = crate::domain::validate::evidence_findings(&self.register, &a.eval, &a.soa);
        self.analysis.findings.extend(fresh);
        self.stats.count_findings(&self.analysis);
        self.pending_soa = baseline_changes(&self.register, &self.analysis).len();
    }

    /// Re-evaluates risk `i` (whose previous value was `before`) and
    /// updates the dashboard figures and its findings.
    fn recalculate_risk(&mut self, i: usize, before: &Risk) -> Touched {
        let Some(risk) = self.register.risks.get(i) else {
            self.recompute();
            return Touched::Everything;
        };
        // Scope cannot have changed: the asset and factor are the same.
        let (old, new) = self.analysis.eval.update_risk(&self.register, i);
        self.stats.remove_risk(before, old.as_ref(), self.today);
        self.stats.add_risk(risk, new.as_ref(), self.today);
        self.analysis.findings.retain(|f| f.risk != Some(i));
        let own = crate::domain::validate::risk_findings(&self.register, &self.analysis.eval, i);
        self.analysis.findings.extend(own);
        self.stats.count_findings(&self.analysis);
        Touched::Risk(i)
    }
}

/// Whether `edit` changes the treatment plan's actions at all.
fn touches_actions(edit: &Edit) -> bool {
    match edit {
        Edit::Batch(edits) | Edit::Bulk { edits, .. } => edits.iter().any(touches_actions),
        Edit::Actions { .. } => true,
        Edit::Insert { item, .. } | Edit::Remove { item, .. } => matches!(item, Item::Action(_)),
        Edit::Replace { before, after, .. } => {
            matches!(before, Item::Action(_)) || matches!(after, Item::Action(_))
        }
        Edit::Approve { .. }
        | Edit::Log { .. }
        | Edit::Whole { .. }
        | Edit::Settings { .. }
        | Edit::ApprovePlan { .. } => false,
    }
}
