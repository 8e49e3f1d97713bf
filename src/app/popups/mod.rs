//! Popups own their keys. The popup on top of the stack (a form, prompt,
//! picker, palette, confirmation, help or an explanation) is offered each
//! action first; it changes itself and answers with an [`Outcome`]: stay,
//! close, or close (or stay) and let the workbench do one thing — apply an
//! edit, run effects, open another popup, carry out an answer. The
//! workbench never pops a popup to look inside it and pushes it back.
//! Actions a popup does not use (moving, quitting, the palette) are the
//! workbench's (see [`super::update`]). Modelled on helix's compositor
//! (`Component::handle_event` returning an `EventResult` with a callback)
//! and gitui's popups with their queue of follow-up actions.

mod confirm;
mod conflicts;
mod form;
mod picker;
mod prompt;
mod questions;
mod reader;

use std::path::PathBuf;

use super::action::Action;
use super::edit::{Edit, Item, ListKind};
use super::palette::VimCommand;
use super::{App, Effect, Modal, OnConfirm};
use crate::domain::Id;

pub(super) use picker::ExternalChoice;

/// What a popup did with an action.
#[derive(Debug)]
pub(super) enum Outcome {
    /// Handled: the popup stays open, as it now is.
    Stay,
    /// Close the popup.
    Close,
    /// Close the popup, then the workbench does this.
    CloseThen(Then),
    /// Keep the popup open, and the workbench does this (an error to show,
    /// a question to ask over it).
    StayThen(Then),
}

/// What the workbench does after a popup handled an action.
#[derive(Debug)]
pub(super) enum Then {
    Effects(Vec<Effect>),
    /// Apply the edit, with this message; then select item `select` in the
    /// shown table (a risk just added).
    Apply {
        edit: Edit,
        message: String,
        select: Option<usize>,
    },
    /// Carry out a confirmation's answer.
    Answer(OnConfirm),
    /// Run an action chosen in the palette.
    Run(Action),
    /// Run a vim command typed in the palette (`:w`, `:q`, …).
    Vim(VimCommand),
    /// Open another popup on top.
    Open(Box<Modal>),
    Info(String),
    Error(String),
    /// Link the control to the risk (index into the risks).
    LinkControl {
        risk: usize,
        control: String,
    },
    /// Put the picked value into field `field` of the form under the picker.
    FillField {
        field: usize,
        value: String,
    },
    /// The owner chosen for the Risks table's owner review filter.
    ReviewOwner(String),
    /// What to do about the file that changed on disk.
    External {
        choice: ExternalChoice,
        path: PathBuf,
        summary: Vec<String>,
    },
    /// Approve the SoA under this name.
    Approve(String),
    /// The name history lines are recorded under.
    HistoryName(String),
    /// The history line offered before a save.
    HistoryLine(String),
    /// The plan's approver is named: ask for the note.
    PlanApprover(String),
    /// Approve the treatment plan under this name, with this note.
    ApprovePlan {
        by: String,
        note: String,
    },
    /// The evidence list's answer for the control in row `row`.
    Evidence {
        row: usize,
        value: String,
    },
    /// The bulk-edit menu's answer, and its text once asked for.
    Bulk {
        which: super::bulk::Marked,
        choice: super::bulk::BulkChoice,
        text: Option<String>,
    },
    /// A note form's edit, and its author (remembered for the next note).
    Note {
        edit: Edit,
        message: String,
        by: String,
    },
    /// The workshop's attendees (for the minutes).
    MinutesAttendees(String),
    /// Where to write the minutes.
    MinutesPath(PathBuf),
    /// Add the library threat with this library id to the register.
    AddLibraryThreat(String),
}

impl App {
    /// Offers `action` to the popup on top. `None` when there is no popup
    /// or it does not use the action: the workbench's handling applies.
    pub(super) fn popup_action(&mut self, action: Action) -> Option<Vec<Effect>> {
        let reg = self.doc.register();
        let outcome = match self.modals.last_mut()? {
            Modal::Form(f) => form::handle(f, action, reg, self.doc.analysis())?,
            Modal::Prompt(p) => prompt::handle(p, action)?,
            Modal::Picker(p) => picker::handle(p, action)?,
            Modal::Palette(p) => picker::palette(p, action)?,
            Modal::Confirm(c) => confirm::handle(c, action)?,
            Modal::Help { .. } => reader::help(action)?,
            Modal::Info { .. } => reader::explanation(action)?,
            Modal::Conflicts { selected } => {
                conflicts::handle(selected, action, reg.conflicts.len())?
            }
        };
        Some(self.settle(outcome))
    }

