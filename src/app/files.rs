//! The file: saving, save as, reloading, and the questions about it —
//! a file changed on disk, an export in the way, a missing folder, the
//! recovery file, unsaved edits at quit.

use super::action::Action;
use super::palette::VimCommand;
use super::picker::{Picker, PickerPurpose};
use super::text_field::TextField;
use super::{Answer, App, Confirm, Effect, Modal, OnConfirm, Prompt, PromptPurpose, plural};
use std::path::PathBuf;

impl App {
    pub(super) fn save(&mut self) -> Vec<Effect> {
        if self.sandbox.is_some() {
            self.error("Leave the what-if first (w: keep or discard), then save");
            return Vec::new();
        }
        if self.read_only {
            self.error(format!("Read-only: {}; not saved", self.read_only_reason));
            return Vec::new();
        }
        match self.path.clone() {
            Some(p) => self.save_with_history_offer(p),
            None => {
                // A name in the working directory: it exists, so the
                // suggestion can be taken as it is.
                self.modals.push(Modal::Prompt(Prompt {
                    title: "Save the example register as (path)".into(),
                    field: TextField::new("my-register.ron"),
                    purpose: PromptPurpose::SaveAs,
                }));
                Vec::new()
            }
        }
    }

    /// Asks for another file to save to: beside the register, under a
    /// name that does not replace it; the bundled example asks as `save`
    /// does.
    pub(super) fn save_as(&mut self) -> Vec<Effect> {
        if self.sandbox.is_some() {
            self.error("Leave the what-if first (w: keep or discard), then save");
            return Vec::new();
        }
        if self.read_only {
            self.error(format!("Read-only: {}; not saved", self.read_only_reason));
            return Vec::new();
        }
        let Some(path) = &self.path else {
            return self.save();
        };
        let suggestion = path.with_extension("copy.ron").display().to_string();
        self.modals.push(Modal::Prompt(Prompt {
            title: "Save as (path)".into(),
            field: TextField::new(&suggestion),
            purpose: PromptPurpose::SaveAs,
        }));
        Vec::new()
    }

    /// Reads the register again from its file; asks first when that drops
    /// unsaved edits.
    pub(super) fn ask_reload(&mut self) -> Vec<Effect> {
        let Some(path) = &self.path else {
            self.info("Nothing to reload: the bundled example has no file (ctrl-s saves it)");
            return Vec::new();
        };
        if !self.is_dirty() {
            return vec![Effect::Reload];
        }
        let edits = self.doc.history().undo_len();
        self.modals.push(Modal::Confirm(Confirm {
            answers: Vec::new(),
            selected: 0,
            on_cancel: None,
            title: "Reload from disk".into(),
            message: format!(
                "Reload {} and lose your {}?",
                path.display(),
                plural(edits, "unsaved edit")
            ),
            on_yes: OnConfirm::Reload,
            on_no: None,
        }));
        Vec::new()
    }

    /// A vim command typed in the palette.
    pub(super) fn vim_command(&mut self, cmd: VimCommand) -> Vec<Effect> {
        match cmd {
            VimCommand::Write => self.save(),
            VimCommand::Quit => self.update(Action::Quit),
            VimCommand::ForceQuit => vec![Effect::Quit],
            VimCommand::Exit if !self.is_dirty() => vec![Effect::Quit],
            VimCommand::WriteQuit | VimCommand::Exit => {
                if self.sandbox.is_some() {
                    self.error("Leave the what-if first (w: keep or discard), then save");
                    return Vec::new();
                }
                if self.read_only {
                    self.error(format!(
                        "Read-only: {}; not saved (:q! quits without saving)",
                        self.read_only_reason
                    ));
                    return Vec::new();
                }
                self.run_confirmed(OnConfirm::SaveThenQuit)
            }
        }
    }

