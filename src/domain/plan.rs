//! The risk treatment plan as its documents report it (REGISTER.md §5,
//! `riskbench plan`): which actions are overdue, the summary counts and
//! sums, the in-scope `Modify` risks with the actions that list them, and
//! whether the plan is approved.
//!
//! One place computes these so that every format of `riskbench plan` (and
//! any view that shows the same numbers) agrees on the boundary rules: due
//! today is not overdue, and cancelled actions count for nothing in effort
//! and cost.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use super::eval::Evaluation;
use super::model::{Register, Risk, Treatment};
use super::schema2::{Action, ActionStatus};

/// Whether `action` is overdue on `today`: still `Open` or `InProgress`
/// and due before today. An action due today is not overdue yet, and a
/// done or cancelled one never is (the same rule as `action-overdue`).
pub fn action_overdue(action: &Action, today: NaiveDate) -> bool {
    matches!(action.status, ActionStatus::Open | ActionStatus::InProgress)
        && action.due.is_some_and(|d| d < today)
}

/// The plan's summary: actions by status, how many are overdue, and the
/// effort and cost of the actions that still count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanSummary {
    /// Actions not started.
    pub open: usize,
    /// Actions under way.
    pub in_progress: usize,
    /// Actions finished.
    pub done: usize,
    /// Actions dropped.
    pub cancelled: usize,
    /// Open or in-progress actions due before today.
    pub overdue: usize,
    /// Person-days of the actions that are not cancelled (a missing value
    /// counts 0): a dropped action costs nothing, so the plan's budget
    /// leaves it out.
    pub effort_days: u64,
    /// Cost of the actions that are not cancelled (a missing value counts 0).
    pub cost: u64,
}

impl PlanSummary {
    /// The summary of `actions` on `today`. Sums saturate rather than wrap,
    /// so a hostile file cannot make a huge plan look cheap.
    pub fn of(actions: &[Action], today: NaiveDate) -> PlanSummary {
        let mut s = PlanSummary::default();
        for a in actions {
            match a.status {
                ActionStatus::Open => s.open += 1,
                ActionStatus::InProgress => s.in_progress += 1,
                ActionStatus::Done => s.done += 1,
                ActionStatus::Cancelled => s.cancelled += 1,
            }
            s.overdue += usize::from(action_overdue(a, today));
            if a.status != ActionStatus::Cancelled {
                s.effort_days = s
                    .effort_days
                    .saturating_add(u64::from(a.effort_days.unwrap_or(0)));
                s.cost = s.cost.saturating_add(a.cost.unwrap_or(0));
            }
        }
        s
    }
}

/// Every in-scope `Modify` risk, in id order, as `(risk index, indices of
/// the actions that list it, in file order)`. Actions of any status count:
/// a risk whose only action was cancelled still shows it, so the reader
/// sees that its treatment was dropped rather than never planned.
pub fn plan_risks(reg: &Register, eval: &Evaluation) -> Vec<(usize, Vec<usize>)> {
    let mut by_risk: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (ai, a) in reg.actions.iter().enumerate() {
        for rid in &a.risks {
            let list = by_risk.entry(rid.as_str()).or_default();
            // An action naming a risk twice is listed once.
            if list.last() != Some(&ai) {
                list.push(ai);
            }
        }
    }
    let mut out: Vec<(usize, Vec<usize>)> = eval
        .in_scope(reg)
        .filter(|(_, r, _)| r.treatment == Treatment::Modify)
        .map(|(i, r, _)| (i, by_risk.get(r.id.as_str()).cloned().unwrap_or_default()))
        .collect();
    out.sort_by(|a, b| reg.risks[a.0].id.cmp(&reg.risks[b.0].id));
    out
}

/// What every plan document says about its approval (REGISTER.md §5):
/// `Approved: DATE by NAME` from `plan_approval`, or `Draft: not approved`.
pub fn approval_line(reg: &Register) -> String {
    match &reg.plan_approval {
        Some(a) => format!("Approved: {} by {}", a.on, a.by),
        None => "Draft: not approved".to_string(),
    }
}

/// Who may accept a residual risk of level `level` (an index into
/// `method.levels`): the level's `accept_by` names, or the risk's `owner`
/// when that list is empty (REGISTER.md §5). Names as written, trimmed.
/// Empty when the method has no such level.
pub fn allowed_acceptors(reg: &Register, risk: &Risk, level: usize) -> Vec<String> {
    match reg.method.levels.get(level) {
        None => Vec::new(),
        Some(l) if l.accept_by.is_empty() => vec![risk.owner.trim().to_string()],
        Some(l) => l.accept_by.iter().map(|n| n.trim().to_string()).collect(),
    }
}

/// Whether `name` may accept `risk` at residual level `level`, as
/// `acceptance-authority` decides: names compared trimmed and
/// case-insensitively on both sides, and when the level lists names the
/// owner only if listed. A level the method does not have decides nothing
/// (true): the method's own errors report it.
pub fn may_accept(reg: &Register, risk: &Risk, level: usize, name: &str) -> bool {
    if reg.method.levels.get(level).is_none() {
        return true;
    }
    let name = name.trim().to_lowercase();
    allowed_acceptors(reg, risk, level)
        .iter()
        .any(|n| n.to_lowercase() == name)
}
