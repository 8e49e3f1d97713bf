//! Deleting an own control (REGISTER.md §5): its links from risks and
//! actions and its `controls[]` state go with it, in one undoable step —
//! left behind, each would be error `unknown-control`. (Adding and editing
//! are the own control form's: [`super::form::OwnControlField`].)

use super::edit::{Edit, Item};
use super::{App, Confirm, Modal, OnConfirm, plural};

impl App {
    /// Asks before deleting own control `k` (its index in `own_controls`)
    /// with everything that names it.
    pub(super) fn delete_own_control(&mut self, k: usize) {
        let reg = self.doc.register();
        let Some(own) = reg.own_controls.get(k).cloned() else {
            return;
        };
        let mut edits = Vec::new();
        let mut risks = 0;
        for (at, r) in reg.risks.iter().enumerate() {
            if r.controls.contains(&own.id) {
                let mut after = r.clone();
                after.controls.retain(|c| *c != own.id);
                edits.push(Edit::Replace {
                    at,
                    before: Item::Risk(r.clone()),
                    after: Item::Risk(after),
                });
                risks += 1;
            }
        }
        let listed = |a: &crate::domain::model::Action| a.controls.contains(&own.id);
        let actions = reg.actions.iter().filter(|a| listed(a)).count();
        if actions > 0 {
            let mut after = reg.actions.clone();
            for a in &mut after {
                a.controls.retain(|c| *c != own.id);
            }
            edits.push(Edit::Actions {
                before: reg.actions.clone(),
                after,
            });
        }
        if let Some(at) = reg.controls.iter().position(|c| c.id == own.id) {
            edits.push(Edit::Remove {
                at,
                item: Item::Control(reg.controls[at].clone()),
            });
        }
        edits.push(Edit::Remove {
            at: k,
            item: Item::OwnControl(own.clone()),
        });
        let links = match (risks, actions) {
            (0, 0) => String::new(),
            (r, 0) => format!(" {} link it: the links go with it.", plural(r, "risk")),
            (0, a) => format!(" {} list it: it goes from them.", plural(a, "action")),
            (r, a) => format!(
                " {} and {} link it: the links go with it.",
                plural(r, "risk"),
                plural(a, "action")
            ),
        };
        self.modals.push(Modal::Confirm(Confirm {
            answers: Vec::new(),
            selected: 0,
            on_cancel: None,
            on_no: None,
            title: "Delete own control".into(),
            message: format!(
                "Delete own control {} \"{}\" and its state?{links}",
                own.id, own.title
            ),
            on_yes: OnConfirm::Apply(
                Edit::Batch(edits),
                format!("Deleted own control {}", own.id),
            ),
        }));
    }
}
