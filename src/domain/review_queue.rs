//! The review queue: the order a risk workshop works through the register.
//!
//! A workshop has two hours and a room full of people; it should spend them
//! on the risks that most need a decision. The queue puts the in-scope risks
//! (an out-of-scope risk is not assessed, REGISTER.md §1) in five sections,
//! each risk in the first that applies:
//!
//! 1. **never scored**: never reviewed (`reviewed` is `None`) and still at
//!    the lowest cell of the matrix, 1 × 1 with no manual residual — the
//!    scores a risk added in the workbench starts with. The register has no
//!    "unscored" value (likelihood and impact are required), so this is the
//!    one state that says nobody has scored it yet. Register order.
//! 2. **overdue review**: as `check`'s `overdue-review` warning says
//!    ([`RiskEval::overdue`]): never reviewed, or the next review before
//!    today. Longest overdue first (never reviewed before any date).
//! 3. **above appetite**: the current residual above the method's appetite,
//!    without a valid acceptance (a valid, up-to-date acceptance is the
//!    decision the room would otherwise be asked for). Highest residual
//!    first.
//! 4. **acceptance expired or stale**: `until` before today (`check`'s
//!    `acceptance-expired`), or the risk changed since it was accepted
//!    (`acceptance-stale`, the same [`acceptance_changes`] rule). Soonest
//!    expiry first.
//! 5. **the rest**: every other in-scope risk, next review soonest first.
//!
//! A risk **reviewed today** (or, oddly, later) has been through the room:
//! it leaves the queue whatever else holds (its other findings stay in
//! `check` and the Risks table's review filters). So marking a risk
//! reviewed always shrinks the queue, and undoing that puts it back.
//!
//! The queue is built from the evaluation in one pass and one sort
//! (a few milliseconds at 100,000 risks); the workbench builds it only
//! after the register changed, never per frame.

use chrono::{Datelike, NaiveDate};

use super::validate::acceptance_changes;
use super::{Evaluation, Register, Risk, RiskEval};

/// The section of the queue a risk is in, in the order they are worked
/// through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// Never reviewed and still at the add form's 1 × 1.
    NeverScored,
    /// The review is overdue (or the risk was never reviewed).
    OverdueReview,
    /// The current residual is above appetite without a valid acceptance.
    AboveAppetite,
    /// The acceptance expired, or the risk changed since it was accepted.
    Acceptance,
    /// Nothing urgent: in the queue so the room can confirm it.
    Rest,
}

impl Section {
    /// A short name for lists and headers.
    pub fn label(self) -> &'static str {
        match self {
            Section::NeverScored => "never scored",
            Section::OverdueReview => "overdue review",
            Section::AboveAppetite => "above appetite",
            Section::Acceptance => "acceptance expired or stale",
            Section::Rest => "the rest",
        }
    }
}

/// One risk in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Index of the risk in `register.risks`.
    pub risk: usize,
    /// The section it is worked in.
    pub section: Section,
}

/// The queue: its entries in order, and each risk's place in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewQueue {
    entries: Vec<Entry>,
    /// Per risk index: its position in `entries`, `u32::MAX` when not in
    /// the queue (out of scope, or reviewed today).
    rank: Vec<u32>,
}

/// Whether risk `r` was never scored (see the module documentation).
pub fn never_scored(r: &Risk) -> bool {
    r.reviewed.is_none() && r.likelihood == 1 && r.impact == 1 && r.residual.is_none()
}

/// Whether `r` was reviewed on `today` or later: done for the day.
pub fn reviewed_today(r: &Risk, today: NaiveDate) -> bool {
    r.reviewed.is_some_and(|d| d >= today)
}

/// Whether the risk's acceptance has expired or no longer describes it.
fn acceptance_due(r: &Risk, ev: &RiskEval, today: NaiveDate) -> bool {
    r.acceptance
        .as_ref()
        .is_some_and(|a| a.until < today || !acceptance_changes(a, r, ev).is_empty())
}

/// A valid acceptance that still describes the risk: the room decided.
fn accepted(r: &Risk, ev: &RiskEval, today: NaiveDate) -> bool {
    r.acceptance
        .as_ref()
        .is_some_and(|a| a.valid_on(today) && acceptance_changes(a, r, ev).is_empty())
}

