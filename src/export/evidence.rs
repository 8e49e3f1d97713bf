//! What the documents say about evidence and own controls (REGISTER.md §5,
//! issue 16): per SoA control its newest evidence item, and the own
//! controls (6.1.3 b) with their state. One source for the html page and
//! the workbook, so both say the same.

use crate::domain::model::{ControlStatus, DEFAULT_EFFECTIVENESS};
use crate::domain::schema2::{Evidence, OwnControl};
use crate::domain::{Analysis, Register};

/// The SoA's evidence columns, after its seven columns of §4 (added at the
/// end so that readers of the first seven keep working).
pub(crate) const EVIDENCE_HEADERS: [&str; 3] = ["Newest evidence", "Evidence at", "Evidence date"];

/// The newest evidence item of control `id` (Annex A or own): the latest
/// `on`, and of items on the same day the later one in the file (entries
/// are kept oldest first). `None` when the control has no state entry or
/// no evidence.
pub(crate) fn newest<'r>(reg: &'r Register, analysis: &Analysis, id: &str) -> Option<&'r Evidence> {
    let &i = analysis.eval.lookups.control_state.get(id)?;
    // `max_by_key` keeps the last of equal maxima.
    reg.controls.get(i)?.evidence.iter().max_by_key(|e| e.on)
}

/// One own control as the documents show it: its state comes from its
/// `controls[]` entry (default `NotStarted`, 50, as in scoring).
pub(crate) struct OwnRow<'r> {
    pub control: &'r OwnControl,
    pub status: ControlStatus,
    pub effectiveness: u32,
    pub newest: Option<&'r Evidence>,
}

impl OwnRow<'_> {
    /// The types joined (`Preventive, Detective`).
    pub fn types(&self) -> String {
        let t: Vec<&str> = self.control.types.iter().map(|t| t.as_str()).collect();
        t.join(", ")
    }

    /// The Annex A controls it maps to, joined.
    pub fn maps_to(&self) -> String {
        self.control.maps_to.join(", ")
    }
}

/// The own controls in file order.
pub(crate) fn own_rows<'r>(reg: &'r Register, analysis: &Analysis) -> Vec<OwnRow<'r>> {
    reg.own_controls
        .iter()
        .map(|c| {
            let state = analysis
                .eval
                .lookups
                .control_state
                .get(c.id.as_str())
                .and_then(|&i| reg.controls.get(i));
            OwnRow {
                control: c,
                status: state.map_or(ControlStatus::default(), |s| s.status),
                effectiveness: state.map_or(DEFAULT_EFFECTIVENESS, |s| s.effectiveness),
                newest: newest(reg, analysis, &c.id),
            }
        })
        .collect()
}
