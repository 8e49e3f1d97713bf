//! The popups' own keys: what submit, confirm, deny and cancel do in a
//! form, prompt, picker, palette, confirmation or read-only popup.

use super::action::Action;
use super::edit::{Edit, Item};
use super::form::FormTarget;
use super::palette::VimCommand;
use super::picker::{Choice, Picker, PickerPurpose};
use super::text_field::TextField;
use super::{App, Confirm, Effect, Modal, OnConfirm, Prompt, PromptPurpose, plural};
use crate::domain::Id;
use crate::keymap::{Context, KeyCode, KeyPress};
use std::path::PathBuf;

impl App {
    /// The message log in a scrollable popup, newest first.
    pub(super) fn show_messages(&mut self) {
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

    pub(super) fn open_palette(&mut self) {
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

    pub(super) fn submit(&mut self) -> Vec<Effect> {
        match self.modals.pop() {
            None => {
                // Enter in the filter line keeps the filter and returns to
                // the table.
                self.filtering = false;
            }
            Some(Modal::Palette(p)) => {
                // `:w`, `:q`, `:wq`, `:x`, `:q!` do what vim does.
                if let Some(cmd) = VimCommand::parse(&p.query) {
                    return self.vim_command(cmd);
                }
                if let (Some((i, _)), PickerPurpose::Palette(actions)) =
                    (p.matches.get(p.selected), &p.purpose)
                    && let Some(&action) = actions.get(*i)
                {
                    return self.update(action);
                }
            }
            Some(Modal::Picker(p)) => {
                let Some(choice) = p.chosen().cloned() else {
                    self.modals.push(Modal::Picker(p));
                    return Vec::new();
                };
                match p.purpose {
                    PickerPurpose::LinkControl { risk } => {
                        let Some(before) = self.doc.register().risks.get(risk).cloned() else {
                            return Vec::new();
                        };
                        if before.controls.iter().any(|c| *c == choice.value) {
                            self.info(format!("{} already links {}", before.id, choice.value));
                            return Vec::new();
                        }
                        let mut after = before.clone();
                        after.controls.push(Id::from(&choice.value));
                        let msg = format!("{} now links {}", before.id, choice.value);
                        self.apply_edit(
                            Edit::Replace {
                                at: risk,
                                before: Item::Risk(before),
                                after: Item::Risk(after),
                            },
                            msg,
                        );
                    }
                    PickerPurpose::FormField { field } => {
                        if let Some(Modal::Form(form)) = self.modals.last_mut() {
                            form.touch();
                        }
                        if let Some(Modal::Form(form)) = self.modals.last_mut()
                            && let Some(f) = form.fields.get_mut(field)
                        {
                            f.pick(&choice.value);
                            form.focus = field;
                            form.error = None;
                        }
                    }
                    PickerPurpose::Palette(_) => {}
                    PickerPurpose::ReviewOwner => {
                        if let Some(owner) = super::review::owner_choice(&choice.value) {
                            self.review.owner = owner;
                            self.review_changed();
                        }
                    }
                    PickerPurpose::ExternalChange { path, summary } => {
                        return self.external_change_choice(&choice.value, path, summary);
                    }
                }
            }
            Some(Modal::Form(mut form)) => match form.submit(self.doc.register()) {
                Ok(None) => self.info("No changes"),
                Ok(Some(edit)) => {
                    let what = match &edit {
                        Edit::Insert { item, .. } => format!("Added {}", item.id()),
                        Edit::Replace { after, .. } => format!("Updated {}", after.id()),
                        Edit::Remove { item, .. } => format!("Removed {}", item.id()),
                        Edit::Settings { before, after } => {
                            super::form::settings::summary(before, after)
                        }
                        _ => form.title.clone(),
                    };
                    let select = match (&edit, form.target) {
                        (Edit::Insert { at, .. }, FormTarget::Risk(None)) => Some(*at),
                        _ => None,
                    };
                    self.apply_edit(edit, what);
                    if let Some(at) = select {
                        let view = self.view;
                        self.table_mut(view).select_item(at);
                    }
                }
                Err(e) => {
                    form.error = Some(e);
                    self.modals.push(Modal::Form(form));
                }
            },
            Some(Modal::Prompt(p)) if p.purpose == PromptPurpose::ApproveSoa => {
                let name = p.field.text().trim().to_string();
                if name.is_empty() {
                    self.modals.push(Modal::Prompt(p));
                    self.error("Give the approver's name");
                    return Vec::new();
                }
                self.approve_as(&name);
            }
            Some(Modal::Prompt(p)) => match p.purpose {
                PromptPurpose::ApproveSoa => {}
                PromptPurpose::HistoryName => {
                    let text = p.field.text();
                    if text.trim().is_empty() {
                        self.modals.push(Modal::Prompt(p));
                    }
                    return self.history_name_given(&text);
                }
                PromptPurpose::HistoryLine => return self.history_line_given(&p.field.text()),
                PromptPurpose::SaveAs | PromptPurpose::SaveAsThenQuit => {
                    let text = p.field.text();
                    let path = text.trim();
                    if path.is_empty() {
                        self.modals.push(Modal::Prompt(p));
                        return Vec::new();
                    }
                    let path = PathBuf::from(path);
                    return vec![if p.purpose == PromptPurpose::SaveAs {
                        Effect::Save(path)
                    } else {
                        Effect::SaveThenQuit(path)
                    }];
                }
            },
            Some(Modal::Confirm(c)) => {
                // A keymap that binds Submit in confirmations makes it yes.
                self.modals.push(Modal::Confirm(c));
                return self.confirm();
            }
            Some(m @ Modal::Help { .. }) => self.modals.push(m),
            // Enter closes an explanation.
            Some(Modal::Info { .. }) => {}
        }
        Vec::new()
    }

    pub(super) fn confirm(&mut self) -> Vec<Effect> {
        let Some(Modal::Confirm(c)) = self.modals.last().cloned() else {
            return Vec::new();
        };
        self.modals.pop();
        self.run_confirmed(c.on_yes)
    }

    pub(super) fn run_confirmed(&mut self, what: OnConfirm) -> Vec<Effect> {
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
    pub(super) fn answer_key(&mut self, key: KeyPress) -> Vec<Effect> {
        let Some(Modal::Confirm(c)) = self.modals.last_mut() else {
            return Vec::new();
        };
        if c.answers.is_empty() {
            return Vec::new();
        }
        let n = c.answers.len();
        let chosen = match key.code {
            KeyCode::Up => {
                c.selected = (c.selected + n - 1) % n;
                None
            }
            KeyCode::Down | KeyCode::Tab => {
                c.selected = (c.selected + 1) % n;
                None
            }
            KeyCode::Enter => Some(c.selected),
            KeyCode::Char(ch) if key.is_text() => c
                .answers
                .iter()
                .position(|a| a.key.eq_ignore_ascii_case(&ch)),
            _ => None,
        };
        let Some(i) = chosen else {
            return Vec::new();
        };
        let then = c.answers[i.min(n - 1)].then.clone();
        self.modals.pop();
        self.run_confirmed(then)
    }

    /// "No" in a confirmation: its `on_no`, else just close.
    pub(super) fn deny(&mut self) -> Vec<Effect> {
        if let Some(Modal::Confirm(c)) = self.modals.pop()
            && let Some(what) = c.on_no
        {
            return self.run_confirmed(what);
        }
        Vec::new()
    }

    pub(super) fn explain_change(&mut self, item: usize) {
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
