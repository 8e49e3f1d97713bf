//! A form's keys: submit checks it and turns it into one edit (or an error
//! shown in the form), tab and backtab move between fields, cancel closes
//! it — after asking, when something was typed.

use super::{Outcome, Then};
use crate::app::action::Action;
use crate::app::edit::Edit;
use crate::app::form::{Form, FormTarget};
use crate::app::{Confirm, Modal, OnConfirm};
use crate::domain::{Analysis, Register};

pub(super) fn handle(
    form: &mut Form,
    action: Action,
    reg: &Register,
    an: &Analysis,
) -> Option<Outcome> {
    Some(match action {
        Action::Submit => submit(form, reg, an),
        Action::NextField => {
            form.next_field();
            Outcome::Stay
        }
        Action::PrevField => {
            form.prev_field();
            Outcome::Stay
        }
        // The form stays on the stack under the question: "no" and esc
        // return to it with everything as typed.
        Action::Cancel if form.is_changed() => {
            Outcome::StayThen(Then::Open(Box::new(Modal::Confirm(Confirm {
                title: "Unsaved form".into(),
                message: "Discard your changes to this form? y discards them; n or esc returns to \
                          the form as typed."
                    .into(),
                on_yes: OnConfirm::DiscardForm,
                on_no: None,
                on_cancel: None,
                answers: Vec::new(),
                selected: 0,
            }))))
        }
        Action::Cancel | Action::Deny => Outcome::Close,
        _ => return None,
    })
}

fn submit(form: &mut Form, reg: &Register, an: &Analysis) -> Outcome {
    match form.submit(reg) {
        Ok(None) => Outcome::CloseThen(Then::Info("No changes".into())),
        Ok(Some(edit)) => {
            let message = match &edit {
                Edit::Insert { item, .. } => format!("Added {}", item.id()),
                Edit::Replace { after, .. } => format!("Updated {}", after.id()),
                Edit::Remove { item, .. } => format!("Removed {}", item.id()),
                Edit::Settings { before, after } => {
                    crate::app::form::settings::summary(before, after)
                }
                Edit::Batch(edits) => match edits.first() {
                    Some(Edit::Insert { item, .. }) => format!("Added {}", item.id()),
                    Some(Edit::Replace { after, .. }) => format!("Updated {}", after.id()),
                    _ => form.title.clone(),
                },
                _ => form.title.clone(),
            };
            let message = form.evidence_message(reg).unwrap_or(message);
            // A note: said as what it is, and its author remembered.
            if let (Some(by), Edit::Replace { after, .. }) = (form.note_author(), &edit) {
                let message = format!("{}: note added ({by})", after.id());
                return Outcome::CloseThen(Then::Note { edit, message, by });
            }
            // A risk or action just added is selected in its table.
            let select = match (&edit, form.target) {
                (Edit::Insert { at, .. }, FormTarget::Risk(None))
                | (Edit::Insert { at, .. }, FormTarget::Action { index: None, .. }) => Some(*at),
                // A new own control: its row after the 93 Annex A ones.
                (_, FormTarget::OwnControl(None)) => {
                    Some(crate::domain::Catalog::annex_a().len() + reg.own_controls.len())
                }
                _ => None,
            };
            // An acceptance `check` would flag is recorded only once
            // asked: "no" returns to the form as typed.
            let warning = crate::app::form::acceptance_warning(&edit, reg, an);
            if let Some(question) = warning.question {
                return Outcome::StayThen(Then::Open(Box::new(Modal::Confirm(Confirm {
                    title: "Acceptance beyond authority".into(),
                    message: question,
                    on_yes: OnConfirm::ApplyClosingForm {
                        edit,
                        message,
                        select,
                    },
                    on_no: None,
                    on_cancel: None,
                    answers: Vec::new(),
                    selected: 0,
                }))));
            }
            let message = match warning.note {
                Some(note) => format!("{message} · {note}"),
                None => message,
            };
            Outcome::CloseThen(Then::Apply {
                edit,
                message,
                select,
            })
        }
        Err(e) => {
            form.error = Some(e);
            Outcome::Stay
        }
    }
}
