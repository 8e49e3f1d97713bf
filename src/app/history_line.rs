//! The history line on save (issue 13): `history` gains nothing by itself,
//! but a user who opts in (per register, remembered) is offered, at each
//! `ctrl-s`, a one-line summary of what changed since the last save — the
//! same comparison `riskbench diff` makes — to edit and append to the
//! register's `history` before the file is written.
//!
//! Enter appends the line (one undoable edit) and saves; an emptied line
//! saves without one; esc cancels the save, as esc does everywhere.

use std::path::PathBuf;

use super::edit::Edit;
use super::text_field::TextField;
use super::{App, Effect, Modal, Prompt, PromptPurpose};
use crate::domain::diff::{compare, summarize};
use crate::domain::{Analysis, HistoryEntry};

impl App {
    /// The `HistoryOnSave` action: switches the offer off, or asks for the
    /// name history lines are recorded under and switches it on.
    pub(super) fn toggle_history_on_save(&mut self) -> Vec<Effect> {
        if self.path.is_none() {
            self.error("Save the register to a file first: the choice is remembered per file");
            return Vec::new();
        }
        if self.history_on_save.take().is_some() {
            self.summary_base = None;
            self.info("History line on save: off");
            return vec![Effect::RememberHistoryOnSave(None)];
        }
        let suggestion = self
            .doc
            .register()
            .history
            .last()
            .map_or("", |h| h.by.as_str())
            .to_string();
        // The suggestion is replaced by typing (← or backspace edit it).
        let mut field = TextField::new(&suggestion);
        field.replace_on_type();
        self.modals.push(Modal::Prompt(Prompt {
            title: "History line on save — your name, as history lines record it".into(),
            field,
            purpose: PromptPurpose::HistoryName,
        }));
        Vec::new()
    }

    /// The name prompt's answer: switches the offer on.
    pub(super) fn history_name_given(&mut self, name: &str) -> Vec<Effect> {
        let name = name.trim();
        if name.is_empty() {
            self.error("Give the name history lines are recorded under");
            return Vec::new();
        }
        self.history_on_save = Some(name.to_string());
        self.info(format!(
            "History line on save: on, as {name}; each save offers a summary of what changed"
        ));
        vec![Effect::RememberHistoryOnSave(Some(name.to_string()))]
    }

    /// What changed since the last save (or since loading), in one line;
    /// empty when nothing did.
    pub fn summary_since_save(&self) -> String {
        let base = self.summary_base.as_ref().unwrap_or(self.doc.loaded());
        if base == self.doc.register() {
            return String::new();
        }
        let base_analysis = Analysis::new(base, self.doc.today());
        summarize(&compare(
            base,
            &base_analysis,
            self.doc.register(),
            self.doc.analysis(),
        ))
    }

    /// Saving to `path`: with the offer on and something to summarise, the
    /// prompt with the summary first; otherwise the save itself.
    pub(super) fn save_with_history_offer(&mut self, path: PathBuf) -> Vec<Effect> {
        if self.history_on_save.is_none() {
            return vec![Effect::Save(path)];
        }
        let summary = self.summary_since_save();
        if summary.is_empty() {
            return vec![Effect::Save(path)];
        }
        self.modals.push(Modal::Prompt(Prompt {
            title: "History line for this save (emptied: none; esc: don't save)".into(),
            field: TextField::new(&summary),
            purpose: PromptPurpose::HistoryLine,
        }));
        Vec::new()
    }

    /// The history line prompt's answer: append it (when not empty), then
    /// save.
    pub(super) fn history_line_given(&mut self, text: &str) -> Vec<Effect> {
        let Some(path) = self.path.clone() else {
            return Vec::new();
        };
        let summary = text.trim();
        if let (false, Some(by)) = (summary.is_empty(), self.history_on_save.clone()) {
            let entry = HistoryEntry {
                on: self.doc.today(),
                by,
                summary: summary.to_string(),
            };
            self.apply_edit(
                Edit::Log { entry, undo: false },
                format!("History: {summary}"),
            );
        }
        vec![Effect::Save(path)]
    }

    /// After a successful save: the next summary starts from here.
    pub(super) fn history_base_saved(&mut self) {
        if self.history_on_save.is_some() {
            self.summary_base = Some(self.doc.register().clone());
        }
    }
}
