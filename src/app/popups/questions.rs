//! Opening popups (the palette, the message log, an explanation) and
//! carrying out what a confirmation's answer stands for.

use crate::app::action::Action;
use crate::app::edit::Edit;
use crate::app::picker::{Choice, Picker, PickerPurpose};
use crate::app::text_field::TextField;
use crate::app::{App, Confirm, Effect, Modal, OnConfirm, Prompt, PromptPurpose, plural};
use crate::keymap::{Context, KeyPress};

impl App {
    /// The message log in a scrollable popup, newest first.
    pub(in crate::app) fn show_messages(&mut self) {
        // Say how to close it with the keys of the keymap in force.
        let keys = self.keymap.keys_for(Action::ToggleHelp);
        let close = keys
            .iter()
            .filter(|(c, _)| *c == Context::Help)
            .map(|(_, k)| k.as_str())
            .min_by_key(|k| (*k != "esc", k.len()))
            .unwrap_or("esc");
        let title = format!(
            "Messages, newest first ({}) — {close} closes, ↑↓ scroll",
            plural(self.messages.len(), "message")
        );
        let lines = self.message_log_lines();
        self.modals.push(Modal::Info {
            title,
            lines,
            scroll: 0,
        });
    }

    pub(in crate::app) fn open_palette(&mut self) {
        let actions = Action::palette();
        let choices = actions
            .iter()
            .map(|a| {
                // Keys that reach the action from the tables, each once.
                let mut keys: Vec<String> = Vec::new();
                for (ctx, k) in self.keymap.keys_for(*a) {
                    if matches!(ctx, Context::Global | Context::Table) && !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                Choice {
                    value: a.name(),
                    label: a.describe(),
                    hint: keys.join(", "),
                }
            })
            .collect();
        self.modals.push(Modal::Palette(Picker::new(
            "Command palette",
            choices,
            PickerPurpose::Palette(actions),
        )));
    }

    pub(in crate::app) fn run_confirmed(&mut self, what: OnConfirm) -> Vec<Effect> {
        match what {
            OnConfirm::Quit => return vec![Effect::Quit],
            OnConfirm::Close => {}
            OnConfirm::SaveThenQuit => match self.path.clone() {
                Some(path) => return vec![Effect::SaveThenQuit(path)],
                None => return self.run_confirmed(OnConfirm::SaveAsThenQuit),
            },
            OnConfirm::SaveAsThenQuit => {
                // Another name than the register's: taking the suggestion
                // never replaces anything.
                let suggestion = self.path.as_ref().map_or_else(
                    || "register.ron".to_string(),
                    |p| p.with_extension("copy.ron").display().to_string(),
                );
                self.modals.push(Modal::Prompt(Prompt {
                    title: "Save as (path), then quit".into(),
                    field: TextField::new(&suggestion),
                    purpose: PromptPurpose::SaveAsThenQuit,
                }));
            }
            OnConfirm::OfferRecovery(recovered, summary) => {
                self.offer_recovery(*recovered, summary);
            }
            OnConfirm::AskDiscardRecovery(recovered, summary) => {
                let back = OnConfirm::OfferRecovery(recovered, summary);
                self.modals.push(Modal::Confirm(Confirm {
                    title: "Delete the recovery file".into(),
                    message: "Delete the recovery file for good? The unsaved edits in it are lost \
                              and cannot be undone."
                        .into(),
                    on_yes: OnConfirm::DiscardRecovery,
                    on_no: Some(back.clone()),
                    on_cancel: Some(back),
                    answers: Vec::new(),
                    selected: 0,
                }));
            }
            OnConfirm::ReplaceExport(path) => return vec![Effect::ReplaceExport(path)],
            OnConfirm::ReplaceMinutes(path) => return vec![self.minutes_effect(path, true)],
            OnConfirm::AskMinutesPath(path) => self.ask_minutes_path_again(path),
            OnConfirm::ExportUnderNewName(path) => return vec![Effect::ExportUnderNewName(path)],
            OnConfirm::CreateFolderAndSave { path, quit } => {
                return vec![Effect::CreateFolderAndSave { path, quit }];
            }
            OnConfirm::AskSaveAs { suggestion, quit } => {
                self.modals.push(Modal::Prompt(Prompt {
                    title: if quit {
                        "Save as (path), then quit".into()
                    } else {
                        "Save as (path)".into()
                    },
                    field: TextField::new(&suggestion.display().to_string()),
                    purpose: if quit {
                        PromptPurpose::SaveAsThenQuit
                    } else {
                        PromptPurpose::SaveAs
                    },
                }));
            }
            OnConfirm::KeepRecoveryAside => return vec![Effect::KeepRecoveryAside],
            OnConfirm::DiscardRecovery => return vec![Effect::DiscardRecovery],
            OnConfirm::Reload => return vec![Effect::Reload],
            OnConfirm::Overwrite(path) => return vec![Effect::ForceSave(path)],
            OnConfirm::Apply(edit, msg) => self.apply_edit(edit, msg),
            OnConfirm::DiscardForm => {
                if matches!(self.modals.last(), Some(Modal::Form(_))) {
                    self.modals.pop();
                    self.info("Form closed: changes discarded");
                }
            }
            OnConfirm::ApplyClosingForm {
                edit,
                message,
                select,
            } => {
                if matches!(self.modals.last(), Some(Modal::Form(_))) {
                    self.modals.pop();
                }
                return self.then(super::Then::Apply {
                    edit,
                    message,
                    select,
                });
            }
            OnConfirm::ShowUndecided => self.show_undecided(),
            OnConfirm::KeepWhatIf => self.leave_what_if(true),
            OnConfirm::DiscardWhatIf => self.leave_what_if(false),
            OnConfirm::Restore(recovered) => {
                let edit = Edit::Whole {
                    before: Box::new(self.doc.register().clone()),
                    after: recovered,
                };
                self.apply_edit(
                    edit,
                    "Unsaved edits restored from the recovery file (ctrl-s to save them)",
                );
            }
        }
        Vec::new()
    }

    /// A key no binding claimed, in a question with several answers: an
    /// answer's own key takes it, the arrows move the highlight, enter
    /// takes the highlighted answer.
    /// A key no binding claims in a question with several answers: the
    /// answer's own key, or the arrows and enter (see
    /// [`confirm::answer_key`]).
    pub(in crate::app) fn answer_key(&mut self, key: KeyPress) -> Vec<Effect> {
        let Some(Modal::Confirm(c)) = self.modals.last_mut() else {
            return Vec::new();
        };
        match super::confirm::answer_key(c, key) {
            Some(outcome) => self.settle(outcome),
            None => Vec::new(),
        }
    }

    pub(in crate::app) fn explain_change(&mut self, item: usize) {
        let Some((title, lines)) = self.explain_change_row(item) else {
            return;
        };
        self.modals.push(Modal::Info {
            title,
            lines,
            scroll: 0,
        });
    }
}