    /// Carries out a popup's outcome.
    pub(super) fn settle(&mut self, outcome: Outcome) -> Vec<Effect> {
        match outcome {
            Outcome::Stay => Vec::new(),
            Outcome::Close => {
                self.modals.pop();
                Vec::new()
            }
            Outcome::CloseThen(then) => {
                self.modals.pop();
                self.then(then)
            }
            Outcome::StayThen(then) => self.then(then),
        }
    }

    fn then(&mut self, then: Then) -> Vec<Effect> {
        match then {
            Then::Effects(effects) => return effects,
            Then::Apply {
                edit,
                message,
                select,
            } => {
                // A new action is selected only where actions are listed
                // (made from a risk row, the risk stays selected).
                let action =
                    matches!(&edit, Edit::Insert { item, .. } if item.kind() == ListKind::Actions);
                self.apply_edit(edit, message);
                if let Some(at) = select
                    && (!action || self.view == super::View::Plan)
                {
                    // The focus view shows the Risks table's selection.
                    let view = match self.view {
                        super::View::Focus => super::View::Risks,
                        v => v,
                    };
                    self.table_mut(view).select_item(at);
                }
            }
            Then::Answer(what) => return self.run_confirmed(what),
            Then::Run(action) => return self.update(action),
            Then::Vim(cmd) => return self.vim_command(cmd),
            Then::Open(modal) => self.modals.push(*modal),
            Then::Info(text) => self.info(text),
            Then::Error(text) => self.error(text),
            Then::LinkControl { risk, control } => self.link(risk, &control),
            Then::FillField { field, value } => {
                if let Some(Modal::Form(form)) = self.modals.last_mut() {
                    form.touch();
                    if let Some(f) = form.fields.get_mut(field) {
                        f.pick(&value);
                        form.focus = field;
                        form.error = None;
                    }
                }
                self.prefill_cia(field);
            }
            Then::ReviewOwner(value) => {
                if let Some(owner) = super::review::owner_choice(&value) {
                    self.review.owner = owner;
                    self.review_changed();
                }
            }
            Then::External {
                choice,
                path,
                summary,
            } => return self.external_change_choice(choice, path, summary),
            Then::Approve(name) => self.approve_as(&name),
            Then::HistoryName(name) => return self.history_name_given(&name),
            Then::HistoryLine(text) => return self.history_line_given(&text),
            Then::PlanApprover(by) => self.plan_approver_given(&by),
            Then::ApprovePlan { by, note } => self.approve_plan_as(&by, &note),
            Then::Evidence { row, value } => self.evidence_chosen(row, &value),
            Then::Bulk {
                which,
                choice,
                text,
            } => self.bulk_chosen(which, choice, text),
            Then::Note { edit, message, by } => {
                self.note_author = by;
                self.apply_edit(edit, message);
            }
            Then::MinutesAttendees(names) => self.minutes_attendees_given(&names),
            Then::MinutesPath(path) => return vec![self.minutes_effect(path, false)],
            Then::AddLibraryThreat(id) => self.add_library_threat(&id),
        }
        Vec::new()
    }

    /// Links control `control` to risk `risk` (the control picker's answer).
    fn link(&mut self, risk: usize, control: &str) {
        let Some(before) = self.doc.register().risks.get(risk).cloned() else {
            return;
        };
        if before.controls.iter().any(|c| *c == control) {
            self.info(format!("{} already links {control}", before.id));
            return;
        }
        let mut after = before.clone();
        after.controls.push(Id::from(control));
        let msg = format!("{} now links {control}", before.id);
        self.apply_edit(
            Edit::Replace {
                at: risk,
                before: Item::Risk(before),
                after: Item::Risk(after),
            },
            msg,
        );
    }
}