/// The section of in-scope risk `r` (evaluated as `ev`), `None` when it
/// leaves the queue (reviewed today).
pub fn section(r: &Risk, ev: &RiskEval, today: NaiveDate) -> Option<Section> {
    if reviewed_today(r, today) {
        return None;
    }
    Some(if never_scored(r) {
        Section::NeverScored
    } else if ev.overdue {
        Section::OverdueReview
    } else if ev.above_appetite && !accepted(r, ev, today) {
        Section::AboveAppetite
    } else if acceptance_due(r, ev, today) {
        Section::Acceptance
    } else {
        Section::Rest
    })
}

/// Why in-scope risk `r` is where it is in the queue, in words: its
/// section's reason first, then the other reasons that hold ("overdue
/// review (due 2026-10-01); above appetite (12 > 6)"). Built per shown
/// row, never for the whole queue.
pub fn reason(reg: &Register, r: &Risk, ev: &RiskEval, today: NaiveDate) -> String {
    if reviewed_today(r, today) {
        return "reviewed today".into();
    }
    let mut out = Vec::new();
    if never_scored(r) {
        out.push("never scored".to_string());
    }
    if ev.overdue {
        out.push(match ev.next_review {
            Some(d) => format!("review overdue (due {d})"),
            None => "never reviewed".into(),
        });
    }
    if ev.above_appetite && !accepted(r, ev, today) {
        out.push(format!(
            "above appetite ({} > {})",
            ev.residual.score, reg.method.appetite
        ));
    }
    if let Some(a) = &r.acceptance {
        if a.until < today {
            out.push(format!("acceptance expired {}", a.until));
        } else if !acceptance_changes(a, r, ev).is_empty() {
            out.push("acceptance stale (the risk changed)".into());
        }
    }
    if out.is_empty() {
        match ev.next_review {
            Some(d) => out.push(format!("confirm (next review {d})")),
            None => out.push("confirm".into()),
        }
    }
    out.join("; ")
}

impl ReviewQueue {
    /// The queue of `reg`'s in-scope risks as evaluated in `eval` on
    /// `today`.
    pub fn build(reg: &Register, eval: &Evaluation, today: NaiveDate) -> ReviewQueue {
        let far = i64::MAX;
        let day = |d: Option<NaiveDate>| d.map_or(far, |d| i64::from(d.num_days_from_ce()));
        let mut keyed: Vec<(Section, i64, usize)> = eval
            .in_scope(reg)
            .filter_map(|(i, r, ev)| {
                let s = section(r, ev, today)?;
                let key = match s {
                    Section::NeverScored => 0,
                    // Never reviewed (no date) before the longest overdue.
                    Section::OverdueReview => ev.next_review.map_or(i64::MIN, |d| day(Some(d))),
                    Section::AboveAppetite => -i64::from(ev.residual.score),
                    Section::Acceptance => day(r.acceptance.as_ref().map(|a| a.until)),
                    Section::Rest => day(ev.next_review),
                };
                Some((s, key, i))
            })
            .collect();
        keyed.sort_unstable();
        let mut rank = vec![u32::MAX; reg.risks.len()];
        let entries: Vec<Entry> = keyed
            .into_iter()
            .enumerate()
            .map(|(p, (section, _, risk))| {
                if let Some(slot) = rank.get_mut(risk) {
                    *slot = u32::try_from(p).unwrap_or(u32::MAX);
                }
                Entry { risk, section }
            })
            .collect();
        ReviewQueue { entries, rank }
    }

    /// The entries, in the order to work through.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many risks are in the queue.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the queue is empty (every in-scope risk reviewed today).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The position (0-based) of risk `risk` in the queue, if it is in it.
    pub fn rank(&self, risk: usize) -> Option<usize> {
        self.rank
            .get(risk)
            .filter(|&&r| r != u32::MAX)
            .map(|&r| r as usize)
    }

    /// The entry at position `at`.
    pub fn get(&self, at: usize) -> Option<Entry> {
        self.entries.get(at).copied()
    }

    /// How many risks each section holds, in section order (empty
    /// sections left out).
    pub fn section_counts(&self) -> Vec<(Section, usize)> {
        let mut out: Vec<(Section, usize)> = Vec::new();
        for e in &self.entries {
            match out.last_mut() {
                Some((s, n)) if *s == e.section => *n += 1,
                _ => out.push((e.section, 1)),
            }
        }
        out
    }
}
