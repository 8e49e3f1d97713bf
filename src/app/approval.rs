//! Approving the SoA: a new baseline and its history line.

use super::action::Action;
use super::edit::Edit;
use super::text_field::TextField;
use super::{App, Modal, Prompt, PromptPurpose, plural};
use crate::domain::approval;
use crate::keymap::Context;

impl App {
    pub(super) fn approve_soa(&mut self) {
        if self.sandbox.is_some() {
            self.error("Leave the what-if first (w): approve a real SoA, not a sandbox");
            return;
        }
        if self.read_only {
            self.error(format!("Read-only: {}", self.read_only_reason));
            return;
        }
        let errors: Vec<String> = self
            .doc
            .analysis()
            .errors()
            .map(|f| format!("{}: {} [{}]", f.at, f.message, f.code))
            .collect();
        if !errors.is_empty() {
            // The status bar cannot list them: the message log does.
            let log = self
                .keymap
                .keys_for(Action::ShowMessages)
                .into_iter()
                .find(|(c, _)| matches!(c, Context::Table | Context::Global))
                .map_or_else(|| ":messages".to_string(), |(_, k)| k);
            self.error_with_details(
                format!(
                    "Not approved: the register has {}; fix them first ({log} lists them)",
                    plural(errors.len(), "error")
                ),
                errors,
            );
            return;
        }
        let version = self
            .doc
            .register()
            .approved_baseline()
            .map_or(1, |b| b.version + 1);
        let undecided = self.doc.analysis().soa.summary().undecided;
        let warning = if undecided > 0 {
            format!(
                " — warning: {} still Undecided",
                plural(undecided, "control")
            )
        } else {
            String::new()
        };
        self.modals.push(Modal::Prompt(Prompt {
            title: format!(
                "Approve SoA v{version} ({}) — approver's name{warning}",
                plural(self.doc.pending_soa(), "change")
            ),
            field: TextField::new(""),
            purpose: PromptPurpose::ApproveSoa,
        }));
    }

    /// Appends the current SoA as a new baseline (version = last + 1) and
    /// logs it; earlier approvals stay (REGISTER.md §5).
    pub(super) fn approve_as(&mut self, by: &str) {
        let (reg, an) = (self.doc.register(), self.doc.analysis());
        let baseline = approval::next_baseline(reg, an, by, "", self.doc.today());
        let entry = approval::soa_history_entry(reg, an, &baseline);
        let summary = entry.summary.clone();
        self.apply_edit(
            Edit::Approve {
                baseline: Box::new(baseline),
                entry,
                undo: false,
            },
            summary,
        );
    }
}