    /// The runtime found the file changed on disk when saving: offer the
    /// three ways out. `summary` says what differs on disk.
    pub fn on_external_change(&mut self, path: PathBuf, summary: Vec<String>) {
        let choices = super::popups::ExternalChoice::choices();
        self.error(format!(
            "{} changed on disk since it was loaded: not saved",
            path.display()
        ));
        self.modals.push(Modal::Picker(Picker::new(
            "The file changed on disk: what now?",
            choices,
            PickerPurpose::ExternalChange { path, summary },
        )));
    }

    /// The runtime found a file where the SoA workbook was to go: replace
    /// it, write under a new name, or leave it.
    pub fn ask_export_exists(&mut self, path: PathBuf) {
        self.modals.push(Modal::Confirm(Confirm {
            title: "The export exists".into(),
            message: format!("{} exists already. Replace it?", path.display()),
            on_yes: OnConfirm::ReplaceExport(path.clone()),
            on_no: Some(OnConfirm::ExportUnderNewName(path.clone())),
            on_cancel: None,
            answers: vec![
                Answer {
                    key: 'n',
                    label: "Write it under a new name beside it".into(),
                    then: OnConfirm::ExportUnderNewName(path.clone()),
                },
                Answer {
                    key: 'r',
                    label: "Replace the existing workbook".into(),
                    then: OnConfirm::ReplaceExport(path),
                },
                Answer {
                    key: 'c',
                    label: "Cancel: export nothing".into(),
                    then: OnConfirm::Close,
                },
            ],
            selected: 0,
        }));
    }

    /// The runtime found that the folder to save into does not exist:
    /// create it, choose another name, or leave it.
    pub fn ask_create_folder(&mut self, path: PathBuf, quit: bool) {
        let folder = path
            .parent()
            .map_or_else(String::new, |p| p.display().to_string());
        self.modals.push(Modal::Confirm(Confirm {
            title: "No such folder".into(),
            message: format!("The folder {folder} does not exist. Create it and save there?"),
            on_yes: OnConfirm::CreateFolderAndSave {
                path: path.clone(),
                quit,
            },
            on_no: Some(OnConfirm::AskSaveAs {
                suggestion: path.clone(),
                quit,
            }),
            on_cancel: None,
            answers: vec![
                Answer {
                    key: 'y',
                    label: format!("Create {folder} and save"),
                    then: OnConfirm::CreateFolderAndSave {
                        path: path.clone(),
                        quit,
                    },
                },
                Answer {
                    key: 'n',
                    label: "Choose another name".into(),
                    then: OnConfirm::AskSaveAs {
                        suggestion: path,
                        quit,
                    },
                },
                Answer {
                    key: 'c',
                    label: "Cancel: do not save".into(),
                    then: OnConfirm::Close,
                },
            ],
            selected: 0,
        }));
    }

    /// The runtime found unsaved edits from a crash or kill in the recovery
    /// file: offer to restore them, showing what they change (`summary`).
    ///
    /// Nothing here can lose the file by accident: "no" and esc keep it
    /// aside under a timestamped name (restorable by opening it), and
    /// deleting it takes a second, explicit confirmation.
    pub fn offer_recovery(&mut self, recovered: crate::domain::Register, summary: Vec<String>) {
        let mut message = String::from(
            "riskbench did not exit cleanly last time; a recovery file holds unsaved edits:\n",
        );
        for line in summary.iter().take(12) {
            message.push('\n');
            message.push_str(line);
        }
        if summary.len() > 12 {
            message.push_str(&format!("\n… and {} more lines", summary.len() - 12));
        }
        let restore = OnConfirm::Restore(Box::new(recovered.clone()));
        let answers = vec![
            Answer {
                key: 'r',
                label: "Restore them (then ctrl-s saves them)".into(),
                then: restore.clone(),
            },
            Answer {
                key: 'k',
                label: "Not now: keep the file aside, open the register as saved".into(),
                then: OnConfirm::KeepRecoveryAside,
            },
            Answer {
                key: 'd',
                label: "Delete the recovery file…".into(),
                then: OnConfirm::AskDiscardRecovery(Box::new(recovered), summary),
            },
        ];
        self.modals.push(Modal::Confirm(Confirm {
            title: "Recover unsaved edits".into(),
            message,
            on_yes: restore,
            on_no: Some(OnConfirm::KeepRecoveryAside),
            on_cancel: Some(OnConfirm::KeepRecoveryAside),
            answers,
            selected: 0,
        }));
    }

