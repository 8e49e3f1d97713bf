//! Approving the SoA and the treatment plan (REGISTER.md §5): what may be
//! approved, and what an approval records. Shared by the workbench and
//! `riskbench approve`, so both refuse and record exactly alike.

use chrono::NaiveDate;

use super::analysis::Analysis;
use super::catalog::Catalog;
use super::model::{Applicable, Baseline, BaselineEntry, HistoryEntry, Register};
use super::schema2::PlanApproval;
use super::validate::Finding;

/// Why the SoA may not be approved yet: the register's errors and the
/// controls still Undecided. Approving is refused while either is non-empty.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Blockers<'a> {
    /// Every error finding of the register.
    pub errors: Vec<&'a Finding>,
    /// Annex A ids of the Undecided controls, in catalog order.
    pub undecided: Vec<&'static str>,
}

impl Blockers<'_> {
    /// Nothing stands in the way.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.undecided.is_empty()
    }

    /// One line per blocker, errors first: `AT: MESSAGE [CODE]`, then
    /// `CONTROL: Undecided`.
    pub fn lines(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|f| format!("{}: {} [{}]", f.at, f.message, f.code))
            .chain(self.undecided.iter().map(|c| format!("{c}: Undecided")))
            .collect()
    }

    /// The one-line reason, e.g. `2 errors and 81 controls Undecided`.
    pub fn summary(&self) -> String {
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        match (self.errors.len(), self.undecided.len()) {
            (0, u) => format!("{} Undecided", count(u, "control")),
            (e, 0) => count(e, "error"),
            (e, u) => format!(
                "{} and {} Undecided",
                count(e, "error"),
                count(u, "control")
            ),
        }
    }
}

/// What stands in the way of approving the current SoA.
pub fn soa_blockers<'a>(an: &'a Analysis) -> Blockers<'a> {
    let catalog = Catalog::annex_a();
    Blockers {
        errors: an.errors().collect(),
        undecided: an
            .soa
            .entries
            .iter()
            .filter(|e| e.applicable == Applicable::Undecided)
            .filter_map(|e| catalog.controls().get(e.control).map(|c| c.id.as_str()))
            .collect(),
    }
}

/// The baseline approving the current SoA appends: version = last + 1 (1
/// for the first), today's date, the approver, the note, and every
/// control's `(applicable, status)`. Does not check [`soa_blockers`].
pub fn next_baseline(
    reg: &Register,
    an: &Analysis,
    by: &str,
    note: &str,
    today: NaiveDate,
) -> Baseline {
    let catalog = Catalog::annex_a();
    Baseline {
        version: reg.approved_baseline().map_or(1, |b| b.version + 1),
        approved: today,
        by: by.trim().to_string(),
        note: note.trim().to_string(),
        entries: an
            .soa
            .entries
            .iter()
            .filter_map(|e| {
                Some(BaselineEntry {
                    control: catalog.controls().get(e.control)?.id.clone(),
                    applicable: e.applicable,
                    status: e.status,
                })
            })
            .collect(),
    }
}

/// The history line an SoA approval appends:
/// `SoA v3 approved by CEO: 2 controls added, 1 status changed`.
pub fn soa_history_entry(reg: &Register, an: &Analysis, baseline: &Baseline) -> HistoryEntry {
    let changes = super::diff::baseline_changes(reg, an);
    HistoryEntry {
        on: baseline.approved,
        by: baseline.by.clone(),
        summary: format!(
            "SoA v{} approved by {}: {}",
            baseline.version,
            baseline.by,
            super::diff::summarize_soa(&changes)
        ),
    }
}

/// The record of the risk owners' approval of the plan (6.1.3 f).
pub fn plan_approval(by: &str, note: &str, today: NaiveDate) -> PlanApproval {
    PlanApproval {
        on: today,
        by: by.trim().to_string(),
        note: note.trim().to_string(),
    }
}
