//! Approving the SoA (a new baseline and its history line) and the
//! treatment plan (`plan_approval` and its history line), refused as
//! REGISTER.md §5 says through [`approval::soa_blockers`], the rule
//! `riskbench approve` follows too.

use super::action::Action;
use super::edit::Edit;
use super::table::{SoaFilter, View};
use super::text_field::TextField;
use super::{App, Confirm, Modal, OnConfirm, Prompt, PromptPurpose, plural};
use crate::domain::approval;
use crate::keymap::Context;

impl App {
    /// The key that opens the message log, as the keymap in force spells
    /// it, for "M lists them".
    fn message_log_key(&self) -> String {
        self.keymap
            .keys_for(Action::ShowMessages)
            .into_iter()
            .find(|(c, _)| matches!(c, Context::Table | Context::Global))
            .map_or_else(|| ":messages".to_string(), |(_, k)| k)
    }

    /// Approving changes the register for good (an approval is history):
    /// never in a sandbox or a read-only register. False, with the reason
    /// shown, when it may not.
    fn may_approve(&mut self, what: &str) -> bool {
        if self.sandbox.is_some() {
            self.error(format!(
                "Leave the what-if first (w): approve a real {what}, not a sandbox"
            ));
            return false;
        }
        if self.read_only {
            self.error(format!("Read-only: {}", self.read_only_reason));
            return false;
        }
        true
    }

    pub(super) fn approve_soa(&mut self) {
        if !self.may_approve("SoA") {
            return;
        }
        let blockers = approval::soa_blockers(self.doc.analysis());
        if !blockers.is_empty() {
            // The status bar cannot list them: the message log does.
            let (summary, lines, undecided) = (
                blockers.summary(),
                blockers.lines(),
                blockers.undecided.len(),
            );
            let reason = if blockers.errors.is_empty() {
                format!("{summary}; decide them first")
            } else {
                format!("the register has {summary}; fix them first")
            };
            let log = self.message_log_key();
            self.error_with_details(format!("Not approved: {reason} ({log} lists them)"), lines);
            if undecided > 0 {
                let n = plural(undecided, "Undecided control");
                self.modals.push(Modal::Confirm(Confirm {
                    title: "SoA not approved".into(),
                    message: format!(
                        "Not approved: {summary} ({log} lists them). Every control needs a \
                         decision (Yes, or No with a justification) before the SoA is approved. \
                         Show the {n} in the SoA view?"
                    ),
                    on_yes: OnConfirm::ShowUndecided,
                    on_no: None,
                    on_cancel: None,
                    answers: Vec::new(),
                    selected: 0,
                }));
            }
            return;
        }
        let version = self
            .doc
            .register()
            .approved_baseline()
            .map_or(1, |b| b.version + 1);
        self.modals.push(Modal::Prompt(Prompt {
            title: format!(
                "Approve SoA v{version} ({}) — approver's name",
                plural(self.doc.pending_soa(), "change")
            ),
            field: TextField::new(""),
            purpose: PromptPurpose::ApproveSoa,
        }));
    }

    /// The SoA view with only the Undecided controls: what stands between
    /// the register and an approval.
    pub(super) fn show_undecided(&mut self) {
        self.soa_filter = SoaFilter::Undecided;
        self.show_view(View::Soa);
        self.rebuild_filtered(true);
        let decide = self
            .keymap
            .keys_for(Action::Add)
            .into_iter()
            .find(|(c, _)| *c == Context::Table)
            .map_or_else(|| "a".to_string(), |(_, k)| k);
        self.info(format!(
            "SoA filter: Undecided — {decide} decides a control"
        ));
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

    /// Approving the treatment plan (6.1.3 f): refused while the register
    /// has errors or the plan has no actions; otherwise asks for the
    /// approver's name, then an optional note.
    pub(super) fn approve_plan(&mut self) {
        if !self.may_approve("plan") {
            return;
        }
        let errors: Vec<String> = self
            .doc
            .analysis()
            .errors()
            .map(|f| format!("{}: {} [{}]", f.at, f.message, f.code))
            .collect();
        if !errors.is_empty() {
            let log = self.message_log_key();
            self.error_with_details(
                format!(
                    "Plan not approved: the register has {}; fix them first ({log} lists them)",
                    plural(errors.len(), "error")
                ),
                errors,
            );
            return;
        }
        let reg = self.doc.register();
        if reg.actions.is_empty() {
            self.error("Plan not approved: the plan has no actions yet");
            return;
        }
        let title = format!(
            "Approve the treatment plan ({}) — approver's name",
            plural(reg.actions.len(), "action")
        );
        self.modals.push(Modal::Prompt(Prompt {
            title,
            field: TextField::new(""),
            purpose: PromptPurpose::ApprovePlan,
        }));
    }

    /// The approver is named: ask for the note (optional).
    pub(super) fn plan_approver_given(&mut self, by: &str) {
        self.modals.push(Modal::Prompt(Prompt {
            title: format!("Plan approved by {by} — note (optional: enter leaves it empty)"),
            field: TextField::new(""),
            purpose: PromptPurpose::ApprovePlanNote(by.to_string()),
        }));
    }

    /// Records the plan's approval and its history line as one undoable
    /// edit; an earlier approval is replaced (undo brings it back).
    pub(super) fn approve_plan_as(&mut self, by: &str, note: &str) {
        let today = self.doc.today();
        let after = approval::plan_approval(by, note, today);
        let entry = approval::plan_history_entry(&after);
        let summary = entry.summary.clone();
        self.apply_edit(
            Edit::ApprovePlan {
                before: self.doc.register().plan_approval.clone().map(Box::new),
                after: Box::new(after),
                entry,
                undo: false,
            },
            summary,
        );
    }
}
