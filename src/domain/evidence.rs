//! Evidence that a control works (REGISTER.md §5): which item is the
//! newest, how old it is, and when it is stale. One definition for `check`
//! (`evidence-missing`, `evidence-stale`), the Controls and SoA tables and
//! the detail pane, so the age a screen shows and the warning can never
//! disagree.

use chrono::NaiveDate;

use super::model::ControlState;
use super::schema2::Evidence;

/// The `check` code of an `Implemented` control the ISMS relies on (an
/// applicable Annex A control, an own control an in-scope risk links) that
/// has no evidence.
pub const MISSING: &str = "evidence-missing";
/// The `check` code of such a control whose newest evidence is stale.
pub const STALE: &str = "evidence-stale";

/// A control's newest evidence item and its age on some day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Newest<'a> {
    /// Its index in the control's `evidence` list (the list is kept in the
    /// order items were recorded, which need not be the order of `on`).
    pub index: usize,
    /// The item.
    pub item: &'a Evidence,
    /// Days from its `on` to the day asked about; negative for evidence
    /// dated in the future.
    pub age_days: i64,
}

impl Newest<'_> {
    /// Whether the item is stale under `evidence_days`: `on + d` is before
    /// the day (the age is more than `d` days; exactly `d` days old is not
    /// stale yet). `None` never goes stale.
    pub fn is_stale(&self, evidence_days: Option<u32>) -> bool {
        evidence_days.is_some_and(|d| self.age_days > i64::from(d))
    }
}

/// The newest of `evidence`: the latest `on`; of items with the same date,
/// the one recorded last. `None` for no evidence.
pub fn newest(evidence: &[Evidence]) -> Option<(usize, &Evidence)> {
    // `max_by_key` keeps the last of equal keys: the item recorded last.
    evidence.iter().enumerate().max_by_key(|(_, e)| e.on)
}

/// The newest evidence of `state` and its age on `today` (`None`: the
/// control has no evidence, or no state at all).
pub fn newest_evidence(state: Option<&ControlState>, today: NaiveDate) -> Option<Newest<'_>> {
    let (index, item) = newest(&state?.evidence)?;
    Some(Newest {
        index,
        item,
        age_days: (today - item.on).num_days(),
    })
}
