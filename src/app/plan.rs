//! The treatment plan in the workbench: the index from risks to the
//! actions that list them, and adding, editing, deleting and advancing
//! actions (the Plan view, and "treat" from a risk row). Every change is
//! one undoable edit through [`App::apply_edit`].

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use super::edit::{Edit, Item};
use super::form::Form;
use super::form::action::{done_on_after, new_action};
use super::table::View;
use super::{App, Confirm, Modal, OnConfirm};
use crate::domain::model::{ActionStatus, ControlStatus, Register};
use crate::domain::plan::PlanSummary;

/// Each risk's actions and the plan's summary, built once per change to
/// the actions or the risks (never per drawn row: a register may have
/// 100,000 risks and 20,000 actions).
#[derive(Debug, Clone, Default)]
pub struct PlanIndex {
    /// Per risk (by index): the actions that list it, in file order.
    by_risk: Vec<Vec<usize>>,
    /// Per action (by index): the risks it lists that exist, in its order.
    by_action: Vec<Vec<usize>>,
    summary: PlanSummary,
}

impl PlanIndex {
    /// The index of `reg`'s plan on `today`.
    pub fn new(reg: &Register, today: NaiveDate) -> PlanIndex {
        let mut by_risk = vec![Vec::new(); reg.risks.len()];
        let mut by_action = vec![Vec::new(); reg.actions.len()];
        if !reg.actions.is_empty() {
            let mut index: FxHashMap<&str, usize> = FxHashMap::default();
            index.reserve(reg.risks.len());
            for (i, r) in reg.risks.iter().enumerate() {
                index.entry(r.id.as_str()).or_insert(i);
            }
            for (ai, a) in reg.actions.iter().enumerate() {
                for rid in &a.risks {
                    if let Some(&ri) = index.get(rid.as_str()) {
                        if !by_action[ai].contains(&ri) {
                            by_action[ai].push(ri);
                        }
                        let list: &mut Vec<usize> = &mut by_risk[ri];
                        // An action naming a risk twice is listed once.
                        if list.last() != Some(&ai) {
                            list.push(ai);
                        }
                    }
                }
            }
        }
        PlanIndex {
            by_risk,
            by_action,
            summary: PlanSummary::of(&reg.actions, today),
        }
    }

    /// The actions (indices into `actions`) that list risk `risk`.
    pub fn actions_of(&self, risk: usize) -> &[usize] {
        self.by_risk.get(risk).map_or(&[], Vec::as_slice)
    }

    /// The risks (indices into `risks`) that action `action` lists.
    pub fn risks_of(&self, action: usize) -> &[usize] {
        self.by_action.get(action).map_or(&[], Vec::as_slice)
    }

    /// The summary: counts by status, overdue, effort and cost.
    pub fn summary(&self) -> PlanSummary {
        self.summary
    }
}

/// The Plan view's summary line: "5 open · 4 in progress · 1 overdue ·
/// 5 done · effort 42 days · cost 12500". Cancelled actions count for
/// nothing in effort and cost; their number is said only when there are
/// some (the line must fit 80 columns).
pub fn summary_text(s: &PlanSummary) -> String {
    let cancelled = if s.cancelled > 0 {
        format!(" · {} cancelled", s.cancelled)
    } else {
        String::new()
    };
    format!(
        "{} open · {} in progress · {} overdue · {} done{cancelled} · effort {} · cost {}",
        s.open,
        s.in_progress,
        s.overdue,
        s.done,
        super::plural(usize::try_from(s.effort_days).unwrap_or(usize::MAX), "day"),
        s.cost
    )
}

/// The status an action moves to on the advance key: Open → InProgress →
/// Done; a done or cancelled action opens again.
pub fn advanced(status: ActionStatus) -> ActionStatus {
    match status {
        ActionStatus::Open => ActionStatus::InProgress,
        ActionStatus::InProgress => ActionStatus::Done,
        ActionStatus::Done | ActionStatus::Cancelled => ActionStatus::Open,
    }
}

impl App {
    /// The Plan view's add: a new, empty action.
    pub(super) fn add_action(&mut self) {
        let form = Form::action(self.doc.register(), None, None, self.doc.today());
        self.modals.push(Modal::Form(form));
    }

    /// The Plan view's edit: the selected action's form.
    pub(super) fn edit_action(&mut self, i: usize) {
        let form = Form::action(self.doc.register(), Some(i), None, self.doc.today());
        self.modals.push(Modal::Form(form));
    }

    /// The Plan view's delete: asks, then removes the action.
    pub(super) fn delete_action(&mut self, i: usize) {
        let Some(a) = self.doc.register().actions.get(i).cloned() else {
            return;
        };
        self.modals.push(Modal::Confirm(Confirm {
            answers: Vec::new(),
            selected: 0,
            on_cancel: None,
            on_no: None,
            title: "Delete action".into(),
            message: format!("Delete action {} \"{}\"?", a.id, a.title),
            on_yes: OnConfirm::Apply(
                Edit::Remove {
                    at: i,
                    item: Item::Action(a.clone()),
                },
                format!("Deleted action {}", a.id),
            ),
        }));
    }

    /// From a risk row: the form of a new action for that risk, with the
    /// risk's owner and its linked controls that are not implemented yet
    /// (the work the action is for).
    pub(super) fn treat_risk(&mut self) {
        let Some(i) = self.risk_for("Plan an action from a risk row (Risks view)") else {
            return;
        };
        let reg = self.doc.register();
        let Some(risk) = reg.risks.get(i) else {
            return;
        };
        let states = &self.doc.analysis().eval.lookups.control_state;
        let implemented = |id: &crate::domain::Id| {
            states
                .get(id)
                .and_then(|&s| reg.controls.get(s))
                .is_some_and(|s| s.status == ControlStatus::Implemented)
        };
        let mut draft = new_action(reg);
        draft.risks = vec![risk.id.clone()];
        draft.owner = risk.owner.clone();
        draft.controls = risk
            .controls
            .iter()
            .filter(|c| !implemented(c))
            .cloned()
            .collect();
        let form = Form::action(reg, None, Some(draft), self.doc.today());
        self.modals.push(Modal::Form(form));
    }

    /// The selected action's status one step on (see [`advanced`]); done
    /// records today, leaving done clears the day.
    pub(super) fn advance_action(&mut self) {
        if self.view != View::Plan {
            self.info("Advance an action's status in the Plan view");
            return;
        }
        let Some(i) = self.selected_item() else {
            self.info("No action selected");
            return;
        };
        let Some(before) = self.doc.register().actions.get(i).cloned() else {
            return;
        };
        let today = self.doc.today();
        let mut after = before.clone();
        after.status = advanced(before.status);
        after.done_on = done_on_after(&before, after.status, today);
        let msg = match after.done_on {
            Some(d) if after.status == ActionStatus::Done => {
                format!("{}: Done on {d}", after.id)
            }
            _ => format!(
                "{}: {} → {}",
                after.id,
                before.status.as_str(),
                after.status.as_str()
            ),
        };
        self.apply_edit(
            Edit::Replace {
                at: i,
                before: Item::Action(before),
                after: Item::Action(after),
            },
            msg,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_goes_open_in_progress_done_then_open_again() {
        let mut s = ActionStatus::Open;
        let mut seen = Vec::new();
        for _ in 0..3 {
            s = advanced(s);
            seen.push(s);
        }
        assert_eq!(
            seen,
            [
                ActionStatus::InProgress,
                ActionStatus::Done,
                ActionStatus::Open
            ]
        );
        assert_eq!(advanced(ActionStatus::Cancelled), ActionStatus::Open);
    }
}
