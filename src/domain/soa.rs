//! The Statement of Applicability (REGISTER.md §3): one entry for each of the
//! 93 Annex A controls, derived from in-scope risks, factors that are on and
//! explicit decisions.

use super::catalog::Catalog;
use super::eval::Evaluation;
use super::model::{ControlStatus, Register};

pub use super::model::Applicable as Applicability;

/// One SoA row.
#[derive(Debug, Clone, PartialEq)]
pub struct SoaEntry {
    /// Index into the catalog.
    pub control: usize,
    /// Yes, No or Undecided, from risks, factors and decisions.
    pub applicable: Applicability,
    /// The control's implementation status in the register.
    pub status: ControlStatus,
    /// In-scope risks linking the control, sorted by risk id (indices into
    /// `register.risks`).
    pub risks: Vec<usize>,
    /// Factors that are on and require the control, sorted by factor id
    /// (indices into `register.factors`).
    pub factors: Vec<usize>,
    /// Index into `register.decisions` of the control's decision.
    pub decision: Option<usize>,
    /// Excluded by a decision although risks or factors need it.
    pub conflict: bool,
}

/// The counts at the head of the SoA (REGISTER.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SoaSummary {
    /// Applicable controls.
    pub yes: usize,
    /// Excluded controls.
    pub no: usize,
    /// Controls nothing settles yet.
    pub undecided: usize,
    /// Applicable (Yes) and Implemented.
    pub implemented: usize,
}

/// The Statement of Applicability: one row per Annex A control.
#[derive(Debug, Clone, PartialEq)]
pub struct Soa {
    /// The rows, in catalog order.
    pub entries: Vec<SoaEntry>,
}

impl SoaEntry {
    /// The SoA's justification (REGISTER.md §3): for an excluded control
    /// the decision's reason; for an applicable one
    /// `Risks; Factors: cloud; <decision reason>` with empty
    /// parts left out; empty when Undecided. Built when asked for (a
    /// control linked by thousands of risks has a long one, and rebuilding
    /// all 93 on every change would dominate re-evaluation).
    pub fn justification(&self, reg: &Register) -> String {
        self.justification_within(reg, usize::MAX)
    }

    /// The justification for display: the same, except that a list of
    /// risks longer than about `limit` bytes ends with `… +N more` (a
    /// control linked by thousands of risks would otherwise build tens of
    /// kilobytes per row on every frame, of which a screen shows a line).
    pub fn justification_within(&self, reg: &Register, limit: usize) -> String {
        let decided = self.decision.and_then(|d| reg.decisions.get(d));
        match self.applicable {
            Applicability::No => decided.map(|d| d.reason.clone()).unwrap_or_default(),
            Applicability::Undecided => String::new(),
            Applicability::Yes => {
                let mut parts = Vec::new();
                if !self.risks.is_empty() {
                    let mut list = String::with_capacity(
                        (7 + self.risks.len() * 9).min(limit.saturating_add(32)),
                    );
                    list.push_str("Risks: ");
                    for (k, &r) in self.risks.iter().enumerate() {
                        if k > 0 {
                            if list.len() >= limit {
                                list.push_str(&format!(", … +{} more", self.risks.len() - k));
                                break;
                            }
                            list.push_str(", ");
                        }
                        if let Some(risk) = reg.risks.get(r) {
                            list.push_str(&risk.id);
                        }
                    }
                    parts.push(list);
                }
                if !self.factors.is_empty() {
                    let ids: Vec<&str> = self
                        .factors
                        .iter()
                        .filter_map(|&f| reg.factors.get(f).map(|f| f.id.as_str()))
                        .collect();
                    parts.push(format!("Factors: {}", ids.join(", ")));
                }
                if let Some(d) = decided
                    && !d.reason.is_empty()
                {
                    parts.push(d.reason.clone());
                }
                parts.join("; ")
            }
        }
    }
}

