//! The warnings schema 2 added (REGISTER.md §5) about the treatment plan,
//! who accepted what, and whether the SoA and the plan are approved. They
//! apply whatever the file's `schema` line says: they describe what the
//! standard asks (6.1.3 e and f), not the file version.
//!
//! The per-risk warnings are produced with the risk's own checks (tagged
//! with its index) so that the workbench's one-risk re-check after an edit
//! replaces them; what they need from the plan is precomputed once in
//! [`Planned`] instead of scanning every action for every risk.

use rustc_hash::FxHashSet as HashSet;

use super::{Collector, Finding, Section};
use crate::domain::eval::Evaluation;
use crate::domain::model::{Register, Treatment};
use crate::domain::plan::{allowed_acceptors, may_accept};
use crate::domain::schema2::ActionStatus;
use crate::domain::soa::{Soa, SoaApproval};

/// Whether an action still counts as planned work: only `Open` and
/// `InProgress` do (a done or cancelled action plans nothing more).
fn is_live(status: ActionStatus) -> bool {
    matches!(status, ActionStatus::Open | ActionStatus::InProgress)
}

/// The risks an `Open` or `InProgress` action lists: a risk outside this
/// set whose residual has not reached its target has no planned treatment.
pub(super) struct Planned<'a>(HashSet<&'a str>);

impl<'a> Planned<'a> {
    /// Reads the plan once for a whole validation.
    pub(super) fn new(reg: &'a Register) -> Planned<'a> {
        Planned(
            reg.actions
                .iter()
                .filter(|a| is_live(a.status))
                .flat_map(|a| a.risks.iter().map(|r| r.as_str()))
                .collect(),
        )
    }
}

/// The plan and acceptance warnings of in-scope risk `i`.
pub(super) fn check_risk(
    reg: &Register,
    eval: &Evaluation,
    i: usize,
    planned: &Planned,
    out: &mut Collector,
) {
    let (Some(r), Some(ev)) = (reg.risks.get(i), eval.risk(i)) else {
        // Out of scope (or no such risk): the plan and acceptances of a
        // risk the ISMS does not cover are not audited.
        return;
    };
    let at = r.id.as_str();
    let accepted = r
        .acceptance
        .as_ref()
        .is_some_and(|a| a.valid_on(eval.today));

    if r.treatment == Treatment::Modify && !accepted {
        let reached = (ev.residual.likelihood, ev.residual.impact)
            == (ev.target.likelihood, ev.target.impact);
        if !reached && !planned.0.contains(at) {
            out.warn(
                "unplanned-treatment",
                Section::Risks,
                at,
                format!(
                    "treatment is Modify and the residual ({}) has not reached the target ({}), but no open or in-progress action treats the risk: add one to the plan",
                    ev.residual.score, ev.target.score
                ),
            );
        }
        if ev.target.score > reg.method.appetite {
            out.warn(
                "target-above-appetite",
                Section::Risks,
                at,
                format!(
                    "target {} is above appetite {}: the planned controls will not bring the risk within appetite, and it has no valid acceptance",
                    ev.target.score, reg.method.appetite
                ),
            );
        }
    }

    let Some(acc) = &r.acceptance else {
        return;
    };
    // The level of the current residual, manual or computed: who may
    // accept depends on how bad the risk is now.
    if let Some(l) = ev.residual.level_index()
        && let Some(level) = reg.method.levels.get(l)
        && !may_accept(reg, r, l, &acc.by)
    {
        let allowed = allowed_acceptors(reg, r, l);
        let who = if level.accept_by.is_empty() {
            format!("the risk owner {:?}", r.owner.trim())
        } else {
            allowed
                .iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.warn(
            "acceptance-authority",
            Section::Risks,
            at,
            format!(
                "accepted by {:?}, but a {} residual risk may be accepted only by {who}",
                acc.by.trim(),
                level.name
            ),
        );
    }
    if acc.reason.trim().is_empty() {
        out.warn(
            "acceptance-reason",
            Section::Risks,
            at,
            format!(
                "the acceptance by {} gives no reason: say why the residual risk is acceptable",
                acc.by.trim()
            ),
        );
    }
}

/// `soa-unapproved`: no baseline, or the current SoA's `(applicable,
/// status)` differs from the last baseline's for some control (a control
/// the baseline does not list differs).
fn check_soa(reg: &Register, soa: &Soa, out: &mut Collector) {
    match SoaApproval::of(reg, soa) {
        SoaApproval::Approved(_) => {}
        SoaApproval::Never => out.warn(
            "soa-unapproved",
            Section::Baseline,
            "soa",
            "the SoA has never been approved: approve it once its decisions are made".into(),
        ),
        SoaApproval::Draft { since: b, changed } => out.warn(
            "soa-unapproved",
            Section::Baseline,
            "soa",
            format!(
                "{} control{} changed since SoA version {} ({}, {}): {}; approve the SoA again",
                changed.len(),
                if changed.len() == 1 { "" } else { "s" },
                b.version,
                b.approved,
                b.by,
                super::list_some(changed.into_iter())
            ),
        ),
    }
}

/// The register-wide warnings: overdue actions and the approvals.
pub(super) fn check(reg: &Register, eval: &Evaluation, soa: &Soa, out: &mut Collector) {
    for a in &reg.actions {
        if let Some(due) = a.due
            && is_live(a.status)
            && due < eval.today
        {
            out.warn(
                "action-overdue",
                Section::Actions,
                &a.id,
                format!(
                    "{} is {} and was due on {due}{}",
                    a.id,
                    a.status.as_str(),
                    if a.owner.trim().is_empty() {
                        String::new()
                    } else {
                        format!(" (owner {})", a.owner.trim())
                    }
                ),
            );
        }
    }
    out.extend(soa_findings(reg, soa));
    if !reg.actions.is_empty() && reg.plan_approval.is_none() {
        out.warn(
            "plan-unapproved",
            Section::Actions,
            "plan",
            format!(
                "the treatment plan ({} action{}) has not been approved by the risk owners or management",
                reg.actions.len(),
                if reg.actions.len() == 1 { "" } else { "s" }
            ),
        );
    }
}

/// The `soa-unapproved` finding alone, for the workbench to refresh it
/// after a control's status changes without validating everything again.
pub(crate) fn soa_findings(reg: &Register, soa: &Soa) -> Vec<Finding> {
    let mut out = Collector::new(None);
    check_soa(reg, soa, &mut out);
    out.findings
}