    /// `q` with unsaved edits: save, save as…, discard or stay. `y` still
    /// means "quit without saving" (the question's plain yes), `n`, `q` and
    /// esc stay; enter takes the highlighted answer, "save", which loses
    /// nothing.
    pub(super) fn ask_before_quitting(&mut self) {
        let edits = self.doc.history().undo_len();
        let save_label = match &self.path {
            Some(p) => format!("Save to {}, then quit", p.display()),
            None => "Save (asks where), then quit".into(),
        };
        self.modals.push(Modal::Confirm(Confirm {
            title: "Unsaved changes".into(),
            message: format!("{}. Quit without saving?", plural(edits, "unsaved edit")),
            on_yes: OnConfirm::Quit,
            on_no: None,
            on_cancel: None,
            answers: vec![
                Answer {
                    key: 's',
                    label: save_label,
                    then: OnConfirm::SaveThenQuit,
                },
                Answer {
                    key: 'a',
                    label: "Save as…, then quit".into(),
                    then: OnConfirm::SaveAsThenQuit,
                },
                Answer {
                    key: 'd',
                    label: "Discard the edits and quit".into(),
                    then: OnConfirm::Quit,
                },
                Answer {
                    key: 'c',
                    label: "Cancel: keep working".into(),
                    then: OnConfirm::Close,
                },
            ],
            selected: 0,
        }));
    }

    /// Replaces the register after a reload from disk: history and
    /// comparisons start again from the file.
    pub fn reload(&mut self, register: crate::domain::Register) {
        // The document only: the view, tables (sort, filters), messages,
        // keymap and how the runtime set the session up all stay.
        self.doc = super::Document::new(register, self.doc.today());
        // Marks name rows of the register as it was.
        self.marks.clear();
        self.sandbox = None;
        self.summary_base = None;
        self.drop_pending_filter();
        self.forget_corpus();
        for t in &mut self.tables {
            t.select_first();
        }
        self.redraw(super::document::Change::EVERYTHING);
        let view = self.view;
        self.show_view(view);
        self.info("Reloaded from disk");
    }

    pub(super) fn external_change_choice(
        &mut self,
        choice: super::popups::ExternalChoice,
        path: PathBuf,
        summary: Vec<String>,
    ) -> Vec<Effect> {
        use super::popups::ExternalChoice;
        match choice {
            ExternalChoice::Reload => {
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    title: "Reload from disk".into(),
                    message: format!(
                        "Reload {} and lose your {}?",
                        path.display(),
                        plural(self.doc.history().undo_len(), "unsaved edit")
                    ),
                    on_yes: OnConfirm::Reload,
                    on_no: None,
                }));
            }
            ExternalChoice::SaveAs => {
                let suggestion = path.with_extension("mine.ron");
                self.modals.push(Modal::Prompt(Prompt {
                    title: "Save your version as (path)".into(),
                    field: TextField::new(&suggestion.display().to_string()),
                    purpose: PromptPurpose::SaveAs,
                }));
            }
            ExternalChoice::Overwrite => {
                let mut message = format!(
                    "Overwrite {} with your version? Overwriting changes the file on disk like this:\n",
                    path.display()
                );
                for line in summary.iter().take(14) {
                    message.push('\n');
                    message.push_str(line);
                }
                if summary.len() > 14 {
                    message.push_str(&format!("\n… and {} more lines", summary.len() - 14));
                }
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    title: "Overwrite the file on disk".into(),
                    message,
                    on_yes: OnConfirm::Overwrite(path),
                    on_no: None,
                }));
            }
        }
        Vec::new()
    }
}
