//! A risk workshop's record in the workbench: notes on the selected risk
//! (`N`: who said what, dated today, the author remembered for the
//! session) and the minutes of the session (`W`: the register as opened
//! compared with now, through `diff`'s comparison; attendees asked once).

use std::path::PathBuf;

use super::form::Form;
use super::text_field::TextField;
use super::{App, Confirm, Effect, Modal, OnConfirm, Prompt, PromptPurpose};
use crate::domain::diff::{Snapshot, diff};
use crate::export::minutes::{File, Heading, NotWritten, attendees, html, markdown, minutes_path};

impl App {
    /// `N`: the note form for the selected risk.
    pub(super) fn add_note(&mut self) {
        let Some(risk) = self.risk_for("Add a note from a risk row (Risks view)") else {
            return;
        };
        let today = self.doc.today();
        if let Some(form) = Form::note(self.doc.register(), risk, today, &self.note_author) {
            self.modals.push(Modal::Form(form));
        }
    }

    /// `W`: asks for the attendees (once per session), then for the path.
    pub(super) fn write_minutes(&mut self) {
        if self.minutes_attendees.is_some() {
            self.ask_minutes_path();
            return;
        }
        self.modals.push(Modal::Prompt(Prompt {
            title: "Workshop minutes — who attended? (names separated by commas)".into(),
            field: TextField::new(""),
            purpose: PromptPurpose::MinutesAttendees,
        }));
    }

    /// The attendees are named (remembered for the session): ask where.
    pub(super) fn minutes_attendees_given(&mut self, names: &str) {
        self.minutes_attendees = Some(names.trim().to_string());
        self.ask_minutes_path();
    }

    fn ask_minutes_path(&mut self) {
        let register = self
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from("riskbench.ron"));
        let path = minutes_path(&register, self.doc.today());
        self.modals.push(Modal::Prompt(Prompt {
            title: "Write the minutes to (.md, or .html for a page)".into(),
            field: TextField::new(&path.display().to_string()),
            purpose: PromptPurpose::MinutesPath,
        }));
    }

    /// The minutes of the session so far: the register as opened compared
    /// with the register now, as Markdown, or HTML for a `.html` path.
    pub fn minutes_text(&self, html_page: bool) -> String {
        let (old, new) = (self.doc.loaded(), self.doc.register());
        let now = Snapshot::new(new, self.doc.analysis());
        let d = diff(old, self.doc.loaded_snapshot(), new, &now);
        let m = crate::domain::minutes::minutes(&d, old, new);
        let heading = Heading {
            register: new.name.clone(),
            date: self.doc.today(),
            attendees: attendees(self.minutes_attendees.as_deref().unwrap_or("")),
            since: format!("{} as opened in this session", self.register_name()),
        };
        if html_page {
            html(&heading, &m)
        } else {
            markdown(&heading, &m)
        }
    }

    /// The register's file name, for the minutes (`the register` for the
    /// bundled example).
    fn register_name(&self) -> String {
        self.path.as_ref().and_then(|p| p.file_name()).map_or_else(
            || "the register".into(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// The effect that writes the minutes to `path` (`replace`: over the
    /// file there, the user said so).
    pub(super) fn minutes_effect(&self, path: PathBuf, replace: bool) -> Effect {
        let page = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        Effect::WriteMinutes(File {
            text: self.minutes_text(page),
            path,
            replace,
        })
    }

    /// Called by the runtime after writing the minutes: where they are, or
    /// (a file is there) the question whether to replace it.
    pub fn minutes_written(&mut self, result: Result<(), NotWritten>, file: File) {
        match result {
            Ok(()) => self.info(format!("Minutes written to {}", file.path.display())),
            Err(NotWritten::Exists) => self.modals.push(Modal::Confirm(Confirm {
                title: "The minutes exist".into(),
                message: format!(
                    "{} exists already. Replace it? (n: keep it and choose another name)",
                    file.path.display()
                ),
                on_yes: OnConfirm::ReplaceMinutes(file.path.clone()),
                on_no: Some(OnConfirm::AskMinutesPath(file.path)),
                on_cancel: None,
                answers: Vec::new(),
                selected: 0,
            })),
            Err(NotWritten::Failed(e)) => self.error(format!("Minutes not written: {e}")),
        }
    }

    /// "No, keep it": the path prompt again, on the name that was there.
    pub(super) fn ask_minutes_path_again(&mut self, path: PathBuf) {
        self.modals.push(Modal::Prompt(Prompt {
            title: "Write the minutes to (another name)".into(),
            field: TextField::new(&path.display().to_string()),
            purpose: PromptPurpose::MinutesPath,
        }));
    }
}