impl Soa {
    /// Derives the SoA of `reg` from its evaluation.
    pub fn build(reg: &Register, eval: &Evaluation) -> Soa {
        let catalog = Catalog::annex_a();
        let n = catalog.len();
        let mut factors = vec![Vec::new(); n];
        for (fi, f) in reg.factors.iter().enumerate() {
            if !f.on {
                continue;
            }
            for id in &f.requires {
                if let Some(c) = catalog.index_of(id)
                    && !factors[c].contains(&fi)
                {
                    factors[c].push(fi);
                }
            }
        }
        let mut decisions = vec![None; n];
        for (di, d) in reg.decisions.iter().enumerate() {
            if let Some(c) = catalog.index_of(&d.control) {
                decisions[c].get_or_insert(di);
            }
        }
        // Risks are usually kept in id order; then the per-control lists,
        // built in register order, are already sorted by id.
        let ids_in_order = eval.ids_in_order;
        // One sequential pass instead of a scattered lookup per link (an
        // evaluation is large; 250,000 random reads of it cost more than
        // the rest of the SoA).
        let in_scope: Vec<bool> = eval.risks.iter().map(Option::is_some).collect();
        // Own controls count for the Annex A controls they map to
        // (REGISTER.md §5): per Annex A control, the own controls mapping
        // to it (each once).
        let mut mapped: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (k, own) in reg.own_controls.iter().enumerate() {
            // The own control as evaluation knows it (a duplicate id is
            // scored as its first definition, `check` reports it).
            let Some(o) = eval.lookups.control_index(&own.id) else {
                continue;
            };
            if o != n + k {
                continue;
            }
            for id in &own.maps_to {
                if let Some(c) = catalog.index_of(id)
                    && !mapped[c].contains(&o)
                {
                    mapped[c].push(o);
                }
            }
        }
        let no_risks = Vec::new();
        let mut entries = Vec::with_capacity(n);
        for (c, info) in catalog.controls().iter().enumerate() {
            let mut risks: Vec<usize> = eval.by_control[c]
                .iter()
                .copied()
                .filter(|&r| in_scope[r])
                .collect();
            let through_own = !mapped[c].is_empty();
            for &o in &mapped[c] {
                let linking = eval.by_control.get(o).unwrap_or(&no_risks);
                risks.extend(linking.iter().copied().filter(|&r| in_scope[r]));
            }
            if through_own && ids_in_order {
                // Each list is in index (so id) order: sorting the
                // concatenation puts them together; a risk reached twice
                // is listed once.
                risks.sort_unstable();
                risks.dedup();
            } else if !ids_in_order {
                risks.sort_by(|&a, &b| reg.risks[a].id.cmp(&reg.risks[b].id).then(a.cmp(&b)));
                if through_own {
                    risks.dedup();
                }
            }
            // (Two risks with the same id are a `duplicate-id` error; both
            // stay listed until it is fixed.)
            let mut fs = std::mem::take(&mut factors[c]);
            fs.sort_by(|&a, &b| reg.factors[a].id.cmp(&reg.factors[b].id));
            let decision = decisions[c];
            let status = eval
                .lookups
                .control_state
                .get(info.id.as_str())
                .map_or(ControlStatus::NotStarted, |&s| reg.controls[s].status);
            let needed = !risks.is_empty() || !fs.is_empty();
            let decided = decision.map(|d| &reg.decisions[d]);
            let (applicable, conflict) = match decided {
                Some(d) if !d.applicable => (Applicability::No, needed),
                _ if needed || decided.is_some() => (Applicability::Yes, false),
                _ => (Applicability::Undecided, false),
            };
            entries.push(SoaEntry {
                control: c,
                applicable,
                status,
                risks,
                factors: fs,
                decision,
                conflict,
            });
        }
        Soa { entries }
    }

    /// The counts of applicable, excluded, undecided and implemented controls.
    pub fn summary(&self) -> SoaSummary {
        let mut s = SoaSummary::default();
        for e in &self.entries {
            match e.applicable {
                Applicability::Yes => {
                    s.yes += 1;
                    if e.status == ControlStatus::Implemented {
                        s.implemented += 1;
                    }
                }
                Applicability::No => s.no += 1,
                Applicability::Undecided => s.undecided += 1,
            }
        }
        s
    }
}

/// Where the current SoA stands against the approved baseline (the last of
/// `baselines`, REGISTER.md §5): what `soa-unapproved`, every SoA export
/// and the workbench's titles say.
#[derive(Debug, Clone, PartialEq)]
pub enum SoaApproval<'a> {
    /// No baseline yet.
    Never,
    /// The current SoA equals this baseline on `(applicable, status)` for
    /// every control.
    Approved(&'a super::model::Baseline),
    /// The current SoA differs from `since`: the ids of the controls whose
    /// `(applicable, status)` differs, in catalog order (a control the
    /// baseline does not list differs).
    Draft {
        /// The approved baseline the changes are counted from.
        since: &'a super::model::Baseline,
        /// Annex A ids of the controls that differ.
        changed: Vec<&'static str>,
    },
}

impl SoaApproval<'_> {
    /// Compares `soa` with the register's approved baseline.
    pub fn of<'a>(reg: &'a Register, soa: &Soa) -> SoaApproval<'a> {
        let catalog = Catalog::annex_a();
        let Some(b) = reg.approved_baseline() else {
            return SoaApproval::Never;
        };
        let approved: rustc_hash::FxHashMap<&str, _> = b
            .entries
            .iter()
            .map(|e| (e.control.as_str(), (e.applicable, e.status)))
            .collect();
        let changed: Vec<&'static str> = soa
            .entries
            .iter()
            .filter_map(|e| {
                let id = catalog.controls().get(e.control)?.id.as_str();
                (approved.get(id) != Some(&(e.applicable, e.status))).then_some(id)
            })
            .collect();
        if changed.is_empty() {
            SoaApproval::Approved(b)
        } else {
            SoaApproval::Draft { since: b, changed }
        }
    }

    /// The line every SoA document carries (REGISTER.md §5):
    /// `Approved: version N, DATE, by NAME`, `Draft: K changes since version
    /// N (DATE, NAME)` or `Draft: no approved version`.
    pub fn line(&self) -> String {
        match self {
            SoaApproval::Never => "Draft: no approved version".to_string(),
            SoaApproval::Approved(b) => {
                format!(
                    "Approved: version {}, {}, by {}",
                    b.version, b.approved, b.by
                )
            }
            SoaApproval::Draft { since, changed } => format!(
                "Draft: {} change{} since version {} ({}, {})",
                changed.len(),
                if changed.len() == 1 { "" } else { "s" },
                since.version,
                since.approved,
                since.by
            ),
        }
    }

    /// True when the current SoA is the approved one.
    pub fn is_approved(&self) -> bool {
        matches!(self, SoaApproval::Approved(_))
    }
}
