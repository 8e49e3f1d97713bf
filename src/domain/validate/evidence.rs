//! The evidence warnings of schema 2 (REGISTER.md §5): `evidence-missing`
//! and `evidence-stale`. A Stage 2 auditor asks, control by control, what
//! proves that an `Implemented` control works; these name the controls
//! whose answer is nothing, or something too old.
//!
//! They concern the controls the ISMS relies on: an Annex A control the SoA
//! makes applicable (Yes) and an own control an in-scope risk links, each
//! `Implemented` (a `Partial` control claims no working control yet). The
//! age rule is [`Newest::is_stale`], the one the workbench shows.

use rustc_hash::FxHashSet as HashSet;

use super::{Collector, Finding, Section};
use crate::domain::catalog::Catalog;
use crate::domain::eval::Evaluation;
use crate::domain::evidence::{MISSING, Newest, STALE, newest_evidence};
use crate::domain::model::{ControlState, ControlStatus, Register};
use crate::domain::soa::{Applicability, Soa};

/// The own controls that in-scope risks link: read from the risks only
/// when some own control is `Implemented` (a register without own controls,
/// the usual case, never scans its risks for this).
fn linked_own<'a>(
    reg: &'a Register,
    eval: &Evaluation,
    wanted: &HashSet<&str>,
) -> HashSet<&'a str> {
    let mut linked = HashSet::default();
    if wanted.is_empty() {
        return linked;
    }
    let in_scope = |i: usize| eval.risks.get(i).is_some_and(Option::is_some);
    for (_, r) in reg.risks.iter().enumerate().filter(|(i, _)| in_scope(*i)) {
        for id in &r.controls {
            if wanted.contains(id.as_str()) {
                linked.insert(id.as_str());
            }
        }
        if linked.len() == wanted.len() {
            break;
        }
    }
    linked
}

/// Checks one relied-on, `Implemented` control's evidence.
fn check_one(
    reg: &Register,
    eval: &Evaluation,
    id: &str,
    why: &str,
    state: &ControlState,
    out: &mut Collector,
) {
    match newest_evidence(Some(state), eval.today) {
        None => out.warn(
            MISSING,
            Section::Controls,
            id,
            format!(
                "Implemented and {why}, but no evidence shows it works: record what proves it (a report, a log, a ticket)"
            ),
        ),
        Some(n @ Newest { item, age_days, .. }) if n.is_stale(reg.method.evidence_days) => {
            out.warn(
                STALE,
                Section::Controls,
                id,
                format!(
                    "its newest evidence ({:?}, {}) is {age_days} days old, more than evidence_days ({}): renew it",
                    item.what,
                    item.on,
                    reg.method.evidence_days.unwrap_or_default()
                ),
            )
        }
        Some(_) => {}
    }
}

/// Every evidence warning, Annex A controls in catalog order, then own
/// controls in file order.
pub(super) fn check(reg: &Register, eval: &Evaluation, soa: &Soa, out: &mut Collector) {
    let catalog = Catalog::annex_a();
    let state = |id: &str| {
        eval.lookups
            .control_state
            .get(id)
            .and_then(|&s| reg.controls.get(s))
    };
    for e in &soa.entries {
        if e.applicable != Applicability::Yes || e.status != ControlStatus::Implemented {
            continue;
        }
        let Some(info) = catalog.controls().get(e.control) else {
            continue;
        };
        if let Some(s) = state(&info.id) {
            check_one(reg, eval, &info.id, "applicable", s, out);
        }
    }

    let implemented: HashSet<&str> = reg
        .own_controls
        .iter()
        .filter(|c| state(&c.id).is_some_and(|s| s.status == ControlStatus::Implemented))
        .map(|c| c.id.as_str())
        .collect();
    let linked = linked_own(reg, eval, &implemented);
    let mut seen = HashSet::default();
    for c in &reg.own_controls {
        // A duplicated own id is an error of its own: warn about it once.
        if !linked.contains(c.id.as_str()) || !seen.insert(c.id.as_str()) {
            continue;
        }
        if let Some(s) = state(&c.id) {
            check_one(reg, eval, &c.id, "linked by an in-scope risk", s, out);
        }
    }
}

/// The evidence warnings alone, for the workbench to refresh them after a
/// control's state changes without validating everything again.
pub(crate) fn evidence_findings(reg: &Register, eval: &Evaluation, soa: &Soa) -> Vec<Finding> {
    let mut out = Collector::new(None);
    check(reg, eval, soa, &mut out);
    out.findings
}
